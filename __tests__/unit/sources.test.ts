/**
 * Credential sources: which one the inputs select (configure-aws-credentials'
 * precedence and refusals), the token file read at every mint, the minter's
 * first hop per source, the error hints, and the fail-fast end of each source.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inputs, type InputName } from '../../src/constants.js';
import { SettingsError, type SettingsEnv } from '../../src/settings/settings.js';
import { NO_ID_TOKEN, probeTokenFile, sourceDescription, sourceSecretInputs, type FileProbe } from '../../src/settings/source.js';
import { identityKey } from '../../src/settings/identity.js';
import { fileTokenSource, TokenFileError } from '../../src/oidc/token-file.js';
import { SessionMinter } from '../../src/sts/minter.js';
import { classify } from '../../src/sts/errors.js';
import { mintingSourceOf, SourceCredentialsError, staticLoader } from '../../src/sts/source-credentials.js';
import { markerValue } from '../../src/model/marker.js';
import { sourceMintsUntil } from '../../src/lifetime/keep-alive-policy.js';
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';
import { awsError, FakeClock, FakeGateway, FakeTokenSource, instantRetry, makeJwt, ROLE_ARN, settingsFor } from './fakes.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const base = { [Inputs.RoleToAssume]: ROLE_ARN, [Inputs.AwsRegion]: 'us-east-1' };
const readable: FileProbe = () => undefined;

/** Settings read in a job with the id-token permission, unless `env` says otherwise. */
const settingsOf = settingsFor({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' }, probe: readable });
function problemsOf(inputs: Partial<Record<InputName, string>>, env: SettingsEnv = {}, probe: FileProbe = readable): string[] {
  try {
    settingsOf(inputs, env, probe);
  } catch (e) {
    if (e instanceof SettingsError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('source inputs: the same names, meaning and precedence as configure-aws-credentials', () => {
  test('no source input: GitHub OIDC, as before', () => {
    expect(settingsOf(base).source).toEqual({ kind: 'github-oidc' });
  });

  test("no source input and no id-token permission: the credentials in place, as configure-aws-credentials falls back to its default chain", () => {
    expect(settingsOf(base, {}).source).toEqual({ kind: 'existing', via: NO_ID_TOKEN });
    expect(sourceDescription(settingsOf(base, {}).source)).toContain("this job has no id-token permission, so GitHub OIDC is not used (add 'permissions: id-token: write' to the job for it)");
    // Without a role there is nothing to assume: the guard only checks, as before.
    expect(settingsOf({ [Inputs.AwsRegion]: 'us-east-1' }, {}).source).toEqual({ kind: 'github-oidc' });
    // Only the request token counts, as there: the URL alone does not make it OIDC.
    expect(settingsOf(base, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' }).source).toEqual({ kind: 'existing', via: NO_ID_TOKEN });
  });

  test('keys sign AssumeRole for role-to-assume; a session token is kept with them', () => {
    expect(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET }).source).toEqual({
      kind: 'static-keys',
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
    });
    expect(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsSessionToken]: SESSION_TOKEN }).source).toMatchObject({
      sessionToken: SESSION_TOKEN,
    });
  });

  test('keys without a role are allowed (exported as they are), keep-alive too', () => {
    const s = settingsOf({ [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.KeepAlive]: 'true' });
    expect(s.source.kind).toBe('static-keys');
    expect(s.roleToAssume).toBeUndefined();
  });

  test('keys without a role with allowed-account-ids: accepted (GetCallerIdentity names their account, checked in the guard)', () => {
    expect(problemsOf({ [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsRegion]: 'us-east-1', [Inputs.AllowedAccountIds]: '123456789012' })).toEqual([]);
    // With a role, the minted session's account is checked as before.
    expect(problemsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AllowedAccountIds]: '123456789012' })).toEqual([]);
  });

  test('a token file comes first (its assumeRole() takes it before signed AssumeRole); a relative path is read under GITHUB_WORKSPACE', () => {
    const s = settingsOf({ ...base, [Inputs.WebIdentityTokenFile]: 'tokens/eks', [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.RoleChaining]: 'true' }, { GITHUB_WORKSPACE: '/work/repo' });
    expect(s.source).toEqual({ kind: 'token-file', path: '/work/repo/tokens/eks' });
  });

  test('keys come before role-chaining and use-existing-credentials; those before OIDC', () => {
    expect(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.RoleChaining]: 'true' }).source.kind).toBe('static-keys');
    expect(settingsOf({ ...base, [Inputs.RoleChaining]: 'true' }).source).toEqual({ kind: 'existing', via: Inputs.RoleChaining });
    expect(settingsOf({ ...base, [Inputs.UseExistingCredentials]: 'true' }).source).toEqual({ kind: 'existing', via: Inputs.UseExistingCredentials });
  });

  test('force-skip-oidc with container credentials starts from them', () => {
    expect(settingsOf({ ...base, [Inputs.ForceSkipOidc]: 'true' }, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x' }).source).toEqual({
      kind: 'existing',
      via: Inputs.ForceSkipOidc,
    });
  });

  test('keep-alive works with every source that has a role', () => {
    for (const extra of [{}, { [Inputs.RoleChaining]: 'true' }, { [Inputs.WebIdentityTokenFile]: '/t' }, { [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET }]) {
      expect(settingsOf({ ...base, ...extra, [Inputs.KeepAlive]: 'true' }).keepAlive).toBe(true);
    }
  });
});

