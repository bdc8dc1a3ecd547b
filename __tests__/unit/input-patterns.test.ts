/**
 * No input can make a pattern backtrack: the time readSettings takes to decide
 * (accept or refuse) a value grows no faster than the value, up to 10 kB,
 * however the value is built. No assertion is on a time as such (a busy
 * machine makes any fixed limit fail good code): each compares the time for
 * a value with the time for a shorter one of the same family, measured just
 * before under the same load.
 *
 * Each case is a family of values, prefix + unit repeated + suffix, the run of
 * units grown from 8 bytes until the whole value is 10 kB. The values are built
 * to hurt a backtracking pattern: a valid start, then a long run that a
 * quantifier can split many ways, then a character that makes the match fail
 * at the very end. The run grows in small steps first, so that an exponential
 * pattern fails the test at a few dozen bytes (the old role ARN pattern took
 * 5 ms on 16 `a/` segments, and each segment doubled it) instead of hanging it.
 *
 * Two checks, each with room no healthy run can miss:
 * - step by step: from one length to the next (at most twice as long), the
 *   time may grow by GROWTH times the length ratio. A pattern that doubles
 *   its work with each unit grows 16-fold over four units and fails at a few
 *   dozen bytes, long before it could hang the run;
 * - n and 8n (1 kB and 8 kB): a linear decision takes at most 8 times as long
 *   (less, for its fixed cost), a quadratic one 64 times; the bound is
 *   GROWTH * 8.
 * Each timing is the minimum of several runs, which absorbs GC pauses and JIT
 * warm-up, and a comparison that fails is measured again (TRIES in all):
 * a backtracking pattern fails every time, a descheduled run does not.
 */
import { describe, test, expect } from '@jest/globals';
import { Inputs, type InputName } from '../../src/constants.js';
import { readSettings, SettingsError, type SettingsEnv } from '../../src/settings/settings.js';

/** How much faster than the value's length the time may grow: room for noise, none for backtracking. */
const GROWTH = 4;
const RUNS = 5;
const TRIES = 3;
const MAX_BYTES = 10 * 1024;
/** Bytes of repeated units; the last step fills the value up to MAX_BYTES. Each at most twice the one before. */
const RUN_BYTES = [8, 16, 24, 32, 40, 48, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192, MAX_BYTES];
/** The n and 8n pair. */
const N_BYTES = 1024;
const ENV: SettingsEnv = { GITHUB_RUN_ID: '987654321', GITHUB_RUN_ATTEMPT: '2' };

interface Case {
  readonly input: InputName;
  readonly label: string;
  readonly prefix?: string;
  readonly unit: string;
  readonly suffix?: string;
  /** Other inputs given alongside, so the value reaches the code under test. */
  readonly with?: Partial<Record<InputName, string>>;
}

/** prefix + about `runBytes` of units + suffix, never over MAX_BYTES in all (at least one unit). */
function build(c: Case, runBytes: number): string {
  const prefix = c.prefix ?? '';
  const suffix = c.suffix ?? '';
  const room = MAX_BYTES - prefix.length - suffix.length;
  const n = Math.max(1, Math.floor(Math.min(runBytes, room) / c.unit.length));
  return prefix + c.unit.repeat(n) + suffix;
}

