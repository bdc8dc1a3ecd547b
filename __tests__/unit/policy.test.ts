import { describe, test, expect } from '@jest/globals';
import { clockSkewSeconds, lookupExpiry, needOf, remainingAtIssue, requestedDurationSeconds, sessionCeiling, SKEW_WARNING_SECONDS, type ExpiryLookup, type KeysInEnv, type Need } from '../../src/lifetime/policy.js';
import { keepAliveCoverUntil, minServableSeconds, PERMANENT_RETRY_CEILING_MS, PREFERRED_LEAD_SECONDS, refreshLeadSeconds, refreshRetryDelayMs, refreshTickMs, TRANSIENT_RETRY_CEILING_MS } from '../../src/lifetime/keep-alive-policy.js';
import { markerValue } from '../../src/model/marker.js';
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';

const chained = parseRoleArn('arn:aws:iam::123456789012:role/target') as RoleArn;
const need = (seconds: number): Need => ({ seconds, marginSeconds: 0, explanation: 'test' });

describe('needOf', () => {
  test('adds the margin and explains the sum', () => {
    expect(needOf({ expectedDurationSeconds: 5400, safetyMarginSeconds: 300 })).toEqual({
      seconds: 5700,
      marginSeconds: 300,
      explanation: '1h30m expected-duration + 5m safety-margin = 1h35m',
    });
  });
  test('no expected-duration: no need is stated, whatever the margin', () => {
    expect(needOf({ safetyMarginSeconds: 300 })).toBeUndefined();
  });
  test('zero margin', () => {
    const n = needOf({ expectedDurationSeconds: 3600, safetyMarginSeconds: 0 });
    expect(n?.seconds).toBe(3600);
    expect(n?.explanation).toBe('1h expected-duration + 0s safety-margin = 1h');
  });
});

describe('sessionCeiling and requestedDurationSeconds', () => {
  test('ceiling: 12 h, or 1 h when chaining', () => {
    expect(sessionCeiling({})).toBe(43200);
    expect(sessionCeiling({ chainedRoleToAssume: chained })).toBe(3600);
  });
  test('explicit role-duration-seconds wins', () => {
    expect(requestedDurationSeconds({ roleDurationSeconds: 900 }, need(20000))).toBe(900);
    expect(requestedDurationSeconds({ roleDurationSeconds: 43200 }, need(60))).toBe(43200);
  });
  test('explicit duration is capped at 1 h when chaining', () => {
    expect(requestedDurationSeconds({ roleDurationSeconds: 7200, chainedRoleToAssume: chained }, need(60))).toBe(3600);
    expect(requestedDurationSeconds({ roleDurationSeconds: 1800, chainedRoleToAssume: chained }, need(60))).toBe(1800);
  });
  test('no stated need: 1 h, as configure-aws-credentials asks, for web identity and chaining alike', () => {
    expect(requestedDurationSeconds({}, undefined)).toBe(3600);
    expect(requestedDurationSeconds({ chainedRoleToAssume: chained }, undefined)).toBe(3600);
    expect(requestedDurationSeconds({ roleDurationSeconds: 1200 }, undefined)).toBe(1200);
  });
  test('derived from the need: at least 1 h', () => {
    expect(requestedDurationSeconds({}, need(60))).toBe(3600);
    expect(requestedDurationSeconds({}, need(1800))).toBe(3600);
  });
  test.each([3000, 3600, 3601, 3900, 5700, 7500, 40000])('derived for a need of %d s: covers it, with at most 5 min to spare', (n) => {
    const r = requestedDurationSeconds({}, need(n));
    expect(r).toBeGreaterThanOrEqual(n);
    expect(r).toBeLessThanOrEqual(Math.max(3600, n + 300));
  });
  test.each([60, 1800, 3500, 3600, 3900, 7500, 43100])(
    'a session of the derived length, counted on a whole-second Date header, is not short for a need of %d s',
    (n) => {
      // STS answers with Expiration = its now + DurationSeconds and a Date header of its now, both whole seconds.
      const server = Date.parse('2026-05-01T00:00:00Z');
      const duration = requestedDurationSeconds({}, need(n));
      const remaining = remainingAtIssue(new Date(server + duration * 1000), new Date(server), server);
      expect(remaining).toBeGreaterThanOrEqual(n);
    },
  );
  test('derived, at most 12 h', () => {
    expect(requestedDurationSeconds({}, need(43200))).toBe(43200);
    expect(requestedDurationSeconds({}, need(13 * 3600))).toBe(43200);
  });
  test('derived, chained cap 1 h', () => {
    expect(requestedDurationSeconds({ chainedRoleToAssume: chained }, need(5 * 3600))).toBe(3600);
    expect(requestedDurationSeconds({ chainedRoleToAssume: chained }, need(60))).toBe(3600);
  });
});

