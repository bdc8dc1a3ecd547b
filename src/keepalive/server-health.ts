/**
 * Whether a running keep-alive server covers a step's need: the one rule for
 * a guard step that finds it and a keep-alive step that reuses it. Every time
 * is the server's own (seconds from its now, counted on its monotonic clock),
 * never this step's wall clock against the server's dates.
 *
 * Never healthy when the server serves nothing now (its session is over and
 * it could not mint another), nor when its session is shorter than the need
 * while its refreshes fail.
 */
import { decide, type Need } from '../lifetime/decision.js';
import { formatDuration } from '../settings/duration.js';
import type { ServerStatus } from './credential-server.js';
import { coverageShortfall } from './coverage.js';

export type ServerHealth =
  /** It serves nothing now: the step fails with `message`, whatever fail-on-short-session says. */
  | { readonly kind: 'unavailable'; readonly message: string }
  /** It cannot cover the need: fail-on-short-session decides (lifetime/shortfall.ts). */
  | { readonly kind: 'short'; readonly message: string }
  | { readonly kind: 'healthy' };

/** Local ms until which the server can keep credentials coming: its seconds from now, else (an older server) its date. */
export function coverUntilOf(status: Pick<ServerStatus, 'coverSeconds' | 'coverUntil'>, now: number): number | undefined {
  return status.coverSeconds !== undefined ? now + status.coverSeconds * 1000 : status.coverUntil;
}

/** Seconds from the server's now that it can keep credentials coming: its own count, else (an older server) from its date. */
function coverSecondsOf(status: Pick<ServerStatus, 'coverSeconds' | 'coverUntil'>, now: number): number | undefined {
  const until = coverUntilOf(status, now);
  return until === undefined ? undefined : (until - now) / 1000;
}

export function serverHealth(
  status: ServerStatus,
  need: Need | undefined,
  now: number,
  coverReason: string,
  fix?: string,
): ServerHealth {
  const left = status.remainingSeconds;
  const failing = !!status.lastError;
  const cover = coverSecondsOf(status, now);
  // The one decision (lifetime/decision.ts). A server that serves nothing has no time left; one whose refreshes fail
  // covers no more than its current session.
  const decision = decide({
    need,
    session: { kind: 'unknown' },
    canMint: false,
    server: {
      remainingSeconds: status.unavailable !== undefined ? Math.min(0, left ?? 0) : left,
      coverSeconds: failing && left !== undefined ? Math.min(cover ?? Infinity, left) : cover,
    },
  });
  if (decision.kind !== 'shortfall') return { kind: 'healthy' };
  const lastError = status.lastError ? ` Its last refresh failed: ${status.lastError}.` : '';
  if (decision.state === 'expired' || !need) {
    return {
      kind: 'unavailable',
      message:
        `The keep-alive credential server (pid ${status.pid}) serves no AWS credentials now: ` +
        `${status.unavailable ?? `its session ended ${formatDuration(Math.max(0, -(left ?? 0)))} ago`}${lastError} ` +
        'Later steps get none from it until it mints a new session (it keeps retrying).\n' +
        'Fix: look at why STS or the credential source refuses (the error above, the job summary\'s keep-alive timeline), ' +
        "then re-run the job; with 'keep-alive: true' a new job mints afresh.",
    };
  }
  if (failing && left !== undefined && (cover === undefined || left < cover)) {
    return {
      kind: 'short',
      message:
        `The keep-alive credential server's refreshes are failing (${status.lastError}), and its current session has ` +
        `${formatDuration(left)} left, but the work needs ${formatDuration(need.seconds)} (${need.explanation}).\n` +
        "Fix: look at why STS or the credential source refuses (the job summary's keep-alive timeline); the server keeps retrying.",
    };
  }
  return { kind: 'short', message: coverageShortfall(need, coverUntilOf(status, now), now, coverReason, fix) ?? `The keep-alive credential server cannot cover the work: ${coverReason}` };
}
