import { describe, test, expect } from '@jest/globals';
import { failureMessage, runMain } from '../../src/guard/run.js';
import { FakeToolkit } from './fakes.js';

describe('runMain', () => {
  test('bad inputs: the step fails with every problem, before anything else', async () => {
    const toolkit = new FakeToolkit();
    toolkit.inputs['retry-max-attempts'] = '0';
    toolkit.inputs['expected-duration'] = 'soon';
    await runMain(toolkit, {});
    expect(toolkit.failed).toMatch(/^2 invalid inputs:/);
    expect(toolkit.failed).toContain("'retry-max-attempts'");
    expect(toolkit.failed).toContain("'expected-duration'");
    expect(toolkit.outputs).toEqual({});
  });

  test('a healthy session: outputs, no failure', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, { AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 5 * 3600_000).toISOString() });
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs['refreshed']).toBe('false');
  });

  test('unknown expiry and no role: the step fails with the shortfall message', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, {});
    expect(toolkit.failed).toContain("'role-to-assume'");
  });

  test('a container URI that is not ours falls through to the guard', async () => {
    const toolkit = new FakeToolkit();
    await runMain(toolkit, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
      AWS_CREDENTIAL_EXPIRATION: new Date(Date.now() + 5 * 3600_000).toISOString(),
    });
    expect(toolkit.failed).toBeUndefined();
    expect(toolkit.outputs['refreshed']).toBe('false');
  });
});

describe('failureMessage', () => {
  test('Error message or string form', () => {
    expect(failureMessage(new Error('boom'))).toBe('boom');
    expect(failureMessage('text')).toBe('text');
    expect(failureMessage(42)).toBe('42');
  });
});
