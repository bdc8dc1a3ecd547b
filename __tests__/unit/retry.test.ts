import { describe, test, expect } from '@jest/globals';
import { abortableSleep, backoffDelay, DEFAULT_RETRY, withRetry, type RetryEvent } from '../../src/util/retry.js';
import { AbortError, raceAbort } from '../../src/util/abort.js';

class Transient extends Error {}
class Permanent extends Error {}
const isTransient = (e: unknown) => e instanceof Transient;

function deps(random: () => number = () => 1) {
  const slept: number[] = [];
  return { slept, deps: { sleep: async (ms: number) => void slept.push(ms), random } };
}

const policy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 10_000 };

describe('withRetry', () => {
  test('success at once: one call, no sleep', async () => {
    const { slept, deps: d } = deps();
    let calls = 0;
    await expect(withRetry(async () => ++calls, isTransient, policy, d)).resolves.toBe(1);
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });

  test('a permanent error stops at once: exactly 1 call', async () => {
    const { slept, deps: d } = deps();
    let calls = 0;
    const events: RetryEvent[] = [];
    const err = new Permanent('AccessDenied');
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        isTransient,
        policy,
        d,
        (e) => events.push(e),
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
    expect(events).toEqual([]);
  });

  test('transient errors are retried up to maxAttempts, then the last error is thrown', async () => {
    const { slept, deps: d } = deps();
    const attempts: number[] = [];
    await expect(
      withRetry(
        async (attempt) => {
          attempts.push(attempt);
          throw new Transient(`fail ${attempt}`);
        },
        isTransient,
        policy,
        d,
      ),
    ).rejects.toThrow('fail 5');
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(slept).toHaveLength(4);
  });

  test('transient then success', async () => {
    const { deps: d } = deps();
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw new Transient('x');
        return 'ok';
      },
      isTransient,
      policy,
      d,
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  test('maxAttempts 1 turns retries off', async () => {
    const { deps: d } = deps();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Transient('x');
        },
        isTransient,
        { ...policy, maxAttempts: 1 },
        d,
      ),
    ).rejects.toThrow('x');
    expect(calls).toBe(1);
  });

  test('transient then permanent stops at the permanent one', async () => {
    const { deps: d } = deps();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw calls === 1 ? new Transient('t') : new Permanent('p');
        },
        isTransient,
        policy,
        d,
      ),
    ).rejects.toThrow('p');
    expect(calls).toBe(2);
  });

  test('delays with random = 1 are the full exponential ceiling, capped; onRetry sees each', async () => {
    const { slept, deps: d } = deps(() => 1);
    const events: RetryEvent[] = [];
    const p = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 10_000 };
    await withRetry(
      async () => {
        throw new Transient('t');
      },
      isTransient,
      p,
      d,
      (e) => events.push(e),
    ).catch(() => undefined);
    expect(slept).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.map((e) => e.delayMs)).toEqual(slept);
    for (const e of events) expect(e.error).toBeInstanceOf(Transient);
  });

  test('delays with random = 0 are zero', async () => {
    const { slept, deps: d } = deps(() => 0);
    await withRetry(
      async () => {
        throw new Transient('t');
      },
      isTransient,
      policy,
      d,
    ).catch(() => undefined);
    expect(slept).toEqual([0, 0, 0, 0]);
  });

  test('every delay lies within [0, min(cap, base·2^(n−1))] for random values across [0, 1)', async () => {
    const values = [0, 0.1, 0.37, 0.5, 0.73, 0.999];
    let i = 0;
    const { slept, deps: d } = deps(() => values[i++ % values.length] ?? 0);
    const p = { maxAttempts: 12, baseDelayMs: 300, maxDelayMs: 5_000 };
    await withRetry(
      async () => {
        throw new Transient('t');
      },
      isTransient,
      p,
      d,
    ).catch(() => undefined);
    expect(slept).toHaveLength(11);
    slept.forEach((ms, index) => {
      const n = index + 1;
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (n - 1)));
      expect(Number.isInteger(ms)).toBe(true);
    });
  });
});

describe('withRetry and an AbortSignal', () => {
  test('an abort during the wait between attempts ends it at once: AbortError, no further attempt', async () => {
    // A sleep that never ends by itself (and ignores the signal): only withRetry's own abort handling can end the wait.
    const controller = new AbortController();
    let calls = 0;
    const retries: RetryEvent[] = [];
    const p = withRetry(
      async () => {
        calls++;
        throw new Transient('Throttling');
      },
      isTransient,
      policy,
      { sleep: () => new Promise<void>(() => undefined), random: () => 1 },
      (e) => retries.push(e),
      controller.signal,
    );
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
    expect(retries).toHaveLength(1);
    controller.abort();
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toBe(1);
  });

  test('a transient error thrown after the abort is not retried: AbortError', async () => {
    const { slept, deps: d } = deps();
    const controller = new AbortController();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        controller.abort();
        throw new Transient('ECONNRESET');
      },
      isTransient,
      policy,
      d,
      undefined,
      controller.signal,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(calls).toBe(1);
    expect(slept).toEqual([]);
  });

  test('an already aborted signal: no attempt at all', async () => {
    const { deps: d } = deps();
    let calls = 0;
    const error = await withRetry(async () => ++calls, isTransient, policy, d, undefined, AbortSignal.abort()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(calls).toBe(0);
  });

  test('the signal reaches deps.sleep', async () => {
    const controller = new AbortController();
    const signals: Array<AbortSignal | undefined> = [];
    await withRetry(
      async (attempt) => {
        if (attempt === 1) throw new Transient('t');
        return 'ok';
      },
      isTransient,
      policy,
      { sleep: async (_ms, signal) => void signals.push(signal), random: () => 0 },
      undefined,
      controller.signal,
    );
    expect(signals).toEqual([controller.signal]);
  });
});

describe('abortableSleep and raceAbort', () => {
  test('abortableSleep wakes on abort long before its time', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const p = abortableSleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('abortableSleep with an aborted signal rejects at once; without a signal it just sleeps', async () => {
    await expect(abortableSleep(10_000, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    await expect(abortableSleep(1)).resolves.toBeUndefined();
  });

  test('raceAbort: the value or the error when no abort comes; AbortError when it does', async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(1), controller.signal)).resolves.toBe(1);
    await expect(raceAbort(Promise.reject(new Error('x')), controller.signal)).rejects.toThrow('x');
    await expect(raceAbort(Promise.resolve(2), undefined)).resolves.toBe(2);
    const pending = raceAbort(new Promise(() => undefined), controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    await expect(raceAbort(Promise.resolve(3), controller.signal)).rejects.toBeInstanceOf(AbortError);
  });

});

describe('backoffDelay', () => {
  test('full jitter', () => {
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0.5)).toBe(250);
    expect(backoffDelay(DEFAULT_RETRY, 3, () => 0.5)).toBe(1000);
    expect(backoffDelay(DEFAULT_RETRY, 30, () => 0.5)).toBe(5000);
    expect(backoffDelay(DEFAULT_RETRY, 30, () => 0)).toBe(0);
  });
  test('defaults: base 500 ms, cap 10 s', () => {
    expect(DEFAULT_RETRY).toEqual({ baseDelayMs: 500, maxDelayMs: 10_000 });
  });
});

describe('realRetryDeps', () => {
  test('sleep waits about the time asked; random is in [0, 1)', async () => {
    const { realRetryDeps } = await import('../../src/util/retry.js');
    const started = Date.now();
    await realRetryDeps.sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    const r = realRetryDeps.random();
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(1);
  });
});