describe('bad source inputs are refused before any network call, naming the input and the fix', () => {
  test.each([
    ['a key ID without its secret', { ...base, [Inputs.AwsAccessKeyId]: KEY_ID }, /'aws-secret-access-key' is empty: it must be provided if 'aws-access-key-id' is provided/],
    ['a secret without its key ID', { ...base, [Inputs.AwsSecretAccessKey]: SECRET }, /'aws-access-key-id' is empty: it must be provided if 'aws-secret-access-key' is provided/],
    ['a session token alone', { ...base, [Inputs.AwsSessionToken]: SESSION_TOKEN }, /'aws-session-token' is given without/],
    ['a malformed key ID', { ...base, [Inputs.AwsAccessKeyId]: 'akia example', [Inputs.AwsSecretAccessKey]: SECRET }, /'aws-access-key-id' is not an AWS access key ID/],
    ['force-skip-oidc with only OIDC to use (conflicting sources)', { ...base, [Inputs.ForceSkipOidc]: 'true' }, /'force-skip-oidc' \(got "true"\) is set with 'role-to-assume', but no other source is: 'aws-access-key-id', 'web-identity-token-file', or container credentials must be available/],
    ['a token file without a role', { [Inputs.WebIdentityTokenFile]: '/t' }, /'web-identity-token-file' needs 'role-to-assume'/],
    ['role-chaining without a role', { [Inputs.RoleChaining]: 'true' }, /'role-chaining' \(got "true"\) needs 'role-to-assume'/],
    ['keep-alive with use-existing-credentials and no role', { [Inputs.UseExistingCredentials]: 'true', [Inputs.KeepAlive]: 'true' }, /'keep-alive' \(got "true"\) needs 'role-to-assume'/],
    ['a non-boolean role-chaining', { ...base, [Inputs.RoleChaining]: 'yes' }, /'role-chaining' \(got "yes"\) is not a boolean/],
  ])('%s', (_label, inputs, message) => {
    const problems = problemsOf(inputs);
    expect(problems.join('\n')).toMatch(message);
  });

  test('a token pasted where the token file\'s path goes: refused without showing it, and never looked up as a path', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQ';
    const looked: string[] = [];
    const problems = problemsOf({ ...base, [Inputs.WebIdentityTokenFile]: jwt }, {}, (path) => void looked.push(path)).join('\n');
    expect(problems).toContain("'web-identity-token-file' holds what looks like a token (a JWT), not the path of a file; the value is not shown");
    expect(problems).not.toContain('eyJ');
    expect(looked).toEqual([]);
    // A path that merely starts like one is still a path.
    expect(problemsOf({ ...base, [Inputs.WebIdentityTokenFile]: '/tokens/eyJ.file' }, {}, () => undefined)).toEqual([]);
  });

  test('an unreadable or missing token file is refused with its path; the secret never appears in a problem', () => {
    const dir = mkdtempSync(join(tmpdir(), `asg-src-${process.pid}-`));
    try {
      const missing = problemsOf({ ...base, [Inputs.WebIdentityTokenFile]: join(dir, 'nope') }, {}, probeTokenFile);
      expect(missing.join('\n')).toMatch(/'web-identity-token-file' .* does not exist/);
      const empty = join(dir, 'empty');
      writeFileSync(empty, '');
      expect(problemsOf({ ...base, [Inputs.WebIdentityTokenFile]: empty }, {}, probeTokenFile).join('\n')).toMatch(/is empty/);
      expect(problemsOf({ ...base, [Inputs.WebIdentityTokenFile]: dir }, {}, probeTokenFile).join('\n')).toMatch(/is not a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const all = problemsOf({ ...base, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsSessionToken]: SESSION_TOKEN }).join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SESSION_TOKEN);
  });

  test('the secrets among the inputs are listed for masking', () => {
    const inputs: Partial<Record<InputName, string>> = { [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsSessionToken]: SESSION_TOKEN };
    expect(sourceSecretInputs((n) => inputs[n] ?? '')).toEqual([KEY_ID, SECRET, SESSION_TOKEN]);
  });

  test('the server identity includes the source: another source never reuses a server', () => {
    const oidc = identityKey(settingsOf(base));
    const keys = identityKey(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET }));
    const otherKeys = identityKey(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: 'AKIAOTHEREXAMPLE0000', [Inputs.AwsSecretAccessKey]: SECRET }));
    const file = identityKey(settingsOf({ ...base, [Inputs.WebIdentityTokenFile]: '/a' }));
    const chain = identityKey(settingsOf({ ...base, [Inputs.RoleChaining]: 'true' }));
    expect(new Set([oidc, keys, otherKeys, file, chain]).size).toBe(5);
  });
});

