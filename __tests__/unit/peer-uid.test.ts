import { describe, expect, test } from '@jest/globals';
import { findPeerUid, procAddress, procPeerLookup, socketOwners } from '../../src/keepalive/peer-uid.js';
import { refusalReporter, uidGuard, type RefusalEvent } from '../../src/keepalive/peer-guard.js';
import { ConnectionLimits, totalFor } from '../../src/keepalive/connection-limits.js';
import { parseOpenFileLimits, raiseOpenFiles } from '../../src/keepalive/open-files.js';

/** /proc/net/tcp on a little-endian host: the server listens on 127.0.0.1:41000 (A028); two clients. */
const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:A028 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0 100 0 0 10 0',
  // client of uid 1001, port 50000 (C350) -> server; and the server's end of it (uid 0)
  '   1: 0100007F:C350 0100007F:A028 01 00000000:00000000 00:00000000 00000000  1001        0 1002 1 0 20 4 30 10 -1',
  '   2: 0100007F:A028 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1003 1 0 20 4 30 10 -1',
  // a closed connection's TIME_WAIT entry on the same pair as the next: no owner
  '   3: 0100007F:C351 0100007F:A028 06 00000000:00000000 03:00000F3D 00000000     0        0 0 3 0',
  // a host process that reached 169.254.170.2:80 (02AAFEA9:0050) through NAT, uid 1000
  '   4: 02AAFEA9:D431 02AAFEA9:0050 01 00000000:00000000 00:00000000 00000000  1000        0 1004 1 0 20 4 30 10 -1',
  '',
].join('\n');

const TCP6 = [
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000001000000:C352 00000000000000000000000001000000:A028 01 00000000:00000000 00:00000000 00000000   42        0 2001 1 0 20 4 30 10 -1',
  '',
].join('\n');

const server = { address: '127.0.0.1', port: 41000 };

describe('procAddress: an endpoint as /proc/net/tcp writes it', () => {
  test('IPv4, little and big endian; the port in hex', () => {
    expect(procAddress({ address: '127.0.0.1', port: 41000 }, 'tcp', 'LE')).toBe('0100007F:A028');
    expect(procAddress({ address: '127.0.0.1', port: 41000 }, 'tcp', 'BE')).toBe('7F000001:A028');
    expect(procAddress({ address: '169.254.170.2', port: 80 }, 'tcp', 'LE')).toBe('02AAFEA9:0050');
  });
  test('IPv6 (word by word), IPv4-mapped both ways, and nonsense', () => {
    expect(procAddress({ address: '::1', port: 1 }, 'tcp6', 'LE')).toBe('00000000000000000000000001000000:0001');
    expect(procAddress({ address: '127.0.0.1', port: 1 }, 'tcp6', 'LE')).toBe('0000000000000000FFFF00000100007F:0001');
    expect(procAddress({ address: '::ffff:127.0.0.1', port: 1 }, 'tcp', 'LE')).toBe('0100007F:0001');
    expect(procAddress({ address: '::1', port: 1 }, 'tcp', 'LE')).toBeUndefined();
    expect(procAddress({ address: '1.2.3', port: 1 }, 'tcp', 'LE')).toBeUndefined();
    expect(procAddress({ address: '1:2:3:4:5:6:7:8:9', port: 1 }, 'tcp6', 'LE')).toBeUndefined();
    expect(procAddress({ address: '127.0.0.1', port: 70000 }, 'tcp', 'LE')).toBeUndefined();
  });
});

