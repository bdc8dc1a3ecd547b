/**
 * Telling the server's process from any other, and stopping it: the rules
 * with a fake ProcessControl, then the real one against child processes,
 * one of which traps SIGTERM as a server stuck mid-refresh would.
 */
import { describe, test, expect, afterEach } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { processState, realProcessControl, stopServer, type ProcessControl } from '../../src/keepalive/process-control.js';
import type { ServerIdentity } from '../../src/keepalive/files.js';
import { FakeControl as SharedFakeControl } from './fakes.js';

const isLinux = process.platform === 'linux';

/** The shared fake process table, where by default only SIGKILL ends a process (a SIGTERM is handled per test). */
class FakeControl extends SharedFakeControl {
  constructor() {
    super();
    this.onSignal = (pid, signal) => {
      if (signal === 'SIGKILL') this.table.delete(pid);
    };
  }
}

const SERVER: ServerIdentity = { pid: 4242, start: '1000', nonce: 'n', dir: '/d' };

/** A sleep on a virtual clock; `each` runs after every nap (to let the process exit at some time). */
function virtualSleep(each: (elapsed: number) => void = () => undefined) {
  let elapsed = 0;
  return {
    elapsed: () => elapsed,
    sleep: async (ms: number) => {
      elapsed += ms;
      each(elapsed);
    },
  };
}

describe('processState', () => {
  test.each<[string, (c: FakeControl) => void, Pick<ServerIdentity, 'pid' | 'start'>, string]>([
    ['no such process', () => undefined, SERVER, 'gone'],
    ['the same pid and start time', (c) => c.table.set(4242, '1000'), SERVER, 'running'],
    ['the pid reused by another process', (c) => c.table.set(4242, '2000'), SERVER, 'other'],
    ['no start time recorded', (c) => c.table.set(4242, '1000'), { pid: 4242 }, 'unverifiable'],
    [
      'the OS does not tell start times',
      (c) => {
        c.table.set(4242, '1000');
        c.readable = false;
      },
      SERVER,
      'unverifiable',
    ],
  ])('%s → %s', (_label, arrange, identity, expected) => {
    const control = new FakeControl();
    arrange(control);
    expect(processState(identity, control)).toBe(expected);
  });

  test('a process that ends while its start time is read is gone, not unverifiable', () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    control.startOf = (pid) => {
      control.table.delete(pid);
      return undefined;
    };
    expect(processState(SERVER, control)).toBe('gone');
  });
});

