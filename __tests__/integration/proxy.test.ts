/**
 * The bundled action behind a real proxy, Debian's tinyproxy, started here
 * with its own configuration and log (Basic auth on, LogLevel Info). Two
 * proofs that the traffic goes through it:
 *
 * 1. its own log: the stand-ins listen on a non-loopback address added to
 *    `lo`, and the log shows the ID-token request (http: the absolute URI,
 *    path included) and the STS calls (https: CONNECT to the STS port), then
 *    the AWS CLI's and boto3's calls in steps after keep-alive, while nobody
 *    proxies the credential server;
 * 2. a run from a network namespace whose only way to the stand-ins is the
 *    proxy (an iptables rule inside it rejects every other port): the step
 *    succeeds with the proxy variables and fails fast without them.
 *
 * Needs root (ip addr, ip netns, iptables), tinyproxy, iptables and openssl:
 * .ci/run installs them and runs as root. Without root, the tests are skipped
 * with a message; a missing command fails them, naming the package.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { makeTestCertificates, type JobRunner, type StepResult, type TestCertificates } from '../../standins/index.js';
import { addLoopbackAddress, Cleanup, createNamespace, IS_ROOT, requireCommands, Tinyproxy, type Namespace } from './net-lab.js';
import { AWS_CLI, BOTO3_PYTHON, MAIN, POST, requireRealConsumers, ROLES, ROOT, startWorld, type World } from './world.js';

const CONSUMERS = join(ROOT, 'standins', 'consumers');
const describeAsRoot = IS_ROOT ? describe : describe.skip;
if (!IS_ROOT) console.warn('proxy.test.ts: skipped, it needs root (ip addr, ip netns, iptables); .ci/run runs it as root.');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const count = (lines: readonly string[], pattern: RegExp) => lines.filter((l) => pattern.test(l)).length;

describeAsRoot('through tinyproxy, seen in its log (needs root: an address on lo; tinyproxy, openssl)', () => {
  const cleanup = new Cleanup();
  let proxy: Tinyproxy;
  let world: World;
  let certs: TestCertificates;
  let address: string;
  /** Request lines for the ID-token endpoint and for STS. */
  let tokenRequest: RegExp;
  let stsConnect: RegExp;

  beforeAll(async () => {
    try {
      requireCommands('ip', 'tinyproxy', 'openssl');
      requireRealConsumers();
      const lo = addLoopbackAddress();
      cleanup.add(lo.remove);
      address = lo.address;
      certs = makeTestCertificates([address]);
      cleanup.add(() => certs.cleanup());
      proxy = await Tinyproxy.start('127.0.0.1');
      cleanup.add(() => proxy.stop());
      // The issuer over plain http (absolute-URI requests, the path in the log), STS over https (CONNECT tunnels).
      world = await startWorld({ issuer: { host: address }, sts: { host: address, tls: { key: certs.key, cert: certs.cert } } });
      cleanup.add(() => world.close());
      tokenRequest = new RegExp(`^GET ${escape(world.issuer.requestUrl)}&audience=sts\\.amazonaws\\.com HTTP/1\\.1$`);
      // Node says HTTP/1.1, botocore (the AWS CLI, boto3) HTTP/1.0.
      stsConnect = new RegExp(`^CONNECT ${escape(address)}:${world.sts.port} HTTP/1\\.[01]$`);
    } catch (error) {
      await cleanup.run();
      throw error;
    }
  });
  afterAll(() => cleanup.run());

  /** A job whose env has the proxy (or not) and trusts the test CA, as the runner's env would on a proxied self-hosted runner. */
  const job = (env: Record<string, string> = {}): JobRunner => world.job({ NODE_EXTRA_CA_CERTS: certs.caFile, AWS_CA_BUNDLE: certs.caFile, ...env });
  const proxyEnv = () => ({ HTTPS_PROXY: proxy.url(), HTTP_PROXY: proxy.url() });
  const guardInputs = { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'retry-max-attempts': '1' };

  test('the guard: the ID-token request and the STS call go through the proxy; the password is masked', async () => {
    const j = job(proxyEnv());
    const mark = proxy.mark();
    const callsBefore = world.sts.calls.length;
    const step = await j.runAction(MAIN, { inputs: guardInputs });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(step.outputs['refreshed']).toBe('true');
    const lines = await proxy.requestsSince(mark, (l) => count(l, stsConnect) >= 1);
    expect(count(lines, tokenRequest)).toBe(1);
    // one CONNECT per STS call: every call went through the proxy
    expect(count(lines, stsConnect)).toBe(world.sts.calls.length - callsBefore);
    expect(count(lines, stsConnect)).toBe(1);
    expect(lines).toHaveLength(2);
    expect(step.masks).toContain(proxy.password);
    expect(j.secretsUnmasked([proxy.password])).toEqual([]);
    console.log(`tinyproxy log, guard step:\n  ${lines.join('\n  ')}`);
  }, 30_000);

  test('the http-proxy input overrides HTTPS_PROXY / HTTP_PROXY; no-proxy (or no proxy) keeps the proxy out', async () => {
    const dead = 'http://127.0.0.1:1';
    let mark = proxy.mark();
    const viaInput = await job({ HTTPS_PROXY: dead, HTTP_PROXY: dead }).runAction(MAIN, { inputs: { ...guardInputs, 'http-proxy': proxy.url() } });
    expect(viaInput.exitCode).toBe(0);
    const lines = await proxy.requestsSince(mark, (l) => count(l, stsConnect) >= 1);
    expect([count(lines, tokenRequest), count(lines, stsConnect)]).toEqual([1, 1]);

    mark = proxy.mark();
    const exempt = await job(proxyEnv()).runAction(MAIN, { inputs: { ...guardInputs, 'no-proxy': `localhost,${address}` } });
    const direct = await job().runAction(MAIN, { inputs: guardInputs });
    expect([exempt.exitCode, direct.exitCode]).toEqual([0, 0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await proxy.requestsSince(mark)).toEqual([]);
  }, 30_000);

  test('a wrong proxy password for STS fails at once (not retried), naming the proxy without the password', async () => {
    const wrong = proxy.url().replace(proxy.password, 'not-the-password');
    const started = Date.now();
    // The ID token through the right proxy URL (plain http), STS (https, CONNECT) through the wrong one.
    const j = job({ HTTPS_PROXY: wrong, HTTP_PROXY: proxy.url() });
    const step = await j.runAction(MAIN, { inputs: { ...guardInputs, 'retry-max-attempts': '5' } });
    expect(step.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const error = step.errors.join('\n');
    // tinyproxy answers 401, not 407, to a wrong password
    expect(error).toContain(
      `ProxyAuthenticationRequired: The proxy http://***@127.0.0.1:${proxy.port} (from HTTPS_PROXY) answered HTTP 401 Unauthorized to CONNECT ${address}:${world.sts.port}. ` +
        'It refused the user name and password in the proxy URL: check them.',
    );
    expect(error).not.toMatch(/attempts/);
    expect(step.masks).toContain('not-the-password');
    expect(j.secretsUnmasked(['not-the-password', proxy.password])).toEqual([]);
  }, 30_000);

  test('a proxy the action cannot use (socks5) fails the guard and keep-alive before any request, without the password', async () => {
    const socks = { HTTPS_PROXY: 'socks5://guard:hunter2@127.0.0.1:1080' };
    const mark = proxy.mark();
    const callsBefore = world.sts.calls.length;
    const tokensBefore = world.issuer.requests.length;
    for (const extra of [{}, { 'keep-alive': 'true' }]) {
      const j = job(socks);
      const step = await j.runAction(MAIN, { inputs: { ...guardInputs, ...extra } });
      expect(step.exitCode).toBe(1);
      expect(step.errors.join('\n')).toContain('The proxy socks5://***@127.0.0.1:1080 (from HTTPS_PROXY) is not an http:// or https:// URL');
      expect(j.secretsUnmasked(['hunter2'])).toEqual([]);
      expect(j.trackedProcesses()).toEqual([]);
    }
    expect([world.sts.calls.length, world.issuer.requests.length]).toEqual([callsBefore, tokensBefore]);
    expect(await proxy.requestsSince(mark)).toEqual([]);
  }, 30_000);

  test('keep-alive: the server mints through the proxy; the AWS CLI and boto3 call STS through it; nobody proxies the server', async () => {
    const j = job(proxyEnv());
    let mark = proxy.mark();
    const start = await j.runAction(MAIN, { inputs: { ...guardInputs, 'keep-alive': 'true', 'expected-duration': '2h' } });
    expect(start.errors).toEqual([]);
    expect(start.exitCode).toBe(0);
    const endpoint = start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '';
    const serverPort = new URL(endpoint).port;
    // the credential server is kept off the proxy for every later step
    expect(start.exportedEnv['NO_PROXY']).toBe('127.0.0.1,localhost');
    expect(start.exportedEnv['no_proxy']).toBe('127.0.0.1,localhost');
    // the detached server got the proxy from the main step and minted through it
    const minting = await proxy.requestsSince(mark, (l) => count(l, stsConnect) >= 1);
    expect([count(minting, tokenRequest), count(minting, stsConnect)]).toEqual([1, 1]);
    console.log(`tinyproxy log, keep-alive start:\n  ${minting.join('\n  ')}`);

    const opts = { env: { STS_ENDPOINT: world.sts.endpoint, NODE_PATH: join(ROOT, 'node_modules') }, cwd: ROOT };
    const serverLines = new RegExp(`127\\.0\\.0\\.1:${serverPort}|localhost:${serverPort}`);
    const clients: Array<[string, () => Promise<StepResult>, number]> = [
      ['aws-cli', () => j.runCommand(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.endpoint, '--output', 'json'], opts), 1],
      ['boto3', () => j.runCommand(BOTO3_PYTHON, [join(CONSUMERS, 'boto3-once.py')], opts), 1],
      // The JS SDK v3 ignores the proxy variables: it still reaches the server and STS, directly.
      ['js-sdk-v3', () => j.runCommand(process.execPath, [join(CONSUMERS, 'js-sdk-once.mjs')], opts), 0],
    ];
    for (const [name, run, proxied] of clients) {
      mark = proxy.mark();
      const calls = world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.status === 200).length;
      const r = await run();
      expect({ name, code: r.exitCode }).toEqual({ name, code: 0 });
      expect(r.stdout).toContain('arn:aws:sts::123456789012:assumed-role/deploy/');
      expect(world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.status === 200).length).toBe(calls + 1);
      const lines = await proxy.requestsSince(mark, (l) => count(l, stsConnect) >= proxied);
      if (proxied === 0) await new Promise((res) => setTimeout(res, 300));
      expect({ name, stsCalls: count(lines, stsConnect), server: count(lines, serverLines) }).toEqual({ name, stsCalls: proxied, server: 0 });
      console.log(`tinyproxy log, ${name}:\n  ${(await proxy.requestsSince(mark)).join('\n  ') || '(nothing)'}`);
    }

    // A client that proxies loopback unless NO_PROXY says otherwise (Node's NODE_USE_ENV_PROXY): the exported NO_PROXY keeps
    // it off the proxy; with NO_PROXY emptied, the same request shows up in the proxy's log.
    const fetchCredentials = `require('node:http').get(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, { headers: { Authorization: process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN } }, (r) => { console.log('status', r.statusCode); r.resume(); })`;
    mark = proxy.mark();
    const kept = await j.runCommand(process.execPath, ['-e', fetchCredentials], { env: { NODE_USE_ENV_PROXY: '1' } });
    expect(kept.stdout).toContain('status 200');
    await new Promise((res) => setTimeout(res, 300));
    expect(count(await proxy.requestsSince(mark), serverLines)).toBe(0);
    mark = proxy.mark();
    const leaked = await j.runCommand(process.execPath, ['-e', fetchCredentials], { env: { NODE_USE_ENV_PROXY: '1', NO_PROXY: '', no_proxy: '' } });
    expect(leaked.stdout).toContain('status 200');
    expect(count(await proxy.requestsSince(mark, (l) => count(l, serverLines) >= 1), serverLines)).toBe(1);

    const post = await j.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    expect(j.secretsUnmasked([proxy.password])).toEqual([]);
  }, 60_000);
});

