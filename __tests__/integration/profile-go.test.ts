/**
 * aws-profile with keep-alive, read by the AWS SDKs for Go v2 and v1 (Debian's
 * versions): both run the profile's credential_process and refresh through
 * it past three expiries, with nothing but AWS_PROFILE in their environment.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { buildGoConsumers, type GoConsumers } from './go-consumers.js';
import { consumerResults, MAIN, POST, ROLES, ROOT, startWorld, type World } from './world.js';

let go: GoConsumers;
beforeAll(async () => {
  go = await buildGoConsumers();
}, 300_000);
afterAll(() => go?.remove());

function runGoConsumers(job: JobRunner, sts: string, seconds: number): Promise<StepResult> {
  const script = [`"${go.v2}" ${seconds} 500 &`, `"${go.v1}" ${seconds} 500 &`, 'wait'].join('\n');
  // Go v1 reads the config file (region, credential_process) only with AWS_SDK_LOAD_CONFIG; the loop asks for it itself.
  return job.runCommand('bash', ['-c', script], { env: { STS_ENDPOINT: sts, AWS_PROFILE: 'ci' }, cwd: ROOT, name: 'terraform apply on a profile' });
}

describe('aws-profile with keep-alive and the AWS SDKs for Go', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('Go v2 and v1 run the credential_process and refresh past three expiries with zero failed calls', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h', 'aws-profile': 'ci' },
    });
    expect(start.errors).toEqual([]);
    expect(Object.keys(start.exportedEnv).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    const run = await runGoConsumers(job, world.sts.endpoint, 30);
    const all = consumerResults(run);
    expect(all.map((r) => r.consumer).sort()).toEqual(['go-sdk-v1', 'go-sdk-v2']);
    for (const r of all) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors }).toEqual({ consumer: r.consumer, failed: 0, expiredToken: 0, errors: [] });
      expect(r.keys).toBeGreaterThanOrEqual(3);
    }
    const post = await job.runPost(POST, start);
    expect(post.warnings).toEqual([]);
  }, 120_000);
});
