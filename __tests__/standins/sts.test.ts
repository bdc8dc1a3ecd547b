import { createHash, createHmac } from 'node:crypto';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { Credentials } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { startOidcIssuer } from '../../standins/oidc-issuer.js';
import type { OidcIssuer } from '../../standins/oidc-issuer.js';
import { signRequest } from '../../standins/sigv4.js';
import { STS_XMLNS, startSts, stsFaults } from '../../standins/sts.js';
import type { StsStandIn } from '../../standins/sts.js';

const ACCOUNT = '123456789012';
const DEPLOY = `arn:aws:iam::${ACCOUNT}:role/deploy`;
const SHORT = `arn:aws:iam::${ACCOUNT}:role/short`;
const STRICT = `arn:aws:iam::${ACCOUNT}:role/strict`;
const CHAINED = `arn:aws:iam::${ACCOUNT}:role/path/chained`;
const LOCKED = `arn:aws:iam::${ACCOUNT}:role/locked`;

let issuer: OidcIssuer;
let sts: StsStandIn;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startSts({
    issuer,
    roles: {
      [DEPLOY]: { maxSessionDuration: 7200, trust: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' } },
      [SHORT]: {},
      [STRICT]: { trust: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/other-repo:*' } },
      [CHAINED]: { maxSessionDuration: 43200, trustedPrincipals: [DEPLOY] },
      [LOCKED]: { trustedPrincipals: [`arn:aws:iam::${ACCOUNT}:role/nobody`] },
    },
  });
});

afterAll(async () => {
  await sts.close();
  await issuer.close();
});

beforeEach(() => {
  sts.resetCalls();
  sts.clearFaults();
  sts.setDown(false);
});

function client(extra: Partial<ConstructorParameters<typeof STSClient>[0]> = {}, endpoint = sts.endpoint): STSClient {
  return new STSClient({ region: 'us-east-1', endpoint, maxAttempts: 1, ...extra });
}

function sessionClient(creds: Credentials, region = 'us-east-1', endpoint = sts.endpoint): STSClient {
  return client(
    {
      region,
      credentials: {
        accessKeyId: creds.AccessKeyId as string,
        secretAccessKey: creds.SecretAccessKey as string,
        sessionToken: creds.SessionToken as string,
      },
    },
    endpoint,
  );
}

async function assumeDeploy(opts: { duration?: number; role?: string; token?: string } = {}): Promise<Credentials> {
  const token = opts.token ?? (await issuer.fetchIdToken('sts.amazonaws.com'));
  const res = await client().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: opts.role ?? DEPLOY,
      RoleSessionName: 'gha-run',
      WebIdentityToken: token,
      ...(opts.duration !== undefined ? { DurationSeconds: opts.duration } : {}),
    }),
  );
  return res.Credentials as Credentials;
}

/** Runs `fn` and returns the SDK error it throws. */
type SdkError = Error & { $metadata: { httpStatusCode?: number }; $fault?: string; Code?: string };

