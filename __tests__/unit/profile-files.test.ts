/**
 * aws-profile files: written where the SDKs read them, 0600, other sections
 * kept byte for byte, an existing profile refused unless overwriting, and
 * the post step removing exactly what was written.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkProfileWritable,
  openProfile,
  ProfileExistsError,
  ProfileFileError,
  profilePaths,
  removeRecordedProfile,
  removeSection,
  saveProfileRecord,
  upsertSection,
  writeProfile,
  type ProfilePaths,
} from '../../src/export/profile-files.js';
import { FakeToolkit } from './fakes.js';

const CREDS = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/key+1', sessionToken: 'token==', expiration: new Date('2026-11-22T15:00:00Z') };
const OTHER = '# my settings\n[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n\n[prod]\nregion = eu-west-1\n';

let dir: string;
let paths: ProfilePaths;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), `profile-files-${process.pid}-`));
  paths = { credentials: join(dir, 'aws', 'credentials'), config: join(dir, 'aws', 'config') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('profilePaths', () => {
  test('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, else ~/.aws', () => {
    expect(profilePaths({ HOME: '/home/u' })).toEqual({ credentials: '/home/u/.aws/credentials', config: '/home/u/.aws/config' });
    expect(profilePaths({ HOME: '/home/u', AWS_SHARED_CREDENTIALS_FILE: '/c', AWS_CONFIG_FILE: '/f' })).toEqual({ credentials: '/c', config: '/f' });
  });
});

describe('editing sections', () => {
  test('upsert appends a new section after one blank line, and replaces an existing one in place', () => {
    const added = upsertSection(OTHER, 'ci', '[ci]\na = 1');
    expect(added).toBe(`${OTHER}\n[ci]\na = 1\n`);
    const replaced = upsertSection(added, 'default', '[default]\nx = 2');
    expect(replaced).toBe('# my settings\n[default]\nx = 2\n\n[prod]\nregion = eu-west-1\n\n[ci]\na = 1\n');
    expect(upsertSection('', 'ci', '[ci]\na = 1')).toBe('[ci]\na = 1\n');
  });

  test('remove takes the section out only when it still matches, and leaves the rest as it was', () => {
    const added = upsertSection(OTHER, 'ci', '[ci]\na = 1');
    expect(removeSection(added, 'ci', (t) => t === '[ci]\na = 1')).toEqual({ text: OTHER, removed: true });
    expect(removeSection(added, 'ci', () => false)).toEqual({ text: added, removed: false });
    expect(removeSection(OTHER, 'ci', () => true).removed).toBe(false);
    // a section in the middle
    const middle = upsertSection('[a]\nx = 1\n\n[b]\ny = 2\n', 'a', '[a]\nx = 1');
    expect(removeSection(middle, 'a', () => true).text).toBe('[b]\ny = 2\n');
  });
});

describe('writeProfile', () => {
  test('static keys: [name] in credentials, [profile name] with the region in config, 0600, folder 0700', () => {
    writeFileSync(join(dir, 'placeholder'), '');
    const written = writeProfile(paths, 'ci', 'eu-west-2', { kind: 'static', credentials: CREDS }, false);
    expect(readFileSync(paths.credentials, 'utf8')).toBe('[ci]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = secret/key+1\naws_session_token = token==\n');
    expect(readFileSync(paths.config, 'utf8')).toBe('[profile ci]\nregion = eu-west-2\n');
    expect(statSync(paths.credentials).mode & 0o777).toBe(0o600);
    expect(statSync(paths.config).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'aws')).mode & 0o777).toBe(0o700);
    expect(written.map((w) => [w.file, w.header])).toEqual([
      [paths.credentials, 'ci'],
      [paths.config, 'profile ci'],
    ]);
  });

  test('the default profile is [default] in both files', () => {
    writeProfile(paths, 'default', 'us-east-1', { kind: 'static', credentials: CREDS }, false);
    expect(readFileSync(paths.config, 'utf8')).toBe('[default]\nregion = us-east-1\n');
  });

  test('an existing profile is refused unless overwriting; other profiles are kept', () => {
    writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, false);
    expect(() => checkProfileWritable(paths, 'ci', false)).toThrow(ProfileExistsError);
    expect(() => writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, false)).toThrow(/already exists.*overwrite-aws-profile: true/);
    writeProfile(paths, 'ci', 'us-west-2', { kind: 'static', credentials: { ...CREDS, accessKeyId: 'ASIANEW' } }, true);
    expect(readFileSync(paths.credentials, 'utf8')).toContain('ASIANEW');
    expect(readFileSync(paths.credentials, 'utf8')).not.toContain('ASIAEXAMPLE');
    // only in the config file counts as existing too
    expect(() => checkProfileWritable({ ...paths, credentials: join(dir, 'none') }, 'ci', false)).toThrow(/already exists in .*config/);
  });

  test('credential_process goes to config; a stale [name] in credentials is removed when overwriting', () => {
    writeFileSync(join(dir, 'c'), OTHER + '\n[ci]\naws_access_key_id = OLD\n');
    const p = { credentials: join(dir, 'c'), config: join(dir, 'f') };
    writeProfile(p, 'ci', 'us-east-1', { kind: 'process', command: '"/node" "/cp.js" "/f.json"' }, true);
    expect(readFileSync(p.config, 'utf8')).toBe('[profile ci]\nregion = us-east-1\ncredential_process = "/node" "/cp.js" "/f.json"\n');
    expect(readFileSync(p.credentials, 'utf8')).toBe(OTHER);
  });
});

describe('the post step removes what this step wrote, and nothing else', () => {
  test('both sections removed, other content kept byte for byte, files this step created removed', () => {
    writeFileSync(join(dir, 'c'), OTHER);
    const p = { credentials: join(dir, 'c'), config: join(dir, 'f') };
    const toolkit = new FakeToolkit();
    saveProfileRecord(toolkit, 'ci', writeProfile(p, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, false));
    // the state holds no secret
    expect(toolkit.state['profile']).not.toContain('secret/key+1');
    expect(toolkit.state['profile']).not.toContain('ASIAEXAMPLE');
    removeRecordedProfile(toolkit);
    expect(readFileSync(p.credentials, 'utf8')).toBe(OTHER);
    expect(existsSync(p.config)).toBe(false);
    expect(toolkit.infos.join('\n')).toContain('Removed the aws-profile "ci" entries');
  });

  test('a section changed since (another step rewrote it) is left in place', () => {
    const toolkit = new FakeToolkit();
    saveProfileRecord(toolkit, 'ci', writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, false));
    writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: { ...CREDS, accessKeyId: 'ASIALATER' } }, true);
    removeRecordedProfile(toolkit);
    expect(readFileSync(paths.credentials, 'utf8')).toContain('ASIALATER');
    expect(toolkit.infos.join('\n')).toContain('Left [ci] in');
  });

  test('the config file cannot be written after the credentials file was: the error names the input and the fix, and the post step still removes the keys', () => {
    const toolkit = new FakeToolkit();
    const env = { AWS_SHARED_CREDENTIALS_FILE: paths.credentials, AWS_CONFIG_FILE: paths.config };
    const write = openProfile(toolkit, env, 'ci', false);
    // The config file's side file cannot be made (a folder holds its name): the rename never happens.
    mkdirSync(join(`${paths.config}.${process.pid}.tmp`, 'in-the-way'), { recursive: true });
    let error: unknown;
    try {
      write('us-east-1', { kind: 'static', credentials: CREDS });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProfileFileError);
    const message = (error as Error).message;
    expect(message).toBe(
      `'aws-profile': could not write ${paths.config} for the profile "ci" (ERR_FS_EISDIR). Fix: make it a file the runner user can write, in a folder it can write, or point AWS_CONFIG_FILE at one.`,
    );
    expect(message).not.toContain('secret/key+1');
    expect(readFileSync(paths.credentials, 'utf8')).toContain('secret/key+1');
    // Recorded after the first file: the post step finds the keys and removes them.
    removeRecordedProfile(toolkit);
    expect(existsSync(paths.credentials)).toBe(false);
    expect(toolkit.infos.join('\n')).toContain(`Removed the aws-profile "ci" entries this step wrote: [ci] in ${paths.credentials}`);
  });

  test('a file that cannot be read (a folder in its place): refused before any network call, naming the input, the file and the variable', () => {
    mkdirSync(join(paths.credentials, 'in-the-way'), { recursive: true });
    expect(() => openProfile(new FakeToolkit(), { AWS_SHARED_CREDENTIALS_FILE: paths.credentials, AWS_CONFIG_FILE: paths.config }, 'ci', false)).toThrow(
      `'aws-profile': could not read ${paths.credentials} for the profile "ci" (EISDIR). Fix: make it a file the runner user can read, or point AWS_SHARED_CREDENTIALS_FILE at one.`,
    );
    expect(() => writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, true)).toThrow(ProfileFileError);
    expect(readdirSync(join(dir, 'aws')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a symbolic link planted at the side file\'s name is not written through', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched\n', { mode: 0o644 });
    mkdirSync(join(dir, 'aws'), { recursive: true });
    symlinkSync(victim, `${paths.credentials}.${process.pid}.tmp`);
    writeProfile(paths, 'ci', 'us-east-1', { kind: 'static', credentials: CREDS }, false);
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(readFileSync(paths.credentials, 'utf8')).toContain('secret/key+1');
    expect(statSync(paths.credentials).mode & 0o777).toBe(0o600);
  });

  test('no record: nothing touched', () => {
    writeFileSync(join(dir, 'c'), OTHER);
    removeRecordedProfile(new FakeToolkit());
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe(OTHER);
  });
});