describe('socketOwners and findPeerUid', () => {
  test('the header and TIME_WAIT lines are skipped; held sockets keyed by "local remote"', () => {
    const owners = socketOwners(TCP);
    expect(owners.get('0100007F:C350 0100007F:A028')).toBe(1001);
    expect(owners.has('0100007F:C351 0100007F:A028')).toBe(false);
    expect([...owners.keys()].some((k) => k.startsWith('sl'))).toBe(false);
  });
  test("the peer's own socket gives its uid (not the server's end of the pair)", () => {
    const owners = { tcp: socketOwners(TCP) };
    expect(findPeerUid(owners, { peer: { address: '127.0.0.1', port: 50000 }, targets: [server] }, 'LE')).toEqual({ kind: 'found', uid: 1001 });
    expect(findPeerUid(owners, { peer: { address: '127.0.0.1', port: 50001 }, targets: [server] }, 'LE')).toEqual({ kind: 'not-local' });
    // a NATed host process, found by the address it connected to
    const nat = { peer: { address: '169.254.170.2', port: 54321 }, targets: [{ address: '169.254.170.2', port: 41000 }, { address: '169.254.170.2', port: 80 }] };
    expect(findPeerUid(owners, nat, 'LE')).toEqual({ kind: 'found', uid: 1000 });
    expect(findPeerUid({ tcp6: socketOwners(TCP6) }, { peer: { address: '::1', port: 50002 }, targets: [{ address: '::1', port: 41000 }] }, 'LE')).toEqual({ kind: 'found', uid: 42 });
    expect(findPeerUid({}, { peer: { address: '127.0.0.1', port: 50000 }, targets: [server] }, 'LE')).toMatchObject({ kind: 'unreadable' });
  });
  test('procPeerLookup: lookups asked together share one read of the table', async () => {
    const reads: string[] = [];
    let run: () => void = () => undefined;
    const lookup = procPeerLookup(async (t) => (reads.push(t), t === 'tcp' ? TCP : undefined), 'LE', (fn) => (run = fn));
    const a = lookup({ peer: { address: '127.0.0.1', port: 50000 }, targets: [server] });
    const b = lookup({ peer: { address: '127.0.0.1', port: 50001 }, targets: [server] });
    run();
    expect(await a).toEqual({ kind: 'found', uid: 1001 });
    expect(await b).toEqual({ kind: 'not-local' });
    expect(reads).toEqual(['tcp']);
    const c = lookup({ peer: { address: '127.0.0.1', port: 50000 }, targets: [server] });
    run();
    await c;
    expect(reads).toEqual(['tcp', 'tcp']);
  });
});

describe('uidGuard: who is served', () => {
  const lookupOf = (result: Awaited<ReturnType<Parameters<typeof uidGuard>[0]>>) => async () => result;
  const peer = { address: '127.0.0.1', port: 50000 };
  test('the own uid is served, another uid refused with it named', async () => {
    expect(await uidGuard(lookupOf({ kind: 'found', uid: 1001 }), 1001).check(peer, server, 'loopback')).toEqual({ allowed: true, uid: 1001 });
    expect(await uidGuard(lookupOf({ kind: 'found', uid: 1001 }), 0).check(peer, server, 'link-local')).toEqual({
      allowed: false,
      uid: 1001,
      reason: "its socket belongs to uid 1001, not the job's uid 0",
    });
  });
  test('no local socket: refused on loopback, served on the link-local listener (a container through NAT)', async () => {
    const guard = uidGuard(lookupOf({ kind: 'not-local' }), 0);
    expect(await guard.check(peer, server, 'loopback')).toMatchObject({ allowed: false, reason: expect.stringContaining('user is unknown') });
    expect(await guard.check({ address: '172.17.0.2', port: 40000 }, { address: '169.254.170.2', port: 41000 }, 'link-local')).toEqual({ allowed: true });
  });
  test('an unreadable table refuses on both listeners', async () => {
    const guard = uidGuard(lookupOf({ kind: 'unreadable', reason: 'EACCES' }), 0);
    expect(await guard.check(peer, server, 'loopback')).toMatchObject({ allowed: false });
    expect(await guard.check(peer, server, 'link-local')).toMatchObject({ allowed: false, reason: 'its user cannot be read (EACCES)' });
  });
});

