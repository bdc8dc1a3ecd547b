/**
 * The guard's paths that hand over credentials: a session minted from the
 * credential source (refresh), or input keys handed on as they are. Loaded
 * only when the current session is not enough, so the healthy path never
 * compiles it.
 */
import { Env, Inputs, Outputs } from '../constants.js';
import { identityKey } from '../settings/identity.js';
import { knownMaxOf, withKnownMax } from '../lifetime/known-max.js';
import {
  clockSkewSeconds,
  remainingAtIssue,
  requestedDurationSeconds,
  sessionCeiling,
  SKEW_WARNING_SECONDS,
  type Need,
} from '../lifetime/policy.js';
import { formatDuration } from '../settings/duration.js';
import { decide, secondsLeft } from '../lifetime/decision.js';
import type { Settings } from '../settings/settings.js';
import type { LongestSession, MintPlan } from '../sts/minter.js';
import { exportIdentityOutputs, exportStaticCredentials, maskIdentity, maskKeys, profileVariable } from '../export/variables.js';
import { checkAllowedAccount, outputCredentials } from '../export/cac-delivery.js';
import { mintWithoutSpecialCharacters } from '../sts/special-characters.js';
import { raceAbort, throwIfAborted } from '../util/abort.js';
import { hopExtras } from '../settings/cac-options.js';
import { beyondAnySessionMessage, chainTooShortMessage, roleTooShortMessage, shortAfterRefreshMessage } from './messages.js';
import type { ProfileWriter } from '../export/profile-files.js';
import type { GuardDeps, GuardOutcome } from './types.js';
import { mintedBy } from './shortcut.js';

/** The mint plan for the configured role(s) and a session length. */
export function mintPlan(settings: Settings, durationSeconds: number): MintPlan {
  if (!settings.roleToAssume) throw new Error('mintPlan needs role-to-assume');
  return {
    role: settings.roleToAssume,
    chainedRole: settings.chainedRoleToAssume,
    roleSessionName: settings.roleSessionName,
    durationSeconds,
    policy: settings.inlineSessionPolicy,
    policyArns: settings.managedSessionPolicies,
    assumeRoleExtras: hopExtras(settings),
  };
}

/** aws-profile: opened (an existing one refused) from the profile-files chunk, loaded only when the input is set. */
async function profileWriter(settings: Settings, deps: GuardDeps): Promise<ProfileWriter | undefined> {
  if (settings.awsProfile === undefined) return undefined;
  const { openProfile } = await import('../export/profile-files.js');
  return openProfile(deps.toolkit, deps.env, settings.awsProfile, settings.overwriteAwsProfile);
}

/**
 * Input keys without a role: checked with one GetCallerIdentity, as
 * configure-aws-credentials does (a wrong key fails here, naming the cause,
 * not in the next step), then handed on as they are through its delivery
 * inputs: exported when output-env-credentials is on (with AWS_PROFILE when
 * aws-profile is set), written to the aws-profile, and set as outputs with
 * output-credentials. Long-lived IAM user keys (no session token) never
 * expire; session keys expire when the 'expiration' input says, and are
 * checked against a stated need.
 */
