import { describe, test, expect } from '@jest/globals';
import {
  exportMasked,
  exportStaticCredentials,
  serverCredentialVariables,
  staticCredentialVariables,
} from '../../src/export/variables.js';
import { FakeToolkit } from './fakes.js';

const creds = {
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: new Date('2026-05-01T11:00:00Z'),
};

describe('staticCredentialVariables', () => {
  test('the six variables', () => {
    expect(staticCredentialVariables(creds, 'eu-west-1')).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_CREDENTIAL_EXPIRATION: '2026-05-01T11:00:00.000Z',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
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

  test.each(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'])(
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
    exportStaticCredentials(toolkit, creds, 'eu-west-1');
    expect(toolkit.calls.map((c) => c.method)).toEqual(['setSecret', 'setSecret', 'setSecret', 'exportVariables']);
    expect(toolkit.secrets).toEqual(['ASIAEXAMPLE', 'secret', 'token']);
    expect(Object.keys(toolkit.exports[0] ?? {})).toHaveLength(6);
  });

  test('a failing export happens after masking: the secrets are masked either way', () => {
    const toolkit = new FakeToolkit();
    toolkit.exportVariables = () => {
      throw new Error('GITHUB_ENV is not set');
    };
    expect(() => exportStaticCredentials(toolkit, creds, 'eu-west-1')).toThrow('GITHUB_ENV');
    expect(toolkit.secrets).toEqual(['ASIAEXAMPLE', 'secret', 'token']);
  });
});
