/**
 * How long the work ahead needs: the expected-duration and safety-margin
 * inputs. expected-duration has no default: without it no need is stated, and
 * a step does what configure-aws-credentials does (lifetime/decision.ts).
 * Read the same way by readSettings (which words the problems) and by the
 * healthy guard path (guard/healthy.ts, which leaves any problem to
 * readSettings). These two inputs may differ from one guard step to the next
 * of the same session (settings/step-config.ts).
 */
import { Inputs, type InputName } from '../constants.js';
import { parseDuration } from './duration.js';

/** The longest job GitHub allows (self-hosted: 5 days); anything above is a typo. */
export const MAX_EXPECTED_SECONDS = 5 * 86400;
export const MAX_MARGIN_SECONDS = 6 * 3600;

export interface DurationInput {
  readonly name: InputName;
  /** Taken when the input is not given ('' : no value). */
  readonly fallback: string;
  readonly min: number;
  readonly max: number;
}

export const EXPECTED_DURATION: DurationInput = { name: Inputs.ExpectedDuration, fallback: '', min: 1, max: MAX_EXPECTED_SECONDS };
export const SAFETY_MARGIN: DurationInput = { name: Inputs.SafetyMargin, fallback: '5m', min: 0, max: MAX_MARGIN_SECONDS };

/** Inputs that say how long this step's work is, nothing about the session: the same session serves steps with other values. */
export const NEED_INPUTS: readonly InputName[] = [EXPECTED_DURATION.name, SAFETY_MARGIN.name];

export type DurationRead =
  | { readonly seconds: number }
  | { readonly absent: true }
  | { readonly problem: 'form' | 'short' | 'long'; readonly raw: string };

export function readDurationInput(getInput: (name: InputName) => string, input: DurationInput): DurationRead {
  const raw = getInput(input.name) || input.fallback;
  if (raw === '') return { absent: true };
  const seconds = parseDuration(raw);
  if (seconds === undefined) return { problem: 'form', raw };
  if (seconds < input.min) return { problem: 'short', raw };
  if (seconds > input.max) return { problem: 'long', raw };
  return { seconds };
}

export interface NeedInputs {
  /** Absent when expected-duration is not given: no need is stated. */
  readonly expectedDurationSeconds?: number;
  readonly safetyMarginSeconds: number;
}

/** Both inputs, or undefined when either has a problem (readSettings then says which). */
export function readNeedInputs(getInput: (name: InputName) => string): NeedInputs | undefined {
  const expected = readDurationInput(getInput, EXPECTED_DURATION);
  const margin = readDurationInput(getInput, SAFETY_MARGIN);
  if ('problem' in expected || !('seconds' in margin)) return undefined;
  return { ...('seconds' in expected && { expectedDurationSeconds: expected.seconds }), safetyMarginSeconds: margin.seconds };
}
