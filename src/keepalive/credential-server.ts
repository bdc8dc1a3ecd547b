/**
 * The loopback credential endpoint that the AWS SDKs' container provider
 * reads (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN).
 * Listens on 127.0.0.1; every request needs the token, compared in constant
 * time. With serve-containers it also listens on 169.254.170.2 (keepalive/
 * link-local), where it serves only ECS's relative URI: a secret path of 256
 * random bits, compared in constant time, with no header (the SDKs send none).
 * No secret is ever written anywhere but into a response body.
 */
import { timingSafeEqual } from 'node:crypto';
import { sha256Bytes } from '../util/sha256.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ConnectionLimits, PER_PEER_IDLE, totalFor, type LimitsOptions } from './connection-limits.js';
import { answerers, authorizationOf, BodyTooLarge, MAX_BODY_BYTES, readBody } from './http-answers.js';
import type { Listener, PeerGuard, PeerVerdict } from './peer-guard.js';
import type { Availability } from './refresher.js';
import { PROOF_PATH } from './proof.js';

export { MAX_BODY_BYTES } from './http-answers.js';

export const CREDENTIALS_PATH = '/credentials';
export const STATUS_PATH = '/status';
export const EXPECT_PATH = '/control/expect';
export const STOP_PATH = '/control/stop';

export interface ServerStatus {
  readonly pid: number;
  /** The nonce the server was started with: tells it from any other process on a reused port. */
  readonly nonce: string;
  /** identityKey() of the settings it mints for. */
  readonly identity: string;
  readonly expiration?: string;
  readonly remainingSeconds?: number;
  readonly assumedRoleArn?: string;
  readonly accountId?: string;
  readonly maxSessionSeconds?: number;
  readonly refreshes: number;
  readonly served: number;
  readonly refused: number;
  readonly lastError?: string;
  readonly expectedUntil: number;
  /** Local ms until which the server can keep credentials coming, if known. */
  readonly coverUntil?: number;
  /** The same as seconds from the server's now, counted on its monotonic clock: what a step reads (coverage.ts). */
  readonly coverSeconds?: number;
  /** Why the server serves no credentials right now (an expired session it could not replace); absent while it serves. */
  readonly unavailable?: string;
}

export interface CredentialServerHandlers {
  /** Authorises /credentials and /status: what later steps hold. */
  readonly authToken: string;
  /** Authorises /status and /control/*: what the action's own steps hold (the server record). */
  readonly controlToken: string;
  /** Proves this server is the job's (keepalive/proof.ts): never sent, only used to answer challenges. */
  readonly proofKey: string;
  readonly available: () => Availability;
  readonly status: () => ServerStatus;
  readonly expect: (expectedUntil: number) => void;
  readonly stop: () => void;
  /**
   * ECS's form, for containers: also listen on `host` (169.254.170.2, same port), and serve
   * credentials on `relativePath` without an Authorization header: that path is the secret.
   */
  readonly linkLocal?: { readonly host: string; readonly relativePath: string };
  /** A connection refused for its user, before any token was looked at (for the event log). */
  readonly peerRefused?: (listener: Listener, verdict: Extract<PeerVerdict, { allowed: false }>) => void;
}

/** The platform's collaborators that decide which connections are served at all. */
export interface ServerGuards {
  /** Whose connection it is (Linux); without it, the token alone decides. */
  readonly peers?: PeerGuard;
  /** Connection caps; by default, those for an unknown open-file limit. */
  readonly limits?: LimitsOptions;
}

export interface CredentialServer {
  readonly server: Server;
  readonly port: number;
  readonly endpoint: string;
  /** The link-local listener's port (the same as `port`), when there is one. */
  readonly linkLocalPort?: number;
  readonly counts: { served: number; refused: number; unauthorized: number };
  readonly limits: ConnectionLimits<Socket>;
  /** For the 'started' event: how connections are guarded. */
  readonly limitsReport?: { readonly peers: 'uid' | 'token-only'; readonly maxConnections: number; readonly openFiles?: number; readonly limitProblem?: string };
  close(): Promise<void>;
}

const digest = sha256Bytes;

