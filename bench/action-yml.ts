/**
 * Just enough of an action.yml for the bench (and the contract test,
 * __tests__/unit/action-yml.test.ts): the input and output names, each input's
 * default, and the `runs` entries. The runner gives a step `INPUT_<NAME>` for every input that
 * has a default (and those the workflow sets), so a bench step gets the same.
 * Handles the block layout of action.yml files (two-space indented input
 * names, `default:` four spaces in, plain, single- or double-quoted scalars).
 */
import { readFileSync } from 'node:fs';

export interface ActionYml {
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly defaults: Record<string, string>;
  readonly runs: Record<string, string>;
}

function scalar(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'") && v.length >= 2) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return JSON.parse(v) as string;
  return v.replace(/\s+#.*$/, '');
}

export function readActionYml(path: string): ActionYml {
  const inputNames: string[] = [];
  const outputNames: string[] = [];
  const defaults: Record<string, string> = {};
  const runs: Record<string, string> = {};
  let section = '';
  let input: string | undefined;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      section = /^([\w-]+):/.exec(line)?.[1] ?? '';
      input = undefined;
      continue;
    }
    // An input or output: its name alone on a line, two spaces in.
    const name = /^ {2}([\w-]+):\s*$/.exec(line)?.[1];
    if (section === 'inputs') {
      if (name) {
        input = name;
        inputNames.push(name);
        continue;
      }
      const dflt = /^ {4}default:(.*)$/.exec(line)?.[1];
      if (input && dflt !== undefined && scalar(dflt) !== '') defaults[input] = scalar(dflt);
    } else if (section === 'outputs') {
      if (name) outputNames.push(name);
    } else if (section === 'runs') {
      const m = /^ {2}([\w-]+):(.*)$/.exec(line);
      if (m?.[1] && m[2] !== undefined) runs[m[1]] = scalar(m[2]);
    }
  }
  return { inputNames, outputNames, defaults, runs };
}
