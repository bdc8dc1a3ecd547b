/**
 * The healthy shortcut: a later guard step whose configuration is the one that
 * minted the session keeps it without reading its settings
 * (guard/healthy.ts), and says exactly what the full path would say; any
 * other step goes to the full path (main-step.ts).
 */
import { describe, test, expect } from '@jest/globals';
import { Inputs, PerStepEnvNames, PresenceOnlyEnvNames, SettingsEnvNames, type InputName } from '../../src/constants.js';
import { markerValue, parseMarker } from '../../src/model/marker.js';
import { keepableSession, keepHealthySession } from '../../src/guard/healthy.js';
import { healthyShortcutAllowed, mintedBy } from '../../src/guard/shortcut.js';
import { runMain } from '../../src/main-step.js';
import { run } from '../../src/main-run.js';
import { NEED_INPUTS } from '../../src/settings/need.js';
import { readSettings } from '../../src/settings/settings.js';
import { settingsEnv, stepFingerprint } from '../../src/settings/step-config.js';
import { FakeToolkit, ROLE_ARN } from './fakes.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const KEY = 'ASIAMINTEDKEY0000001';
const JOB_ENV: Record<string, string> = {
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_WORKFLOW: 'Deploy',
  GITHUB_ACTION: '__run_2',
  GITHUB_ACTOR: 'octocat',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_RUN_ID: '1234567',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'deploy',
  GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token-of-the-job',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/token',
};
const MINTING_INPUTS: Record<string, string> = { 'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1', 'expected-duration': '3h' };

/** The env after a step with `inputs` minted a session ending in `hours` (what refresh.ts exports, as far as the marker goes). */
function mintedEnv(inputs: Record<string, string> = MINTING_INPUTS, hours = 4, env: Record<string, string> = JOB_ENV): Record<string, string | undefined> {
  const getInput = (n: InputName) => inputs[n] ?? '';
  const settings = readSettings(getInput, settingsEnv(env));
  return {
    ...env,
    AWS_ACCESS_KEY_ID: KEY,
    AWS_SECRET_ACCESS_KEY: 'minted-secret',
    AWS_SESSION_TOKEN: 'minted-token',
    AWS_CREDENTIAL_EXPIRATION: new Date(NOW + hours * 3600_000).toISOString(),
    AWS_SESSION_GUARD_SESSION: markerValue(KEY, mintedBy(settings)),
  };
}

const stepWith = (inputs: Record<string, string>): FakeToolkit => {
  const toolkit = new FakeToolkit();
  Object.assign(toolkit.inputs, inputs);
  return toolkit;
};
const LATER_STEP: Record<string, string> = { ...MINTING_INPUTS, 'expected-duration': '2h', 'safety-margin': '10m' };
const keeps = (inputs: Record<string, string>, env: Record<string, string | undefined>): boolean =>
  keepableSession({ toolkit: stepWith(inputs), env, clock: () => NOW }) !== undefined;

describe('keepHealthySession: the step that minted the session recorded this configuration', () => {
  test('a later step with other need inputs keeps the session, and says exactly what the full path says', async () => {
    const env = mintedEnv();
    const fast = stepWith(LATER_STEP);
    expect(keepHealthySession({ toolkit: fast, env: { ...env }, clock: () => NOW })).toBe(true);

    // The full path in the same situation.
    const full = stepWith(LATER_STEP);
    await runMain(full, { ...env }, () => NOW);
    expect(full.failed).toBeUndefined();
    expect(fast.outputs['refreshed']).toBe('false');
    expect(Object.keys(fast.outputs)).toEqual(Object.keys(full.outputs));
    expect(fast.outputs['expiration']).toBe(full.outputs['expiration']);
    const said = (t: FakeToolkit) => t.calls.filter((c) => c.method !== 'getInput');
    expect(said(fast)).toEqual(said(full));
    expect(fast.infos[0]).toContain('the work needs 2h10m (2h expected-duration + 10m safety-margin = 2h10m). Nothing to do.');
    expect(fast.outputs['remaining-seconds']).toBe(String(4 * 3600));
    expect(fast.summary[0]).toContain('remaining 4h, need 2h10m. Healthy: kept the current session.');
  });

  test('run(): the shortcut, else the full path', async () => {
    const env = mintedEnv();
    const kept = stepWith(LATER_STEP);
    await run(kept, { ...env }, () => NOW);
    expect(kept.outputs['refreshed']).toBe('false');
    const bad = stepWith({ ...LATER_STEP, 'expected-duration': '2 hours' });
    await run(bad, { ...env }, () => NOW);
    expect(bad.failed).toContain("'expected-duration' (got \"2 hours\") is not a duration");
  });

  test('run(): a failure while keeping the session fails the step with its message, and the full path does not run', async () => {
    class BrokenOutputs extends FakeToolkit {
      override setOutput(): void {
        throw new Error('GITHUB_OUTPUT: EACCES');
      }
    }
    const broken = new BrokenOutputs();
    Object.assign(broken.inputs, LATER_STEP);
    await run(broken, { ...mintedEnv() }, () => NOW);
    expect(broken.failed).toBe('GITHUB_OUTPUT: EACCES');
    expect(broken.calls.filter((c) => c.method === 'setFailed')).toHaveLength(1);
    // The shortcut reads role-to-assume once (the fingerprint); the full path would read it again: it never ran.
    expect(broken.calls.filter((c) => c.method === 'getInput' && c.args[0] === Inputs.RoleToAssume)).toHaveLength(1);
  });

  test('the marker records the step only where the shortcut is allowed', () => {
    expect(parseMarker(mintedEnv()['AWS_SESSION_GUARD_SESSION'])?.step).toBe(stepFingerprint((n) => MINTING_INPUTS[n] ?? '', JOB_ENV));
    expect(parseMarker(mintedEnv({ ...MINTING_INPUTS, 'keep-alive': 'true' })['AWS_SESSION_GUARD_SESSION'])?.step).toBeUndefined();
  });
});

