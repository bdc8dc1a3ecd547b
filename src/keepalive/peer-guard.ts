/**
 * Which connections the credential server serves at all, before any token is
 * looked at: on Linux, only those whose peer socket belongs to the server's
 * own user (the job's), found through keepalive/peer-uid. Another OS user
 * that read the token (the runner's command files are world-readable) gets
 * 403.
 *
 * Where the peer's user cannot be known:
 * - the loopback listener refuses (every legitimate client is a local socket);
 * - the link-local listener (serve-containers) serves a peer that has no
 *   socket in this network namespace: a container, reaching 169.254.170.2
 *   through NAT. A local socket there is checked like on loopback;
 * - macOS and Windows have no such table: there is no guard, the token alone
 *   decides (SECURITY.md says so).
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { LINK_LOCAL_ADDRESS } from './link-local.js';
import { procPeerLookup, type Endpoint, type PeerLookup } from './peer-uid.js';

export type Listener = 'loopback' | 'link-local';

export type PeerVerdict =
  | { readonly allowed: true; readonly uid?: number }
  | { readonly allowed: false; readonly uid?: number; readonly reason: string };

export interface PeerGuard {
  /** What is known of the user behind a connection; asked once per connection, as it opens. */
  check(peer: Endpoint, local: Endpoint, listener: Listener): Promise<PeerVerdict>;
}

/** The guard for a server running as `ownUid`. */
export function uidGuard(lookup: PeerLookup, ownUid: number): PeerGuard {
  return {
    async check(peer, local, listener) {
      // Host processes reach the link-local listener through the OUTPUT rule: their socket names port 80.
      const targets = listener === 'link-local' ? [local, { address: LINK_LOCAL_ADDRESS, port: 80 }] : [local];
      const found = await lookup({ peer, targets });
      if (found.kind === 'found') {
        return found.uid === ownUid ? { allowed: true, uid: found.uid } : { allowed: false, uid: found.uid, reason: `its socket belongs to uid ${found.uid}, not the job's uid ${ownUid}` };
      }
      if (found.kind === 'not-local' && listener === 'link-local') return { allowed: true };
      return {
        allowed: false,
        reason: found.kind === 'not-local' ? 'no local socket matches the connection, so its user is unknown' : `its user cannot be read (${found.reason})`,
      };
    },
  };
}

const readTable = (table: 'tcp' | 'tcp6') => readFile(`/proc/net/${table}`, 'utf8').catch(() => undefined);

/** The real guard: on Linux, by /proc/net/tcp{,6}; elsewhere none. */
export function platformPeerGuard(platform: string = process.platform, uid: number | undefined = process.getuid?.()): PeerGuard | undefined {
  if (platform !== 'linux' || uid === undefined) return undefined;
  return uidGuard(procPeerLookup(readTable, endianness()), uid);
}

export interface RefusalEvent {
  readonly listener: Listener;
  readonly reason: string;
  readonly uid?: number;
  /** Refusals of this user (or of unknown users) since the last event about them. */
  readonly count: number;
}

/**
 * Turns refusals into events without letting a flood fill the log: the first
 * refusal of each user is written at once, later ones at most once a minute
 * each, with how many there were.
 */
export function refusalReporter(write: (event: RefusalEvent) => void, clock: () => number, everyMs = 60_000): (listener: Listener, verdict: Extract<PeerVerdict, { allowed: false }>) => void {
  const last = new Map<string, { at: number; pending: number }>();
  return (listener, verdict) => {
    const key = verdict.uid === undefined ? '?' : String(verdict.uid);
    const seen = last.get(key);
    const now = clock();
    if (seen && now - seen.at < everyMs) {
      seen.pending++;
      return;
    }
    last.set(key, { at: now, pending: 0 });
    write({ listener, reason: verdict.reason, ...(verdict.uid !== undefined && { uid: verdict.uid }), count: (seen?.pending ?? 0) + 1 });
  };
}
