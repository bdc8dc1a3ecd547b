/**
 * The rest of configure-aws-credentials' (CAC) interface: the same input
 * names, meanings and defaults, read and checked here for readSettings.
 * Line references are to CAC v6 src/index.ts, src/helpers.ts,
 * src/assumeRole.ts and src/profileManager.ts.
 */
import type { InputReader } from './input-reader.js';
import { Inputs } from '../constants.js';
import type { AssumeRoleExtras, HopExtras } from '../model/sts-types.js';
import { assumesWithCredentials, type CredentialSource } from './source.js';
import { readAssumeRoleExtras, type TagEnv } from './session-tags.js';

export type { CacOptions } from '../model/settings.js';
import type { CacOptions } from '../model/settings.js';

/**
 * The extras for this action's own chained-role-to-assume hop. Session tags
 * need sts:TagSession in the role's trust policy, which chained roles set up
 * before these inputs existed do not allow: the default tags go there only
 * when the step asks for tags itself (custom-tags or transitive-tag-keys).
 * The external ID always goes. The configure-aws-credentials sources
 * (static keys, role-chaining) send the default tags as CAC does.
 */
export function chainedRoleExtras(settings: Pick<CacOptions, 'assumeRoleExtras' | 'assumeRoleOnlyInputs'>): AssumeRoleExtras | undefined {
  const extras = settings.assumeRoleExtras;
  if (!extras) return undefined;
  const tagging = settings.assumeRoleOnlyInputs.some((n) => n === Inputs.CustomTags || n === Inputs.TransitiveTagKeys);
  if (tagging) return extras;
  return extras.externalId !== undefined ? { externalId: extras.externalId } : undefined;
}

/**
 * The extras of each AssumeRole hop. A source that signs AssumeRole itself
 * (keys, the credentials in place) sends all of them on the first hop, as
 * configure-aws-credentials does; GitHub OIDC and a token file use
 * AssumeRoleWithWebIdentity there, which takes none.
 */
export function hopExtras(
  settings: Pick<CacOptions, 'assumeRoleExtras' | 'assumeRoleOnlyInputs'> & { readonly source: CredentialSource; readonly chainedRoleToAssume?: unknown },
): HopExtras | undefined {
  const first = assumesWithCredentials(settings.source) ? settings.assumeRoleExtras : undefined;
  const chained = settings.chainedRoleToAssume ? chainedRoleExtras(settings) : undefined;
  if (!first && !chained) return undefined;
  return { ...(first && { first }), ...(chained && { chained }) };
}

/** A day: longer than any step needs to mint a session; anything above is a typo (CAC takes any whole number). */
export const MAX_ACTION_TIMEOUT_SECONDS = 86400;
const ACCOUNT_ID = /^\d{12}$/;

export type CacInputReader = InputReader;

/**
 * CAC's profile-name rules (src/profileManager.ts validateProfileName): not
 * empty, no whitespace, no brackets, no path separators.
 */
export function profileNameProblem(name: string): string | undefined {
  if (/\s/.test(name)) return 'must not contain whitespace';
  if (/[[\]]/.test(name)) return 'must not contain brackets';
  if (name.includes('/') || name.includes('\\')) return 'must not contain path separators';
  // An INI comment character at the start would make the section unreadable to the SDKs.
  if (name.startsWith('#') || name.startsWith(';')) return 'must not start with # or ;';
  return undefined;
}

