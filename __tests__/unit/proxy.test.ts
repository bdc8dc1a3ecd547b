import { describe, expect, test } from '@jest/globals';
import {
  isLoopbackHost,
  loopbackNoProxyExports,
  noProxyMatches,
  parseProxyUrl,
  proxyFor,
  proxySecrets,
  resolveProxyConfig,
  type ProxyConfig,
} from '../../src/net/proxy.js';
import { readSettings, SettingsError } from '../../src/settings/settings.js';

const noInputs = { httpProxy: '', noProxy: '' };

describe('resolveProxyConfig: inputs over env, upper case over lower case', () => {
  test('nothing set: no proxy', () => {
    expect(resolveProxyConfig(noInputs, {})).toBeUndefined();
    expect(resolveProxyConfig(noInputs, { NO_PROXY: 'example.com', HTTPS_PROXY: '  ' })).toBeUndefined();
  });
  test('HTTPS_PROXY for https, HTTP_PROXY for http, each on its own', () => {
    expect(resolveProxyConfig(noInputs, { HTTPS_PROXY: 'http://s:1' })).toEqual({ https: { url: 'http://s:1', from: 'HTTPS_PROXY' } });
    expect(resolveProxyConfig(noInputs, { http_proxy: 'http://h:1' })).toEqual({ http: { url: 'http://h:1', from: 'http_proxy' } });
  });
  test('upper case wins when both spellings are set; an empty upper case falls through to lower case', () => {
    const env = { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1', NO_PROXY: 'up.example', no_proxy: 'low.example' };
    expect(resolveProxyConfig(noInputs, env)).toEqual({ https: { url: 'http://upper:1', from: 'HTTPS_PROXY' }, noProxy: 'up.example' });
    expect(resolveProxyConfig(noInputs, { ...env, HTTPS_PROXY: '', NO_PROXY: '' })).toEqual({
      https: { url: 'http://lower:1', from: 'https_proxy' },
      noProxy: 'low.example',
    });
  });
  test('the http-proxy input is used for http and https and overrides the env; no-proxy overrides NO_PROXY', () => {
    const env = { HTTPS_PROXY: 'http://env:1', HTTP_PROXY: 'http://env:2', NO_PROXY: 'env.example' };
    expect(resolveProxyConfig({ httpProxy: 'http://in:3', noProxy: 'in.example' }, env)).toEqual({
      https: { url: 'http://in:3', from: 'http-proxy' },
      http: { url: 'http://in:3', from: 'http-proxy' },
      noProxy: 'in.example',
    });
    // no-proxy alone keeps the env's proxy; http-proxy alone keeps the env's NO_PROXY
    expect(resolveProxyConfig({ httpProxy: '', noProxy: 'in.example' }, env)?.noProxy).toBe('in.example');
    expect(resolveProxyConfig({ httpProxy: 'http://in:3', noProxy: '' }, env)?.noProxy).toBe('env.example');
  });
});

describe('noProxyMatches', () => {
  test.each([
    ['*', 'anything.example', 443, true],
    ['example.com', 'example.com', 443, true],
    ['example.com', 'sts.example.com', 443, true],
    ['example.com', 'badexample.com', 443, false],
    ['.example.com', 'example.com', 443, true],
    ['.example.com', 'a.b.example.com', 443, true],
    ['*.example.com', 'a.example.com', 443, true],
    ['EXAMPLE.com.', 'Sts.Example.COM', 443, true],
    ['other.com, example.com', 'x.example.com', 443, true],
    ['other.com example.com', 'x.example.com', 443, true],
    ['other.com,,', 'x.example.com', 443, false],
    ['example.com:8443', 'example.com', 8443, true],
    ['example.com:8443', 'example.com', 443, false],
    ['10.1.2.3', '10.1.2.3', 443, true],
    ['10.1.2.3', '10.1.2.4', 443, false],
    ['10.1.2.3:80', '10.1.2.3', 443, false],
    ['10.0.0.0/8', '10.203.0.1', 443, true],
    ['10.0.0.0/8', '11.0.0.1', 443, false],
    ['192.168.1.0/24', '192.168.1.200', 443, true],
    ['fd00::/8', '[fd12::1]', 443, true],
    ['::1', '[::1]', 443, true],
    ['[fd00::1]:443', '[fd00::1]', 443, true],
    ['[fd00::1]:443', '[fd00::1]', 80, false],
    ['2001:db8::1', '[2001:db8:0:0:0:0:0:1]', 443, true],
    // a domain entry never matches an IP, and an IP entry never a name
    ['1.2.3.4', 'host-1.2.3.4.example', 443, false],
    ['3.4', '1.2.3.4', 443, false],
    ['', 'example.com', 443, false],
  ])('%j covers %s:%d → %s', (list, host, port, expected) => {
    expect(noProxyMatches(list, host, port)).toBe(expected);
  });
});

describe('isLoopbackHost', () => {
  test.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['[::ffff:7f00:1]', true], // ::ffff:127.0.0.1 as the URL parser writes it
    ['10.203.0.1', false],
    ['128.0.0.1', false],
    ['[::2]', false],
    ['localhost.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('proxyFor', () => {
  const config: ProxyConfig = {
    https: { url: 'http://proxy:3128', from: 'HTTPS_PROXY' },
    http: { url: 'http://proxy:3129', from: 'HTTP_PROXY' },
    noProxy: '.internal.example,10.9.0.0/16',
  };
  test('https targets use the https proxy, http targets the http proxy', () => {
    expect(proxyFor('https://sts.us-east-1.amazonaws.com/', config)?.url).toBe('http://proxy:3128');
    expect(proxyFor('http://10.203.0.1:8080/token', config)?.url).toBe('http://proxy:3129');
  });
  test('a target with no proxy for its scheme goes direct', () => {
    expect(proxyFor('https://sts.amazonaws.com/', { http: { url: 'http://p:1', from: 'HTTP_PROXY' } })).toBeUndefined();
    expect(proxyFor('http://10.203.0.1/', { https: { url: 'http://p:1', from: 'HTTPS_PROXY' } })).toBeUndefined();
  });
  test('NO_PROXY and loopback go direct, whatever NO_PROXY says', () => {
    expect(proxyFor('https://sts.internal.example/', config)).toBeUndefined();
    expect(proxyFor('https://10.9.3.4:8443/', config)).toBeUndefined();
    for (const target of ['http://127.0.0.1:41234/credentials', 'http://localhost:1/', 'https://[::1]:443/', 'http://127.8.9.10/']) {
      expect(proxyFor(target, config)).toBeUndefined();
    }
    expect(proxyFor('https://sts.amazonaws.com/', undefined)).toBeUndefined();
  });
});

describe('parseProxyUrl and proxySecrets', () => {
  test('http:// and https:// proxies; no scheme means http://', () => {
    expect(parseProxyUrl({ url: 'proxy.corp:3128', from: 'HTTPS_PROXY' }).href).toBe('http://proxy.corp:3128/');
    expect(parseProxyUrl({ url: 'https://proxy.corp', from: 'HTTPS_PROXY' }).protocol).toBe('https:');
  });
  test('another scheme is refused naming the variable, never the password', () => {
    expect(() => parseProxyUrl({ url: 'socks5://bob:hunter2@proxy:1080', from: 'HTTPS_PROXY' })).toThrow(
      'The proxy socks5://***@proxy:1080 (from HTTPS_PROXY) is not an http:// or https:// URL',
    );
    try {
      parseProxyUrl({ url: 'socks5://bob:hunter2@proxy:1080', from: 'HTTPS_PROXY' });
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
  test('a password with an unencoded @ leaves an "@" after the host: refused, showing nothing of it, and masked as written', () => {
    const proxy = { url: 'http://ci:Tr0ub@dor/x9@proxy.corp:3128', from: 'HTTPS_PROXY' };
    let message = '';
    try {
      parseProxyUrl(proxy);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('The proxy http://***@proxy.corp:3128 (from HTTPS_PROXY) has an "@" after its host');
    expect(message).toContain('%40');
    for (const part of ['Tr0ub', 'dor', 'x9']) expect(message).not.toContain(part);
    expect(proxySecrets(resolveProxyConfig(noInputs, { HTTPS_PROXY: proxy.url }))).toEqual(['Tr0ub@dor/x9']);
    // An @ in the path without user info is no password, but the proxy is refused all the same: a proxy URL has no path.
    expect(() => parseProxyUrl({ url: 'http://proxy.corp:3128/a@b', from: 'HTTPS_PROXY' })).toThrow('has an "@" after its host');
    expect(parseProxyUrl({ url: 'http://ci:p%40ss@proxy.corp:3128/', from: 'HTTPS_PROXY' }).password).toBe('p%40ss');
  });
  test('the password is masked as written and decoded', () => {
    const config = resolveProxyConfig({ httpProxy: 'http://bob:p%40ss%3Aword@proxy:3128', noProxy: '' }, {});
    expect(proxySecrets(config).sort()).toEqual(['p%40ss%3Aword', 'p@ss:word'].sort());
    expect(proxySecrets(resolveProxyConfig(noInputs, { HTTPS_PROXY: 'http://proxy:3128' }))).toEqual([]);
    expect(proxySecrets(resolveProxyConfig(noInputs, { HTTPS_PROXY: 'http://bob:secret@proxy:3128', HTTP_PROXY: 'http://bob:other@proxy:3128' })).sort()).toEqual(['other', 'secret']);
  });
});

describe('settings: http-proxy and no-proxy', () => {
  const read = (inputs: Record<string, string>, env: Record<string, string> = {}) => readSettings((name) => inputs[name] ?? '', env);
  test('carries the resolved configuration; none without a proxy', () => {
    expect(read({}).proxy).toBeUndefined();
    expect(read({}, { HTTPS_PROXY: 'http://p:1', no_proxy: 'x.example' }).proxy).toEqual({ https: { url: 'http://p:1', from: 'HTTPS_PROXY' }, noProxy: 'x.example' });
    expect(read({ 'http-proxy': 'http://u:pw@p:1', 'no-proxy': 'a.example' }, { HTTPS_PROXY: 'http://q:2' }).proxy).toEqual({
      https: { url: 'http://u:pw@p:1', from: 'http-proxy' },
      http: { url: 'http://u:pw@p:1', from: 'http-proxy' },
      noProxy: 'a.example',
    });
  });
  test.each(['socks5://u:hunter2@p:1080', 'u:hunter2@p:1080', 'http://', 'proxy:3128', 'http://u:hun/ter2@p:1', 'http://u:hun?ter2@p:1', 'http://u:hun#ter2@p:1', 'http://u:hunter2@hun/ter2@p:1'])('http-proxy %j is refused, naming the input, without the password', (value) => {
    let error: unknown;
    try {
      read({ 'http-proxy': value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const message = (error as Error).message;
    expect(message).toContain("'http-proxy'");
    expect(message).toContain('is not an http:// or https:// URL');
    expect(message).not.toContain('hunter2');
    expect(message).not.toMatch(/hun|ter2/);
  });
});

describe('loopbackNoProxyExports', () => {
  const endpoint = 'http://127.0.0.1:41234/credentials';
  test('adds 127.0.0.1 and localhost to each spelling, keeping what was there', () => {
    expect(loopbackNoProxyExports({}, endpoint)).toEqual({ NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' });
    expect(loopbackNoProxyExports({ NO_PROXY: 'corp.example' }, endpoint)).toEqual({
      NO_PROXY: 'corp.example,127.0.0.1,localhost',
      no_proxy: 'corp.example,127.0.0.1,localhost',
    });
    expect(loopbackNoProxyExports({ NO_PROXY: 'up.example', no_proxy: 'low.example,localhost' }, endpoint)).toEqual({
      NO_PROXY: 'up.example,127.0.0.1,localhost',
      no_proxy: 'low.example,localhost,127.0.0.1',
    });
  });
  test('nothing when the hosts are named already (an entry for another port does not cover; nor does a range)', () => {
    expect(loopbackNoProxyExports({ NO_PROXY: '*' }, endpoint)).toEqual({});
    expect(loopbackNoProxyExports({ no_proxy: 'LOCALHOST, 127.0.0.1' }, endpoint)).toEqual({});
    // Node's env proxy (NODE_USE_ENV_PROXY=1) ignores ranges: 127.0.0.0/8 is not taken to cover 127.0.0.1.
    expect(loopbackNoProxyExports({ no_proxy: '127.0.0.0/8,localhost' }, endpoint)).toEqual({
      NO_PROXY: '127.0.0.0/8,localhost,127.0.0.1',
      no_proxy: '127.0.0.0/8,localhost,127.0.0.1',
    });
    expect(loopbackNoProxyExports({ NO_PROXY: '127.0.0.1:80,localhost' }, endpoint)).toEqual({
      NO_PROXY: '127.0.0.1:80,localhost,127.0.0.1',
      no_proxy: '127.0.0.1:80,localhost,127.0.0.1',
    });
  });
});

describe('long NO_PROXY lists are decided in linear time', () => {
  // Not a timed assertion of speed: at 20 kB a linear decision takes milliseconds and a backtracking or quadratic
  // one takes seconds to hours, so a bound of 2 s tells them apart on any machine, however busy.
  test.each([
    ["'a.' repeated, then a port", `${'a.'.repeat(10000)}:x`],
    ["'0:' repeated as an IPv6 entry", `[${'0:'.repeat(10000)}1]:443`],
    ['commas and spaces', `${', '.repeat(10000)}x`],
    ['many CIDR blocks', '10.0.0.0/8,'.repeat(1800)],
  ])('%s (20 kB): decided long before a super-linear decision could end', (_label, list) => {
    const start = performance.now();
    expect(noProxyMatches(list, '192.0.2.1', 443)).toBe(false);
    noProxyMatches(list, 'sts.amazonaws.com', 443);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
