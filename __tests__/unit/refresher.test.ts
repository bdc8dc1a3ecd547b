import { describe, test, expect, afterEach } from '@jest/globals';
import { Refresher, type RefresherDeps } from '../../src/keepalive/refresher.js';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import { MintError, type LongestSession } from '../../src/sts/minter.js';
import type { Failure } from '../../src/sts/errors.js';
import { minServableSeconds, refreshLeadSeconds, refreshTickMs } from '../../src/lifetime/keep-alive-policy.js';
import { AbortError } from '../../src/util/abort.js';
import { FakeClock, FakeLog, FakeScheduler, makeJwt, MonotonicScheduler, settle, type EventBody } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');

/** The MintError the real minter throws for a transient failure that outlasted its retries. */
class FailingMint extends MintError {
  constructor(failure: { code: string }) {
    super({ kind: 'transient', code: failure.code, message: 'Rate exceeded', newToken: false }, 'arn:aws:iam::123456789012:role/deploy', 1);
  }
}

/** The MintError the real minter throws for a permanent failure (a trust policy that no longer matches, a deleted role). */
class PermanentMint extends MintError {
  constructor(code = 'AccessDenied', message = 'Not authorized to perform sts:AssumeRoleWithWebIdentity') {
    super({ kind: 'permanent', code, message, hint: 'The trust policy of the role does not accept this job\'s token.' }, 'arn:aws:iam::123456789012:role/deploy', 1);
  }
}

/**
 * A mint function like SessionMinter.mintLongest: sessions of min(asked, roleMax), from a whole-second STS clock.
 * `hold()` makes the next mint wait until released, or until its signal aborts (unless `deaf`).
 */
function minter(clock: FakeClock, roleMaxSeconds = 43200) {
  const asked: number[] = [];
  /** The wall clock at each call. */
  const at: number[] = [];
  const signals: AbortSignal[] = [];
  const failures: Error[] = [];
  let n = 0;
  let maxReported = false;
  let held: Promise<void> | undefined;
  let deaf = false;
  const hold = (options: { deaf?: boolean } = {}): (() => void) => {
    let release = () => undefined as void;
    held = new Promise<void>((resolve) => (release = resolve));
    deaf = options.deaf ?? false;
    return () => release();
  };
  const mint = async (durationSeconds: number, signal: AbortSignal): Promise<LongestSession> => {
    asked.push(durationSeconds);
    at.push(clock.now);
    signals.push(signal);
    const gate = held;
    held = undefined;
    if (gate) {
      await (deaf
        ? gate
        : Promise.race([gate, new Promise<never>((_r, reject) => signal.addEventListener('abort', () => reject(new AbortError()), { once: true }))]));
    }
    const failure = failures.shift();
    if (failure) throw failure;
    n++;
    const seconds = Math.min(durationSeconds, roleMaxSeconds);
    const serverNow = Math.floor(clock.now / 1000) * 1000;
    const session = {
      credentials: {
        accessKeyId: `ASIAKEY${n}`,
        secretAccessKey: `secret${n}`,
        sessionToken: `token${n}`,
        expiration: new Date(serverNow + seconds * 1000),
      },
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
      serverDate: new Date(serverNow),
      receivedAt: clock.now,
      latencyMs: 30,
      durationSeconds: seconds,
    };
    const refused = durationSeconds > roleMaxSeconds && !maxReported;
    if (refused) maxReported = true;
    return refused ? { session, max: { seconds, refusedSeconds: seconds + 3600, scope: 'role' } } : { session };
  };
  return { mint, asked, at, signals, failures, hold, count: () => n };
}

function setup(
  options: Partial<Pick<RefresherDeps, 'sourceEndsAt' | 'sessionSeconds' | 'tickMs'>> & { roleMax?: number; random?: number; monotonic?: boolean } = {},
) {
  const clock = new FakeClock(T0);
  const timers = new FakeScheduler(clock);
  const mono = new MonotonicScheduler(clock);
  const log = new FakeLog(clock.fn);
  const m = minter(clock, options.roleMax);
  let exhausted = 0;
  const refresher = new Refresher({
    mint: m.mint,
    sessionSeconds: options.sessionSeconds ?? 43200,
    clock: clock.fn,
    monotonic: options.monotonic ? () => mono.monotonic : clock.fn,
    timers: options.monotonic ? mono : timers,
    random: () => options.random ?? 0.5,
    log,
    ...(options.sourceEndsAt !== undefined && { sourceEndsAt: options.sourceEndsAt }),
    ...(options.tickMs !== undefined && { tickMs: options.tickMs }),
    onExhausted: () => void exhausted++,
    served: () => 7,
  });
  return { clock, timers, mono, log, m, refresher, exhausted: () => exhausted };
}

