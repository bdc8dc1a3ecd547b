/**
 * The one decision every path makes: does the session this step would hand
 * on cover the work, or must the step mint one, leave it to the running
 * keep-alive server, or report a shortfall? A pure function of facts; the
 * healthy shortcut, the guard, the check of a running server and keep-alive
 * gather the facts and render the result.
 *
 * Without a stated need (no expected-duration) a step does what
 * configure-aws-credentials does: with a role it always assumes it afresh,
 * and nothing fails for length; without one it keeps what is in place unless
 * that has expired.
 */

export type { Need } from '../model/settings.js';
import type { Need } from '../model/settings.js';

/** The STS clock is read to the second: a session within this much of the need covers it. */
export const CLOCK_RESOLUTION_SECONDS = 1;

/** Whether `remainingSeconds` left covers `seconds` of work. An expired session covers nothing. */
export function covers(remainingSeconds: number, seconds: number): boolean {
  return remainingSeconds > 0 && remainingSeconds + CLOCK_RESOLUTION_SECONDS >= seconds;
}

/** The session in place for this step's configuration: its time left, when known. */
export type SessionFact = { readonly kind: 'known'; readonly remainingSeconds: number } | { readonly kind: 'unknown' };

/** A running keep-alive server that serves this step's configuration. */
export interface ServerFact {
  /** Seconds its current session has left, when it says. */
  readonly remainingSeconds?: number | undefined;
  /** Seconds from now it can keep credentials coming, when bounded (the OIDC request token, the source's end). */
  readonly coverSeconds?: number | undefined;
}

export interface Facts {
  /** expected-duration + safety-margin; undefined when expected-duration is not given. */
  readonly need: Need | undefined;
  readonly session: SessionFact;
  /** The step can mint a session itself (it has a role to assume). */
  readonly canMint: boolean;
  readonly server?: ServerFact | undefined;
}

export type ShortfallState = 'unknown' | 'expired' | 'short' | 'cover';

export type Decision =
  /** Hand on the session in place (remainingSeconds absent: its expiry is unknown and nothing was asked of it). */
  | { readonly kind: 'keep'; readonly remainingSeconds?: number }
  | { readonly kind: 'mint' }
  /** The running keep-alive server covers the work. */
  | { readonly kind: 'server'; readonly remainingSeconds?: number }
  | { readonly kind: 'shortfall'; readonly state: ShortfallState; readonly remainingSeconds?: number };

const shortfallOf = (state: ShortfallState, remainingSeconds: number | undefined): Decision => ({
  kind: 'shortfall',
  state,
  ...(remainingSeconds !== undefined && { remainingSeconds }),
});

export function decide(facts: Facts): Decision {
  const { need, server, canMint } = facts;
  if (server) {
    const left = server.remainingSeconds;
    // A server whose session has run out (STS down past its end) covers nothing, whatever the need.
    if (left !== undefined && left <= 0) return canMint ? { kind: 'mint' } : shortfallOf('expired', left);
    if (need && server.coverSeconds !== undefined && !covers(server.coverSeconds, need.seconds)) return shortfallOf('cover', left);
    return { kind: 'server', ...(left !== undefined && { remainingSeconds: left }) };
  }
  const left = facts.session.kind === 'known' ? facts.session.remainingSeconds : undefined;
  if (need === undefined) {
    if (canMint) return { kind: 'mint' };
    if (left === undefined) return { kind: 'keep' };
    return left > 0 ? { kind: 'keep', remainingSeconds: left } : shortfallOf('expired', left);
  }
  if (left !== undefined && covers(left, need.seconds)) return { kind: 'keep', remainingSeconds: left };
  if (canMint) return { kind: 'mint' };
  return shortfallOf(left === undefined ? 'unknown' : left <= 0 ? 'expired' : 'short', left);
}

/** Seconds left at `nowMs` on a session that ends at `expiration`. */
export function secondsLeft(expiration: Date, nowMs: number): number {
  return Math.floor((expiration.getTime() - nowMs) / 1000);
}