describe('refusalReporter', () => {
  test('the first refusal of each user at once, then one event a minute with the count', () => {
    const written: RefusalEvent[] = [];
    let now = 0;
    const report = refusalReporter((e) => written.push(e), () => now);
    const refused = (uid?: number) => ({ allowed: false as const, reason: 'r', ...(uid !== undefined && { uid }) });
    report('loopback', refused(1001));
    report('loopback', refused(1001));
    report('loopback', refused(1002));
    report('loopback', refused());
    now = 59_999;
    report('loopback', refused(1001));
    now = 60_000;
    report('loopback', refused(1001));
    expect(written.map((e) => [e.uid, e.count])).toEqual([
      [1001, 1],
      [1002, 1],
      [undefined, 1],
      [1001, 3],
    ]);
  });
});

describe('ConnectionLimits', () => {
  const sock = (name: string, closed: string[]) => ({ destroy: () => void closed.push(name) });
  test('a peer keeps at most perPeer idle connections: its longest idle one goes, busy ones never', () => {
    const closed: string[] = [];
    const limits = new ConnectionLimits({ total: 100, perPeer: 1 });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => sock(n, closed)) as [ReturnType<typeof sock>, ReturnType<typeof sock>, ReturnType<typeof sock>, ReturnType<typeof sock>];
    limits.opened(a, 'p');
    limits.busy(a);
    limits.opened(b, 'p');
    limits.opened(c, 'p'); // a is busy: b, the longest idle, goes
    expect(closed).toEqual(['b']);
    limits.idle(a); // a answered: idle again, the most recent
    limits.opened(d, 'q');
    expect(closed).toEqual(['b']);
    limits.rekey(d, 'p'); // d turns out to be p's too: c then a go, d stays
    expect(closed).toEqual(['b', 'c', 'a']);
    expect(limits.size).toBe(1);
    expect(limits.evicted).toBe(3);
  });
  test('past the total, the longest idle connection of anyone goes', () => {
    const closed: string[] = [];
    const limits = new ConnectionLimits({ total: 2, perPeer: 10 });
    limits.opened(sock('a', closed), 'p');
    limits.opened(sock('b', closed), 'q');
    limits.opened(sock('c', closed), 'r');
    expect(closed).toEqual(['a']);
  });
  test('totalFor leaves room under the open-file limit', () => {
    expect(totalFor(1024)).toBe(896);
    expect(totalFor(100)).toBe(32);
    expect(totalFor(Infinity)).toBe(512);
    expect(totalFor(1 << 20)).toBe(16_384);
  });
});

describe('open-file limit', () => {
  const limitsText = (soft: string, hard: string) => `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 ${hard}                 files\n`;
  test('parseOpenFileLimits', () => {
    expect(parseOpenFileLimits(limitsText('1024', '4096'))).toEqual({ soft: 1024, hard: 4096 });
    expect(parseOpenFileLimits(limitsText('unlimited', 'unlimited'))).toEqual({ soft: Infinity, hard: Infinity });
    expect(parseOpenFileLimits('nothing')).toBeUndefined();
  });
  test('raiseOpenFiles runs prlimit on its own pid only when the soft limit is under the hard one, and says when it failed', async () => {
    const calls: string[][] = [];
    let text = limitsText('1024', '4096');
    const deps = {
      pid: 77,
      readLimits: async () => text,
      run: async (cmd: string, args: readonly string[]) => {
        calls.push([cmd, ...args]);
        return { code: 1, stdout: '', stderr: 'prlimit: failed to set the NOFILE resource limit: Operation not permitted\n' };
      },
    };
    expect(await raiseOpenFiles(deps)).toEqual({ limits: { soft: 1024, hard: 4096 }, problem: expect.stringContaining('Operation not permitted') });
    expect(calls).toEqual([['prlimit', '--pid', '77', '--nofile=4096:4096']]);
    text = limitsText('4096', '4096');
    expect(await raiseOpenFiles(deps)).toEqual({ limits: { soft: 4096, hard: 4096 } });
    expect(calls).toHaveLength(1);
    expect(await raiseOpenFiles({ ...deps, readLimits: async () => undefined })).toEqual({});
  });
});
