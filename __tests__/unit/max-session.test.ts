import { describe, test, expect } from '@jest/globals';
import { findMaxSession, type ProbeOutcome } from '../../src/sts/max-session.js';

/** A role with a maximum of `maxSeconds`: probes answer as STS would, minting a value tagged with the length. */
function role(maxSeconds: number) {
  const asked: number[] = [];
  const probe = async (seconds: number): Promise<ProbeOutcome<string>> => {
    asked.push(seconds);
    return seconds <= maxSeconds ? { ok: true, value: `session-${seconds}` } : { ok: false };
  };
  return { asked, probe };
}

const hours = (h: number) => h * 3600;

describe('findMaxSession over whole-hour maxima', () => {
  // The refused first request is one STS call; the search adds at most 4.
  const cases: Array<[number, number]> = [];
  for (const refused of [43200, hours(5), hours(8)]) {
    for (let maxH = 1; maxH <= 12; maxH++) if (hours(maxH) < refused) cases.push([maxH, refused]);
  }

  test.each(cases)('maximum %d h, refused %d s', async (maxH, refused) => {
    const { asked, probe } = role(hours(maxH));
    const found = await findMaxSession(refused, probe);
    expect(found.maxSeconds).toBe(hours(maxH));
    expect(found.value).toBe(`session-${hours(maxH)}`);
    expect(found.probes).toBe(asked.length);
    expect(found.probes).toBeLessThanOrEqual(4);
    expect(1 + asked.length).toBeLessThanOrEqual(5);
    // The real maximum lies in [maxSeconds, refusedSeconds): whole hours make it exact.
    expect(found.refusedSeconds).toBe(Math.min(refused, hours(maxH + 1)));
    // Every probe is a whole hour below the refusal, asked once.
    for (const s of asked) {
      expect(s % 3600).toBe(0);
      expect(s).toBeLessThan(refused);
    }
    expect(new Set(asked).size).toBe(asked.length);
  });

  test('a need of 13 h is asked as 43200 and searched the same way', async () => {
    const requested = Math.min(43200, hours(13));
    const { asked, probe } = role(hours(4));
    const found = await findMaxSession(requested, probe);
    expect(found.maxSeconds).toBe(hours(4));
    expect(asked.length).toBeLessThanOrEqual(4);
  });

  test('a refusal that is not a whole hour (5h30m) is searched below it', async () => {
    const { probe } = role(hours(5));
    const found = await findMaxSession(hours(5) + 1800, probe);
    expect(found.maxSeconds).toBe(hours(5));
    expect(found.refusedSeconds).toBe(hours(5) + 1800);
  });
});

describe('findMaxSession edge cases', () => {
  test('a non-whole-hour maximum (5400 s) reports 3600 granted and 7200 refused', async () => {
    const { asked, probe } = role(5400);
    const found = await findMaxSession(43200, probe);
    expect(found).toEqual({ maxSeconds: 3600, refusedSeconds: 7200, value: 'session-3600', probes: asked.length });
    expect(asked.length).toBeLessThanOrEqual(4);
    expect(asked[asked.length - 1]).toBe(3600);
  });

  // IAM takes any MaxSessionDuration from 3600 to 43200 s through its API, not only whole hours.
  const odd: Array<[number, number]> = [];
  for (const refused of [43200, hours(5), hours(8) + 900]) {
    for (let max = 3600 + 60; max < refused; max += 900 + 60) if (max % 3600 !== 0) odd.push([max, refused]);
  }
  test.each(odd)('a maximum of %d s (not a whole hour), refused %d s: the whole hour below, the length refused, 5 calls or fewer', async (max, refused) => {
    const { asked, probe } = role(max);
    const found = await findMaxSession(refused, probe);
    const hourBelow = Math.floor(max / 3600) * 3600;
    expect(found.maxSeconds).toBe(hourBelow);
    expect(found.value).toBe(`session-${hourBelow}`);
    // the refused length the report gives: the next whole hour (a real refusal), or the first request's length
    expect(found.refusedSeconds).toBe(Math.min(refused, hourBelow + 3600));
    expect(found.refusedSeconds).toBeGreaterThan(max);
    // the first, refused request plus the search
    expect(1 + asked.length).toBeLessThanOrEqual(5);
  });

  test('throws when even the 1 h floor is refused', async () => {
    const { asked, probe } = role(1800);
    await expect(findMaxSession(43200, probe)).rejects.toThrow(/refused even a 3600 s session/);
    expect(asked).toContain(3600);
  });

  test('a refusal of 2 h probes 1 h once', async () => {
    const { asked, probe } = role(3600);
    const found = await findMaxSession(7200, probe);
    expect(asked).toEqual([3600]);
    expect(found).toEqual({ maxSeconds: 3600, refusedSeconds: 7200, value: 'session-3600', probes: 1 });
  });

  test('a refusal at or below the floor searches quarter hours', async () => {
    const { asked, probe } = role(1800);
    const found = await findMaxSession(3600, probe);
    expect(found.maxSeconds).toBe(1800);
    for (const s of asked) expect(s % 900).toBe(0);
  });

  test('probe errors propagate', async () => {
    await expect(
      findMaxSession(43200, async () => {
        throw new Error('AccessDenied');
      }),
    ).rejects.toThrow('AccessDenied');
  });
});
