/**
 * Trust: later steps always run as the role, account and region that the
 * latest guard step names. The bundled action runs as the runner runs it;
 * each time a real client (the AWS CLI v2, boto3 and the JS SDK v3) in the
 * next step says who it is.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import type { JobRunner } from '../../standins/index.js';
import { AWS_CLI, BOTO3_PYTHON, defaultRoles, MAIN, POST, ROLES, ROOT, startWorld, type World, requireRealConsumers } from './world.js';

const CONSUMERS = join(ROOT, 'standins', 'consumers');
const OTHER_ACCOUNT_ROLE = 'arn:aws:iam::210987654321:role/prod-admin';

beforeAll(requireRealConsumers);

/** The caller ARN each real client sees, and the region the step had. */
async function whoAmI(job: JobRunner, sts: string): Promise<{ arns: string[]; region: string | undefined }> {
  const opts = { env: { STS_ENDPOINT: sts, NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT };
  const runs = await Promise.all([
    job.runCommand(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', sts, '--output', 'json'], opts),
    job.runCommand(BOTO3_PYTHON, [join(CONSUMERS, 'boto3-once.py')], opts),
    job.runCommand(process.execPath, [join(CONSUMERS, 'js-sdk-once.mjs')], opts),
  ]);
  const arns = runs.map((r) => {
    const m = /"(?:Arn|arn)":\s*"([^"]+)"/.exec(r.stdout);
    return m?.[1] ?? `failed (${r.code}): ${r.stdout}${r.stderr}`;
  });
  return { arns, region: job.env['AWS_REGION'] };
}

const assumed = (roleArn: string) => {
  const [, account, name] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn) ?? [];
  return new RegExp(`^arn:aws:sts::${account}:assumed-role/${name}/`);
};

describe('trust: a later guard step names the session later steps run as', () => {
  let world: World;
  beforeAll(async () => {
    const trust = { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' };
    world = await startWorld({ roles: { ...defaultRoles(), [OTHER_ACCOUNT_ROLE]: { maxSessionDuration: 3 * 3600, trust } } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('after keep-alive for one role, a guard for a role in another account mints its own session; clients run as that role', async () => {
    const job = world.job();
    const ka = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(ka.errors).toEqual([]);
    const before = await whoAmI(job, world.sts.endpoint);
    for (const arn of before.arns) expect(arn).toMatch(assumed(ROLES.deploy));

    const g = await job.runAction(MAIN, { inputs: { 'role-to-assume': OTHER_ACCOUNT_ROLE, 'aws-region': 'us-east-1' } });
    expect(g.errors).toEqual([]);
    expect(g.outputs['refreshed']).toBe('true');
    expect(g.stdout).not.toContain('Nothing to do');
    const after = await whoAmI(job, world.sts.endpoint);
    for (const arn of after.arns) expect(arn).toMatch(assumed(OTHER_ACCOUNT_ROLE));

    // A guard for the keep-alive role again: the static keys are the other role's, so it mints again.
    const back = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(back.outputs['refreshed']).toBe('true');
    for (const arn of (await whoAmI(job, world.sts.endpoint)).arns) expect(arn).toMatch(assumed(ROLES.deploy));
    await job.runPost(POST, ka);
  });

  test('after keep-alive, a guard for the same role in another region does not take the server as its session', async () => {
    const job = world.job();
    const ka = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(ka.errors).toEqual([]);
    const same = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(same.outputs['refreshed']).toBe('false'); // same identity: the server is this step's session

    const g = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1' } });
    expect(g.outputs['refreshed']).toBe('true');
    const who = await whoAmI(job, world.sts.endpoint);
    expect(who.region).toBe('eu-west-1');
    for (const arn of who.arns) expect(arn).toMatch(assumed(ROLES.deploy));
    await job.runPost(POST, ka);
  });

  test('keys replaced by another step (no expiry of their own): the next guard does not trust the old expiry', async () => {
    const job = world.job();
    const g1 = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '30m' } });
    expect(g1.outputs['refreshed']).toBe('true');

    // Another tool (configure-aws-credentials, say) exports keys of another role, and leaves AWS_CREDENTIAL_EXPIRATION alone.
    const other = world.job();
    const foreign = await other.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.long, 'aws-region': 'us-east-1' } });
    const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].map((k) => `${k}=${foreign.exportedEnv[k] ?? ''}`).join('\n');
    await job.runCommand('bash', ['-c', `printf '%s\\n' "$KEYS" >> "$GITHUB_ENV"`], { env: { KEYS: keys } });
    expect(job.env['AWS_CREDENTIAL_EXPIRATION']).toBe(g1.exportedEnv['AWS_CREDENTIAL_EXPIRATION']);
    for (const arn of (await whoAmI(job, world.sts.endpoint)).arns) expect(arn).toMatch(assumed(ROLES.long));

    const g2 = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '30m' } });
    expect(g2.errors).toEqual([]);
    expect(g2.outputs['refreshed']).toBe('true');
    expect(g2.stdout).toContain('another step replaced the AWS keys');
    for (const arn of (await whoAmI(job, world.sts.endpoint)).arns) expect(arn).toMatch(assumed(ROLES.deploy));
  });

  test("the 'expiration' input beside keys this action exported is ignored; beside foreign keys it is used", async () => {
    const job = world.job();
    const g1 = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(g1.outputs['refreshed']).toBe('true');
    const far = new Date(Date.now() + 10 * 3600_000).toISOString();
    const calls = world.sts.calls.length;
    // Our keys have ~1 h: an 'expiration' of 10 h from elsewhere describes other keys.
    const g2 = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '2h', expiration: far },
    });
    expect(g2.errors).toEqual([]);
    expect(g2.stdout).toContain("The 'expiration' input is ignored");
    expect(g2.outputs['refreshed']).toBe('true');
    expect(world.sts.calls.length).toBeGreaterThan(calls);

    // Foreign keys (no marker) with the 'expiration' input that came with them: trusted, no network call.
    const other = world.job();
    const foreign = await other.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.long, 'aws-region': 'us-east-1', 'expected-duration': '3h' } });
    const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'].map((k) => `${k}=${foreign.exportedEnv[k] ?? ''}`).join('\n');
    await job.runCommand('bash', ['-c', `printf '%s\\n' "$KEYS" >> "$GITHUB_ENV"`], { env: { KEYS: keys } });
    const before = world.sts.calls.length;
    const g3 = await job.runAction(MAIN, {
      inputs: { 'aws-region': 'us-east-1', 'expected-duration': '2h', expiration: foreign.exportedEnv['AWS_CREDENTIAL_EXPIRATION'] ?? '' },
    });
    expect(g3.errors).toEqual([]);
    expect(g3.outputs['refreshed']).toBe('false');
    expect(world.sts.calls.length).toBe(before);
    for (const arn of (await whoAmI(job, world.sts.endpoint)).arns) expect(arn).toMatch(assumed(ROLES.long));
  });
});
