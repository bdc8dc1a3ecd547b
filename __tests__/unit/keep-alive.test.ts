/**
 * keepAlive in-process. The detached server is a fake `Launch`: it takes the
 * config sent over "IPC", starts a real credential server in this process
 * with the config's tokens, and answers as the server process would (or
 * fails, exits, stays silent, answers for another start). Processes are a
 * fake process table, so nothing real is ever signalled.
 */
import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { keepAlive, type KeepAliveDeps } from '../../src/keepalive/keep-alive.js';
import { startCredentialServer, type CredentialServer, type ServerStatus } from '../../src/keepalive/credential-server.js';
import type { Availability } from '../../src/keepalive/refresher.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { pathsIn, readJson, UnsafeFolderError, writePrivateFile, type KeepAlivePaths, type ServerIdentity, type ServerRecord } from '../../src/keepalive/files.js';
import type { LaunchedServer, LaunchOutcome } from '../../src/keepalive/launcher.js';
import type { ServerConfig } from '../../src/keepalive/protocol.js';
import { ShortSessionError } from '../../src/report/shortfall.js';
import { identityKey } from '../../src/settings/identity.js';
import { readSettings } from '../../src/settings/settings.js';
import { ACCOUNT_ID, FakeClock, FakeToolkit, makeJwt, ROLE_ARN, settingsFor, FakeControl } from './fakes.js';
import { FakeHost } from './fake-host.js';

const NOW = Date.parse('2026-05-01T10:00:00Z');
const EXPIRATION = '2026-05-01T22:00:00Z';
const ASSUMED = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/deploy/GitHubActions`;
const CHAINED_ARN = 'arn:aws:iam::210987654321:role/target';
const OTHER_ROLE = 'arn:aws:iam::999999999999:role/other';
const isPosix = process.platform !== 'win32';

let temp: string;
let servers: CredentialServer[] = [];
const extraDirs: string[] = [];

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'keep-alive-unit-'));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  rmSync(temp, { recursive: true, force: true });
  for (const d of extraDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Settings as a job with the id-token permission reads them (GitHub OIDC unless another source is given); `env` to read them otherwise. */
const settingsOf = settingsFor({
  env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' },
  base: { 'role-to-assume': ROLE_ARN, 'aws-region': 'eu-west-1', 'keep-alive': 'true', 'expected-duration': '1h' },
});

/** A request token that expires `ms` after NOW. */
const requestToken = (ms: number) => makeJwt({ iss: 'https://token.actions.githubusercontent.com', exp: Math.floor((NOW + ms) / 1000) });

function envOf(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    RUNNER_TEMP: temp,
    RUNNER_TRACKING_ID: 'github_job_1',
    PATH: '/usr/bin',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken(6 * 3600_000),
    // Never read the developer's own ~/.aws files.
    AWS_SHARED_CREDENTIALS_FILE: join(temp, 'no-credentials'),
    AWS_CONFIG_FILE: join(temp, 'no-config'),
    ...extra,
  };
}

const goodCredentials = (): Availability => ({
  ok: true,
  expiration: Date.parse(EXPIRATION),
  credentials: {
    accessKeyId: 'ASIAFAKEKEY',
    secretAccessKey: 'fake-secret',
    token: 'fake-session-token',
    expiresAt: Date.parse(EXPIRATION), expiration: Date.parse(EXPIRATION), monoExpiresAt: Date.parse(EXPIRATION),
    accountId: ACCOUNT_ID,
    assumedRoleArn: ASSUMED,
    lifetimeSeconds: 43200,
  },
});

interface FakeServerOptions {
  readonly available?: () => Availability;
  readonly status?: Partial<ServerStatus>;
  /** Makes GET /status fail (500). */
  readonly statusFails?: boolean;
  /** Makes POST /control/expect fail (500). */
  readonly expectFails?: boolean;
  /** A stop over HTTP is received, but the process lives on. */
  readonly stopIgnored?: boolean;
}

/** A credential server in this process standing in for a server process `pid`; a stop over HTTP ends that process. */
async function startFakeServer(
  pid: number,
  config: Pick<ServerConfig, 'authToken' | 'controlToken' | 'proofKey' | 'nonce' | 'identity' | 'linkLocal'>,
  control: FakeControl,
  options: FakeServerOptions = {},
) {
  const expects: number[] = [];
  let stops = 0;
  let expectedUntil = 0;
  const server = await startCredentialServer({
    authToken: config.authToken,
    controlToken: config.controlToken,
    proofKey: config.proofKey,
    available: options.available ?? goodCredentials,
    status: () => {
      if (options.statusFails) throw new Error('status broke');
      return {
        pid,
        nonce: config.nonce,
        identity: config.identity,
        refreshes: 1,
        served: server.counts.served,
        refused: server.counts.refused,
        expectedUntil,
        expiration: EXPIRATION,
        remainingSeconds: 43200,
        assumedRoleArn: ASSUMED,
        accountId: ACCOUNT_ID,
        ...options.status,
      };
    },
    expect: (until) => {
      if (options.expectFails) throw new Error('expect broke');
      expects.push(until);
      expectedUntil = until;
    },
    stop: () => {
      stops++;
      if (!options.stopIgnored) control.table.delete(pid);
    },
    // 127.0.0.2 stands in for 169.254.170.2 (see fetchLinkLocal)
    ...(config.linkLocal && { linkLocal: { host: LINK_LOCAL_STAND_IN, relativePath: config.linkLocal.relativePath } }),
  });
  servers.push(server);
  return { server, expects, stops: () => stops };
}

type FakeServer = Awaited<ReturnType<typeof startFakeServer>>;

type Behaviour =
  /** Starts a server and answers ready (for `nonce`, default the config's). */
  | { readonly kind: 'ready'; readonly server?: FakeServerOptions; readonly nonce?: string; readonly maxSessionSeconds?: number }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal: string | null }
  /** Never answers (a hung STS call). */
  | { readonly kind: 'silent' };

/** The `launch` dependency: what the server process would do, in this process. */
class FakeLauncher {
  readonly envs: Array<Record<string, string>> = [];
  readonly configs: ServerConfig[] = [];
  readonly pids: number[] = [];
  /** How many toolkit calls had been made when the config was sent (to check what came first). */
  readonly callsAtSend: number[] = [];
  released = 0;
  started: FakeServer | undefined;
  /** Runs inside send(), while the outcome is still pending. */
  onSend: (config: ServerConfig, launched: LaunchedServer) => void = () => undefined;
  private nextPid = 70000;

  constructor(
    private readonly toolkit: FakeToolkit,
    private readonly control: FakeControl,
    private readonly behaviour: Behaviour = { kind: 'ready' },
  ) {}

  get calls(): number {
    return this.envs.length;
  }

  readonly launch = (env: Record<string, string>): LaunchedServer => {
    this.envs.push(env);
    const pid = this.nextPid++;
    this.pids.push(pid);
    this.control.table.set(pid, `start-of-${pid}`);
    let answer: (o: LaunchOutcome) => void = () => undefined;
    const outcome = new Promise<LaunchOutcome>((resolve) => (answer = resolve));
    const launched: LaunchedServer = {
      pid,
      outcome,
      send: (config) => {
        this.configs.push(config);
        this.callsAtSend.push(this.toolkit.calls.length);
        this.onSend(config, launched);
        void this.answer(pid, config, answer);
      },
      release: () => void this.released++,
    };
    return launched;
  };

  private async answer(pid: number, config: ServerConfig, answer: (o: LaunchOutcome) => void): Promise<void> {
    const b = this.behaviour;
    switch (b.kind) {
      case 'silent':
        return;
      case 'failed':
        answer({ type: 'failed', nonce: config.nonce, error: b.error });
        return;
      case 'exited':
        this.control.table.delete(pid);
        answer({ type: 'exited', code: b.code, signal: b.signal });
        return;
      case 'ready': {
        const fake = await startFakeServer(pid, config, this.control, b.server);
        this.started = fake;
        answer({
          type: 'ready',
          nonce: b.nonce ?? config.nonce,
          port: fake.server.port,
          expiration: EXPIRATION,
          remainingSeconds: 43200,
          assumedRoleArn: ASSUMED,
          sessionSeconds: 43200,
          ...(b.maxSessionSeconds !== undefined && { maxSessionSeconds: b.maxSessionSeconds }),
          ...(fake.server.linkLocalPort !== undefined && { linkLocalPort: fake.server.linkLocalPort }),
        });
      }
    }
  }
}

const LINK_LOCAL_STAND_IN = '127.0.0.2';

function setup(options: { env?: Record<string, string | undefined>; behaviour?: Behaviour; clock?: FakeClock; host?: FakeHost } = {}) {
  const toolkit = new FakeToolkit();
  const control = new FakeControl();
  const launcher = new FakeLauncher(toolkit, control, options.behaviour);
  const env = envOf(options.env);
  const clock = options.clock ?? new FakeClock(NOW);
  const slept: number[] = [];
  const deps: KeepAliveDeps = {
    toolkit,
    env,
    clock: clock.fn,
    launch: launcher.launch,
    control,
    sleep: async (ms) => void slept.push(ms),
    readyTimeoutMs: 2000,
    stopGraceMs: 1000,
    hostNetwork: (options.host ?? new FakeHost({ platform: 'darwin' })).network(),
    // What port 80 of 169.254.170.2 reaches through the NAT rules: the fake server's link-local listener.
    fetchStatus: async (url) => {
      const parsed = new URL(url);
      const port = Number(/--to-destination 169\.254\.170\.2:(\d+)$/.exec(options.host?.rules.find((r) => r.startsWith('-A OUTPUT')) ?? '')?.[1]);
      if (parsed.hostname !== '169.254.170.2' || parsed.port !== '' || !port) return 0;
      return (await fetch(`http://${LINK_LOCAL_STAND_IN}:${port}${parsed.pathname}`)).status;
    },
  };
  const paths = pathsIn(join(temp, 'aws-session-guard'));
  return { toolkit, launcher, control, env, deps, paths, clock, slept };
}