describe('the token file is read again at every call', () => {
  test('a rotated file gives the new token; its exp is decoded', async () => {
    const dir = mkdtempSync(join(tmpdir(), `asg-tok-${process.pid}-`));
    try {
      const path = join(dir, 'token');
      const first = makeJwt({ sub: 'system:serviceaccount:ci:runner', exp: 2_000_000_000 });
      writeFileSync(path, `${first}\n`);
      const source = fileTokenSource(path);
      const a = await source.getIdToken('sts.amazonaws.com');
      expect(a.value).toBe(first);
      expect(a.expiresAt).toBe(2_000_000_000_000);
      const second = makeJwt({ sub: 'system:serviceaccount:ci:runner', exp: 2_000_000_600 });
      writeFileSync(`${path}.new`, second);
      renameSync(`${path}.new`, path); // atomically, as the kubelet does
      expect((await source.getIdToken('sts.amazonaws.com')).value).toBe(second);
      rmSync(path);
      await expect(source.getIdToken('sts.amazonaws.com')).rejects.toThrow(TokenFileError);
      await expect(source.getIdToken('sts.amazonaws.com')).rejects.toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const T0 = Date.parse('2026-05-01T00:00:00Z');
const role = parseRoleArn(ROLE_ARN) as RoleArn;
const target = parseRoleArn('arn:aws:iam::210987654321:role/target') as RoleArn;

function minterWith(extra: Partial<ConstructorParameters<typeof SessionMinter>[0]>) {
  const clock = new FakeClock(T0);
  const gateway = new FakeGateway(clock.fn);
  const minter = new SessionMinter({
    gateway,
    audience: 'sts.amazonaws.com',
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    retryDeps: instantRetry(),
    clock: clock.fn,
    ...extra,
  });
  return { clock, gateway, minter };
}

describe("the minter's first hop depends on the source", () => {
  const extras = { externalId: 'ext-123456', tags: [{ key: 'Team', value: 'ci' }], transitiveTagKeys: ['Team'] };

  const chainedExtras = { externalId: 'ext-chained' };

  test('keys sign AssumeRole (no session token, no end); each AssumeRole hop gets its own extras', async () => {
    const { gateway, minter } = minterWith({ credentials: staticLoader({ accessKeyId: KEY_ID, secretAccessKey: SECRET }), source: 'static-keys' });
    const s = await minter.mint({ role, chainedRole: target, roleSessionName: 's1', durationSeconds: 3600, assumeRoleExtras: { first: extras, chained: chainedExtras } });
    expect(gateway.calls.map((c) => c.action)).toEqual(['AssumeRole', 'AssumeRole']);
    const [first, second] = gateway.calls;
    if (first?.action !== 'AssumeRole' || second?.action !== 'AssumeRole') throw new Error('unexpected');
    expect(first.credentials).toMatchObject({ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: '' });
    expect(first.params).toMatchObject({ roleArn: ROLE_ARN, durationSeconds: 900, assumeRoleExtras: extras });
    expect(second.params).toMatchObject({ roleArn: target.arn, durationSeconds: 3600 });
    expect(second.params.assumeRoleExtras).toEqual(chainedExtras);
    expect(second.credentials.accessKeyId).not.toBe(KEY_ID);
    expect(s.assumedRoleArn).toMatch(/assumed-role\/target\//);
  });

  test('the loader is asked at every mint, so rotated instance credentials are used', async () => {
    let n = 0;
    const { gateway, minter } = minterWith({
      credentials: async () => ({ accessKeyId: `ASIAINSTANCE${++n}`, secretAccessKey: 's', sessionToken: `t${n}`, expiration: new Date(T0 + 3600_000) }),
      source: 'existing',
    });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 });
    expect(gateway.calls.map((c) => (c.action === 'AssumeRole' ? c.credentials.accessKeyId : ''))).toEqual(['ASIAINSTANCE1', 'ASIAINSTANCE2']);
  });

  test('a token file is read at every mint (reuseToken false); AssumeRoleWithWebIdentity never gets the extras', async () => {
    const clock = new FakeClock(T0);
    const tokens = new FakeTokenSource(clock.fn);
    const { gateway, minter } = minterWith({ tokens, reuseToken: false, source: 'token-file' });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600, assumeRoleExtras: { first: extras } });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 });
    expect(tokens.fetches).toBe(2);
    const first = gateway.calls[0];
    expect(first?.action).toBe('AssumeRoleWithWebIdentity');
    expect(first?.params).not.toHaveProperty('externalId');
    expect(first?.params).not.toHaveProperty('assumeRoleExtras');
  });

  test('the default (GitHub OIDC) still reuses a live ID token', async () => {
    const clock = new FakeClock(T0);
    const tokens = new FakeTokenSource(clock.fn);
    const { minter } = minterWith({ tokens });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 });
    await minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 });
    expect(tokens.fetches).toBe(1);
  });

  test('bad user keys fail at once with a hint about the keys, never retried', async () => {
    const { gateway, minter } = minterWith({ credentials: staticLoader({ accessKeyId: KEY_ID, secretAccessKey: SECRET }), source: 'static-keys' });
    gateway.failures.push(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403));
    await expect(minter.mint({ role, roleSessionName: 's1', durationSeconds: 3600 })).rejects.toThrow(/InvalidClientTokenId[\s\S]*'aws-access-key-id'[\s\S]*Rotate the keys/);
    expect(gateway.calls).toHaveLength(1);
  });

  test('an unreadable token file and an empty default chain are permanent, with a fix', async () => {
    const file = classify(new TokenFileError('The web identity token file /t does not exist.', '/t'), { roleArn: ROLE_ARN, audience: 'sts.amazonaws.com', source: 'token-file' });
    expect(file).toMatchObject({ kind: 'permanent', code: 'WebIdentityTokenFile' });
    const chain = classify(new SourceCredentialsError('No credentials from the SDK default chain'), { roleArn: ROLE_ARN, audience: 'sts.amazonaws.com', source: 'existing' });
    expect(chain).toMatchObject({ kind: 'permanent', code: 'NoSourceCredentials' });
    expect(chain.kind === 'permanent' && chain.hint).toMatch(/instance profile.*IMDSv2.*hop limit/);
    const sig = classify(awsError('SignatureDoesNotMatch', 'The request signature we calculated does not match', 403), { roleArn: ROLE_ARN, audience: 'a', source: 'static-keys' });
    expect(sig.kind === 'permanent' && sig.hint).toMatch(/secret key .* does not match its key ID/);
    const denied = classify(awsError('AccessDenied', 'User: arn:aws:iam::1:user/ci is not authorized', 403), { roleArn: ROLE_ARN, audience: 'a', source: 'existing' });
    expect(denied.kind === 'permanent' && denied.hint).toMatch(/must allow sts:AssumeRole by the principal of the credentials already in place/);
    expect(denied.kind === 'permanent' && denied.hint).not.toMatch(/token\.actions/);
  });
});

