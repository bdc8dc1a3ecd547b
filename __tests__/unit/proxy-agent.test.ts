/**
 * The proxy agents against a tiny proxy written here (node:http: CONNECT and
 * absolute-URI requests), which resolves the test's host names to local
 * servers as a real proxy resolves them in DNS: the ID-token client and the
 * real AWS SDK gateway reach https targets through a CONNECT tunnel and http
 * targets by absolute URI, with Proxy-Authorization from the proxy URL; a 407,
 * a 502, a silent proxy or no proxy at all fail with a clear message that
 * never holds the password. The real proxy (tinyproxy) is in
 * __tests__/integration/proxy.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { ProxyError, TunnelingAgent } from '../../src/net/proxy-agent.js';
import type { ProxyConfig, ProxyUrl } from '../../src/net/proxy.js';
import { githubTokenSource, IdTokenError } from '../../src/oidc/id-token.js';
import { classify } from '../../src/sts/errors.js';
import { createSdkGateway } from '../../src/sts/sdk-gateway.js';
import type { StsGateway } from '../../src/model/sts-types.js';
import { makeTestCertificates, startOidcIssuer, startSts, type OidcIssuer, type StsStandIn, type TestCertificates } from '../../standins/index.js';

const PASSWORD = 'p@ss word';
const ROLE = 'arn:aws:iam::123456789012:role/deploy';

interface ProxySeen {
  readonly method: string;
  readonly target: string;
  readonly auth: string | undefined;
}

/** A small forward proxy: CONNECT tunnels and absolute-URI requests, to the local server `routes` names for host:port. */
class TestProxy {
  answer: 'pass' | 401 | 407 | 403 | 502 | 'silent' = 'pass';
  /** When set, anything else gets 407. */
  requireAuth: string | undefined;
  readonly seen: ProxySeen[] = [];
  readonly routes = new Map<string, number>();
  closedTunnels = 0;
  readonly server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => this.tunnel(req, client, head));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  private readonly sockets = new Set<Socket>();

  /** Closes the proxy and every connection and tunnel still open (the http server does not track tunnels). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await close(this.server);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(auth = ''): string {
    return `http://${auth}127.0.0.1:${this.port}`;
  }

  private refusal(auth: string | undefined): string | undefined {
    if (this.answer === 407 || (this.requireAuth !== undefined && auth !== this.requireAuth)) {
      return 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n';
    }
    if (this.answer === 401) return 'HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n';
    if (this.answer === 403) return 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n';
    if (this.answer === 502) return 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n';
    return undefined;
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    const auth = req.headers['proxy-authorization'];
    this.seen.push({ method: 'CONNECT', target: req.url ?? '', auth });
    client.on('close', () => void this.closedTunnels++);
    client.on('error', () => undefined);
    // The http server keeps its sockets half open: a client that hangs up closes the tunnel.
    client.on('end', () => client.destroy());
    if (this.answer === 'silent') return;
    const refusal = this.refusal(auth);
    const port = this.routes.get(req.url ?? '');
    if (refusal || port === undefined) {
      client.end(refusal ?? 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers['proxy-authorization'];
    this.seen.push({ method: req.method ?? '', target: req.url ?? '', auth });
    const refusal = this.refusal(auth);
    const target = /^http:\/\//.test(req.url ?? '') ? new URL(req.url ?? '') : undefined;
    const port = target && this.routes.get(`${target.hostname}:${target.port || '80'}`);
    if (refusal || !target || port === undefined) {
      res.writeHead(refusal ? Number(refusal.slice(9, 12)) : 502).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }
}

/** Answers every request with what it saw, as the ID-token endpoint would: {"value": "<path> <host>"}. */
const echo = (req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ value: `${req.url ?? ''} ${req.headers.host ?? ''}` }));
};

let certs: TestCertificates;
let proxy: TestProxy;
let httpsTarget: Server;
let httpTarget: Server;
let issuer: OidcIssuer;
let sts: StsStandIn;
const defaultCas = getCACertificates('default');
const portOf = (s: Server) => (s.address() as AddressInfo).port;
const listen = (s: Server) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
const close = (s: Server) => {
  s.closeAllConnections();
  return new Promise<void>((resolve) => s.close(() => resolve()));
};

