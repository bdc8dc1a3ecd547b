import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, githubTokenSource, IdTokenError, jwtExpiry, MISSING_PERMISSION_MESSAGE } from '../../src/oidc/id-token.js';
import { AbortError } from '../../src/util/abort.js';
import { makeJwt } from './fakes.js';

describe('decodeJwt and jwtExpiry', () => {
  test('decodes the claims of a JWT', () => {
    const token = makeJwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/heads/main', aud: 'sts.amazonaws.com', exp: 1_777_000_300, iat: 1_777_000_000 });
    expect(decodeJwt(token)).toEqual({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:ref:refs/heads/main', aud: 'sts.amazonaws.com', exp: 1_777_000_300, iat: 1_777_000_000 });
    expect(jwtExpiry(token)).toBe(1_777_000_300);
  });
  test('base64url with - and _ characters', () => {
    // Claims whose JSON encodes to bytes that need '-' or '_' in base64url.
    const token = makeJwt({ sub: '>>>???~~~', exp: 5 });
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(decodeJwt(token)?.sub).toBe('>>>???~~~');
  });
  test.each([
    ['empty', ''],
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['empty payload', 'a..c'],
    ['payload not JSON', `a.${Buffer.from('not json').toString('base64url')}.c`],
    ['payload an array', `a.${Buffer.from('[1,2]').toString('base64url')}.c`],
    ['payload a number', `a.${Buffer.from('42').toString('base64url')}.c`],
    ['payload null', `a.${Buffer.from('null').toString('base64url')}.c`],
  ])('not a JWT: %s', (_label, token) => {
    expect(decodeJwt(token)).toBeUndefined();
    expect(jwtExpiry(token)).toBeUndefined();
  });
  test('jwtExpiry: no exp, or a non-numeric exp', () => {
    expect(jwtExpiry(makeJwt({ iat: 1 }))).toBeUndefined();
    expect(jwtExpiry(makeJwt({ exp: '1777000000' } as unknown as { exp: number }))).toBeUndefined();
  });
});

/** A tiny stand-in for the runner's ID-token endpoint. */
interface Seen {
  url: string;
  auth: string | undefined;
}
let server: Server;
let base: string;
const seen: Seen[] = [];
let reply: (req: IncomingMessage) => { status: number; body: string } = () => ({ status: 200, body: '{}' });

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers['authorization'] });
    const r = reply(req);
    res.writeHead(r.status, { 'Content-Type': 'application/json' });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function source(url: string | undefined, token: string | undefined | null = 'request-token', clock = () => 1_777_000_000_000) {
  return githubTokenSource({
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token ?? undefined },
    clock,
    timeoutMs: 2000,
  });
}

