/**
 * How long keep-alive can cover the work: one rule for the step that starts
 * (or reuses) the server and for a guard step that finds it running.
 */
import { Inputs } from '../constants.js';
import type { Need } from '../lifetime/policy.js';
import { formatDuration } from '../settings/duration.js';

/** The shortfall message when the work needs longer than `coverUntil` (ms) allows; undefined when it is covered or unknown. */
export function coverageShortfall(
  need: Need,
  coverUntil: number | undefined,
  now: number,
  why: string,
  fix = 'split the work across jobs (each job gets a new OIDC request token)',
): string | undefined {
  if (coverUntil === undefined || now + need.seconds * 1000 <= coverUntil) return undefined;
  return (
    `The job can keep AWS credentials coming for ${formatDuration(Math.max(0, (coverUntil - now) / 1000))} more ` +
    `(until about ${new Date(coverUntil).toISOString()}), but the work needs ${formatDuration(need.seconds)} (${need.explanation}): ${why}\n` +
    `Fix: ${fix}, or lower '${Inputs.ExpectedDuration}' if the work is shorter.`
  );
}

/** Why a running server's cover ends where it does. */
export function serverCoverReason(maxSessionSeconds: number | undefined, ends = 'the OIDC request token expires'): string {
  return maxSessionSeconds === undefined
    ? `${ends}, and the last session minted before then is the server's current session length.`
    : `${ends}, and the role's sessions last at most ${formatDuration(maxSessionSeconds)}.`;
}
