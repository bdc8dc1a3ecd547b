/**
 * AWS Signature Version 4 (AWS4-HMAC-SHA256): the pieces the STS stand-in
 * needs to verify signed requests, plus a small signer so tests and benchmarks
 * can make raw signed calls without the SDK.
 *
 * Algorithm (AWS "Create a signed AWS API request"):
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQuery \n
 *                      CanonicalHeaders \n SignedHeaders \n HashedPayload
 *   StringToSign     = "AWS4-HMAC-SHA256" \n AmzDate \n Scope \n hex(sha256(CanonicalRequest))
 *   Scope            = YYYYMMDD/region/service/aws4_request
 *   SigningKey       = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, YYYYMMDD), region), service), "aws4_request")
 *   Signature        = hex(HMAC(SigningKey, StringToSign))
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function deriveSigningKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, shortDate), region), service), 'aws4_request');
}

/** `20240102T030405Z` */
export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Parses `YYYYMMDDTHHMMSSZ`; `undefined` when malformed. */
export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m as unknown as [string, string, string, string, string, string, string];
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Canonical URI for every service but S3: the path as sent (already encoded
 * once), normalized (`.`/`..`/empty segments) and encoded again.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized || '/').replace(/%2F/g, '/');
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Canonical query string from a raw (undecoded) query, without the leading `?`. */
export function canonicalQuery(rawQuery: string, exclude: readonly string[] = []): string {
  const excluded = new Set(exclude.map((e) => e.toLowerCase()));
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
    if (excluded.has(key.toLowerCase())) continue;
    pairs.push([escapeUri(key), escapeUri(value)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Header value normalization: trim, collapse runs of spaces/tabs, newlines to spaces. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

/** Lower-cased header name -> values in arrival order, from Node's `rawHeaders`. */
export function headerMap(rawHeaders: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const list = map.get(name) ?? [];
    list.push(rawHeaders[i + 1] as string);
    map.set(name, list);
  }
  return map;
}

export interface CanonicalRequestInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Map<string, string[]>;
  signedHeaders: readonly string[];
  payloadHash: string;
  /** Query parameters left out of the canonical query (X-Amz-Signature for presigned URLs). */
  excludeQuery?: readonly string[];
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headerLines = input.signedHeaders.map(
    (name) => `${name}:${(input.headers.get(name) ?? []).map(canonicalHeaderValue).join(',')}\n`,
  );
  return [
    input.method.toUpperCase(),
    canonicalUri(input.rawPath),
    canonicalQuery(input.rawQuery, input.excludeQuery ?? []),
    headerLines.join(''),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function computeSignature(secretAccessKey: string, scope: { date: string; region: string; service: string }, toSign: string): string {
  const key = deriveSigningKey(secretAccessKey, scope.date, scope.region, scope.service);
  return createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
}

export function constantTimeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

// --- Parsing a signed request -------------------------------------------------

/** What a request claims about its signature (nothing verified yet). */
export interface SigV4Claim {
  presigned: boolean;
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
  /** The X-Amz-Date (or Date header, converted) as used in the string to sign. */
  amzDate: string;
  securityToken: string | undefined;
  /** X-Amz-Expires for presigned URLs. */
  expiresSeconds: number | undefined;
}

export type SigV4ParseResult =
  | { kind: 'none' }
  | { kind: 'error'; code: 'IncompleteSignature' | 'MissingAuthenticationToken'; message: string }
  | { kind: 'ok'; claim: SigV4Claim };

/** Reads the SigV4 parameters from the Authorization header or the presigned query. */
export function parseSigV4(headers: Map<string, string[]>, query: URLSearchParams): SigV4ParseResult {
  const authorization = headers.get('authorization')?.[0];
  if (authorization !== undefined) return parseAuthorizationHeader(authorization, headers);
  if (query.has('X-Amz-Algorithm') || query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
    return parsePresigned(query);
  }
  return { kind: 'none' };
}

function parseAuthorizationHeader(value: string, headers: Map<string, string[]>): SigV4ParseResult {
  const space = value.indexOf(' ');
  const algorithm = space < 0 ? value : value.slice(0, space);
  if (algorithm !== ALGORITHM) {
    return {
      kind: 'error',
      code: 'IncompleteSignature',
      message: `Unsupported AWS 'algorithm': '${algorithm}'. Authorization=${value}`,
    };
  }
  const params = new Map<string, string>();
  for (const part of value.slice(space + 1).split(',')) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf('=');
    if (eq < 0) {
      return {
        kind: 'error',
        code: 'IncompleteSignature',
        message: `'${trimmed}' not a valid key=value pair (missing equal-sign) in Authorization header: '${value}'.`,
      };
    }
    params.set(trimmed.slice(0, eq), trimmed.slice(eq + 1));
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((p) => !params.get(p));
  let amzDate = headers.get('x-amz-date')?.[0];
  if (amzDate === undefined) {
    const date = headers.get('date')?.[0];
    const ms = date === undefined ? NaN : Date.parse(date);
    if (!Number.isNaN(ms)) amzDate = toAmzDate(ms);
  }
  const problems = missing.map((p) => `Authorization header requires '${p}' parameter.`);
  if (amzDate === undefined) problems.push(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  if (problems.length > 0) {
    return { kind: 'error', code: 'IncompleteSignature', message: `${problems.join(' ')} Authorization=${value}` };
  }
  return buildClaim(
    false,
    params.get('Credential') as string,
    params.get('SignedHeaders') as string,
    params.get('Signature') as string,
    amzDate as string,
    headers.get('x-amz-security-token')?.[0],
    undefined,
  );
}

function parsePresigned(query: URLSearchParams): SigV4ParseResult {
  const need = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
  const missing = need.filter((n) => !query.get(n));
  if (missing.length > 0) {
    return {
      kind: 'error',
      code: 'IncompleteSignature',
      message: `AWS query-string parameters must include ${need.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`,
    };
  }
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) {
    return { kind: 'error', code: 'IncompleteSignature', message: `Unsupported AWS 'algorithm': '${query.get('X-Amz-Algorithm') ?? ''}'.` };
  }
  const expires = query.get('X-Amz-Expires');
  return buildClaim(
    true,
    query.get('X-Amz-Credential') as string,
    query.get('X-Amz-SignedHeaders') as string,
    query.get('X-Amz-Signature') as string,
    query.get('X-Amz-Date') as string,
    query.get('X-Amz-Security-Token') ?? undefined,
    expires === null ? undefined : Number(expires),
  );
}

function buildClaim(
  presigned: boolean,
  credential: string,
  signedHeaders: string,
  signature: string,
  amzDate: string,
  securityToken: string | undefined,
  expiresSeconds: number | undefined,
): SigV4ParseResult {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    return {
      kind: 'error',
      code: 'IncompleteSignature',
      message: `Credential should have exactly 5 slash-separated components: '${credential}'.`,
    };
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  return {
    kind: 'ok',
    claim: {
      presigned,
      accessKeyId,
      scopeDate,
      region,
      service,
      terminator,
      signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
      signature: signature.toLowerCase(),
      amzDate,
      securityToken,
      expiresSeconds,
    },
  };
}

// --- Signing (for raw calls from tests and benchmarks) ---------------------------

export interface SignRequestInput {
  method: string;
  /** Full URL including any query string. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  credentials: SigV4Credentials;
  region: string;
  service?: string;
  /** Signing time in ms since the epoch. Default `Date.now()`. */
  date?: number;
}

/**
 * Signs a request with an Authorization header. Returns the headers to send
 * (input headers plus host, x-amz-date, x-amz-security-token, authorization).
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
  const url = new URL(input.url);
  const amzDate = toAmzDate(input.date ?? Date.now());
  const service = input.service ?? 'sts';
  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  headers['host'] = url.host;
  headers['x-amz-date'] = amzDate;
  if (input.credentials.sessionToken) headers['x-amz-security-token'] = input.credentials.sessionToken;
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers)) map.set(k.toLowerCase(), [v]);
  const signed = [...map.keys()].filter((k) => k !== 'authorization' && k !== 'user-agent').sort();
  const scope = { date: amzDate.slice(0, 8), region: input.region, service };
  const scopeString = `${scope.date}/${scope.region}/${service}/aws4_request`;
  const canonical = canonicalRequest({
    method: input.method,
    rawPath: url.pathname,
    rawQuery: url.search.replace(/^\?/, ''),
    headers: map,
    signedHeaders: signed,
    payloadHash: sha256Hex(input.body ?? ''),
  });
  const signature = computeSignature(input.credentials.secretAccessKey, scope, stringToSign(amzDate, scopeString, canonical));
  headers['authorization'] =
    `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scopeString}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
  return headers;
}
