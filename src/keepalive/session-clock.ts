/**
 * How much is left of a served session, and which `Expiration` to serve: the
 * one rule, for /credentials, /status and the refresher.
 *
 * A session's end is anchored to STS's answer when it arrived (its lifetime
 * is STS's `Expiration` minus STS's `Date`, or the granted duration) and then
 * counted down on two clocks:
 * - the monotonic clock, which a wall-clock step (NTP, VM restore, a user)
 *   does not move, and which runs on while the process is stopped (SIGSTOP);
 * - the wall clock, which runs on while the machine sleeps (Linux's monotonic
 *   clock stands still then).
 * What is left is the smaller of the two: a step back of the wall clock never
 * lengthens a session, a sleep never hides that it ended. A step forward only
 * makes the server refresh early.
 */

/** One session's end on each clock, fixed when STS's answer arrived. */
export interface SessionEnd {
  /** STS's `Expiration` (ms, on STS's clock): the real end. */
  readonly expiration: number;
  /** The wall clock (ms) when the answer arrived, plus the session's lifetime. */
  readonly expiresAt: number;
  /** The monotonic clock (ms) when the answer arrived, plus the session's lifetime. */
  readonly monoExpiresAt: number;
}

/** Both clocks read at one moment (ms). */
export interface Instant {
  readonly wall: number;
  readonly mono: number;
}

/** The two clocks the server reads; both are passed in (real: Date.now and performance.now). */
export interface Clocks {
  readonly wall: () => number;
  readonly mono: () => number;
}

export const readClocks = (clocks: Clocks): Instant => ({ wall: clocks.wall(), mono: clocks.mono() });

/** Milliseconds left of the session (or of the request token) at `now`: the smaller of the monotonic and the wall-clock countdown. */
export function remainingMs(end: Pick<SessionEnd, 'expiresAt' | 'monoExpiresAt'>, now: Instant): number {
  return Math.min(end.monoExpiresAt - now.mono, end.expiresAt - now.wall);
}

/** Where it ends, on the monotonic clock, as seen `now`. */
export const endOnMono = (end: Pick<SessionEnd, 'expiresAt' | 'monoExpiresAt'>, now: Instant): number => now.mono + remainingMs(end, now);

/** A monotonic moment as wall-clock ms (for the log and the getters). */
export const monoToWall = (mono: number, now: Instant): number => now.wall + (mono - now.mono);

/**
 * Beyond this much clock skew, signed AWS calls fail ("Signature expired"):
 * a client whose clock is that far off cannot use any credentials.
 */
export const SIGNING_SKEW_LIMIT_MS = 15 * 60_000;

/**
 * The `Expiration` to serve at `now` (ms). SDKs compare it with their own
 * clock (the JS SDK v3 refetches 5 min before it, botocore and the CLI 15 and
 * 10 min before it, and botocore refuses credentials that are already past it).
 * - Never later than STS's `Expiration`, whatever the wall clock did: a client
 *   never keeps a session past its real end.
 * - The local wall clock plus what is left, when this wall clock is behind
 *   STS's by less than clients can sign with: clients on this clock then
 *   refresh on time.
 * - STS's `Expiration` when this wall clock is further behind: no client that
 *   can still sign runs on it, and clients on the right time would see the
 *   session as expired already.
 */
export function servedExpiration(end: SessionEnd, now: Instant): number {
  const onWall = now.wall + remainingMs(end, now);
  if (onWall < end.expiration - SIGNING_SKEW_LIMIT_MS) return end.expiration;
  return Math.min(end.expiration, onWall);
}

/**
 * The monotonic moment a session arrived: the wall-clock stamp the minter put
 * on it, moved onto the monotonic clock, and kept between the start of the mint
 * and now (a wall-clock step in the few milliseconds since then cannot move it
 * out of that range).
 */
export function monoReceivedAt(receivedAtWall: number, mintStartedMono: number, now: Instant): number {
  const estimate = now.mono - (now.wall - receivedAtWall);
  return Math.min(now.mono, Math.max(mintStartedMono, estimate));
}
