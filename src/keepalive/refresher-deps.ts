/** What the Refresher (refresher.ts) serves and what it is given: its collaborators, passed in. */
import { MintError, type LongestSession } from '../sts/minter.js';
import { redactTokens } from '../util/redact.js';
import type { EventLog } from './events.js';
import type { SessionEnd } from './session-clock.js';

export interface ServedCredentials extends SessionEnd {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly token: string;
  readonly accountId: string;
  readonly assumedRoleArn: string;
  readonly lifetimeSeconds: number;
}

export type Availability =
  /** `expiration`: the `Expiration` to serve now (ms; session-clock.ts servedExpiration). */
  | { readonly ok: true; readonly credentials: ServedCredentials; readonly expiration: number }
  | { readonly ok: false; readonly reason: string };

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface RefresherDeps {
  /**
   * Mints a session of at most `durationSeconds` (the minter's mintLongest).
   * Must end soon after `signal` aborts (stop() aborts it); the refresher
   * stops waiting for it at once either way.
   */
  readonly mint: (durationSeconds: number, signal: AbortSignal) => Promise<LongestSession>;
  /** What to ask for (keepAliveSessionSeconds: 1 h unless longer pays; 1 h at most when chaining). */
  readonly sessionSeconds: number;
  /** The wall clock (ms). */
  readonly clock: () => number;
  /** The monotonic clock (ms; performance.now): every due time is on it. */
  readonly monotonic: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly log: EventLog;
  /** Local ms when the OIDC request token expires: no new sessions after it. */
  readonly sourceEndsAt?: number | undefined;
  /** Called once nothing more can be served: the source can mint no more (sourceEndsAt has passed) and the last session is over. */
  readonly onExhausted?: () => void;
  /** Requests served so far, for the log. */
  readonly served?: () => number;
  /** Longest wait (ms) between two looks at the wall clock; default refreshTickMs(session lifetime). */
  readonly tickMs?: number | undefined;
}

/** A refresh error for the log and /status: its code, its first line (no secrets), and whether it is for good. */
export function describeFailure(error: unknown): { code: string; message: string; text: string; permanent: boolean } {
  const code = (error as { failure?: { code?: string } }).failure?.code ?? (error as Error).name ?? 'Error';
  const message = redactTokens((error as Error).message?.split('\n')[0] ?? String(error));
  return {
    code,
    message,
    // A MintError's message already starts with its code.
    text: message.startsWith(`${code}:`) ? message : `${code}: ${message}`,
    // STS said no for good (or the role's maximum could not be found): slow down to the ceiling rather than hammer STS.
    permanent: error instanceof MintError && error.failure.kind !== 'transient',
  };
}
