/**
 * True words (issue 20, finding 8): the post step, the guard step and the
 * timeline name what happened to a real credential server started by the
 * bundled action: killed (SIGKILL, no stop event), replaced (only when a later
 * step really stopped it), paused (SIGSTOP: not "not running"), and a session
 * that expired without a refresh.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { stsFaults } from '../../standins/index.js';
import type { StepResult } from '../../standins/index.js';
import { alive, MAIN, POST, ROLES, startWorld, waitUntil, type World } from './world.js';

const serverPidOf = (r: StepResult): number => (JSON.parse(r.state['server'] ?? 'null') as { pid: number }).pid;
const KEEP_ALIVE = { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true' };
const REPLACED = 'was replaced by a later keep-alive step, which stopped it';

describe('the words for what became of the server', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h session lives 9 s.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    world.sts.clearFaults();
    await world.close();
  });

  async function killed(pid: number): Promise<void> {
    process.kill(pid, 'SIGKILL');
    expect(await waitUntil(() => !alive(pid), 3000)).toBe(true);
  }

  test('SIGKILL: the post step says killed, and the timeline has a row for it', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    expect(start.errors).toEqual([]);
    await killed(serverPidOf(start));
    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    expect(post.annotations.filter((a) => a.level === 'warning').map((a) => a.properties['title'])).toEqual(['Credential server killed']);
    expect(post.warnings.join('\n')).toContain('it was killed: it ended without its stop event (SIGKILL');
    expect(post.summary).toContain('| **killed**: the server was gone without its stop event (found by the post step) | | |');
  });

  test('SIGKILL, then a later keep-alive step starts another: the first post says killed, not "replaced"', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    await killed(serverPidOf(first));
    const second = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    expect(second.exitCode).toBe(0);
    expect(serverPidOf(second)).not.toBe(serverPidOf(first));
    const post1 = await job.runPost(POST, first);
    expect(post1.stdout).not.toContain(REPLACED);
    expect(post1.warnings.join('\n')).toContain(`(pid ${serverPidOf(first)}) stopped before the end of the job: it was killed`);
    expect(post1.warnings.join('\n')).toContain('A later keep-alive step found it gone and started another server.');
    const post2 = await job.runPost(POST, second);
    expect(post2.warnings).toEqual([]);
    expect(alive(serverPidOf(second))).toBe(false);
  });

  test('a later step that really replaces the server (other settings): "replaced", and no warning', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    const second = await job.runAction(MAIN, { inputs: { ...KEEP_ALIVE, 'role-to-assume': ROLES.deploy } });
    expect(second.exitCode).toBe(0);
    expect(await waitUntil(() => !alive(serverPidOf(first)), 5000)).toBe(true);
    const post1 = await job.runPost(POST, first);
    expect(post1.stdout).toContain(`(pid ${serverPidOf(first)}) ${REPLACED}`);
    expect(post1.warnings).toEqual([]);
    await job.runPost(POST, second);
  });

  test('SIGSTOP: a guard step says paused, not "not running"; the post step resumes it to stop it', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    const pid = serverPidOf(start);
    process.kill(pid, 'SIGSTOP');
    try {
      const guard = await job.runAction(MAIN, { inputs: { 'aws-region': 'us-east-1' } });
      expect(guard.exitCode).toBe(1);
      const error = guard.errors.join('\n');
      expect(error).toContain(`(pid ${pid}) is paused (stopped by a signal, SIGSTOP or SIGTSTP)`);
      expect(error).toContain(`kill -CONT ${pid}`);
      expect(error).not.toContain('not running');
      const post = await job.runPost(POST, start);
      expect(post.warnings).toEqual([]);
      expect(post.stdout).toContain(`Stopped the keep-alive credential server (pid ${pid}), which was paused (stopped by a signal): it was resumed to stop.`);
      expect(alive(pid)).toBe(false);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  test('STS down past the end of the session: the timeline says it expired without a refresh, and stops claiming to serve it', async () => {
    world.sts.clearFaults();
    const job = world.job();
    const start = await job.runAction(MAIN, { inputs: KEEP_ALIVE });
    expect(start.errors).toEqual([]);
    world.sts.injectFaults('AssumeRoleWithWebIdentity', Array.from({ length: 500 }, () => stsFaults.serviceUnavailable()));
    const expiration = Date.parse(start.outputs['aws-expiration'] ?? start.outputs['expiration'] ?? '');
    const until = Number.isNaN(expiration) ? Date.now() + 12_000 : expiration + 2500;
    await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
    const post = await job.runPost(POST, start);
    world.sts.clearFaults();
    expect(post.summary).toContain('| **session expired without a refresh**: nothing valid to serve until a refresh succeeds | | |');
    const rows = post.summary.split('\n');
    const expiredAt = rows.findIndex((l) => l.includes('session expired without a refresh'));
    expect(rows.slice(expiredAt).filter((l) => l.includes('kept serving the old session'))).toEqual([]);
    expect(rows.slice(0, expiredAt).some((l) => l.includes('first session'))).toBe(true);
  }, 40_000);
});
