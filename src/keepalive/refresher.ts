/**
 * Keeps one set of credentials fresh: mints sessions of the length it is
 * given (lifetime/policy.ts keepAliveSessionSeconds; no longer than the role
 * allows, which is searched when STS refuses), re-mints them ahead of expiry, and on failure keeps the old set while
 * it is valid and retries with backoff (jittered and short for transient
 * errors, up to a ceiling of minutes for permanent ones). Never offers
 * expired credentials.
 *
 * Due times are on the wall clock (`deps.clock`): a bounded tick compares the
 * clock with them, and every request does too, so a refresh that came due
 * while the machine slept or the clock stepped starts at once. `stop()`
 * aborts the mint in flight. Time and timers come in, so tests drive it
 * without waiting.
 */
import { remainingAtIssue } from '../lifetime/policy.js';
import { minServableSeconds, refreshLeadSeconds, refreshRetryDelayMs, refreshTickMs } from '../lifetime/keep-alive-policy.js';
import { accountIdOf } from '../model/arn.js';
import { MintError, type LongestSession } from '../sts/minter.js';
import { AbortError, raceAbort } from '../util/abort.js';
import { redactTokens } from '../util/redact.js';
import type { EventLog } from './events.js';

export interface ServedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly token: string;
  /** Local clock (ms): STS's expiry moved onto this machine's clock. */
  readonly expiresAt: number;
  readonly accountId: string;
  readonly assumedRoleArn: string;
  readonly lifetimeSeconds: number;
}

export type Availability =
  | { readonly ok: true; readonly credentials: ServedCredentials }
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
  /** The wall clock (ms): every due time is on it. */
  readonly clock: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly log: EventLog;
  /** Local ms when the OIDC request token expires: no new sessions after it. */
  readonly requestTokenExpiresAt?: number | undefined;
  /** Called once nothing more can be served: the request token has expired and the last session is over. */
  readonly onExhausted?: () => void;
  /** Requests served so far, for the log. */
  readonly served?: () => number;
  /** Longest wait (ms) between two looks at the wall clock; default refreshTickMs(session lifetime). */
  readonly tickMs?: number | undefined;
}

type Due = { readonly at: number; readonly kind: 'refresh' | 'retry' | 'exhausted' };


export class Refresher {
  private current: ServedCredentials | undefined;
  private maxSeconds: number | undefined;
  private timer: unknown;
  /** What happens next, and when on the wall clock; undefined while a mint is in flight or after stop(). */
  private due: Due | undefined;
  private inFlight: Promise<void> | undefined;
  /** Aborts the mint in flight (one per mint). */
  private controller: AbortController | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private lastErrorPermanent = false;
  private stopped = false;
  refreshes = 0;
  stsCalls = 0;

  constructor(private readonly deps: RefresherDeps) {}

  get maxSessionSeconds(): number | undefined {
    return this.maxSeconds;
  }

  /** The last refresh error (code: message, no secrets), cleared by the next success. */
  get lastFailure(): string | undefined {
    return this.lastError;
  }

  /** Whether the last refresh error was permanent (retried only at the slow ceiling). */
  get failureIsPermanent(): boolean {
    return this.lastError !== undefined && this.lastErrorPermanent;
  }

  /** Local ms of the next mint attempt (refresh or retry), if one is planned. */
  get nextAttemptAt(): number | undefined {
    return this.due && this.due.kind !== 'exhausted' ? this.due.at : undefined;
  }

  get credentials(): ServedCredentials | undefined {
    return this.current;
  }

  /** First session; throws when it cannot be had (the main step reports it), an AbortError when stopped meanwhile. */
  async start(): Promise<ServedCredentials> {
    await this.mintOnce();
    const c = this.current;
    if (!c) throw new Error('no credentials after the first mint');
    return c;
  }

  private async mintOnce(): Promise<void> {
    if (this.stopped) throw new AbortError('The credential refresher was stopped.');
    const controller = new AbortController();
    this.controller = controller;
    const started = this.deps.clock();
    let result: LongestSession;
    try {
      result = await raceAbort(this.deps.mint(this.maxSeconds ?? this.deps.sessionSeconds, controller.signal), controller.signal);
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
    if (this.stopped) throw new AbortError('The credential refresher was stopped.');
    const { session, max } = result;
    if (max) {
      this.maxSeconds = max.seconds;
      this.deps.log.write({ type: 'max-session', maxSeconds: max.seconds, refusedSeconds: max.refusedSeconds });
    }
    const lifetimeSeconds = Math.max(
      1,
      remainingAtIssue(session.credentials.expiration, session.serverDate, session.receivedAt, session.durationSeconds),
    );
    this.current = {
      accessKeyId: session.credentials.accessKeyId,
      secretAccessKey: session.credentials.secretAccessKey,
      token: session.credentials.sessionToken,
      expiresAt: session.receivedAt + lifetimeSeconds * 1000,
      accountId: accountIdOf(session.assumedRoleArn) ?? '',
      assumedRoleArn: session.assumedRoleArn,
      lifetimeSeconds,
    };
    this.refreshes++;
    this.failures = 0;
    this.lastError = undefined;
    this.lastErrorPermanent = false;
    this.deps.log.write({
      type: 'refreshed',
      expiration: new Date(this.current.expiresAt).toISOString(),
      sessionSeconds: lifetimeSeconds,
      latencyMs: this.deps.clock() - started,
      stsCalls: this.stsCalls,
      served: this.deps.served?.() ?? 0,
    });
    this.schedule();
  }

  /** When the next refresh is due (local ms), given the current session. */
  nextRefreshAt(): number | undefined {
    const c = this.current;
    if (!c) return undefined;
    const due = c.expiresAt - refreshLeadSeconds(c.lifetimeSeconds) * 1000;
    const tokenEnd = this.deps.requestTokenExpiresAt;
    if (tokenEnd !== undefined && tokenEnd < due) {
      // Mint one last session just before the request token runs out: it covers the longest.
      const last = tokenEnd - Math.min(60_000, refreshLeadSeconds(c.lifetimeSeconds) * 1000);
      return last > this.deps.clock() ? last : undefined;
    }
    return due;
  }

  private tickMs(): number {
    return this.deps.tickMs ?? refreshTickMs(this.current?.lifetimeSeconds ?? this.deps.sessionSeconds);
  }

  /** Plans the next step: a refresh when due, a retry after `delayMs`, or the end once no session can be minted. */
  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    const now = this.deps.clock();
    let at: number | undefined = delayMs !== undefined ? now + delayMs : this.nextRefreshAt();
    const tokenEnd = this.deps.requestTokenExpiresAt;
    if (at !== undefined && tokenEnd !== undefined && at >= tokenEnd) at = undefined;
    // No more sessions can be minted: stop when the last one is over.
    this.due = at === undefined ? { at: this.current?.expiresAt ?? now, kind: 'exhausted' } : { at, kind: delayMs !== undefined ? 'retry' : 'refresh' };
    this.arm();
  }

