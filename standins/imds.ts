/**
 * EC2 instance metadata (IMDSv2) stand-in: the instance profile's role
 * credentials, as every SDK fetches them, reached only through the SDKs' own
 * configuration (AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:PORT).
 *
 *   PUT /latest/api/token                  X-aws-ec2-metadata-token-ttl-seconds: 1..21600 -> the session token
 *   GET /latest/meta-data/iam/security-credentials/        -> the role name
 *   GET /latest/meta-data/iam/security-credentials/<role>  -> {Code, LastUpdated, Type, AccessKeyId, SecretAccessKey, Token, Expiration}
 *
 * Both GETs need X-aws-ec2-metadata-token (401 without it or with a stale
 * one: IMDSv1 is off, as on instances that require IMDSv2). The credentials
 * are role sessions issued by the STS stand-in, which accepts them (SigV4) for
 * AssumeRole; AssumeRole signed with them is role chaining, capped at 1 h.
 * They rotate before expiry: a new set is handed out once the current one is
 * within `rotateBeforeSeconds` of its end, as EC2 does (at least 5 min ahead).
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from './http-util.js';
import type { StsSession, StsStandIn } from './sts.js';

export interface ImdsOptions {
  readonly sts: StsStandIn;
  /** The instance profile's role (must be a role of the STS stand-in). */
  readonly roleArn: string;
  /** Real seconds each set of instance credentials lives. */
  readonly lifetimeSeconds: number;
  /** A new set is handed out once the current one has this little left; default 40 % of the lifetime. */
  readonly rotateBeforeSeconds?: number;
}

export interface ImdsCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface ImdsStandIn {
  /** `http://127.0.0.1:PORT`: the value for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  readonly endpoint: string;
  readonly roleName: string;
  readonly calls: readonly ImdsCall[];
  /** Every set of credentials handed out, oldest first. */
  readonly issued: readonly StsSession[];
  /** `true`: every request gets 503. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const TOKEN_PATH = '/latest/api/token';
const CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';

export async function startImds(opts: ImdsOptions): Promise<ImdsStandIn> {
  const { sts, roleArn, lifetimeSeconds } = opts;
  const rotateBeforeMs = (opts.rotateBeforeSeconds ?? lifetimeSeconds * 0.4) * 1000;
  const roleName = roleArn.split('/').pop() ?? 'role';
  const tokens = new Map<string, number>(); // token -> expiry (real ms)
  const calls: ImdsCall[] = [];
  const issued: StsSession[] = [];
  let down = false;

  const current = (): StsSession => {
    const last = issued[issued.length - 1];
    if (last && sts.now() < last.expiresAt - rotateBeforeMs) return last;
    const fresh = sts.issueInstanceCredentials(roleArn, lifetimeSeconds);
    issued.push(fresh);
    return fresh;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, body: string, type = 'text/plain') => {
      calls.push({ method: req.method ?? '', path, status });
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (down) return send(503, 'Service Unavailable');
    if (path === TOKEN_PATH) {
      if (req.method !== 'PUT') return send(405, 'Method Not Allowed');
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return send(400, 'Bad Request');
      const token = randomBytes(32).toString('base64');
      tokens.set(token, Date.now() + ttl * 1000);
      return send(200, token);
    }
    if (req.method !== 'GET') return send(405, 'Method Not Allowed');
    const header = req.headers['x-aws-ec2-metadata-token'];
    const expiry = typeof header === 'string' ? tokens.get(header) : undefined;
    if (expiry === undefined || expiry <= Date.now()) return send(401, 'Unauthorized');
    if (path === CREDENTIALS_PATH) return send(200, roleName);
    if (path === `${CREDENTIALS_PATH}${roleName}`) {
      const s = current();
      return send(
        200,
        JSON.stringify({
          Code: 'Success',
          LastUpdated: new Date(s.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          Type: 'AWS-HMAC',
          AccessKeyId: s.accessKeyId,
          SecretAccessKey: s.secretAccessKey,
          Token: s.sessionToken,
          Expiration: new Date(s.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        }),
        'application/json',
      );
    }
    return send(404, 'Not Found');
  };

  const { server, origin } = await listenLoopback(handle);
  const srv: Server = server;
  return {
    endpoint: origin,
    roleName,
    calls,
    issued,
    setDown: (d) => {
      down = d;
    },
    close: () => closeServer(srv),
  };
}

/**
 * A web identity token file rotated the way the kubelet rotates a projected
 * service account token: a fresh JWT from `mint` written atomically (a new
 * file renamed over the old) every `everyMs`.
 */
export interface RotatingTokenFile {
  readonly path: string;
  readonly written: number;
  stop(): void;
}

export function rotateTokenFile(path: string, mint: () => string, everyMs: number): RotatingTokenFile {
  let written = 0;
  const write = () => {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, mint(), { mode: 0o600 });
    renameSync(tmp, path);
    written++;
  };
  write();
  const timer = setInterval(write, everyMs);
  timer.unref();
  return {
    path,
    get written() {
      return written;
    },
    stop: () => clearInterval(timer),
  };
}
