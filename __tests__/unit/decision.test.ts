/**
 * The one decision (lifetime/decision.ts): keep the session in place, mint,
 * leave it to the running keep-alive server, or report a shortfall. Each row
 * is a set of facts and the one answer every path must render.
 */
import { describe, expect, test } from '@jest/globals';
import { covers, decide, type Decision, type Facts } from '../../src/lifetime/decision.js';
import { needOf } from '../../src/lifetime/policy.js';

const need1h5m = needOf({ expectedDurationSeconds: 3600, safetyMarginSeconds: 300 });
const known = (remainingSeconds: number) => ({ kind: 'known', remainingSeconds }) as const;
const unknown = { kind: 'unknown' } as const;

describe('covers: one comparison, to the STS clock\'s second', () => {
  test.each([
    [3900, 3900, true],
    [3899, 3900, true], // within the 1 s resolution of STS's Date header and Expiration
    [3898, 3900, false],
    [7200, 3900, true],
    [0, 1, false], // an expired session covers nothing, whatever the need
    [-10, 0, false],
    [1, 0, true],
  ])('%d s left for %d s of work: %s', (left, need, expected) => {
    expect(covers(left, need)).toBe(expected);
  });
});

describe('decide', () => {
  const rows: Array<[string, Facts, Decision]> = [
    // No stated need: what configure-aws-credentials does.
    ['no need, a role: mint, whatever is in place', { need: undefined, session: known(40000), canMint: true }, { kind: 'mint' }],
    ['no need, a role, nothing known: mint', { need: undefined, session: unknown, canMint: true }, { kind: 'mint' }],
    ['no need, no role, time left: keep', { need: undefined, session: known(120), canMint: false }, { kind: 'keep', remainingSeconds: 120 }],
    ['no need, no role, expiry unknown: keep, unchecked', { need: undefined, session: unknown, canMint: false }, { kind: 'keep' }],
    ['no need, no role, expired: shortfall', { need: undefined, session: known(-10), canMint: false }, { kind: 'shortfall', state: 'expired', remainingSeconds: -10 }],
    // A stated need.
    ['need, enough left: keep', { need: need1h5m, session: known(3900), canMint: true }, { kind: 'keep', remainingSeconds: 3900 }],
    ['need, too little left, a role: mint', { need: need1h5m, session: known(3000), canMint: true }, { kind: 'mint' }],
    ['need, expired, a role: mint', { need: need1h5m, session: known(-10), canMint: true }, { kind: 'mint' }],
    ['need, unknown, a role: mint', { need: need1h5m, session: unknown, canMint: true }, { kind: 'mint' }],
    ['need, too little left, no role: short', { need: need1h5m, session: known(3000), canMint: false }, { kind: 'shortfall', state: 'short', remainingSeconds: 3000 }],
    ['need, expired, no role: expired', { need: need1h5m, session: known(0), canMint: false }, { kind: 'shortfall', state: 'expired', remainingSeconds: 0 }],
    ['need, unknown, no role: unknown', { need: need1h5m, session: unknown, canMint: false }, { kind: 'shortfall', state: 'unknown' }],
    // A running keep-alive server of this identity.
    ['server, no need: the server', { need: undefined, session: unknown, canMint: false, server: { remainingSeconds: 1800 } }, { kind: 'server', remainingSeconds: 1800 }],
    ['server, need within its cover', { need: need1h5m, session: unknown, canMint: false, server: { remainingSeconds: 1800, coverSeconds: 20000 } }, { kind: 'server', remainingSeconds: 1800 }],
    ['server, need past its cover: shortfall', { need: need1h5m, session: unknown, canMint: false, server: { remainingSeconds: 1800, coverSeconds: 1800 } }, { kind: 'shortfall', state: 'cover', remainingSeconds: 1800 }],
    ['server whose session ran out, no role: expired, never healthy', { need: undefined, session: unknown, canMint: false, server: { remainingSeconds: -10 } }, { kind: 'shortfall', state: 'expired', remainingSeconds: -10 }],
    ['server whose session ran out, a role: mint', { need: need1h5m, session: unknown, canMint: true, server: { remainingSeconds: 0, coverSeconds: 20000 } }, { kind: 'mint' }],
  ];
  test.each(rows)('%s', (_name, facts, expected) => {
    expect(decide(facts)).toEqual(expected);
  });
});
