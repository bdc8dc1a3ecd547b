/**
 * GitHub OIDC tokens as data: their types, claims and errors. No network
 * module here, so code that only reads a token (keep-alive's fail-fast check,
 * error messages) does not bundle the HTTP client of id-token.ts.
 */
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
  /** Rejects with an error named 'AbortError' as soon as `signal` aborts, the request in flight destroyed. */
  getIdToken(audience: string, signal?: AbortSignal): Promise<IdToken>;
}

/** `proxy`: the proxy is misconfigured or refuses the request (407, 403): retrying will not help. */
export type IdTokenFailure = 'permission' | 'transient' | 'permanent' | 'proxy';

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
