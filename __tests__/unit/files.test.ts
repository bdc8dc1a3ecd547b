/** Keep-alive's private folder and files, on the real file system. */
import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileEventLog, lastEventText, readEventLog } from '../../src/keepalive/events.js';
import {
  appendPrivateLine,
  checkPrivateFolder,
  existingPrivateFolder,
  identityOf,
  keepAliveDir,
  openPrivateFolder,
  pathsIn,
  readJson,
  UnsafeFolderError,
  writePrivateFile,
} from '../../src/keepalive/files.js';

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;
const modeOf = (path: string) => statSync(path).mode & 0o777;

let dir: string;
const made: string[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('event log', () => {
  test('writes JSON lines with the clock time, 0600, and reads them back', () => {
    const path = join(dir, 'log.jsonl');
    let t = 1000;
    const log = fileEventLog(path, () => t);
    log.write({ type: 'started', pid: 5, endpoint: 'http://127.0.0.1:1/credentials' });
    t = 2000;
    log.write({ type: 'stopped', reason: 'post', served: 3, refused: 0 });
    expect(readEventLog(path)).toEqual([
      { t: 1000, type: 'started', pid: 5, endpoint: 'http://127.0.0.1:1/credentials' },
      { t: 2000, type: 'stopped', reason: 'post', served: 3, refused: 0 },
    ]);
    expect(modeOf(path)).toBe(0o600);
  });

  test('a line cut short by a kill and blank lines are skipped', () => {
    const path = join(dir, 'log.jsonl');
    fileEventLog(path, () => 1).write({ type: 'unavailable', reason: 'r' });
    appendFileSync(path, '\n{"t":2,"type":"refre');
    expect(readEventLog(path)).toEqual([{ t: 1, type: 'unavailable', reason: 'r' }]);
  });

  test('a missing log reads as empty; an unwritable one never throws', () => {
    expect(readEventLog(join(dir, 'none.jsonl'))).toEqual([]);
    expect(() => fileEventLog(join(dir, 'no', 'such', 'dir.jsonl')).write({ type: 'unavailable', reason: 'r' })).not.toThrow();
  });

  test('a crash is told with its reason', () => {
    const path = join(dir, 'log.jsonl');
    fileEventLog(path, () => Date.parse('2026-05-01T10:00:00Z')).write({ type: 'crashed', reason: 'uncaughtException: TypeError: x is not a function' });
    expect(lastEventText({ log: path })).toBe('it crashed at 2026-05-01T10:00:00.000Z (uncaughtException: TypeError: x is not a function)');
  });

  test('a log planted as a symbolic link is never written through (the line is lost, the target untouched)', () => {
    const target = join(dir, 'elsewhere.txt');
    writeFileSync(target, 'precious\n');
    const path = join(dir, 'log.jsonl');
    symlinkSync(target, path);
    expect(() => fileEventLog(path).write({ type: 'unavailable', reason: 'r' })).not.toThrow();
    expect(readFileSync(target, 'utf8')).toBe('precious\n');
  });
});

describe('where the folder is', () => {
  test('an exported AWS_SESSION_GUARD_DIR first, then RUNNER_TEMP/aws-session-guard, else none', () => {
    expect(keepAliveDir({ AWS_SESSION_GUARD_DIR: '/x/exported', RUNNER_TEMP: '/runner/_temp' })).toBe('/x/exported');
    expect(keepAliveDir({ RUNNER_TEMP: '/runner/_temp' })).toBe('/runner/_temp/aws-session-guard');
    expect(keepAliveDir({ AWS_SESSION_GUARD_DIR: '', RUNNER_TEMP: '' })).toBeUndefined();
    expect(keepAliveDir({})).toBeUndefined();
  });

  test('the record and the log in it', () => {
    expect(pathsIn('/runner/_temp/aws-session-guard')).toEqual({
      dir: '/runner/_temp/aws-session-guard',
      record: '/runner/_temp/aws-session-guard/server.json',
      log: '/runner/_temp/aws-session-guard/server-log.jsonl',
    });
  });
});

describe('checkPrivateFolder', () => {
  test('a private folder of this user passes', () => {
    const d = join(dir, 'ok');
    mkdirSync(d, { mode: 0o700 });
    expect(() => checkPrivateFolder(d)).not.toThrow();
    expect(modeOf(d)).toBe(0o700);
  });

  test('a folder others can read or write is tightened to 0700', () => {
    const d = join(dir, 'open');
    mkdirSync(d);
    chmodSync(d, 0o777);
    checkPrivateFolder(d);
    expect(modeOf(d)).toBe(0o700);
  });

  test('a symbolic link (even to a private folder of ours) is refused, and its target left alone', () => {
    const real = join(dir, 'real');
    mkdirSync(real);
    chmodSync(real, 0o755);
    const link = join(dir, 'link');
    symlinkSync(real, link);
    expect(() => checkPrivateFolder(link)).toThrow(UnsafeFolderError);
    expect(() => checkPrivateFolder(link)).toThrow(`The folder ${link} is a symbolic link.`);
    expect(modeOf(real)).toBe(0o755);
  });

  test('a file instead of a folder is refused', () => {
    const f = join(dir, 'file');
    writeFileSync(f, '');
    expect(() => checkPrivateFolder(f)).toThrow(`The folder ${f} is not a folder.`);
  });

  test('a folder owned by another user is refused, and not tightened', () => {
    if (!isRoot) {
      console.warn('skipped: creating a folder owned by another user needs root (chown)');
      return;
    }
    const d = join(dir, 'theirs');
    mkdirSync(d);
    chmodSync(d, 0o777);
    chownSync(d, NOBODY, NOBODY);
    expect(() => checkPrivateFolder(d)).toThrow(UnsafeFolderError);
    expect(() => checkPrivateFolder(d)).toThrow(`belongs to uid ${NOBODY}, not to the runner user (uid 0)`);
    expect(modeOf(d)).toBe(0o777);
  });

  test('a missing folder throws (it is not there to check)', () => {
    expect(() => checkPrivateFolder(join(dir, 'none'))).toThrow(/ENOENT/);
  });

  test('the error says how to fix it', () => {
    expect(new UnsafeFolderError('/d', 'is odd').message).toMatch(/^The folder \/d is odd\. .*Fix: remove it/s);
    expect(new UnsafeFolderError('/d', 'is odd').name).toBe('UnsafeFolderError');
  });
});

describe('openPrivateFolder', () => {
  test('RUNNER_TEMP: creates RUNNER_TEMP/aws-session-guard 0700, nothing to export', () => {
    const { paths, mustExport } = openPrivateFolder({ RUNNER_TEMP: dir });
    expect(paths).toEqual(pathsIn(join(dir, 'aws-session-guard')));
    expect(mustExport).toBe(false);
    expect(lstatSync(paths.dir).isDirectory()).toBe(true);
    expect(modeOf(paths.dir)).toBe(0o700);
  });

  test('an existing private folder is reused as it is, its files kept', () => {
    const first = openPrivateFolder({ RUNNER_TEMP: dir }).paths;
    writeFileSync(first.record, '{}');
    const again = openPrivateFolder({ RUNNER_TEMP: dir }).paths;
    expect(again).toEqual(first);
    expect(existsSync(first.record)).toBe(true);
  });

  test('an existing folder open to others is tightened', () => {
    const d = join(dir, 'aws-session-guard');
    mkdirSync(d);
    chmodSync(d, 0o777);
    openPrivateFolder({ RUNNER_TEMP: dir });
    expect(modeOf(d)).toBe(0o700);
  });

  test('a symbolic link planted at the folder path is refused', () => {
    const real = join(dir, 'attacker');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'aws-session-guard'));
    expect(() => openPrivateFolder({ RUNNER_TEMP: dir })).toThrow(UnsafeFolderError);
  });

  test('a file planted at the folder path is refused', () => {
    writeFileSync(join(dir, 'aws-session-guard'), '');
    expect(() => openPrivateFolder({ RUNNER_TEMP: dir })).toThrow(/is not a folder/);
  });

  test('a folder of another user at the path is refused', () => {
    if (!isRoot) {
      console.warn('skipped: creating a folder owned by another user needs root (chown)');
      return;
    }
    const d = join(dir, 'aws-session-guard');
    mkdirSync(d, { mode: 0o700 });
    chownSync(d, NOBODY, NOBODY);
    expect(() => openPrivateFolder({ RUNNER_TEMP: dir })).toThrow(/belongs to uid 65534/);
  });

  test('a RUNNER_TEMP that does not exist: the error is passed on', () => {
    expect(() => openPrivateFolder({ RUNNER_TEMP: join(dir, 'missing') })).toThrow(/ENOENT/);
  });

  test('no RUNNER_TEMP: a fresh private temporary folder each time, never a fixed path, to be exported', () => {
    const a = openPrivateFolder({});
    const b = openPrivateFolder({});
    made.push(a.paths.dir, b.paths.dir);
    expect(a.mustExport).toBe(true);
    expect(a.paths.dir).not.toBe(b.paths.dir);
    expect(a.paths.dir).not.toBe(join(tmpdir(), 'aws-session-guard'));
    expect(dirname(a.paths.dir)).toBe(tmpdir());
    expect(a.paths.dir).toMatch(/aws-session-guard-[^/]+$/);
    expect(modeOf(a.paths.dir)).toBe(0o700);
    // A later step finds it through the exported variable.
    expect(openPrivateFolder({ AWS_SESSION_GUARD_DIR: a.paths.dir })).toEqual({ paths: a.paths, mustExport: false });
  });
});

