import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobRunner, parseKeyValueFile } from '../../standins/runner.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const STEP = join(fixtures, 'step-fixture.mjs');
const CORE = join(fixtures, 'core-fixture.mjs');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Alive and not a zombie (an orphan waits for init to reap it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

describe('JobRunner', () => {
  let job: JobRunner;
  afterEach(async () => {
    await job.cleanup();
  });

  test('main step: inputs, file commands, workflow commands, then post and later steps', async () => {
    job = new JobRunner({ env: { JOB_LEVEL: 'yes', EMPTIED: 'was set' } });
    const main = await job.runAction(STEP, {
      inputs: { mode: 'main', secret: SECRET, 'role-to-assume': 'arn:aws:iam::123456789012:role/deploy', 'with space': 'ok' },
    });
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toContain('role=arn:aws:iam::123456789012:role/deploy');
    expect(main.stdout).toContain('spaced=ok');
    expect(main.stdout).toContain(`home=${job.home}`);
    expect(main.stderr).toBe('to stderr\n');

    expect(main.exportedEnv).toEqual({ PLAIN: 'one=two', MULTI: 'line 1\nline 2', EMPTIED: '' });
    expect(main.commandErrors).toEqual(["Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command."]);
    expect(main.outputs).toEqual({ expiration: '2030-01-01T00:00:00Z', json: '{"a":\n1}' });
    expect(main.state).toEqual({ pid: '12345', notes: 'saved' });
    expect(main.summary).toBe('### Session\n| role | left |\n');
    expect(main.addedPath).toEqual(['/opt/fixture/bin']);

    expect(main.masks).toEqual([SECRET]);
    expect([...job.masks]).toEqual([SECRET]);
    expect(main.errors).toEqual(['boom\nsecond line']);
    expect(main.annotations[0]).toEqual({ level: 'error', message: 'boom\nsecond line', properties: { file: 'src/main.ts', line: '3' } });
    expect(main.warnings).toEqual(['careful']);
    expect(main.notices).toEqual(['fyi']);
    expect(main.debug).toEqual(['details']);

    // Exports reach the job env (an exported empty string sets it empty), not NODE_OPTIONS.
    expect(job.env).toEqual({ JOB_LEVEL: 'yes', EMPTIED: '', PLAIN: 'one=two', MULTI: 'line 1\nline 2' });

    const post = await job.runPost(STEP, main, { inputs: { mode: 'post' } });
    expect(post.stdout).toContain('state pid=12345');
    expect(post.stdout).toContain('state notes=saved');
    expect(post.stdout).toContain('env MULTI="line 1\\nline 2"');

    const run = await job.runCommand(process.execPath, [
      '-e',
      'console.log([process.env.PLAIN, process.env.EMPTIED, process.env.JOB_LEVEL, process.env.GITHUB_ACTIONS, process.env.RUNNER_TRACKING_ID, process.env.NODE_OPTIONS ?? "none", process.env.PATH.split(":")[0]].join("|"))',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`one=two||yes|true|${job.trackingId}|none|/opt/fixture/bin`);

    expect(job.log).toContain('##[step 1] main step-fixture.mjs');
    expect(job.log).toContain('to stderr');
    expect(job.secretsUnmasked([SECRET])).toEqual([]);
    expect(job.maskedLog).not.toContain(SECRET);
  });

  test('each step gets fresh file-command files and shared RUNNER_TEMP', async () => {
    job = new JobRunner();
    const script = 'console.log(JSON.stringify({e: process.env.GITHUB_ENV, o: process.env.GITHUB_OUTPUT, t: process.env.RUNNER_TEMP, s: process.env.GITHUB_STEP_SUMMARY}))';
    const a = JSON.parse((await job.runCommand(process.execPath, ['-e', script])).stdout) as Record<string, string>;
    const b = JSON.parse((await job.runCommand(process.execPath, ['-e', script])).stdout) as Record<string, string>;
    expect(a['e']).not.toBe(b['e']);
    expect(a['o']).not.toBe(b['o']);
    expect(a['t']).toBe(job.runnerTemp);
    expect(b['t']).toBe(job.runnerTemp);
  });

  test('the real @actions/core writes what the runner parses', async () => {
    job = new JobRunner();
    const r = await job.runAction(CORE, { inputs: { secret: SECRET, 'role-to-assume': 'arn:x', 'aws-region': 'eu-west-1' } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.exportedEnv).toEqual({ AWS_REGION: 'eu-west-1', MULTILINE: 'a\nb' });
    expect(r.outputs).toEqual({ role: 'arn:x' });
    expect(r.state).toEqual({ 'token-file': '/tmp/token' });
    expect(r.addedPath).toEqual(['/opt/core/bin']);
    expect(r.summary).toContain('<h3>Done</h3>');
    expect(r.masks).toEqual([SECRET]);
    expect(r.warnings).toEqual(['from core']);
    expect(job.secretsUnmasked([SECRET])).toEqual([]);
  });

  test('secretsUnmasked flags secrets printed before masking or never masked', async () => {
    job = new JobRunner();
    await job.runAction(STEP, { inputs: { mode: 'leak', secret: SECRET } });
    await job.runCommand(process.execPath, ['-e', 'console.error("other-secret-value")']);
    expect(job.secretsUnmasked([SECRET, 'other-secret-value', 'never-printed', ''])).toEqual([SECRET, 'other-secret-value']);
  });

  test('a detached grandchild holding the pipes does not keep the step waiting; cleanup kills it', async () => {
    job = new JobRunner();
    const started = Date.now();
    const r = await job.runAction(STEP, { inputs: { mode: 'daemon' } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.exitCode).toBe(0);
    const pid = Number(/daemon=(\d+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(job.trackedProcesses()).toContain(pid);
    const { killed } = await job.cleanup();
    expect(killed).toContain(pid);
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(job.jobDir)).toBe(false);
  });

  test('timeoutMs kills a hung step; a missing command does not throw', async () => {
    job = new JobRunner();
    const r = await job.runAction(STEP, { inputs: { mode: 'hang' }, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.exitCode).toBeNull();
    const missing = await job.runCommand('/nonexistent/command');
    expect(missing.code).toBeNull();
    expect(missing.stderr).toContain('ENOENT');
  });

  test('nothing from this process env leaks in besides the allow-list', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIALEAKLEAKLEAKLEAK';
    try {
      job = new JobRunner();
      const r = await job.runCommand(process.execPath, ['-e', 'console.log(process.env.AWS_ACCESS_KEY_ID ?? "unset")']);
      expect(r.stdout.trim()).toBe('unset');
    } finally {
      delete process.env['AWS_ACCESS_KEY_ID'];
    }
  });
});

describe('parseKeyValueFile', () => {
  test('follows the runner: first of = or << decides, heredoc until the delimiter line', () => {
    const text = 'A=1\nB<<EOF\nx=y\n\nEOF\nC=a<<b\nD<<E=F\nv\nE=F\n\nEMPTY<<Z\nZ\n';
    expect(parseKeyValueFile(text)).toEqual({
      values: { A: '1', B: 'x=y\n', C: 'a<<b', D: 'v', EMPTY: '' },
      errors: [],
    });
  });

  test('reports a heredoc without its delimiter and lines without = or <<', () => {
    expect(parseKeyValueFile('X<<EOF\nvalue\n').errors).toEqual(["Invalid value. Matching delimiter not found 'EOF'"]);
    expect(parseKeyValueFile('garbage\n').errors).toEqual(["Invalid format 'garbage'"]);
  });
});
