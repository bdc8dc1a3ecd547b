/**
 * Keeps one set of credentials fresh: mints the longest session the role
 * allows, re-mints it ahead of expiry, and on failure keeps the old set while
 * it is valid and retries with jittered backoff. Never offers expired
 * credentials. Time and timers come in, so tests drive it without waiting.
 */
import { minServableSeconds, refreshLeadSeconds, remainingAtIssue } from '../lifetime/policy.js';
import { accountIdOf } from '../settings/arn.js';
import type { LongestSession } from '../sts/minter.js';
import { backoffDelay } from '../util/retry.js';
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
  /** Mints a session of at most `durationSeconds` (the minter's mintLongest). */
  readonly mint: (durationSeconds: number, signal: AbortSignal) => Promise<LongestSession>;
  /** What to ask for: the longest STS allows (12 h; 1 h when chaining). */
  readonly sessionSeconds: number;
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
}

export class Refresher {
  private current: ServedCredentials | undefined;
  private maxSeconds: number | undefined;
  private timer: unknown;
  private inFlight: Promise<void> | undefined;
  /** A retry after a failed refresh is scheduled: requests must not start more STS calls meanwhile. */
  private retryPending = false;
  private failures = 0;
  private lastError: string | undefined;
  private stopped = false;
  refreshes = 0;
  stsCalls = 0;

  constructor(private readonly deps: RefresherDeps) {}

  get maxSessionSeconds(): number | undefined {
    return this.maxSeconds;
  }

  get lastFailure(): string | undefined {
    return this.lastError;
  }

  get credentials(): ServedCredentials | undefined {
    return this.current;
  }

  /** First session; throws when it cannot be had (the main step reports it). */
  async start(): Promise<ServedCredentials> {
    await this.mintOnce();
    const c = this.current;
    if (!c) throw new Error('no credentials after the first mint');
    return c;
  }

  private async mintOnce(): Promise<void> {
    const started = this.deps.clock();
    const result = await this.deps.mint(this.maxSeconds ?? this.deps.sessionSeconds, new AbortController().signal);
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

  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    this.retryPending = delayMs !== undefined;
    const now = this.deps.clock();
    let at: number | undefined = delayMs !== undefined ? now + delayMs : this.nextRefreshAt();
    const tokenEnd = this.deps.requestTokenExpiresAt;
    if (at !== undefined && tokenEnd !== undefined && at >= tokenEnd) at = undefined;
    if (at === undefined) {
      // No more sessions can be minted: stop when the last one is over.
      const end = this.current?.expiresAt ?? now;
      this.timer = this.deps.timers.set(() => this.exhausted(), Math.max(0, end - now));
      return;
    }
    this.timer = this.deps.timers.set(() => {
      this.retryPending = false;
      void this.refresh();
    }, Math.max(0, at - now));
  }

  private exhausted(): void {
    if (this.stopped) return;
    this.deps.log.write({ type: 'unavailable', reason: 'the OIDC request token has expired and the last session is over' });
    this.deps.onExhausted?.();
  }

  /** Re-mints now (one at a time); on failure keeps the old session and schedules a retry. */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.mintOnce()
      .catch((error: unknown) => {
        this.failures++;
        const code = (error as { failure?: { code?: string } }).failure?.code ?? (error as Error).name ?? 'Error';
        const message = (error as Error).message?.split('\n')[0] ?? String(error);
        // A MintError's message already starts with its code.
        this.lastError = message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
        const lifetime = this.current?.lifetimeSeconds ?? 3600;
        const policy = { baseDelayMs: Math.min(1000, lifetime * 50), maxDelayMs: Math.min(30_000, lifetime * 250) };
        const delay = Math.max(50, backoffDelay(policy, this.failures, this.deps.random));
        this.deps.log.write({ type: 'refresh-failed', code, message, nextTryMs: delay, served: this.deps.served?.() ?? 0 });
        this.schedule(delay);
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** The credentials to serve now, or why there are none. */
  available(): Availability {
    const c = this.current;
    if (!c) return { ok: false, reason: 'The credential server has no credentials yet.' };
    const remainingMs = c.expiresAt - this.deps.clock();
    if (remainingMs <= minServableSeconds(c.lifetimeSeconds) * 1000) {
      // Start a refresh unless one is under way or a retry is already scheduled: the backoff decides, not the request rate.
      if (!this.stopped && !this.retryPending) void this.refresh();
      return {
        ok: false,
        reason:
          'The current session is about to expire and no new one could be minted yet' +
          (this.lastError ? ` (last error: ${this.lastError})` : '') +
          '.',
      };
    }
    return { ok: true, credentials: c };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
  }
}
