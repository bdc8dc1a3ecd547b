/**
 * The post step in-process. A real credential server in this process stands
 * in for the server's HTTP side; its process is a fake process table, or a
 * real child process the test controls (never this process: post may kill the
 * pid it was given).
 */
import { describe, test, expect, afterEach, beforeEach } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { post, runPost } from '../../src/keepalive/post.js';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import { fileEventLog } from '../../src/keepalive/events.js';
import { openPrivateFolder, writePrivateFile, type KeepAlivePaths, type ServerIdentity, type ServerRecord } from '../../src/keepalive/files.js';
import { realProcessControl, type ProcessControl } from '../../src/keepalive/process-control.js';
import { FakeControl, FakeToolkit, ROLE_ARN } from './fakes.js';
import { FakeHost } from './fake-host.js';
import { ruleTag } from '../../src/keepalive/link-local.js';

const CONTROL = 'post-test-control-token-abcdefghijklmnopqrstuvwxyz';
const PROOF = 'post-test-proof-key-abcdefghijklmnopqrstuvwxyz';
const T0 = Date.parse('2026-05-01T10:00:00Z');
const PID = 4242;
const START = '777';
const isLinux = process.platform === 'linux';

let temp: string;
let paths: KeepAlivePaths;
let server: CredentialServer | undefined;
let children: ChildProcess[] = [];
let stops = 0;
let onStop: () => void = () => undefined;

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'post-unit-'));
  paths = openPrivateFolder({ RUNNER_TEMP: temp }).paths;
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
    authToken: 'auth-token-not-used-by-post',
    controlToken: CONTROL,
    proofKey: PROOF,
    available: () => ({ ok: false, reason: 'not used' }),
    status: () => ({ pid: PID, nonce: 'nonce-1', identity: 'i', refreshes: 1, served: 0, refused: 0, expectedUntil: 0 }),
    expect: () => undefined,
    stop: () => {
      stops++;
      onStop();
    },
  });
  return server;
}

const identity = (over: Partial<ServerIdentity> = {}): ServerIdentity => ({ pid: PID, start: START, nonce: 'nonce-1', dir: paths.dir, ...over });

function writeRecord(id: ServerIdentity, endpoint?: string, nonce = id.nonce): ServerRecord {
  const record: ServerRecord = { ...id, nonce, ...(endpoint !== undefined && { endpoint }), controlToken: CONTROL, proofKey: PROOF, startedAt: T0, roleArn: ROLE_ARN, identity: 'i' };
  writePrivateFile(paths.record, JSON.stringify(record));
  return record;
}

function writeLog(pid: number, last: 'stopped' | 'refresh-failed' | 'crashed'): void {
  let t = T0;
  const log = fileEventLog(paths.log, () => (t += 1000));
  log.write({ type: 'started', pid, endpoint: 'http://127.0.0.1:1/credentials' });
  log.write({ type: 'refreshed', expiration: '2026-05-01T22:00:01Z', sessionSeconds: 43200, latencyMs: 120, stsCalls: 1, served: 0 });
  log.write({ type: 'refreshed', expiration: '2026-05-02T09:40:00Z', sessionSeconds: 43200, latencyMs: 95, stsCalls: 2, served: 17 });
  if (last === 'stopped') log.write({ type: 'stopped', reason: 'stopped by the post step', served: 20, refused: 1 });
  else if (last === 'crashed') log.write({ type: 'crashed', reason: 'uncaughtException: TypeError: boom' });
  else log.write({ type: 'refresh-failed', code: 'AccessDenied', message: 'AccessDenied: Not authorized', permanent: true, nextTryMs: 300_000, served: 20 });
}

const toolkitWith = (id: ServerIdentity | string): FakeToolkit => {
  const toolkit = new FakeToolkit();
  toolkit.state['server'] = typeof id === 'string' ? id : JSON.stringify(id);
  return toolkit;
};

const noSleep = async () => undefined;

