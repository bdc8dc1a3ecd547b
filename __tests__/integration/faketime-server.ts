/**
 * The bundled credential server (dist/server) started on its own under
 * libfaketime, whose wall clock a test steps by writing a file while the
 * server runs (its monotonic clock is left alone: DONT_FAKE_MONOTONIC=1, as a
 * real clock step leaves it). Clients run on the real clock.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detachedLauncher, serverEnvironment } from '../../src/keepalive/launcher.js';
import type { ServerConfig } from '../../src/keepalive/protocol.js';
import { ROLES, ROOT, type World } from './world.js';

export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
const SERVER = join(ROOT, 'dist', 'server', 'index.js');

export interface FaketimeServer {
  readonly pid: number;
  readonly url: string;
  readonly authToken: string;
  /** Moves the server's wall clock to real time plus `offset` ('+0', '-2h', '+2h'). */
  step(offset: string): void;
}

export async function startFaketimeServer(world: World, dir: string, name: string): Promise<FaketimeServer> {
  if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} is missing: apt-get install libfaketime (as .ci/run does).`);
  const stamp = join(dir, `${name}.faketime`);
  writeFileSync(stamp, '+0\n');
  const wrapper = join(dir, `${name}.node-faketime`);
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec env LD_PRELOAD=${LIBFAKETIME} FAKETIME_TIMESTAMP_FILE=${stamp} FAKETIME_NO_CACHE=1 DONT_FAKE_MONOTONIC=1 "${process.execPath}" "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const folder = join(dir, name);
  mkdirSync(folder, { mode: 0o700 });
  const authToken = randomBytes(32).toString('base64url');
  const config: ServerConfig = {
    authToken,
    controlToken: randomBytes(32).toString('base64url'),
    proofKey: randomBytes(32).toString('base64url'),
    nonce: randomBytes(16).toString('hex'),
    identity: name,
    roleArn: ROLES.short,
    roleSessionName: name,
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
  launched.send(config);
  const ready = await launched.outcome;
  launched.release();
  if (ready.type !== 'ready') throw new Error(`the server did not start: ${JSON.stringify(ready)}`);
  return {
    pid: launched.pid,
    url: `http://127.0.0.1:${ready.port}/credentials`,
    authToken,
    step: (offset) => writeFileSync(stamp, `${offset}\n`),
  };
}
