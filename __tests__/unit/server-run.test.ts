/**
 * runServer in-process: a fake IPC channel, a wall clock the test moves and
 * timers on a monotonic clock of their own, a fake minter, an in-memory event
 * log, a fake process (signals, fatal errors, exit), and the REAL credential
 * server on 127.0.0.1:0.
 */
import { describe, test, expect, afterEach } from '@jest/globals';
import { startCredentialServer, type CredentialServer, type CredentialServerHandlers, type ServerStatus } from '../../src/keepalive/credential-server.js';
import { reasonOf, runServer, type Minting, type ParentChannel, type ServerDeps, type ServerProcessControl } from '../../src/keepalive/server-run.js';
import type { ServerConfig, ServerMessage } from '../../src/keepalive/protocol.js';
import { keepAliveCoverUntil, refreshLeadSeconds, refreshTickMs } from '../../src/lifetime/keep-alive-policy.js';
import { MintError, type LongestSession, type MintEvent, type MintPlan } from '../../src/sts/minter.js';
import { AbortError } from '../../src/util/abort.js';
import { FakeClock, FakeLog, MonotonicScheduler, settle } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const AUTH = 'auth-token-for-server-main-tests-0123456789abcdef';
const CONTROL = 'control-token-for-server-main-tests-0123456789ab';

const baseConfig = (over: Partial<ServerConfig> = {}): ServerConfig => ({
  authToken: AUTH,
  controlToken: CONTROL,
  proofKey: 'proof-key',
  nonce: 'nonce-abc',
  identity: 'identity-xyz',
  roleArn: ROLE,
  roleSessionName: 'GitHubActions-1',
  region: 'eu-west-1',
  audience: 'sts.amazonaws.com',
  policyArns: [],
  sessionSeconds: 43200,
  retryMaxAttempts: 3,
  expectedUntil: T0 + 3900_000,
  sourceEndsAt: T0 + 6 * 3600_000,
  dir: '/runner/_temp/aws-session-guard',
  ...over,
});

class FakeChannel implements ParentChannel {
  readonly sent: ServerMessage[] = [];
  /** send / close, in order. */
  readonly events: string[] = [];
  closed = false;
  private lostListeners: Array<() => void> = [];
  private deliver: (c: ServerConfig) => void = () => undefined;
  private refuse: (e: Error) => void = () => undefined;
  private readonly received = new Promise<ServerConfig>((resolve, reject) => {
    this.deliver = resolve;
    this.refuse = reject;
  });
  receive(): Promise<ServerConfig> {
    return this.received;
  }
  async send(message: ServerMessage): Promise<void> {
    this.events.push(`send:${message.type}`);
    this.sent.push(message);
  }
  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }
  /** As a real IPC channel: closing it from this side fires 'disconnect' here too. */
  close(): void {
    if (this.closed) return;
    this.events.push('close');
    this.closed = true;
    this.lose();
  }
  give(config: unknown): void {
    this.deliver(config as ServerConfig);
  }
  goAway(): void {
    this.refuse(new Error('the main step went away before sending the configuration'));
  }
  /** The main step dies (a step timeout kills it). */
  lose(): void {
    for (const l of this.lostListeners) l();
  }
}