beforeAll(async () => {
  certs = makeTestCertificates(['127.0.0.1', 'localhost', 'token.example.test', 'sts.example.test']);
  // The ID-token client and the SDK take no CA option: trust the test CA the way NODE_EXTRA_CA_CERTS would.
  setDefaultCACertificates([...defaultCas, certs.ca]);
  httpsTarget = createHttpsServer({ key: certs.key, cert: certs.cert }, echo);
  httpTarget = createServer(echo);
  await Promise.all([listen(httpsTarget), listen(httpTarget)]);
  issuer = await startOidcIssuer();
  sts = await startSts({ issuer, roles: { [ROLE]: { maxSessionDuration: 3600 } }, tls: { key: certs.key, cert: certs.cert } });
  proxy = new TestProxy();
  await proxy.listen();
  proxy.routes.set('token.example.test:443', portOf(httpsTarget));
  proxy.routes.set('token.example.test:80', portOf(httpTarget));
  proxy.routes.set('sts.example.test:443', sts.port);
});
afterAll(async () => {
  setDefaultCACertificates(defaultCas);
  try {
    await Promise.all([close(httpsTarget), close(httpTarget), proxy.close(), sts.close(), issuer.close()]);
  } finally {
    certs.cleanup();
  }
});
beforeEach(() => {
  proxy.seen.length = 0;
  proxy.answer = 'pass';
  proxy.requireAuth = undefined;
});

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const viaHttps = (url: string): ProxyConfig => ({ https: { url, from: 'HTTPS_PROXY' } });

function tokens(requestUrl: string, config: ProxyConfig | undefined, timeoutMs = 3000) {
  return githubTokenSource({
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' },
    timeoutMs,
    proxy: config,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!outcome) throw new Error('expected a failure');
  return outcome;
}

describe('TunnelingAgent', () => {
  test('https through CONNECT host:port, with Proxy-Authorization from the URL (percent-decoded)', async () => {
    const through: ProxyUrl = { url: proxy.url('bob:p%40ss%20word@'), from: 'HTTPS_PROXY' };
    const agent = new TunnelingAgent(() => through);
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest('https://token.example.test/x?y=1', { agent }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ value: '/x?y=1 token.example.test' });
    expect(proxy.seen).toEqual([{ method: 'CONNECT', target: 'token.example.test:443', auth: basic('bob', PASSWORD) }]);
  });
});

