/**
 * The credential server's ECS form (serve-containers): a second listener on
 * the link-local host (127.0.0.2 stands in for 169.254.170.2 here) that
 * serves only the secret relative path, without a header; everything else
 * there gets 403 and nothing that says what was close.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';

const TOKEN = 'Zm9vYmFyLXRva2VuLTI1Ni1iaXRzLW9mLXJhbmRvbW5lc3M';
const CONTROL = 'Y29udHJvbC10b2tlbi0yNTYtYml0cy1vZi1yYW5kb21uZXNz';
const SECRET_PATH = '/v2/credentials/c2VjcmV0LXBhdGgtMjU2LWJpdHMtb2YtcmFuZG9tbmVzcw';
const HOST = '127.0.0.2';

let server: CredentialServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const available = (): Availability => ({
  ok: true,
  expiration: Date.parse('2026-05-01T11:00:00Z'),
  credentials: {
    accessKeyId: 'ASIAEXAMPLE',
    secretAccessKey: 'secret/key+value',
    token: 'session-token',
    expiresAt: Date.parse('2026-05-01T11:00:00Z'), expiration: Date.parse('2026-05-01T11:00:00Z'), monoExpiresAt: Date.parse('2026-05-01T11:00:00Z'),
    accountId: '123456789012',
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
    lifetimeSeconds: 3600,
  },
});

async function start(linkLocal = true): Promise<CredentialServer> {
  server = await startCredentialServer({
    authToken: TOKEN,
    controlToken: CONTROL,
    proofKey: 'proof-key',
    available,
    status: () => ({ pid: 1, nonce: 'n', identity: 'i', refreshes: 1, served: 0, refused: 0, expectedUntil: 0 }),
    expect: () => undefined,
    stop: () => undefined,
    ...(linkLocal && { linkLocal: { host: HOST, relativePath: SECRET_PATH } }),
  });
  return server;
}

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(url, init);
  return { status: r.status, text: await r.text() };
}

describe('serve-containers: the link-local listener', () => {
  test('serves credentials on the secret path without any header, as the ECS form of every SDK asks', async () => {
    const s = await start();
    expect(s.linkLocalPort).toBe(s.port);
    const r = await get(`http://${HOST}:${s.linkLocalPort}${SECRET_PATH}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ AccessKeyId: 'ASIAEXAMPLE', Token: 'session-token', Expiration: '2026-05-01T11:00:00Z' });
    expect(s.counts.served).toBe(1);
  });

  test('anything else there gets 403 and a body that reveals nothing: a wrong path, a near miss, the loopback routes even with their tokens', async () => {
    const s = await start();
    const base = `http://${HOST}:${s.linkLocalPort}`;
    const cases: Array<[string, RequestInit?]> = [
      ['/v2/credentials/wrong'],
      [SECRET_PATH.slice(0, -1)],
      [`${SECRET_PATH}x`],
      [`${SECRET_PATH}/`],
      [SECRET_PATH.toUpperCase()],
      ['/credentials', { headers: { Authorization: TOKEN } }],
      ['/status', { headers: { Authorization: CONTROL } }],
      ['/control/stop', { method: 'POST', headers: { Authorization: CONTROL } }],
      ['/'],
    ];
    for (const [path, init] of cases) {
      const r = await get(base + path, init);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.text).toBe('{"Code":"AccessDenied","Message":"Missing or wrong authorization token."}');
    }
    expect(s.counts.served).toBe(0);
    expect(s.counts.unauthorized).toBe(cases.length);
  });

  test('only GET on the secret path', async () => {
    const s = await start();
    const r = await get(`http://${HOST}:${s.linkLocalPort}${SECRET_PATH}`, { method: 'POST' });
    expect(r.status).toBe(405);
    expect(s.counts.served).toBe(0);
  });

  test('loopback keeps working as before (token on /credentials); the secret path works there too', async () => {
    const s = await start();
    expect((await get(`http://127.0.0.1:${s.port}/credentials`, { headers: { Authorization: TOKEN } })).status).toBe(200);
    expect((await get(`http://127.0.0.1:${s.port}/credentials`)).status).toBe(403);
    expect((await get(`http://127.0.0.1:${s.port}${SECRET_PATH}`)).status).toBe(200);
  });

  test('without serve-containers: no second listener, and no path serves without the token', async () => {
    const s = await start(false);
    expect(s.linkLocalPort).toBeUndefined();
    expect((await get(`http://127.0.0.1:${s.port}${SECRET_PATH}`)).status).toBe(403);
    await expect(fetch(`http://${HOST}:${s.port}${SECRET_PATH}`)).rejects.toThrow();
  });
});
