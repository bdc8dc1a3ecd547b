/**
 * The refresh is due by the wall clock. The bundled server (dist/server) runs
 * under libfaketime (Debian's libfaketime; .ci/run installs it), which moves
 * its wall clock while its monotonic timers run on: after a machine sleep or a
 * clock step past the due time, the next request starts the refresh at once,
 * without waiting for a timer that has not fired.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detachedLauncher, serverEnvironment } from '../../src/keepalive/launcher.js';
import type { ServerConfig } from '../../src/keepalive/protocol.js';
import { alive, ROLES, ROOT, startWorld, waitUntil, type World } from './world.js';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SERVER = join(ROOT, 'dist', 'server', 'index.js');

describe('the credential server and the wall clock (libfaketime)', () => {
  let world: World;
  let dir: string;
  let pid = 0;
  beforeAll(async () => {
    if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} is missing: apt-get install libfaketime (as .ci/run does).`);
    // A 1 h session lives 6 real minutes: its refresh is due 4 minutes in, far past this test's end by the monotonic clock.
    world = await startWorld({ sts: { credentialLifetime: (s) => s / 10 } });
    dir = mkdtempSync(join(tmpdir(), 'clock-'));
  });
  afterAll(async () => {
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a wall-clock jump past the due time: the next request starts the refresh at once', async () => {
    const stamp = join(dir, 'faketime');
    writeFileSync(stamp, '+0\n');
    const wrapper = join(dir, 'node-faketime');
    writeFileSync(
      wrapper,
      `#!/bin/sh\nexec env LD_PRELOAD=${LIBFAKETIME} FAKETIME_TIMESTAMP_FILE=${stamp} FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1 "${process.execPath}" "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const folder = join(dir, 'server');
    mkdirSync(folder, { mode: 0o700 });

    const authToken = randomBytes(32).toString('base64url');
    const config: ServerConfig = {
      authToken,
      controlToken: randomBytes(32).toString('base64url'),
      proofKey: randomBytes(32).toString('base64url'),
      nonce: randomBytes(16).toString('hex'),
      identity: 'clock-test',
      roleArn: ROLES.short,
      roleSessionName: 'clock-test',
      region: 'us-east-1',
      stsEndpoint: world.sts.endpoint,
      audience: 'sts.amazonaws.com',
      policyArns: [],
      retryMaxAttempts: 2,
      sessionSeconds: 3600,
      expectedUntil: Date.now() + 3600_000,
      dir: folder,
    };
    const launched = detachedLauncher(SERVER, wrapper)(serverEnvironment({ ...process.env, ...world.issuer.env() }));
    pid = launched.pid;
    launched.send(config);
    const ready = await launched.outcome;
    launched.release();
    expect(ready).toMatchObject({ type: 'ready', nonce: config.nonce });
    if (ready.type !== 'ready') return;
    const url = `http://127.0.0.1:${ready.port}/credentials`;
    const fetchKeys = async () => {
      const r = await fetch(url, { headers: { Authorization: authToken } });
      return { status: r.status, body: (await r.json()) as { AccessKeyId?: string; Expiration?: string } };
    };

    const first = await fetchKeys();
    expect(first.status).toBe(200);
    const mints = () => world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length;
    expect(mints()).toBe(1);
    // Nothing is due yet: requests for a while start no refresh.
    await new Promise((r) => setTimeout(r, 500));
    expect((await fetchKeys()).body.AccessKeyId).toBe(first.body.AccessKeyId);
    expect(mints()).toBe(1);

    // The machine "sleeps" 5 minutes: the wall clock jumps, the monotonic clock does not.
    writeFileSync(stamp, '+5m\n');
    await fetchKeys(); // still valid for a minute: served, and the due refresh starts now
    expect(await waitUntil(() => mints() === 2, 3000)).toBe(true);
    const after = await fetchKeys();
    expect(after.status).toBe(200);
    expect(after.body.AccessKeyId).not.toBe(first.body.AccessKeyId);
    // The Expiration served is STS's (to the second), never one on the jumped clock (issue 20, finding 2: that was 5 min late).
    const real = world.sts.sessionFor(after.body.AccessKeyId ?? '')?.expiresAt ?? 0;
    expect(Date.parse(after.body.Expiration ?? '')).toBeLessThanOrEqual(real);
    expect(Date.parse(after.body.Expiration ?? '')).toBeGreaterThan(real - 1000);

    process.kill(pid, 'SIGTERM');
    expect(await waitUntil(() => !alive(pid), 5000)).toBe(true);
  });
});
