import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive, serverClient } from '../../src/keepalive/client.js';
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
});