export function readCacOptions(reader: CacInputReader, env: TagEnv): CacOptions {
  const { getInput, bool, bad } = reader;

  // CAC src/index.ts: role-skip-session-tagging, transitive-tag-keys (getMultilineInput), custom-tags, role-external-id.
  const skipTagging = bool(Inputs.RoleSkipSessionTagging, false);
  const extrasInput = {
    externalId: getInput(Inputs.RoleExternalId),
    skipTagging,
    customTags: getInput(Inputs.CustomTags),
    transitiveTagKeys: getInput(Inputs.TransitiveTagKeys),
  };
  const inputOf = { 'external-id': Inputs.RoleExternalId, 'custom-tags': Inputs.CustomTags, 'transitive-tag-keys': Inputs.TransitiveTagKeys } as const;
  const assumeRoleExtras = readAssumeRoleExtras(extrasInput, env, (which) => (what, fix, shown) => bad(inputOf[which], shown, what, fix));
  const assumeRoleOnlyInputs = (
    [
      [Inputs.RoleExternalId, extrasInput.externalId],
      [Inputs.CustomTags, extrasInput.customTags],
      [Inputs.TransitiveTagKeys, extrasInput.transitiveTagKeys],
    ] as const
  )
    .filter(([, raw]) => raw.trim() !== '')
    .map(([name]) => name);

  // CAC src/index.ts: `getInput('allowed-account-ids').split(',').map((s) => s.trim())`; an empty input checks nothing.
  const allowedRaw = getInput(Inputs.AllowedAccountIds);
  let allowedAccountIds: string[] | undefined;
  if (allowedRaw.trim() !== '') {
    const ids = allowedRaw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const wrong = ids.filter((id) => !ACCOUNT_ID.test(id));
    for (const id of wrong.slice(0, 10)) {
      bad(Inputs.AllowedAccountIds, id, 'is not an AWS account ID', 'Give 12-digit account IDs separated by commas, e.g. 123456789012,210987654321.');
    }
    if (ids.length === 0) bad(Inputs.AllowedAccountIds, allowedRaw, 'lists no account ID', 'Give 12-digit account IDs separated by commas, or leave it out.');
    if (wrong.length === 0 && ids.length > 0) allowedAccountIds = [...new Set(ids)];
  }

  // CAC src/index.ts: aws-profile, overwrite-aws-profile; output-env-credentials defaults to !awsProfile.
  const awsProfile = getInput(Inputs.AwsProfile);
  if (awsProfile !== '') {
    const why = profileNameProblem(awsProfile);
    if (why) bad(Inputs.AwsProfile, awsProfile, why, 'Use a profile name such as deploy or ci-prod.');
  }
  const overwriteAwsProfile = bool(Inputs.OverwriteAwsProfile, false);
  const outputEnvCredentials = bool(Inputs.OutputEnvCredentials, awsProfile === '');
  const outputCredentials = bool(Inputs.OutputCredentials, false);
  const unsetCurrentCredentials = bool(Inputs.UnsetCurrentCredentials, false);

  // CAC src/index.ts: special-characters-workaround turns disable-retry off ("if (specialCharacterWorkaround) disableRetry = false").
  const specialCharactersWorkaround = bool(Inputs.SpecialCharactersWorkaround, false);
  const disableRetry = bool(Inputs.DisableRetry, false) && !specialCharactersWorkaround;

  // CAC src/index.ts: `Number.parseInt(getInput('action-timeout-s')) || 0`; 0 is no timeout.
  const timeoutRaw = getInput(Inputs.ActionTimeoutS);
  let actionTimeoutSeconds: number | undefined;
  if (timeoutRaw !== '') {
    const n = /^\d{1,9}$/.test(timeoutRaw) ? Number(timeoutRaw) : NaN;
    if (!(n >= 0 && n <= MAX_ACTION_TIMEOUT_SECONDS)) {
      bad(Inputs.ActionTimeoutS, timeoutRaw, `must be whole seconds from 0 to ${MAX_ACTION_TIMEOUT_SECONDS}`, 'Give e.g. 300; 0 or leaving it out sets no timeout.');
    } else if (n > 0) {
      actionTimeoutSeconds = n;
    }
  }

  return {
    ...(assumeRoleExtras && { assumeRoleExtras }),
    assumeRoleOnlyInputs,
    ...(allowedAccountIds && { allowedAccountIds }),
    outputCredentials,
    outputEnvCredentials,
    unsetCurrentCredentials,
    ...(awsProfile !== '' && { awsProfile }),
    overwriteAwsProfile,
    specialCharactersWorkaround,
    disableRetry,
    ...(actionTimeoutSeconds !== undefined && { actionTimeoutSeconds }),
  };
}
