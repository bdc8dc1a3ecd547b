/**
 * Issue 20, finding 5: a dead server's port. The keep-alive server is killed
 * (SIGKILL, as the OOM killer does); a process of ANOTHER Unix user binds its
 * port and serves its own /status and credentials. The action's steps prove
 * the server is the job's own (a challenge answered with a key that never
 * leaves the job's 0700 folder) before they send it anything or believe it:
 * - a guard step without role-to-assume fails, naming the impostor;
 * - the credential_process helper (aws-profile), run by the real AWS CLI,
 *   refuses it, and the CLI gets no credentials from it;
 * - a new keep-alive step sees the server gone, starts a new one on another
 *   port and exports that: it sends the impostor nothing;
 * - the post step sees the process gone and sends the impostor nothing.
 * The impostor records every request: it gets a challenge on /proof at most,
 * never a token or the control token.
 *
 * Needs root (useradd, setpriv, userdel): skipped with a reason otherwise.
 * The user and the impostor are removed in afterAll, also when a test fails.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepResult } from '../../standins/index.js';
import { alive, AWS_CLI, BOTO3_PYTHON, MAIN, POST, requireRealConsumers, ROLES, startWorld, waitUntil, type World } from './world.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('port-takeover.test.ts skipped: it needs root to add and remove a second Unix user (useradd, setpriv, userdel).');
const USER = `sg-impostor-${process.pid}`;

/** Serves its own /status (healthy-looking) and credentials on the port; prints every request as a JSON line. */
const IMPOSTOR = String.raw`
import http.server, json, os, sys
port = int(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        print(json.dumps({"method": self.command, "path": self.path, "authorization": self.headers.get("Authorization")}), flush=True)
        if self.path == "/credentials":
            body = {"AccessKeyId": "ASIAIMPOSTOR", "SecretAccessKey": "impostor-secret", "Token": "impostor-token", "Expiration": "2099-01-01T00:00:00Z"}
        elif self.path == "/proof":
            body = {"proof": True}
        else:
            body = {"pid": 1, "nonce": "n", "identity": "any", "remainingSeconds": 40000, "expiration": "2099-01-01T00:00:00Z",
                    "coverUntil": 4102444800000, "refreshes": 1, "served": 1, "refused": 0, "expectedUntil": 0}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Session-Guard-Proof", "0" * 64)
        self.end_headers()
        self.wfile.write(data)
    do_GET = answer
    do_POST = answer
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", port), H)
print(json.dumps({"listening": port, "uid": os.getuid()}), flush=True)
server.serve_forever()
`;

interface Seen {
  method?: string;
  path?: string;
  authorization?: string | null;
  listening?: number;
  uid?: number;
}

const portOf = (uri: string | undefined) => Number(new URL(uri ?? 'http://x').port);
const serverPidOf = (r: StepResult) => (JSON.parse(r.state['server'] ?? 'null') as { pid: number }).pid;

