/**
 * The Go consumers (standins/consumers/go-sdk-v2-loop and go-sdk-v1-loop),
 * built offline in GOPATH mode against Debian's AWS SDK for Go sources, once
 * per test file into a temp dir. .ci/run installs what they need:
 * apt-get install golang-go golang-github-aws-aws-sdk-go-v2-dev golang-github-aws-aws-sdk-go-dev
 * (which pull in golang-github-aws-smithy-go-dev, golang-github-jmespath-go-jmespath-dev,
 * golang-golang-x-net-dev and a few more).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './world.js';

/** The Go toolchain (Debian golang-go) and the GOPATH holding the Debian SDK sources. */
export const GO = process.env['GO'] ?? 'go';
export const GO_SDK_GOPATH = process.env['GO_SDK_GOPATH'] ?? '/usr/share/gocode';

/** Where each Go import path comes from in Debian. */
const DEBIAN_SOURCES: readonly [string, string][] = [
  ['github.com/aws/aws-sdk-go-v2', 'golang-github-aws-aws-sdk-go-v2-dev'],
  ['github.com/aws/aws-sdk-go/', 'golang-github-aws-aws-sdk-go-dev'],
  ['github.com/aws/smithy-go', 'golang-github-aws-smithy-go-dev'],
  ['github.com/jmespath/go-jmespath', 'golang-github-jmespath-go-jmespath-dev'],
  ['golang.org/x/net', 'golang-golang-x-net-dev'],
];

export interface GoConsumers {
  /** AWS SDK for Go v2 loop binary. */
  v2: string;
  /** AWS SDK for Go v1 loop binary. */
  v1: string;
  /** Wall time of the build (both loops, cold build cache). */
  buildMs: number;
  /** Removes the binaries. */
  remove(): void;
}

const run = promisify(execFile);

/** Names the Debian package that holds what a failed `go build` could not find. */
function explain(what: string, err: unknown): Error {
  const e = err as { code?: unknown; stderr?: string; message?: string };
  if (e.code === 'ENOENT') {
    return new Error(`The Go toolchain was not found (${GO}). Install Debian's golang-go (apt-get install golang-go, as .ci/run does) or set GO.`);
  }
  const text = e.stderr || e.message || String(err);
  const missing = [...text.matchAll(/cannot find package "([^"]+)"/g)].map((m) => m[1] ?? '');
  const packages = new Set(missing.map((p) => DEBIAN_SOURCES.find(([prefix]) => (p + '/').startsWith(prefix))?.[1] ?? `the Debian package with Go sources for ${p}`));
  const hint = packages.size
    ? `Missing Go sources in ${GO_SDK_GOPATH}: install ${[...packages].join(', ')} (apt-get install; .ci/run does) or set GO_SDK_GOPATH.`
    : 'It is built offline in GOPATH mode against the Debian packages golang-go, golang-github-aws-aws-sdk-go-v2-dev and golang-github-aws-aws-sdk-go-dev (.ci/run installs them).';
  return new Error(`Building ${what} failed. ${hint}\n${text.trim()}`);
}

let built: Promise<GoConsumers> | undefined;

/** Builds both loops once; later calls get the same binaries. */
export function buildGoConsumers(): Promise<GoConsumers> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'go-consumers-'));
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      GO111MODULE: 'off',
      GOPATH: GO_SDK_GOPATH,
      GOCACHE: join(dir, 'cache'),
      GOFLAGS: '',
      GOTOOLCHAIN: 'local',
      // no C compiler needed (golang-go only recommends gcc), and the same binaries everywhere
      CGO_ENABLED: '0',
    };
    const started = Date.now();
    try {
      // One `go build` for both, so the standard library (rebuilt without cgo) compiles once.
      await run(GO, ['build', '-o', dir + '/', './standins/consumers/go-sdk-v2-loop', './standins/consumers/go-sdk-v1-loop'], { cwd: ROOT, env, timeout: 300_000 });
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw explain('the Go consumers (standins/consumers/go-sdk-*-loop)', err);
    }
    const buildMs = Date.now() - started;
    rmSync(join(dir, 'cache'), { recursive: true, force: true });
    return { v2: join(dir, 'go-sdk-v2-loop'), v1: join(dir, 'go-sdk-v1-loop'), buildMs, remove: () => rmSync(dir, { recursive: true, force: true }) };
  })();
  return built;
}
