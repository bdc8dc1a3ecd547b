/**
 * The lifetime policy: how long the work needs, what the current session
 * gives, what to ask STS for, and when the keep-alive server refreshes. Pure
 * functions of numbers and dates; no I/O.
 */
import { Env, Sts } from '../constants.js';
import type { Settings } from '../settings/settings.js';
import { formatDuration } from '../settings/duration.js';
import { backoffDelay } from '../util/retry.js';

export interface Need {
  readonly seconds: number;
  /** How it was computed, for messages: `1h30m expected-duration + 5m safety-margin`. */
  readonly explanation: string;
}

export function needOf(settings: Pick<Settings, 'expectedDurationSeconds' | 'safetyMarginSeconds'>): Need {
  const { expectedDurationSeconds: e, safetyMarginSeconds: m } = settings;
  return {
    seconds: e + m,
    explanation: `${formatDuration(e)} expected-duration + ${formatDuration(m)} safety-margin = ${formatDuration(e + m)}`,
  };
}

/** The longest single session STS can give for this configuration. */
export function sessionCeiling(settings: Pick<Settings, 'chainedRoleToAssume'>): number {
  return settings.chainedRoleToAssume ? Sts.ChainedMaxSeconds : Sts.MaxDurationSeconds;
}

/** DurationSeconds to ask for: the explicit input, else enough for the need, at least 1 h, at most the ceiling. */
export function requestedDurationSeconds(
  settings: Pick<Settings, 'roleDurationSeconds' | 'chainedRoleToAssume'>,
  need: Need,
): number {
  const ceiling = sessionCeiling(settings);
  if (settings.roleDurationSeconds !== undefined) return Math.min(settings.roleDurationSeconds, ceiling);
  return Math.min(ceiling, Math.max(Sts.DefaultDurationSeconds, need.seconds));
}

export interface KnownExpiry {
  readonly at: Date;
  readonly source: string;
}

export type ExpiryLookup =
  | { readonly kind: 'known'; readonly expiry: KnownExpiry }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'invalid'; readonly source: string; readonly value: string };

/**
 * The current session's expiry: AWS_CREDENTIAL_EXPIRATION (written by this
 * action and by configure-aws-credentials), else the `expiration` input.
 */
export function lookupExpiry(envValue: string | undefined, input: Date | undefined): ExpiryLookup {
  if (envValue !== undefined && envValue.trim() !== '') {
    const t = Date.parse(envValue.trim());
    if (Number.isNaN(t)) return { kind: 'invalid', source: Env.CredentialExpiration, value: envValue };
    return { kind: 'known', expiry: { at: new Date(t), source: Env.CredentialExpiration } };
  }
  if (input) return { kind: 'known', expiry: { at: input, source: "the 'expiration' input" } };
  return { kind: 'unknown' };
}

export type Assessment =
  | { readonly kind: 'healthy'; readonly remainingSeconds: number }
  | { readonly kind: 'short'; readonly remainingSeconds: number }
  | { readonly kind: 'expired'; readonly remainingSeconds: number }
  | { readonly kind: 'unknown' };

export function assess(expiration: Date | undefined, nowMs: number, need: Need): Assessment {
  if (!expiration) return { kind: 'unknown' };
  const remainingSeconds = Math.floor((expiration.getTime() - nowMs) / 1000);
  if (remainingSeconds <= 0) return { kind: 'expired', remainingSeconds };
  return remainingSeconds >= need.seconds ? { kind: 'healthy', remainingSeconds } : { kind: 'short', remainingSeconds };
}

/**
 * Seconds left on a fresh session, on the STS server's clock when it has one,
 * never more than was granted (the Date header and Expiration have whole-second
 * resolution, so the difference can read one second over).
 */
export function remainingAtIssue(expiration: Date, serverDate: Date | undefined, receivedAt: number, grantedSeconds?: number): number {
  const now = serverDate ? serverDate.getTime() : receivedAt;
  const remaining = Math.floor((expiration.getTime() - now) / 1000);
  return grantedSeconds === undefined ? remaining : Math.min(grantedSeconds, remaining);
}

/** The STS clock is read to the second: a session within this much of the need covers it. */
export const CLOCK_RESOLUTION_SECONDS = 1;

export function coversNeed(remainingSeconds: number, need: Need): boolean {
  return remainingSeconds + CLOCK_RESOLUTION_SECONDS >= need.seconds;
}

/** Local clock minus the STS server's clock, in seconds (positive: the runner is ahead). */
export function clockSkewSeconds(serverDate: Date | undefined, receivedAt: number, latencyMs: number): number | undefined {
  if (!serverDate) return undefined;
  // The Date header has 1 s resolution and was stamped somewhere within the round trip.
  const skewMs = receivedAt - latencyMs / 2 - serverDate.getTime();
  return Math.round(skewMs / 1000);
}

export const SKEW_WARNING_SECONDS = 300;

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

/**
 * With keep-alive, the job can mint new sessions until the OIDC request token
 * expires, and the last one lasts the role's maximum session. `coverUntil` is
 * the latest moment (ms) the job can have credentials.
 */
export function keepAliveCoverUntil(requestTokenExpiresAt: number | undefined, sessionSeconds: number): number | undefined {
  if (requestTokenExpiresAt === undefined) return undefined;
  return requestTokenExpiresAt + sessionSeconds * 1000;
}
