/**
 * The baseline for the credential server: a bare node http server, in its own
 * child process (`node -e`), on 127.0.0.1, answering every request with one
 * static JSON body (the credential server's own answer, so shape and size match)
 * and the same headers. No auth, no routing, no credentials logic.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { firstJsonLine, isAlive } from './proc.js';

const SCRIPT = `
const http = require('node:http');
const body = Buffer.from(process.env.BENCH_BODY || '{}', 'utf8');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
});
server.keepAliveTimeout = 5000;
server.headersTimeout = 10000;
server.requestTimeout = 10000;
server.listen({ host: '127.0.0.1', port: 0 }, () => {
  process.stdout.write(JSON.stringify({ pid: process.pid, port: server.address().port }) + '\\n');
});
process.on('SIGTERM', () => { server.close(); server.closeAllConnections(); process.exit(0); });
`;

export interface BareServer {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startBareServer(body: string, env: NodeJS.ProcessEnv): Promise<BareServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SCRIPT], {
    env: { ...env, BENCH_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { pid, port } = await firstJsonLine<{ pid: number; port: number }>(child, 10_000);
  return {
    pid,
    url: `http://127.0.0.1:${port}/credentials`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (isAlive(pid)) child.kill('SIGKILL');
      }, 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
