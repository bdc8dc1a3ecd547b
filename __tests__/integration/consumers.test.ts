/**
 * Real consumers read what the guard exported: the AWS CLI v2 (Debian awscli),
 * boto3 (Debian python3-boto3) and the JS SDK v3 call GetCallerIdentity
 * against the STS stand-in, signed with the exported credentials. Once the
 * session has expired they get ExpiredToken.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { JobRunner } from '../../standins/index.js';
import { AWS_CLI, BOTO3_PYTHON, MAIN, ROLES, ROOT, startWorld, type World, requireRealConsumers } from './world.js';

const CONSUMERS = join(ROOT, 'standins', 'consumers');
const PYTHON = BOTO3_PYTHON;

beforeAll(requireRealConsumers);

interface Outcome {
  code: number | null;
  text: string;
}

async function callAll(job: JobRunner, endpoint: string): Promise<Record<'cli' | 'boto3' | 'js', Outcome>> {
  const opts = { env: { STS_ENDPOINT: endpoint, NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT };
  const [cli, boto3, js] = await Promise.all([
    job.runCommand(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', endpoint, '--output', 'json'], opts),
    job.runCommand(PYTHON, [join(CONSUMERS, 'boto3-once.py')], opts),
    job.runCommand(process.execPath, [join(CONSUMERS, 'js-sdk-once.mjs')], opts),
  ]);
  const o = (r: { code: number | null; stdout: string; stderr: string }) => ({ code: r.code, text: r.stdout + r.stderr });
  return { cli: o(cli), boto3: o(boto3), js: o(js) };
}

describe('consumers of the exported credentials', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  test('the AWS CLI v2, boto3 and the JS SDK v3 succeed with fresh credentials and get ExpiredToken once they expire', async () => {
    const job = world.job();
    const guard = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(guard.exitCode).toBe(0);
    const accessKeyId = guard.exportedEnv['AWS_ACCESS_KEY_ID'] ?? '';

    const fresh = await callAll(job, world.sts.endpoint);
    for (const [name, r] of Object.entries(fresh)) {
      expect({ name, code: r.code }).toEqual({ name, code: 0 });
      expect(r.text).toContain('arn:aws:sts::123456789012:assumed-role/deploy/');
    }
    const signedBy = world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.status === 200).map((c) => c.accessKeyId);
    expect(signedBy.filter((k) => k === accessKeyId)).toHaveLength(3);

    expect(world.sts.expireSession(accessKeyId)).toBe(true);
    const expired = await callAll(job, world.sts.endpoint);
    for (const [name, r] of Object.entries(expired)) {
      expect({ name, code: r.code === 0 ? 0 : 'failed' }).toEqual({ name, code: 'failed' });
      expect(r.text).toContain('ExpiredToken');
    }

    // A guard step that finds the session over re-assumes, and the consumers work again.
    job.env['AWS_CREDENTIAL_EXPIRATION'] = new Date(Date.now() - 1000).toISOString();
    const again = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(again.outputs['refreshed']).toBe('true');
    const after = await callAll(job, world.sts.endpoint);
    for (const [name, r] of Object.entries(after)) expect({ name, code: r.code }).toEqual({ name, code: 0 });
  }, 60_000);
});
