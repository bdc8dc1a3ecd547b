/** The words of a shortfall: what is wrong, how it was computed, and the fixes. */
import { Inputs } from '../constants.js';
import type { Need } from '../lifetime/policy.js';
import type { RoleArn } from '../settings/arn.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import { assumesWithCredentials } from '../settings/source.js';

const keepAliveFix = `set '${Inputs.KeepAlive}: true' so a local credential server renews the session from its credential source for as long as the job runs`;

export function roleTooShortMessage(role: RoleArn, maxSeconds: number, refusedSeconds: number, need: Need): string {
  const refused = refusedSeconds - maxSeconds <= 1 ? '' : `; ${formatDuration(refusedSeconds)} was refused`;
  const wanted = Math.min(43200, Math.ceil(need.seconds / 3600) * 3600);
  return (
    `The role ${role.arn} has a maximum session of ${formatDuration(maxSeconds)} (${maxSeconds} s${refused}), ` +
    `but the work needs ${formatDuration(need.seconds)} ` +
    `(${need.explanation}).\n` +
    `Fix: raise the role's maximum: aws iam update-role --role-name ${role.roleName} --max-session-duration ${wanted}\n` +
    (need.seconds > 43200 ? '(IAM allows at most 43200 s, 12 h.)\n' : '') +
    `  or ${keepAliveFix},\n  or lower '${Inputs.ExpectedDuration}' if the work is shorter.`
  );
}

export function chainTooShortMessage(role: RoleArn, need: Need): string {
  return (
    `The chained role ${role.arn} is assumed by role chaining, which AWS caps at 1h (3600 s), but the work needs ` +
    `${formatDuration(need.seconds)} (${need.explanation}).\n` +
    `Fix: ${keepAliveFix} (it re-assumes the chain before each hour ends),\n` +
    `  or assume ${role.arn} directly through OIDC as '${Inputs.RoleToAssume}' (trust token.actions.githubusercontent.com in its trust policy).`
  );
}

export function beyondAnySessionMessage(need: Need): string {
  return (
    `No single AWS session can last ${formatDuration(need.seconds)} (${need.explanation}): STS gives at most 12h (43200 s).\n` +
    `Fix: ${keepAliveFix}.`
  );
}

/** `unknownWhy`: why the expiry is unknown (lifetime/policy.ts lookupExpiry), for the 'unknown' state. */
export function noRoleMessage(state: 'unknown' | 'expired' | 'short', need: Need, remainingSeconds?: number, unknownWhy?: string): string {
  const what =
    state === 'unknown'
      ? `The current AWS session expiry is unknown${unknownWhy ? ` (${unknownWhy})` : ''}`
      : state === 'expired'
        ? `The current AWS session expired ${formatDuration(-(remainingSeconds ?? 0))} ago`
        : `The current AWS session has ${formatDuration(remainingSeconds ?? 0)} left`;
  return (
    `${what}, and the work needs ${formatDuration(need.seconds)} (${need.explanation}).\n` +
    `Fix: give '${Inputs.RoleToAssume}' and '${Inputs.AwsRegion}' so the guard can re-assume the role through GitHub OIDC` +
    (state === 'unknown'
      ? `, or, for keys another tool exported, pass their expiry as '${Inputs.Expiration}' (e.g. \${{ steps.creds.outputs.aws-expiration }} from configure-aws-credentials).`
      : '.')
  );
}

export function shortAfterRefreshMessage(role: RoleArn, remainingSeconds: number, need: Need): string {
  return (
    `STS gave ${role.arn} a session with ${formatDuration(remainingSeconds)} left, but the work needs ${formatDuration(need.seconds)} ` +
    `(${need.explanation}).\nFix: raise '${Inputs.RoleDurationSeconds}' (or leave it out), or ${keepAliveFix}.`
  );
}

/** The session-tag inputs act on AssumeRole only: said once when no hop of this configuration is one. */
export function assumeRoleOnlyNote(settings: Settings): string | undefined {
  const inputs = settings.assumeRoleOnlyInputs;
  if (inputs.length === 0 || settings.chainedRoleToAssume) return undefined;
  if (settings.roleToAssume && assumesWithCredentials(settings.source)) return undefined;
  const calls = settings.roleToAssume
    ? "this configuration calls only AssumeRoleWithWebIdentity (as in configure-aws-credentials, the ID token's claims carry the session's tags there)"
    : 'this configuration assumes no role';
  return `${inputs.map((n) => `'${n}'`).join(', ')} ${inputs.length === 1 ? 'is' : 'are'} ignored: STS takes an external ID and session tags on AssumeRole only, and ${calls}.`;
}