describeAsRoot('reachable only through tinyproxy, from a network namespace (needs root: ip netns, veth, iptables; tinyproxy, openssl)', () => {
  const cleanup = new Cleanup();
  let ns: Namespace;
  let proxy: Tinyproxy;
  let world: World;
  let certs: TestCertificates;

  beforeAll(async () => {
    try {
      requireCommands('ip', 'iptables', 'tinyproxy', 'openssl');
      ns = createNamespace();
      cleanup.add(() => ns.remove());
      certs = makeTestCertificates([ns.hostAddress]);
      cleanup.add(() => certs.cleanup());
      const tls = { key: certs.key, cert: certs.cert };
      // Both stand-ins over https on the host's end of the pair, as GitHub and STS are: CONNECT for both.
      world = await startWorld({ issuer: { host: ns.hostAddress, tls }, sts: { host: ns.hostAddress, tls } });
      cleanup.add(() => world.close());
      proxy = await Tinyproxy.start(ns.hostAddress);
      cleanup.add(() => proxy.stop());
      // Inside the namespace, TCP to the host is refused except to the proxy's port.
      ns.exec('iptables', ['-A', 'OUTPUT', '-p', 'tcp', '-d', ns.hostAddress, '!', '--dport', String(proxy.port), '-j', 'REJECT', '--reject-with', 'tcp-reset']);
    } catch (error) {
      await cleanup.run();
      throw error;
    }
  });
  afterAll(() => cleanup.run());

  const inputs = { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'retry-max-attempts': '1' };
  const runInNamespace = (env: Record<string, string>) =>
    world
      .job({ NODE_EXTRA_CA_CERTS: certs.caFile, ...env })
      .runCommand('ip', ['netns', 'exec', ns.name, process.execPath, MAIN], { inputs, name: `main in ${ns.name}`, timeoutMs: 60_000 });

  test('from the namespace, only the proxy port answers', () => {
    const probe = (port: number) =>
      ns.exec(process.execPath, ['-e', `require('node:net').connect(${port}, '${ns.hostAddress}').on('connect', () => { console.log('open'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })`]).stdout.trim();
    expect(probe(proxy.port)).toBe('open');
    expect(probe(world.sts.port)).toBe('ECONNREFUSED');
    expect(probe(world.issuer.port)).toBe('ECONNREFUSED');
  });

  test('with HTTPS_PROXY the step mints through the proxy; without it, it fails at once', async () => {
    const mark = proxy.mark();
    const through = await runInNamespace({ HTTPS_PROXY: proxy.url() });
    expect(through.errors).toEqual([]);
    expect(through.exitCode).toBe(0);
    expect(through.outputs['refreshed']).toBe('true');
    expect(through.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    const lines = await proxy.requestsSince(mark, (l) => l.length >= 2);
    expect(lines).toEqual([`CONNECT ${ns.hostAddress}:${world.issuer.port} HTTP/1.1`, `CONNECT ${ns.hostAddress}:${world.sts.port} HTTP/1.1`]);
    console.log(`tinyproxy log, namespace run:\n  ${lines.join('\n  ')}`);

    const started = Date.now();
    const blocked = await runInNamespace({});
    expect(blocked.exitCode).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(blocked.errors.join('\n')).toContain(`The GitHub OIDC token request failed: connect ECONNREFUSED ${ns.hostAddress}:${world.issuer.port}`);
    expect(blocked.exportedEnv).toEqual({});
  }, 60_000);
});
