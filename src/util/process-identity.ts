/**
 * Telling one process from any other: a pid alone can be reused by the OS
 * once the process is gone; its start time cannot. Used for the credential
 * server (keepalive/process-control.ts) and for the holders of file locks
 * (util/file-lock.ts, export/profile-lock.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type ProcessState = 'running' | 'gone' | 'other' | 'unverifiable';

export interface ProcessControl {
  /** The process's start time as the OS reports it; undefined where it cannot be read. */
  startOf(pid: number): string | undefined;
  /** Whether the pid is a live process (a zombie is not). */
  alive(pid: number): boolean;
  signal(pid: number, signal: NodeJS.Signals): void;
  /** Whether the process is stopped by a signal (SIGSTOP, SIGTSTP: state T), where the OS says so. */
  paused?(pid: number): boolean;
}

/** /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export const realProcessControl: ProcessControl = {
  startOf(pid) {
    if (process.platform === 'linux') return procStat(pid)?.[19]; // field 22, starttime in clock ticks since boot
    if (process.platform === 'win32') return undefined;
    const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
    const out = ps.status === 0 ? ps.stdout.trim() : '';
    return out || undefined;
  },
  alive(pid) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    // An exited child waits as a zombie until it is reaped, and signal 0 still succeeds on it.
    if (process.platform !== 'linux') return true;
    const state = procStat(pid)?.[0];
    return state !== undefined && state !== 'Z';
  },
  signal(pid, signal) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  },
  paused(pid) {
    // /proc/PID/stat state: T stopped by a signal, t stopped by a tracer.
    const state = process.platform === 'linux' ? procStat(pid)?.[0] : undefined;
    return state === 'T' || state === 't';
  },
};

/** A process known by its pid and, where the OS tells it, its start time. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly start?: string | undefined;
}

export function processState(identity: ProcessIdentity, control: ProcessControl): ProcessState {
  if (!control.alive(identity.pid)) return 'gone';
  if (identity.start === undefined) return 'unverifiable';
  const start = control.startOf(identity.pid);
  if (start === undefined) return control.alive(identity.pid) ? 'unverifiable' : 'gone';
  return start === identity.start ? 'running' : 'other';
}

