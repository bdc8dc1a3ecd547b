/**
 * A GitHub Actions runner emulator for integration tests: runs a bundled
 * JavaScript action entry (or any command) as a child process the way the
 * runner does, then reads the step's file commands and workflow commands.
 *
 * ```ts
 * const job = new JobRunner({ env: issuer.env() });
 * const main = await job.runAction('dist/main/index.js', { inputs: { 'role-to-assume': arn } });
 * await job.runCommand('node', ['-e', 'console.log(process.env.AWS_REGION)']);
 * const post = await job.runPost('dist/post/index.js', main);
 * expect(job.secretsUnmasked([secret])).toEqual([]);
 * await job.cleanup();   // kills what the steps left running (RUNNER_TRACKING_ID), removes temp dirs
 * ```
 *
 * Semantics follow actions/runner: GITHUB_ENV/OUTPUT/STATE/STEP_SUMMARY/PATH
 * are fresh files per step and read after the step exits; exported env
 * reaches later steps only; `::add-mask::` is honoured on stdout only; a step
 * ends when its process exits even if a detached grandchild still holds the
 * pipes.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

export interface JobRunnerOptions {
  /** Job-level env (like `jobs.<id>.env`), visible to every step and extended by exports. */
  env?: Record<string, string>;
  /** Node binary for actions. Default `process.execPath`. */
  node?: string;
  /** Names copied from this process's env into every step. Default PATH, LANG, LC_ALL, TZ, TMPDIR. Nothing else leaks in. */
  inheritEnv?: readonly string[];
  repository?: string;
  workflow?: string;
  job?: string;
  /** Called with every log line as it arrives (e.g. `(l) => process.stderr.write(l + '\n')` when debugging). */
  echo?: (line: string) => void;
}

export interface StepOptions {
  /** Step name for the log header. */
  name?: string;
  /** `with:` inputs. Become `INPUT_<NAME>` (upper-cased, spaces to `_`, hyphens kept). Only the given ones are set. */
  inputs?: Record<string, string>;
  /** Step-level `env:`. */
  env?: Record<string, string>;
  /** Extra `STATE_<name>` variables. */
  state?: Record<string, string>;
  /** Kill the step (SIGKILL) after this long. Default none. */
  timeoutMs?: number;
  /** Working directory. Default the job's GITHUB_WORKSPACE. */
  cwd?: string;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface StepResult {
  name: string;
  /** null when killed by a signal or when the process could not start. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** From GITHUB_OUTPUT (and the deprecated `::set-output`). */
  outputs: Record<string, string>;
  /** From GITHUB_ENV: what later steps see. */
  exportedEnv: Record<string, string>;
  /** From GITHUB_STATE (and the deprecated `::save-state`): reaches the post step as STATE_<name>. */
  state: Record<string, string>;
  /** GITHUB_STEP_SUMMARY contents. */
  summary: string;
  /** Lines appended to GITHUB_PATH. */
  addedPath: string[];
  /** Values registered by `::add-mask::` in this step. */
  masks: string[];
  errors: string[];
  warnings: string[];
  notices: string[];
  debug: string[];
  annotations: Annotation[];
  /** Problems the runner would report (malformed file commands, disabled commands...). */
  commandErrors: string[];
}

export interface CommandResult extends StepResult {
  code: number | null;
}

interface LogLine {
  step: number;
  stream: 'stdout' | 'stderr' | 'runner';
  text: string;
}

const DEFAULT_INHERIT = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'] as const;
const STREAM_GRACE_MS = 300;

export class JobRunner {
  /** The job's accumulated env (initial `env` plus every export so far). */
  readonly env: Record<string, string>;
  /** Every value masked so far (all steps). */
  readonly masks = new Set<string>();
  /** Per-job temp dirs. */
  readonly jobDir: string;
  readonly runnerTemp: string;
  readonly workspace: string;
  readonly home: string;
  /** RUNNER_TRACKING_ID: every process a step starts inherits it. */
  readonly trackingId: string;
  readonly runId: string;
  readonly steps: StepResult[] = [];
  private readonly node: string;
  private readonly inherit: readonly string[];
  private readonly repository: string;
  private readonly workflow: string;
  private readonly jobName: string;
  private readonly echo: ((line: string) => void) | undefined;
  private readonly prependPath: string[] = [];
  private readonly logLines: LogLine[] = [];
  private stepCount = 0;
  private cleaned = false;

