/**
 * A local stand-in for AWS STS (Query protocol, XML, API version 2011-06-15).
 *
 * Implements AssumeRoleWithWebIdentity (unsigned, verifies the OIDC JWT
 * against the configured issuer), AssumeRole and GetCallerIdentity (SigV4
 * verified against the credentials this stand-in issued), with the error
 * codes, messages and HTTP statuses real STS uses, a skewable clock,
 * compressible credential lifetimes and fault injection.
 *
 * ```ts
 * const issuer = await startOidcIssuer();
 * const sts = await startSts({
 *   issuer,                                   // live: key rotation is seen
 *   roles: { 'arn:aws:iam::123456789012:role/deploy': { maxSessionDuration: 7200,
 *            trust: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/*' } } },
 *   credentialLifetime: (granted) => granted / 360,   // 1 h lives 10 s
 * });
 * const client = new STSClient({ region: 'us-east-1', endpoint: sts.endpoint, maxAttempts: 1 });
 * ```
 */
import { createPublicKey, randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, type ListenOptions, globMatch, listenLoopback, readBody, sleep } from './http-util.js';
import { decodeJwt, jwkToKeyObject, verifyRs256 } from './jwt.js';
import type { DecodedJwt, Jwks } from './jwt.js';
import {
  UNSIGNED_PAYLOAD,
  canonicalRequest,
  computeSignature,
  constantTimeEqualHex,
  headerMap,
  parseAmzDate,
  parseSigV4,
  sha256Hex,
  stringToSign,
  toAmzDate,
} from './sigv4.js';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_VERSION = '2011-06-15';

/** An OIDC provider registered "in the account". Pass an `OidcIssuer` directly: it is read live. */
export interface StsIssuerConfig {
  readonly url: string;
  readonly jwks?: Jwks;
  readonly publicKeyPem?: string;
  /** The provider's client ID list. When set, a token whose `aud` is not in it fails with InvalidIdentityToken "Incorrect token audience". */
  readonly clientIds?: readonly string[];
}

/** Trust policy conditions for AssumeRoleWithWebIdentity; `*` and `?` are globs (StringLike). Omitted: any. */
export interface StsTrust {
  aud?: string | readonly string[];
  sub?: string | readonly string[];
}

export interface StsRoleConfig {
  /** The role's MaxSessionDuration in seconds (3600..43200 in AWS). Default 3600. */
  maxSessionDuration?: number;
  trust?: StsTrust;
  /** Role ARNs (globs) allowed to AssumeRole into this role. Omitted: any caller. */
  trustedPrincipals?: readonly string[];
  /** The trust policy's `sts:ExternalId` condition for AssumeRole: a call without this exact ExternalId is denied. */
  externalId?: string;
  /** The trust policy does not allow sts:TagSession: an AssumeRole with Tags is denied. Default: allowed. */
  denyTagSession?: boolean;
  /**
   * Stands in for STS's packed (compressed) size limit of session tags: an AssumeRole whose tags' keys and values
   * take more UTF-8 bytes than this fails with PackedPolicyTooLarge. Default: no limit.
   */
  maxPackedTagBytes?: number;
}

export interface StsOptions extends ListenOptions {
  issuer: StsIssuerConfig | readonly StsIssuerConfig[];
  roles?: Record<string, StsRoleConfig>;
  /** The stand-in's clock = real clock + offset. Drives Date headers, Expiration and every expiry check. */
  clockOffsetMs?: number;
  /**
   * Real seconds a session lives for the granted DurationSeconds (the
   * Expiration returned matches, rounded up to a whole second as on the
   * wire). Default: identity. E.g. `(s) => s / 360` makes a 1 h session live 10 s.
   */
  credentialLifetime?: (grantedSeconds: number) => number;
  /** Delay added before every answer. */
  latencyMs?: number;
  /** Account used in provider ARNs and for roles whose ARN names none. Default 123456789012. */
  accountId?: string;
  /** Serve the JSON control API under `/__standin/` (used by the CLI). Default false. */
  control?: boolean;
}

export type StsErrorType = 'Sender' | 'Receiver';

export interface StsErrorFault {
  status: number;
  code?: string;
  message?: string;
  type?: StsErrorType;
}
/** Wait this long, then handle the request normally (a client timeout usually fires first). */
export interface StsHangFault {
  hangMs: number;
}
/** Destroy the connection without answering. */
export interface StsDropFault {
  drop: true;
}
export type StsFault = StsErrorFault | StsHangFault | StsDropFault;

/** Ready-made faults shaped like the real ones. */
export const stsFaults = {
  throttling: (): StsErrorFault => ({ status: 400, code: 'Throttling', type: 'Sender', message: 'Rate exceeded' }),
  internalFailure: (): StsErrorFault => ({
    status: 500,
    code: 'InternalFailure',
    type: 'Receiver',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  }),
  serviceUnavailable: (): StsErrorFault => ({
    status: 503,
    code: 'ServiceUnavailable',
    type: 'Receiver',
    message: 'The request has failed due to a temporary failure of the server.',
  }),
  idpCommunicationError: (): StsErrorFault => ({
    status: 400,
    code: 'IDPCommunicationError',
    type: 'Sender',
    message:
      'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached. This is often a transient error caused by network conditions. Retry the request a limited number of times and wait between attempts to be notified of the IdP availability.',
  }),
  /** The "transient in practice" InvalidIdentityToken (note AWS's double space after the comma). */
  invalidIdentityTokenKey: (): StsErrorFault => ({
    status: 400,
    code: 'InvalidIdentityToken',
    type: 'Sender',
    message: VERIFICATION_KEY_MESSAGE,
  }),
  hang: (ms: number): StsHangFault => ({ hangMs: ms }),
  drop: (): StsDropFault => ({ drop: true }),
} as const;

