/**
 * What the main step and the credential server say to each other over the
 * server's IPC channel, the only way the auth token reaches it (never a file).
 */

import type { ProxyConfig } from '../net/proxy.js';
import type { AssumeRoleExtras } from '../sts/types.js';

/** The server's start-up configuration. Holds the auth and control tokens: sent over IPC only. */
export interface ServerConfig {
  readonly authToken: string;
  readonly controlToken: string;
  /** Answered on /status: tells this server from any other. */
  readonly nonce: string;
  /** identityKey() of the settings it mints for. */
  readonly identity: string;
  readonly roleArn: string;
  readonly chainedRoleArn?: string;
  readonly roleSessionName: string;
  readonly region: string;
  /** The STS endpoint, resolved by the main step (input or the SDK's endpoint variables); the server's env has none. */
  readonly stsEndpoint?: string;
  readonly audience: string;
  readonly policy?: string;
  readonly policyArns: readonly string[];
  /** External ID and session tags for the AssumeRole hop (configure-aws-credentials' inputs); none on AssumeRoleWithWebIdentity. */
  readonly assumeRoleExtras?: AssumeRoleExtras;
  readonly retryMaxAttempts: number;
  /** What to ask STS for (lifetime/policy keepAliveSessionSeconds); the role's maximum once STS refused it. */
  readonly sessionSeconds: number;
  /** Local ms until which the work is expected to run. */
  readonly expectedUntil: number;
  /** Local ms when the ID-token request token expires, if known. */
  readonly requestTokenExpiresAt?: number;
  /** The private folder for its event log. */
  readonly dir: string;
  /**
   * The proxy for the ID-token request and STS, resolved by the main step (inputs, else HTTPS_PROXY / HTTP_PROXY /
   * NO_PROXY); absent: none. May hold a password, like the tokens above: sent over IPC only.
   */
  readonly proxy?: ProxyConfig;
}

/** The server's one answer to its start-up. No secrets. */
export type ServerMessage =
  | {
      readonly type: 'ready';
      readonly nonce: string;
      readonly port: number;
      readonly expiration: string;
      readonly remainingSeconds: number;
      readonly assumedRoleArn: string;
      readonly maxSessionSeconds?: number;
      readonly sessionSeconds: number;
    }
  | { readonly type: 'failed'; readonly nonce: string; readonly error: string };

export function isServerConfig(value: unknown): value is ServerConfig {
  const v = value as Partial<ServerConfig> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.authToken === 'string' &&
    typeof v.controlToken === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.roleArn === 'string' &&
    typeof v.region === 'string' &&
    typeof v.dir === 'string' &&
    (v.proxy === undefined || (typeof v.proxy === 'object' && v.proxy !== null))
  );
}
