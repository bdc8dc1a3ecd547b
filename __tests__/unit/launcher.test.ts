/**
 * Starting the server detached, with its configuration over IPC: against tiny
 * real child scripts written to a temp folder, standing in for the server.
 */
import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detachedLauncher, serverEntry, serverEnvironment, SERVER_ENV_NAMES, type LaunchOutcome } from '../../src/keepalive/launcher.js';
import type { ServerConfig } from '../../src/keepalive/protocol.js';
import { realProcessControl } from '../../src/keepalive/process-control.js';

const isLinux = process.platform === 'linux';

let temp: string;
let pids: number[] = [];
beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'launcher-'));
});
afterEach(() => {
  for (const pid of pids) realProcessControl.signal(pid, 'SIGKILL');
  pids = [];
  rmSync(temp, { recursive: true, force: true });
});

const config = (nonce: string): ServerConfig => ({
  authToken: 'auth-token-secret',
  controlToken: 'control-token-secret',
  proofKey: 'proof-key-secret',
  nonce,
  identity: 'identity',
  roleArn: 'arn:aws:iam::123456789012:role/deploy',
  roleSessionName: 's',
  region: 'eu-west-1',
  audience: 'sts.amazonaws.com',
  policyArns: [],
  sessionSeconds: 43200,
  retryMaxAttempts: 3,
  expectedUntil: 1,
  dir: temp,
});

/** Writes a child script; it gets `out` (a file it may write to) as its first argument. */
function script(name: string, body: string): string {
  const path = join(temp, name);
  writeFileSync(path, body);
  return path;
}

/** Answers ready with the config's nonce and what it saw; stays alive, and notes in `out` when the channel closes. */
const READY_SERVER = `
const { appendFileSync } = require('node:fs');
const out = __filename + '.out';
process.on('disconnect', () => appendFileSync(out, 'disconnected\\n'));
process.once('message', (config) => {
  appendFileSync(out, 'config ' + JSON.stringify(config) + '\\n');
  process.send({ type: 'ready', nonce: config.nonce, port: 4321, expiration: '2026-05-01T22:00:00Z', remainingSeconds: 43200,
    assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/deploy/s', sessionSeconds: 43200, env: Object.keys(process.env).sort() });
});
setInterval(() => {}, 1000);
`;

const waitFor = async (check: () => boolean, ms = 5000) => {
  for (let waited = 0; !check() && waited < ms; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('serverEnvironment: the server gets only what it needs', () => {
  const stepEnv: Record<string, string | undefined> = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    RUNNER_TRACKING_ID: 'github_1234',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
    HTTPS_PROXY: 'http://proxy:3128',
    NO_PROXY: 'localhost',
    NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
    AWS_USE_FIPS_ENDPOINT: 'true',
    // What stays behind:
    AWS_ACCESS_KEY_ID: 'AKIAEARLIER',
    AWS_SECRET_ACCESS_KEY: 'earlier-secret',
    AWS_SESSION_TOKEN: 'earlier-token',
    AWS_PROFILE: 'dev',
    AWS_CONTAINER_AUTHORIZATION_TOKEN: 'older-server-token',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/credentials',
    AWS_ENDPOINT_URL_STS: 'https://sts.example',
    'INPUT_ROLE-TO-ASSUME': 'arn:aws:iam::123456789012:role/deploy',
    INPUT_EXPIRATION: 'x',
    GITHUB_ENV: '/runner/_temp/_runner_file_commands/set_env_1',
    GITHUB_OUTPUT: '/runner/_temp/_runner_file_commands/set_output_1',
    GITHUB_STATE: '/runner/_temp/_runner_file_commands/save_state_1',
    GITHUB_STEP_SUMMARY: '/runner/_temp/_runner_file_commands/step_summary_1',
    GITHUB_TOKEN: 'ghs_secret',
    NODE_OPTIONS: '--require /tmp/evil.js',
    RUNNER_TEMP: '/runner/_temp',
    UNSET: undefined,
  };

  test('keeps the allowlist, the runner tracking ID and the OIDC request pair', () => {
    expect(serverEnvironment(stepEnv)).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      RUNNER_TRACKING_ID: 'github_1234',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: 'localhost',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      AWS_USE_FIPS_ENDPOINT: 'true',
    });
  });

  test.each([
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    'AWS_ENDPOINT_URL_STS',
    'INPUT_ROLE-TO-ASSUME',
    'GITHUB_ENV',
    'GITHUB_OUTPUT',
    'GITHUB_STATE',
    'GITHUB_TOKEN',
    'NODE_OPTIONS',
  ])('drops %s', (name) => {
    expect(serverEnvironment(stepEnv)).not.toHaveProperty(name);
  });

  test('every name on the list is kept when set, nothing else ever', () => {
    const all = Object.fromEntries([...SERVER_ENV_NAMES, 'ANYTHING_ELSE', 'INPUT_X', 'AWS_REGION'].map((n) => [n, `v-${n}`]));
    expect(Object.keys(serverEnvironment(all)).sort()).toEqual([...SERVER_ENV_NAMES].sort());
    expect(serverEnvironment({})).toEqual({});
  });
});

