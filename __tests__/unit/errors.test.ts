import { describe, test, expect } from '@jest/globals';
import { classify, type Failure, type FailureContext } from '../../src/sts/errors.js';
import { IdTokenError } from '../../src/oidc/id-token.js';
import { awsError, CHAIN_MESSAGE, MAX_SESSION_MESSAGE, ROLE_ARN } from './fakes.js';

const claims = {
  iss: 'https://token.actions.githubusercontent.com/octo-enterprise',
  sub: 'repo:octo/deploy:environment:prod',
  aud: 'sts.amazonaws.com',
};
const ctx: FailureContext = { roleArn: ROLE_ARN, audience: 'sts.amazonaws.com', claims };
const noClaims: FailureContext = { roleArn: ROLE_ARN, audience: 'my-audience' };

function permanent(f: Failure): Extract<Failure, { kind: 'permanent' }> {
  expect(f.kind).toBe('permanent');
  if (f.kind !== 'permanent') throw new Error('not permanent');
  return f;
}

describe('duration too long', () => {
  test('role MaxSessionDuration message → scope role', () => {
    expect(classify(awsError('ValidationError', MAX_SESSION_MESSAGE), ctx)).toEqual({
      kind: 'duration-too-long',
      scope: 'role',
      code: 'ValidationError',
      message: MAX_SESSION_MESSAGE,
    });
  });
  test('role chaining message → scope chain', () => {
    expect(classify(awsError('ValidationError', CHAIN_MESSAGE), ctx)).toEqual({
      kind: 'duration-too-long',
      scope: 'chain',
      code: 'ValidationError',
      message: CHAIN_MESSAGE,
    });
  });
  test('other ValidationError is permanent with the generic validation hint', () => {
    const f = permanent(classify(awsError('ValidationError', "1 validation error detected: Value 'x' at 'roleArn'"), ctx));
    expect(f.hint).toBe('Check the inputs named in the message.');
  });
});

describe('tokens', () => {
  test('ExpiredTokenException → transient, new token', () => {
    expect(classify(awsError('ExpiredTokenException', 'Token is expired'), ctx)).toEqual({
      kind: 'transient',
      code: 'ExpiredTokenException',
      message: 'Token is expired',
      newToken: true,
    });
  });
  test('ExpiredToken (signed call) → permanent, re-assume hint', () => {
    const f = permanent(classify(awsError('ExpiredToken', 'The security token included in the request is expired', 403), ctx));
    expect(f.hint).toMatch(/re-assumed/);
  });
  test('InvalidIdentityToken verification key → transient without new token', () => {
    const msg = "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";
    expect(classify(awsError('InvalidIdentityToken', msg), ctx)).toEqual({ kind: 'transient', code: 'InvalidIdentityToken', message: msg, newToken: false });
  });
  test('InvalidIdentityToken no provider → permanent, hint names provider URL from iss and the audience', () => {
    const msg = 'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com/octo-enterprise';
    const f = permanent(classify(awsError('InvalidIdentityToken', msg), ctx));
    expect(f.code).toBe('InvalidIdentityToken');
    expect(f.hint).toContain('https://token.actions.githubusercontent.com/octo-enterprise');
    expect(f.hint).toContain('"sts.amazonaws.com"');
    expect(f.hint).toContain(
      'aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com/octo-enterprise --client-id-list sts.amazonaws.com',
    );
  });
  test('InvalidIdentityToken no provider without claims → the default GitHub issuer', () => {
    const f = permanent(classify(awsError('InvalidIdentityToken', 'No OpenIDConnect provider found in your account for x'), noClaims));
    expect(f.hint).toContain('--url https://token.actions.githubusercontent.com --client-id-list my-audience');
  });
  test('other InvalidIdentityToken → permanent, provider check hint', () => {
    const f = permanent(classify(awsError('InvalidIdentityToken', 'Incorrect token audience'), ctx));
    expect(f.hint).toMatch(/STS refused the GitHub ID token/);
    expect(f.hint).toContain('https://token.actions.githubusercontent.com/octo-enterprise');
    expect(f.hint).toContain('"sts.amazonaws.com"');
  });
});

