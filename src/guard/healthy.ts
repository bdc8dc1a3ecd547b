/**
 * The healthy guard path. When the keys in the environment are the ones this
 * action exported, the step that minted them recorded its configuration
 * (export/marker.ts), and this step's configuration is the same except for
 * how long its work is (settings/step-config.ts), then this step's settings
 * are the ones that step validated. If the session then covers the work, the
 * step is done here: the settings, the guard and the AWS SDK are never
 * loaded. Anything else (no record, another configuration, another set of
 * keys, a session too short, an input to be reported) goes to the full path,
 * which decides and words it.
 */
import { Env, Inputs, Outputs } from '../constants.js';
import { parseMarker } from '../model/marker.js';
import { lookupExpiry, needOf, type KnownExpiry, type Need } from '../lifetime/policy.js';
import { decide, secondsLeft } from '../lifetime/decision.js';
import { summaryLine } from '../report/summary.js';
import type { Toolkit } from '../runner/toolkit.js';
import { formatDuration } from '../settings/duration.js';
import { readNeedInputs } from '../settings/need.js';
import { stepFingerprint } from '../settings/step-config.js';

export interface KeptSession {
  readonly known: KnownExpiry;
  readonly remainingSeconds: number;
  /** Undefined when no need is stated (a step without a role keeps an unexpired session). */
  readonly need: Need | undefined;
  readonly now: number;
}

/** What a step that keeps the current session reports: its outputs, one log line and the summary line (the full guard says the same). */
export function reportKeptSession(toolkit: Toolkit, kept: KeptSession): void {
  const { known, remainingSeconds, need, now } = kept;
  toolkit.setOutput(Outputs.Expiration, known.at.toISOString());
  toolkit.setOutput(Outputs.RemainingSeconds, String(remainingSeconds));
  toolkit.setOutput(Outputs.Refreshed, 'false');
  toolkit.info(
    `The AWS session has ${formatDuration(remainingSeconds)} left (until ${known.at.toISOString()}, from ${known.source}); ` +
      (need ? `the work needs ${formatDuration(need.seconds)} (${need.explanation}). Nothing to do.` : `no '${Inputs.ExpectedDuration}' is given to check it against. Nothing to do.`),
  );
  toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need?.seconds, outcome: 'Healthy: kept the current session.' }));
}

export interface HealthyDeps {
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => number;
}

/** The session this step may keep without reading its settings, or undefined when the full path must decide. */
export function keepableSession(deps: HealthyDeps): KeptSession | undefined {
  const { toolkit, env } = deps;
  const keys = { accessKeyId: env[Env.AccessKeyId], expiration: env[Env.CredentialExpiration], marker: env[Env.SessionMarker] };
  // Recorded by the minting step only when a healthy step does nothing but report (guard/shortcut.ts).
  const step = parseMarker(keys.marker)?.step;
  if (step === undefined || step !== stepFingerprint((name) => toolkit.getInput(name), env)) return undefined;
  // The marker must describe these keys; the 'expiration' input is part of the fingerprint, and empty.
  const lookup = lookupExpiry(keys, undefined);
  const needInputs = readNeedInputs((name) => toolkit.getInput(name));
  if (lookup.kind !== 'known' || !needInputs) return undefined;
  const need = needOf(needInputs);
  const now = deps.clock();
  const remainingSeconds = secondsLeft(lookup.expiry.at, now);
  // The marker's step minted with a role: the same decision as the full path (without a stated need, it mints).
  const decision = decide({ need, session: { kind: 'known', remainingSeconds }, canMint: true });
  if (decision.kind !== 'keep') return undefined;
  return { known: lookup.expiry, remainingSeconds, need, now };
}

/** Keeps the session when the step may (keepableSession) and says so; false when the full path must decide. */
export function keepHealthySession(deps: HealthyDeps): boolean {
  const kept = keepableSession(deps);
  if (kept) reportKeptSession(deps.toolkit, kept);
  return kept !== undefined;
}
