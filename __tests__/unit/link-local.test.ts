/**
 * keepalive/link-local.ts against a host in memory (fake-host.ts): the exact
 * commands, through `sudo -n` or directly as root; the fallback where the
 * address cannot be added; the refusal where it is in use; and a tear-down
 * that removes exactly one server's rules.
 */
import { describe, expect, test } from '@jest/globals';
import { addressPresent, parseLinkLocalState, redirectRules, ruleTag } from '../../src/keepalive/link-local.js';
import { FakeHost } from './fake-host.js';

const NONCE = '0123456789abcdef0123456789abcdef';
const TAG = ruleTag(NONCE);

describe('HostNetwork.prepare', () => {
  test('a free address is added to lo through sudo -n, after checking addresses, NAT rules and routes', async () => {
    const host = new FakeHost();
    expect(await host.network().prepare()).toEqual({ kind: 'added' });
    expect(host.commands).toEqual([
      'ip -o addr show',
      'sudo -n iptables -t nat -S',
      'ip -o route show table all',
      'sudo -n ip addr add 169.254.170.2/32 dev lo',
    ]);
    expect(host.hasLinkLocal()).toBe(true);
  });

  test('as root, without sudo', async () => {
    const host = new FakeHost({ isRoot: true, missing: ['sudo'] });
    expect(await host.network().prepare()).toEqual({ kind: 'added' });
    expect(host.commands.filter((c) => c.startsWith('sudo'))).toEqual([]);
    expect(host.changes).toEqual(['ip addr add 169.254.170.2/32 dev lo']);
  });

  test.each([
    ['macOS', { platform: 'darwin' }, 'this runner is darwin, and the link-local address is set up only on Linux'],
    ['Windows', { platform: 'win32' }, 'this runner is win32'],
    ['sudo wants a password', { sudoNeedsPassword: true }, '`sudo -n iptables -t nat -S` failed: sudo: a password is required'],
    ['no sudo', { missing: ['sudo'] }, 'sudo: spawn sudo ENOENT'],
    ['no ip', { missing: ['ip'] }, '`ip -o addr show` failed: ip: spawn ip ENOENT'],
    ['no iptables', { missing: ['iptables'] }, 'iptables: spawn iptables ENOENT'],
  ])('%s: unavailable (loopback mode), nothing changed', async (_name, options, reason) => {
    const host = new FakeHost(options);
    const prepared = await host.network().prepare();
    expect(prepared.kind).toBe('unavailable');
    expect(prepared.kind !== 'added' && prepared.reason).toContain(reason);
    expect(host.changes).toEqual([]);
  });

  test('in use: the address on an interface, a NAT rule for it (the ECS agent), or a route for it: refused, nothing changed', async () => {
    const onIf = new FakeHost();
    onIf.addresses.push('5: ecs-bridge    inet 169.254.170.2/22 scope global ecs-bridge');
    expect(await onIf.network().prepare()).toEqual({ kind: 'in-use', reason: '169.254.170.2 is already configured on an interface of this host' });

    const agent = new FakeHost();
    agent.rules.push('-A OUTPUT -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 51679');
    const a = await agent.network().prepare();
    expect(a.kind).toBe('in-use');
    expect(a.kind === 'in-use' && a.reason).toContain('NAT rules for 169.254.170.2 already exist (-A OUTPUT -d 169.254.170.2/32');

    const routed = new FakeHost();
    routed.routes.push('169.254.170.2 via 10.0.0.1 dev eth1');
    const r = await routed.network().prepare();
    expect(r).toEqual({ kind: 'in-use', reason: 'this host has a route for 169.254.170.2 (169.254.170.2 via 10.0.0.1 dev eth1)' });

    for (const host of [onIf, agent, routed]) expect(host.changes).toEqual([]);
  });

  test('NAT rules for a neighbouring address (EKS Pod Identity on 169.254.170.23) are not ours to fear: the address is set up', async () => {
    const host = new FakeHost();
    host.rules.push('-A OUTPUT -d 169.254.170.23/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 169.254.170.23:8080');
    expect(await host.network().prepare()).toEqual({ kind: 'added' });
    // An address:port destination still counts as naming the address.
    const dnat = new FakeHost();
    dnat.rules.push('-A OUTPUT -p tcp -m tcp --dport 80 -j DNAT --to-destination 169.254.170.2:51679');
    expect((await dnat.network().prepare()).kind).toBe('in-use');
  });

  test('addressPresent reads `ip -o addr show` words, not substrings', () => {
    expect(addressPresent('1: lo    inet 169.254.170.2/32 scope global lo')).toBe(true);
    expect(addressPresent('1: lo    inet 169.254.170.23/32 scope global lo')).toBe(false);
    expect(addressPresent('1: lo    inet 169.254.170.20/32 scope global lo')).toBe(false);
  });
});

