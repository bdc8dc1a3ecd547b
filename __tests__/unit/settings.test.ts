import { describe, test, expect } from '@jest/globals';
import { settingsFrom, settingsProblems } from './fakes.js';
import { Inputs, type InputName } from '../../src/constants.js';
import {
  defaultSessionName,
  MAX_EXPECTED_SECONDS,
  SettingsError,
  type Settings,
  type SettingsEnv,
} from '../../src/settings/settings.js';
import { accountIdOf, isPolicyArn, parseRoleArn } from '../../src/model/arn.js';
import { redactUrl } from '../../src/util/redact.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const ENV: SettingsEnv = { GITHUB_RUN_ID: '987654321', GITHUB_RUN_ATTEMPT: '2' };

const read = (inputs: Partial<Record<InputName, string>>, env: SettingsEnv = ENV): Settings => settingsFrom(inputs, env);
const problemsOf = (inputs: Partial<Record<InputName, string>>): readonly string[] => settingsProblems(inputs, ENV);

function errorOf(inputs: Partial<Record<InputName, string>>): SettingsError {
  try {
    read(inputs);
  } catch (e) {
    expect(e).toBeInstanceOf(SettingsError);
    return e as SettingsError;
  }
  throw new Error(`expected a SettingsError for ${JSON.stringify(inputs)}`);
}

const withRole = { [Inputs.RoleToAssume]: ROLE, [Inputs.AwsRegion]: 'us-east-1' } as const;

