/**
 * Which proxy, if any, a request goes through. The configuration comes from
 * the `http-proxy` / `no-proxy` inputs, else from HTTPS_PROXY, HTTP_PROXY and
 * NO_PROXY. Pure code with no Node module: the settings (on the healthy path)
 * resolve the configuration here; the agents that use it (proxy-agent.ts) are
 * loaded only with the minter.
 *
 * Conventions, as Go's ProxyFromEnvironment and curl:
 * - upper case wins when both spellings are set (and not empty): HTTPS_PROXY
 *   before https_proxy. Python (and so the AWS CLI) prefers lower case: set
 *   only one spelling, or the same value in both;
 * - https targets use HTTPS_PROXY only, http targets HTTP_PROXY only; the
 *   `http-proxy` input (configure-aws-credentials' name) is used for both;
 * - a proxy given without a scheme (`proxy:3128`) means http://;
 * - loopback (127.0.0.0/8, ::1, localhost) is never proxied.
 */
import { Inputs, ProxyEnvNames } from '../constants.js';
import { redactUrl } from '../util/redact.js';

export interface ProxyUrl {
  /** As given. May hold user info with a password: shown only through redactUrl. */
  readonly url: string;
  /** The input or variable it came from, for messages. */
  readonly from: string;
}

export interface ProxyConfig {
  /** For https targets. */
  readonly https?: ProxyUrl;
  /** For plain http targets. */
  readonly http?: ProxyUrl;
  /** The NO_PROXY list in force: the `no-proxy` input, else NO_PROXY / no_proxy. */
  readonly noProxy?: string;
}

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something other than blanks, with its name. */
function firstSet(env: ProxyEnv, names: readonly string[]): { value: string; name: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { value, name };
  }
  return undefined;
}

/**
 * The proxy configuration in force: the inputs (given as typed, '' when not
 * given) override the environment. Undefined when no proxy is configured.
 */
export function resolveProxyConfig(inputs: { readonly httpProxy: string; readonly noProxy: string }, env: ProxyEnv): ProxyConfig | undefined {
  const input = inputs.httpProxy.trim();
  const https = input ? { url: input, from: Inputs.HttpProxy } : toProxyUrl(firstSet(env, ProxyEnvNames.https));
  const http = input ? { url: input, from: Inputs.HttpProxy } : toProxyUrl(firstSet(env, ProxyEnvNames.http));
  if (!https && !http) return undefined;
  const noProxy = inputs.noProxy.trim() || firstSet(env, ProxyEnvNames.noProxy)?.value;
  return { ...(https && { https }), ...(http && { http }), ...(noProxy && { noProxy }) };
}

const toProxyUrl = (found: { value: string; name: string } | undefined): ProxyUrl | undefined =>
  found && { url: found.value, from: found.name };

export class ProxyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxyConfigError';
  }
}

/** The proxy as shown in messages: user info hidden, with where it came from. */
export function describeProxy(proxy: ProxyUrl): string {
  return `${redactUrl(proxy.url)} (from ${proxy.from})`;
}

/**
 * The proxy's URL, checked: http:// or https://, with a host. A value
 * without a scheme means http://, as Go and curl read it.
 */
export function parseProxyUrl(proxy: ProxyUrl): URL {
  const text = /^[a-z][a-z\d+.-]*:\/\//i.test(proxy.url) ? proxy.url : `http://${proxy.url}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new ProxyConfigError(
      `The proxy ${describeProxy(proxy)} is not an http:// or https:// URL. Give it as http://host:port (user and password, if any, as http://user:password@host:port).`,
    );
  }
  // An `@` after the host means a password with an unencoded `@`, `/`, `?` or `#`: the parser ended the user info early,
  // so the proxy host would be part of the password (and would show in a connection error).
  if (`${url.pathname}${url.search}${url.hash}`.includes('@')) {
    throw new ProxyConfigError(
      `The proxy ${describeProxy(proxy)} has an "@" after its host: a password that holds @, /, ? or # must be percent-encoded (%40, %2F, %3F, %23), as in http://user:p%40ss@host:port.`,
    );
  }
  return url;
}

/** Values to mask: the proxy passwords, as written in the URL and decoded. */
export function proxySecrets(config: ProxyConfig | undefined): string[] {
  const secrets = new Set<string>();
  for (const proxy of [config?.https, config?.http]) {
    if (!proxy) continue;
    let password = '';
    try {
      password = parseProxyUrl(proxy).password;
    } catch {
      // Not a URL: mask what would be the password, to err on the side of hiding.
      const at = proxy.url.lastIndexOf('@');
      const colon = proxy.url.indexOf(':', proxy.url.indexOf('//') + 2);
      if (at > 0 && colon > 0 && colon < at) password = proxy.url.slice(colon + 1, at);
    }
    if (!password) continue;
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // not percent-encoded text
    }
  }
  return [...secrets].filter((s) => s !== '');
}

// --- addresses ----------------------------------------------------------------------

function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** An IPv6 address as 8 groups of 16 bits (an IPv4 tail included), or undefined. */
function parseIpv6(text: string): number[] | undefined {
  if (!text.includes(':') || !/^[\da-f:.]+$/i.test(text)) return undefined;
  let s = text.toLowerCase();
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined) => (h ? h.split(':') : []);
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[\da-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16));
}

type Ip = { readonly v: 4; readonly bits: number[] } | { readonly v: 6; readonly bits: number[] };