describe('AccessDenied', () => {
  test('hint shows the role, sub and aud', () => {
    const f = permanent(classify(awsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403), ctx));
    expect(f.code).toBe('AccessDenied');
    expect(f.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(f.hint).toContain(ROLE_ARN);
    expect(f.hint).toContain('sub "repo:octo/deploy:environment:prod"');
    expect(f.hint).toContain('aud "sts.amazonaws.com"');
    expect(f.hint).toContain('token.actions.githubusercontent.com:sub');
  });
  test('array aud is joined', () => {
    const f = permanent(classify(awsError('AccessDenied', 'x', 403), { ...ctx, claims: { ...claims, aud: ['a1', 'a2'] } }));
    expect(f.hint).toContain('aud "a1, a2"');
  });
  test('without claims: sub unknown, aud from the configured audience', () => {
    const f = permanent(classify(awsError('AccessDeniedException', 'x', 403), noClaims));
    expect(f.code).toBe('AccessDeniedException');
    expect(f.hint).toContain('sub "(unknown)"');
    expect(f.hint).toContain('aud "my-audience"');
  });
});

describe('transient failures', () => {
  test.each([
    ['Throttling', 'Rate exceeded', 400],
    ['IDPCommunicationError', 'Failed to communicate', 400],
    ['InternalFailure', 'boom', 500],
    ['ServiceUnavailable', 'down', 503],
    ['RequestTimeout', 'slow', 408],
  ])('code %s', (code, message, status) => {
    expect(classify(awsError(code, message, status), ctx)).toEqual({ kind: 'transient', code, message, newToken: false });
  });

  test('any 5xx via $metadata.httpStatusCode, even with an unknown code', () => {
    const f = classify(awsError('WeirdServerThing', 'oops', 502), ctx);
    expect(f).toEqual({ kind: 'transient', code: 'WeirdServerThing', message: 'oops', newToken: false });
  });
  test('429 via $metadata.httpStatusCode', () => {
    expect(classify(awsError('SomethingElse', 'slow down', 429), ctx).kind).toBe('transient');
  });
  test('a 4xx with an unknown code is not transient', () => {
    expect(classify(awsError('SomethingElse', 'no', 400), ctx).kind).toBe('permanent');
  });
  test('ECONNREFUSED from a Node system error (code)', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    expect(classify(e, ctx)).toEqual({ kind: 'transient', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:443', newToken: false });
  });
  test('TimeoutError by name', () => {
    const e = new Error('The operation was aborted due to timeout');
    e.name = 'TimeoutError';
    expect(classify(e, ctx)).toMatchObject({ kind: 'transient', code: 'TimeoutError' });
  });
  test('"socket hang up" message without status', () => {
    expect(classify(new Error('socket hang up'), ctx)).toMatchObject({ kind: 'transient', code: 'Error', message: 'socket hang up' });
  });
  test('"fetch failed" with the code on its cause', () => {
    const e = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }) });
    // TypeError has a name, so the code is TypeError; the message still makes it transient.
    expect(classify(e, ctx).kind).toBe('transient');
  });
  test('code found on the cause when the error itself has none', () => {
    const e = { message: 'wrapped', cause: { code: 'ETIMEDOUT' } };
    expect(classify(e, ctx)).toMatchObject({ kind: 'transient', code: 'ETIMEDOUT' });
  });
  test('a network-looking message with an HTTP status is not transient by message', () => {
    expect(classify(awsError('Odd', 'network thing', 400), ctx).kind).toBe('permanent');
  });
});

describe('IdTokenError kinds', () => {
  test('transient → transient with a new token', () => {
    expect(classify(new IdTokenError('HTTP 503', 'transient'), ctx)).toEqual({
      kind: 'transient',
      code: 'OIDCTokenRequest',
      message: 'HTTP 503',
      newToken: true,
    });
  });
  test('permission → MissingIdTokenPermission naming id-token: write', () => {
    const f = permanent(classify(new IdTokenError('not set', 'permission'), ctx));
    expect(f.code).toBe('MissingIdTokenPermission');
    expect(f.hint).toContain('permissions: id-token: write');
  });
  test('permanent → OIDCTokenRequest with the 6 h hint', () => {
    const f = permanent(classify(new IdTokenError('HTTP 401', 'permanent'), ctx));
    expect(f.code).toBe('OIDCTokenRequest');
    expect(f.message).toBe('HTTP 401');
    expect(f.hint).toMatch(/about 6 h/);
    expect(f.hint).toContain('id-token: write');
  });
});