describe('githubTokenSource', () => {
  test('success: GET url&audience=…, bearer request token, claims and expiry from exp', async () => {
    seen.length = 0;
    const jwt = makeJwt({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:o/r:pull_request', aud: 'sts.amazonaws.com', exp: 1_777_000_300, iat: 1_777_000_000 });
    reply = () => ({ status: 200, body: JSON.stringify({ count: 1, value: jwt }) });
    const t = await source(`${base}/_apis/token?api-version=2.0`).getIdToken('sts.amazonaws.com');
    expect(t.value).toBe(jwt);
    expect(t.claims.sub).toBe('repo:o/r:pull_request');
    expect(t.expiresAt).toBe(1_777_000_300_000);
    expect(seen).toEqual([{ url: '/_apis/token?api-version=2.0&audience=sts.amazonaws.com', auth: 'Bearer request-token' }]);
  });

  test('a URL without "?" gets "?audience="; the audience is URL-encoded', async () => {
    seen.length = 0;
    reply = () => ({ status: 200, body: JSON.stringify({ value: makeJwt({ exp: 1 }) }) });
    await source(`${base}/token`).getIdToken('api://my aud&x=1');
    expect(seen[0]?.url).toBe('/token?audience=api%3A%2F%2Fmy%20aud%26x%3D1');
  });

  test('without exp: iat + 5 min; without either: clock + 5 min', async () => {
    reply = () => ({ status: 200, body: JSON.stringify({ value: makeJwt({ iat: 1_777_000_000 }) }) });
    expect((await source(`${base}/t`).getIdToken('a')).expiresAt).toBe(1_777_000_300_000);
    reply = () => ({ status: 200, body: JSON.stringify({ value: 'opaque-token' }) });
    const t = await source(`${base}/t`, 'r', () => 5_000).getIdToken('a');
    expect(t.expiresAt).toBe(305_000);
    expect(t.claims).toEqual({});
  });

  test.each([
    ['URL missing', undefined, 'request-token'],
    ['token missing', 'http://127.0.0.1:1/x', null],
    ['both empty', '', ''],
  ])("%s → 'permission' IdTokenError naming id-token: write", async (_label, url, token) => {
    seen.length = 0;
    const error = await source(url, token).getIdToken('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).kind).toBe('permission');
    expect((error as Error).message).toBe(MISSING_PERMISSION_MESSAGE);
    expect((error as Error).message).toContain('id-token: write');
    expect(seen).toEqual([]);
  });

  test.each([
    [401, 'permanent', /request token was refused.*id-token: write/],
    [403, 'permanent', /request token was refused/],
    [404, 'permanent', /HTTP 404\.$/],
    [400, 'permanent', /HTTP 400/],
    [500, 'transient', /HTTP 500/],
    [503, 'transient', /HTTP 503/],
    [429, 'transient', /HTTP 429/],
    [408, 'transient', /HTTP 408/],
  ])('HTTP %d → %s', async (status, kind, message) => {
    reply = () => ({ status, body: '{"message":"nope"}' });
    const error = await source(`${base}/t`).getIdToken('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).kind).toBe(kind);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`HTTP ${status}`);
  });

  test.each([
    ['not JSON', 'hello'],
    ['no value', '{"count":0}'],
    ['empty value', '{"value":""}'],
    ['value not a string', '{"value":42}'],
  ])('200 with %s → transient "answered without a token"', async (_label, body) => {
    reply = () => ({ status: 200, body });
    const error = await source(`${base}/t`).getIdToken('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).kind).toBe('transient');
    expect((error as Error).message).toBe('The GitHub OIDC token endpoint answered without a token.');
  });

  test('connection refused → transient', async () => {
    // A port that was just free.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await source(`http://127.0.0.1:${port}/t`).getIdToken('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).kind).toBe('transient');
    expect((error as Error).message).toMatch(/^The GitHub OIDC token request failed: /);
  });

  test('the request token never appears in an error message', async () => {
    reply = () => ({ status: 401, body: '{}' });
    const error = (await source(`${base}/t`, 'very-secret-request-token').getIdToken('a').catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('very-secret-request-token');
  });
});

describe('githubTokenSource and an AbortSignal', () => {
  /** An endpoint that takes the request and never answers; it notes when the client's socket closes. */
  async function silentEndpoint() {
    let requests = 0;
    let closed = 0;
    const silent = createServer((req) => {
      requests++;
      req.socket.on('close', () => void closed++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/t`,
      requests: () => requests,
      closed: () => closed,
      close: () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    };
  }

  test('an abort mid-request rejects at once with AbortError and destroys the request', async () => {
    const endpoint = await silentEndpoint();
    try {
      const tokens = githubTokenSource({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' }, timeoutMs: 30_000 });
      const controller = new AbortController();
      const p = tokens.getIdToken('sts.amazonaws.com', controller.signal);
      for (let i = 0; i < 100 && endpoint.requests() === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(endpoint.requests()).toBe(1);
      const abortedAt = Date.now();
      controller.abort();
      const error = await p.catch((e: unknown) => e);
      expect(Date.now() - abortedAt).toBeLessThan(500);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as Error).name).toBe('AbortError');
      expect((error as Error).message).not.toContain('request-token');
      // The socket was closed by the client, not left open until the 30 s timeout.
      for (let i = 0; i < 100 && endpoint.closed() === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(endpoint.closed()).toBe(1);
    } finally {
      await endpoint.close();
    }
  });

  test('an already aborted signal: AbortError and no request at all', async () => {
    const endpoint = await silentEndpoint();
    try {
      const tokens = githubTokenSource({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' } });
      await expect(tokens.getIdToken('a', AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
      await new Promise((r) => setTimeout(r, 20));
      expect(endpoint.requests()).toBe(0);
    } finally {
      await endpoint.close();
    }
  });

  test('a signal that never aborts changes nothing', async () => {
    reply = () => ({ status: 200, body: JSON.stringify({ value: makeJwt({ exp: 7 }) }) });
    const t = await source(`${base}/t`).getIdToken('a', new AbortController().signal);
    expect(t.expiresAt).toBe(7000);
  });
});
