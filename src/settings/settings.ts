/**
 * The settings: every input read and checked, by one parser per input or
 * group (settings/read-*.ts, source.ts, cac-options.ts), listed here. Every
 * problem is collected, so one run shows them all, and is reported before
 * any network call. Everything else takes a `Settings` value. (The healthy
 * guard path reads its need and the raw configuration through need.ts and
 * step-config.ts, the same parsers, before deciding it need not read these.)
 */
import { Inputs, type InputName } from '../constants.js';
import { MAX_EXPECTED_SECONDS, MAX_MARGIN_SECONDS } from './need.js';

import { readSource, type FileProbe } from './source.js';
import { readCacOptions } from './cac-options.js';
import { stepFingerprint } from './step-config.js';
import { inputReader } from './input-reader.js';
import { readRoleInputs } from './read-roles.js';
import { checkDurationsAgree, readLifetimeInputs } from './read-lifetime.js';
import { MAX_RETRY_ATTEMPTS, readProxy, readRetryMaxAttempts, readStsEndpoint } from './read-network.js';
import { readPolicyInputs } from './read-policies.js';
import type { SettingsEnv } from './settings-env.js';

export type { SettingsEnv };
export { defaultSessionName } from './read-roles.js';

export type { Settings } from '../model/settings.js';
import type { Settings } from '../model/settings.js';

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `${problems.length} invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SettingsError';
  }
}

export { MAX_EXPECTED_SECONDS, MAX_MARGIN_SECONDS, MAX_RETRY_ATTEMPTS };

export function readSettings(getInput: (name: InputName) => string, env: SettingsEnv, probe?: FileProbe): Settings {
  const { reader, problems } = inputReader(getInput);
  const { bool, bad } = reader;

  const roles = readRoleInputs(reader, env);
  const { maskAwsAccountId, roleToAssume, chainedRoleToAssume } = roles;
  const lifetime = readLifetimeInputs(reader);
  const stsEndpoint = readStsEndpoint(reader);
  const policies = readPolicyInputs(reader, maskAwsAccountId);
  let retryMaxAttempts = readRetryMaxAttempts(reader);
  const failOnShortSession = bool(Inputs.FailOnShortSession, true);
  const keepAlive = bool(Inputs.KeepAlive, false);
  const roleGiven = getInput(Inputs.RoleToAssume) !== '';
  const source = readSource({ ...reader, env, roleGiven, ...(probe && { probe }) });
  // Without a role, only input keys can be handed on (as they are: they need no refresh).
  if (keepAlive && !roleGiven && source.kind !== 'static-keys') {
    bad(Inputs.KeepAlive, 'true', "needs 'role-to-assume'", 'The credential server mints sessions of that role from the credential source (GitHub OIDC, a token file, keys, or the credentials in place).');
  }
  checkDurationsAgree(reader, lifetime, keepAlive);

  const serveContainers = bool(Inputs.ServeContainers, false);
  if (serveContainers && !keepAlive) {
    bad(Inputs.ServeContainers, 'true', `needs '${Inputs.KeepAlive}: true'`, `Set '${Inputs.KeepAlive}: true': the keep-alive credential server is what serves containers.`);
  }
  const proxy = readProxy(reader, env);

  const cac = readCacOptions(reader, env);
  if (cac.disableRetry) retryMaxAttempts = 1; // CAC: disable-retry means one attempt
  const target = chainedRoleToAssume ?? roleToAssume;
  if (cac.allowedAccountIds && target && !cac.allowedAccountIds.includes(target.accountId)) {
    // With mask-aws-account-id nothing names an account: this is printed before any mask is registered.
    bad(
      Inputs.AllowedAccountIds,
      maskAwsAccountId ? undefined : cac.allowedAccountIds.join(','),
      maskAwsAccountId ? `does not include the account of '${chainedRoleToAssume ? Inputs.ChainedRoleToAssume : Inputs.RoleToAssume}'` : `does not include ${target.accountId}, the account of ${target.arn}`,
      'Add that account to the list, or assume a role in an allowed account.',
    );
  }

  if (problems.length > 0) throw new SettingsError(problems);

  const { rdsRaw: _rdsRaw, ...lifetimeSettings } = lifetime;
  return {
    ...roles,
    ...lifetimeSettings,
    failOnShortSession,
    ...(stsEndpoint !== undefined && { stsEndpoint }),
    ...policies,
    retryMaxAttempts,
    keepAlive,
    serveContainers,
    ...(proxy && { proxy }),
    source,
    stepFingerprint: stepFingerprint(getInput, env),
    ...cac,
  };
}
