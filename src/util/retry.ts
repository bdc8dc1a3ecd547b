/** Retries with "full jitter" exponential backoff (AWS Architecture Blog). */
import { AbortError, raceAbort } from './abort.js';

export interface RetryPolicy {
  /** All attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts'> = { baseDelayMs: 500, maxDelayMs: 10_000 };

export interface RetryDeps {
  /** Waits `ms`; should reject with an AbortError as soon as `signal` aborts (withRetry also stops waiting then). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

/** setTimeout, cleared (and rejected with an AbortError) when `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realRetryDeps: RetryDeps = {
  sleep: abortableSleep,
  random: Math.random,
};

/** Delay before attempt `attempt + 1`, for `attempt` ≥ 1. */
export function backoffDelay(policy: Omit<RetryPolicy, 'maxAttempts'>, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

export interface RetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

/**
 * Runs `fn` until it succeeds, `isTransient` says an error is permanent, or
 * the attempts run out; the last error is thrown. Once `signal` aborts, no
 * attempt starts, the wait between attempts ends at once, and the result is
 * an AbortError, whatever the attempt itself threw.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy,
  deps: RetryDeps,
  onRetry?: (event: RetryEvent) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new AbortError();
    try {
      return await fn(attempt);
    } catch (error) {
      if (signal?.aborted) throw error instanceof AbortError ? error : new AbortError();
      if (attempt >= policy.maxAttempts || !isTransient(error)) throw error;
      const delayMs = backoffDelay(policy, attempt, deps.random);
      onRetry?.({ attempt, delayMs, error });
      await raceAbort(deps.sleep(delayMs, signal), signal);
    }
  }
}