class FakeProcess implements ServerProcessControl {
  readonly pid = 4242;
  readonly exits: number[] = [];
  private readonly signalListeners = new Map<string, Array<() => void>>();
  private fatalListeners: Array<(kind: 'uncaughtException' | 'unhandledRejection', error: unknown) => void> = [];
  onSignal(signal: NodeJS.Signals, listener: () => void): void {
    this.signalListeners.set(signal, [...(this.signalListeners.get(signal) ?? []), listener]);
  }
  onFatal(listener: (kind: 'uncaughtException' | 'unhandledRejection', error: unknown) => void): void {
    this.fatalListeners.push(listener);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  kill(signal: NodeJS.Signals): void {
    for (const l of this.signalListeners.get(signal) ?? []) l();
  }
  crash(kind: 'uncaughtException' | 'unhandledRejection', error: unknown): void {
    for (const l of this.fatalListeners) l(kind, error);
  }
  handles(signal: NodeJS.Signals): boolean {
    return (this.signalListeners.get(signal)?.length ?? 0) > 0;
  }
}

let keyN = 0;
/** Mints like STS: min(asked, `grantSeconds`) on a whole-second clock. `hold()` parks the next mint until released or aborted. */
class FakeMinting implements Minting {
  readonly plans: MintPlan[] = [];
  readonly signals: AbortSignal[] = [];
  readonly failures: Error[] = [];
  readonly minted: LongestSession[] = [];
  closed = 0;
  grantSeconds = 43200;
  onEvent: (e: MintEvent) => void = () => undefined;
  private gate: Promise<void> | undefined;
  constructor(private readonly clock: FakeClock) {}
  hold(): () => void {
    let release = () => undefined as void;
    this.gate = new Promise<void>((r) => (release = r));
    return () => release();
  }
  async mintLongest(plan: MintPlan, signal: AbortSignal): Promise<LongestSession> {
    this.plans.push(plan);
    this.signals.push(signal);
    const gate = this.gate;
    this.gate = undefined;
    if (gate) {
      await Promise.race([gate, new Promise<never>((_r, reject) => signal.addEventListener('abort', () => reject(new AbortError()), { once: true }))]);
    }
    const failure = this.failures.shift();
    if (failure) throw failure;
    const n = ++keyN;
    const seconds = Math.min(plan.durationSeconds, this.grantSeconds);
    const serverNow = Math.floor(this.clock.now / 1000) * 1000;
    const result: LongestSession = {
      session: {
        credentials: {
          accessKeyId: `ASIASERVERKEY${n}`,
          secretAccessKey: `server-secret-${n}-${'s'.repeat(20)}`,
          sessionToken: `server-session-token-${n}-${'t'.repeat(30)}`,
          expiration: new Date(serverNow + seconds * 1000),
        },
        assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions-1',
        serverDate: new Date(serverNow),
        receivedAt: this.clock.now,
        latencyMs: 25,
        durationSeconds: seconds,
      },
    };
    this.minted.push(result);
    return result;
  }
  close(): void {
    this.closed++;
  }
}

const permanent = () =>
  new MintError(
    { kind: 'permanent', code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity', hint: 'Fix the trust policy of the role.' },
    ROLE,
    1,
  );

let running: CredentialServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

function harness(options: { listen?: (h: CredentialServerHandlers) => Promise<CredentialServer> } = {}) {
  const clock = new FakeClock(T0);
  const timers = new MonotonicScheduler(clock);
  const channel = new FakeChannel();
  const minting = new FakeMinting(clock);
  const log = new FakeLog(clock.fn);
  const proc = new FakeProcess();
  const logPaths: string[] = [];
  const minterConfigs: ServerConfig[] = [];
  let http: CredentialServer | undefined;
  let handlers: CredentialServerHandlers | undefined;
  const deps: ServerDeps = {
    channel,
    clock: clock.fn,
    monotonic: () => timers.monotonic,
    timers,
    random: () => 0.5,
    createMinter: (config, onEvent) => {
      minterConfigs.push(config);
      minting.onEvent = onEvent;
      return minting;
    },
    eventLog: (path) => {
      logPaths.push(path);
      return log;
    },
    listen:
      options.listen ??
      (async (h) => {
        handlers = h;
        http = await startCredentialServer(h);
        running.push(http);
        return http;
      }),
    process: proc,
  };
  const start = (config: unknown = baseConfig()) => {
    const run = runServer(deps);
    channel.give(config);
    return run;
  };
  const url = (path: string) => `http://127.0.0.1:${(channel.sent[0] as { port?: number } | undefined)?.port ?? http?.port ?? 0}${path}`;
  const get = (path: string, token = AUTH) => fetch(url(path), { headers: { Authorization: token } });
  const post = (path: string, body?: unknown) =>
    fetch(url(path), { method: 'POST', headers: { Authorization: CONTROL }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const status = async () => (await (await get('/status', CONTROL)).json()) as ServerStatus;
  return {
    clock,
    timers,
    channel,
    minting,
    log,
    proc,
    deps,
    start,
    get,
    post,
    status,
    logPaths,
    minterConfigs,
    http: () => http,
    handlers: () => handlers,
  };
}

/** Waits (real time) until `check` holds; fake timers are not touched. */
async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !check() && waited < ms; waited += 5) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('runServer: start-up', () => {
  test('ready carries nonce, port and expiration; the channel is closed after it; credentials are served on that port', async () => {
    const h = harness();
    await h.start();
    expect(h.channel.sent).toEqual([
      {
        type: 'ready',
        nonce: 'nonce-abc',
        port: h.http()?.port,
        expiration: new Date(T0 + 43200_000).toISOString(),
        remainingSeconds: 43200,
        assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions-1',
        sessionSeconds: 43200,
      },
    ]);
    expect(h.channel.events).toEqual(['send:ready', 'close']);
    expect(h.logPaths).toEqual(['/runner/_temp/aws-session-guard/server-log.jsonl']);
    expect(h.log.types()).toEqual(['refreshed', 'started']);
    expect(h.log.events[1]).toMatchObject({ type: 'started', pid: 4242, endpoint: `http://127.0.0.1:${h.http()?.port}/credentials` });
    const r = await h.get('/credentials');
    expect(r.status).toBe(200);
    expect(((await r.json()) as { AccessKeyId: string }).AccessKeyId).toBe(h.minting.minted[0]?.session.credentials.accessKeyId);
    expect(h.proc.exits).toEqual([]);
    expect(h.proc.handles('SIGTERM') && h.proc.handles('SIGINT') && h.proc.handles('SIGHUP')).toBe(true);
    h.proc.kill('SIGTERM');
  });

  test('the mint plan carries the config: role, session name, policies; the longest session STS allows', async () => {
    const h = harness();
    await h.start(baseConfig({ policy: '{"Statement":[]}', policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }));
    expect(h.minting.plans[0]).toEqual({
      role: expect.objectContaining({ arn: ROLE, accountId: '123456789012' }),
      chainedRole: undefined,
      roleSessionName: 'GitHubActions-1',
      durationSeconds: 43200,
      policy: '{"Statement":[]}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    });
    expect(h.minterConfigs[0]?.nonce).toBe('nonce-abc');
    h.proc.kill('SIGTERM');
  });

  test('a chained role: asks for the 1 h chaining ceiling', async () => {
    const h = harness();
    await h.start(baseConfig({ chainedRoleArn: 'arn:aws:iam::210987654321:role/target' }));
    expect(h.minting.plans[0]?.chainedRole?.arn).toBe('arn:aws:iam::210987654321:role/target');
    expect(h.minting.plans[0]?.durationSeconds).toBe(3600);
    h.proc.kill('SIGTERM');
  });

  test('a failed first mint (MintError): {type: failed} with its whole message, logged on one line, and everything shut down', async () => {
    const h = harness();
    h.minting.failures.push(permanent());
    await h.start();
    expect(h.channel.sent).toEqual([
      { type: 'failed', nonce: 'nonce-abc', error: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\nFix the trust policy of the role.' },
    ]);
    expect(h.log.events).toEqual([{ t: T0, type: 'unavailable', reason: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity' }]);
    expect(h.http()).toBeUndefined();
    expect(h.minting.closed).toBe(1);
    expect(h.channel.closed).toBe(true);
    expect(h.timers.pending.size).toBe(0);
  });

  test('an ID token inside a failed first mint\'s message (an endpoint that echoes it): redacted in the answer and the log', async () => {
    const h = harness();
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm8vcjpyZWYifQ.c2lnbmF0dXJl';
    h.minting.failures.push(new Error(`InvalidIdentityToken: the token ${token} is not valid`));
    await h.start();
    expect(h.channel.sent).toEqual([{ type: 'failed', nonce: 'nonce-abc', error: 'Error: InvalidIdentityToken: the token [redacted token] is not valid' }]);
    expect(JSON.stringify(h.log.events)).not.toContain('eyJ');
  });

  test('a first mint that fails with anything else: its name and first line', async () => {
    const h = harness();
    h.minting.failures.push(new TypeError('fetch failed\n    at somewhere'));
    await h.start();
    expect(h.channel.sent).toEqual([{ type: 'failed', nonce: 'nonce-abc', error: 'TypeError: fetch failed' }]);
  });

  test('a configuration that does not come (the main step went away), or is malformed: exit 2, nothing else', async () => {
    for (const arrange of [(c: FakeChannel) => c.goAway(), (c: FakeChannel) => c.give({ authToken: 'x' })]) {
      const h = harness();
      const run = runServer(h.deps);
      arrange(h.channel);
      await run;
      expect(h.proc.exits).toEqual([2]);
      expect(h.minting.plans).toEqual([]);
      expect(h.logPaths).toEqual([]);
      expect(h.channel.sent).toEqual([]);
    }
  });

  test('a bad role ARN in the configuration: failed, the channel closed, nothing minted', async () => {
    const h = harness();
    await h.start(baseConfig({ roleArn: 'not-an-arn' }));
    expect(h.channel.sent).toEqual([{ type: 'failed', nonce: 'nonce-abc', error: 'bad role ARN in the start-up configuration' }]);
    expect(h.channel.closed).toBe(true);
    expect(h.minting.plans).toEqual([]);
  });

  test('a bad chained role ARN: failed the same way', async () => {
    const h = harness();
    await h.start(baseConfig({ chainedRoleArn: 'arn:aws:iam::1:role/x' }));
    expect(h.channel.sent[0]).toMatchObject({ type: 'failed', error: 'bad role ARN in the start-up configuration' });
  });

  test('it cannot listen: failed with the reason, the refresher and minter shut down', async () => {
    const h = harness({
      listen: async () => {
        throw Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1'), { name: 'Error' });
      },
    });
    await h.start();
    expect(h.channel.sent).toEqual([{ type: 'failed', nonce: 'nonce-abc', error: 'could not listen on 127.0.0.1: Error: listen EADDRINUSE: address already in use 127.0.0.1' }]);
    expect(h.log.types()).toEqual(['refreshed', 'unavailable']);
    expect(h.minting.closed).toBe(1);
    expect(h.timers.pending.size).toBe(0);
  });
});

describe('runServer: stopping before and during work', () => {
  test('the channel is lost before ready (step timeout): the mint in flight is aborted, the server stops, nothing is sent', async () => {
    const h = harness();
    h.minting.hold();
    const run = h.start();
    await settle();
    expect(h.minting.signals).toHaveLength(1);
    expect(h.minting.signals[0]?.aborted).toBe(false);
    h.channel.lose();
    await run;
    expect(h.minting.signals[0]?.aborted).toBe(true);
    expect(h.log.events).toEqual([
      { t: T0, type: 'stopped', reason: 'the main step ended before the server was ready (step timeout, cancellation or crash)', served: 0, refused: 0 },
    ]);
    expect(h.channel.sent).toEqual([]);
    expect(h.http()).toBeUndefined();
    expect(h.minting.closed).toBe(1);
    expect(h.channel.closed).toBe(true);
  });

  test('the channel lost after the hand-over changes nothing: the server runs on', async () => {
    const h = harness();
    await h.start();
    h.channel.lose();
    expect(h.log.types()).not.toContain('stopped');
    expect((await h.get('/credentials')).status).toBe(200);
    h.proc.kill('SIGTERM');
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s during the first mint: the mint is aborted at once, "stopped" logged, no answer sent', async (signal) => {
    const h = harness();
    h.minting.hold();
    const run = h.start();
    await settle();
    h.proc.kill(signal);
    await run;
    expect(h.minting.signals[0]?.aborted).toBe(true);
    expect(h.log.events).toEqual([{ t: T0, type: 'stopped', reason: signal, served: 0, refused: 0 }]);
    expect(h.channel.sent).toEqual([]);
    expect(h.minting.closed).toBe(1);
  });

  test('SIGHUP (the step\'s terminal went away) is ignored', async () => {
    const h = harness();
    await h.start();
    h.proc.kill('SIGHUP');
    expect(h.log.types()).not.toContain('stopped');
    expect((await h.get('/credentials')).status).toBe(200);
    h.proc.kill('SIGTERM');
  });

  test('SIGTERM during a refresh: the STS call is aborted, "stopped" logged (no failed refresh), the listener closed', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start();
    const first = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    h.minting.hold();
    h.timers.jump(first - refreshLeadSeconds(3600) * 1000 - h.clock.now);
    await h.timers.run(refreshTickMs(3600));
    expect(h.minting.signals).toHaveLength(2);
    expect(h.minting.signals[1]?.aborted).toBe(false);
    const port = h.http()?.port;
    h.proc.kill('SIGTERM');
    await settle();
    expect(h.minting.signals[1]?.aborted).toBe(true);
    expect(h.log.types()).toEqual(['refreshed', 'started', 'stopped']);
    expect(h.log.events[2]).toMatchObject({ type: 'stopped', reason: 'SIGTERM' });
    expect(h.minting.closed).toBe(1);
    expect(h.timers.pending.size).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/credentials`, { headers: { Authorization: AUTH } })).rejects.toThrow();
  });

  test('a SIGTERM while it starts listening: no ready is sent, the listener is closed', async () => {
    let server: CredentialServer | undefined;
    const h: ReturnType<typeof harness> = harness({
      listen: async (handlers) => {
        server = await startCredentialServer(handlers);
        running.push(server);
        h.proc.kill('SIGTERM');
        return server;
      },
    });
    await h.start();
    expect(h.channel.sent).toEqual([]);
    expect(h.log.types()).toEqual(['refreshed', 'stopped']);
    await until(() => !server?.server.listening);
  });

  test('stopped by the post step over /control/stop', async () => {
    const h = harness();
    await h.start();
    const r = await h.post('/control/stop');
    expect(r.status).toBe(202);
    await until(() => h.log.types().includes('stopped'));
    expect(h.log.events.at(-1)).toMatchObject({ type: 'stopped', reason: 'stopped by the post step', served: 0, refused: 0 });
    expect(h.minting.closed).toBe(1);
    // A second stop (SIGTERM after the HTTP stop) is not logged twice.
    h.proc.kill('SIGTERM');
    expect(h.log.types().filter((t) => t === 'stopped')).toHaveLength(1);
  });

  test('the OIDC request token ends: one last session, then the server stops by itself when it is over', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start(baseConfig({ sourceEndsAt: T0 + 10 * 60_000 }));
    // The last mint just before the token ends, then nothing until that session is over.
    await h.timers.run(10 * 60_000);
    expect(h.minting.plans).toHaveLength(2);
    const last = h.minting.minted[1]?.session.credentials.expiration.getTime() ?? 0;
    await h.timers.run(last - h.clock.now + refreshTickMs(3600));
    expect(h.log.types().slice(-2)).toEqual(['unavailable', 'stopped']);
    expect(h.log.events.at(-1)).toMatchObject({ type: 'stopped', reason: 'the OIDC request token expired and the last session ended' });
    expect(h.minting.plans).toHaveLength(2);
  });
});

describe('runServer: fatal errors', () => {
  test('an uncaught exception: "crashed" with its reason (one line, no stack), then exit 70', async () => {
    const h = harness();
    await h.start();
    const error = new TypeError("Cannot read properties of undefined (reading 'x')");
    error.stack = `${error.name}: ${error.message}\n    at secret/path.js:1:1`;
    h.proc.crash('uncaughtException', error);
    expect(h.log.events.at(-1)).toEqual({ t: T0, type: 'crashed', reason: "uncaughtException: TypeError: Cannot read properties of undefined (reading 'x')" });
    expect(h.proc.exits).toEqual([70]);
    h.proc.kill('SIGTERM');
  });

  test('an unhandled rejection of a non-Error: its text, first line only', async () => {
    const h = harness();
    h.minting.hold();
    const run = h.start();
    await settle();
    h.proc.crash('unhandledRejection', 'went wrong\nsecond line');
    expect(h.log.events).toEqual([{ t: T0, type: 'crashed', reason: 'unhandledRejection: went wrong' }]);
    expect(h.proc.exits).toEqual([70]);
    h.proc.kill('SIGTERM');
    await run;
  });

  test('reasonOf', () => {
    expect(reasonOf(new RangeError('bad\nmore'))).toBe('RangeError: bad');
    expect(reasonOf('text\nmore')).toBe('text');
    expect(reasonOf(42)).toBe('42');
    expect(reasonOf(undefined)).toBe('undefined');
  });
});

describe('runServer: time', () => {
  test('a wall-clock jump past the due time starts the refresh on the next tick, without the timers having run to it', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600; // due 20 min before its end, well before the request token's
    await h.start();
    const expiresAt = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    const due = expiresAt - refreshLeadSeconds(3600) * 1000;
    const tick = refreshTickMs(3600);
    // A tick without the jump: nothing.
    await h.timers.run(tick);
    expect(h.minting.plans).toHaveLength(1);
    // The machine slept: the wall clock moves past the due time, the monotonic timers do not.
    h.timers.jump(due - h.clock.now + 1000);
    await h.timers.run(tick);
    expect(h.minting.plans).toHaveLength(2);
    expect(h.timers.monotonic).toBe(2 * tick);
    expect(h.log.types()).toEqual(['refreshed', 'started', 'refreshed']);
    const s = await h.status();
    expect(s.refreshes).toBe(2);
    expect(s.expiration).toBe(h.minting.minted[1]?.session.credentials.expiration.toISOString());
    h.proc.kill('SIGTERM');
  });

  test('a wall-clock jump past the due time: the next /credentials request starts the refresh, with no timer at all', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start();
    const expiresAt = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    h.timers.jump(expiresAt - refreshLeadSeconds(3600) * 1000 - h.clock.now + 1000);
    const monotonic = h.timers.monotonic;
    const r = await h.get('/credentials');
    expect(r.status).toBe(200); // still 20 min left: served meanwhile
    await until(() => h.minting.plans.length === 2);
    expect(h.timers.monotonic).toBe(monotonic);
    await until(() => h.log.types().filter((t) => t === 'refreshed').length === 2);
    h.proc.kill('SIGTERM');
  });
});

describe('runServer: what it says about itself', () => {
  test('/status: nonce, identity, session, counts and how long it can cover; with either token', async () => {
    const h = harness();
    await h.start();
    await h.get('/credentials');
    const expiresAt = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    const expected: ServerStatus = {
      pid: 4242,
      nonce: 'nonce-abc',
      identity: 'identity-xyz',
      expiration: new Date(expiresAt).toISOString(),
      remainingSeconds: 43200,
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions-1',
      accountId: '123456789012',
      refreshes: 1,
      served: 1,
      refused: 0,
      expectedUntil: T0 + 3900_000,
      coverUntil: keepAliveCoverUntil(T0 + 6 * 3600_000, 43200, { expiresAt, lifetimeSeconds: 43200 }) as number,
      coverSeconds: 18 * 3600,
    };
    expect(expected.coverUntil).toBe(T0 + 18 * 3600_000);
    expect(await h.status()).toEqual(expected);
    expect(await (await h.get('/status', AUTH)).json()).toEqual(expected);
    h.proc.kill('SIGTERM');
  });

  test('/status without a known request-token expiry: no coverUntil', async () => {
    const h = harness();
    const { sourceEndsAt: _r, ...config } = baseConfig();
    await h.start(config);
    expect(await h.status()).not.toHaveProperty('coverUntil');
    h.proc.kill('SIGTERM');
  });

  test('/control/expect: the expectation only grows, and is logged', async () => {
    const h = harness();
    await h.start();
    expect(((await (await h.post('/control/expect', { expectedUntil: T0 + 7200_000 })).json()) as ServerStatus).expectedUntil).toBe(T0 + 7200_000);
    expect(((await (await h.post('/control/expect', { expectedUntil: T0 + 60_000 })).json()) as ServerStatus).expectedUntil).toBe(T0 + 7200_000);
    expect(h.log.events.filter((e) => e.type === 'expected-until')).toEqual([
      { t: T0, type: 'expected-until', expectedUntil: T0 + 7200_000 },
      { t: T0, type: 'expected-until', expectedUntil: T0 + 7200_000 },
    ]);
    h.proc.kill('SIGTERM');
  });

  test('a permanent refresh failure: visible in /status lastError; after expiry /credentials answers 503 with the reason', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start();
    for (let i = 0; i < 50; i++) h.minting.failures.push(permanent());
    const expiresAt = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    h.timers.jump(expiresAt - refreshLeadSeconds(3600) * 1000 - h.clock.now);
    await h.timers.run(refreshTickMs(3600));
    expect(h.log.events.at(-1)).toMatchObject({ type: 'refresh-failed', code: 'AccessDenied', permanent: true });
    const s = await h.status();
    expect(s.lastError).toBe('AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity');
    // Still valid: still served.
    expect((await h.get('/credentials')).status).toBe(200);
    h.timers.jump(expiresAt - h.clock.now + 1000);
    const r = await h.get('/credentials');
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({
      Code: 'CredentialsUnavailable',
      Message:
        'The current session has expired and no new one could be minted yet (last error, permanent: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity).',
    });
    expect((await h.status()).refused).toBe(1);
    h.proc.kill('SIGTERM');
    expect(h.log.events.at(-1)).toMatchObject({ type: 'stopped', served: 1, refused: 1 });
  });

  test('the minter\'s events: STS calls are counted in the next refresh, retries logged', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start();
    h.minting.onEvent({ type: 'sts-call', action: 'AssumeRoleWithWebIdentity', durationSeconds: 43200, ok: false, code: 'Throttling', latencyMs: 5 });
    h.minting.onEvent({ type: 'retry', attempt: 1, delayMs: 400, code: 'Throttling' });
    h.minting.onEvent({ type: 'id-token', reused: false });
    h.minting.onEvent({ type: 'sts-call', action: 'AssumeRoleWithWebIdentity', durationSeconds: 43200, ok: true, latencyMs: 5 });
    expect(h.log.events.at(-1)).toEqual({ t: T0, type: 'retry', code: 'Throttling', attempt: 1, delayMs: 400 });
    const expiresAt = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    h.timers.jump(expiresAt - refreshLeadSeconds(3600) * 1000 - h.clock.now);
    await h.timers.run(refreshTickMs(3600));
    expect(h.log.events.at(-1)).toMatchObject({ type: 'refreshed', stsCalls: 2 });
    h.proc.kill('SIGTERM');
  });

  test('no secret (keys, session token, auth or control token) ever reaches the event log', async () => {
    const h = harness();
    h.minting.grantSeconds = 3600;
    await h.start();
    await h.get('/credentials');
    await h.post('/control/expect', { expectedUntil: T0 + 7200_000 });
    h.minting.onEvent({ type: 'retry', attempt: 1, delayMs: 400, code: 'Throttling' });
    // A refresh that works, one that fails for good, a 503, a crash, a stop.
    const first = h.minting.minted[0]?.session.credentials.expiration.getTime() ?? 0;
    h.timers.jump(first - 1200_000 - h.clock.now);
    await h.timers.run(refreshTickMs(3600));
    h.minting.failures.push(permanent(), permanent(), permanent());
    const second = h.minting.minted[1]?.session.credentials.expiration.getTime() ?? 0;
    h.timers.jump(second - 1200_000 - h.clock.now);
    await h.timers.run(refreshTickMs(3600));
    h.timers.jump(second - h.clock.now + 1000);
    await h.get('/credentials');
    h.proc.crash('unhandledRejection', new Error('late'));
    h.proc.kill('SIGTERM');
    expect(h.log.types()).toEqual(
      expect.arrayContaining(['refreshed', 'started', 'expected-until', 'retry', 'refresh-failed', 'crashed', 'stopped']),
    );
    const text = JSON.stringify(h.log.events);
    const secrets = [AUTH, CONTROL];
    for (const m of h.minting.minted) {
      const c = m.session.credentials;
      secrets.push(c.accessKeyId, c.secretAccessKey, c.sessionToken);
    }
    expect(secrets).toHaveLength(8);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