const recordOf = (paths: KeepAlivePaths) => readJson<ServerRecord>(paths.record);
const savedIdentity = (toolkit: FakeToolkit) => JSON.parse(toolkit.state['server'] ?? 'null') as ServerIdentity | null;

describe('keepAlive: starting a new server', () => {
  test('hands later steps over to the server: tokens masked first, one export, outputs, identity saved, record without the auth token', async () => {
    const { toolkit, launcher, deps, paths } = setup({ behaviour: { kind: 'ready', maxSessionSeconds: 7200 } });
    await keepAlive(settingsOf(), deps);

    expect(launcher.calls).toBe(1);
    const config = launcher.configs[0] as ServerConfig;
    const { authToken, controlToken, proofKey, nonce } = config;
    expect(authToken).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
    expect(controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(controlToken).not.toBe(authToken);
    // The proof key (issue 20): a third secret, never exported (checked below: the one export has no proof key).
    expect(proofKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([authToken, controlToken, proofKey]).size).toBe(3);
    expect(nonce).toMatch(/^[0-9a-f]{32}$/);
    const fake = launcher.started as FakeServer;
    const endpoint = `http://127.0.0.1:${fake.server.port}/credentials`;
    const pid = launcher.pids[0] as number;

    // Both tokens are masked before the config leaves and before anything is exported.
    for (const token of [authToken, controlToken, proofKey]) {
      const maskAt = toolkit.indexOf('setSecret', token);
      expect(maskAt).toBeGreaterThanOrEqual(0);
      expect(maskAt).toBeLessThan(launcher.callsAtSend[0] as number);
      expect(maskAt).toBeLessThan(toolkit.indexOf('exportVariables'));
    }

    // One export: the container pair; the static keys, the marker and web identity cleared; nothing botocore misreads.
    expect(toolkit.exports).toEqual([
      {
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_CREDENTIAL_EXPIRATION: '',
        AWS_SESSION_GUARD_SESSION: '',
        AWS_WEB_IDENTITY_TOKEN_FILE: '',
        AWS_ROLE_ARN: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: authToken,
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      },
    ]);

    expect(toolkit.outputs).toEqual({
      'aws-account-id': ACCOUNT_ID,
      'credentials-endpoint': endpoint,
      refreshed: 'true',
      expiration: EXPIRATION,
      'remaining-seconds': '43200',
      'authenticated-arn': ASSUMED,
    });
    // The identity (no secret) for the post step.
    expect(savedIdentity(toolkit)).toEqual({ pid, start: `start-of-${pid}`, nonce, dir: paths.dir });

    // The record: 0600, the identity and the control token; the auth token never touches the disk.
    expect(recordOf(paths)).toEqual({
      pid,
      start: `start-of-${pid}`,
      nonce,
      dir: paths.dir,
      endpoint,
      controlToken,
      proofKey,
      startedAt: NOW,
      roleArn: ROLE_ARN,
      identity: identityKey(settingsOf()),
    });
    if (isPosix) {
      expect(statSync(paths.record).mode & 0o777).toBe(0o600);
      expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    }
    expect(readFileSync(paths.record, 'utf8')).not.toContain(authToken);

    // The probe fetched credentials once, as an SDK would; no expect call on a fresh server; the launch was released.
    expect(fake.server.counts.served).toBe(1);
    expect(fake.expects).toEqual([]);
    expect(fake.stops()).toBe(0);
    expect(launcher.released).toBe(1);

    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.infos.join('\n')).toContain(`${ROLE_ARN} allows sessions of at most 2h`);
    expect(toolkit.infos.join('\n')).toContain(`The keep-alive credential server (pid ${pid}) listens on ${endpoint}`);
    expect(toolkit.summary.join('')).toContain(`Keep-alive: started the credential server for ${ROLE_ARN}, first session until ${EXPIRATION}.`);
    // No token reaches a log line, an output or the summary.
    expect(toolkit.printed).not.toContain(authToken);
    expect(toolkit.printed).not.toContain(controlToken);
  });

  test('the identity is recorded and saved before the step waits for the server', async () => {
    const { toolkit, launcher, deps, paths } = setup();
    let seen: { record: ServerRecord | undefined; state: ServerIdentity | null; settled: boolean } | undefined;
    launcher.onSend = (config, launched) => {
      let settled = false;
      void launched.outcome.then(() => (settled = true));
      seen = { record: recordOf(paths), state: savedIdentity(toolkit), settled };
      expect(config.nonce).toBe(seen.record?.nonce);
    };
    await keepAlive(settingsOf(), deps);
    const pid = launcher.pids[0] as number;
    expect(seen?.settled).toBe(false);
    expect(seen?.state).toEqual({ pid, start: `start-of-${pid}`, nonce: launcher.configs[0]?.nonce, dir: paths.dir });
    expect(seen?.record).toMatchObject({ pid, start: `start-of-${pid}`, nonce: launcher.configs[0]?.nonce, controlToken: launcher.configs[0]?.controlToken });
    expect(seen?.record).not.toHaveProperty('endpoint');
  });

  test('an OS that does not tell start times: the identity is saved without one (the post step will then never signal it)', async () => {
    const { toolkit, launcher, control, deps, paths } = setup();
    control.startOf = () => undefined;
    await keepAlive(settingsOf(), deps);
    const pid = launcher.pids[0] as number;
    expect(savedIdentity(toolkit)).toEqual({ pid, nonce: launcher.configs[0]?.nonce, dir: paths.dir });
    expect(recordOf(paths)).not.toHaveProperty('start');
  });

  test('the server gets the minimal environment: no earlier keys, inputs or runner file paths; the tracking ID kept', async () => {
    const { launcher, deps } = setup({
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAEARLIER',
        AWS_SECRET_ACCESS_KEY: 'earlier',
        'INPUT_ROLE-TO-ASSUME': ROLE_ARN,
        GITHUB_ENV: '/runner/_temp/set_env',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'opaque-request-token',
      },
    });
    await keepAlive(settingsOf(), deps);
    expect(launcher.envs[0]).toEqual({
      RUNNER_TRACKING_ID: 'github_job_1',
      PATH: '/usr/bin',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'opaque-request-token',
    });
  });

  test('the config carries every setting the server needs', async () => {
    const { toolkit, launcher, deps, paths } = setup();
    const settings = settingsOf({
      'chained-role-to-assume': CHAINED_ARN,
      'sts-endpoint': 'https://sts.eu-west-1.amazonaws.com',
      'inline-session-policy': '{"Version":"2012-10-17","Statement":[]}',
      'managed-session-policies': 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      audience: 'my-audience',
      'role-session-name': 'deploy-session',
      'retry-max-attempts': '4',
      'expected-duration': '30m',
      'safety-margin': '10m',
      'role-external-id': 'ext-id-123',
      'custom-tags': '{"Team":"payments"}',
      'transitive-tag-keys': 'Team',
    });
    await keepAlive(settings, deps);
    expect(launcher.configs[0]).toEqual({
      authToken: expect.any(String),
      controlToken: expect.any(String),
      proofKey: expect.any(String),
      nonce: expect.any(String),
      identity: identityKey(settings),
      roleArn: ROLE_ARN,
      chainedRoleArn: CHAINED_ARN,
      roleSessionName: 'deploy-session',
      region: 'eu-west-1',
      stsEndpoint: 'https://sts.eu-west-1.amazonaws.com',
      audience: 'my-audience',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      assumeRoleExtras: { chained: { externalId: 'ext-id-123', tags: [{ key: 'GitHub', value: 'Actions' }, { key: 'Team', value: 'payments' }], transitiveTagKeys: ['Team'] } },
      retryMaxAttempts: 4,
      sessionSeconds: 3600, // chained: 1 h, whatever the need
      expectedUntil: NOW + 40 * 60_000,
      sourceEndsAt: NOW + 6 * 3600_000,
      dir: paths.dir,
    });
    expect(recordOf(paths)?.roleArn).toBe(CHAINED_ARN);
    expect(toolkit.infos.join('\n')).toContain(`Starting the keep-alive credential server for ${CHAINED_ARN}`);
    expect(toolkit.summary.join('')).toContain(`started the credential server for ${CHAINED_ARN}`);
  });

  test('the STS endpoint from the SDK variables reaches the server, whose env has none', async () => {
    const { launcher, deps } = setup({ env: { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566' } });
    await keepAlive(settingsOf(), deps);
    expect(launcher.configs[0]?.stsEndpoint).toBe('http://127.0.0.1:4566');
    expect(launcher.envs[0]).not.toHaveProperty('AWS_ENDPOINT_URL_STS');
  });

  test('a failed answer: throws with the server error, the server is stopped, the record removed, nothing exported', async () => {
    const { toolkit, launcher, control, deps, paths } = setup({ behaviour: { kind: 'failed', error: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity' } });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(
      'The keep-alive credential server could not start: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    const pid = launcher.pids[0] as number;
    expect(control.signalsTo(pid)).toEqual(['SIGTERM']);
    expect(control.alive(pid)).toBe(false);
    expect(launcher.released).toBe(1);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
    expect(existsSync(paths.record)).toBe(false);
    // The post step is told the step stopped it itself.
    expect(JSON.parse(toolkit.state['server'] ?? '{}')).toMatchObject({ pid, abandoned: true });
  });

  test('the server process exits before it is ready: its last event is reported, the record removed', async () => {
    const { toolkit, launcher, control, deps, paths } = setup({ behaviour: { kind: 'exited', code: 70, signal: null } });
    mkdirSync(paths.dir, { mode: 0o700 });
    fileEventLog(paths.log, () => NOW).write({ type: 'crashed', reason: 'uncaughtException: TypeError: boom' });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(
      `The keep-alive credential server could not start: the process (pid ${launcher.pids[0]}) exited before it was ready ` +
        '(exit code 70): it crashed at 2026-05-01T10:00:00.000Z (uncaughtException: TypeError: boom).',
    );
    expect(control.signals).toEqual([]); // nothing left to signal
    expect(toolkit.exports).toEqual([]);
    expect(existsSync(paths.record)).toBe(false);
  });

  test('killed before it was ready: the signal is named', async () => {
    const { launcher, deps } = setup({ behaviour: { kind: 'exited', code: null, signal: 'SIGKILL' } });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(`the process (pid ${launcher.pids[0]}) exited before it was ready (SIGKILL): it left no log.`);
  });

  test('no answer within the ready timeout: the started server is stopped (SIGTERM, then SIGKILL if need be) and its record removed', async () => {
    const { toolkit, launcher, control, deps, paths, slept } = setup({ behaviour: { kind: 'silent' } });
    const pid = 70000;
    control.deaf.add(pid); // stuck in an STS call: ignores SIGTERM
    await expect(keepAlive(settingsOf(), { ...deps, readyTimeoutMs: 50 })).rejects.toThrow(
      'The keep-alive credential server could not start: no answer within 0 s: it left no log.',
    );
    expect(launcher.pids).toEqual([pid]);
    expect(control.signalsTo(pid)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1000); // the grace period came first
    expect(launcher.released).toBe(1);
    expect(existsSync(paths.record)).toBe(false);
    expect(toolkit.exports).toEqual([]);
    // The post step still knows it (saved before the wait) and will find it gone.
    expect(savedIdentity(toolkit)?.pid).toBe(pid);
  });

  test('an answer for another start (another nonce) is refused: the server is stopped, nothing handed over', async () => {
    const { toolkit, launcher, control, deps, paths } = setup({ behaviour: { kind: 'ready', nonce: 'nonce-of-an-older-server' } });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow('The keep-alive credential server could not start: it answered for another start.');
    expect(control.signalsTo(launcher.pids[0] as number)).toEqual(['SIGTERM']);
    expect(launcher.started?.server.counts.served).toBe(0);
    expect(toolkit.exports).toEqual([]);
    expect(existsSync(paths.record)).toBe(false);
  });

  test('the probe is refused (503): throws, asks the server to stop over HTTP, exports nothing', async () => {
    const { toolkit, launcher, control, deps, paths } = setup({
      behaviour: { kind: 'ready', server: { available: () => ({ ok: false, reason: 'The credential server has no credentials yet.' }) } },
    });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(
      'The keep-alive credential server started but did not serve credentials (HTTP 503: The credential server has no credentials yet.).',
    );
    expect(launcher.started?.stops()).toBe(1);
    expect(control.signals).toEqual([]);
    expect(launcher.started?.server.counts.refused).toBe(1);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
    expect(existsSync(paths.record)).toBe(false);
  });

  test('no status after the probe: hands over all the same, with what it knows', async () => {
    const { toolkit, launcher, deps, paths } = setup({ behaviour: { kind: 'ready', server: { statusFails: true } } });
    await keepAlive(settingsOf(), deps);
    const endpoint = launcher.started?.server.endpoint as string;
    expect(toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe(endpoint);
    expect(toolkit.outputs).toEqual({ 'credentials-endpoint': endpoint, refreshed: 'true' });
    expect(recordOf(paths)?.endpoint).toBe(endpoint);
  });

  test('the server cannot cover the need (status coverUntil): ShortSessionError, server stopped, record removed', async () => {
    const { toolkit, launcher, deps, paths } = setup({ behaviour: { kind: 'ready', server: { status: { coverUntil: NOW + 30 * 60_000, maxSessionSeconds: 3600 } } } });
    const error = await keepAlive(settingsOf({ 'expected-duration': '2h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    expect((error as Error).message).toMatch(/^The job can keep AWS credentials coming for 30m more \(until about 2026-05-01T10:30:00.000Z\), but the work needs 2h5m/);
    expect((error as Error).message).toContain("the role's sessions last at most 1h");
    expect(launcher.started?.stops()).toBe(1);
    expect(existsSync(paths.record)).toBe(false);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.summary.join('')).toContain('**Failed**: The job can keep AWS credentials coming for 30m more');
  });

  test('the server cannot cover the need, fail-on-short-session false: a warning, then the hand-over', async () => {
    const { toolkit, launcher, deps, paths } = setup({ behaviour: { kind: 'ready', server: { status: { coverUntil: NOW + 30 * 60_000 } } } });
    await keepAlive(settingsOf({ 'expected-duration': '2h', 'fail-on-short-session': 'false' }), deps);
    expect(toolkit.warnings).toHaveLength(1);
    expect(toolkit.warnings[0]?.title).toBe('AWS credentials will not last');
    expect(toolkit.summary.join('')).toContain('Warned: The job can keep AWS credentials coming for 30m more');
    expect(toolkit.exports).toHaveLength(1);
    expect(launcher.started?.stops()).toBe(0);
    expect(recordOf(paths)).toBeDefined();
  });

  test('mask-aws-account-id: the outputs that hold the account ID are set, masked before they are', async () => {
    const { toolkit, deps } = setup();
    await keepAlive(settingsOf({ 'mask-aws-account-id': 'true' }), deps);
    expect(toolkit.outputs).toMatchObject({ 'aws-account-id': '123456789012', refreshed: 'true', expiration: EXPIRATION });
    expect(toolkit.secrets).toEqual(expect.arrayContaining(['123456789012', toolkit.outputs['authenticated-arn']]));
    expect(toolkit.indexOf('setSecret', '123456789012')).toBeLessThan(toolkit.indexOf('setOutput', 'aws-account-id'));
  });
});

describe('keepAlive: the private folder', () => {
  test('no RUNNER_TEMP: a fresh private folder, exported as AWS_SESSION_GUARD_DIR in the same export', async () => {
    const { toolkit, launcher, deps } = setup({ env: { RUNNER_TEMP: undefined } });
    await keepAlive(settingsOf(), deps);
    const dir = launcher.configs[0]?.dir as string;
    extraDirs.push(dir);
    expect(dirname(dir)).toBe(tmpdir());
    expect(dir).not.toBe(join(tmpdir(), 'aws-session-guard'));
    if (isPosix) expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(toolkit.exports).toHaveLength(1);
    expect(toolkit.exports[0]?.['AWS_SESSION_GUARD_DIR']).toBe(dir);
    expect(savedIdentity(toolkit)?.dir).toBe(dir);
    expect(recordOf(pathsIn(dir))?.pid).toBe(launcher.pids[0]);
  });

  test('with RUNNER_TEMP nothing more is exported', async () => {
    const { toolkit, deps } = setup();
    await keepAlive(settingsOf(), deps);
    expect(toolkit.exports[0]).not.toHaveProperty('AWS_SESSION_GUARD_DIR');
  });

  test('a symlink planted at the folder: refused before anything is launched or written there', async () => {
    const { toolkit, launcher, deps, paths } = setup();
    const elsewhere = join(temp, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, paths.dir);
    await expect(keepAlive(settingsOf(), deps)).rejects.toBeInstanceOf(UnsafeFolderError);
    expect(launcher.calls).toBe(0);
    expect(toolkit.secrets).toEqual([]);
    expect(lstatSync(paths.dir).isSymbolicLink()).toBe(true);
    expect(existsSync(join(elsewhere, 'server.json'))).toBe(false);
  });
});

describe('keepAlive: what is decided before launching', () => {
  test('no id-token permission (no request token): the server starts from the credentials in place, as configure-aws-credentials does', async () => {
    const noPermission = { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined };
    const { toolkit, launcher, deps } = setup({ env: noPermission });
    await keepAlive(settingsOf({}, {}), deps);
    expect(launcher.configs[0]?.source).toEqual({ kind: 'existing' });
    expect(launcher.configs[0]).not.toHaveProperty('sourceEndsAt');
    expect(toolkit.infos.join('\n')).toContain("this job has no id-token permission, so GitHub OIDC is not used (add 'permissions: id-token: write' to the job for it)");
  });

  test("the request token without its URL: an error naming 'id-token: write', nothing launched or written", async () => {
    const { toolkit, launcher, deps, paths } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: '' } });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(/id-token: write/);
    expect(launcher.calls).toBe(0);
    expect(toolkit.secrets).toEqual([]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('no role or no region: an error before anything else', async () => {
    const { launcher, deps } = setup();
    await expect(keepAlive(readSettings(() => '', {}), deps)).rejects.toThrow("keep-alive needs 'role-to-assume' and 'aws-region'");
    expect(launcher.calls).toBe(0);
  });

  test('a request token that cannot cover the need: ShortSessionError before launch', async () => {
    const { toolkit, launcher, deps, paths } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken(3600_000) } });
    const error = await keepAlive(settingsOf({ 'expected-duration': '20h' }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShortSessionError);
    // Token for 1 h more, then one last 12 h session: 13 h of cover against 20h5m of need.
    expect((error as Error).message).toMatch(/^The job can keep AWS credentials coming for 13h more \(until about 2026-05-01T23:00:00.000Z\), but the work needs 20h5m/);
    expect((error as Error).message).toContain("GitHub's OIDC request token for this job expires at 2026-05-01T11:00:00.000Z");
    expect((error as Error).message).toContain('lasts at most 12h');
    expect(launcher.calls).toBe(0);
    expect(toolkit.exports).toEqual([]);
    expect(existsSync(paths.dir)).toBe(false);
    expect(toolkit.summary.join('')).toContain('**Failed**: The job can keep AWS credentials coming for 13h more');
  });

  test('a chained role: the last session lasts at most 1 h', async () => {
    const { launcher, deps } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken(3600_000) } });
    await expect(keepAlive(settingsOf({ 'chained-role-to-assume': CHAINED_ARN, 'expected-duration': '3h' }), deps)).rejects.toThrow(
      /coming for 2h more.*but the work needs 3h5m.*lasts at most 1h/s,
    );
    expect(launcher.calls).toBe(0);
  });

  test('a request token that cannot cover the need, fail-on-short-session false: a warning, and the server starts', async () => {
    const { toolkit, launcher, deps } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken(3600_000) } });
    await keepAlive(settingsOf({ 'expected-duration': '20h', 'fail-on-short-session': 'false' }), deps);
    expect(toolkit.warnings).toHaveLength(1);
    expect(toolkit.warnings[0]?.message).toMatch(/^The job can keep AWS credentials coming for 13h more/);
    expect(toolkit.warnings[0]?.title).toBe('AWS credentials will not last');
    expect(toolkit.indexOf('warning')).toBeLessThan(launcher.callsAtSend[0] as number);
    expect(launcher.calls).toBe(1);
    expect(launcher.configs[0]?.sourceEndsAt).toBe(NOW + 3600_000);
    expect(toolkit.exports).toHaveLength(1);
  });

  test('a request token that is not a JWT: its expiry is unknown, said once, and not passed on', async () => {
    const { toolkit, launcher, deps } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'opaque-request-token' } });
    await keepAlive(settingsOf({ 'expected-duration': '20h' }), deps);
    expect(toolkit.infos.filter((m) => m.includes('its expiry is unknown'))).toHaveLength(1);
    expect(toolkit.infos.join('\n')).toContain('The OIDC request token is not a JWT, so its expiry is unknown');
    expect(launcher.configs[0]).not.toHaveProperty('sourceEndsAt');
    expect(toolkit.warnings).toEqual([]);
  });
});

