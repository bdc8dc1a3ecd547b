/**
 * `npm run bench` (or `npx tsx bench/run.ts` with dist/ built): measures the
 * bundled action against side-by-side baselines, on this machine, with the
 * project's local stand-ins (no AWS, no GitHub, loopback only).
 *
 *   1. guard, healthy path        node dist/main/index.js   vs  node -e 0
 *   2. guard, refresh path        node dist/main/index.js   vs  node -e 0
 *   3. keep-alive credential server under load   vs  a bare node http server
 *   4. bundle sizes
 *   5. machine
 *
 * Subject and baseline runs are interleaved (alternating which goes first) so
 * machine noise hits both alike; every figure is a median over repeated runs,
 * also given as a ratio to its baseline. Writes bench/results.md and
 * bench/results.json and prints the Markdown.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRunner, parseKeyValueFile, startOidcIssuer, startSts } from '../standins/index.js';
import type { OidcIssuer, StsStandIn } from '../standins/index.js';
import { startBareServer, type BareServer } from './bare-server.js';
import { cmdline, cpuMs, isAlive, loadAverage, machineInfo, procStatusKiB, runToEnd, timedSpawn, type Machine, type TimedRun } from './proc.js';
import { bytes, int, median, ms, ratio, summarize, table, x, type Summary } from './stats.js';

const ROOT = join(import.meta.dirname, '..');
const BENCH = import.meta.dirname;
const NODE = process.execPath;
const DIST_MAIN = join(ROOT, 'dist', 'main');
const MAIN = join(DIST_MAIN, 'index.js');
const POST = join(ROOT, 'dist', 'post', 'index.js');
const SERVER = join(ROOT, 'dist', 'server', 'index.js');
const LOADGEN = join(BENCH, 'loadgen.mjs');

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const REGION = 'eu-west-1';

// Sizes of the experiment. ~1 min in all on 2 cores.
const SPAWN_WARMUP = 3;
const HEALTHY_N = 40;
const REFRESH_N = 20;
const LOAD_ROUNDS = 5;
const LOAD_CONCURRENCY = 16;
const LOAD_WARMUP_MS = 500;
const LOAD_DURATION_MS = 3000;
/** Hard ceiling for the whole bench: past it, kill what we started and exit. */
const BENCH_LIMIT_MS = 6 * 60_000;