describe('what each source can mint, for fail fast', () => {
  const at = Date.parse('2026-05-01T06:00:00Z');
  test('OIDC ends with its request token; user keys, the chain and token files have no known end; session keys end at their expiration', () => {
    expect(sourceMintsUntil(settingsOf(base), at).until).toBe(at);
    expect(sourceMintsUntil(settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET }), at).until).toBeUndefined();
    expect(sourceMintsUntil(settingsOf({ ...base, [Inputs.RoleChaining]: 'true' }), at).until).toBeUndefined();
    expect(sourceMintsUntil(settingsOf({ ...base, [Inputs.WebIdentityTokenFile]: '/t' }), at).until).toBeUndefined();
    const session = settingsOf({ ...base, [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsSessionToken]: SESSION_TOKEN, [Inputs.Expiration]: '2026-05-01T02:00:00Z' });
    expect(sourceMintsUntil(session, at).until).toBe(Date.parse('2026-05-01T02:00:00Z'));
  });

  test('existing credentials: the env keys when both halves are there, else the default chain', () => {
    const settings = settingsOf({ ...base, [Inputs.RoleChaining]: 'true' });
    const s = settings.source;
    const id = identityKey(settings);
    expect(mintingSourceOf(s, { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: '' }, id)).toEqual({
      kind: 'existing',
      keys: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    });
    // No keys: the default chain.
    expect(mintingSourceOf(s, { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: SECRET }, id)).toEqual({ kind: 'existing' });
  });

  test('existing credentials that are the session this action exported for the same configuration are never the source', () => {
    const settings = settingsOf({ ...base, [Inputs.RoleChaining]: 'true' });
    const id = identityKey(settings);
    const env = { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION_TOKEN };
    // Its own session: the default chain, told why, so it looks past the keys (instance profile, profile, container).
    expect(mintingSourceOf(settings.source, { ...env, AWS_SESSION_GUARD_SESSION: markerValue(KEY_ID, { identity: id }) }, id)).toEqual({ kind: 'existing', ownSessionSkipped: true });
    // A session this action exported for another configuration (role A, chained to B here) is a source like any other.
    expect(mintingSourceOf(settings.source, { ...env, AWS_SESSION_GUARD_SESSION: markerValue(KEY_ID, { identity: 'another-configuration' }) }, id)).toMatchObject({ kind: 'existing', keys: { accessKeyId: KEY_ID } });
    // A marker left behind by keys another step has since replaced says nothing about these keys.
    expect(mintingSourceOf(settings.source, { ...env, AWS_SESSION_GUARD_SESSION: markerValue('ASIAOTHERKEYS00000', { identity: id }) }, id)).toMatchObject({ kind: 'existing', keys: { accessKeyId: KEY_ID } });
  });
});
