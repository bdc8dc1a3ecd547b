/**
 * What configure-aws-credentials' (CAC) delivery inputs do, shared by the
 * guard and keep-alive: the allowed-account check, unset-current-credentials,
 * and the output-credentials outputs. A lazily loaded chunk: the healthy
 * guard path imports it only for output-credentials.
 */
import { Env, Inputs, Outputs } from '../constants.js';
import type { Toolkit } from '../runner/toolkit.js';
import { accountIdOf } from '../model/arn.js';
import type { Settings } from '../settings/settings.js';
import type { Credentials } from '../model/sts-types.js';

export class AccountNotAllowedError extends Error {
  constructor(readonly accountId: string | undefined, allowed: readonly string[]) {
    super(
      `'${Inputs.AllowedAccountIds}': the session is in account ${accountId ?? '(unknown)'}, which is not one of ${allowed.join(', ')}. ` +
        'Nothing was exported. Check role-to-assume, or add the account to allowed-account-ids.',
    );
    this.name = 'AccountNotAllowedError';
  }
}

/**
 * Refuses a session outside allowed-account-ids, before anything is exported
 * (CAC src/index.ts / CredentialsClient.validateCredentials: "does not match
 * any of the expected account IDs"). The account is read from the minted
 * session's assumed-role ARN, so no extra STS call is made.
 */
export function checkAllowedAccount(settings: Pick<Settings, 'allowedAccountIds'>, assumedRoleArn: string | undefined): void {
  const allowed = settings.allowedAccountIds;
  if (!allowed || allowed.length === 0) return;
  const accountId = assumedRoleArn ? accountIdOf(assumedRoleArn) : undefined;
  if (!accountId || !allowed.includes(accountId)) throw new AccountNotAllowedError(accountId, allowed);
}

/**
 * The variables unset-current-credentials clears, for this process and later
 * steps (CAC src/helpers.ts unsetCredentials: the three keys and both region
 * variables, only when output-env-credentials is on), plus the expiry and
 * session marker this action exports with keys. Exported empty, which every
 * SDK takes as unset for these names.
 */
export const UNSET_VARIABLES = [
  Env.AccessKeyId,
  Env.SecretAccessKey,
  Env.SessionToken,
  Env.CredentialExpiration,
  Env.SessionMarker,
  Env.Region,
  Env.DefaultRegion,
] as const;

export function unsetCurrentCredentials(toolkit: Toolkit, env: Record<string, string | undefined>): void {
  const vars = Object.fromEntries(UNSET_VARIABLES.map((name) => [name, '']));
  toolkit.exportVariables(vars);
  // The toolkit mirrors exports into process.env; the env the flows read may be another object (tests).
  for (const name of UNSET_VARIABLES) delete env[name];
  toolkit.info(`'${Inputs.UnsetCurrentCredentials}': cleared ${UNSET_VARIABLES.join(', ')} for this step and later steps.`);
}

/**
 * CAC's outputs (src/helpers.ts exportCredentials / outputCredentials). The
 * values are masked first. aws-expiration is written as CAC writes it:
 * `core.setOutput` of a Date, i.e. the JSON string with its quotes
 * ("2026-11-22T15:04:05.000Z"), so that scripts written for CAC read it the
 * same; this action's `expiration` input takes it as it is. Credentials with
 * no known expiry (keys handed on as they are) get no aws-expiration.
 */
export function outputCredentials(toolkit: Toolkit, credentials: Omit<Credentials, 'expiration'> & { readonly expiration?: Date | undefined }): void {
  toolkit.setSecret(credentials.accessKeyId);
  toolkit.setSecret(credentials.secretAccessKey);
  // Long-lived user keys have no session token: that output is then not set (CAC: `if (creds?.SessionToken)`).
  if (credentials.sessionToken) toolkit.setSecret(credentials.sessionToken);
  toolkit.setOutput(Outputs.AwsAccessKeyId, credentials.accessKeyId);
  toolkit.setOutput(Outputs.AwsSecretAccessKey, credentials.secretAccessKey);
  if (credentials.sessionToken) toolkit.setOutput(Outputs.AwsSessionToken, credentials.sessionToken);
  // Keys given as inputs have no known expiry: no aws-expiration (CAC: `if (creds?.Expiration)`).
  if (credentials.expiration) toolkit.setOutput(Outputs.AwsExpiration, JSON.stringify(credentials.expiration.toISOString()));
}
