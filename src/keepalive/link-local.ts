/**
 * ECS's link-local credentials address on this host, as the ECS agent sets it
 * up: 169.254.170.2 added to `lo` (/32), and port 80 of it redirected to the
 * credential server's port by two NAT rules, PREROUTING for traffic from
 * containers (through their bridge) and OUTPUT for the host's own. The
 * server itself listens on 169.254.170.2:<port>, so the rules are a DNAT to
 * the same address (REDIRECT would pick the incoming interface's address, and
 * a DNAT to 127.0.0.1 needs route_localnet for packets from containers).
 *
 * Every rule carries an iptables comment unique to one server (its tag), and
 * removal deletes exactly the rules with that tag: never a whole chain.
 *
 * `ip` and `iptables` run through a passed-in command runner: directly when
 * the step is root, through `sudo -n` otherwise (GitHub-hosted runners allow
 * it without a password). Unit tests pass a fake runner.
 */
import { spawn } from 'node:child_process';

export const LINK_LOCAL_ADDRESS = '169.254.170.2';
const CIDR = `${LINK_LOCAL_ADDRESS}/32`;

export interface CommandResult {
  /** The exit code; -1 when the command could not be started (missing, not allowed). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type CommandRunner = (cmd: string, args: readonly string[]) => Promise<CommandResult>;

export interface HostNetworkDeps {
  readonly run: CommandRunner;
  readonly platform: string;
  /** Whether this process is root: commands then run directly, else through `sudo -n`. */
  readonly isRoot: boolean;
}

/** What the post step needs to undo the set-up. No secret: saved in the runner's state and the server record. */
export interface LinkLocalState {
  /** The iptables comment on this server's rules. */
  readonly tag: string;
  /** Whether this step added 169.254.170.2 to lo (and so must remove it). */
  readonly addedAddress: boolean;
}

export type Preparation =
  | { readonly kind: 'added' }
  /** The address cannot be added here: loopback mode, with a warning. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** Someone else serves on the address (ECS, CodeBuild, another server): refuse. */
  | { readonly kind: 'in-use'; readonly reason: string };

/** The tag on one server's rules: the action's name and the server's nonce (hex). */
export const ruleTag = (nonce: string) => `aws-session-guard-${nonce}`;

const TAG_PATTERN = /^aws-session-guard-[0-9a-f]{8,64}$/;

const oneLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** The two NAT rules, as `iptables -t nat` arguments after -A/-D. */
export function redirectRules(port: number, tag: string): readonly (readonly string[])[] {
  const rule = (chain: string) => [
    chain,
    '-d',
    CIDR,
    '-p',
    'tcp',
    '-m',
    'tcp',
    '--dport',
    '80',
    '-m',
    'comment',
    '--comment',
    tag,
    '-j',
    'DNAT',
    '--to-destination',
    `${LINK_LOCAL_ADDRESS}:${port}`,
  ];
  return [rule('PREROUTING'), rule('OUTPUT')];
}

/** Whether `ip -o addr show` lists 169.254.170.2 on any interface. */
export function addressPresent(ipAddrOutput: string): boolean {
  return ipAddrOutput.split('\n').some((line) => line.split(/\s+/).some((word) => word === CIDR || word.startsWith(`${LINK_LOCAL_ADDRESS}/`)));
}

/** A route whose destination is exactly 169.254.170.2 (`169.254.170.2 via ...`, `local 169.254.170.2 ...`). */
function routeNamesAddress(line: string): boolean {
  const words = line.trim().split(/\s+/);
  const dest = ['local', 'unicast', 'blackhole', 'unreachable', 'prohibit'].includes(words[0] ?? '') ? words[1] : words[0];
  return dest === LINK_LOCAL_ADDRESS || dest === CIDR;
}

/** The `-A` lines of `iptables -t nat -S` that name the address (as itself, /32, or address:port; never 169.254.170.23). */
function natLines(listing: string): string[] {
  const namesAddress = (word: string) => word === LINK_LOCAL_ADDRESS || word === CIDR || word.startsWith(`${LINK_LOCAL_ADDRESS}:`);
  return listing.split('\n').filter((l) => l.startsWith('-A ') && l.split(/\s+/).some(namesAddress));
}

function carriesTag(line: string, tag: string): boolean {
  const words = line.split(' ');
  const i = words.indexOf('--comment');
  return i >= 0 && (words[i + 1] === tag || words[i + 1] === `"${tag}"`);
}

export class HostNetwork {
  constructor(private readonly deps: HostNetworkDeps) {}

  /** Runs a command that needs root: directly, or through `sudo -n` (never prompting). */
  private privileged(cmd: string, args: readonly string[]): Promise<CommandResult> {
    return this.deps.isRoot ? this.deps.run(cmd, args) : this.deps.run('sudo', ['-n', cmd, ...args]);
  }

  private get how(): string {
    return this.deps.isRoot ? '' : 'sudo -n ';
  }