/** Constant-time comparison, whatever the lengths: both sides are hashed first. */
export function tokenMatches(expectedDigest: Buffer, presented: string | undefined): boolean {
  const given = digest(presented ?? '');
  return timingSafeEqual(expectedDigest, given) && presented !== undefined;
}

const ALLOWED: Promise<PeerVerdict> = Promise.resolve({ allowed: true });

export async function startCredentialServer(handlers: CredentialServerHandlers, port = 0, guards: ServerGuards = {}): Promise<CredentialServer> {
  const { send, error } = answerers(handlers.proofKey);
  const expected = digest(handlers.authToken);
  const expectedControl = digest(handlers.controlToken);
  const expectedPath = handlers.linkLocal ? digest(handlers.linkLocal.relativePath) : undefined;
  const counts = { served: 0, refused: 0, unauthorized: 0 };
  const limits = new ConnectionLimits<Socket>(guards.limits ?? { total: totalFor(undefined), perPeer: PER_PEER_IDLE });
  const verdicts = new WeakMap<Socket, Promise<PeerVerdict>>();
  const opened = (socket: Socket) => {
    limits.opened(socket, `address ${socket.remoteAddress ?? '?'}`);
    socket.once('close', () => limits.closed(socket));
  };
  /** Whose connection it is: looked up at its first request (an idle connection costs no lookup), then kept. */
  const verdictFor = (socket: Socket, listener: Listener): Promise<PeerVerdict> => {
    const known = verdicts.get(socket);
    if (known) return known;
    if (!guards.peers) return ALLOWED;
    const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
    const verdict = guards.peers.check(peer, local, listener).catch((e: unknown): PeerVerdict => ({ allowed: false, reason: `its user cannot be read (${String(e)})` }));
    verdicts.set(socket, verdict);
    void verdict.then((v) => v.uid !== undefined && limits.rekey(socket, `uid ${v.uid}`));
    return verdict;
  };
  const serveCredentials = (res: ServerResponse) => {
    const a = handlers.available();
    if (!a.ok) {
      counts.refused++;
      return error(res, 503, 'CredentialsUnavailable', a.reason);
    }
    counts.served++;
    const c = a.credentials;
    return send(res, 200, {
      AccessKeyId: c.accessKeyId,
      SecretAccessKey: c.secretAccessKey,
      Token: c.token,
      Expiration: new Date(a.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      AccountId: c.accountId,
    });
  };
  const routes: Record<string, string> = {
    [CREDENTIALS_PATH]: 'GET',
    [STATUS_PATH]: 'GET',
    [EXPECT_PATH]: 'POST',
    [STOP_PATH]: 'POST',
  };

  /** `secretPathOnly`: the link-local listener, which containers reach, serves nothing but the secret path. */
  const handle = (req: IncomingMessage, res: ServerResponse, secretPathOnly: boolean) => {
    const socket = req.socket;
    limits.busy(socket);
    res.once('finish', () => limits.idle(socket));
    void (async () => {
      // Whose connection it is comes first: another OS user gets nothing, even with the token.
      const verdict = await verdictFor(socket, secretPathOnly ? 'link-local' : 'loopback');
      if (!verdict.allowed) {
        handlers.peerRefused?.(secretPathOnly ? 'link-local' : 'loopback', verdict);
        return error(res, 403, 'AccessDenied', "This server serves only the OS user that runs the job's steps.", { Connection: 'close' });
      }
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      // ECS's relative URI: no header, the path is the secret (compared in constant time, whatever the request).
      if (expectedPath && tokenMatches(expectedPath, rawPath)) {
        if (req.method !== 'GET') return error(res, 405, 'MethodNotAllowed', 'Use GET.', { Allow: 'GET' });
        return serveCredentials(res);
      }
      // The challenge needs no token: a step proves the server before it sends any.
      if (rawPath === PROOF_PATH && !secretPathOnly) return send(res, 200, { proof: true });
      if (secretPathOnly) {
        counts.unauthorized++;
        return error(res, 403, 'AccessDenied', 'Missing or wrong authorization token.');
      }
      const auth = authorizationOf(req);
      if (Array.isArray(auth)) {
        // Which one would a proxy or another parser pick? Refuse rather than guess.
        counts.unauthorized++;
        error(res, 403, 'AccessDenied', 'Send exactly one Authorization header.');
        return;
      }
      const path = rawPath;
      // Both comparisons always run: the time taken says nothing about which token was close.
      const isAuth = tokenMatches(expected, auth);
      const isControl = tokenMatches(expectedControl, auth);
      const allowed = path === CREDENTIALS_PATH ? isAuth : path === STATUS_PATH ? isAuth || isControl : path.startsWith('/control/') ? isControl : isAuth || isControl;
      if (!allowed) {
        counts.unauthorized++;
        error(res, 403, 'AccessDenied', 'Missing or wrong authorization token.');
        return;
      }
      const method = routes[path];
      if (!method) return error(res, 404, 'NotFound', `No such path: use ${CREDENTIALS_PATH}.`);
      if (req.method !== method) return error(res, 405, 'MethodNotAllowed', `Use ${method}.`, { Allow: method });

      if (path === CREDENTIALS_PATH) return serveCredentials(res);
      if (path === STATUS_PATH) return send(res, 200, handlers.status());
      if (path === EXPECT_PATH) {
        let text: string;
        try {
          // Only now, with the request authorised, may an `Expect: 100-continue` client send its body.
          if ((req.headers.expect ?? '').toLowerCase() === '100-continue') res.writeContinue();
          text = await readBody(req);
        } catch (e) {
          if (!(e instanceof BodyTooLarge)) throw e;
          // The connection is closed after this answer: the rest of the body is not waited for.
          return error(res, 413, 'PayloadTooLarge', `Send at most ${MAX_BODY_BYTES} bytes.`, { Connection: 'close' });
        }
        let until: unknown;
        try {
          until = (JSON.parse(text) as { expectedUntil?: unknown }).expectedUntil;
        } catch {
          until = undefined;
        }
        if (typeof until !== 'number' || !Number.isFinite(until)) {
          return error(res, 400, 'BadRequest', 'Send {"expectedUntil": <epoch ms>}.');
        }
        handlers.expect(until);
        return send(res, 200, handlers.status());
      }
      send(res, 202, { stopping: true });
      setImmediate(handlers.stop);
    })().catch(() => {
      if (!res.headersSent) error(res, 500, 'InternalError', 'The credential server failed to answer.');
      else res.destroy();
    });
  };
  const newServer = (secretPathOnly: boolean) => {
    // Idle connections are closed within about a second past their time: a request's headers must come within 5 s.
    const s = createServer({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, connectionsCheckingInterval: 1000 }, (req, res) =>
      handle(req, res, secretPathOnly),
    );
    // Without this, Node answers `Expect: 100-continue` itself, before anything was checked, and the body comes.
    s.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => handle(req, res, secretPathOnly));
    s.on('connection', opened);
    return s;
  };
  const closeOne = (s: Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });

  const server = newServer(false);
  await listenOn(server, '127.0.0.1', port);
  const actualPort = (server.address() as AddressInfo).port;
  let linkLocal: Server | undefined;
  if (handlers.linkLocal) {
    linkLocal = newServer(true);
    try {
      // The same port as on loopback when it is free there, else any.
      await listenOn(linkLocal, handlers.linkLocal.host, actualPort).catch(() => listenOn(linkLocal as Server, handlers.linkLocal?.host ?? '', 0));
    } catch (e) {
      await closeOne(server);
      throw e;
    }
  }
  const linkLocalPort = linkLocal ? (linkLocal.address() as AddressInfo).port : undefined;
  return {
    server,
    port: actualPort,
    endpoint: `http://127.0.0.1:${actualPort}${CREDENTIALS_PATH}`,
    ...(linkLocalPort !== undefined && { linkLocalPort }),
    counts,
    limits,
    limitsReport: { peers: guards.peers ? 'uid' : 'token-only', maxConnections: (guards.limits ?? { total: totalFor(undefined) }).total },
    close: async () => {
      await Promise.all([closeOne(server), ...(linkLocal ? [closeOne(linkLocal)] : [])]);
    },
  };
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