export async function handOnInputKeys(settings: Settings, deps: GuardDeps, need: Need | undefined, shortfall: (message: string, remainingSeconds?: number) => GuardOutcome): Promise<GuardOutcome> {
  const { toolkit, clock, signal } = deps;
  const source = settings.source;
  if (source.kind !== 'static-keys') throw new Error('handOnInputKeys needs input keys');
  const expiry = source.sessionToken !== undefined ? settings.expiration : undefined;
  // aws-profile: an existing profile is refused before anything is written or exported.
  const writeProfile = await profileWriter(settings, deps);
  const minter = await raceAbort(deps.loadMinter(settings, (token) => toolkit.setSecret(token.value)), signal);
  const callerArn = await minter.callerIdentity(signal);
  maskIdentity(toolkit, settings, callerArn);
  checkAllowedAccount(settings, callerArn);
  throwIfAborted(signal);
  let outcome: GuardOutcome;
  if (source.sessionToken === undefined) {
    toolkit.info('Using the IAM user keys from the inputs as they are: long-lived keys do not expire, so the work is covered.');
    outcome = { kind: 'healthy', remainingSeconds: Infinity, expiration: new Date(8.64e15) };
  } else if (!expiry) {
    toolkit.info(`Using the session keys from the inputs as they are; their expiry is unknown: pass it as '${Inputs.Expiration}' to have it checked.`);
    outcome = { kind: 'warned', message: 'unknown expiry' };
  } else {
    const remaining = secondsLeft(expiry, clock());
    const decision = decide({ need, session: { kind: 'known', remainingSeconds: remaining }, canMint: false });
    if (decision.kind === 'shortfall') {
      outcome = shortfall(
        `The session keys given as inputs ${remaining <= 0 ? `expired ${formatDuration(-remaining)} ago` : `have ${formatDuration(remaining)} left`}` +
          (need ? `, and the work needs ${formatDuration(need.seconds)} (${need.explanation})` : '') +
          `.\nFix: give '${Inputs.RoleToAssume}' so the keys assume a role (with 'keep-alive: true' it is re-assumed for as long as the keys live), or fresher keys.`,
        remaining,
      );
    } else {
      outcome = { kind: 'healthy', remainingSeconds: remaining, expiration: expiry };
    }
    toolkit.setOutput(Outputs.Expiration, expiry.toISOString());
    toolkit.setOutput(Outputs.RemainingSeconds, String(remaining));
  }
  const credentials = { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken ?? '' };
  maskKeys(toolkit, credentials);
  writeProfile?.(settings.region ?? '', { kind: 'static', credentials });
  if (settings.outputEnvCredentials) {
    exportStaticCredentials(toolkit, { ...credentials, expiration: expiry }, settings.region, { identity: identityKey(settings) }, profileVariable(settings));
  } else {
    toolkit.info(`'${Inputs.OutputEnvCredentials}' is false: no AWS_* variable was exported.`);
  }
  if (settings.outputCredentials) {
    outputCredentials(toolkit, credentials);
  }
  toolkit.setOutput(Outputs.Refreshed, 'false');
  exportIdentityOutputs(toolkit, settings, callerArn);
  return outcome;
}

