import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guard, type GuardDeps } from '../../src/guard/guard.js';
import { mintPlan } from '../../src/guard/refresh.js';
import { ShortSessionError } from '../../src/report/shortfall.js';
import { markerMatches, markerValue, parseMarker } from '../../src/model/marker.js';
import { identityKey } from '../../src/settings/identity.js';
import { SessionMinter } from '../../src/sts/minter.js';
import { staticLoader } from '../../src/sts/source-credentials.js';
import { Inputs, type InputName } from '../../src/constants.js';
import { awsError, FakeClock, FakeGateway, FakeTokenSource, FakeToolkit, instantRetry, ROLE_ARN, settingsFor } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Settings for `inputs`; expected-duration is 1h unless given ('' for none: no need stated). */
const settingsOf = settingsFor({ env: { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' }, base: { [Inputs.ExpectedDuration]: '1h' } });

const withRole = { [Inputs.RoleToAssume]: ROLE_ARN, [Inputs.AwsRegion]: 'eu-west-1' } as const;

const OUR_KEY = 'ASIAEXPORTEDBYUS';
/** Keys this action exported for `settings` (or another identity), with their expiry and the marker that binds them. */
function ourSession(expiresAt: number | string, inputs: Partial<Record<InputName, string>> = withRole): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: OUR_KEY,
    AWS_CREDENTIAL_EXPIRATION: typeof expiresAt === 'string' ? expiresAt : iso(expiresAt),
    AWS_SESSION_GUARD_SESSION: markerValue(OUR_KEY, { identity: identityKey(settingsOf(inputs)) }),
  };
}

function setup(env: Record<string, string | undefined> = {}) {
  const clock = new FakeClock(T0);
  const toolkit = new FakeToolkit();
  const gateway = new FakeGateway(clock.fn);
  const tokens = new FakeTokenSource(clock.fn);
  let loads = 0;
  const deps: GuardDeps = {
    toolkit,
    env,
    clock: clock.fn,
    loadMinter: async (settings, onToken) => {
      loads++;
      const source = settings.source;
      return new SessionMinter({
        gateway,
        tokens,
        // Input keys sign (AssumeRole, or GetCallerIdentity when they are handed on without a role).
        ...(source.kind === 'static-keys' && { credentials: staticLoader(source), source: 'static-keys' as const }),
        audience: settings.audience,
        retry: { maxAttempts: settings.retryMaxAttempts, baseDelayMs: 10, maxDelayMs: 100 },
        retryDeps: instantRetry(),
        clock: clock.fn,
        onToken,
      });
    },
  };
  return { clock, toolkit, gateway, tokens, deps, loads: () => loads };
}

const STATIC_KEYS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_SESSION_GUARD_SESSION',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
];

describe('healthy session', () => {
  test('outputs refreshed=false and never loads the minter', async () => {
    const exp = T0 + 2 * 3600_000;
    const { toolkit, deps, loads, gateway } = setup(ourSession(exp));
    const outcome = await guard(settingsOf({ ...withRole }), deps);
    expect(outcome).toEqual({ kind: 'healthy', remainingSeconds: 7200, expiration: new Date(exp) });
    expect(loads()).toBe(0);
    expect(gateway.calls).toHaveLength(0);
    expect(toolkit.outputs).toEqual({ expiration: iso(exp), 'remaining-seconds': '7200', refreshed: 'false' });
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.secrets).toEqual([]);
    expect(toolkit.infos.join('\n')).toMatch(/2h left.*AWS_CREDENTIAL_EXPIRATION.*needs 1h5m/s);
    expect(toolkit.summary.join('')).toMatch(/remaining 2h, need 1h5m\. Healthy/);
  });

  test('healthy from the expiration input, without a role, for keys this action did not export', async () => {
    const { toolkit, deps, loads } = setup({ AWS_ACCESS_KEY_ID: 'AKIAFROMANOTHERACTION' });
    const outcome = await guard(settingsOf({ [Inputs.Expiration]: iso(T0 + 3 * 3600_000) }), deps);
    expect(outcome.kind).toBe('healthy');
    expect(loads()).toBe(0);
    expect(toolkit.infos.join('\n')).toContain("the 'expiration' input");
  });

  test('exactly the need left is healthy', async () => {
    const { deps, loads } = setup(ourSession(T0 + 3900_000));
    const outcome = await guard(settingsOf({ ...withRole }), deps);
    expect(outcome.kind).toBe('healthy');
    expect(loads()).toBe(0);
  });
});

/** Work of 30 min (+5 min margin) asks STS for 1 h: room to spare, whatever the rounding. */
const shortWork = { ...withRole, [Inputs.ExpectedDuration]: '30m' } as const;

