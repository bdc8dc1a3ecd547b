import { afterEach, describe, expect, test } from '@jest/globals';
import { connect } from 'node:net';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import type { Listener, PeerGuard, PeerVerdict } from '../../src/keepalive/peer-guard.js';

const TOKEN = 'auth-token-for-the-guard-tests';
const CONTROL = 'control-token-for-the-guard-tests';

let server: CredentialServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(peers?: PeerGuard) {
  const refused: { listener: Listener; verdict: PeerVerdict }[] = [];
  const expected: number[] = [];
  server = await startCredentialServer(
    {
      authToken: TOKEN,
      controlToken: CONTROL,
      proofKey: 'proof-key-for-the-guards-test',
      available: () => {
        const end = Date.now() + 3_600_000;
        const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', token: 't', accountId: '123456789012', expiration: end, expiresAt: end, monoExpiresAt: end, assumedRoleArn: 'arn', lifetimeSeconds: 3600 };
        return { ok: true, credentials, expiration: end };
      },
      status: () => ({ pid: 1, nonce: 'n', identity: 'i', refreshes: 0, served: 0, refused: 0, expectedUntil: 0 }),
      expect: (until) => void expected.push(until),
      stop: () => undefined,
      peerRefused: (listener, verdict) => void refused.push({ listener, verdict }),
    },
    0,
    peers ? { peers } : {},
  );
  return { server, refused, expected };
}

/** Writes `head`, then reads until the socket closes or `until` matches what came back. */
function exchange(port: number, head: string, until: RegExp, then?: (text: string, write: (s: string) => void) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let answered = false;
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (then && !answered && /\r\n\r\n/.test(text)) {
        answered = true;
        then(text, (s) => socket.write(s));
      }
      if (until.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(head);
  });
}

describe('the peer guard comes before the token', () => {
  test('a refused peer gets 403 with the right token, the connection is closed, and the refusal is reported', async () => {
    const checks: Listener[] = [];
    const { server: s, refused } = await start({
      check: async (_peer, _local, listener) => (checks.push(listener), { allowed: false, uid: 1001, reason: 'its socket belongs to uid 1001' }),
    });
    const text = await exchange(s.port, `GET /credentials HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKEN}\r\n\r\n`, /\}$/);
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
    expect(text).not.toContain('ASIAEXAMPLE');
    expect(refused).toEqual([{ listener: 'loopback', verdict: { allowed: false, uid: 1001, reason: 'its socket belongs to uid 1001' } }]);
    expect(checks).toEqual(['loopback']);
  });

  test('an allowed peer is served; its user is looked up once per connection, not per request', async () => {
    let checks = 0;
    const { server: s } = await start({ check: async () => (checks++, { allowed: true, uid: 0 }) });
    const req = `GET /credentials HTTP/1.1\r\nHost: x\r\nAuthorization: ${TOKEN}\r\n\r\n`;
    const text = await exchange(s.port, req + req, /ASIAEXAMPLE[\s\S]*ASIAEXAMPLE/);
    expect(text.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
    expect(checks).toBe(1);
  });
});

describe('bodies', () => {
  test('Expect: 100-continue with a wrong token: 403 at once, no 100 Continue, connection closed', async () => {
    const { server: s } = await start();
    const text = await exchange(s.port, `POST /control/expect HTTP/1.1\r\nHost: x\r\nAuthorization: wrong\r\nExpect: 100-continue\r\nContent-Length: 104857600\r\n\r\n`, /\}$/);
    expect(text).not.toContain('100 Continue');
    expect(text).toMatch(/^HTTP\/1\.1 403 /);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
  });

  test('Expect: 100-continue with the control token: 100 Continue, then the body is read', async () => {
    const { server: s, expected } = await start();
    const body = JSON.stringify({ expectedUntil: 1234 });
    const text = await exchange(
      s.port,
      `POST /control/expect HTTP/1.1\r\nHost: x\r\nAuthorization: ${CONTROL}\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
      /HTTP\/1\.1 200 [\s\S]*\}$/,
      (_t, write) => write(body),
    );
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n/);
    expect(expected).toEqual([1234]);
  });

  test('a body over 4 KiB by Content-Length: 413 and the connection is closed, the body is not waited for', async () => {
    const { server: s } = await start();
    const text = await exchange(s.port, `POST /control/expect HTTP/1.1\r\nHost: x\r\nAuthorization: ${CONTROL}\r\nContent-Length: 104857600\r\n\r\n`, /\}$/);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toMatch(/\r\nConnection: close\r\n/i);
  });
});
