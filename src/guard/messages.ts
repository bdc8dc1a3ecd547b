/** The words of a shortfall: what is wrong, how it was computed, and the fixes. */
import { Inputs } from '../constants.js';
import type { Need } from '../lifetime/policy.js';
import type { RoleArn } from '../model/arn.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import { assumesWithCredentials } from '../settings/source.js';

const keepAliveFix = `'${Inputs.KeepAlive}: true': a local credential server renews the session from its credential source for as long as the job runs`;

/** The fixes, one a line, one-input fixes first. */
function fixes(lines: readonly (string | undefined)[]): string {
  return `Fix, one of:\n${lines.filter((l): l is string => !!l).map((l) => `  - ${l}`).join('\n')}`;
}

/** `expected-duration: 55m`: what a session of `sessionSeconds` covers after the margin, when that is a useful length. */
function shorterWorkFix(sessionSeconds: number, need: Need): string | undefined {
  const fits = sessionSeconds - need.marginSeconds;
  if (fits < 60) return undefined;
  return `'${Inputs.ExpectedDuration}: ${formatDuration(fits)}' if the work fits in what it gives after the ${formatDuration(need.marginSeconds)} '${Inputs.SafetyMargin}'`;
}

export function roleTooShortMessage(role: RoleArn, maxSeconds: number, refusedSeconds: number, need: Need): string {
  const refused = refusedSeconds - maxSeconds <= 1 ? '' : `; ${formatDuration(refusedSeconds)} was refused`;
  const wanted = Math.min(43200, Math.ceil(need.seconds / 3600) * 3600);
  return (
    `The role ${role.arn} has a maximum session of ${formatDuration(maxSeconds)} (${maxSeconds} s${refused}), ` +
    `but the work needs ${formatDuration(need.seconds)} (${need.explanation}).\n` +
    fixes([
      shorterWorkFix(maxSeconds, need),
      keepAliveFix,
      `raise the role's maximum: aws iam update-role --role-name ${role.roleName} --max-session-duration ${wanted}` +
        (need.seconds > 43200 ? ' (IAM allows at most 43200 s, 12 h: only keep-alive covers more)' : ''),
    ])
  );
}

export function chainTooShortMessage(role: RoleArn, need: Need): string {
  return (
    `The chained role ${role.arn} is assumed by role chaining, which AWS caps at 1h (3600 s), but the work needs ` +
    `${formatDuration(need.seconds)} (${need.explanation}).\n` +
    fixes([
      shorterWorkFix(3600, need),
      `${keepAliveFix} (it re-assumes the chain before each hour ends)`,
      `assume ${role.arn} directly through OIDC as '${Inputs.RoleToAssume}' (trust token.actions.githubusercontent.com in its trust policy), with no chaining`,
    ])
  );
}

export function beyondAnySessionMessage(need: Need): string {
  return (
    `No single AWS session can last ${formatDuration(need.seconds)} (${need.explanation}): STS gives at most 12h (43200 s).\n` +
    fixes([keepAliveFix, shorterWorkFix(43200, need)])
  );
}

/** `unknownWhy`: why the expiry is unknown (lifetime/policy.ts lookupExpiry), for the 'unknown' state. */
export function noRoleMessage(state: 'unknown' | 'expired' | 'short', need: Need | undefined, remainingSeconds?: number, unknownWhy?: string): string {
  const what =
    state === 'unknown'
      ? `The current AWS session expiry is unknown${unknownWhy ? ` (${unknownWhy})` : ''}`
      : state === 'expired'
        ? `The current AWS session expired ${formatDuration(-(remainingSeconds ?? 0))} ago`
        : `The current AWS session has ${formatDuration(remainingSeconds ?? 0)} left`;
  const needs = need ? `, and the work needs ${formatDuration(need.seconds)} (${need.explanation})` : '';
  return (
    `${what}${needs}.\n` +
    fixes([
      state === 'short' && need && remainingSeconds !== undefined ? shorterWorkFix(remainingSeconds, need) : undefined,
      `give '${Inputs.RoleToAssume}' and '${Inputs.AwsRegion}' so the step re-assumes the role through GitHub OIDC (with '${Inputs.KeepAlive}: true' for as long as the job runs)`,
      state === 'unknown'
        ? `for keys another tool exported, pass their expiry as '${Inputs.Expiration}' (e.g. \${{ steps.creds.outputs.aws-expiration }} from configure-aws-credentials)`
        : undefined,
    ])
  );
}

export function shortAfterRefreshMessage(role: RoleArn, remainingSeconds: number, need: Need): string {
  return (
    `STS gave ${role.arn} a session with ${formatDuration(remainingSeconds)} left, but the work needs ${formatDuration(need.seconds)} ` +
    `(${need.explanation}).\n` +
    fixes([shorterWorkFix(remainingSeconds, need), keepAliveFix, `raise '${Inputs.RoleDurationSeconds}' (or leave it out)`])
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
