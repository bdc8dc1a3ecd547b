/**
 * GitHub OIDC: the ID token exchanged with STS, fetched the way
 * `core.getIDToken` does it (GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 * with the request token as bearer), without printing anything, so the
 * detached credential server can use it too.
 */
import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Env } from '../constants.js';
import { ProxyError, proxyAgents } from '../net/proxy-agent.js';
import { describeProxy, proxyFor, type ProxyConfig } from '../net/proxy.js';
import { AbortError } from '../util/abort.js';
import { decodeJwt, IdTokenError, MISSING_PERMISSION_MESSAGE, type TokenSource } from './token.js';

export { decodeJwt, IdTokenError, jwtExpiry, MISSING_PERMISSION_MESSAGE } from './token.js';
export type { IdToken, IdTokenFailure, JwtClaims, TokenSource } from './token.js';

export interface GithubTokenSourceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly clock?: () => number;
  /** The proxy, resolved by the main step (settings); none when absent, whatever the env says. */
  readonly proxy?: ProxyConfig | undefined;
}

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One GET without connection reuse. Plain node:http rather than fetch: the AWS
 * SDK loads node:http anyway, fetch would load undici too (about 20 ms on the
 * refresh path), and no pooled socket is left to keep a process alive. An
 * abort destroys the request and rejects at once, in any phase.
 */
function get(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  proxy: ProxyConfig | undefined,
): Promise<HttpAnswer> {
  if (signal?.aborted) return Promise.reject(new AbortError());
  const https = url.startsWith('https:');
  // Through the proxy unless NO_PROXY or loopback says otherwise; a fresh agent per request, no socket kept.
  const agents = proxyAgents(proxy, { tunnelTimeoutMs: timeoutMs, ...(signal && { signal }) });
  const agent: Agent | false = agents ? (https ? agents.httpsAgent : agents.httpAgent) : false;
  return new Promise((resolve, reject) => {
    const request = https ? httpsRequest : httpRequest;
    // Called only from events that come after `onAbort` is defined below.
    const done = () => signal?.removeEventListener('abort', onAbort);
    const req = request(url, { method: 'GET', headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > 1024 * 1024) req.destroy(new Error('answer larger than 1 MiB'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e) => {
        done();
        reject(e);
      });
    });
    const onAbort = () => {
      reject(new AbortError());
      req.destroy(new AbortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => {
      done();
      reject(e);
    });
    req.end();
  });
}

export function githubTokenSource(options: GithubTokenSourceOptions): TokenSource {
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async getIdToken(audience, signal) {
      if (signal?.aborted) throw new AbortError();
      const url = options.env[Env.IdTokenRequestUrl];
      const requestToken = options.env[Env.IdTokenRequestToken];
      if (!url || !requestToken) throw new IdTokenError(MISSING_PERMISSION_MESSAGE, 'permission');
      const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
      let answer: HttpAnswer;
      try {
        answer = await get(target, { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, timeoutMs, signal, options.proxy);
      } catch (e) {
        if (signal?.aborted) throw new AbortError();
        const proxyProblem = (e instanceof ProxyError && e.permanent) || (e as Error).name === 'ProxyConfigError';
        throw new IdTokenError(`The GitHub OIDC token request failed: ${(e as Error).message}`, proxyProblem ? 'proxy' : 'transient');
      }
      // 407 comes from a proxy, never from GitHub: over plain http the proxy answers the request itself.
      const proxy = answer.status === 407 ? proxyFor(target, options.proxy) : undefined;
      if (proxy) {
        throw new IdTokenError(
          `The GitHub OIDC token request failed: the proxy ${describeProxy(proxy)} answered HTTP 407 Proxy Authentication Required. ` +
            'Give the user name and password in the proxy URL, as http://user:password@host:port, and check them.',
          'proxy',
        );
      }
      if (answer.status < 200 || answer.status > 299) {
        const transient = answer.status >= 500 || answer.status === 429 || answer.status === 408;
        const why =
          answer.status === 401 || answer.status === 403
            ? ' The request token was refused: it expires about 6 h after the job starts, or the job lacks "permissions: id-token: write".'
            : '';
        throw new IdTokenError(
          `The GitHub OIDC token endpoint answered HTTP ${answer.status}.${why}`,
          transient ? 'transient' : 'permanent',
        );
      }
      let value: unknown;
      try {
        value = (JSON.parse(answer.body) as { value?: unknown }).value;
      } catch {
        value = undefined;
      }
      if (typeof value !== 'string' || value === '') {
        throw new IdTokenError('The GitHub OIDC token endpoint answered without a token.', 'transient');
      }
      const claims = decodeJwt(value) ?? {};
      const expiresAt =
        typeof claims.exp === 'number' ? claims.exp * 1000 : (typeof claims.iat === 'number' ? claims.iat * 1000 : clock()) + 300_000;
      return { value, claims, expiresAt };
    },
  };
}
