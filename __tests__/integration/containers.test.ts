/**
 * serve-containers, tested without Docker: a network namespace with its own
 * loopback and a default route through a veth pair to the host stands in for
 * a container on a Docker bridge. The bundled action adds 169.254.170.2 to the
 * host's lo and NAT rules for port 80; real clients (the AWS CLI v2, boto3,
 * the JS SDK v3, the Go SDKs v2 and v1, Debian's Ruby SDK) run as long-lived
 * processes inside the namespace and on the host at once, through ECS's
 * relative URI only, across more than three (compressed) expiries.
 *
 * Needs root (ip addr, ip netns, iptables): .ci/run runs it as root. Without
 * root it is skipped with a message; a missing command fails it, naming the
 * package. Only this file may use 169.254.170.2 on the machine: it deletes
 * only the rules tagged by the servers it started, never a whole chain, and
 * asserts afterwards that the host has neither the address nor a rule for it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { buildGoConsumers, type GoConsumers } from './go-consumers.js';
import { addLoopbackAddress, Cleanup, CONTAINER_NAMESPACE, createNamespace, IS_ROOT, requireCommands, sh, type Namespace } from './net-lab.js';
import { alive, AWS_CLI, BOTO3_PYTHON, consumerResults, MAIN, POST, requireRealConsumers, ROLES, ROOT, secretsOf, serverPid, startWorld, type World } from './world.js';

const CONSUMERS = join(ROOT, 'standins', 'consumers');
const LINK_LOCAL = '169.254.170.2';
const RUBY = process.env['RUBY'] ?? '/usr/bin/ruby';
const describeAsRoot = IS_ROOT ? describe : describe.skip;
if (!IS_ROOT) console.warn('containers.test.ts: skipped, it needs root (ip addr, ip netns, iptables); .ci/run runs it as root.');

/** Whether the host has 169.254.170.2 on an interface. */
const hostHasAddress = () => sh('ip', ['-o', 'addr', 'show'], { mayFail: true }).stdout.includes(` ${LINK_LOCAL}/`);
/** The host's NAT rules that mention 169.254.170.2. */
const linkLocalRules = () =>
  sh('iptables', ['-t', 'nat', '-S'], { mayFail: true })
    .stdout.split('\n')
    .filter((l) => l.startsWith('-A ') && l.includes(LINK_LOCAL));

/** Deletes the NAT rules carrying `tag`, and nothing else. */
function deleteTaggedRules(tag: string): void {
  for (const line of linkLocalRules().filter((l) => l.split(' ').includes(tag))) {
    const args = line.split(' ');
    args[0] = '-D';
    sh('iptables', ['-t', 'nat', ...args], { mayFail: true });
  }
}

