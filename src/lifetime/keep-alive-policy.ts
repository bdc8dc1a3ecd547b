/**
 * The keep-alive server's lifetime policy: when it mints the next session,
 * how long it waits after failures, and how long the credential source can
 * mint at all (fail fast). Pure functions of numbers and dates; no I/O. Kept
 * apart from policy.ts, which the healthy guard path loads.
 */
import type { Settings } from '../settings/settings.js';
import { backoffDelay } from '../util/retry.js';

// ---- Keep-alive refresh timing ----------------------------------------------

/** botocore refreshes 15 min before expiry (advisory), the JS SDK 5 min: serve more than that. */
export const PREFERRED_LEAD_SECONDS = 20 * 60;

/**
 * How long before expiry the server mints the next session: 20 min, or a third
 * of the session for short ones, so what it serves has more time left than the
 * SDKs' refresh windows wherever the session length allows.
 */
export function refreshLeadSeconds(lifetimeSeconds: number): number {
  return Math.max(1, Math.min(PREFERRED_LEAD_SECONDS, Math.floor(lifetimeSeconds / 3)));
}

/**
 * Credentials with this little left are not served (503 instead): a client
 * would get them already expired. 15 s, as the EKS Pod Identity Agent, scaled
 * down for compressed test sessions.
 */
export function minServableSeconds(lifetimeSeconds: number): number {
  return Math.max(1, Math.min(15, Math.floor(lifetimeSeconds / 10)));
}

/**
 * The longest the keep-alive server waits between two looks at the wall
 * clock: a twentieth of the session, between 50 ms and 30 s. Timers run on
 * the monotonic clock, which stands still while the machine sleeps; looking
 * this often, a refresh that came due during a sleep or a clock step starts
 * at most one tick late.
 */
export function refreshTickMs(lifetimeSeconds: number): number {
  return Math.max(50, Math.min(30_000, Math.round((lifetimeSeconds * 1000) / 20)));
}

/** Ceiling of the backoff after transient refresh failures (throttling, 5xx, network). */
export const TRANSIENT_RETRY_CEILING_MS = 30_000;
/** Ceiling of the backoff after permanent ones (AccessDenied after a trust policy change, a deleted role). */
export const PERMANENT_RETRY_CEILING_MS = 5 * 60_000;

/**
 * The wait before the next try after `failures` refreshes failed in a row.
 * Both kinds double from a 1 s base; the ceiling is 30 s for transient errors
 * (full jitter) and 5 min for permanent ones (equal jitter: never much less
 * than the doubled value, so a broken trust policy is not hammered). Both
 * ceilings shrink to a quarter of the session for compressed test sessions,
 * and no wait is shorter than 50 ms.
 */
export function refreshRetryDelayMs(lifetimeSeconds: number, failures: number, permanent: boolean, random: () => number): number {
  const scaledCeiling = lifetimeSeconds * 250;
  const baseDelayMs = Math.min(1000, lifetimeSeconds * 50);
  if (!permanent) {
    return Math.max(50, backoffDelay({ baseDelayMs, maxDelayMs: Math.min(TRANSIENT_RETRY_CEILING_MS, scaledCeiling) }, failures, random));
  }
  const maxDelayMs = Math.min(PERMANENT_RETRY_CEILING_MS, scaledCeiling);
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (Math.max(1, failures) - 1));
  return Math.max(50, Math.round(ceiling / 2 + (ceiling / 2) * random()));
}

/** The fix for work that outlasts GitHub OIDC: the one place this text is written. */
export const SPLIT_JOBS_FIX = 'split the work across jobs (each job gets a new OIDC request token)';

/**
 * Until when (local ms) a source can mint new sessions, and why, for fail
 * fast: GitHub OIDC until its request token expires (undefined when that is
 * not known); session keys given as inputs until their 'expiration'; IAM user
 * keys and instance profiles have no end, and a token file has no known end
 * (it is rotated): undefined.
 */
export function sourceMintsUntil(
  settings: Pick<Settings, 'source' | 'expiration'>,
  requestTokenExpiresAt: number | undefined,
): { readonly until?: number; readonly why: string; readonly fix: string } {
  const { source } = settings;
  if (source.kind === 'github-oidc') {
    return {
      ...(requestTokenExpiresAt !== undefined && { until: requestTokenExpiresAt }),
      why: `GitHub's OIDC request token for this job expires at ${new Date(requestTokenExpiresAt ?? 0).toISOString()}`,
      fix: SPLIT_JOBS_FIX,
    };
  }
  if (source.kind === 'static-keys' && source.sessionToken !== undefined && settings.expiration) {
    return {
      until: settings.expiration.getTime(),
      why: `the session keys given as inputs expire at ${settings.expiration.toISOString()}`,
      fix: 'give long-lived keys or keys that last longer',
    };
  }
  return { why: 'the credential source has no known end', fix: 'nothing to fix' };
}

/**
 * With keep-alive, the job can mint new sessions until the OIDC request token
 * expires, and the last one lasts as long as a session does: the role's
 * maximum once known, the STS ceiling before, and never more than the latest
 * session actually got. The result is the latest moment (ms) the job can have
 * credentials; undefined when the request token's expiry is unknown.
 */
export function keepAliveCoverUntil(
  sourceEndsAt: number | undefined,
  ceilingSeconds: number,
  current?: { readonly expiresAt: number; readonly lifetimeSeconds: number; readonly maxSessionSeconds?: number | undefined },
): number | undefined {
  if (sourceEndsAt === undefined) return undefined;
  const sessionSeconds = Math.min(current?.maxSessionSeconds ?? ceilingSeconds, current?.lifetimeSeconds ?? ceilingSeconds);
  return Math.max(current?.expiresAt ?? 0, sourceEndsAt + sessionSeconds * 1000);
}
