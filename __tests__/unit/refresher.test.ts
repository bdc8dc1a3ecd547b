import { describe, test, expect } from '@jest/globals';
import { Refresher, type RefresherDeps } from '../../src/keepalive/refresher.js';
import type { EventLog, ServerEvent } from '../../src/keepalive/events.js';
import { MintError, type LongestSession } from '../../src/sts/minter.js';
import { minServableSeconds, refreshLeadSeconds } from '../../src/lifetime/policy.js';
import { FakeClock, FakeScheduler, settle } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');

type Body = ServerEvent extends infer E ? (E extends ServerEvent ? Omit<E, 't'> : never) : never;

class FakeLog implements EventLog {
  readonly events: Array<Body & { t: number }> = [];
  constructor(private readonly clock: () => number) {}
  write(event: Body): void {
    this.events.push({ ...event, t: this.clock() });
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

/** The MintError the real minter throws for a transient failure that outlasted its retries. */
class FailingMint extends MintError {
  constructor(failure: { code: string }) {
    super({ kind: 'transient', code: failure.code, message: 'Rate exceeded', newToken: false }, 'arn:aws:iam::123456789012:role/deploy', 1);
  }
}

/** A mint function like SessionMinter.mintLongest: sessions of min(asked, roleMax), from a whole-second STS clock. */
function minter(clock: FakeClock, roleMaxSeconds = 43200) {
  const asked: number[] = [];
  const failures: Error[] = [];
  let n = 0;
  let maxReported = false;
  const mint = async (durationSeconds: number): Promise<LongestSession> => {
    asked.push(durationSeconds);
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
  return { mint, asked, failures, count: () => n };
}

function setup(options: Partial<Pick<RefresherDeps, 'requestTokenExpiresAt' | 'sessionSeconds'>> & { roleMax?: number; random?: number } = {}) {
  const clock = new FakeClock(T0);
  const timers = new FakeScheduler(clock);
  const log = new FakeLog(clock.fn);
  const m = minter(clock, options.roleMax);
  let exhausted = 0;
  const refresher = new Refresher({
    mint: m.mint,
    sessionSeconds: options.sessionSeconds ?? 43200,
    clock: clock.fn,
    timers,
    random: () => options.random ?? 0.5,
    log,
    ...(options.requestTokenExpiresAt !== undefined && { requestTokenExpiresAt: options.requestTokenExpiresAt }),
    onExhausted: () => void exhausted++,
    served: () => 7,
  });
  return { clock, timers, log, m, refresher, exhausted: () => exhausted };
}

describe('Refresher scheduling', () => {
  test('start mints once and schedules the refresh at expiry − lead', async () => {
    const { refresher, timers, m, log } = setup({ sessionSeconds: 3600 });
    const c = await refresher.start();
    expect(m.asked).toEqual([3600]);
    expect(c.accessKeyId).toBe('ASIAKEY1');
    expect(c.accountId).toBe('123456789012');
    expect(c.lifetimeSeconds).toBeGreaterThanOrEqual(3599);
    expect(c.lifetimeSeconds).toBeLessThanOrEqual(3600);
    expect(c.expiresAt).toBe(T0 + c.lifetimeSeconds * 1000);
    const due = c.expiresAt - refreshLeadSeconds(c.lifetimeSeconds) * 1000;
    expect(refresher.nextRefreshAt()).toBe(due);
    expect(timers.nextAt()).toBe(due);
    expect(timers.pending.size).toBe(1);
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
    expect(timers.nextAt()).toBe(clock.now + firstDelay);
    await timers.advanceTo(clock.now + firstDelay);
    await timers.advanceTo(clock.now + ((log.events.filter((e) => e.type === 'refresh-failed')[1] as { nextTryMs: number } | undefined)?.nextTryMs ?? 0));
    for (const e of log.events.filter((x) => x.type === 'refresh-failed').slice(1)) delays.push((e as { nextTryMs: number }).nextTryMs);
    expect(delays).toHaveLength(3);
    // Full jitter with random 0.5: each ceiling doubles, so do the delays.
    expect(delays[1]).toBe((delays[0] ?? 0) * 2);
    expect(delays[2]).toBe((delays[1] ?? 0) * 2);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThanOrEqual(30_000);
    }
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
    for (let t = T0; t < first.expiresAt + 5000; t += 250) {
      await timers.advanceTo(t);
      const a = refresher.available();
      if (a.ok) expect(a.credentials.expiresAt - clock.now).toBeGreaterThan(min);
    }
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
    await timers.advanceTo(first.expiresAt - refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(log.events.find((e) => e.type === 'refresh-failed')).toMatchObject({ code: 'TypeError', message: 'fetch failed' });
    expect(timers.pending.size).toBe(1);
  });

  test('a refresh before any session: failure backoff from a 1 h default', async () => {
    const { refresher, m, log, timers, clock } = setup();
    m.failures.push(new FailingMint({ code: 'Throttling' }));
    await refresher.refresh();
    const failed = log.events.find((e) => e.type === 'refresh-failed') as { nextTryMs: number } | undefined;
    expect(failed?.nextTryMs).toBe(500);
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
    // 20 requests within 200 ms: at most a couple of mints, as the backoff allows.
    expect(m.asked.length - before).toBeLessThanOrEqual(2);
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
    const { refresher, timers, m, log, exhausted, clock } = setup({ sessionSeconds: 3600, requestTokenExpiresAt: tokenEnd });
    const first = await refresher.start();
    // The due refresh (expiry − 20 min ≈ T0 + 40 min) is after the token end: mint just before it.
    const lead = Math.min(60_000, refreshLeadSeconds(first.lifetimeSeconds) * 1000);
    expect(refresher.nextRefreshAt()).toBe(tokenEnd - lead);
    expect(timers.nextAt()).toBe(tokenEnd - lead);

    await timers.advanceTo(tokenEnd - lead);
    expect(m.count()).toBe(2);
    const last = refresher.credentials;
    expect(last?.accessKeyId).toBe('ASIAKEY2');
    // No more mints possible: the next timer is the end of the last session.
    expect(refresher.nextRefreshAt()).toBeUndefined();
    expect(timers.nextAt()).toBe(last?.expiresAt);
    expect(exhausted()).toBe(0);

    await timers.advanceTo((last?.expiresAt ?? 0) - 1);
    expect(exhausted()).toBe(0);
    await timers.advanceTo(last?.expiresAt ?? 0);
    expect(exhausted()).toBe(1);
    expect(m.count()).toBe(2);
    expect(log.events[log.events.length - 1]).toMatchObject({
      type: 'unavailable',
      reason: 'the OIDC request token has expired and the last session is over',
      t: clock.now,
    });
    expect(refresher.available().ok).toBe(false);
  });

  test('a request token that has already run out: no refresh, exhaustion at the end of the first session', async () => {
    const { refresher, timers, m, exhausted } = setup({ sessionSeconds: 3600, requestTokenExpiresAt: T0 + 10_000 });
    const first = await refresher.start();
    expect(timers.nextAt()).toBe(first.expiresAt);
    await timers.advanceTo(first.expiresAt);
    expect(m.count()).toBe(1);
    expect(exhausted()).toBe(1);
  });

  test('a failed last mint retries only until the token ends', async () => {
    const tokenEnd = T0 + 30 * 60_000;
    const { refresher, timers, m, exhausted } = setup({ sessionSeconds: 3600, requestTokenExpiresAt: tokenEnd });
    const first = await refresher.start();
    for (let i = 0; i < 1000; i++) m.failures.push(new FailingMint({ code: 'Throttling' }));
    await timers.advanceTo(first.expiresAt + 1);
    // Every retry was before the token end.
    expect(m.asked.length).toBeGreaterThan(1);
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
