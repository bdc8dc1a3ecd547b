/** The network inputs: sts-endpoint, http-proxy / no-proxy, and retry-max-attempts. */
import { Inputs, type InputName } from '../constants.js';
import { isLoopbackHost, parseProxyUrl, resolveProxyConfig, type ProxyConfig } from '../net/proxy.js';
import { redactUrl } from '../util/redact.js';
import type { InputReader } from './input-reader.js';
import type { SettingsEnv } from './settings-env.js';

/** configure-aws-credentials sets no upper bound (real workflows use 30); past this, backoff alone outlasts any job. */
export const MAX_RETRY_ATTEMPTS = 100;

export function readStsEndpoint(r: InputReader): string | undefined {
  const { getInput, bad } = r;
  let problems = 0;
  const fail = (name: InputName, value: string | undefined, what: string, fix: string): undefined => {
    problems++;
    return bad(name, value, what, fix);
  };
  const stsRaw = getInput(Inputs.StsEndpoint);
  let stsEndpoint: string | undefined;
  if (stsRaw !== '') {
    const shown = redactUrl(stsRaw);
    const example = 'e.g. https://sts.us-east-1.amazonaws.com';
    let url: URL | undefined;
    try {
      url = new URL(stsRaw);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      fail(Inputs.StsEndpoint, shown, 'is not an https URL', `Give the endpoint's full URL, ${example}.`);
    } else {
      if (url.username !== '' || url.password !== '') {
        fail(Inputs.StsEndpoint, shown, 'holds a user name or password', `Remove the part up to "@": STS calls are signed with the session's keys, ${example}.`);
      }
      if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        bad(
          Inputs.StsEndpoint,
          shown,
          `uses plain http to ${url.hostname}, which is not loopback`,
          `Use https://, ${example}. Plain http is accepted only on loopback (localhost, 127.0.0.0/8, [::1]), as for a local stand-in.`,
        );
      }
    }
    if (problems === 0) stsEndpoint = stsRaw;
  }

  return stsEndpoint;
}

export function readRetryMaxAttempts(r: InputReader): number {
  const { getInput, bad } = r;
  const retryRaw = getInput(Inputs.RetryMaxAttempts);
  let retryMaxAttempts = 5;
  if (retryRaw !== '') {
    const n = /^\d+$/.test(retryRaw) ? Number(retryRaw) : NaN;
    if (!(n >= 1 && n <= MAX_RETRY_ATTEMPTS)) {
      bad(Inputs.RetryMaxAttempts, retryRaw, `must be a whole number from 1 to ${MAX_RETRY_ATTEMPTS}`, 'It counts all attempts, the first included; 1 turns retries off.');
    } else {
      retryMaxAttempts = n;
    }
  }

  return retryMaxAttempts;
}

export function readProxy(r: InputReader, env: SettingsEnv): ProxyConfig | undefined {
  const { getInput, bad } = r;
  const httpProxyRaw = getInput(Inputs.HttpProxy).trim();
  if (httpProxyRaw !== '') {
    const shown = redactUrl(httpProxyRaw);
    let url: URL | undefined;
    try {
      url = /^https?:\/\//i.test(httpProxyRaw) ? parseProxyUrl({ url: httpProxyRaw, from: Inputs.HttpProxy }) : undefined;
    } catch {
      url = undefined;
    }
    if (!url) {
      bad(Inputs.HttpProxy, shown, 'is not an http:// or https:// URL', 'Give the proxy as http://host:port, or http://user:password@host:port (the password is masked; percent-encode any @, /, ? or # in it: %40, %2F, %3F, %23).');
    }
  }
  const proxy = resolveProxyConfig({ httpProxy: httpProxyRaw, noProxy: getInput(Inputs.NoProxy) }, env);

  return proxy;
}