async function sdkError(fn: () => Promise<unknown>): Promise<SdkError> {
  try {
    await fn();
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the call to fail');
}

describe('AssumeRoleWithWebIdentity', () => {
  test('a token from the issuer endpoint yields real-looking credentials', async () => {
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const before = Date.now();
    const res = await client().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: DEPLOY,
        RoleSessionName: 'gha-run',
        WebIdentityToken: token,
        DurationSeconds: 7200,
      }),
    );
    const c = res.Credentials as Credentials;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect((c.SessionToken ?? '').length).toBeGreaterThan(500);
    const exp = (c.Expiration as Date).getTime();
    expect(exp).toBeGreaterThanOrEqual(before + 7200_000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 7200_000 + 1000);
    expect(res.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gha-run`);
    expect(res.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:gha-run$/);
    expect(res.SubjectFromWebIdentityToken).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(res.Audience).toBe('sts.amazonaws.com');
    expect(res.Provider).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.url.replace('http://', '')}`);

    expect(sts.calls).toEqual([
      expect.objectContaining({
        action: 'AssumeRoleWithWebIdentity',
        status: 200,
        signed: false,
        durationSeconds: 7200,
        grantedSeconds: 7200,
        roleArn: DEPLOY,
        issuedAccessKeyId: c.AccessKeyId,
        subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      }),
    ]);
    const session = sts.sessionFor(c.AccessKeyId as string);
    expect(session?.expiresAt).toBe(exp);
    expect(session?.chained).toBe(false);
  });

  test('default duration is 3600 and is recorded as not sent', async () => {
    const c = await assumeDeploy();
    expect(sts.sessionFor(c.AccessKeyId as string)?.grantedSeconds).toBe(3600);
    expect(sts.calls[0]?.durationSeconds).toBeUndefined();
  });

  test('wrong audience is AccessDenied (trust policy)', async () => {
    const token = await issuer.fetchIdToken('https://github.com/octo-org');
    const err = await sdkError(() => assumeDeploy({ token }));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('sub not matching the trust glob, and unknown roles, are AccessDenied', async () => {
    expect((await sdkError(() => assumeDeploy({ role: STRICT }))).name).toBe('AccessDenied');
    expect((await sdkError(() => assumeDeploy({ role: `arn:aws:iam::${ACCOUNT}:role/none` }))).name).toBe('AccessDenied');
  });

  test('DurationSeconds above the role maximum', async () => {
    const err = await sdkError(() => assumeDeploy({ duration: 7201 }));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    expect(err.$metadata.httpStatusCode).toBe(400);
    // A role without maxSessionDuration allows 1 h.
    const short = await sdkError(() => assumeDeploy({ role: SHORT, duration: 3601 }));
    expect(short.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  test('DurationSeconds outside 900..43200 is a modeled validation error', async () => {
    const high = await sdkError(() => assumeDeploy({ duration: 43201 }));
    expect(high.name).toBe('ValidationError');
    expect(high.message).toBe(
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    );
    const low = await sdkError(() => assumeDeploy({ duration: 899 }));
    expect(low.message).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
  });

  test('bad RoleSessionName', async () => {
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const err = await sdkError(() =>
      client().send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'has space', WebIdentityToken: token })),
    );
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe(
      "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  test('an expired JWT is ExpiredTokenException', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = issuer.sign({ iss: issuer.url, aud: 'sts.amazonaws.com', sub: issuer.subject, iat: now - 600, nbf: now - 600, exp: now - 300 });
    const err = await sdkError(() => assumeDeploy({ token }));
    expect([err.name, err.Code]).toEqual(['ExpiredTokenException', 'ExpiredTokenException']);
    expect(err.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
    expect(err.message).toContain(`expiration date/time ${now - 300}`);
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  test('unknown issuer, bad signature, and an unknown kid are InvalidIdentityToken', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: 'sts.amazonaws.com', sub: issuer.subject, iat: now, nbf: now, exp: now + 300 };
    const foreign = await sdkError(() => assumeDeploy({ token: issuer.sign({ ...claims, iss: 'https://token.example.invalid' }) }));
    // SDK quirk: modeled errors are named after their class; the wire code is in `Code`.
    expect(foreign.name).toBe('InvalidIdentityTokenException');
    expect(foreign.Code).toBe('InvalidIdentityToken');
    expect(foreign.message).toBe('No OpenIDConnect provider found in your account for https://token.example.invalid');

    const good = issuer.mintIdToken({ audience: 'sts.amazonaws.com' });
    const [h, p, s] = good.split('.') as [string, string, string];
    const tampered = `${h}.${p}.${s.slice(0, -6)}${s.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    expect((await sdkError(() => assumeDeploy({ token: tampered }))).Code).toBe('InvalidIdentityToken');

    const unknownKid = await sdkError(() => assumeDeploy({ token: issuer.sign({ ...claims, iss: issuer.url }, { kid: 'nope' }) }));
    expect(unknownKid.Code).toBe('InvalidIdentityToken');
    expect(unknownKid.message).toMatch(/^Couldn't retrieve verification key from your identity provider/);

    expect((await sdkError(() => assumeDeploy({ token: 'not-a-jwt' }))).Code).toBe('InvalidIdentityToken');
  });
  test('Policy must be JSON; PolicyArns are recorded on the session', async () => {
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const base = { RoleArn: DEPLOY, RoleSessionName: 'pol', WebIdentityToken: token };
    const bad = await sdkError(() => client().send(new AssumeRoleWithWebIdentityCommand({ ...base, Policy: '{not json' })));
    expect([bad.name, bad.Code]).toEqual(['MalformedPolicyDocumentException', 'MalformedPolicyDocument']);
    const ok = await client().send(
      new AssumeRoleWithWebIdentityCommand({
        ...base,
        Policy: '{"Version":"2012-10-17","Statement":[]}',
        PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { arn: 'arn:aws:iam::aws:policy/Other' }],
      }),
    );
    expect(sts.sessionFor(ok.Credentials?.AccessKeyId as string)?.policyArns).toEqual([
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
      'arn:aws:iam::aws:policy/Other',
    ]);
  });
});

test('an issuer given as url + publicKeyPem (no JWKS) works too', async () => {
  const pemSts = await startSts({ issuer: { url: issuer.url, publicKeyPem: issuer.publicKeyPem }, roles: { [DEPLOY]: {} } });
  try {
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const res = await client({}, pemSts.endpoint).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'pem', WebIdentityToken: token }),
    );
    expect(res.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/pem`);
  } finally {
    await pemSts.close();
  }
});

describe('signed calls', () => {
  test('GetCallerIdentity with the issued credentials', async () => {
    const creds = await assumeDeploy();
    const who = await sessionClient(creds, 'eu-central-1').send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gha-run`);
    expect(who.Account).toBe(ACCOUNT);
    expect(who.UserId).toMatch(/^AROA[A-Z0-9]{17}:gha-run$/);
    expect(sts.calls.at(-1)).toEqual(
      expect.objectContaining({ action: 'GetCallerIdentity', status: 200, signed: true, region: 'eu-central-1', accessKeyId: creds.AccessKeyId }),
    );
  });

  test('a tampered secret is SignatureDoesNotMatch', async () => {
    const creds = await assumeDeploy();
    const secret = creds.SecretAccessKey as string;
    const bad = { ...creds, SecretAccessKey: `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}` };
    const err = await sdkError(() => sessionClient(bad).send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('SignatureDoesNotMatch');
    expect(err.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('unknown key or wrong session token is InvalidClientTokenId', async () => {
    const creds = await assumeDeploy();
    const wrongToken = await sdkError(() =>
      sessionClient({ ...creds, SessionToken: `${creds.SessionToken as string}x` }).send(new GetCallerIdentityCommand({})),
    );
    expect(wrongToken.name).toBe('InvalidClientTokenId');
    expect(wrongToken.message).toBe('The security token included in the request is invalid.');
    const unknown = await sdkError(() =>
      sessionClient({ ...creds, AccessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }).send(new GetCallerIdentityCommand({})),
    );
    expect(unknown.name).toBe('InvalidClientTokenId');
    expect(unknown.$metadata.httpStatusCode).toBe(403);
  });

  test('after expireSession the credentials are ExpiredToken', async () => {
    const creds = await assumeDeploy();
    const c = sessionClient(creds);
    await c.send(new GetCallerIdentityCommand({}));
    expect(sts.expireSession(creds.AccessKeyId as string)).toBe(true);
    const err = await sdkError(() => c.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('ExpiredToken');
    expect(err.message).toBe('The security token included in the request is expired');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  test('credentialLifetime compresses real lifetime, and Expiration says so', async () => {
    sts.setCredentialLifetime(() => 0.01); // rounded up to the next whole second, as on the wire
    try {
      const creds = await assumeDeploy({ duration: 7200 });
      const exp = (creds.Expiration as Date).getTime();
      expect(exp - Date.now()).toBeLessThanOrEqual(1100);
      expect(exp - Date.now()).toBeGreaterThan(0);
      expect(sts.sessionFor(creds.AccessKeyId as string)).toEqual(expect.objectContaining({ grantedSeconds: 7200, lifetimeSeconds: 0.01 }));
      await new Promise((r) => setTimeout(r, Math.max(0, exp - Date.now()) + 50));
      const err = await sdkError(() => sessionClient(creds).send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('ExpiredToken');
    } finally {
      sts.setCredentialLifetime((s) => s);
    }
  });

  test('unsigned GetCallerIdentity is MissingAuthenticationToken', async () => {
    const res = await fetch(sts.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  test('the exported signer works for raw calls, also as a GET query', async () => {
    const creds = await assumeDeploy();
    const credentials = {
      accessKeyId: creds.AccessKeyId as string,
      secretAccessKey: creds.SecretAccessKey as string,
      sessionToken: creds.SessionToken as string,
    };
    const url = `${sts.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`;
    const headers = signRequest({ method: 'GET', url, credentials, region: 'ap-south-1' });
    const res = await fetch(url, { headers });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Arn>arn:aws:sts::123456789012:assumed-role/deploy/gha-run</Arn>');
    expect(sts.calls.at(-1)?.region).toBe('ap-south-1');
  });

  test('a presigned GetCallerIdentity URL (SigV4 query auth) verifies', async () => {
    const creds = await assumeDeploy();
    const signer = new SignatureV4({
      service: 'sts',
      region: 'us-east-1',
      sha256: NodeSha256,
      credentials: {
        accessKeyId: creds.AccessKeyId as string,
        secretAccessKey: creds.SecretAccessKey as string,
        sessionToken: creds.SessionToken as string,
      },
    });
    const { host } = new URL(sts.endpoint);
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(new URL(sts.endpoint).port),
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host },
      },
      { expiresIn: 60 },
    );
    const qs = Object.entries(presigned.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const res = await fetch(`${sts.endpoint}/?${qs}`);
    expect(res.status).toBe(200);
  });
});

describe('AssumeRole (role chaining)', () => {
  test('over 3600 s is the chaining ValidationError; within it works', async () => {
    const creds = await assumeDeploy();
    const c = sessionClient(creds);
    const err = await sdkError(() => c.send(new AssumeRoleCommand({ RoleArn: CHAINED, RoleSessionName: 'hop', DurationSeconds: 7200 })));
    expect(err.name).toBe('ValidationError');
    expect(err.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');

    const ok = await c.send(new AssumeRoleCommand({ RoleArn: CHAINED, RoleSessionName: 'hop', DurationSeconds: 900 }));
    expect(ok.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/chained/hop`);
    const chained = sts.sessionFor(ok.Credentials?.AccessKeyId as string);
    expect(chained).toEqual(expect.objectContaining({ chained: true, parentAccessKeyId: creds.AccessKeyId, grantedSeconds: 900 }));
    const who = await sessionClient(ok.Credentials as Credentials).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/chained/hop`);
  });

  test('trustedPrincipals gate chained roles', async () => {
    const creds = await assumeDeploy();
    const err = await sdkError(() => sessionClient(creds).send(new AssumeRoleCommand({ RoleArn: LOCKED, RoleSessionName: 'hop' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toBe(
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/deploy/gha-run is not authorized to perform: sts:AssumeRole on resource: ${LOCKED}`,
    );
  });
});

