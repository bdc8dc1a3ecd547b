/**
 * The step-start sections of the bench: each spawns the bundled main entry
 * (and its baselines) as a step, interleaved, and times it from spawn to exit.
 *
 * "Runner-shaped" runs go through the standins' JobRunner, the way the runner
 * starts a `node24` action: stdout and stderr are pipes the parent reads, the
 * env has the runner's variables (RUNNER_TEMP, GITHUB_*), fresh
 * GITHUB_ENV/OUTPUT/STATE/STEP_SUMMARY files per step, and INPUT_* for the
 * inputs given and every input with a default in action.yml. Baselines run
 * as steps of the same job with the same env.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { JobRunner, type OidcIssuer, type StepOptions, type StepResult, type StsCall, type StsStandIn } from '../standins/index.js';
import { readActionYml } from './action-yml.js';
import { cacInputs, type Cac } from './cac.js';
import { CONFIG } from './config.js';
import { ACTION_YML, BENCH, DIST_MAIN, log, MAIN, MINIMAL_REFRESH, NODE, own, REGION, ROLE, ROLE_1H, ROOT, scratchDir } from './context.js';
import { exitProblem, fromStep, interleaved, listFiles, probed, type Pass, type ProbeRecord, type Run, type Subject } from './steps.js';

const OURS = readActionYml(ACTION_YML);
/** Our inputs as the runner passes them: every default, plus what the step sets. */
const ourInputs = (given: Record<string, string> = {}): Record<string, string> => ({ ...OURS.defaults, ...given });
const REFRESH_INPUTS = { 'role-to-assume': ROLE, 'aws-region': REGION };
const KEEPALIVE_INPUTS = { 'role-to-assume': ROLE_1H, 'aws-region': REGION, 'keep-alive': 'true', 'expected-duration': '1h' };
const STEP_TIMEOUT_MS = 60_000;

/**
 * The healthy path needs a session this action exported in the same job (keys,
 * expiry and the session marker bound to them, which records the minting
 * step's configuration): mintedJob() starts a job with a refresh step, 3 h
 * long, as a job's first guard step would. The timed healthy step is a later
 * guard step of that job: the same configuration, another need (2 h).
 */
const SESSION_INPUTS = { 'role-to-assume': ROLE, 'aws-region': REGION, 'role-session-name': 'bench-session', 'role-duration-seconds': '10800' };
const HEALTHY_INPUTS = { ...SESSION_INPUTS, 'expected-duration': '2h' };
/** A healthy guard step whose configuration is not the minting step's (another retry count, same identity): it reads and checks all its settings. */
const FULL_PATH_INPUTS = { ...HEALTHY_INPUTS, 'retry-max-attempts': '3' };
const healthyStep = (): StepOptions => ({ inputs: ourInputs(HEALTHY_INPUTS), timeoutMs: STEP_TIMEOUT_MS });
const fullPathStep = (): StepOptions => ({ inputs: ourInputs(FULL_PATH_INPUTS), timeoutMs: STEP_TIMEOUT_MS });
const refreshStep = (): StepOptions => ({ inputs: ourInputs(REFRESH_INPUTS), timeoutMs: STEP_TIMEOUT_MS });

/**
 * Takes back what a step exported (the job env keeps exports for later
 * steps), so the job's next refresh step mints again instead of finding the
 * session healthy: a second refresh in the same job, e.g. for another role.
 */
function forgetExports(job: JobRunner, step: StepResult): Run {
  for (const name of Object.keys(step.exportedEnv)) delete job.env[name];
  return fromStep(step);
}

const healthyCheck = (r: Run): string | undefined => exitProblem(r) ?? (r.outputs['refreshed'] === 'false' ? undefined : `refreshed=${r.outputs['refreshed'] ?? '(none)'}`);
const refreshedCheck = (r: Run): string | undefined => exitProblem(r) ?? (r.outputs['refreshed'] === 'true' ? undefined : `refreshed=${r.outputs['refreshed'] ?? '(none)'}`);

export interface StandIns {
  readonly issuer: OidcIssuer;
  readonly sts: StsStandIn;
}

