/**
 * Timing passes: runs, interleaved iterations, and the probe preload's
 * per-process records.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { StepResult } from '../standins/index.js';
import { firstLine, PROBE_URL, scratchDir } from './context.js';
import type { TimedRun } from './proc.js';

/** One timed process run, with the step outputs it wrote. */
export interface Run extends TimedRun {
  readonly outputs: Record<string, string>;
}

/** A JobRunner step as a Run: wall time from just before spawn to exit and the end of its piped stdout/stderr. */
export const fromStep = (r: StepResult): Run => ({
  ms: r.durationMs,
  code: r.exitCode,
  signal: r.signal,
  stdout: r.stdout,
  stderr: r.stderr,
  timedOut: r.timedOut,
  outputs: r.outputs,
});

export const exitProblem = (r: Run): string | undefined => {
  if (r.code === 0) return undefined;
  const error = /::error[^:]*::(.*)/.exec(r.stdout)?.[1];
  return `exited ${r.code ?? r.signal}${r.timedOut ? ' (timed out)' : ''}: ${(error ?? firstLine(r.stderr || r.stdout)).slice(0, 160)}`;
};

export interface Subject {
  readonly key: string;
  readonly run: () => Promise<Run>;
  /** Validates a run outside its timed region; returns the problem, if any. Default: exit 0. */
  readonly check?: (r: Run) => string | undefined;
}

export interface Pass {
  readonly n: number;
  readonly warmup: number;
  /** Measured wall times per subject key, in run order. */
  readonly ms: Record<string, number[]>;
  readonly failures: string[];
}

export interface PassOptions {
  readonly n: number;
  readonly warmup: number;
  readonly subjects: readonly Subject[];
  /** Before each iteration (e.g. a fresh job). Not timed. */
  readonly before?: (i: number) => void | Promise<void>;
  /** After each iteration (e.g. the job's cleanup). Not timed. */
  readonly after?: (i: number) => void | Promise<void>;
  /** Order of the subjects (indices) in iteration i. Default: rotated by one each iteration, so each takes every place in turn. */
  readonly order?: (i: number, k: number) => readonly number[];
}

/**
 * Warm-up + n iterations; each runs every subject once, back to back, in an
 * order that changes from one iteration to the next, so machine noise hits
 * subject and baseline alike.
 */
export async function interleaved(opts: PassOptions): Promise<Pass> {
  const k = opts.subjects.length;
  const pass: Pass = { n: opts.n, warmup: opts.warmup, ms: Object.fromEntries(opts.subjects.map((s) => [s.key, []])), failures: [] };
  const rotate = (i: number) => opts.subjects.map((_, j) => (i + j) % k);
  for (let i = 0; i < opts.warmup + opts.n; i++) {
    await opts.before?.(i);
    try {
      for (const j of (opts.order ?? rotate)(i, k)) {
        const s = opts.subjects[j];
        if (!s) continue;
        const r = await s.run();
        const problem = (s.check ?? exitProblem)(r);
        if (problem) pass.failures.push(`${s.key} run ${i}: ${problem}`);
        if (i >= opts.warmup) pass.ms[s.key]?.push(r.ms);
      }
    } finally {
      await opts.after?.(i);
    }
  }
  return pass;
}

/** What bench/probe.mjs writes for one process. */
export interface ProbeRecord {
  readonly pid: number;
  readonly ppid: number;
  readonly argv: string[];
  readonly code: number;
  readonly maxRSSKiB: number;
  readonly modules: string[];
  readonly files: string[];
}

/**
 * Runs a node process under the probe preload: `start(nodeArgs, env)` must
 * put `nodeArgs` before the script and add `env` to the child's env. Returns
 * the run and the record of the process the bench started itself.
 */
export async function probed(
  start: (nodeArgs: string[], env: Record<string, string>) => Promise<Run>,
  opts: { trace?: boolean } = {},
): Promise<{ run: Run; probe: ProbeRecord | undefined }> {
  const dir = scratchDir('probe');
  try {
    const run = await start(['--import', PROBE_URL], { BENCH_PROBE_DIR: dir, BENCH_PROBE_TRACE: opts.trace ? '1' : '0' });
    const records = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ProbeRecord);
    return { run, probe: records.find((r) => r.ppid === process.pid) ?? (records.length === 1 ? records[0] : undefined) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file under dir (recursively), with its size. */
export function listFiles(dir: string): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push({ path: relative(dir, p), bytes: statSync(p).size });
    }
  };
  walk(dir);
  return out;
}