describe('fault injection', () => {
  test('Throttling surfaces as error name Throttling, then the queue is consumed', async () => {
    sts.injectFaults('AssumeRoleWithWebIdentity', [stsFaults.throttling(), stsFaults.internalFailure()]);
    const t = await sdkError(() => assumeDeploy());
    expect(t.name).toBe('Throttling');
    expect(t.message).toBe('Rate exceeded');
    expect(t.$metadata.httpStatusCode).toBe(400);
    const i = await sdkError(() => assumeDeploy());
    expect(i.name).toBe('InternalFailure');
    expect(i.$metadata.httpStatusCode).toBe(500);
    expect(sts.pendingFaults()).toBe(0);
    await assumeDeploy();
    expect(sts.calls.map((c) => [c.status, c.code ?? null, c.fault ?? false])).toEqual([
      [400, 'Throttling', true],
      [500, 'InternalFailure', true],
      [200, null, false],
    ]);
  });

  test('the SDK retries a throttled call when allowed to', async () => {
    sts.injectFaults('*', [stsFaults.throttling()]);
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const res = await client({ maxAttempts: 2 }).send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'retry', WebIdentityToken: token }),
    );
    expect(res.$metadata.attempts).toBe(2);
    expect(sts.calls.map((c) => c.status)).toEqual([400, 200]);
  });

  test('transient identity errors, 503, drop and setDown', async () => {
    sts.injectFaults('AssumeRoleWithWebIdentity', [
      stsFaults.idpCommunicationError(),
      stsFaults.invalidIdentityTokenKey(),
      stsFaults.serviceUnavailable(),
      stsFaults.drop(),
    ]);
    const idp = await sdkError(() => assumeDeploy());
    expect([idp.name, idp.Code]).toEqual(['IDPCommunicationErrorException', 'IDPCommunicationError']);
    const key = await sdkError(() => assumeDeploy());
    expect([key.name, key.Code]).toEqual(['InvalidIdentityTokenException', 'InvalidIdentityToken']);
    expect(key.message).toMatch(/^Couldn't retrieve verification key from your identity provider/);
    const unavailable = await sdkError(() => assumeDeploy());
    expect(unavailable.name).toBe('ServiceUnavailable');
    expect(unavailable.$metadata.httpStatusCode).toBe(503);
    const dropped = await sdkError(() => assumeDeploy());
    expect(dropped.message).toMatch(/socket hang up|ECONNRESET/);

    sts.setDown(true);
    expect((await sdkError(() => assumeDeploy())).name).toBe('ServiceUnavailable');
    sts.setDown(false);
    await assumeDeploy();
  });

  test('a hang outlasts a client timeout (only with throwOnRequestTimeout)', async () => {
    const creds = await assumeDeploy();
    const credentials = sessionClient(creds).config.credentials;
    // SDK quirk: requestTimeout alone only logs a warning and keeps waiting.
    sts.injectFaults('GetCallerIdentity', [stsFaults.hang(400)]);
    const warnOnly = client({ credentials, requestHandler: { requestTimeout: 100 }, logger: silentLogger });
    const started = Date.now();
    await warnOnly.send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);

    sts.injectFaults('GetCallerIdentity', [stsFaults.hang(1000)]);
    const impatient = client({ credentials, requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true } });
    const err = await sdkError(() => impatient.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('TimeoutError');
  });

  test('waitForCall resolves on a matching call', async () => {
    const waiting = sts.waitForCall((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200, { timeoutMs: 5000 });
    await assumeDeploy();
    await expect(waiting).resolves.toEqual(expect.objectContaining({ status: 200 }));
  });
});

