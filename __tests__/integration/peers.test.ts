/**
 * keep-alive on a machine with other users and hostile local processes
 * (issue 20, finding 4 and the first two of finding 8):
 * - another OS user, holding the job's token (it can read the runner's
 *   command files), gets 403 from the server and an event is logged, while
 *   the job's own user gets credentials;
 * - a 100 MB body is answered 403 without being read;
 * - at an open-file limit of 1024, 2,000 idle connections from a local
 *   process do not lock clients out; the server raises its soft limit to
 *   the hard one.
 * Real processes throughout: the bundled action and server, curl, the AWS CLI
 * v2, a second Unix user made and removed here (useradd, setpriv). Needs
 * root; .ci/run runs it as root.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobRunner } from '../../standins/index.js';
import type { StepResult } from '../../standins/index.js';
import { Cleanup, IS_ROOT, requireCommands, sh } from './net-lab.js';
import { AWS_CLI, MAIN, POST, requireRealConsumers, ROLES, serverPid, startWorld, type World } from './world.js';

const describeAsRoot = IS_ROOT && process.platform === 'linux' ? describe : describe.skip;
if (!IS_ROOT) console.warn('peers.test.ts: skipped, it needs root (useradd, setpriv, prlimit on the server); .ci/run runs it as root.');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; `as` runs it as that uid/gid (setpriv, environment kept as given). */
function run(cmd: string, args: readonly string[], env: Record<string, string>, as?: { uid: number; gid: number }): Promise<Ran> {
  const [file, argv] = as ? ['setpriv', [`--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', '--', cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve) => {
    const child = spawn(file, argv as string[], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** curl's answer: the status code and the body. The token travels in the environment, not on a command line. */
async function curl(url: string, token: string, as?: { uid: number; gid: number }, extra: readonly string[] = []): Promise<{ status: number; body: string }> {
  const r = await run('sh', ['-c', 'curl -sS -o - -w "\\n%{http_code}" -H "Authorization: $TOKEN" "$@" "$URL"', 'curl', ...extra], { TOKEN: token, URL: url }, as);
  const cut = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(cut + 1)), body: r.stdout.slice(0, cut) };
}

const events = (job: JobRunner) =>
  readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server-log.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Bytes the process has read through read(2) and friends (sockets included). */
const bytesRead = (pid: number) => Number(/^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);

const softNofile = (pid: number) => Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1]);

async function startKeepAlive(job: JobRunner): Promise<{ start: StepResult; url: string; token: string; pid: number }> {
  const start = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
  expect(start.errors).toEqual([]);
  expect(start.exitCode).toBe(0);
  const url = start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '';
  const token = start.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '';
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/credentials$/);
  return { start, url, token, pid: serverPid(job) };
}

describeAsRoot('another OS user gets nothing, even with the token', () => {
  let world: World;
  const cleanup = new Cleanup();
  let other: { name: string; uid: number; gid: number; home: string };
  beforeAll(async () => {
    requireRealConsumers();
    requireCommands('useradd', 'userdel', 'setpriv', 'curl');
    const name = `asgpeer${randomBytes(4).toString('hex')}`;
    sh('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
    cleanup.add(() => sh('userdel', [name], { mayFail: true }));
    const uid = Number(sh('id', ['-u', name]).stdout.trim());
    const gid = Number(sh('id', ['-g', name]).stdout.trim());
    const home = mkdtempSync(join(tmpdir(), 'asg-peer-home-'));
    cleanup.add(() => rmSync(home, { recursive: true, force: true }));
    chownSync(home, uid, gid);
    chmodSync(home, 0o700);
    other = { name, uid, gid, home };
    world = await startWorld();
    cleanup.add(() => world.close());
  });
  afterAll(() => cleanup.run());

  test('curl and the AWS CLI as another user get 403 with the token; the job user gets 200; one event per user per minute', async () => {
    const job = world.job();
    const { start, url, token } = await startKeepAlive(job);
    const as = { uid: other.uid, gid: other.gid };

    const theirs = await curl(url, token, as);
    expect(theirs.status).toBe(403);
    expect(JSON.parse(theirs.body)).toEqual({ Code: 'AccessDenied', Message: "This server serves only the OS user that runs the job's steps." });
    const again = await curl(url.replace(/\/credentials$/, '/status'), token, as);
    expect(again.status).toBe(403);
    expect(again.body).not.toContain('nonce');

    const cliEnv = {
      HOME: other.home,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
    };
    const cliArgs = ['sts', 'get-caller-identity', '--endpoint-url', world.sts.endpoint, '--output', 'json'];
    const theirCli = await run(AWS_CLI, cliArgs, cliEnv, as);
    expect(theirCli.code).not.toBe(0);
    expect(theirCli.stdout).not.toContain('assumed-role');

    const ours = await curl(url, token);
    expect(ours.status).toBe(200);
    expect(JSON.parse(ours.body)).toHaveProperty('AccessKeyId');
    const ourCli = await run(AWS_CLI, cliArgs, { ...cliEnv, HOME: job.home });
    expect(ourCli.stderr).toBe('');
    expect(ourCli.stdout).toContain('assumed-role/short-lived/');

    const refused = events(job).filter((e) => e['type'] === 'peer-refused');
    // three refusals of that user within a minute: one event, at the first
    // Each event line is stamped with the pid of the server that wrote it (keepalive/events.ts).
    expect(refused).toEqual([{ t: expect.any(Number), pid: expect.any(Number), type: 'peer-refused', listener: 'loopback', uid: other.uid, reason: `its socket belongs to uid ${other.uid}, not the job's uid 0`, count: 1 }]);
    expect(events(job).find((e) => e['type'] === 'started')).toMatchObject({ peers: 'uid' });

    const post = await job.runPost(POST, start);
    expect(post.exitCode).toBe(0);
    expect(post.summary).toContain(`refused 1 connection(s) from another OS user (uid ${other.uid})`);
  }, 60_000);
});

