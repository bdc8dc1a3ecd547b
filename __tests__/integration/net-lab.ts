/**
 * Network fixtures for the proxy and container tests, all root-only and all undone by
 * `cleanup()`: a real proxy (Debian's tinyproxy) with its own configuration
 * and log in a temp folder, extra addresses on `lo`, and a network namespace
 * joined to the host by a veth pair, with iptables rules inside it.
 *
 * Every name carries this process's pid (namespace asg-proxy-<pid> or, for
 * the container stand-in with a default route, asg-ctr-<pid>; veth asgph<pid> / asgch<pid>, address label lo:asg<pid>, tinyproxy folder
 * asg-tinyproxy-<pid>-*), so runs never collide, and whatever a crashed
 * earlier run left behind (its pid gone) is removed before anything is added.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const IS_ROOT = process.getuid?.() === 0;

/** Which Debian package provides each command the tests need (.ci/run installs them). */
const PACKAGES: Record<string, string> = { tinyproxy: 'tinyproxy', iptables: 'iptables', ip: 'iproute2', openssl: 'openssl' };

/** Fails with the package to install when a command is missing. */
export function requireCommands(...commands: string[]): void {
  const missing = commands.filter((c) => spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).status !== 0);
  if (missing.length > 0) {
    const packages = missing.map((c) => PACKAGES[c] ?? c);
    throw new Error(`Missing ${missing.join(', ')}: install the Debian package(s) ${packages.join(' ')} (apt-get install ${packages.join(' ')}, as .ci/run does).`);
  }
}

/** Runs a command; throws with its stderr unless it succeeds (or `mayFail`). */
export function sh(cmd: string, args: readonly string[], opts: { mayFail?: boolean } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
  if (r.status !== 0 && !opts.mayFail) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message || ''}`);
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A TCP port free on `host` right now. */
export async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const TINYPROXY_DIR = 'asg-tinyproxy-';

/** Stops the tinyproxies that crashed earlier runs left behind (their config folder names a pid that is gone), and removes their folders. */
function stopStaleTinyproxies(): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string[];
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!cmdline[0]?.endsWith('tinyproxy')) continue;
    const config = cmdline[cmdline.indexOf('-c') + 1] ?? '';
    const owner = new RegExp(`/${TINYPROXY_DIR}(\\d+)-[^/]+/tinyproxy\\.conf$`).exec(config)?.[1];
    if (owner === undefined || pidAlive(Number(owner))) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    rmSync(dirname(config), { recursive: true, force: true });
  }
  for (const entry of readdirSync(tmpdir())) {
    const owner = new RegExp(`^${TINYPROXY_DIR}(\\d+)-`).exec(entry)?.[1];
    if (owner !== undefined && !pidAlive(Number(owner))) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** A tinyproxy of our own: its config, log and process. */
export class Tinyproxy {
  readonly user = 'guard';
  readonly password = randomBytes(12).toString('hex');
  port = 0;
  private child: ChildProcess | undefined;
  private exited = false;

  private constructor(
    readonly host: string,
    readonly dir: string,
  ) {}

  /** Starts tinyproxy on `host` (a free port), Basic auth required, LogLevel Info, no Allow or ConnectPort limit. */
  static async start(host: string): Promise<Tinyproxy> {
    requireCommands('tinyproxy');
    stopStaleTinyproxies();
    const proxy = new Tinyproxy(host, mkdtempSync(join(tmpdir(), `${TINYPROXY_DIR}${process.pid}-`)));
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await proxy.launch();
          return proxy;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    } catch (error) {
      await proxy.stop();
      throw error;
    }
  }

  get logFile(): string {
    return join(this.dir, 'tinyproxy.log');
  }

  /** The proxy URL with the user and password. */
  url(): string {
    return `http://${this.user}:${this.password}@${this.host}:${this.port}`;
  }

  private async launch(): Promise<void> {
    this.port = await freePort(this.host);
    rmSync(this.logFile, { force: true });
    const config = join(this.dir, 'tinyproxy.conf');
    writeFileSync(
      config,
      [
        // Run as root by the tests: tinyproxy warns and keeps the current user.
        `Port ${this.port}`,
        `Listen ${this.host}`,
        'Timeout 30',
        `LogFile "${this.logFile}"`,
        'LogLevel Info',
        'MaxClients 50',
        `BasicAuth ${this.user} ${this.password}`,
        'DisableViaHeader Yes',
        '',
      ].join('\n'),
    );
    this.exited = false;
    const child = spawn('tinyproxy', ['-d', '-c', config], { stdio: 'ignore' });
    this.child = child;
    child.once('exit', () => (this.exited = true));
    for (let i = 0; i < 100; i++) {
      if (this.log().includes('Accepting connections')) return;
      if (this.exited) throw new Error(`tinyproxy exited at start: ${this.log()}`);
      await sleep(30);
    }
    throw new Error(`tinyproxy did not start within 3 s: ${this.log()}`);
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
  }

  /** Where the log is now, to read what comes after. */
  mark(): number {
    return this.log().length;
  }

  /** The request lines logged after `mark` ("CONNECT host:port HTTP/1.1", "GET http://... HTTP/1.1"), once `until` holds for them (or 3 s passed). */
  async requestsSince(mark: number, until: (lines: string[]) => boolean = () => true): Promise<string[]> {
    let lines: string[] = [];
    for (let i = 0; i < 100; i++) {
      lines = this.log()
        .slice(mark)
        .split('\n')
        .map((l) => /Request \(file descriptor \d+\): (.*)$/.exec(l)?.[1])
        .filter((l): l is string => l !== undefined);
      if (until(lines)) break;
      await sleep(30);
    }
    return lines;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child?.pid !== undefined && !this.exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !this.exited; i++) await sleep(20);
      if (!this.exited) child.kill('SIGKILL');
    }
    this.child = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An address of this run in 10.203.0.0/16: derived from the pid, so concurrent runs differ. */