describe('keepableSession: anything else goes to the full path', () => {
  const env = mintedEnv();

  test('the same configuration keeps it (control for every case below)', () => {
    expect(keeps(LATER_STEP, env)).toBe(true);
  });

  const others = Object.values(Inputs).filter((name) => !NEED_INPUTS.includes(name));
  test.each(others)('another value of %s', (name) => {
    expect(keeps({ ...LATER_STEP, [name]: `${LATER_STEP[name] ?? ''}x` }, env)).toBe(false);
  });

  const vars = SettingsEnvNames.filter((name) => !PerStepEnvNames.includes(name));
  test.each(vars.filter((name) => !PresenceOnlyEnvNames.includes(name)))('another value of %s', (name) => {
    expect(keeps(LATER_STEP, { ...env, [name]: `${env[name] ?? ''}x-other` })).toBe(false);
  });
  test.each(vars)('%s unset', (name) => {
    if (env[name] === undefined) return expect(keeps(LATER_STEP, { ...env, [name]: '' })).toBe(false);
    const without = { ...env };
    delete without[name];
    expect(keeps(LATER_STEP, without)).toBe(false);
  });

  test('the variable that names the step, and the value of the ID-token request token, do not count', () => {
    expect(keeps(LATER_STEP, { ...env, GITHUB_ACTION: '__run_7' })).toBe(true);
    expect(keeps(LATER_STEP, { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'another-token-same-job' })).toBe(true);
  });

  test('other keys (swapped by another step), or no keys', () => {
    expect(keeps(LATER_STEP, { ...env, AWS_ACCESS_KEY_ID: 'ASIASWAPPEDKEY000001' })).toBe(false);
    expect(keeps(LATER_STEP, { ...env, AWS_ACCESS_KEY_ID: '' })).toBe(false);
  });

  test('a marker without the step, a broken one, or none', () => {
    const marker = parseMarker(env['AWS_SESSION_GUARD_SESSION']);
    expect(marker).toBeDefined();
    expect(keeps(LATER_STEP, { ...env, AWS_SESSION_GUARD_SESSION: markerValue(KEY, { identity: marker?.identity ?? '' }) })).toBe(false);
    expect(keeps(LATER_STEP, { ...env, AWS_SESSION_GUARD_SESSION: 'v1:garbage' })).toBe(false);
    expect(keeps(LATER_STEP, { ...env, AWS_SESSION_GUARD_SESSION: undefined })).toBe(false);
  });

  test('the expiry removed or not a time', () => {
    expect(keeps(LATER_STEP, { ...env, AWS_CREDENTIAL_EXPIRATION: '' })).toBe(false);
    expect(keeps(LATER_STEP, { ...env, AWS_CREDENTIAL_EXPIRATION: 'soon' })).toBe(false);
  });

  test('a session too short for this step, or expired', () => {
    expect(keeps({ ...LATER_STEP, 'expected-duration': '3h50m' }, env)).toBe(true);
    expect(keeps({ ...LATER_STEP, 'expected-duration': '3h51m' }, env)).toBe(false);
    expect(keeps(LATER_STEP, mintedEnv(MINTING_INPUTS, -1))).toBe(false);
  });

  test.each([
    ['expected-duration', '2 hours'],
    ['expected-duration', '0'],
    ['expected-duration', '6d'],
    ['safety-margin', '7h'],
    ['safety-margin', 'soon'],
  ])('%s "%s", for the full path to report', (name, value) => {
    expect(keeps({ ...LATER_STEP, [name]: value }, env)).toBe(false);
  });
});

