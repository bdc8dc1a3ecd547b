/**
 * The lifetime policy: how long the work needs, what the current session
 * gives, what to ask STS for, and when the keep-alive server refreshes. Pure
 * functions of numbers and dates; no I/O.
 */
import { Env, Sts } from '../constants.js';
import type { Settings } from '../settings/settings.js';
import { formatDuration } from '../settings/duration.js';
import { markerMatches, parseMarker } from '../export/marker.js';
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

/**
 * What the keep-alive server asks STS for. Every role allows 1 h (IAM's
 * smallest MaxSessionDuration), so 1 h is asked first: one call, no refused
 * request in CloudTrail, and the server renews it ahead of expiry anyway. A
 * longer session only where it pays: the role is known to allow it (fewer
 * refreshes at no cost), or 1 h sessions cannot reach the end of the work
 * because the OIDC request token ends first, so the last session must last
 * longer (then the maximum is searched if STS refuses).
 */
export function keepAliveSessionSeconds(args: {
  readonly needSeconds: number;
  readonly now: number;
  readonly requestTokenExpiresAt: number | undefined;
  readonly ceilingSeconds: number;
  readonly knownMaxSeconds: number | undefined;
}): number {
  const { needSeconds, now, requestTokenExpiresAt, ceilingSeconds, knownMaxSeconds } = args;
  const base = Math.min(ceilingSeconds, Sts.DefaultDurationSeconds);
  if (knownMaxSeconds !== undefined) return Math.min(ceilingSeconds, Math.max(base, knownMaxSeconds));
  const end = now + needSeconds * 1000;
  if (requestTokenExpiresAt === undefined || end <= requestTokenExpiresAt + base * 1000) return base;
  return Math.min(ceilingSeconds, Math.ceil((end - requestTokenExpiresAt) / 1000));
}

export interface KnownExpiry {
  readonly at: Date;
  readonly source: string;
}

/** What the environment says about the current static keys. */
export interface KeysInEnv {
  readonly accessKeyId?: string | undefined;
  readonly expiration?: string | undefined;
  /** The session marker exported with the keys (see export/marker). */
  readonly marker?: string | undefined;
}

export type ExpiryLookup =
  | {
      readonly kind: 'known';
      readonly expiry: KnownExpiry;
      /** identityKey() of the configuration that minted the keys, when this action exported them. */
      readonly mintedFor?: string;
      /** Set when the 'expiration' input was given but describes other keys than these. */
      readonly inputIgnored?: boolean;
    }
  | { readonly kind: 'unknown'; readonly why?: string }
  | { readonly kind: 'invalid'; readonly source: string; readonly value: string };

const INPUT_SOURCE = "the 'expiration' input";

function parseExpiry(value: string, source: string): ExpiryLookup {
  const t = Date.parse(value.trim());
  if (Number.isNaN(t)) return { kind: 'invalid', source, value };
  return { kind: 'known', expiry: { at: new Date(t), source } };
}

/**
 * The current session's expiry. An expiry describes one set of keys:
 * - AWS_CREDENTIAL_EXPIRATION counts only for the keys this action exported it
 *   with (the session marker matches them); after another step replaced the
 *   keys, or without the marker, it says nothing about the keys now in place.
 * - The `expiration` input describes keys this action did not export (those of
 *   configure-aws-credentials, say): beside keys this action exported, it is
 *   ignored; with no keys in the environment, it describes nothing.
 */
export function lookupExpiry(keys: KeysInEnv, input: Date | undefined): ExpiryLookup {
  const keyId = keys.accessKeyId?.trim() || undefined;
  const marker = parseMarker(keys.marker);
  const envValue = keys.expiration?.trim() || undefined;
  if (markerMatches(marker, keyId) && marker) {
    if (envValue === undefined) return { kind: 'unknown', why: `${Env.CredentialExpiration} was removed after this action exported the keys` };
    const found = parseExpiry(envValue, Env.CredentialExpiration);
    if (found.kind !== 'known') return found;
    return { ...found, mintedFor: marker.identity, ...(input && { inputIgnored: true }) };
  }
  if (keyId === undefined) {
    return { kind: 'unknown', why: input ? `${INPUT_SOURCE} is set, but no AWS keys are in the environment` : 'no AWS keys are in the environment' };
  }
  if (input) return { kind: 'known', expiry: { at: input, source: INPUT_SOURCE } };
  if (marker) return { kind: 'unknown', why: 'another step replaced the AWS keys that this action exported, and their expiry was not given' };
  return {
    kind: 'unknown',
    why: envValue !== undefined ? `${Env.CredentialExpiration} was not exported by this action with these keys` : 'the AWS keys in the environment have no known expiry',
  };
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
      fix: 'split the work across jobs (each job gets a new OIDC request token)',
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
  requestTokenExpiresAt: number | undefined,
  ceilingSeconds: number,
  current?: { readonly expiresAt: number; readonly lifetimeSeconds: number; readonly maxSessionSeconds?: number | undefined },
): number | undefined {
  if (requestTokenExpiresAt === undefined) return undefined;
  const sessionSeconds = Math.min(current?.maxSessionSeconds ?? ceilingSeconds, current?.lifetimeSeconds ?? ceilingSeconds);
  return Math.max(current?.expiresAt ?? 0, requestTokenExpiresAt + sessionSeconds * 1000);
}
