/**
 * A local stand-in for GitHub's Actions OIDC issuer.
 *
 * It serves the discovery document and JWKS under the issuer URL and a token
 * endpoint that behaves like `ACTIONS_ID_TOKEN_REQUEST_URL`: the client does
 * `GET ${requestUrl}&audience=<aud>` with `Authorization: Bearer ${requestToken}`
 * and gets `{"count":1,"value":"<JWT>"}`.
 *
 * ```ts
 * const issuer = await startOidcIssuer();
 * const env = issuer.env(); // ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN for a step
 * const jwt = await issuer.fetchIdToken('sts.amazonaws.com');
 * await issuer.close();
 * ```
 */
import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, type ListenOptions, listenLoopback, sleep } from './http-util.js';
import { decodeJwt, publicJwk, signJwt } from './jwt.js';
import type { Jwk, Jwks, JwtClaims, JwtHeader } from './jwt.js';

export interface OidcIssuerOptions extends ListenOptions {
  /** ID token lifetime, `exp - iat`. Default 300 (what GitHub documents). */
  tokenTtlSeconds?: number;
  /** Lifetime of the request token (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`). Default 6 h 10 min. */
  requestTokenTtlSeconds?: number;
  /** `sub` claim. Default `repo:octo-org/octo-repo:ref:refs/heads/main`. */
  subject?: string;
  /** `repository` claim (`owner/name`). Default: taken from `subject`, else `octo-org/octo-repo`. */
  repository?: string;
  /** Path appended to the origin to form the issuer URL, e.g. `/octo-enterprise`. Default none. */
  issuerPath?: string;
  /** `aud` when the request names none. Default `https://github.com/<owner>` (GitHub's default). */
  defaultAudience?: string;
  /** Extra claims merged over the generated ones in every ID token. */
  claims?: JwtClaims;
  /** Clock in ms since the epoch (iat/exp/nbf and request token expiry). Default `Date.now`. */
  clock?: () => number;
  /** Delay before answering a token request. Default 0. */
  latencyMs?: number;
}

/** One request to the token endpoint. */
export interface OidcTokenRequest {
  /** `Date.now()` when the request arrived. */
  at: number;
  /** Requested audience (`''` when none was given). */
  audience: string;
  status: number;
  /** `jti` of the ID token issued, for 200 answers. */
  jti?: string;
}

export interface OidcDown {
  status: number;
  /** Response body; default `{"message":"..."}`. */
  body?: string;
}

/** What `startOidcIssuer` resolves to. */
export interface OidcIssuer {
  /** Issuer URL (`iss`), e.g. `http://127.0.0.1:PORT` (plus `issuerPath`). */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (the host and scheme it listens with). */
  readonly origin: string;
  readonly port: number;
  /** Token endpoint with `?api-version=2.0`, as `ACTIONS_ID_TOKEN_REQUEST_URL`. */
  readonly requestUrl: string;
  /** Bearer token for the token endpoint, as `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (itself an RS256 JWT). */
  readonly requestToken: string;
  /** `exp` of the request token, seconds since the epoch. */
  readonly requestTokenExpiresAt: number;
  readonly kid: string;
  readonly publicKeyPem: string;
  readonly publicKey: KeyObject;
  readonly jwks: Jwks;
  /** Every token endpoint request, in order. */
  readonly requests: readonly OidcTokenRequest[];
  /** Number of ID tokens issued (200 answers). */
  readonly tokensIssued: number;
  readonly subject: string;
  readonly tokenTtlSeconds: number;
  /** The env a step with `id-token: write` gets. */
  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** `true`: the token endpoint answers 503; `{status}`: that status; `false`: back to normal. */
  setDown(down: boolean | OidcDown): void;
  setSubject(sub: string): void;
  setTokenTtl(seconds: number): void;
  setLatency(ms: number): void;
  /** Merges extra claims into every later ID token (`undefined` values remove a claim). */
  setClaims(claims: JwtClaims): void;
  /** Mints a new request token valid for `ttlSeconds` (default the configured TTL); the old one stops working. */
  rotateRequestToken(ttlSeconds?: number): string;
  /** Signs arbitrary claims with the issuer key (header alg RS256, typ JWT, kid). */
  sign(claims: JwtClaims, header?: Partial<JwtHeader>): string;
  /** Mints an ID token exactly as the endpoint would, without HTTP and without recording a request. */
  mintIdToken(opts?: { audience?: string; ttlSeconds?: number; claims?: JwtClaims }): string;
  /** GETs an ID token over HTTP the way `core.getIDToken` does (no retries). Throws on non-200. */
  fetchIdToken(audience?: string): Promise<string>;
  resetRequests(): void;
  close(): Promise<void>;
}

const DEFAULT_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main';
const DEFAULT_REQUEST_TOKEN_TTL = 6 * 3600 + 10 * 60;

/** Starts the issuer on 127.0.0.1 (random port), or on `opts.host`, over https with `opts.tls`. */
export async function startOidcIssuer(opts: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const issuer = new LocalOidcIssuer(opts);
  await issuer.listen();
  return issuer;
}

