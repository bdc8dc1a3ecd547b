/**
 * Requests to this action's own credential server (on 127.0.0.1, or its
 * link-local address): plain node:http with `agent: false`, so never through
 * a proxy. fetch and Node's global agent follow HTTP(S)_PROXY when the job
 * sets NODE_USE_ENV_PROXY=1, which would send the server's token, or its
 * secret path, to the proxy.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface LoopbackAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers?: IncomingHttpHeaders;
}

/** The answer, or undefined when nothing answered in time (not running, not reachable). */
export function loopbackRequest(
  url: string,
  options: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string; readonly timeoutMs: number },
): Promise<LoopbackAnswer | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false, timeout: options.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', () => resolve(undefined));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', () => resolve(undefined));
    req.end(options.body);
  });
}
