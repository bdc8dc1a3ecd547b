import { describe, test, expect } from '@jest/globals';
import { hhmmss, summaryLine } from '../../src/report/summary.js';
import { timelineMarkdown } from '../../src/keepalive/timeline.js';
import type { ServerEvent } from '../../src/keepalive/events.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');

describe('summaryLine', () => {
  test('remaining, need and outcome', () => {
    expect(summaryLine({ at: new Date(T0 + 5000), remainingSeconds: 7200, needSeconds: 3900, outcome: 'Healthy: kept the current session.' })).toBe(
      '- **aws-session-guard** 10:00:05Z: remaining 2h, need 1h5m. Healthy: kept the current session.\n',
    );
  });
  test('unknown remaining', () => {
    expect(summaryLine({ at: new Date(T0), needSeconds: 60, outcome: 'x' })).toContain('remaining unknown, need 1m.');
    expect(summaryLine({ at: new Date(T0), remainingSeconds: undefined, needSeconds: 60, outcome: 'x' })).toContain('remaining unknown');
  });
  test('negative remaining (expired) is shown with a sign', () => {
    expect(summaryLine({ at: new Date(T0), remainingSeconds: -90, needSeconds: 60, outcome: 'x' })).toContain('remaining -1m30s');
  });
  test('hhmmss', () => {
    expect(hhmmss(new Date('2026-05-01T23:59:07.999Z'))).toBe('23:59:07Z');
  });
});

describe('timelineMarkdown', () => {
  const events: ServerEvent[] = [
    { t: T0, type: 'started', pid: 321, endpoint: 'http://127.0.0.1:5000/credentials' },
    { t: T0 + 1000, type: 'max-session', maxSeconds: 7200, refusedSeconds: 10800 },
    { t: T0 + 2000, type: 'refreshed', expiration: '2026-05-01T12:00:02.000Z', sessionSeconds: 7200, latencyMs: 120, stsCalls: 3, served: 0 },
    { t: T0 + 3000, type: 'expected-until', expectedUntil: T0 + 5 * 3600_000 },
    { t: T0 + 6000_000, type: 'retry', code: 'Throttling', attempt: 1, delayMs: 250 },
    { t: T0 + 6001_000, type: 'refresh-failed', code: 'Throttling', message: 'Throttling: Rate exceeded', nextTryMs: 1500, served: 40 },
    { t: T0 + 6002_000, type: 'refresh-failed', code: 'AccessDenied', message: 'AccessDenied: Not authorized', permanent: true, nextTryMs: 300_000, served: 40 },
    { t: T0 + 6010_000, type: 'refreshed', expiration: '2026-05-01T13:40:10.000Z', sessionSeconds: 7200, latencyMs: 95, stsCalls: 5, served: 41 },
    { t: T0 + 6500_000, type: 'crashed', reason: 'uncaughtException: TypeError: boom' },
    { t: T0 + 7000_000, type: 'unavailable', reason: 'the OIDC request token has expired and the last session is over' },
    { t: T0 + 7200_000, type: 'stopped', reason: 'post step', served: 57, refused: 2 },
  ];
  const md = timelineMarkdown(events);
  const lines = md.split('\n');

  test('heading, totals and table header', () => {
    expect(lines[0]).toBe('### aws-session-guard keep-alive timeline');
    expect(md).toContain('2 session(s) minted, 2 failed refresh(es), 1 STS retry, 57 credential request(s) served, 2 refused.');
    expect(md).toContain('| time | event | new expiry | STS latency |\n| --- | --- | --- | --- |');
  });

  test('one row per event, in order', () => {
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| time') && !l.startsWith('| ---'));
    expect(rows).toEqual([
      '| 10:00:00Z | server started (pid 321) | | |',
      '| 10:00:01Z | role maximum found: 2h (10800 s refused) | | |',
      '| 10:00:02Z | first session (2h) | 2026-05-01T12:00:02.000Z | 120 ms |',
      '| 10:00:03Z | a later step expects work until 2026-05-01T15:00:00.000Z | | |',
      '| 11:40:00Z | STS retry 1 after Throttling (waiting 250 ms) | | |',
      '| 11:40:01Z | refresh failed: Throttling; kept serving the old session while valid, next try in 2s | | |',
      '| 11:40:02Z | refresh failed (permanent): AccessDenied; kept serving the old session while valid, next try in 5m | | |',
      '| 11:40:10Z | refreshed (2h) | 2026-05-01T13:40:10.000Z | 95 ms |',
      '| 11:48:20Z | **crashed**: uncaughtException: TypeError: boom | | |',
      '| 11:56:40Z | unavailable: the OIDC request token has expired and the last session is over | | |',
      '| 12:00:00Z | stopped (post step) | | |',
    ]);
  });

  test('no events: zero totals, empty table', () => {
    const empty = timelineMarkdown([]);
    expect(empty).toContain('0 session(s) minted, 0 failed refresh(es), 0 STS retries, 0 credential request(s) served, 0 refused.');
    expect(empty.trimEnd().endsWith('| --- | --- | --- | --- |')).toBe(true);
  });

  test('served is the largest count seen even without a stop event', () => {
    const md2 = timelineMarkdown([
      { t: T0, type: 'refreshed', expiration: 'e', sessionSeconds: 60, latencyMs: 1, stsCalls: 1, served: 9 },
      { t: T0, type: 'refresh-failed', code: 'X', message: 'm', nextTryMs: 50, served: 12 },
    ]);
    expect(md2).toContain('12 credential request(s) served');
    expect(md2).toContain('0 STS retries');
  });
});
