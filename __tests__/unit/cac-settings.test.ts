/**
 * configure-aws-credentials' other inputs, read as it reads them: defaults,
 * session tags built from the run, and the bad-input suite (each refused by
 * readSettings, i.e. before any network call, naming the input and the fix).
 */
import { describe, test, expect } from '@jest/globals';
import { settingsFrom, settingsProblems } from './fakes.js';
import { Inputs, type InputName } from '../../src/constants.js';
import type { Settings, SettingsEnv } from '../../src/settings/settings.js';
import { defaultSessionTags, sanitizeTagValue } from '../../src/settings/session-tags.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const CHAINED = 'arn:aws:iam::210987654321:role/target';
const RUN_ENV: SettingsEnv = {
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_WORKFLOW: 'Deploy (prod) #1!',
  GITHUB_ACTION: '__aws-session-guard',
  GITHUB_ACTOR: 'octocat[bot]',
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_REF: 'refs/heads/main',
};
const withRole = { [Inputs.RoleToAssume]: ROLE, [Inputs.AwsRegion]: 'us-east-1' } as const;

const read = (inputs: Partial<Record<InputName, string>>, env: SettingsEnv = RUN_ENV): Settings => settingsFrom(inputs, env);
const problemsOf = (inputs: Partial<Record<InputName, string>>): readonly string[] => settingsProblems(inputs, RUN_ENV);