  constructor(opts: JobRunnerOptions = {}) {
    this.env = { ...(opts.env ?? {}) };
    this.node = opts.node ?? process.execPath;
    this.inherit = opts.inheritEnv ?? DEFAULT_INHERIT;
    this.repository = opts.repository ?? 'octo-org/octo-repo';
    this.workflow = opts.workflow ?? 'Deploy';
    this.jobName = opts.job ?? 'deploy';
    this.echo = opts.echo;
    this.jobDir = mkdtempSync(join(tmpdir(), 'job-runner-'));
    this.runnerTemp = join(this.jobDir, 'temp');
    this.workspace = join(this.jobDir, 'workspace');
    this.home = join(this.jobDir, 'home');
    for (const d of [this.runnerTemp, this.workspace, this.home]) mkdirSync(d, { recursive: true });
    this.trackingId = `github_${randomUUID()}`;
    this.runId = String(10_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  }

  /** The whole job log: every step's stdout and stderr lines, in arrival order, with a header per step. */
  get log(): string {
    return this.logLines.map((l) => l.text).join('\n');
  }

  /** The log as the runner would display it: masked values replaced by `***`. */
  get maskedLog(): string {
    const masks = [...this.masks].sort((a, b) => b.length - a.length);
    return this.logLines
      .map((l) => masks.reduce((text, m) => text.split(m).join('***'), l.text))
      .join('\n');
  }

  /** Runs `node <entry>` as a `uses:` step's main (or pre). */
  runAction(entry: string, opts: StepOptions = {}): Promise<StepResult> {
    return this.runStep(this.node, [entry], opts.name ?? `main ${basename(entry)}`, opts);
  }

  /** Runs the post entry with `STATE_<name>` for each state the main step saved. */
  runPost(entry: string, mainResult: Pick<StepResult, 'state'>, opts: StepOptions = {}): Promise<StepResult> {
    return this.runStep(this.node, [entry], opts.name ?? `post ${basename(entry)}`, {
      ...opts,
      state: { ...mainResult.state, ...(opts.state ?? {}) },
    });
  }

  /** A plain `run:` step (no shell: pass `bash -c` yourself) with the job env. */
  async runCommand(cmd: string, args: readonly string[] = [], opts: StepOptions = {}): Promise<CommandResult> {
    const result = await this.runStep(cmd, args, opts.name ?? `run ${basename(cmd)}`, opts);
    return { ...result, code: result.exitCode };
  }

  /**
   * Secrets that would be visible in the log: those appearing anywhere other
   * than in `::add-mask::` lines on stdout, or in a line before their own
   * `::add-mask::` line. Empty strings are ignored.
   */
  secretsUnmasked(secrets: readonly string[]): string[] {
    const leaked: string[] = [];
    for (const secret of secrets) {
      if (!secret) continue;
      let maskedYet = false;
      let leak = false;
      const otherLines: string[] = [];
      for (const line of this.logLines) {
        const mask = line.stream === 'stdout' ? addMaskValue(line.text) : undefined;
        if (mask === undefined) {
          otherLines.push(line.text);
          continue;
        }
        if (mask === secret) maskedYet = true;
        else if (!maskedYet && line.text.includes(secret)) leak = true;
      }
      if (leak || otherLines.join('\n').includes(secret)) leaked.push(secret);
    }
    return leaked;
  }

  /** PIDs of live processes carrying this job's RUNNER_TRACKING_ID (Linux /proc). */
  trackedProcesses(): number[] {
    const needle = Buffer.from(`RUNNER_TRACKING_ID=${this.trackingId}\0`);
    const pids: number[] = [];
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return pids;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (pid === process.pid) continue;
      try {
        const environ = readFileSync(`/proc/${entry}/environ`);
        if (environ.includes(needle) && !isZombie(pid)) pids.push(pid);
      } catch {
        // gone, or not ours to read
      }
    }
    return pids;
  }

  /**
   * "Complete job": SIGTERM every process still carrying this job's
   * RUNNER_TRACKING_ID (SIGKILL after `graceMs`), then remove the temp dirs.
   */
  async cleanup(opts: { graceMs?: number } = {}): Promise<{ killed: number[] }> {
    if (this.cleaned) return { killed: [] };
    this.cleaned = true;
    const killed = this.trackedProcesses();
    for (const pid of killed) signal(pid, 'SIGTERM');
    const deadline = Date.now() + (opts.graceMs ?? 2000);
    while (Date.now() < deadline && killed.some(isAlive)) await delay(50);
    for (const pid of killed) if (isAlive(pid)) signal(pid, 'SIGKILL');
    rmSync(this.jobDir, { recursive: true, force: true });
    return { killed };
  }

  // ---------------------------------------------------------------------------