  /** One timer, never longer than a tick: each firing looks at the wall clock again. */
  private arm(): void {
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    const due = this.due;
    if (this.stopped || !due) return;
    const wait = Math.max(0, due.at - this.deps.clock());
    this.timer = this.deps.timers.set(() => {
      this.timer = undefined;
      if (!this.fireIfDue(true)) this.arm();
    }, Math.min(wait, this.tickMs()));
  }

  /** Acts on the plan if the wall clock says it is time; true when it did. Only the timer ends the server. */
  private fireIfDue(fromTimer: boolean): boolean {
    const due = this.due;
    if (this.stopped || !due || this.inFlight) return false;
    const now = this.deps.clock();
    if (now < due.at) return false;
    const tokenEnd = this.deps.requestTokenExpiresAt;
    if (due.kind !== 'exhausted' && tokenEnd !== undefined && now >= tokenEnd) {
      // The clock passed the end of the request token before the planned mint: none can be had any more.
      this.due = { at: this.current?.expiresAt ?? now, kind: 'exhausted' };
      return this.fireIfDue(fromTimer);
    }
    if (due.kind === 'exhausted') {
      if (!fromTimer) return false;
      this.due = undefined;
      this.exhausted();
      return true;
    }
    void this.refresh();
    return true;
  }

  private exhausted(): void {
    if (this.stopped) return;
    this.deps.log.write({ type: 'unavailable', reason: 'the OIDC request token has expired and the last session is over' });
    this.deps.onExhausted?.();
  }

  /** Re-mints now (one at a time); on failure keeps the old session and schedules a retry. Settles soon after stop(). */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.stopped) return Promise.resolve();
    this.due = undefined;
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    this.inFlight = this.mintOnce()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private failed(error: unknown): void {
    // A stop is not a failure: nothing to log, nothing to retry.
    if (this.stopped) return;
    this.failures++;
    const code = (error as { failure?: { code?: string } }).failure?.code ?? (error as Error).name ?? 'Error';
    const message = redactTokens((error as Error).message?.split('\n')[0] ?? String(error));
    // A MintError's message already starts with its code.
    this.lastError = message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
    // STS said no for good (or the role's maximum could not be found): slow down to the ceiling rather than hammer STS.
    const permanent = error instanceof MintError && error.failure.kind !== 'transient';
    this.lastErrorPermanent = permanent;
    const lifetime = this.current?.lifetimeSeconds ?? 3600;
    const delay = refreshRetryDelayMs(lifetime, this.failures, permanent, this.deps.random);
    this.deps.log.write({
      type: 'refresh-failed',
      code,
      message,
      ...(permanent && { permanent: true }),
      nextTryMs: delay,
      served: this.deps.served?.() ?? 0,
    });
    this.schedule(delay);
  }

  /**
   * The credentials to serve now, or why there are none. A refresh that is
   * due by the wall clock starts here too, whatever the timer says: current
   * credentials are still served meanwhile while they have enough time left.
   */
  available(): Availability {
    const c = this.current;
    if (!c) return { ok: false, reason: 'The credential server has no credentials yet.' };
    this.fireIfDue(false);
    const remainingMs = c.expiresAt - this.deps.clock();
    if (remainingMs <= minServableSeconds(c.lifetimeSeconds) * 1000) {
      const last = this.lastError ? ` (last error${this.failureIsPermanent ? ', permanent' : ''}: ${this.lastError})` : '';
      return {
        ok: false,
        reason:
          (remainingMs <= 0 ? 'The current session has expired' : 'The current session is about to expire') +
          ' and no new one could be minted yet' +
          last +
          '.',
      };
    }
    return { ok: true, credentials: c };
  }

  /** Stops for good: no timer, no new mint, and the mint in flight is aborted (its refresh settles at once). */
  stop(): void {
    this.stopped = true;
    this.due = undefined;
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    this.controller?.abort();
  }
}
