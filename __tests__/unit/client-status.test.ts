import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serverClient, type ServerClient } from '../../src/keepalive/client.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { openPrivateFolder, relativeUriDigest, writePrivateFile, type ServerRecord } from '../../src/keepalive/files.js';
import { startCredentialServer, type CredentialServer, type ServerStatus } from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';
import { checkRunningServer, isServerEndpoint } from '../../src/keepalive/status.js';
import { ShortSessionError } from '../../src/report/shortfall.js';
import { identityKey } from '../../src/settings/identity.js';
import { readSettings } from '../../src/settings/settings.js';
import { FakeToolkit, ROLE_ARN } from './fakes.js';

const TOKEN = 'client-test-token';
const CONTROL = 'client-test-control-token';
const PROOF = 'client-test-proof-key';
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
    expiration: NOW + 3600_000,
    credentials: { accessKeyId: 'A', secretAccessKey: 'S', token: 'T', expiresAt: NOW + 3600_000, expiration: NOW + 3600_000, monoExpiresAt: NOW + 3600_000, accountId: '1', assumedRoleArn: 'r', lifetimeSeconds: 3600 },
  };
  server = await startCredentialServer({
    authToken: TOKEN,
    controlToken: CONTROL,
    proofKey: PROOF,
    available: () => available,
    status: () => status,
    expect: (until) => {
      status = { ...status, expectedUntil: until };
    },
    stop: () => void stops++,
  });
  // The job's record of its server: the proof key is what tells it from any other process on its port.
  writeRecord(record());
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
  proofKey: PROOF,
  startedAt: NOW,
  roleArn: ROLE_ARN,
  identity: identityKey(withRole()),
  ...over,
});
const writeRecord = (r: ServerRecord) => writePrivateFile(openPrivateFolder({ RUNNER_TEMP: temp }).paths.record, JSON.stringify(r));

