/**
 * Telling the credential server's process from any other, and stopping it.
 * A pid alone can be reused by the OS once the server is gone; its start
 * time (and the nonce it answers /status with) cannot. Nothing here ever
 * signals a process that is not verifiably the server.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep } from '../util/sleep.js';
import type { ServerIdentity } from './files.js';

export type ProcessState = 'running' | 'gone' | 'other' | 'unverifiable';

export interface ProcessControl {
  /** The process's start time as the OS reports it; undefined where it cannot be read. */
  startOf(pid: number): string | undefined;
  /** Whether the pid is a live process (a zombie is not). */
  alive(pid: number): boolean;
  signal(pid: number, signal: NodeJS.Signals): void;
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
};

export function processState(identity: Pick<ServerIdentity, 'pid' | 'start'>, control: ProcessControl): ProcessState {
  if (!control.alive(identity.pid)) return 'gone';
  if (identity.start === undefined) return 'unverifiable';
  const start = control.startOf(identity.pid);
  if (start === undefined) return control.alive(identity.pid) ? 'unverifiable' : 'gone';
  return start === identity.start ? 'running' : 'other';
}

export type StopOutcome =
  /** It stopped within the grace period (asked over HTTP or with SIGTERM). */
  | 'stopped'
  /** It did not stop in time and was killed (SIGKILL). */
  | 'killed'
  /** It was not running any more. */
  | 'gone'
  /** The pid now belongs to another process: nothing was signalled. */
  | 'other'
  /** It still runs, and could not be verified as the server (no start time on this OS) or would not die. */
  | 'still-running';

export interface StopDeps {
  readonly control: ProcessControl;
  readonly sleep: (ms: number) => Promise<void>;
  /** Asks the server over HTTP to stop (a graceful stop, also where signals are not available); resolves whether it agreed. */
  readonly askToStop?: () => Promise<boolean>;
  /** How long to wait for a graceful stop before SIGKILL. */
  readonly graceMs?: number;
}

const POLL_MS = 50;

async function waitUntilNotRunning(identity: ServerIdentity, deps: StopDeps, ms: number): Promise<ProcessState> {
  let state = processState(identity, deps.control);
  for (let waited = 0; (state === 'running' || state === 'unverifiable') && waited < ms; waited += POLL_MS) {
    await deps.sleep(POLL_MS);
    state = processState(identity, deps.control);
  }
  return state;
}

/**
 * Stops the server: asks it over HTTP when it can, else SIGTERM; after the
 * grace period, SIGKILL. Each signal goes only to a process verified as the
 * server. Says 'stopped' or 'killed' only once the process is gone.
 */
export async function stopServer(identity: ServerIdentity, deps: StopDeps): Promise<StopOutcome> {
  const initial = processState(identity, deps.control);
  if (initial === 'gone' || initial === 'other') return initial;
  const asked = deps.askToStop ? await deps.askToStop() : false;
  if (!asked && processState(identity, deps.control) === 'running') deps.control.signal(identity.pid, 'SIGTERM');
  let state = await waitUntilNotRunning(identity, deps, deps.graceMs ?? 5000);
  if (state === 'gone' || state === 'other') return 'stopped';
  if (state === 'running') {
    deps.control.signal(identity.pid, 'SIGKILL');
    state = await waitUntilNotRunning(identity, deps, 2000);
    if (state === 'gone' || state === 'other') return 'killed';
  }
  return 'still-running';
}

/** What a step or the post step passes in to stop servers: each may replace the process control, the sleep and the grace. */
export interface StopperDeps {
  readonly control?: ProcessControl;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly stopGraceMs?: number;
}

/** One way to stop a server, with its HTTP stop when a client for it is known (real control and sleep by default). */
export function stopperOf(deps: StopperDeps): (server: ServerIdentity, client?: { stop(): Promise<boolean> }) => Promise<StopOutcome> {
  return (server, client) =>
    stopServer(server, {
      control: deps.control ?? realProcessControl,
      sleep: deps.sleep ?? sleep,
      ...(client && { askToStop: () => client.stop() }),
      ...(deps.stopGraceMs !== undefined && { graceMs: deps.stopGraceMs }),
    });
}