describe('defaults as in configure-aws-credentials', () => {
  test('no CAC input: tags on, env credentials on, nothing else', () => {
    const s = read(withRole);
    expect(s.outputEnvCredentials).toBe(true);
    expect(s.outputCredentials).toBe(false);
    expect(s.unsetCurrentCredentials).toBe(false);
    expect(s.overwriteAwsProfile).toBe(false);
    expect(s.specialCharactersWorkaround).toBe(false);
    expect(s.disableRetry).toBe(false);
    expect(s.retryMaxAttempts).toBe(5);
    expect('awsProfile' in s).toBe(false);
    expect('allowedAccountIds' in s).toBe(false);
    expect('actionTimeoutSeconds' in s).toBe(false);
    expect(s.assumeRoleOnlyInputs).toEqual([]);
    expect(s.assumeRoleExtras).toEqual({ tags: defaultSessionTags(RUN_ENV) });
  });

  test('the default tags: GitHub, Repository, Workflow, Action, Actor, Commit, Branch, then the droppable ones, values made acceptable to STS', () => {
    expect(defaultSessionTags({ ...RUN_ENV, GITHUB_EVENT_NAME: 'pull_request', GITHUB_BASE_REF: 'main', GITHUB_HEAD_REF: 'feature/x (1)', GITHUB_JOB: 'deploy', GITHUB_TRIGGERING_ACTOR: 'octocat' })).toEqual([
      { key: 'GitHub', value: 'Actions' },
      { key: 'Repository', value: 'octo-org/octo-repo' },
      { key: 'Workflow', value: 'Deploy _prod_ _1_' },
      { key: 'Action', value: '__aws-session-guard' },
      { key: 'Actor', value: 'octocat_bot_' },
      { key: 'Commit', value: 'a'.repeat(40) },
      { key: 'Branch', value: 'refs/heads/main' },
      { key: 'EventName', value: 'pull_request', droppable: true },
      { key: 'BaseRef', value: 'main', droppable: true },
      { key: 'HeadRef', value: 'feature/x _1_', droppable: true },
      { key: 'RunId', value: '987654321', droppable: true },
      { key: 'Job', value: 'deploy', droppable: true },
      { key: 'TriggeringActor', value: 'octocat', droppable: true },
    ]);
    // Branch only when GITHUB_REF is set
    expect(defaultSessionTags({ GITHUB_REPOSITORY: 'o/r' }).map((t) => t.key)).toEqual(['GitHub', 'Repository']);
    expect(sanitizeTagValue('x'.repeat(300))).toHaveLength(256);
    expect(sanitizeTagValue('ünïcode ok: a=b+c@d/e-f_g.h')).toBe('ünïcode ok: a=b+c@d/e-f_g.h');
  });

  test('aws-profile turns output-env-credentials off unless it is set', () => {
    expect(read({ ...withRole, [Inputs.AwsProfile]: 'ci' }).outputEnvCredentials).toBe(false);
    expect(read({ ...withRole, [Inputs.AwsProfile]: 'ci', [Inputs.OutputEnvCredentials]: 'true' }).outputEnvCredentials).toBe(true);
    expect(read({ ...withRole, [Inputs.OutputEnvCredentials]: 'false' }).outputEnvCredentials).toBe(false);
  });

  test('disable-retry means one attempt; special-characters-workaround turns it back off', () => {
    expect(read({ ...withRole, [Inputs.DisableRetry]: 'true' }).retryMaxAttempts).toBe(1);
    const both = read({ ...withRole, [Inputs.DisableRetry]: 'true', [Inputs.SpecialCharactersWorkaround]: 'true' });
    expect(both.disableRetry).toBe(false);
    expect(both.retryMaxAttempts).toBe(5);
  });

  test('external ID, custom tags, transitive keys, skip tagging', () => {
    const s = read({
      ...withRole,
      [Inputs.RoleExternalId]: 'partner-123:x/y',
      [Inputs.CustomTags]: '{"Team":"payments","CostCenter":42,"Prod":true}',
      [Inputs.TransitiveTagKeys]: 'Team\n  Repository  \n',
    });
    expect(s.assumeRoleExtras?.externalId).toBe('partner-123:x/y');
    expect(s.assumeRoleExtras?.tags?.slice(-3)).toEqual([
      { key: 'Team', value: 'payments' },
      { key: 'CostCenter', value: '42' },
      { key: 'Prod', value: 'true' },
    ]);
    expect(s.assumeRoleExtras?.transitiveTagKeys).toEqual(['Team', 'Repository']);
    expect(s.assumeRoleOnlyInputs).toEqual([Inputs.RoleExternalId, Inputs.CustomTags, Inputs.TransitiveTagKeys]);
    expect(read({ ...withRole, [Inputs.RoleSkipSessionTagging]: 'true' }).assumeRoleExtras).toBeUndefined();
    expect(read({ ...withRole, [Inputs.RoleSkipSessionTagging]: 'true', [Inputs.RoleExternalId]: 'abc' }).assumeRoleExtras).toEqual({ externalId: 'abc' });
  });

  test('allowed-account-ids: comma-separated, spaces and a trailing comma allowed; the target role account must be in it', () => {
    expect(read({ ...withRole, [Inputs.AllowedAccountIds]: ' 123456789012 , 210987654321,' }).allowedAccountIds).toEqual(['123456789012', '210987654321']);
    // chained: the chained role's account is the session's
    expect(read({ ...withRole, [Inputs.ChainedRoleToAssume]: CHAINED, [Inputs.AllowedAccountIds]: '210987654321' }).allowedAccountIds).toEqual(['210987654321']);
  });

  test('action-timeout-s: 0 is none', () => {
    expect(read({ ...withRole, [Inputs.ActionTimeoutS]: '0' }).actionTimeoutSeconds).toBeUndefined();
    expect(read({ ...withRole, [Inputs.ActionTimeoutS]: '300' }).actionTimeoutSeconds).toBe(300);
  });
});