  private baseEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of this.inherit) {
      const v = process.env[name];
      if (v !== undefined) env[name] = v;
    }
    const [owner] = this.repository.split('/');
    Object.assign(env, {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_NAME: 'GitHub Actions 1',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_TEMP: this.runnerTemp,
      RUNNER_TRACKING_ID: this.trackingId,
      HOME: this.home,
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_RUN_ID: this.runId,
      GITHUB_RUN_NUMBER: '7',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REPOSITORY: this.repository,
      GITHUB_REPOSITORY_OWNER: owner ?? this.repository,
      GITHUB_WORKFLOW: this.workflow,
      GITHUB_JOB: this.jobName,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
    });
    return env;
  }

  private async runStep(cmd: string, args: readonly string[], name: string, opts: StepOptions): Promise<StepResult> {
    if (this.cleaned) throw new Error('JobRunner: cleanup() already ran');
    const step = ++this.stepCount;
    const dir = mkdtempSync(join(this.runnerTemp, `_runner_file_commands_${step}_`));
    const files = {
      GITHUB_ENV: join(dir, `set_env_${randomUUID()}`),
      GITHUB_OUTPUT: join(dir, `set_output_${randomUUID()}`),
      GITHUB_STATE: join(dir, `save_state_${randomUUID()}`),
      GITHUB_STEP_SUMMARY: join(dir, `step_summary_${randomUUID()}`),
      GITHUB_PATH: join(dir, `add_path_${randomUUID()}`),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');

    const env: Record<string, string> = { ...this.baseEnv(), ...this.env };
    if (this.prependPath.length > 0) {
      const base = env['PATH'] ?? '';
      env['PATH'] = [...this.prependPath].reverse().concat(base ? [base] : []).join(':');
    }
    Object.assign(env, opts.env ?? {});
    for (const [k, v] of Object.entries(opts.inputs ?? {})) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
    for (const [k, v] of Object.entries(opts.state ?? {})) env[`STATE_${k}`] = v;
    env['GITHUB_ACTION'] = `__step_${step}`;
    Object.assign(env, files);

    this.pushLog(step, 'runner', `##[step ${step}] ${name}`);
    const result: StepResult = {
      name,
      exitCode: null,
      signal: null,
      timedOut: false,
      stdout: '',
      stderr: '',
      durationMs: 0,
      outputs: {},
      exportedEnv: {},
      state: {},
      summary: '',
      addedPath: [],
      masks: [],
      errors: [],
      warnings: [],
      notices: [],
      debug: [],
      annotations: [],
      commandErrors: [],
    };
    const commands = new CommandProcessor(result, this.masks);
    const started = performance.now();
    const child = spawn(cmd, [...args], { cwd: opts.cwd ?? this.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = this.lineReader(child.stdout, step, 'stdout', (line) => {
      result.stdout += `${line}\n`;
      commands.process(line);
    });
    const err = this.lineReader(child.stderr, step, 'stderr', (line) => {
      result.stderr += `${line}\n`;
    });

    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        result.timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs);
    }
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (e) => {
        result.stderr += `${e.message}\n`;
        this.pushLog(step, 'runner', `##[error]${e.message}`);
        resolve({ code: null, signal: null });
      });
      // 'exit', not 'close': a detached grandchild may hold the pipes forever.
      child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    });
    if (timer) clearTimeout(timer);
    await Promise.all([out.drain(), err.drain()]);
    result.durationMs = performance.now() - started;
    result.exitCode = exit.code;
    result.signal = exit.signal;

    this.readFileCommands(result, files);
    rmSync(dir, { recursive: true, force: true });
    this.steps.push(result);
    return result;
  }

  private readFileCommands(result: StepResult, files: Record<'GITHUB_ENV' | 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_PATH', string>): void {
    const read = (f: string): string => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    };
    const envFile = parseKeyValueFile(read(files.GITHUB_ENV));
    for (const [k, v] of Object.entries(envFile.values)) {
      if (k.toUpperCase() === 'NODE_OPTIONS') {
        result.commandErrors.push("Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.");
        continue;
      }
      result.exportedEnv[k] = v;
      this.env[k] = v;
    }
    result.commandErrors.push(...envFile.errors);
    const outFile = parseKeyValueFile(read(files.GITHUB_OUTPUT));
    Object.assign(result.outputs, outFile.values);
    result.commandErrors.push(...outFile.errors);
    const stateFile = parseKeyValueFile(read(files.GITHUB_STATE));
    Object.assign(result.state, stateFile.values);
    result.commandErrors.push(...stateFile.errors);
    result.summary = read(files.GITHUB_STEP_SUMMARY);
    for (const line of read(files.GITHUB_PATH).split('\n')) {
      const p = line.trim();
      if (!p) continue;
      result.addedPath.push(p);
      const i = this.prependPath.indexOf(p);
      if (i >= 0) this.prependPath.splice(i, 1);
      this.prependPath.push(p);
    }
  }

  private pushLog(step: number, stream: LogLine['stream'], text: string): void {
    this.logLines.push({ step, stream, text });
    this.echo?.(text);
  }

  /** Splits a stream into lines; `drain()` waits briefly for the end, then detaches. */
  private lineReader(
    stream: Readable,
    step: number,
    name: 'stdout' | 'stderr',
    onLine: (line: string) => void,
  ): { drain: () => Promise<void> } {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let ended = false;
    let onEnd: (() => void) | undefined;
    const emit = (line: string): void => {
      const text = line.endsWith('\r') ? line.slice(0, -1) : line;
      this.pushLog(step, name, text);
      onLine(text);
    };
    const feed = (s: string): void => {
      pending += s;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        emit(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    };
    const finish = (): void => {
      if (ended) return;
      ended = true;
      feed(decoder.end());
      if (pending) emit(pending);
      pending = '';
      onEnd?.();
    };
    stream.on('data', (chunk: Buffer) => feed(decoder.write(chunk)));
    stream.once('end', finish);
    stream.once('error', finish);
    return {
      drain: () =>
        new Promise<void>((resolve) => {
          if (ended) {
            resolve();
            return;
          }
          const timer = setTimeout(() => {
            // Someone (a detached grandchild) still holds the pipe: stop listening.
            stream.removeAllListeners('data');
            stream.destroy();
            finish();
          }, STREAM_GRACE_MS);
          onEnd = () => {
            clearTimeout(timer);
            resolve();
          };
        }),
    };
  }
}

