/**
 * The server's real collaborators, on a fake process (an EventEmitter with
 * the IPC methods), so no listener is ever attached to the test's own process.
 */
import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipcChannel, minterFor, realServerDeps } from '../../src/keepalive/server-wiring.js';
import { runServer } from '../../src/keepalive/server-run.js';
import { readEventLog } from '../../src/keepalive/events.js';
import { pathsIn } from '../../src/keepalive/files.js';
import type { ServerConfig, ServerMessage } from '../../src/keepalive/protocol.js';
import { parseRoleArn, type RoleArn } from '../../src/model/arn.js';

/** What the server process sees of itself: IPC, signals, fatal events, exit. */
class FakeProcess extends EventEmitter {
  readonly pid = 31337;
  connected = true;
  exitCode: number | undefined;
  readonly exited: number[] = [];
  readonly sent: unknown[] = [];
  sendError: Error | null = null;
  disconnects = 0;
  send(message: unknown, _handle: unknown, _options: unknown, callback: (error: Error | null) => void): boolean {
    this.sent.push(message);
    setImmediate(() => callback(this.sendError));
    return true;
  }
  disconnect(): void {
    this.disconnects++;
    this.connected = false;
    this.emit('disconnect');
  }
  exit(code: number): void {
    this.exited.push(code);
  }
  asProcess(): NodeJS.Process {
    return this as unknown as NodeJS.Process;
  }
}

let temp: string;
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'server-process-'));
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
});

const config = (over: Partial<ServerConfig> = {}): ServerConfig => ({
  authToken: 'auth',
  controlToken: 'control',
  proofKey: 'proof-key',
  nonce: 'nonce-1',
  identity: 'identity',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
  roleSessionName: 's',
  region: 'eu-west-1',
  stsEndpoint: 'http://127.0.0.1:9',
  audience: 'sts.amazonaws.com',
  policyArns: [],
  sessionSeconds: 43200,
  retryMaxAttempts: 1,
  expectedUntil: 1,
  dir: temp,
  ...over,
});

describe('ipcChannel', () => {
  test('receive: the first message, when it is a configuration', async () => {
    const proc = new FakeProcess();
    const received = ipcChannel(proc.asProcess()).receive();
    proc.emit('message', config());
    await expect(received).resolves.toEqual(config());
  });

  test('receive: a malformed first message is refused', async () => {
    const proc = new FakeProcess();
    const received = ipcChannel(proc.asProcess()).receive();
    proc.emit('message', { hello: 'world' });
    await expect(received).rejects.toThrow('malformed start-up configuration');
  });

  test('receive: the main step goes away first', async () => {
    const proc = new FakeProcess();
    const received = ipcChannel(proc.asProcess()).receive();
    proc.emit('disconnect');
    await expect(received).rejects.toThrow('the main step went away before sending the configuration');
  });

  test('receive without an IPC channel (started by hand)', async () => {
    const proc = new FakeProcess();
    proc.connected = false;
    await expect(ipcChannel(proc.asProcess()).receive()).rejects.toThrow('no IPC channel: the server is started by the action, not by hand');
    const bare = new EventEmitter() as unknown as NodeJS.Process;
    await expect(ipcChannel(bare).receive()).rejects.toThrow(/no IPC channel/);
  });

  test('send: resolves once the message is written, rejects on a write error or a closed channel', async () => {
    const proc = new FakeProcess();
    const channel = ipcChannel(proc.asProcess());
    const ready: ServerMessage = { type: 'failed', nonce: 'n', error: 'e' };
    await expect(channel.send(ready)).resolves.toBeUndefined();
    expect(proc.sent).toEqual([ready]);
    proc.sendError = new Error('EPIPE');
    await expect(channel.send(ready)).rejects.toThrow('EPIPE');
    proc.connected = false;
    await expect(channel.send(ready)).rejects.toThrow('the IPC channel is closed');
  });

  test('onLost fires on disconnect; close disconnects once', () => {
    const proc = new FakeProcess();
    const channel = ipcChannel(proc.asProcess());
    let lost = 0;
    channel.onLost(() => void lost++);
    channel.close();
    channel.close();
    expect(proc.disconnects).toBe(1);
    expect(lost).toBe(1);
  });
});

describe('realServerDeps', () => {
  test('signals and fatal events come from the process; exit 70 ends it now, other codes only set the exit code', () => {
    const proc = new FakeProcess();
    const deps = realServerDeps(proc.asProcess());
    expect(deps.process.pid).toBe(31337);
    let terms = 0;
    deps.process.onSignal('SIGTERM', () => void terms++);
    proc.emit('SIGTERM');
    expect(terms).toBe(1);
    const fatal: Array<[string, unknown]> = [];
    deps.process.onFatal((kind, error) => void fatal.push([kind, error]));
    const boom = new Error('boom');
    proc.emit('uncaughtException', boom);
    proc.emit('unhandledRejection', 'nope');
    expect(fatal).toEqual([
      ['uncaughtException', boom],
      ['unhandledRejection', 'nope'],
    ]);
    deps.process.exit(2);
    expect(proc.exitCode).toBe(2);
    expect(proc.exited).toEqual([]);
    deps.process.exit(70);
    expect(proc.exitCode).toBe(70);
    expect(proc.exited).toEqual([70]);
  });

  test('the clock, timers and random are the real ones; the event log writes to the private folder', () => {
    const deps = realServerDeps(new FakeProcess().asProcess());
    expect(Math.abs(deps.clock() - Date.now())).toBeLessThan(1000);
    expect(deps.random()).toBeGreaterThanOrEqual(0);
    const path = pathsIn(temp).log;
    deps.eventLog(path).write({ type: 'unavailable', reason: 'r' });
    expect(readEventLog(path)).toEqual([expect.objectContaining({ type: 'unavailable', reason: 'r' })]);
  });

  test('runServer on the real collaborators: no OIDC permission in its env, so it answers failed over IPC, logs why, and lets go', async () => {
    const saved = { url: process.env['ACTIONS_ID_TOKEN_REQUEST_URL'], token: process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] };
    delete process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
    delete process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
    try {
      const proc = new FakeProcess();
      const run = runServer(realServerDeps(proc.asProcess()));
      proc.emit('message', config());
      await run;
      expect(proc.sent).toEqual([{ type: 'failed', nonce: 'nonce-1', error: expect.stringContaining('ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set') }]);
      expect(readEventLog(pathsIn(temp).log)).toEqual([expect.objectContaining({ type: 'unavailable' })]);
      expect(proc.connected).toBe(false);
      expect(proc.exited).toEqual([]);
    } finally {
      if (saved.url !== undefined) process.env['ACTIONS_ID_TOKEN_REQUEST_URL'] = saved.url;
      if (saved.token !== undefined) process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] = saved.token;
    }
  });
});

describe('minterFor', () => {
  test('mints through the SDK gateway for the config; an aborted signal ends it at once; close releases it', async () => {
    const events: string[] = [];
    const minting = minterFor(config(), (e) => void events.push(e.type));
    const controller = new AbortController();
    controller.abort();
    const role = parseRoleArn('arn:aws:iam::123456789012:role/deploy') as RoleArn;
    await expect(minting.mintLongest({ role, roleSessionName: 's', durationSeconds: 900 }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(() => minting.close()).not.toThrow();
  });
});
