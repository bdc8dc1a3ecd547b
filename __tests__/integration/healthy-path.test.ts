/**
 * The healthy guard path costs about a bare `node` start: the bundled main
 * step, run as the runner runs it (stdout and stderr are pipes), loads no
 * built-in networking, crypto, compression or stream module, and no chunk.
 */
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROOT } from './world.js';

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
