/**
 * The real @aws-sdk/client-sts gateway against a local node:http server: what
 * it sends, what it makes of STS's answers, and that an abort ends a call in
 * flight at once (the socket destroyed), long before the request timeout.
 */
import { describe, test, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSdkGateway } from '../../src/sts/sdk-gateway.js';
import type { StsGateway } from '../../src/model/sts-types.js';
import { AbortError } from '../../src/util/abort.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const CREDS = { accessKeyId: 'ASIAFIRSTHOP', secretAccessKey: 'first-secret', sessionToken: 'first-token', expiration: new Date('2026-05-01T11:00:00Z') };

interface Seen {
  readonly body: string;
  readonly authorization: string | undefined;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let closedSockets = 0;
/** What the server does with the next request: answer it, or keep silent. */
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ body, authorization: req.headers['authorization'] });
      handler(req, res, body);
    });
  });
  server.on('connection', (socket) => socket.on('close', () => void closedSockets++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let gateway: StsGateway | undefined;
afterEach(() => {
  gateway?.close();
  gateway = undefined;
  seen.length = 0;
  server.closeAllConnections();
});

function newGateway(clock?: () => number): StsGateway {
  gateway = createSdkGateway({ region: 'us-east-1', endpoint, requestTimeoutMs: 15_000, ...(clock && { clock }) });
  return gateway;
}

function answer(action: 'AssumeRoleWithWebIdentity' | 'AssumeRole', date?: string) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    const xml =
      `<${action}Response xmlns="${XMLNS}"><${action}Result>` +
      '<Credentials><AccessKeyId>ASIASTUB</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey>' +
      '<SessionToken>stub-token</SessionToken><Expiration>2026-05-01T11:00:00Z</Expiration></Credentials>' +
      '<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/deploy/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>' +
      `</${action}Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></${action}Response>`;
    res.writeHead(200, { 'Content-Type': 'text/xml', ...(date !== undefined && { Date: date }) });
    res.end(xml);
  };
}

const params = { roleArn: ROLE, roleSessionName: 's', durationSeconds: 3600 };

/** Waits until the silent server has the request, so the abort lands mid-flight. */
async function untilReceived(): Promise<void> {
  for (let i = 0; i < 400 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(seen).toHaveLength(1);
}

describe('createSdkGateway', () => {
  test('AssumeRoleWithWebIdentity: the query sent, the credentials and the server Date read back', async () => {
    handler = answer('AssumeRoleWithWebIdentity', 'Fri, 01 May 2026 10:00:00 GMT');
    let t = 1000;
    const g = newGateway(() => (t += 25));
    const r = await g.assumeRoleWithWebIdentity({ ...params, webIdentityToken: 'jwt-value', policy: '{}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const query = new URLSearchParams(seen[0]?.body);
    expect(query.get('Action')).toBe('AssumeRoleWithWebIdentity');
    expect(query.get('RoleArn')).toBe(ROLE);
    expect(query.get('DurationSeconds')).toBe('3600');
    expect(query.get('WebIdentityToken')).toBe('jwt-value');
    expect(query.get('Policy')).toBe('{}');
    expect(query.get('PolicyArns.member.1.arn')).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    // Unsigned: the JWT is the credential.
    expect(seen[0]?.authorization).toBeUndefined();
    expect(r).toEqual({
      credentials: { accessKeyId: 'ASIASTUB', secretAccessKey: 'stub-secret', sessionToken: 'stub-token', expiration: new Date('2026-05-01T11:00:00Z') },
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s',
      serverDate: new Date('2026-05-01T10:00:00Z'),
      receivedAt: 1050,
      latencyMs: 25,
    });
  });

  test('AssumeRole is signed with the credentials it is given', async () => {
    handler = answer('AssumeRole');
    const r = await newGateway().assumeRole(CREDS, params);
    expect(new URLSearchParams(seen[0]?.body).get('Action')).toBe('AssumeRole');
    expect(seen[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAFIRSTHOP\//);
    expect(r.credentials.accessKeyId).toBe('ASIASTUB');
  });

  test('an STS error answer rejects with the SDK error (code, HTTP status)', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
          '<Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error><RequestId>r-2</RequestId></ErrorResponse>',
      );
    };
    const error = (await newGateway()
      .assumeRoleWithWebIdentity({ ...params, webIdentityToken: 'jwt' })
      .catch((e: unknown) => e)) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(error.$metadata?.httpStatusCode).toBe(403);
  });

  test.each([
    ['AssumeRoleWithWebIdentity', (g: StsGateway, signal: AbortSignal) => g.assumeRoleWithWebIdentity({ ...params, webIdentityToken: 'jwt' }, signal)],
    ['AssumeRole', (g: StsGateway, signal: AbortSignal) => g.assumeRole(CREDS, params, signal)],
  ])('%s to a server that never answers: an abort ends it long before the 15 s request timeout and closes the socket', async (_label, call) => {
    handler = () => undefined; // never answers
    const closedBefore = closedSockets;
    const controller = new AbortController();
    const p = call(newGateway(), controller.signal);
    await untilReceived();
    const abortedAt = performance.now();
    controller.abort();
    const error = await p.catch((e: unknown) => e);
    const tookMs = performance.now() - abortedAt;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).name).toBe('AbortError');
    // The request timeout is 15 s: only the abort can end the call within 5 s (a bound a busy machine cannot miss;
    // the abort takes a few ms).
    expect(tookMs).toBeLessThan(5_000);
    // The SDK's handler destroyed the request: the server sees its socket close.
    for (let i = 0; i < 100 && closedSockets === closedBefore; i++) await new Promise((r) => setTimeout(r, 5));
    expect(closedSockets).toBe(closedBefore + 1);
  });

  test('an already aborted signal: AbortError, nothing sent', async () => {
    handler = answer('AssumeRoleWithWebIdentity');
    await expect(newGateway().assumeRoleWithWebIdentity({ ...params, webIdentityToken: 'jwt' }, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toHaveLength(0);
  });
});