describe('stopServer (rules)', () => {
  test('gone already: nothing signalled, not asked', async () => {
    const control = new FakeControl();
    let asked = 0;
    expect(await stopServer(SERVER, { control, sleep: async () => undefined, askToStop: async () => !!++asked })).toBe('gone');
    expect(control.signals).toEqual([]);
    expect(asked).toBe(0);
  });

  test('the pid belongs to another process: nothing signalled, not asked', async () => {
    const control = new FakeControl();
    control.table.set(4242, 'someone-else');
    let asked = 0;
    expect(await stopServer(SERVER, { control, sleep: async () => undefined, askToStop: async () => !!++asked })).toBe('other');
    expect(control.signals).toEqual([]);
    expect(asked).toBe(0);
    expect(control.alive(4242)).toBe(true);
  });

  test('asked over HTTP and it ends: stopped, no signal', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep((t) => t >= 200 && control.table.delete(4242));
    const outcome = await stopServer(SERVER, { control, sleep: v.sleep, askToStop: async () => true, graceMs: 5000 });
    expect(outcome).toBe('stopped');
    expect(control.signals).toEqual([]);
    expect(v.elapsed()).toBe(200);
  });

  test('the HTTP stop is refused (or unanswered): SIGTERM, and it ends: stopped', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    control.onSignal = (pid, signal) => signal === 'SIGTERM' && control.table.delete(pid);
    expect(await stopServer(SERVER, { control, sleep: async () => undefined, askToStop: async () => false })).toBe('stopped');
    expect(control.signals).toEqual([{ pid: 4242, signal: 'SIGTERM' }]);
  });

  test('no HTTP stop at all: SIGTERM', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    control.onSignal = (pid) => control.table.delete(pid);
    expect(await stopServer(SERVER, { control, sleep: async () => undefined })).toBe('stopped');
    expect(control.signals).toEqual([{ pid: 4242, signal: 'SIGTERM' }]);
  });

  test('it ignores SIGTERM: SIGKILL once the grace period is over, not before', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep();
    const at: Array<[NodeJS.Signals, number]> = [];
    const base = control.onSignal;
    control.onSignal = (pid, signal) => {
      at.push([signal, v.elapsed()]);
      base(pid, signal);
    };
    expect(await stopServer(SERVER, { control, sleep: v.sleep, graceMs: 3000 })).toBe('killed');
    expect(at).toEqual([
      ['SIGTERM', 0],
      ['SIGKILL', 3000],
    ]);
  });

  test('the default grace period is 5 s', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep();
    let killedAt = -1;
    const base = control.onSignal;
    control.onSignal = (pid, signal) => {
      if (signal === 'SIGKILL') killedAt = v.elapsed();
      base(pid, signal);
    };
    expect(await stopServer(SERVER, { control, sleep: v.sleep })).toBe('killed');
    expect(killedAt).toBe(5000);
  });

  test('the pid is reused by another process during the grace period: stopped, never SIGKILLed', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep((t) => t === 500 && control.table.set(4242, 'a-new-process'));
    expect(await stopServer(SERVER, { control, sleep: v.sleep, graceMs: 3000 })).toBe('stopped');
    expect(control.signals).toEqual([{ pid: 4242, signal: 'SIGTERM' }]);
  });

  test('it survives SIGKILL too: still-running after 2 s more', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    control.onSignal = () => undefined;
    const v = virtualSleep();
    expect(await stopServer(SERVER, { control, sleep: v.sleep, graceMs: 1000 })).toBe('still-running');
    expect(control.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(v.elapsed()).toBe(3000);
  });

  test('a process that cannot be verified is never signalled: asked over HTTP, then waited for', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    control.readable = false;
    let asked = 0;
    const v = virtualSleep();
    expect(await stopServer(SERVER, { control, sleep: v.sleep, askToStop: async () => !!++asked, graceMs: 1000 })).toBe('still-running');
    expect(asked).toBe(1);
    expect(control.signals).toEqual([]);
    expect(v.elapsed()).toBe(1000);
  });

  test.each([
    ['the HTTP stop is refused', async () => false],
    ['there is no HTTP stop', undefined],
  ])('a process that cannot be verified, and %s: still never signalled', async (_label, askToStop) => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep();
    const deps = { control, sleep: v.sleep, graceMs: 500, ...(askToStop && { askToStop }) };
    expect(await stopServer({ pid: 4242, nonce: 'n', dir: '/d' }, deps)).toBe('still-running');
    expect(control.signals).toEqual([]);
  });

  test('the pid is taken by another process while the server is asked to stop: no SIGTERM for it', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const askToStop = async () => {
      control.table.set(4242, 'a-new-process');
      return false;
    };
    expect(await stopServer(SERVER, { control, sleep: async () => undefined, askToStop })).toBe('stopped');
    expect(control.signals).toEqual([]);
  });

  test('no start time recorded, and it ends after the HTTP stop: stopped, no signal', async () => {
    const control = new FakeControl();
    control.table.set(4242, '1000');
    const v = virtualSleep((t) => t >= 100 && control.table.delete(4242));
    expect(await stopServer({ pid: 4242, nonce: 'n', dir: '/d' }, { control, sleep: v.sleep, askToStop: async () => true })).toBe('stopped');
    expect(control.signals).toEqual([]);
  });
});

// ---- The real process control, against real child processes ----------------------------------------

let children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
});

/** A child that prints "ready" once its handlers are set; with `trapTerm` it prints "TERM" on SIGTERM and lives on. */
async function child(trapTerm: boolean) {
  const script = `${trapTerm ? "process.on('SIGTERM', () => process.stdout.write('TERM\\n'));" : ''} process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`;
  const c = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(c);
  let out = '';
  c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ signal: NodeJS.Signals | null; at: number }>((resolve) => c.once('exit', (_code, signal) => resolve({ signal, at: Date.now() })));
  await new Promise<void>((resolve) => {
    const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 10));
    check();
  });
  return { pid: c.pid as number, exited, output: () => out };
}

