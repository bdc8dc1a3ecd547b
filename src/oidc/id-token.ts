/**
 * GitHub OIDC: the ID token exchanged with STS, fetched the way
 * `core.getIDToken` does it (GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 * with the request token as bearer), without printing anything, so the
 * detached credential server can use it too.
 */
import { Env } from '../constants.js';

export interface JwtClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly exp?: number;
  readonly iat?: number;
  readonly [claim: string]: unknown;
}

export interface IdToken {
  readonly value: string;
  readonly claims: JwtClaims;
  /** Local time (ms) after which the token must not be used: its `exp`, or iat + 5 min when it has none. */
  readonly expiresAt: number;
}

export interface TokenSource {
  getIdToken(audience: string): Promise<IdToken>;
}

export type IdTokenFailure = 'permission' | 'transient' | 'permanent';

export class IdTokenError extends Error {
  constructor(
    message: string,
    readonly kind: IdTokenFailure,
  ) {
    super(message);
    this.name = 'IdTokenError';
  }
}

/** Decodes a JWT's claims without verifying it (STS verifies); undefined when it is not a JWT. */
export function decodeJwt(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds since epoch at which a JWT expires, if it is a JWT with `exp`. */
export function jwtExpiry(token: string): number | undefined {
  const exp = decodeJwt(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}

export const MISSING_PERMISSION_MESSAGE =
  'The job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. ' +
  'Give the job the permission by name: add "permissions: id-token: write" (and "contents: read") to the job or the workflow. ' +
  'Pull requests from forks never get it.';

export interface GithubTokenSourceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly clock?: () => number;
}

export function githubTokenSource(options: GithubTokenSourceOptions): TokenSource {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async getIdToken(audience) {
      const url = options.env[Env.IdTokenRequestUrl];
      const requestToken = options.env[Env.IdTokenRequestToken];
      if (!url || !requestToken) throw new IdTokenError(MISSING_PERMISSION_MESSAGE, 'permission');
      const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
      let response: Response;
      try {
        response = await doFetch(target, {
          headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        throw new IdTokenError(`The GitHub OIDC token request failed: ${(e as Error).message}`, 'transient');
      }
      if (!response.ok) {
        await response.body?.cancel();
        const transient = response.status >= 500 || response.status === 429 || response.status === 408;
        const why =
          response.status === 401 || response.status === 403
            ? ' The request token was refused: it expires about 6 h after the job starts, or the job lacks "permissions: id-token: write".'
            : '';
        throw new IdTokenError(
          `The GitHub OIDC token endpoint answered HTTP ${response.status}.${why}`,
          transient ? 'transient' : 'permanent',
        );
      }
      let value: unknown;
      try {
        value = ((await response.json()) as { value?: unknown }).value;
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
