/**
 * The shared types the layers above pass to each other: the settings (read
 * and checked by settings/), the credential source, and the need. Types
 * only: the parsers that make them live in settings/, the decisions that
 * take them in lifetime/.
 */
import type { InputName } from '../constants.js';
import type { ProxyConfig } from '../net/proxy.js';
import type { RoleArn } from './arn.js';
import type { AssumeRoleExtras } from './sts-types.js';

export type CredentialSource =
  /** AssumeRoleWithWebIdentity with a GitHub ID token. */
  | { readonly kind: 'github-oidc' }
  /** Keys from the inputs: they sign AssumeRole for role-to-assume, or are exported as they are without one. */
  | { readonly kind: 'static-keys'; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string }
  /** AssumeRoleWithWebIdentity with the token in this file (absolute path), read again at every mint. */
  | { readonly kind: 'token-file'; readonly path: string }
  /**
   * The credentials already in place: the env keys, else the SDK's default chain (profile, container endpoint,
   * IMDSv2). `via` says what chose it: an input, or no id-token permission with role-to-assume and no other source
   * (configure-aws-credentials' fallback, the usual set-up of a self-hosted runner on EC2).
   */
  | { readonly kind: 'existing'; readonly via: InputName | typeof NO_ID_TOKEN };

/** `via` of the fallback to the credentials in place when the job has no id-token permission. */
export const NO_ID_TOKEN = 'no-id-token-permission';

export type SourceKind = CredentialSource['kind'];


export interface CacOptions {
  /** role-external-id, session tags (unless role-skip-session-tagging), transitive-tag-keys: sent on AssumeRole only. */
  readonly assumeRoleExtras?: AssumeRoleExtras;
  /** Inputs given that act on AssumeRole only (external ID, custom tags, transitive keys): for a note when no hop is AssumeRole. */
  readonly assumeRoleOnlyInputs: readonly InputName[];
  /** allowed-account-ids: the session's account must be one of these (12 digits each). */
  readonly allowedAccountIds?: readonly string[];
  readonly outputCredentials: boolean;
  /** false: no AWS_* variable is exported (CAC: default true, false when aws-profile is set). */
  readonly outputEnvCredentials: boolean;
  readonly unsetCurrentCredentials: boolean;
  readonly awsProfile?: string;
  readonly overwriteAwsProfile: boolean;
  readonly specialCharactersWorkaround: boolean;
  readonly disableRetry: boolean;
  /** action-timeout-s, when above 0: the main step ends after this long, exporting nothing. */
  readonly actionTimeoutSeconds?: number;
}

export interface Settings extends CacOptions {
  readonly roleToAssume?: RoleArn;
  readonly chainedRoleToAssume?: RoleArn;
  readonly region?: string;
  readonly audience: string;
  readonly roleSessionName: string;
  /** expected-duration: absent when not given (no need is stated; the step does what configure-aws-credentials does). */
  readonly expectedDurationSeconds?: number;
  readonly safetyMarginSeconds: number;
  /** Only when given; otherwise the lifetime policy picks it. */
  readonly roleDurationSeconds?: number;
  readonly expiration?: Date;
  readonly failOnShortSession: boolean;
  readonly stsEndpoint?: string;
  readonly inlineSessionPolicy?: string;
  readonly managedSessionPolicies: readonly string[];
  readonly maskAwsAccountId: boolean;
  readonly retryMaxAttempts: number;
  readonly keepAlive: boolean;
  /** keep-alive also serves on 169.254.170.2 for containers (needs keepAlive). */
  readonly serveContainers: boolean;
  /** The proxy for the ID-token request and STS: the http-proxy / no-proxy inputs, else HTTPS_PROXY, HTTP_PROXY, NO_PROXY. Absent when none is set. */
  readonly proxy?: ProxyConfig;
  /** Where the credentials that mint sessions come from (settings/source.ts). */
  readonly source: CredentialSource;
  /** stepFingerprint() of the raw inputs and environment these settings were read from (settings/step-config.ts). */
  readonly stepFingerprint: string;
}

/** What the work needs: expected-duration + safety-margin. */
export interface Need {
  readonly seconds: number;
  /** The safety-margin part, to say what the work itself could have (a fix: `expected-duration: 55m`). */
  readonly marginSeconds: number;
  /** How it was computed, for messages: `1h30m expected-duration + 5m safety-margin = 1h35m`. */
  readonly explanation: string;
}