describe('keepAlive: a server already running for this job', () => {
  const OLD_PID = 5000;
  const OLD_AUTH = 'existing-server-auth-token-0123456789abcdefghijk';
  const OLD_CONTROL = 'existing-server-control-token-0123456789abcdefgh';
  const OLD_PROOF = 'existing-server-proof-key-0123456789abcdefghijkl';

  /** A running server from an earlier step, with its record; `handedOver`: the env still holds its endpoint and token. */
  async function runningServer(
    s: ReturnType<typeof setup>,
    options: FakeServerOptions & { identity?: string; nonce?: string; answersAs?: string } = {},
  ) {
    s.control.table.set(OLD_PID, 'start-of-old');
    const nonce = options.nonce ?? 'old-nonce';
    const fake = await startFakeServer(
      OLD_PID,
      { authToken: OLD_AUTH, controlToken: OLD_CONTROL, proofKey: OLD_PROOF, nonce: options.answersAs ?? nonce, identity: options.identity ?? identityKey(settingsOf()) },
      s.control,
      options,
    );
    mkdirSync(s.paths.dir, { recursive: true, mode: 0o700 });
    const record: ServerRecord = {
      pid: OLD_PID,
      start: 'start-of-old',
      nonce,
      dir: s.paths.dir,
      endpoint: fake.server.endpoint,
      controlToken: OLD_CONTROL,
      proofKey: OLD_PROOF,
      startedAt: NOW - 3600_000,
      roleArn: ROLE_ARN,
      identity: options.identity ?? identityKey(settingsOf()),
    };
    writePrivateFile(s.paths.record, JSON.stringify(record));
    return { fake, record };
  }
  const handedOver = (endpoint: string) => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint, AWS_CONTAINER_AUTHORIZATION_TOKEN: OLD_AUTH });

  test('for the same identity and handed over in this env: reused, no launch, the new expectation reaches it, exports repeated', async () => {
    const s = setup();
    const { fake, record } = await runningServer(s);
    const deps = { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } };
    await keepAlive(settingsOf({ 'expected-duration': '3h' }), deps);

    expect(s.launcher.calls).toBe(0);
    const expectedUntil = NOW + (3 * 3600 + 300) * 1000;
    expect(fake.expects).toEqual([expectedUntil]);
    expect(s.toolkit.indexOf('setSecret', OLD_AUTH)).toBeGreaterThanOrEqual(0);
    expect(s.toolkit.indexOf('setSecret', OLD_AUTH)).toBeLessThan(s.toolkit.indexOf('exportVariables'));
    expect(s.toolkit.exports).toHaveLength(1);
    expect(s.toolkit.exports[0]).toMatchObject({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: record.endpoint,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: OLD_AUTH,
      AWS_ACCESS_KEY_ID: '',
      AWS_REGION: 'eu-west-1',
    });
    expect(s.toolkit.outputs).toMatchObject({ 'credentials-endpoint': record.endpoint, refreshed: 'true', expiration: EXPIRATION });
    // The record and the state belong to the step that started the server.
    expect(recordOf(s.paths)).toEqual(record);
    expect(s.toolkit.state).toEqual({});
    expect(s.control.signals).toEqual([]);
    expect(fake.stops()).toBe(0);
    expect(s.toolkit.infos.join('\n')).toContain(`Reusing the keep-alive credential server already running for this job (pid ${OLD_PID}, ${record.endpoint})`);
    expect(s.toolkit.summary.join('')).toContain('Keep-alive: reused the running credential server, serving until 2026-05-01T22:00:00Z');
    expect(s.toolkit.warnings).toEqual([]);
  });

  test('reused while its expectation cannot be updated: handed over on the status it gave', async () => {
    const s = setup();
    const { record } = await runningServer(s, { expectFails: true });
    await keepAlive(settingsOf(), { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } });
    expect(s.launcher.calls).toBe(0);
    expect(s.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe(record.endpoint);
    expect(s.toolkit.outputs).toMatchObject({ expiration: EXPIRATION, 'remaining-seconds': '43200' });
  });

  test('reused, but it cannot cover the need: ShortSessionError, nothing exported', async () => {
    const s = setup();
    const { record } = await runningServer(s, { status: { coverUntil: NOW + 3600_000, maxSessionSeconds: 3600 } });
    await expect(keepAlive(settingsOf({ 'expected-duration': '2h' }), { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } })).rejects.toBeInstanceOf(
      ShortSessionError,
    );
    expect(s.launcher.calls).toBe(0);
    expect(s.toolkit.exports).toEqual([]);
  });

  test.each([
    ['another role', { 'role-to-assume': OTHER_ROLE }],
    ['another region', { 'aws-region': 'us-east-1' }],
    ['another session policy', { 'inline-session-policy': '{"Version":"2012-10-17","Statement":[]}' }],
  ])('for %s: replaced, stopped over HTTP once the new one is ready, never handed over for this step', async (_label, inputs) => {
    const s = setup();
    const { record, fake } = await runningServer(s);
    const settings = settingsOf(inputs);
    await keepAlive(settings, { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } });
    expect(fake.stops()).toBe(1);
    expect(s.control.signalsTo(OLD_PID)).toEqual([]);
    expect(s.toolkit.infos.join('\n')).toContain(
      `The keep-alive credential server running in this job (pid ${OLD_PID}) serves ${ROLE_ARN} with other settings than this step asks for: starting one for ${settings.roleToAssume?.arn}; the running one keeps serving until the new one is ready.`,
    );
    expect(s.launcher.calls).toBe(1);
    expect(s.launcher.configs[0]?.identity).toBe(identityKey(settings));
    expect(s.toolkit.exports.map((e) => e['AWS_CONTAINER_CREDENTIALS_FULL_URI'])).not.toContain(record.endpoint);
    expect(recordOf(s.paths)?.identity).toBe(identityKey(settings));
    expect(recordOf(s.paths)?.pid).toBe(s.launcher.pids[0]);
  });

  test('the same identity, but not handed over in this env (its token is gone): stopped and replaced', async () => {
    const s = setup();
    const { fake } = await runningServer(s);
    await keepAlive(settingsOf(), s.deps);
    expect(fake.stops()).toBe(1);
    expect(s.toolkit.infos.join('\n')).toContain('was handed over with credentials that are no longer in the environment: starting one for');
    expect(s.launcher.calls).toBe(1);
  });

  test.each([
    ['its first mint fails', { kind: 'failed', error: 'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity' } as Behaviour, {}, 'could not start: AccessDenied'],
    ['it cannot cover the need', { kind: 'ready', server: { status: { coverUntil: NOW + 30 * 60_000, maxSessionSeconds: 3600 } } } as Behaviour, { 'expected-duration': '2h' }, 'The job can keep AWS credentials coming for 30m more'],
    ['its account is not allowed', { kind: 'ready' } as Behaviour, { 'allowed-account-ids': '999999999999' }, 'not one of 999999999999'],
  ])('a replacement that fails (%s): the running server keeps serving, keeps its record, and later steps keep its credentials', async (_label, behaviour, inputs, message) => {
    const s = setup({ behaviour });
    const { record, fake } = await runningServer(s);
    const env = { ...s.env, ...handedOver(record.endpoint as string) };
    await expect(keepAlive(settingsOf({ 'role-to-assume': OTHER_ROLE, ...inputs }), { ...s.deps, env })).rejects.toThrow(message);
    expect(s.launcher.calls).toBe(1);
    expect(s.launcher.started?.stops() ?? 0).toBeLessThanOrEqual(1); // the new one, abandoned (a failed start has none to ask)
    expect(fake.stops()).toBe(0);
    expect(s.control.signalsTo(OLD_PID)).toEqual([]);
    expect(recordOf(s.paths)).toEqual(record);
    expect(s.toolkit.exports).toEqual([]);
    // What later steps hold still answers.
    const answer = await fetch(record.endpoint as string, { headers: { authorization: OLD_AUTH } });
    expect(answer.status).toBe(200);
  });

  test('a replacement ready, but the old server will not stop: the new one is handed over, with a warning naming the old pid', async () => {
    const s = setup();
    const { record, fake } = await runningServer(s, { stopIgnored: true });
    s.control.deaf.add(OLD_PID);
    await keepAlive(settingsOf({ 'role-to-assume': OTHER_ROLE }), { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } });
    expect(fake.stops()).toBe(1);
    expect(s.control.signalsTo(OLD_PID)).toEqual(['SIGKILL']);
    expect(recordOf(s.paths)?.pid).toBe(s.launcher.pids[0]);
    expect(s.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe(s.launcher.started?.server.endpoint);
    expect(s.toolkit.warnings).toEqual([expect.objectContaining({ title: 'Replaced credential server still running', message: expect.stringContaining(`The keep-alive credential server this step replaced (pid ${OLD_PID}) did not stop`) })]);
  });

  test('the env names another endpoint than the record: not reused', async () => {
    const s = setup();
    const { fake } = await runningServer(s);
    await keepAlive(settingsOf(), { ...s.deps, env: { ...s.env, ...handedOver('http://127.0.0.1:1/credentials') } });
    expect(fake.stops()).toBe(1);
    expect(s.launcher.calls).toBe(1);
  });

  test('another process answers on its port (another nonce): not asked over HTTP, the verified process is signalled, then replaced', async () => {
    const s = setup();
    const { fake, record } = await runningServer(s, { answersAs: 'someone-elses-nonce' });
    await keepAlive(settingsOf(), { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } });
    expect(s.toolkit.infos.join('\n')).toContain(`(pid ${OLD_PID}) does not answer: stopping it`);
    expect(fake.stops()).toBe(0);
    expect(s.control.signalsTo(OLD_PID)).toEqual(['SIGTERM']);
    expect(s.launcher.calls).toBe(1);
  });

  test("a process on its port that cannot prove it is the job's server (issue 20): warned of by name, sent no token, not reused, replaced", async () => {
    const s = setup();
    const { fake, record } = await runningServer(s);
    // The job's record holds another proof key than what listens there: the listener is not the job's server.
    writePrivateFile(s.paths.record, JSON.stringify({ ...record, proofKey: 'the-jobs-real-proof-key-that-the-listener-lacks' }));
    await keepAlive(settingsOf(), { ...s.deps, env: { ...s.env, ...handedOver(record.endpoint as string) } });
    expect(s.toolkit.warnings).toContainEqual({
      title: "Not this job's credential server",
      message: expect.stringContaining(`The process listening on 127.0.0.1:${fake.server.port} is not this job's credential server: its answer to the challenge is wrong`),
    });
    expect(fake.server.counts).toEqual({ served: 0, refused: 0, unauthorized: 0 }); // no /status, /expect or /credentials asked
    expect(fake.stops()).toBe(0);
    expect(s.control.signalsTo(OLD_PID)).toEqual(['SIGTERM']);
    expect(s.launcher.calls).toBe(1);
    expect(s.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe(s.launcher.started?.server.endpoint);
  });

  test('a record whose process lives but does not answer: stopped by signal, replaced', async () => {
    const s = setup();
    const { fake } = await runningServer(s);
    await fake.server.close();
    servers = servers.filter((x) => x !== fake.server);
    await keepAlive(settingsOf(), s.deps);
    expect(s.control.signalsTo(OLD_PID)).toEqual(['SIGTERM']);
    expect(s.launcher.calls).toBe(1);
    expect(recordOf(s.paths)?.endpoint).toBe(s.launcher.started?.server.endpoint);
  });

  test('an old server that will not stop: the step fails, says how to stop it, and starts nothing', async () => {
    const s = setup();
    const { fake } = await runningServer(s);
    await fake.server.close();
    s.control.deaf.add(OLD_PID);
    await expect(keepAlive(settingsOf(), s.deps)).rejects.toThrow(
      `The keep-alive credential server (pid ${OLD_PID}) does not answer, and it did not stop. Stop it (kill ${OLD_PID}) or use a separate job.`,
    );
    expect(s.control.signalsTo(OLD_PID)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(s.launcher.calls).toBe(0);
    expect(existsSync(s.paths.record)).toBe(true);
  });

  test('a record whose pid now belongs to another process: never signalled nor asked; a warning, and a new server', async () => {
    const s = setup();
    const { fake } = await runningServer(s);
    s.control.table.set(OLD_PID, 'start-of-an-unrelated-process');
    fileEventLog(s.paths.log, () => NOW - 60_000).write({ type: 'crashed', reason: 'unhandledRejection: Error: x' });
    await keepAlive(settingsOf(), s.deps);
    expect(s.control.signalsTo(OLD_PID)).toEqual([]);
    expect(s.control.alive(OLD_PID)).toBe(true);
    expect(fake.stops()).toBe(0);
    expect(s.toolkit.warnings[0]).toEqual({
      message: `The keep-alive credential server started earlier in this job (pid ${OLD_PID}) is no longer running: it crashed at 2026-05-01T09:59:00.000Z (unhandledRejection: Error: x). Starting a new one.`,
      title: 'Credential server restarted',
    });
    expect(s.launcher.calls).toBe(1);
    expect(recordOf(s.paths)?.pid).toBe(s.launcher.pids[0]);
  });

  test('a record whose process is gone: a warning with its last event, and a new server', async () => {
    const s = setup();
    await runningServer(s);
    s.control.table.delete(OLD_PID);
    fileEventLog(s.paths.log, () => NOW - 60_000).write({ type: 'stopped', reason: 'SIGTERM', served: 3, refused: 0 });
    await keepAlive(settingsOf(), s.deps);
    expect(s.toolkit.warnings[0]).toEqual({
      message: `The keep-alive credential server started earlier in this job (pid ${OLD_PID}) is no longer running: it stopped at 2026-05-01T09:59:00.000Z (SIGTERM). Starting a new one.`,
      title: 'Credential server restarted',
    });
    expect(s.control.signals).toEqual([]);
    expect(s.launcher.calls).toBe(1);
    expect(savedIdentity(s.toolkit)?.pid).toBe(s.launcher.pids[0]);
  });
});

