/**
 * The keep-alive credential server under load, against a bare node http
 * server (own process) answering the same body: latency, throughput, server
 * CPU per request, resident memory after the load.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JobRunner } from '../standins/index.js';
import type { OidcIssuer, StsStandIn } from '../standins/index.js';
import { startBareServer, type BareServer } from './bare-server.js';
import { CONFIG } from './config.js';
import { firstLine, log, LOADGEN, MAIN, minimalEnv, NODE, own, POST, REGION, ROLE, scratchDir, SERVER } from './context.js';
import { cmdline, cpuMs, isAlive, procStatusKiB, runToEnd } from './proc.js';
import { median, ratio } from './stats.js';

const LOAD_ROUNDS = CONFIG.loadRounds;
const LOAD_CONCURRENCY = CONFIG.loadConcurrency;
const LOAD_WARMUP_MS = CONFIG.loadWarmupMs;
const LOAD_DURATION_MS = CONFIG.loadDurationMs;

export interface LoadRound {
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

export interface ServerFigures {
  readonly rounds: LoadRound[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly rps: number;
  readonly cpuUsPerRequest: number;
  rssIdleKiB: number;
  rssAfterKiB: number;
  hwmAfterKiB: number;
}

export interface ServerResult {
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

export async function benchServer(issuer: OidcIssuer, sts: StsStandIn): Promise<ServerResult> {
  const problems: string[] = [];
  const job = new JobRunner({ env: { ...issuer.env(), AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_EC2_METADATA_DISABLED: 'true' } });
  let bare: BareServer | undefined;
  try {
    log('7. credential server: starting it through the JobRunner (keep-alive: true)');
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

