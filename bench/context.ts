/** Paths, names and process bookkeeping shared by the bench's sections. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cmdline, isAlive } from './proc.js';

export const ROOT = join(import.meta.dirname, '..');
export const BENCH = import.meta.dirname;
export const NODE = process.execPath;
export const DIST_MAIN = join(ROOT, 'dist', 'main');
export const MAIN = join(DIST_MAIN, 'index.js');
export const POST = join(ROOT, 'dist', 'post', 'index.js');
export const SERVER = join(ROOT, 'dist', 'server', 'index.js');
export const LOADGEN = join(BENCH, 'loadgen.mjs');
/** The floor of a refresh: the same two calls, nothing else (section 4's reference). */
export const MINIMAL_REFRESH = join(BENCH, 'minimal-refresh.cjs');
export const PROBE_URL = pathToFileURL(join(BENCH, 'probe.mjs')).href;
export const ACTION_YML = join(ROOT, 'action.yml');

/** Role with a 3 h maximum session (guard refresh, credential server). */
export const ROLE = 'arn:aws:iam::123456789012:role/deploy';
/** Role with AWS's default 1 h maximum session (keep-alive calls per start). */
export const ROLE_1H = 'arn:aws:iam::123456789012:role/deploy-1h';
export const REGION = 'eu-west-1';

export const started = Date.now();
export const log = (s: string): void => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${s}\n`);
};

/**
 * Processes started (directly or through the JobRunner) that must not outlive
 * the bench, with their command line when registered: on exit, a pid is killed
 * only if it still runs that command (never a recycled pid).
 */
const owned = new Map<number, string>();
export const own = (pid: number | undefined): void => {
  if (pid) owned.set(pid, cmdline(pid));
};
process.on('exit', () => {
  for (const [pid, cmd] of owned) {
    try {
      if (cmd && isAlive(pid) && cmdline(pid) === cmd) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `asg-bench-${prefix}-`));
}

/** Only what a process needs, nothing from the caller (no stray AWS_*, GITHUB_*, NODE_OPTIONS). */
export function minimalEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: home, PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  for (const name of ['LANG', 'LC_ALL', 'TZ', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

export const firstLine = (s: string): string => s.trim().split('\n').find((l) => l.trim()) ?? '';
