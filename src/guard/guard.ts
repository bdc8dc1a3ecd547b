/**
 * The guard: is the current session long enough for the work ahead? If so,
 * say so without touching the network. If not, mint a fresh one from the
 * credential source and export it (guard/refresh.ts, a lazily loaded chunk:
 * the healthy path never loads it), or fail in seconds with the role's real limit.
 */
import { Env, Inputs, Outputs } from '../constants.js';
import { identityKey } from '../settings/identity.js';
import { shortfall as reportShortfall, type ShortfallContext } from '../report/shortfall.js';
import { lookupExpiry, needOf } from '../lifetime/policy.js';
import { decide, secondsLeft } from '../lifetime/decision.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import { sourceDescription } from '../settings/source.js';
import { summaryLine } from '../report/summary.js';
import { reportKeptSession } from './healthy.js';
import { noRoleMessage } from './messages.js';
import type { GuardDeps, GuardOutcome } from './types.js';

export type { GuardDeps, GuardOutcome };

export async function guard(settings: Settings, deps: GuardDeps): Promise<GuardOutcome> {
  const { toolkit, clock } = deps;
  const need = needOf(settings);
  const now = clock();
  const note = (remainingSeconds: number | undefined, outcome: string) =>
    toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need?.seconds, outcome }));

  const ctx: ShortfallContext = { toolkit, failOnShortSession: settings.failOnShortSession, at: now, needSeconds: need?.seconds, title: 'AWS session too short' };
  const shortfall = (message: string, remainingSeconds?: number): GuardOutcome => {
    reportShortfall(ctx, message, remainingSeconds);
    return { kind: 'warned', message };
  };

  if (!settings.roleToAssume && settings.source.kind === 'static-keys') {
    const { handOnInputKeys } = await import('./refresh.js');
    return handOnInputKeys(settings, deps, need, shortfall);
  }

  const { env } = deps;
  const lookup = lookupExpiry(
    { accessKeyId: env[Env.AccessKeyId], expiration: env[Env.CredentialExpiration], marker: env[Env.SessionMarker] },
    settings.expiration,
  );
  if (lookup.kind === 'invalid') {
    toolkit.warning(`${lookup.source} is "${lookup.value}", not an ISO 8601 time; treating the session expiry as unknown.`);
  } else if (lookup.kind === 'unknown' && lookup.why && need !== undefined) {
    // Why the expiry is unknown matters only against a stated need (without one, the decision below says what it does).
    toolkit.info(`The current AWS session expiry is unknown: ${lookup.why}.`);
  } else if (lookup.kind === 'known' && lookup.inputIgnored) {
    toolkit.info(`The 'expiration' input is ignored: the AWS keys in the environment are the ones this action exported, with their own expiry.`);
  }
  // A session minted for another configuration (role, region, account, session policy) is never this step's.
  const foreign = lookup.kind === 'known' && !!settings.roleToAssume && lookup.mintedFor !== undefined && lookup.mintedFor !== identityKey(settings);
  const known = lookup.kind === 'known' && !foreign ? lookup.expiry : undefined;
  const remainingBefore = known ? secondsLeft(known.at, now) : undefined;
  const decision = decide({
    need,
    session: remainingBefore !== undefined ? { kind: 'known', remainingSeconds: remainingBefore } : { kind: 'unknown' },
    canMint: !!settings.roleToAssume,
  });

  if (decision.kind === 'keep') {
    if (known && remainingBefore !== undefined) {
      // output-credentials: the session in use, as configure-aws-credentials would output the one it exported.
      const keys = { accessKeyId: env[Env.AccessKeyId], secretAccessKey: env[Env.SecretAccessKey], sessionToken: env[Env.SessionToken] };
      if (settings.outputCredentials && keys.accessKeyId && keys.secretAccessKey) {
        const { outputCredentials } = await import('../export/cac-delivery.js');
        outputCredentials(toolkit, { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken ?? '', expiration: known.at });
      }
      reportKeptSession(toolkit, { known, remainingSeconds: remainingBefore, need, now });
      return { kind: 'healthy', remainingSeconds: remainingBefore, expiration: known.at };
    }
    // No role, no stated need, and an expiry nobody knows: nothing to check and nothing to mint.
    toolkit.setOutput(Outputs.Refreshed, 'false');
    toolkit.info(`The current AWS session's expiry is unknown and no '${Inputs.ExpectedDuration}' is given: nothing to check. Give '${Inputs.ExpectedDuration}' to have the session checked against the work.`);
    note(undefined, 'Unchecked: the session expiry is unknown and no need was stated.');
    return { kind: 'warned', message: 'unknown expiry' };
  }
  if (decision.kind === 'shortfall' || !settings.roleToAssume) {
    const state = decision.kind === 'shortfall' && decision.state !== 'cover' ? decision.state : 'short';
    return shortfall(noRoleMessage(state, need, remainingBefore, lookup.kind === 'unknown' ? lookup.why : undefined), remainingBefore);
  }
  const how = sourceDescription(settings.source);
  const role = settings.roleToAssume.arn;
  toolkit.info(
    need === undefined
      ? `Assuming ${role} ${how}.`
      : foreign
        ? `The AWS session in the environment was minted by an earlier step for another role, region or session policy; assuming ${role} ${how}.`
        : remainingBefore === undefined
          ? `The current AWS session expiry is unknown; assuming ${role} ${how}.`
          : `The AWS session has ${formatDuration(Math.max(0, remainingBefore))} left; the work needs ${formatDuration(need.seconds)} ` +
            `(${need.explanation}). Assuming ${role} ${how}.`,
  );

  const { refresh } = await import('./refresh.js');
  return refresh(settings, deps, need, note, shortfall);
}
