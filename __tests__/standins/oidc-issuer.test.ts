import { decodeJwt, jwkToKeyObject, verifyRs256 } from '../../standins/jwt.js';
import type { Jwk } from '../../standins/jwt.js';
import { startOidcIssuer } from '../../standins/oidc-issuer.js';
import type { OidcIssuer } from '../../standins/oidc-issuer.js';

/** What `core.getIDToken(aud)` does: GET `${url}&audience=...` with the bearer token. */
async function getIdToken(issuer: OidcIssuer, audience?: string, bearer: string | null = issuer.requestToken): Promise<Response> {
  const url = audience === undefined ? issuer.requestUrl : `${issuer.requestUrl}&audience=${encodeURIComponent(audience)}`;
  return fetch(url, bearer === null ? {} : { headers: { Authorization: `Bearer ${bearer}` } });
}

describe('OIDC issuer stand-in', () => {
  let issuer: OidcIssuer;
  let now = Date.now();

  beforeAll(async () => {
    issuer = await startOidcIssuer({ clock: () => now });
  });
  afterAll(async () => {
    await issuer.close();
  });
  beforeEach(() => {
    now = Date.now();
    issuer.resetRequests();
    issuer.setDown(false);
  });

  test('discovery document and JWKS', async () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.requestUrl).toBe(`${issuer.url}/token?api-version=2.0`);
    const config = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(config['issuer']).toBe(issuer.url);
    expect(config['jwks_uri']).toBe(`${issuer.url}/.well-known/jwks`);
    expect(config['id_token_signing_alg_values_supported']).toEqual(['RS256']);
    const jwks = (await (await fetch(config['jwks_uri'] as string)).json()) as { keys: Jwk[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: issuer.kid, alg: 'RS256', use: 'sig' });
    expect(jwks).toEqual(issuer.jwks);
    expect(issuer.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  test('token endpoint answers like ACTIONS_ID_TOKEN_REQUEST_URL', async () => {
    const res = await getIdToken(issuer, 'sts.amazonaws.com');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; value: string };
    expect(body.count).toBe(1);
    const jwt = decodeJwt(body.value);
    expect(jwt.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: issuer.kid });
    expect(verifyRs256(jwt, jwkToKeyObject(issuer.jwks.keys[0] as Jwk))).toBe(true);
    const c = jwt.payload;
    const iat = Math.floor(now / 1000);
    expect(c).toEqual(
      expect.objectContaining({
        iss: issuer.url,
        aud: 'sts.amazonaws.com',
        sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
        repository: 'octo-org/octo-repo',
        repository_owner: 'octo-org',
        ref: 'refs/heads/main',
        workflow: 'Deploy',
        job_workflow_ref: 'octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main',
        run_attempt: '1',
        actor: 'octocat',
        event_name: 'push',
        iat,
        nbf: iat,
        exp: iat + 300,
      }),
    );
    expect(c['sha']).toMatch(/^[0-9a-f]{40}$/);
    expect(c['run_id']).toMatch(/^\d+$/);
    expect(c['jti']).toEqual(expect.any(String));
    expect(c).not.toHaveProperty('environment');
    expect(issuer.requests).toEqual([expect.objectContaining({ audience: 'sts.amazonaws.com', status: 200, jti: c['jti'] })]);
    expect(issuer.tokensIssued).toBe(1);
  });

  test('without an audience the aud is the owner URL, as on GitHub', async () => {
    const res = await getIdToken(issuer);
    const { value } = (await res.json()) as { value: string };
    expect(decodeJwt(value).payload['aud']).toBe('https://github.com/octo-org');
  });

  test('missing, wrong and expired request tokens are 401', async () => {
    expect((await getIdToken(issuer, 'x', null)).status).toBe(401);
    expect((await getIdToken(issuer, 'x', 'nope')).status).toBe(401);
    const rt = decodeJwt(issuer.requestToken).payload;
    expect(rt['exp']).toBe(issuer.requestTokenExpiresAt);
    expect((rt['exp'] as number) - (rt['iat'] as number)).toBe(6 * 3600 + 600);
    now += (6 * 3600 + 600) * 1000; // the job has run 6 h 10 min
    expect((await getIdToken(issuer, 'x')).status).toBe(401);
    expect(issuer.requests.map((r) => r.status)).toEqual([401, 401, 401]);
    issuer.rotateRequestToken();
    expect((await getIdToken(issuer, 'x')).status).toBe(200);
  });

  test('setDown simulates an outage', async () => {
    issuer.setDown(true);
    expect((await getIdToken(issuer, 'a')).status).toBe(503);
    issuer.setDown({ status: 500 });
    expect((await getIdToken(issuer, 'a')).status).toBe(500);
    issuer.setDown(false);
    expect((await getIdToken(issuer, 'a')).status).toBe(200);
    expect(issuer.requests.map((r) => r.status)).toEqual([503, 500, 200]);
  });

  test('setSubject / setTokenTtl / setClaims change later tokens', async () => {
    issuer.setSubject('repo:octo-org/octo-repo:environment:prod');
    issuer.setTokenTtl(60);
    issuer.setClaims({ custom: 'yes' });
    try {
      const c = decodeJwt(await issuer.fetchIdToken('sts.amazonaws.com')).payload;
      expect(c['sub']).toBe('repo:octo-org/octo-repo:environment:prod');
      expect(c['environment']).toBe('prod');
      expect(c['custom']).toBe('yes');
      expect((c['exp'] as number) - (c['iat'] as number)).toBe(60);
    } finally {
      issuer.setSubject('repo:octo-org/octo-repo:ref:refs/heads/main');
      issuer.setTokenTtl(300);
      issuer.setClaims({ custom: undefined });
    }
  });

  test('sign() mints arbitrary tokens with the issuer key; env() gives the step variables', () => {
    const token = issuer.sign({ iss: issuer.url, exp: 1 });
    const jwt = decodeJwt(token);
    expect(jwt.payload).toEqual({ iss: issuer.url, exp: 1 });
    expect(verifyRs256(jwt, issuer.publicKey)).toBe(true);
    expect(issuer.env()).toEqual({
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.requestToken,
    });
  });
});

test('issuerPath puts the issuer under a path (enterprise-style)', async () => {
  const issuer = await startOidcIssuer({ issuerPath: '/octo-enterprise', subject: 'repo:acme/app:pull_request' });
  try {
    expect(issuer.url).toBe(`${issuer.origin}/octo-enterprise`);
    const config = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    expect(config.issuer).toBe(issuer.url);
    expect((await fetch(config.jwks_uri)).status).toBe(200);
    const c = decodeJwt(await issuer.fetchIdToken('sts.amazonaws.com')).payload;
    expect(c['iss']).toBe(issuer.url);
    expect(c['repository']).toBe('acme/app');
    expect(c['event_name']).toBe('pull_request');
  } finally {
    await issuer.close();
  }
});
