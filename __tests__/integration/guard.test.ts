/**
 * The bundled guard (dist/main) run as the runner runs it, against the local
 * OIDC issuer and STS stand-in.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { stsFaults } from '../../standins/index.js';
import { MAIN, ROLES, secretsOf, startWorld, type World } from './world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g;

/** JWTs that appear in the log outside `::add-mask::` lines. */
function unmaskedJwts(log: string): string[] {
  const masked = new Set<string>();
  const leaked: string[] = [];
  for (const line of log.split('\n')) {
    const m = /^::add-mask::(.*)$/.exec(line);
    if (m?.[1]) {
      masked.add(m[1]);
      continue;
    }
    for (const jwt of line.match(JWT) ?? []) leaked.push(jwt);
  }
  return leaked;
}

const CREDENTIAL_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_SESSION_GUARD_SESSION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

describe('a job of three guard steps', () => {
  test('refreshes, then makes no network call, then fails fast naming the role maximum', async () => {
    const job = world.job();
    world.sts.resetCalls();
    world.issuer.resetRequests();

    const first = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1', 'expected-duration': '90m' } });
    expect(first.exitCode).toBe(0);
    expect(first.outputs['refreshed']).toBe('true');
    expect(Object.keys(first.exportedEnv).sort()).toEqual([...CREDENTIAL_VARS].sort());
    expect(first.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(first.exportedEnv['AWS_REGION']).toBe('eu-west-1');
    // need 1h35m → one ID token, one AssumeRoleWithWebIdentity asking for exactly that
    expect(world.issuer.requests).toHaveLength(1);
    expect(world.sts.calls).toHaveLength(1);
    expect(world.sts.calls[0]).toMatchObject({ action: 'AssumeRoleWithWebIdentity', status: 200, durationSeconds: 5700 });
    expect(Number(first.outputs['remaining-seconds'])).toBeGreaterThanOrEqual(5690);
    expect(Date.parse(first.outputs['expiration'] ?? '')).toBe(Date.parse(first.exportedEnv['AWS_CREDENTIAL_EXPIRATION'] ?? ''));
    expect(first.outputs['aws-account-id']).toBe('123456789012');
    expect(first.outputs['authenticated-arn']).toMatch(/^arn:aws:sts::123456789012:assumed-role\/deploy\/GitHubActions-/);
    expect(first.summary).toMatch(/Refreshed/);

    const second = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1', 'expected-duration': '1h' } });
    expect(second.exitCode).toBe(0);
    expect(second.outputs['refreshed']).toBe('false');
    expect(second.exportedEnv).toEqual({});
    expect(world.issuer.requests).toHaveLength(1); // no new token request
    expect(world.sts.calls).toHaveLength(1); // no STS call
    expect(second.summary).toMatch(/Healthy/);

    const started = Date.now();
    const third = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1', 'expected-duration': '4h' } });
    const elapsed = Date.now() - started;
    expect(third.exitCode).toBe(1);
    expect(elapsed).toBeLessThan(5000);
    const error = third.errors.join('\n');
    expect(error).toContain(ROLES.deploy);
    expect(error).toContain('has a maximum session of 3h (10800 s; 4h was refused)');
    expect(error).toContain('4h expected-duration + 5m safety-margin = 4h5m');
    expect(error).toContain('aws iam update-role --role-name deploy --max-session-duration 18000');
    expect(error).toContain('keep-alive: true');
    expect(third.outputs['max-session-duration']).toBe('10800');
    expect(third.exportedEnv).toEqual({}); // nothing half-exported
    // at most 5 STS calls to find a whole-hour maximum
    const searchCalls = world.sts.calls.slice(1);
    expect(searchCalls.length).toBeLessThanOrEqual(5);
    expect(searchCalls[0]).toMatchObject({ durationSeconds: 14700, code: 'ValidationError' });
    // the ID token was reused across the search
    expect(world.issuer.requests).toHaveLength(2);

    // the credentials from step one are still what later steps see
    expect(job.env['AWS_ACCESS_KEY_ID']).toBe(first.exportedEnv['AWS_ACCESS_KEY_ID']);
    expect(job.secretsUnmasked(secretsOf(job))).toEqual([]);
    expect(unmaskedJwts(job.log)).toEqual([]);
  });
});

describe('refresh path', () => {
  test('an expiry too close triggers a refresh; AWS_CREDENTIAL_EXPIRATION exported with the keys is honoured', async () => {
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'expected-duration': '30m' } });
    expect(first.outputs['refreshed']).toBe('true');
    // The same keys, 10 minutes before their expiry (a step that rewrites only the expiry, as time passing would).
    job.env['AWS_CREDENTIAL_EXPIRATION'] = new Date(Date.now() + 10 * 60_000).toISOString();
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'expected-duration': '30m' } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['refreshed']).toBe('true');
    expect(r.stdout).toMatch(/has 9m5\ds left|has 10m left/);
    // need 35m → asks for the 1 h floor
    expect(world.sts.calls.at(-1)).toMatchObject({ durationSeconds: 3600, status: 200 });
  });

  test('the expiration input is used for keys this action did not export', async () => {
    const job = world.job({ AWS_ACCESS_KEY_ID: 'ASIAFROMELSEWHERE000', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    const before = world.sts.calls.length;
    const r = await job.runAction(MAIN, {
      inputs: { expiration: new Date(Date.now() + 3 * 3600_000).toISOString(), 'expected-duration': '2h' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['refreshed']).toBe('false');
    expect(world.sts.calls.length).toBe(before);
  });

  test('the sts-endpoint input reaches the stand-in without AWS_ENDPOINT_URL_STS', async () => {
    const job = world.job({ AWS_ENDPOINT_URL_STS: '' });
    delete job.env['AWS_ENDPOINT_URL_STS'];
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'sts-endpoint': world.sts.endpoint } });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['refreshed']).toBe('true');
  });

  test("the SDK's generic AWS_ENDPOINT_URL keeps working", async () => {
    const job = world.job({ AWS_ENDPOINT_URL: world.sts.endpoint });
    delete job.env['AWS_ENDPOINT_URL_STS'];
    const before = world.sts.calls.length;
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(r.exitCode).toBe(0);
    expect(world.sts.calls.length - before).toBe(1);
  });

  test('throttling and 5xx bursts are retried with backoff', async () => {
    const job = world.job();
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [stsFaults.throttling(), { status: 500, code: 'InternalFailure' }, { status: 503, code: 'ServiceUnavailable' }]);
    const before = world.sts.calls.length;
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(r.exitCode).toBe(0);
    expect(world.sts.calls.slice(before).map((c) => c.status)).toEqual([400, 500, 503, 200]);
  });

  test('an expired ID token is replaced by a new one', async () => {
    const job = world.job();
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [{ status: 400, code: 'ExpiredTokenException', message: 'Token expired: current date/time 1 must be before the expiration date/time 0' }]);
    const tokensBefore = world.issuer.requests.length;
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(r.exitCode).toBe(0);
    expect(world.issuer.requests.length - tokensBefore).toBe(2);
  });

  test('a runner clock far from STS gets a warning naming the skew; remaining time uses the STS clock', async () => {
    // AWS (STS and the token issuer) 12 min behind: the runner's clock is ahead
    const skewed = await startWorld({ issuer: { clock: () => Date.now() - 12 * 60_000 }, sts: { clockOffsetMs: -12 * 60_000 } });
    try {
      const job = skewed.job();
      const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'expected-duration': '1h' } });
      expect(r.exitCode).toBe(0);
      expect(r.warnings.join('\n')).toMatch(/clock is 12m\d*s? ahead of AWS STS's clock|clock is 1[12]m\d+s ahead/);
      // 3900 s asked for; on the STS clock nearly all of it is left
      expect(Number(r.outputs['remaining-seconds'])).toBeGreaterThanOrEqual(3890);
    } finally {
      await skewed.close();
    }
  });

  test('fail-on-short-session false: warns with the maximum and exports the longest session', async () => {
    const job = world.job();
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'expected-duration': '2h', 'fail-on-short-session': 'false' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.warnings.join('\n')).toContain('has a maximum session of 1h (3600 s; 2h was refused)');
    expect(r.outputs['max-session-duration']).toBe('3600');
    expect(r.exportedEnv['AWS_ACCESS_KEY_ID']).toBeTruthy();
    expect(Number(r.outputs['remaining-seconds'])).toBeLessThanOrEqual(3600);
  });

  test('role chaining: the second role is assumed with the first session, signed', async () => {
    const job = world.job();
    const before = world.sts.calls.length;
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': ROLES.chained, 'aws-region': 'us-east-1', 'expected-duration': '30m' },
    });
    expect(r.exitCode).toBe(0);
    const calls = world.sts.calls.slice(before);
    expect(calls.map((c) => c.action)).toEqual(['AssumeRoleWithWebIdentity', 'AssumeRole']);
    expect(calls[1]).toMatchObject({ status: 200, durationSeconds: 3600 });
    expect(calls[1]?.accessKeyId).toBe(calls[0]?.issuedAccessKeyId);
    expect(r.outputs['authenticated-arn']).toMatch(/assumed-role\/chained-target\//);
  });

  test('role chaining beyond 1 h fails before any network call', async () => {
    const job = world.job();
    const before = world.sts.calls.length;
    const tokens = world.issuer.requests.length;
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': ROLES.chained, 'aws-region': 'us-east-1', 'expected-duration': '2h' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.errors.join('\n')).toMatch(/role chaining, which AWS caps at 1h/);
    expect(world.sts.calls.length).toBe(before);
    expect(world.issuer.requests.length).toBe(tokens);
  });
});