const failedEvents = (log: FakeLog) => log.events.filter((e) => e.type === 'refresh-failed') as Array<Extract<EventBody, { type: 'refresh-failed' }> & { t: number }>;

describe('Refresher scheduling', () => {
  test('start mints once and schedules the refresh at expiry − lead', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const c = await refresher.start();
    expect(m.asked).toEqual([3600]);
    expect(c.accessKeyId).toBe('ASIAKEY1');
    expect(c.accountId).toBe('123456789012');
    expect(c.lifetimeSeconds).toBe(3600);
    expect(c.expiresAt).toBe(T0 + 3600_000);
    const due = c.expiresAt - refreshLeadSeconds(c.lifetimeSeconds) * 1000;
    expect(due).toBe(T0 + 2400_000);
    expect(refresher.nextRefreshAt()).toBe(due);
    expect(refresher.nextAttemptAt).toBe(due);
    // One timer, no longer than a tick (1/20 of the session, at most 30 s): it looks at the wall clock again then.
    expect(timers.pending.size).toBe(1);
    expect(timers.nextAt()).toBe(T0 + 30_000);
    expect(log.types()).toEqual(['refreshed']);
    expect(log.events[0]).toMatchObject({ type: 'refreshed', sessionSeconds: c.lifetimeSeconds, served: 7, expiration: new Date(c.expiresAt).toISOString() });
  });

  test('a 12 h session is refreshed 20 min before it ends, and again each time', async () => {
    const { refresher, timers, m } = setup();
    const first = await refresher.start();
    const due = first.expiresAt - 1200_000;
    await timers.advanceTo(due - 1);
    expect(m.count()).toBe(1);
    await timers.advanceTo(due);
    expect(m.count()).toBe(2);
    const second = refresher.credentials;
    expect(second?.accessKeyId).toBe('ASIAKEY2');
    expect(second?.expiresAt).toBeGreaterThan(first.expiresAt);
    await timers.advanceTo((second?.expiresAt ?? 0) - 1200_000);
    expect(m.count()).toBe(3);
    expect(refresher.refreshes).toBe(3);
  });

  test('the role maximum is remembered and asked for afterwards', async () => {
    const { refresher, timers, m, log } = setup({ roleMax: 7200 });
    const first = await refresher.start();
    expect(refresher.maxSessionSeconds).toBe(7200);
    expect(log.events[0]).toMatchObject({ type: 'max-session', maxSeconds: 7200, refusedSeconds: 10800 });
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(m.asked).toEqual([43200, 7200]);
  });
});

