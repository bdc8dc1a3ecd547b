/**
 * The hand-written Query client against the real `@aws-sdk/client-sts`: the
 * same AssumeRoleWithWebIdentity, to the local STS stand-in (real JWTs from
 * the local OIDC issuer) or to a raw server for answers STS never gives (a
 * proxy's HTML 502, a cut-off body), through the SDK gateway and through the
 * gateway the minter gets. Both must give the same credentials, or errors
 * that classify() treats the same. Then abort and timeouts of the Query
 * client, and that it never loads the SDK unless an AssumeRole needs it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { startOidcIssuer, startSts, stsFaults, type OidcIssuer, type StsFault, type StsStandIn } from '../../standins/index.js';
import { classify, type Failure } from '../../src/sts/errors.js';
import { createStsGateway, type SdkGatewayFactory } from '../../src/sts/gateway.js';
import { createSdkGateway } from '../../src/sts/sdk-gateway.js';
import type { StsGateway, StsResult } from '../../src/model/sts-types.js';
import { AbortError } from '../../src/util/abort.js';
import { ACCOUNT, defaultRoles, ROLES, ROOT } from './world.js';

let issuer: OidcIssuer;
let sts: StsStandIn;
let raw: Server;
let rawEndpoint: string;
/** What the raw server does with the next request. */
let rawHandler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
let rawRequests = 0;
let rawClosed = 0;

beforeAll(async () => {
  issuer = await startOidcIssuer({});
  sts = await startSts({ issuer, roles: defaultRoles() });
  raw = createServer((req, res) => {
    rawRequests++;
    req.resume();
    req.on('end', () => rawHandler(req, res));
  });
  raw.on('connection', (socket) => socket.on('close', () => void rawClosed++));
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  rawEndpoint = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
});
afterAll(async () => {
  raw.closeAllConnections();
  await new Promise<void>((resolve) => raw.close(() => resolve()));
  await sts.close();
  await issuer.close();
});

const ctx = { roleArn: ROLES.deploy, audience: 'sts.amazonaws.com' };

/** The SDK must never be loaded by the query side: a factory that fails the test if it is. */
const noSdk = (): Promise<SdkGatewayFactory> => Promise.reject(new Error('the Query gateway loaded the SDK'));

function gateways(endpoint: string): { sdk: StsGateway; query: StsGateway } {
  return {
    sdk: createSdkGateway({ region: 'us-east-1', endpoint }),
    query: createStsGateway({ region: 'us-east-1', endpoint, env: {}, loadSdk: noSdk, readFile: () => '' }),
  };
}

type Outcome = { ok: true; result: StsResult } | { ok: false; error: unknown; failure: Failure };

async function outcome(call: () => Promise<StsResult>): Promise<Outcome> {
  try {
    return { ok: true, result: await call() };
  } catch (error) {
    return { ok: false, error, failure: classify(error, ctx) };
  }
}

interface Case {
  readonly role?: string;
  readonly token?: () => string;
  readonly durationSeconds?: number;
  readonly fault?: StsFault;
}

/** Runs the same call through both gateways against the stand-in. */
async function both(c: Case): Promise<{ sdk: Outcome; query: Outcome }> {
  const { sdk, query } = gateways(sts.endpoint);
  const params = {
    roleArn: c.role ?? ROLES.deploy,
    roleSessionName: 'differential',
    durationSeconds: c.durationSeconds ?? 3600,
    webIdentityToken: (c.token ?? (() => issuer.mintIdToken({ audience: 'sts.amazonaws.com' })))(),
  };
  try {
    if (c.fault) sts.injectFaults('AssumeRoleWithWebIdentity', [c.fault, c.fault]);
    return {
      sdk: await outcome(() => sdk.assumeRoleWithWebIdentity(params)),
      query: await outcome(() => query.assumeRoleWithWebIdentity(params)),
    };
  } finally {
    sts.clearFaults();
    sdk.close();
    query.close();
  }
}