describe('HostNetwork.redirect and tearDown', () => {
  test('two DNAT rules (PREROUTING for containers, OUTPUT for the host) to the server on 169.254.170.2, tagged', async () => {
    const host = new FakeHost();
    const net = host.network();
    await net.prepare();
    await net.redirect(45123, TAG);
    const rule = `-d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment ${TAG} -j DNAT --to-destination 169.254.170.2:45123`;
    expect(host.rules).toEqual([`-A PREROUTING ${rule}`, `-A OUTPUT ${rule}`]);
    expect(redirectRules(45123, TAG).map((r) => r.join(' '))).toEqual([`PREROUTING ${rule}`, `OUTPUT ${rule}`]);
  });

  test('tearDown deletes exactly the rules with its tag, then the address it added; others stay', async () => {
    const host = new FakeHost();
    const net = host.network();
    await net.prepare();
    await net.redirect(45123, TAG);
    const otherTag = ruleTag('ffffffffffffffffffffffffffffffff');
    const foreign = [
      `-A OUTPUT -d 169.254.170.2/32 -p tcp -m tcp --dport 80 -m comment --comment ${otherTag} -j DNAT --to-destination 169.254.170.2:1`,
      '-A OUTPUT -d 10.1.2.3/32 -j RETURN',
      `-A POSTROUTING -m comment --comment ${TAG}x -j RETURN`,
    ];
    host.rules.push(...foreign);
    expect(await net.tearDown({ tag: TAG, addedAddress: true })).toEqual([]);
    expect(host.rules).toEqual(foreign);
    expect(host.hasLinkLocal()).toBe(false);
    // Idempotent: a second tear-down (an earlier instance's post) finds nothing and changes nothing.
    const before = host.changes.length;
    expect(await net.tearDown({ tag: TAG, addedAddress: true })).toEqual([]);
    expect(host.changes.length).toBe(before);
  });

  test('an address it did not add stays', async () => {
    const host = new FakeHost();
    host.addresses.push('1: lo    inet 169.254.170.2/32 scope global lo');
    expect(await host.network().tearDown({ tag: TAG, addedAddress: false })).toEqual([]);
    expect(host.hasLinkLocal()).toBe(true);
  });

  test('a failed rule: what was added is removed, and the error says which command', async () => {
    const host = new FakeHost({ appendFails: true });
    const net = host.network();
    await expect(net.redirect(45123, TAG)).rejects.toThrow(
      'could not redirect 169.254.170.2:80 to port 45123 (`sudo -n iptables -t nat -A PREROUTING ...`: iptables: No chain/target/match by that name.)',
    );
    expect(host.rules).toEqual([]);
  });

  test('a tear-down that cannot run says so', async () => {
    const host = new FakeHost({ sudoNeedsPassword: true });
    host.addresses.push('1: lo    inet 169.254.170.2/32 scope global lo');
    expect(await host.network().tearDown({ tag: TAG, addedAddress: true })).toEqual([
      '`sudo -n iptables -t nat -S` failed: sudo: a password is required',
      '`sudo -n ip addr del 169.254.170.2/32 dev lo` failed: sudo: a password is required',
    ]);
  });

  test('a tag that is not ours is never used', async () => {
    const host = new FakeHost();
    await expect(host.network().redirect(1, 'x -j ACCEPT')).rejects.toThrow('bad rule tag');
    expect(await host.network().removeRules('')).toEqual(['bad rule tag ']);
    expect(host.commands).toEqual([]);
  });

  test('parseLinkLocalState takes only a well-formed state', () => {
    expect(parseLinkLocalState(JSON.stringify({ tag: TAG, addedAddress: true }))).toEqual({ tag: TAG, addedAddress: true });
    expect(parseLinkLocalState(JSON.stringify({ tag: 'other', addedAddress: true }))).toBeUndefined();
    expect(parseLinkLocalState('{')).toBeUndefined();
    expect(parseLinkLocalState('')).toBeUndefined();
  });
});
