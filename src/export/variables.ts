/**
 * What later steps see. Every secret is masked before anything is written,
 * and each set of variables goes out in one write, so a failure never leaves
 * half a credential set exported.
 */
import { Env, Outputs } from '../constants.js';
import type { Toolkit } from '../runner/toolkit.js';
import { accountIdOf } from '../model/arn.js';
import type { Settings } from '../settings/settings.js';
import type { Credentials } from '../model/sts-types.js';
import { markerValue, type MintedBy } from '../model/marker.js';

/**
 * Static credentials for later steps, with their expiry, region, and the
 * session marker that ties the expiry and what minted them (`minted`: the
 * identityKey() of the settings, and the step's fingerprint when the healthy
 * shortcut may trust it) to these exact keys. Keys whose end is unknown
 * (input keys handed on as they are) get an empty expiry and marker, so
 * nothing an earlier step exported describes them; no region, no region
 * variables.
 */
export function staticCredentialVariables(credentials: StaticKeys, region: string | undefined, minted: MintedBy): Record<string, string> {
  const { expiration } = credentials;
  return {
    [Env.AccessKeyId]: credentials.accessKeyId,
    [Env.SecretAccessKey]: credentials.secretAccessKey,
    [Env.SessionToken]: credentials.sessionToken,
    [Env.CredentialExpiration]: expiration ? expiration.toISOString() : '',
    [Env.SessionMarker]: expiration ? markerValue(credentials.accessKeyId, minted) : '',
    ...(region !== undefined && { [Env.Region]: region, [Env.DefaultRegion]: region }),
  };
}

/** Keys to export: a minted session, or keys handed on as they are (no session token: '', no known end: undefined). */
export type StaticKeys = Omit<Credentials, 'expiration'> & { readonly expiration?: Date | undefined };

/**
 * Hands later steps to the keep-alive server: the container-credentials pair,
 * and every variable that would shadow it cleared. An exported empty value
 * counts as unset in the SDKs' credential lookups, with three exceptions that
 * are therefore never exported empty: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (botocore treats an empty one as
 * set and fails), and AWS_PROFILE (botocore and the AWS CLI then look for a
 * profile named "" and fail with ProfileNotFound: seen with CLI 2.9 and
 * boto3 1.26). A non-empty AWS_PROFILE is reported instead (see keep-alive).
 */
export function serverCredentialVariables(endpoint: string, authToken: string, region: string): Record<string, string> {
  return {
    [Env.AccessKeyId]: '',
    [Env.SecretAccessKey]: '',
    [Env.SessionToken]: '',
    [Env.CredentialExpiration]: '',
    [Env.SessionMarker]: '',
    [Env.WebIdentityTokenFile]: '',
    [Env.RoleArn]: '',
    [Env.ContainerFullUri]: endpoint,
    [Env.ContainerAuthToken]: authToken,
    [Env.Region]: region,
    [Env.DefaultRegion]: region,
  };
}

/**
 * Hands later steps to the server on ECS's link-local address (serve-containers):
 * the relative URI (a secret path, no token), and the full URI and its token that
 * an earlier keep-alive step may have exported cleared: the Go SDKs read the full
 * URI first. An empty full URI is harmless to botocore while the relative URI is set.
 *
 * The web-identity pair is treated apart: the Ruby SDK (aws-sdk-core 3.168), one
 * of the clients this mode is for, takes an empty value as set, and fails when
 * both are present. Every SDK needs both, so clearing the one(s) present is
 * enough, and nothing is exported for a pair that is absent.
 */
export function serverRelativeUriVariables(relativePath: string, region: string, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const { [Env.WebIdentityTokenFile]: _file, [Env.RoleArn]: _arn, ...rest } = serverCredentialVariables('', '', region);
  const pair: Record<string, string> = {};
  for (const name of [Env.WebIdentityTokenFile, Env.RoleArn]) if (env[name] !== undefined) pair[name] = '';
  return { ...rest, ...pair, [Env.ContainerRelativeUri]: relativePath };
}

/** Whether the Ruby SDK would try web identity (and fail) with these variables: both names present, even empty. */
export function rubyTriesWebIdentity(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[Env.WebIdentityTokenFile] !== undefined && env[Env.RoleArn] !== undefined;
}

/** AWS_PROFILE for later steps when this step wrote aws-profile, as configure-aws-credentials exports it (with output-env-credentials on). */
export function profileVariable(settings: Pick<Settings, 'awsProfile'>): Record<string, string> {
  return settings.awsProfile !== undefined ? { [Env.Profile]: settings.awsProfile } : {};
}

/** Masks the secrets first, then exports all variables in one write. */
export function exportMasked(toolkit: Toolkit, variables: Record<string, string>, secrets: readonly string[]): void {
  for (const secret of secrets) toolkit.setSecret(secret);
  toolkit.exportVariables(variables);
}

/** Masks a set of keys (an empty session token, as IAM user keys have, is no secret). */
export function maskKeys(toolkit: Toolkit, keys: Pick<StaticKeys, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): void {
  for (const secret of [keys.accessKeyId, keys.secretAccessKey, keys.sessionToken]) if (secret !== '') toolkit.setSecret(secret);
}

export function exportStaticCredentials(
  toolkit: Toolkit,
  credentials: StaticKeys,
  region: string | undefined,
  minted: MintedBy,
  extra: Readonly<Record<string, string>> = {},
): void {
  maskKeys(toolkit, credentials);
  toolkit.exportVariables({ ...staticCredentialVariables(credentials, region, minted), ...extra });
}

/** mask-aws-account-id: the account and the ARN of the identity are masked, as configure-aws-credentials masks them. */
export function maskIdentity(toolkit: Toolkit, settings: Pick<Settings, 'maskAwsAccountId'>, arn: string | undefined): void {
  if (!settings.maskAwsAccountId || !arn) return;
  const accountId = accountIdOf(arn);
  if (accountId) toolkit.setSecret(accountId);
  toolkit.setSecret(arn);
}

/** The aws-account-id and authenticated-arn outputs, as configure-aws-credentials sets them: masked with mask-aws-account-id, never dropped. */
export function exportIdentityOutputs(toolkit: Toolkit, settings: Pick<Settings, 'maskAwsAccountId'>, arn: string | undefined): void {
  if (!arn) return;
  maskIdentity(toolkit, settings, arn);
  const accountId = accountIdOf(arn);
  if (accountId) toolkit.setOutput(Outputs.AwsAccountId, accountId);
  toolkit.setOutput(Outputs.AuthenticatedArn, arn);
}

/** Account IDs to mask before the first line is printed: those of the roles the settings name. */
export function accountIdsToMask(settings: Pick<Settings, 'maskAwsAccountId' | 'roleToAssume' | 'chainedRoleToAssume' | 'allowedAccountIds'>): string[] {
  if (!settings.maskAwsAccountId) return [];
  const named = [settings.roleToAssume?.accountId, settings.chainedRoleToAssume?.accountId, ...(settings.allowedAccountIds ?? [])];
  return [...new Set(named.filter((a): a is string => !!a))];
}
