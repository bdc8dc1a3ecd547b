/**
 * Finding a role's MaxSessionDuration when STS refused a request as too long.
 * STS never says the maximum, so it is found by asking: a binary search over
 * whole hours below the refused length (IAM maxima are whole hours in the
 * console, 1 to 12), which takes at most 4 more calls for any whole-hour
 * maximum. A role's maximum is never under 1 h, so 1 h is assumed and only
 * asked for when every longer probe was refused, to get its credentials.
 */

export type ProbeOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

export interface MaxSessionFound<T> {
  /** The longest length STS granted. */
  readonly maxSeconds: number;
  /** The shortest length STS refused: the real maximum is in [maxSeconds, refusedSeconds). */
  readonly refusedSeconds: number;
  /** The session minted at `maxSeconds`. */
  readonly value: T;
  readonly probes: number;
}

export async function findMaxSession<T>(
  refusedSeconds: number,
  probe: (seconds: number) => Promise<ProbeOutcome<T>>,
  floorSeconds = 3600,
): Promise<MaxSessionFound<T>> {
  const unit = refusedSeconds > floorSeconds ? 3600 : 900;
  let lo = Math.max(1, Math.floor(floorSeconds / unit)); // assumed granted
  let hi = Math.ceil(refusedSeconds / unit) - 1; // largest candidate below the refusal
  let refused = refusedSeconds;
  let best: { seconds: number; value: T } | undefined;
  let probes = 0;
  if (hi < lo) {
    lo = 1;
    hi = Math.max(1, hi);
  }
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    probes++;
    const outcome = await probe(mid * unit);
    if (outcome.ok) {
      best = { seconds: mid * unit, value: outcome.value };
      lo = mid;
    } else {
      refused = mid * unit;
      hi = mid - 1;
    }
  }
  if (!best || best.seconds !== lo * unit) {
    probes++;
    const outcome = await probe(lo * unit);
    if (!outcome.ok) {
      throw new Error(`STS refused even a ${lo * unit} s session as longer than the role allows.`);
    }
    best = { seconds: lo * unit, value: outcome.value };
  }
  return { maxSeconds: best.seconds, refusedSeconds: refused, value: best.value, probes };
}
