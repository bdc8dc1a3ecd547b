/**
 * keep-alive with the AWS SDKs for Go, the SDKs inside Terraform's AWS provider
 * and S3 backend: Debian's aws-sdk-go-v2 1.17 and aws-sdk-go 1.44, built
 * offline. Both read AWS_CONTAINER_CREDENTIALS_FULL_URI first and accept
 * only loopback hosts in it; both refresh 5 min before Expiration, so with
 * compressed sessions they fetch from the server on every call.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { buildGoConsumers, type GoConsumers } from './go-consumers.js';
import { alive, consumerResults, MAIN, POST, ROLES, ROOT, secretsOf, serverPid, startWorld, type World } from './world.js';



let go: GoConsumers;
beforeAll(async () => {
  go = await buildGoConsumers();
}, 300_000);
afterAll(() => go?.remove());

/** Both Go loops side by side in one `run:` step for `seconds`, a call every 250 ms. */
function runGoConsumers(job: JobRunner, sts: string, seconds: number): Promise<StepResult> {
  const script = [`"${go.v2}" ${seconds} 250 &`, `"${go.v1}" ${seconds} 250 &`, 'wait'].join('\n');
  return job.runCommand('bash', ['-c', script], { env: { STS_ENDPOINT: sts }, cwd: ROOT, name: 'terraform apply' });
}

describe('keep-alive with the AWS SDKs for Go v2 and v1', () => {
  let world: World;
  beforeAll(async () => {
    // A 1 h role session lives 9 s: hours compressed into seconds.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('each long-lived Go process refreshes through the server past three expiries with zero failed calls; post stops the server', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h' },
    });
    expect(start.errors).toEqual([]);
    expect(start.exitCode).toBe(0);
    // the full URI on loopback, the only form these Go SDK versions take over http outside ECS
    expect(start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(start.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN']).toMatch(/^[\w-]{43}$/);
    expect(start.exportedEnv['AWS_ACCESS_KEY_ID']).toBe('');
    expect(job.env['AWS_REGION']).toBe('us-east-1');
    const pid = serverPid(job);
    const issued = () => world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length;
    const issuedBefore = issued();
    const startedAt = Date.now();

    // 30 s: more than three 9 s sessions.
    const run = await runGoConsumers(job, world.sts.endpoint, 30);
    expect(run.exitCode).toBe(0);
    const all = consumerResults(run);
    expect(all.map((r) => r.consumer).sort()).toEqual(['go-sdk-v1', 'go-sdk-v2']);
    for (const r of all) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors }).toEqual({
        consumer: r.consumer,
        failed: 0,
        expiredToken: 0,
        errors: [],
      });
      expect(r.ok).toBeGreaterThan(60); // about 4 calls a second for 30 s
      expect(r.keys).toBeGreaterThanOrEqual(3); // the calls were signed by at least three sessions
    }
    expect(issued() - issuedBefore).toBeGreaterThanOrEqual(3);
    // every call was signed by a session that STS had issued and that was still valid
    const signed = world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.at >= startedAt);
    expect(signed.filter((c) => c.status !== 200)).toEqual([]);

    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([]);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);
    expect(job.secretsUnmasked(secretsOf(job))).toEqual([]);
  }, 90_000);
});
