/**
 * configure-aws-credentials' interface, end to end through the bundled steps:
 * the bad-input suite (refused before any network call, nothing exported),
 * allowed-account-ids, output-credentials, output-env-credentials,
 * unset-current-credentials, action-timeout-s, and aws-profile with
 * keep-alive: a credential_process profile that the AWS CLI, boto3 and the
 * JS SDK use across several sessions, removed by the post step.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stsFaults } from '../../standins/index.js';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { alive, AWS_CLI, BOTO3_PYTHON, consumerResults, MAIN, POST, requireRealConsumers, ROLES, ROOT, serverPid, startWorld, type World } from './world.js';

const FIXTURES = join(ROOT, 'standins', 'consumers');
const base = { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' };

describe('the bad-input suite through the bundled main step', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['malformed custom-tags', { 'custom-tags': '{"Team": [1]}' }, /'custom-tags'.*not a string, number or boolean/],
    ['custom-tags that is not JSON', { 'custom-tags': 'Team=payments' }, /'custom-tags'.*not valid JSON/],
    ['an external ID of 1 character', { 'role-external-id': 'x' }, /'role-external-id'.*1 characters long.*2 to 1224/],
    ['an external ID of 1225 characters', { 'role-external-id': 'y'.repeat(1225) }, /'role-external-id'.*1225 characters long/],
    ['an external ID with a space', { 'role-external-id': 'a b' }, /'role-external-id'.*characters STS refuses/],
    ['an account ID of 11 digits', { 'allowed-account-ids': '12345678901' }, /'allowed-account-ids' \(got "12345678901"\) is not an AWS account ID/],
    ['an account ID with letters', { 'allowed-account-ids': '123456789012,abcdefghijkl' }, /'allowed-account-ids' \(got "abcdefghijkl"\) is not an AWS account ID/],
    ['an account list without the role account', { 'allowed-account-ids': '210987654321' }, /'allowed-account-ids'.*does not include 123456789012/],
    ['a transitive key naming no tag', { 'transitive-tag-keys': 'Team' }, /'transitive-tag-keys'.*not one of the session's tags/],
    ['a profile name with a space', { 'aws-profile': 'my profile' }, /'aws-profile'.*whitespace/],
    ['an action timeout that is not whole seconds', { 'action-timeout-s': '2m' }, /'action-timeout-s'.*whole seconds/],
  ];

  test.each(cases)('%s: refused before any network call, nothing exported', async (_label, inputs, message) => {
    world.sts.resetCalls();
    world.issuer.resetRequests();
    const job = world.job({ AWS_ACCESS_KEY_ID: 'AKIABEFORE' });
    const step = await job.runAction(MAIN, { inputs: { ...base, 'unset-current-credentials': 'true', 'output-credentials': 'true', ...inputs } });
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(message);
    expect(world.sts.calls).toEqual([]);
    expect(world.issuer.requests).toEqual([]);
    // not even unset-current-credentials ran: a refused step changes nothing
    expect(step.exportedEnv).toEqual({});
    expect(step.outputs).toEqual({});
    expect(step.state).toEqual({});
  }, 20_000);
});

describe('delivery inputs through the bundled main step', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  test('output-credentials with output-env-credentials: false: outputs only, masked; aws-expiration as CAC writes it', async () => {
    const job = world.job();
    const step = await job.runAction(MAIN, { inputs: { ...base, 'output-credentials': 'true', 'output-env-credentials': 'false' } });
    expect(step.errors).toEqual([]);
    expect(Object.keys(step.exportedEnv).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    const { outputs } = step;
    expect(outputs['aws-access-key-id']).toMatch(/^ASIA/);
    expect(outputs['aws-expiration']).toMatch(/^"\d{4}-.*Z"$/);
    for (const name of ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']) expect(step.masks).toContain(outputs[name]);
    const session = world.sts.sessionFor(outputs['aws-access-key-id'] ?? '');
    expect(session?.secretAccessKey).toBe(outputs['aws-secret-access-key']);
    expect(job.secretsUnmasked([outputs['aws-secret-access-key'] ?? '', outputs['aws-session-token'] ?? ''])).toEqual([]);
  }, 20_000);

  test('unset-current-credentials: the old keys are cleared first, then the new ones exported', async () => {
    const job = world.job({ AWS_ACCESS_KEY_ID: 'AKIAOLDKEYS', AWS_SECRET_ACCESS_KEY: 'old', AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 5 * 3600_000).toISOString() });
    const step = await job.runAction(MAIN, { inputs: { ...base, 'unset-current-credentials': 'true', expiration: new Date(Date.now() + 5 * 3600_000).toISOString() } });
    expect(step.errors).toEqual([]);
    // without unset, the healthy session would have been kept; here a new one was minted
    expect(step.outputs['refreshed']).toBe('true');
    expect(step.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
  }, 20_000);

  test('allowed-account-ids: a session in an allowed account is exported (a refused one: unit tests, the stand-in issues in the ARN\'s account)', async () => {
    const job = world.job();
    const step = await job.runAction(MAIN, { inputs: { ...base, 'allowed-account-ids': '210987654321, 123456789012' } });
    expect(step.errors).toEqual([]);
    expect(step.outputs['aws-account-id']).toBe('123456789012');
    expect(step.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
  }, 20_000);

  test('action-timeout-s: STS hangs, the step ends after the timeout with a clear error and exports nothing', async () => {
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [stsFaults.hang(30_000)]);
    const job = world.job();
    const step = await job.runAction(MAIN, { inputs: { ...base, 'action-timeout-s': '2', 'output-credentials': 'true' } });
    world.sts.clearFaults();
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(/'action-timeout-s': the step did not finish within 2 s and stopped; nothing was exported/);
    expect(step.durationMs).toBeLessThan(10_000);
    expect(step.exportedEnv).toEqual({});
    expect(step.outputs).toEqual({});
  }, 30_000);
});

describe('aws-profile with keep-alive: a credential_process profile that refreshes with the server', () => {
  let world: World;
  beforeAll(async () => {
    requireRealConsumers();
    // A 1 h role session lives 9 s: hours compressed into seconds.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 400 } });
  });
  afterAll(async () => {
    await world.close();
  });

  /** The three consumers, on the profile only (no AWS_* credential variable in their env). */
  function runConsumers(job: JobRunner, seconds: number): Promise<StepResult> {
    const script = [
      `"${BOTO3_PYTHON}" "${join(FIXTURES, 'boto3-loop.py')}" ${seconds} 0.5 &`,
      `node "${join(FIXTURES, 'js-sdk-loop.mjs')}" ${seconds} 500 &`,
      `AWS_CLI="${AWS_CLI}" bash "${join(FIXTURES, 'cli-loop.sh')}" ${seconds} &`,
      'wait',
    ].join('\n');
    return job.runCommand('bash', ['-c', script], {
      env: { STS_ENDPOINT: world.sts.endpoint, NODE_PATH: join(ROOT, 'node_modules'), AWS_PROFILE: 'ci', AWS_REGION: 'us-east-1' },
      cwd: ROOT,
      name: 'tools that read only profiles',
    });
  }

  test('the AWS CLI, boto3 and the JS SDK use the profile across at least three sessions with zero failed calls; post removes it', async () => {
    const job = world.job();
    const { home } = job; // the job's HOME: ~/.aws is where the profile goes without AWS_CONFIG_FILE
    const existing = '[other]\naws_access_key_id = AKIAKEEPME\naws_secret_access_key = keep\n';
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'credentials'), existing);
    const step = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h', 'aws-profile': 'ci', 'output-credentials': 'true' },
    });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    // aws-profile turns output-env-credentials off, as in CAC: nothing points later steps at the server but the profile
    expect(Object.keys(step.exportedEnv).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    const config = readFileSync(join(home, '.aws', 'config'), 'utf8');
    expect(config).toMatch(/^\[profile ci\]\nregion = us-east-1\ncredential_process = \S+ \S+credential-process\/index\.js \S+credential-process\.json\n$/);
    expect(readFileSync(join(home, '.aws', 'credentials'), 'utf8')).toBe(existing);
    const tokenFile = / (\S+credential-process\.json)\n/.exec(config)?.[1] ?? '';
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.aws', 'config')).mode & 0o777).toBe(0o600);
    // output-credentials with keep-alive: the server's first session, masked
    expect(world.sts.sessionFor(step.outputs['aws-access-key-id'] ?? '')).toBeDefined();
    expect(step.masks).toContain(step.outputs['aws-secret-access-key']);
    // the token is in the 0600 file only, never on the command line
    const { token } = JSON.parse(readFileSync(tokenFile, 'utf8')) as { token: string };
    expect(config).not.toContain(token);

    const pid = serverPid(job);
    const run = await runConsumers(job, 30);
    const all = consumerResults(run);
    expect(all.map((r) => r.consumer).sort()).toEqual(['aws-cli', 'boto3', 'js-sdk-v3']);
    for (const r of all) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors.filter(Boolean) }).toEqual({ consumer: r.consumer, failed: 0, expiredToken: 0, errors: [] });
      expect(r.keys).toBeGreaterThanOrEqual(3); // it outlived at least three sessions
    }

    const post = await job.runPost(POST, step);
    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([]);
    expect(existsSync(join(home, '.aws', 'config'))).toBe(false);
    expect(readFileSync(join(home, '.aws', 'credentials'), 'utf8')).toBe(existing);
    expect(existsSync(tokenFile)).toBe(false);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  }, 120_000);
});
