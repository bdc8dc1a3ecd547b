import { describe, expect, test } from '@jest/globals';
import { knownMaxOf, withKnownMax } from '../../src/lifetime/known-max.js';
import { keepAliveSessionSeconds } from '../../src/lifetime/policy.js';

const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const OTHER = 'arn:aws:iam::210987654321:role/prod-admin';

describe('role maxima remembered for the job', () => {
  test('round trip: what one step exports, the next reads, per role', () => {
    const value = withKnownMax({}, ROLE, { seconds: 10800, refusedSeconds: 14400 });
    const env = { AWS_SESSION_GUARD_ROLE_MAX: value };
    expect(knownMaxOf(env, ROLE)).toEqual({ seconds: 10800, refusedSeconds: 14400 });
    expect(knownMaxOf(env, OTHER)).toBeUndefined();
    const both = { AWS_SESSION_GUARD_ROLE_MAX: withKnownMax(env, OTHER, { seconds: 3600 }) };
    expect(knownMaxOf(both, ROLE)).toEqual({ seconds: 10800, refusedSeconds: 14400 });
    expect(knownMaxOf(both, OTHER)).toEqual({ seconds: 3600 });
  });

  test('holds no account ID or role name', () => {
    const value = withKnownMax({}, ROLE, { seconds: 3600, refusedSeconds: 7200 });
    expect(value).not.toContain('123456789012');
    expect(value).not.toContain('deploy');
  });

  test('malformed entries are ignored, not trusted', () => {
    for (const bad of ['', 'x', 'abc:notanumber:1', 'abc:-5:', ':3600:7200', 'abc:3600.5:']) {
      expect(knownMaxOf({ AWS_SESSION_GUARD_ROLE_MAX: bad }, ROLE)).toBeUndefined();
    }
    // a refused length not above the maximum is dropped, the maximum kept
    const env = { AWS_SESSION_GUARD_ROLE_MAX: withKnownMax({}, ROLE, { seconds: 3600 }).replace(/:$/, ':3600') };
    expect(knownMaxOf(env, ROLE)).toEqual({ seconds: 3600 });
  });
});

describe('keepAliveSessionSeconds: what the server asks STS for', () => {
  const now = 1_000_000_000_000;
  const hour = 3600_000;
  test('1 h when 1 h sessions reach the end of the work (every role allows 1 h: one call, nothing refused)', () => {
    expect(keepAliveSessionSeconds({ needSeconds: 5 * 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 43200, knownMaxSeconds: undefined })).toBe(3600);
    expect(keepAliveSessionSeconds({ needSeconds: 7 * 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 43200, knownMaxSeconds: undefined })).toBe(3600);
    expect(keepAliveSessionSeconds({ needSeconds: 9 * 3600, now, sourceEndsAt: undefined, ceilingSeconds: 43200, knownMaxSeconds: undefined })).toBe(3600);
  });
  test('longer only when the last session must outlast the request token', () => {
    expect(keepAliveSessionSeconds({ needSeconds: 9 * 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 43200, knownMaxSeconds: undefined })).toBe(3 * 3600);
    expect(keepAliveSessionSeconds({ needSeconds: 30 * 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 43200, knownMaxSeconds: undefined })).toBe(43200);
  });
  test('a known maximum is used as it is (fewer refreshes, no refusal); the chain ceiling caps everything', () => {
    expect(keepAliveSessionSeconds({ needSeconds: 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 43200, knownMaxSeconds: 10800 })).toBe(10800);
    expect(keepAliveSessionSeconds({ needSeconds: 9 * 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 3600, knownMaxSeconds: undefined })).toBe(3600);
    expect(keepAliveSessionSeconds({ needSeconds: 3600, now, sourceEndsAt: now + 6 * hour, ceilingSeconds: 3600, knownMaxSeconds: 10800 })).toBe(3600);
  });
});
