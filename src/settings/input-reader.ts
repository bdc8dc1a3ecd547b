/**
 * What every input parser gets: the raw inputs, a boolean reader, and `bad`,
 * which records a problem that names the input, what was wrong and the fix.
 * readSettings collects every problem, so one run shows them all.
 */
import type { InputName } from '../constants.js';

export interface InputReader {
  readonly getInput: (name: InputName) => string;
  readonly bool: (name: InputName, fallback: boolean) => boolean;
  readonly bad: (name: InputName, value: string | undefined, what: string, fix: string) => undefined;
}

export function inputReader(getInput: (name: InputName) => string): { readonly reader: InputReader; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const bad = (name: InputName, value: string | undefined, what: string, fix: string): undefined => {
    const shown = value === undefined ? '' : ` (got "${value}")`;
    problems.push(`'${name}'${shown} ${what}. ${fix}`);
    return undefined;
  };
  const bool = (name: InputName, fallback: boolean): boolean => {
    const raw = getInput(name);
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    bad(name, raw, 'is not a boolean', 'Use true or false.');
    return fallback;
  };
  return { reader: { getInput, bool, bad }, problems };
}