describe('readSettings defaults', () => {
  test('no inputs at all: every default', () => {
    const s = read({});
    expect(s.audience).toBe('sts.amazonaws.com');
    // No need is stated without expected-duration: the step does what configure-aws-credentials does.
    expect(s.expectedDurationSeconds).toBeUndefined();
    expect(s.safetyMarginSeconds).toBe(300);
    expect(s.retryMaxAttempts).toBe(5);
    expect(s.failOnShortSession).toBe(true);
    expect(s.maskAwsAccountId).toBe(false);
    expect(s.keepAlive).toBe(false);
    expect(s.roleSessionName).toBe('GitHubActions-987654321-2');
    expect(s.managedSessionPolicies).toEqual([]);
    expect(s.roleToAssume).toBeUndefined();
    expect(s.chainedRoleToAssume).toBeUndefined();
    expect(s.region).toBeUndefined();
    expect(s.roleDurationSeconds).toBeUndefined();
    expect(s.expiration).toBeUndefined();
    expect(s.stsEndpoint).toBeUndefined();
    expect(s.inlineSessionPolicy).toBeUndefined();
    // exactOptionalPropertyTypes: absent keys are absent, not undefined-valued.
    expect('roleToAssume' in s).toBe(false);
    expect('region' in s).toBe(false);
    expect('roleDurationSeconds' in s).toBe(false);
  });

  test('session name without run env falls back to GitHubActions', () => {
    expect(read({}, {}).roleSessionName).toBe('GitHubActions');
    expect(read({}, { GITHUB_RUN_ID: '42' }).roleSessionName).toBe('GitHubActions-42');
  });

  test('defaultSessionName drops unsafe parts and keeps at most 64 characters', () => {
    expect(defaultSessionName({ GITHUB_RUN_ID: 'a b', GITHUB_RUN_ATTEMPT: '3' })).toBe('GitHubActions-3');
    const long = defaultSessionName({ GITHUB_RUN_ID: '9'.repeat(80), GITHUB_RUN_ATTEMPT: '1' });
    expect(long.length).toBe(64);
    expect(long.startsWith('GitHubActions-999')).toBe(true);
  });

  test('every input read and parsed', () => {
    const policy = '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*" } ] }';
    const s = read({
      ...withRole,
      [Inputs.ChainedRoleToAssume]: 'arn:aws-us-gov:iam::210987654321:role/path/to/target',
      [Inputs.Audience]: 'custom-aud',
      [Inputs.RoleSessionName]: 'my.session@x',
      [Inputs.ExpectedDuration]: '1h30m',
      [Inputs.SafetyMargin]: '10m',
      [Inputs.RoleDurationSeconds]: '7200',
      [Inputs.Expiration]: '2026-11-22T15:04:05Z',
      [Inputs.FailOnShortSession]: 'false',
      [Inputs.StsEndpoint]: 'https://sts.us-east-1.amazonaws.com',
      [Inputs.InlineSessionPolicy]: policy,
      [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/ReadOnlyAccess\r\n arn:aws:iam::123456789012:policy/team/Mine \n\n',
      [Inputs.MaskAwsAccountId]: 'TRUE',
      [Inputs.RetryMaxAttempts]: '1',
      [Inputs.KeepAlive]: 'True',
    });
    expect(s.roleToAssume).toEqual({ arn: ROLE, partition: 'aws', accountId: '123456789012', roleName: 'deploy' });
    expect(s.chainedRoleToAssume).toEqual({
      arn: 'arn:aws-us-gov:iam::210987654321:role/path/to/target',
      partition: 'aws-us-gov',
      accountId: '210987654321',
      roleName: 'target',
    });
    expect(s.region).toBe('us-east-1');
    expect(s.audience).toBe('custom-aud');
    expect(s.roleSessionName).toBe('my.session@x');
    expect(s.expectedDurationSeconds).toBe(5400);
    expect(s.safetyMarginSeconds).toBe(600);
    expect(s.roleDurationSeconds).toBe(7200);
    expect(s.expiration?.toISOString()).toBe('2026-11-22T15:04:05.000Z');
    expect(s.failOnShortSession).toBe(false);
    expect(s.stsEndpoint).toBe('https://sts.us-east-1.amazonaws.com');
    expect(s.inlineSessionPolicy).toBe(JSON.stringify(JSON.parse(policy)));
    expect(s.managedSessionPolicies).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/team/Mine']);
    expect(s.maskAwsAccountId).toBe(true);
    expect(s.retryMaxAttempts).toBe(1);
    expect(s.keepAlive).toBe(true);
  });

  test.each([
    ['us-east-1'],
    ['eu-west-2'],
    ['ap-southeast-1'],
    ['us-gov-west-1'],
    ['cn-north-1'],
    ['us-isob-east-1'],
    ['us-isof-south-1'],
    ['eu-isoe-west-1'],
    ['mx-central-1'],
    // AWS European Sovereign Cloud: its partition (aws-eusc) is accepted in role ARNs, so its region must be too.
    ['eusc-de-east-1'],
  ])('accepts region %s', (region) => {
    expect(read({ ...withRole, [Inputs.AwsRegion]: region }).region).toBe(region);
  });

  test.each([
    ['2026-11-22T15:04:05Z', '2026-11-22T15:04:05.000Z'],
    ['2026-11-22T15:04Z', '2026-11-22T15:04:00.000Z'],
    ['2026-11-22T15:04:05.123Z', '2026-11-22T15:04:05.123Z'],
    ['2026-11-22T17:04:05+02:00', '2026-11-22T15:04:05.000Z'],
    ['2026-11-22T10:04:05-0500', '2026-11-22T15:04:05.000Z'],
    // configure-aws-credentials' aws-expiration output is a JSON string, quotes included
    ['"2026-11-22T15:04:05.000Z"', '2026-11-22T15:04:05.000Z'],
  ])('accepts expiration %s', (text, iso) => {
    expect(read({ [Inputs.Expiration]: text }).expiration?.toISOString()).toBe(iso);
  });

  test.each([['900', 900], ['43200', 43200], ['3600', 3600]])('role-duration-seconds %s accepted', (raw, n) => {
    expect(read({ [Inputs.RoleDurationSeconds]: raw }).roleDurationSeconds).toBe(n);
  });

  test('safety-margin 0 is allowed; expected-duration at the 5-day limit is allowed', () => {
    const s = read({ [Inputs.SafetyMargin]: '0', [Inputs.ExpectedDuration]: String(MAX_EXPECTED_SECONDS) });
    expect(s.safetyMarginSeconds).toBe(0);
    expect(s.expectedDurationSeconds).toBe(5 * 86400);
  });

  test.each([
    ['http://127.0.0.1:4566'],
    ['http://127.0.0.1:4566/'],
    ['http://127.1.2.3:80/sts'],
    ['http://localhost:4566'],
    ['HTTP://LOCALHOST:4566'],
    ['http://[::1]:4566'],
    ['https://sts.eu-west-1.amazonaws.com'],
    ['https://vpce-0123-abcd.sts.us-east-1.vpce.amazonaws.com'],
    ['https://localhost:8443'],
  ])('sts-endpoint %s is accepted as given', (url) => {
    expect(read({ [Inputs.StsEndpoint]: url }).stsEndpoint).toBe(url);
  });

  test('exactly 10 managed policies are accepted', () => {
    const list = Array.from({ length: 10 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`).join('\n');
    expect(read({ [Inputs.ManagedSessionPolicies]: list }).managedSessionPolicies).toHaveLength(10);
  });
});

/**
 * Each bad input: the inputs, the input name the message must name, the value
 * it must show (null: must NOT be shown), and a pattern for the accepted form.
 */
interface BadCase {
  readonly label: string;
  readonly inputs: Partial<Record<InputName, string>>;
  readonly name: InputName;
  readonly shown: string | null;
  readonly form: RegExp;
  /** Must not appear in the message (secrets, policies). */
  readonly hidden?: string;
}

const arnForm = /full ARN, e\.g\. arn:aws:iam::123456789012:role\/deploy/;
const durationForm = /whole numbers with d, h, m, s, largest first, such as 90m, 2h, 1h30m, or whole seconds \(5400\)/;
const isoForm = /e\.g\. 2026-11-22T15:04:05Z/;

const badCases: BadCase[] = [
  { label: 'role ARN: bare name', inputs: { ...withRole, [Inputs.RoleToAssume]: 'deploy' }, name: Inputs.RoleToAssume, shown: 'deploy', form: arnForm },
  { label: 'role ARN: 11-digit account', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:iam::12345678901:role/deploy' }, name: Inputs.RoleToAssume, shown: 'arn:aws:iam::12345678901:role/deploy', form: arnForm },
  { label: 'role ARN: a user, not a role', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:iam::123456789012:user/deploy' }, name: Inputs.RoleToAssume, shown: 'arn:aws:iam::123456789012:user/deploy', form: arnForm },
  { label: 'role ARN: assumed-role session ARN', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:sts::123456789012:assumed-role/deploy/s' }, name: Inputs.RoleToAssume, shown: 'arn:aws:sts::123456789012:assumed-role/deploy/s', form: arnForm },
  { label: 'role ARN: no role name', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:iam::123456789012:role/' }, name: Inputs.RoleToAssume, shown: 'arn:aws:iam::123456789012:role/', form: arnForm },
  { label: 'role ARN: with a region', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:iam:us-east-1:123456789012:role/deploy' }, name: Inputs.RoleToAssume, shown: 'arn:aws:iam:us-east-1:123456789012:role/deploy', form: arnForm },
  { label: 'role ARN: unknown partition', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:azure:iam::123456789012:role/deploy' }, name: Inputs.RoleToAssume, shown: 'arn:azure:iam::123456789012:role/deploy', form: arnForm },
  { label: 'role ARN: space in the name', inputs: { ...withRole, [Inputs.RoleToAssume]: 'arn:aws:iam::123456789012:role/my role' }, name: Inputs.RoleToAssume, shown: 'arn:aws:iam::123456789012:role/my role', form: arnForm },
  { label: 'chained role ARN malformed', inputs: { ...withRole, [Inputs.ChainedRoleToAssume]: 'target' }, name: Inputs.ChainedRoleToAssume, shown: 'target', form: arnForm },
  { label: 'region missing with role', inputs: { [Inputs.RoleToAssume]: ROLE }, name: Inputs.AwsRegion, shown: null, form: /aws-region: us-east-1/ },
  { label: 'region malformed', inputs: { ...withRole, [Inputs.AwsRegion]: 'US East' }, name: Inputs.AwsRegion, shown: 'US East', form: /such as us-east-1/ },
  { label: 'region: availability zone', inputs: { ...withRole, [Inputs.AwsRegion]: 'us-east-1a' }, name: Inputs.AwsRegion, shown: 'us-east-1a', form: /such as us-east-1/ },
  { label: 'expected-duration unparsable', inputs: { [Inputs.ExpectedDuration]: 'two hours' }, name: Inputs.ExpectedDuration, shown: 'two hours', form: durationForm },
  { label: 'expected-duration fractional', inputs: { [Inputs.ExpectedDuration]: '1.5h' }, name: Inputs.ExpectedDuration, shown: '1.5h', form: durationForm },
  { label: 'expected-duration zero', inputs: { [Inputs.ExpectedDuration]: '0' }, name: Inputs.ExpectedDuration, shown: '0', form: durationForm },
  { label: 'expected-duration negative', inputs: { [Inputs.ExpectedDuration]: '-5m' }, name: Inputs.ExpectedDuration, shown: '-5m', form: durationForm },
  { label: 'expected-duration absurd (6 days)', inputs: { [Inputs.ExpectedDuration]: '6d' }, name: Inputs.ExpectedDuration, shown: '6d', form: durationForm },
  { label: 'expected-duration absurd (121h)', inputs: { [Inputs.ExpectedDuration]: '121h' }, name: Inputs.ExpectedDuration, shown: '121h', form: durationForm },
  { label: 'safety-margin unparsable', inputs: { [Inputs.SafetyMargin]: '5 minutes' }, name: Inputs.SafetyMargin, shown: '5 minutes', form: durationForm },
  { label: 'safety-margin too long', inputs: { [Inputs.SafetyMargin]: '7h' }, name: Inputs.SafetyMargin, shown: '7h', form: durationForm },
  { label: 'role-duration-seconds 899', inputs: { [Inputs.RoleDurationSeconds]: '899' }, name: Inputs.RoleDurationSeconds, shown: '899', form: /whole seconds from 900 to 43200/ },
  { label: 'role-duration-seconds 43201', inputs: { [Inputs.RoleDurationSeconds]: '43201' }, name: Inputs.RoleDurationSeconds, shown: '43201', form: /whole seconds from 900 to 43200/ },
  { label: 'role-duration-seconds 1h', inputs: { [Inputs.RoleDurationSeconds]: '1h' }, name: Inputs.RoleDurationSeconds, shown: '1h', form: /whole seconds from 900 to 43200/ },
  { label: 'role-duration-seconds 3600.5', inputs: { [Inputs.RoleDurationSeconds]: '3600.5' }, name: Inputs.RoleDurationSeconds, shown: '3600.5', form: /whole seconds from 900 to 43200/ },
  { label: 'expiration tomorrow', inputs: { [Inputs.Expiration]: 'tomorrow' }, name: Inputs.Expiration, shown: 'tomorrow', form: isoForm },
  { label: 'expiration 2026-13-45', inputs: { [Inputs.Expiration]: '2026-13-45' }, name: Inputs.Expiration, shown: '2026-13-45', form: isoForm },
  { label: 'expiration 2026-13-45T00:00:00Z', inputs: { [Inputs.Expiration]: '2026-13-45T00:00:00Z' }, name: Inputs.Expiration, shown: '2026-13-45T00:00:00Z', form: isoForm },
  { label: 'expiration date without time', inputs: { [Inputs.Expiration]: '2026-11-22' }, name: Inputs.Expiration, shown: '2026-11-22', form: isoForm },
  { label: 'expiration without zone', inputs: { [Inputs.Expiration]: '2026-11-22T15:04:05' }, name: Inputs.Expiration, shown: '2026-11-22T15:04:05', form: isoForm },
  { label: 'expiration epoch seconds', inputs: { [Inputs.Expiration]: '1795000000' }, name: Inputs.Expiration, shown: '1795000000', form: isoForm },
  { label: 'session name with spaces', inputs: { [Inputs.RoleSessionName]: 'my session' }, name: Inputs.RoleSessionName, shown: 'my session', form: /2 to 64 characters of letters, digits and \+=,\.@_-/ },
  { label: 'session name 1 char', inputs: { [Inputs.RoleSessionName]: 'a' }, name: Inputs.RoleSessionName, shown: 'a', form: /2 to 64 characters/ },
  { label: 'session name 65 chars', inputs: { [Inputs.RoleSessionName]: 'a'.repeat(65) }, name: Inputs.RoleSessionName, shown: 'a'.repeat(65), form: /2 to 64 characters/ },
  { label: 'session name with a slash', inputs: { [Inputs.RoleSessionName]: 'ci/deploy' }, name: Inputs.RoleSessionName, shown: 'ci/deploy', form: /2 to 64 characters/ },
  { label: 'audience with spaces', inputs: { [Inputs.Audience]: 'sts amazonaws com' }, name: Inputs.Audience, shown: 'sts amazonaws com', form: /without spaces.*Leave it out for sts\.amazonaws\.com/ },
  { label: 'audience only spaces', inputs: { [Inputs.Audience]: '   ' }, name: Inputs.Audience, shown: '   ', form: /non-empty.*Leave it out for sts\.amazonaws\.com/ },
  { label: 'retry-max-attempts -1', inputs: { [Inputs.RetryMaxAttempts]: '-1' }, name: Inputs.RetryMaxAttempts, shown: '-1', form: /whole number from 1 to 100/ },
  { label: 'retry-max-attempts 0', inputs: { [Inputs.RetryMaxAttempts]: '0' }, name: Inputs.RetryMaxAttempts, shown: '0', form: /whole number from 1 to 100/ },
  { label: 'retry-max-attempts abc', inputs: { [Inputs.RetryMaxAttempts]: 'abc' }, name: Inputs.RetryMaxAttempts, shown: 'abc', form: /whole number from 1 to 100/ },
  { label: 'retry-max-attempts 101', inputs: { [Inputs.RetryMaxAttempts]: '101' }, name: Inputs.RetryMaxAttempts, shown: '101', form: /whole number from 1 to 100/ },
  { label: 'inline-session-policy not JSON', inputs: { [Inputs.InlineSessionPolicy]: '{"Statement": [secret-ish' }, name: Inputs.InlineSessionPolicy, shown: null, form: /IAM policy document: \{"Version":"2012-10-17","Statement":\[\.\.\.\]\}/, hidden: 'secret-ish' },
  { label: 'inline-session-policy JSON array', inputs: { [Inputs.InlineSessionPolicy]: '[{"Statement":[],"Sid":"hidden-sid"}]' }, name: Inputs.InlineSessionPolicy, shown: null, form: /JSON object with a "Statement" list/, hidden: 'hidden-sid' },
  { label: 'inline-session-policy without Statement', inputs: { [Inputs.InlineSessionPolicy]: '{"Version":"2012-10-17","Sid":"hidden-sid"}' }, name: Inputs.InlineSessionPolicy, shown: null, form: /JSON object with a "Statement" list/, hidden: 'hidden-sid' },
  { label: 'inline-session-policy JSON string', inputs: { [Inputs.InlineSessionPolicy]: '"hidden-text"' }, name: Inputs.InlineSessionPolicy, shown: null, form: /"Statement" list/, hidden: 'hidden-text' },
  { label: 'inline-session-policy too long', inputs: { [Inputs.InlineSessionPolicy]: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'a'.repeat(2100), Resource: '*' }] }) }, name: Inputs.InlineSessionPolicy, shown: null, form: /over the 2048 STS accepts/, hidden: 'a'.repeat(100) },
  { label: 'managed-session-policies bad ARN', inputs: { [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/ReadOnlyAccess\nReadOnlyAccess' }, name: Inputs.ManagedSessionPolicies, shown: 'ReadOnlyAccess', form: /one ARN per line, e\.g\. arn:aws:iam::aws:policy\/ReadOnlyAccess/ },
  { label: 'managed-session-policies role ARN', inputs: { [Inputs.ManagedSessionPolicies]: ROLE }, name: Inputs.ManagedSessionPolicies, shown: ROLE, form: /one ARN per line/ },
  { label: 'managed-session-policies 11 entries', inputs: { [Inputs.ManagedSessionPolicies]: Array.from({ length: 11 }, (_, i) => `arn:aws:iam::123456789012:policy/p${i}`).join('\n') }, name: Inputs.ManagedSessionPolicies, shown: null, form: /lists 11 policies.*at most 10/ },
  { label: 'fail-on-short-session yes', inputs: { [Inputs.FailOnShortSession]: 'yes' }, name: Inputs.FailOnShortSession, shown: 'yes', form: /Use true or false/ },
  { label: 'mask-aws-account-id 1', inputs: { [Inputs.MaskAwsAccountId]: '1' }, name: Inputs.MaskAwsAccountId, shown: '1', form: /Use true or false/ },
  { label: 'keep-alive on', inputs: { ...withRole, [Inputs.KeepAlive]: 'on' }, name: Inputs.KeepAlive, shown: 'on', form: /Use true or false/ },
  { label: 'keep-alive without role', inputs: { [Inputs.KeepAlive]: 'true' }, name: Inputs.KeepAlive, shown: 'true', form: /needs 'role-to-assume'.*GitHub OIDC/ },
  { label: 'serve-containers without keep-alive', inputs: { ...withRole, [Inputs.ServeContainers]: 'true' }, name: Inputs.ServeContainers, shown: 'true', form: /needs 'keep-alive: true'.*Set 'keep-alive: true'/ },
  { label: 'serve-containers yes', inputs: { ...withRole, [Inputs.KeepAlive]: 'true', [Inputs.ServeContainers]: 'yes' }, name: Inputs.ServeContainers, shown: 'yes', form: /Use true or false/ },
  { label: 'chained role without role', inputs: { [Inputs.ChainedRoleToAssume]: ROLE, [Inputs.AwsRegion]: 'us-east-1' }, name: Inputs.ChainedRoleToAssume, shown: null, form: /needs 'role-to-assume'.*credential source assumes first/ },
  { label: 'sts-endpoint not a URL', inputs: { [Inputs.StsEndpoint]: 'sts.amazonaws.com' }, name: Inputs.StsEndpoint, shown: 'sts.amazonaws.com', form: /e\.g\. https:\/\/sts\.us-east-1\.amazonaws\.com/ },
  { label: 'sts-endpoint ftp', inputs: { [Inputs.StsEndpoint]: 'ftp://sts.amazonaws.com' }, name: Inputs.StsEndpoint, shown: 'ftp://sts.amazonaws.com', form: /is not an https URL.*e\.g\. https:\/\/sts\.us-east-1\.amazonaws\.com/ },
  { label: 'sts-endpoint plain http to AWS', inputs: { [Inputs.StsEndpoint]: 'http://sts.us-east-1.amazonaws.com' }, name: Inputs.StsEndpoint, shown: 'http://sts.us-east-1.amazonaws.com', form: /plain http to sts\.us-east-1\.amazonaws\.com, which is not loopback\. Use https:\/\/.*only on loopback/ },
  { label: 'sts-endpoint plain http to a LAN address', inputs: { [Inputs.StsEndpoint]: 'http://10.0.0.5:4566' }, name: Inputs.StsEndpoint, shown: 'http://10.0.0.5:4566', form: /not loopback.*127\.0\.0\.0\/8/ },
  { label: 'sts-endpoint plain http to a name that only starts like loopback', inputs: { [Inputs.StsEndpoint]: 'http://127.0.0.1.nip.io' }, name: Inputs.StsEndpoint, shown: 'http://127.0.0.1.nip.io', form: /not loopback/ },
  { label: 'sts-endpoint with a user name', inputs: { [Inputs.StsEndpoint]: 'https://AKIAEXAMPLE@sts.amazonaws.com' }, name: Inputs.StsEndpoint, shown: 'https://***@sts.amazonaws.com', form: /holds a user name or password\. Remove the part up to "@"/, hidden: 'AKIAEXAMPLE' },
  { label: 'managed-session-policies comma-separated', inputs: { [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/ReadOnlyAccess,arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }, name: Inputs.ManagedSessionPolicies, shown: 'arn:aws:iam::aws:policy/ReadOnlyAccess,arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', form: /several ARNs on one line; a comma does not separate them\. List one ARN per line/ },
  { label: 'managed-session-policies comma and space', inputs: { [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }, name: Inputs.ManagedSessionPolicies, shown: 'arn:aws:iam::aws:policy/ReadOnlyAccess, arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', form: /one ARN per line/ },
];

describe('readSettings rejects bad inputs with a message that names, shows and fixes', () => {
  test(`there are at least 15 distinct cases (${badCases.length})`, () => {
    expect(new Set(badCases.map((c) => c.label)).size).toBe(badCases.length);
    expect(badCases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(badCases.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const problems = problemsOf(c.inputs);
    const mine = problems.filter((p) => p.startsWith(`'${c.name}'`));
    expect(mine.length).toBeGreaterThanOrEqual(1);
    const problem = mine.find((p) => c.form.test(p));
    expect(problem).toBeDefined();
    const message = problem ?? '';
    if (c.shown !== null) expect(message).toContain(`(got "${c.shown}")`);
    else expect(message).not.toContain('(got ');
    if (c.hidden !== undefined) {
      for (const p of problems) expect(p).not.toContain(c.hidden);
    }
    // And the thrown error's message carries it too.
    const err = errorOf(c.inputs);
    expect(err.name).toBe('SettingsError');
    expect(err.message).toContain(message);
  });

  test('one problem: "Invalid input: ..." on one line', () => {
    const err = errorOf({ [Inputs.RetryMaxAttempts]: '0' });
    expect(err.problems).toHaveLength(1);
    expect(err.message).toBe(`Invalid input: ${err.problems[0]}`);
  });

  test('several problems at once are all listed', () => {
    const err = errorOf({
      [Inputs.RoleToAssume]: 'deploy',
      [Inputs.ExpectedDuration]: 'abc',
      [Inputs.RoleDurationSeconds]: '899',
      [Inputs.RetryMaxAttempts]: '0',
      [Inputs.FailOnShortSession]: 'yes',
      [Inputs.Expiration]: 'tomorrow',
    });
    const names = err.problems.map((p) => /^'([^']+)'/.exec(p)?.[1]);
    expect(names).toEqual(
      expect.arrayContaining([
        Inputs.RoleToAssume,
        Inputs.AwsRegion,
        Inputs.ExpectedDuration,
        Inputs.RoleDurationSeconds,
        Inputs.RetryMaxAttempts,
        Inputs.FailOnShortSession,
        Inputs.Expiration,
      ]),
    );
    expect(err.problems).toHaveLength(7);
    expect(err.message.startsWith('7 invalid inputs:\n')).toBe(true);
    for (const p of err.problems) expect(err.message).toContain(`  - ${p}`);
  });

  test('a malformed role ARN still asks for a region but not twice for the role', () => {
    const problems = problemsOf({ [Inputs.RoleToAssume]: 'deploy', [Inputs.ChainedRoleToAssume]: ROLE });
    expect(problems.filter((p) => p.startsWith(`'${Inputs.ChainedRoleToAssume}'`))).toHaveLength(0);
    expect(problems.some((p) => p.startsWith(`'${Inputs.AwsRegion}'`))).toBe(true);
  });

  test('expiration on a day that does not exist (Feb 30) is rejected, not moved to March', () => {
    const problems = problemsOf({ [Inputs.Expiration]: '2026-02-30T00:00:00Z' });
    expect(problems.some((p) => p.startsWith(`'${Inputs.Expiration}'`) && p.includes('2026-02-30T00:00:00Z'))).toBe(true);
  });

  test('sts-endpoint with user info is rejected without echoing the password', () => {
    const problems = problemsOf({ [Inputs.StsEndpoint]: 'https://user:hunter2@sts.example.com' });
    const mine = problems.filter((p) => p.startsWith(`'${Inputs.StsEndpoint}'`));
    expect(mine).toHaveLength(1);
    expect(mine[0]).not.toContain('hunter2');
  });

  test('sts-endpoint with user info and plain http: both problems, the password in neither', () => {
    const problems = problemsOf({ [Inputs.StsEndpoint]: 'http://user:hunter2@sts.example.com/' });
    const mine = problems.filter((p) => p.startsWith(`'${Inputs.StsEndpoint}'`));
    expect(mine).toHaveLength(2);
    expect(mine.some((p) => p.includes('user name or password'))).toBe(true);
    expect(mine.some((p) => p.includes('not loopback'))).toBe(true);
    for (const p of mine) {
      expect(p).toContain('(got "http://***@sts.example.com/")');
      expect(p).not.toContain('hunter2');
    }
  });

  test.each([
    ['https://user:hunter2@host/path', 'https://***@host/path'],
    ['https://user:p@hunter2@host/', 'https://***@host/'],
    ['https://hunter2@host', 'https://***@host'],
    ['https:user:hunter2@host', 'https:***@host'],
    ['https:/user:hunter2@host', 'https:/***@host'],
    ['user:hunter2@host', 'user:***@host'],
    ['hunter2@host:443', '***@host:443'],
    // Up to the last @ of the whole text: an @ in a path or query hides what comes before it, erring on the side of hiding.
    ['https://host/a@b?c=d@e#f@g', 'https://***@g'],
    // Passwords with an unencoded /, ?, # or @, which the URL parser takes for the end of the user info.
    ['http://deploy:s3cr/t@proxy.corp:3128', 'http://***@proxy.corp:3128'],
    ['http://deploy:pa?ss@proxy.corp:3128', 'http://***@proxy.corp:3128'],
    ['http://deploy:pa#ss@proxy.corp:3128', 'http://***@proxy.corp:3128'],
    ['http://ci:Tr0ub@dor/x9@proxy.corp:3128', 'http://***@proxy.corp:3128'],
    ['https://sts.us-east-1.amazonaws.com', 'https://sts.us-east-1.amazonaws.com'],
    ['not a url', 'not a url'],
  ])('redactUrl(%j) → %j', (text, shown) => {
    expect(redactUrl(text)).toBe(shown);
  });

  test('mask-aws-account-id: an ARN that does not parse is shown without its account ID (no mask exists yet)', () => {
    const inputs = {
      'role-to-assume': 'arn:aws:iam::210987654321:user/oops',
      'chained-role-to-assume': 'arn:aws:iam::210987654322:roles/x',
      'managed-session-policies': 'arn:aws:iam::210987654323:policy/a,arn:aws:iam::210987654324:policy/b',
    };
    const masked = problemsOf({ ...inputs, 'mask-aws-account-id': 'true' }).join('\n');
    expect(masked).toContain('(got "arn:aws:iam::***:user/oops") is not an IAM role ARN');
    expect(masked).not.toMatch(/2109876543/);
    // Without it, the value is shown as given.
    expect(problemsOf(inputs).join('\n')).toContain('(got "arn:aws:iam::210987654321:user/oops")');
  });

  test('managed-session-policies: past 10 bad lines, one more problem says there are more', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `bad${i}`).join('\n');
    const problems = problemsOf({ [Inputs.ManagedSessionPolicies]: lines });
    expect(problems.filter((p) => p.includes('is not an IAM policy ARN'))).toHaveLength(10);
    expect(problems.some((p) => p.includes('(got "bad10")'))).toBe(false);
    expect(problems).toContain(
      `'${Inputs.ManagedSessionPolicies}' has more lines that are not IAM policy ARNs than the 10 listed. List one ARN per line, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess.`,
    );
    expect(problems.some((p) => p.includes('lists 12 policies'))).toBe(true);
    expect(problems).toHaveLength(12);
  });

  test('managed-session-policies: a comma inside a policy name is allowed (IAM allows it)', () => {
    expect(read({ [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::123456789012:policy/team,ops' }).managedSessionPolicies).toEqual([
      'arn:aws:iam::123456789012:policy/team,ops',
    ]);
  });

  test('managed-session-policies: a comma-separated line is one bad entry, not several policies', () => {
    const problems = problemsOf({ [Inputs.ManagedSessionPolicies]: 'arn:aws:iam::aws:policy/A,arn:aws:iam::aws:policy/B' });
    expect(problems).toHaveLength(1);
  });
});

describe('arn helpers', () => {
  test('parseRoleArn keeps the name without its path', () => {
    expect(parseRoleArn('arn:aws:iam::123456789012:role/service-role/ci/Deployer')).toEqual({
      arn: 'arn:aws:iam::123456789012:role/service-role/ci/Deployer',
      partition: 'aws',
      accountId: '123456789012',
      roleName: 'Deployer',
    });
    expect(parseRoleArn('arn:aws-cn:iam::123456789012:role/x')?.partition).toBe('aws-cn');
    expect(parseRoleArn('  arn:aws:iam::123456789012:role/x  ')?.arn).toBe('arn:aws:iam::123456789012:role/x');
    expect(parseRoleArn(`arn:aws:iam::123456789012:role/${'n'.repeat(65)}`)).toBeUndefined();
  });

  test('isPolicyArn', () => {
    expect(isPolicyArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(true);
    expect(isPolicyArn('arn:aws:iam::aws:policy/service-role/AWSLambdaRole')).toBe(true);
    expect(isPolicyArn('arn:aws:iam::123456789012:policy/Mine')).toBe(true);
    expect(isPolicyArn('arn:aws:iam::123456789012:role/Mine')).toBe(false);
    expect(isPolicyArn('ReadOnlyAccess')).toBe(false);
  });

  test('accountIdOf', () => {
    expect(accountIdOf('arn:aws:sts::123456789012:assumed-role/R/S')).toBe('123456789012');
    expect(accountIdOf('arn:aws-us-gov:iam::210987654321:role/R')).toBe('210987654321');
    expect(accountIdOf('')).toBeUndefined();
    expect(accountIdOf('arn:aws:s3:::bucket')).toBeUndefined();
  });
});
