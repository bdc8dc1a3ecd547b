/**
 * keep-alive end to end: the bundled main step starts the detached credential
 * server; real consumers (boto3, the AWS CLI v2, the JS SDK v3) in later
 * steps outlive several sessions; the post step stops it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stsFaults } from '../../standins/index.js';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { alive, AWS_CLI, BOTO3_PYTHON, consumerResults, MAIN, POST, ROLES, ROOT, secretsOf, serverPid, startWorld, type World, requireRealConsumers } from './world.js';

const FIXTURES = join(ROOT, 'standins', 'consumers');
const PYTHON = BOTO3_PYTHON;

beforeAll(requireRealConsumers);


/** Runs the three real consumers side by side in one `run:` step for `seconds`. */
function runConsumers(job: JobRunner, sts: string, seconds: number): Promise<StepResult> {
  const script = [
    `"${PYTHON}" "${join(FIXTURES, 'boto3-loop.py')}" ${seconds} 0.25 &`,
    `node "${join(FIXTURES, 'js-sdk-loop.mjs')}" ${seconds} 250 &`,
    `AWS_CLI="${AWS_CLI}" bash "${join(FIXTURES, 'cli-loop.sh')}" ${seconds} &`,
    'wait',
  ].join('\n');
  return job.runCommand('bash', ['-c', script], { env: { STS_ENDPOINT: sts, NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT, name: 'long deploy' });
}


describe('keep-alive with real consumers across several sessions', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h role session lives 9 s: hours compressed into seconds.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('boto3, the AWS CLI and the JS SDK see zero ExpiredToken and zero failed calls; post stops the server', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h' },
    });
    expect(start.errors).toEqual([]);
    expect(start.exitCode).toBe(0);
    // handed over to the server, static keys cleared, the two botocore-breaking names never exported
    const env = start.exportedEnv;
    expect(env['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(env['AWS_CONTAINER_AUTHORIZATION_TOKEN']).toMatch(/^[\w-]{43}$/);
    for (const cleared of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN']) {
      expect(env[cleared]).toBe('');
    }
    // an empty AWS_PROFILE breaks the AWS CLI and boto3 (ProfileNotFound): never exported
    expect(env).not.toHaveProperty('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI');
    expect(env).not.toHaveProperty('AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE');
    expect(env).not.toHaveProperty('AWS_PROFILE');
    expect(start.masks).toContain(env['AWS_CONTAINER_AUTHORIZATION_TOKEN']);
    expect(start.outputs['credentials-endpoint']).toBe(env['AWS_CONTAINER_CREDENTIALS_FULL_URI']);
    // 1 h asked, 1 h granted: no search for the role's maximum, so no refused call.
    expect(start.outputs['max-session-duration']).toBeUndefined();
    expect(world.sts.calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(start.durationMs).toBeLessThan(10_000);

    const pid = serverPid(job);
    expect(alive(pid)).toBe(true);
    const issuedBefore = world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length;

    const run = await runConsumers(job, world.sts.endpoint, 30);
    const all = consumerResults(run);
    expect(all.map((r) => r.consumer).sort()).toEqual(['aws-cli', 'boto3', 'js-sdk-v3']);
    for (const r of all) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors.filter(Boolean) }).toEqual({
        consumer: r.consumer,
        failed: 0,
        expiredToken: 0,
        errors: [],
      });
      expect(r.ok).toBeGreaterThan(5);
      expect(r.keys).toBeGreaterThanOrEqual(3); // it outlived at least three sessions
    }
    const issued = world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length - issuedBefore;
    expect(issued).toBeGreaterThanOrEqual(3);

    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([]);
    expect(post.summary).toContain('keep-alive timeline');
    expect(post.summary).toMatch(/refreshed \(/);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);
    expect(job.secretsUnmasked(secretsOf(job))).toEqual([]);
  }, 90_000);
});

