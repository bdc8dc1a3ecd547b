import { describe, test, expect } from '@jest/globals';
import { formatDuration, parseDuration } from '../../src/settings/duration.js';

describe('parseDuration', () => {
  test.each([
    ['90m', 5400],
    ['2h', 7200],
    ['1h30m', 5400],
    ['45s', 45],
    ['1h30m15s', 5415],
    ['5400', 5400],
    ['0', 0],
    ['1d', 86400],
    ['1d2h', 93600],
    ['  90m  ', 5400],
    ['1h 30m', 5400],
    ['\t2h\n', 7200],
    ['2H', 7200],
    ['1H30M', 5400],
    ['45S', 45],
    ['90m0s', 5400],
    ['0h90m', 5400],
  ])('%j → %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  // Each unit the README and action.yml name, in either case, alone and combined.
  test.each([
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ])('the documented unit %s, in either case', (unit, size) => {
    expect(parseDuration(`7${unit}`)).toBe(7 * size);
    expect(parseDuration(`7${unit.toUpperCase()}`)).toBe(7 * size);
  });

  test.each([
    // The examples in action.yml and the README, and whole seconds.
    ['90m', 5400],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['45s', 45],
    ['1d12h', 129600],
    ['5m', 300],
    ['90s', 90],
    ['300', 300],
    ['0', 0],
    ['1d 2h 3m 4s', 93784],
    ['1D2H3M4S', 93784],
  ])('documented example %j → %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(['', '   ', 'abc', '1.5h', '-5m', 'h', '1x', 'm30', '30m1h', '1h1h', '5400ms', '+5m', '1e3', '0x10', '1 h', '1h30', '1w', '1y', '1h,30m', '1s1m', '1d1d'])(
    'rejects %j',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [59, '59s'],
    [60, '1m'],
    [3600, '1h'],
    [5400, '1h30m'],
    [5415, '1h30m15s'],
    [43200, '12h'],
    [86400, '24h'],
    [3601, '1h1s'],
    [-90, '-1m30s'],
    [59.6, '1m'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test.each([0, 1, 45, 59, 60, 61, 3599, 3600, 5400, 5415, 7200, 43199, 43200, 86399, 86400, 5 * 86400])(
    'round trips %d s',
    (seconds) => {
      expect(parseDuration(formatDuration(seconds))).toBe(seconds);
    },
  );
});
