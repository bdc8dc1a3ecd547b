/**
 * keepalive/plan.ts: keep-alive's plan from the settings, the env and the
 * time alone (no toolkit, no network, no file).
 */
import { describe, test, expect } from '@jest/globals';
import { planHealth, planKeepAlive, serverConfigOf } from '../../src/keepalive/plan.js';
import { MISSING_PERMISSION_MESSAGE } from '../../src/oidc/token.js';
import type { SettingsEnv } from '../../src/settings/settings.js';
import { makeJwt, ROLE_ARN, settingsFrom } from './fakes.js';

const NOW = Date.parse('2026-05-01T10:00:00Z');
const HOUR = 3600_000;
const tokenUntil = (ms: number) => makeJwt({ exp: Math.floor(ms / 1000) });
const oidcEnv = (token: string): SettingsEnv & Record<string, string> => ({ ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/', ACTIONS_ID_TOKEN_REQUEST_TOKEN: token });
const inputs = (expected?: string) => ({
  'role-to-assume': ROLE_ARN,
  'aws-region': 'eu-west-1',
  'keep-alive': 'true',
  ...(expected !== undefined && { 'expected-duration': expected }),
});

describe('planKeepAlive', () => {
  test('a need the request token covers: no shortfall, the work expected until now + the need', () => {
    const env = oidcEnv(tokenUntil(NOW + 6 * HOUR));
    const plan = planKeepAlive(settingsFrom(inputs('2h'), env), env, NOW);
    expect(plan.tokenShort).toBeUndefined();
    expect(plan.tokenExpiryUnknown).toBe(false);
    expect(plan.target).toBe(ROLE_ARN);
    expect(plan.sourceEnd.until).toBe(NOW + 6 * HOUR);
    expect(plan.expectedUntil).toBe(NOW + (plan.need?.seconds ?? 0) * 1000);
    expect(plan.need?.seconds).toBeGreaterThanOrEqual(2 * 3600);
  });

  test('a need that outlasts the request token and its last session: the shortfall names the token and the fix', () => {
    const env = oidcEnv(tokenUntil(NOW + HOUR));
    const plan = planKeepAlive(settingsFrom(inputs('20h'), env), env, NOW);
    expect(plan.tokenShort).toMatch(/GitHub's OIDC request token for this job expires at 2026-05-01T11:00:00.000Z/);
    expect(plan.tokenShort).toMatch(/split the work across jobs/);
  });

  test('no stated need: nothing is checked for length, and the work is expected until now', () => {
    const env = oidcEnv(tokenUntil(NOW + HOUR));
    const plan = planKeepAlive(settingsFrom(inputs(), env), env, NOW);
    expect(plan.need).toBeUndefined();
    expect(plan.tokenShort).toBeUndefined();
    expect(plan.expectedUntil).toBe(NOW);
  });

  test('a request token that is not a JWT: its expiry is unknown', () => {
    const env = oidcEnv('not-a-jwt');
    const plan = planKeepAlive(settingsFrom(inputs('2h'), env), env, NOW);
    expect(plan.tokenExpiryUnknown).toBe(true);
    expect(plan.sourceEnd.until).toBeUndefined();
  });

  test('GitHub OIDC without the permission fails with the fix', () => {
    const settings = settingsFrom(inputs('2h'), oidcEnv(tokenUntil(NOW + HOUR)));
    expect(() => planKeepAlive(settings, {}, NOW)).toThrow(MISSING_PERMISSION_MESSAGE);
  });
});

describe('serverConfigOf and planHealth', () => {
  const env = oidcEnv(tokenUntil(NOW + 6 * HOUR));
  const settings = settingsFrom(inputs('2h'), env);
  const plan = planKeepAlive(settings, env, NOW);
  const parts = { authToken: 'a', controlToken: 'c', proofKey: 'p', nonce: 'n', source: { kind: 'github-oidc' } as const, dir: '/tmp/ka' };

  test('the config carries the plan: the role, the work, the token end; no source for OIDC, no link-local unless given', () => {
    const config = serverConfigOf(plan, settings, env, parts);
    expect(config).toMatchObject({ roleArn: ROLE_ARN, region: 'eu-west-1', identity: plan.identity, expectedUntil: plan.expectedUntil, sourceEndsAt: NOW + 6 * HOUR, dir: '/tmp/ka' });
    expect(config.sessionSeconds).toBeGreaterThan(0);
    expect(config).not.toHaveProperty('source');
    expect(config).not.toHaveProperty('linkLocal');
    expect(serverConfigOf(plan, settings, env, { ...parts, linkLocalPath: '/v2/credentials/x' }).linkLocal).toEqual({ host: '169.254.170.2', relativePath: '/v2/credentials/x' });
  });

  test("a server that covers the need is healthy; one whose cover ends before the need, short", () => {
    const base = { pid: 1, nonce: 'n', identity: plan.identity, refreshes: 1, served: 1, refused: 0, expectedUntil: plan.expectedUntil, remainingSeconds: 3000 };
    expect(planHealth(plan, { ...base, coverSeconds: 6 * 3600 }).kind).toBe('healthy');
    expect(planHealth(plan, { ...base, coverSeconds: 1800 }).kind).toBe('short');
  });
});
