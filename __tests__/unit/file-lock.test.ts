/**
 * The lock on a shared file: one holder at a time, released whatever the
 * holder does, a lock left by a killed process broken, a live holder waited
 * for up to a bound and then named in the error with the fix.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { realLockDeps } from '../../src/export/profile-lock.js';
import { FileLockError, withFileLock, type LockDeps, type LockHolder } from '../../src/util/file-lock.js';
import { realProcessControl } from '../../src/keepalive/process-control.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), `file-lock-${process.pid}-`));
  file = join(dir, 'credentials');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A clock that moves only when the lock sleeps. */
function fakeDeps(alive: (h: LockHolder) => boolean, waitMs = 1000): LockDeps & { slept: number } {
  let t = 0;
  const deps = {
    self: { host: hostname(), pid: process.pid, start: 'me' },
    holderAlive: alive,
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      deps.slept += ms;
    },
    waitMs,
    slept: 0,
  };
  return deps;
}

const plant = (holder: LockHolder) => writeFileSync(`${file}.lock`, JSON.stringify(holder));

describe('withFileLock', () => {
  test('holds the lock file while fn runs, naming this process, and removes it after, also when fn throws', () => {
    const deps = fakeDeps(() => true);
    const seen = withFileLock(file, deps, () => JSON.parse(readFileSync(`${file}.lock`, 'utf8')) as LockHolder);
    expect(seen).toEqual(deps.self);
    expect(() =>
      withFileLock(file, deps, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a live holder is waited for, then named in an error that says which lock file to remove', () => {
    plant({ host: hostname(), pid: 4242, start: 'x' });
    const deps = fakeDeps(() => true, 500);
    let ran = false;
    let error: unknown;
    try {
      withFileLock(file, deps, () => (ran = true));
    } catch (e) {
      error = e;
    }
    expect(ran).toBe(false);
    expect(error).toBeInstanceOf(FileLockError);
    expect((error as Error).message).toContain(`stayed locked by process 4242 on ${hostname()}`);
    expect((error as Error).message).toContain(`remove ${file}.lock`);
    expect(deps.slept).toBeGreaterThanOrEqual(500);
    expect(existsSync(`${file}.lock`)).toBe(true); // not ours to break
  });

  test('a lock whose holder is gone is broken at once, and fn runs', () => {
    plant({ host: hostname(), pid: 4242, start: 'x' });
    const deps = fakeDeps((h) => h.pid !== 4242);
    expect(withFileLock(file, deps, () => 'ran')).toBe('ran');
    expect(deps.slept).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  test("another host's lock is never judged stale: it is waited for", () => {
    plant({ host: `not-${hostname()}`, pid: 4242 });
    const deps = fakeDeps(() => false, 100);
    expect(() => withFileLock(file, deps, () => 'ran')).toThrow(FileLockError);
  });

  test('a lock that is released while waiting is taken', () => {
    plant({ host: hostname(), pid: 4242, start: 'x' });
    const deps = fakeDeps(() => true);
    const releasing: LockDeps = {
      ...deps,
      sleep: (ms) => {
        deps.sleep(ms);
        if (deps.slept >= 50) rmSync(`${file}.lock`, { force: true });
      },
    };
    expect(withFileLock(file, releasing, () => 'ran')).toBe('ran');
    expect(deps.slept).toBe(50);
  });
});

describe('realLockDeps, with real processes', () => {
  test('a lock left by a process killed with SIGKILL is broken; one held by a live process is not', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const pid = child.pid!;
    const exited = new Promise((r) => child.once('exit', r));
    const holder = { host: hostname(), pid, start: realProcessControl.startOf(pid)! };
    plant(holder);
    const deps = { ...realLockDeps(), waitMs: 200 };
    try {
      expect(() => withFileLock(file, deps, () => 'ran')).toThrow(`stayed locked by process ${pid}`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(withFileLock(file, deps, () => 'ran')).toBe('ran');
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a pid reused by another process (another start time) does not hold the lock', () => {
    plant({ host: hostname(), pid: process.pid, start: 'not-my-start-time' });
    expect(withFileLock(file, { ...realLockDeps(), waitMs: 200 }, () => 'ran')).toBe('ran');
  });
});
