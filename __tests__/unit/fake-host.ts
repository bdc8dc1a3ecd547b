/**
 * A host's `ip` and `iptables` in memory, behind the CommandRunner that
 * keepalive/link-local.ts takes: addresses, routes and NAT rules as the real
 * commands print them, every command recorded, and failures on demand (a
 * missing command, `sudo -n` that wants a password, a rule that cannot be added).
 */
import { HostNetwork, type CommandResult, type CommandRunner } from '../../src/keepalive/link-local.js';

export interface FakeHostOptions {
  readonly platform?: string;
  readonly isRoot?: boolean;
  /** `sudo -n` answers "a password is required". */
  readonly sudoNeedsPassword?: boolean;
  /** Commands that are not installed. */
  readonly missing?: readonly string[];
  /** `iptables -A` fails (e.g. no nat table). */
  readonly appendFails?: boolean;
}

export class FakeHost {
  /** `ip -o addr show` lines. */
  readonly addresses: string[] = ['1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever'];
  readonly routes: string[] = ['default via 192.0.2.1 dev eth0', '192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2'];
  /** `iptables -t nat -S` lines after the policies. */
  readonly rules: string[] = [];
  /** Every command run, as one string ("sudo -n ip addr add ..."). */
  readonly commands: string[] = [];

  constructor(readonly options: FakeHostOptions = {}) {}

  network(): HostNetwork {
    return new HostNetwork({ run: this.run, platform: this.options.platform ?? 'linux', isRoot: this.options.isRoot ?? false });
  }

  /** The commands that changed something (add, del, -A, -D). */
  get changes(): string[] {
    return this.commands.filter((c) => / (add|del|-A|-D) /.test(c));
  }

  readonly run: CommandRunner = async (cmd, args) => {
    this.commands.push([cmd, ...args].join(' '));
    if (cmd === 'sudo') {
      if (this.options.missing?.includes('sudo')) return fail(-1, 'sudo: spawn sudo ENOENT');
      if (args[0] !== '-n') return fail(1, 'the fake host allows only sudo -n');
      if (this.options.sudoNeedsPassword) return fail(1, 'sudo: a password is required');
      return this.exec(args[1] ?? '', args.slice(2), true);
    }
    return this.exec(cmd, args, this.options.isRoot ?? false);
  };

  private exec(cmd: string, args: readonly string[], root: boolean): CommandResult {
    if (this.options.missing?.includes(cmd)) return fail(-1, `${cmd}: spawn ${cmd} ENOENT`);
    const line = args.join(' ');
    if (cmd === 'ip') {
      if (line === '-o addr show' || line === '-o addr show dev lo') {
        return ok(this.addresses.filter((a) => line.endsWith('show') || / lo /.test(a)).join('\n') + '\n');
      }
      if (line === '-o route show table all') return ok(this.routes.join('\n') + '\n');
      const m = /^addr (add|del) (\S+) dev lo$/.exec(line);
      if (m) {
        if (!root) return fail(2, 'RTNETLINK answers: Operation not permitted');
        const address = `1: lo    inet ${m[2] ?? ''} scope global lo\\       valid_lft forever preferred_lft forever`;
        const at = this.addresses.findIndex((a) => a.includes(` ${m[2] ?? ''} `));
        if (m[1] === 'add') {
          if (at >= 0) return fail(2, 'Error: ipv4: Address already assigned.');
          this.addresses.push(address);
        } else {
          if (at < 0) return fail(2, 'Error: ipv4: Address not found.');
          this.addresses.splice(at, 1);
        }
        return ok('');
      }
      return fail(1, `fake ip: unknown ${line}`);
    }
    if (cmd === 'iptables') {
      if (!root) return fail(4, 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)');
      if (line === '-t nat -S') return ok(['-P PREROUTING ACCEPT', '-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P POSTROUTING ACCEPT', ...this.rules].join('\n') + '\n');
      const [t, nat, op, ...rule] = args;
      if (t !== '-t' || nat !== 'nat' || (op !== '-A' && op !== '-D')) return fail(2, `fake iptables: unknown ${line}`);
      const text = `-A ${rule.join(' ')}`;
      if (op === '-A') {
        if (this.options.appendFails) return fail(1, "iptables: No chain/target/match by that name.");
        this.rules.push(text);
      } else {
        const at = this.rules.indexOf(text);
        if (at < 0) return fail(1, 'iptables: Bad rule (does a matching rule exist in that chain?).');
        this.rules.splice(at, 1);
      }
      return ok('');
    }
    return fail(-1, `${cmd}: spawn ${cmd} ENOENT`);
  }

  hasLinkLocal(): boolean {
    return this.addresses.some((a) => a.includes(' 169.254.170.2/32 '));
  }
}

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: '' });
const fail = (code: number, stderr: string): CommandResult => ({ code, stdout: '', stderr: stderr + '\n' });