/** One handled request (recorded when its answer was sent, or the connection dropped). */
export interface StsCall {
  /** `Date.now()` (real clock) when the request arrived. */
  at: number;
  /** Real milliseconds from arrival to answer. */
  elapsedMs: number;
  action: string;
  /** HTTP status; 0 when dropped. */
  status: number;
  /** Error code for non-2xx answers (`'(dropped)'` for drops). */
  code?: string;
  message?: string;
  /** True when the answer came from injected faults or `setDown`. */
  fault?: boolean;
  /** DurationSeconds as sent (absent when not sent). */
  durationSeconds?: number;
  /** Seconds granted, on success. */
  grantedSeconds?: number;
  /** Signing access key id for signed calls. */
  accessKeyId?: string;
  /** Access key id of the credentials issued, on successful Assume* calls. */
  issuedAccessKeyId?: string;
  roleArn?: string;
  roleSessionName?: string;
  /** JWT `sub`/`aud` for AssumeRoleWithWebIdentity, when the token could be decoded. */
  subject?: string;
  audience?: string;
  signed: boolean;
  /** Region of the credential scope of signed calls. */
  region?: string;
  /** AssumeRole's ExternalId, session Tags and TransitiveTagKeys, as sent. */
  externalId?: string;
  tags?: Array<{ key: string; value: string }>;
  transitiveTagKeys?: string[];
  requestId: string;
}

export interface StsSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  roleArn: string;
  roleSessionName: string;
  /** `AROA...:session` */
  assumedRoleId: string;
  /** `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION` */
  arn: string;
  accountId: string;
  /** IamUser: long-lived keys (no session token, no end); InstanceProfile: EC2 instance credentials (see imds.ts). */
  source: 'AssumeRoleWithWebIdentity' | 'AssumeRole' | 'IamUser' | 'InstanceProfile';
  /** Stand-in clock (ms) at issue and at expiry (= the Expiration returned). */
  issuedAt: number;
  expiresAt: number;
  grantedSeconds: number;
  /** Real seconds it lives (`credentialLifetime(grantedSeconds)`). */
  lifetimeSeconds: number;
  chained: boolean;
  parentAccessKeyId?: string;
  subject?: string;
  audience?: string;
  policy?: string;
  policyArns: string[];
}

/** SDK-shaped credentials (`AwsCredentialIdentity`). */
export interface StsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export interface StsStandIn {
  /** `http://127.0.0.1:PORT` (the host and scheme it listens with) */
  readonly endpoint: string;
  readonly port: number;
  readonly accountId: string;
  readonly calls: readonly StsCall[];
  readonly sessions: ReadonlyMap<string, StsSession>;
  readonly clockOffsetMs: number;
  /** The stand-in's clock, ms since the epoch. */
  now(): number;
  resetCalls(): void;
  sessionFor(accessKeyId: string): StsSession | undefined;
  /** The issued credentials in the SDK's shape (for `new STSClient({ credentials })`). */
  credentialsFor(accessKeyId: string): StsCredentials | undefined;
  /** Makes the session expired by the stand-in's clock. False when unknown. */
  expireSession(accessKeyId: string): boolean;
  expireAllSessions(): void;
  setRole(arn: string, cfg: StsRoleConfig): void;
  removeRole(arn: string): void;
  /**
   * An IAM user with long-lived keys (AKIA..., no session token) that sign
   * AssumeRole: not role chaining, so the role's MaxSessionDuration applies.
   */
  addUser(name: string): { accessKeyId: string; secretAccessKey: string; arn: string };
  /** Deletes (deactivates) a user's keys: later calls signed with them get InvalidClientTokenId. */
  removeUser(accessKeyId: string): void;
  /**
   * Role credentials as EC2 hands an instance profile's role: a role session
   * living `lifetimeSeconds` real seconds, so AssumeRole signed with it is role
   * chaining (at most 1 h).
   */
  issueInstanceCredentials(roleArn: string, lifetimeSeconds: number, instanceId?: string): StsSession;
  /** Queues faults answered, in order, to the next requests for `action` (`'*'`: any action). Action-specific queues go first. */
  injectFaults(action: string, faults: readonly StsFault[]): void;
  clearFaults(): void;
  pendingFaults(action?: string): number;
  /** `true`: every request gets 503 ServiceUnavailable; a fault: that answer; `false`: normal. */
  setDown(down: boolean | StsFault): void;
  setClockOffset(ms: number): void;
  setLatency(ms: number): void;
  setCredentialLifetime(fn: (grantedSeconds: number) => number): void;
  /** Resolves with the first call recorded from now on (or already, with `includePast`) that matches. */
  waitForCall(predicate: (call: StsCall) => boolean, opts?: { timeoutMs?: number; includePast?: boolean }): Promise<StsCall>;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1 (random port), or on `opts.host`, over https with `opts.tls`. */
export async function startSts(opts: StsOptions): Promise<StsStandIn> {
  const sts = new LocalSts(opts);
  await sts.listen();
  return sts;
}

// -----------------------------------------------------------------------------

const VERIFICATION_KEY_MESSAGE =
  "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const SKEW_LIMIT_MS = 15 * 60 * 1000;
const SESSION_NAME_RE = /^[\w+=,.@-]*$/;

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: StsErrorType = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

interface RoleEntry {
  cfg: StsRoleConfig;
  roleId: string;
  name: string;
  accountId: string;
}

interface Waiter {
  predicate: (call: StsCall) => boolean;
  resolve: (call: StsCall) => void;
}

class LocalSts implements StsStandIn {
  readonly accountId: string;
  private readonly issuers: readonly StsIssuerConfig[];
  private readonly roles = new Map<string, RoleEntry>();
  private readonly _sessions = new Map<string, StsSession>();
  private readonly _calls: StsCall[] = [];
  private readonly faults = new Map<string, StsFault[]>();
  private readonly waiters = new Set<Waiter>();
  private readonly control: boolean;
  private down: StsFault | undefined;
  private offset: number;
  private latency: number;
  private lifetime: (grantedSeconds: number) => number;
  private server: Server | undefined;
  private _endpoint = '';
  private _port = 0;

