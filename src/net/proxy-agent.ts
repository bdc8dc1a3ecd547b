/**
 * Agents that send requests through an HTTP proxy, for node:http(s) and the
 * AWS SDK's request handler: https targets through an HTTP CONNECT tunnel
 * (TLS to the target inside it), plain http targets as absolute-URI requests
 * to the proxy. Each agent decides per request (NO_PROXY, loopback) and
 * connects directly when the request is not to be proxied.
 *
 * The proxy's user info becomes a Proxy-Authorization (Basic) header; it is
 * never part of a message. Only the ID-token client and the STS gateway load
 * this module, both lazily: the healthy guard path never does.
 */
import { Agent as HttpAgent, type AgentOptions, type ClientRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions as HttpsAgentOptions, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { describeProxy, parseProxyUrl, proxyFor, type ProxyConfig, type ProxyUrl } from './proxy.js';

export type ProxyErrorCode = 'ProxyAuthenticationRequired' | 'ProxyRefused' | 'ProxyUnavailable';

/** A proxy that could not be reached or would not pass the request on. The message never holds the password. */
export class ProxyError extends Error {
  constructor(
    message: string,
    /** ProxyAuthenticationRequired (407) and ProxyRefused (403 and other 4xx) will not pass by retrying. */
    readonly code: ProxyErrorCode,
  ) {
    super(message);
    this.name = 'ProxyError';
  }

  get permanent(): boolean {
    return this.code !== 'ProxyUnavailable';
  }
}

export interface ProxyAgentOptions {
  /** Connecting to the proxy and its answer to CONNECT. Default 10 s. */
  readonly tunnelTimeoutMs?: number;
  /** Aborts every tunnel being opened. */
  readonly signal?: AbortSignal;
}

type Callback = (err: Error | null, stream: Duplex) => void;

const MAX_ANSWER_HEAD = 16 * 1024;

const bracketed = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** `host:port` for a request line or Host header, IPv6 in brackets. */
function authority(host: string, port: number): string {
  return `${bracketed(host)}:${port}`;
}

function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString('base64')}`;
}

/** A TCP (http:// proxy) or TLS (https:// proxy) connection to the proxy, resolved once connected. */
function connectToProxy(proxy: URL, shown: string, timeoutMs: number, signal: AbortSignal | undefined): Promise<Socket> {
  const port = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  const host = proxy.hostname.startsWith('[') ? proxy.hostname.slice(1, -1) : proxy.hostname;
  return new Promise((resolve, reject) => {
    const socket: Socket =
      proxy.protocol === 'https:' ? tlsConnect({ host, port, servername: /^[\d.]+$|:/.test(host) ? '' : host }) : netConnect({ host, port });
    const connectedEvent = proxy.protocol === 'https:' ? 'secureConnect' : 'connect';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off(connectedEvent, onConnect);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(socket);
      }
    };
    const onError = (e: Error) => finish(new ProxyError(`Could not connect to the proxy ${shown}: ${e.message}`, 'ProxyUnavailable'));
    const onConnect = () => finish();
    const onAbort = () => finish(abortError());
    const timer = setTimeout(() => finish(new ProxyError(`Could not connect to the proxy ${shown} within ${timeoutMs} ms.`, 'ProxyUnavailable')), timeoutMs);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once(connectedEvent, onConnect);
  });
}

const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });

/**
 * Opens an HTTP CONNECT tunnel to host:port through the proxy: resolves the
 * socket to write the target's protocol (TLS) into, once the proxy answered 2xx.
 */
export async function openTunnel(proxy: ProxyUrl, host: string, port: number, options: ProxyAgentOptions = {}): Promise<Socket> {
  const url = parseProxyUrl(proxy);
  const shown = describeProxy(proxy);
  const timeoutMs = options.tunnelTimeoutMs ?? 10_000;
  const started = Date.now();
  const socket = await connectToProxy(url, shown, timeoutMs, options.signal);
  const target = authority(host, port);
  const auth = proxyAuthorization(url);
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const finish = (error?: Error, rest?: Buffer) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (error) {
        socket.destroy();
        reject(error);
        return;
      }
      // Out of flowing mode, so nothing is lost before TLS takes the socket over.
      socket.pause();
      if (rest && rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) {
        if (head.length > MAX_ANSWER_HEAD) finish(new ProxyError(`The proxy ${shown} answered CONNECT ${target} with a header larger than 16 KiB.`, 'ProxyUnavailable'));
        return;
      }
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      const status = m ? Number(m[1]) : 0;
      if (status >= 200 && status < 300) {
        finish(undefined, head.subarray(end + 4));
        return;
      }
      finish(refusal(status, (m?.[2] ?? '').slice(0, 100), shown, target, auth !== undefined));
    };
    const onError = (e: Error) => finish(new ProxyError(`The connection to the proxy ${shown} failed during CONNECT ${target}: ${e.message}`, 'ProxyUnavailable'));
    const onClose = () => finish(new ProxyError(`The proxy ${shown} closed the connection without answering CONNECT ${target}.`, 'ProxyUnavailable'));
    const onAbort = () => finish(abortError());
    const left = Math.max(1, timeoutMs - (Date.now() - started));
    const timer = setTimeout(() => finish(new ProxyError(`The proxy ${shown} did not answer CONNECT ${target} within ${timeoutMs} ms.`, 'ProxyUnavailable')), left);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
  });
}

function refusal(status: number, reason: string, shown: string, target: string, sentCredentials: boolean): ProxyError {
  const answered = status === 0 ? 'answered CONNECT with something other than HTTP' : `answered HTTP ${status}${reason ? ` ${reason}` : ''}`;
  const base = `The proxy ${shown} ${answered} to CONNECT ${target}`;
  // 407 is the proxy's answer; tinyproxy answers 401 to a wrong user name or password.
  if (status === 407 || status === 401) {
    const fix = sentCredentials
      ? 'It refused the user name and password in the proxy URL: check them.'
      : 'It wants a user name and password: give them in the proxy URL, as http://user:password@host:port.';
    return new ProxyError(`${base}. ${fix}`, 'ProxyAuthenticationRequired');
  }
  if (status >= 400 && status < 500) {
    return new ProxyError(`${base}: it does not let this job reach ${target}. Allow the host in the proxy, or add it to no-proxy / NO_PROXY if it is reachable directly.`, 'ProxyRefused');
  }
  return new ProxyError(`${base}: it could not reach ${target}.`, 'ProxyUnavailable');
}

/** Where a request's options point: host without brackets, and port. */
function targetOf(options: RequestOptions, defaultPort: number): { host: string; port: number } {
  const raw = options.host ?? options.hostname ?? 'localhost';
  const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return { host, port: Number(options.port) || defaultPort };
}

const urlOf = (scheme: 'http' | 'https', host: string, port: number) => new URL(`${scheme}://${authority(host, port)}/`);