describe('existingPrivateFolder', () => {
  test('the paths when the folder is there and private', () => {
    const { paths } = openPrivateFolder({ RUNNER_TEMP: dir });
    expect(existingPrivateFolder({ RUNNER_TEMP: dir })).toEqual(paths);
  });

  test('undefined when there is no folder, no location, a symlink, or a folder not ours; nothing created', () => {
    expect(existingPrivateFolder({})).toBeUndefined();
    expect(existingPrivateFolder({ RUNNER_TEMP: dir })).toBeUndefined();
    expect(existsSync(join(dir, 'aws-session-guard'))).toBe(false);
    const real = join(dir, 'real');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'aws-session-guard'));
    expect(existingPrivateFolder({ RUNNER_TEMP: dir })).toBeUndefined();
    if (isRoot) {
      const theirs = join(dir, 'theirs');
      mkdirSync(theirs, { mode: 0o700 });
      chownSync(theirs, NOBODY, NOBODY);
      expect(existingPrivateFolder({ AWS_SESSION_GUARD_DIR: theirs })).toBeUndefined();
    }
  });
});

describe('writePrivateFile', () => {
  test('a 0600 file, replaced whole on each write, no temporary file left', () => {
    const path = join(dir, 'server.json');
    writePrivateFile(path, '{"a":1}');
    expect(modeOf(path)).toBe(0o600);
    writePrivateFile(path, '{"a":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
    expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
  });

  test('tightens a pre-existing world-readable file by replacing it', () => {
    const path = join(dir, 'record.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    writePrivateFile(path, 'new');
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  test('a symbolic link planted at the target: the link itself is replaced by the file, its target untouched', () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'precious', { mode: 0o644 });
    const path = join(dir, 'server.json');
    symlinkSync(target, path);
    writePrivateFile(path, 'record');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('record');
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(modeOf(target)).toBe(0o644);
  });

  test('a symbolic link planted at the temporary name: removed, never written through', () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'precious');
    const path = join(dir, 'server.json');
    const aside = `${path}.${process.pid}.tmp`;
    symlinkSync(target, aside);
    writePrivateFile(path, 'record');
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(readFileSync(path, 'utf8')).toBe('record');
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(existsSync(aside)).toBe(false);
  });

  test('a dangling symbolic link at the temporary name does not create its target', () => {
    const target = join(dir, 'would-be-created');
    const path = join(dir, 'server.json');
    symlinkSync(target, `${path}.${process.pid}.tmp`);
    writePrivateFile(path, 'record');
    expect(existsSync(target)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('record');
  });

  test('a folder planted at the temporary name: refused, nothing written', () => {
    const path = join(dir, 'server.json');
    mkdirSync(`${path}.${process.pid}.tmp`);
    expect(() => writePrivateFile(path, 'record')).toThrow();
    expect(existsSync(path)).toBe(false);
  });
});

describe('appendPrivateLine', () => {
  test('creates a 0600 file and appends', () => {
    const path = join(dir, 'log');
    appendPrivateLine(path, 'a\n');
    appendPrivateLine(path, 'b\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(modeOf(path)).toBe(0o600);
  });

  test('refuses a symbolic link (ELOOP), and leaves its target alone', () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'precious');
    const path = join(dir, 'log');
    symlinkSync(target, path);
    expect(() => appendPrivateLine(path, 'x\n')).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(readlinkSync(path)).toBe(target);
  });

  test('refuses a dangling symbolic link: its target is not created', () => {
    const target = join(dir, 'would-be-created');
    const path = join(dir, 'log');
    symlinkSync(target, path);
    expect(() => appendPrivateLine(path, 'x\n')).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(existsSync(target)).toBe(false);
  });
});

describe('readJson and identityOf', () => {
  test('readJson: parsed, or undefined when missing or broken', () => {
    const path = join(dir, 'x.json');
    expect(readJson(path)).toBeUndefined();
    writeFileSync(path, '{"pid":7}');
    expect(readJson<{ pid: number }>(path)).toEqual({ pid: 7 });
    writeFileSync(path, '{"pid":');
    expect(readJson(path)).toBeUndefined();
  });

  test('identityOf keeps the identity only: no control token, no endpoint', () => {
    const record = { pid: 5, start: '123', nonce: 'n', dir: '/d', controlToken: 'secret', endpoint: 'http://x', startedAt: 1, roleArn: 'r', identity: 'i' };
    expect(identityOf(record)).toEqual({ pid: 5, start: '123', nonce: 'n', dir: '/d' });
    const { start: _start, ...noStart } = record;
    expect(identityOf(noStart)).toEqual({ pid: 5, nonce: 'n', dir: '/d' });
  });
});
