/** Retries with "full jitter" exponential backoff (AWS Architecture Blog). */

export interface RetryPolicy {
  /** All attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts'> = { baseDelayMs: 500, maxDelayMs: 10_000 };

export interface RetryDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
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
 * the attempts run out; the last error is thrown.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy,
  deps: RetryDeps,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isTransient(error)) throw error;
      const delayMs = backoffDelay(policy, attempt, deps.random);
      onRetry?.({ attempt, delayMs, error });
      await deps.sleep(delayMs);
    }
  }
}