function requireRuby(): void {
  const r = spawnSync(RUBY, ['-e', 'require "aws-sdk-core"; print Aws::CORE_GEM_VERSION'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${RUBY} cannot load aws-sdk-core. Install Debian's ruby-aws-sdk-core (apt-get install ruby-aws-sdk-core, as .ci/run does) or set RUBY.`);
}

describeAsRoot('serve-containers: a network namespace as a container on a bridge (needs root: ip, iptables)', () => {
  const cleanup = new Cleanup();
  let world: World;
  let ns: Namespace;
  let go: GoConsumers;
  let stsAddress: string;
  /** The rule tags of the servers started here, for the safety net. */
  const tags = new Set<string>();

  beforeAll(async () => {
    try {
      requireCommands('ip', 'iptables', 'curl');
      requireRealConsumers();
      requireRuby();
      if (hostHasAddress() || linkLocalRules().length > 0) {
        throw new Error(`${LINK_LOCAL} or a NAT rule for it is already on this host (${linkLocalRules().join('; ')}): these tests need it free.`);
      }
      // The safety net, run last: whatever a failed test left behind, by tag only.
      cleanup.add(() => {
        for (const tag of tags) deleteTaggedRules(tag);
        if (hostHasAddress() && linkLocalRules().length === 0) sh('ip', ['addr', 'del', `${LINK_LOCAL}/32`, 'dev', 'lo'], { mayFail: true });
      });
      go = await buildGoConsumers();
      cleanup.add(() => go.remove());
      // STS on an address of the host that the namespace reaches through its default route, as a container reaches the internet.
      const lo = addLoopbackAddress();
      cleanup.add(lo.remove);
      stsAddress = lo.address;
      // A 1 h role session lives 9 s: hours compressed into seconds.
      world = await startWorld({ sts: { host: stsAddress, credentialLifetime: (s) => s / 400 } });
      cleanup.add(() => world.close());
      ns = createNamespace(CONTAINER_NAMESPACE);
      cleanup.add(() => ns.remove());
    } catch (error) {
      await cleanup.run();
      throw error;
    }
  }, 300_000);

  /** Whatever a failed test left behind, by tag only, before the next test. */
  afterEach(() => {
    for (const tag of tags) deleteTaggedRules(tag);
    if (hostHasAddress() && linkLocalRules().length === 0) sh('ip', ['addr', 'del', `${LINK_LOCAL}/32`, 'dev', 'lo'], { mayFail: true });
  });

  afterAll(async () => {
    await cleanup.run();
    // The host is as it was: no address, no rule, no namespace.
    expect(hostHasAddress()).toBe(false);
    expect(linkLocalRules()).toEqual([]);
    expect(sh('ip', ['netns', 'list']).stdout).not.toContain(ns?.name ?? 'none');
  });

  const inputs = { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1', 'keep-alive': 'true', 'serve-containers': 'true', 'expected-duration': '3h' };

  async function start(job: JobRunner): Promise<StepResult> {
    const step = await job.runAction(MAIN, { inputs });
    const saved = step.state['link-local'];
    if (saved) tags.add((JSON.parse(saved) as { tag: string }).tag);
    return step;
  }

  /** Every client as one long-lived process, in the namespace and on the host at once, for `seconds`. */
  function runClients(job: JobRunner, seconds: number): Promise<StepResult> {
    const clients = [
      `env AWS_CLI="${AWS_CLI}" bash "${join(CONSUMERS, 'cli-loop.sh')}" ${seconds}`,
      `"${BOTO3_PYTHON}" "${join(CONSUMERS, 'boto3-loop.py')}" ${seconds} 0.25`,
      `"${process.execPath}" "${join(CONSUMERS, 'js-sdk-loop.mjs')}" ${seconds} 250`,
      `"${go.v2}" ${seconds} 250`,
      `"${go.v1}" ${seconds} 250`,
      `"${RUBY}" "${join(CONSUMERS, 'ruby-loop.rb')}" ${seconds} 0.25`,
    ];
    // Each line of output says where it ran.
    const tagged = (where: string, cmd: string) => `( ${cmd} | sed 's/^{"consumer": *"/{"consumer":"${where}:/' ) &`;
    const script = [
      ...clients.map((c) => tagged('namespace', `ip netns exec ${ns.name} ${c}`)),
      ...clients.map((c) => tagged('host', c)),
      'wait',
    ].join('\n');
    return job.runCommand('bash', ['-c', script], { env: { STS_ENDPOINT: world.sts.endpoint }, cwd: ROOT, name: 'docker run deploy' });
  }

  test('every client, in the namespace and on the host, refreshes through 169.254.170.2 past three expiries with zero failed calls; a wrong path gets 403; post leaves the host clean', async () => {
    const job = world.job();
    const step = await start(job);
    expect(step.errors).toEqual([]);
    expect(step.warnings).toEqual([]);
    expect(step.exitCode).toBe(0);
    const relative = step.exportedEnv['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] ?? '';
    expect(relative).toMatch(/^\/v2\/credentials\/[\w-]{43}$/); // 256 random bits
    const secretPart = relative.slice('/v2/credentials/'.length);
    expect(step.masks).toContain(secretPart);
    // the full URI and its token cleared: the Go SDKs read the full URI first; botocore takes an empty one while the relative URI is set
    expect(step.exportedEnv['AWS_CONTAINER_CREDENTIALS_FULL_URI']).toBe('');
    expect(step.exportedEnv['AWS_CONTAINER_AUTHORIZATION_TOKEN']).toBe('');
    expect(hostHasAddress()).toBe(true);
    const rules = linkLocalRules();
    expect(rules).toHaveLength(2);
    expect(rules.map((r) => r.split(' ')[1]).sort()).toEqual(['OUTPUT', 'PREROUTING']);
    const pid = serverPid(job);

    const issued = () => world.sts.calls.filter((c) => c.action === 'AssumeRoleWithWebIdentity' && c.status === 200).length;
    const issuedBefore = issued();
    const startedAt = Date.now();
    // 32 s: more than three 9 s sessions.
    const run = await runClients(job, 32);
    expect(run.exitCode).toBe(0);
    const results = consumerResults(run);
    if (results.length !== 12) console.log(`client output:\n${run.stdout}\n${run.stderr}`);
    const names = ['aws-cli', 'boto3', 'js-sdk-v3', 'go-sdk-v2', 'go-sdk-v1', 'ruby-sdk'];
    expect(results.map((r) => r.consumer).sort()).toEqual([...names.map((n) => `host:${n}`), ...names.map((n) => `namespace:${n}`)].sort());
    for (const r of results) {
      expect({ consumer: r.consumer, failed: r.failed, expiredToken: r.expiredToken, errors: r.errors }).toEqual({
        consumer: r.consumer,
        failed: 0,
        expiredToken: 0,
        errors: r.consumer.endsWith('aws-cli') ? [''] : [],
      });
      // the calls were signed by at least three sessions (the CLI: one process per call, fewer calls)
      expect({ consumer: r.consumer, keys: r.keys >= 3 }).toEqual({ consumer: r.consumer, keys: true });
      expect(r.ok).toBeGreaterThan(r.consumer.endsWith('aws-cli') ? 3 : 40);
    }
    // Ruby took the relative URI (its only container form)
    for (const r of results.filter((x) => x.consumer.endsWith('ruby-sdk'))) expect((r as unknown as { provider: string }).provider).toBe('Aws::ECSCredentials');
    expect(issued() - issuedBefore).toBeGreaterThanOrEqual(3);
    const signed = world.sts.calls.filter((c) => c.action === 'GetCallerIdentity' && c.at >= startedAt);
    expect(signed.filter((c) => c.status !== 200)).toEqual([]);

    // A wrong path, or the loopback token, gets nothing from a container; the right path does.
    const status = (path: string, header: string[] = []) =>
      ns.exec('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-m', '5', ...header, `http://${LINK_LOCAL}${path}`]).stdout;
    expect(status(relative)).toBe('200');
    expect(status(`/v2/credentials/${'A'.repeat(43)}`)).toBe('403');
    expect(status(relative.slice(0, -1))).toBe('403');
    expect(status('/credentials')).toBe('403');
    expect(status('/status')).toBe('403');
    expect(ns.exec('curl', ['-s', '-m', '5', `http://${LINK_LOCAL}/v2/credentials/wrong`]).stdout).not.toMatch(/AccessKeyId|Token|credentials\//);

    // A guard step after serve-containers recognises the server by the relative URI and exports nothing.
    const guard = await job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.short, 'aws-region': 'us-east-1' } });
    expect(guard.exitCode).toBe(0);
    expect(guard.outputs['refreshed']).toBe('false');
    expect(guard.exportedEnv).toEqual({});

    const post = await job.runPost(POST, step);
    expect(post.exitCode).toBe(0);
    expect(post.warnings).toEqual([]);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(hostHasAddress()).toBe(false);
    expect(linkLocalRules()).toEqual([]);
    expect(existsSync(join(job.runnerTemp, 'aws-session-guard'))).toBe(false);
    expect(job.secretsUnmasked([...secretsOf(job), secretPart])).toEqual([]);
  }, 180_000);

  test('post removes the address and exactly its own rules also when the server died', async () => {
    const job = world.job();
    const step = await start(job);
    expect(step.exitCode).toBe(0);
    // Someone else's rule for another address in the same chain stays.
    const foreign = ['OUTPUT', '-d', '10.205.255.254/32', '-p', 'tcp', '-m', 'comment', '--comment', `asg-test-${process.pid}`, '-j', 'RETURN'];
    sh('iptables', ['-t', 'nat', '-A', ...foreign]);
    cleanup.add(() => sh('iptables', ['-t', 'nat', '-D', ...foreign], { mayFail: true }));
    process.kill(serverPid(job), 'SIGKILL');
    const post = await job.runPost(POST, step);
    expect(post.exitCode).toBe(0);
    expect(post.warnings.join('\n')).toContain('stopped before the end of the job');
    expect(hostHasAddress()).toBe(false);
    expect(linkLocalRules()).toEqual([]);
    expect(sh('iptables', ['-t', 'nat', '-S', 'OUTPUT']).stdout).toContain(`asg-test-${process.pid}`);
    sh('iptables', ['-t', 'nat', '-D', ...foreign]);
  }, 60_000);

  test('169.254.170.2 already on this host, or an inherited relative URI (ECS, CodeBuild): refused, and the host is left as it was', async () => {
    sh('ip', ['addr', 'add', `${LINK_LOCAL}/32`, 'dev', 'lo']);
    try {
      const step = await start(world.job());
      expect(step.exitCode).toBe(1);
      expect(step.errors.join('\n')).toContain(`${LINK_LOCAL} is already configured on an interface of this host`);
      expect(step.errors.join('\n')).toContain("Fix: set 'serve-containers: false'");
      expect(hostHasAddress()).toBe(true); // not ours: not removed
      expect(linkLocalRules()).toEqual([]);
    } finally {
      sh('ip', ['addr', 'del', `${LINK_LOCAL}/32`, 'dev', 'lo'], { mayFail: true });
    }
    const inherited = await start(world.job({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/from-ecs' }));
    expect(inherited.exitCode).toBe(1);
    expect(inherited.errors.join('\n')).toContain('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is already set in this job');
    expect(hostHasAddress()).toBe(false);
    expect(linkLocalRules()).toEqual([]);
  }, 60_000);
});
