import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverClient, type ServerClient } from '../../src/keepalive/client.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { openPrivateFolder, relativeUriDigest, writePrivateFile, type ServerRecord } from '../../src/keepalive/files.js';
import { startCredentialServer, type CredentialServer, type ServerStatus } from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';
import { checkRunningServer, isServerEndpoint } from '../../src/keepalive/status.js';
import { ShortSessionError } from '../../src/lifetime/shortfall.js';
import { identityKey } from '../../src/settings/identity.js';
import { readSettings } from '../../src/settings/settings.js';
import { FakeToolkit, ROLE_ARN } from './fakes.js';

const TOKEN = 'client-test-token';
const CONTROL = 'client-test-control-token';
const NOW = Date.parse('2026-05-01T10:00:00Z');
let server: CredentialServer | undefined;
let status: ServerStatus;
let available: Availability;
let stops = 0;
let temp: string;

const settings = (inputs: Record<string, string> = {}) => readSettings((n) => ({ 'expected-duration': '1h', ...inputs } as Record<string, string>)[n] ?? '', {});
const withRole = (inputs: Record<string, string> = {}) => settings({ 'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1', ...inputs });

beforeEach(async () => {
  temp = mkdtempSync(join(tmpdir(), 'client-status-'));
  stops = 0;
  status = {
    pid: 99,
    nonce: 'nonce-99',
    identity: identityKey(withRole()),
    refreshes: 1,
    served: 0,
    refused: 0,
    expectedUntil: 0,
    expiration: '2026-05-01T21:40:00Z',
    remainingSeconds: 42000,
  };
  available = {
    ok: true,
    credentials: { accessKeyId: 'A', secretAccessKey: 'S', token: 'T', expiresAt: NOW + 3600_000, accountId: '1', assumedRoleArn: 'r', lifetimeSeconds: 3600 },
  };
  server = await startCredentialServer({
    authToken: TOKEN,
    controlToken: CONTROL,
    available: () => available,
    status: () => status,
    expect: (until) => {
      status = { ...status, expectedUntil: until };
    },
    stop: () => void stops++,
  });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(temp, { recursive: true, force: true });
});

const endpoint = () => (server as CredentialServer).endpoint;
const envOf = (extra: Record<string, string> = {}) => ({
  AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint(),
  AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN,
  RUNNER_TEMP: temp,
  ...extra,
});
const record = (over: Partial<ServerRecord> = {}): ServerRecord => ({
  pid: 4321,
  start: '1',
  nonce: 'nonce-99',
  dir: join(temp, 'aws-session-guard'),
  ...(over.endpoint === undefined && { endpoint: endpoint() }),
  controlToken: CONTROL,
  startedAt: NOW,
  roleArn: ROLE_ARN,
  identity: identityKey(withRole()),
  ...over,
});
const writeRecord = (r: ServerRecord) => writePrivateFile(openPrivateFolder({ RUNNER_TEMP: temp }).paths.record, JSON.stringify(r));

describe('serverClient', () => {
  test('status, probe with the auth token; expect and stop with the control token', async () => {
    const client = serverClient(endpoint(), TOKEN);
    expect(await client.status()).toMatchObject({ pid: 99, nonce: 'nonce-99' });
    expect(await client.probeCredentials()).toEqual({ status: 200, expiration: '2026-05-01T11:00:00Z' });
    const control = serverClient(endpoint(), CONTROL);
    expect(await control.status()).toMatchObject({ pid: 99 });
    expect(await control.expect(12345)).toMatchObject({ expectedUntil: 12345 });
    expect(await control.stop()).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(stops).toBe(1);
  });

  test('the auth token cannot control: expect undefined, stop false', async () => {
    const client = serverClient(endpoint(), TOKEN);
    expect(await client.expect(1)).toBeUndefined();
    expect(await client.stop()).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(stops).toBe(0);
  });

  test('a probe of an unavailable server returns the status and the message', async () => {
    available = { ok: false, reason: 'gone' };
    expect(await serverClient(endpoint(), TOKEN).probeCredentials()).toEqual({ status: 503, message: 'gone' });
  });

  test('a wrong token: no status, 403 probe, stop false', async () => {
    const client = serverClient(endpoint(), 'wrong');
    expect(await client.status()).toBeUndefined();
    expect((await client.probeCredentials()).status).toBe(403);
    expect(await client.expect(1)).toBeUndefined();
    expect(await client.stop()).toBe(false);
  });

  test('nothing listening: undefined / status 0 / false', async () => {
    const e = endpoint();
    await server?.close();
    server = undefined;
    const client = serverClient(e, TOKEN, 500);
    expect(await client.status()).toBeUndefined();
    expect(await client.probeCredentials()).toEqual({ status: 0, message: 'no answer' });
    expect(await client.stop()).toBe(false);
  });
});