/** The real control, with every signal sent and when. */
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

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('realProcessControl', () => {
  test('this process: alive, with a start time that does not change', () => {
    expect(realProcessControl.alive(process.pid)).toBe(true);
    const start = realProcessControl.startOf(process.pid);
    if (isLinux) expect(start).toMatch(/^\d+$/);
    expect(realProcessControl.startOf(process.pid)).toBe(start);
  });

  test('an exited (reaped) process: not alive, no start time; signalling it does not throw', () => {
    const pid = spawnSync(process.execPath, ['-e', '0']).pid as number;
    expect(realProcessControl.alive(pid)).toBe(false);
    expect(realProcessControl.startOf(pid)).toBeUndefined();
    expect(() => realProcessControl.signal(pid, 'SIGTERM')).not.toThrow();
  });

  test('a zombie (exited, not reaped by its parent) is not alive', async () => {
    if (!isLinux) return;
    // sh prints the background child's pid, then becomes `sleep`, which never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(parent);
    const zombie = await new Promise<number>((resolve) => parent.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    for (let i = 0; i < 100 && realProcessControl.alive(zombie); i++) await realSleep(10);
    expect(realProcessControl.alive(zombie)).toBe(false);
  });

  test('two processes have different start times, or the same process the same', async () => {
    if (!isLinux) return;
    const a = await child(false);
    expect(realProcessControl.startOf(a.pid)).toMatch(/^\d+$/);
    expect(processState({ pid: a.pid, start: realProcessControl.startOf(a.pid) as string }, realProcessControl)).toBe('running');
  });
});

describe('stopServer against real processes', () => {
  test('a server that exits on SIGTERM: stopped, by SIGTERM, no SIGKILL', async () => {
    const c = await child(false);
    const { control, sent } = recordingControl();
    const identity: ServerIdentity = { pid: c.pid, start: realProcessControl.startOf(c.pid) as string, nonce: 'n', dir: '/d' };
    expect(await stopServer(identity, { control, sleep: realSleep, graceMs: 3000 })).toBe('stopped');
    expect((await c.exited).signal).toBe('SIGTERM');
    expect(sent.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  test('a server that traps SIGTERM (stuck mid-refresh): SIGTERM first, SIGKILL only after the grace period, then gone', async () => {
    if (!isLinux) return;
    const c = await child(true);
    const { control, sent } = recordingControl();
    const identity: ServerIdentity = { pid: c.pid, start: realProcessControl.startOf(c.pid) as string, nonce: 'n', dir: '/d' };
    const graceMs = 600;
    const outcome = await stopServer(identity, { control, sleep: realSleep, graceMs });
    expect(outcome).toBe('killed');
    const exit = await c.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(sent.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    const termAt = sent[0]?.at ?? NaN;
    const killAt = sent[1]?.at ?? NaN;
    // It got the SIGTERM, lived on through the grace period, and only then was killed.
    expect(c.output()).toContain('TERM');
    expect(killAt - termAt).toBeGreaterThanOrEqual(graceMs - 20);
    expect(exit.at).toBeGreaterThanOrEqual(killAt);
    expect(realProcessControl.alive(c.pid)).toBe(false);
  });

  test('a live process whose start time does not match (a reused pid) is never signalled', async () => {
    const c = await child(true);
    const { control, sent } = recordingControl();
    const outcome = await stopServer({ pid: c.pid, start: 'not-its-start-time', nonce: 'n', dir: '/d' }, { control, sleep: realSleep, graceMs: 200 });
    expect(outcome).toBe('other');
    expect(sent).toEqual([]);
    await realSleep(100);
    expect(c.output()).not.toContain('TERM');
    expect(realProcessControl.alive(c.pid)).toBe(true);
  });
});

describe('a paused server (SIGSTOP), against a real process', () => {
  test('paused while stopped by a signal, not once resumed; stopServer sends SIGTERM then SIGCONT, never asks over HTTP, and it stops', async () => {
    if (!isLinux) return;
    const c = await child(false);
    const { control, sent } = recordingControl();
    const withPaused: ProcessControl = { ...control, paused: (pid) => realProcessControl.paused!(pid) };
    expect(realProcessControl.paused!(c.pid)).toBe(false);
    process.kill(c.pid, 'SIGSTOP');
    for (let i = 0; i < 100 && !realProcessControl.paused!(c.pid); i++) await realSleep(10);
    expect(realProcessControl.paused!(c.pid)).toBe(true);
    // Paused is still running, as far as verifying it goes: it is the server, alive.
    const identity: ServerIdentity = { pid: c.pid, start: realProcessControl.startOf(c.pid) as string, nonce: 'n', dir: '/d' };
    expect(processState(identity, realProcessControl)).toBe('running');
    let asked = 0;
    const askToStop = async () => {
      asked++;
      return false;
    };
    expect(await stopServer(identity, { control: withPaused, sleep: realSleep, graceMs: 3000, askToStop })).toBe('stopped');
    expect((await c.exited).signal).toBe('SIGTERM');
    expect(sent.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGCONT']);
    expect(asked).toBe(0);
  });
});