describe('the ID-token request through a proxy', () => {
  test('https: one CONNECT, then the token; http: one absolute-URI GET with Proxy-Authorization', async () => {
    proxy.requireAuth = basic('bob', PASSWORD);
    const auth = 'bob:p%40ss%20word@';
    const t = await tokens('https://token.example.test/token?api-version=2.0', viaHttps(proxy.url(auth))).getIdToken('sts.amazonaws.com');
    expect(t.value).toBe('/token?api-version=2.0&audience=sts.amazonaws.com token.example.test');
    const plain = await tokens('http://token.example.test/token?api-version=2.0', { http: { url: proxy.url(auth), from: 'HTTP_PROXY' } }).getIdToken('a');
    expect(plain.value).toBe('/token?api-version=2.0&audience=a token.example.test');
    expect(proxy.seen).toEqual([
      { method: 'CONNECT', target: 'token.example.test:443', auth: basic('bob', PASSWORD) },
      { method: 'GET', target: 'http://token.example.test/token?api-version=2.0&audience=a', auth: basic('bob', PASSWORD) },
    ]);
  });

  test('loopback and NO_PROXY hosts go direct: the proxy sees nothing', async () => {
    const local = await tokens(`https://localhost:${portOf(httpsTarget)}/t`, viaHttps(proxy.url())).getIdToken('a');
    expect(local.value).toBe(`/t?audience=a localhost:${portOf(httpsTarget)}`);
    // token.example.test resolves nowhere but in the proxy: going direct fails in DNS
    const direct = await failure(tokens('https://token.example.test/t', { ...viaHttps(proxy.url()), noProxy: '.example.test' }).getIdToken('a'));
    expect(direct.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(proxy.seen).toEqual([]);
  });

  test.each([
    ['407 without credentials', 407, '', 'wants a user name and password'],
    ['407 for wrong credentials', 407, 'bob:p%40ss%20word@', 'refused the user name and password'],
    ['401 for wrong credentials (as tinyproxy answers)', 401, 'bob:p%40ss%20word@', 'answered HTTP 401 Unauthorized to CONNECT token.example.test:443. It refused the user name and password'],
    ['403', 403, 'bob:p%40ss%20word@', 'HTTP 403 Forbidden to CONNECT token.example.test:443: it does not let this job reach'],
  ])('%s: a "proxy" failure, not retried, that never shows the password', async (_label, answer, auth, text) => {
    proxy.answer = answer as 401 | 407 | 403;
    const error = await failure(tokens('https://token.example.test/t', viaHttps(proxy.url(auth))).getIdToken('a'));
    expect(error).toBeInstanceOf(IdTokenError);
    expect((error as IdTokenError).kind).toBe('proxy');
    expect(error.message).toContain(text);
    expect(error.message).toContain(`The proxy http://${auth ? '***@' : ''}127.0.0.1:${proxy.port} (from HTTPS_PROXY)`);
    expect(error.message).not.toMatch(/p@ss|p%40ss|bob/);
    expect(classify(error, { roleArn: ROLE, audience: 'a' })).toMatchObject({ kind: 'permanent', code: 'Proxy' });
  });

  test('502: transient, naming the target the proxy could not reach', async () => {
    proxy.answer = 502;
    const error = await failure(tokens('https://token.example.test/t', viaHttps(proxy.url())).getIdToken('a'));
    expect((error as IdTokenError).kind).toBe('transient');
    expect(error.message).toContain(`The proxy http://127.0.0.1:${proxy.port} (from HTTPS_PROXY) answered HTTP 502 Bad Gateway to CONNECT token.example.test:443: it could not reach token.example.test:443.`);
  });

  test('a silent proxy: transient, within the request timeout; an abort ends the wait at once and closes the tunnel', async () => {
    proxy.answer = 'silent';
    const started = Date.now();
    const error = await failure(tokens('https://token.example.test/t', viaHttps(proxy.url()), 300).getIdToken('a'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect((error as IdTokenError).kind).toBe('transient');
    expect(error.message).toContain('did not answer CONNECT token.example.test:443 within 300 ms');

    const closedBefore = proxy.closedTunnels;
    const controller = new AbortController();
    const pending = failure(tokens('https://token.example.test/t', viaHttps(proxy.url()), 30_000).getIdToken('a', controller.signal));
    while (proxy.seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    const abortedAt = Date.now();
    controller.abort();
    expect((await pending).name).toBe('AbortError');
    expect(Date.now() - abortedAt).toBeLessThan(500);
    while (proxy.closedTunnels === closedBefore) await new Promise((r) => setTimeout(r, 5));
  });

  test('no proxy listening: transient, naming the proxy without its password', async () => {
    const error = await failure(tokens('https://token.example.test/t', viaHttps('http://bob:hunter2@127.0.0.1:1')).getIdToken('a'));
    expect((error as IdTokenError).kind).toBe('transient');
    expect(error.message).toContain('Could not connect to the proxy http://***@127.0.0.1:1 (from HTTPS_PROXY): connect ECONNREFUSED');
    expect(error.message).not.toContain('hunter2');
  });

  test('a proxy that is not an http(s) URL fails at once, not retried', async () => {
    const error = await failure(tokens('https://token.example.test/t', viaHttps('socks5://bob:hunter2@127.0.0.1:1080')).getIdToken('a'));
    expect((error as IdTokenError).kind).toBe('proxy');
    expect(error.message).toContain('socks5://***@127.0.0.1:1080 (from HTTPS_PROXY) is not an http:// or https:// URL');
  });
});

describe('the AWS SDK gateway through a proxy', () => {
  let gateway: StsGateway | undefined;
  afterAll(() => gateway?.close());

  test('AssumeRoleWithWebIdentity and the chained AssumeRole each go through one CONNECT', async () => {
    proxy.requireAuth = basic('bob', PASSWORD);
    gateway = createSdkGateway({ region: 'us-east-1', endpoint: 'https://sts.example.test', proxy: viaHttps(proxy.url('bob:p%40ss%20word@')) });
    const first = await gateway.assumeRoleWithWebIdentity({
      roleArn: ROLE,
      roleSessionName: 'proxied',
      durationSeconds: 900,
      webIdentityToken: await issuer.fetchIdToken('sts.amazonaws.com'),
    });
    expect(first.assumedRoleArn).toBe('arn:aws:sts::123456789012:assumed-role/deploy/proxied');
    const second = await gateway.assumeRole(first.credentials, { roleArn: ROLE, roleSessionName: 'hop', durationSeconds: 900 });
    expect(second.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(proxy.seen).toEqual([
      { method: 'CONNECT', target: 'sts.example.test:443', auth: basic('bob', PASSWORD) },
      { method: 'CONNECT', target: 'sts.example.test:443', auth: basic('bob', PASSWORD) },
    ]);
  });

  test('a 407 reaches the minter as a permanent failure naming the proxy, without the password', async () => {
    proxy.answer = 407;
    const g = createSdkGateway({ region: 'us-east-1', endpoint: 'https://sts.example.test', proxy: viaHttps(proxy.url('bob:hunter2@')) });
    try {
      const error = await failure(g.assumeRoleWithWebIdentity({ roleArn: ROLE, roleSessionName: 's', durationSeconds: 900, webIdentityToken: 'x.y.z' }));
      expect(error).toBeInstanceOf(ProxyError);
      expect(error.message).not.toContain('hunter2');
      expect(classify(error, { roleArn: ROLE, audience: 'a' })).toMatchObject({ kind: 'permanent', code: 'ProxyAuthenticationRequired' });
    } finally {
      g.close();
    }
  });

  test('a proxy that is not an http(s) URL: the gateway is not even created', () => {
    expect(() => createSdkGateway({ region: 'us-east-1', proxy: viaHttps('ftp://proxy:21') })).toThrow('is not an http:// or https:// URL');
  });
});
