import { describe, test, expect } from '@jest/globals';
import { MintError, SessionMinter, type MintEvent, type MintPlan } from '../../src/sts/minter.js';
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';
import { IdTokenError, type IdToken } from '../../src/oidc/id-token.js';
import { AbortError } from '../../src/util/abort.js';
import type { AssumeParams, Credentials, StsResult } from '../../src/model/sts-types.js';
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

/** A promise that settles only when `signal` aborts, then rejects with `onAbort()` (what a real client throws). */
function untilAborted<T>(signal: AbortSignal | undefined, onAbort: () => unknown): Promise<T> {
  return new Promise<T>((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(onAbort()), { once: true });
  });
}

/** STS that hangs on the chosen calls until the caller aborts, and records the signal each call got. */
class HangingGateway extends FakeGateway {
  readonly signals: Array<AbortSignal | undefined> = [];
  /** 1-based numbers of the calls (both actions counted) that hang. */
  hang = new Set<number>([1]);
  /** What the call throws once aborted: the SDK throws an Error named AbortError; a socket could say ECONNRESET. */
  abortError: () => unknown = () => Object.assign(new Error('Request aborted'), { name: 'AbortError' });
  /** Ignore the signal entirely: the call never settles. */
  deaf = false;

  private maybeHang(signal: AbortSignal | undefined): Promise<never> | undefined {
    this.signals.push(signal);
    if (!this.hang.has(this.signals.length)) return undefined;
    return this.deaf ? new Promise<never>(() => undefined) : untilAborted<never>(signal, this.abortError);
  }
  override async assumeRoleWithWebIdentity(params: AssumeParams & { readonly webIdentityToken: string }, signal?: AbortSignal): Promise<StsResult> {
    const hung = this.maybeHang(signal);
    if (hung) {
      this.calls.push({ action: 'AssumeRoleWithWebIdentity', params });
      return hung;
    }
    return super.assumeRoleWithWebIdentity(params);
  }
  override async assumeRole(credentials: Credentials, params: AssumeParams, signal?: AbortSignal): Promise<StsResult> {
    const hung = this.maybeHang(signal);
    if (hung) {
      this.calls.push({ action: 'AssumeRole', params, credentials });
      return hung;
    }
    return super.assumeRole(credentials, params);
  }
}

function abortSetup(options: { sleep?: (ms: number) => Promise<void> } = {}) {
  const clock = new FakeClock(T0);
  const gateway = new HangingGateway(clock.fn);
  const tokens = new FakeTokenSource(clock.fn);
  const retry = instantRetry(() => 0.5);
  const events: MintEvent[] = [];
  const minter = new SessionMinter({
    gateway,
    tokens,
    audience: 'sts.amazonaws.com',
    retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 },
    retryDeps: options.sleep ? { sleep: options.sleep, random: () => 0.5 } : retry,
    clock: clock.fn,
    onEvent: (e) => events.push(e),
  });
  return { clock, gateway, tokens, retry, events, minter };
}

/** Lets the mint reach its hanging call. */
const reachCall = () => new Promise((r) => setImmediate(r));

describe('SessionMinter and an AbortSignal', () => {
  test('an abort mid-call: the gateway got the signal, the mint rejects with AbortError (not a MintError), no retry', async () => {
    const { gateway, minter, retry, events } = abortSetup();
    const controller = new AbortController();
    const p = minter.mint(plan(3600), controller.signal);
    await reachCall();
    expect(gateway.calls).toHaveLength(1);
    expect(gateway.signals).toEqual([controller.signal]);
    controller.abort();
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).not.toBeInstanceOf(MintError);
    expect((error as Error).name).toBe('AbortError');
    expect(gateway.calls).toHaveLength(1);
    expect(retry.slept).toEqual([]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
  });

  test.each([
    ['ECONNRESET (classified transient otherwise)', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a 503 (classified transient otherwise)', () => awsError('ServiceUnavailable', 'down', 503)],
    ['AccessDenied (classified permanent otherwise)', () => awsError('AccessDenied', 'no', 403)],
  ])('whatever an aborted call throws (%s), it is an abort and is not retried', async (_label, thrown) => {
    const { gateway, minter, retry } = abortSetup();
    gateway.abortError = thrown;
    const controller = new AbortController();
    const p = minter.mint(plan(3600), controller.signal);
    await reachCall();
    controller.abort();
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(gateway.calls).toHaveLength(1);
    expect(retry.slept).toEqual([]);
  });

  test('a gateway that ignores the signal does not hold up the abort', async () => {
    const { gateway, minter } = abortSetup();
    gateway.deaf = true;
    const controller = new AbortController();
    const p = minter.mint(plan(3600), controller.signal);
    await reachCall();
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
  });

  test('an abort while the ID token is fetched: the token source got the signal, no STS call', async () => {
    const { gateway, tokens, minter } = abortSetup();
    const signals: Array<AbortSignal | undefined> = [];
    tokens.getIdToken = (_audience: string, signal?: AbortSignal) => {
      signals.push(signal);
      return untilAborted<IdToken>(signal, () => new AbortError());
    };
    const controller = new AbortController();
    const p = minter.mint(plan(3600), controller.signal);
    await reachCall();
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(signals).toEqual([controller.signal]);
    expect(gateway.calls).toHaveLength(0);
  });

  test('an abort during the wait between two attempts: AbortError, no second attempt', async () => {
    // A retry wait that never ends by itself.
    const { gateway, minter } = abortSetup({ sleep: () => new Promise<void>(() => undefined) });
    gateway.hang.clear();
    gateway.failures.push(awsError('Throttling', 'Rate exceeded'));
    const controller = new AbortController();
    const p = minter.mint(plan(3600), controller.signal);
    await reachCall();
    expect(gateway.calls).toHaveLength(1);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(gateway.calls).toHaveLength(1);
  });

  test('an already aborted signal: no token, no STS call', async () => {
    const { gateway, tokens, minter } = abortSetup();
    await expect(minter.mint(plan(3600), AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    expect(tokens.fetches).toBe(0);
    expect(gateway.calls).toHaveLength(0);
  });

  test('chained: the AssumeRole call gets the signal and an abort there ends the mint', async () => {
    const { gateway, minter } = abortSetup();
    gateway.hang = new Set([2]);
    const controller = new AbortController();
    const p = minter.mint(plan(3600, { chainedRole: target }), controller.signal);
    await reachCall();
    expect(gateway.calls.map((c) => c.action)).toEqual(['AssumeRoleWithWebIdentity', 'AssumeRole']);
    expect(gateway.signals).toEqual([controller.signal, controller.signal]);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
  });

  test('mintLongest: an abort in the middle of the search for the role maximum ends it with AbortError', async () => {
    const { gateway, minter } = abortSetup();
    gateway.hang = new Set([2]);
    gateway.maxSessionSeconds = 3600;
    const controller = new AbortController();
    const p = minter.mintLongest(plan(43200), controller.signal);
    await reachCall();
    // The first call was refused as too long; the second (a search probe) hangs.
    expect(gateway.calls).toHaveLength(2);
    expect(gateway.signals).toEqual([controller.signal, controller.signal]);
    controller.abort();
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(gateway.calls).toHaveLength(2);
  });
});
