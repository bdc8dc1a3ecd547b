/**
 * Keeps one set of credentials fresh: mints sessions of the length it is
 * given (lifetime/policy.ts keepAliveSessionSeconds; no longer than the role
 * allows, which is searched when STS refuses), re-mints them ahead of expiry, and on failure keeps the old set while
 * it is valid and retries with backoff (jittered and short for transient
 * errors, up to a ceiling of minutes for permanent ones). Never offers
 * expired credentials.
 *
 * Due times are on the monotonic clock, and a session's end is what
 * session-clock.ts says (anchored to STS's answer, counted down on the
 * monotonic and the wall clock, the sooner wins): a bounded tick looks again,
 * and every request does too, so a refresh that came due while the machine
 * slept, the process was stopped or the wall clock stepped starts at once.
 * `stop()` aborts the mint in flight. Clocks and timers come in, so tests
 * drive it without waiting.
 */
import { remainingAtIssue } from '../lifetime/policy.js';
import { minServableSeconds, refreshLeadSeconds, refreshRetryDelayMs, refreshTickMs } from '../lifetime/keep-alive-policy.js';
import { accountIdOf } from '../model/arn.js';
import type { LongestSession } from '../sts/minter.js';
import { AbortError, raceAbort } from '../util/abort.js';
import { describeFailure, type Availability, type RefresherDeps, type ServedCredentials } from './refresher-deps.js';
import { endOnMono, monoReceivedAt, monoToWall, readClocks, remainingMs, servedExpiration, type Instant } from './session-clock.js';

export type { Availability, RefresherDeps, ServedCredentials, Timers } from './refresher-deps.js';
export { realTimers } from './refresher-deps.js';

/** `at` is on the monotonic clock; a refresh also comes due when the session's end moves closer, the end when it ends. */
type Due = { readonly at: number; readonly kind: 'refresh' | 'retry' | 'exhausted' };

export class Refresher {
  private current: ServedCredentials | undefined;
  private maxSeconds: number | undefined;
  private timer: unknown;
  /** What happens next; undefined while a mint is in flight or after stop(). */
  private due: Due | undefined;
  private inFlight: Promise<void> | undefined;
  /** Aborts the mint in flight (one per mint). */
  private controller: AbortController | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private lastErrorPermanent = false;
  private stopped = false;
  /** The end of the request token, on both clocks (it ends when the first says so, like a session). */
  private readonly tokenEnds: { readonly expiresAt: number; readonly monoExpiresAt: number } | undefined;
  refreshes = 0;
  stsCalls = 0;

  constructor(private readonly deps: RefresherDeps) {
    const end = deps.sourceEndsAt;
    const now = this.now();
    this.tokenEnds = end === undefined ? undefined : { expiresAt: end, monoExpiresAt: now.mono + (end - now.wall) };
  }

  /** Where the request token ends, on the monotonic clock, as seen `now`. */
  tokenEndAt(now: Instant): number | undefined {
    return this.tokenEnds && endOnMono(this.tokenEnds, now);
  }

