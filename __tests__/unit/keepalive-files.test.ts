import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileEventLog, readEventLog } from '../../src/keepalive/events.js';
import { keepAlivePaths, readJson, writePrivateFile } from '../../src/keepalive/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ka-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('event log', () => {
  test('writes JSON lines with the clock time and reads them back', () => {
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
    expect(statSync(path).mode & 0o777).toBe(0o600);
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
});

describe('keep-alive files', () => {
  test('paths live under RUNNER_TEMP/aws-session-guard', () => {
    const p = keepAlivePaths({ RUNNER_TEMP: '/runner/_temp' });
    expect(p).toEqual({
      dir: '/runner/_temp/aws-session-guard',
      record: '/runner/_temp/aws-session-guard/server.json',
      config: '/runner/_temp/aws-session-guard/server-config.json',
      ready: '/runner/_temp/aws-session-guard/server-ready.json',
      log: '/runner/_temp/aws-session-guard/server-log.jsonl',
    });
    expect(keepAlivePaths({}).dir).toBe(join(tmpdir(), 'aws-session-guard'));
  });

  test('writePrivateFile: folder 0700, file 0600, replaces an existing file', () => {
    const sub = join(dir, 'aws-session-guard');
    const path = join(sub, 'server.json');
    writePrivateFile(path, '{"a":1}', sub);
    expect(statSync(sub).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writePrivateFile(path, '{"a":2}', sub);
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}');
  });

  test('writePrivateFile tightens a pre-existing world-readable file by replacing it', () => {
    const path = join(dir, 'record.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    writePrivateFile(path, 'new', dir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test('readJson: parsed, or undefined when missing or broken', () => {
    const path = join(dir, 'x.json');
    expect(readJson(path)).toBeUndefined();
    writeFileSync(path, '{"pid":7}');
    expect(readJson<{ pid: number }>(path)).toEqual({ pid: 7 });
    writeFileSync(path, '{"pid":');
    expect(readJson(path)).toBeUndefined();
  });
});
