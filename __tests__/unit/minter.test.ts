import { describe, test, expect } from '@jest/globals';
import { MintError, SessionMinter, type MintEvent, type MintPlan } from '../../src/sts/minter.js';
import { parseRoleArn, type RoleArn } from '../../src/settings/arn.js';
import { IdTokenError, type IdToken } from '../../src/oidc/id-token.js';
import { awsError, CHAIN_MESSAGE, FakeClock, FakeGateway, FakeTokenSource, instantRetry, ROLE_ARN } from './fakes.js';

const T0 = Date.parse('2026-05-01T00:00:00Z');
const role = parseRoleArn(ROLE_ARN) as RoleArn;
const target = parseRoleArn('arn:aws:iam::210987654321:role/target') as RoleArn;

function setup(options: { maxAttempts?: number; tokenLifetimeMs?: number } = {}) {
  const clock = new FakeClock(T0);
  const gateway = new FakeGateway(clock.fn);
  const tokens = new FakeTokenSource(clock.fn, options.tokenLifetimeMs ?? 300_000);
  const retry = instantRetry(() => 0.5);
  const events: MintEvent[] = [];
  const seen: IdToken[] = [];
  const minter = new SessionMinter({
    gateway,
    tokens,
    audience: 'sts.amazonaws.com',
    retry: { maxAttempts: options.maxAttempts ?? 5, baseDelayMs: 100, maxDelayMs: 1000 },
    retryDeps: retry,
    clock: clock.fn,
    onToken: (t) => seen.push(t),
    onEvent: (e) => events.push(e),
  });
  return { clock, gateway, tokens, retry, events, seen, minter };
}

const plan = (durationSeconds: number, extra: Partial<MintPlan> = {}): MintPlan => ({
  role,
  roleSessionName: 'GitHubActions-1-1',
  durationSeconds,
  ...extra,
});

