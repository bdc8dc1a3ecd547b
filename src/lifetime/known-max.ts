/**
 * Role maxima found earlier in the job. STS never says a role's
 * MaxSessionDuration; each refused request to find it is a ValidationError
 * in the customer's CloudTrail. Once found, it is passed on to later steps in
 * AWS_SESSION_GUARD_ROLE_MAX (fingerprints of role ARNs, no account ID), so
 * they ask for what the role allows at once, or fail fast without a call.
 */
import { Env } from '../constants.js';
import { fingerprint } from '../util/hash.js';

export interface KnownMax {
  readonly seconds: number;
  /** The shortest length STS refused, when known. */
  readonly refusedSeconds?: number;
}

type EnvLike = Readonly<Record<string, string | undefined>>;

function entries(env: EnvLike): Map<string, KnownMax> {
  const map = new Map<string, KnownMax>();
  for (const item of (env[Env.RoleMaxSessions] ?? '').split(',')) {
    const [key, max, refused] = item.split(':');
    const seconds = Number(max);
    const refusedSeconds = Number(refused);
    if (key && Number.isInteger(seconds) && seconds > 0) {
      map.set(key, { seconds, ...(Number.isInteger(refusedSeconds) && refusedSeconds > seconds && { refusedSeconds }) });
    }
  }
  return map;
}

export function knownMaxOf(env: EnvLike, roleArn: string): KnownMax | undefined {
  return entries(env).get(fingerprint(roleArn));
}

/** The variable's new value with this role's maximum added (to export). */
export function withKnownMax(env: EnvLike, roleArn: string, max: KnownMax): string {
  const map = entries(env);
  map.set(fingerprint(roleArn), max);
  return [...map].map(([key, m]) => `${key}:${m.seconds}:${m.refusedSeconds ?? ''}`).join(',');
}
