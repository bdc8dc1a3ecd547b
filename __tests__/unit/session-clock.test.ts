import { describe, expect, test } from '@jest/globals';
import { monoReceivedAt, remainingMs, servedExpiration, SIGNING_SKEW_LIMIT_MS, type SessionEnd } from '../../src/keepalive/session-clock.js';

const E = Date.parse('2026-05-01T11:00:00Z');
// Received at 10:00:00 on a right wall clock, at 5000 ms on the monotonic clock: one hour.
const end: SessionEnd = { expiration: E, expiresAt: E, monoExpiresAt: 5000 + 3600_000 };
const H = 3600_000;

describe('what is left of a session: the sooner of the monotonic and the wall-clock countdown', () => {
  test('both clocks agree: the time to STS\'s Expiration', () => {
    expect(remainingMs(end, { wall: E - 600_000, mono: 5000 + 3000_000 })).toBe(600_000);
  });
  test('the wall clock stepped back 2 h: the monotonic countdown still ends it on time', () => {
    expect(remainingMs(end, { wall: E - 600_000 - 2 * H, mono: 5000 + 3000_000 })).toBe(600_000);
    expect(remainingMs(end, { wall: E - 2 * H, mono: 5000 + 3600_000 })).toBe(0);
  });
  test('the machine slept (the monotonic clock stood still, the wall clock ran on): the wall clock ends it', () => {
    expect(remainingMs(end, { wall: E + 60_000, mono: 5000 + 1000 })).toBe(-60_000);
  });
});

describe('the Expiration served', () => {
  const at = (wallOffset: number, leftMs: number) => ({ wall: E - leftMs + wallOffset, mono: 5000 + 3600_000 - leftMs });
  test('a right clock: STS\'s Expiration', () => {
    expect(servedExpiration(end, at(0, 600_000))).toBe(E);
  });
  test('never later than STS\'s, after a step forward of 2 h (and what is left counts down by the sooner clock)', () => {
    expect(servedExpiration(end, at(2 * H, 600_000))).toBeLessThanOrEqual(E);
    const fresh: SessionEnd = { expiration: E, expiresAt: E + 2 * H, monoExpiresAt: end.monoExpiresAt };
    expect(servedExpiration(fresh, at(2 * H, 600_000))).toBe(E);
  });
  test('a wall clock behind by less than signing allows: on this clock, so clients on it refresh on time', () => {
    expect(servedExpiration(end, at(-10 * 60_000, 600_000))).toBe(E - 10 * 60_000);
  });
  test('a wall clock behind by more (2 h): STS\'s, for the clients that can still sign', () => {
    expect(servedExpiration(end, at(-2 * H, 600_000))).toBe(E);
    expect(servedExpiration(end, at(-SIGNING_SKEW_LIMIT_MS - 1, 600_000))).toBe(E);
  });
});

describe('the monotonic moment of receipt', () => {
  test('the wall stamp moved onto the monotonic clock', () => {
    expect(monoReceivedAt(1000_000, 100, { wall: 1000_050, mono: 400 })).toBe(350);
  });
  test('kept between the start of the mint and now, whatever the wall clock did', () => {
    expect(monoReceivedAt(1000_000 + 2 * H, 100, { wall: 1000_050, mono: 400 })).toBe(400);
    expect(monoReceivedAt(1000_000 - 2 * H, 100, { wall: 1000_050, mono: 400 })).toBe(100);
  });
});
