import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../src/main-step.js';
import { failureMessage } from '../../src/runner/toolkit.js';
import { markerValue } from '../../src/model/marker.js';
import { startCredentialServer, type CredentialServer, type ServerStatus } from '../../src/keepalive/credential-server.js';
import { openPrivateFolder, writePrivateFile, type ServerRecord } from '../../src/keepalive/files.js';
import { MISSING_PERMISSION_MESSAGE } from '../../src/oidc/id-token.js';
import { identityKey } from '../../src/settings/identity.js';
import { readSettings } from '../../src/settings/settings.js';
import { FakeToolkit, ROLE_ARN } from './fakes.js';

const TOKEN = 'main-step-auth-token';
const OTHER_ACCOUNT_ROLE = 'arn:aws:iam::210987654321:role/target';
const later = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
/** Keys as this action exports them: with the marker that binds their expiry to them. */
const ourKeys = (expiration: string, identity = 'some-identity') => ({
  AWS_ACCESS_KEY_ID: 'ASIAOURS',
  AWS_CREDENTIAL_EXPIRATION: expiration,
  AWS_SESSION_GUARD_SESSION: markerValue('ASIAOURS', { identity }),
});

let temp: string;
let server: CredentialServer | undefined;
let status: ServerStatus;
let statusCalls = 0;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'main-step-'));
  statusCalls = 0;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(temp, { recursive: true, force: true });
});

async function startServer(serverStatus: ServerStatus): Promise<CredentialServer> {
  status = serverStatus;
  server = await startCredentialServer({
    authToken: TOKEN,
    controlToken: 'control',
    proofKey: 'proof-key',
    available: () => ({ ok: false, reason: 'unused' }),
    status: () => {
      statusCalls++;
      return status;
    },
    expect: () => undefined,
    stop: () => undefined,
  });
  // The job's record of it, as its keep-alive step writes it: the proof key tells it from any other process on the port.
  const { paths } = openPrivateFolder({ RUNNER_TEMP: temp });
  const record: ServerRecord = { pid: 1, nonce: 'n', dir: paths.dir, endpoint: server.endpoint, controlToken: 'control', proofKey: 'proof-key', startedAt: 0, roleArn: ROLE_ARN, identity: serverStatus.identity };
  writePrivateFile(paths.record, JSON.stringify(record));
  return server;
}

const withRole = (toolkit: FakeToolkit, extra: Record<string, string> = {}) => {
  Object.assign(toolkit.inputs, { 'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1', 'expected-duration': '1h', ...extra });
  return readSettings((n) => toolkit.inputs[n] ?? '', {});
};