// --- workflow commands -----------------------------------------------------------

class CommandProcessor {
  private stopToken: string | undefined;

  constructor(
    private readonly result: StepResult,
    private readonly jobMasks: Set<string>,
  ) {}

  process(line: string): void {
    const t = line.trimStart();
    if (this.stopToken !== undefined) {
      if (t === `::${this.stopToken}::`) this.stopToken = undefined;
      return;
    }
    const cmd = parseCommand(t);
    if (!cmd) return;
    const r = this.result;
    switch (cmd.name) {
      case 'add-mask':
        if (cmd.data.trim()) {
          r.masks.push(cmd.data);
          this.jobMasks.add(cmd.data);
        } else {
          r.warnings.push("Can't add secret mask for empty string in ##[add-mask] command.");
        }
        break;
      case 'error':
      case 'warning':
      case 'notice': {
        r.annotations.push({ level: cmd.name, message: cmd.data, properties: cmd.properties });
        const list = cmd.name === 'error' ? r.errors : cmd.name === 'warning' ? r.warnings : r.notices;
        list.push(cmd.data);
        break;
      }
      case 'debug':
        r.debug.push(cmd.data);
        break;
      case 'stop-commands':
        if (cmd.data) this.stopToken = cmd.data;
        break;
      case 'set-output':
        if (cmd.properties['name']) r.outputs[cmd.properties['name']] = cmd.data;
        break;
      case 'save-state':
        if (cmd.properties['name']) r.state[cmd.properties['name']] = cmd.data;
        break;
      case 'set-env':
      case 'add-path':
        r.commandErrors.push(`The \`${cmd.name}\` command is disabled. Please upgrade to using Environment Files.`);
        break;
      default:
        break; // group, endgroup, echo, unknown: ignored
    }
  }
}

function parseCommand(t: string): { name: string; properties: Record<string, string>; data: string } | undefined {
  if (!t.startsWith('::')) return undefined;
  const end = t.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = t.slice(2, end);
  const sp = info.indexOf(' ');
  const name = sp < 0 ? info : info.slice(0, sp);
  const properties: Record<string, string> = {};
  if (sp >= 0) {
    for (const pair of info.slice(sp + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1));
    }
  }
  return { name, properties, data: unescapeData(t.slice(end + 2)) };
}

function unescapeData(s: string): string {
  return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s: string): string {
  return s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%');
}

function addMaskValue(line: string): string | undefined {
  const cmd = parseCommand(line.trimStart());
  return cmd?.name === 'add-mask' ? cmd.data : undefined;
}

// --- file commands ------------------------------------------------------------------

/**
 * Parses a GITHUB_ENV / GITHUB_OUTPUT / GITHUB_STATE file the way the runner
 * does: `NAME=VALUE` lines (split at the first `=`) and heredocs
 * `NAME<<DELIM` ... `DELIM`, whichever of `=`/`<<` comes first on the line.
 */
export function parseKeyValueFile(text: string): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const lines = text.split('\n');
  // A trailing newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const eq = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      const name = line.slice(0, eq);
      if (!name) {
        errors.push(`Invalid format '${line}'. Name must not be empty`);
        continue;
      }
      values[name] = line.slice(eq + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (!name || !delimiter) {
        errors.push(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
        continue;
      }
      const body: string[] = [];
      let closed = false;
      while (++i < lines.length) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[i] as string);
      }
      if (!closed) {
        errors.push(`Invalid value. Matching delimiter not found '${delimiter}'`);
        break;
      }
      values[name] = body.join('\n');
    } else {
      errors.push(`Invalid format '${line}'`);
    }
  }
  return { values, errors };
}

// --- processes --------------------------------------------------------------------

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