  private readonly listenOptions: ListenOptions;

  constructor(opts: StsOptions) {
    this.listenOptions = { ...(opts.host !== undefined && { host: opts.host }), ...(opts.tls && { tls: opts.tls }) };
    this.accountId = opts.accountId ?? '123456789012';
    this.issuers = isIssuerList(opts.issuer) ? [...opts.issuer] : [opts.issuer];
    this.offset = opts.clockOffsetMs ?? 0;
    this.latency = opts.latencyMs ?? 0;
    this.lifetime = opts.credentialLifetime ?? ((s) => s);
    this.control = opts.control ?? false;
    for (const [arn, cfg] of Object.entries(opts.roles ?? {})) this.setRole(arn, cfg);
  }

  async listen(): Promise<void> {
    const { server, port, origin } = await listenLoopback((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Only reachable on a bug in the stand-in: answer like AWS would.
        if (!res.headersSent) {
          this.sendError(res, randomUUID(), new StsError(500, 'InternalFailure', String(err)));
        } else {
          res.destroy();
        }
      });
    }, this.listenOptions);
    this.server = server;
    this._port = port;
    this._endpoint = origin;
  }

  get endpoint(): string {
    return this._endpoint;
  }
  get port(): number {
    return this._port;
  }
  get calls(): readonly StsCall[] {
    return this._calls;
  }
  get sessions(): ReadonlyMap<string, StsSession> {
    return this._sessions;
  }
  get clockOffsetMs(): number {
    return this.offset;
  }

  now(): number {
    return Date.now() + this.offset;
  }
  resetCalls(): void {
    this._calls.length = 0;
  }
  sessionFor(accessKeyId: string): StsSession | undefined {
    return this._sessions.get(accessKeyId);
  }
  credentialsFor(accessKeyId: string): StsCredentials | undefined {
    const s = this._sessions.get(accessKeyId);
    return s && {
      accessKeyId: s.accessKeyId,
      secretAccessKey: s.secretAccessKey,
      sessionToken: s.sessionToken,
      expiration: new Date(s.expiresAt),
    };
  }
  expireSession(accessKeyId: string): boolean {
    const s = this._sessions.get(accessKeyId);
    if (!s) return false;
    s.expiresAt = Math.min(s.expiresAt, this.now() - 1);
    return true;
  }
  expireAllSessions(): void {
    for (const id of this._sessions.keys()) this.expireSession(id);
  }
  setRole(arn: string, cfg: StsRoleConfig): void {
    const existing = this.roles.get(arn);
    const parsed = parseRoleArn(arn);
    this.roles.set(arn, {
      cfg: { ...cfg },
      roleId: existing?.roleId ?? `AROA${randomChars(UPPER_ALNUM, 17)}`,
      name: parsed?.name ?? arn.split('/').pop() ?? arn,
      accountId: parsed?.accountId ?? this.accountId,
    });
  }
  removeRole(arn: string): void {
    this.roles.delete(arn);
  }
  addUser(name: string): { accessKeyId: string; secretAccessKey: string; arn: string } {
    const now = this.now();
    const user: StsSession = {
      accessKeyId: `AKIA${randomChars(UPPER_ALNUM, 16)}`,
      secretAccessKey: randomChars(SECRET_CHARS, 40),
      sessionToken: '',
      roleArn: `arn:aws:iam::${this.accountId}:user/${name}`,
      roleSessionName: name,
      assumedRoleId: `AIDA${randomChars(UPPER_ALNUM, 17)}`,
      arn: `arn:aws:iam::${this.accountId}:user/${name}`,
      accountId: this.accountId,
      source: 'IamUser',
      issuedAt: now,
      expiresAt: Number.MAX_SAFE_INTEGER,
      grantedSeconds: 0,
      lifetimeSeconds: Infinity,
      chained: false,
      policyArns: [],
    };
    this._sessions.set(user.accessKeyId, user);
    return { accessKeyId: user.accessKeyId, secretAccessKey: user.secretAccessKey, arn: user.arn };
  }
  removeUser(accessKeyId: string): void {
    if (this._sessions.get(accessKeyId)?.source === 'IamUser') this._sessions.delete(accessKeyId);
  }
  issueInstanceCredentials(roleArn: string, lifetimeSeconds: number, instanceId = 'i-0123456789abcdef0'): StsSession {
    const role = this.roles.get(roleArn);
    if (!role) throw new Error(`issueInstanceCredentials: unknown role ${roleArn}`);
    const session = this.issue(role, roleArn, instanceId, 21600, 'InstanceProfile', { policyArns: [] });
    session.lifetimeSeconds = lifetimeSeconds;
    session.expiresAt = Math.ceil((session.issuedAt + lifetimeSeconds * 1000) / 1000) * 1000;
    return session;
  }
  injectFaults(action: string, faults: readonly StsFault[]): void {
    const queue = this.faults.get(action) ?? [];
    queue.push(...faults.map((f) => ({ ...f })));
    this.faults.set(action, queue);
  }
  clearFaults(): void {
    this.faults.clear();
  }
  pendingFaults(action?: string): number {
    if (action !== undefined) return this.faults.get(action)?.length ?? 0;
    let n = 0;
    for (const q of this.faults.values()) n += q.length;
    return n;
  }
  setDown(down: boolean | StsFault): void {
    this.down = down === true ? stsFaults.serviceUnavailable() : down === false ? undefined : down;
  }
  setClockOffset(ms: number): void {
    this.offset = ms;
  }
  setLatency(ms: number): void {
    this.latency = ms;
  }
  setCredentialLifetime(fn: (grantedSeconds: number) => number): void {
    this.lifetime = fn;
  }

  waitForCall(
    predicate: (call: StsCall) => boolean,
    opts: { timeoutMs?: number; includePast?: boolean } = {},
  ): Promise<StsCall> {
    if (opts.includePast) {
      const found = this._calls.find(predicate);
      if (found) return Promise.resolve(found);
    }
    const timeoutMs = opts.timeoutMs ?? 10_000;
    return new Promise<StsCall>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`waitForCall: no matching STS call within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  // --- request handling ---------------------------------------------------------

  private takeFault(action: string): StsFault | undefined {
    if (this.down) return this.down;
    for (const key of [action, '*']) {
      const queue = this.faults.get(key);
      if (queue && queue.length > 0) {
        const f = queue.shift();
        if (queue.length === 0) this.faults.delete(key);
        return f;
      }
    }
    return undefined;
  }

  private record(call: StsCall): void {
    call.elapsedMs = Date.now() - call.at;
    this._calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.predicate(call)) w.resolve(call);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const requestId = randomUUID();
    const body = await readBody(req);
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, this._endpoint);

    if (this.control && url.pathname.startsWith('/__standin/')) {
      await this.handleControl(req, res, url, body);
      return;
    }

    const params = new URLSearchParams(url.search);
    if (body.length > 0) {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
    }
    const action = params.get('Action') ?? '';
    const call: StsCall = { at, elapsedMs: 0, action, status: 0, signed: false, requestId };
    const roleArn = params.get('RoleArn');
    if (roleArn !== null) call.roleArn = roleArn;
    const sessionName = params.get('RoleSessionName');
    if (sessionName !== null) call.roleSessionName = sessionName;
    const duration = params.get('DurationSeconds');
    if (duration !== null && /^-?\d+$/.test(duration)) call.durationSeconds = Number(duration);

    await sleep(this.latency);

    const fault = this.takeFault(action);
    if (fault) {
      call.fault = true;
      if ('drop' in fault) {
        call.code = '(dropped)';
        req.socket.destroy();
        this.record(call);
        return;
      }
      if ('hangMs' in fault) {
        await sleep(fault.hangMs);
        if (req.socket.destroyed) {
          call.code = '(client gone)';
          this.record(call);
          return;
        }
        delete call.fault; // handled normally after the hang
      } else {
        const err = new StsError(
          fault.status,
          fault.code ?? defaultCodeFor(fault.status),
          fault.message ?? defaultMessageFor(fault.status),
          fault.type ?? (fault.status >= 500 ? 'Receiver' : 'Sender'),
        );
        this.sendError(res, requestId, err);
        call.status = err.status;
        call.code = err.code;
        call.message = err.message;
        this.record(call);
        return;
      }
    }

    try {
      const xml = this.dispatch(action, params, req, url, body, call, requestId);
      this.sendXml(res, 200, requestId, xml);
      call.status = 200;
    } catch (err) {
      const e = err instanceof StsError ? err : new StsError(500, 'InternalFailure', String(err));
      this.sendError(res, requestId, e);
      call.status = e.status;
      call.code = e.code;
      call.message = e.message;
    }
    this.record(call);
  }

  private dispatch(
    action: string,
    params: URLSearchParams,
    req: IncomingMessage,
    url: URL,
    body: Buffer,
    call: StsCall,
    requestId: string,
  ): string {
    switch (action) {
      case 'AssumeRoleWithWebIdentity':
        return this.assumeRoleWithWebIdentity(params, call, requestId);
      case 'AssumeRole': {
        const caller = this.authenticate(req, url, body, call);
        return this.assumeRole(params, caller, call, requestId);
      }
      case 'GetCallerIdentity': {
        const caller = this.authenticate(req, url, body, call);
        return envelope(
          'GetCallerIdentity',
          `<Arn>${esc(caller.arn)}</Arn><UserId>${esc(caller.assumedRoleId)}</UserId><Account>${esc(caller.accountId)}</Account>`,
          requestId,
        );
      }
      default:
        throw new StsError(400, 'InvalidAction', `Could not find operation ${action} for version ${STS_VERSION}`);
    }
  }

  // --- AssumeRoleWithWebIdentity -----------------------------------------------

  private assumeRoleWithWebIdentity(params: URLSearchParams, call: StsCall, requestId: string): string {
    const problems: string[] = [];
    const roleArn = requireParam(params, 'RoleArn', 'roleArn', problems, 20, 2048);
    const sessionName = requireParam(params, 'RoleSessionName', 'roleSessionName', problems, 2, 64, SESSION_NAME_RE, '[\\w+=,.@-]*');
    const token = requireParam(params, 'WebIdentityToken', 'webIdentityToken', problems, 4, 20000);
    const duration = durationParam(params, problems);
    const policy = policyParam(params, problems);
    const policyArns = policyArnsParam(params);
    throwValidation(problems);

    const now = this.now();
    const nowSec = Math.floor(now / 1000);
    const jwt = this.verifyWebIdentityToken(token as string, nowSec, call);
    const aud = audiences(jwt.payload['aud']);
    const sub = typeof jwt.payload['sub'] === 'string' ? jwt.payload['sub'] : '';

    const role = this.roles.get(roleArn as string);
    const trust = role?.cfg.trust;
    const trusted =
      role !== undefined &&
      matchesAny(trust?.aud, aud) &&
      matchesAny(trust?.sub, [sub]);
    if (!trusted) {
      throw new StsError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const granted = duration ?? 3600;
    if (granted > (role.cfg.maxSessionDuration ?? 3600)) {
      throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }

    const issuer = this.findIssuer(String(jwt.payload['iss']));
    const session = this.issue(role, roleArn as string, sessionName as string, granted, 'AssumeRoleWithWebIdentity', {
      subject: sub,
      audience: aud[0] ?? '',
      ...(policy !== undefined ? { policy } : {}),
      policyArns,
    });
    call.grantedSeconds = granted;
    call.issuedAccessKeyId = session.accessKeyId;
    const provider = `arn:aws:iam::${this.accountId}:oidc-provider/${(issuer?.url ?? '').replace(/^https?:\/\//, '').replace(/\/$/, '')}`;
    return envelope(
      'AssumeRoleWithWebIdentity',
      credentialsXml(session) +
        `<SubjectFromWebIdentityToken>${esc(sub)}</SubjectFromWebIdentityToken>` +
        assumedRoleUserXml(session) +
        `<Provider>${esc(provider)}</Provider>` +
        `<Audience>${esc(aud[0] ?? '')}</Audience>`,
      requestId,
    );
  }

  private findIssuer(iss: string): StsIssuerConfig | undefined {
    const norm = (u: string): string => u.replace(/\/+$/, '');
    return this.issuers.find((i) => norm(i.url) === norm(iss));
  }

  private verifyWebIdentityToken(token: string, nowSec: number, call: StsCall): DecodedJwt {
    let jwt: DecodedJwt;
    try {
      jwt = decodeJwt(token);
    } catch {
      throw new StsError(400, 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    const p = jwt.payload;
    if (typeof p['sub'] === 'string') call.subject = p['sub'];
    const aud = audiences(p['aud']);
    if (aud[0] !== undefined) call.audience = aud[0];

    const iss = typeof p['iss'] === 'string' ? p['iss'] : '';
    const issuer = this.findIssuer(iss);
    if (!issuer) {
      throw new StsError(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
    }
    const key = issuerKey(issuer, jwt.header.kid);
    if (!key) throw new StsError(400, 'InvalidIdentityToken', VERIFICATION_KEY_MESSAGE);
    if (!verifyRs256(jwt, key)) {
      throw new StsError(
        400,
        'InvalidIdentityToken',
        'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.',
      );
    }
    const exp = p['exp'];
    if (typeof exp !== 'number' || nowSec >= exp) {
      throw new StsError(
        400,
        'ExpiredTokenException',
        `Token expired: current date/time ${nowSec} must be before the expiration date/time ${typeof exp === 'number' ? exp : 0}`,
      );
    }
    const nbf = p['nbf'];
    if (typeof nbf === 'number' && nowSec < nbf) {
      throw new StsError(
        400,
        'InvalidIdentityToken',
        `Token is not yet valid: current date/time ${nowSec} must be at or after the not-before date/time ${nbf}`,
      );
    }
    if (issuer.clientIds && !aud.some((a) => issuer.clientIds?.includes(a))) {
      throw new StsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
    }
    return jwt;
  }

  // --- AssumeRole (role chaining) -------------------------------------------------

  private assumeRole(params: URLSearchParams, caller: StsSession, call: StsCall, requestId: string): string {
    const problems: string[] = [];
    const roleArn = requireParam(params, 'RoleArn', 'roleArn', problems, 20, 2048);
    const sessionName = requireParam(params, 'RoleSessionName', 'roleSessionName', problems, 2, 64, SESSION_NAME_RE, '[\\w+=,.@-]*');
    const duration = durationParam(params, problems);
    const policy = policyParam(params, problems);
    const policyArns = policyArnsParam(params);
    const externalId = params.get('ExternalId') ?? undefined;
    const tags = tagsParam(params);
    const transitiveTagKeys = memberList(params, 'TransitiveTagKeys');
    if (externalId !== undefined) call.externalId = externalId;
    if (tags.length > 0) call.tags = tags;
    if (transitiveTagKeys.length > 0) call.transitiveTagKeys = transitiveTagKeys;
    checkExtras(externalId, tags, transitiveTagKeys, problems);
    throwValidation(problems);
    // The API reference (AssumeRole, TransitiveTagKeys): each key must also be in Tags.
    for (const key of transitiveTagKeys) {
      if (!tags.some((t) => t.key.toLowerCase() === key.toLowerCase())) {
        throw new StsError(400, 'InvalidParameterValue', `The transitive tag key ${key} is not in the session tags.`);
      }
    }

    const granted = duration ?? 3600;
    // A caller that is a role session (web identity, AssumeRole, an instance profile) is role chaining; an IAM user is not.
    if (caller.source !== 'IamUser' && granted > 3600) {
      throw new StsError(
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    const role = this.roles.get(roleArn as string);
    const principals = role?.cfg.trustedPrincipals;
    const allowed =
      role !== undefined &&
      (principals === undefined || principals.some((p) => globMatch(p, caller.roleArn) || globMatch(p, caller.arn)));
    if (!allowed) {
      throw new StsError(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn as string}`,
      );
    }
    // A trust policy with an sts:ExternalId condition denies every call without that exact ID, as STS does.
    if ((role.cfg.externalId !== undefined && externalId !== role.cfg.externalId) || (role.cfg.denyTagSession && tags.length > 0)) {
      throw new StsError(
        403,
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn as string}`,
      );
    }
    const packed = tags.reduce((n, t) => n + Buffer.byteLength(t.key) + Buffer.byteLength(t.value), 0);
    if (role.cfg.maxPackedTagBytes !== undefined && packed > role.cfg.maxPackedTagBytes) {
      const share = Math.ceil((packed / role.cfg.maxPackedTagBytes) * 100);
      throw new StsError(400, 'PackedPolicyTooLarge', `Packed size of session tags and policies consumes ${share}% of allotted space.`);
    }
    if (granted > (role.cfg.maxSessionDuration ?? 3600)) {
      throw new StsError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const session = this.issue(role, roleArn as string, sessionName as string, granted, 'AssumeRole', {
      parentAccessKeyId: caller.accessKeyId,
      ...(policy !== undefined ? { policy } : {}),
      policyArns,
    });
    session.chained = caller.source !== 'IamUser';
    call.grantedSeconds = granted;
    call.issuedAccessKeyId = session.accessKeyId;
    return envelope('AssumeRole', credentialsXml(session) + assumedRoleUserXml(session), requestId);
  }

  private issue(
    role: RoleEntry,
    roleArn: string,
    sessionName: string,
    grantedSeconds: number,
    source: StsSession['source'],
    extra: { subject?: string; audience?: string; parentAccessKeyId?: string; policy?: string; policyArns: string[] },
  ): StsSession {
    const now = this.now();
    const lifetimeSeconds = this.lifetime(grantedSeconds);
    // Expiration is second-precision on the wire; round up (never shorter than asked)
    // and enforce exactly what is returned.
    const expiresAt = Math.ceil((now + lifetimeSeconds * 1000) / 1000) * 1000;
    const session: StsSession = {
      accessKeyId: `ASIA${randomChars(UPPER_ALNUM, 16)}`,
      secretAccessKey: randomChars(SECRET_CHARS, 40),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(720).toString('base64')}`,
      roleArn,
      roleSessionName: sessionName,
      assumedRoleId: `${role.roleId}:${sessionName}`,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      accountId: role.accountId,
      source,
      issuedAt: now,
      expiresAt,
      grantedSeconds,
      lifetimeSeconds,
      chained: source === 'AssumeRole',
      ...extra,
    };
    this._sessions.set(session.accessKeyId, session);
    return session;
  }

  // --- SigV4 authentication --------------------------------------------------------

  private authenticate(req: IncomingMessage, url: URL, body: Buffer, call: StsCall): StsSession {
    const headers = headerMap(req.rawHeaders);
    const parsed = parseSigV4(headers, url.searchParams);
    if (parsed.kind === 'none') {
      throw new StsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    }
    if (parsed.kind === 'error') {
      throw new StsError(parsed.code === 'MissingAuthenticationToken' ? 403 : 400, parsed.code, parsed.message);
    }
    const claim = parsed.claim;
    call.signed = true;
    call.region = claim.region;
    call.accessKeyId = claim.accessKeyId;

    if (claim.terminator !== 'aws4_request') {
      throw new StsError(403, 'SignatureDoesNotMatch', `Credential should be scoped with a valid terminator: 'aws4_request', not '${claim.terminator}'.`);
    }
    if (claim.service !== 'sts') {
      throw new StsError(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: 'sts'.`);
    }
    const signedAt = parseAmzDate(claim.amzDate);
    if (signedAt === undefined) {
      throw new StsError(
        400,
        'IncompleteSignature',
        `Date must be in ISO-8601 'basic format'. Got '${claim.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    if (claim.scopeDate !== claim.amzDate.slice(0, 8)) {
      throw new StsError(
        403,
        'SignatureDoesNotMatch',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${claim.amzDate.slice(0, 8)}', from '${claim.amzDate}'.`,
      );
    }
    const now = this.now();
    if (claim.presigned) {
      const expires = claim.expiresSeconds ?? 900;
      if (now > signedAt + expires * 1000) throw new StsError(403, 'AccessDenied', 'Request has expired');
    } else if (signedAt < now - SKEW_LIMIT_MS) {
      throw new StsError(
        403,
        'SignatureDoesNotMatch',
        `Signature expired: ${claim.amzDate} is now earlier than ${toAmzDate(now - SKEW_LIMIT_MS)} (${toAmzDate(now)} - 15 min.)`,
      );
    }
    if (signedAt > now + SKEW_LIMIT_MS) {
      throw new StsError(
        403,
        'SignatureDoesNotMatch',
        `Signature not yet current: ${claim.amzDate} is still later than ${toAmzDate(now + SKEW_LIMIT_MS)} (${toAmzDate(now)} + 15 min.)`,
      );
    }

    const session = this._sessions.get(claim.accessKeyId);
    if (!session || (claim.securityToken ?? '') !== session.sessionToken) {
      throw new StsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    }
    if (now >= session.expiresAt) {
      throw new StsError(403, 'ExpiredToken', 'The security token included in the request is expired');
    }

    const bodyHash = sha256Hex(body);
    const declared = headers.get('x-amz-content-sha256')?.[0];
    if (declared !== undefined && declared !== UNSIGNED_PAYLOAD && declared !== bodyHash) {
      throw new StsError(403, 'SignatureDoesNotMatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const canonical = canonicalRequest({
      method: req.method ?? 'GET',
      rawPath: q < 0 ? rawUrl : rawUrl.slice(0, q),
      rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
      headers,
      signedHeaders: claim.signedHeaders,
      payloadHash: declared ?? bodyHash,
      excludeQuery: claim.presigned ? ['X-Amz-Signature'] : [],
    });
    const scope = { date: claim.scopeDate, region: claim.region, service: claim.service };
    const toSign = stringToSign(claim.amzDate, `${scope.date}/${scope.region}/${scope.service}/aws4_request`, canonical);
    const expected = computeSignature(session.secretAccessKey, scope, toSign);
    if (!claim.signedHeaders.includes('host') || !constantTimeEqualHex(expected, claim.signature)) {
      throw new StsError(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE);
    }
    return session;
  }

  // --- responses --------------------------------------------------------------------

  private baseHeaders(requestId: string, length: number): Record<string, string | number> {
    return {
      'x-amzn-RequestId': requestId,
      'Content-Type': 'text/xml',
      'Content-Length': length,
      Date: new Date(this.now()).toUTCString(),
    };
  }

  private sendXml(res: ServerResponse, status: number, requestId: string, xml: string): void {
    if (res.destroyed) return;
    res.writeHead(status, this.baseHeaders(requestId, Buffer.byteLength(xml)));
    res.end(xml);
  }

  private sendError(res: ServerResponse, requestId: string, err: StsError): void {
    const xml =
      `<ErrorResponse xmlns="${STS_XMLNS}">\n  <Error>\n    <Type>${err.type}</Type>\n    <Code>${esc(err.code)}</Code>\n` +
      `    <Message>${esc(err.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
    this.sendXml(res, err.status, requestId, xml);
  }

  // --- control API (JSON, for out-of-process users such as the CLI) ----------------

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const send = (status: number, value: unknown): void => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    let input: Record<string, unknown> = {};
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        send(400, { error: 'body must be JSON' });
        return;
      }
    }
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    switch (route) {
      case 'GET /__standin/calls':
        send(200, this._calls);
        return;
      case 'DELETE /__standin/calls':
        this.resetCalls();
        send(200, { ok: true });
        return;
      case 'GET /__standin/sessions':
        send(200, [...this._sessions.values()].map(({ secretAccessKey: _s, sessionToken: _t, ...rest }) => rest));
        return;
      case 'POST /__standin/faults':
        this.injectFaults(String(input['action'] ?? '*'), (input['faults'] as StsFault[] | undefined) ?? []);
        send(200, { pending: this.pendingFaults() });
        return;
      case 'DELETE /__standin/faults':
        this.clearFaults();
        send(200, { ok: true });
        return;
      case 'POST /__standin/down':
        this.setDown((input['down'] as boolean | StsFault | undefined) ?? true);
        send(200, { ok: true });
        return;
      case 'POST /__standin/expire': {
        const id = input['accessKeyId'];
        if (typeof id === 'string') send(this.expireSession(id) ? 200 : 404, { ok: true });
        else {
          this.expireAllSessions();
          send(200, { ok: true });
        }
        return;
      }
      case 'POST /__standin/clock':
        this.setClockOffset(Number(input['offsetMs'] ?? 0));
        send(200, { offsetMs: this.offset });
        return;
      default:
        send(404, { error: `unknown control route ${route}` });
    }
  }
}

// -----------------------------------------------------------------------------

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomChars(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

function isIssuerList(v: StsIssuerConfig | readonly StsIssuerConfig[]): v is readonly StsIssuerConfig[] {
  return Array.isArray(v);
}

function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m ? { accountId: m[1] as string, name: m[2] as string } : undefined;
}

const keyCache = new Map<string, KeyObject>();

/** The verification key for `kid` from the issuer's (live) JWKS, else its PEM when it has no JWKS. */
function issuerKey(issuer: StsIssuerConfig, kid: string | undefined): KeyObject | undefined {
  const keys = issuer.jwks?.keys ?? [];
  const jwk = kid !== undefined ? keys.find((k) => k.kid === kid) : keys.length === 1 ? keys[0] : undefined;
  const source = jwk ? `jwk:${jwk.n}:${jwk.e}` : keys.length === 0 && issuer.publicKeyPem ? `pem:${issuer.publicKeyPem}` : undefined;
  if (source === undefined) return undefined;
  let key = keyCache.get(source);
  if (!key) {
    try {
      key = jwk ? jwkToKeyObject(jwk) : createPublicKey(issuer.publicKeyPem as string);
    } catch {
      return undefined;
    }
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(source, key);
  }
  return key;
}

function audiences(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

function matchesAny(patterns: string | readonly string[] | undefined, values: readonly string[]): boolean {
  if (patterns === undefined) return true;
  const list: readonly string[] = typeof patterns === 'string' ? [patterns] : patterns;
  return values.some((v) => list.some((p) => globMatch(p, v)));
}

function requireParam(
  params: URLSearchParams,
  name: string,
  member: string,
  problems: string[],
  min: number,
  max: number,
  pattern?: RegExp,
  patternText?: string,
): string | undefined {
  const value = params.get(name);
  if (value === null) {
    problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (value.length < min) {
    problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`);
  } else if (value.length > max) {
    problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (pattern && !pattern.test(value)) {
    problems.push(`Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${patternText ?? pattern.source}`);
  }
  return value;
}

function durationParam(params: URLSearchParams, problems: string[]): number | undefined {
  const raw = params.get('DurationSeconds');
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw)) {
    throw new StsError(400, 'ValidationError', `Value '${raw}' for parameter DurationSeconds is invalid. Must be an integer.`);
  }
  const n = Number(raw);
  if (n < 900) {
    problems.push(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
  } else if (n > 43200) {
    problems.push(`Value '${raw}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
  }
  return n;
}

function policyParam(params: URLSearchParams, problems: string[]): string | undefined {
  const policy = params.get('Policy');
  if (policy === null) return undefined;
  if (policy.length > 2048) {
    problems.push(`Value '${policy}' at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`);
    return policy;
  }
  try {
    JSON.parse(policy);
  } catch {
    throw new StsError(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
  }
  return policy;
}

function policyArnsParam(params: URLSearchParams): string[] {
  const out: Array<[number, string]> = [];
  for (const [k, v] of params) {
    const m = /^PolicyArns\.member\.(\d+)\.arn$/.exec(k);
    if (m) out.push([Number(m[1]), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Name.member.N` values, in N order (the query protocol's list encoding). */
function memberList(params: URLSearchParams, name: string): string[] {
  const out: Array<[number, string]> = [];
  const prefix = `${name}.member.`;
  for (const [k, v] of params) {
    if (!k.startsWith(prefix)) continue;
    const n = k.slice(prefix.length);
    if (/^\d+$/.test(n)) out.push([Number(n), v]);
  }
  return out.sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Tags.member.N.Key` / `.Value` pairs, in N order. */
function tagsParam(params: URLSearchParams): Array<{ key: string; value: string }> {
  const byIndex = new Map<number, { key: string; value: string }>();
  for (const [k, v] of params) {
    const m = /^Tags\.member\.(\d+)\.(Key|Value)$/.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const tag = byIndex.get(i) ?? { key: '', value: '' };
    if (m[2] === 'Key') tag.key = v;
    else tag.value = v;
    byIndex.set(i, tag);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
}

const TAG_CHARS_RE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const EXTERNAL_ID_RE = /^[\w+=,.@:/-]*$/;

/** The constraints of the STS API reference (API_Tag, API_AssumeRole), in its ValidationError wording. */
function checkExtras(
  externalId: string | undefined,
  tags: ReadonlyArray<{ key: string; value: string }>,
  transitiveTagKeys: readonly string[],
  problems: string[],
): void {
  if (externalId !== undefined) {
    if (externalId.length < 2) problems.push(`Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2`);
    else if (externalId.length > 1224) problems.push(`Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must have length less than or equal to 1224`);
    if (!EXTERNAL_ID_RE.test(externalId)) problems.push(`Value '${externalId}' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*`);
  }
  if (tags.length > 50) problems.push(`Value '[...]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
  tags.forEach((t, i) => {
    const at = `tags.${i + 1}.member`;
    if (t.key.length < 1 || t.key.length > 128) problems.push(`Value '${t.key}' at '${at}.key' failed to satisfy constraint: Member must have length between 1 and 128`);
    if (!TAG_CHARS_RE.test(t.key)) problems.push(`Value '${t.key}' at '${at}.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+`);
    if (t.value.length > 256) problems.push(`Value '${t.value}' at '${at}.value' failed to satisfy constraint: Member must have length less than or equal to 256`);
    if (!TAG_CHARS_RE.test(t.value)) problems.push(`Value '${t.value}' at '${at}.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`);
  });
  if (transitiveTagKeys.length > 50) problems.push(`Value '[...]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`);
}

function throwValidation(problems: string[]): void {
  if (problems.length === 0) return;
  const n = problems.length;
  throw new StsError(400, 'ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}

function defaultCodeFor(status: number): string {
  if (status === 500) return 'InternalFailure';
  if (status === 503) return 'ServiceUnavailable';
  if (status === 403) return 'AccessDenied';
  if (status === 429) return 'TooManyRequestsException';
  if (status >= 500) return 'InternalFailure';
  return 'InvalidRequest';
}

function defaultMessageFor(status: number): string {
  if (status === 503) return 'The request has failed due to a temporary failure of the server.';
  if (status >= 500) return 'The request processing has failed because of an unknown error, exception or failure.';
  return 'Injected fault';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function envelope(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${STS_XMLNS}">\n  <${action}Result>${result}</${action}Result>\n` +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function credentialsXml(s: StsSession): string {
  return (
    `<Credentials><AccessKeyId>${s.accessKeyId}</AccessKeyId><SecretAccessKey>${esc(s.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${esc(s.sessionToken)}</SessionToken><Expiration>${isoSeconds(s.expiresAt)}</Expiration></Credentials>`
  );
}

function assumedRoleUserXml(s: StsSession): string {
  return `<AssumedRoleUser><AssumedRoleId>${esc(s.assumedRoleId)}</AssumedRoleId><Arn>${esc(s.arn)}</Arn></AssumedRoleUser>`;
}
