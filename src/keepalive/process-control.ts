/**
 * Telling the credential server's process from any other, and stopping it.
 * A pid alone can be reused by the OS once the server is gone; its start
 * time (and the nonce it answers /status with) cannot. Nothing here ever
 * signals a process that is not verifiably the server.
 */
import { processState, realProcessControl, type ProcessControl, type ProcessState } from '../util/process-identity.js';
import { sleep } from '../util/sleep.js';
import type { ServerIdentity } from './files.js';

export { processState, realProcessControl, type ProcessControl, type ProcessState } from '../util/process-identity.js';

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
  // A paused process answers nothing: it is sent SIGTERM, then resumed to act on it.
  const paused = initial === 'running' && deps.control.paused?.(identity.pid) === true;
  const asked = deps.askToStop && !paused ? await deps.askToStop() : false;
  if (!asked && processState(identity, deps.control) === 'running') {
    deps.control.signal(identity.pid, 'SIGTERM');
    if (paused) deps.control.signal(identity.pid, 'SIGCONT');
  }
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