describe('keep-alive with role chaining', () => {
  let world: World;
  beforeAll(async () => {
    // A chained 1 h session lives 8 s.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 450 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('the chain (OIDC role, then AssumeRole) is re-assumed before each session ends, past the 1 h chaining cap', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': ROLES.chained, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '5h' },
    });
    expect(start.errors).toEqual([]);
    expect(start.exitCode).toBe(0);
    expect(start.outputs['authenticated-arn']).toMatch(/assumed-role\/chained-target\//);
    const chainedBefore = world.sts.calls.filter((c) => c.action === 'AssumeRole' && c.status === 200).length;

    const run = await job.runCommand(process.execPath, [join(FIXTURES, 'js-sdk-loop.mjs'), '26', '200'], {
      env: { STS_ENDPOINT: world.sts.endpoint, NODE_PATH: join(ROOT, 'node_modules') },
      cwd: ROOT,
    });
    const [r] = consumerResults(run);
    expect(r).toMatchObject({ consumer: 'js-sdk-v3', failed: 0, expiredToken: 0 });
    expect(r?.keys).toBeGreaterThanOrEqual(3);
    const chained = world.sts.calls.filter((c) => c.action === 'AssumeRole' && c.status === 200);
    expect(chained.length - chainedBefore).toBeGreaterThanOrEqual(3);
    // every chained session asked for the 1 h cap, never more
    expect(new Set(chained.map((c) => c.durationSeconds))).toEqual(new Set([3600]));
    const identities = world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.status === 200);
    expect(identities.length).toBeGreaterThan(10);
    await job.runPost(POST, start);
  }, 90_000);
});

describe('keep-alive under faults', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h session lives 18 s.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 200 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('STS throttling, 5xx bursts and the OIDC issuer down for a while: still zero failed calls', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(start.exitCode).toBe(0);

    const consumers = runConsumers(job, world.sts.endpoint, 40);
    // A burst of throttling and 5xx on every refresh for a while...
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [
      stsFaults.throttling(),
      stsFaults.throttling(),
      { status: 500, code: 'InternalFailure' },
      { status: 503, code: 'ServiceUnavailable' },
    ]);
    // ...then, after the first refresh, GitHub's token endpoint down for 4 s (shorter than what is left).
    await world.sts.waitForCall((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200, { timeoutMs: 30_000 });
    world.issuer.setDown(true);
    await new Promise((r) => setTimeout(r, 4000));
    world.issuer.setDown(false);

    const run = await consumers;
    for (const r of consumerResults(run)) {
      expect({ consumer: r.consumer, failed: r.failed, errors: r.errors.filter(Boolean) }).toEqual({ consumer: r.consumer, failed: 0, errors: [] });
    }
    const post = await job.runPost(POST, start);
    expect(post.summary).toMatch(/STS retr/);
  }, 90_000);

  test('a second keep-alive step reuses the server; a killed server is reported by the next guard step and the post step', async () => {
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(first.exitCode).toBe(0);
    const pid = serverPid(job);
    const processes = job.trackedProcesses().length;

    const second = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '2h' },
    });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('Reusing the keep-alive credential server');
    expect(serverPid(job)).toBe(pid);
    expect(job.trackedProcesses().length).toBe(processes);
    expect(second.outputs['credentials-endpoint']).toBe(first.outputs['credentials-endpoint']);

    // A guard step while the server runs: healthy, no STS call.
    const calls = world.sts.calls.length;
    const check = await job.runAction(MAIN, { inputs: { 'expected-duration': '30m' } });
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toContain('is running');
    expect(world.sts.calls.length).toBeLessThanOrEqual(calls + 1); // at most the server's own refresh

    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));

    const after = await job.runAction(MAIN, { inputs: { 'expected-duration': '30m' } });
    expect(after.exitCode).toBe(1);
    expect(after.errors.join('\n')).toMatch(/keep-alive credential server .* is not running/);
    expect(after.errors.join('\n')).toContain("keep-alive: true");

    const post = await job.runPost(POST, first);
    expect(post.warnings.join('\n')).toMatch(/stopped before the end of the job/);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);
  }, 90_000);
});

describe('keep-alive when the OIDC request token runs out', () => {
  let world: World;
  beforeAll(async () => {
    // The job's request token lasts 12 s; a 1 h session lives 6 s.
    world = await startWorld({ issuer: { requestTokenTtlSeconds: 12 }, sts: { credentialLifetime: (s) => s / 600 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('warns that it cannot cover the work, mints a last session just before the token expires, then exits', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '2h', 'fail-on-short-session': 'false' },
    });
    expect(start.exitCode).toBe(0);
    expect(start.warnings.join('\n')).toMatch(/can keep AWS credentials coming for .* but the work needs 2h5m/);
    const pid = serverPid(job);
    const tokenExpiresAt = world.issuer.requestTokenExpiresAt * 1000;
    const deadline = Date.now() + 40_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
    // it kept serving until the last session ended, after the token had expired
    expect(Date.now()).toBeGreaterThan(tokenExpiresAt);
    const lastMint = Math.max(...world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).map((c) => c.at));
    expect(lastMint).toBeLessThan(tokenExpiresAt);
    expect(lastMint).toBeGreaterThan(tokenExpiresAt - 5000);
    const log = readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server-log.jsonl'), 'utf8');
    expect(log).toContain('the OIDC request token expired and the last session ended');
    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
  }, 60_000);
});