describe('isServerEndpoint', () => {
  test.each([
    ['http://127.0.0.1:4321/credentials', true],
    ['http://127.0.0.1/credentials', false],
    ['http://127.0.0.1:4321/v1/credentials', false],
    ['https://127.0.0.1:4321/credentials', false],
    ['http://localhost:4321/credentials', false],
    ['http://127.0.0.1:4321/credentials?x=1', false],
    ['http://169.254.170.23/v1/credentials', false],
    ['not a url', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (uri, expected) => {
    expect(isServerEndpoint(uri)).toBe(expected);
  });
});

describe('checkRunningServer', () => {
  test('a URI that is not ours: none, nothing done', async () => {
    const toolkit = new FakeToolkit();
    const r = await checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', RUNNER_TEMP: temp }, settings());
    expect(r).toEqual({ kind: 'none' });
    expect(toolkit.calls).toEqual([]);
  });

  test('no container URI at all: none, nothing done', async () => {
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, { RUNNER_TEMP: temp }, settings(), () => NOW)).toEqual({ kind: 'none' });
    expect(toolkit.calls).toEqual([]);
  });

  test.each([
    ['another path', (port: number) => `http://127.0.0.1:${port}/v1/credentials`],
    ['https', (port: number) => `https://127.0.0.1:${port}/credentials`],
    ['another loopback name', (port: number) => `http://localhost:${port}/credentials`],
  ])('a loopback URI this action never exports (%s): none, nothing done', async (_label, uri) => {
    const toolkit = new FakeToolkit();
    const env = envOf({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri((server as CredentialServer).port) });
    expect(await checkRunningServer(toolkit, env, withRole(), () => NOW)).toEqual({ kind: 'none' });
    expect(toolkit.calls).toEqual([]);
  });

  test('our server, for this identity, with enough cover: settled, outputs, healthy summary', async () => {
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.outputs).toEqual({ refreshed: 'false', expiration: '2026-05-01T21:40:00Z', 'remaining-seconds': '42000', 'credentials-endpoint': endpoint() });
    expect(toolkit.infos).toEqual([
      `The keep-alive credential server (${endpoint()}) is running and renews credentials ahead of expiry; the current session has 11h40m left. Nothing to do.`,
    ]);
    expect(toolkit.summary).toEqual(['- **aws-session-guard** 10:00:00Z: remaining 11h40m, need 1h5m. Healthy: the keep-alive credential server is running.\n']);
    expect(toolkit.warnings).toEqual([]);
  });

  test('the same identity with another work length is still this step\'s server', async () => {
    expect(await checkRunningServer(new FakeToolkit(), envOf(), withRole({ 'expected-duration': '2h' }), () => NOW)).toEqual({ kind: 'settled' });
  });

  test.each([
    ['another role', { 'role-to-assume': 'arn:aws:iam::123456789012:role/other' }],
    ['another account', { 'role-to-assume': 'arn:aws:iam::210987654321:role/deploy' }],
    ['another region', { 'aws-region': 'us-east-1' }],
    ['another session policy', { 'inline-session-policy': '{"Version":"2012-10-17","Statement":[]}' }],
  ])('a server minting for %s is never called healthy for this step: other-identity, nothing said or set', async (_label, inputs) => {
    status = { ...status, assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s' };
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(inputs), () => NOW)).toEqual({
      kind: 'other-identity',
      serves: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
    });
    expect(toolkit.calls).toEqual([]);
  });

  test('other-identity names the record\'s role when the server has no session yet, else "another role"', async () => {
    writeRecord(record({ roleArn: 'arn:aws:iam::123456789012:role/recorded' }));
    const other = withRole({ 'aws-region': 'us-east-1' });
    expect(await checkRunningServer(new FakeToolkit(), envOf(), other, () => NOW)).toEqual({ kind: 'other-identity', serves: 'arn:aws:iam::123456789012:role/recorded' });
    rmSync(join(temp, 'aws-session-guard'), { recursive: true });
    expect(await checkRunningServer(new FakeToolkit(), envOf(), other, () => NOW)).toEqual({ kind: 'other-identity', serves: 'another role' });
  });

  test('a guard without role-to-assume names no identity: the running server is its session', async () => {
    expect(await checkRunningServer(new FakeToolkit(), envOf(), settings(), () => NOW)).toEqual({ kind: 'settled' });
  });

  test('cover exactly the need: healthy, no warning', async () => {
    status = { ...status, coverUntil: NOW + 3900_000 };
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.summary.join('')).toContain('Healthy');
  });

  test('cover too short: ShortSessionError naming the cover and why; the summary says Failed, with the remaining time', async () => {
    status = { ...status, coverUntil: NOW + 1800_000, maxSessionSeconds: 3600 };
    const failing = new FakeToolkit();
    const error = await checkRunningServer(failing, envOf(), withRole(), () => NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toBe(
      'The job can keep AWS credentials coming for 30m more (until about 2026-05-01T10:30:00.000Z), but the work needs 1h5m ' +
        "(1h expected-duration + 5m safety-margin = 1h5m): the OIDC request token expires, and the role's sessions last at most 1h.\n" +
        "Fix, one of:\n  - 'expected-duration: 25m' if the work fits in that after the 5m 'safety-margin'\n  - split the work across jobs (each job gets a new OIDC request token)",
    );
    expect(failing.summary.join('')).toContain('remaining 11h40m, need 1h5m. **Failed**: The job can keep AWS credentials coming for 30m more');
    expect(failing.outputs).toMatchObject({ refreshed: 'false', 'remaining-seconds': '42000' });
  });

  test('cover too short without fail-on-short-session: a warning, the summary says Warned, settled', async () => {
    status = { ...status, coverUntil: NOW + 1800_000 };
    const warned = new FakeToolkit();
    expect(await checkRunningServer(warned, envOf(), withRole({ 'fail-on-short-session': 'false' }), () => NOW)).toEqual({ kind: 'settled' });
    expect(warned.warnings).toHaveLength(1);
    expect(warned.warnings[0]?.title).toBe('AWS credentials will not last');
    expect(warned.warnings[0]?.message).toMatch(/^The job can keep AWS credentials coming for 30m more/);
    expect(warned.summary.join('')).toContain('Warned: The job can keep AWS credentials coming for 30m more');
    expect(warned.infos).toEqual([]);
  });

  test('a failing refresh is a warning in this step, naming the error; still settled while the session lasts', async () => {
    status = { ...status, lastError: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity' };
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.warnings).toEqual([
      {
        message:
          "The keep-alive credential server's last refresh failed: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity. " +
          'It keeps serving the current session while it is valid and retries with backoff.',
        title: 'Credential server refresh failing',
      },
    ]);
    expect(toolkit.summary.join('')).toContain('Healthy');
  });

  test('a status without expiry: only the outputs it has', async () => {
    status = { pid: 99, nonce: 'n', identity: identityKey(withRole()), refreshes: 3, served: 0, refused: 0, expectedUntil: 0 };
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.outputs).toEqual({ refreshed: 'false', 'credentials-endpoint': endpoint() });
    expect(toolkit.summary).toEqual(['- **aws-session-guard** 10:00:00Z: remaining unknown, need 1h5m. Healthy: the keep-alive credential server is running.\n']);
  });

  test('our URI but no server: a clear error and a Failed summary line', async () => {
    const e = endpoint();
    await server?.close();
    server = undefined;
    const toolkit = new FakeToolkit();
    await expect(
      checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: e, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp }, withRole(), () => NOW),
    ).rejects.toThrow(/is not running: it left no log.*keep-alive: true/s);
    expect(toolkit.summary.join('')).toContain('**Failed**');
    expect(toolkit.outputs).toEqual({});
  });

  test('no token in the environment: the control token from the record for this endpoint is used', async () => {
    writeRecord(record());
    const toolkit = new FakeToolkit();
    const { AWS_CONTAINER_AUTHORIZATION_TOKEN: _t, ...noToken } = envOf();
    expect(await checkRunningServer(toolkit, noToken, withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('no token in the environment and a record for another endpoint: its token is not sent there', async () => {
    writeRecord(record({ endpoint: 'http://127.0.0.1:1/credentials' }));
    const tokens: string[] = [];
    const clientOf = (e: string, token: string): ServerClient => {
      tokens.push(token);
      return serverClient(e, token);
    };
    const { AWS_CONTAINER_AUTHORIZATION_TOKEN: _t, ...noToken } = envOf();
    await expect(checkRunningServer(new FakeToolkit(), noToken, withRole(), () => NOW, clientOf)).rejects.toThrow(/is not running/);
    expect(tokens).toEqual(['']);
  });

  test('no token anywhere: the server refuses, reported as not running', async () => {
    await expect(checkRunningServer(new FakeToolkit(), { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint(), RUNNER_TEMP: temp }, withRole(), () => NOW)).rejects.toThrow(
      /is not running/,
    );
  });

  test('our URI, no server, a record and a log: the pid and the last event are named', async () => {
    const e = endpoint();
    await server?.close();
    server = undefined;
    writeRecord(record({ endpoint: e }));
    fileEventLog(join(temp, 'aws-session-guard', 'server-log.jsonl'), () => NOW - 60_000).write({ type: 'crashed', reason: 'unhandledRejection: Error: boom' });
    const toolkit = new FakeToolkit();
    await expect(checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: e, RUNNER_TEMP: temp }, withRole(), () => NOW)).rejects.toThrow(
      `The keep-alive credential server at ${e} (pid 4321) is not running: it crashed at 2026-05-01T09:59:00.000Z (unhandledRejection: Error: boom). ` +
        'Later steps get no AWS credentials from it.',
    );
    expect(toolkit.outputs).toEqual({});
  });

  test('a keep-alive folder planted as a symlink is not read: no record, no log', async () => {
    const e = endpoint();
    await server?.close();
    server = undefined;
    const elsewhere = join(temp, 'elsewhere');
    mkdirSync(elsewhere);
    writePrivateFile(join(elsewhere, 'server.json'), JSON.stringify(record({ endpoint: e })));
    fileEventLog(join(elsewhere, 'server-log.jsonl'), () => NOW).write({ type: 'stopped', reason: 'planted', served: 0, refused: 0 });
    symlinkSync(elsewhere, join(temp, 'aws-session-guard'));
    await expect(checkRunningServer(new FakeToolkit(), { AWS_CONTAINER_CREDENTIALS_FULL_URI: e, RUNNER_TEMP: temp }, withRole(), () => NOW)).rejects.toThrow(
      `The keep-alive credential server at ${e} is not running: it left no log.`,
    );
  });
});

describe('checkRunningServer after serve-containers (relative URI, no full URI)', () => {
  const RELATIVE = '/v2/credentials/c2VjcmV0LXBhdGgtMjU2LWJpdHMtb2YtcmFuZG9tbmVzcw';
  const relEnv = (uri = RELATIVE) => ({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: uri, AWS_CONTAINER_CREDENTIALS_FULL_URI: '', RUNNER_TEMP: temp });

  test('ours (the record holds its digest): asked on loopback with the control token, settled', async () => {
    writeRecord(record({ relativeUriDigest: relativeUriDigest(RELATIVE) }));
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, relEnv(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('not ours (ECS, CodeBuild, another path), or no record: none, nothing done', async () => {
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, relEnv(), withRole(), () => NOW)).toEqual({ kind: 'none' });
    writeRecord(record({ relativeUriDigest: relativeUriDigest(RELATIVE) }));
    expect(await checkRunningServer(toolkit, relEnv('/v2/credentials/from-ecs'), withRole(), () => NOW)).toEqual({ kind: 'none' });
    writeRecord(record());
    expect(await checkRunningServer(toolkit, relEnv(), withRole(), () => NOW)).toEqual({ kind: 'none' });
    expect(toolkit.calls).toEqual([]);
  });
});
