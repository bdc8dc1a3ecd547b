/**
 * What an STS or OIDC failure means and what to do about it. Transient
 * failures are retried; permanent ones stop at once with the likely cause.
 */
import { IdTokenError, type JwtClaims } from '../oidc/token.js';
import { TokenFileError } from '../oidc/token-file.js';
import { assumesWithCredentials, type SourceKind } from '../settings/source.js';
import { SourceCredentialsError } from './source-credentials.js';

export type Failure =
  | { readonly kind: 'duration-too-long'; readonly scope: 'role' | 'chain'; readonly code: string; readonly message: string }
  | { readonly kind: 'transient'; readonly code: string; readonly message: string; readonly newToken: boolean }
  | { readonly kind: 'permanent'; readonly code: string; readonly message: string; readonly hint: string };

export interface FailureContext {
  readonly roleArn: string;
  /** Set for the second hop of a chain: the role whose session called AssumeRole. */
  readonly chainedFrom?: string | undefined;
  readonly audience: string;
  readonly claims?: JwtClaims | undefined;
  /** Where the first hop's identity comes from; default github-oidc. */
  readonly source?: SourceKind | undefined;
}

interface ErrorShape {
  /** The STS error code, on errors the SDK has a class for (whose name is then `<Code>Exception`). */
  Code?: unknown;
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'IDPCommunicationError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ProxyUnavailable',
]);

const PROXY_HINT =
  "Check the proxy: the 'http-proxy' input or HTTPS_PROXY / HTTP_PROXY (user and password in its URL), and 'no-proxy' / NO_PROXY for hosts reached directly.";

/** The SDK names modeled STS errors `<Code>Exception`; the rest of the action speaks STS's codes. */
const SDK_EXCEPTION_NAMES: Record<string, string> = {
  InvalidIdentityTokenException: 'InvalidIdentityToken',
  IDPCommunicationErrorException: 'IDPCommunicationError',
  IDPRejectedClaimException: 'IDPRejectedClaim',
  MalformedPolicyDocumentException: 'MalformedPolicyDocument',
  PackedPolicyTooLargeException: 'PackedPolicyTooLarge',
  InvalidAuthorizationMessageException: 'InvalidAuthorizationMessage',
};

function codeOf(e: ErrorShape): string {
  if (typeof e.Code === 'string' && e.Code !== '') return e.Code;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error') return SDK_EXCEPTION_NAMES[e.name] ?? e.name;
  const cause = e.cause as ErrorShape | undefined;
  if (cause && typeof cause === 'object') return codeOf(cause);
  return 'Error';
}

/** STS's error code of whatever a gateway threw ('Error' when it carries none). */
export function stsErrorCode(error: unknown): string {
  return error !== null && typeof error === 'object' ? codeOf(error as ErrorShape) : 'Error';
}

function describeAud(ctx: FailureContext): string {
  return Array.isArray(ctx.claims?.aud) ? ctx.claims.aud.join(', ') : (ctx.claims?.aud ?? ctx.audience);
}

function describeClaims(ctx: FailureContext): string {
  const aud = describeAud(ctx);
  const sub = ctx.claims?.sub ?? '(unknown)';
  return `sub "${sub}", aud "${aud}"`;
}

/** Whether the first hop is AssumeRole signed with credentials (keys, or those in place), not a web identity token. */
const signedSource = (ctx: FailureContext) => ctx.source !== undefined && assumesWithCredentials({ kind: ctx.source });

const KEYS_WHERE: Record<string, string> = {
  'static-keys': "the keys in 'aws-access-key-id' / 'aws-secret-access-key'",
  existing: "the credentials already in place (the environment's keys, AWS_PROFILE, the container endpoint or the EC2 instance profile)",
};

