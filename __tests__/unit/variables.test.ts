import { describe, test, expect } from '@jest/globals';
import {
  accountIdsToMask,
  exportIdentityOutputs,
  exportMasked,
  exportStaticCredentials,
  serverCredentialVariables,
  staticCredentialVariables,
} from '../../src/export/variables.js';
import { markerMatches, markerValue, parseMarker } from '../../src/model/marker.js';
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';
import { FakeToolkit } from './fakes.js';

const creds = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2026-05-01T11:00:00Z'),
};

describe('staticCredentialVariables', () => {
  test('the six variables and the session marker for these keys and this identity', () => {
    expect(staticCredentialVariables(creds, 'eu-west-1', { identity: 'identity-key' })).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_CREDENTIAL_EXPIRATION: '2026-05-01T11:00:00.000Z',
      AWS_SESSION_GUARD_SESSION: markerValue('ASIAEXAMPLE', { identity: 'identity-key' }),
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
  });

  test('the marker names these keys and the identity, and holds no secret', () => {
    const vars = staticCredentialVariables(creds, 'eu-west-1', { identity: 'identity-key' });
    const marker = parseMarker(vars['AWS_SESSION_GUARD_SESSION']);
    expect(marker?.identity).toBe('identity-key');
    expect(markerMatches(marker, 'ASIAEXAMPLE')).toBe(true);
    expect(markerMatches(marker, 'ASIAOTHER')).toBe(false);
    for (const secret of [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) expect(vars['AWS_SESSION_GUARD_SESSION']).not.toContain(secret);
  });
});

describe('serverCredentialVariables', () => {
  const vars = serverCredentialVariables('http://127.0.0.1:4321/credentials', 'auth-token', 'us-east-2');

  test('sets the container pair and the region', () => {
    expect(vars['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe('http://127.0.0.1:4321/credentials');
    expect(vars['AWS_CONTAINER_AUTHORIZATION_TOKEN']).toBe('auth-token');
    expect(vars['AWS_REGION']).toBe('us-east-2');
    expect(vars['AWS_DEFAULT_REGION']).toBe('us-east-2');
  });

  test.each(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_SESSION_GUARD_SESSION', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'])(
    'clears %s (exported empty)',
    (name) => {
      expect(Object.prototype.hasOwnProperty.call(vars, name)).toBe(true);
      expect(vars[name]).toBe('');
    },
  );

  test.each(['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'])(
    'never includes %s (botocore breaks on an empty one)',
    (name) => {
      expect(Object.prototype.hasOwnProperty.call(vars, name)).toBe(false);
    },
  );

  test('AWS_PROFILE is never exported empty (the AWS CLI and boto3 look for a profile named "")', () => {
    expect(vars['AWS_PROFILE']).not.toBe('');
  });

  test('only the container pair and the region are non-empty', () => {
    const nonEmpty = Object.entries(vars)
      .filter(([, v]) => v !== '')
      .map(([k]) => k)
      .sort();
    expect(nonEmpty).toEqual(['AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_DEFAULT_REGION', 'AWS_REGION']);
  });
});

describe('exportMasked and exportStaticCredentials', () => {
  test('every secret is masked before the single export', () => {
    const toolkit = new FakeToolkit();
    exportMasked(toolkit, { A: '1', B: '2' }, ['s1', 's2']);
    expect(toolkit.calls.map((c) => c.method)).toEqual(['setSecret', 'setSecret', 'exportVariables']);
    expect(toolkit.secrets).toEqual(['s1', 's2']);
    expect(toolkit.exports).toEqual([{ A: '1', B: '2' }]);
  });

  test('static credentials: key id, secret and token masked, then one export', () => {
    const toolkit = new FakeToolkit();
    exportStaticCredentials(toolkit, creds, 'eu-west-1', { identity: 'identity-key' });
    expect(toolkit.calls.map((c) => c.method)).toEqual(['setSecret', 'setSecret', 'setSecret', 'exportVariables']);
    expect(toolkit.secrets).toEqual(['ASIAEXAMPLE', 'secret', 'token']);
    expect(toolkit.exports).toEqual([staticCredentialVariables(creds, 'eu-west-1', { identity: 'identity-key' })]);
  });

  test('IAM user keys (no session token): the two keys masked, never an empty mask, then one export', () => {
    const toolkit = new FakeToolkit();
    exportStaticCredentials(toolkit, { accessKeyId: 'AKIAUSER', secretAccessKey: 'user-secret', sessionToken: '' }, undefined, { identity: 'identity-key' });
    expect(toolkit.secrets).toEqual(['AKIAUSER', 'user-secret']);
    expect(toolkit.calls.map((c) => c.method)).toEqual(['setSecret', 'setSecret', 'exportVariables']);
    expect(toolkit.exports[0]).toMatchObject({ AWS_ACCESS_KEY_ID: 'AKIAUSER', AWS_SESSION_TOKEN: '', AWS_CREDENTIAL_EXPIRATION: '', AWS_SESSION_GUARD_SESSION: '' });
  });

  test('a failing export happens after masking: the secrets are masked either way', () => {
    const toolkit = new FakeToolkit();
    toolkit.exportVariables = () => {
      throw new Error('GITHUB_ENV is not set');
    };
    expect(() => exportStaticCredentials(toolkit, creds, 'eu-west-1', { identity: 'identity-key' })).toThrow('GITHUB_ENV');
    expect(toolkit.secrets).toEqual(['ASIAEXAMPLE', 'secret', 'token']);
  });
});

describe('exportIdentityOutputs', () => {
  const arn = 'arn:aws:sts::123456789012:assumed-role/deploy/s';

  test('the account ID and the assumed-role ARN', () => {
    const toolkit = new FakeToolkit();
    exportIdentityOutputs(toolkit, { maskAwsAccountId: false }, arn);
    expect(toolkit.outputs).toEqual({ 'aws-account-id': '123456789012', 'authenticated-arn': arn });
    expect(toolkit.infos).toEqual([]);
  });

  test('mask-aws-account-id: both outputs set, each masked before it is set (as configure-aws-credentials)', () => {
    const toolkit = new FakeToolkit();
    exportIdentityOutputs(toolkit, { maskAwsAccountId: true }, arn);
    expect(toolkit.outputs).toEqual({ 'aws-account-id': '123456789012', 'authenticated-arn': arn });
    expect(toolkit.secrets).toEqual(['123456789012', arn]);
    expect(toolkit.indexOf('setSecret', '123456789012')).toBeLessThan(toolkit.indexOf('setOutput', 'aws-account-id'));
    expect(toolkit.indexOf('setSecret', arn)).toBeLessThan(toolkit.indexOf('setOutput', 'authenticated-arn'));
  });

  test('no assumed-role ARN: nothing at all', () => {
    for (const mask of [true, false]) {
      const toolkit = new FakeToolkit();
      exportIdentityOutputs(toolkit, { maskAwsAccountId: mask }, undefined);
      exportIdentityOutputs(toolkit, { maskAwsAccountId: mask }, '');
      expect(toolkit.calls).toEqual([]);
    }
  });

  test('an ARN without an account ID: only the ARN', () => {
    const toolkit = new FakeToolkit();
    exportIdentityOutputs(toolkit, { maskAwsAccountId: false }, 'not-an-arn');
    expect(toolkit.outputs).toEqual({ 'authenticated-arn': 'not-an-arn' });
  });
});

describe('accountIdsToMask', () => {
  const role = parseRoleArn('arn:aws:iam::123456789012:role/deploy') as RoleArn;
  const chained = parseRoleArn('arn:aws:iam::210987654321:role/target') as RoleArn;
  const sameAccount = parseRoleArn('arn:aws:iam::123456789012:role/other') as RoleArn;

  test.each([
    ['mask off', { maskAwsAccountId: false, roleToAssume: role, chainedRoleToAssume: chained }, []],
    ['no role', { maskAwsAccountId: true }, []],
    ['one role', { maskAwsAccountId: true, roleToAssume: role }, ['123456789012']],
    ['a chain across accounts', { maskAwsAccountId: true, roleToAssume: role, chainedRoleToAssume: chained }, ['123456789012', '210987654321']],
    ['a chain in one account: once', { maskAwsAccountId: true, roleToAssume: role, chainedRoleToAssume: sameAccount }, ['123456789012']],
  ])('%s', (_label, settings, expected) => {
    expect(accountIdsToMask(settings)).toEqual(expected);
  });
});