export async function refresh(
  settings: Settings,
  deps: GuardDeps,
  need: Need | undefined,
  note: (remainingSeconds: number | undefined, outcome: string) => void,
  shortfall: (message: string, remainingSeconds?: number) => GuardOutcome,
): Promise<GuardOutcome> {
  const { toolkit } = deps;
  const role = settings.roleToAssume;
  if (!role || !settings.region) throw new Error('refresh needs role-to-assume and aws-region');

  // Known limits fail before any network call.
  let warned = false;
  if (need && need.seconds > sessionCeiling(settings)) {
    const message = settings.chainedRoleToAssume
      ? chainTooShortMessage(settings.chainedRoleToAssume, need)
      : beyondAnySessionMessage(need);
    shortfall(message);
    warned = true;
  }

  // A maximum found by an earlier step of the job: the role grants `known.seconds` and refused `refusedAt`; its real
  // maximum is in between. Fail before any call only when the need reaches the refusal; a need in between is asked
  // for (below the refusal); otherwise ask for no more than what was granted.
  const known = settings.chainedRoleToAssume ? undefined : knownMaxOf(deps.env, role.arn);
  const refusedAt = known ? (known.refusedSeconds ?? known.seconds + 1) : Infinity;
  if (known && need && !warned && need.seconds >= refusedAt) {
    shortfall(roleTooShortMessage(role, known.seconds, refusedAt, need));
    warned = true;
  }
  const askBelowRefusal = known !== undefined && need !== undefined && need.seconds > known.seconds && need.seconds < refusedAt;
  const requested = Math.min(requestedDurationSeconds(settings, need), askBelowRefusal ? refusedAt - 1 : (known?.seconds ?? Infinity));

  // aws-profile: an existing profile is refused before any network call.
  const writeProfile = await profileWriter(settings, deps);

  const { signal } = deps;
  const minter = await raceAbort(deps.loadMinter(settings, (token) => toolkit.setSecret(token.value)), signal);
  const mintOnce = () => minter.mintLongest(mintPlan(settings, requested), signal);
  const longest: LongestSession = settings.specialCharactersWorkaround
    ? await mintWithoutSpecialCharacters(mintOnce, (l) => l.session.credentials)
    : await mintOnce();
  const { session, max } = longest;
  const { credentials } = session;

  const skew = clockSkewSeconds(session.serverDate, session.receivedAt, session.latencyMs);
  if (skew !== undefined && Math.abs(skew) > SKEW_WARNING_SECONDS) {
    // Later guard steps compare the expiry with the runner's clock: behind STS, they count that much time too many.
    const later =
      skew < 0
        ? `later guard steps compare the expiry with the runner's clock and count ${formatDuration(-skew)} too many, so raise '${Inputs.SafetyMargin}' by that much until it is fixed`
        : 'later guard steps compare the expiry with the runner\'s clock and count that much too little (the safe side)';
    toolkit.warning(
      `The runner's clock is ${formatDuration(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} AWS STS's clock. ` +
        `This step computes the remaining session time on the STS clock; ${later}. ` +
        'AWS rejects signed requests past 15 minutes of skew: fix the runner clock (NTP).',
      'Clock skew',
    );
  }
  if (max) {
    toolkit.setOutput(Outputs.MaxSessionDuration, String(max.seconds));
    const found = `${max.scope === 'chain' ? 'role chaining' : role.arn} refused ${max.refusedSeconds} s; its maximum session is ${formatDuration(max.seconds)} (${max.seconds} s)`;
    // An explicit role-duration-seconds is what the user asked for: getting less is worth a warning, never a failure.
    if (settings.roleDurationSeconds !== undefined && need === undefined) {
      toolkit.warning(`${found}, so the session lasts ${formatDuration(max.seconds)}, not the ${settings.roleDurationSeconds} s of '${Inputs.RoleDurationSeconds}'.`, 'Shorter session than asked');
    } else {
      toolkit.info(`${found}.`);
    }
  }

  const remainingSeconds = remainingAtIssue(credentials.expiration, session.serverDate, session.receivedAt, session.durationSeconds);
  const short = decide({ need, session: { kind: 'known', remainingSeconds }, canMint: false }).kind === 'shortfall';
  if (short && need && !warned) {
    const targetRole = settings.chainedRoleToAssume ?? role;
    const message =
      max?.scope === 'chain'
        ? chainTooShortMessage(targetRole, need)
        : max
          ? roleTooShortMessage(targetRole, max.seconds, max.refusedSeconds, need)
          : shortAfterRefreshMessage(targetRole, remainingSeconds, need);
    shortfall(message, remainingSeconds);
  }

  maskIdentity(toolkit, settings, session.assumedRoleArn);
  // Nothing leaves the step before these pass: the account is allowed, and the step has not timed out.
  checkAllowedAccount(settings, session.assumedRoleArn);
  throwIfAborted(signal);
  maskKeys(toolkit, credentials);
  writeProfile?.(settings.region, { kind: 'static', credentials });
  const roleMax = max && max.scope === 'role' ? { [Env.RoleMaxSessions]: withKnownMax(deps.env, role.arn, { seconds: max.seconds, refusedSeconds: max.refusedSeconds }) } : {};
  if (settings.outputEnvCredentials) {
    exportStaticCredentials(toolkit, credentials, settings.region, mintedBy(settings), { ...roleMax, ...profileVariable(settings) });
  } else if (Object.keys(roleMax).length > 0) {
    toolkit.exportVariables(roleMax);
  }
  if (settings.outputCredentials) outputCredentials(toolkit, credentials);
  toolkit.setOutput(Outputs.Expiration, credentials.expiration.toISOString());
  toolkit.setOutput(Outputs.RemainingSeconds, String(remainingSeconds));
  toolkit.setOutput(Outputs.Refreshed, 'true');
  exportIdentityOutputs(toolkit, settings, session.assumedRoleArn);

  toolkit.info(
    `Assumed ${session.assumedRoleArn || role.arn}: the session lasts until ${credentials.expiration.toISOString()} ` +
      `(${formatDuration(remainingSeconds)} on the STS clock). ` +
      (settings.outputEnvCredentials
        ? 'Exported AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION to later steps.' +
          (deps.env[Env.ContainerFullUri] ? ' They come before the keep-alive server in every SDK chain, so later steps run as this role.' : '')
        : `'${Inputs.OutputEnvCredentials}' is false: no AWS_* variable was exported.`),
  );
  if (!short) {
    note(remainingSeconds, `Refreshed: assumed ${settings.chainedRoleToAssume?.arn ?? role.arn} until ${credentials.expiration.toISOString()}.`);
  }
  return { kind: 'refreshed', remainingSeconds, expiration: credentials.expiration, short };
}