describe('serverClient', () => {
  test('status, probe with the auth token; expect and stop with the control token', async () => {
    const client = serverClient(endpoint(), TOKEN, PROOF);
    expect(await client.status()).toMatchObject({ pid: 99, nonce: 'nonce-99' });
    expect(await client.probeCredentials()).toEqual({ status: 200, expiration: '2026-05-01T11:00:00Z' });
    const control = serverClient(endpoint(), CONTROL, PROOF);
    expect(await control.status()).toMatchObject({ pid: 99 });
    expect(await control.expect(12345)).toMatchObject({ expectedUntil: 12345 });
    expect(await control.stop()).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(stops).toBe(1);
  });

  test('the auth token cannot control: expect undefined, stop false', async () => {
    const client = serverClient(endpoint(), TOKEN, PROOF);
    expect(await client.expect(1)).toBeUndefined();
    expect(await client.stop()).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(stops).toBe(0);
  });

  test('a probe of an unavailable server returns the status and the message', async () => {
    available = { ok: false, reason: 'gone' };
    expect(await serverClient(endpoint(), TOKEN, PROOF).probeCredentials()).toEqual({ status: 503, message: 'gone' });
  });

  test('a wrong token: no status, 403 probe, stop false', async () => {
    const client = serverClient(endpoint(), 'wrong', PROOF);
    expect(await client.status()).toBeUndefined();
    expect((await client.probeCredentials()).status).toBe(403);
    expect(await client.expect(1)).toBeUndefined();
    expect(await client.stop()).toBe(false);
  });

  test('nothing listening: undefined / status 0 / false', async () => {
    const e = endpoint();
    await server?.close();
    server = undefined;
    const client = serverClient(e, TOKEN, PROOF, 500);
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
    writeRecord(record({ roleArn: '' }));
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

  test('a server whose session is over and that cannot mint: an error naming why, a Failed summary, never healthy', async () => {
    status = {
      ...status,
      remainingSeconds: -10,
      unavailable: 'The current session has expired and no new one could be minted yet (last error: ServiceUnavailable: down).',
      lastError: 'ServiceUnavailable: down',
    };
    const toolkit = new FakeToolkit();
    const error = await checkRunningServer(toolkit, envOf(), withRole({ 'fail-on-short-session': 'false' }), () => NOW).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^The keep-alive credential server \(pid 99\) serves no AWS credentials now: The current session has expired and no new one could be minted yet \(last error: ServiceUnavailable: down\)\./,
    );
    expect(toolkit.summary.join('')).toContain('**Failed**: the keep-alive credential server serves no credentials now.');
    expect(toolkit.summary.join('')).not.toContain('Healthy');
    expect(toolkit.infos.join('')).not.toContain('Nothing to do');
  });

  test('an older server that only says its remaining time is negative: the same failure', async () => {
    status = { ...status, remainingSeconds: -10 };
    const toolkit = new FakeToolkit();
    await expect(checkRunningServer(toolkit, envOf(), settings(), () => NOW)).rejects.toThrow(/serves no AWS credentials now: its session ended 10s ago/);
    expect(toolkit.summary.join('')).not.toContain('Healthy');
  });

  test('refreshes failing and a session shorter than the need: a shortfall naming the error, not healthy', async () => {
    status = { ...status, remainingSeconds: 600, lastError: 'AccessDenied: no' };
    const toolkit = new FakeToolkit();
    const error = await checkRunningServer(toolkit, envOf(), withRole(), () => NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toMatch(/refreshes are failing \(AccessDenied: no\), and its current session has 10m left, but the work needs 1h5m/);
    expect(toolkit.summary.join('')).not.toContain('Healthy');
  });

  test('the cover is read as seconds from the server\'s now, not as a date on this step\'s clock', async () => {
    // The server's wall clock is 2 h ahead of this step's: its date says plenty, its seconds say 30 min.
    status = { ...status, coverUntil: NOW + 2 * 3600_000 + 1800_000, coverSeconds: 1800 };
    await expect(checkRunningServer(new FakeToolkit(), envOf(), withRole(), () => NOW)).rejects.toThrow(/coming for 30m more/);
    // ... and 2 h behind: its date has passed, its seconds say 5 h.
    status = { ...status, coverUntil: NOW - 3600_000, coverSeconds: 5 * 3600 };
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, envOf(), withRole(), () => NOW)).toEqual({ kind: 'settled' });
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

  test('no token in the environment and a record for another endpoint: no token is sent there, and what answers is not the job\'s', async () => {
    writeRecord(record({ endpoint: 'http://127.0.0.1:1/credentials' }));
    const tokens: string[] = [];
    const clientOf = (e: string, token: string): ServerClient => {
      tokens.push(token);
      return serverClient(e, token, undefined);
    };
    const { AWS_CONTAINER_AUTHORIZATION_TOKEN: _t, ...noToken } = envOf();
    // Changed (issue 20): a server the job holds no record of cannot prove it is the job's, so it is not believed.
    await expect(checkRunningServer(new FakeToolkit(), noToken, withRole(), () => NOW, clientOf)).rejects.toThrow(
      `The process listening on 127.0.0.1:${(server as CredentialServer).port} is not this job's credential server: this job's keep-alive folder holds no record of a server there`,
    );
    expect(tokens).toEqual(['']);
    expect(server?.counts.unauthorized).toBe(0); // not even the empty token reached /status
  });

  test('no token anywhere: the server refuses, reported as not running', async () => {
    writeRecord(record({ controlToken: '' }));
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
    rmSync(join(temp, 'aws-session-guard'), { recursive: true });
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

describe('checkRunningServer: a process on the port that is not the job\'s server (issue 20)', () => {
  test('it answers a healthy /status without the proof: the step fails naming it, Failed in the summary, and it got no token', async () => {
    const seen: { url?: string; authorization?: string }[] = [];
    const impostor = createServer((req, res) => {
      seen.push({ ...(req.url !== undefined && { url: req.url }), ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(status));
    });
    await new Promise<void>((r) => impostor.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (impostor.address() as AddressInfo).port;
      const e = `http://127.0.0.1:${port}/credentials`;
      writeRecord(record({ endpoint: e }));
      const toolkit = new FakeToolkit();
      await expect(checkRunningServer(toolkit, envOf({ AWS_CONTAINER_CREDENTIALS_FULL_URI: e }), settings(), () => NOW)).rejects.toThrow(
        `The process listening on 127.0.0.1:${port} is not this job's credential server: it did not answer the challenge (no proof in its answer). Nothing was sent to it but a random challenge.`,
      );
      expect(seen).toEqual([{ url: '/proof' }]);
      expect(toolkit.summary.join('')).toContain("**Failed**: the process on the credential server's port is not this job's server.");
      expect(toolkit.outputs).toEqual({});
      expect(toolkit.infos).toEqual([]);
    } finally {
      await new Promise<void>((r) => impostor.close(() => r()));
    }
  });

  test("another job's server (another proof key) on the port: the step fails, saying it does not hold this job's secret", async () => {
    writeRecord(record({ proofKey: 'another-jobs-proof-key' }));
    await expect(checkRunningServer(new FakeToolkit(), envOf(), settings(), () => NOW)).rejects.toThrow(
      "is not this job's credential server: its answer to the challenge is wrong: it does not hold this job's secret.",
    );
    expect(server?.counts.unauthorized).toBe(0);
  });
});
