/**
 * What became of a credential server, in true words: from its own events in
 * the log (each line names the server that wrote it) and from the process
 * table. A server that is gone without a stop or crash event of its own was
 * killed (SIGKILL, as the OOM killer sends, cannot be caught); one whose
 * process is stopped by a signal (SIGSTOP, state T) is paused, not gone.
 */
import { writerOf, type ServerEvent } from './events.js';

export type ServerEnd =
  /** Its own stop event: asked to (by a post step, a later keep-alive step, SIGTERM), or ended for a reason it logged. */
  | { readonly kind: 'stopped'; readonly t: number; readonly reason: string }
  | { readonly kind: 'crashed'; readonly t: number; readonly reason: string }
  /** It logged, but neither a stop nor a crash: something killed it. */
  | { readonly kind: 'killed' }
  /** It left no event at all: nothing to tell from. */
  | { readonly kind: 'unknown' };

/** Reasons a server logs when something asked it to stop (see server-run.ts). */
const ASKED = new Set(['stopped by the post step', 'SIGTERM', 'SIGINT']);

export const wasAskedToStop = (end: ServerEnd): boolean => end.kind === 'stopped' && ASKED.has(end.reason);

/** How the server with this pid ended, by its own events. Call only once its process is gone. */
export function endOf(events: readonly ServerEvent[], pid: number): ServerEnd {
  const writers = writerOf(events);
  const own = events.filter((_, i) => writers[i] === pid);
  if (own.length === 0) return { kind: 'unknown' };
  for (let i = own.length - 1; i >= 0; i--) {
    const e = own[i]!;
    if (e.type === 'stopped') return { kind: 'stopped', t: e.t, reason: e.reason };
    if (e.type === 'crashed') return { kind: 'crashed', t: e.t, reason: e.reason };
  }
  return { kind: 'killed' };
}

export const KILLED_WORDS = 'it was killed: it ended without its stop event (SIGKILL, as the OOM killer sends, cannot be caught)';

export const pausedWords = (pid: number): string =>
  `is paused (stopped by a signal, SIGSTOP or SIGTSTP): it answers nothing until it is resumed (kill -CONT ${pid})`;