describe('permanent failures fail at once with the cause', () => {
  test('AccessDenied: the token sub and aud are shown, with the trust policy fix, in under 2 s', async () => {
    const job = world.job({ AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 60_000).toISOString() });
    const before = world.sts.calls.length;
    const started = Date.now();
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.otherRepo, 'aws-region': 'us-east-1' } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.exitCode).toBe(1);
    const error = r.errors.join('\n');
    expect(error).toContain('AccessDenied');
    expect(error).toContain('sub "repo:octo-org/octo-repo:ref:refs/heads/main"');
    expect(error).toContain('aud "sts.amazonaws.com"');
    expect(error).toContain('trust policy');
    expect(world.sts.calls.length - before).toBe(1); // never retried
    expect(r.exportedEnv).toEqual({});
    // what was there before is untouched
    expect(job.env['AWS_CREDENTIAL_EXPIRATION']).toBeDefined();
  });

  test('no id-token permission: says so by name, no STS call', async () => {
    const job = world.job();
    delete job.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
    delete job.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    const before = world.sts.calls.length;
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(r.exitCode).toBe(1);
    expect(r.errors.join('\n')).toContain('permissions: id-token: write');
    expect(world.sts.calls.length).toBe(before);
  });

  test('a missing OIDC provider names the provider to create', async () => {
    const job = world.job();
    world.sts.injectFaults('AssumeRoleWithWebIdentity', [
      { status: 400, code: 'InvalidIdentityToken', message: `No OpenIDConnect provider found in your account for ${world.issuer.url}` },
    ]);
    const r = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' } });
    expect(r.exitCode).toBe(1);
    expect(r.errors.join('\n')).toContain(`aws iam create-open-id-connect-provider --url ${world.issuer.url}`);
  });

  test('without role-to-assume an unknown expiry fails a stated need and says how to fix it', async () => {
    const job = world.job();
    const r = await job.runAction(MAIN, { inputs: { 'expected-duration': '1h' } });
    expect(r.exitCode).toBe(1);
    const error = r.errors.join('\n');
    expect(error).toContain("'role-to-assume'");
    expect(error).toContain("'expiration'");
  });

  test('bad input is refused before any network call, naming the input and the accepted form', async () => {
    const job = world.job();
    const before = world.sts.calls.length;
    const tokens = world.issuer.requests.length;
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': 'arn:aws:iam::123:role/x', 'aws-region': 'mars-1', 'expected-duration': 'soon', 'keep-alive': 'yes' },
    });
    expect(r.exitCode).toBe(1);
    const error = r.errors.join('\n');
    expect(error).toContain("'role-to-assume' (got \"arn:aws:iam::123:role/x\") is not an IAM role ARN");
    expect(error).toContain("'aws-region' (got \"mars-1\")");
    expect(error).toContain("'expected-duration' (got \"soon\") is not a duration");
    expect(error).toContain("'keep-alive' (got \"yes\") is not a boolean");
    expect(r.exportedEnv).toEqual({});
    expect(world.sts.calls.length).toBe(before);
    expect(world.issuer.requests.length).toBe(tokens);
  });
});
