/**
 * The IMDSv2 stand-in, the IAM-user keys and the rotating token file, checked
 * with the real JS SDK: its instance-metadata provider reaches the stand-in
 * only through AWS_EC2_METADATA_SERVICE_ENDPOINT, and the STS stand-in
 * verifies every signed call.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromInstanceMetadata } from '@smithy/credential-provider-imds';
import type { AwsCredentialIdentity } from '@smithy/types';
import { defaultChainLoader, SourceCredentialsError } from '../../src/sts/source-credentials.js';
import { rotateTokenFile, startImds, startOidcIssuer, startSts, type ImdsStandIn, type OidcIssuer, type StsStandIn } from '../../standins/index.js';

const ACCOUNT = '123456789012';
const INSTANCE_ROLE = `arn:aws:iam::${ACCOUNT}:role/runner-instance`;
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/deploy`;

let issuer: OidcIssuer;
let sts: StsStandIn;
let imds: ImdsStandIn;
const savedEndpoint = process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'];
const savedDisabled = process.env['AWS_EC2_METADATA_DISABLED'];

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startSts({
    issuer,
    roles: {
      [INSTANCE_ROLE]: {},
      [DEPLOY]: { maxSessionDuration: 7200, trust: { sub: 'system:serviceaccount:*' }, trustedPrincipals: [`arn:aws:sts::${ACCOUNT}:assumed-role/runner-instance/*`, `arn:aws:iam::${ACCOUNT}:user/*`] },
    },
  });
  imds = await startImds({ sts, roleArn: INSTANCE_ROLE, lifetimeSeconds: 3, rotateBeforeSeconds: 2 });
  process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = imds.endpoint;
  delete process.env['AWS_EC2_METADATA_DISABLED'];
});

afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'];
  else process.env['AWS_EC2_METADATA_SERVICE_ENDPOINT'] = savedEndpoint;
  if (savedDisabled !== undefined) process.env['AWS_EC2_METADATA_DISABLED'] = savedDisabled;
  await imds.close();
  await sts.close();
  await issuer.close();
});

const client = (credentials: AwsCredentialIdentity) =>
  new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, credentials, maxAttempts: 1 });

describe('IMDSv2 stand-in', () => {
  test('refuses requests without the session token (401), and IMDSv1 GETs', async () => {
    const res = await fetch(`${imds.endpoint}/latest/meta-data/iam/security-credentials/`);
    expect(res.status).toBe(401);
    const noTtl = await fetch(`${imds.endpoint}/latest/api/token`, { method: 'PUT' });
    expect(noTtl.status).toBe(400);
  });

  test("the JS SDK's instance-metadata provider gets credentials the STS stand-in accepts, and they rotate before expiry", async () => {
    const provider = fromInstanceMetadata({ timeout: 1000, maxRetries: 0 });
    const first = await provider();
    expect(first.accessKeyId).toMatch(/^ASIA/);
    expect(first.expiration!.getTime()).toBeGreaterThan(Date.now());
    const who = await client(first).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/runner-instance/i-0123456789abcdef0`);
    await new Promise((r) => setTimeout(r, 2100));
    const second = await provider();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    // the old set was still valid when the new one came
    expect(sts.sessionFor(first.accessKeyId)!.expiresAt).toBeGreaterThan(sts.sessionFor(second.accessKeyId)!.issuedAt);
    expect(imds.calls.some((c) => c.method === 'PUT' && c.status === 200)).toBe(true);
  });

  test('AssumeRole signed with instance credentials is role chaining: 1 h at most', async () => {
    const creds = await fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })();
    const sts1 = client(creds);
    await expect(sts1.send(new AssumeRoleCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci-x', DurationSeconds: 7200 }))).rejects.toThrow(/1 hour session limit for roles assumed by role chaining/);
    const ok = await sts1.send(new AssumeRoleCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci-x', DurationSeconds: 3600 }));
    expect(ok.AssumedRoleUser?.Arn).toMatch(/assumed-role\/deploy\/ci-x$/);
  });
});

describe("the action's default-chain loader (the SDK's own chain) on the IMDS stand-in", () => {
  const saved: Record<string, string | undefined> = {};
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE'];
  beforeAll(() => {
    for (const n of names) saved[n] = process.env[n];
    for (const n of names) delete process.env[n];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(tmpdir(), `asg-none-${process.pid}`);
    process.env['AWS_CONFIG_FILE'] = join(tmpdir(), `asg-none-${process.pid}`);
  });
  afterAll(() => {
    for (const n of names) {
      if (saved[n] === undefined) delete process.env[n];
      else process.env[n] = saved[n];
    }
    imds.setDown(false);
  });

  test('each call gets the instance credentials in force: a rotated set as soon as IMDS hands it out', async () => {
    const load = defaultChainLoader();
    const first = await load();
    expect(sts.sessionFor(first.accessKeyId)?.source).toBe('InstanceProfile');
    await new Promise((r) => setTimeout(r, 2100));
    const second = await load();
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
  });

  test('IMDS unreachable and nothing else in the chain: SourceCredentialsError', async () => {
    imds.setDown(true);
    await expect(defaultChainLoader()()).rejects.toThrow(SourceCredentialsError);
    imds.setDown(false);
  });

  test('keys in the environment (a session this action exported) are hidden from the chain while it runs, and put back', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'ASIAEXPORTEDSESSION0';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'exported-secret';
    try {
      const got = await defaultChainLoader(true)();
      expect(got.accessKeyId).not.toBe('ASIAEXPORTEDSESSION0');
      expect(sts.sessionFor(got.accessKeyId)?.source).toBe('InstanceProfile');
      expect(process.env['AWS_ACCESS_KEY_ID']).toBe('ASIAEXPORTEDSESSION0');
      expect(process.env['AWS_SECRET_ACCESS_KEY']).toBe('exported-secret');
      // With nothing behind them, the error says the keys are this action's own session, and the fix.
      imds.setDown(true);
      const error = await defaultChainLoader(true)().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceCredentialsError);
      expect((error as Error).message).toMatch(/^The AWS keys in the environment are the session this action exported for this role in an earlier step/);
      expect((error as Error).message).toContain('id-token: write');
      expect(process.env['AWS_ACCESS_KEY_ID']).toBe('ASIAEXPORTEDSESSION0');
    } finally {
      imds.setDown(false);
      delete process.env['AWS_ACCESS_KEY_ID'];
      delete process.env['AWS_SECRET_ACCESS_KEY'];
    }
  });
});

describe('IAM user keys', () => {
  test('long-lived keys (no session token) sign AssumeRole up to the role maximum; deleted keys get InvalidClientTokenId', async () => {
    const user = sts.addUser('ci');
    expect(user.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    const c = client({ accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey });
    const who = await c.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/ci`);
    const out = await c.send(new AssumeRoleCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci-x', DurationSeconds: 7200 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const wrong = client({ accessKeyId: user.accessKeyId, secretAccessKey: `${user.secretAccessKey.slice(0, -1)}X` });
    await expect(wrong.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/signature we calculated does not match/);
    sts.removeUser(user.accessKeyId);
    await expect(c.send(new GetCallerIdentityCommand({}))).rejects.toThrow(/security token included in the request is invalid/);
  });
});

describe('rotating token file', () => {
  test('a fresh JWT from the issuer is written atomically every period, and STS accepts it', async () => {
    const dir = mkdtempSync(join(tmpdir(), `asg-imds-${process.pid}-`));
    const file = rotateTokenFile(join(dir, 'token'), () => issuer.mintIdToken({ ttlSeconds: 60, claims: { sub: 'system:serviceaccount:ci:runner' } }), 200);
    try {
      const first = readFileSync(file.path, 'utf8');
      await new Promise((r) => setTimeout(r, 450));
      const later = readFileSync(file.path, 'utf8');
      expect(later).not.toBe(first);
      expect(file.written).toBeGreaterThanOrEqual(3);
      const out = await new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }).send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'ci-x', WebIdentityToken: later }),
      );
      expect(out.AssumedRoleUser?.Arn).toMatch(/assumed-role\/deploy\/ci-x$/);
    } finally {
      file.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
