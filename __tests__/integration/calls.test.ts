/**
 * Calls per start: one ID token and one STS call whenever the role allows what
 * is asked, and no refused AssumeRoleWithWebIdentity (a ValidationError in the
 * customer's CloudTrail) that a step of the job already knows the answer to.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ACCOUNT, defaultRoles, MAIN, POST, ROLES, startWorld, type World } from './world.js';

describe('STS calls per step', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const counts = () => ({ tokens: world.issuer.requests.filter((r) => r.status === 200).length, sts: world.sts.calls.length });
  const since = (before: { tokens: number; sts: number }) => {
    const now = counts();
    return { tokens: now.tokens - before.tokens, sts: now.sts - before.sts };
  };

  test('a keep-alive start on a 1 h role for 3 h of work: 1 ID token and 1 STS call, nothing refused', async () => {
    const job = world.job();
    const before = counts();
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'expected-duration': '3h' } });
    expect(r.errors).toEqual([]);
    expect(since(before)).toEqual({ tokens: 1, sts: 1 });
    const call = world.sts.calls[world.sts.calls.length - 1];
    expect(call?.status).toBe(200);
    expect(call?.durationSeconds).toBe(3600);
    await job.runPost(POST, r);
  });

  test('a maximum found by one guard step is remembered: the next step asks for it at once, or fails fast with no call', async () => {
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '4h', 'fail-on-short-session': 'false' } });
    expect(first.outputs['max-session-duration']).toBe('10800');
    const refused = world.sts.calls.filter((c) => c.status === 400).length;
    expect(refused).toBeGreaterThan(0);

    // Credentials removed: the next guard must mint, and knows the 3 h maximum already.
    await job.runCommand('bash', ['-c', 'printf "AWS_ACCESS_KEY_ID=\\n" >> "$GITHUB_ENV"']);
    const before = counts();
    const second = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '2h' } });
    expect(second.errors).toEqual([]);
    expect(since(before)).toEqual({ tokens: 1, sts: 1 });
    expect(world.sts.calls.filter((c) => c.status === 400).length).toBe(refused);

    const before3 = counts();
    const third = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '5h' } });
    expect(third.exitCode).toBe(1);
    expect(third.errors.join('\n')).toContain('maximum session of 3h');
    expect(since(before3)).toEqual({ tokens: 0, sts: 0 });
  });
});

describe('a role whose maximum is not a whole number of hours (MaxSessionDuration 5400 s)', () => {
  const ODD = `arn:aws:iam::${ACCOUNT}:role/ninety-minutes`;
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ roles: { ...defaultRoles(), [ODD]: { maxSessionDuration: 5400, trust: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } } } });
  });
  afterAll(async () => {
    await world.close();
  });

  test('what an earlier step learned (1 h granted, 1h45m refused) does not fail a later need in between: it is asked for, and granted', async () => {
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: { 'role-to-assume': ODD, 'aws-region': 'us-east-1', 'expected-duration': '1h40m', 'fail-on-short-session': 'false' } });
    expect(first.outputs['max-session-duration']).toBe('3600');
    expect(first.warnings.join('\n')).toContain('1h45m was refused');

    await job.runCommand('bash', ['-c', 'printf "AWS_ACCESS_KEY_ID=\\n" >> "$GITHUB_ENV"']);
    const calls = world.sts.calls.length;
    const second = await job.runAction(MAIN, { inputs: { 'role-to-assume': ODD, 'aws-region': 'us-east-1', 'expected-duration': '1h10m' } });
    expect(second.errors).toEqual([]);
    expect(second.exitCode).toBe(0);
    const asked = world.sts.calls.slice(calls);
    expect(asked.map((c) => [c.status, c.durationSeconds])).toEqual([[200, 4500]]);

    // A need at or past the refusal still fails fast, with no call.
    const before = world.sts.calls.length;
    const third = await job.runAction(MAIN, { inputs: { 'role-to-assume': ODD, 'aws-region': 'us-east-1', 'expected-duration': '1h45m' } });
    expect(third.exitCode).toBe(1);
    expect(third.errors.join('\n')).toContain('1h45m was refused');
    expect(world.sts.calls.length).toBe(before);
  });
});
