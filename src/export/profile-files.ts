/**
 * aws-profile: credentials written to a named profile in the shared AWS files,
 * for tools that read only profiles, as configure-aws-credentials (CAC) writes
 * them (src/profileManager.ts): the credentials file (AWS_SHARED_CREDENTIALS_FILE,
 * else ~/.aws/credentials) gets `[name]` with the keys, the config file
 * (AWS_CONFIG_FILE, else ~/.aws/config) gets `[profile name]` (`[default]` for
 * default) with the region; the folder is created 0700, the files are 0600; an
 * existing profile is refused unless overwrite-aws-profile.
 *
 * Unlike CAC, the files are edited line by line: every other section, comment
 * and blank line stays exactly as it was, and the post step removes the
 * sections this step wrote (when they still hold what it wrote) and nothing else.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Env, State } from '../constants.js';
import type { Toolkit } from '../runner/toolkit.js';
import type { Credentials } from '../model/sts-types.js';
import { writePrivateFile } from '../util/private-file.js';

export interface ProfilePaths {
  readonly credentials: string;
  readonly config: string;
}

/** Where the SDKs and the AWS CLI read profiles (CAC src/profileManager.ts getProfileFilePaths). */
export function profilePaths(env: Readonly<Record<string, string | undefined>>): ProfilePaths {
  const home = env['HOME'] || homedir();
  return {
    credentials: env[Env.SharedCredentialsFile] || join(home, '.aws', 'credentials'),
    config: env[Env.ConfigFile] || join(home, '.aws', 'config'),
  };
}

/** One section this step wrote: which file, which header, and its exact text (compared before removing it). */
export interface WrittenSection {
  readonly file: string;
  readonly header: string;
  readonly text: string;
}

/** Saved for the post step (State.Profile). Holds no secret: section texts are hashed. */
export interface ProfileRecord {
  readonly profile: string;
  readonly sections: ReadonlyArray<{ readonly file: string; readonly header: string; readonly sha256: string }>;
}

const configHeader = (profile: string) => (profile === 'default' ? 'default' : `profile ${profile}`);

/** A section header line: `[name]`, spaces allowed around. Linear: one bounded class between fixed brackets. */
function headerOf(line: string): string | undefined {
  const t = line.trim();
  if (t.length < 2 || !t.startsWith('[') || !t.endsWith(']')) return undefined;
  return t.slice(1, -1).trim();
}

interface Block {
  readonly start: number;
  readonly end: number; // exclusive
}

function findBlock(lines: readonly string[], header: string): Block | undefined {
  const start = lines.findIndex((l) => headerOf(l) === header);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && headerOf(lines[end] ?? '') === undefined) end++;
  // Trailing blank lines belong to the gap before the next section, not to this one.
  while (end > start + 1 && (lines[end - 1] ?? '').trim() === '') end--;
  return { start, end };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** A profile file that cannot be read or written: names the input, the file, the error code and the fix. */
export class ProfileFileError extends Error {
  constructor(profile: string, file: string, variable: string, doing: 'read' | 'write', cause: unknown) {
    const why = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    super(
      `'aws-profile': could not ${doing} ${file} for the profile "${profile}" (${why}). ` +
        `Fix: make it a file the runner user can ${doing}${doing === 'write' ? ', in a folder it can write' : ''}, or point ${variable} at one.`,
    );
    this.name = 'ProfileFileError';
  }
}

/** Writes beside, then renames: a reader never sees half a file. 0600 whatever the file had before. */
function writeFileText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writePrivateFile(path, text);
}

export function sectionText(header: string, entries: Readonly<Record<string, string>>): string {
  return [`[${header}]`, ...Object.entries(entries).map(([k, v]) => `${k} = ${v}`)].join('\n');
}

interface ProfileFile {
  readonly path: string;
  read(): string;
  write(text: string): void;
}

