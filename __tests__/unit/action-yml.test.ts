/**
 * action.yml is the action's interface, and the code reads it through names in
 * src/constants.ts. These keep the two, and the README, from drifting apart:
 * the same inputs and outputs on both sides, each in the README's tables, the
 * bundles that `runs` names present, and every default in action.yml the same
 * value the code falls back to when the input is empty (tests and the local
 * runner give steps no defaults unless asked to; a real runner always does).
 */
import { describe, test, expect } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readActionYml } from '../../bench/action-yml.js';
import { Inputs, Outputs, type InputName } from '../../src/constants.js';
import { readNeedInputs } from '../../src/settings/need.js';
import { type Settings, type SettingsEnv } from '../../src/settings/settings.js';
import { settingsFor } from './fakes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const yml = readActionYml(join(ROOT, 'action.yml'));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ENV: SettingsEnv = { GITHUB_RUN_ID: '987654321', GITHUB_RUN_ATTEMPT: '2' };
const sorted = (names: Iterable<string>): string[] => [...names].sort();

/** Settings without the raw-input fingerprint: it records what the step was given, so it differs by design when an input is spelled out. */
function settingsOf(inputs: Partial<Record<InputName, string>>): Omit<Settings, 'stepFingerprint'> {
  const { stepFingerprint: _fingerprint, ...settings } = settingsFor({ env: ENV })(inputs);
  return settings;
}

describe('action.yml and the code', () => {
  test('declares exactly the inputs the code reads (src/constants.ts Inputs)', () => {
    expect(yml.inputNames.length).toBeGreaterThan(30);
    expect(sorted(yml.inputNames)).toEqual(sorted(Object.values(Inputs)));
  });

  test('declares exactly the outputs the code sets (src/constants.ts Outputs)', () => {
    expect(yml.outputNames.length).toBeGreaterThan(5);
    expect(sorted(yml.outputNames)).toEqual(sorted(Object.values(Outputs)));
  });

  test('runs on node24, from bundles that are in dist/', () => {
    expect(yml.runs.using).toBe('node24');
    for (const entry of ['main', 'post'] as const) {
      const file = yml.runs[entry];
      expect(file).toBe(`dist/${entry}/index.js`);
      expect(existsSync(join(ROOT, file ?? ''))).toBe(true);
    }
  });

  const defaulted = Object.entries(yml.defaults) as [InputName, string][];

  test('some inputs have defaults, and each names an input', () => {
    expect(defaulted.length).toBeGreaterThan(10);
    for (const [name] of defaulted) expect(yml.inputNames).toContain(name);
  });

  // A role, so every source and lifetime setting is read; each default then changes nothing.
  const base = { [Inputs.RoleToAssume]: 'arn:aws:iam::123456789012:role/deploy', [Inputs.AwsRegion]: 'us-east-1' } as const;

  test.each(defaulted)("the default of '%s' (%s) is what the settings use when it is empty", (name, value) => {
    expect(settingsOf({ ...base, [name]: value })).toEqual(settingsOf(base));
  });

  test('all the defaults at once are what the settings use without them', () => {
    expect(settingsOf({ ...base, ...yml.defaults })).toEqual(settingsOf(base));
  });

  test("the healthy path's need inputs fall back to the same defaults", () => {
    const withDefaults = readNeedInputs((name) => yml.defaults[name] ?? '');
    expect(withDefaults).toBeDefined();
    expect(readNeedInputs(() => '')).toEqual(withDefaults);
  });
});

describe('the README documents the interface', () => {
  /** The names in backticks in the first cell of each table row under the README's `## heading`. */
  function documentedUnder(heading: string): Set<string> {
    const start = README.indexOf(`\n## ${heading}\n`);
    if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
    const end = README.indexOf('\n## ', start + 1);
    const section = README.slice(start, end < 0 ? undefined : end);
    const names = new Set<string>();
    for (const row of section.split('\n').filter((line) => line.startsWith('| '))) {
      const firstCell = row.slice(2, row.indexOf(' |', 1));
      for (const m of firstCell.matchAll(/`([a-z0-9-]+)`/g)) if (m[1]) names.add(m[1]);
    }
    return names;
  }
  const inputs = documentedUnder('Inputs');
  const outputs = documentedUnder('Outputs');

  test.each(Object.values(Inputs))("input '%s' has a row in the README's Inputs table", (name) => {
    expect(inputs).toContain(name);
  });

  test.each(Object.values(Outputs))("output '%s' has a row in the README's Outputs table", (name) => {
    expect(outputs).toContain(name);
  });

  test('the tables name nothing that is not an input or an output', () => {
    expect(sorted(inputs)).toEqual(sorted(Object.values(Inputs)));
    expect(sorted(outputs)).toEqual(sorted(Object.values(Outputs)));
  });
});