describe('runMain', () => {
  test('bad inputs: the step fails with every problem, before anything else', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['retry-max-attempts'] = '0';
    toolkit.inputs['expected-duration'] = 'soon';
    await runMain(toolkit, {});
    expect(toolkit.failed).toMatch(/^2 invalid inputs:/);
    expect(toolkit.failed).toContain("'retry-max-attempts'");
    expect(toolkit.failed).toContain("'expected-duration'");
    expect(toolkit.outputs).toEqual({});
  });

  test('a healthy session: outputs, no failure', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['expected-duration'] = '1h';
    await runMain(toolkit, ourKeys(later(5)));
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('unknown expiry and no role, with a stated need: the step fails with the shortfall message', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['expected-duration'] = '1h';
    await runMain(toolkit, {});
    expect(toolkit.failed).toContain("'role-to-assume'");
  });

  test('unknown expiry, no role and no stated need: nothing to check, said so, never called healthy', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, {});
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs).toEqual({ refreshed: 'false' });
    expect(toolkit.summary.join('')).toContain('Unchecked');
    expect(toolkit.summary.join('')).not.toContain('Healthy');
  });

  test('an expired session, no role and no stated need: the step fails', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, ourKeys(later(-1 / 60)));
    expect(toolkit.failed).toMatch(/^The current AWS session expired 1m/);
  });

  test('a container URI that is not ours falls through to the guard', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', ...ourKeys(later(5)) });
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('mask-aws-account-id: every named account is masked before the first line is printed (keep-alive path)', async () => {
    const toolkit = new FakeToolkit();
    withRole(toolkit, { 'chained-role-to-assume': OTHER_ACCOUNT_ROLE, 'mask-aws-account-id': 'true', 'keep-alive': 'true' });
    // The request token alone (GitHub OIDC, without its URL): refused before anything starts.
    await runMain(toolkit, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' });
    expect(toolkit.failed).toBe(MISSING_PERMISSION_MESSAGE);
    const calls = toolkit.calls.filter((c) => c.method !== 'getInput');
    expect(calls.slice(0, 2)).toEqual([
      { method: 'setSecret', args: ['123456789012'] },
      { method: 'setSecret', args: ['210987654321'] },
    ]);
  });

  test('mask-aws-account-id on the guard path: masked before the first info line', async () => {
    const toolkit = new FakeToolkit();
    const settings = withRole(toolkit, { 'mask-aws-account-id': 'true' });
    await runMain(toolkit, ourKeys(later(5), identityKey(settings)));
    expect(toolkit.failed).toBeUndefined();
    const calls = toolkit.calls.filter((c) => c.method !== 'getInput');
    expect(calls[0]).toEqual({ method: 'setSecret', args: ['123456789012'] });
    expect(toolkit.indexOf('info')).toBeGreaterThan(toolkit.indexOf('setSecret', '123456789012'));
  });

  test('without mask-aws-account-id nothing is masked up front', async () => {
    const toolkit = new FakeToolkit();
    const settings = withRole(toolkit);
    await runMain(toolkit, ourKeys(later(5), identityKey(settings)));
    expect(toolkit.secrets).toEqual([]);
  });

  test('our server, running for this identity: settled by the server, the guard never runs', async () => {
    const toolkit = new FakeToolkit();
    const settings = withRole(toolkit);
    const s = await startServer({ pid: 1, nonce: 'n', identity: identityKey(settings), refreshes: 1, served: 0, refused: 0, expectedUntil: 0, remainingSeconds: 40_000 });
    await runMain(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: s.endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp });
    expect(toolkit.failed).toBeUndefined();
    expect(statusCalls).toBe(1);
    expect(toolkit.outputs).toMatchObject({ refreshed: 'false', 'credentials-endpoint': s.endpoint, 'remaining-seconds': '40000' });
  });

  test('our server, running for another identity: said so, and the guard mints its own session', async () => {
    const toolkit = new FakeToolkit();
    withRole(toolkit);
    const assumed = 'arn:aws:sts::123456789012:assumed-role/other/s';
    const s = await startServer({ pid: 1, nonce: 'n', identity: 'another-identity', assumedRoleArn: assumed, refreshes: 1, served: 0, refused: 0, expectedUntil: 0 });
    await runMain(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: s.endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' });
    expect(toolkit.infos[0]).toBe(
      `The keep-alive credential server running in this job serves ${assumed}, not what this step asks for: ` +
        'this step mints its own session and exports static keys, which come before the server in every SDK chain.',
    );
    expect(toolkit.infos[1]).toBe(`The current AWS session expiry is unknown: no AWS keys are in the environment.`);
    // The guard tried to mint (the real minter, which needs the job's OIDC permission): not the server's session.
    expect(toolkit.failed).toMatch(/^MissingIdTokenPermission: The job cannot request a GitHub OIDC token/);
    expect(toolkit.outputs['refreshed']).toBeUndefined();
  });

  test('static keys beside our server: they are the session, the server is not asked', async () => {
    const toolkit = new FakeToolkit();
    const settings = withRole(toolkit);
    const s = await startServer({ pid: 1, nonce: 'n', identity: identityKey(settings), refreshes: 1, served: 0, refused: 0, expectedUntil: 0 });
    await runMain(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: s.endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, ...ourKeys(later(5), identityKey(settings)) });
    expect(statusCalls).toBe(0);
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs).toMatchObject({ refreshed: 'false' });
    expect(toolkit.outputs['credentials-endpoint']).toBeUndefined();
  });

  test('our URI with no server behind it: the step fails saying so', async () => {
    const toolkit = new FakeToolkit();
    withRole(toolkit);
    const s = await startServer({ pid: 1, nonce: 'n', identity: 'x', refreshes: 0, served: 0, refused: 0, expectedUntil: 0 });
    const endpoint = s.endpoint;
    await s.close();
    server = undefined;
    await runMain(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp });
    expect(toolkit.failed).toMatch(/^The keep-alive credential server at .* is not running/);
  });
});

describe('failureMessage', () => {
  test('Error message or string form', () => {
    expect(failureMessage(new Error('boom'))).toBe('boom');
    expect(failureMessage('text')).toBe('text');
    expect(failureMessage(42)).toBe('42');
  });
});

