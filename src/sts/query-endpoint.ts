/**
 * The STS endpoint the AWS SDK would call for AssumeRoleWithWebIdentity,
 * worked out without loading the SDK, or undefined when only the SDK can say.
 *
 * Mirrors @aws-sdk/client-sts's endpoint rules (3.11xx) for what this action
 * sets: an explicit endpoint wins; region `aws-global` is
 * https://sts.amazonaws.com; any other region is https://sts.<region>.<the
 * partition's DNS suffix> (UseGlobalEndpoint is false unless configured).
 * Left to the SDK: FIPS and dual-stack (AWS_USE_FIPS_ENDPOINT,
 * AWS_USE_DUALSTACK_ENDPOINT), an AWS config file that sets endpoint_url or
 * either variant, and region names outside the partitions' patterns.
 * `__tests__/unit/query-endpoint.test.ts` compares it with the SDK's own resolver.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Env } from '../constants.js';

type EnvLike = Readonly<Record<string, string | undefined>>;

const AWS_PREFIXES = new Set(['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx']);

/** Four-part regions (`us-gov-west-1`): the first two parts name the partition. */
const FOUR_PART_SUFFIXES: Record<string, string> = {
  'us-gov': 'amazonaws.com',
  'us-iso': 'c2s.ic.gov',
  'us-isob': 'sc2s.sgov.gov',
  'us-isof': 'csp.hci.ic.gov',
  'eu-isoe': 'cloud.adc-e.uk',
  'eusc-de': 'amazonaws.eu',
};

function isWord(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

function isNumber(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The DNS suffix of the region's partition, or undefined for a region name this module does not know how to place. */
export function partitionDnsSuffix(region: string): string | undefined {
  const parts = region.split('-');
  const [first = '', second = '', third = '', fourth = ''] = parts;
  if (parts.length === 3 && isWord(second) && isNumber(third)) {
    if (AWS_PREFIXES.has(first)) return 'amazonaws.com';
    if (first === 'cn') return 'amazonaws.com.cn';
  }
  if (parts.length === 4 && isWord(third) && isNumber(fourth)) return FOUR_PART_SUFFIXES[`${first}-${second}`];
  return undefined;
}

const SDK_CONFIG_KEYS = new Set(['endpoint_url', 'use_fips_endpoint', 'use_dualstack_endpoint']);

/** Whether the AWS config file (AWS_CONFIG_FILE, else ~/.aws/config) sets an endpoint or an endpoint variant anywhere. */
export function configFileSetsEndpoint(env: EnvLike, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): boolean {
  const path = env[Env.ConfigFile] || join(env['HOME'] || homedir(), '.aws', 'config');
  let text: string;
  try {
    text = read(path);
  } catch {
    return false; // no config file: nothing the SDK would read from it
  }
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq !== -1 && SDK_CONFIG_KEYS.has(line.slice(0, eq).trim().toLowerCase())) return true;
  }
  return false;
}

/**
 * The URL to POST AssumeRoleWithWebIdentity to, as the SDK would resolve it
 * for this region and explicit endpoint, or undefined when the SDK must
 * resolve it (and make the call).
 */
export function queryEndpoint(
  options: { readonly region: string; readonly endpoint?: string | undefined },
  env: EnvLike,
  read?: (path: string) => string,
): string | undefined {
  // The SDK reads these as booleans ('true' / 'false', anything else is its error to report).
  for (const name of [Env.UseFipsEndpoint, Env.UseDualstackEndpoint]) {
    const value = env[name];
    if (value !== undefined && value !== 'false') return undefined;
  }
  if (configFileSetsEndpoint(env, read)) return undefined;
  if (options.endpoint !== undefined) {
    try {
      const url = new URL(options.endpoint);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
    } catch {
      return undefined; // the SDK's error to report
    }
  }
  if (options.region === 'aws-global') return 'https://sts.amazonaws.com/';
  const suffix = partitionDnsSuffix(options.region);
  return suffix === undefined ? undefined : `https://sts.${options.region}.${suffix}/`;
}
