import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, serverClient } from '../../src/keepalive/client.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { keepAlivePaths, writePrivateFile } from '../../src/keepalive/files.js';
import { startCredentialServer, type CredentialServer, type ServerStatus } from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';
import { checkRunningServer } from '../../src/keepalive/status.js';
import { ShortSessionError } from '../../src/guard/guard.js';
import { readSettings } from '../../src/settings/settings.js';
import { FakeToolkit } from './fakes.js';

const TOKEN = 'client-test-token';
const NOW = Date.parse('2026-05-01T10:00:00Z');
let server: CredentialServer | undefined;
let status: ServerStatus;
let available: Availability;
let stops = 0;
let temp: string;

beforeEach(async () => {
  temp = mkdtempSync(join(tmpdir(), 'client-status-'));
  stops = 0;
  status = { pid: 99, refreshes: 1, served: 0, refused: 0, expectedUntil: 0, expiration: '2026-05-01T21:40:00Z', remainingSeconds: 42000 };
  available = {
    ok: true,
    credentials: { accessKeyId: 'A', secretAccessKey: 'S', token: 'T', expiresAt: NOW + 3600_000, accountId: '1', assumedRoleArn: 'r', lifetimeSeconds: 3600 },
  };
  server = await startCredentialServer({
    authToken: TOKEN,
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

describe('serverClient', () => {
  test('status, probe, expect and stop against a running server', async () => {
    const s = server as CredentialServer;
    const client = serverClient(s.endpoint, TOKEN);
    expect(await client.status()).toMatchObject({ pid: 99 });
    expect(await client.probeCredentials()).toEqual({ status: 200, expiration: '2026-05-01T11:00:00Z' });
    expect(await client.expect(12345)).toMatchObject({ expectedUntil: 12345 });
    expect(await client.stop()).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(stops).toBe(1);
  });

  test('a probe of an unavailable server returns the status and the message', async () => {
    available = { ok: false, reason: 'gone' };
    expect(await serverClient((server as CredentialServer).endpoint, TOKEN).probeCredentials()).toEqual({ status: 503, message: 'gone' });
  });

  test('a wrong token: no status, 403 probe, stop false', async () => {
    const client = serverClient((server as CredentialServer).endpoint, 'wrong');
    expect(await client.status()).toBeUndefined();
    expect((await client.probeCredentials()).status).toBe(403);
    expect(await client.expect(1)).toBeUndefined();
    expect(await client.stop()).toBe(false);
  });

  test('nothing listening: undefined / status 0 / false', async () => {
    const endpoint = (server as CredentialServer).endpoint;
    await server?.close();
    server = undefined;
    const client = serverClient(endpoint, TOKEN, 500);
    expect(await client.status()).toBeUndefined();
    expect(await client.probeCredentials()).toEqual({ status: 0, message: 'no answer' });
    expect(await client.stop()).toBe(false);
  });

  test('processAlive', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 12345)).toBe(false);
  });
});

describe('checkRunningServer', () => {
  const settings = (inputs: Record<string, string> = {}) => readSettings((n) => inputs[n] ?? '', {});

  test('a URI that is not ours: false, nothing done', async () => {
    const toolkit = new FakeToolkit();
    const r = await checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials', RUNNER_TEMP: temp }, settings());
    expect(r).toBe(false);
    expect(toolkit.calls).toEqual([]);
  });

  test('our server running with enough cover: true, outputs, healthy summary', async () => {
    const toolkit = new FakeToolkit();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: (server as CredentialServer).endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp };
    expect(await checkRunningServer(toolkit, env, settings(), () => NOW)).toBe(true);
    expect(toolkit.outputs).toMatchObject({ refreshed: 'false', expiration: '2026-05-01T21:40:00Z', 'remaining-seconds': '42000', 'credentials-endpoint': env.AWS_CONTAINER_CREDENTIALS_FULL_URI });
    expect(toolkit.summary.join('')).toContain('Healthy: the keep-alive credential server is running.');
  });

  test('cover too short: ShortSessionError, or a warning without fail-on-short-session', async () => {
    status = { ...status, coverUntil: NOW + 1800_000 };
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: (server as CredentialServer).endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp };
    await expect(checkRunningServer(new FakeToolkit(), env, settings(), () => NOW)).rejects.toBeInstanceOf(ShortSessionError);
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, env, settings({ 'fail-on-short-session': 'false' }), () => NOW)).toBe(true);
    expect(toolkit.warnings[0]?.message).toMatch(/30m from now, but the work needs 1h5m/);
  });

  test('our URI but no server: a clear error', async () => {
    const endpoint = (server as CredentialServer).endpoint;
    await server?.close();
    server = undefined;
    const toolkit = new FakeToolkit();
    await expect(
      checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp }, settings(), () => NOW),
    ).rejects.toThrow(/is not running: it left no log.*keep-alive: true/s);
    expect(toolkit.summary.join('')).toContain('**Failed**');
  });

  test('no container URI at all: false, nothing done', async () => {
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, { RUNNER_TEMP: temp }, settings(), () => NOW)).toBe(false);
    expect(toolkit.calls).toEqual([]);
  });

  test.each([
    ['another path', (port: number) => `http://127.0.0.1:${port}/v1/credentials`],
    ['https', (port: number) => `https://127.0.0.1:${port}/credentials`],
    ['another loopback name', (port: number) => `http://localhost:${port}/credentials`],
  ])('a loopback URI this action never exports (%s): false, nothing done', async (_label, uri) => {
    const toolkit = new FakeToolkit();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: uri((server as CredentialServer).port), AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp };
    expect(await checkRunningServer(toolkit, env, settings(), () => NOW)).toBe(false);
    expect(toolkit.calls).toEqual([]);
  });

  test('no token in the environment: the one in the record is used', async () => {
    const paths = keepAlivePaths({ RUNNER_TEMP: temp });
    const endpoint = (server as CredentialServer).endpoint;
    writePrivateFile(paths.record, JSON.stringify({ pid: 99, endpoint, authToken: TOKEN, startedAt: NOW, roleArn: 'r' }), paths.dir);
    const toolkit = new FakeToolkit();
    expect(await checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, RUNNER_TEMP: temp }, settings(), () => NOW)).toBe(true);
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('no token anywhere: the server refuses, reported as not running', async () => {
    const endpoint = (server as CredentialServer).endpoint;
    await expect(checkRunningServer(new FakeToolkit(), { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, RUNNER_TEMP: temp }, settings(), () => NOW)).rejects.toThrow(
      /is not running/,
    );
  });

  test('a status without expiry, with a refresh error: only the outputs it has, the error in the log line', async () => {
    status = { pid: 99, refreshes: 3, served: 0, refused: 0, expectedUntil: 0, lastError: 'Throttling: Rate exceeded' };
    const toolkit = new FakeToolkit();
    const endpoint = (server as CredentialServer).endpoint;
    expect(await checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp }, settings(), () => NOW)).toBe(true);
    expect(toolkit.outputs).toEqual({ refreshed: 'false', 'credentials-endpoint': endpoint });
    expect(toolkit.infos).toEqual([
      `The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session has 0s left (last refresh error: Throttling: Rate exceeded). Nothing to do.`,
    ]);
    expect(toolkit.summary).toEqual(['- **aws-session-guard** 10:00:00Z: remaining unknown, need 1h5m. Healthy: the keep-alive credential server is running.\n']);
  });

  test('cover exactly the need: healthy, no warning', async () => {
    status = { ...status, coverUntil: NOW + 3900_000 };
    const toolkit = new FakeToolkit();
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: (server as CredentialServer).endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp };
    expect(await checkRunningServer(toolkit, env, settings(), () => NOW)).toBe(true);
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.summary.join('')).toContain('Healthy');
  });

  test('cover too short: the summary line says Failed or Warned, with the remaining time', async () => {
    status = { ...status, coverUntil: NOW + 1800_000 };
    const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: (server as CredentialServer).endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN, RUNNER_TEMP: temp };
    const failing = new FakeToolkit();
    const error = await checkRunningServer(failing, env, settings(), () => NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toBe(
      'The keep-alive credential server can mint sessions until about 2026-05-01T10:30:00.000Z, 30m from now, but the work needs 1h5m (1h expected-duration + 5m safety-margin = 1h5m).',
    );
    expect(failing.summary.join('')).toContain('remaining 11h40m, need 1h5m. **Failed**: The keep-alive credential server can mint sessions');
    expect(failing.outputs).toMatchObject({ refreshed: 'false', 'remaining-seconds': '42000' });
    const warned = new FakeToolkit();
    await checkRunningServer(warned, env, settings({ 'fail-on-short-session': 'false' }), () => NOW);
    expect(warned.summary.join('')).toContain('Warned: The keep-alive credential server can mint sessions');
    expect(warned.infos).toEqual([]);
  });

  test('our URI, no server, a record and a log: the pid and the last event are named', async () => {
    const endpoint = (server as CredentialServer).endpoint;
    await server?.close();
    server = undefined;
    const paths = keepAlivePaths({ RUNNER_TEMP: temp });
    writePrivateFile(paths.record, JSON.stringify({ pid: 4321, endpoint, authToken: TOKEN, startedAt: NOW, roleArn: 'r' }), paths.dir);
    fileEventLog(paths.log, () => NOW - 60_000).write({ type: 'unavailable', reason: 'the OIDC request token has expired and the last session is over' });
    const toolkit = new FakeToolkit();
    await expect(checkRunningServer(toolkit, { AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, RUNNER_TEMP: temp }, settings(), () => NOW)).rejects.toThrow(
      `The keep-alive credential server at ${endpoint} (pid 4321) is not running: at 2026-05-01T09:59:00.000Z: the OIDC request token has expired and the last session is over. ` +
        'Later steps get no AWS credentials from it.',
    );
    expect(toolkit.outputs).toEqual({});
  });
});