/** Job-level env of a job with `id-token: write` whose STS is the stand-in. */
const standInEnv = (s: StandIns): Record<string, string> => ({
  ...s.issuer.env(),
  AWS_ENDPOINT_URL_STS: s.sts.endpoint,
  AWS_EC2_METADATA_DISABLED: 'true',
});

/** A fresh job whose first step minted a 3 h session (not timed); later steps get its exports from the job env. */
export async function mintedJob(s: StandIns): Promise<JobRunner> {
  const job = new JobRunner({ env: standInEnv(s) });
  const r = await job.runAction(MAIN, { inputs: ourInputs(SESSION_INPUTS), timeoutMs: STEP_TIMEOUT_MS });
  if (r.exitCode !== 0 || !r.exportedEnv['AWS_CREDENTIAL_EXPIRATION']) {
    await job.cleanup();
    throw new Error(`the refresh step that mints the healthy path's session failed (exit ${r.exitCode}): ${r.errors.join(' | ') || r.stderr.slice(0, 300)}`);
  }
  return job;
}

// ---------------------------------------------------------------------------
// The same healthy path on @actions/core, bundled at bench time.

export interface ActionsCoreBuild {
  readonly entry: string;
  readonly bytes: number;
  readonly buildMs: number;
  readonly dir: string;
  readonly coreVersion: string;
}