describe('refresh through OIDC', () => {
  test.each([
    ['short', ourSession(T0 + 600_000, shortWork)],
    ['expired', ourSession(T0 - 600_000, shortWork)],
    ['unknown', {}],
  ])('%s session with a role: exports the 6 variables and the marker in one call, secrets masked first', async (_kind, env) => {
    const { toolkit, deps, gateway, loads } = setup(env);
    const outcome = await guard(settingsOf(shortWork), deps);
    expect(loads()).toBe(1);
    expect(gateway.calls).toHaveLength(1);
    expect(gateway.calls[0]?.params.durationSeconds).toBe(3600);
    expect(outcome.kind).toBe('refreshed');
    const remaining = outcome.kind === 'refreshed' ? outcome.remainingSeconds : NaN;
    expect(remaining).toBeGreaterThanOrEqual(3599);
    expect(remaining).toBeLessThanOrEqual(3600);
    expect(outcome).toMatchObject({ short: false, expiration: new Date(T0 + 3600_000) });

    const exportCalls = toolkit.calls.filter((c) => c.method === 'exportVariables');
    expect(exportCalls).toHaveLength(1);
    const vars = toolkit.exports[0] ?? {};
    expect(Object.keys(vars).sort()).toEqual([...STATIC_KEYS].sort());
    expect(vars['AWS_REGION']).toBe('eu-west-1');
    expect(vars['AWS_DEFAULT_REGION']).toBe('eu-west-1');
    expect(vars['AWS_CREDENTIAL_EXPIRATION']).toBe(iso(T0 + 3600_000));
    // The marker binds that expiry, and this configuration, to the new keys.
    const marker = parseMarker(vars['AWS_SESSION_GUARD_SESSION']);
    expect(markerMatches(marker, vars['AWS_ACCESS_KEY_ID'])).toBe(true);
    expect(marker?.identity).toBe(identityKey(settingsOf(shortWork)));

    const exportAt = toolkit.indexOf('exportVariables');
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const) {
      const secret = vars[key] ?? '';
      expect(secret).not.toBe('');
      const maskedAt = toolkit.indexOf('setSecret', secret);
      expect(maskedAt).toBeGreaterThanOrEqual(0);
      expect(maskedAt).toBeLessThan(exportAt);
      expect(toolkit.printed).not.toContain(secret);
    }
    // The ID token is masked too, before it can reach anything.
    expect(toolkit.secrets.some((s) => s.split('.').length === 3)).toBe(true);

    expect(toolkit.outputs).toMatchObject({
      refreshed: 'true',
      expiration: iso(T0 + 3600_000),
      'remaining-seconds': String(remaining),
      'aws-account-id': '123456789012',
      'authenticated-arn': 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions-77-1',
    });
    expect(toolkit.summary.join('')).toMatch(/Refreshed: assumed arn:aws:iam::123456789012:role\/deploy/);
  });

  test.each([
    ['the default expected-duration (1h)', {}],
    ['expected-duration 2h', { [Inputs.ExpectedDuration]: '2h' }],
    ['expected-duration 11h', { [Inputs.ExpectedDuration]: '11h' }],
  ])('a refresh for %s, from a role that allows 12 h, is not short', async (_label, extra) => {
    // STS answers whole seconds: Expiration = Date header + DurationSeconds. The guard asks
    // for a length it derived from the need: it must then accept what it asked for.
    const { toolkit, deps, gateway } = setup({});
    const settings = settingsOf({ ...withRole, ...extra });
    const outcome = await guard(settings, deps);
    const needSeconds = (settings.expectedDurationSeconds ?? NaN) + settings.safetyMarginSeconds;
    expect(gateway.calls[0]?.params.durationSeconds).toBeGreaterThanOrEqual(needSeconds);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
    expect(toolkit.exports).toHaveLength(1);
  });

  test('an invalid AWS_CREDENTIAL_EXPIRATION warns and is treated as unknown', async () => {
    const { toolkit, deps, loads } = setup(ourSession('never', shortWork));
    const outcome = await guard(settingsOf(shortWork), deps);
    expect(loads()).toBe(1);
    expect(outcome.kind).toBe('refreshed');
    expect(toolkit.warnings[0]?.message).toContain('AWS_CREDENTIAL_EXPIRATION is "never"');
  });

  test('mask-aws-account-id: the account id and the ARN are masked before the export, and set as outputs (masked, as configure-aws-credentials does)', async () => {
    const { toolkit, deps } = setup({});
    await guard(settingsOf({ ...shortWork, [Inputs.MaskAwsAccountId]: 'true' }), deps);
    const masked = toolkit.indexOf('setSecret', '123456789012');
    expect(masked).toBeGreaterThanOrEqual(0);
    expect(masked).toBeLessThan(toolkit.indexOf('exportVariables'));
    const arn = toolkit.outputs['authenticated-arn'];
    expect(arn).toMatch(/^arn:aws:sts::123456789012:assumed-role\/deploy\//);
    expect(toolkit.secrets).toContain(arn);
    expect(toolkit.indexOf('setSecret', arn)).toBeLessThan(toolkit.indexOf('setOutput', 'authenticated-arn'));
    expect(toolkit.outputs['aws-account-id']).toBe('123456789012');
    expect(toolkit.outputs['refreshed']).toBe('true');
  });

  test('without mask-aws-account-id the account id is not masked', async () => {
    const { toolkit, deps } = setup({});
    await guard(settingsOf(shortWork), deps);
    expect(toolkit.exports).toHaveLength(1);
    expect(toolkit.secrets).not.toContain('123456789012');
  });

  test('clock skew over 5 min: a warning naming the skew; remaining counted on the STS clock', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.serverOffsetMs = -10 * 60_000; // STS is 10 min behind: the runner is ahead
    const outcome = await guard(settingsOf(shortWork), deps);
    const skew = toolkit.warnings.find((w) => w.title === 'Clock skew');
    expect(skew?.message).toMatch(/10m ahead of AWS STS's clock/);
    expect(skew?.message).toMatch(/NTP/);
    expect(skew?.message).toContain('count that much too little (the safe side)');
    // On the local clock only 50 min would be left; on STS's, the full hour.
    const remaining = outcome.kind === 'refreshed' ? outcome.remainingSeconds : NaN;
    expect(remaining).toBeGreaterThanOrEqual(3599);
  });

  test('clock behind STS: says behind', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.serverOffsetMs = 7 * 60_000;
    await guard(settingsOf(shortWork), deps);
    const message = toolkit.warnings.find((w) => w.title === 'Clock skew')?.message;
    expect(message).toMatch(/7m behind AWS STS's clock/);
    // Later steps compare with the runner's clock: behind, they would keep a session 7 min too long.
    expect(message).toContain("count 7m too many, so raise 'safety-margin' by that much");
  });

  test('small skew: no warning', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.serverOffsetMs = 60_000;
    const outcome = await guard(settingsOf(shortWork), deps);
    expect(outcome.kind).toBe('refreshed');
    expect(toolkit.warnings).toEqual([]);
  });

  test('no Date header: no skew warning, remaining on the local clock', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.sendDate = false;
    gateway.serverOffsetMs = -10 * 60_000;
    const outcome = await guard({ ...settingsOf(shortWork), failOnShortSession: false }, deps);
    expect(toolkit.warnings.filter((w) => w.title === 'Clock skew')).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'refreshed', remainingSeconds: 3000 });
  });
});

