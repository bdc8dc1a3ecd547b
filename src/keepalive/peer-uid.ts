/**
 * Who is on the other end of a local TCP connection, as identd finds it: the
 * peer's own socket is a line of /proc/net/tcp (tcp6 for IPv6) whose local
 * address is our remote one and whose remote address is our local one, and
 * that line's uid column is the owner of the peer's socket.
 *
 * The parsing is pure (`socketOwners`, `procAddress`); `procPeerLookup` reads
 * the table through a passed-in reader, once for every lookup asked for in
 * the same turn of the event loop, so a burst of connections costs one read.
 */

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** /proc/net/tcp states that belong to a socket some process holds (not TIME_WAIT, CLOSE or LISTEN). */
const OWNED_STATES = new Set(['01', '02', '03', '04', '05', '08', '09', '0B']);

/** The bytes of an IPv4 or IPv6 address (IPv4 as 4 bytes); undefined for anything else. */
function addressBytes(address: string): number[] | undefined {
  if (!address.includes(':')) {
    const parts = address.split('.');
    if (parts.length !== 4) return undefined;
    const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
    return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
  }
  let text = address.toLowerCase();
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = addressBytes(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = text.slice(0, lastColon + 1) + '0:0'; // placeholder groups, replaced below
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - head.length - rest.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

const hex2 = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');

/**
 * An endpoint as /proc/net/tcp{,6} writes it: the address as 32-bit words in
 * the host's byte order (`LE` on x86 and arm64), then `:` and the port in
 * hex. IPv4 in tcp6 is the mapped form, ::ffff:a.b.c.d.
 */
export function procAddress(endpoint: Endpoint, table: 'tcp' | 'tcp6', endianness: 'LE' | 'BE'): string | undefined {
  let bytes = addressBytes(endpoint.address);
  if (!bytes) return undefined;
  if (table === 'tcp6' && bytes.length === 4) bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...bytes];
  if (table === 'tcp' && bytes.length === 16) {
    const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
    if (!mapped) return undefined;
    bytes = bytes.slice(12);
  }
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const word = bytes.slice(i, i + 4);
    text += (endianness === 'LE' ? word.reverse() : word).map(hex2).join('');
  }
  if (!Number.isInteger(endpoint.port) || endpoint.port < 0 || endpoint.port > 0xffff) return undefined;
  return `${text}:${endpoint.port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Each held socket of a /proc/net/tcp{,6} text, keyed "local remote" (as the file writes them), with its owner's uid. */
export function socketOwners(text: string): Map<string, number> {
  const owners = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid ...; the header line has no ':' ending its first field.
    if (f.length < 8 || !(f[0] ?? '').endsWith(':')) continue;
    if (!OWNED_STATES.has(f[3] ?? '')) continue;
    const uid = Number(f[7]);
    if (!Number.isInteger(uid) || uid < 0) continue;
    owners.set(`${f[1] ?? ''} ${f[2] ?? ''}`, uid);
  }
  return owners;
}

export type PeerUid =
  | { readonly kind: 'found'; readonly uid: number }
  /** No socket of this namespace has that pair: the peer is elsewhere (NAT from a container's namespace). */
  | { readonly kind: 'not-local' }
  | { readonly kind: 'unreadable'; readonly reason: string };

export interface PeerQuery {
  /** The peer's address and port, as this side sees them. */
  readonly peer: Endpoint;
  /** Where the peer may think it is connected: our own address, and any address NAT rewrote to ours. */
  readonly targets: readonly Endpoint[];
}

export type PeerLookup = (query: PeerQuery) => Promise<PeerUid>;

type Owners = { readonly tcp?: Map<string, number>; readonly tcp6?: Map<string, number> };

/** A lookup in the tables' owners (socketOwners of each text); pure. */
export function findPeerUid(owners: Owners, query: PeerQuery, endianness: 'LE' | 'BE'): PeerUid {
  const table = query.peer.address.includes(':') && !query.peer.address.toLowerCase().startsWith('::ffff:') ? 'tcp6' : 'tcp';
  const sockets = owners[table];
  if (sockets === undefined) return { kind: 'unreadable', reason: `/proc/net/${table} could not be read` };
  const local = procAddress(query.peer, table, endianness);
  for (const target of query.targets) {
    const remote = procAddress(target, table, endianness);
    const uid = local && remote ? sockets.get(`${local} ${remote}`) : undefined;
    if (uid !== undefined) return { kind: 'found', uid };
  }
  return { kind: 'not-local' };
}

export type TableReader = (table: 'tcp' | 'tcp6') => Promise<string | undefined>;

/**
 * Lookups through `read` (the real one reads /proc/net/tcp{,6}): every lookup
 * asked for before the next read starts shares it.
 */
export function procPeerLookup(read: TableReader, endianness: 'LE' | 'BE', defer: (fn: () => void) => void = setImmediate): PeerLookup {
  let batch: { queries: { query: PeerQuery; resolve: (r: PeerUid) => void }[] } | undefined;
  const run = async (queries: { query: PeerQuery; resolve: (r: PeerUid) => void }[]) => {
    const needs6 = queries.some((q) => q.query.peer.address.includes(':'));
    const [tcp, tcp6] = await Promise.all([read('tcp'), needs6 ? read('tcp6') : Promise.resolve(undefined)]);
    // Parsed once for the whole batch: a burst of connections costs one pass over the table.
    const owners = { ...(tcp !== undefined && { tcp: socketOwners(tcp) }), ...(tcp6 !== undefined && { tcp6: socketOwners(tcp6) }) };
    for (const q of queries) q.resolve(findPeerUid(owners, q.query, endianness));
  };
  return (query) =>
    new Promise<PeerUid>((resolve) => {
      if (!batch) {
        const current = { queries: [] as { query: PeerQuery; resolve: (r: PeerUid) => void }[] };
        batch = current;
        defer(() => {
          batch = undefined;
          run(current.queries).catch((e: unknown) => {
            for (const q of current.queries) q.resolve({ kind: 'unreadable', reason: e instanceof Error ? e.message : String(e) });
          });
        });
      }
      batch.queries.push({ query, resolve });
    });
}