/** An IP literal as a list of bits (32 or 128), or undefined for a name. */
function parseIp(text: string): Ip | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v: 4, bits: toBits([Math.floor(v4 / 65536), v4 % 65536]) };
  const v6 = parseIpv6(text);
  return v6 && { v: 6, bits: toBits(v6) };
}

const toBits = (groups: number[]) => groups.flatMap((g) => Array.from({ length: 16 }, (_, i) => (g >> (15 - i)) & 1));

function inPrefix(ip: Ip, net: Ip, length: number): boolean {
  if (ip.v !== net.v || length < 0 || length > net.bits.length) return false;
  for (let i = 0; i < length; i++) if (ip.bits[i] !== net.bits[i]) return false;
  return true;
}

/** A URL hostname without IPv6 brackets or a trailing dot, lower case. */
export function bareHost(hostname: string): string {
  const h = hostname.toLowerCase();
  const unbracketed = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

// Parsed on first use, not on import: the healthy guard path loads this module and never needs them.
let loopbackNets: { readonly v4Mapped: Ip; readonly v4Loopback: Ip; readonly v6Loopback: Ip } | undefined;
const nets = () =>
  (loopbackNets ??= { v4Mapped: parseIp('::ffff:0.0.0.0') as Ip, v4Loopback: parseIp('127.0.0.0') as Ip, v6Loopback: parseIp('::1') as Ip });

/** localhost (and *.localhost), 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104: never proxied. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const ip = parseIp(host);
  if (!ip) return false;
  const { v4Mapped, v4Loopback, v6Loopback } = nets();
  if (ip.v === 4) return inPrefix(ip, v4Loopback, 8);
  if (inPrefix(ip, v6Loopback, 128)) return true;
  return inPrefix(ip, v4Mapped, 96) && ip.bits.slice(96, 104).join('') === '01111111';
}

/**
 * Whether a NO_PROXY list exempts host:port. Entries are separated by commas
 * or blanks; each is `*` (everything), an IP literal, a CIDR block
 * (10.0.0.0/8, fd00::/8), or a domain, which also covers its subdomains, with
 * or without a leading `.` or `*.` (as curl and Python read it; Go reads
 * `.example.com` as subdomains only). Any entry may end in `:port` (IPv6 as
 * `[::1]:port`) to exempt only that port.
 */
export function noProxyMatches(list: string, hostname: string, port: number): boolean {
  const host = bareHost(hostname);
  const hostIp = parseIp(host);
  for (const raw of list.toLowerCase().split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    let entry = raw;
    let entryPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1] ?? '';
      entryPort = bracketed[2] !== undefined ? Number(bracketed[2]) : undefined;
    } else {
      const withPort = /^([^:]+):(\d+)$/.exec(entry);
      if (withPort) {
        entry = withPort[1] ?? '';
        entryPort = Number(withPort[2]);
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    const slash = entry.indexOf('/');
    if (slash !== -1) {
      const net = parseIp(entry.slice(0, slash));
      const length = /^\d{1,3}$/.test(entry.slice(slash + 1)) ? Number(entry.slice(slash + 1)) : -1;
      if (net && hostIp && inPrefix(hostIp, net, length)) return true;
      continue;
    }
    const entryIp = parseIp(entry);
    if (entryIp) {
      if (hostIp && inPrefix(hostIp, entryIp, entryIp.bits.length)) return true;
      continue;
    }
    const domain = bareHost(entry.replace(/^\*?\.?/, ''));
    if (domain !== '' && !hostIp && (host === domain || host.endsWith(`.${domain}`))) return true;
  }
  return false;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** The proxy a request to `target` goes through, or undefined to connect directly. */
export function proxyFor(target: URL | string, config: ProxyConfig | undefined): ProxyUrl | undefined {
  if (!config) return undefined;
  const url = typeof target === 'string' ? new URL(target) : target;
  const proxy = url.protocol === 'https:' ? config.https : url.protocol === 'http:' ? config.http : undefined;
  if (!proxy || isLoopbackHost(url.hostname)) return undefined;
  const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
  if (config.noProxy && noProxyMatches(config.noProxy, url.hostname, port)) return undefined;
  return proxy;
}

/**
 * NO_PROXY and no_proxy for later steps, so that no client proxies the
 * keep-alive server on `endpoint` (a loopback URL): each spelling's current
 * value (else the other's) with 127.0.0.1 and localhost added where the list
 * does not name them yet. Empty when nothing needs to change. Only an entry
 * naming the host itself (or `*`) counts: clients read NO_PROXY differently
 * (Node's NODE_USE_ENV_PROXY ignores ranges such as 127.0.0.0/8, and a port
 * in an entry limits it to that port), and an entry too many costs nothing.
 */
export function loopbackNoProxyExports(env: ProxyEnv, endpoint: string): Record<string, string> {
  const url = new URL(endpoint);
  const named = (list: string, host: string) => list.split(',').some((entry) => ['*', host].includes(entry.trim().toLowerCase()));
  const out: Record<string, string> = {};
  const [upper, lower] = ProxyEnvNames.noProxy;
  for (const [name, other] of [
    [upper, lower],
    [lower, upper],
  ] as const) {
    const base = env[name]?.trim() || env[other]?.trim() || '';
    const missing = ['127.0.0.1', 'localhost', bareHost(url.hostname)].filter(
      (host, i, all) => all.indexOf(host) === i && !named(base, host),
    );
    if (missing.length > 0) out[name] = [base, ...missing].filter((s) => s !== '').join(',');
  }
  return out;
}