describe('the bad-input suite: each refused by readSettings, naming the input and the fix', () => {
  const cases: Array<[string, Partial<Record<InputName, string>>, InputName, RegExp]> = [
    ['custom-tags that is not JSON', { [Inputs.CustomTags]: '{Team: payments}' }, Inputs.CustomTags, /is not valid JSON.*JSON object/],
    ['custom-tags that is a list', { [Inputs.CustomTags]: '[{"Key":"Team","Value":"x"}]' }, Inputs.CustomTags, /is not a JSON object/],
    ['custom-tags with an object value', { [Inputs.CustomTags]: '{"Team":{"a":1}}' }, Inputs.CustomTags, /value for "Team" that is not a string/],
    ['custom-tags with a bad key character', { [Inputs.CustomTags]: '{"Team!":"x"}' }, Inputs.CustomTags, /characters STS refuses/],
    ['custom-tags with a bad value character', { [Inputs.CustomTags]: '{"Team":"a;b"}' }, Inputs.CustomTags, /value for "Team" with characters STS refuses/],
    ['custom-tags with a key of 129 characters', { [Inputs.CustomTags]: `{"${'k'.repeat(129)}":"x"}` }, Inputs.CustomTags, /key of 129 characters/],
    ['custom-tags with an empty key', { [Inputs.CustomTags]: '{"":"x"}' }, Inputs.CustomTags, /key of 0 characters/],
    ['custom-tags with a value of 257 characters', { [Inputs.CustomTags]: `{"Team":"${'v'.repeat(257)}"}` }, Inputs.CustomTags, /257 characters/],
    ['custom-tags overriding a default tag', { [Inputs.CustomTags]: '{"repository":"x"}' }, Inputs.CustomTags, /a tag this action sets itself/],
    ['custom-tags with keys differing only in case', { [Inputs.CustomTags]: '{"Team":"a","TEAM":"b"}' }, Inputs.CustomTags, /twice/],
    ['custom-tags pushing the total past 50', { [Inputs.CustomTags]: JSON.stringify(Object.fromEntries(Array.from({ length: 43 }, (_, i) => [`k${i}`, 'v']))) }, Inputs.CustomTags, /51 session tags with the 8 this action sets.*at most 50/],
    ['custom-tags overriding a droppable default tag', { [Inputs.CustomTags]: '{"RunId":"1"}' }, Inputs.CustomTags, /a tag this action sets itself/],
    ['custom-tags with 51 tags', { [Inputs.CustomTags]: JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']))) }, Inputs.CustomTags, /sets 51 tags/],
    ['custom-tags with role-skip-session-tagging', { [Inputs.CustomTags]: '{"Team":"x"}', [Inputs.RoleSkipSessionTagging]: 'true' }, Inputs.CustomTags, /sends no tags/],
    ['transitive-tag-keys naming no tag', { [Inputs.TransitiveTagKeys]: 'Team' }, Inputs.TransitiveTagKeys, /not one of the session's tags/],
    ['transitive-tag-keys with a bad key', { [Inputs.TransitiveTagKeys]: 'a;b' }, Inputs.TransitiveTagKeys, /not a tag key/],
    ['role-external-id of 1 character', { [Inputs.RoleExternalId]: 'x' }, Inputs.RoleExternalId, /is 1 characters long.*2 to 1224/],
    ['role-external-id of 1225 characters', { [Inputs.RoleExternalId]: 'x'.repeat(1225) }, Inputs.RoleExternalId, /is 1225 characters long/],
    ['role-external-id with a space', { [Inputs.RoleExternalId]: 'partner 123' }, Inputs.RoleExternalId, /characters STS refuses/],
    ['allowed-account-ids of 11 digits', { [Inputs.AllowedAccountIds]: '12345678901' }, Inputs.AllowedAccountIds, /"12345678901"\) is not an AWS account ID.*12-digit/],
    ['allowed-account-ids of 13 digits', { [Inputs.AllowedAccountIds]: '1234567890123' }, Inputs.AllowedAccountIds, /is not an AWS account ID/],
    ['allowed-account-ids with letters', { [Inputs.AllowedAccountIds]: '123456789012,prod' }, Inputs.AllowedAccountIds, /"prod"\) is not an AWS account ID/],
    ['allowed-account-ids separated by spaces only', { [Inputs.AllowedAccountIds]: '123456789012 210987654321' }, Inputs.AllowedAccountIds, /is not an AWS account ID/],
    ['allowed-account-ids of commas only', { [Inputs.AllowedAccountIds]: ' , ,' }, Inputs.AllowedAccountIds, /lists no account ID/],
    ['allowed-account-ids without the role account', { [Inputs.AllowedAccountIds]: '210987654321' }, Inputs.AllowedAccountIds, /does not include 123456789012, the account of arn:aws:iam::123456789012:role\/deploy/],
    ['aws-profile with a space', { [Inputs.AwsProfile]: 'my profile' }, Inputs.AwsProfile, /must not contain whitespace/],
    ['aws-profile with brackets', { [Inputs.AwsProfile]: 'a]b' }, Inputs.AwsProfile, /must not contain brackets/],
    ['aws-profile with a slash', { [Inputs.AwsProfile]: '../x' }, Inputs.AwsProfile, /path separators/],
    ['aws-profile starting with #', { [Inputs.AwsProfile]: '#x' }, Inputs.AwsProfile, /must not start with # or ;/],
    ['action-timeout-s that is not a number', { [Inputs.ActionTimeoutS]: '5m' }, Inputs.ActionTimeoutS, /whole seconds/],
    ['action-timeout-s negative', { [Inputs.ActionTimeoutS]: '-1' }, Inputs.ActionTimeoutS, /whole seconds/],
    ['output-credentials not a boolean', { [Inputs.OutputCredentials]: 'yes' }, Inputs.OutputCredentials, /is not a boolean/],
    ['disable-retry not a boolean', { [Inputs.DisableRetry]: '1' }, Inputs.DisableRetry, /is not a boolean/],
    ['role-skip-session-tagging not a boolean', { [Inputs.RoleSkipSessionTagging]: 'on' }, Inputs.RoleSkipSessionTagging, /is not a boolean/],
  ];

  test.each(cases)('%s', (_label, inputs, input, pattern) => {
    const problems = problemsOf({ ...withRole, ...inputs });
    const mine = problems.filter((p) => p.startsWith(`'${input}'`));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.join('\n')).toMatch(pattern);
  });

  test('all problems at once, each naming its input', () => {
    const problems = problemsOf({
      ...withRole,
      [Inputs.CustomTags]: '[1]',
      [Inputs.RoleExternalId]: 'x',
      [Inputs.AllowedAccountIds]: '1',
      [Inputs.AwsProfile]: 'a b',
      [Inputs.ActionTimeoutS]: 'x',
    });
    const names = problems.map((p) => p.slice(1, p.indexOf("'", 1)));
    expect(names.sort()).toEqual([Inputs.ActionTimeoutS, Inputs.AllowedAccountIds, Inputs.AwsProfile, Inputs.CustomTags, Inputs.RoleExternalId].sort());
    expect(problems).toHaveLength(5);
  });

  test('an external ID is never echoed in the problem (it may be treated as a secret)', () => {
    const problems = problemsOf({ ...withRole, [Inputs.RoleExternalId]: 'secret value!' });
    expect(problems.join('\n')).not.toContain('secret value!');
  });
});

describe('mask-aws-account-id with allowed-account-ids', () => {
  test('the refusal names no account, and the allowed IDs are masked up front', async () => {
    const problems = problemsOf({ ...withRole, [Inputs.MaskAwsAccountId]: 'true', [Inputs.AllowedAccountIds]: '210987654321' });
    expect(problems.join('\n')).toMatch(/'allowed-account-ids' does not include the account of 'role-to-assume'/);
    expect(problems.join('\n')).not.toMatch(/\d{12}/);
    const { accountIdsToMask } = await import('../../src/export/variables.js');
    const s = read({ ...withRole, [Inputs.MaskAwsAccountId]: 'true', [Inputs.AllowedAccountIds]: '123456789012,210987654321' });
    expect(accountIdsToMask(s).sort()).toEqual(['123456789012', '210987654321']);
  });
});

describe('identity: the external ID and custom tags are part of what a configuration mints', () => {
  test('changing them changes the identity; the default tags (which name the step) do not', async () => {
    const { identityKey } = await import('../../src/settings/identity.js');
    const plain = identityKey(read(withRole));
    expect(identityKey(read(withRole, { ...RUN_ENV, GITHUB_ACTION: '__other_step' }))).toBe(plain);
    expect(identityKey(read(withRole, { GITHUB_RUN_ID: '987654321', GITHUB_RUN_ATTEMPT: '2' }))).toBe(plain);
    const ext = identityKey(read({ ...withRole, [Inputs.RoleExternalId]: 'abc' }));
    expect(ext).not.toBe(plain);
    expect(identityKey(read({ ...withRole, [Inputs.RoleExternalId]: 'abd' }))).not.toBe(ext);
    expect(identityKey(read({ ...withRole, [Inputs.CustomTags]: '{"Team":"a"}' }))).not.toBe(identityKey(read({ ...withRole, [Inputs.CustomTags]: '{"Team":"b"}' })));
  });
});

describe('sanitizeTagValue: the ASCII fast path agrees with the Unicode class on every ASCII character', () => {
  test('all 128', () => {
    const unicodeClass = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      expect([c, sanitizeTagValue(`a${ch}b`)]).toEqual([c, `a${ch}b`.replace(unicodeClass, '_')]);
    }
    expect(sanitizeTagValue('ü'.repeat(300))).toHaveLength(256);
  });
});
