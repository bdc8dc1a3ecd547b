/**
 * How long keep-alive can cover the work: one rule for the step that starts
 * (or reuses) the server and for a guard step that finds it running.
 */
import { Inputs } from '../constants.js';
import { decide, type Need } from '../lifetime/decision.js';
import { SPLIT_JOBS_FIX } from '../lifetime/keep-alive-policy.js';
import { formatDuration } from '../settings/duration.js';

/** The shortfall message when the work needs longer than `coverUntil` (ms) allows; undefined when it is covered or unknown. */
export function coverageShortfall(
  need: Need,
  coverUntil: number | undefined,
  now: number,
  why: string,
  fix = SPLIT_JOBS_FIX,
): string | undefined {
  if (coverUntil === undefined) return undefined;
  const coverSeconds = Math.max(0, Math.floor((coverUntil - now) / 1000));
  const decision = decide({ need, session: { kind: 'unknown' }, canMint: false, server: { coverSeconds } });
  if (decision.kind !== 'shortfall') return undefined;
  const fits = coverSeconds - need.marginSeconds;
  return (
    `The job can keep AWS credentials coming for ${formatDuration(coverSeconds)} more ` +
    `(until about ${new Date(coverUntil).toISOString()}), but the work needs ${formatDuration(need.seconds)} (${need.explanation}): ${why}\n` +
    `Fix, one of:\n` +
    (fits >= 60 ? `  - '${Inputs.ExpectedDuration}: ${formatDuration(fits)}' if the work fits in that after the ${formatDuration(need.marginSeconds)} '${Inputs.SafetyMargin}'\n` : '') +
    `  - ${fix}`
  );
}

/** Why a running server's cover ends where it does. */
export function serverCoverReason(maxSessionSeconds: number | undefined, ends = 'the OIDC request token expires'): string {
  return maxSessionSeconds === undefined
    ? `${ends}, and the last session minted before then is the server's current session length.`
    : `${ends}, and the role's sessions last at most ${formatDuration(maxSessionSeconds)}.`;
}