  private now(): Instant {
    return readClocks({ wall: this.deps.clock, mono: this.deps.monotonic });
  }

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
    const now = this.now();
    return this.due && this.due.kind !== 'exhausted' ? monoToWall(this.dueAt(this.due, now), now) : undefined;
  }

  /** When `due` comes (monotonic ms), as seen `now`. */
  private dueAt(due: Due, now: Instant): number {
    const c = this.current;
    if (due.kind === 'retry' || !c) return due.at;
    if (due.kind === 'exhausted') return endOnMono(c, now);
    return Math.min(due.at, endOnMono(c, now) - refreshLeadSeconds(c.lifetimeSeconds) * 1000);
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
    const started = this.deps.monotonic();
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
    const now = this.now();
    this.current = {
      accessKeyId: session.credentials.accessKeyId,
      secretAccessKey: session.credentials.secretAccessKey,
      token: session.credentials.sessionToken,
      expiration: session.credentials.expiration.getTime(),
      expiresAt: session.receivedAt + lifetimeSeconds * 1000,
      monoExpiresAt: monoReceivedAt(session.receivedAt, started, now) + lifetimeSeconds * 1000,
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
      expiration: new Date(Math.min(this.current.expiration, this.current.expiresAt)).toISOString(),
      sessionSeconds: lifetimeSeconds,
      latencyMs: Math.round(now.mono - started),
      stsCalls: this.stsCalls,
      served: this.deps.served?.() ?? 0,
    });
    this.schedule();
  }

  /** When the next refresh is due (local ms), given the current session. */
  nextRefreshAt(): number | undefined {
    const now = this.now();
    const at = this.refreshDue(now);
    return at === undefined ? undefined : monoToWall(at, now);
  }

  /** When the next refresh is due (monotonic ms), given the current session; undefined: no more before the token ends. */
  private refreshDue(now: Instant): number | undefined {
    const c = this.current;
    if (!c) return undefined;
    const due = endOnMono(c, now) - refreshLeadSeconds(c.lifetimeSeconds) * 1000;
    const tokenEnd = this.tokenEndAt(now);
    if (tokenEnd !== undefined && tokenEnd < due) {
      // Mint one last session just before the request token runs out: it covers the longest.
      const last = tokenEnd - Math.min(60_000, refreshLeadSeconds(c.lifetimeSeconds) * 1000);
      return last > now.mono ? last : undefined;
    }
    return due;
  }

  private tickMs(): number {
    return this.deps.tickMs ?? refreshTickMs(this.current?.lifetimeSeconds ?? this.deps.sessionSeconds);
  }

  /** Plans the next step: a refresh when due, a retry after `delayMs`, or the end once no session can be minted. */
  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    const now = this.now();
    let at: number | undefined = delayMs !== undefined ? now.mono + delayMs : this.refreshDue(now);
    const tokenEnd = this.tokenEndAt(now);
    if (at !== undefined && tokenEnd !== undefined && at >= tokenEnd) at = undefined;
    // No more sessions can be minted: stop when the last one is over.
    this.due = at === undefined ? { at: now.mono, kind: 'exhausted' } : { at, kind: delayMs !== undefined ? 'retry' : 'refresh' };
    this.arm();
  }

  /** One timer, never longer than a tick: each firing looks at both clocks again. */
  private arm(): void {
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    const due = this.due;
    if (this.stopped || !due) return;
    const now = this.now();
    const wait = Math.max(0, this.dueAt(due, now) - now.mono);
    this.timer = this.deps.timers.set(() => {
      this.timer = undefined;
      if (!this.fireIfDue(true)) this.arm();
    }, Math.min(wait, this.tickMs()));
  }

  /** Acts on the plan if the clocks say it is time; true when it did. Only the timer ends the server. */
  private fireIfDue(fromTimer: boolean): boolean {
    const due = this.due;
    if (this.stopped || !due || this.inFlight) return false;
    const now = this.now();
    if (now.mono < this.dueAt(due, now)) return false;
    const tokenEnd = this.tokenEndAt(now);
    if (due.kind !== 'exhausted' && tokenEnd !== undefined && now.mono >= tokenEnd) {
      // The clock passed the end of the request token before the planned mint: none can be had any more.
      this.due = { at: now.mono, kind: 'exhausted' };
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
    this.deps.log.write({ type: 'unavailable', reason: "the credential source can mint no more (for GitHub OIDC: the job's request token has expired) and the last session is over" });
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
    const { code, message, text, permanent } = describeFailure(error);
    this.lastError = text;
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
    const now = this.now();
    const left = remainingMs(c, now);
    if (left <= minServableSeconds(c.lifetimeSeconds) * 1000) {
      const last = this.lastError ? ` (last error${this.failureIsPermanent ? ', permanent' : ''}: ${this.lastError})` : '';
      return {
        ok: false,
        reason:
          (left <= 0 ? 'The current session has expired' : 'The current session is about to expire') +
          ' and no new one could be minted yet' +
          last +
          '.',
      };
    }
    return { ok: true, credentials: c, expiration: servedExpiration(c, now) };
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