/** Milliseconds readSettings takes to accept or refuse the inputs: the best of RUNS. */
function decideMs(inputs: Partial<Record<InputName, string>>, env: SettingsEnv = ENV): number {
  const getInput = (name: InputName): string => inputs[name] ?? '';
  let best = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    try {
      readSettings(getInput, env);
    } catch (e) {
      if (!(e instanceof SettingsError)) throw e;
    }
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const ROLE = 'arn:aws:iam::123456789012:role/';
const POLICY = 'arn:aws:iam::123456789012:policy/';
const withRole = { [Inputs.RoleToAssume]: `${ROLE}deploy`, [Inputs.AwsRegion]: 'us-east-1' };

const roleCases = (input: InputName): Case[] => [
  // The case that hung for 20 s at 30 segments: a path of many segments, then a bad name.
  { input, label: "path of 'a/' segments, then '!'", prefix: ROLE, unit: 'a/', suffix: '!' },
  { input, label: "path of 'ab/' segments, then a space", prefix: ROLE, unit: 'ab/', suffix: ' x' },
  { input, label: 'path of slashes, then a bad name', prefix: ROLE, unit: '/', suffix: 'a b' },
  { input, label: 'a valid but very long path', prefix: ROLE, unit: 'a/', suffix: 'deploy' },
  { input, label: 'a name far over 64 characters', prefix: ROLE, unit: 'n' },
  { input, label: 'name characters, then a slash at the end', prefix: ROLE, unit: '=,.@-', suffix: '/' },
  { input, label: "'arn:' repeated", unit: 'arn:' },
  { input, label: 'a long account id', prefix: 'arn:aws:iam::', unit: '1', suffix: ':role/x' },
  { input, label: 'spaces, then a valid ARN', unit: ' ', suffix: `${ROLE}deploy!` },
  { input, label: 'partition-like run', prefix: 'arn:', unit: 'aws-iso-', suffix: ':iam::123456789012:role/x' },
];

const durationCases = (input: InputName): Case[] => [
  { input, label: 'digits, then a letter', unit: '1', suffix: 'x' },
  { input, label: 'digits, then a unit', unit: '9', suffix: 'h' },
  { input, label: "'1h' repeated", unit: '1h' },
  { input, label: "'1h ' repeated, then '!'", unit: '1h ', suffix: '!' },
  { input, label: "'1d1h1m1s' repeated", unit: '1d1h1m1s' },
  { input, label: 'a unit, spaces, then a digit', prefix: '1h', unit: ' ', suffix: '1' },
  { input, label: 'a unit, spaces, then a bad character', prefix: '1h', unit: ' ', suffix: '!' },
  { input, label: "'h ' repeated", unit: 'h ', suffix: '1' },
  { input, label: 'every unit, then digits and a bad character', prefix: '1d1h1m', unit: '1', suffix: '!' },
  { input, label: 'spaces around a digit run', prefix: ' ', unit: '1 ', suffix: 'm' },
];

const wholeNumberCases = (input: InputName): Case[] => [
  { input, label: 'digits, then a letter', unit: '1', suffix: 'x' },
  { input, label: 'a huge number', unit: '9' },
  { input, label: 'leading zeros', unit: '0', suffix: '5' },
  { input, label: 'spaces, then digits', unit: ' ', suffix: '900' },
  { input, label: "'1 ' repeated", unit: '1 ' },
];

const booleanCases = (input: InputName): Case[] => [
  { input, label: "'true' repeated", unit: 'true' },
  { input, label: 'spaces, then true', unit: ' ', suffix: 'true' },
];

const cases: Case[] = [
  ...roleCases(Inputs.RoleToAssume),
  ...roleCases(Inputs.ChainedRoleToAssume).map((c) => ({ ...c, with: withRole })),

  { input: Inputs.AwsRegion, label: 'area, then letters and a bad character', prefix: 'us-', unit: 'a', suffix: '!' },
  { input: Inputs.AwsRegion, label: "'-ab' repeated, then a number", prefix: 'us', unit: '-ab', suffix: '-1' },
  { input: Inputs.AwsRegion, label: 'qualifier, then a long direction', prefix: 'us-gov-', unit: 'a', suffix: '-1x' },
  { input: Inputs.AwsRegion, label: 'dashes', unit: '-' },
  { input: Inputs.AwsRegion, label: 'a long number', prefix: 'us-east-', unit: '1' },

  { input: Inputs.Audience, label: 'spaces, then a letter', unit: ' ', suffix: 'x' },
  { input: Inputs.Audience, label: 'letters', unit: 'a' },
  { input: Inputs.Audience, label: "'a ' repeated", unit: 'a ' },

  { input: Inputs.RoleSessionName, label: 'name characters, then a space', unit: 'a', suffix: ' ' },
  { input: Inputs.RoleSessionName, label: "'+=,.@-_' repeated", unit: '+=,.@-_' },

  ...durationCases(Inputs.ExpectedDuration),
  ...durationCases(Inputs.SafetyMargin),
  ...wholeNumberCases(Inputs.RoleDurationSeconds),
  ...wholeNumberCases(Inputs.RetryMaxAttempts),

  { input: Inputs.Expiration, label: 'a quote, then letters', prefix: '"', unit: 'a' },
  { input: Inputs.Expiration, label: 'quotes', unit: '"' },
  { input: Inputs.Expiration, label: 'a quoted run of quotes', prefix: '"', unit: '""', suffix: 'x"' },
  { input: Inputs.Expiration, label: 'a long fraction, then a bad zone', prefix: '2026-11-22T15:04:05.', unit: '1', suffix: '!' },
  { input: Inputs.Expiration, label: 'a long fraction, then Z', prefix: '"2026-11-22T15:04:05.', unit: '1', suffix: 'Z"' },
  { input: Inputs.Expiration, label: "'2026-' repeated", unit: '2026-' },
  { input: Inputs.Expiration, label: 'digits', unit: '1' },
  { input: Inputs.Expiration, label: 'a valid time, then spaces and a letter', prefix: '2026-11-22T15:04:05Z', unit: ' ', suffix: 'x' },

  { input: Inputs.StsEndpoint, label: "'a:' repeated in the authority", prefix: 'https://', unit: 'a:', suffix: 'x' },
  { input: Inputs.StsEndpoint, label: "'a:' repeated, then '@'", prefix: 'https://', unit: 'a:', suffix: '@host' },
  { input: Inputs.StsEndpoint, label: "'@' repeated", prefix: 'https://', unit: '@', suffix: 'host' },
  { input: Inputs.StsEndpoint, label: 'a long scheme', unit: 'a', suffix: '://host' },
  { input: Inputs.StsEndpoint, label: 'slashes after the scheme', prefix: 'https:', unit: '/', suffix: 'u:p@host' },
  { input: Inputs.StsEndpoint, label: 'a long loopback-like host', prefix: 'http://127.', unit: '0', suffix: '.0.1' },
  { input: Inputs.StsEndpoint, label: "'1.' repeated as a host", prefix: 'http://', unit: '1.', suffix: 'x' },
  { input: Inputs.StsEndpoint, label: 'a long IPv6 host', prefix: 'http://[', unit: '0:', suffix: '1]' },
  { input: Inputs.StsEndpoint, label: 'a long path', prefix: 'http://127.0.0.1:4566/', unit: 'a/@' },
  { input: Inputs.StsEndpoint, label: 'no scheme, letters and colons', unit: 'a:' },

  { input: Inputs.InlineSessionPolicy, label: 'deeply nested arrays', unit: '[' },
  { input: Inputs.InlineSessionPolicy, label: 'deeply nested Statement', prefix: '{"Statement":', unit: '[', suffix: '' },
  { input: Inputs.InlineSessionPolicy, label: 'a long string value', prefix: '{"Statement":"', unit: 'a', suffix: '"}' },
  { input: Inputs.InlineSessionPolicy, label: 'many keys', prefix: '{', unit: '"a":1,', suffix: '"Statement":[]}' },
  { input: Inputs.InlineSessionPolicy, label: 'escapes', prefix: '"', unit: '\\u0000', suffix: '"' },
  { input: Inputs.InlineSessionPolicy, label: 'spaces, then a bad character', unit: ' ', suffix: 'x' },

  { input: Inputs.ManagedSessionPolicies, label: "path of 'a/' segments, then a space", prefix: POLICY, unit: 'a/', suffix: ' x' },
  { input: Inputs.ManagedSessionPolicies, label: "'a,' repeated", unit: 'a,' },
  { input: Inputs.ManagedSessionPolicies, label: "',arn:' repeated", unit: ',arn:' },
  { input: Inputs.ManagedSessionPolicies, label: 'a comma, spaces, then a bad character', prefix: POLICY, unit: ' ', suffix: ',x' },
  { input: Inputs.ManagedSessionPolicies, label: 'comma-separated policy ARNs', unit: `${POLICY}p,` },
  { input: Inputs.ManagedSessionPolicies, label: 'many bad lines', unit: 'a\n' },
  { input: Inputs.ManagedSessionPolicies, label: 'many good lines', unit: `${POLICY}p\n` },
  { input: Inputs.ManagedSessionPolicies, label: 'blank lines', unit: ' \r\n' },

  { input: Inputs.HttpProxy, label: "'a:' repeated in the authority", prefix: 'http://', unit: 'a:', suffix: 'x' },
  { input: Inputs.HttpProxy, label: "'a:' repeated, then '@'", prefix: 'http://', unit: 'a:', suffix: '@proxy:3128' },
  { input: Inputs.HttpProxy, label: "'@' repeated", prefix: 'http://', unit: '@', suffix: 'proxy:3128' },
  { input: Inputs.HttpProxy, label: 'a long scheme', unit: 'a', suffix: '://proxy:3128' },
  { input: Inputs.HttpProxy, label: 'no scheme, letters and colons', unit: 'a:' },
  { input: Inputs.NoProxy, label: "'a.' repeated, then a port", unit: 'a.', suffix: ':x' },
  { input: Inputs.NoProxy, label: 'commas and spaces', unit: ', ', suffix: 'x' },

  { input: Inputs.AwsAccessKeyId, label: 'key ID characters, then a space', prefix: 'AKIA', unit: 'A1', suffix: ' ', with: { [Inputs.AwsSecretAccessKey]: 's' } },
  { input: Inputs.AwsAccessKeyId, label: 'lower-case letters', unit: 'a', with: { [Inputs.AwsSecretAccessKey]: 's' } },
  { input: Inputs.AwsSecretAccessKey, label: 'secret characters', unit: 'aB3/+', with: { [Inputs.AwsAccessKeyId]: 'AKIAIOSFODNN7EXAMPLE' } },
  { input: Inputs.AwsSessionToken, label: 'token characters', unit: 'IQoJb3Jp', with: { [Inputs.AwsAccessKeyId]: 'AKIAIOSFODNN7EXAMPLE', [Inputs.AwsSecretAccessKey]: 's' } },
  { input: Inputs.WebIdentityTokenFile, label: "path of 'a/' segments", prefix: '/', unit: 'a/', suffix: 'token', with: withRole },
  { input: Inputs.WebIdentityTokenFile, label: 'dots and slashes', unit: '../', with: withRole },
  ...booleanCases(Inputs.RoleChaining).map((c) => ({ ...c, with: withRole })),
  ...booleanCases(Inputs.UseExistingCredentials),
  ...booleanCases(Inputs.ForceSkipOidc).map((c) => ({ ...c, with: withRole })),
  { input: Inputs.RoleExternalId, label: 'id characters, then a space', unit: 'a+=,.@:/-', suffix: ' ' },
  { input: Inputs.RoleExternalId, label: 'letters', unit: 'a' },
  { input: Inputs.CustomTags, label: 'many tags', prefix: '{', unit: '"k1":"v",', suffix: '"z":"v"}' },
  { input: Inputs.CustomTags, label: 'a long value with a bad character at the end', prefix: '{"Team":"', unit: 'a ', suffix: '!"}' },
  { input: Inputs.CustomTags, label: 'a long key of tag characters, then a bad one', prefix: '{"', unit: 'a:/=+-@', suffix: '!":"v"}' },
  { input: Inputs.CustomTags, label: 'deeply nested arrays', unit: '[' },
  { input: Inputs.TransitiveTagKeys, label: 'many lines', unit: 'Repository\n' },
  { input: Inputs.TransitiveTagKeys, label: 'a long key, then a bad character', unit: 'a:', suffix: '!' },
  { input: Inputs.AllowedAccountIds, label: 'digits, then a letter', unit: '1', suffix: 'x' },
  { input: Inputs.AllowedAccountIds, label: "'123456789012,' repeated", unit: '123456789012,' },
  { input: Inputs.AllowedAccountIds, label: 'commas and spaces', unit: ', ', suffix: 'x' },
  { input: Inputs.AwsProfile, label: 'name characters, then a space', unit: 'ab-', suffix: ' ' },
  { input: Inputs.AwsProfile, label: 'letters', unit: 'a' },
  ...wholeNumberCases(Inputs.ActionTimeoutS),
  ...booleanCases(Inputs.RoleSkipSessionTagging),
  ...booleanCases(Inputs.OutputCredentials),
  ...booleanCases(Inputs.OutputEnvCredentials),
  ...booleanCases(Inputs.UnsetCurrentCredentials),
  ...booleanCases(Inputs.OverwriteAwsProfile),
  ...booleanCases(Inputs.SpecialCharactersWorkaround),
  ...booleanCases(Inputs.DisableRetry),
  ...booleanCases(Inputs.FailOnShortSession),
  ...booleanCases(Inputs.MaskAwsAccountId),
  ...booleanCases(Inputs.KeepAlive).map((c) => ({ ...c, with: withRole })),
  ...booleanCases(Inputs.ServeContainers).map((c) => ({ ...c, with: { ...withRole, [Inputs.KeepAlive]: 'true' } })),
];

/**
 * Whether the time for `large` stays within `bound` times the time for
 * `small`, measured one after the other; measured again when not, TRIES in
 * all. Undefined when it does; else what was measured the last time.
 */
function outgrows(small: () => number, large: () => number, bound: number): string | undefined {
  let last = '';
  for (let i = 0; i < TRIES; i++) {
    const a = small();
    const b = large();
    if (b <= bound * a) return undefined;
    last = `${(b / a).toFixed(1)}x the time (${a.toFixed(4)} ms, then ${b.toFixed(4)} ms), over the ${bound.toFixed(1)}x allowed`;
  }
  return last;
}

describe('the time to decide an input grows no faster than the input, up to 10 kB', () => {
  test('every input readSettings reads has cases', () => {
    const covered = new Set(cases.map((c) => c.input));
    expect(Object.values(Inputs).filter((name) => !covered.has(name))).toEqual([]);
  });

  test('the largest value of each case is 10 kB', () => {
    for (const c of cases) {
      const length = build(c, MAX_BYTES).length;
      expect(length).toBeGreaterThan(MAX_BYTES - c.unit.length);
      expect(length).toBeLessThanOrEqual(MAX_BYTES);
    }
  });

  test('the lengths grow step by step, at most doubling, and hold the n and 8n pair', () => {
    for (let i = 1; i < RUN_BYTES.length; i++) expect(RUN_BYTES[i]! / RUN_BYTES[i - 1]!).toBeLessThanOrEqual(2);
    expect(RUN_BYTES).toEqual(expect.arrayContaining([N_BYTES, 8 * N_BYTES]));
  });

  test('the check fails a decision that outgrows its input, and passes one that does not', () => {
    // Stand-ins for readSettings' times: linear with a fixed cost, quadratic, exponential.
    const linear = (n: number) => 0.02 + n * 1e-5;
    const quadratic = (n: number) => 0.02 + n * n * 1e-6;
    const exponential = (n: number) => 1e-4 * 2 ** (n / 2);
    expect(outgrows(() => linear(1024), () => linear(8192), GROWTH * 8)).toBeUndefined();
    expect(outgrows(() => quadratic(1024), () => quadratic(8192), GROWTH * 8)).toMatch(/over the 32\.0x allowed/);
    expect(outgrows(() => exponential(24), () => exponential(32), GROWTH * (32 / 24))).toMatch(/over the 5\.3x allowed/);
  });

  test.each(cases.map((c) => [c.input, c.label, c] as const))('%s: %s', (_input, _label, c) => {
    const decide = (runBytes: number) => () => decideMs({ ...c.with, [c.input]: build(c, runBytes) });
    const length = (runBytes: number) => build(c, runBytes).length;
    const problems: string[] = [];
    for (let i = 1; i < RUN_BYTES.length; i++) {
      const [from, to] = [RUN_BYTES[i - 1]!, RUN_BYTES[i]!];
      const problem = outgrows(decide(from), decide(to), GROWTH * (length(to) / length(from)));
      if (problem) {
        // Stop here: a longer value may take hours.
        problems.push(`${length(from)} B to ${length(to)} B took ${problem}`);
        break;
      }
    }
    if (problems.length === 0) {
      const problem = outgrows(decide(N_BYTES), decide(8 * N_BYTES), GROWTH * (length(8 * N_BYTES) / length(N_BYTES)));
      if (problem) problems.push(`n = ${length(N_BYTES)} B to 8n took ${problem}`);
    }
    expect(problems).toEqual([]);
  });

  test('run id and attempt from the environment, 1 kB and 8 kB each', () => {
    const env = (bytes: number) => ({ GITHUB_RUN_ID: `${'9'.repeat(bytes - 1)}!`, GITHUB_RUN_ATTEMPT: '+='.repeat(bytes / 2) });
    expect(outgrows(() => decideMs({}, env(N_BYTES)), () => decideMs({}, env(8 * N_BYTES)), GROWTH * 8)).toBeUndefined();
  });
});