/** Chooses a proxy for a target, or undefined to connect directly. */
export type ProxyChooser = (target: URL) => ProxyUrl | undefined;

/** https requests: through a CONNECT tunnel when `choose` names a proxy, directly otherwise. */
export class TunnelingAgent extends HttpsAgent {
  constructor(
    private readonly choose: ProxyChooser,
    agentOptions: HttpsAgentOptions = {},
    private readonly tunnelOptions: ProxyAgentOptions = {},
  ) {
    super(agentOptions);
  }

  override createConnection(options: HttpsRequestOptions, callback?: Callback): Duplex | null | undefined {
    const { host, port } = targetOf(options, 443);
    const proxy = this.choose(urlOf('https', host, port));
    if (!proxy) return super.createConnection(options, callback);
    openTunnel(proxy, host, port, this.tunnelOptions).then(
      (socket) => {
        // TLS with the target inside the tunnel; host stays for the certificate check (servername is '' for IP targets).
        const secure = tlsConnect({ ...(options as ConnectionOptions), host, port, socket });
        callback?.(null, secure);
      },
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** The base class's addRequest, which @types/node does not declare. */
const httpAddRequest = (HttpAgent.prototype as unknown as { addRequest(this: HttpAgent, req: ClientRequest, options: RequestOptions): void }).addRequest;

/** Plain http requests: sent to the proxy with the absolute URI when `choose` names a proxy, directly otherwise. */
export class ForwardingAgent extends HttpAgent {
  constructor(
    private readonly choose: ProxyChooser,
    agentOptions: AgentOptions = {},
    private readonly tunnelOptions: ProxyAgentOptions = {},
  ) {
    super(agentOptions);
  }

  /** Called by node:http as the request is created, before its head is written: the one place to make the path absolute. */
  addRequest(req: ClientRequest, options: RequestOptions): void {
    const { host, port } = targetOf(options, 80);
    const proxy = this.choose(urlOf('http', host, port));
    if (proxy && !req.headersSent) {
      const auth = proxyAuthorization(parseProxyUrl(proxy));
      req.path = `http://${port === 80 ? bracketed(host) : authority(host, port)}${req.path}`;
      if (auth) req.setHeader('Proxy-Authorization', auth);
    }
    httpAddRequest.call(this, req, options);
  }

  override createConnection(options: RequestOptions, callback?: Callback): Duplex | null | undefined {
    const { host, port } = targetOf(options, 80);
    const proxy = this.choose(urlOf('http', host, port));
    if (!proxy) return super.createConnection(options, callback);
    let url: URL;
    try {
      url = parseProxyUrl(proxy);
    } catch (error) {
      process.nextTick(() => callback?.(error as Error, undefined as unknown as Duplex));
      return undefined;
    }
    const timeoutMs = this.tunnelOptions.tunnelTimeoutMs ?? 10_000;
    connectToProxy(url, describeProxy(proxy), timeoutMs, this.tunnelOptions.signal).then(
      (socket) => callback?.(null, socket),
      (error: Error) => callback?.(error, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

export interface ProxyAgents {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
}

/**
 * Agents for `config`, each deciding per request (NO_PROXY, loopback), or
 * undefined when no proxy is configured. Throws ProxyConfigError at once when
 * a configured proxy is not a usable URL, before any request.
 */
export function proxyAgents(config: ProxyConfig | undefined, options: ProxyAgentOptions & { readonly keepAlive?: boolean } = {}): ProxyAgents | undefined {
  if (!config || (!config.https && !config.http)) return undefined;
  for (const proxy of [config.https, config.http]) if (proxy) parseProxyUrl(proxy);
  const choose: ProxyChooser = (target) => proxyFor(target, config);
  const agentOptions = { keepAlive: options.keepAlive ?? false };
  const tunnelOptions = { ...(options.tunnelTimeoutMs !== undefined && { tunnelTimeoutMs: options.tunnelTimeoutMs }), ...(options.signal && { signal: options.signal }) };
  return {
    httpAgent: new ForwardingAgent(choose, agentOptions, tunnelOptions),
    httpsAgent: new TunnelingAgent(choose, agentOptions, tunnelOptions),
  };
}