export function buildActionsCore(): ActionsCoreBuild {
  const dir = scratchDir('actions-core');
  const t0 = Date.now();
  const ncc = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const r = spawnSync(NODE, [ncc, 'build', join(BENCH, 'healthy-actions-core.ts'), '-o', dir, '-q'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  const entry = join(dir, 'index.js');
  if (r.status !== 0 || !existsSync(entry)) throw new Error(`ncc build of bench/healthy-actions-core.ts failed: ${(r.stderr || r.stdout || String(r.error)).slice(0, 500)}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@actions', 'core', 'package.json'), 'utf8')) as { version: string };
  return { entry, bytes: statSync(entry).size, buildMs: Date.now() - t0, dir, coreVersion: pkg.version };
}

// ---------------------------------------------------------------------------
// 1. Healthy path, runner-shaped, beside @actions/core.

export interface HealthyResult {
  /** Runner-shaped steps, a fresh job per iteration whose first step minted the session. */
  readonly runner: Pass;
  readonly noChunkNeeded: boolean;
  readonly noChunkDetail: string;
}

export async function benchHealthy(core: ActionsCoreBuild, s: StandIns): Promise<HealthyResult> {
  const dir = scratchDir('healthy');
  try {
    log(`1. healthy path, runner-shaped: ${CONFIG.warmup} warm-up + ${CONFIG.healthyN} iterations, a fresh job each (its first step mints)`);
    let job!: JobRunner;
    const runner = await interleaved({
      n: CONFIG.healthyN,
      warmup: CONFIG.warmup,
      before: async () => {
        job = await mintedJob(s);
      },
      after: async () => {
        await job.cleanup();
      },
      subjects: [
        { key: 'baseline', run: async () => fromStep(await job.runCommand(NODE, ['-e', '0'], healthyStep())) },
        { key: 'guard', run: async () => fromStep(await job.runAction(MAIN, healthyStep())), check: healthyCheck },
        { key: 'guardFull', run: async () => fromStep(await job.runAction(MAIN, fullPathStep())), check: healthyCheck },
        { key: 'actionsCore', run: async () => fromStep(await job.runAction(core.entry, healthyStep())), check: healthyCheck },
      ],
    });

    // Does the healthy path need any lazily loaded chunk? Run it from a copy of dist/main without them.
    const copy = join(dir, 'main-no-chunks');
    cpSync(DIST_MAIN, copy, { recursive: true });
    const removed = readdirSync(copy).filter((f) => f.endsWith('.chunk.js'));
    for (const f of removed) rmSync(join(copy, f));
    const j = await mintedJob(s);
    let problem: string | undefined;
    try {
      problem = healthyCheck(fromStep(await j.runAction(join(copy, 'index.js'), healthyStep())));
    } finally {
      await j.cleanup();
    }
    return {
      runner,
      noChunkNeeded: problem === undefined,
      noChunkDetail: problem ?? `exit 0, refreshed=false with all ${removed.length} chunk files removed`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Peak RSS (a separate pass: the probe preload runs in every process of it).

export interface MemoryResult {
  readonly n: number;
  /** maxRSS (KiB) per subject, measured iterations only. */
  readonly maxRssKiB: Record<string, number[]>;
  readonly failures: string[];
}

export async function benchMemory(core: ActionsCoreBuild, s: StandIns): Promise<MemoryResult> {
  log(`2. peak RSS: ${CONFIG.memoryN} iterations (+1 warm-up) under the probe preload, runner-shaped`);
  const maxRssKiB: Record<string, number[]> = { baseline: [], guard: [], actionsCore: [], refresh: [] };
  let job!: JobRunner;
  let jobR!: JobRunner;
  let measured = false;
  const subject = (key: string, start: (pre: string[], env: Record<string, string>) => Promise<Run>, check?: (r: Run) => string | undefined): Subject => ({
    key,
    run: async () => {
      const { run, probe } = await probed(start);
      if (!probe) return { ...run, code: run.code ?? -1, stderr: `${run.stderr}\nno probe record` };
      if (measured) maxRssKiB[key]?.push(probe.maxRSSKiB);
      return run;
    },
    ...(check && { check }),
  });
  const h = healthyStep;
  const pass = await interleaved({
    n: CONFIG.memoryN,
    warmup: 1,
    before: async (i) => {
      measured = i >= 1;
      job = await mintedJob(s);
      jobR = new JobRunner({ env: standInEnv(s) });
    },
    after: async () => {
      await job.cleanup();
      await jobR.cleanup();
    },
    subjects: [
      subject('baseline', async (pre, env) => fromStep(await job.runCommand(NODE, [...pre, '-e', '0'], { ...h(), env }))),
      subject('guard', async (pre, env) => fromStep(await job.runCommand(NODE, [...pre, MAIN], { ...h(), env })), healthyCheck),
      subject('actionsCore', async (pre, env) => fromStep(await job.runCommand(NODE, [...pre, core.entry], { ...h(), env })), healthyCheck),
      subject('refresh', async (pre, env) => fromStep(await jobR.runCommand(NODE, [...pre, MAIN], { ...refreshStep(), env })), refreshedCheck),
    ],
  });
  return { n: CONFIG.memoryN, maxRssKiB, failures: pass.failures };
}

// ---------------------------------------------------------------------------
// Built-in modules loaded, and the files each path loads.

export const FLAGGED_MODULES = ['net', 'http', 'https', 'tls', 'http2', 'dns', 'dgram', 'crypto', 'zlib'] as const;

export interface ModuleList {
  readonly name: string;
  readonly ok: boolean;
  readonly problem?: string;
  /** Every `NativeModule` entry of process.moduleLoadList at exit. */
  readonly natives: string[];
  /** Those that `node -e 0` under the same preload does not load. */
  readonly beyondBaseline: string[];
  /** Those that a bare process writing one line to its piped stdout does not load either. */
  readonly beyondStdout: string[];
  /** Of FLAGGED_MODULES, the ones loaded. */
  readonly flagged: string[];
}

export interface ModulesResult {
  readonly baselineNatives: number;
  readonly lists: ModuleList[];
  /** dist/ files each path loaded (file URLs). */
  readonly traces: Record<string, string[]>;
  readonly traceProblems: string[];
}

const nativesOf = (p: ProbeRecord | undefined): string[] =>
  (p?.modules ?? []).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));

export async function benchModules(core: ActionsCoreBuild, s: StandIns): Promise<ModulesResult> {
  log('3. built-in modules: one probed run each (node -e 0, a stdout write, guard, @actions/core), then traced runs per path');
  const job = await mintedJob(s);
  const traces: Record<string, string[]> = {};
  const traceProblems: string[] = [];
  try {
    const h = healthyStep;
    const inJob = (args: string[], opts: StepOptions = h()) => (pre: string[], env: Record<string, string>) =>
      job.runCommand(NODE, [...pre, ...args], { ...opts, env: { ...opts.env, ...env } }).then(fromStep);
    const baseline = await probed(inJob(['-e', '0']));
    const stdout = await probed(inJob(['-e', "process.stdout.write('ok\\n')"]));
    const base = new Set(nativesOf(baseline.probe));
    const withStdout = new Set(nativesOf(stdout.probe));
    const list = (name: string, r: { run: Run; probe: ProbeRecord | undefined }, check: (r: Run) => string | undefined): ModuleList => {
      const natives = nativesOf(r.probe);
      const problem = r.probe ? check(r.run) : 'no probe record';
      return {
        name,
        ok: problem === undefined,
        ...(problem !== undefined && { problem }),
        natives,
        beyondBaseline: natives.filter((m) => !base.has(m)),
        beyondStdout: natives.filter((m) => !withStdout.has(m)),
        flagged: FLAGGED_MODULES.filter((m) => natives.includes(m)),
      };
    };
    const lists = [
      list('bare process writing one line to its piped stdout (`node -e "process.stdout.write(...)"`)', stdout, exitProblem),
      list('guard, healthy path', await probed(inJob([MAIN])), healthyCheck),
      list('healthy path on @actions/core', await probed(inJob([core.entry])), healthyCheck),
      list('guard, refresh path', await probed(inJob([MAIN], refreshStep())), refreshedCheck),
    ];

    // Traced runs: which dist/ files each path loads (fresh job each, so nothing is left from another path).
    const traced = async (name: string, opts: StepOptions, check: (r: Run) => string | undefined, minted = false) => {
      const j = minted ? await mintedJob(s) : new JobRunner({ env: standInEnv(s) });
      try {
        const r = await probed((pre, env) => j.runCommand(NODE, [...pre, MAIN], { ...opts, env: { ...opts.env, ...env } }).then(fromStep), { trace: true });
        const problem = r.probe ? check(r.run) : 'no probe record';
        if (problem) traceProblems.push(`${name}: ${problem}`);
        traces[name] = (r.probe?.files ?? []).filter((u) => u.startsWith('file:'));
      } finally {
        await j.cleanup();
      }
    };
    await traced('healthy', h(), healthyCheck, true);
    await traced('refresh', refreshStep(), refreshedCheck);
    await traced('keep-alive', { inputs: ourInputs(KEEPALIVE_INPUTS), timeoutMs: STEP_TIMEOUT_MS }, exitProblem);
    return { baselineNatives: base.size, lists, traces, traceProblems };
  } finally {
    await job.cleanup();
  }
}

// ---------------------------------------------------------------------------
// 4. Refresh path vs node -e 0 (and configure-aws-credentials when given).

/** Network calls one run made on the stand-ins. */
export interface CallCount {
  readonly idTokens: number;
  readonly sts: string[];
}

const describeCall = (c: StsCall): string =>
  `${c.action}${c.durationSeconds !== undefined ? `(${c.durationSeconds} s)` : ''}:${c.status}${c.code ? ` ${c.code}` : ''}`;

/** Wraps a run to record the calls it made on the stand-ins. */
function counted(s: StandIns, into: CallCount[], run: () => Promise<Run>): () => Promise<Run> {
  return async () => {
    const calls0 = s.sts.calls.length;
    const tokens0 = s.issuer.requests.length;
    const r = await run();
    into.push({ idTokens: s.issuer.requests.length - tokens0, sts: s.sts.calls.slice(calls0).map(describeCall) });
    return r;
  };
}

export interface RefreshResult {
  readonly pass: Pass;
  readonly calls: Record<string, CallCount[]>;
  readonly cac: Cac | undefined;
  readonly cacWhy: string;
  /** The refresh path run from dist/main without its lazy chunks: must fail (the SDK really is lazy). */
  readonly controlWithoutChunks: { failed: boolean; detail: string };
  /** The refresh path run from dist/main without the AWS SDK's chunks (every chunk that holds the SDK's commands): must still mint. */
  readonly withoutSdk: { ok: boolean; removed: string[]; detail: string };
}

/** A name only the SDK (and the SDK gateway that drives it) holds. */
const SDK_MARKER = 'AssumeRoleWithWebIdentityCommand';

export async function benchRefresh(s: StandIns, cac: Cac | undefined, cacWhy: string): Promise<RefreshResult> {
  const calls: Record<string, CallCount[]> = { guard: [], cac: [], minimal: [] };
  const lastCall = (key: string) => calls[key]?.[calls[key].length - 1];
  const guardCheck = (r: Run): string | undefined => {
    const problem = refreshedCheck(r);
    if (problem) return problem;
    const c = lastCall('guard');
    if (c?.idTokens !== 1) return `expected 1 ID token request, got ${c?.idTokens}`;
    if (c.sts.length !== 1 || !c.sts[0]?.startsWith('AssumeRoleWithWebIdentity') || !c.sts[0].endsWith(':200')) return `expected one AssumeRoleWithWebIdentity, got ${c.sts.join(', ') || 'none'}`;
    return undefined;
  };
  const cacCheck = (r: Run): string | undefined => {
    const problem = exitProblem(r);
    if (problem) return problem;
    const c = lastCall('cac');
    return c?.sts.some((x) => x.startsWith('AssumeRoleWithWebIdentity') && x.endsWith(':200')) ? undefined : `no successful AssumeRoleWithWebIdentity (${c?.sts.join(', ') || 'no STS call'})`;
  };
  const minimalCheck = (r: Run): string | undefined => {
    const problem = exitProblem(r);
    if (problem) return problem;
    const c = lastCall('minimal');
    return c?.idTokens === 1 && c.sts.length === 1 && c.sts[0]?.endsWith(':200') ? undefined : `expected 1 ID token + 1 STS call, got ${c ? `${c.idTokens} + ${c.sts.join(', ') || 'none'}` : 'none'}`;
  };
  let job!: JobRunner;
  const subjects: Subject[] = [
    { key: 'baseline', run: async () => fromStep(await job.runCommand(NODE, ['-e', '0'], refreshStep())) },
    // The floor of any process that calls an https endpoint (GitHub's token service and STS are https; the stand-ins are plain http).
    { key: 'https', run: async () => fromStep(await job.runCommand(NODE, ['-e', "require('node:https')"], refreshStep())) },
    { key: 'guard', run: counted(s, calls['guard'] ?? [], async () => fromStep(await job.runAction(MAIN, refreshStep()))), check: guardCheck },
    // The floor of a refresh: the same two calls and three exported keys, nothing else (bench/minimal-refresh.cjs).
    { key: 'minimal', run: counted(s, calls['minimal'] ?? [], async () => fromStep(await job.runCommand(NODE, [MINIMAL_REFRESH], refreshStep()))), check: minimalCheck },
  ];
  if (cac) {
    const inputs = cacInputs(cac, ROLE, REGION, s.sts.endpoint);
    subjects.push({ key: 'cac', run: counted(s, calls['cac'] ?? [], async () => fromStep(await job.runAction(cac.entry, { inputs, timeoutMs: STEP_TIMEOUT_MS }))), check: cacCheck });
  }
  log(`4. refresh path: ${CONFIG.warmup} warm-up + ${CONFIG.refreshN} iterations, a fresh job each (node -e 0, loading node:https, guard, the minimal refresh${cac ? ', configure-aws-credentials' : ''})`);
  const pass = await interleaved({
    n: CONFIG.refreshN,
    warmup: CONFIG.warmup,
    subjects,
    before: () => {
      job = new JobRunner({ env: standInEnv(s) });
    },
    after: async () => {
      await job.cleanup();
    },
  });

  const dir = scratchDir('refresh-control');
  const control = new JobRunner({ env: standInEnv(s) });
  try {
    const copy = join(dir, 'main-no-chunks');
    cpSync(DIST_MAIN, copy, { recursive: true });
    for (const f of readdirSync(copy)) if (f.endsWith('.chunk.js')) rmSync(join(copy, f));
    const r = fromStep(await control.runAction(join(copy, 'index.js'), { ...refreshStep(), timeoutMs: 20_000 }));
    const failed = r.code !== 0 && r.outputs['refreshed'] !== 'true';
    // The same path without only the SDK: it must not need it (AssumeRoleWithWebIdentity goes through the Query client).
    const noSdk = join(dir, 'main-no-sdk');
    cpSync(DIST_MAIN, noSdk, { recursive: true });
    const removed = readdirSync(noSdk).filter((f) => f.endsWith('.js') && readFileSync(join(noSdk, f), 'utf8').includes(SDK_MARKER));
    for (const f of removed) rmSync(join(noSdk, f));
    const calls0 = s.sts.calls.length;
    const n = fromStep(await control.runAction(join(noSdk, 'index.js'), { ...refreshStep(), timeoutMs: 20_000 }));
    const problem = refreshedCheck(n) ?? (s.sts.calls.length - calls0 === 1 ? undefined : `expected 1 STS call, got ${s.sts.calls.length - calls0}`);
    const withoutSdk = { ok: removed.length > 0 && !removed.includes('index.js') && problem === undefined, removed, detail: (problem ?? 'exit 0, refreshed=true').replace(dir, '<tmp>') };
    return { pass, calls, cac, cacWhy, controlWithoutChunks: { failed, detail: (exitProblem(r) ?? 'exit 0').replace(dir, '<tmp>') }, withoutSdk };
  } finally {
    await control.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 5. Compile cache: the action keeps none (measured here: it does not pay). Node's own, through NODE_COMPILE_CACHE, cold vs warm vs none.

export interface CacheListing {
  /** Files under RUNNER_TEMP after the step that belong to a V8 compile cache. */
  readonly cacheFiles: number;
  readonly cacheBytes: number;
  /** The cache folder(s), relative to RUNNER_TEMP. */
  readonly cacheDirs: string[];
  /** Other files left under RUNNER_TEMP. */
  readonly otherFiles: string[];
}

export interface CacheResult {
  readonly pass: Pass;
  /** RUNNER_TEMP after a refresh step as the action ships (no compile cache of its own). */
  readonly shipped: CacheListing | undefined;
  /** Files in the NODE_COMPILE_CACHE folder after the job's first (cold) step. */
  readonly coldCacheFiles: number;
}

/** Node's compile cache keeps its files in `<dir>/v<node version>-<arch>-<hash>-<n>/`. */
const NODE_CACHE_SEGMENT = /^v\d+\.\d+\.\d+-/;

function cacheListing(runnerTemp: string): CacheListing {
  const files = listFiles(runnerTemp).filter((f) => !f.path.startsWith('_runner_file_commands_'));
  const cacheDir = (path: string): string | undefined => {
    const parts = path.split('/');
    const at = parts.findIndex((p) => NODE_CACHE_SEGMENT.test(p));
    if (at >= 0) return parts.slice(0, at).join('/') || '.';
    return /cache/i.test(path) ? parts.slice(0, -1).join('/') || '.' : undefined;
  };
  const cache = files.filter((f) => cacheDir(f.path) !== undefined);
  return {
    cacheFiles: cache.length,
    cacheBytes: cache.reduce((a, f) => a + f.bytes, 0),
    cacheDirs: [...new Set(cache.map((f) => cacheDir(f.path) ?? ''))],
    otherFiles: files.filter((f) => cacheDir(f.path) === undefined).map((f) => f.path),
  };
}

export async function benchCache(s: StandIns): Promise<CacheResult> {
  log(`5. compile cache: ${CONFIG.warmup} warm-up + ${CONFIG.cacheN} iterations; the action as shipped, and NODE_COMPILE_CACHE cold and warm, in fresh jobs`);
  // A job whose steps share a fresh NODE_COMPILE_CACHE folder: its first refresh step is cold, the second warm.
  let cached!: JobRunner;
  let cacheDir = '';
  let shippedJob!: JobRunner;
  let shipped: CacheListing | undefined;
  let coldCacheFiles = 0;
  try {
    const pass = await interleaved({
      n: CONFIG.cacheN,
      warmup: CONFIG.warmup,
      before: () => {
        cacheDir = scratchDir('node-compile-cache');
        cached = new JobRunner({ env: { ...standInEnv(s), NODE_COMPILE_CACHE: cacheDir } });
        shippedJob = new JobRunner({ env: standInEnv(s) });
      },
      after: async () => {
        await cached.cleanup();
        await shippedJob.cleanup();
        rmSync(cacheDir, { recursive: true, force: true });
      },
      // The baseline and the shipped step take every place in turn; a cold step always comes before its warm one.
      order: (i) => {
        const withShipped = [[3, 1, 2], [1, 3, 2], [1, 2, 3]][i % 3] ?? [1, 2, 3];
        const at = i % 4;
        return [...withShipped.slice(0, at), 0, ...withShipped.slice(at)];
      },
      subjects: [
        { key: 'baseline', run: async () => fromStep(await shippedJob.runCommand(NODE, ['-e', '0'], refreshStep())) },
        {
          key: 'refreshCold',
          run: async () => forgetExports(cached, await cached.runAction(MAIN, refreshStep())),
          check: (r) => {
            coldCacheFiles = listFiles(cacheDir).length;
            return refreshedCheck(r) ?? (coldCacheFiles > 0 ? undefined : 'NODE_COMPILE_CACHE: no cache written by the cold step');
          },
        },
        { key: 'refreshWarm', run: async () => forgetExports(cached, await cached.runAction(MAIN, refreshStep())), check: refreshedCheck },
        {
          key: 'refreshShipped',
          run: async () => fromStep(await shippedJob.runAction(MAIN, refreshStep())),
          check: (r) => {
            shipped = cacheListing(shippedJob.runnerTemp);
            return refreshedCheck(r) ?? (shipped.cacheFiles === 0 ? undefined : `the action wrote a compile cache (${shipped.cacheDirs.join(', ')})`);
          },
        },
      ],
    });
    return { pass, shipped, coldCacheFiles };
  } finally {
    if (cached) await cached.cleanup();
    if (shippedJob) await shippedJob.cleanup();
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 6. Keep-alive start: calls per start on a 1 h role, and its time.

export interface KeepAliveResult {
  readonly pass: Pass;
  /** Calls made while the main step ran, per start (warm-up included). */
  readonly calls: CallCount[];
  /** Calls the server made after its step ended, before the job's cleanup. */
  readonly callsAfterStep: CallCount[];
}

export async function benchKeepAlive(s: StandIns): Promise<KeepAliveResult> {
  log(`6. keep-alive start: ${CONFIG.warmup} warm-up + ${CONFIG.keepAliveN} iterations, a fresh job each (1 h role, expected-duration 1h)`);
  const calls: CallCount[] = [];
  const callsAfterStep: CallCount[] = [];
  let job!: JobRunner;
  let mark = { calls: 0, tokens: 0 };
  const startCheck = (r: Run): string | undefined => {
    const problem = exitProblem(r);
    if (problem) return problem;
    return r.outputs['credentials-endpoint'] ? undefined : 'no credentials-endpoint output';
  };
  const pass = await interleaved({
    n: CONFIG.keepAliveN,
    warmup: CONFIG.warmup,
    before: () => {
      job = new JobRunner({ env: standInEnv(s) });
    },
    after: async () => {
      await new Promise((r) => setTimeout(r, 200));
      callsAfterStep.push({ idTokens: s.issuer.requests.length - mark.tokens, sts: s.sts.calls.slice(mark.calls).map(describeCall) });
      await job.cleanup();
    },
    subjects: [
      { key: 'baseline', run: async () => fromStep(await job.runCommand(NODE, ['-e', '0'], { inputs: ourInputs(KEEPALIVE_INPUTS) })) },
      {
        key: 'keepAlive',
        run: async () => {
          const r = await counted(s, calls, async () => fromStep(await job.runAction(MAIN, { inputs: ourInputs(KEEPALIVE_INPUTS), timeoutMs: STEP_TIMEOUT_MS })))();
          mark = { calls: s.sts.calls.length, tokens: s.issuer.requests.length };
          try {
            own((JSON.parse(readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server.json'), 'utf8')) as { pid: number }).pid);
          } catch {
            // no record: the check says why
          }
          return r;
        },
        check: startCheck,
      },
    ],
  });
  return { pass, calls, callsAfterStep };
}

/** A path relative to the repository, for the report. */
export const repoPath = (p: string): string => relative(ROOT, p);