describe('no role to assume', () => {
  test('unknown expiry → ShortSessionError naming role-to-assume and expiration', async () => {
    const { toolkit, deps, loads } = setup({});
    const error = await guard(settingsOf({}), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    const message = (error as Error).message;
    expect(message).toContain("'role-to-assume'");
    expect(message).toContain("'expiration'");
    expect(message).toContain('The current AWS session expiry is unknown (no AWS keys are in the environment)');
    expect(loads()).toBe(0);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.summary.join('')).toMatch(/remaining unknown, need 1h5m\. \*\*Failed\*\*/);
  });

  test('expired → says how long ago', async () => {
    const { deps } = setup(ourSession(T0 - 90_000, {}));
    await expect(guard(settingsOf({}), deps)).rejects.toThrow(/expired 1m30s ago.*'role-to-assume'/s);
  });

  test('short → says how much is left', async () => {
    const { deps } = setup(ourSession(T0 + 1200_000, {}));
    await expect(guard(settingsOf({}), deps)).rejects.toThrow(/has 20m left, and the work needs 1h5m.*'role-to-assume'/s);
  });

  test('fail-on-short-session false → a warning, no throw', async () => {
    const { toolkit, deps } = setup(ourSession(T0 + 1200_000, {}));
    const outcome = await guard(settingsOf({ [Inputs.FailOnShortSession]: 'false' }), deps);
    expect(outcome.kind).toBe('warned');
    expect(toolkit.warnings).toHaveLength(1);
    expect(toolkit.warnings[0]?.title).toBe('AWS session too short');
    expect(toolkit.warnings[0]?.message).toContain('20m left');
    expect(toolkit.summary.join('')).toMatch(/Warned: /);
  });
});

