/** The session marker, the identity key and the fingerprint they are built on. */
import { describe, test, expect } from '@jest/globals';
import { markerMatches, markerValue, parseMarker } from '../../src/model/marker.js';
import { identityKey, targetRoleArn } from '../../src/settings/identity.js';
import { readSettings } from '../../src/settings/settings.js';
import { fingerprint } from '../../src/util/hash.js';
import { ROLE_ARN, settingsFor } from './fakes.js';

describe('fingerprint (FNV-1a 64)', () => {
  test.each([
    // Reference values of 64-bit FNV-1a.
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('%j → %s', (text, hash) => {
    expect(fingerprint(text)).toBe(hash);
  });
  test('the same as FNV-1a 64 in BigInt arithmetic, for any UTF-16 text (random, seeded)', () => {
    const reference = (text: string): string => {
      let h = 0xcbf29ce484222325n;
      for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
      return h.toString(16).padStart(16, '0');
    };
    let seed = 42;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let k = 0; k < 300; k++) {
      const text = Array.from({ length: next(200) }, () => String.fromCharCode(next(4) === 0 ? next(0x10000) : next(128))).join('');
      expect(fingerprint(text)).toBe(reference(text));
    }
  });
  test('always 16 hex digits; one changed character changes it', () => {
    expect(fingerprint('ASIAKEY1')).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('ASIAKEY1')).not.toBe(fingerprint('ASIAKEY2'));
  });
});

describe('session marker', () => {
  test('v1:<fingerprint of the key id>:<identity>, no key in it', () => {
    const value = markerValue('ASIAEXAMPLEKEY', { identity: 'abc123' });
    expect(value).toBe(`v1:${fingerprint('ASIAEXAMPLEKEY')}:abc123`);
    expect(value).not.toContain('ASIAEXAMPLEKEY');
    expect(parseMarker(value)).toEqual({ keys: fingerprint('ASIAEXAMPLEKEY'), identity: 'abc123' });
  });

  test('v1:<keys>:<identity>:<step> when the healthy shortcut may trust the minting step', () => {
    const value = markerValue('ASIAEXAMPLEKEY', { identity: 'abc123', step: '0123456789abcdef' });
    expect(value).toBe(`v1:${fingerprint('ASIAEXAMPLEKEY')}:abc123:0123456789abcdef`);
    expect(parseMarker(value)).toEqual({ keys: fingerprint('ASIAEXAMPLEKEY'), identity: 'abc123', step: '0123456789abcdef' });
    expect(parseMarker(markerValue('ASIAEXAMPLEKEY', { identity: 'abc123' }))).not.toHaveProperty('step');
  });

  test.each([undefined, '', 'v1', 'v1::abc', 'v1:abc:', 'v2:abc:def', 'v1:a:b:', 'v1:a:b:c:d', 'garbage'])('%j does not parse', (value) => {
    expect(parseMarker(value)).toBeUndefined();
  });

  test('matches only the keys it was exported with', () => {
    const marker = parseMarker(markerValue('ASIAKEY1', { identity: 'id' }));
    expect(markerMatches(marker, 'ASIAKEY1')).toBe(true);
    expect(markerMatches(marker, 'ASIAKEY2')).toBe(false);
    expect(markerMatches(marker, undefined)).toBe(false);
    expect(markerMatches(marker, '')).toBe(false);
    expect(markerMatches(undefined, 'ASIAKEY1')).toBe(false);
  });
});

describe('identityKey', () => {
  const settingsOf = settingsFor({ env: { GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' }, base: { 'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1' } });

  test('the same configuration: the same key, whatever the work length or failure mode', () => {
    expect(identityKey(settingsOf())).toBe(identityKey(settingsOf()));
    expect(identityKey(settingsOf({ 'expected-duration': '5h', 'safety-margin': '1m', 'fail-on-short-session': 'false', 'keep-alive': 'true' }))).toBe(
      identityKey(settingsOf()),
    );
    expect(identityKey(settingsOf())).toMatch(/^[0-9a-f]{16}$/);
  });

  test.each([
    ['role', { 'role-to-assume': 'arn:aws:iam::123456789012:role/other' }],
    ['account', { 'role-to-assume': 'arn:aws:iam::210987654321:role/deploy' }],
    ['chained role', { 'chained-role-to-assume': 'arn:aws:iam::210987654321:role/target' }],
    ['region', { 'aws-region': 'us-east-1' }],
    ['audience', { audience: 'other-audience' }],
    ['STS endpoint', { 'sts-endpoint': 'https://sts.eu-west-1.amazonaws.com' }],
    ['session name', { 'role-session-name': 'other-name' }],
    ['inline session policy', { 'inline-session-policy': '{"Version":"2012-10-17","Statement":[]}' }],
    ['managed session policies', { 'managed-session-policies': 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  ])('another %s: another key', (_label, inputs) => {
    expect(identityKey(settingsOf(inputs))).not.toBe(identityKey(settingsOf()));
  });

  test('targetRoleArn: the chained role when there is one', () => {
    expect(targetRoleArn(settingsOf())).toBe(ROLE_ARN);
    expect(targetRoleArn(settingsOf({ 'chained-role-to-assume': 'arn:aws:iam::210987654321:role/target' }))).toBe('arn:aws:iam::210987654321:role/target');
    expect(targetRoleArn(readSettings(() => '', {}))).toBeUndefined();
  });
});
