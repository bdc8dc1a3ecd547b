import { describe, test, expect, afterEach } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { connect } from 'node:net';
import {
  startCredentialServer,
  tokenMatches,
  type CredentialServer,
  type ServerStatus,
} from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';

const TOKEN = 'Zm9vYmFyLXRva2VuLTI1Ni1iaXRzLW9mLXJhbmRvbW5lc3M';
/** Authorises /status and /control/*: what the action's own steps hold. */
const CONTROL = 'Y29udHJvbC10b2tlbi0yNTYtYml0cy1vZi1yYW5kb21uZXNz';
const PROOF = 'cHJvb2Yta2V5LTI1Ni1iaXRzLW9mLXJhbmRvbW5lc3MtZm9y';
const EXPIRES = Date.parse('2026-05-01T11:00:00.456Z');

let server: CredentialServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function handlers(overrides: { available?: () => Availability } = {}) {
  const expected: number[] = [];
  let stops = 0;
  const status: ServerStatus = { pid: 4242, nonce: 'nonce-1', identity: 'identity-1', refreshes: 2, served: 5, refused: 1, expectedUntil: 0 };
  return {
    expected,
    stops: () => stops,
    h: {
      authToken: TOKEN,
      controlToken: CONTROL,
      proofKey: PROOF,
      available:
        overrides.available ??
        ((): Availability => ({
          ok: true,
          expiration: EXPIRES,
          credentials: {
            accessKeyId: 'ASIAEXAMPLE',
            secretAccessKey: 'secret/key+value',
            token: 'session-token',
            expiresAt: EXPIRES, expiration: EXPIRES, monoExpiresAt: EXPIRES,
            accountId: '123456789012',
            assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
            lifetimeSeconds: 3600,
          },
        })),
      status: () => ({ ...status, expectedUntil: expected[expected.length - 1] ?? 0 }),
      expect: (until: number) => void expected.push(until),
      stop: () => void stops++,
    },
  };
}

async function start(overrides: { available?: () => Availability } = {}) {
  const hs = handlers(overrides);
  server = await startCredentialServer(hs.h);
  return { ...hs, server };
}

/** One request written byte for byte on a fresh socket (fetch and node:http merge or check headers); the raw answer parsed. */
function raw(s: CredentialServer, head: readonly string[], body = ''): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(s.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(text)?.[1];
      if (split < 0 || status === undefined) return reject(new Error(`not an HTTP answer: ${JSON.stringify(text)}`));
      resolve({ status: Number(status), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.end([...head, `Host: 127.0.0.1:${s.port}`, 'Connection: close', '', body].join('\r\n'));
  });
}