describe('known limits fail before any network call', () => {
  test('need over 12 h without keep-alive fails before loadMinter', async () => {
    const { deps, loads, gateway } = setup({});
    const error = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '13h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toMatch(/No single AWS session can last 13h5m/);
    expect((error as Error).message).toContain("keep-alive: true");
    expect(loads()).toBe(0);
    expect(gateway.calls).toHaveLength(0);
  });

  test('need over 1 h with a chained role fails before loadMinter', async () => {
    const { deps, loads } = setup({});
    const error = await guard(
      settingsOf({ ...withRole, [Inputs.ChainedRoleToAssume]: 'arn:aws:iam::210987654321:role/target', [Inputs.ExpectedDuration]: '2h' }),
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toContain('arn:aws:iam::210987654321:role/target');
    expect((error as Error).message).toMatch(/role chaining, which AWS caps at 1h/);
    expect(loads()).toBe(0);
  });

  test('with fail-on-short-session false, warns once and still mints the longest session', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.maxSessionSeconds = 43200;
    const outcome = await guard(
      settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '13h', [Inputs.FailOnShortSession]: 'false' }),
      deps,
    );
    expect(outcome).toMatchObject({ kind: 'refreshed', short: true });
    expect(outcome.kind === 'refreshed' && outcome.remainingSeconds).toBeGreaterThanOrEqual(43199);
    expect(toolkit.warnings.filter((w) => w.title === 'AWS session too short')).toHaveLength(1);
    expect(toolkit.exports).toHaveLength(1);
  });
});

describe("the role's maximum is too short", () => {
  test('message names the role, its max in seconds, the update-role fix and keep-alive; nothing exported', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.maxSessionSeconds = 7200;
    const error = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '5h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    const message = (error as Error).message;
    expect(message).toContain(ROLE_ARN);
    expect(message).toContain('7200 s');
    expect(message).toContain('aws iam update-role --role-name deploy --max-session-duration 21600');
    expect(message).toContain('keep-alive: true');
    expect(message).toContain('5h5m');
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.calls.some((c) => c.method === 'exportVariables')).toBe(false);
    expect(toolkit.outputs['refreshed']).toBeUndefined();
    expect(toolkit.outputs['max-session-duration']).toBe('7200');
    // 1 refused request + at most 4 probes.
    expect(gateway.calls.length).toBeLessThanOrEqual(5);
  });

  test('fail-on-short-session false: warns, then exports the longest session', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.maxSessionSeconds = 7200;
    const outcome = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '5h', [Inputs.FailOnShortSession]: 'false' }), deps);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: true });
    expect(outcome.kind === 'refreshed' && outcome.remainingSeconds).toBeGreaterThanOrEqual(7199);
    expect(toolkit.warnings[0]?.message).toContain('aws iam update-role --role-name deploy');
    expect(toolkit.exports).toHaveLength(1);
  });

  test('a role maximum enough for the need: refreshed with max output', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.maxSessionSeconds = 4 * 3600;
    const outcome = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '3h', [Inputs.RoleDurationSeconds]: '43200' }), deps);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
    expect(outcome.kind === 'refreshed' && outcome.remainingSeconds).toBeGreaterThanOrEqual(4 * 3600 - 1);
    expect(toolkit.outputs['max-session-duration']).toBe('14400');
  });

  test('STS grants less than asked without a refusal: short-after-refresh message, the one-input fix first', async () => {
    const { deps, gateway } = setup({});
    gateway.grantSeconds = 3600;
    const error = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '2h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    const message = (error as Error).message;
    expect(message).toMatch(/STS gave arn:aws:iam::123456789012:role\/deploy a session with (1h|59m59s) left/);
    expect(message).toMatch(/Fix, one of:\n {2}- 'expected-duration: (55m|54m59s)' if the work fits/);
    expect(message.indexOf("'keep-alive: true'")).toBeGreaterThan(message.indexOf("'expected-duration: "));
    expect(message).toContain("'role-duration-seconds'");
  });

  test('a permanent STS failure propagates as the MintError with its hint', async () => {
    const { toolkit, deps, gateway } = setup({});
    gateway.failures.push(awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403));
    await expect(guard(settingsOf({ ...withRole }), deps)).rejects.toThrow(/trust policy of arn:aws:iam::123456789012:role\/deploy/);
    expect(gateway.calls).toHaveLength(1);
    expect(toolkit.exports).toEqual([]);
  });
});

