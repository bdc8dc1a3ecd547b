import { describe, test, expect } from '@jest/globals';
import {
  beyondAnySessionMessage,
  chainTooShortMessage,
  noRoleMessage,
  roleTooShortMessage,
  shortAfterRefreshMessage,
} from '../../src/guard/messages.js';
import { needOf as needOrNone } from '../../src/lifetime/policy.js';
import type { Need } from '../../src/lifetime/decision.js';

/** A stated need (these messages exist only for one). */
const needOf = (inputs: { expectedDurationSeconds: number; safetyMarginSeconds: number }): Need => needOrNone(inputs) as Need;
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';

const role = parseRoleArn('arn:aws:iam::123456789012:role/ci/deploy') as RoleArn;
const need5h = needOf({ expectedDurationSeconds: 5 * 3600, safetyMarginSeconds: 300 });

describe('roleTooShortMessage', () => {
  test('names the role, the max in seconds, the update-role command with the role name (no path), keep-alive', () => {
    const m = roleTooShortMessage(role, 7200, 10800, need5h);
    expect(m).toContain('arn:aws:iam::123456789012:role/ci/deploy');
    expect(m).toContain('2h (7200 s');
    expect(m).toContain('aws iam update-role --role-name deploy --max-session-duration 21600');
    expect(m).toContain("'keep-alive: true'");
    expect(m).toContain('5h expected-duration + 5m safety-margin = 5h5m');
    expect(m).not.toContain('IAM allows at most');
  });
  test('the one-input fixes come first, with values: expected-duration for what the role covers after the margin, then keep-alive, then IAM', () => {
    const m = roleTooShortMessage(role, 3600, 3601, need5h);
    const lines = m.split('\n');
    expect(lines[1]).toBe('Fix, one of:');
    expect(lines[2]).toBe("  - 'expected-duration: 55m' if the work fits in what it gives after the 5m 'safety-margin'");
    expect(lines[3]).toMatch(/^ {2}- 'keep-alive: true'/);
    expect(lines[4]).toMatch(/^ {2}- raise the role's maximum: aws iam update-role/);
  });
  test('no expected-duration fix when the margin eats the whole session', () => {
    const m = roleTooShortMessage(role, 900, 3600, needOf({ expectedDurationSeconds: 3600, safetyMarginSeconds: 900 }));
    expect(m).not.toContain("'expected-duration: ");
  });
  test('a gap between granted and refused is stated', () => {
    expect(roleTooShortMessage(role, 3600, 7200, need5h)).toContain('2h was refused');
  });
  test('an exact maximum does not mention a refusal', () => {
    expect(roleTooShortMessage(role, 3600, 3601, need5h)).not.toContain('refused');
  });
  test('a need over 12 h: the command asks for 43200 and says it is the IAM limit', () => {
    const m = roleTooShortMessage(role, 7200, 10800, needOf({ expectedDurationSeconds: 13 * 3600, safetyMarginSeconds: 0 }));
    expect(m).toContain('--max-session-duration 43200');
    expect(m).toContain('(IAM allows at most 43200 s, 12 h: only keep-alive covers more)');
  });
});

describe('other messages', () => {
  test('chainTooShortMessage', () => {
    const m = chainTooShortMessage(role, need5h);
    expect(m).toContain('The chained role arn:aws:iam::123456789012:role/ci/deploy');
    expect(m).toContain('1h (3600 s)');
    const lines = m.split('\n');
    expect(lines.slice(1, 3)).toEqual(['Fix, one of:', "  - 'expected-duration: 55m' if the work fits in what it gives after the 5m 'safety-margin'"]);
    expect(lines[3]).toMatch(/^ {2}- 'keep-alive: true'.*re-assumes the chain/);
    expect(lines[4]).toMatch(/^ {2}- assume .* directly through OIDC as 'role-to-assume'/);
  });
  test('beyondAnySessionMessage', () => {
    const m = beyondAnySessionMessage(needOf({ expectedDurationSeconds: 13 * 3600, safetyMarginSeconds: 300 }));
    expect(m).toContain('No single AWS session can last 13h5m');
    expect(m).toContain('12h (43200 s)');
    expect(m).toContain("'keep-alive: true'");
  });
  test('noRoleMessage for each state', () => {
    expect(noRoleMessage('unknown', need5h)).toMatch(/expiry is unknown.*'role-to-assume' and 'aws-region'.*'expiration'/s);
    // It says why the expiry is unknown, never a reason that may not hold (AWS_CREDENTIAL_EXPIRATION may be set, for other keys).
    expect(noRoleMessage('unknown', need5h, undefined, 'AWS_CREDENTIAL_EXPIRATION was not exported by this action with these keys')).toMatch(
      /^The current AWS session expiry is unknown \(AWS_CREDENTIAL_EXPIRATION was not exported by this action with these keys\), and the work needs 5h/,
    );
    expect(noRoleMessage('unknown', need5h)).not.toContain('is not set');
    expect(noRoleMessage('expired', need5h, -125)).toContain('expired 2m5s ago');
    expect(noRoleMessage('short', need5h, 600)).toContain('has 10m left');
    expect(noRoleMessage('short', need5h, 600)).not.toContain("'expiration'");
  });
  test('shortAfterRefreshMessage', () => {
    const m = shortAfterRefreshMessage(role, 3599, need5h);
    expect(m).toContain('a session with 59m59s left, but the work needs 5h5m');
    expect(m).toContain("'role-duration-seconds'");
  });
});
