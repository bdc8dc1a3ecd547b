/** What the rest of the action knows of STS: no SDK types leak past this. */
import type { ProxyConfig } from '../net/proxy.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface StsResult {
  readonly credentials: Credentials;
  readonly assumedRoleArn: string;
  /** The STS server's clock when it answered (response `Date` header), if it sent one. */
  readonly serverDate?: Date;
  /** Local clock (ms) when the answer arrived. */
  readonly receivedAt: number;
  readonly latencyMs: number;
}

/**
 * Credentials a source starts from (input keys, the env's keys, the SDK's
 * default chain): long-lived IAM user keys have no session token and no expiry.
 */
export interface SourceCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}

/** Fetches the source's current credentials; called at every mint, so rotated credentials are picked up. */
export type CredentialLoader = (signal?: AbortSignal) => Promise<SourceCredentials>;

export interface AssumeParams {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly policy?: string;
  readonly policyArns?: readonly string[];
}

export interface SessionTag {
  readonly key: string;
  readonly value: string;
  /** A convenience tag left out, on a second try, when STS finds the tags too large (PackedPolicyTooLarge). */
  readonly droppable?: boolean;
}

/** What AssumeRole takes beyond AssumeParams (never AssumeRoleWithWebIdentity): configure-aws-credentials' role-external-id and session tags. */
export interface AssumeRoleExtras {
  readonly externalId?: string;
  readonly tags?: readonly SessionTag[];
  readonly transitiveTagKeys?: readonly string[];
}

export type WebIdentityParams = AssumeParams & { readonly webIdentityToken: string };

export interface AssumeRoleParams extends AssumeParams {
  readonly assumeRoleExtras?: AssumeRoleExtras | undefined;
}

/** The extras of each AssumeRole hop a mint may make (settings/cac-options.ts hopExtras decides them). */
export interface HopExtras {
  /** The first hop, where a credential source (keys, the credentials in place) signs AssumeRole into role-to-assume. */
  readonly first?: AssumeRoleExtras;
  /** chained-role-to-assume's hop. */
  readonly chained?: AssumeRoleExtras;
}

/**
 * Both calls end as soon as `signal` aborts, rejecting with an error named
 * 'AbortError' (see util/abort.ts), even while the request is in flight.
 */
export interface StsGateway {
  assumeRoleWithWebIdentity(params: WebIdentityParams, signal?: AbortSignal): Promise<StsResult>;
  /** Signed with `credentials` (role chaining). */
  assumeRole(credentials: Credentials, params: AssumeRoleParams, signal?: AbortSignal): Promise<StsResult>;
  /** The ARN of the identity that signs with `credentials` (GetCallerIdentity). */
  getCallerIdentity(credentials: Credentials, signal?: AbortSignal): Promise<string>;
  /** Releases pooled connections, so a process can end without waiting for them. */
  close(): void;
}

export interface GatewayOptions {
  readonly region: string;
  /** Overrides the SDK's own endpoint resolution (which honours AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL). */
  readonly endpoint?: string;
  readonly requestTimeoutMs?: number;
  readonly clock?: () => number;
  /** The proxy, resolved by the main step (settings); none when absent: the SDK's Node handler never reads the proxy variables. */
  readonly proxy?: ProxyConfig | undefined;
}