/** The two files as one profile's step reads and writes them: every failure is a ProfileFileError. */
function profileFiles(paths: ProfilePaths, profile: string): { readonly credentials: ProfileFile; readonly config: ProfileFile } {
  const fileOf = (path: string, variable: string): ProfileFile => ({
    path,
    read() {
      try {
        return readText(path);
      } catch (error) {
        throw new ProfileFileError(profile, path, variable, 'read', error);
      }
    },
    write(text) {
      try {
        writeFileText(path, text);
      } catch (error) {
        throw new ProfileFileError(profile, path, variable, 'write', error);
      }
    },
  });
  return { credentials: fileOf(paths.credentials, Env.SharedCredentialsFile), config: fileOf(paths.config, Env.ConfigFile) };
}

const hasSection = (file: ProfileFile, header: string): boolean => findBlock(file.read().split(/\r?\n/), header) !== undefined;

/** Replaces the section, or appends it; the rest of the file is kept as it is. */
export function upsertSection(text: string, header: string, section: string): string {
  const lines = text === '' ? [] : text.split(/\r?\n/);
  const block = findBlock(lines, header);
  if (block) {
    lines.splice(block.start, block.end - block.start, ...section.split('\n'));
  } else {
    while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
    if (lines.length > 0) lines.push('');
    lines.push(...section.split('\n'));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Removes the section if it still reads `expected` (a later step may have rewritten it); the rest stays. */
export function removeSection(text: string, header: string, matches: (sectionText: string) => boolean): { text: string; removed: boolean } {
  const lines = text.split(/\r?\n/);
  const block = findBlock(lines, header);
  if (!block || !matches(lines.slice(block.start, block.end).join('\n'))) return { text, removed: false };
  let end = block.end;
  while (end < lines.length && (lines[end] ?? '').trim() === '') end++;
  lines.splice(block.start, end - block.start);
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, removed: true };
}

export class ProfileExistsError extends Error {
  constructor(profile: string, file: string) {
    super(
      `'aws-profile': the profile "${profile}" already exists in ${file}. ` +
        'Set overwrite-aws-profile: true to replace it, or choose another profile name.',
    );
    this.name = 'ProfileExistsError';
  }
}

/** Refuses, before any network call, a profile that exists when overwriting is off. */
export function checkProfileWritable(paths: ProfilePaths, profile: string, overwrite: boolean): void {
  if (overwrite) return;
  const files = profileFiles(paths, profile);
  if (hasSection(files.credentials, profile)) throw new ProfileExistsError(profile, paths.credentials);
  if (hasSection(files.config, configHeader(profile))) throw new ProfileExistsError(profile, paths.config);
}

/** What a profile holds: static keys (credentials file), or a credential_process (config file). */
export type ProfileContent =
  | { readonly kind: 'static'; readonly credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> }
  | { readonly kind: 'process'; readonly command: string };

/**
 * Writes the profile and returns what was written, for the post step, telling
 * `onWritten` after each file, so that a failure on the second file still
 * leaves the first one's section to the post step. With a credential_process,
 * a `[name]` section in the credentials file would come first in some SDKs:
 * it is removed (when overwriting) rather than left stale.
 */
export function writeProfile(
  paths: ProfilePaths,
  profile: string,
  region: string | undefined,
  content: ProfileContent,
  overwrite: boolean,
  onWritten: (written: readonly WrittenSection[]) => void = () => undefined,
): WrittenSection[] {
  checkProfileWritable(paths, profile, overwrite);
  const files = profileFiles(paths, profile);
  const written: WrittenSection[] = [];
  const writeSection = (file: ProfileFile, text: string, header: string, section: string) => {
    file.write(text);
    written.push({ file: file.path, header, text: section });
    onWritten(written);
  };
  const configEntries: Record<string, string> = region !== undefined ? { region } : {};
  const credText = files.credentials.read();
  if (content.kind === 'static') {
    const c = content.credentials;
    // IAM user keys have no session token: no aws_session_token line (CAC: `if (credentials.SessionToken)`).
    const section = sectionText(profile, {
      aws_access_key_id: c.accessKeyId,
      aws_secret_access_key: c.secretAccessKey,
      ...(c.sessionToken !== '' && { aws_session_token: c.sessionToken }),
    });
    writeSection(files.credentials, upsertSection(credText, profile, section), profile, section);
  } else {
    configEntries['credential_process'] = content.command;
    if (findBlock(credText.split(/\r?\n/), profile)) {
      files.credentials.write(removeSection(credText, profile, () => true).text);
    }
  }
  const header = configHeader(profile);
  const section = sectionText(header, configEntries);
  writeSection(files.config, upsertSection(files.config.read(), header, section), header, section);
  return written;
}

/** Removes what writeProfile wrote, where it is unchanged; says which sections it removed. */
export function removeWritten(
  sections: ProfileRecord['sections'],
  sha256: (text: string) => string,
): { removed: string[]; kept: string[] } {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const s of sections) {
    const before = readText(s.file);
    if (before === '') continue;
    const out = removeSection(before, s.header, (text) => sha256(text) === s.sha256);
    if (!out.removed) {
      kept.push(`[${s.header}] in ${s.file}`);
      continue;
    }
    if (out.text === '') rmSync(s.file, { force: true });
    else writeFileText(s.file, out.text);
    removed.push(`[${s.header}] in ${s.file}`);
  }
  return { removed, kept };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Saves what was written for the post step: paths, headers and hashes, never the text (it may hold keys). */
export function saveProfileRecord(toolkit: Toolkit, profile: string, written: readonly WrittenSection[]): void {
  const record: ProfileRecord = { profile, sections: written.map((w) => ({ file: w.file, header: w.header, sha256: sha256(w.text) })) };
  toolkit.saveState(State.Profile, JSON.stringify(record));
}

/** Writes the step's profile (region, content), records it for the post step, and says so. */
export type ProfileWriter = (region: string | undefined, content: ProfileContent) => void;

/**
 * aws-profile for one step: an existing profile is refused now, before any
 * network call (unless overwriting); the writer returned does the rest once
 * the credentials are known.
 */
export function openProfile(toolkit: Toolkit, env: Readonly<Record<string, string | undefined>>, profile: string, overwrite: boolean): ProfileWriter {
  const paths = profilePaths(env);
  checkProfileWritable(paths, profile, overwrite);
  return (region, content) => {
    // Recorded after each file: a failure on the second leaves the first one's section to the post step.
    const written = writeProfile(paths, profile, region, content, overwrite, (sofar) => saveProfileRecord(toolkit, profile, sofar));
    const what =
      content.kind === 'static'
        ? 'the credentials'
        : 'a credential_process that asks the keep-alive server, so tools that read only profiles refresh with it,';
    toolkit.info(`Wrote ${what} to the AWS profile "${profile}" (${written.map((w) => w.file).join(', ')}); the post step removes it.`);
  };
}

export function parseProfileRecord(raw: string): ProfileRecord | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<ProfileRecord>;
    if (typeof v.profile !== 'string' || !Array.isArray(v.sections)) return undefined;
    const sections = v.sections.filter(
      (s): s is ProfileRecord['sections'][number] =>
        typeof s === 'object' && s !== null && typeof s.file === 'string' && typeof s.header === 'string' && typeof s.sha256 === 'string',
    );
    return { profile: v.profile, sections };
  } catch {
    return undefined;
  }
}

/** The post step's part: removes the profile entries this action instance wrote, if unchanged since. */
export function removeRecordedProfile(toolkit: Toolkit): void {
  const record = parseProfileRecord(toolkit.getState(State.Profile));
  if (!record) return;
  const { removed, kept } = removeWritten(record.sections, sha256);
  if (removed.length > 0) toolkit.info(`Removed the aws-profile "${record.profile}" entries this step wrote: ${removed.join(', ')}.`);
  if (kept.length > 0) toolkit.info(`Left ${kept.join(', ')} in place: changed since this step wrote it.`);
}
