/**
 * The credential server's lifecycle, end to end: the bundled main and post
 * steps run as the runner runs them, against the OIDC issuer and STS
 * stand-ins. What must hold: a server never outlives the job unseen, a stop
 * ends it within a few seconds even mid-refresh, nothing but the server is
 * ever signalled, jobs side by side never touch each other, and the private
 * folder is never written through a planted link.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stsFaults } from '../../standins/index.js';
import type { StepResult } from '../../standins/index.js';
import { alive, AWS_CLI, MAIN, POST, ROLES, startWorld, waitUntil, type World } from './world.js';

interface Identity {
  pid: number;
  start?: string;
  nonce: string;
  dir: string;
}
const serverOf = (r: StepResult): Identity => JSON.parse(r.state['server'] ?? 'null') as Identity;

const KEEP_ALIVE = { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true' };

describe('credential server lifecycle', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h session lives 9 s.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test("STS hangs past the step's timeout: the server the killed step started stops itself, post confirms, nothing is left", async () => {
    world.sts.clearFaults();
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [stsFaults.hang(60_000), stsFaults.hang(60_000)]);
    const job = world.job();
    const r = await job.runAction(MAIN, { inputs: KEEP_ALIVE, timeoutMs: 2500 });
    world.sts.clearFaults();
    expect(r.timedOut).toBe(true);
    // Recorded before the step waited: the post step knows which process to see to.
    const server = serverOf(r);
    expect(server.pid).toBeGreaterThan(0);
    expect(server.start).toMatch(/^\d+$/);
    // Its main step is gone before the hand-over: it aborts the hung mint and ends within a few seconds.
    expect(await waitUntil(() => !alive(server.pid), 5000)).toBe(true);
    const log = readFileSync(join(server.dir, 'server-log.jsonl'), 'utf8');
    expect(log).toContain('the main step ended before the server was ready');

    const post = await job.runPost(POST, r);
    expect(post.exitCode).toBe(0);
    expect(post.warnings.join('\n')).not.toContain('still running');
    expect(job.trackedProcesses()).toEqual([]);
    expect(existsSync(server.dir)).toBe(false);
  });

  test('a stop during a refresh that hangs in STS: the post step stops the server within its grace period, without SIGKILL', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    expect(start.errors).toEqual([]);
    const server = serverOf(start);
    // The next refresh (due about 6 s in) hangs for a minute.
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [stsFaults.hang(60_000)]);
    expect(await waitUntil(() => world.sts.pendingFaults() === 0, 15_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 200)); // the refresh is now waiting on STS
    expect(alive(server.pid)).toBe(true);

    const post = await job.runPost(POST, start, { env: {} });
    expect(post.errors).toEqual([]);
    expect(post.warnings).toEqual([]); // not "killed", not "still running"
    expect(post.stdout).toContain(`Stopped the keep-alive credential server (pid ${server.pid})`);
    expect(alive(server.pid)).toBe(false);
    expect(post.summary).toContain('stopped by the post step');
    world.sts.clearFaults();
  });

  test('a server killed with SIGKILL: the next guard step fails naming it, post warns and signals nothing else', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    const server = serverOf(start);
    process.kill(server.pid, 'SIGKILL');
    expect(await waitUntil(() => !alive(server.pid), 3000)).toBe(true);
    const guard = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1' } });
    expect(guard.exitCode).toBe(1);
    expect(guard.errors.join('\n')).toContain(`(pid ${server.pid}) is not running`);
    const post = await job.runPost(POST, start);
    expect(post.warnings.join('\n')).toContain('stopped before the end of the job');
    expect(existsSync(server.dir)).toBe(false);
  });

  test('a reused pid: the post step never signals a process that is not the server', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    const server = serverOf(start);
    process.kill(server.pid, 'SIGKILL');
    expect(await waitUntil(() => !alive(server.pid), 3000)).toBe(true);
    // Another process now holds "the server's" pid (as far as the saved state says).
    const decoy = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const decoyPid = decoy.pid ?? 0;
      const state = { server: JSON.stringify({ ...server, pid: decoyPid }) };
      const post = await job.runPost(POST, { state });
      expect(post.exitCode).toBe(0);
      expect(post.warnings.join('\n')).toContain(`(pid ${decoyPid}) stopped before the end of the job`);
      await new Promise((r) => setTimeout(r, 300));
      expect(alive(decoyPid)).toBe(true);
      expect(decoy.exitCode).toBeNull();
      expect(decoy.signalCode).toBeNull();
    } finally {
      decoy.kill('SIGKILL');
    }
  });

  test('a keep-alive step for a role it cannot assume fails, and the server before it keeps serving later steps (AWS CLI)', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    expect(first.errors).toEqual([]);
    const server = serverOf(first);
    const endpoint = first.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'];

    const second = await job.runAction(MAIN, { inputs: { ...KEEP_ALIVE, 'role-to-assume': ROLES.otherRepo } });
    expect(second.exitCode).toBe(1);
    expect(second.errors.join('\n')).toContain('The keep-alive credential server could not start');
    expect(second.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBeUndefined();
    // The one it started is gone; the first one still runs, and the job's record still names it.
    const abandoned = serverOf(second);
    expect(abandoned.pid).not.toBe(server.pid);
    expect(await waitUntil(() => !alive(abandoned.pid), 5000)).toBe(true);
    expect(alive(server.pid)).toBe(true);
    expect((JSON.parse(readFileSync(join(server.dir, 'server.json'), 'utf8')) as Identity).pid).toBe(server.pid);

    // A later step (an if: always() clean-up, say) still gets credentials through the env the first step exported.
    const cli = await job.runCommand(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.endpoint, '--output', 'json']);
    expect({ code: cli.code, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(cli.stdout).toContain(':assumed-role/short-lived/');
    expect(endpoint).toBeDefined();

    const postSecond = await job.runPost(POST, second);
    expect(postSecond.warnings).toEqual([]);
    expect(postSecond.stdout).toContain(`(pid ${abandoned.pid}) was stopped by the step itself when its start failed`);
    expect(alive(server.pid)).toBe(true);
    await job.runPost(POST, first);
    expect(await waitUntil(() => !alive(server.pid), 5000)).toBe(true);
    expect(job.trackedProcesses()).toEqual([]);
  });

  test('two jobs on one machine run their servers side by side and never touch each other', async () => {
    world.sts.clearFaults();
    const a = world.job();
    const b = world.job();
    const [ra, rb] = await Promise.all([a.runAction(MAIN, { inputs: KEEP_ALIVE }), b.runAction(MAIN, { inputs: KEEP_ALIVE })]);
    expect(ra.errors).toEqual([]);
    expect(rb.errors).toEqual([]);
    const [sa, sb] = [serverOf(ra), serverOf(rb)];
    expect(sa.pid).not.toBe(sb.pid);
    expect(sa.dir).not.toBe(sb.dir);
    expect(ra.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']).not.toBe(rb.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']);

    const postA = await a.runPost(POST, ra);
    expect(postA.warnings).toEqual([]);
    expect(alive(sa.pid)).toBe(false);
    expect(alive(sb.pid)).toBe(true);
    const fromB = await fetch(rb.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '', {
      headers: { Authorization: rb.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '' },
    });
    expect(fromB.status).toBe(200);
    expect(existsSync(sb.dir)).toBe(true);
    await b.runPost(POST, rb);
    expect(alive(sb.pid)).toBe(false);
  });

  test('a planted symbolic link for the folder: refused, nothing written through it, no server started', async () => {
    const job = world.job();
    const target = mkdtempSync(join(tmpdir(), 'planted-'));
    try {
      symlinkSync(target, join(job.runnerTemp, 'aws-session-guard'));
      const r = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
      expect(r.exitCode).toBe(1);
      expect(r.errors.join('\n')).toContain('is a symbolic link');
      expect(readdirSync(target)).toEqual([]);
      expect(r.state).toEqual({});
      expect(job.trackedProcesses()).toEqual([]);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });

  test('no RUNNER_TEMP: a fresh private folder (never a fixed path), passed on to later steps, removed by post', async () => {
    const job = world.job();
    const noTemp = { env: { RUNNER_TEMP: '' } };
    const r = await job.runAction(MAIN, { inputs: KEEP_ALIVE, ...noTemp });
    expect(r.errors).toEqual([]);
    const dir = r.exportedEnv['AWS_SESSION_GUARD_DIR'] ?? '';
    expect(dir).not.toBe(join(tmpdir(), 'aws-session-guard'));
    expect(dir.startsWith(join(tmpdir(), 'aws-session-guard-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const guard = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1' }, ...noTemp });
    expect(guard.outputs['refreshed']).toBe('false');
    const post = await job.runPost(POST, r, noTemp);
    expect(post.warnings).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