describe('Refresher failures', () => {
  test('a failed refresh keeps serving the old credentials and retries with growing backoff', async () => {
    const { refresher, timers, m, log, clock } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    const due = first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000;
    m.failures.push(new FailingMint({ code: 'Throttling' }), new FailingMint({ code: 'Throttling' }), new FailingMint({ code: 'Throttling' }));

    await timers.advanceTo(due);
    expect(m.asked).toHaveLength(2);
    const failed = log.events.filter((e) => e.type === 'refresh-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ type: 'refresh-failed', code: 'Throttling', message: 'Throttling: Rate exceeded', served: 7 });
    expect(refresher.lastFailure).toContain('Rate exceeded');
    // Still serving the old set.
    const a = refresher.available();
    expect(a.ok && a.credentials.accessKeyId).toBe('ASIAKEY1');

    const delays: number[] = [];
    const firstDelay = (failed[0] as { nextTryMs: number }).nextTryMs;
    delays.push(firstDelay);
    expect(refresher.nextAttemptAt).toBe(clock.now + firstDelay);
    expect(refresher.failureIsPermanent).toBe(false);
    expect(failed[0]?.permanent).toBeUndefined();
    await timers.advanceTo(clock.now + firstDelay);
    await timers.advanceTo(clock.now + ((log.events.filter((e) => e.type === 'refresh-failed')[1] as { nextTryMs: number } | undefined)?.nextTryMs ?? 0));
    for (const e of log.events.filter((x) => x.type === 'refresh-failed').slice(1)) delays.push((e as { nextTryMs: number }).nextTryMs);
    expect(delays).toHaveLength(3);
    // Full jitter with random 0.5: each ceiling doubles, so do the delays.
    expect(delays[1]).toBe((delays[0] ?? 0) * 2);
    expect(delays[2]).toBe((delays[1] ?? 0) * 2);
    // Base 1 s, full jitter: 0.5 × 1 s, 2 s, 4 s.
    expect(delays).toEqual([500, 1000, 2000]);
    // The next try succeeds: new credentials, failure cleared.
    await timers.advanceTo(clock.now + (delays[2] ?? 0));
    expect(refresher.credentials?.accessKeyId).toBe('ASIAKEY2');
    expect(refresher.lastFailure).toBeUndefined();
    expect(log.types().filter((t) => t === 'refreshed')).toHaveLength(2);
  });

  test('available() never offers credentials within minServable of expiry', async () => {
    const { refresher, clock, m } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    // Every refresh fails from now on.
    for (let i = 0; i < 1000; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    const min = minServableSeconds(first.lifetimeSeconds) * 1000;
    clock.now = first.expiresAt - min - 1;
    const before = refresher.available();
    expect(before.ok).toBe(true);
    clock.now = first.expiresAt - min;
    const at = refresher.available();
    expect(at.ok).toBe(false);
    expect(!at.ok && at.reason).toMatch(/no new one could be minted/);
    clock.now = first.expiresAt + 1000;
    expect(refresher.available().ok).toBe(false);
    await settle();
    // The reason names the last error once a refresh has failed.
    const after = refresher.available();
    expect(!after.ok && after.reason).toContain('Throttling');
  });

  test('served credentials always have more than minServable left, over a whole failing session', async () => {
    const { refresher, timers, clock, m } = setup({ sessionSeconds: 120 });
    const first = await refresher.start();
    for (let i = 0; i < 10_000; i++) m.failures.push(new FailingMint({ code: 'InternalFailure' }));
    const min = minServableSeconds(first.lifetimeSeconds) * 1000;
    let served = 0;
    let refused = 0;
    for (let t = T0; t < first.expiresAt + 5000; t += 250) {
      await timers.advanceTo(t);
      const a = refresher.available();
      if (a.ok) {
        served++;
        expect(a.credentials.expiresAt - clock.now).toBeGreaterThan(min);
      } else refused++;
    }
    // Served until min before the end, refused from then on: (120 − 12) s and (12 + 5) s at 4 looks a second.
    expect(served).toBe(108 * 4);
    expect(refused).toBe(17 * 4);
  });

  test('the last failure names the error code once', async () => {
    const { refresher, timers, m } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    m.failures.push(new FailingMint({ code: 'Throttling' }));
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(refresher.lastFailure).toBe('Throttling: Rate exceeded');
  });

  test('start() rejects when the first mint fails, and nothing is served', async () => {
    const { refresher, m, timers } = setup();
    m.failures.push(new FailingMint({ code: 'AccessDenied' }));
    await expect(refresher.start()).rejects.toThrow('AccessDenied');
    expect(refresher.available().ok).toBe(false);
    expect(timers.pending.size).toBe(0);
  });

  test('a failure that is not a MintError is logged by its name, and retried', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    m.failures.push(new TypeError('fetch failed'));
    expect(m.asked).toHaveLength(1);
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    const failed = log.events.find((e) => e.type === 'refresh-failed') as { nextTryMs: number; permanent?: boolean } | undefined;
    expect(failed).toMatchObject({ code: 'TypeError', message: 'fetch failed' });
    expect(failed?.permanent).toBeUndefined();
    await timers.advance(failed?.nextTryMs ?? 0);
    expect(m.asked).toHaveLength(3);
    expect(refresher.credentials?.accessKeyId).toBe('ASIAKEY2');
  });

  test('a refresh before any session: failure backoff from a 1 h default', async () => {
    const { refresher, m, log, timers, clock } = setup();
    m.failures.push(new FailingMint({ code: 'Throttling' }));
    await refresher.refresh();
    const failed = log.events.find((e) => e.type === 'refresh-failed') as { nextTryMs: number } | undefined;
    expect(failed?.nextTryMs).toBe(500);
    expect(refresher.nextAttemptAt).toBe(clock.now + 500);
    expect(timers.nextAt()).toBe(clock.now + 500);
  });

  test('without a server Date the lifetime counts from the local receive time', async () => {
    const clock = new FakeClock(T0 + 400);
    const timers = new FakeScheduler(clock);
    const refresher = new Refresher({
      mint: async () => ({
        session: {
          credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: new Date(T0 + 3600_000) },
          assumedRoleArn: '',
          receivedAt: clock.now,
          latencyMs: 5,
          durationSeconds: 3600,
        },
      }),
      sessionSeconds: 3600,
      clock: clock.fn,
      monotonic: clock.fn,
      timers,
      random: () => 0.5,
      log: new FakeLog(clock.fn),
    });
    const c = await refresher.start();
    expect(c.lifetimeSeconds).toBe(3599);
    expect(c.accountId).toBe('');
  });

  test('available() with no credentials yet', () => {
    const { refresher } = setup();
    const a = refresher.available();
    expect(a).toEqual({ ok: false, reason: 'The credential server has no credentials yet.' });
    expect(refresher.nextRefreshAt()).toBeUndefined();
  });

  test('concurrent refresh() calls share one mint', async () => {
    const { refresher, m } = setup();
    await refresher.start();
    const p1 = refresher.refresh();
    const p2 = refresher.refresh();
    expect(p1).toBe(p2);
    await p1;
    expect(m.count()).toBe(2);
  });

  test('requests in the unservable window do not bypass the retry backoff', async () => {
    // An SDK that gets a 503 asks again at once: each request must not become an STS call.
    const { refresher, clock, m } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    for (let i = 0; i < 1000; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    clock.now = first.expiresAt - 1000;
    const before = m.asked.length;
    for (let i = 0; i < 20; i++) {
      refresher.available();
      await settle();
      clock.advance(10);
    }
    // 20 requests within 200 ms: one mint; its retry waits 500 ms, whatever the request rate.
    expect(m.asked.length - before).toBe(1);
  });

  test('stop() cancels the timer and no refresh runs afterwards', async () => {
    const { refresher, timers, m } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    refresher.stop();
    expect(timers.pending.size).toBe(0);
    await timers.advanceTo(first.expiresAt + 3600_000);
    expect(m.count()).toBe(1);
    expect(refresher.available().ok).toBe(false);
    await settle();
    expect(m.asked).toHaveLength(1);
  });
});

describe('Refresher and the OIDC request token end', () => {
  test('schedules one last mint just before the request token ends, then reports exhaustion when that session ends', async () => {
    const tokenEnd = T0 + 30 * 60_000;
    const { refresher, timers, m, log, exhausted, clock } = setup({ sessionSeconds: 3600, sourceEndsAt: tokenEnd });
    const first = await refresher.start();
    // The due refresh (expiry − 20 min ≈ T0 + 40 min) is after the token end: mint just before it.
    const lead = Math.min(60_000, refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(refresher.nextRefreshAt()).toBe(tokenEnd - lead);
    expect(refresher.nextAttemptAt).toBe(tokenEnd - lead);

    await timers.advanceTo(tokenEnd - lead);
    expect(m.count()).toBe(2);
    const last = refresher.credentials;
    expect(last?.accessKeyId).toBe('ASIAKEY2');
    // No more mints possible: the next timer is the end of the last session.
    expect(refresher.nextRefreshAt()).toBeUndefined();
    expect(refresher.nextAttemptAt).toBeUndefined();
    expect(timers.pending.size).toBe(1);
    expect(exhausted()).toBe(0);

    await timers.advanceTo((last?.expiresAt ?? 0) - 1);
    expect(exhausted()).toBe(0);
    await timers.advanceTo(last?.expiresAt ?? 0);
    expect(exhausted()).toBe(1);
    expect(m.count()).toBe(2);
    expect(log.events[log.events.length - 1]).toMatchObject({
      type: 'unavailable',
      reason: "the credential source can mint no more (for GitHub OIDC: the job's request token has expired) and the last session is over",
      t: clock.now,
    });
    expect(refresher.available().ok).toBe(false);
  });

  test('a request token that has already run out: no refresh, exhaustion at the end of the first session', async () => {
    const { refresher, timers, m, exhausted } = setup({ sessionSeconds: 3600, sourceEndsAt: T0 + 10_000 });
    const first = await refresher.start();
    expect(refresher.nextAttemptAt).toBeUndefined();
    await timers.advanceTo(first.expiresAt - 1);
    expect(exhausted()).toBe(0);
    await timers.advanceTo(first.expiresAt);
    expect(m.count()).toBe(1);
    expect(exhausted()).toBe(1);
  });

  test('a failed last mint retries only until the token ends', async () => {
    const tokenEnd = T0 + 30 * 60_000;
    const { refresher, timers, m, exhausted } = setup({ sessionSeconds: 3600, sourceEndsAt: tokenEnd });
    const first = await refresher.start();
    for (let i = 0; i < 1000; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    await timers.advanceTo(first.expiresAt + 1);
    // Retries went on until the token end, and none after it.
    const retries = m.at.slice(1);
    expect(retries.length).toBeGreaterThan(5);
    expect(retries[0]).toBe(tokenEnd - 60_000);
    expect(Math.max(...retries)).toBeLessThan(tokenEnd);
    expect(Math.max(...retries)).toBeGreaterThan(tokenEnd - 30_000);
    expect(exhausted()).toBe(1);
  });
});

describe('realTimers', () => {
  test('set fires, clear cancels', async () => {
    const { realTimers } = await import('../../src/keepalive/refresher.js');
    let fired = 0;
    realTimers.set(() => void fired++, 5);
    const h = realTimers.set(() => void (fired += 100), 5);
    realTimers.clear(h);
    await new Promise((r) => setTimeout(r, 30));
    expect(fired).toBe(1);
  });
});

describe('Refresher.stop() aborts the mint in flight', () => {
  test('stop() during the first mint: start() rejects with AbortError at once, nothing logged, no timer', async () => {
    const { refresher, m, log, timers } = setup({ sessionSeconds: 3600 });
    m.hold();
    const started = refresher.start().catch((e: unknown) => e);
    await settle();
    expect(m.asked).toHaveLength(1);
    expect(m.signals[0]?.aborted).toBe(false);
    refresher.stop();
    expect(m.signals[0]?.aborted).toBe(true);
    const error = await started;
    expect(error).toBeInstanceOf(AbortError);
    expect(log.events).toEqual([]);
    expect(timers.pending.size).toBe(0);
    expect(refresher.credentials).toBeUndefined();
  });

  test('stop() during a refresh: the refresh settles at once, no failure logged, no retry, nothing minted afterwards', async () => {
    const { refresher, m, log, timers, clock } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    m.hold();
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(m.asked).toHaveLength(2);
    let settled = false;
    const pending = refresher.refresh().then(() => void (settled = true));
    await settle();
    expect(settled).toBe(false);
    refresher.stop();
    expect(m.signals[1]?.aborted).toBe(true);
    await settle();
    expect(settled).toBe(true);
    await pending;
    expect(failedEvents(log)).toEqual([]);
    expect(refresher.lastFailure).toBeUndefined();
    expect(timers.pending.size).toBe(0);
    // Neither time nor requests start anything after a stop.
    await timers.advanceTo(first.expiresAt + 3600_000);
    expect(refresher.available().ok).toBe(false);
    await settle();
    expect(m.asked).toHaveLength(2);
    expect(clock.now).toBe(first.expiresAt + 3600_000);
  });

  test('a mint that ignores the signal does not hold up stop(), and its late answer is not adopted', async () => {
    const { refresher, m, log, timers } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    const release = m.hold({ deaf: true });
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    let settled = false;
    void refresher.refresh().then(() => void (settled = true));
    refresher.stop();
    await settle();
    expect(settled).toBe(true);
    release();
    await settle();
    expect(refresher.credentials?.accessKeyId).toBe('ASIAKEY1');
    expect(log.types()).toEqual(['refreshed']);
  });

  test('each mint gets its own signal: an earlier mint\'s signal is not aborted by a later stop', async () => {
    const { refresher, m, timers } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(m.signals).toHaveLength(2);
    expect(m.signals[0]).not.toBe(m.signals[1]);
    refresher.stop();
    expect(m.signals.map((x) => x.aborted)).toEqual([false, false]);
  });

  test('start() after stop() mints nothing', async () => {
    const { refresher, m } = setup();
    refresher.stop();
    await expect(refresher.start()).rejects.toBeInstanceOf(AbortError);
    await refresher.refresh();
    expect(m.asked).toEqual([]);
  });
});

describe('Refresher and the wall clock', () => {
  test('no timer is ever longer than a tick: 1/20 of the session, at most 30 s, at least 50 ms', async () => {
    expect(refreshTickMs(43200)).toBe(30_000);
    expect(refreshTickMs(3600)).toBe(30_000);
    expect(refreshTickMs(120)).toBe(6_000);
    expect(refreshTickMs(1)).toBe(50);
    const { refresher, mono, m } = setup({ sessionSeconds: 3600, monotonic: true });
    await refresher.start();
    await mono.run(3 * 3600_000);
    expect(m.count()).toBeGreaterThan(3);
    expect(Math.max(...mono.asked)).toBe(30_000);
    expect(mono.pending.size).toBe(1);
  });

  test('deps.tickMs sets the tick', async () => {
    const { refresher, mono } = setup({ sessionSeconds: 3600, monotonic: true, tickMs: 1000 });
    await refresher.start();
    await mono.run(60_000);
    expect(Math.max(...mono.asked)).toBe(1000);
  });

  test('the machine slept past the due time: the next tick starts the refresh, not the old monotonic deadline', async () => {
    const { refresher, mono, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    const first = await refresher.start();
    const due = first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000;
    await mono.run(60_000);
    expect(m.count()).toBe(1);
    // 45 min of sleep: the wall clock moves, the timers do not.
    mono.jump(45 * 60_000);
    expect(clock.now).toBeGreaterThan(due);
    expect(m.count()).toBe(1);
    // Within one tick of waking up (the timer was armed for at most 30 s).
    await mono.run(30_000);
    expect(m.asked).toHaveLength(2);
    expect(m.at[1]).toBeLessThanOrEqual(T0 + 60_000 + 45 * 60_000 + 30_000);
    expect(refresher.credentials?.accessKeyId).toBe('ASIAKEY2');
  });

  test('a clock step past the due time: available() starts the refresh at once and serves the current set meanwhile', async () => {
    const { refresher, mono, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    const first = await refresher.start();
    const due = first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000;
    const release = m.hold();
    clock.now = due + 1; // no timer fires
    const a = refresher.available();
    expect(mono.monotonic).toBe(0);
    expect(m.asked).toHaveLength(2);
    expect(m.at[1]).toBe(due + 1);
    expect(a.ok && a.credentials.accessKeyId).toBe('ASIAKEY1');
    // More requests while it runs: still one mint.
    refresher.available();
    refresher.available();
    expect(m.asked).toHaveLength(2);
    release();
    await settle();
    const b = refresher.available();
    expect(b.ok && b.credentials.accessKeyId).toBe('ASIAKEY2');
  });

  test('before the due time, available() starts nothing', async () => {
    const { refresher, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    const first = await refresher.start();
    clock.now = first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000 - 1;
    expect(refresher.available().ok).toBe(true);
    expect(m.asked).toHaveLength(1);
  });

  test('a jump past the expiry: 503 with the reason, and the refresh starts at once', async () => {
    const { refresher, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    const first = await refresher.start();
    const release = m.hold();
    clock.now = first.expiresAt + 60_000;
    const a = refresher.available();
    expect(a).toEqual({ ok: false, reason: 'The current session has expired and no new one could be minted yet.' });
    expect(m.asked).toHaveLength(2);
    release();
    await settle();
    const b = refresher.available();
    expect(b.ok && b.credentials.accessKeyId).toBe('ASIAKEY2');
  });

  test('a jump past the request token end and the last session: the next tick reports exhaustion, no mint', async () => {
    const tokenEnd = T0 + 30 * 60_000;
    const { refresher, mono, m, exhausted } = setup({ sessionSeconds: 3600, monotonic: true, sourceEndsAt: tokenEnd });
    const first = await refresher.start();
    mono.jump(first.expiresAt - T0 + 1000);
    expect(refresher.available().ok).toBe(false);
    expect(exhausted()).toBe(0); // only the timer ends the server, not a request
    await mono.run(30_000);
    expect(exhausted()).toBe(1);
    expect(m.asked).toHaveLength(1);
  });
});

describe('Refresher and permanent failures', () => {
  let http: CredentialServer | undefined;
  afterEach(async () => {
    await http?.close();
    http = undefined;
  });

  test('a permanent error is logged as such and backs off by doubling to a 5 min ceiling', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    for (let i = 0; i < 14; i++) m.failures.push(new PermanentMint());
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    const [one] = failedEvents(log);
    expect(one).toEqual({
      type: 'refresh-failed',
      code: 'AccessDenied',
      message: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
      permanent: true,
      nextTryMs: 750,
      served: 7,
      t: one?.t,
    });
    expect(refresher.lastFailure).toBe('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(refresher.failureIsPermanent).toBe(true);
    for (let i = 0; i < 13; i++) await timers.advanceTo(refresher.nextAttemptAt ?? 0);
    // Equal jitter with random 0.5: 3/4 of 1 s, 2 s, 4 s, … up to 5 min.
    expect(failedEvents(log).map((e) => e.nextTryMs)).toEqual([
      750, 1500, 3000, 6000, 12_000, 24_000, 48_000, 96_000, 192_000, 225_000, 225_000, 225_000, 225_000, 225_000,
    ]);
    expect(failedEvents(log).every((e) => e.permanent === true)).toBe(true);
    // Each try came when the backoff said, not earlier.
    const tries = m.at.slice(1);
    const gaps = tries.slice(1).map((t, i) => t - (tries[i] ?? 0));
    expect(gaps).toEqual(failedEvents(log).slice(0, gaps.length).map((e) => e.nextTryMs));
  });

  test('transient errors still back off to 30 s with full jitter: the two kinds differ', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    for (let i = 0; i < 8; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    for (let i = 0; i < 7; i++) await timers.advanceTo(refresher.nextAttemptAt ?? 0);
    expect(failedEvents(log).map((e) => e.nextTryMs)).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(refresher.failureIsPermanent).toBe(false);
  });

  test('an unexpected duration-too-long is permanent too', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    m.failures.push(
      new MintError({ kind: 'duration-too-long', scope: 'role', code: 'ValidationError', message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.' } satisfies Failure, 'arn:aws:iam::123456789012:role/deploy', 1),
    );
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(failedEvents(log)[0]).toMatchObject({ code: 'ValidationError', permanent: true, nextTryMs: 750 });
    expect(refresher.failureIsPermanent).toBe(true);
  });

  test('the server serves what is still valid, then answers 503 CredentialsUnavailable naming the permanent error', async () => {
    const { refresher, timers, m, clock } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    for (let i = 0; i < 1000; i++) m.failures.push(new PermanentMint());
    http = await startCredentialServer({
      authToken: 'token',
      controlToken: 'control',
      proofKey: 'proof-key',
      available: () => refresher.available(),
      status: () => ({ pid: 1, nonce: 'n', identity: 'i', refreshes: 0, served: 0, refused: 0, expectedUntil: 0 }),
      expect: () => undefined,
      stop: () => undefined,
    });
    const ask = () => fetch(http?.endpoint ?? '', { headers: { Authorization: 'token' } });
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000 + 1000);
    expect(refresher.failureIsPermanent).toBe(true);
    const still = await ask();
    expect(still.status).toBe(200);
    expect(((await still.json()) as { AccessKeyId: string }).AccessKeyId).toBe('ASIAKEY1');

    await timers.advanceTo(first.expiresAt + 1000);
    expect(clock.now).toBe(first.expiresAt + 1000);
    const gone = await ask();
    expect(gone.status).toBe(503);
    expect(await gone.json()).toEqual({
      Code: 'CredentialsUnavailable',
      Message:
        'The current session has expired and no new one could be minted yet ' +
        '(last error, permanent: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity).',
    });
  });

  test('a success after permanent failures clears them: the next failure starts from the base again', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    m.failures.push(new PermanentMint(), new PermanentMint(), new PermanentMint());
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    for (let i = 0; i < 3; i++) await timers.advanceTo(refresher.nextAttemptAt ?? 0);
    expect(refresher.credentials?.accessKeyId).toBe('ASIAKEY2');
    expect(refresher.lastFailure).toBeUndefined();
    expect(refresher.failureIsPermanent).toBe(false);
    const second = refresher.credentials;
    m.failures.push(new PermanentMint());
    await timers.advanceTo((second?.expiresAt ?? 0) - refreshLeadSeconds(second?.lifetimeSeconds ?? 0) * 1000);
    expect(failedEvents(log).map((e) => e.nextTryMs)).toEqual([750, 1500, 3000, 750]);
  });

  test('no ID token reaches the log, the last failure or a 503, even inside an error message', async () => {
    const { refresher, timers, m, log, clock } = setup({ sessionSeconds: 3600 });
    const first = await refresher.start();
    const jwt = makeJwt({ sub: 'repo:o/r:ref:refs/heads/main', exp: 1 });
    for (let i = 0; i < 100; i++) m.failures.push(new PermanentMint('InvalidIdentityToken', `Token ${jwt} was refused`));
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    clock.now = first.expiresAt;
    const a = refresher.available();
    const everything = JSON.stringify(log.events) + (refresher.lastFailure ?? '') + (!a.ok ? a.reason : '');
    expect(everything).not.toContain(jwt);
    expect(everything).not.toContain(jwt.split('.')[1]);
    expect(refresher.lastFailure).toBe('InvalidIdentityToken: Token [redacted token] was refused');
  });
});

describe('Refresher and wall-clock steps (a fake monotonic clock)', () => {
  test('the wall clock steps back 2 h: the refresh comes on time by the monotonic clock, and nothing expired is served', async () => {
    const { refresher, mono, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    const first = await refresher.start();
    clock.now -= 2 * 3600_000;
    // Up to the refresh due on the monotonic clock (40 min in), and a tick more.
    await mono.run((3600 - refreshLeadSeconds(3600)) * 1000 + refreshTickMs(3600));
    expect(m.asked).toHaveLength(2);
    const a = refresher.available();
    expect(a.ok && a.credentials.accessKeyId).toBe('ASIAKEY2');
    // STS's Expiration of the second session: never later, whatever this wall clock says.
    const second = refresher.credentials;
    expect(a.ok && second && a.expiration).toBe(second?.expiration);
    expect(first.accessKeyId).toBe('ASIAKEY1');
  });

  test('the wall clock steps back 2 h and no refresh can be had: 503 once the session is over by the monotonic clock', async () => {
    const { refresher, mono, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    await refresher.start();
    for (let i = 0; i < 1000; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    clock.now -= 2 * 3600_000;
    await mono.run(3600_000 - minServableSeconds(3600) * 1000 - 1000);
    expect(refresher.available().ok).toBe(true);
    await mono.run(1000);
    const a = refresher.available();
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.reason).toMatch(/^The current session is about to expire and no new one could be minted yet \(last error: Throttling/);
    await mono.run(minServableSeconds(3600) * 1000);
    const b = refresher.available();
    expect(!b.ok && b.reason).toMatch(/^The current session has expired/);
  });

  test('the wall clock steps forward 2 h: it refreshes at once and serves STS\'s Expiration, not one 2 h later', async () => {
    const { refresher, mono, m, clock } = setup({ sessionSeconds: 3600, monotonic: true });
    await refresher.start();
    await mono.run(60_000);
    clock.now += 2 * 3600_000;
    expect(refresher.available().ok).toBe(false);
    await settle();
    expect(m.asked).toHaveLength(2);
    const a = refresher.available();
    expect(a.ok && a.credentials.accessKeyId).toBe('ASIAKEY2');
    const c = refresher.credentials;
    // The fake STS stamps its answers with this (stepped) wall clock; the served time is never past its Expiration.
    expect(a.ok && c && a.expiration <= c.expiration).toBe(true);
    expect(a.ok && c && a.expiration <= c.expiresAt).toBe(true);
  });
});
