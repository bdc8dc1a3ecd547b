/**
 * The one fail-or-warn decision: when the credentials cannot last as long as
 * the work needs, `fail-on-short-session` decides whether the step fails or
 * only warns; credentials that have already expired always fail the step
 * (there is nothing to warn about that the work could still use). Every path
 * (guard, keep-alive, a guard after keep-alive) comes here, so the decision
 * and its summary line are written once.
 */
import type { Toolkit } from '../runner/toolkit.js';
import { summaryLine } from './summary.js';

/** A shortfall with fail-on-short-session: the step fails with this message. */
export class ShortSessionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShortSessionError';
  }
}

export interface ShortfallContext {
  readonly toolkit: Toolkit;
  readonly failOnShortSession: boolean;
  /** When the step started (ms), for the summary line. */
  readonly at: number;
  readonly needSeconds?: number | undefined;
  /** The annotation title of the warning. */
  readonly title: string;
}

/** Fails (throws ShortSessionError) or warns, and notes which in the job summary. */
export function shortfall(ctx: ShortfallContext, message: string, remainingSeconds?: number): void {
  const headline = message.split('\n')[0] ?? message;
  const fails = ctx.failOnShortSession || (remainingSeconds !== undefined && remainingSeconds <= 0);
  ctx.toolkit.appendSummary(
    summaryLine({
      at: new Date(ctx.at),
      remainingSeconds,
      needSeconds: ctx.needSeconds,
      outcome: `${fails ? '**Failed**' : 'Warned'}: ${headline}`,
    }),
  );
  if (fails) throw new ShortSessionError(message);
  ctx.toolkit.warning(message, ctx.title);
}
