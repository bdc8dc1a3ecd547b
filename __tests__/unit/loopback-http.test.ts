/**
 * The action's own requests to its credential server never go through a
 * proxy: with NODE_USE_ENV_PROXY=1 and HTTP_PROXY set (and NO_PROXY not
 * covering loopback), Node's fetch and global agent send them to the proxy,
 * token and all. Run in a child process: Node reads those variables at start.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), `loopback-http-${process.pid}-`));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('with NODE_USE_ENV_PROXY=1 and a proxy that records what reaches it: the server client and the credential_process helper go direct', () => {
  const src = (path: string) => JSON.stringify(join(process.cwd(), 'src', path));
  const driver = join(dir, 'driver.mts');
  writeFileSync(
    driver,
    `import { createServer } from 'node:http';
import { serverClient } from ${src('keepalive/client.ts')};
import { fetchServedCredentials } from ${src('keepalive/credential-process.ts')};
import { CHALLENGE_HEADER, proofHeaders } from ${src('keepalive/proof.ts')};
const seenByProxy: string[] = [];
const proxy = createServer((req, res) => { seenByProxy.push(req.method + ' ' + req.url + ' ' + (req.headers.authorization ?? '-')); res.statusCode = 502; res.end(); });
proxy.on('connect', (req, socket) => { seenByProxy.push('CONNECT ' + req.url); socket.end('HTTP/1.1 403 Forbidden\\r\\n\\r\\n'); });
await new Promise<void>((r) => proxy.listen(Number(process.env.PROXY_PORT), '127.0.0.1', () => r()));
const served = { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', Token: 't', Expiration: '2030-01-01T00:00:00Z' };
// Answers challenges as the job's server does (keepalive/proof.ts), with the key 'KEY'.
const answer = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json', ...proofHeaders('KEY', req.headers[CHALLENGE_HEADER], { method: req.method ?? 'GET', path: req.url ?? '/', status, body }) });
  res.end(body);
};
const server = createServer((req, res) => {
  if (req.url === '/proof') return answer(req, res, 200, '{}');
  if (req.headers.authorization !== 'TOKEN') return answer(req, res, 401, '{}');
  answer(req, res, 200, req.url === '/status' ? JSON.stringify({ pid: 1, nonce: 'n' }) : JSON.stringify(served));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const endpoint = 'http://127.0.0.1:' + (server.address() as { port: number }).port + '/credentials';
const client = serverClient(endpoint, 'TOKEN', 'KEY');
const ours = {
  status: await client.status(),
  probe: await client.probeCredentials(),
  process: await fetchServedCredentials({ endpoint, token: 'TOKEN', proofKey: 'KEY' }).then((c) => c.AccessKeyId, (e: Error) => e.message),
  proxyHitsByOurs: seenByProxy.length,
};
// The control: the same request through fetch does go to the proxy.
const control = await fetch(endpoint, { headers: { authorization: 'TOKEN' }, signal: AbortSignal.timeout(5000) }).then((r) => String(r.status), (e: Error) => e.name);
const out = { ...ours, control, proxyHitsByControl: seenByProxy.length > 0 };
console.log(JSON.stringify(out));
server.close();
proxy.close();
`,
  );
  const tsx = join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs');
  const port = String(20000 + (process.pid % 20000));
  const run = spawnSync(process.execPath, ['--import', existsSync(tsx) ? tsx : 'tsx', driver], {
    env: { PATH: process.env['PATH'], NODE_USE_ENV_PROXY: '1', HTTP_PROXY: `http://127.0.0.1:${port}`, http_proxy: `http://127.0.0.1:${port}`, NO_PROXY: '', PROXY_PORT: port },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  // The action's own requests went direct: answered by the server, and nothing reached the proxy ...
  expect(out['proxyHitsByOurs']).toBe(0);
  expect(out['status']).toEqual({ pid: 1, nonce: 'n' });
  expect(out['probe']).toEqual({ status: 200, expiration: '2030-01-01T00:00:00Z' });
  expect(out['process']).toBe('ASIAEXAMPLE');
  // ... while in the same process fetch does go to the proxy (so the variables were in force).
  expect(out['proxyHitsByControl']).toBe(true);
  expect(out['control']).not.toBe('200');
});