describe('runMain: source inputs', () => {
  test('keys given as inputs are masked first thing, before any other line, even when the settings are refused', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['aws-access-key-id'] = 'AKIAIOSFODNN7EXAMPLE';
    toolkit.inputs['aws-secret-access-key'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    toolkit.inputs['aws-session-token'] = 'IQoJb3JpZ2luX2VjEXAMPLE';
    toolkit.inputs['role-to-assume'] = 'not-an-arn';
    await runMain(toolkit, { RUNNER_TEMP: temp });
    expect(toolkit.failed).toMatch(/'role-to-assume'/);
    const firstOther = toolkit.calls.findIndex((c) => c.method !== 'getInput' && c.method !== 'setSecret');
    const masked = toolkit.calls.flatMap((c, i) => (c.method === 'setSecret' ? [{ i, v: c.args[0] }] : []));
    expect(masked.map((m) => m.v)).toEqual(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'IQoJb3JpZ2luX2VjEXAMPLE']);
    expect(Math.max(...masked.map((m) => m.i))).toBeLessThan(firstOther);
    expect(toolkit.failed).not.toContain('wJalrXUtnFEMI');
  });
});

describe('runMain: configure-aws-credentials inputs', () => {
  test('unset-current-credentials runs first, once the inputs are good: the guard then sees no session and mints', async () => {
    const toolkit = new FakeToolkit();
    const settings = withRole(toolkit, { 'unset-current-credentials': 'true' });
    const env: Record<string, string | undefined> = { ...ourKeys(later(5), identityKey(settings)) };
    await runMain(toolkit, env);
    expect(toolkit.calls.findIndex((c) => c.method === 'exportVariables')).toBeLessThan(toolkit.calls.findIndex((c) => c.method === 'info'));
    expect(toolkit.exports[0]?.['AWS_ACCESS_KEY_ID']).toBe('');
    expect(env['AWS_ACCESS_KEY_ID']).toBeUndefined();
    // without the ID-token permission it then fails to mint, with nothing else exported
    expect(toolkit.failed).toBeDefined();
    expect(toolkit.exports).toHaveLength(1);
  });

  test('unset-current-credentials with output-env-credentials: false clears nothing (as configure-aws-credentials)', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['unset-current-credentials'] = 'true';
    toolkit.inputs['output-env-credentials'] = 'false';
    await runMain(toolkit, ourKeys(later(5)));
    expect(toolkit.exports).toEqual([]);
  });

  test('an external ID and custom tags with OIDC alone: a warning that STS takes them on AssumeRole only', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['role-to-assume'] = ROLE_ARN;
    toolkit.inputs['aws-region'] = 'us-east-1';
    toolkit.inputs['role-external-id'] = 'ext-123';
    toolkit.inputs['custom-tags'] = '{"Team":"x"}';
    await runMain(toolkit, { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' });
    expect(toolkit.warnings[0]).toEqual({
      message: expect.stringMatching(/^'role-external-id', 'custom-tags' are ignored: STS takes an external ID and session tags on AssumeRole only/),
      title: 'Session tags not sent',
    });
  });

  test('an external ID with keys that sign AssumeRole: no warning; with keys and no role: ignored, and said so', async () => {
    const withKeys = new FakeToolkit();
    withKeys.inputs['role-to-assume'] = ROLE_ARN;
    withKeys.inputs['aws-region'] = 'us-east-1';
    withKeys.inputs['aws-access-key-id'] = 'AKIAIOSFODNN7EXAMPLE';
    withKeys.inputs['aws-secret-access-key'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    withKeys.inputs['role-external-id'] = 'ext-123';
    withKeys.inputs['action-timeout-s'] = '1';
    await runMain(withKeys, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    expect(withKeys.warnings.filter((w) => w.title === 'Session tags not sent')).toEqual([]);

    const noRole = new FakeToolkit();
    noRole.inputs['aws-access-key-id'] = 'AKIAIOSFODNN7EXAMPLE';
    noRole.inputs['aws-secret-access-key'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    noRole.inputs['role-external-id'] = 'ext-123';
    await runMain(noRole, {});
    expect(noRole.warnings.find((w) => w.title === 'Session tags not sent')?.message).toMatch(/^'role-external-id' is ignored: .* this configuration assumes no role\.$/);
  });

  test('action-timeout-s: a step that outlives it fails with the timeout message, not the abort', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['role-to-assume'] = ROLE_ARN;
    toolkit.inputs['aws-region'] = 'us-east-1';
    toolkit.inputs['action-timeout-s'] = '1';
    // An OIDC token endpoint that never answers: only the timeout can end the step.
    const { createServer } = await import('node:http');
    const hung = createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const port = (hung.address() as { port: number }).port;
    try {
      const started = Date.now();
      await runMain(toolkit, { ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?x=1`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(toolkit.failed).toMatch(/^'action-timeout-s': the step did not finish within 1 s and stopped; nothing was exported/);
      expect(toolkit.exports).toEqual([]);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  }, 10_000);
});