describe('odd STS answers and settings', () => {
  test('no assumed-role ARN in the answer: no account or ARN outputs, the message names the configured role', async () => {
    const { toolkit, deps, gateway } = setup({});
    const original = gateway.assumeRoleWithWebIdentity.bind(gateway);
    gateway.assumeRoleWithWebIdentity = async (p) => ({ ...(await original(p)), assumedRoleArn: '' });
    const outcome = await guard(settingsOf({ ...shortWork, [Inputs.MaskAwsAccountId]: 'true' }), deps);
    expect(outcome.kind).toBe('refreshed');
    expect(toolkit.outputs['aws-account-id']).toBeUndefined();
    expect(toolkit.outputs['authenticated-arn']).toBeUndefined();
    expect(toolkit.infos.some((m) => m.startsWith(`Assumed ${ROLE_ARN}:`))).toBe(true);
    expect(toolkit.exports).toHaveLength(1);
  });

  test('a role without a region is refused before any call', async () => {
    const { deps, loads } = setup({});
    const settings = settingsOf(shortWork);
    const { region: _region, ...noRegion } = settings;
    await expect(guard(noRegion, deps)).rejects.toThrow('refresh needs role-to-assume and aws-region');
    expect(loads()).toBe(0);
  });

  test('chained role within 1 h: AssumeRoleWithWebIdentity then AssumeRole, the chained session exported', async () => {
    const { toolkit, deps, gateway } = setup({});
    const outcome = await guard(settingsOf({ ...shortWork, [Inputs.ChainedRoleToAssume]: 'arn:aws:iam::210987654321:role/target' }), deps);
    expect(outcome.kind).toBe('refreshed');
    expect(gateway.calls.map((c) => c.action)).toEqual(['AssumeRoleWithWebIdentity', 'AssumeRole']);
    expect(gateway.calls[1]?.params.durationSeconds).toBe(3600);
    expect(toolkit.outputs['authenticated-arn']).toContain('assumed-role/target/');
    expect(toolkit.summary.join('')).toContain('assumed arn:aws:iam::210987654321:role/target');
  });
});