/** Opens `n` connections to the port and keeps them open, sending nothing; resolves with how many connected. */
function holdIdle(port: number, n: number): { opened: Promise<number>; release: () => void } {
  const sockets: Socket[] = [];
  const opened = new Promise<number>((resolve) => {
    let settled = 0;
    let connected = 0;
    const done = () => ++settled === n && resolve(connected);
    for (let i = 0; i < n; i++) {
      const s = connect(port, '127.0.0.1');
      sockets.push(s);
      s.once('connect', () => {
        connected++;
        done();
      });
      s.once('error', () => undefined);
      s.once('close', (hadError) => hadError && !s.remotePort && done());
    }
  });
  return { opened, release: () => sockets.forEach((s) => s.destroy()) };
}

describeAsRoot('abuse: large bodies and idle connections', () => {
  let world: World;
  const cleanup = new Cleanup();
  let scratch: string;
  beforeAll(async () => {
    requireRealConsumers();
    requireCommands('prlimit', 'curl');
    scratch = mkdtempSync(join(tmpdir(), 'asg-abuse-'));
    cleanup.add(() => rmSync(scratch, { recursive: true, force: true }));
    world = await startWorld();
    cleanup.add(() => world.close());
  });
  afterAll(() => cleanup.run());

  /**
   * A node that runs under `prlimit --nofile=<limits>`. Python, not sh: dash drops the runner's INPUT_* variables,
   * whose names hold hyphens.
   */
  const nodeUnder = (limits: string) => {
    const file = join(scratch, `node-${limits.replace(':', '-')}`);
    const py = `import os, sys\nos.execv('/usr/bin/prlimit', ['prlimit', '--nofile=${limits}', '--', ${JSON.stringify(process.execPath)}] + sys.argv[1:])\n`;
    writeFileSync(file, `#!/usr/bin/python3\n${py}`, { mode: 0o755 });
    return file;
  };

  /** A job whose `uses:` steps run under `node` (a prlimit wrapper). */
  const jobWithNode = (node: string) => {
    const job = new JobRunner({ node, env: { ...world.issuer.env(), AWS_ENDPOINT_URL_STS: world.sts.endpoint, AWS_EC2_METADATA_DISABLED: 'true' } });
    cleanup.add(() => job.cleanup());
    return job;
  };

  test('a 100 MB body gets its 403 before it is sent, and the server reads almost none of it (raw socket and curl)', async () => {
    const job = world.job();
    const { url, token, pid } = await startKeepAlive(job);
    const port = Number(new URL(url).port);
    const BODY = 100 * 1024 * 1024;
    const before = bytesRead(pid);

    // Headers only: the answer must come before a byte of the body.
    const socket = connect(port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        if (text.includes('\r\n\r\n')) resolve(text);
      });
    });
    socket.on('error', () => undefined);
    socket.write(`GET /credentials HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: wrong-token\r\nContent-Length: ${BODY}\r\n\r\n`);
    const head = await answer;
    expect(head).toMatch(/^HTTP\/1\.1 403 /);
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    // Then try to send it all: the server has closed, so most of it never gets through.
    const chunk = Buffer.alloc(1024 * 1024);
    let accepted = 0;
    for (let i = 0; i < 100 && !socket.destroyed; i++) {
      const ok = await new Promise<boolean>((resolve) => socket.write(chunk, (e) => resolve(!e)));
      if (!ok) break;
      accepted += chunk.length;
    }
    socket.destroy();
    expect(accepted).toBeLessThan(BODY / 2);

    // curl with a 100 MB file, wrong token, on the control route: 403, and the body is not read.
    const file = join(scratch, 'body');
    writeFileSync(file, '');
    truncateSync(file, BODY);
    const viaCurl = await curl(url.replace(/\/credentials$/, '/control/expect'), 'wrong-token', undefined, ['-X', 'POST', '--data-binary', `@${file}`]);
    expect(viaCurl.status).toBe(403);
    // Whatever reached it (the kernel's buffers at most) is far from 2 x 100 MB.
    expect(bytesRead(pid) - before).toBeLessThan(16 * 1024 * 1024);

    // and the right token still gets credentials
    expect((await curl(url, token)).status).toBe(200);
  }, 60_000);

  test('at an open-file limit of 1024, 2,000 idle connections from a local process do not lock clients out', async () => {
    // The job's steps (and so the server they start) run under prlimit --nofile=1024:1024: no room to raise it.
    const job = jobWithNode(nodeUnder('1024:1024'));
    const { url, token, pid } = await startKeepAlive(job);
    expect(softNofile(pid)).toBe(1024);
    expect(events(job).find((e) => e['type'] === 'started')).toMatchObject({ openFiles: 1024, maxConnections: 896 });
    const port = Number(new URL(url).port);

    // This process (the job's own user, so no token and no user check stops it) holds 2,000 idle connections.
    const holder = holdIdle(port, 2000);
    cleanup.add(holder.release);
    expect(await holder.opened).toBe(2000);
    // Clients, one after another, while they are held:
    for (let i = 0; i < 10; i++) expect((await curl(url, token)).status).toBe(200);
    const cli = await run(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.endpoint], {
      HOME: job.home,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
    });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain('assumed-role/short-lived/');
    // The server kept what one peer may hold, and closed the rest (connections the kernel's full backlog never
    // handed over look open to the holder until they time out, so the server's own descriptors are counted).
    expect(readdirSync(`/proc/${pid}/fd`).length).toBeLessThan(64 + 64);
    holder.release();
  }, 90_000);

  test('the server raises its soft open-file limit to the hard one (started under 1024:4096)', async () => {
    const job = jobWithNode(nodeUnder('1024:4096'));
    const { pid } = await startKeepAlive(job);
    expect(softNofile(pid)).toBe(4096);
    expect(events(job).find((e) => e['type'] === 'started')).toMatchObject({ openFiles: 4096, maxConnections: 4096 - 128 });
  }, 60_000);
});