describe('wire format and clock', () => {
  test('responses carry x-amzn-RequestId, text/xml, a Date header and the STS namespace', async () => {
    const token = await issuer.fetchIdToken('sts.amazonaws.com');
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: DEPLOY,
      RoleSessionName: 'raw',
      WebIdentityToken: token,
    });
    const res = await fetch(sts.endpoint, { method: 'POST', body });
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const rid = res.headers.get('x-amzn-requestid');
    expect(rid).toMatch(/^[0-9a-f-]{36}$/);
    expect(xml).toMatch(new RegExp(`^<AssumeRoleWithWebIdentityResponse xmlns="${STS_XMLNS}">`));
    expect(xml).toContain(`<RequestId>${rid as string}</RequestId>`);
    expect(xml).toMatch(/<Expiration>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/Expiration>/);

    const bad = await fetch(`${sts.endpoint}/?Action=Nope&Version=2011-06-15`);
    const errXml = await bad.text();
    expect(bad.status).toBe(400);
    expect(errXml).toContain(`<ErrorResponse xmlns="${STS_XMLNS}">`);
    expect(errXml).toContain('<Type>Sender</Type>');
    expect(errXml).toContain('<Code>InvalidAction</Code>');
    expect(errXml).toContain(`<RequestId>${bad.headers.get('x-amzn-requestid') as string}</RequestId>`);
  });

  test('clockOffsetMs moves the Date header, Expiration and the signature window', async () => {
    const skew = 20 * 60 * 1000; // the local machine is 20 min behind the world
    const worldIssuer = await startOidcIssuer({ clock: () => Date.now() + skew });
    const skewed = await startSts({
      issuer: worldIssuer,
      roles: { [DEPLOY]: {} },
      clockOffsetMs: skew,
    });
    try {
      const res = await fetch(`${skewed.endpoint}/?Action=Nope`);
      const date = Date.parse(res.headers.get('date') as string);
      expect(Math.abs(date - (Date.now() + skew))).toBeLessThan(2000);
      await res.text();

      const token = await worldIssuer.fetchIdToken('sts.amazonaws.com');
      const arwwi = await client({}, skewed.endpoint).send(
        new AssumeRoleWithWebIdentityCommand({ RoleArn: DEPLOY, RoleSessionName: 'skew', WebIdentityToken: token }),
      );
      const exp = (arwwi.Credentials?.Expiration as Date).getTime();
      expect(Math.abs(exp - (Date.now() + skew + 3600_000))).toBeLessThan(2000);

      // A fresh signed client signs with the local clock: 20 min off is rejected...
      const c = sessionClient(arwwi.Credentials as Credentials, 'us-east-1', skewed.endpoint);
      const err = await sdkError(() => c.send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('SignatureDoesNotMatch');
      expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
      // ...and the SDK corrects its clock from the error's Date header, so the next call works.
      const who = await c.send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toContain('assumed-role/deploy/skew');
    } finally {
      await skewed.close();
      await worldIssuer.close();
    }
  });
});

const silentLogger = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Node-crypto implementation of the SDK's Checksum interface (hash or HMAC). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: Buffer | undefined;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }
  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    return this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