(isRoot ? describe : describe.skip)("a dead server's port taken by another Unix user", () => {
  let world: World;
  let impostor: ChildProcess | undefined;
  let userAdded = false;
  const seen: Seen[] = [];

  beforeAll(async () => {
    requireRealConsumers();
    world = await startWorld();
    const add = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`useradd ${USER} failed: ${add.stderr}`);
    userAdded = true;
  });
  afterAll(async () => {
    if (impostor?.pid !== undefined && impostor.exitCode === null) impostor.kill('SIGKILL');
    await world?.close();
    if (userAdded) spawnSync('userdel', [USER], { encoding: 'utf8' });
  });

  /** The impostor, as USER, on `port`; resolves once it listens. */
  async function takeOver(port: number): Promise<void> {
    const child = spawn('setpriv', [`--reuid=${USER}`, `--regid=${USER}`, '--clear-groups', BOTO3_PYTHON, '-c', IMPOSTOR, String(port)], {
      cwd: '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin' },
    });
    impostor = child;
    let buffer = '';
    let errors = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const l of lines) if (l) seen.push(JSON.parse(l) as Seen);
    });
    child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
    if (!(await waitUntil(() => seen.some((s) => s.listening === port) || child.exitCode !== null, 10_000)) || child.exitCode !== null) {
      throw new Error(`the impostor could not bind 127.0.0.1:${port}: ${errors}`);
    }
  }

  test('guard fails naming it; credential_process refuses it; keep-alive and post send it nothing', async () => {
    const job = world.job();
    const start = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'aws-profile': 'ci', 'output-env-credentials': 'true' },
    });
    expect(start.errors).toEqual([]);
    const endpoint = start.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '';
    const token = start.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN'] ?? '';
    expect(token).not.toBe('');
    const port = portOf(endpoint);
    const pid = serverPidOf(start);
    const record = JSON.parse(readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server.json'), 'utf8')) as { controlToken: string };

    process.kill(pid, 'SIGKILL');
    expect(await waitUntil(() => !alive(pid), 5000)).toBe(true);
    await takeOver(port);
    expect(seen.find((s) => s.listening === port)?.uid).not.toBe(0);
    // The impostor really answers as a server would (what an SDK would now be given).
    const direct = await fetch(`http://127.0.0.1:${port}/credentials`);
    expect(((await direct.json()) as { AccessKeyId: string }).AccessKeyId).toBe('ASIAIMPOSTOR');
    // The impostor reports each request on its stdout, which can arrive after the answer: wait for this one's line.
    await waitUntil(() => seen.some((s) => s.path === '/credentials'), 5000);
    seen.length = 0;

    // 1. A guard step without role-to-assume: fails, naming the impostor; exits 1, not 0 with refreshed=false.
    const guard = await job.runAction(MAIN, { inputs: { 'aws-region': 'us-east-1' }, env: { AWS_PROFILE: '' } });
    expect(guard.exitCode).toBe(1);
    expect(guard.errors.join('\n')).toContain(`The process listening on 127.0.0.1:${port} is not this job's credential server: its answer to the challenge is wrong`);
    expect(guard.outputs['refreshed']).toBeUndefined();
    expect(guard.summary).toContain('**Failed**');
    expect(guard.summary).not.toContain('Healthy');
    const afterGuard = seen.splice(0);
    expect(afterGuard.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /proof']);

    // 2. The real AWS CLI on the profile: the credential_process helper refuses the impostor; the CLI gets no credentials.
    const cli = await job.runCommand(AWS_CLI, ['configure', 'export-credentials', '--profile', 'ci', '--format', 'process'], {
      env: { AWS_CONTAINER_CREDENTIALS_FULL_URI: '', AWS_CONTAINER_AUTHORIZATION_TOKEN: '' },
      name: 'aws configure export-credentials --profile ci',
    });
    expect(cli.code).not.toBe(0);
    expect(cli.stdout).not.toContain('ASIAIMPOSTOR');
    expect(cli.stderr).toContain(`is not this job's credential server`);
    const afterCli = seen.splice(0);
    expect(afterCli.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /proof']);

    // 3. A new keep-alive step: the old server is gone, so it starts a new one on another port and exports that.
    const again = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'keep-alive': 'true' } });
    expect(again.errors).toEqual([]);
    expect(again.warnings.join('\n')).toContain(`(pid ${pid}) is no longer running`);
    const newEndpoint = again.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI'] ?? '';
    expect(portOf(newEndpoint)).not.toBe(port);
    expect(seen.splice(0)).toEqual([]); // not even a challenge

    // 4. The post steps: the first server's sees it gone (nothing sent to its port), the second's stops the new server.
    const post1 = await job.runPost(POST, start);
    expect(post1.exitCode).toBe(0);
    const post2 = await job.runPost(POST, again);
    expect(post2.exitCode).toBe(0);
    expect(post2.stdout).toContain(`Stopped the keep-alive credential server (pid ${serverPidOf(again)})`);
    expect(seen.splice(0)).toEqual([]);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);

    // Over the whole job, neither the token later steps hold nor the control token reached the impostor.
    for (const s of [...afterGuard, ...afterCli]) {
      expect(s.authorization ?? null).toBeNull();
      expect([token, record.controlToken]).not.toContain(s.authorization);
    }
  }, 120_000);
});