export function runAddress(pid = process.pid): string {
  return `10.203.${Math.floor(pid / 256) % 256}.${pid % 256}`;
}

const loLabel = (pid: number) => `lo:asg${pid}`;

/** Removes the lo addresses of earlier runs (label lo:asg<pid>) whose process is gone. */
function removeStaleLoopbackAddresses(): void {
  const out = sh('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo'], { mayFail: true }).stdout;
  for (const line of out.split('\n')) {
    const m = /inet (\S+) .*\blo:asg(\d+)\b/.exec(line);
    if (m?.[1] && m[2] && (Number(m[2]) === process.pid || !pidAlive(Number(m[2])))) {
      sh('ip', ['addr', 'del', m[1], 'dev', 'lo'], { mayFail: true });
    }
  }
}

/** Adds this run's address to lo (removing stale ones first); returns it and how to remove it. */
export function addLoopbackAddress(): { address: string; remove: () => void } {
  removeStaleLoopbackAddresses();
  const address = runAddress();
  sh('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo', 'label', loLabel(process.pid)]);
  return { address, remove: () => void sh('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo'], { mayFail: true }) };
}

export interface Namespace {
  readonly name: string;
  /** The host's end of the veth pair, and the namespace's. */
  readonly hostAddress: string;
  readonly nsAddress: string;
  /** Runs a command inside the namespace. */
  exec(cmd: string, args: readonly string[], opts?: { mayFail?: boolean }): ReturnType<typeof sh>;
  remove(): void;
}

/** Namespace names, interface names and the /16 of each kind of namespace. */
export interface NamespaceKind {
  /** Namespace name prefix (then the pid). */
  readonly prefix: string;
  /** Host-end interface prefix (then the pid; at most 5 characters: names are at most 15). */
  readonly hostIf: string;
  readonly nsIf: string;
  /** Second octet of the 10.x.0.0/16 the /30s come from. */
  readonly octet: number;
  /** A default route through the host's end, as a container on a Docker bridge has. */
  readonly defaultRoute: boolean;
}

export const PROXY_NAMESPACE: NamespaceKind = { prefix: 'asg-proxy-', hostIf: 'asgph', nsIf: 'asgpn', octet: 204, defaultRoute: false };
/** A stand-in for a container on a bridge (containers.test.ts). */
export const CONTAINER_NAMESPACE: NamespaceKind = { prefix: 'asg-ctr-', hostIf: 'asgch', nsIf: 'asgcn', octet: 205, defaultRoute: true };

/** Deletes namespaces (and their veth pairs) of earlier runs whose process is gone, and this pid's own leftovers. */
function removeStaleNamespaces(kind: NamespaceKind): void {
  const out = sh('ip', ['netns', 'list'], { mayFail: true }).stdout;
  for (const line of out.split('\n')) {
    const m = new RegExp(`^${kind.prefix}(\\d+)\\b`).exec(line.trim());
    if (!m?.[1]) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !pidAlive(pid)) {
      sh('ip', ['netns', 'del', `${kind.prefix}${pid}`], { mayFail: true });
      sh('ip', ['link', 'del', `${kind.hostIf}${pid}`], { mayFail: true });
    }
  }
  sh('ip', ['link', 'del', `${kind.hostIf}${process.pid}`], { mayFail: true });
}

/**
 * A namespace `asg-proxy-<pid>` with lo up and a veth pair to the host:
 * host 10.204.x.y+1/30, namespace +2 (x.y from the pid). Like a container on
 * a bridge, without a route anywhere else.
 */
export function createNamespace(kind: NamespaceKind = PROXY_NAMESPACE): Namespace {
  requireCommands('ip');
  removeStaleNamespaces(kind);
  const pid = process.pid;
  const name = `${kind.prefix}${pid}`;
  const hostIf = `${kind.hostIf}${pid}`;
  const nsIf = `${kind.nsIf}${pid}`;
  const base = (pid % 16384) * 4; // a /30 per pid in 10.<octet>.0.0/16
  const hostAddress = `10.${kind.octet}.${Math.floor(base / 256)}.${(base % 256) + 1}`;
  const nsAddress = `10.${kind.octet}.${Math.floor(base / 256)}.${(base % 256) + 2}`;
  const remove = () => {
    // Deleting the namespace deletes its end of the pair (so the pair) and every iptables rule in it.
    sh('ip', ['netns', 'del', name], { mayFail: true });
    sh('ip', ['link', 'del', hostIf], { mayFail: true });
  };
  try {
    sh('ip', ['netns', 'add', name]);
    sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', name]);
    sh('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    sh('ip', ['link', 'set', hostIf, 'up']);
    sh('ip', ['-n', name, 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf]);
    sh('ip', ['-n', name, 'link', 'set', nsIf, 'up']);
    sh('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    if (kind.defaultRoute) sh('ip', ['-n', name, 'route', 'add', 'default', 'via', hostAddress]);
  } catch (error) {
    remove();
    throw error;
  }
  return {
    name,
    hostAddress,
    nsAddress,
    exec: (cmd, args, opts) => sh('ip', ['netns', 'exec', name, cmd, ...args], opts),
    remove,
  };
}

/** Undo steps run in reverse order, each once, whatever fails. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  add(step: () => unknown): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.steps.length > 0) {
      const step = this.steps.pop() as () => unknown;
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
