/**
 * An exclusive lock on a file that other processes edit too (the shared
 * ~/.aws files, when several runners of one user share HOME): a lock file
 * beside it, `<file>.lock`, that names its holder (host, pid, process start
 * time). It is made whole or not at all: written aside (O_EXCL, 0600), then
 * hard-linked to its name, which fails when a lock is there already.
 *
 * A lock whose holder is gone (killed while it held it: its pid is dead, or
 * now another process with another start time) is stale and is broken. A
 * live holder is waited for, up to a bound; then the error names the lock
 * file and the fix. Locks from another host (HOME on a network share) are
 * never judged stale here: they are waited for.
 */
import { closeSync, constants, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface LockHolder {
  readonly host: string;
  readonly pid: number;
  /** The process's start time as the OS reports it; undefined where it cannot be read. */
  readonly start?: string;
}

export interface LockDeps {
  /** This process, as it writes itself into the lock. */
  readonly self: LockHolder;
  /** Whether the holder named in a lock of this host still runs (same pid, same start time). */
  readonly holderAlive: (holder: LockHolder) => boolean;
  /** A monotonic clock, in ms. */
  readonly now: () => number;
  /** Blocks for `ms` (the callers are synchronous). */
  readonly sleep: (ms: number) => void;
  /** How long to wait for a live holder. */
  readonly waitMs?: number;
}

export class FileLockError extends Error {
  constructor(file: string, lock: string, holder: string, waitedMs: number) {
    super(
      `${file} stayed locked by ${holder} for ${Math.round(waitedMs / 1000)} s (lock file ${lock}). ` +
        `Fix: if no other job of this user is editing ${file}, remove ${lock}.`,
    );
    this.name = 'FileLockError';
  }
}

const POLL_MS = 10;
const DEFAULT_WAIT_MS = 15_000;

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.host !== 'string' || typeof v.pid !== 'number') return undefined;
    return { host: v.host, pid: v.pid, ...(typeof v.start === 'string' && { start: v.start }) };
  } catch {
    return undefined;
  }
}

function readLock(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

let sequence = 0;

/** Makes `lock` holding `content`, whole, or says it exists already. */
function tryCreate(lock: string, content: string): boolean {
  const aside = `${lock}.${process.pid}.${(sequence++).toString(36)}.new`;
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    linkSync(aside, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Removes a stale lock, unless it changed since it was read: it is renamed
 * away first (only one breaker wins the rename), and put back if what was
 * renamed is not the stale lock after all.
 */
function breakStale(lock: string, staleText: string): void {
  const aside = `${lock}.${process.pid}.${(sequence++).toString(36)}.stale`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, lock);
  } catch {
    // A new lock took the name meanwhile: that one stands.
  } finally {
    rmSync(aside, { force: true });
  }
}

const describeHolder = (h: LockHolder | undefined): string => (h ? `process ${h.pid} on ${h.host}` : 'an unreadable lock');

/** Runs `fn` holding the lock on `file`; the lock is released whatever `fn` does. */
export function withFileLock<T>(file: string, deps: LockDeps, fn: () => T): T {
  const lock = `${file}.lock`;
  const mine = JSON.stringify(deps.self);
  const began = deps.now();
  const waitMs = deps.waitMs ?? DEFAULT_WAIT_MS;
  for (;;) {
    if (tryCreate(lock, mine)) break;
    const text = readLock(lock);
    if (text === undefined) continue; // released meanwhile
    const holder = parseHolder(text);
    // A lock file is written whole before it gets its name: one that cannot be read as a holder was not made by this code.
    const stale = holder !== undefined && holder.host === deps.self.host && !deps.holderAlive(holder);
    if (stale) {
      breakStale(lock, text);
      continue;
    }
    const waited = deps.now() - began;
    if (waited >= waitMs) throw new FileLockError(file, lock, describeHolder(holder), waited);
    deps.sleep(POLL_MS);
  }
  try {
    return fn();
  } finally {
    if (readLock(lock) === mine) rmSync(lock, { force: true });
  }
}