describe('permanent codes and their hints', () => {
  test.each([
    ['IDPRejectedClaim', /rejected a claim/],
    ['RegionDisabledException', /not activated in this region/],
    ['PackedPolicyTooLarge', /Shorten 'inline-session-policy'/],
    ['MalformedPolicyDocument', /Fix 'inline-session-policy'/],
    ['InvalidClientTokenId', /not valid in this account or partition/],
    ['SignatureDoesNotMatch', /runner clock.*15 min/],
  ])('%s', (code, hint) => {
    const f = permanent(classify(awsError(code, `${code} message`, 400), ctx));
    expect(f.code).toBe(code);
    expect(f.message).toBe(`${code} message`);
    expect(f.hint).toMatch(hint);
  });

  test('an unknown code → permanent with the generic hint', () => {
    const f = permanent(classify(awsError('NoSuchThing', 'what', 400), ctx));
    expect(f.hint).toBe('See the AWS STS error reference for this code.');
  });

  test('a plain Error without name or code → code "Error"', () => {
    const f = permanent(classify(new Error('plain'), ctx));
    expect(f.code).toBe('Error');
    expect(f.message).toBe('plain');
  });

  test('a non-object thrown value is described by its text', () => {
    const f = permanent(classify('just a string', ctx));
    expect(f.code).toBe('Error');
    expect(f.message).toBe('just a string');
    expect(classify(undefined, ctx).kind).toBe('permanent');
  });

  test('an object without a string message uses its string form', () => {
    const f = classify({ name: 'Throttling', message: 42 }, ctx);
    expect(f).toMatchObject({ kind: 'transient', code: 'Throttling', message: '[object Object]' });
  });

  test('an empty code falls through to the name', () => {
    expect(classify({ code: '', name: 'Throttling', message: 'x' }, ctx)).toMatchObject({ kind: 'transient', code: 'Throttling' });
  });
});

describe('AWS SDK error shapes', () => {
  test.each([
    ['InvalidIdentityTokenException', 'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com', 'InvalidIdentityToken', 'permanent'],
    ['InvalidIdentityTokenException', "Couldn't retrieve verification key from your identity provider", 'InvalidIdentityToken', 'transient'],
    ['IDPCommunicationErrorException', 'Failed to reach the IdP', 'IDPCommunicationError', 'transient'],
    ['IDPRejectedClaimException', 'rejected', 'IDPRejectedClaim', 'permanent'],
    ['MalformedPolicyDocumentException', 'bad', 'MalformedPolicyDocument', 'permanent'],
    ['PackedPolicyTooLargeException', 'big', 'PackedPolicyTooLarge', 'permanent'],
    ['ExpiredTokenException', 'Token is expired', 'ExpiredTokenException', 'transient'],
  ])('SDK class name %s is read as the STS code', (name, message, code, kind) => {
    const f = classify(awsError(name, message, 400), ctx);
    expect(f.code).toBe(code);
    expect(f.kind).toBe(kind);
  });

  test('the SDK class name with a Code property: Code wins', () => {
    const e = Object.assign(awsError('SomeSdkException', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403), { Code: 'AccessDenied' });
    const f = permanent(classify(e, ctx));
    expect(f.code).toBe('AccessDenied');
    expect(f.hint).toContain('sub "repo:octo/deploy:environment:prod"');
  });

  test('an empty Code falls through to code and name', () => {
    expect(classify({ Code: '', name: 'Throttling', message: 'x' }, ctx)).toMatchObject({ kind: 'transient', code: 'Throttling' });
    expect(classify({ Code: '', code: 'ECONNRESET', message: 'x' }, ctx)).toMatchObject({ kind: 'transient', code: 'ECONNRESET' });
  });
});