describe('healthyShortcutAllowed: only where the full healthy path does nothing but report', () => {
  const allowed = (inputs: Record<string, string>, env: Record<string, string> = JOB_ENV): boolean =>
    healthyShortcutAllowed(readSettings((n) => ({ ...MINTING_INPUTS, ...inputs })[n] ?? '', settingsEnv(env)));

  test('a GitHub OIDC configuration (control)', () => {
    expect(allowed({})).toBe(true);
    expect(allowed({ 'http-proxy': 'http://proxy.internal:3128' })).toBe(true);
  });

  test.each([
    ['keep-alive', { 'keep-alive': 'true' }],
    ['output-credentials (the healthy path outputs the keys)', { 'output-credentials': 'true' }],
    ['unset-current-credentials', { 'unset-current-credentials': 'true' }],
    ['output-env-credentials: false (no marker at all)', { 'output-env-credentials': 'false' }],
    ['mask-aws-account-id (masks to register)', { 'mask-aws-account-id': 'true' }],
    ['a proxy password (a mask to register)', { 'http-proxy': 'http://user:pw@proxy.internal:3128' }],
    ['the expiration input', { expiration: '2026-11-29T18:00:00Z' }],
    ['an AssumeRole-only input with OIDC (a warning to repeat)', { 'role-external-id': 'ext-id' }],
    ['keys as the source', { 'aws-access-key-id': 'AKIAEXAMPLEEXAMPLE00', 'aws-secret-access-key': 'secret' }],
    ['the credentials in place as the source', { 'role-chaining': 'true' }],
  ])('not with %s', (_label, inputs) => {
    expect(allowed(inputs)).toBe(false);
  });

  test('not without the id-token permission (the credentials in place are the source)', () => {
    const env = { ...JOB_ENV };
    delete env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    expect(allowed({}, env)).toBe(false);
  });
});

describe('settingsEnv and the fingerprint', () => {
  test('readSettings reads no variable outside SettingsEnvNames, in any configuration', () => {
    const read = new Set<string>();
    const recording = new Proxy({ ...JOB_ENV, HTTPS_PROXY: 'http://proxy.internal:3128', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/creds' }, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return (target as Record<string, string>)[name as string];
      },
    });
    const configurations: Array<Record<string, string>> = [
      MINTING_INPUTS,
      { ...MINTING_INPUTS, 'web-identity-token-file': 'token', 'role-session-name': '' },
      { ...MINTING_INPUTS, 'aws-access-key-id': 'AKIAEXAMPLEEXAMPLE00', 'aws-secret-access-key': 's', 'custom-tags': '{"Team":"infra"}', 'role-external-id': 'x' },
      { ...MINTING_INPUTS, 'role-chaining': 'true', 'no-proxy': '.internal' },
      { ...MINTING_INPUTS, 'force-skip-oidc': 'true', 'keep-alive': 'true', 'serve-containers': 'true' },
      { 'aws-access-key-id': 'AKIAEXAMPLEEXAMPLE00', 'aws-secret-access-key': 's', 'aws-region': 'eu-west-1' },
    ];
    for (const inputs of configurations) {
      try {
        readSettings((n) => inputs[n] ?? '', recording, () => undefined);
      } catch {
        // Problems are fine here: what counts is what was read.
      }
    }
    expect(read.size).toBeGreaterThan(5);
    expect([...read].filter((name) => !(SettingsEnvNames as readonly string[]).includes(name))).toEqual([]);
  });

  test('settingsEnv: the named variables only, and the request token as set or not', () => {
    const picked = settingsEnv({ ...JOB_ENV, AWS_ACCESS_KEY_ID: 'AKIA', INPUT_X: 'y' });
    expect(picked).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(picked).not.toHaveProperty('ACTIONS_ID_TOKEN_REQUEST_URL');
    expect(picked.GITHUB_REPOSITORY).toBe('octo-org/octo-repo');
    expect(picked.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe('set');
    expect(JSON.stringify(picked)).not.toContain('request-token-of-the-job');
    expect(settingsEnv({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' }).ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe('');
  });

  test('the fingerprint tells an unset variable from an empty one, and an input from a variable', () => {
    const none = (_: InputName) => '';
    expect(stepFingerprint(none, {})).not.toBe(stepFingerprint(none, { HTTPS_PROXY: '' }));
    expect(stepFingerprint(none, {})).toBe(stepFingerprint(none, { UNRELATED: 'x' }));
    expect(stepFingerprint((n) => (n === Inputs.RoleToAssume ? 'a' : ''), {})).not.toBe(stepFingerprint((n) => (n === Inputs.AwsRegion ? 'a' : ''), {}));
  });
});
