/**
 * The lifetime policy: how long the work needs, what the current session
 * gives and what to ask STS for. When the keep-alive server refreshes and how
 * long a source can mint are in keep-alive-policy.ts. Pure functions of
 * numbers and dates; no I/O.
 */
import { Env, Sts } from '../constants.js';
import type { Settings } from '../settings/settings.js';
import { formatDuration } from '../settings/duration.js';
import { markerMatches, parseMarker } from '../model/marker.js';
import type { Need } from './decision.js';

export type { Need };

/** What the work needs, or undefined when expected-duration is not given (no need is stated). */
export function needOf(settings: { readonly expectedDurationSeconds?: number | undefined; readonly safetyMarginSeconds: number }): Need | undefined {
  const { expectedDurationSeconds: e, safetyMarginSeconds: m } = settings;
  if (e === undefined) return undefined;
  return {
    seconds: e + m,
    marginSeconds: m,
    explanation: `${formatDuration(e)} expected-duration + ${formatDuration(m)} safety-margin = ${formatDuration(e + m)}`,
  };
}

/** The longest single session STS can give for this configuration. */
export function sessionCeiling(settings: Pick<Settings, 'chainedRoleToAssume'>): number {
  return settings.chainedRoleToAssume ? Sts.ChainedMaxSeconds : Sts.MaxDurationSeconds;
}

/**
 * DurationSeconds to ask for: role-duration-seconds when given, else STS's
 * default (1 h, as configure-aws-credentials asks) or, with a stated need,
 * enough for it; at most the ceiling.
 */
export function requestedDurationSeconds(
  settings: Pick<Settings, 'roleDurationSeconds' | 'chainedRoleToAssume'>,
  need: Need | undefined,
): number {
  const ceiling = sessionCeiling(settings);
  if (settings.roleDurationSeconds !== undefined) return Math.min(settings.roleDurationSeconds, ceiling);
  return Math.min(ceiling, Math.max(Sts.DefaultDurationSeconds, need?.seconds ?? 0));
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
  readonly sourceEndsAt: number | undefined;
  readonly ceilingSeconds: number;
  readonly knownMaxSeconds: number | undefined;
}): number {
  const { needSeconds, now, sourceEndsAt, ceilingSeconds, knownMaxSeconds } = args;
  const base = Math.min(ceilingSeconds, Sts.DefaultDurationSeconds);
  if (knownMaxSeconds !== undefined) return Math.min(ceilingSeconds, Math.max(base, knownMaxSeconds));
  const end = now + needSeconds * 1000;
  if (sourceEndsAt === undefined || end <= sourceEndsAt + base * 1000) return base;
  return Math.min(ceilingSeconds, Math.ceil((end - sourceEndsAt) / 1000));
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

/** Local clock minus the STS server's clock, in seconds (positive: the runner is ahead). */
export function clockSkewSeconds(serverDate: Date | undefined, receivedAt: number, latencyMs: number): number | undefined {
  if (!serverDate) return undefined;
  // The Date header has 1 s resolution and was stamped somewhere within the round trip.
  const skewMs = receivedAt - latencyMs / 2 - serverDate.getTime();
  return Math.round(skewMs / 1000);
}

export const SKEW_WARNING_SECONDS = 300;