describe('keep-alive security and fail-fast', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ issuer: { requestTokenTtlSeconds: 2 * 3600 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('fails in seconds when the OIDC request token cannot cover the work, before any network call', async () => {
    const job = world.job();
    const calls = world.sts.calls.length;
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '15h' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.durationMs).toBeLessThan(5000);
    expect(r.errors.join('\n')).toMatch(/OIDC request token for this job expires at/);
    expect(world.sts.calls.length).toBe(calls);
  });

  test("a server that cannot get its first credentials fails the step with the server's error, and leaves nothing behind", async () => {
    const job = world.job();
    const started = Date.now();
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.otherRepo, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(r.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
    const error = r.errors.join('\n');
    expect(error).toContain('The keep-alive credential server could not start');
    expect(error).toContain('AccessDenied');
    expect(error).toContain('sub "repo:octo-org/octo-repo:ref:refs/heads/main"');
    expect(r.exportedEnv).toEqual({});
    // The server's identity was saved before the step waited for it; the step stopped it and removed its record.
    expect(Object.keys(r.state)).toEqual(['server']);
    expect(job.trackedProcesses()).toEqual([]);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard', 'server.json'))).toBe(false);
    const post = await job.runPost(POST, r);
    expect(post.exitCode).toBe(0);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);
  });

  test('the server answers only with the token, only on loopback; its files are 0600 and removed by post', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(start.exitCode).toBe(0);
    const url = start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '';
    const token = start.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '';
    const get = (headers: Record<string, string>, path = '/credentials', method = 'GET') =>
      fetch(new URL(path, url), { headers, method });

    for (const bad of [{}, { Authorization: 'wrong' }, { Authorization: token.slice(0, -1) }, { Authorization: token + 'x' }, { Authorization: 'x'.repeat(token.length) }]) {
      const r = await get(bad);
      expect(r.status).toBe(403);
      expect(await r.json()).toMatchObject({ Code: 'AccessDenied' });
    }
    const ok = await get({ Authorization: token });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['AccessKeyId', 'AccountId', 'Expiration', 'SecretAccessKey', 'Token']);
    expect(body['AccountId']).toBe('123456789012');
    expect((await get({ Authorization: token }, '/other')).status).toBe(404);
    expect((await get({ Authorization: token }, '/credentials', 'POST')).status).toBe(405);

    // bound to 127.0.0.1 only: another loopback address on the same port is refused
    const port = Number(new URL(url).port);
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.2', port });
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);

    const dir = join(job.runnerTemp, 'aws-session-guard');
    const record = join(dir, 'server.json');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    // The auth token never touches the disk: not in the record, not anywhere in the folder.
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name), 'utf8')).not.toContain(token);
    // The server's own environment holds no AWS keys, inputs or runner file-command paths.
    const serverEnv = readFileSync(`/proc/${serverPid(job)}/environ`, 'utf8').split('\0').map((kv) => kv.split('=')[0]);
    expect(serverEnv).toContain('RUNNER_TRACKING_ID');
    // Small and long-lived: a 1 MiB young generation and no V8 helper threads.
    const cmdline = readFileSync(`/proc/${serverPid(job)}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toEqual(expect.arrayContaining(['--max-semi-space-size=1', '--single-threaded']));
    expect(serverEnv.filter((n) => /^(INPUT_|GITHUB_ENV|GITHUB_OUTPUT|GITHUB_STATE|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN)/.test(n ?? ''))).toEqual([]);
    const log = readFileSync(join(dir, 'server-log.jsonl'), 'utf8');
    expect(log).not.toContain(body['SecretAccessKey']);
    expect(log).not.toContain(token);

    await job.runPost(POST, start);
    expect(existsSync(dir)).toBe(false);
    expect(job.secretsUnmasked([token, body['SecretAccessKey'] ?? '', body['Token'] ?? ''])).toEqual([]);
  });
});