describe('lookupExpiry: an expiry describes one set of keys', () => {
  const input = new Date('2026-05-01T00:00:00Z');
  const envAt = '2026-06-01T12:00:00Z';
  const KEY = 'ASIAOURKEY';
  const ours = markerValue(KEY, { identity: 'identity-1' });
  const fromEnv = { at: new Date(envAt), source: 'AWS_CREDENTIAL_EXPIRATION' };
  const fromInput = { at: input, source: "the 'expiration' input" };

  test.each<[string, KeysInEnv, Date | undefined, ExpiryLookup]>([
    // Keys this action exported (the marker matches them).
    ['ours, with their expiry', { accessKeyId: KEY, expiration: envAt, marker: ours }, undefined, { kind: 'known', expiry: fromEnv, mintedFor: 'identity-1' }],
    ['ours, padded values are trimmed', { accessKeyId: ` ${KEY}\n`, expiration: `  ${envAt}\n`, marker: ours }, undefined, { kind: 'known', expiry: fromEnv, mintedFor: 'identity-1' }],
    [
      'ours, the input beside them is ignored',
      { accessKeyId: KEY, expiration: envAt, marker: ours },
      input,
      { kind: 'known', expiry: fromEnv, mintedFor: 'identity-1', inputIgnored: true },
    ],
    [
      'ours, expiry removed since',
      { accessKeyId: KEY, expiration: '  ', marker: ours },
      input,
      { kind: 'unknown', why: 'AWS_CREDENTIAL_EXPIRATION was removed after this action exported the keys' },
    ],
    ['ours, expiry invalid', { accessKeyId: KEY, expiration: 'soon', marker: ours }, input, { kind: 'invalid', source: 'AWS_CREDENTIAL_EXPIRATION', value: 'soon' }],
    // Keys this action did not export.
    ['foreign keys with the input: the input describes them', { accessKeyId: 'AKIAOTHER' }, input, { kind: 'known', expiry: fromInput }],
    ['foreign keys, an env expiry and the input: the input', { accessKeyId: 'AKIAOTHER', expiration: envAt }, input, { kind: 'known', expiry: fromInput }],
    [
      'replaced keys (marker for other keys), input given: the input',
      { accessKeyId: 'AKIAOTHER', expiration: envAt, marker: ours },
      input,
      { kind: 'known', expiry: fromInput },
    ],
    [
      'replaced keys, no input: unknown, the old expiry is not theirs',
      { accessKeyId: 'AKIAOTHER', expiration: envAt, marker: ours },
      undefined,
      { kind: 'unknown', why: 'another step replaced the AWS keys that this action exported, and their expiry was not given' },
    ],
    [
      'foreign keys with an env expiry and no marker, no input',
      { accessKeyId: 'AKIAOTHER', expiration: envAt },
      undefined,
      { kind: 'unknown', why: 'AWS_CREDENTIAL_EXPIRATION was not exported by this action with these keys' },
    ],
    [
      'a marker that does not parse counts as none',
      { accessKeyId: KEY, expiration: envAt, marker: 'v0:garbage' },
      undefined,
      { kind: 'unknown', why: 'AWS_CREDENTIAL_EXPIRATION was not exported by this action with these keys' },
    ],
    ['foreign keys, nothing else', { accessKeyId: 'AKIAOTHER' }, undefined, { kind: 'unknown', why: 'the AWS keys in the environment have no known expiry' }],
    // No keys at all.
    ['no keys, the input: it describes nothing', {}, input, { kind: 'unknown', why: "the 'expiration' input is set, but no AWS keys are in the environment" }],
    ['no keys, an env expiry and a marker', { accessKeyId: '  ', expiration: envAt, marker: ours }, undefined, { kind: 'unknown', why: 'no AWS keys are in the environment' }],
    ['nothing at all', {}, undefined, { kind: 'unknown', why: 'no AWS keys are in the environment' }],
  ])('%s', (_label, keys, given, expected) => {
    expect(lookupExpiry(keys, given)).toEqual(expected);
  });
});

