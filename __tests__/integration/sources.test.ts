/**
 * Every credential source of configure-aws-credentials, end to end with the
 * bundled action: IAM user keys, a rotating web identity token file (IRSA),
 * and an EC2 instance profile (IMDSv2) chained into a role capped at 1 h.
 * With keep-alive, real consumers (the AWS CLI v2, boto3, the JS SDK v3)
 * outlive at least three sessions with zero failed calls; without it, the
 * guard mints once from the source; bad source inputs are refused before any
 * network call and export nothing. No step has GitHub OIDC: the sources need
 * none.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rotateTokenFile, startImds, type ImdsStandIn, type JobRunner, type RotatingTokenFile, type StepResult } from '../../standins/index.js';
import { ACCOUNT, alive, AWS_CLI, BOTO3_PYTHON, consumerResults, defaultRoles, MAIN, POST, requireRealConsumers, ROOT, secretsOf, serverPid, startWorld, type World } from './world.js';

const FIXTURES = join(ROOT, 'standins', 'consumers');
const INSTANCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/runner-instance`;
const FROM_INSTANCE = `arn:aws:iam::${ACCOUNT}:role/deploy-from-instance`;
const FROM_USER = `arn:aws:iam::${ACCOUNT}:role/deploy-from-user`;
const FROM_EKS = `arn:aws:iam::${ACCOUNT}:role/deploy-from-eks`;
const EKS_SUB = 'system:serviceaccount:ci:runner';
/** No GitHub OIDC in these jobs: an exported empty value counts as unset. */
const NO_OIDC = { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' };

beforeAll(requireRealConsumers);

function runConsumers(job: JobRunner, sts: string, seconds: number): Promise<StepResult> {
  const script = [
    `"${BOTO3_PYTHON}" "${join(FIXTURES, 'boto3-loop.py')}" ${seconds} 0.25 &`,
    `node "${join(FIXTURES, 'js-sdk-loop.mjs')}" ${seconds} 250 &`,
    `AWS_CLI="${AWS_CLI}" bash "${join(FIXTURES, 'cli-loop.sh')}" ${seconds} &`,
    'wait',
  ].join('\n');
  return job.runCommand('bash', ['-c', script], { env: { STS_ENDPOINT: sts, NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT, name: 'long deploy' });
}

/** Every file under `dir`, read as text. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return out;
}

let world: World;
let imds: ImdsStandIn;
let tokenFile: RotatingTokenFile;
let tokenDir: string;
let user: { accessKeyId: string; secretAccessKey: string; arn: string };

beforeAll(async () => {
  // A 1 h role session lives 9 s; instance credentials live 8 s and rotate 4 s before their end; the token file
  // gets a new 6 s token every 2 s: a server that kept a copy of any of them would fail within seconds.
  world = await startWorld({
    sts: { credentialLifetime: (s) => s / 400 },
    roles: {
      ...defaultRoles(),
      [INSTANCE_ROLE]: {},
      [FROM_INSTANCE]: { maxSessionDuration: 12 * 3600, trustedPrincipals: [`arn:aws:sts::${ACCOUNT}:assumed-role/runner-instance/*`] },
      [FROM_USER]: { maxSessionDuration: 3 * 3600, trustedPrincipals: [`arn:aws:iam::${ACCOUNT}:user/ci`] },
      [FROM_EKS]: { maxSessionDuration: 3 * 3600, trust: { aud: 'sts.amazonaws.com', sub: EKS_SUB } },
    },
  });
  imds = await startImds({ sts: world.sts, roleArn: INSTANCE_ROLE, lifetimeSeconds: 8, rotateBeforeSeconds: 4 });
  user = world.sts.addUser('ci');
  tokenDir = mkdtempSync(join(tmpdir(), `asg-sources-${process.pid}-`));
  mkdirSync(join(tokenDir, 'eks'));
  tokenFile = rotateTokenFile(
    join(tokenDir, 'eks', 'token'),
    () => world.issuer.mintIdToken({ audience: 'sts.amazonaws.com', ttlSeconds: 6, claims: { sub: EKS_SUB } }),
    2000,
  );
});

afterAll(async () => {
  tokenFile?.stop();
  await imds?.close();
  await world?.close();
  if (tokenDir) rmSync(tokenDir, { recursive: true, force: true });
});

const IMDS_ENV = () => ({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint, AWS_EC2_METADATA_DISABLED: 'false' });

type SourceCase = {
  label: string;
  inputs: () => Record<string, string>;
  env: () => Record<string, string>;
  first: 'AssumeRole' | 'AssumeRoleWithWebIdentity';
  target: string;
};

const SOURCES: SourceCase[] = [
  {
    label: 'IAM user keys (aws-access-key-id / aws-secret-access-key)',
    inputs: () => ({ 'aws-access-key-id': user.accessKeyId, 'aws-secret-access-key': user.secretAccessKey, 'role-to-assume': FROM_USER }),
    env: () => ({}),
    first: 'AssumeRole',
    target: FROM_USER,
  },
  {
    label: 'a rotating web identity token file (IRSA)',
    inputs: () => ({ 'web-identity-token-file': tokenFile.path, 'role-to-assume': FROM_EKS }),
    env: () => ({}),
    first: 'AssumeRoleWithWebIdentity',
    target: FROM_EKS,
  },
  {
    label: 'the EC2 instance profile (IMDSv2), chained into a role capped at 1 h (role-chaining)',
    inputs: () => ({ 'role-chaining': 'true', 'role-to-assume': FROM_INSTANCE }),
    env: IMDS_ENV,
    first: 'AssumeRole',
    target: FROM_INSTANCE,
  },
  {
    // configure-aws-credentials' fallback: role-to-assume alone, in a job without the id-token permission.
    label: 'the EC2 instance profile with role-to-assume alone and no id-token permission (as configure-aws-credentials)',
    inputs: () => ({ 'role-to-assume': FROM_INSTANCE }),
    env: IMDS_ENV,
    first: 'AssumeRole',
    target: FROM_INSTANCE,
  },
];

describe('keep-alive from each source: real consumers outlive three sessions with zero failed calls', () => {
  test.each(SOURCES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const job = world.job({ ...NO_OIDC, ...c.env() });
    const oidcBefore = world.issuer.requests.length;
    const start = await job.runAction(MAIN, {
      // 8 h: past the OIDC request token's end; these sources have none, so fail fast lets it through.
      inputs: { ...c.inputs(), 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '8h' },
    });
    expect(start.errors).toEqual([]);
    expect(start.exitCode).toBe(0);
    expect(start.outputs['authenticated-arn']).toContain(`assumed-role/${c.target.split('/').pop()}/`);
    expect(start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect(start.exportedEnv['AWS_ACCESS_KEY_ID']).toBe('');
    const pid = serverPid(job);
    const firstHops = () => world.sts.calls.filter((call) => call.action === c.first && call.status === 200 && call.roleArn === c.target);
    const before = firstHops().length;

    const run = await runConsumers(job, world.sts.endpoint, 30);
    const all = consumerResults(run);
    expect(all.map((r) => r.consumer).sort()).toEqual(['aws-cli', 'boto3', 'js-sdk-v3']);
    for (const r of all) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors.filter(Boolean) }).toEqual({ consumer: r.consumer, failed: 0, expiredToken: 0, errors: [] });
      expect(r.keys).toBeGreaterThanOrEqual(3); // outlived at least three sessions of the target role
    }
    // re-assumed from the source, not from a copy of one session
    const hops = firstHops().slice(before);
    expect(hops.length).toBeGreaterThanOrEqual(3);
    expect(world.issuer.requests.length).toBe(oidcBefore); // never GitHub OIDC
    if (c.target === FROM_INSTANCE) {
      // the instance credentials rotated, and the server signed with the new ones; every chained session asked for the 1 h cap
      expect(imds.issued.length).toBeGreaterThanOrEqual(3);
      expect(new Set(hops.map((h) => h.accessKeyId)).size).toBeGreaterThanOrEqual(2);
      expect(new Set(hops.map((h) => h.durationSeconds))).toEqual(new Set([3600]));
    }
    if (c.target === FROM_USER) {
      expect(new Set(hops.map((h) => h.accessKeyId))).toEqual(new Set([user.accessKeyId]));
      // the user's keys are kept in memory only: not in the server's environment, command line, or any file of the job
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8') + readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect(environ).not.toContain(user.secretAccessKey);
      for (const text of filesUnder(job.runnerTemp)) expect(text).not.toContain(user.secretAccessKey);
      expect(start.masks).toContain(user.secretAccessKey);
    }
    if (c.target === FROM_EKS) {
      // a new token from the file at each mint: as many distinct tokens as sessions (each 6 s token would have expired)
      expect(tokenFile.written).toBeGreaterThanOrEqual(15);
    }

    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(job.secretsUnmasked([...secretsOf(job), user.secretAccessKey])).toEqual([]);
  }, 120_000);
});

describe('the guard (no keep-alive) mints once from each source', () => {
  // Real session lengths here: the guard checks the session it mints against the work.
  beforeAll(() => world.sts.setCredentialLifetime((s) => s));
  afterAll(() => world.sts.setCredentialLifetime((s) => s / 400));
  test.each(SOURCES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const job = world.job({ ...NO_OIDC, ...c.env() });
    const step = await job.runAction(MAIN, { inputs: { ...c.inputs(), 'aws-region': 'us-east-1', 'expected-duration': '30m' } });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs['refreshed']).toBe('true');
    expect(step.outputs['authenticated-arn']).toContain(`assumed-role/${c.target.split('/').pop()}/`);
    expect(step.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(step.exportedEnv['AWS_CREDENTIAL_EXPIRATION']).toMatch(/Z$/);
    expect(job.secretsUnmasked([...secretsOf(job), user.secretAccessKey])).toEqual([]);
  }, 60_000);

  test('without the id-token permission, a later guard step re-assumes from the instance profile, never from the session it exported', async () => {
    const job = world.job({ ...NO_OIDC, ...IMDS_ENV() });
    const inputs = { 'role-to-assume': FROM_INSTANCE, 'aws-region': 'us-east-1' };
    const first = await job.runAction(MAIN, { inputs: { ...inputs, 'expected-duration': '30m' } });
    expect(first.errors).toEqual([]);
    const exported = first.exportedEnv['AWS_ACCESS_KEY_ID'] ?? '';
    expect(exported).toMatch(/^ASIA/);
    // The session has 1 h left (chained from the instance profile: 1 h at most); 58m + 5m is more, so this step mints again.
    // The 1 h it gets is still short: a warning, not a failure.
    const calls = world.sts.calls.length;
    const second = await job.runAction(MAIN, { inputs: { ...inputs, 'expected-duration': '58m', 'fail-on-short-session': 'false' } });
    expect(second.errors).toEqual([]);
    expect(second.exitCode).toBe(0);
    expect(second.outputs['refreshed']).toBe('true');
    const assumes = world.sts.calls.slice(calls).filter((c) => c.action === 'AssumeRole' && c.status === 200);
    expect(assumes).toHaveLength(1);
    // Signed with the instance profile's credentials, never with the session the first step exported.
    expect(assumes[0]?.accessKeyId).not.toBe(exported);
    expect(imds.issued.map((s) => s.accessKeyId)).toContain(assumes[0]?.accessKeyId);
    expect(second.exportedEnv['AWS_ACCESS_KEY_ID']).not.toBe(exported);
    expect(second.outputs['authenticated-arn']).toContain('assumed-role/deploy-from-instance/');
  }, 60_000);

  test('the instance profile chains into a 1 h session at most: 2 h of work fails fast with the chaining limit', async () => {
    const job = world.job({ ...NO_OIDC, ...IMDS_ENV() });
    const step = await job.runAction(MAIN, { inputs: { 'role-chaining': 'true', 'role-to-assume': FROM_INSTANCE, 'aws-region': 'us-east-1', 'expected-duration': '2h' } });
    expect(step.exitCode).not.toBe(0);
    expect(step.errors.join('\n')).toMatch(/deploy-from-instance is assumed by role chaining, which AWS caps at 1h/);
  }, 60_000);

  test('IAM user keys without a role are checked with one GetCallerIdentity (as configure-aws-credentials) and exported as they are', async () => {
    const job = world.job(NO_OIDC);
    const calls = world.sts.calls.length;
    const step = await job.runAction(MAIN, { inputs: { 'aws-access-key-id': user.accessKeyId, 'aws-secret-access-key': user.secretAccessKey, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.exportedEnv['AWS_ACCESS_KEY_ID']).toBe(user.accessKeyId);
    expect(step.exportedEnv['AWS_SECRET_ACCESS_KEY']).toBe(user.secretAccessKey);
    expect(step.exportedEnv['AWS_SESSION_TOKEN']).toBe('');
    expect(step.masks).toEqual(expect.arrayContaining([user.accessKeyId, user.secretAccessKey]));
    expect(world.sts.calls.slice(calls).map((c) => [c.action, c.accessKeyId, c.status])).toEqual([['GetCallerIdentity', user.accessKeyId, 200]]);
    expect(step.outputs['authenticated-arn']).toMatch(/^arn:aws:iam::\d{12}:user\//);
    expect(job.secretsUnmasked([user.secretAccessKey])).toEqual([]);
  }, 60_000);
});

describe('bad source inputs: refused before any network call, exporting nothing', () => {
  test.each([
    ['conflicting sources: force-skip-oidc with only OIDC left', () => ({ 'force-skip-oidc': 'true', 'role-to-assume': FROM_USER }), /'force-skip-oidc'.*'aws-access-key-id', 'web-identity-token-file', or container credentials must be available/],
    ['a missing token file', () => ({ 'web-identity-token-file': join(tokenDir, 'missing'), 'role-to-assume': FROM_EKS }), /'web-identity-token-file'.*does not exist/],
    ['a token file that is a folder', () => ({ 'web-identity-token-file': join(tokenDir, 'eks'), 'role-to-assume': FROM_EKS }), /'web-identity-token-file'.*is not a file/],
    ['a key ID without its secret', () => ({ 'aws-access-key-id': user.accessKeyId, 'role-to-assume': FROM_USER }), /'aws-secret-access-key' is empty: it must be provided if 'aws-access-key-id' is provided/],
    ['a secret without its key ID', () => ({ 'aws-secret-access-key': user.secretAccessKey, 'role-to-assume': FROM_USER }), /'aws-access-key-id' is empty/],
    ['a session token alone', () => ({ 'aws-session-token': 'IQoJb3JpZ2luX2VjEXAMPLE', 'role-to-assume': FROM_USER }), /'aws-session-token' is given without/],
  ])('%s', async (_label, inputs, message) => {
    const job = world.job({ ...NO_OIDC, ...IMDS_ENV() });
    const before = { sts: world.sts.calls.length, imds: imds.calls.length, oidc: world.issuer.requests.length };
    const step = await job.runAction(MAIN, { inputs: { ...inputs(), 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(step.exitCode).not.toBe(0);
    expect(step.errors.join('\n')).toMatch(message);
    expect(step.exportedEnv).toEqual({});
    expect({ sts: world.sts.calls.length, imds: imds.calls.length, oidc: world.issuer.requests.length }).toEqual(before);
    expect(job.secretsUnmasked([user.secretAccessKey])).toEqual([]);
  }, 30_000);
});
