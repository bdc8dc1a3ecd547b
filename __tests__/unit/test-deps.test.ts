/**
 * scripts/test-deps.sh, run for real with bash, against a list whose checks
 * are `true`/`false` and stubs for apt-get, sudo and id put first on PATH:
 * the stubs record how they were called, so the tests see the exact apt-get
 * command the script would run on a machine without the packages.
 */
import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'test-deps.sh');

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'test-deps-'));
  log = join(dir, 'calls.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const realTool = (name: string): string => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

function stub(name: string, body: string): void {
  const path = join(dir, 'bin', name);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(path, `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`);
  chmodSync(path, 0o755);
}

function run(opts: { uid: number; sudo?: 'works' | 'asks' | 'none'; apt?: boolean; list: string; check?: boolean }) {
  stub('id', `echo ${opts.uid}`);
  if (opts.apt !== false) stub('apt-get', 'exit 0');
  if (opts.sudo === 'works') stub('sudo', 'if [ "$1" = -n ]; then shift; fi; "$@"');
  if (opts.sudo === 'asks') stub('sudo', 'echo "sudo: a password is required" >&2; exit 1');
  const listFile = join(dir, 'list');
  writeFileSync(listFile, opts.list);
  // Only the stubs and the few tools the script uses: no real apt-get or sudo is reachable.
  const tools = join(dir, 'tools');
  mkdirSync(tools, { recursive: true });
  for (const tool of ['bash', 'dirname', 'env', 'true', 'false']) symlinkSync(realTool(tool), join(tools, tool));
  const r = spawnSync(realTool('bash'), [SCRIPT, ...(opts.check ? ['--check'] : []), listFile], {
    env: { PATH: `${join(dir, 'bin')}:${tools}`, HOME: dir },
    encoding: 'utf8',
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter((l) => !l.startsWith('id ')) : [];
  return { code: r.status, out: r.stdout, err: r.stderr, calls };
}

const LIST = ['# a comment', '', 'present-one   true', 'missing-one   false', 'present-two   test -d /', 'missing-two   test -x /nonexistent/bin/x || false'].join('\n');

describe('scripts/test-deps.sh', () => {
  test('as root: apt-get installs exactly the packages whose check fails', () => {
    const r = run({ uid: 0, list: LIST });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends missing-one missing-two']);
  });

  test('not root, passwordless sudo: the same install through sudo -n', () => {
    const r = run({ uid: 1000, sudo: 'works', list: LIST });
    expect(r.code).toBe(0);
    expect(r.calls).toContain('sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends missing-one missing-two');
    expect(r.calls).toContain('apt-get install -y -qq --no-install-recommends missing-one missing-two');
  });

  test('not root, sudo wants a password: fails, prints the one command, installs nothing', () => {
    const r = run({ uid: 1000, sudo: 'asks', list: LIST });
    expect(r.code).toBe(1);
    expect(r.err).toContain('sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends missing-one missing-two');
    expect(r.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
  });

  test('not root and no sudo at all: the same one command', () => {
    const r = run({ uid: 1000, sudo: 'none', list: LIST });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Run this once.*\n {2}sudo apt-get update && .* missing-one missing-two\n/);
  });

  test('no apt-get: names the packages and fails', () => {
    const r = run({ uid: 0, apt: false, list: LIST });
    expect(r.code).toBe(1);
    expect(r.err).toContain('no apt-get');
    expect(r.err).toContain('missing-one missing-two');
  });

  test('everything there: no apt-get, no sudo, exit 0', () => {
    const r = run({ uid: 1000, sudo: 'asks', list: 'a true\nb test -d /\n' });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });

  test('--check only reports', () => {
    const r = run({ uid: 0, list: LIST, check: true });
    expect(r.code).toBe(1);
    expect(r.out).toContain('missing-one missing-two');
    expect(r.calls).toEqual([]);
  });
});

describe('one package list', () => {
  const list = readFileSync(join(ROOT, 'scripts', 'test-deps.list'), 'utf8');
  const packages = list.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s/)[0]);

  test('scripts/test-deps.list names the packages the tests drive', () => {
    expect(packages).toEqual(expect.arrayContaining(['awscli', 'python3-boto3', 'golang-go', 'tinyproxy', 'iptables', 'iproute2', 'libfaketime', 'ruby-aws-sdk-core']));
  });

  test('.ci/run installs through scripts/test-deps.sh and has no apt-get line of its own', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/^scripts\/test-deps\.sh$/m);
    expect(ci).not.toMatch(/apt-get/);
  });

  test('the GitHub workflow runs npm test as root, so the root suites run there', () => {
    const ci = readFileSync(join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');
    expect(ci).toMatch(/^ +run: sudo -E env "PATH=\$PATH" npm test$/m);
    expect(ci).not.toMatch(/^ +- run: npm test$/m);
  });

  test('npm test runs it first (pretest)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['pretest']).toBe('node scripts/pretest.mjs');
    expect(readFileSync(join(ROOT, 'scripts', 'pretest.mjs'), 'utf8')).toContain("'test-deps.sh'");
  });
});
