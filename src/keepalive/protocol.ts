/**
 * What the main step and the credential server say to each other over the
 * server's IPC channel, the only way the auth token reaches it (never a file).
 */

import type { ProxyConfig } from '../net/proxy.js';
import type { MintingSource } from '../sts/source-credentials.js';
import type { HopExtras } from '../model/sts-types.js';

/** The server's start-up configuration. Holds the auth and control tokens: sent over IPC only. */
export interface ServerConfig {
  readonly authToken: string;
  readonly controlToken: string;
  /** Proves the server is the job's own (keepalive/proof.ts): like the tokens, sent over IPC only, and never on the wire. */
  readonly proofKey: string;
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
  /** External ID and session tags for each AssumeRole hop (configure-aws-credentials' inputs); none on AssumeRoleWithWebIdentity. */
  readonly assumeRoleExtras?: HopExtras;
  readonly retryMaxAttempts: number;
  /** What to ask STS for (lifetime/policy keepAliveSessionSeconds); the role's maximum once STS refused it. */
  readonly sessionSeconds: number;
  /** Local ms until which the work is expected to run. */
  readonly expectedUntil: number;
  /** Local ms after which the source mints no more (the OIDC request token's expiry, session keys' end), if known. */
  readonly sourceEndsAt?: number;
  /**
   * Where sessions come from; absent: GitHub OIDC. Input or env keys travel in it, like the tokens above: sent
   * over IPC only, kept in memory, never written to a file.
   */
  readonly source?: MintingSource;
  /** The private folder for its event log. */
  readonly dir: string;
  /**
   * The proxy for the ID-token request and STS, resolved by the main step (inputs, else HTTPS_PROXY / HTTP_PROXY /
   * NO_PROXY); absent: none. May hold a password, like the tokens above: sent over IPC only.
   */
  readonly proxy?: ProxyConfig;
  /** serve-containers: also listen on this link-local host and serve this secret path without a header. */
  readonly linkLocal?: { readonly host: string; readonly relativePath: string };
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
      /** The port on the link-local address, when the server listens there. */
      readonly linkLocalPort?: number;
    }
  | { readonly type: 'failed'; readonly nonce: string; readonly error: string };

export function isServerConfig(value: unknown): value is ServerConfig {
  const v = value as Partial<ServerConfig> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.authToken === 'string' &&
    typeof v.controlToken === 'string' &&
    typeof v.proofKey === 'string' &&
    typeof v.nonce === 'string' &&
    typeof v.roleArn === 'string' &&
    typeof v.region === 'string' &&
    typeof v.dir === 'string' &&
    (v.proxy === undefined || (typeof v.proxy === 'object' && v.proxy !== null)) &&
    (v.linkLocal === undefined || (typeof v.linkLocal?.host === 'string' && typeof v.linkLocal.relativePath === 'string')) &&
    (v.source === undefined || (typeof v.source === 'object' && v.source !== null && typeof v.source.kind === 'string'))
  );
}
