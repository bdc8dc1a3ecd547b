/**
 * The credential_process entry point against a real credential server in
 * this process: the JSON the AWS CLI and SDKs expect, and errors on stderr
 * with exit code 1 and no secret in them.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import { runCredentialProcess, type ProcessIo } from '../../src/keepalive/credential-process.js';
import type { Availability } from '../../src/keepalive/refresher.js';

const TOKEN = 'credential-process-auth-token';
const PROOF = 'credential-process-proof-key';
const EXPIRES = Date.parse('2026-05-01T11:00:00Z');
let available: Availability = {
  ok: true,
  expiration: EXPIRES,
  credentials: { accessKeyId: 'ASIAPROCESS', secretAccessKey: 'process-secret', token: 'process-token', expiresAt: EXPIRES, expiration: EXPIRES, monoExpiresAt: EXPIRES, accountId: '123456789012', assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/r/s', lifetimeSeconds: 3600 },
};
let server: CredentialServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), `credential-process-${process.pid}-`));
  server = await startCredentialServer({
    authToken: TOKEN,
    controlToken: 'control',
    proofKey: PROOF,
    available: () => available,
    status: () => ({ pid: 1, nonce: 'n', identity: 'i', refreshes: 1, served: 0, refused: 0, expectedUntil: 0 }),
    expect: () => undefined,
    stop: () => undefined,
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function io(file: string | undefined) {
  const out = { stdout: '', stderr: '', code: 0 };
  const value: ProcessIo = {
    argv: ['node', 'credential-process', ...(file === undefined ? [] : [file])],
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    setExitCode: (c) => void (out.code = c),
  };
  return { out, value };
}

function fileWith(token: string): string {
  const file = join(dir, `${token.length}-${Math.random()}.json`);
  writeFileSync(file, JSON.stringify({ endpoint: `http://127.0.0.1:${server.port}/credentials`, token, proofKey: PROOF }), { mode: 0o600 });
  return file;
}

describe('credential_process', () => {
  test('prints Version 1 with the served session', async () => {
    const { out, value } = io(fileWith(TOKEN));
    await runCredentialProcess(value);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      Version: 1,
      AccessKeyId: 'ASIAPROCESS',
      SecretAccessKey: 'process-secret',
      SessionToken: 'process-token',
      Expiration: '2026-05-01T11:00:00Z',
    });
  });

  test('a wrong token: exit 1, the server\'s refusal on stderr, no secret printed', async () => {
    const { out, value } = io(fileWith('wrong-token'));
    await runCredentialProcess(value);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^aws-session-guard credential_process: the credential server answered HTTP 403 AccessDenied/);
    expect(out.stderr).not.toContain('wrong-token');
    expect(out.stderr).not.toContain(TOKEN);
  });

  test('a server that cannot serve: exit 1 with its reason', async () => {
    const before = available;
    available = { ok: false, reason: 'refreshing failed: Throttling' };
    try {
      const { out, value } = io(fileWith(TOKEN));
      await runCredentialProcess(value);
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/answered HTTP 5\d\d/);
    } finally {
      available = before;
    }
  });

  test('no file, or a file that names no server: exit 1', async () => {
    const none = io(undefined);
    await runCredentialProcess(none.value);
    expect(none.out.stderr).toMatch(/usage/);
    const missing = io(join(dir, 'missing.json'));
    await runCredentialProcess(missing.value);
    expect(missing.out.code).toBe(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"endpoint":1}');
    const wrong = io(bad);
    await runCredentialProcess(wrong.value);
    expect(wrong.out.stderr).toMatch(/does not name a credential server/);
  });

  test('a server that is gone: exit 1', async () => {
    const file = join(dir, 'gone.json');
    writeFileSync(file, JSON.stringify({ endpoint: 'http://127.0.0.1:9/credentials', token: TOKEN, proofKey: PROOF }));
    const { out, value } = io(file);
    await runCredentialProcess(value);
    expect(out.code).toBe(1);
    expect(out.stderr).not.toContain(TOKEN);
  });
});
