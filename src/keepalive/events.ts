/** The server's event log (JSON lines, no secrets), read back by the post step. */
import { readFileSync } from 'node:fs';
import { appendPrivateLine, type KeepAlivePaths } from './files.js';

export type ServerEvent =
  | {
      readonly t: number;
      readonly type: 'started';
      readonly pid: number;
      readonly endpoint: string;
      /** 'uid': only the job's OS user is served (Linux); 'token-only' elsewhere. Absent in older logs. */
      readonly peers?: 'uid' | 'token-only';
      /** The open-file limit the server runs with, and the connection cap it set from it. */
      readonly openFiles?: number;
      readonly maxConnections?: number;
      /** Why the open-file limit could not be raised to the hard one. */
      readonly limitProblem?: string;
    }
  /** Connections refused for their OS user (the first of each user, then at most one event a minute with the count). */
  | { readonly t: number; readonly type: 'peer-refused'; readonly listener: 'loopback' | 'link-local'; readonly uid?: number; readonly reason: string; readonly count: number }
  | {
      readonly t: number;
      readonly type: 'refreshed';
      readonly expiration: string;
      readonly sessionSeconds: number;
      readonly latencyMs: number;
      readonly stsCalls: number;
      readonly served: number;
    }
  | { readonly t: number; readonly type: 'max-session'; readonly maxSeconds: number; readonly refusedSeconds: number }
  | { readonly t: number; readonly type: 'retry'; readonly code: string; readonly attempt: number; readonly delayMs: number }
  /** STS found the session tags too large: the droppable ones were left out (configure-aws-credentials does the same). */
  | { readonly t: number; readonly type: 'tags-dropped'; readonly keys: readonly string[] }
  | {
      readonly t: number;
      readonly type: 'refresh-failed';
      readonly code: string;
      readonly message: string;
      /** STS said no for good (trust policy, deleted role, …): retried at a slow ceiling. Absent in older logs. */
      readonly permanent?: boolean;
      readonly nextTryMs: number;
      readonly served: number;
    }
  | { readonly t: number; readonly type: 'expected-until'; readonly expectedUntil: number }
  | { readonly t: number; readonly type: 'unavailable'; readonly reason: string }
  | { readonly t: number; readonly type: 'stopped'; readonly reason: string; readonly served: number; readonly refused: number }
  | { readonly t: number; readonly type: 'crashed'; readonly reason: string };

type EventBody = ServerEvent extends infer E ? (E extends ServerEvent ? Omit<E, 't'> : never) : never;

/**
 * The pid of the server that wrote an event: stamped on each line (older logs
 * have it on 'started' only, so a line without it belongs to the last server
 * started before it). Two servers write to one log while a later step replaces one.
 */
export function writerOf(events: readonly ServerEvent[]): Array<number | undefined> {
  let last: number | undefined;
  return events.map((e) => {
    const pid = (e as { pid?: unknown }).pid;
    if (e.type === 'started') last = e.pid;
    return typeof pid === 'number' ? pid : last;
  });
}

export interface EventLog {
  write(event: EventBody): void;
}

/** `pid`: the server's, stamped on every line (see writerOf). */
export function fileEventLog(path: string, clock: () => number = Date.now, pid?: number): EventLog {
  return {
    write(event) {
      try {
        appendPrivateLine(path, JSON.stringify({ t: clock(), ...(pid !== undefined && { pid }), ...event }) + '\n');
      } catch {
        // The log is for the summary; losing a line must never stop serving credentials.
      }
    },
  };
}

export function readEventLog(path: string): ServerEvent[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const events: ServerEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as ServerEvent);
    } catch {
      // A line cut short by a kill: skip it.
    }
  }
  return events;
}

/** The last thing the server logged, for messages about a server that is gone. */
export function lastEventText(paths: Pick<KeepAlivePaths, 'log'>): string {
  const events = readEventLog(paths.log);
  const last = events[events.length - 1];
  if (!last) return 'it left no log';
  const at = new Date(last.t).toISOString();
  switch (last.type) {
    case 'refresh-failed':
      return `its last event was a failed refresh at ${at} (${last.code}: ${last.message})`;
    case 'stopped':
      return `it stopped at ${at} (${last.reason})`;
    case 'unavailable':
      return `at ${at}: ${last.reason}`;
    case 'crashed':
      return `it crashed at ${at} (${last.reason})`;
    default:
      return `its last event was "${last.type}" at ${at}`;
  }
}