const started = Date.now();
const log = (s: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${s}\n`);

/**
 * Processes started (directly or through the JobRunner) that must not outlive
 * the bench, with their command line when registered: on exit, a pid is killed
 * only if it still runs that command (never a recycled pid).
 */
const owned = new Map<number, string>();
const own = (pid: number | undefined) => {
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
const watchdog = setTimeout(() => {
  console.error(`bench: over the ${BENCH_LIMIT_MS / 60_000} min limit, giving up`);
  process.exit(2);
}, BENCH_LIMIT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------
// Environment for spawned runs: only what is needed, nothing from the caller
// (no stray AWS_*, GITHUB_*, NODE_OPTIONS).

function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `asg-bench-${prefix}-`));
}

interface StepFiles {
  readonly GITHUB_OUTPUT: string;
  readonly GITHUB_STEP_SUMMARY: string;
  readonly GITHUB_ENV: string;
  readonly GITHUB_STATE: string;
}

function stepFiles(dir: string): StepFiles {
  return {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
  };
}

function resetFiles(files: StepFiles): void {
  for (const f of Object.values(files)) writeFileSync(f, '');
}

function outputsOf(files: StepFiles): Record<string, string> {
  return parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')).values;
}

function minimalEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: home, PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
  for (const name of ['LANG', 'LC_ALL', 'TZ', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

// ---------------------------------------------------------------------------
// Interleaved spawn timing.

interface PairedTiming {
  readonly baselineMs: number[];
  readonly subjectMs: number[];
  readonly failures: string[];
}

/**
 * Runs warm-up + n pairs; each pair runs baseline and subject back to back,
 * alternating which goes first. `check` validates a subject run (outside the
 * timed region) and returns a problem, if any.
 */
async function interleaved(
  n: number,
  warmup: number,
  baseline: () => Promise<TimedRun>,
  subject: () => Promise<TimedRun>,
  check: (run: TimedRun) => string | undefined,
  prepare: () => void = () => undefined,
): Promise<PairedTiming> {
  const result: PairedTiming = { baselineMs: [], subjectMs: [], failures: [] };
  for (let i = 0; i < warmup + n; i++) {
    const measured = i >= warmup;
    const runBaseline = async () => {
      const r = await baseline();
      if (r.code !== 0) result.failures.push(`baseline run ${i} exited ${r.code ?? r.signal}`);
      if (measured) result.baselineMs.push(r.ms);
    };
    const runSubject = async () => {
      prepare();
      const r = await subject();
      const problem = check(r);
      if (problem) result.failures.push(`run ${i}: ${problem}`);
      if (measured) result.subjectMs.push(r.ms);
    };
    if (i % 2 === 0) {
      await runBaseline();
      await runSubject();
    } else {
      await runSubject();
      await runBaseline();
    }
  }
  return result;
}

const firstLine = (s: string) => s.trim().split('\n').find((l) => l.trim()) ?? '';

// ---------------------------------------------------------------------------
// 1. Guard, healthy path.

interface HealthyResult extends PairedTiming {
  readonly noChunkNeeded: boolean;
  readonly noChunkDetail: string;
  readonly chunksRemoved: string[];
}

function healthyEnv(files: StepFiles, home: string): NodeJS.ProcessEnv {
  return {
    ...minimalEnv(home),
    ...files,
    AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 3 * 3600_000).toISOString(),
  };
}

const healthyCheck = (files: StepFiles) => (r: TimedRun) => {
  if (r.code !== 0) return `exited ${r.code ?? r.signal}: ${firstLine(r.stderr || r.stdout)}`;
  const refreshed = outputsOf(files)['refreshed'];
  return refreshed === 'false' ? undefined : `refreshed=${refreshed ?? '(none)'}`;
};

async function benchHealthy(): Promise<HealthyResult> {
  const dir = scratchDir('healthy');
  try {
    const files = stepFiles(dir);
    const env = healthyEnv(files, dir);
    log(`1. healthy path: ${SPAWN_WARMUP} warm-up + ${HEALTHY_N} interleaved pairs`);
    const timing = await interleaved(
      HEALTHY_N,
      SPAWN_WARMUP,
      () => timedSpawn(NODE, ['-e', '0'], env),
      () => timedSpawn(NODE, [MAIN], env),
      healthyCheck(files),
      () => resetFiles(files),
    );

    // Does the healthy path need any lazily loaded chunk? Run it from a copy of
    // dist/main without them.
    const copy = join(dir, 'main-no-chunks');
    cpSync(DIST_MAIN, copy, { recursive: true });
    const chunksRemoved = readdirSync(copy).filter((f) => f.endsWith('.index.js') && f !== 'index.js');
    for (const f of chunksRemoved) rmSync(join(copy, f));
    resetFiles(files);
    const run = await timedSpawn(NODE, [join(copy, 'index.js')], healthyEnv(files, dir));
    const problem = healthyCheck(files)(run);
    return {
      ...timing,
      noChunkNeeded: problem === undefined,
      noChunkDetail: problem ?? `exit 0, refreshed=false with ${chunksRemoved.length} chunk files removed (${chunksRemoved.join(', ')})`,
      chunksRemoved,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 2. Guard, refresh path.

interface RefreshResult extends PairedTiming {
  readonly stsCalls: number;
  readonly idTokens: number;
  /** The same refresh run from dist/main without its lazy chunks: must fail (shows the SDK really is lazy). */
  readonly controlWithoutChunks: { failed: boolean; detail: string };
}

async function benchRefresh(issuer: OidcIssuer, sts: StsStandIn): Promise<RefreshResult> {
  const dir = scratchDir('refresh');
  try {
    const files = stepFiles(dir);
    const env: NodeJS.ProcessEnv = {
      ...minimalEnv(dir),
      ...files,
      ...issuer.env(),
      AWS_ENDPOINT_URL_STS: sts.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      GITHUB_RUN_ID: '4242424242',
      GITHUB_RUN_ATTEMPT: '1',
      'INPUT_ROLE-TO-ASSUME': ROLE,
      'INPUT_AWS-REGION': REGION,
    };
    const calls0 = sts.calls.length;
    const tokens0 = issuer.requests.length;
    let calls = calls0;
    let tokens = tokens0;
    const check = (r: TimedRun): string | undefined => {
      const newCalls = sts.calls.slice(calls);
      const newTokens = issuer.requests.length - tokens;
      calls = sts.calls.length;
      tokens = issuer.requests.length;
      if (r.code !== 0) return `exited ${r.code ?? r.signal}: ${firstLine(r.stderr || r.stdout)}`;
      const refreshed = outputsOf(files)['refreshed'];
      if (refreshed !== 'true') return `refreshed=${refreshed ?? '(none)'}`;
      if (newCalls.length !== 1 || newCalls[0]?.action !== 'AssumeRoleWithWebIdentity' || newCalls[0]?.status !== 200) {
        return `expected one AssumeRoleWithWebIdentity, got ${newCalls.map((c) => `${c.action}:${c.status}`).join(', ') || 'none'}`;
      }
      return newTokens === 1 ? undefined : `expected one ID token request, got ${newTokens}`;
    };
    log(`2. refresh path: ${SPAWN_WARMUP} warm-up + ${REFRESH_N} interleaved pairs`);
    const timing = await interleaved(
      REFRESH_N,
      SPAWN_WARMUP,
      () => timedSpawn(NODE, ['-e', '0'], env),
      () => timedSpawn(NODE, [MAIN], env),
      check,
      () => resetFiles(files),
    );
    const runs = SPAWN_WARMUP + REFRESH_N;

    const copy = join(dir, 'main-no-chunks');
    cpSync(DIST_MAIN, copy, { recursive: true });
    for (const f of readdirSync(copy)) if (f.endsWith('.index.js') && f !== 'index.js') rmSync(join(copy, f));
    resetFiles(files);
    const control = await timedSpawn(NODE, [join(copy, 'index.js')], env, 20_000);
    const failed = control.code !== 0 && outputsOf(files)['refreshed'] !== 'true';
    const why = /::error[^:]*::(.*)/.exec(control.stdout)?.[1] ?? firstLine(control.stderr);
    return {
      ...timing,
      stsCalls: (sts.calls.length - calls0) / runs,
      idTokens: (issuer.requests.length - tokens0) / runs,
      controlWithoutChunks: { failed, detail: `exit ${control.code ?? control.signal}${why ? `: ${why.slice(0, 140)}` : ''}` },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// 3. Credential server under load.

interface LoadRound {
  readonly requests: number;
  readonly completedTotal: number;
  readonly ok: number;
  readonly non200: number;
  readonly errors: number;
  readonly bodyBytes: number;
  readonly windowMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Server CPU time (user+system) over the whole round, warm-up included, per completed request. */
  serverCpuUsPerRequest: number;
}

interface ServerFigures {
  readonly rounds: LoadRound[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rps: number;
  readonly cpuUsPerRequest: number;
  rssIdleKiB: number;
  rssAfterKiB: number;
  hwmAfterKiB: number;
}

interface ServerResult {
  readonly credential: ServerFigures;
  readonly bare: ServerFigures;
  readonly order: string[];
  readonly ratios: { p50: number; p99: number; rps: number; cpuPerRequest: number; rss: number };
  /** credential / bare within each round (the two runs closest in time). */
  readonly perRoundRatios: { p50: number; p99: number; rps: number; cpu: number }[];
  readonly bodyBytes: number;
  readonly credentialServerPid: number;
  readonly credentialServerCmd: string;
  readonly startMs: number;
  readonly stoppedByPost: boolean;
  readonly problems: string[];
}

async function loadRound(url: string, token: string, serverPid: number, env: NodeJS.ProcessEnv): Promise<LoadRound> {
  const opts = { url, token, concurrency: LOAD_CONCURRENCY, warmupMs: LOAD_WARMUP_MS, durationMs: LOAD_DURATION_MS };
  const cpu0 = cpuMs(serverPid);
  const child = spawn(NODE, [LOADGEN, JSON.stringify(opts)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  own(child.pid);
  const out = await runToEnd(child, LOAD_WARMUP_MS + LOAD_DURATION_MS + 20_000);
  const cpu1 = cpuMs(serverPid);
  if (out.code !== 0) throw new Error(`load generator exited ${out.code}: ${firstLine(out.stderr)}`);
  const r = JSON.parse(firstLine(out.stdout)) as LoadRound;
  r.serverCpuUsPerRequest = ((cpu1 - cpu0) * 1000) / r.completedTotal;
  return r;
}

function figures(rounds: LoadRound[]): ServerFigures {
  return {
    rounds,
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    rps: median(rounds.map((r) => r.rps)),
    cpuUsPerRequest: median(rounds.map((r) => r.serverCpuUsPerRequest)),
    rssIdleKiB: NaN,
    rssAfterKiB: NaN,
    hwmAfterKiB: NaN,
  };
}

async function benchServer(issuer: OidcIssuer, sts: StsStandIn): Promise<ServerResult> {
  const problems: string[] = [];
  const job = new JobRunner({ env: { ...issuer.env(), AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_EC2_METADATA_DISABLED: 'true' } });
  let bare: BareServer | undefined;
  try {
    log('3. credential server: starting it through the JobRunner (keep-alive: true)');
    const main = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLE, 'aws-region': REGION, 'keep-alive': 'true' },
      timeoutMs: 60_000,
    });
    const uri = main.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'];
    const token = main.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'];
    if (main.exitCode !== 0 || !uri || !token) {
      throw new Error(`keep-alive step failed (exit ${main.exitCode}): ${main.errors.join(' | ') || firstLine(main.stderr)}`);
    }
    if (!uri.startsWith('http://127.0.0.1:')) throw new Error(`credential server is not on loopback: ${uri}`);
    const record = JSON.parse(readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server.json'), 'utf8')) as { pid: number };
    const serverPid = record.pid;
    own(serverPid);

    // One real answer: the bare server serves this exact body (same shape and size).
    const probe = await fetch(uri, { headers: { Authorization: token }, signal: AbortSignal.timeout(5000) });
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`credential server answered ${probe.status}`);
    const shape = Object.keys(JSON.parse(body) as object).join(',');

    const dir = scratchDir('server');
    const env = minimalEnv(dir);
    try {
      bare = await startBareServer(body, env);
      own(bare.pid);
      const servers = {
        credential: { url: uri, token, pid: serverPid, rounds: [] as LoadRound[] },
        bare: { url: bare.url, token, pid: bare.pid, rounds: [] as LoadRound[] },
      };
      const rssIdle = { credential: procStatusKiB(serverPid, 'VmRSS'), bare: procStatusKiB(bare.pid, 'VmRSS') };
      const order: string[] = [];
      for (let round = 0; round < LOAD_ROUNDS; round++) {
        const names = round % 2 === 0 ? (['credential', 'bare'] as const) : (['bare', 'credential'] as const);
        for (const name of names) {
          const s = servers[name];
          log(`   round ${round + 1}/${LOAD_ROUNDS}: ${name} server, ${LOAD_CONCURRENCY} in flight for ${LOAD_DURATION_MS / 1000} s`);
          const r = await loadRound(s.url, s.token, s.pid, env);
          if (r.errors || r.non200) problems.push(`round ${round + 1} ${name}: ${r.errors} errors, ${r.non200} non-200 answers`);
          if (r.bodyBytes !== Buffer.byteLength(body)) problems.push(`round ${round + 1} ${name}: body ${r.bodyBytes} B, expected ${Buffer.byteLength(body)} B`);
          s.rounds.push(r);
          order.push(`${round + 1}:${name}`);
        }
      }
      const credential = figures(servers.credential.rounds);
      const bareF = figures(servers.bare.rounds);
      credential.rssIdleKiB = rssIdle.credential;
      bareF.rssIdleKiB = rssIdle.bare;
      credential.rssAfterKiB = procStatusKiB(serverPid, 'VmRSS');
      credential.hwmAfterKiB = procStatusKiB(serverPid, 'VmHWM');
      bareF.rssAfterKiB = procStatusKiB(bare.pid, 'VmRSS');
      bareF.hwmAfterKiB = procStatusKiB(bare.pid, 'VmHWM');
      const perRoundRatios = servers.credential.rounds.map((c, i) => {
        const b = servers.bare.rounds[i] as LoadRound;
        return {
          p50: ratio(c.p50Ms, b.p50Ms),
          p99: ratio(c.p99Ms, b.p99Ms),
          rps: ratio(c.rps, b.rps),
          cpu: ratio(c.serverCpuUsPerRequest, b.serverCpuUsPerRequest),
        };
      });
      if (shape !== 'AccessKeyId,SecretAccessKey,Token,Expiration,AccountId') problems.push(`unexpected credential body keys: ${shape}`);

      // Stop: the post step stops the server, then the job's cleanup.
      log('   post step: stopping the credential server');
      const post = await job.runPost(POST, main, { timeoutMs: 30_000 });
      const deadline = Date.now() + 5000;
      while (isAlive(serverPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const stoppedByPost = post.exitCode === 0 && !isAlive(serverPid);
      if (!stoppedByPost) problems.push(`post step exit ${post.exitCode}, server ${isAlive(serverPid) ? 'still running' : 'stopped'}`);

      return {
        credential,
        bare: bareF,
        order,
        ratios: {
          p50: ratio(credential.p50Ms, bareF.p50Ms),
          p99: ratio(credential.p99Ms, bareF.p99Ms),
          rps: ratio(credential.rps, bareF.rps),
          cpuPerRequest: ratio(credential.cpuUsPerRequest, bareF.cpuUsPerRequest),
          rss: ratio(credential.rssAfterKiB, bareF.rssAfterKiB),
        },
        perRoundRatios,
        bodyBytes: Buffer.byteLength(body),
        credentialServerPid: serverPid,
        credentialServerCmd: cmdline(serverPid) || `${NODE} ${SERVER}`,
        startMs: main.durationMs,
        stoppedByPost,
        problems,
      };
    } finally {
      await bare?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await job.cleanup();
  }
}

// ---------------------------------------------------------------------------
// 4. Bundle sizes.

interface BundleFile {
  readonly file: string;
  readonly bytes: number;
  readonly label: string;
  readonly awsSdkMentions?: number;
}

/** Recognisable definitions, to say what a lazy chunk holds. */
const CHUNK_HINTS: readonly [RegExp, string][] = [
  [/function keepAlive\(/, 'keep-alive start-up'],
  [/function checkRunningServer\(/, 'running-server check'],
  [/function createSdkGateway\(/, 'STS gateway'],
  [/class SessionMinter\b/, 'session minter'],
  [/function serverClient\(/, 'server client'],
];

function bundleSizes(): BundleFile[] {
  const out: BundleFile[] = [{ file: 'dist/main/index.js', bytes: statSync(MAIN).size, label: 'main entry (loaded on every run)' }];
  const chunks = readdirSync(DIST_MAIN)
    .filter((f) => f.endsWith('.index.js') && f !== 'index.js')
    .map((f) => {
      const text = readFileSync(join(DIST_MAIN, f), 'utf8');
      return { f, text, mentions: text.split('@aws-sdk').length - 1 };
    });
  const sdkChunk = chunks.filter((c) => c.mentions > 0).sort((a, b) => b.mentions - a.mentions || b.text.length - a.text.length)[0];
  for (const c of chunks.sort((a, b) => Number.parseInt(a.f) - Number.parseInt(b.f))) {
    const hints = CHUNK_HINTS.filter(([re]) => re.test(c.text)).map(([, h]) => h);
    const label = c === sdkChunk ? 'AWS SDK chunk (lazy)' : `lazy chunk${hints.length ? `: ${hints.join(', ')}` : ''}`;
    out.push({ file: `dist/main/${c.f}`, bytes: statSync(join(DIST_MAIN, c.f)).size, label, awsSdkMentions: c.mentions });
  }
  out.push({ file: 'dist/post/index.js', bytes: statSync(POST).size, label: 'post entry' });
  out.push({ file: 'dist/server/index.js', bytes: statSync(SERVER).size, label: 'credential server (AWS SDK bundled in)' });
  return out;
}

// ---------------------------------------------------------------------------
// Report.

function spawnRows(name: string, t: PairedTiming): { summary: { subject: Summary; baseline: Summary }; row: string[] } {
  const subject = summarize(t.subjectMs);
  const baseline = summarize(t.baselineMs);
  return {
    summary: { subject, baseline },
    row: [
      name,
      String(subject.n),
      ms(subject.median),
      `${ms(subject.p10)} – ${ms(subject.p90)}`,
      ms(baseline.median),
      `${ms(baseline.p10)} – ${ms(baseline.p90)}`,
      ms(subject.median - baseline.median),
      `**${x(ratio(subject.median, baseline.median))}**`,
    ],
  };
}

interface Load {
  readonly start: number[];
  readonly end: number[];
}

function report(m: Machine, load: Load, healthy: HealthyResult, refresh: RefreshResult, server: ServerResult, sizes: BundleFile[], totalS: number): string {
  const h = spawnRows('guard, healthy path', healthy);
  const r = spawnRows('guard, refresh path (1 ID token + 1 AssumeRoleWithWebIdentity)', refresh);
  const c = server.credential;
  const b = server.bare;
  const paired = (k: 'p50' | 'p99' | 'rps' | 'cpu') => median(server.perRoundRatios.map((p) => p[k]));
  const kib = (v: number) => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} MiB` : 'n/a');
  const lines: string[] = [];
  lines.push('# aws-session-guard bench', '');
  lines.push(
    `${m.date} · ${m.cpuModel} · ${m.cores} cores · ${(m.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB · ${m.os} · node ${m.node} · ${totalS.toFixed(0)} s in all`,
    '',
  );
  lines.push(
    'Every figure is a median over repeated runs and a ratio to a baseline measured in the same run, ' +
      'interleaved with it (alternating which goes first). Local stand-ins only: OIDC issuer and STS on 127.0.0.1.',
    '',
  );

  lines.push('## 1–2. Guard step, wall time per process (spawn → exit)', '');
  lines.push(
    table(
      ['subject (`node dist/main/index.js`)', 'n', 'median', 'p10 – p90', 'baseline `node -e 0`', 'p10 – p90', 'excess', 'ratio'],
      [h.row, r.row],
    ),
  );
  lines.push('');
  lines.push(`- Warm-up: ${SPAWN_WARMUP} pairs each, discarded. Every subject run was checked (exit 0, \`refreshed\` output, network calls).`);
  lines.push(`- Healthy path needs no lazily loaded chunk: **${healthy.noChunkNeeded ? 'yes' : 'no'}** (${healthy.noChunkDetail}).`);
  lines.push(
    `- Control: the refresh path from the same chunk-less copy ${refresh.controlWithoutChunks.failed ? 'fails, as it must' : '**does not fail** (unexpected)'} (${refresh.controlWithoutChunks.detail}).`,
  );
  lines.push(`- Refresh path per run: ${refresh.idTokens} ID token request(s), ${refresh.stsCalls} STS call(s) (stand-ins in the bench process).`);
  const spawnFailures = [...healthy.failures.map((f) => `healthy ${f}`), ...refresh.failures.map((f) => `refresh ${f}`)];
  lines.push(`- Failed checks: ${spawnFailures.length === 0 ? 'none' : spawnFailures.slice(0, 5).join('; ')}`);
  lines.push('');

  lines.push('## 3. Keep-alive credential server under load', '');
  lines.push(
    `A load generator in its own process keeps ${LOAD_CONCURRENCY} GET requests in flight over a keep-alive Agent for ${LOAD_DURATION_MS / 1000} s per round ` +
      `(after ${LOAD_WARMUP_MS} ms unrecorded warm-up), ${LOAD_ROUNDS} rounds alternating which server goes first. ` +
      `Baseline: a bare node http server (own process, \`node -e\`) returning the credential server's ${server.bodyBytes}-byte JSON body with the same headers.`,
    '',
  );
  lines.push(
    table(
      ['figure (median of rounds)', 'credential server', 'bare http server', 'ratio (credential / bare)', 'median of per-round ratios'],
      [
        ['latency p50', ms(c.p50Ms, 3), ms(b.p50Ms, 3), `**${x(server.ratios.p50)}**`, x(paired('p50'))],
        ['latency p99', ms(c.p99Ms, 3), ms(b.p99Ms, 3), `**${x(server.ratios.p99)}**`, x(paired('p99'))],
        ['requests/s', int(c.rps), int(b.rps), `**${x(server.ratios.rps)}**`, x(paired('rps'))],
        ['server CPU per request', `${c.cpuUsPerRequest.toFixed(1)} µs`, `${b.cpuUsPerRequest.toFixed(1)} µs`, x(server.ratios.cpuPerRequest), x(paired('cpu'))],
        ['VmRSS idle (before load)', kib(c.rssIdleKiB), kib(b.rssIdleKiB), x(ratio(c.rssIdleKiB, b.rssIdleKiB)), ''],
        ['**VmRSS after load**', kib(c.rssAfterKiB), kib(b.rssAfterKiB), `**${x(server.ratios.rss)}**`, ''],
        ['VmHWM (peak RSS)', kib(c.hwmAfterKiB), kib(b.hwmAfterKiB), x(ratio(c.hwmAfterKiB, b.hwmAfterKiB)), ''],
      ],
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['round', 'first', 'cred p50', 'bare p50', 'cred p99', 'bare p99', 'cred req/s', 'bare req/s', 'req/s ratio', 'cred CPU/req', 'bare CPU/req'],
      c.rounds.map((cr, i) => {
        const br = b.rounds[i] as LoadRound;
        return [
          String(i + 1),
          i % 2 === 0 ? 'credential' : 'bare',
          ms(cr.p50Ms, 3),
          ms(br.p50Ms, 3),
          ms(cr.p99Ms, 3),
          ms(br.p99Ms, 3),
          int(cr.rps),
          int(br.rps),
          x(server.perRoundRatios[i]?.rps ?? NaN),
          `${cr.serverCpuUsPerRequest.toFixed(1)} µs`,
          `${br.serverCpuUsPerRequest.toFixed(1)} µs`,
        ];
      }),
    ),
  );
  lines.push('');
  lines.push(
    `- Credential server: pid ${server.credentialServerPid} (\`${server.credentialServerCmd.replace(ROOT + '/', '')}\`), started by the bundled main step in ${ms(server.startMs, 0)} ` +
      `(spawn, first ID token + AssumeRoleWithWebIdentity, ready probe); stopped by the post step: ${server.stoppedByPost ? 'yes' : '**no**'}.`,
  );
  lines.push(
    `- Server CPU per request = the server's user+system CPU time over a whole round (warm-up included) / requests completed in it. ` +
      `Load generator and server share the same cores, so requests/s and latency include the client's cost; CPU per request is the server's own.`,
  );
  lines.push(`- Problems: ${server.problems.length === 0 ? 'none (every answer 200, every body the expected size)' : server.problems.join('; ')}`);
  lines.push('');

  lines.push('## 4. Bundle sizes', '');
  lines.push(table(['file', 'bytes', 'size', 'what'], sizes.map((s) => [`\`${s.file}\``, int(s.bytes), bytes(s.bytes), s.label])));
  lines.push('');

  lines.push('## 5. Machine', '');
  lines.push(
    table(
      ['', ''],
      [
        ['CPU', m.cpuModel],
        ['cores', String(m.cores)],
        ['memory', `${(m.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB`],
        ['OS', m.os],
        ['node', `${m.node} (the action declares \`node24\`; the bench uses the node that runs it)`],
        ['date', m.date],
        ['load average (1, 5, 15 min)', `${load.start.join(', ')} at start; ${load.end.join(', ')} at end`],
      ],
    ),
  );
  if (Math.max(load.start[0] ?? 0, load.end[0] ?? 0) > m.cores / 2) {
    lines.push('', `Other work was running on this ${m.cores}-core machine during the bench (see load average): absolute figures are noisy; the interleaved ratios are the figures to compare.`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  for (const f of [MAIN, POST, SERVER]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (or \`npm run bench\`)`);
  }
  const machine = machineInfo();
  const loadStart = loadAverage();
  const healthy = await benchHealthy();

  const issuer = await startOidcIssuer();
  const trust = { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' };
  const sts = await startSts({ issuer, roles: { [ROLE]: { maxSessionDuration: 3 * 3600, trust } } });
  let refresh: RefreshResult;
  let server: ServerResult;
  try {
    refresh = await benchRefresh(issuer, sts);
    server = await benchServer(issuer, sts);
  } finally {
    await sts.close();
    await issuer.close();
  }
  const sizes = bundleSizes();
  const totalS = (Date.now() - started) / 1000;
  const load: Load = { start: loadStart, end: loadAverage() };
  const markdown = report(machine, load, healthy, refresh, server, sizes, totalS);

  const raw = {
    machine,
    loadAverage: load,
    config: {
      spawnWarmup: SPAWN_WARMUP,
      healthyN: HEALTHY_N,
      refreshN: REFRESH_N,
      loadRounds: LOAD_ROUNDS,
      loadConcurrency: LOAD_CONCURRENCY,
      loadWarmupMs: LOAD_WARMUP_MS,
      loadDurationMs: LOAD_DURATION_MS,
    },
    healthy: {
      subjectMs: healthy.subjectMs,
      baselineMs: healthy.baselineMs,
      subject: summarize(healthy.subjectMs),
      baseline: summarize(healthy.baselineMs),
      ratio: ratio(median(healthy.subjectMs), median(healthy.baselineMs)),
      failures: healthy.failures,
      noChunkNeeded: healthy.noChunkNeeded,
      noChunkDetail: healthy.noChunkDetail,
      chunksRemoved: healthy.chunksRemoved,
    },
    refresh: {
      subjectMs: refresh.subjectMs,
      baselineMs: refresh.baselineMs,
      subject: summarize(refresh.subjectMs),
      baseline: summarize(refresh.baselineMs),
      ratio: ratio(median(refresh.subjectMs), median(refresh.baselineMs)),
      failures: refresh.failures,
      idTokensPerRun: refresh.idTokens,
      stsCallsPerRun: refresh.stsCalls,
      controlWithoutChunks: refresh.controlWithoutChunks,
    },
    server,
    bundles: sizes,
    totalSeconds: totalS,
  };
  writeFileSync(join(BENCH, 'results.md'), markdown + '\n');
  writeFileSync(join(BENCH, 'results.json'), JSON.stringify(raw, null, 2) + '\n');
  process.stdout.write(markdown + '\n');
  log(`done in ${totalS.toFixed(1)} s; wrote bench/results.md and bench/results.json`);

  const bad = healthy.failures.length + refresh.failures.length + server.problems.length + (healthy.noChunkNeeded ? 0 : 1);
  if (bad > 0) process.exitCode = 1;
}

await main();