describe('mintPlan', () => {
  test('carries role, chain, session name, policies', () => {
    const s = settingsOf({
      ...withRole,
      [Inputs.ChainedRoleToAssume]: 'arn:aws:iam::210987654321:role/target',
      [Inputs.InlineSessionPolicy]: '{"Statement":[]}',
      [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect(mintPlan(s, 3600)).toMatchObject({
      role: { arn: ROLE_ARN },
      chainedRole: { arn: 'arn:aws:iam::210987654321:role/target' },
      roleSessionName: 'GitHubActions-77-1',
      durationSeconds: 3600,
      policy: '{"Statement":[]}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
  });
  test('throws without a role', () => {
    expect(() => mintPlan(settingsOf({}), 3600)).toThrow(/role-to-assume/);
  });
});

describe('trust: a session is this step\'s only when it was minted for this configuration, for these keys', () => {
  const healthy = T0 + 5 * 3600_000;

  test.each([
    ['another role', { [Inputs.RoleToAssume]: 'arn:aws:iam::123456789012:role/other', [Inputs.AwsRegion]: 'eu-west-1' }],
    ['another account', { [Inputs.RoleToAssume]: 'arn:aws:iam::210987654321:role/deploy', [Inputs.AwsRegion]: 'eu-west-1' }],
    ['another region', { ...withRole, [Inputs.AwsRegion]: 'us-east-1' }],
    ['another session policy', { ...withRole, [Inputs.InlineSessionPolicy]: '{"Version":"2012-10-17","Statement":[]}' }],
  ])('a healthy session minted for %s is never healthy for this step: it mints its own and marks it', async (_label, earlier) => {
    const { toolkit, deps, loads, gateway } = setup(ourSession(healthy, earlier));
    const settings = settingsOf(withRole);
    const outcome = await guard(settings, deps);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
    expect(loads()).toBe(1);
    expect(gateway.calls[0]?.params.roleArn).toBe(ROLE_ARN);
    expect(toolkit.infos).toContain(
      `The AWS session in the environment was minted by an earlier step for another role, region or session policy; assuming ${ROLE_ARN} through GitHub OIDC.`,
    );
    const vars = toolkit.exports[0] ?? {};
    expect(parseMarker(vars['AWS_SESSION_GUARD_SESSION'])?.identity).toBe(identityKey(settings));
    expect(markerMatches(parseMarker(vars['AWS_SESSION_GUARD_SESSION']), vars['AWS_ACCESS_KEY_ID'])).toBe(true);
  });

  test('the same configuration (another expected-duration) keeps the session', async () => {
    const { deps, loads } = setup(ourSession(healthy, { ...withRole, [Inputs.ExpectedDuration]: '10m' }));
    expect((await guard(settingsOf(withRole), deps)).kind).toBe('healthy');
    expect(loads()).toBe(0);
  });

  test('keys replaced by another step (the old expiry and marker left behind): the expiry is unknown, a new session is minted', async () => {
    const { toolkit, deps, loads } = setup({ ...ourSession(healthy), AWS_ACCESS_KEY_ID: 'AKIAREPLACEDBYANOTHERSTEP' });
    const outcome = await guard(settingsOf(withRole), deps);
    expect(outcome.kind).toBe('refreshed');
    expect(loads()).toBe(1);
    expect(toolkit.infos).toContain(
      'The current AWS session expiry is unknown: another step replaced the AWS keys that this action exported, and their expiry was not given.',
    );
  });

  test('keys replaced, with their expiry given as the input: the input describes them', async () => {
    const { toolkit, deps, loads } = setup({ ...ourSession(T0 + 60_000), AWS_ACCESS_KEY_ID: 'AKIAREPLACEDBYANOTHERSTEP' });
    const outcome = await guard(settingsOf({ ...withRole, [Inputs.Expiration]: iso(healthy) }), deps);
    expect(outcome).toEqual({ kind: 'healthy', remainingSeconds: 5 * 3600, expiration: new Date(healthy) });
    expect(loads()).toBe(0);
    expect(toolkit.infos.join('\n')).toContain("from the 'expiration' input");
  });

  test('keys of another action with an AWS_CREDENTIAL_EXPIRATION but no marker: unknown, minted', async () => {
    const { toolkit, deps, loads } = setup({ AWS_ACCESS_KEY_ID: 'AKIAOTHER', AWS_CREDENTIAL_EXPIRATION: iso(healthy) });
    expect((await guard(settingsOf(withRole), deps)).kind).toBe('refreshed');
    expect(loads()).toBe(1);
    expect(toolkit.infos).toContain('The current AWS session expiry is unknown: AWS_CREDENTIAL_EXPIRATION was not exported by this action with these keys.');
  });

  test('the expiration input beside keys this action exported is ignored: their own expiry decides', async () => {
    const { toolkit, deps, loads } = setup(ourSession(T0 + 600_000));
    const outcome = await guard(settingsOf({ ...withRole, [Inputs.Expiration]: iso(healthy) }), deps);
    expect(outcome.kind).toBe('refreshed');
    expect(loads()).toBe(1);
    expect(toolkit.infos).toContain(
      "The 'expiration' input is ignored: the AWS keys in the environment are the ones this action exported, with their own expiry.",
    );
  });

  test('the expiration input with no keys in the environment describes nothing: no role, so the step fails', async () => {
    const { toolkit, deps } = setup({});
    await expect(guard(settingsOf({ [Inputs.Expiration]: iso(healthy) }), deps)).rejects.toBeInstanceOf(ShortSessionError);
    expect(toolkit.infos).toContain("The current AWS session expiry is unknown: the 'expiration' input is set, but no AWS keys are in the environment.");
  });

  test('AWS_CREDENTIAL_EXPIRATION removed after the export: unknown, said why', async () => {
    const { toolkit, deps } = setup({ ...ourSession(healthy), AWS_CREDENTIAL_EXPIRATION: '' });
    expect((await guard(settingsOf(withRole), deps)).kind).toBe('refreshed');
    expect(toolkit.infos).toContain('The current AWS session expiry is unknown: AWS_CREDENTIAL_EXPIRATION was removed after this action exported the keys.');
  });

  test('with a keep-alive server in the environment, the log says the static keys come first', async () => {
    const { toolkit, deps } = setup({ AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:4321/credentials' });
    await guard(settingsOf(shortWork), deps);
    expect(toolkit.infos.some((m) => m.endsWith('They come before the keep-alive server in every SDK chain, so later steps run as this role.'))).toBe(true);
    const plain = setup({});
    await guard(settingsOf(shortWork), plain.deps);
    expect(plain.toolkit.infos.some((m) => m.includes('keep-alive server'))).toBe(false);
  });
});

describe('guard: input keys without a role are handed on as they are', () => {
  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';

  test('long-lived IAM user keys: checked with one GetCallerIdentity signed with them, exported masked, no expiry', async () => {
    const { toolkit, deps, gateway } = setup();
    const outcome = await guard(settingsOf({ [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsRegion]: 'eu-west-1' }), deps);
    expect(outcome.kind).toBe('healthy');
    expect(gateway.calls).toEqual([]);
    expect(gateway.identityCalls.map((c) => [c.accessKeyId, c.secretAccessKey])).toEqual([[KEY_ID, SECRET]]);
    expect(toolkit.outputs['aws-account-id']).toBe('123456789012');
    expect(toolkit.outputs['authenticated-arn']).toBe('arn:aws:iam::123456789012:user/ci-deployer');
    expect(toolkit.exports).toEqual([
      { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: '', AWS_CREDENTIAL_EXPIRATION: '', AWS_SESSION_GUARD_SESSION: '', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
    ]);
    const firstExport = toolkit.calls.findIndex((c) => c.method === 'exportVariables');
    const maskedAt = toolkit.calls.findIndex((c) => c.method === 'setSecret' && c.args[0] === SECRET);
    expect(maskedAt).toBeGreaterThanOrEqual(0);
    expect(maskedAt).toBeLessThan(firstExport);
  });

  const userKeys = { [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsRegion]: 'eu-west-1' } as const;

  test('output-env-credentials: false: masked, nothing exported (as configure-aws-credentials)', async () => {
    const { toolkit, deps } = setup();
    expect((await guard(settingsOf({ ...userKeys, [Inputs.OutputEnvCredentials]: 'false' }), deps)).kind).toBe('healthy');
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.secrets).toEqual([KEY_ID, SECRET]);
    expect(toolkit.outputs).toEqual({ refreshed: 'false', 'aws-account-id': '123456789012', 'authenticated-arn': 'arn:aws:iam::123456789012:user/ci-deployer' });
  });

  test('output-credentials: the keys as outputs, masked; no session token and no aws-expiration for IAM user keys', async () => {
    const { toolkit, deps } = setup();
    await guard(settingsOf({ ...userKeys, [Inputs.OutputCredentials]: 'true' }), deps);
    expect(toolkit.outputs).toEqual({
      'aws-access-key-id': KEY_ID,
      'aws-secret-access-key': SECRET,
      refreshed: 'false',
      'aws-account-id': '123456789012',
      'authenticated-arn': 'arn:aws:iam::123456789012:user/ci-deployer',
    });
    expect(toolkit.secrets).toEqual(expect.arrayContaining([KEY_ID, SECRET]));
  });

  test('aws-profile: the keys go to the profile (no aws_session_token line), nothing is exported by default; with output-env-credentials, AWS_PROFILE too', async () => {
    const home = mkdtempSync(join(tmpdir(), 'guard-profile-'));
    try {
      const { toolkit, deps } = setup({ HOME: home });
      await guard(settingsOf({ ...userKeys, [Inputs.AwsProfile]: 'ci' }), deps);
      expect(toolkit.exports).toEqual([]);
      expect(readFileSync(join(home, '.aws', 'credentials'), 'utf8')).toBe(`[ci]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
      expect(readFileSync(join(home, '.aws', 'config'), 'utf8')).toBe('[profile ci]\nregion = eu-west-1\n');
      expect(toolkit.state['profile']).toBeDefined();

      // An existing profile is refused before anything is written or exported.
      const again = setup({ HOME: home });
      await expect(guard(settingsOf({ ...userKeys, [Inputs.AwsProfile]: 'ci', [Inputs.OutputEnvCredentials]: 'true' }), again.deps)).rejects.toThrow(/already exists/);
      expect(again.toolkit.exports).toEqual([]);

      const overwrite = setup({ HOME: home });
      await guard(settingsOf({ ...userKeys, [Inputs.AwsProfile]: 'ci', [Inputs.OverwriteAwsProfile]: 'true', [Inputs.OutputEnvCredentials]: 'true' }), overwrite.deps);
      expect(overwrite.toolkit.exports[0]).toMatchObject({ AWS_ACCESS_KEY_ID: KEY_ID, AWS_PROFILE: 'ci', AWS_REGION: 'eu-west-1' });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('session keys whose expiration is short of the need: a shortfall, as for any session', async () => {
    const { deps } = setup();
    const settings = settingsOf({
      [Inputs.AwsAccessKeyId]: KEY_ID,
      [Inputs.AwsSecretAccessKey]: SECRET,
      [Inputs.AwsSessionToken]: TOKEN,
      [Inputs.Expiration]: iso(T0 + 20 * 60_000),
      [Inputs.ExpectedDuration]: '1h',
    });
    await expect(guard(settings, deps)).rejects.toThrow(ShortSessionError);
    await expect(guard(settings, deps)).rejects.toThrow(/The session keys given as inputs have 20m left, and the work needs 1h5m/);
  });

  test('session keys that last: exported with their expiry and the marker that binds it to them', async () => {
    const { toolkit, deps } = setup();
    const settings = settingsOf({ [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET, [Inputs.AwsSessionToken]: TOKEN, [Inputs.Expiration]: iso(T0 + 3 * 3600_000) });
    expect((await guard(settings, deps)).kind).toBe('healthy');
    const exported = toolkit.exports[0] ?? {};
    expect(exported['AWS_CREDENTIAL_EXPIRATION']).toBe(iso(T0 + 3 * 3600_000));
    expect(markerMatches(parseMarker(exported['AWS_SESSION_GUARD_SESSION']), KEY_ID)).toBe(true);
    expect(toolkit.outputs['remaining-seconds']).toBe(String(3 * 3600));
  });
});

describe('the drop-in: without expected-duration a step does what configure-aws-credentials does', () => {
  const noNeed = { ...withRole, [Inputs.ExpectedDuration]: '' } as const;
  const CHAINED = 'arn:aws:iam::210987654321:role/target';

  test('a role with the IAM default maximum (1 h): one call for 3600 s, green, nothing short', async () => {
    const { toolkit, deps, gateway } = setup();
    gateway.maxSessionSeconds = 3600;
    const outcome = await guard(settingsOf(noNeed), deps);
    expect(gateway.calls.map((c) => [c.action, c.params.durationSeconds])).toEqual([['AssumeRoleWithWebIdentity', 3600]]);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.exports[0]).toMatchObject({ AWS_CREDENTIAL_EXPIRATION: iso(T0 + 3600_000) });
    expect(toolkit.summary.join('')).toContain('need not stated');
  });

  test('a session in place with hours left is assumed afresh all the same (later steps get at least what CAC gives)', async () => {
    const { deps, gateway } = setup(ourSession(T0 + 5 * 3600_000, noNeed));
    await guard(settingsOf(noNeed), deps);
    expect(gateway.calls).toHaveLength(1);
  });

  test.each(['900', '1200', '1800', '3600'])('role-duration-seconds %s: asked for as given, green even on a 12 h role', async (rds) => {
    const { deps, gateway } = setup();
    const outcome = await guard(settingsOf({ ...noNeed, [Inputs.RoleDurationSeconds]: rds }), deps);
    expect(gateway.calls.map((c) => c.params.durationSeconds)).toEqual([Number(rds)]);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
  });

  test('role-duration-seconds beyond the role: the role\'s maximum is used and a warning says so; never a failure', async () => {
    const { toolkit, deps, gateway } = setup();
    gateway.maxSessionSeconds = 3600;
    const outcome = await guard(settingsOf({ ...noNeed, [Inputs.RoleDurationSeconds]: '7200' }), deps);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.warnings.map((w) => w.message)).toEqual([expect.stringContaining("so the session lasts 1h, not the 7200 s of 'role-duration-seconds'")]);
  });

  test('chaining: 3600 s asked of the chained role, green', async () => {
    const { deps, gateway } = setup();
    const outcome = await guard(settingsOf({ ...noNeed, [Inputs.ChainedRoleToAssume]: CHAINED }), deps);
    expect(gateway.calls.map((c) => [c.action, c.params.durationSeconds])).toEqual([
      ['AssumeRoleWithWebIdentity', 900],
      ['AssumeRole', 3600],
    ]);
    expect(outcome).toMatchObject({ kind: 'refreshed', short: false });
  });

  test('keys and a role: AssumeRole for 3600 s (1200 s when asked), green', async () => {
    const { deps, gateway } = setup();
    const keys = { [Inputs.AwsAccessKeyId]: 'AKIAIOSFODNN7EXAMPLE', [Inputs.AwsSecretAccessKey]: 'secret/with+chars' };
    await guard(settingsOf({ ...noNeed, ...keys, [Inputs.RoleDurationSeconds]: '1200' }), deps);
    expect(gateway.calls.map((c) => [c.action, c.params.durationSeconds])).toEqual([['AssumeRole', 1200]]);
  });

  test('with expected-duration, a role-duration-seconds shorter than the need is an input error naming both', () => {
    expect(() => settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '1h', [Inputs.RoleDurationSeconds]: '3600' })).toThrow(
      /'role-duration-seconds' \(got "3600"\) is shorter than 'expected-duration' \(1h\) \+ 'safety-margin' \(5m\) = 1h5m.*at least 3900.*'expected-duration: 55m'/s,
    );
    expect(() => settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '55m', [Inputs.RoleDurationSeconds]: '3600' })).not.toThrow();
  });

  test('with expected-duration on a 1 h role: fail fast, the one-input fixes first, with values', async () => {
    const { deps, gateway } = setup();
    gateway.maxSessionSeconds = 3600;
    const error = await guard(settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '1h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toContain('has a maximum session of 1h (3600 s; 1h5m was refused)');
    expect(lines.slice(1, 4)).toEqual([
      'Fix, one of:',
      "  - 'expected-duration: 55m' if the work fits in what it gives after the 5m 'safety-margin'",
      expect.stringMatching(/^ {2}- 'keep-alive: true'/),
    ]);
    expect(lines[4]).toMatch(/^ {2}- raise the role's maximum/);
  });

  test('wrong keys without a role: the step fails at GetCallerIdentity naming the cause, and nothing is exported', async () => {
    const { toolkit, deps, gateway } = setup();
    gateway.failures.push(awsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403));
    const keys = { [Inputs.AwsAccessKeyId]: 'AKIAIOSFODNN7EXAMPLE', [Inputs.AwsSecretAccessKey]: 'wrong', [Inputs.AwsRegion]: 'eu-west-1' };
    await expect(guard(settingsOf({ ...keys, [Inputs.ExpectedDuration]: '' }), deps)).rejects.toThrow(/SignatureDoesNotMatch.*\n.*secret key of .* does not match its key ID/);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
  });

  test('keys without a role whose account is not allowed: refused after GetCallerIdentity, nothing exported', async () => {
    const { toolkit, deps } = setup();
    const keys = { [Inputs.AwsAccessKeyId]: 'AKIAIOSFODNN7EXAMPLE', [Inputs.AwsSecretAccessKey]: 's', [Inputs.AwsRegion]: 'eu-west-1' };
    await expect(guard(settingsOf({ ...keys, [Inputs.AllowedAccountIds]: '210987654321' }), deps)).rejects.toThrow(/210987654321/);
    expect(toolkit.exports).toEqual([]);
  });
});
