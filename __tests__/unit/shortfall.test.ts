/** The one fail-or-warn rule, and the one coverage rule every keep-alive path uses. */
import { describe, test, expect } from '@jest/globals';
import { shortfall, ShortSessionError, type ShortfallContext } from '../../src/report/shortfall.js';
import { coverageShortfall, serverCoverReason } from '../../src/keepalive/coverage.js';
import { FakeToolkit } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const ctx = (toolkit: FakeToolkit, failOnShortSession: boolean): ShortfallContext => ({ toolkit, failOnShortSession, at: T0, needSeconds: 3900, title: 'Too short' });

describe('shortfall', () => {
  test('fail-on-short-session: the summary says Failed with the first line, then ShortSessionError with the whole message; no warning', () => {
    const toolkit = new FakeToolkit();
    let error: unknown;
    try {
      shortfall(ctx(toolkit, true), 'Only 20m left.\nFix: more.', 1200);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).name).toBe('ShortSessionError');
    expect((error as Error).message).toBe('Only 20m left.\nFix: more.');
    expect(toolkit.summary).toEqual(['- **aws-session-guard** 10:00:00Z: remaining 20m, need 1h5m. **Failed**: Only 20m left.\n']);
    expect(toolkit.warnings).toEqual([]);
  });

  test('without it: the summary says Warned, and a warning with the whole message and the title', () => {
    const toolkit = new FakeToolkit();
    expect(() => shortfall(ctx(toolkit, false), 'Only 20m left.\nFix: more.')).not.toThrow();
    expect(toolkit.summary).toEqual(['- **aws-session-guard** 10:00:00Z: remaining unknown, need 1h5m. Warned: Only 20m left.\n']);
    expect(toolkit.warnings).toEqual([{ message: 'Only 20m left.\nFix: more.', title: 'Too short' }]);
    // The summary line comes first.
    expect(toolkit.calls.map((c) => c.method)).toEqual(['appendSummary', 'warning']);
  });

  test.each([0, -10])('an expired session (%d s left) fails even without fail-on-short-session: never a warning and exit 0', (left) => {
    const toolkit = new FakeToolkit();
    expect(() => shortfall(ctx(toolkit, false), 'The keys expired.\nFix: fresher keys.', left)).toThrow(ShortSessionError);
    expect(toolkit.summary.join('')).toContain('**Failed**: The keys expired.');
    expect(toolkit.warnings).toEqual([]);
  });

  test('1 s left without fail-on-short-session is still only a warning', () => {
    const toolkit = new FakeToolkit();
    expect(() => shortfall(ctx(toolkit, false), 'Only 1s left.', 1)).not.toThrow();
    expect(toolkit.warnings).toHaveLength(1);
  });
});

describe('coverageShortfall', () => {
  const need = { seconds: 7500, marginSeconds: 300, explanation: '2h expected-duration + 5m safety-margin = 2h5m' };

  test('covered, exactly covered (to the STS clock\'s second), or unknown: nothing to say', () => {
    expect(coverageShortfall(need, T0 + 8000_000, T0, 'why')).toBeUndefined();
    expect(coverageShortfall(need, T0 + 7500_000, T0, 'why')).toBeUndefined();
    expect(coverageShortfall(need, T0 + 7499_000, T0, 'why')).toBeUndefined();
    expect(coverageShortfall(need, undefined, T0, 'why')).toBeUndefined();
  });

  test('short: how long it can cover, until when, the need, why, and the fix', () => {
    expect(coverageShortfall(need, T0 + 7498_000, T0, 'because.')).toBe(
      'The job can keep AWS credentials coming for 2h4m58s more (until about 2026-05-01T12:04:58.000Z), but the work needs 2h5m ' +
        '(2h expected-duration + 5m safety-margin = 2h5m): because.\n' +
        "Fix, one of:\n  - 'expected-duration: 1h59m58s' if the work fits in that after the 5m 'safety-margin'\n" +
        '  - split the work across jobs (each job gets a new OIDC request token)',
    );
  });

  test('a cover already in the past reads as 0s more', () => {
    expect(coverageShortfall(need, T0 - 60_000, T0, 'x')).toMatch(/^The job can keep AWS credentials coming for 0s more/);
  });

  test('serverCoverReason names the role maximum', () => {
    expect(serverCoverReason(3600)).toBe("the OIDC request token expires, and the role's sessions last at most 1h.");
    expect(serverCoverReason(undefined)).not.toMatch(/\b0s\b/);
  });
});