const get = (s: CredentialServer, path: string, auth?: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${s.port}${path}`, { ...init, headers: { ...(auth !== undefined && { Authorization: auth }) } });

describe('startCredentialServer', () => {
  test('listens on 127.0.0.1 only, with the endpoint for AWS_CONTAINER_CREDENTIALS_FULL_URI', async () => {
    const { server: s } = await start();
    const address = s.server.address() as AddressInfo;
    expect(address.address).toBe('127.0.0.1');
    expect(address.family).toBe('IPv4');
    expect(s.port).toBe(address.port);
    expect(s.endpoint).toBe(`http://127.0.0.1:${s.port}/credentials`);
  });

  test.each([
    ['no token', undefined],
    ['wrong token of the same length', TOKEN.replace(/.$/, TOKEN.endsWith('A') ? 'B' : 'A')],
    ['token of a different length', 'short'],
    ['token with an extra suffix', `${TOKEN}x`],
    ['token as Bearer', `Bearer ${TOKEN}`],
    ['empty token', ''],
  ])('%s → 403 JSON {Code, Message}', async (_label, auth) => {
    const { server: s } = await start();
    for (const path of ['/credentials', '/status', '/nope']) {
      const r = await get(s, path, auth);
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toBe('application/json');
      const body = (await r.json()) as Record<string, unknown>;
      expect(body).toEqual({ Code: 'AccessDenied', Message: 'Missing or wrong authorization token.' });
    }
    expect(s.counts.unauthorized).toBe(3);
    expect(s.counts.served).toBe(0);
  });

  test('right token: GET /credentials → 200 with the container-provider fields', async () => {
    const { server: s } = await start();
    const r = await get(s, '/credentials', TOKEN);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = (await r.json()) as Record<string, string>;
    expect(body).toEqual({
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret/key+value',
      Token: 'session-token',
      Expiration: '2026-05-01T11:00:00Z',
      AccountId: '123456789012',
    });
    // RFC 3339, whole seconds, UTC.
    expect(body['Expiration']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(body['Expiration'] ?? '')).toBe(Math.floor(EXPIRES / 1000) * 1000);
    expect(s.counts.served).toBe(1);
  });

  test('a query string is ignored', async () => {
    const { server: s } = await start();
    expect((await get(s, '/credentials?x=1', TOKEN)).status).toBe(200);
  });

  test('unavailable → 503 JSON with the reason', async () => {
    const { server: s } = await start({ available: () => ({ ok: false, reason: 'The last session has expired.' }) });
    const r = await get(s, '/credentials', TOKEN);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ Code: 'CredentialsUnavailable', Message: 'The last session has expired.' });
    expect(s.counts.refused).toBe(1);
    expect(s.counts.served).toBe(0);
  });

  test('unknown path → 404', async () => {
    const { server: s } = await start();
    const r = await get(s, '/latest/meta-data', TOKEN);
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ Code: 'NotFound' });
  });

  test('POST /credentials → 405 with Allow: GET', async () => {
    const { server: s } = await start();
    const r = await get(s, '/credentials', TOKEN, { method: 'POST', body: '{}' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
    expect(await r.json()).toMatchObject({ Code: 'MethodNotAllowed' });
  });

  test('GET /control/stop → 405 with Allow: POST', async () => {
    const { server: s, stops } = await start();
    const r = await get(s, '/control/stop', CONTROL);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    await r.body?.cancel();
    expect(stops()).toBe(0);
  });

  test('GET /status → the handler status', async () => {
    const { server: s } = await start();
    const r = await get(s, '/status', TOKEN);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ pid: 4242, nonce: 'nonce-1', identity: 'identity-1', refreshes: 2, served: 5, refused: 1, expectedUntil: 0 });
  });

  test('POST /control/expect with a number → 200, handler called, status returned', async () => {
    const { server: s, expected } = await start();
    const r = await fetch(`http://127.0.0.1:${s.port}/control/expect`, {
      method: 'POST',
      headers: { Authorization: CONTROL, 'Content-Type': 'application/json' },
      body: JSON.stringify({ expectedUntil: 1_777_000_000_000 }),
    });
    expect(r.status).toBe(200);
    expect(expected).toEqual([1_777_000_000_000]);
    expect(await r.json()).toMatchObject({ expectedUntil: 1_777_000_000_000 });
  });

  test.each([
    ['not JSON', 'soon'],
    ['no field', '{}'],
    ['a string', '{"expectedUntil":"1777000000000"}'],
    ['null', '{"expectedUntil":null}'],
    ['empty body', ''],
    ['JSON null', 'null'],
  ])('POST /control/expect with %s → 400', async (_label, body) => {
    const { server: s, expected } = await start();
    const r = await fetch(`http://127.0.0.1:${s.port}/control/expect`, { method: 'POST', headers: { Authorization: CONTROL }, body });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ Code: 'BadRequest', Message: 'Send {"expectedUntil": <epoch ms>}.' });
    expect(expected).toEqual([]);
  });

  test('POST /control/expect with a body over 4 KiB (Content-Length) → 413 PayloadTooLarge, server keeps running', async () => {
    const { server: s, expected } = await start();
    const r = await fetch(`http://127.0.0.1:${s.port}/control/expect`, {
      method: 'POST',
      headers: { Authorization: CONTROL },
      body: JSON.stringify({ expectedUntil: 1, pad: 'x'.repeat(8000) }),
    });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ Code: 'PayloadTooLarge', Message: 'Send at most 4096 bytes.' });
    expect(expected).toEqual([]);
    expect((await get(s, '/status', TOKEN)).status).toBe(200);
  });

  test('POST /control/expect with a chunked body over 4 KiB (no Content-Length) → 413, nothing expected', async () => {
    const { server: s, expected } = await start();
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    const json = JSON.stringify({ expectedUntil: 1, pad: 'x'.repeat(5000) });
    const r = await raw(
      s,
      ['POST /control/expect HTTP/1.1', `Authorization: ${CONTROL}`, 'Transfer-Encoding: chunked'],
      chunk(json.slice(0, 3000)) + chunk(json.slice(3000)) + '0\r\n\r\n',
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ Code: 'PayloadTooLarge', Message: 'Send at most 4096 bytes.' });
    expect(expected).toEqual([]);
  });

  test('POST /control/expect with exactly 4096 bytes is read', async () => {
    const { server: s, expected } = await start();
    const base = JSON.stringify({ expectedUntil: 5, pad: '' });
    const body = JSON.stringify({ expectedUntil: 5, pad: 'x'.repeat(4096 - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(body)).toBe(4096);
    const r = await fetch(`http://127.0.0.1:${s.port}/control/expect`, { method: 'POST', headers: { Authorization: CONTROL }, body });
    expect(r.status).toBe(200);
    expect(expected).toEqual([5]);
  });

  test('POST /control/stop → 202 and stop is called', async () => {
    const { server: s, stops } = await start();
    const r = await fetch(`http://127.0.0.1:${s.port}/control/stop`, { method: 'POST', headers: { Authorization: CONTROL } });
    expect(r.status).toBe(202);
    expect(await r.json()).toEqual({ stopping: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops()).toBe(1);
  });

  test('the raw request used below is well formed: one right Authorization header → 200', async () => {
    // The control for the duplicate-header tests: their 403 must come from the duplicate, not from a malformed request.
    const { server: s } = await start();
    const r = await raw(s, ['GET /credentials HTTP/1.1', `Authorization: ${TOKEN}`]);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ AccessKeyId: 'ASIAEXAMPLE' });
  });

  test.each([
    ['the right token first', [TOKEN, 'wrong']],
    ['the right token second', ['wrong', TOKEN]],
    ['the right token twice', [TOKEN, TOKEN]],
  ])('two Authorization headers (%s) → 403, nothing served', async (_label, values) => {
    // Node keeps only the first duplicated Authorization header in req.headers; which one a proxy
    // or another parser would pick is anyone's guess: the server refuses both.
    const { server: s } = await start();
    const r = await raw(s, ['GET /credentials HTTP/1.1', ...values.map((v) => `Authorization: ${v}`)]);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ Code: 'AccessDenied', Message: 'Send exactly one Authorization header.' });
    expect(r.body).not.toContain('ASIAEXAMPLE');
    expect(s.counts).toEqual({ served: 0, refused: 0, unauthorized: 1 });
  });

  test('one Authorization header holding two values ("wrong, TOKEN") → 403', async () => {
    const { server: s } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/credentials', headers: { Authorization: `wrong, ${TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(s.counts.unauthorized).toBe(1);
  });

  test('the auth token (later steps) reads credentials and status, never controls the server', async () => {
    const { server: s, stops, expected } = await start();
    expect((await get(s, '/credentials', TOKEN)).status).toBe(200);
    expect((await get(s, '/status', TOKEN)).status).toBe(200);
    for (const path of ['/control/stop', '/control/expect']) {
      const r = await get(s, path, TOKEN, { method: 'POST', body: JSON.stringify({ expectedUntil: 5 }) });
      expect(r.status).toBe(403);
      expect(await r.json()).toEqual({ Code: 'AccessDenied', Message: 'Missing or wrong authorization token.' });
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops()).toBe(0);
    expect(expected).toEqual([]);
    expect(s.counts.unauthorized).toBe(2);
  });

  test('the control token (the action\'s own steps) reads status and controls the server, never gets credentials', async () => {
    const { server: s, stops } = await start();
    const r = await get(s, '/credentials', CONTROL);
    expect(r.status).toBe(403);
    expect(await r.text()).not.toContain('ASIAEXAMPLE');
    expect(s.counts.served).toBe(0);
    expect((await get(s, '/status', CONTROL)).status).toBe(200);
    expect((await get(s, '/control/stop', CONTROL, { method: 'POST' })).status).toBe(202);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops()).toBe(1);
  });

  test('an unknown path with either token: 404 (it says nothing more to a wrong token)', async () => {
    const { server: s } = await start();
    expect((await get(s, '/nope', TOKEN)).status).toBe(404);
    expect((await get(s, '/nope', CONTROL)).status).toBe(404);
    expect((await get(s, '/nope', 'wrong')).status).toBe(403);
  });

  test('close() stops listening', async () => {
    const { server: s } = await start();
    const port = s.port;
    await s.close();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${port}/credentials`, { headers: { Authorization: TOKEN } })).rejects.toThrow();
  });
});

describe('tokenMatches', () => {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  test('the right token', () => {
    expect(tokenMatches(digest(TOKEN), TOKEN)).toBe(true);
  });
  test.each([undefined, '', 'x', `${TOKEN} `, ` ${TOKEN}`, TOKEN.toLowerCase(), TOKEN.slice(0, -1)])('rejects %j', (presented) => {
    expect(tokenMatches(digest(TOKEN), presented)).toBe(false);
  });
  test('an empty expected token never matches a missing header', () => {
    expect(tokenMatches(digest(''), undefined)).toBe(false);
  });
});

describe('handler failures', () => {
  test('a throwing handler → 500 JSON InternalError, the server keeps answering', async () => {
    const hs = handlers({
      available: () => {
        throw new Error('boom');
      },
    });
    server = await startCredentialServer(hs.h);
    const r = await fetch(`http://127.0.0.1:${server.port}/credentials`, { headers: { Authorization: TOKEN } });
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ Code: 'InternalError', Message: 'The credential server failed to answer.' });
    expect((await fetch(`http://127.0.0.1:${server.port}/status`, { headers: { Authorization: TOKEN } })).status).toBe(200);
  });

  test('a port in use: startCredentialServer rejects', async () => {
    server = await startCredentialServer(handlers().h);
    await expect(startCredentialServer(handlers().h, server.port)).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('proving the server is the job\'s (issue 20)', () => {
  const challenge = 'c'.repeat(64);
  const proofOf = (path: string, method: string, status: number, body: string) =>
    createHmac('sha256', PROOF).update(`aws-session-guard proof v1\n${challenge}\n${method} ${path}\n${status}\n`).update(body).digest('hex');

  test('GET /proof needs no token, answers the challenge with HMAC(proof key) over the answer, and hands out nothing else', async () => {
    const { server: s } = await start();
    const r = await fetch(`http://127.0.0.1:${s.port}/proof`, { headers: { 'X-Session-Guard-Challenge': challenge } });
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toBe('{"proof":true}');
    expect(r.headers.get('x-session-guard-proof')).toBe(proofOf('/proof', 'GET', 200, body));
    expect(s.counts).toEqual({ served: 0, refused: 0, unauthorized: 0 });
  });

  test('every answer to a challenged request carries its proof, refusals included; none without a well-formed challenge', async () => {
    const { server: s } = await start();
    const ok = await fetch(`http://127.0.0.1:${s.port}/status`, { headers: { Authorization: CONTROL, 'X-Session-Guard-Challenge': challenge } });
    const okBody = await ok.text();
    expect(ok.headers.get('x-session-guard-proof')).toBe(proofOf('/status', 'GET', 200, okBody));
    const refused = await fetch(`http://127.0.0.1:${s.port}/credentials`, { headers: { Authorization: 'wrong', 'X-Session-Guard-Challenge': challenge } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-session-guard-proof')).toBe(proofOf('/credentials', 'GET', 403, await refused.text()));
    for (const c of [undefined, 'short', 'C'.repeat(64)]) {
      const r = await fetch(`http://127.0.0.1:${s.port}/proof`, { headers: { ...(c !== undefined && { 'X-Session-Guard-Challenge': c }) } });
      expect(r.headers.get('x-session-guard-proof')).toBeNull();
    }
  });
});