describe('remainingAtIssue and clockSkewSeconds', () => {
  const server = Date.parse('2026-05-01T00:00:00Z');
  const exp = new Date(server + 3600_000);
  test('remaining counts from the server Date when there is one', () => {
    // Local clock 10 min ahead: on the local clock 50 min are left, on STS's 60
    // (less at most 1 s, as the Date header is cut to whole seconds).
    const r = remainingAtIssue(exp, new Date(server), server + 600_000);
    expect(r).toBeGreaterThanOrEqual(3599);
    expect(r).toBeLessThanOrEqual(3600);
  });
  test('the server Date decides, whatever the local clock says', () => {
    expect(remainingAtIssue(exp, new Date(server), server - 3_000_000)).toBe(remainingAtIssue(exp, new Date(server), server + 3_000_000));
  });
  test('remaining falls back to the local receive time', () => {
    expect(remainingAtIssue(exp, undefined, server + 600_000)).toBe(3000);
  });
  test('skew: positive when the runner is ahead, negative when behind', () => {
    expect(clockSkewSeconds(new Date(server), server + 600_000, 0)).toBe(600);
    expect(clockSkewSeconds(new Date(server), server - 600_000, 0)).toBe(-600);
    expect(clockSkewSeconds(new Date(server), server, 0)).toBe(0);
  });
  test('skew subtracts half the round trip', () => {
    expect(clockSkewSeconds(new Date(server), server + 10_000, 4_000)).toBe(8);
  });
  test('skew unknown without a server Date', () => {
    expect(clockSkewSeconds(undefined, server, 10)).toBeUndefined();
  });
  test('the warning threshold is 5 min', () => {
    expect(SKEW_WARNING_SECONDS).toBe(300);
  });
});

describe('keep-alive timing', () => {
  test.each([
    [43200, 1200],
    [3600, 1200],
    [900, 300],
    [12, 4],
    [3, 1],
    [1, 1],
    [0, 1],
  ])('refreshLeadSeconds(%d) = %d', (lifetime, lead) => {
    expect(refreshLeadSeconds(lifetime)).toBe(lead);
  });
  test('the preferred lead is 20 min, above botocore advisory 15 min', () => {
    expect(PREFERRED_LEAD_SECONDS).toBe(1200);
    expect(refreshLeadSeconds(3600)).toBeGreaterThan(15 * 60);
  });
  test.each([
    [3600, 15],
    [900, 15],
    [150, 15],
    [100, 10],
    [12, 1],
    [5, 1],
  ])('minServableSeconds(%d) = %d', (lifetime, min) => {
    expect(minServableSeconds(lifetime)).toBe(min);
  });
  test('served credentials always have more left than the refused window', () => {
    for (const lifetime of [12, 60, 900, 3600, 43200]) {
      expect(refreshLeadSeconds(lifetime)).toBeGreaterThan(minServableSeconds(lifetime));
    }
  });
  test('keepAliveCoverUntil', () => {
    expect(keepAliveCoverUntil(undefined, 3600)).toBeUndefined();
    expect(keepAliveCoverUntil(undefined, 3600, { expiresAt: 9_000_000, lifetimeSeconds: 3600 })).toBeUndefined();
    expect(keepAliveCoverUntil(1_000_000, 3600)).toBe(1_000_000 + 3_600_000);
    // The last session lasts what the latest one got, the role's maximum, or the ceiling: the least of them.
    expect(keepAliveCoverUntil(1_000_000, 43200, { expiresAt: 2_000_000, lifetimeSeconds: 3600 })).toBe(1_000_000 + 3_600_000);
    expect(keepAliveCoverUntil(1_000_000, 43200, { expiresAt: 2_000_000, lifetimeSeconds: 43200, maxSessionSeconds: 7200 })).toBe(1_000_000 + 7_200_000);
    expect(keepAliveCoverUntil(1_000_000, 3600, { expiresAt: 2_000_000, lifetimeSeconds: 43200, maxSessionSeconds: undefined })).toBe(1_000_000 + 3_600_000);
    // Never earlier than the session already in hand.
    expect(keepAliveCoverUntil(1_000_000, 3600, { expiresAt: 9_000_000, lifetimeSeconds: 3600 })).toBe(9_000_000);
  });
});