function sameFailure(o: { sdk: Outcome; query: Outcome }, expected: Partial<Failure>, sameCode = true): void {
  if (o.sdk.ok || o.query.ok) throw new Error(`expected both to fail: sdk ${o.sdk.ok}, query ${o.query.ok}`);
  const strip = (f: Failure) => {
    const { message: _m, ...rest } = f;
    return sameCode ? rest : { ...rest, code: undefined };
  };
  expect(strip(o.query.failure)).toEqual(strip(o.sdk.failure));
  expect(o.query.failure).toMatchObject(expected);
  if (sameCode) {
    expect(o.query.failure.message).toBe(o.sdk.failure.message);
    expect((o.query.error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
      (o.sdk.error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
    );
  }
}

describe('the Query client and the SDK, same inputs, same outcome', () => {
  test('success: the credentials STS issued, its role ARN, its Date, the same request as the stand-in saw it', async () => {
    sts.resetCalls();
    const o = await both({ durationSeconds: 7200 });
    if (!o.sdk.ok || !o.query.ok) throw new Error('expected both to succeed');
    const [sdkCall, queryCall] = sts.calls;
    for (const [result, call] of [
      [o.sdk.result, sdkCall],
      [o.query.result, queryCall],
    ] as const) {
      expect(call).toMatchObject({ action: 'AssumeRoleWithWebIdentity', status: 200, durationSeconds: 7200, roleArn: ROLES.deploy, roleSessionName: 'differential' });
      const issued = sts.credentialsFor(call?.issuedAccessKeyId ?? '');
      expect(result.credentials).toEqual(issued);
      expect(result.serverDate).toBeInstanceOf(Date);
    }
    expect(o.query.result.assumedRoleArn).toBe(o.sdk.result.assumedRoleArn);
    expect(o.query.result.assumedRoleArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/differential`);
    expect(Math.abs(o.query.result.credentials.expiration.getTime() - o.sdk.result.credentials.expiration.getTime())).toBeLessThan(5_000);
  });

  test('session policies reach STS the same way', async () => {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: "arn:aws:s3:::b/it's (1)*" }] });
    const policyArns = ['arn:aws:iam::aws:policy/ReadOnlyAccess', `arn:aws:iam::${ACCOUNT}:policy/extra`];
    const { sdk, query } = gateways(sts.endpoint);
    try {
      const params = { roleArn: ROLES.deploy, roleSessionName: 'policies', durationSeconds: 900, policy, policyArns };
      const a = await sdk.assumeRoleWithWebIdentity({ ...params, webIdentityToken: issuer.mintIdToken({ audience: 'sts.amazonaws.com' }) });
      const b = await query.assumeRoleWithWebIdentity({ ...params, webIdentityToken: issuer.mintIdToken({ audience: 'sts.amazonaws.com' }) });
      const sa = sts.sessionFor(a.credentials.accessKeyId);
      const sb = sts.sessionFor(b.credentials.accessKeyId);
      expect(sb?.policy).toBe(policy);
      expect(sb?.policyArns).toEqual(policyArns);
      expect({ policy: sb?.policy, policyArns: sb?.policyArns }).toEqual({ policy: sa?.policy, policyArns: sa?.policyArns });
    } finally {
      sdk.close();
      query.close();
    }
  });

  test('AccessDenied (trust policy): permanent, same code and message', async () => {
    sameFailure(await both({ role: ROLES.otherRepo }), { kind: 'permanent', code: 'AccessDenied' });
  });

  test('an expired ID token: ExpiredTokenException, transient with a new token', async () => {
    sameFailure(await both({ token: () => issuer.mintIdToken({ audience: 'sts.amazonaws.com', ttlSeconds: -60 }) }), { kind: 'transient', code: 'ExpiredTokenException', newToken: true });
  });

  test('an invalid ID token: InvalidIdentityToken, permanent', async () => {
    sameFailure(await both({ token: () => 'not-a-jwt' }), { kind: 'permanent', code: 'InvalidIdentityToken' });
  });

  test('a token from an unknown issuer: InvalidIdentityToken "No OpenIDConnect provider", permanent', async () => {
    const other = await startOidcIssuer({});
    try {
      sameFailure(await both({ token: () => other.mintIdToken({ audience: 'sts.amazonaws.com' }) }), { kind: 'permanent', code: 'InvalidIdentityToken' });
    } finally {
      await other.close();
    }
  });

  test('DurationSeconds beyond the role maximum: duration-too-long', async () => {
    sameFailure(await both({ role: ROLES.short, durationSeconds: 7200 }), { kind: 'duration-too-long', scope: 'role', code: 'ValidationError' });
  });

  test('a DurationSeconds STS rejects outright: ValidationError, permanent', async () => {
    sameFailure(await both({ durationSeconds: 60 }), { kind: 'permanent', code: 'ValidationError' });
  });

  test.each([
    ['Throttling', stsFaults.throttling(), 'Throttling'],
    ['a 500 InternalFailure', stsFaults.internalFailure(), 'InternalFailure'],
    ['a 503', stsFaults.serviceUnavailable(), 'ServiceUnavailable'],
    ['IDPCommunicationError', stsFaults.idpCommunicationError(), 'IDPCommunicationError'],
    ['"Couldn\'t retrieve verification key"', stsFaults.invalidIdentityTokenKey(), 'InvalidIdentityToken'],
  ])('%s: transient, same code', async (_name, fault, code) => {
    sameFailure(await both({ fault }), { kind: 'transient', code });
  });

  test('a dropped connection: transient for both', async () => {
    sameFailure(await both({ fault: stsFaults.drop() }), { kind: 'transient' }, false);
  });

  test('network failures, in a plain node process (Jest wraps node errors the SDK sees): the same classification', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, '__tests__', 'fixtures', 'network-differential.ts')], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Record<string, { sdk: Partial<Failure>; query: Partial<Failure> }>;
    expect(Object.keys(results)).toEqual(['nothing listening', 'connection closed before an answer', 'a body cut off by a lost connection']);
    for (const { sdk, query } of Object.values(results)) {
      expect(query).toEqual(sdk);
      expect(query.kind).toBe('transient');
    }
    expect(results['nothing listening']?.query.code).toBe('ECONNREFUSED');
  });

  describe('answers that are not STS XML (from a raw server)', () => {
    const rawCase = async (handler: typeof rawHandler) => {
      rawHandler = handler;
      const { sdk, query } = gateways(rawEndpoint);
      const params = { roleArn: ROLES.deploy, roleSessionName: 'raw', durationSeconds: 3600, webIdentityToken: 'x.y.z' };
      try {
        return {
          sdk: await outcome(() => sdk.assumeRoleWithWebIdentity(params)),
          query: await outcome(() => query.assumeRoleWithWebIdentity(params)),
        };
      } finally {
        sdk.close();
        query.close();
      }
    };
    const send = (status: number, type: string, body: string) => (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };

    test.each([
      [502, 'text/html', '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>', 'transient'],
      [504, 'text/html', '<html><body>Gateway Timeout</body></html>', 'transient'],
      [503, 'text/plain', 'Service Unavailable', 'transient'],
      [500, 'text/plain', '', 'transient'],
      [429, 'text/html', '<html><body>Too Many Requests</body></html>', 'transient'],
      [403, 'text/html', '<html><body>Forbidden by policy</body></html>', 'permanent'],
      [403, 'application/json', '{"message":"Forbidden"}', 'permanent'],
      [400, 'text/xml', '<ErrorResponse><Error><Type>Sender</Type><Code>Throttl', 'permanent'],
      [200, 'text/html', '<html><body>Sign in to the Wi-Fi</body></html>', 'permanent'],
      [200, 'text/xml', '<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>ASIA', 'permanent'],
      [200, 'text/plain', 'hello', 'permanent'],
    ])('HTTP %i %s %j: %s for both', async (status, type, body, kind) => {
      sameFailure(await rawCase(send(status, type, body)), { kind: kind as Failure['kind'] }, false);
    });
  });
});

describe('abort and timeouts of the Query client', () => {
  const params = { roleArn: ROLES.deploy, roleSessionName: 'abort', durationSeconds: 3600, webIdentityToken: 'x.y.z' };
  const silent = () => {
    rawHandler = () => undefined;
  };
  const received = async (before: number) => {
    for (let i = 0; i < 400 && rawRequests === before; i++) await new Promise((r) => setTimeout(r, 5));
    expect(rawRequests).toBe(before + 1);
  };

  test('an abort mid-flight rejects at once with AbortError and destroys the request', async () => {
    silent();
    const gateway = createStsGateway({ region: 'us-east-1', endpoint: rawEndpoint, env: {}, loadSdk: noSdk, readFile: () => '' });
    const controller = new AbortController();
    const before = rawRequests;
    const closedBefore = rawClosed;
    const started = Date.now();
    const call = gateway.assumeRoleWithWebIdentity(params, controller.signal);
    await received(before);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (let i = 0; i < 200 && rawClosed === closedBefore; i++) await new Promise((r) => setTimeout(r, 5));
    expect(rawClosed).toBe(closedBefore + 1);
  });

  test('an aborted signal rejects before any request', async () => {
    const gateway = createStsGateway({ region: 'us-east-1', endpoint: rawEndpoint, env: {}, loadSdk: noSdk, readFile: () => '' });
    const before = rawRequests;
    await expect(gateway.assumeRoleWithWebIdentity(params, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    expect(rawRequests).toBe(before);
  });

  test('no answer within the request timeout: TimeoutError, transient, as the SDK gateway', async () => {
    silent();
    const sdk = createSdkGateway({ region: 'us-east-1', endpoint: rawEndpoint, requestTimeoutMs: 300 });
    const query = createStsGateway({ region: 'us-east-1', endpoint: rawEndpoint, requestTimeoutMs: 300, env: {}, loadSdk: noSdk, readFile: () => '' });
    try {
      const o = {
        sdk: await outcome(() => sdk.assumeRoleWithWebIdentity(params)),
        query: await outcome(() => query.assumeRoleWithWebIdentity(params)),
      };
      sameFailure(o, { kind: 'transient', code: 'TimeoutError' }, false);
      expect(o.query.ok || (o.query.error as Error).name).toBe('TimeoutError');
    } finally {
      sdk.close();
      query.close();
    }
  });
});

describe('the gateway the minter gets', () => {
  test('AssumeRole (chaining) loads the SDK gateway once, and the chained session works', async () => {
    let loads = 0;
    const gateway = createStsGateway({
      region: 'us-east-1',
      endpoint: sts.endpoint,
      env: {},
      readFile: () => '',
      loadSdk: async () => {
        loads++;
        return createSdkGateway;
      },
    });
    try {
      const first = await gateway.assumeRoleWithWebIdentity({ roleArn: ROLES.deploy, roleSessionName: 'hop1', durationSeconds: 3600, webIdentityToken: issuer.mintIdToken({ audience: 'sts.amazonaws.com' }) });
      expect(loads).toBe(0);
      const second = await gateway.assumeRole(first.credentials, { roleArn: ROLES.chained, roleSessionName: 'hop2', durationSeconds: 3600 });
      await gateway.assumeRole(first.credentials, { roleArn: ROLES.chained, roleSessionName: 'hop3', durationSeconds: 900 });
      expect(loads).toBe(1);
      expect(second.assumedRoleArn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/chained-target/hop2`);
      expect(sts.sessionFor(second.credentials.accessKeyId)?.parentAccessKeyId).toBe(first.credentials.accessKeyId);
    } finally {
      gateway.close();
    }
  });
});