  /**
   * Checks that 169.254.170.2 is free and that ip and iptables can be used, then adds the
   * address to lo. Nothing is changed unless the answer is 'added'.
   */
  async prepare(): Promise<Preparation> {
    if (this.deps.platform !== 'linux') {
      return { kind: 'unavailable', reason: `this runner is ${this.deps.platform}, and the link-local address is set up only on Linux` };
    }
    const addresses = await this.deps.run('ip', ['-o', 'addr', 'show']);
    if (addresses.code !== 0) return { kind: 'unavailable', reason: `\`ip -o addr show\` failed: ${oneLine(addresses.stderr) || 'the ip command (iproute2) is missing'}` };
    if (addressPresent(addresses.stdout)) {
      return { kind: 'in-use', reason: `${LINK_LOCAL_ADDRESS} is already configured on an interface of this host` };
    }
    const nat = await this.privileged('iptables', ['-t', 'nat', '-S']);
    if (nat.code !== 0) {
      return { kind: 'unavailable', reason: `\`${this.how}iptables -t nat -S\` failed: ${oneLine(nat.stderr) || 'iptables is missing or not allowed'}` };
    }
    const taken = natLines(nat.stdout);
    if (taken.length > 0) {
      return { kind: 'in-use', reason: `NAT rules for ${LINK_LOCAL_ADDRESS} already exist (${oneLine(taken[0] ?? '')})` };
    }
    // Whoever serves the address elsewhere (an ECS awsvpc bridge, a CodeBuild host) has a route for it. A TCP probe
    // would not tell: many networks' gateways accept a connection to any address (this project's test machine's does).
    const routes = await this.deps.run('ip', ['-o', 'route', 'show', 'table', 'all']);
    const route = routes.stdout.split('\n').find((l) => routeNamesAddress(l));
    if (route) return { kind: 'in-use', reason: `this host has a route for ${LINK_LOCAL_ADDRESS} (${route.trim()})` };
    const added = await this.privileged('ip', ['addr', 'add', CIDR, 'dev', 'lo']);
    if (added.code !== 0) {
      return { kind: 'unavailable', reason: `\`${this.how}ip addr add ${CIDR} dev lo\` failed: ${oneLine(added.stderr) || `exit code ${added.code}`}` };
    }
    return { kind: 'added' };
  }

  /** Adds the two NAT rules to the server's port; on a failure, removes what was added and throws. */
  async redirect(port: number, tag: string): Promise<void> {
    if (!TAG_PATTERN.test(tag)) throw new Error(`bad rule tag ${tag}`);
    for (const rule of redirectRules(port, tag)) {
      const r = await this.privileged('iptables', ['-t', 'nat', '-A', ...rule]);
      if (r.code !== 0) {
        await this.removeRules(tag);
        throw new Error(`could not redirect ${LINK_LOCAL_ADDRESS}:80 to port ${port} (\`${this.how}iptables -t nat -A ${rule[0] ?? ''} ...\`: ${oneLine(r.stderr)})`);
      }
    }
  }

  /** Deletes exactly the NAT rules carrying `tag`; returns what could not be deleted. */
  async removeRules(tag: string): Promise<string[]> {
    if (!TAG_PATTERN.test(tag)) return [`bad rule tag ${tag}`];
    const nat = await this.privileged('iptables', ['-t', 'nat', '-S']);
    if (nat.code !== 0) return [`\`${this.how}iptables -t nat -S\` failed: ${oneLine(nat.stderr)}`];
    const problems: string[] = [];
    for (const line of natLines(nat.stdout).filter((l) => carriesTag(l, tag))) {
      const args = line.split(' ').map((w) => (w === `"${tag}"` ? tag : w));
      args[0] = '-D';
      const r = await this.privileged('iptables', ['-t', 'nat', ...args]);
      if (r.code !== 0) problems.push(`\`iptables -t nat ${args.join(' ')}\` failed: ${oneLine(r.stderr)}`);
    }
    return problems;
  }

  /** Undoes a set-up: its rules, then the address if it added it. Returns what could not be undone. */
  async tearDown(state: LinkLocalState): Promise<string[]> {
    const problems = await this.removeRules(state.tag);
    if (state.addedAddress) {
      const shown = await this.deps.run('ip', ['-o', 'addr', 'show', 'dev', 'lo']);
      if (shown.code !== 0 || addressPresent(shown.stdout)) {
        const r = await this.privileged('ip', ['addr', 'del', CIDR, 'dev', 'lo']);
        if (r.code !== 0) problems.push(`\`${this.how}ip addr del ${CIDR} dev lo\` failed: ${oneLine(r.stderr)}`);
      }
    }
    return problems;
  }
}

export function parseLinkLocalState(raw: string | undefined): LinkLocalState | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<LinkLocalState>;
    if (typeof v.tag !== 'string' || !TAG_PATTERN.test(v.tag) || typeof v.addedAddress !== 'boolean') return undefined;
    return { tag: v.tag, addedAddress: v.addedAddress };
  } catch {
    return undefined;
  }
}

/** Runs a command without a shell, stdin closed, output collected; -1 when it cannot start. */
export const spawnRunner: CommandRunner = (cmd, args) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: `${process.env['PATH'] ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`, LC_ALL: 'C' } });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.once('error', (e) => resolve({ code: -1, stdout, stderr: `${cmd}: ${e.message}` }));
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });

export function realHostNetwork(): HostNetwork {
  return new HostNetwork({ run: spawnRunner, platform: process.platform, isRoot: process.getuid?.() === 0 });
}
