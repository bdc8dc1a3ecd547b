/**
 * What connections may hold, so that idle ones (from any local process, no
 * token needed) never use up the server's file descriptors and lock clients
 * out:
 * - every peer (its user where known, else its address) keeps at most
 *   `perPeer` idle connections: opening another closes its longest-idle one;
 * - all peers together keep at most `total` (under the open-file limit):
 *   past it, the longest-idle connection of anyone is closed.
 * A connection is idle from its opening or its last answer until its next
 * request; one whose request is being answered is never closed here. Node's
 * own timeouts (header, keep-alive) close idle ones after a few seconds too.
 */

export interface Closable {
  destroy(): void;
}

export interface LimitsOptions {
  readonly total: number;
  readonly perPeer: number;
}

/** Per-peer idle connections: ample for a job's clients (SDKs keep a handful each). */
export const PER_PEER_IDLE = 64;
/** Descriptors left for everything else the server opens (STS, the event log, /proc). */
export const RESERVED_FILES = 128;

/** The connection cap for an open-file limit (soft), or a safe one when it is unknown. */
export function totalFor(softLimit: number | undefined): number {
  if (softLimit === undefined || !Number.isFinite(softLimit)) return 512;
  return Math.max(32, Math.min(16_384, softLimit - RESERVED_FILES));
}

interface Entry {
  key: string;
  busy: boolean;
}

export class ConnectionLimits<S extends Closable = Closable> {
  /** In order of last activity, longest idle first. */
  private readonly entries = new Map<S, Entry>();
  /** Connections closed by a cap. */
  evicted = 0;

  constructor(private readonly opts: LimitsOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** A new connection from `key`; closes others if a cap is reached. */
  opened(socket: S, key: string): void {
    if (this.entries.size >= this.opts.total) this.evictOldest(() => true);
    this.entries.set(socket, { key, busy: false });
    this.enforcePeer(key);
  }

  /** The peer's user became known. */
  rekey(socket: S, key: string): void {
    const e = this.entries.get(socket);
    if (!e || e.key === key) return;
    e.key = key;
    this.enforcePeer(key);
  }

  /** A request came in on it. */
  busy(socket: S): void {
    const e = this.entries.get(socket);
    if (e) e.busy = true;
  }

  /** Its answer was sent: idle again, and the most recently active. */
  idle(socket: S): void {
    const e = this.entries.get(socket);
    if (!e) return;
    e.busy = false;
    this.entries.delete(socket);
    this.entries.set(socket, e);
  }

  closed(socket: S): void {
    this.entries.delete(socket);
  }

  private enforcePeer(key: string): void {
    let idle = 0;
    for (const e of this.entries.values()) if (e.key === key && !e.busy) idle++;
    while (idle > this.opts.perPeer && this.evictOldest((e) => e.key === key)) idle--;
  }

  private evictOldest(matches: (e: Entry) => boolean): boolean {
    for (const [socket, e] of this.entries) {
      if (e.busy || !matches(e)) continue;
      this.entries.delete(socket);
      this.evicted++;
      socket.destroy();
      return true;
    }
    return false;
  }
}
