/**
 * A step's configuration as raw text: every input, and the environment that
 * settings are derived from. The step that mints a session records the
 * fingerprint of its configuration in the session marker (export/marker.ts).
 * A later guard step with the same fingerprint has the same settings, which
 * that step validated, so it can tell whether the session is long enough
 * without reading them again (guard/healthy.ts). Only how long the work is
 * (settings/need.ts) may differ: each step reads that itself.
 */
import { Inputs, PerStepEnvNames, PresenceOnlyEnvNames, SettingsEnvNames, type InputName } from '../constants.js';
import { fingerprint } from '../util/hash.js';
import { NEED_INPUTS } from './need.js';
import type { SettingsEnv } from './settings-env.js';

/** What a secret that settings use only as set or not set is replaced with. */
const SET = 'set';
/** An unset variable, in the fingerprint (a set one is written `=value`). */
const UNSET = '-';

/** The part of `env` that readSettings is given: the named variables, with presence-only secrets reduced to whether they are set. */
export function settingsEnv(env: Readonly<Record<string, string | undefined>>): SettingsEnv {
  const picked: Record<string, string> = {};
  for (const name of SettingsEnvNames) {
    const value = env[name];
    if (value === undefined) continue;
    picked[name] = PresenceOnlyEnvNames.includes(name) ? (value === '' ? '' : SET) : value;
  }
  return picked;
}

/**
 * Fingerprint of everything a step's settings are derived from, except how
 * long its work is and the one variable that names the step. No secret is in
 * it: the source inputs are empty whenever it is used (a GitHub OIDC source),
 * and the ID-token request token counts only as set or not set.
 */
export function stepFingerprint(getInput: (name: InputName) => string, env: Readonly<Record<string, string | undefined>>): string {
  const values: string[] = [];
  for (const name of Object.values(Inputs)) if (!NEED_INPUTS.includes(name)) values.push(getInput(name));
  const picked = settingsEnv(env);
  // An unset variable is not an empty one: settings tell them apart.
  for (const name of SettingsEnvNames) if (!PerStepEnvNames.includes(name)) values.push(picked[name] === undefined ? UNSET : `=${picked[name]}`);
  // No input or variable can hold a NUL (they are C strings), so the joined text has one reading; the order is the code's.
  return fingerprint(values.join('\0'));
}
