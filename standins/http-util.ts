/** Small HTTP helpers shared by the stand-in servers. Loopback unless a test names another address. */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Where a stand-in listens: another address than 127.0.0.1 (one the test owns), and https with a test certificate. */
export interface ListenOptions {
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** Serve https with this key and certificate (PEM), e.g. from standins/tls.ts. Default plain http. */
  tls?: { key: string; cert: string };
}

/** Starts an HTTP(S) server on 127.0.0.1 (or `opts.host`) with an OS-assigned port. */
export async function listenLoopback(handler: RequestListener, opts: ListenOptions = {}): Promise<{ server: Server; port: number; origin: string }> {
  const host = opts.host ?? LOOPBACK;
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler);
  // Keep-alive sockets of SDK clients must not keep close() waiting.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { server, port, origin: `${opts.tls ? 'https' : 'http'}://${shownHost}:${port}` };
}

/** Closes the server and every connection still open on it. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** Reads a request body, up to `limit` bytes (then rejects). */
export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** A stand-in's own delay (a hang fault, say): it never keeps the test process alive by itself. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms).unref()) : Promise.resolve();
}

/** Glob match where `*` matches any run of characters (including none) and `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return re.test(value);
}