describe('post: what it stops', () => {
  test('no saved state (this instance started no server): does nothing, files untouched', async () => {
    const s = await startServer();
    writeRecord(identity(), s.endpoint);
    writeLog(PID, 'stopped');
    const control = new FakeControl();
    control.table.set(PID, START);
    const toolkit = new FakeToolkit();
    await post({ toolkit, control });
    expect(toolkit.calls).toEqual([]);
    expect(stops).toBe(0);
    expect(control.signalNames()).toEqual([]);
    expect(readdirSync(paths.dir).sort()).toEqual(['server-log.jsonl', 'server.json']);
  });

  test.each([
    ['not JSON', '{'],
    ['no pid', JSON.stringify({ nonce: 'n', dir: '/d' })],
    ['a pid that is not a number', JSON.stringify({ pid: '4242', nonce: 'n', dir: '/d' })],
    ['no nonce', JSON.stringify({ pid: 4242, dir: '/d' })],
    ['no folder', JSON.stringify({ pid: 4242, nonce: 'n' })],
  ])('saved state that is %s: nothing is signalled', async (_label, state) => {
    const control = new FakeControl();
    control.table.set(PID, START);
    const toolkit = toolkitWith(state);
    await post({ toolkit, control });
    expect(toolkit.calls).toEqual([]);
    expect(control.signalNames()).toEqual([]);
  });

  test('a live server: asked to stop over HTTP with the control token, confirmed gone, timeline, folder removed', async () => {
    const s = await startServer();
    const control = new FakeControl();
    control.table.set(PID, START);
    onStop = () => control.table.delete(PID);
    writeRecord(identity(), s.endpoint);
    writeLog(PID, 'stopped');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) });

    expect(stops).toBe(1);
    expect(control.signalNames()).toEqual([]);
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${PID}).`]);
    expect(toolkit.summary).toHaveLength(1);
    const timeline = toolkit.summary[0] as string;
    expect(timeline).toContain('### aws-session-guard keep-alive timeline');
    expect(timeline).toContain('2 session(s) minted, 0 failed refresh(es), 0 STS retries, 20 credential request(s) served, 1 refused.');
    expect(timeline).toContain(`| 10:00:01Z | server started (pid ${PID}) | | |`);
    expect(timeline).toContain('| 10:00:02Z | first session (12h) | 2026-05-01T22:00:01Z | 120 ms |');
    expect(timeline).toContain('| 10:00:03Z | refreshed (12h) | 2026-05-02T09:40:00Z | 95 ms |');
    expect(timeline).toContain('| 10:00:04Z | stopped (stopped by the post step) | | |');
    expect(toolkit.printed).not.toContain(CONTROL);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test("a listener that cannot prove it is the job's server (issue 20): sent no control token, no stop over HTTP; the verified process is signalled", async () => {
    const s = await startServer();
    const control = new FakeControl();
    control.table.set(PID, START);
    const record = writeRecord(identity(), s.endpoint);
    writePrivateFile(paths.record, JSON.stringify({ ...record, proofKey: 'the-jobs-proof-key-which-the-listener-lacks' }));
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(stops).toBe(0);
    expect(s.counts.unauthorized).toBe(0);
    expect(control.signalNames()).toEqual(['SIGTERM']);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${PID}).`]);
  });

  test('the HTTP side does not answer: SIGTERM to the verified process; it ends: stopped', async () => {
    const control = new FakeControl();
    control.table.set(PID, START);
    writeRecord(identity(), 'http://127.0.0.1:1/credentials');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(control.signalNames()).toEqual(['SIGTERM']);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${PID}).`]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a server that ignores the stop: SIGKILL after the grace period, a warning that it was killed', async () => {
    const s = await startServer();
    const control = new FakeControl();
    control.table.set(PID, START);
    control.onSignal = (pid, signal) => void (signal === 'SIGKILL' && control.table.delete(pid)); // ignores SIGTERM
    writeRecord(identity(), s.endpoint);
    const toolkit = toolkitWith(identity());
    let slept = 0;
    await post({ toolkit, control, sleep: async (ms) => void (slept += ms), stopGraceMs: 1000 });
    expect(stops).toBe(1);
    expect(control.signalNames()).toEqual(['SIGKILL']);
    expect(slept).toBe(1000);
    expect(toolkit.warnings).toEqual([
      { message: `The keep-alive credential server (pid ${PID}) did not stop when asked and was killed.`, title: 'Credential server killed' },
    ]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a pid now taken by another process: never signalled, reported as stopped early', async () => {
    const control = new FakeControl();
    control.table.set(PID, 'another-process');
    writeRecord(identity(), 'http://127.0.0.1:1/credentials');
    writeLog(PID, 'crashed');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(control.signalNames()).toEqual([]);
    expect(control.alive(PID)).toBe(true);
    expect(toolkit.warnings[0]?.message).toBe(
      `The keep-alive credential server (pid ${PID}) stopped before the end of the job: it crashed at 2026-05-01T10:00:04.000Z ` +
        '(uncaughtException: TypeError: boom). Steps that ran after that got no credentials from it.',
    );
    expect(toolkit.summary[0]).toContain('| 10:00:04Z | **crashed**: uncaughtException: TypeError: boom | | |');
  });

  test('a dead server: a warning "stopped before the end of the job" with its last event, the timeline, folder removed', async () => {
    const control = new FakeControl();
    writeRecord(identity(), 'http://127.0.0.1:1/credentials');
    writeLog(PID, 'refresh-failed');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(toolkit.warnings).toEqual([
      {
        message:
          // Issue 20: a server gone without its stop event was killed, and the warning says so.
          `The keep-alive credential server (pid ${PID}) stopped before the end of the job: it was killed: it ended without its stop event ` +
          '(SIGKILL, as the OOM killer sends, cannot be caught); its last event was a failed refresh at ' +
          '2026-05-01T10:00:04.000Z (AccessDenied: AccessDenied: Not authorized). Steps that ran after that got no credentials from it.',
        title: 'Credential server killed',
      },
    ]);
    expect(toolkit.infos).toEqual([]);
    expect(toolkit.summary[0]).toContain('2 session(s) minted, 1 failed refresh(es)');
    expect(toolkit.summary[0]).toContain('| 10:00:04Z | refresh failed (permanent): AccessDenied; kept serving the old session while valid, next try in 5m | | |');
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('the process cannot be verified (no start time) and does not end: no signal, a warning saying so, folder kept', async () => {
    const control = new FakeControl();
    control.table.set(PID, START);
    const { start: _s, ...noStart } = identity();
    writeRecord(noStart, 'http://127.0.0.1:1/credentials');
    const toolkit = toolkitWith(noStart);
    await post({ toolkit, control, sleep: noSleep, stopGraceMs: 200 });
    expect(control.signalNames()).toEqual([]);
    expect(toolkit.warnings).toEqual([
      {
        message:
          `The keep-alive credential server (pid ${PID}) is still running and could not be stopped ` +
          '(this OS does not let the action verify the process, so it sent no signal). The runner ends it at "Complete job".',
        title: 'Credential server still running',
      },
    ]);
    expect(existsSync(paths.record)).toBe(true);
  });

  test('a verified process that survives SIGKILL: still running, no excuse about verification', async () => {
    const control = new FakeControl();
    control.table.set(PID, START);
    control.deaf.add(PID); // survives even SIGKILL
    writeRecord(identity(), 'http://127.0.0.1:1/credentials');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep, stopGraceMs: 100 });
    expect(control.signalNames()).toEqual(['SIGTERM', 'SIGKILL']);
    expect(toolkit.warnings[0]?.message).toBe(
      `The keep-alive credential server (pid ${PID}) is still running and could not be stopped. The runner ends it at "Complete job".`,
    );
    expect(existsSync(paths.dir)).toBe(true);
  });
});

describe('post: the folder and other action instances', () => {
  test('the record belongs to a later keep-alive step (another nonce): this one was replaced; the folder is left to it', async () => {
    const control = new FakeControl();
    writeRecord(identity({ pid: 5555, start: '1' }), 'http://127.0.0.1:1/credentials', 'nonce-of-the-newer-server');
    writeLog(5555, 'stopped');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(toolkit.infos).toEqual([`The keep-alive credential server this step started (pid ${PID}) was replaced by a later keep-alive step, which stopped it.`]);
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.summary).toEqual([]);
    expect(readdirSync(paths.dir).sort()).toEqual(['server-log.jsonl', 'server.json']);
  });

  test('the older server still runs beside a newer record: it is stopped by signal (its control token is gone), the folder kept', async () => {
    const control = new FakeControl();
    control.table.set(PID, START);
    writeRecord(identity({ pid: 5555, start: '1' }), 'http://127.0.0.1:1/credentials', 'nonce-of-the-newer-server');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(control.signalNames()).toEqual(['SIGTERM']);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${PID}).`]);
    expect(existsSync(paths.record)).toBe(true);
  });

  test('the folder is gone (a later post cleaned up): the process is still seen to, nothing else', async () => {
    rmSync(paths.dir, { recursive: true });
    const control = new FakeControl();
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(toolkit.infos).toEqual([`The keep-alive credential server this step started (pid ${PID}) was replaced by a later keep-alive step, which stopped it.`]);
    expect(toolkit.summary).toEqual([]);
  });

  test('a folder replaced by a symlink: nothing in it is read or removed, the verified process is still stopped', async () => {
    const elsewhere = join(temp, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(paths.dir, { recursive: true });
    symlinkSync(elsewhere, paths.dir);
    const s = await startServer();
    writePrivateFile(join(elsewhere, 'server.json'), JSON.stringify({ ...identity(), endpoint: s.endpoint, controlToken: CONTROL }));
    const control = new FakeControl();
    control.table.set(PID, START);
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control, sleep: noSleep });
    expect(stops).toBe(0); // the planted record's endpoint was not trusted
    expect(control.signalNames()).toEqual(['SIGTERM']);
    expect(existsSync(join(elsewhere, 'server.json'))).toBe(true);
    expect(existsSync(paths.dir)).toBe(true);
  });

  test('a folder others can write to is tightened, then used', async () => {
    chmodSync(paths.dir, 0o777);
    writeLog(PID, 'stopped');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control: new FakeControl(), sleep: noSleep });
    expect(toolkit.summary).toHaveLength(1);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a server its own main step stopped when the start failed: no "stopped early" warning, an info saying so, the folder still removed', async () => {
    writeLog(PID, 'stopped');
    const toolkit = toolkitWith(JSON.stringify({ ...identity(), abandoned: true }));
    await post({ toolkit, control: new FakeControl(), sleep: noSleep });
    expect(toolkit.warnings).toEqual([]);
    expect(toolkit.infos).toEqual([`The keep-alive credential server this step started (pid ${PID}) was stopped by the step itself when its start failed.`]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('state but no record (the server never became ready): the timeline if any, folder removed', async () => {
    writeLog(PID, 'stopped');
    const toolkit = toolkitWith(identity());
    await post({ toolkit, control: new FakeControl(), sleep: noSleep });
    expect(toolkit.summary).toHaveLength(1);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('the folder (and the control token in the record) is removed even when the summary cannot be written', async () => {
    writeRecord(identity(), 'http://127.0.0.1:1/credentials');
    writeLog(PID, 'stopped');
    class BrokenSummary extends FakeToolkit {
      override appendSummary(): void {
        throw new Error('summary file gone');
      }
    }
    const toolkit = new BrokenSummary();
    toolkit.state['server'] = JSON.stringify(identity());
    await expect(post({ toolkit, control: new FakeControl(), sleep: noSleep })).rejects.toThrow('summary file gone');
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('runPost turns any failure into a warning (the server and the aws-profile entries are cleaned up independently)', async () => {
    const toolkit = new FakeToolkit();
    toolkit.getState = () => {
      throw new Error('state unreadable');
    };
    await runPost(toolkit);
    expect(toolkit.warnings).toEqual([
      { message: 'aws-session-guard post step: state unreadable', title: undefined },
      { message: 'aws-session-guard post step: could not remove the aws-profile entries: state unreadable', title: undefined },
    ]);
  });

  test('runPost with nothing saved: silent', async () => {
    const toolkit = new FakeToolkit();
    await runPost(toolkit);
    expect(toolkit.calls).toEqual([]);
  });
});

// ---- Real processes ---------------------------------------------------------------------------------

/** A child standing in for the server process; `trapTerm`: it prints TERM on SIGTERM and lives on, as a server stuck mid-refresh. */
async function liveChild(trapTerm: boolean) {
  const script = `${trapTerm ? "process.on('SIGTERM', () => process.stdout.write('TERM\\n'));" : ''} process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (_c, signal) => resolve({ signal, at: Date.now() })));
  for (let i = 0; i < 500 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 10));
  const pid = child.pid as number;
  return { child, pid, start: realProcessControl.startOf(pid), exited, output: () => out };
}

function recordingControl() {
  const sent: Array<{ signal: NodeJS.Signals; at: number }> = [];
  const control: ProcessControl = {
    startOf: (pid) => realProcessControl.startOf(pid),
    alive: (pid) => realProcessControl.alive(pid),
    signal: (pid, signal) => {
      sent.push({ signal, at: Date.now() });
      realProcessControl.signal(pid, signal);
    },
  };
  return { control, sent };
}

describe('post against real processes', () => {
  test('a server process that exits on the HTTP stop: post waits for it, sends no signal', async () => {
    const s = await startServer();
    const c = await liveChild(false);
    onStop = () => void c.child.kill('SIGINT');
    const id = identity({ pid: c.pid, ...(c.start !== undefined && { start: c.start }) });
    writeRecord(id, s.endpoint);
    const { control, sent } = recordingControl();
    const toolkit = toolkitWith(id);
    await post({ toolkit, control });
    expect(stops).toBe(1);
    expect((await c.exited).signal).toBe('SIGINT');
    expect(sent).toEqual([]);
    expect(toolkit.infos).toEqual([`Stopped the keep-alive credential server (pid ${c.pid}).`]);
    expect(existsSync(paths.dir)).toBe(false);
  });

  test('a server process that traps SIGTERM: SIGKILLed only after the grace period, and confirmed gone', async () => {
    if (!isLinux) return;
    const c = await liveChild(true);
    const id = identity({ pid: c.pid, start: c.start as string });
    writeRecord(id, 'http://127.0.0.1:1/credentials'); // the HTTP stop gets no answer: SIGTERM
    const { control, sent } = recordingControl();
    const toolkit = toolkitWith(id);
    const graceMs = 700;
    await post({ toolkit, control, stopGraceMs: graceMs });
    const exit = await c.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(c.output()).toContain('TERM'); // it got the SIGTERM, and ignored it
    expect(sent.map((x) => x.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(graceMs - 20);
    expect(realProcessControl.alive(c.pid)).toBe(false);
    expect(toolkit.warnings[0]?.message).toBe(`The keep-alive credential server (pid ${c.pid}) did not stop when asked and was killed.`);
  });

  test('a live process with another start time (the pid was reused) is never signalled', async () => {
    if (!isLinux) return;
    const c = await liveChild(true);
    const id = identity({ pid: c.pid, start: 'the-server-started-at-another-time' });
    writeRecord(id, 'http://127.0.0.1:1/credentials');
    const { control, sent } = recordingControl();
    const toolkit = toolkitWith(id);
    await post({ toolkit, control, stopGraceMs: 300 });
    expect(sent).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.output()).not.toContain('TERM');
    expect(realProcessControl.alive(c.pid)).toBe(true);
  });
});

describe('post: the serve-containers set-up', () => {
  const TAG = ruleTag('0123456789abcdef0123456789abcdef');
  /** A host with this instance's address and rules, and someone else's rule. */
  async function hostWithSetUp(): Promise<FakeHost> {
    const host = new FakeHost();
    const net = host.network();
    await net.prepare();
    await net.redirect(45123, TAG);
    host.rules.push('-A OUTPUT -d 10.1.2.3/32 -m comment --comment someone-else -j RETURN');
    return host;
  }

  test('removes the address and exactly its rules, also when the server died (no server state at all)', async () => {
    const host = await hostWithSetUp();
    const toolkit = new FakeToolkit();
    toolkit.state['link-local'] = JSON.stringify({ tag: TAG, addedAddress: true });
    await post({ toolkit, hostNetwork: host.network(), control: new FakeControl() });
    expect(host.hasLinkLocal()).toBe(false);
    expect(host.rules).toEqual(['-A OUTPUT -d 10.1.2.3/32 -m comment --comment someone-else -j RETURN']);
    expect(toolkit.infos.join('\n')).toContain(`Removed 169.254.170.2 from lo and the NAT rules tagged ${TAG}.`);
  });

  test('removes them after stopping the server; a stop that throws still leaves the host clean', async () => {
    const host = await hostWithSetUp();
    const toolkit = new FakeToolkit();
    toolkit.state['link-local'] = JSON.stringify({ tag: TAG, addedAddress: true });
    toolkit.state['server'] = JSON.stringify(identity());
    const control = new FakeControl();
    control.table.set(PID, START);
    control.signal = () => {
      throw new Error('kill failed');
    };
    await expect(post({ toolkit, hostNetwork: host.network(), control, sleep: async () => undefined })).rejects.toThrow('kill failed');
    expect(host.hasLinkLocal()).toBe(false);
    expect(host.rules.filter((r) => r.includes(TAG))).toEqual([]);
  });

  test('without link-local state, the host network is never touched', async () => {
    const host = await hostWithSetUp();
    const before = host.commands.length;
    await post({ toolkit: new FakeToolkit(), hostNetwork: host.network() });
    expect(host.commands.length).toBe(before);
    expect(host.hasLinkLocal()).toBe(true);
  });

  test('what could not be removed is a warning that says what is left', async () => {
    const host = new FakeHost({ sudoNeedsPassword: true });
    host.addresses.push('1: lo    inet 169.254.170.2/32 scope global lo');
    const toolkit = new FakeToolkit();
    toolkit.state['link-local'] = JSON.stringify({ tag: TAG, addedAddress: true });
    await post({ toolkit, hostNetwork: host.network() });
    expect(toolkit.warnings.map((w) => w.message)).toEqual([
      `Could not fully remove the link-local set-up (169.254.170.2 on lo, NAT rules tagged ${TAG}): \`sudo -n iptables -t nat -S\` failed: sudo: a password is required; ` +
        '`sudo -n ip addr del 169.254.170.2/32 dev lo` failed: sudo: a password is required',
    ]);
  });
});
