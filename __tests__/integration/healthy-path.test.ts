/**
 * The healthy guard path costs about a bare `node` start: the bundled main
 * step, run as the runner runs it (stdout and stderr are pipes), loads no
 * built-in networking, crypto, compression or stream module. A later guard
 * step with the configuration that minted the session (the healthy shortcut,
 * src/guard/healthy.ts) loads nothing but the main entry.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MAIN, ROLES, ROOT, startWorld, type World } from './world.js';

const PRELOAD = join(ROOT, '__tests__', 'fixtures', 'module-list.mjs');
const FORBIDDEN = /^(net|http|https|http2|tls|dns|dgram|crypto|zlib|stream|_http_\w+|_tls_\w+|internal\/(crypto|http|tls|streams|dns)\/.*)$/;

async function loadedBy(args: string[], env: Record<string, string>): Promise<{ modules: string[]; stdout: string; code: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'modules-'));
  try {
    const listFile = join(dir, 'modules.json');
    const files: Record<string, string> = {};
    for (const name of ['GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) {
      files[name] = join(dir, name);
      writeFileSync(files[name], '');
    }
    const child = spawn(process.execPath, ['--import', PRELOAD, ...args], {
      env: { PATH: process.env['PATH'] ?? '', RUNNER_TEMP: dir, MODULE_LIST_FILE: listFile, ...files, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    return { modules: JSON.parse(readFileSync(listFile, 'utf8')) as string[], stdout, code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the healthy guard path', () => {
  test('loads no networking, crypto, zlib or stream module, with stdout a pipe', async () => {
    const expiration = new Date(Date.now() + 3 * 3600_000).toISOString();
    const healthy = await loadedBy([MAIN], {
      'INPUT_ROLE-TO-ASSUME': 'arn:aws:iam::123456789012:role/deploy',
      'INPUT_AWS-REGION': 'us-east-1',
      // A stated need: without one a step with a role always assumes it afresh, as configure-aws-credentials does.
      'INPUT_EXPECTED-DURATION': '1h',
      INPUT_EXPIRATION: expiration,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      // A proxy in the job changes nothing: the proxy agents load only with the minter.
      HTTPS_PROXY: 'http://user:secret@proxy.example:3128',
      NO_PROXY: '.internal.example',
    });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('Nothing to do');
    expect(healthy.modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    // The same preload around a bare start, to show the list is read.
    const bare = await loadedBy(['-e', 'require("node:https")'], {});
    expect(bare.modules).toContain('https');
  });
});

describe('the healthy shortcut, in a job whose first guard step minted the session', () => {
  let world: World;
  let noChunks: string;
  beforeAll(async () => {
    world = await startWorld();
    // dist/main without its lazily loaded chunks: only the entry is left.
    noChunks = mkdtempSync(join(tmpdir(), 'main-no-chunks-'));
    cpSync(dirname(MAIN), noChunks, { recursive: true });
    for (const f of readdirSync(noChunks).filter((f) => /^\d+\.index\.js$/.test(f))) rmSync(join(noChunks, f));
  });
  afterAll(async () => {
    await world.close();
    rmSync(noChunks, { recursive: true, force: true });
  });
  const MINTING = { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1', 'expected-duration': '2h' };

  test('a later step with the same inputs and another need: kept from the entry alone, no networking or crypto module', async () => {
    const job = world.job();
    const first = await job.runAction(MAIN, { inputs: MINTING });
    expect(first.outputs['refreshed']).toBe('true');
    const calls = world.sts.calls.length;

    const listFile = join(job.runnerTemp, 'modules.json');
    const later = await job.runCommand(process.execPath, ['--import', PRELOAD, join(noChunks, 'index.js')], {
      inputs: { ...MINTING, 'expected-duration': '90m' },
      env: { MODULE_LIST_FILE: listFile },
    });
    expect(later.exitCode).toBe(0);
    expect(later.outputs['refreshed']).toBe('false');
    expect(later.outputs['expiration']).toBe(first.outputs['expiration']);
    expect(later.stdout).toContain('the work needs 1h35m (1h30m expected-duration + 5m safety-margin = 1h35m). Nothing to do.');
    const loaded = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
    expect(loaded.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    expect(world.sts.calls.length).toBe(calls);
    // Nothing at all beyond what a bare process that writes one line to its piped stdout loads (a CommonJS entry: no ESM loader module either).
    const bareList = join(job.runnerTemp, 'bare-modules.json');
    const bare = await job.runCommand(process.execPath, ['--import', PRELOAD, '-e', 'process.stdout.write("one line\\n")'], { env: { MODULE_LIST_FILE: bareList } });
    expect(bare.exitCode).toBe(0);
    const bareLoaded = new Set(JSON.parse(readFileSync(bareList, 'utf8')) as string[]);
    expect(bareLoaded.size).toBeGreaterThan(0);
    expect(loaded.filter((m) => !bareLoaded.has(m))).toEqual([]);
  });

  test('another configuration, or keys another step swapped in: the full path (which the entry alone cannot run)', async () => {
    const job = world.job();
    await job.runAction(MAIN, { inputs: MINTING });
    const other = await job.runAction(join(noChunks, 'index.js'), { inputs: { ...MINTING, 'retry-max-attempts': '3' } });
    expect(other.exitCode).not.toBe(0);
    expect(other.stderr + other.stdout).toMatch(/Cannot find module .*index\.js/);
    // With its chunks, the full path keeps the same session: same identity.
    const full = await job.runAction(MAIN, { inputs: { ...MINTING, 'retry-max-attempts': '3' } });
    expect(full.outputs['refreshed']).toBe('false');

    const swapped = await job.runAction(join(noChunks, 'index.js'), { inputs: MINTING, env: { AWS_ACCESS_KEY_ID: 'ASIASWAPPEDKEY000001' } });
    expect(swapped.exitCode).not.toBe(0);
  });
});
