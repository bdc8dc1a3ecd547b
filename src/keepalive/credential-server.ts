/**
 * The loopback credential endpoint that the AWS SDKs' container provider
 * reads (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN).
 * Listens on 127.0.0.1; every request needs the token, compared in constant
 * time. With serve-containers it also listens on 169.254.170.2 (keepalive/
 * link-local), where it serves only ECS's relative URI: a secret path of 256
 * random bits, compared in constant time, with no header (the SDKs send none).
 * No secret is ever written anywhere but into a response body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Availability } from './refresher.js';
import { CHALLENGE_HEADER, PROOF_PATH, proofHeaders } from './proof.js';

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
}

export interface CredentialServer {
  readonly server: Server;
  readonly port: number;
  readonly endpoint: string;
  /** The link-local listener's port (the same as `port`), when there is one. */
  readonly linkLocalPort?: number;
  readonly counts: { served: number; refused: number; unauthorized: number };
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time comparison, whatever the lengths: both sides are hashed first. */
export function tokenMatches(expectedDigest: Buffer, presented: string | undefined): boolean {
  const given = digest(presented ?? '');
  return timingSafeEqual(expectedDigest, given) && presented !== undefined;
}

/** How the server answers: JSON, never cached, with the proof of every answer whose request carried a challenge. */
function answerers(proofKey: string) {
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const req = res.req as IncomingMessage | undefined;
    const path = (req?.url ?? '/').split('?')[0] ?? '/';
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      ...headers,
      ...proofHeaders(proofKey, req?.headers[CHALLENGE_HEADER], { method: req?.method ?? 'GET', path, status, body: text }),
    });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { Code: code, Message: message }, headers);
  return { send, error };
}

export const MAX_BODY_BYTES = 4096;

class BodyTooLarge extends Error {}

/**
 * The request body, at most `limit` bytes. A larger one (by Content-Length,
 * or once the chunks pass the limit) rejects with BodyTooLarge at once; the
 * rest is drained and dropped, so the 413 can still be sent.
 */
function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new BodyTooLarge());
      return;
    }
    let size = 0;
    let over = false;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

/** The Authorization header, if it was sent exactly once; an array when it came more than once. */
function authorizationOf(req: IncomingMessage): string | undefined | string[] {
  // Node keeps only the first of duplicated Authorization headers in req.headers: look at all of them.
  const all = req.headersDistinct['authorization'];
  if (all && all.length > 1) return all;
  return all?.[0];
}

export async function startCredentialServer(handlers: CredentialServerHandlers, port = 0): Promise<CredentialServer> {
  const { send, error } = answerers(handlers.proofKey);
  const expected = digest(handlers.authToken);
  const expectedControl = digest(handlers.controlToken);
  const expectedPath = handlers.linkLocal ? digest(handlers.linkLocal.relativePath) : undefined;
  const counts = { served: 0, refused: 0, unauthorized: 0 };
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
    void (async () => {
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
    const s = createServer((req, res) => handle(req, res, secretPathOnly));
    s.keepAliveTimeout = 5000;
    s.headersTimeout = 10_000;
    s.requestTimeout = 10_000;
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
