/**
 * Minimal RS256 JWT helpers shared by the stand-ins (Node built-ins only).
 *
 * These are test tools, not a general JWT library: they sign and verify
 * RS256 only, which is what GitHub's OIDC issuer uses.
 */
import { createPublicKey, createSign, createVerify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

/** A public RSA JSON Web Key as served on a JWKS endpoint. */
export interface Jwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
  x5t?: string;
}

export interface Jwks {
  keys: Jwk[];
}

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  [name: string]: unknown;
}

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  payload: JwtClaims;
  /** `base64url(header).base64url(payload)`: the bytes the signature covers. */
  signingInput: string;
  signature: Buffer;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Signs `payload` with RS256. `header` is merged over `{ alg: 'RS256', typ: 'JWT' }`. */
export function signJwt(payload: JwtClaims, privateKey: KeyObject | string, header: Partial<JwtHeader> = {}): string {
  const fullHeader: JwtHeader = { alg: 'RS256', typ: 'JWT', ...header };
  const signingInput = `${base64url(JSON.stringify(fullHeader))}.${base64url(JSON.stringify(payload))}`;
  const signer = createSign('RSA-SHA256');
  signer.update(signingInput);
  return `${signingInput}.${signer.sign(privateKey).toString('base64url')}`;
}

/** Decodes without verifying. Throws `Error('malformed JWT')` when the shape is wrong. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('malformed JWT');
  const [h, p, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(payload) || typeof header['alg'] !== 'string') {
      throw new Error('not an object');
    }
    return {
      header: header as JwtHeader,
      payload,
      signingInput: `${h}.${p}`,
      signature: Buffer.from(s, 'base64url'),
    };
  } catch {
    throw new Error('malformed JWT');
  }
}

/** Verifies an RS256 signature of an already decoded token. */
export function verifyRs256(decoded: DecodedJwt, publicKey: KeyObject | string): boolean {
  if (decoded.header.alg !== 'RS256') return false;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(decoded.signingInput);
  try {
    return verifier.verify(publicKey, decoded.signature);
  } catch {
    return false;
  }
}

/** Builds the public JWK for an RSA public key. */
export function publicJwk(publicKey: KeyObject, kid: string): Jwk {
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error('not an RSA public key');
  }
  return { kty: 'RSA', n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
}

/** Imports a JWK (as found in a JWKS) as a public KeyObject. */
export function jwkToKeyObject(jwk: Jwk): KeyObject {
  return createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
