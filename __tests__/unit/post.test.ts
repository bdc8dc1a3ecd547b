/**
 * The post step in-process: a real credential server in this process stands
 * in for the server process; the record's pid is a child process the test
 * controls (never this process: post may kill the recorded pid).
 */
import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { post } from '../../src/keepalive/post.js';
import { processAlive } from '../../src/keepalive/client.js';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { keepAlivePaths, writePrivateFile, type KeepAlivePaths, type ServerRecord } from '../../src/keepalive/files.js';
import { FakeToolkit, ROLE_ARN } from './fakes.js';

const TOKEN = 'post-test-token-abcdefghijklmnopqrstuvwxyz012345';
const T0 = Date.parse('2026-05-01T10:00:00Z');

let temp: string;
let paths: KeepAlivePaths;
let env: Record<string, string>;
let server: CredentialServer | undefined;
let children: ChildProcess[] = [];
let stops = 0;
let onStop: () => void = () => undefined;

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'post-unit-'));
  env = { RUNNER_TEMP: temp };
  paths = keepAlivePaths(env);
  stops = 0;
  onStop = () => undefined;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  rmSync(temp, { recursive: true, force: true });
});

async function startServer(): Promise<CredentialServer> {
  server = await startCredentialServer({
    authToken: TOKEN,
    available: () => ({ ok: false, reason: 'not used' }),
    status: () => ({ pid: 1, refreshes: 1, served: 0, refused: 0, expectedUntil: 0 }),
    expect: () => undefined,
    stop: () => {
      stops++;
      onStop();
    },
  });
  return server;
}

/** The pid of a process that has already exited (and been reaped). */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

/** A running child process that stands in for the server process. */
function liveChild(): { child: ChildProcess; pid: number; exited: Promise<NodeJS.Signals | null> } {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  return { child, pid: child.pid as number, exited };
}

function writeRecord(pid: number, endpoint: string): ServerRecord {
  const record: ServerRecord = { pid, endpoint, authToken: TOKEN, startedAt: T0, roleArn: ROLE_ARN, servesFor: '[]' };
  writePrivateFile(paths.record, JSON.stringify(record), paths.dir);
  return record;
}

function writeLog(pid: number, last: 'stopped' | 'refresh-failed'): void {
  let t = T0;
  const log = fileEventLog(paths.log, () => (t += 1000));
  log.write({ type: 'started', pid, endpoint: 'http://127.0.0.1:1/credentials' });
  log.write({ type: 'refreshed', expiration: '2026-05-01T22:00:01Z', sessionSeconds: 43200, latencyMs: 120, stsCalls: 1, served: 0 });
  log.write({ type: 'refreshed', expiration: '2026-05-02T09:40:00Z', sessionSeconds: 43200, latencyMs: 95, stsCalls: 2, served: 17 });
  if (last === 'stopped') log.write({ type: 'stopped', reason: 'stop requested', served: 20, refused: 1 });
  else log.write({ type: 'refresh-failed', code: 'ExpiredTokenException', message: 'Token expired', nextTryMs: 2000, served: 20 });
}

const toolkitWithState = (): FakeToolkit => {
  const toolkit = new FakeToolkit();
  toolkit.state['server-started-here'] = 'true';
  return toolkit;
};