export function classify(error: unknown, ctx: FailureContext): Failure {
  if (error instanceof TokenFileError) {
    return {
      kind: 'permanent',
      code: 'WebIdentityTokenFile',
      message: error.message,
      hint: "Check 'web-identity-token-file': the file must exist and be readable by the runner's user for the whole job (on EKS, the pod's projected service account token).",
    };
  }
  if (error instanceof SourceCredentialsError) {
    return {
      kind: 'permanent',
      code: 'NoSourceCredentials',
      message: error.message,
      hint:
        'Give the runner credentials: on EC2, attach an instance profile and allow IMDSv2 (a container on the instance needs a hop limit of 2); ' +
        "elsewhere, set AWS_PROFILE or the AWS_* keys before this step, or use 'aws-access-key-id', or GitHub OIDC " +
        "(the job needs 'permissions: id-token: write'; without it, role-to-assume is assumed with the credentials in place, as configure-aws-credentials does).",
    };
  }
  if (error instanceof IdTokenError) {
    if (error.kind === 'proxy') return { kind: 'permanent', code: 'Proxy', message: error.message, hint: PROXY_HINT };
    return error.kind === 'transient'
      ? { kind: 'transient', code: 'OIDCTokenRequest', message: error.message, newToken: true }
      : {
          kind: 'permanent',
          code: error.kind === 'permission' ? 'MissingIdTokenPermission' : 'OIDCTokenRequest',
          message: error.message,
          hint:
            error.kind === 'permission'
              ? 'Add "permissions: id-token: write" to the job.'
              : 'Check that the job still runs (the request token lasts about 6 h) and has "permissions: id-token: write".',
        };
  }
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorShape;
  const code = codeOf(e);
  if (code === 'ProxyAuthenticationRequired' || code === 'ProxyRefused' || e.name === 'ProxyConfigError') {
    return { kind: 'permanent', code: code === 'Error' ? 'Proxy' : code, message: typeof e.message === 'string' ? e.message : String(error), hint: PROXY_HINT };
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;

  if (code === 'ValidationError' && /MaxSessionDuration/i.test(message)) {
    return { kind: 'duration-too-long', scope: 'role', code, message };
  }
  if (code === 'ValidationError' && /role chaining/i.test(message)) {
    return { kind: 'duration-too-long', scope: 'chain', code, message };
  }
  if (code === 'ExpiredTokenException') {
    return { kind: 'transient', code, message, newToken: true };
  }
  if (code === 'InvalidIdentityToken') {
    if (/retrieve verification key/i.test(message)) return { kind: 'transient', code, message, newToken: false };
    if (ctx.source === 'token-file') {
      return {
        kind: 'permanent',
        code,
        message,
        hint: `STS refused the token in 'web-identity-token-file' (issuer ${ctx.claims?.iss ?? 'unknown'}). The role's account needs an IAM OIDC provider for that issuer with audience "${describeAud(ctx)}".`,
      };
    }
    const provider = ctx.claims?.iss ?? 'https://token.actions.githubusercontent.com';
    return {
      kind: 'permanent',
      code,
      message,
      hint: /No OpenIDConnect provider/i.test(message)
        ? `Create the IAM OIDC identity provider for ${provider} with audience "${ctx.audience}" in the role's account ` +
          `(aws iam create-open-id-connect-provider --url ${provider} --client-id-list ${ctx.audience}).`
        : `STS refused the GitHub ID token. Check the IAM OIDC provider for ${provider} and its audience "${ctx.audience}".`,
    };
  }
  if ((code === 'AccessDenied' || code === 'AccessDeniedException') && ctx.chainedFrom) {
    return {
      kind: 'permanent',
      code,
      message,
      hint:
        `The trust policy of ${ctx.roleArn} must allow sts:AssumeRole by ${ctx.chainedFrom} ` +
        `(e.g. "Principal": {"AWS": "${ctx.chainedFrom}"}), and ${ctx.chainedFrom} needs permission for sts:AssumeRole on it.`,
    };
  }
  if ((code === 'AccessDenied' || code === 'AccessDeniedException') && signedSource(ctx)) {
    return {
      kind: 'permanent',
      code,
      message,
      hint:
        `The trust policy of ${ctx.roleArn} must allow sts:AssumeRole by the principal of ${KEYS_WHERE[ctx.source ?? ''] ?? 'the signing credentials'} ` +
        '(named in the message above), and that principal needs permission for sts:AssumeRole on the role.',
    };
  }
  if ((code === 'AccessDenied' || code === 'AccessDeniedException') && ctx.source === 'token-file') {
    const host = (ctx.claims?.iss ?? '<issuer>').replace(/^https:\/\//, '');
    return {
      kind: 'permanent',
      code,
      message,
      hint: `The trust policy of ${ctx.roleArn} does not accept the token in 'web-identity-token-file' (${describeClaims(ctx)}): its conditions on ${host}:sub and :aud must match these values.`,
    };
  }
  if ((code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'UnrecognizedClientException') && signedSource(ctx)) {
    const where = KEYS_WHERE[ctx.source ?? ''] ?? 'the signing credentials';
    return {
      kind: 'permanent',
      code,
      message,
      hint:
        code === 'SignatureDoesNotMatch'
          ? `The secret key of ${where} does not match its key ID (a wrong or truncated secret, a stray space or newline), or the runner clock is more than 15 min off.`
          : `AWS does not know the key ID of ${where}: the key was deleted or deactivated, belongs to another partition, or a session token is missing or stale. Rotate the keys and update the secret.`,
    };
  }
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    return {
      kind: 'permanent',
      code,
      message,
      hint:
        `The trust policy of ${ctx.roleArn} does not accept this job's token (${describeClaims(ctx)}). ` +
        'Its conditions on token.actions.githubusercontent.com:sub and :aud must match these values ' +
        '(e.g. "StringLike": {"token.actions.githubusercontent.com:sub": "repo:ORG/REPO:*"}).',
    };
  }
  if (code === 'ExpiredToken') {
    return { kind: 'permanent', code, message, hint: 'The credentials used to sign the call have expired; the session must be re-assumed.' };
  }
  if (TRANSIENT_CODES.has(code) || (status !== undefined && (status >= 500 || status === 429))) {
    return { kind: 'transient', code, message, newToken: false };
  }
  if (status === undefined && /socket hang up|network|timed? ?out|fetch failed/i.test(message)) {
    return { kind: 'transient', code, message, newToken: false };
  }
  const hints: Record<string, string> = {
    IDPRejectedClaim: 'The identity provider rejected a claim; check the token claims the trust policy expects.',
    RegionDisabledException: 'STS is not activated in this region for the account: activate it in IAM account settings, or use another aws-region.',
    PackedPolicyTooLarge: "Shorten 'inline-session-policy' or use fewer 'managed-session-policies'.",
    MalformedPolicyDocument: "Fix 'inline-session-policy': STS could not parse it.",
    ValidationError: 'Check the inputs named in the message.',
    InvalidClientTokenId: 'The signing credentials are not valid in this account or partition.',
    SignatureDoesNotMatch: 'Check the runner clock (signed calls fail past 15 min of skew).',
  };
  return { kind: 'permanent', code, message, hint: hints[code] ?? 'See the AWS STS error reference for this code.' };
}
