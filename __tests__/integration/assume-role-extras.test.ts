/**
 * role-external-id and session tags on the wire: the real @aws-sdk/client-sts
 * (through the action's SDK gateway) against the STS stand-in, which checks
 * them as STS does (the API reference's constraints, the trust policy's
 * sts:ExternalId condition and sts:TagSession). Then the bundled main step,
 * with a chained role, end to end.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createSdkGateway } from '../../src/sts/sdk-gateway.js';
import type { StsGateway } from '../../src/model/sts-types.js';
import { ACCOUNT, defaultRoles, MAIN, ROLES, startWorld, type World } from './world.js';

const PARTNER = `arn:aws:iam::${ACCOUNT}:role/partner-access`;
const NO_TAGS = `arn:aws:iam::${ACCOUNT}:role/no-tag-session`;
const PACKED = `arn:aws:iam::${ACCOUNT}:role/packed-tags`;
const FROM_DEPLOY = [`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/*`, ROLES.deploy];

describe('AssumeRole extras through the real SDK, checked by the stand-in', () => {
  let world: World;
  let gateway: StsGateway;
  beforeAll(async () => {
    world = await startWorld({
      roles: {
        ...defaultRoles(),
        [PARTNER]: { maxSessionDuration: 3600, trustedPrincipals: FROM_DEPLOY, externalId: 'partner-4711' },
        [NO_TAGS]: { maxSessionDuration: 3600, trustedPrincipals: FROM_DEPLOY, denyTagSession: true },
        // Room for the tags configure-aws-credentials always sends and a custom one, not for the droppable ones too.
        [PACKED]: { maxSessionDuration: 3600, trustedPrincipals: FROM_DEPLOY, maxPackedTagBytes: 160 },
      },
    });
    gateway = createSdkGateway({ region: 'us-east-1', endpoint: world.sts.endpoint });
  });
  afterAll(async () => {
    gateway.close();
    await world.close();
  });

  async function deploySession() {
    const token = world.issuer.mintIdToken({ audience: 'sts.amazonaws.com' });
    const r = await gateway.assumeRoleWithWebIdentity({ roleArn: ROLES.deploy, roleSessionName: 'extras', durationSeconds: 900, webIdentityToken: token });
    return r.credentials;
  }
  const base = { roleSessionName: 'extras', durationSeconds: 900 };

  test('ExternalId, Tags and TransitiveTagKeys arrive as sent', async () => {
    const creds = await deploySession();
    world.sts.resetCalls();
    const tags = [
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo-org/octo-repo' },
      { key: 'Team', value: 'payments ünïcode' },
    ];
    const r = await gateway.assumeRole(creds, { ...base, roleArn: PARTNER, assumeRoleExtras: { externalId: 'partner-4711', tags, transitiveTagKeys: ['Team'] } });
    expect(r.assumedRoleArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/partner-access/extras`);
    const call = world.sts.calls.find((c) => c.action === 'AssumeRole');
    expect(call).toMatchObject({ status: 200, externalId: 'partner-4711', tags, transitiveTagKeys: ['Team'] });
  });

  test('the wrong or a missing external ID is AccessDenied, as the trust condition makes it', async () => {
    const creds = await deploySession();
    await expect(gateway.assumeRole(creds, { ...base, roleArn: PARTNER, assumeRoleExtras: { externalId: 'partner-0000' } })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(gateway.assumeRole(creds, { ...base, roleArn: PARTNER })).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('tags on a role whose trust policy does not allow sts:TagSession are AccessDenied; without tags it works', async () => {
    const creds = await deploySession();
    await expect(gateway.assumeRole(creds, { ...base, roleArn: NO_TAGS, assumeRoleExtras: { tags: [{ key: 'GitHub', value: 'Actions' }] } })).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(gateway.assumeRole(creds, { ...base, roleArn: NO_TAGS })).resolves.toMatchObject({ assumedRoleArn: expect.stringContaining('no-tag-session') });
  });

  test('what the action refuses up front, STS refuses too (ValidationError): an external ID of 1 character, a bad tag key', async () => {
    const creds = await deploySession();
    await expect(gateway.assumeRole(creds, { ...base, roleArn: PARTNER, assumeRoleExtras: { externalId: 'x' } })).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(gateway.assumeRole(creds, { ...base, roleArn: PARTNER, assumeRoleExtras: { externalId: 'partner-4711', tags: [{ key: 'a;b', value: 'v' }] } })).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  test('the bundled main step: external ID and custom tags on the chained AssumeRole, none on AssumeRoleWithWebIdentity', async () => {
    world.sts.resetCalls();
    const job = world.job({ GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_WORKFLOW: 'Deploy (prod)', GITHUB_SHA: 'b'.repeat(40) });
    const step = await job.runAction(MAIN, {
      inputs: {
        'role-to-assume': ROLES.deploy,
        'chained-role-to-assume': PARTNER,
        'aws-region': 'us-east-1',
        'expected-duration': '30m',
        'role-external-id': 'partner-4711',
        'custom-tags': '{"Team":"payments"}',
        'transitive-tag-keys': 'Team',
      },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    const web = world.sts.calls.find((c) => c.action === 'AssumeRoleWithWebIdentity');
    const chained = world.sts.calls.find((c) => c.action === 'AssumeRole');
    expect(web).not.toHaveProperty('externalId');
    expect(web).not.toHaveProperty('tags');
    expect(chained?.externalId).toBe('partner-4711');
    expect(chained?.tags).toEqual(expect.arrayContaining([
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo-org/octo-repo' },
      { key: 'Workflow', value: 'Deploy _prod_' },
      { key: 'Team', value: 'payments' },
    ]));
    expect(chained?.transitiveTagKeys).toEqual(['Team']);
  }, 30_000);

  test('tags too large for STS (PackedPolicyTooLarge): the step tries once more without the droppable tags, as configure-aws-credentials does', async () => {
    world.sts.resetCalls();
    const job = world.job({
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_WORKFLOW: 'Deploy',
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_RUN_ID: '987654321',
      GITHUB_JOB: 'deploy-production',
      GITHUB_TRIGGERING_ACTOR: 'octocat',
    });
    const step = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': PACKED, 'aws-region': 'us-east-1', 'expected-duration': '30m', 'custom-tags': '{"Team":"payments"}' },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    const tries = world.sts.calls.filter((c) => c.action === 'AssumeRole');
    expect(tries.map((c) => c.status)).toEqual([400, 200]);
    const keys = (i: number) => (tries[i]?.tags ?? []).map((t) => t.key);
    expect(keys(0)).toEqual(expect.arrayContaining(['GitHub', 'Repository', 'Commit', 'EventName', 'RunId', 'Job', 'TriggeringActor', 'Team']));
    const droppable = ['EventName', 'BaseRef', 'HeadRef', 'RunId', 'Job', 'TriggeringActor'];
    expect(keys(1)).toEqual(keys(0).filter((k) => !droppable.includes(k)));
    expect(keys(1)).toEqual(expect.arrayContaining(['GitHub', 'Repository', 'Workflow', 'Commit', 'Team']));
  }, 30_000);

  test('the bundled main step without tag inputs sends no tags on a chained role (its trust policy may not allow sts:TagSession)', async () => {
    world.sts.resetCalls();
    const job = world.job({ GITHUB_REPOSITORY: 'octo-org/octo-repo' });
    const step = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': NO_TAGS, 'aws-region': 'us-east-1', 'expected-duration': '30m' },
    });
    expect(step.errors).toEqual([]);
    expect(world.sts.calls.find((c) => c.action === 'AssumeRole')).toMatchObject({ status: 200 });
  }, 30_000);
});
