/**
 * Issue 20, findings 1 and 2, and the server stopped (SIGSTOP): the bundled
 * credential server's wall clock steps back or forward 2 h (libfaketime on
 * the server alone; its monotonic clock runs on, as in a real step). Real
 * clients (boto3, the AWS CLI v2, the JS SDK v3) run on the real clock, as
 * does the STS stand-in, which says whether a served session had expired.
 *
 * What must hold: no answer is a session STS considers expired, no served
 * `Expiration` is later than STS's, no client fails, and a guard step reading
 * the server reports the real time left.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaketimeServer, type FaketimeServer } from './faketime-server.js';
import { alive, AWS_CLI, BOTO3_PYTHON, MAIN, requireRealConsumers, ROOT, startWorld, waitUntil, type ConsumerResult, type World } from './world.js';

const FIXTURES = join(ROOT, 'standins', 'consumers');

interface Served {
  readonly status: number;
  readonly key?: string;
  readonly expiration?: string;
}

async function fetchKeys(server: FaketimeServer): Promise<Served> {
  const r = await fetch(server.url, { headers: { Authorization: server.authToken } });
  const body = (await r.json()) as { AccessKeyId?: string; Expiration?: string };
  return { status: r.status, ...(body.AccessKeyId !== undefined && { key: body.AccessKeyId }), ...(body.Expiration !== undefined && { expiration: body.Expiration }) };
}

/**
 * Asks the server every 150 ms for `ms`; each 200 is checked against the STS
 * stand-in at the moment it arrived. Returns every answer that broke a rule.
 */
async function watch(world: World, server: FaketimeServer, ms: number): Promise<{ ok: number; problems: string[] }> {
  const problems: string[] = [];
  let ok = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const a = await fetchKeys(server);
    const stsNow = world.sts.now();
    if (a.status === 200) {
      ok++;
      const session = world.sts.sessionFor(a.key ?? '');
      if (!session) problems.push(`unknown key served`);
      else {
        if (session.expiresAt <= stsNow) problems.push(`served a session STS ended ${stsNow - session.expiresAt} ms before`);
        const served = Date.parse(a.expiration ?? '');
        if (!(served <= session.expiresAt)) problems.push(`served Expiration ${a.expiration} later than STS's ${new Date(session.expiresAt).toISOString()}`);
      }
    } else if (a.status !== 503) problems.push(`answered ${a.status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return { ok, problems };
}

/** The three real consumers side by side against the server, on the real clock, for `seconds`. */
function runConsumers(world: World, server: FaketimeServer, home: string, seconds: number): Promise<ConsumerResult[]> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('AWS_') && !k.startsWith('ACTIONS_')) env[k] = v;
  Object.assign(env, {
    HOME: home,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: server.authToken,
    STS_ENDPOINT: world.sts.endpoint,
    NODE_PATH: join(ROOT, 'node_modules'),
    AWS_CLI,
  });
  const script = [
    `"${BOTO3_PYTHON}" "${join(FIXTURES, 'boto3-loop.py')}" ${seconds} 0.25 &`,
    `"${process.execPath}" "${join(FIXTURES, 'js-sdk-loop.mjs')}" ${seconds} 250 &`,
    `bash "${join(FIXTURES, 'cli-loop.sh')}" ${seconds} &`,
    'wait',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () =>
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{"consumer"'))
          .map((l) => JSON.parse(l) as ConsumerResult),
      ),
    );
  });
}

function expectNoFailures(results: ConsumerResult[]): void {
  expect(results.map((r) => r.consumer).sort()).toEqual(['aws-cli', 'boto3', 'js-sdk-v3']);
  for (const r of results) {
    expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors.filter(Boolean) }).toEqual({
      consumer: r.consumer,
      failed: 0,
      expiredToken: 0,
      errors: [],
    });
    expect(r.ok).toBeGreaterThan(0);
  }
}

describe('a wall-clock step of 2 h on the credential server alone (libfaketime), and a stopped server', () => {
  let world: World;
  let dir: string;
  const pids: number[] = [];
  const mints = () => world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length;
  beforeAll(async () => {
    requireRealConsumers();
    // A 1 h session lives 10 real seconds: the server refreshes it about every 7 s.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 360 } });
    dir = mkdtempSync(join(tmpdir(), 'clock-steps-'));
  });
  afterEach(() => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('back 2 h: it refreshes on time by the monotonic clock, serves no expired session, and clients and a guard step see the real time left', async () => {
    const server = await startFaketimeServer(world, dir, 'back');
    pids.push(server.pid);
    expect((await fetchKeys(server)).status).toBe(200);
    const before = mints();
    server.step('-2h');

    const [results, watched] = await Promise.all([runConsumers(world, server, dir, 25), watch(world, server, 25_000)]);
    expect(watched.problems).toEqual([]);
    expect(watched.ok).toBeGreaterThan(50);
    // 25 s of 10 s sessions: refreshed at least twice more, by the monotonic clock.
    expect(mints() - before).toBeGreaterThanOrEqual(2);
    expectNoFailures(results);

    // A guard step reading the server: the real seconds left (at most the 10 s session), not 2 h more.
    const guard = await world.job().runAction(MAIN, {
      inputs: { 'aws-region': 'us-east-1', 'expected-duration': '1s' },
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: server.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: server.authToken },
    });
    expect(guard.exitCode).toBe(0);
    expect(Number(guard.outputs['remaining-seconds'])).toBeLessThanOrEqual(10);
    expect(Date.parse(guard.outputs['expiration'] ?? '') - Date.now()).toBeLessThanOrEqual(10_000);
  }, 90_000);

  test('forward 2 h: it refreshes, and never serves an Expiration later than STS\'s', async () => {
    const server = await startFaketimeServer(world, dir, 'forward');
    pids.push(server.pid);
    const first = await fetchKeys(server);
    expect(first.status).toBe(200);
    const before = mints();
    server.step('+2h');
    // The step makes the session look over by the wall clock: the next request starts a refresh at once.
    await fetchKeys(server);
    expect(await waitUntil(() => mints() > before, 5000)).toBe(true);

    const [results, watched] = await Promise.all([runConsumers(world, server, dir, 20), watch(world, server, 20_000)]);
    expect(watched.problems).toEqual([]);
    expect(watched.ok).toBeGreaterThan(50);
    expectNoFailures(results);
  }, 90_000);

  test('stopped (SIGSTOP) past the end of its session: after SIGCONT it serves no expired session', async () => {
    const server = await startFaketimeServer(world, dir, 'stopped');
    pids.push(server.pid);
    const first = await fetchKeys(server);
    expect(first.status).toBe(200);
    process.kill(server.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 12_000));
    expect(world.sts.sessionFor(first.key ?? '')?.expiresAt ?? Infinity).toBeLessThan(world.sts.now());
    process.kill(server.pid, 'SIGCONT');
    const watched = await watch(world, server, 5000);
    expect(watched.problems).toEqual([]);
    expect(watched.ok).toBeGreaterThan(0);
    expect(alive(server.pid)).toBe(true);
  }, 60_000);
});
