/**
 * The server's open-file limit (RLIMIT_NOFILE), raised to the hard limit at
 * start. Node has no setrlimit; it raises the soft limit itself at start-up
 * on POSIX systems, and where that did not happen (it can be turned off when
 * Node is embedded) the server runs util-linux's `prlimit` on its own pid.
 * What it ends with sets the connection cap (keepalive/connection-limits).
 */
import { readFile } from 'node:fs/promises';
import type { CommandRunner } from './link-local.js';

export interface FileLimits {
  readonly soft: number;
  readonly hard: number;
}

/** The "Max open files" line of /proc/<pid>/limits; `unlimited` is Infinity. */
export function parseOpenFileLimits(text: string): FileLimits | undefined {
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  if (!line) return undefined;
  const [soft, hard] = line
    .slice('Max open files'.length)
    .trim()
    .split(/\s+/)
    .map((w) => (w === 'unlimited' ? Infinity : Number(w)));
  if (soft === undefined || hard === undefined || Number.isNaN(soft) || Number.isNaN(hard)) return undefined;
  return { soft, hard };
}

export interface OpenFilesDeps {
  readonly pid: number;
  readonly readLimits: () => Promise<string | undefined>;
  readonly run: CommandRunner;
}

export interface RaisedLimits {
  /** Undefined where the limit cannot be read (macOS, Windows). */
  readonly limits?: FileLimits;
  /** Why the soft limit is still under the hard one, if it is. */
  readonly problem?: string;
}

/** Raises the soft limit to the hard one if it is lower; what it ends with. */
export async function raiseOpenFiles(deps: OpenFilesDeps): Promise<RaisedLimits> {
  const before = parseOpenFileLimits((await deps.readLimits()) ?? '');
  if (!before) return {};
  if (before.soft >= before.hard) return { limits: before };
  const hard = before.hard === Infinity ? 'unlimited' : String(before.hard);
  const r = await deps.run('prlimit', ['--pid', String(deps.pid), `--nofile=${hard}:${hard}`]);
  const after = parseOpenFileLimits((await deps.readLimits()) ?? '') ?? before;
  if (after.soft >= after.hard) return { limits: after };
  return { limits: after, problem: `prlimit --nofile could not raise the open-file limit from ${after.soft} to ${hard} (exit code ${r.code}${r.stderr ? `: ${r.stderr.trim().split('\n')[0] ?? ''}` : ''})` };
}

export const procLimitsReader = (pid: number | 'self' = 'self') => () => readFile(`/proc/${pid}/limits`, 'utf8').catch(() => undefined);
