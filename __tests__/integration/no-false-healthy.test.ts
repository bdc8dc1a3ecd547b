/**
 * Issue 20, finding 3: STS is down past the end of the keep-alive server's
 * session. The server answers 503 (never an expired key); a later guard step,
 * or keep-alive step, that finds it must not call that healthy: it fails and
 * says why, and the summary says Failed, never Healthy.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MAIN, POST, ROLES, serverPid, startWorld, alive, waitUntil, type World } from './world.js';

describe('a keep-alive server whose session ended while STS is down', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h session lives 10 real seconds.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 360 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('a guard step and a keep-alive step fail, name the reason, and never say Healthy or "Nothing to do"', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h' },
    });
    expect(start.exitCode).toBe(0);
    const pid = serverPid(job);
    try {
      world.sts.setDown(true);
      // Past the end of the session the server had: it cannot mint another.
      await new Promise((r) => setTimeout(r, 12_000));
      const probe = await fetch(start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '', {
        headers: { Authorization: start.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '' },
      });
      expect(probe.status).toBe(503);

      const guard = await job.runAction(MAIN, { inputs: { 'aws-region': 'us-east-1', 'expected-duration': '10m' } });
      expect(guard.exitCode).not.toBe(0);
      // (The last error is named once the server's first refresh has given up; under load that can take longer than this wait.)
      expect(guard.errors.join('\n')).toMatch(/serves no AWS credentials now: The current session has expired and no new one could be minted yet/);
      expect(guard.stdout).not.toMatch(/Nothing to do/);
      expect(guard.summary).not.toMatch(/Healthy/);
      expect(guard.summary).toMatch(/\*\*Failed\*\*: the keep-alive credential server serves no credentials now/);

      // The same with the role: the server mints for this identity, and is not healthy either.
      const withRole = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'expected-duration': '10m' } });
      expect(withRole.exitCode).not.toBe(0);
      expect(withRole.summary).not.toMatch(/Healthy/);

      // A keep-alive step that would reuse it fails too, rather than hand it over as working.
      const again = await job.runAction(MAIN, {
        inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h' },
      });
      expect(again.exitCode).not.toBe(0);
      expect(again.errors.join('\n')).toMatch(/serves no AWS credentials now/);
      expect(again.summary).not.toMatch(/reused the running credential server/);
    } finally {
      world.sts.setDown(false);
      await job.runPost(POST, start);
      if (!(await waitUntil(() => !alive(pid), 5000))) process.kill(pid, 'SIGKILL');
    }
  }, 90_000);
});