class LocalOidcIssuer implements OidcIssuer {
  readonly kid: string;
  readonly publicKey: KeyObject;
  readonly publicKeyPem: string;
  private readonly privateKey: KeyObject;
  private readonly jwk: Jwk;
  private readonly clock: () => number;
  private readonly issuerPath: string;
  private readonly repositoryOverride: string | undefined;
  private readonly defaultAudience: string | undefined;
  private readonly requestTokenTtl: number;
  private readonly runId = String(10_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  private readonly sha = randomBytes(20).toString('hex');
  private extraClaims: JwtClaims;
  private sub: string;
  private ttl: number;
  private latency: number;
  private down: OidcDown | undefined;
  private server: Server | undefined;
  private _origin = '';
  private _port = 0;
  private _requestToken = '';
  private _requestTokenExp = 0;
  private readonly _requests: OidcTokenRequest[] = [];

  private readonly listenOptions: ListenOptions;

  constructor(opts: OidcIssuerOptions) {
    this.listenOptions = { ...(opts.host !== undefined && { host: opts.host }), ...(opts.tls && { tls: opts.tls }) };
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    this.kid = randomBytes(16).toString('hex').toUpperCase();
    this.jwk = publicJwk(publicKey, this.kid);
    this.clock = opts.clock ?? Date.now;
    this.issuerPath = normalizePath(opts.issuerPath ?? '');
    this.repositoryOverride = opts.repository;
    this.defaultAudience = opts.defaultAudience;
    this.requestTokenTtl = opts.requestTokenTtlSeconds ?? DEFAULT_REQUEST_TOKEN_TTL;
    this.extraClaims = { ...(opts.claims ?? {}) };
    this.sub = opts.subject ?? DEFAULT_SUBJECT;
    this.ttl = opts.tokenTtlSeconds ?? 300;
    this.latency = opts.latencyMs ?? 0;
  }

  async listen(): Promise<void> {
    const { server, port, origin } = await listenLoopback((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) json(res, 500, { message: String(err) });
        else res.destroy();
      });
    }, this.listenOptions);
    this.server = server;
    this._port = port;
    this._origin = origin;
    this.rotateRequestToken();
  }

  get url(): string {
    return `${this._origin}${this.issuerPath}`;
  }
  get origin(): string {
    return this._origin;
  }
  get port(): number {
    return this._port;
  }
  get requestUrl(): string {
    return `${this._origin}/token?api-version=2.0`;
  }
  get requestToken(): string {
    return this._requestToken;
  }
  get requestTokenExpiresAt(): number {
    return this._requestTokenExp;
  }
  get jwks(): Jwks {
    return { keys: [{ ...this.jwk }] };
  }
  get requests(): readonly OidcTokenRequest[] {
    return this._requests;
  }
  get tokensIssued(): number {
    return this._requests.filter((r) => r.status === 200).length;
  }
  get subject(): string {
    return this.sub;
  }
  get tokenTtlSeconds(): number {
    return this.ttl;
  }

  env(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string } {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: this.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this._requestToken };
  }

  setDown(down: boolean | OidcDown): void {
    this.down = down === true ? { status: 503 } : down === false ? undefined : down;
  }
  setSubject(sub: string): void {
    this.sub = sub;
  }
  setTokenTtl(seconds: number): void {
    this.ttl = seconds;
  }
  setLatency(ms: number): void {
    this.latency = ms;
  }
  setClaims(claims: JwtClaims): void {
    for (const [k, v] of Object.entries(claims)) {
      if (v === undefined) delete this.extraClaims[k];
      else this.extraClaims[k] = v;
    }
  }

  rotateRequestToken(ttlSeconds: number = this.requestTokenTtl): string {
    const now = this.nowSeconds();
    this._requestTokenExp = now + ttlSeconds;
    this._requestToken = this.sign({
      nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${randomUUID()}:${randomUUID()} generate_id_token:${randomUUID()}:${randomUUID()}`,
      ac: '[{"Scope":"refs/heads/main","Permission":3}]',
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vstoken.actions.githubusercontent.com',
      nbf: now,
      iat: now,
      exp: this._requestTokenExp,
      jti: randomUUID(),
    });
    return this._requestToken;
  }

  sign(claims: JwtClaims, header: Partial<JwtHeader> = {}): string {
    return signJwt(claims, this.privateKey, { kid: this.kid, ...header });
  }

  mintIdToken(opts: { audience?: string; ttlSeconds?: number; claims?: JwtClaims } = {}): string {
    return this.sign(this.idTokenClaims(opts.audience ?? '', opts.ttlSeconds ?? this.ttl, opts.claims ?? {}));
  }

  async fetchIdToken(audience?: string): Promise<string> {
    const url = audience === undefined ? this.requestUrl : `${this.requestUrl}&audience=${encodeURIComponent(audience)}`;
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${this._requestToken}`, Accept: 'application/json' },
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`OIDC token request failed: ${res.status} ${text}`);
    const body = JSON.parse(text) as { value?: unknown };
    if (typeof body.value !== 'string') throw new Error('OIDC token response has no value');
    return body.value;
  }

  resetRequests(): void {
    this._requests.length = 0;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  // ---------------------------------------------------------------------------

  private nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  private repository(): string {
    if (this.repositoryOverride) return this.repositoryOverride;
    const m = /^repo:([^:]+):/.exec(this.sub);
    // The immutable form is `repo:OWNER@ID/REPO@ID:...`.
    return m?.[1]?.replace(/@\d+/g, '') ?? 'octo-org/octo-repo';
  }

  private idTokenClaims(audience: string, ttl: number, extra: JwtClaims): JwtClaims {
    const now = this.nowSeconds();
    const repository = this.repository();
    const owner = repository.split('/')[0] ?? 'octo-org';
    const refMatch = /:ref:(.+)$/.exec(this.sub);
    const ref = refMatch?.[1] ?? 'refs/heads/main';
    const envMatch = /:environment:([^:]+)$/.exec(this.sub);
    const eventName = this.sub.endsWith(':pull_request') ? 'pull_request' : 'push';
    const workflowRef = `${repository}/.github/workflows/deploy.yml@${ref}`;
    const claims: JwtClaims = {
      jti: randomUUID(),
      sub: this.sub,
      aud: audience || this.defaultAudience || `https://github.com/${owner}`,
      ref,
      sha: this.sha,
      repository,
      repository_owner: owner,
      repository_owner_id: '1000001',
      repository_id: '2000002',
      repository_visibility: 'private',
      run_id: this.runId,
      run_number: '7',
      run_attempt: '1',
      actor: 'octocat',
      actor_id: '3000003',
      workflow: 'Deploy',
      workflow_ref: workflowRef,
      workflow_sha: this.sha,
      job_workflow_ref: workflowRef,
      job_workflow_sha: this.sha,
      head_ref: '',
      base_ref: '',
      event_name: eventName,
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      ref_protected: 'false',
      runner_environment: 'github-hosted',
      iss: this.url,
      nbf: now,
      exp: now + ttl,
      iat: now,
    };
    if (envMatch?.[1]) {
      claims['environment'] = envMatch[1];
      claims['environment_node_id'] = 'EN_kwDOAAAAAA';
    }
    for (const [k, v] of Object.entries({ ...this.extraClaims, ...extra })) {
      if (v === undefined) delete claims[k];
      else claims[k] = v;
    }
    return claims;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this._origin);
    const path = url.pathname;
    if (path === `${this.issuerPath}/.well-known/openid-configuration`) {
      json(res, 200, {
        issuer: this.url,
        jwks_uri: `${this.url}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: [
          'sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'sha', 'repository', 'repository_id',
          'repository_owner', 'repository_owner_id', 'run_id', 'run_number', 'run_attempt', 'actor', 'actor_id',
          'workflow', 'workflow_ref', 'workflow_sha', 'head_ref', 'base_ref', 'event_name', 'ref_type',
          'ref_protected', 'environment', 'environment_node_id', 'job_workflow_ref', 'job_workflow_sha',
          'repository_visibility', 'runner_environment',
        ],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
      return;
    }
    if (path === `${this.issuerPath}/.well-known/jwks`) {
      json(res, 200, this.jwks);
      return;
    }
    if (path === '/token') {
      await this.handleToken(req, res, url);
      return;
    }
    json(res, 404, { message: 'Not Found' });
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const audience = url.searchParams.get('audience') ?? '';
    const record: OidcTokenRequest = { at: Date.now(), audience, status: 0 };
    this._requests.push(record);
    await sleep(this.latency);
    const answer = (status: number, body: unknown, raw?: string): void => {
      record.status = status;
      if (raw !== undefined) {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(raw);
      } else {
        json(res, status, body);
      }
    };
    if (req.method !== 'GET') {
      answer(405, { message: 'Method Not Allowed' });
      return;
    }
    if (this.down) {
      answer(this.down.status, { message: 'Service Unavailable (stand-in outage)' }, this.down.body);
      return;
    }
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(auth);
    const presented = m?.[1] ?? '';
    if (!presented || !safeEqual(presented, this._requestToken)) {
      answer(401, { message: 'Unauthorized: invalid or missing bearer token' });
      return;
    }
    // The request token is a JWT; enforce its exp like the real service.
    const exp = decodeJwt(this._requestToken).payload['exp'];
    if (typeof exp === 'number' && this.nowSeconds() >= exp) {
      answer(401, { message: 'Unauthorized: the request token has expired' });
      return;
    }
    const claims = this.idTokenClaims(audience, this.ttl, {});
    record.jti = String(claims['jti']);
    answer(200, { count: 1, value: this.sign(claims) });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function normalizePath(p: string): string {
  if (!p || p === '/') return '';
  return `/${p.replace(/^\/+|\/+$/g, '')}`;
}