describe('serverEntry', () => {
  test('the server bundle beside the main bundle', () => {
    expect(serverEntry('file:///opt/action/dist/main/index.js')).toBe('/opt/action/dist/server/index.js');
  });
});

describe('detachedLauncher against a real child', () => {
  test('the config goes over IPC; the ready answer comes back; the child runs detached with only the env given', async () => {
    const entry = script('ready.cjs', READY_SERVER);
    const env = { PATH: process.env['PATH'] ?? '', RUNNER_TRACKING_ID: 'github_42' };
    const launched = detachedLauncher(entry)(env);
    pids.push(launched.pid);
    expect(realProcessControl.alive(launched.pid)).toBe(true);
    launched.send(config('nonce-1'));
    const outcome = (await launched.outcome) as LaunchOutcome & { env?: string[] };
    expect(outcome).toMatchObject({ type: 'ready', nonce: 'nonce-1', port: 4321, sessionSeconds: 43200 });
    expect(outcome.env).toEqual(['PATH', 'RUNNER_TRACKING_ID']);
    // The config (with both tokens) arrived whole, through the channel: no file holds it.
    const seen = readFileSync(`${entry}.out`, 'utf8');
    expect(seen).toContain(`config ${JSON.stringify(config('nonce-1'))}`);
    if (isLinux) {
      // Detached: a session and process group of its own, so the step's end does not take it down.
      const stat = readFileSync(`/proc/${launched.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      expect(fields[2]).toBe(String(launched.pid)); // process group
      expect(fields[3]).toBe(String(launched.pid)); // session
    }
    launched.release();
    // The channel is closed: the child sees it, and lives on.
    expect(await waitFor(() => readFileSync(`${entry}.out`, 'utf8').includes('disconnected'))).toBe(true);
    expect(realProcessControl.alive(launched.pid)).toBe(true);
    // Released twice is harmless.
    expect(() => launched.release()).not.toThrow();
  });

  test('a child that exits before answering: outcome "exited" with its code', async () => {
    const entry = script('exit.cjs', 'process.exit(3);');
    const launched = detachedLauncher(entry)({ PATH: process.env['PATH'] ?? '' });
    pids.push(launched.pid);
    expect(await launched.outcome).toEqual({ type: 'exited', code: 3, signal: null });
  });

  test('a child killed before answering: outcome "exited" with the signal', async () => {
    const entry = script('hang.cjs', 'setInterval(() => {}, 1000);');
    const launched = detachedLauncher(entry)({});
    pids.push(launched.pid);
    realProcessControl.signal(launched.pid, 'SIGKILL');
    expect(await launched.outcome).toEqual({ type: 'exited', code: null, signal: 'SIGKILL' });
  });

  test('a failed answer is passed on as it is', async () => {
    const entry = script(
      'fail.cjs',
      "process.once('message', (c) => process.send({ type: 'failed', nonce: c.nonce, error: 'AccessDenied: no' }, () => process.exit(1)));",
    );
    const launched = detachedLauncher(entry)({});
    pids.push(launched.pid);
    launched.send(config('nonce-2'));
    expect(await launched.outcome).toEqual({ type: 'failed', nonce: 'nonce-2', error: 'AccessDenied: no' });
    launched.release();
  });

  test('a node that cannot be started: an error at once', () => {
    expect(() => detachedLauncher(join(temp, 'x.js'), join(temp, 'no-such-node'))({})).toThrow(/could not start the credential server/);
  });

  test('release() lets the launching process exit while the server runs on', async () => {
    // The launcher runs in a process of its own, as in the main step: once released, nothing keeps that process alive.
    const entry = script('ready.cjs', READY_SERVER);
    const driver = script(
      'driver.mts',
      `import { detachedLauncher } from ${JSON.stringify(join(process.cwd(), 'src/keepalive/launcher.ts'))};
const launched = detachedLauncher(${JSON.stringify(entry)})({});
console.log(launched.pid);
launched.send({ authToken: 'a', controlToken: 'c', nonce: 'n', identity: 'i', roleArn: 'r', roleSessionName: 's', region: 'r', audience: 'a', policyArns: [], retryMaxAttempts: 1, expectedUntil: 1, dir: '/' });
const outcome = await launched.outcome;
launched.release();
console.log(JSON.stringify({ pid: launched.pid, type: outcome.type }));
`,
    );
    const tsx = join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs');
    const started = Date.now();
    const proc = spawn(process.execPath, ['--import', existsSync(tsx) ? tsx : 'tsx', driver], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve(-1);
      }, 10_000);
      proc.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const [first, last] = out.trim().split('\n');
    if (first) pids.push(Number(first)); // killed after the test, whatever happens
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const { pid, type } = JSON.parse(last ?? '') as { pid: number; type: string };
    expect(pid).toBe(Number(first));
    expect(type).toBe('ready');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(realProcessControl.alive(pid)).toBe(true);
  });
});