describe('post', () => {
  test('no saved state (this instance started no server): does nothing, files untouched', async () => {
    const s = await startServer();
    writeRecord(deadPid(), s.endpoint);
    writeLog(1, 'stopped');
    const toolkit = new FakeToolkit();
    await post({ toolkit, env });
    expect(toolkit.calls).toEqual([]);
    expect(stops).toBe(0);
    expect(readdirSync(paths.dir).sort()).toEqual(['server-log.jsonl', 'server.json']);
  });

  test('a live server: stop request received, timeline in the summary, folder removed', async () => {
    const s = await startServer();
    const pid = deadPid(); // the process is gone by the time post looks: no wait, no kill
    writeRecord(pid, s.endpoint);
    writeLog(pid, 'stopped');
    const toolkit = toolkitWithState();
    const slept: number[] = [];
    await post({ toolkit, env, sleep: async (ms) => void slept.push(ms) });
    await new Promise((r) => setImmediate(r));

    expect(stops).toBe(1);
    expect(slept).toEqual([]);
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${pid}).`]);
    expect(toolkit.summary).toHaveLength(1);
    const timeline = toolkit.summary[0] as string;
    expect(timeline).toContain('### aws-session-guard keep-alive timeline');
    expect(timeline).toContain('2 session(s) minted, 0 failed refresh(es), 0 STS retries, 20 credential request(s) served, 1 refused.');
    expect(timeline).toContain(`| 10:00:01Z | server started (pid ${pid}) | | |`);
    expect(timeline).toContain('| 10:00:02Z | first session (12h) | 2026-05-01T22:00:01Z | 120 ms |');
    expect(timeline).toContain('| 10:00:03Z | refreshed (12h) | 2026-05-02T09:40:00Z | 95 ms |');
    expect(timeline).toContain('| 10:00:04Z | stopped (stop requested) | | |');
    expect(toolkit.printed).not.toContain(TOKEN);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a live server whose process exits on stop: post waits for it, does not kill', async () => {
    const s = await startServer();
    const { child, pid, exited } = liveChild();
    onStop = () => void child.kill('SIGINT');
    writeRecord(pid, s.endpoint);
    const toolkit = toolkitWithState();
    const slept: number[] = [];
    await post({ toolkit, env, sleep: (ms) => new Promise((r) => setTimeout(() => r(void slept.push(ms)), 10)) });
    expect(stops).toBe(1);
    expect(await exited).toBe('SIGINT');
    expect(slept.length).toBeLessThan(40);
    expect(slept.every((ms) => ms === 50)).toBe(true);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${pid}).`]);
    expect(toolkit.summary).toEqual([]); // no log, no timeline
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a server process that does not exit after stop: killed after about 2 s of waiting', async () => {
    const s = await startServer();
    const { pid, exited } = liveChild();
    writeRecord(pid, s.endpoint);
    const toolkit = toolkitWithState();
    const slept: number[] = [];
    await post({ toolkit, env, sleep: async (ms) => void slept.push(ms) });
    expect(stops).toBe(1);
    expect(slept).toEqual(Array<number>(40).fill(50));
    expect(await exited).toBe('SIGTERM');
    expect(processAlive(pid)).toBe(false);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a dead server: a warning "stopped before the end of the job" with its last event, folder removed', async () => {
    const s = await startServer();
    const endpoint = s.endpoint;
    await s.close();
    server = undefined;
    const pid = deadPid();
    writeRecord(pid, endpoint);
    writeLog(pid, 'refresh-failed');
    const toolkit = toolkitWithState();
    await post({ toolkit, env, sleep: async () => undefined });

    expect(toolkit.warnings).toEqual([
      {
        message:
          `The keep-alive credential server (pid ${pid}) stopped before the end of the job: its last event was a failed refresh at ` +
          '2026-05-01T10:00:04.000Z (ExpiredTokenException: Token expired). Steps that ran after that got no credentials from it.',
        title: 'Credential server stopped early',
      },
    ]);
    expect(toolkit.infos).toEqual(['The keep-alive credential server was not running.']);
    expect(toolkit.summary[0]).toContain('2 session(s) minted, 1 failed refresh(es)');
    expect(toolkit.summary[0]).toContain('| 10:00:04Z | refresh failed: ExpiredTokenException; kept serving the old session, next try in 2s | | |');
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('state but no record (the server never started): the timeline if any, folder removed', async () => {
    writePrivateFile(join(paths.dir, 'server-ready.json'), '{"ok":false,"pid":1,"error":"x"}', paths.dir);
    writeLog(4242, 'stopped');
    const toolkit = toolkitWithState();
    await post({ toolkit, env });
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.infos).toEqual([]);
    expect(toolkit.summary).toHaveLength(1);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('state, no folder at all: nothing to say, no error', async () => {
    const toolkit = toolkitWithState();
    await post({ toolkit, env });
    expect(toolkit.calls).toEqual([]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('the folder (and the token in the record) is removed even when the summary cannot be written', async () => {
    const s = await startServer();
    writeRecord(deadPid(), s.endpoint);
    writeLog(1, 'stopped');
    class BrokenSummary extends FakeToolkit {
      override appendSummary(): void {
        throw new Error('summary file gone');
      }
    }
    const toolkit = new BrokenSummary();
    toolkit.state['server-started-here'] = 'true';
    await expect(post({ toolkit, env })).rejects.toThrow('summary file gone');
    expect(stops).toBe(1);
    expect(existsSync(paths.dir)).toBe(false);
  });
});