describe('SessionMinter.mint', () => {
  test('success: one token, one STS call, the requested duration', async () => {
    const { gateway, tokens, minter, seen, events } = setup();
    const s = await minter.mint(plan(7200, { policy: '{"Statement":[]}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    expect(tokens.fetches).toBe(1);
    expect(tokens.audiences).toEqual(['sts.amazonaws.com']);
    expect(gateway.calls).toHaveLength(1);
    const call = gateway.calls[0];
    expect(call?.action).toBe('AssumeRoleWithWebIdentity');
    expect(call?.params).toMatchObject({
      roleArn: ROLE_ARN,
      roleSessionName: 'GitHubActions-1-1',
      durationSeconds: 7200,
      policy: '{"Statement":[]}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect(call?.action === 'AssumeRoleWithWebIdentity' && call.params.webIdentityToken).toBe(seen[0]?.value);
    expect(s.durationSeconds).toBe(7200);
    expect(s.credentials.expiration.getTime()).toBe(T0 + 7200_000);
    expect(seen).toHaveLength(1);
    expect(events).toEqual([
      { type: 'id-token', reused: false },
      { type: 'sts-call', action: 'AssumeRoleWithWebIdentity', durationSeconds: 7200, ok: true, latencyMs: 40 },
    ]);
    expect(minter.lastClaims?.sub).toBe('repo:octo/deploy:ref:refs/heads/main');
  });

  test('no policy keys are sent when none are given', async () => {
    const { gateway, minter } = setup();
    await minter.mint(plan(3600));
    const params = gateway.calls[0]?.params ?? {};
    expect('policy' in params).toBe(false);
    expect('policyArns' in params).toBe(false);
  });

  test('the ID token is reused until 30 s before it expires, then fetched again', async () => {
    const { clock, tokens, minter, events } = setup({ tokenLifetimeMs: 300_000 });
    await minter.mint(plan(3600));
    clock.advance(200_000);
    await minter.mint(plan(3600));
    clock.advance(69_000); // 31 s left: still reused
    await minter.mint(plan(3600));
    expect(tokens.fetches).toBe(1);
    clock.advance(1_000); // exactly 30 s left: not reused
    await minter.mint(plan(3600));
    expect(tokens.fetches).toBe(2);
    expect(events.filter((e) => e.type === 'id-token').map((e) => (e as { reused: boolean }).reused)).toEqual([false, true, true, false]);
  });

  test('ExpiredTokenException: a new ID token, and the call retried', async () => {
    const { gateway, tokens, minter, seen, events } = setup();
    gateway.failures.push(awsError('ExpiredTokenException', 'Token is expired'));
    const s = await minter.mint(plan(3600));
    expect(s.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(gateway.calls).toHaveLength(2);
    expect(tokens.fetches).toBe(2);
    const [first, second] = gateway.calls;
    expect(first?.action === 'AssumeRoleWithWebIdentity' && first.params.webIdentityToken).toBe(seen[0]?.value);
    expect(second?.action === 'AssumeRoleWithWebIdentity' && second.params.webIdentityToken).toBe(seen[1]?.value);
    expect(seen[0]?.value).not.toBe(seen[1]?.value);
    expect(events).toContainEqual({ type: 'retry', attempt: 1, delayMs: 50, code: 'ExpiredTokenException' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'sts-call', ok: false, code: 'ExpiredTokenException' }));
  });

  test('transient errors are retried, then succeed (the token is reused)', async () => {
    const { gateway, tokens, minter, retry } = setup();
    gateway.failures.push(awsError('Throttling', 'Rate exceeded'), awsError('InternalFailure', 'x', 500));
    await minter.mint(plan(3600));
    expect(gateway.calls).toHaveLength(3);
    expect(tokens.fetches).toBe(1);
    expect(retry.slept).toHaveLength(2);
  });

  test('transient errors exhaust maxAttempts → MintError with the attempt count', async () => {
    const { gateway, minter } = setup({ maxAttempts: 3 });
    for (let i = 0; i < 5; i++) gateway.failures.push(awsError('Throttling', 'Rate exceeded'));
    const error = await minter.mint(plan(3600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MintError);
    const m = error as MintError;
    expect(gateway.calls).toHaveLength(3);
    expect(m.attempts).toBe(3);
    expect(m.failure.kind).toBe('transient');
    expect(m.message).toBe('Throttling: Rate exceeded (after 3 attempts)');
    expect(m.roleArn).toBe(ROLE_ARN);
  });

  test('permanent AccessDenied: MintError after exactly 1 call, hint with sub and aud from the token', async () => {
    const { gateway, tokens, minter, retry } = setup();
    gateway.failures.push(awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403));
    const error = await minter.mint(plan(3600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MintError);
    const m = error as MintError;
    expect(gateway.calls).toHaveLength(1);
    expect(tokens.fetches).toBe(1);
    expect(retry.slept).toEqual([]);
    expect(m.attempts).toBe(1);
    expect(m.failure.kind).toBe('permanent');
    expect(m.name).toBe('MintError');
    expect(m.message).toContain('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(m.message).toContain('sub "repo:octo/deploy:ref:refs/heads/main"');
    expect(m.message).toContain('aud "sts.amazonaws.com"');
    expect(m.message).toContain(ROLE_ARN);
  });

  test('a missing id-token permission fails at once without any STS call', async () => {
    const { gateway, tokens, minter } = setup();
    tokens.failures.push(new IdTokenError('not set', 'permission'));
    const error = (await minter.mint(plan(3600)).catch((e: unknown) => e)) as MintError;
    expect(error).toBeInstanceOf(MintError);
    expect(error.failure.code).toBe('MissingIdTokenPermission');
    expect(gateway.calls).toHaveLength(0);
  });

  test('a transient OIDC token failure is retried', async () => {
    const { gateway, tokens, minter } = setup();
    tokens.failures.push(new IdTokenError('HTTP 503', 'transient'));
    await minter.mint(plan(3600));
    expect(tokens.fetches).toBe(1);
    expect(gateway.calls).toHaveLength(1);
  });

  test('chained plan: web identity for 900 s, then AssumeRole with those credentials and the requested duration', async () => {
    const { gateway, minter } = setup();
    const s = await minter.mint(plan(3600, { chainedRole: target, policy: '{"Statement":[]}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    expect(gateway.calls.map((c) => c.action)).toEqual(['AssumeRoleWithWebIdentity', 'AssumeRole']);
    const [first, second] = gateway.calls;
    expect(first?.params.durationSeconds).toBe(900);
    expect(first?.params.roleArn).toBe(ROLE_ARN);
    // Session policies apply to the final role only.
    expect(first && 'policy' in first.params).toBe(false);
    expect(first && 'policyArns' in first.params).toBe(false);
    expect(second?.action).toBe('AssumeRole');
    expect(second?.params).toMatchObject({ roleArn: target.arn, durationSeconds: 3600, policy: '{"Statement":[]}' });
    expect(second?.params.policyArns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    // The AssumeRole is signed with the credentials of the first hop.
    expect(second?.action === 'AssumeRole' && second.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(s.assumedRoleArn).toContain('assumed-role/target/');
    expect(s.durationSeconds).toBe(3600);
  });

  test('chained AccessDenied on the second hop names the chained role', async () => {
    const { gateway, minter } = setup();
    const original = gateway.assumeRole.bind(gateway);
    gateway.assumeRole = async (c, p) => {
      await original(c, p);
      throw awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403);
    };
    const error = (await minter.mint(plan(3600, { chainedRole: target })).catch((e: unknown) => e)) as MintError;
    expect(error).toBeInstanceOf(MintError);
    expect(error.roleArn).toBe(target.arn);
    expect(error.message).toContain(target.arn);
    expect(gateway.calls).toHaveLength(2);
  });

  test('chained AccessDenied on the second hop does not blame the OIDC token claims', async () => {
    // The chained role's trust policy must trust the first role's session, not GitHub's token:
    // advice about token.actions.githubusercontent.com:sub conditions sends the user the wrong way.
    const { gateway, minter } = setup();
    const original = gateway.assumeRole.bind(gateway);
    gateway.assumeRole = async (c, p) => {
      await original(c, p);
      throw awsError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403);
    };
    const error = (await minter.mint(plan(3600, { chainedRole: target })).catch((e: unknown) => e)) as MintError;
    expect(error).toBeInstanceOf(MintError);
    expect(error.message).not.toContain('token.actions.githubusercontent.com:sub');
    expect(error.message).toContain(ROLE_ARN);
  });
});

describe('SessionMinter.mintLongest', () => {
  test('within the role maximum: one call, no max info', async () => {
    const { gateway, minter } = setup();
    gateway.maxSessionSeconds = 43200;
    const r = await minter.mintLongest(plan(7200));
    expect(r.max).toBeUndefined();
    expect(r.session.durationSeconds).toBe(7200);
    expect(gateway.calls).toHaveLength(1);
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])('role maximum %d h, asked 12 h: found with ≤ 5 STS calls and 1 token', async (h) => {
    const { gateway, tokens, minter } = setup();
    gateway.maxSessionSeconds = h * 3600;
    const r = await minter.mintLongest(plan(43200));
    expect(r.max).toEqual({ seconds: h * 3600, refusedSeconds: Math.min(43200, (h + 1) * 3600), scope: 'role' });
    expect(r.session.durationSeconds).toBe(h * 3600);
    expect(r.session.credentials.expiration.getTime()).toBe(T0 + h * 3600_000);
    expect(gateway.calls.length).toBeLessThanOrEqual(5);
    expect(tokens.fetches).toBe(1);
  });

  test('chain duration error → 3600', async () => {
    const { gateway, minter } = setup();
    gateway.chainedCapSeconds = 3600;
    const r = await minter.mintLongest(plan(7200, { chainedRole: target }));
    expect(r.max).toEqual({ seconds: 3600, refusedSeconds: 7200, scope: 'chain' });
    expect(r.session.durationSeconds).toBe(3600);
    const assumeRoles = gateway.calls.filter((c) => c.action === 'AssumeRole');
    expect(assumeRoles.map((c) => c.params.durationSeconds)).toEqual([7200, 3600]);
  });

  test('the chain message from STS is classified as chain scope', async () => {
    const { gateway, minter } = setup();
    const original = gateway.assumeRole.bind(gateway);
    let first = true;
    gateway.assumeRole = async (c, p) => {
      if (first) {
        first = false;
        gateway.calls.push({ action: 'AssumeRole', params: p, credentials: c });
        throw awsError('ValidationError', CHAIN_MESSAGE);
      }
      return original(c, p);
    };
    const r = await minter.mintLongest(plan(5400, { chainedRole: target }));
    expect(r.max?.scope).toBe('chain');
  });

  test('other errors pass through mintLongest unchanged', async () => {
    const { gateway, minter } = setup();
    gateway.failures.push(awsError('AccessDenied', 'no', 403));
    const error = (await minter.mintLongest(plan(43200)).catch((e: unknown) => e)) as MintError;
    expect(error).toBeInstanceOf(MintError);
    expect(error.failure.code).toBe('AccessDenied');
    expect(gateway.calls).toHaveLength(1);
  });

  test('an error during the search passes through', async () => {
    const { gateway, minter } = setup({ maxAttempts: 1 });
    gateway.maxSessionSeconds = 3600;
    const original = gateway.assumeRoleWithWebIdentity.bind(gateway);
    let n = 0;
    gateway.assumeRoleWithWebIdentity = async (p) => {
      if (++n === 2) {
        gateway.calls.push({ action: 'AssumeRoleWithWebIdentity', params: p });
        throw awsError('AccessDenied', 'no', 403);
      }
      return original(p);
    };
    const error = (await minter.mintLongest(plan(43200)).catch((e: unknown) => e)) as MintError;
    expect(error).toBeInstanceOf(MintError);
    expect(error.failure.code).toBe('AccessDenied');
  });
});