describe('refresh tick and retry backoff', () => {
  test.each([
    [43200, 30_000],
    [3600, 30_000],
    [600, 30_000],
    [120, 6_000],
    [10, 500],
    [1, 50],
    [0, 50],
  ])('refreshTickMs(%d) = %d', (lifetime, tick) => {
    expect(refreshTickMs(lifetime)).toBe(tick);
  });

  test('the ceilings: 30 s for transient errors, 5 min for permanent ones', () => {
    expect(TRANSIENT_RETRY_CEILING_MS).toBe(30_000);
    expect(PERMANENT_RETRY_CEILING_MS).toBe(300_000);
  });

  const seq = (lifetime: number, permanent: boolean, random: number, n = 12) =>
    Array.from({ length: n }, (_, i) => refreshRetryDelayMs(lifetime, i + 1, permanent, () => random));

  test('transient, 1 h session: full jitter of 1 s, 2 s, 4 s … up to 30 s', () => {
    expect(seq(3600, false, 1, 7)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(seq(3600, false, 0.5, 7)).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    // Never below 50 ms, even when the jitter says 0.
    expect(seq(3600, false, 0, 3)).toEqual([50, 50, 50]);
  });

  test('permanent, 1 h session: equal jitter of 1 s, 2 s, 4 s … up to 5 min, never under half the doubled value', () => {
    expect(seq(3600, true, 1)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
    expect(seq(3600, true, 0)).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 150_000, 150_000, 150_000]);
  });

  test('both ceilings shrink to a quarter of a compressed session', () => {
    // 120 s session: 30 s for both kinds.
    expect(refreshRetryDelayMs(120, 30, false, () => 1)).toBe(30_000);
    expect(refreshRetryDelayMs(120, 30, true, () => 1)).toBe(30_000);
    // 12 s session: base 600 ms, ceiling 3 s.
    expect(seq(12, true, 1, 5)).toEqual([600, 1200, 2400, 3000, 3000]);
    expect(seq(12, false, 1, 5)).toEqual([600, 1200, 2400, 3000, 3000]);
    // 20 min session: the permanent ceiling is 5 min, a quarter of it.
    expect(refreshRetryDelayMs(1200, 30, true, () => 1)).toBe(300_000);
    expect(refreshRetryDelayMs(600, 30, true, () => 1)).toBe(150_000);
  });

  test('permanent waits are never shorter than transient ones at the same count and random', () => {
    for (const lifetime of [12, 120, 900, 3600, 43200]) {
      for (let n = 1; n <= 15; n++) {
        for (const r of [0, 0.3, 0.7, 0.999]) {
          expect(refreshRetryDelayMs(lifetime, n, true, () => r)).toBeGreaterThanOrEqual(refreshRetryDelayMs(lifetime, n, false, () => r));
        }
      }
    }
  });
});
