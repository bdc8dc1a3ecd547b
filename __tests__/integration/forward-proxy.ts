/**
 * A small forward HTTP proxy on loopback for tests that pass a proxy the way
 * a workflow does (`http-proxy:` or HTTP(S)_PROXY): absolute-URI requests
 * (`GET http://host:port/path`) are forwarded, CONNECT opens a tunnel. It
 * counts what went through it, per target, so a test can say who used it.
 * Only loopback targets and the `allowed` hosts (the stand-ins) are served; anything else gets 403.
 */
import { request, createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ForwardProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** One line per request that went through: `GET http://...` or `CONNECT host:port`. */
  readonly seen: string[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export async function startForwardProxy(allowed: readonly string[] = []): Promise<ForwardProxy> {
  const targets = new Set([...LOOPBACK, ...allowed]);
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI required');
      return;
    }
    if (!targets.has(target.hostname)) {
      res.writeHead(403).end('only loopback targets');
      return;
    }
    seen.push(`${req.method ?? 'GET'} ${target.origin}${target.pathname}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = request(target, { method: req.method, headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const authority = req.url ?? '';
    const colon = authority.lastIndexOf(':');
    const host = authority.slice(0, colon);
    const port = authority.slice(colon + 1);
    if (!targets.has(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    seen.push(`CONNECT ${host}:${port}`);
    const upstream = connect(Number(port), host === 'localhost' ? '127.0.0.1' : host === '[::1]' ? '::1' : host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const close = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', close);
    client.on('error', close);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