describe('keepAlive: what could shadow the server', () => {
  test('AWS_PROFILE set: a warning, and it is not exported', async () => {
    const { toolkit, deps } = setup({ env: { AWS_PROFILE: 'dev' } });
    await keepAlive(settingsOf(), deps);
    expect(toolkit.warnings).toHaveLength(1);
    expect(toolkit.warnings[0]?.title).toBe('AWS_PROFILE may shadow the credential server');
    expect(toolkit.warnings[0]?.message).toContain('AWS_PROFILE is set to "dev"');
    expect(toolkit.exports[0]).not.toHaveProperty('AWS_PROFILE');
  });

  test('a shared credentials file with a default profile: a warning naming it', async () => {
    const file = join(temp, 'credentials');
    writeFileSync(file, '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    const { toolkit, deps } = setup({ env: { AWS_SHARED_CREDENTIALS_FILE: file } });
    await keepAlive(settingsOf(), deps);
    expect(toolkit.warnings).toEqual([
      {
        message: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has credentials in its default profile`)),
        title: 'Shared AWS file shadows the credential server',
      },
    ]);
    expect(toolkit.exports).toHaveLength(1);
  });

  test('a shared config file with only a named profile: no warning', async () => {
    const file = join(temp, 'config');
    writeFileSync(file, '[profile other]\nrole_arn = arn:aws:iam::123456789012:role/x\n');
    const { toolkit, deps } = setup({ env: { AWS_CONFIG_FILE: file } });
    await keepAlive(settingsOf(), deps);
    expect(toolkit.warnings).toEqual([]);
  });
});

describe('keepAlive: serve-containers (ECS link-local address)', () => {
  const containers = (extra: Record<string, string> = {}) => settingsOf({ 'serve-containers': 'true', ...extra });
  const RELATIVE = /^\/v2\/credentials\/[A-Za-z0-9_-]{43}$/;

  test('adds the address, starts the server there too, redirects port 80, probes through it, and exports only the relative URI', async () => {
    const host = new FakeHost();
    const { toolkit, launcher, deps, paths } = setup({ host });
    await keepAlive(containers(), deps);

    const config = launcher.configs[0] as ServerConfig;
    const relative = config.linkLocal?.relativePath ?? '';
    expect(config.linkLocal?.host).toBe('169.254.170.2');
    expect(relative).toMatch(RELATIVE); // 256 random bits after the prefix
    const secretPart = relative.slice('/v2/credentials/'.length);
    // masked before the config leaves, and before anything is exported
    const maskAt = toolkit.indexOf('setSecret', secretPart);
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(maskAt).toBeLessThan(launcher.callsAtSend[0] as number);

    // the address before the launch (the server listens on it), the rules after (they need its port)
    const fake = launcher.started as FakeServer;
    expect(host.changes).toEqual([
      'sudo -n ip addr add 169.254.170.2/32 dev lo',
      expect.stringMatching(/^sudo -n iptables -t nat -A PREROUTING -d 169\.254\.170\.2\/32 .* --comment aws-session-guard-[0-9a-f]{32} -j DNAT --to-destination 169\.254\.170\.2:\d+$/),
      expect.stringMatching(/^sudo -n iptables -t nat -A OUTPUT /),
    ]);
    expect(host.rules.every((r) => r.endsWith(`169.254.170.2:${fake.server.linkLocalPort ?? 0}`))).toBe(true);
    expect(host.rules.every((r) => r.includes(`--comment aws-session-guard-${config.nonce} `))).toBe(true);

    expect(toolkit.exports).toEqual([
      {
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_CREDENTIAL_EXPIRATION: '',
        AWS_SESSION_GUARD_SESSION: '',
        // the Go SDKs read the full URI first: cleared, with its token
        AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: '',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative,
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      },
    ]);
    // the served request went through the link-local listener (the probe) and the loopback one (the token probe)
    expect(fake.server.counts.served).toBe(2);

    // state and record: what post needs, no secret
    const state = JSON.parse(toolkit.state['link-local'] ?? 'null') as { tag: string; addedAddress: boolean };
    expect(state).toEqual({ tag: `aws-session-guard-${config.nonce}`, addedAddress: true });
    expect(toolkit.indexOf('saveState', 'link-local')).toBeLessThan(launcher.callsAtSend[0] as number);
    const record = recordOf(paths) as ServerRecord;
    expect(record.linkLocal).toEqual(state);
    expect(record.relativeUriDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(paths.record, 'utf8')).not.toContain(secretPart);
    expect(JSON.stringify(toolkit.state)).not.toContain(secretPart);
    expect(toolkit.warnings.map((w) => w.message)).toEqual([]);
  });

  test('where the address cannot be added: loopback mode, with a warning naming what will not reach the server', async () => {
    const host = new FakeHost({ sudoNeedsPassword: true });
    const { toolkit, launcher, deps } = setup({ host });
    await keepAlive(containers(), deps);
    expect((launcher.configs[0] as ServerConfig).linkLocal).toBeUndefined();
    expect(host.changes).toEqual([]);
    expect(toolkit.warnings.map((w) => w.message)).toEqual([
      "'serve-containers: true', but 169.254.170.2 cannot be set up: `sudo -n iptables -t nat -S` failed: sudo: a password is required. " +
        'The credential server serves loopback only, so container actions, `docker run` in a step, and SDKs that read only ' +
        'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (Ruby aws-sdk-core 3.168 as in Debian, the Java SDK v1, PHP) will not reach it. ' +
        'Fix: run on Linux with passwordless sudo (GitHub-hosted runners have it), iproute2 and iptables.',
    ]);
    const exported = toolkit.exports[0] ?? {};
    expect(exported['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
    expect('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' in exported).toBe(false);
    expect(toolkit.state['link-local']).toBeUndefined();
  });

  test('where 169.254.170.2 is in use: refused before anything starts or changes', async () => {
    const host = new FakeHost();
    host.addresses.push('5: ecs-bridge    inet 169.254.170.2/22 scope global ecs-bridge');
    const { launcher, deps } = setup({ host });
    await expect(keepAlive(containers(), deps)).rejects.toThrow(
      "'serve-containers: true', but 169.254.170.2 is already configured on an interface of this host: on runners hosted in ECS or CodeBuild",
    );
    expect(launcher.calls).toBe(0);
    expect(host.changes).toEqual([]);
  });

  test('an inherited relative URI (ECS, CodeBuild): refused with serve-containers; a warning with the fix in loopback mode, never exported empty', async () => {
    const host = new FakeHost();
    const refused = setup({ host, env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/from-codebuild' } });
    await expect(keepAlive(containers(), refused.deps)).rejects.toThrow('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is already set in this job');
    expect(refused.launcher.calls).toBe(0);
    expect(host.commands).toEqual([]);

    const loopback = setup({ env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/from-codebuild' } });
    await keepAlive(settingsOf(), loopback.deps);
    expect(loopback.toolkit.warnings.map((w) => w.message).join('\n')).toContain('Fix: run those commands with `env -u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`');
    expect('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' in (loopback.toolkit.exports[0] ?? {})).toBe(false);
  });

  test('the web-identity pair: cleared only where present, and a warning for Ruby when both are', async () => {
    const one = setup({ host: new FakeHost(), env: { AWS_ROLE_ARN: ROLE_ARN } });
    await keepAlive(containers(), one.deps);
    expect(one.toolkit.exports[0]?.['AWS_ROLE_ARN']).toBe('');
    expect('AWS_WEB_IDENTITY_TOKEN_FILE' in (one.toolkit.exports[0] ?? {})).toBe(false);
    expect(one.toolkit.warnings.map((w) => w.message)).toEqual([]);

    const both = setup({ host: new FakeHost(), env: { AWS_ROLE_ARN: '', AWS_WEB_IDENTITY_TOKEN_FILE: '' } });
    await keepAlive(containers(), both.deps);
    expect(both.toolkit.warnings.map((w) => w.message).join('\n')).toContain('The Ruby SDK (aws-sdk-core 3.168) takes even an empty value as set');
  });

  test('a failed NAT rule: the server is stopped, the address removed, the step fails', async () => {
    const host = new FakeHost({ appendFails: true });
    const { launcher, control, deps, paths } = setup({ host });
    await expect(keepAlive(containers(), deps)).rejects.toThrow('The keep-alive credential server could not serve containers: could not redirect 169.254.170.2:80');
    expect(control.alive(launcher.pids[0] as number)).toBe(false);
    expect(host.hasLinkLocal()).toBe(false);
    expect(host.rules).toEqual([]);
    expect(existsSync(paths.record)).toBe(false);
  });

  test('a later serve-containers step reuses the server; a loopback step replaces it and undoes its address and rules', async () => {
    const host = new FakeHost();
    const first = setup({ host });
    await keepAlive(containers(), first.deps);
    const relative = first.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] ?? '';

    const again = setup({ host, env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative, AWS_CONTAINER_CREDENTIALS_FULL_URI: '' } });
    again.deps = { ...again.deps, control: first.control };
    await keepAlive(containers(), again.deps);
    expect(again.launcher.calls).toBe(0);
    expect(again.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']).toBe(relative);
    expect(again.toolkit.secrets).toContain(relative.slice('/v2/credentials/'.length));
    expect(host.rules).toHaveLength(2);

    // A step that does not ask for containers, in a job whose relative URI is ours: SDKs read that URI first and it
    // cannot be unset, so the step keeps serving containers (here: reuses the server), and the URI keeps working.
    const loop = setup({ host, env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative } });
    loop.deps = { ...loop.deps, control: first.control };
    await keepAlive(settingsOf(), loop.deps);
    expect(loop.launcher.calls).toBe(0);
    expect(loop.toolkit.infos.join('\n')).toContain('this step serves containers too');
    expect(loop.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']).toBe(relative);
    expect(host.rules).toHaveLength(2);
    expect(host.hasLinkLocal()).toBe(true);

    // For another role it starts a server that serves containers too, and the exported relative URI names it.
    const other = setup({ host, env: { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: relative } });
    other.deps = { ...other.deps, control: first.control };
    await keepAlive(settingsOf({ 'role-to-assume': OTHER_ROLE }), other.deps);
    expect(other.launcher.calls).toBe(1);
    expect(first.control.alive(first.launcher.pids[0] as number)).toBe(false);
    const next = other.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] ?? '';
    expect(next).toMatch(/^\/v2\/credentials\/./);
    expect(next).not.toBe(relative);
    expect(host.hasLinkLocal()).toBe(true);
    expect(host.rules).toHaveLength(2);
  });

  test('a second serve-containers step where the address still cannot be added reuses the loopback server', async () => {
    const host = new FakeHost({ sudoNeedsPassword: true });
    const first = setup({ host });
    await keepAlive(containers(), first.deps);
    const exported = first.toolkit.exports[0] ?? {};
    const again = setup({
      host,
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: exported['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '', AWS_CONTAINER_AUTHORIZATION_TOKEN: exported['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '' },
    });
    again.deps = { ...again.deps, control: first.control };
    await keepAlive(containers(), again.deps);
    expect(again.launcher.calls).toBe(0);
    expect(again.toolkit.exports[0]?.['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe(exported['AWS_CONTAINER_CREDENTIALS_FULL_URI']);
  });
});

describe('keepAlive: every credential source', () => {
  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const noOidc = { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined };

  test('input keys: no OIDC needed, no end (20 h of work passes), keys masked before the config goes over IPC and never in the env', async () => {
    const { toolkit, launcher, deps } = setup({ env: noOidc });
    await keepAlive(settingsOf({ 'aws-access-key-id': KEY_ID, 'aws-secret-access-key': SECRET, 'expected-duration': '20h' }), deps);
    const config = launcher.configs[0];
    expect(config?.source).toEqual({ kind: 'static-keys', keys: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
    expect(config).not.toHaveProperty('sourceEndsAt');
    expect(toolkit.secrets).toEqual(expect.arrayContaining([KEY_ID, SECRET]));
    expect(toolkit.secrets.indexOf(SECRET)).toBeLessThan(launcher.callsAtSend[0] ?? 0);
    expect(JSON.stringify(launcher.envs[0])).not.toContain(SECRET);
  });

  test('session keys with a known end: fail fast when the work outlasts them', async () => {
    const { launcher, deps } = setup({ env: noOidc });
    const settings = settingsOf({
      'aws-access-key-id': KEY_ID,
      'aws-secret-access-key': SECRET,
      'aws-session-token': 'IQoJb3JpZ2luX2VjEXAMPLE',
      expiration: new Date(NOW + 3600_000).toISOString(),
      'expected-duration': '20h',
    });
    await expect(keepAlive(settings, deps)).rejects.toThrow(/the session keys given as inputs expire at/);
    expect(launcher.calls).toBe(0);
  });

  test('a token file: its path goes to the server, which reads it at every refresh', async () => {
    const file = join(temp, 'token');
    writeFileSync(file, makeJwt({ sub: 'system:serviceaccount:ci:runner' }));
    const { launcher, deps } = setup({ env: noOidc });
    await keepAlive(settingsOf({ 'web-identity-token-file': file, 'expected-duration': '20h' }), deps);
    expect(launcher.configs[0]?.source).toEqual({ kind: 'token-file', path: file });
  });

  test('the credentials in place: the env keys go over IPC; without them, the server gets what the SDK default chain reads', async () => {
    const withKeys = setup({ env: { ...noOidc, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET } });
    await keepAlive(settingsOf({ 'role-chaining': 'true' }), withKeys.deps);
    expect(withKeys.launcher.configs[0]?.source).toEqual({ kind: 'existing', keys: { accessKeyId: KEY_ID, secretAccessKey: SECRET } });
    expect(withKeys.launcher.envs[0]).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(withKeys.toolkit.secrets).toEqual(expect.arrayContaining([SECRET]));

    const chain = setup({ env: { ...noOidc, AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1338', AWS_PROFILE: 'ci', 'INPUT_ROLE-CHAINING': 'true' } });
    await keepAlive(settingsOf({ 'role-chaining': 'true' }), chain.deps);
    expect(chain.launcher.configs[0]?.source).toEqual({ kind: 'existing' });
    expect(chain.launcher.envs[0]).toMatchObject({ AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:1338', AWS_PROFILE: 'ci' });
    expect(chain.launcher.envs[0]).not.toHaveProperty('INPUT_ROLE-CHAINING');
  });

  test('GitHub OIDC still needs both request variables', async () => {
    const { launcher, deps } = setup({ env: { ACTIONS_ID_TOKEN_REQUEST_URL: undefined } });
    await expect(keepAlive(settingsOf(), deps)).rejects.toThrow(/permissions: id-token: write/);
    expect(launcher.calls).toBe(0);
  });
});

describe('keepAlive: configure-aws-credentials delivery inputs', () => {
  test('allowed-account-ids: a served session in another account stops the server it started and exports nothing', async () => {
    const { toolkit, launcher, control, deps, paths } = setup({ behaviour: { kind: 'ready', server: { status: { assumedRoleArn: 'arn:aws:sts::999999999999:assumed-role/deploy/x' } } } });
    await expect(keepAlive(settingsOf({ 'allowed-account-ids': ACCOUNT_ID }), deps)).rejects.toThrow(/account 999999999999, which is not one of 123456789012/);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
    expect(control.alive(launcher.pids[0] ?? 0)).toBe(false);
    expect(existsSync(paths.record)).toBe(false);
  });

  test('output-env-credentials: false exports no AWS_* variable; output-credentials gives the first session, masked', async () => {
    const { toolkit, deps } = setup();
    await keepAlive(settingsOf({ 'output-env-credentials': 'false', 'output-credentials': 'true' }), deps);
    expect(toolkit.exports.flatMap((e) => Object.keys(e)).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(toolkit.outputs['aws-access-key-id']).toBe('ASIAFAKEKEY');
    expect(toolkit.outputs['aws-session-token']).toBe('fake-session-token');
    expect(toolkit.outputs['aws-expiration']).toBe(JSON.stringify(new Date(EXPIRATION).toISOString()));
    expect(toolkit.indexOf('setSecret', 'fake-secret')).toBeLessThan(toolkit.indexOf('setOutput', 'aws-secret-access-key'));
    expect(toolkit.outputs['credentials-endpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
  });

  test('aws-profile: a credential_process profile naming a 0600 file with the endpoint and token; AWS_PROFILE with output-env-credentials', async () => {
    const { toolkit, deps, env, paths, launcher } = setup();
    await keepAlive(settingsOf({ 'aws-profile': 'ci', 'output-env-credentials': 'true' }), deps);
    const config = readFileSync(env['AWS_CONFIG_FILE'] ?? '', 'utf8');
    // Plain paths are written bare: the Go SDKs' ini parsers would read a value that starts with a quote as that quoted string alone.
    const m = /^\[profile ci\]\nregion = eu-west-1\ncredential_process = (\S+) (\S+) (\S+)\n$/.exec(config);
    expect(m?.[1]).toBe(process.execPath);
    expect(m?.[2]).toMatch(/credential-process[\\/]index\.js$/);
    const file = m?.[3] ?? '';
    expect(dirname(file)).toBe(paths.dir);
    if (isPosix) expect(statSync(file).mode & 0o777).toBe(0o600);
    const exported = toolkit.exports.at(-1) ?? {};
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      endpoint: exported['AWS_CONTAINER_CREDENTIALS_FULL_URI'],
      token: exported['AWS_CONTAINER_AUTHORIZATION_TOKEN'],
      proofKey: launcher.configs[0]?.proofKey, // the helper proves the server before it sends the token (issue 20)
    });
    expect(exported['AWS_PROFILE']).toBe('ci');
    // the profile's own AWS_PROFILE is not warned about as shadowing the server
    expect(toolkit.warnings.map((w) => w.title)).not.toContain('AWS_PROFILE may shadow the credential server');
    expect(JSON.parse(toolkit.state['profile'] ?? '{}').sections).toHaveLength(1);
  });

  test('aws-profile: an existing profile fails before the server starts', async () => {
    const { launcher, deps, env } = setup();
    writeFileSync(env['AWS_CONFIG_FILE'] ?? '', '[profile ci]\nregion = us-east-1\n');
    await expect(keepAlive(settingsOf({ 'aws-profile': 'ci' }), deps)).rejects.toThrow(/already exists/);
    expect(launcher.calls).toBe(0);
  });

  test('action-timeout-s: an abort while waiting for the server stops it and exports nothing', async () => {
    const controller = new AbortController();
    const { toolkit, launcher, control, deps, paths } = setup({ behaviour: { kind: 'silent' } });
    setTimeout(() => controller.abort(), 30);
    await expect(keepAlive(settingsOf(), { ...deps, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(toolkit.exports).toEqual([]);
    expect(control.alive(launcher.pids[0] ?? 0)).toBe(false);
    expect(existsSync(paths.record)).toBe(false);
  });
});

test('action-timeout-s with serve-containers: an abort while waiting for the server also removes the address it added', async () => {
  const controller = new AbortController();
  const host = new FakeHost();
  const { toolkit, launcher, control, deps, paths } = setup({ host, behaviour: { kind: 'silent' } });
  setTimeout(() => controller.abort(), 30);
  await expect(keepAlive(settingsOf({ 'serve-containers': 'true' }), { ...deps, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  expect(host.changes[0]).toBe('sudo -n ip addr add 169.254.170.2/32 dev lo');
  expect(host.hasLinkLocal()).toBe(false);
  expect(toolkit.exports).toEqual([]);
  expect(control.alive(launcher.pids[0] ?? 0)).toBe(false);
  expect(existsSync(paths.record)).toBe(false);
});

describe('credentialProcessCommand', () => {
  test('plain paths bare (the Go SDKs misread a value that starts with a quote), others quoted, unsafe ones refused', async () => {
    const { credentialProcessCommand } = await import('../../src/keepalive/keep-alive.js');
    expect(credentialProcessCommand('/opt/node24/bin/node', '/a/dist/credential-process/index.js', '/tmp/x/n-credential-process.json')).toBe(
      '/opt/node24/bin/node /a/dist/credential-process/index.js /tmp/x/n-credential-process.json',
    );
    expect(credentialProcessCommand('/opt/my node/node', '/a/b.js', '/f')).toBe('"/opt/my node/node" /a/b.js /f');
    if (isPosix) {
      expect(() => credentialProcessCommand('/opt/$HOME/node', '/a', '/f')).toThrow(/cannot write a credential_process/);
      expect(() => credentialProcessCommand('/opt/a"b/node', '/a', '/f')).toThrow(/cannot write a credential_process/);
    }
  });
});
