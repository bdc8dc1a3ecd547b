/** How a server ended, from its own events in a log two servers may share. */
import { describe, expect, test } from '@jest/globals';
import type { ServerEvent } from '../../src/keepalive/events.js';
import { endOf, wasAskedToStop } from '../../src/keepalive/fate.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const started = (pid: number, t: number): ServerEvent => ({ t, type: 'started', pid, endpoint: 'http://127.0.0.1:1/credentials' });
const refreshed = (t: number, pid?: number): ServerEvent =>
  ({ t, type: 'refreshed', expiration: '2026-05-01T11:00:00Z', sessionSeconds: 3600, latencyMs: 1, stsCalls: 1, served: 0, ...(pid !== undefined && { pid }) }) as ServerEvent;
const stopped = (t: number, reason: string, pid?: number): ServerEvent =>
  ({ t, type: 'stopped', reason, served: 0, refused: 0, ...(pid !== undefined && { pid }) }) as ServerEvent;

describe('endOf', () => {
  test('stamped lines: the old server stopped after the new one started is told apart from it', () => {
    const log = [started(1, T0), refreshed(T0 + 1, 1), started(2, T0 + 2), refreshed(T0 + 3, 2), stopped(T0 + 4, 'stopped by the post step', 1)];
    expect(endOf(log, 1)).toEqual({ kind: 'stopped', t: T0 + 4, reason: 'stopped by the post step' });
    expect(wasAskedToStop(endOf(log, 1))).toBe(true);
    expect(endOf(log, 2)).toEqual({ kind: 'killed' });
  });

  test('a server killed, then another started: the first was killed, whatever the second logs', () => {
    const log = [started(1, T0), refreshed(T0 + 1, 1), started(2, T0 + 2), stopped(T0 + 4, 'stopped by the post step', 2)];
    expect(endOf(log, 1)).toEqual({ kind: 'killed' });
  });

  test('an unstamped (older) log: lines belong to the last server started before them', () => {
    const log = [started(1, T0), refreshed(T0 + 1), stopped(T0 + 2, 'SIGTERM'), started(2, T0 + 3), refreshed(T0 + 4)];
    expect(endOf(log, 1)).toEqual({ kind: 'stopped', t: T0 + 2, reason: 'SIGTERM' });
    expect(endOf(log, 2)).toEqual({ kind: 'killed' });
  });

  test('a server that stopped for its own reason was not asked to; one with no line at all is unknown', () => {
    const own = endOf([started(1, T0), stopped(T0 + 1, 'the OIDC request token expired and the last session ended', 1)], 1);
    expect(own.kind).toBe('stopped');
    expect(wasAskedToStop(own)).toBe(false);
    expect(endOf([started(2, T0)], 1)).toEqual({ kind: 'unknown' });
  });
});
