/**
 * keep-alive's plan, decided before any network call and without side
 * effects: what the job needs, how long its credential source can mint, the
 * length of each session, and the server's configuration. It throws only for
 * settings that cannot work (no role or region, no OIDC permission, a proxy
 * the server could not use).
 */
import { Env, Inputs } from '../constants.js';
import type { Need } from '../lifetime/decision.js';
import { keepAliveCoverUntil, sourceMintsUntil } from '../lifetime/keep-alive-policy.js';
import { knownMaxOf } from '../lifetime/known-max.js';
import { keepAliveSessionSeconds, needOf, sessionCeiling } from '../lifetime/policy.js';
import type { RoleArn } from '../model/arn.js';
import { parseProxyUrl } from '../net/proxy.js';
import { jwtExpiry, MISSING_PERMISSION_MESSAGE } from '../oidc/token.js';
import { hopExtras } from '../settings/cac-options.js';
import { formatDuration } from '../settings/duration.js';
import { identityKey, targetRoleArn } from '../settings/identity.js';
import type { Settings } from '../settings/settings.js';
import { resolveStsEndpoint } from '../sts/endpoint.js';
import type { MintingSource } from '../sts/source-credentials.js';
import { coverageShortfall, serverCoverReason } from './coverage.js';
import type { ServerStatus } from './credential-server.js';
import { LINK_LOCAL_ADDRESS } from './link-local.js';
import type { ServerConfig } from './protocol.js';
import { serverHealth, type ServerHealth } from './server-health.js';

type JobEnv = Readonly<Record<string, string | undefined>>;

export interface KeepAlivePlan {
  readonly now: number;
  readonly region: string;
  readonly role: RoleArn;
  /** The role later steps act as (the chained one, if any). */
  readonly target: string;
  /** The fingerprint of the credentials asked for: a running server with another one is not reused. */
  readonly identity: string;
  readonly need: Need | undefined;
  readonly oidc: boolean;
  /** Until when the source can mint, why it ends there, and the fix when that is too early. */
  readonly sourceEnd: ReturnType<typeof sourceMintsUntil>;
  /** The longest session STS can give (seconds). */
  readonly ceiling: number;
  /** The shortfall message when the source cannot mint for as long as the work needs. */
  readonly tokenShort: string | undefined;
  /** GitHub OIDC with a request token that is not a JWT: its expiry is unknown. */
  readonly tokenExpiryUnknown: boolean;
  /** When the work is expected to end (ms). */
  readonly expectedUntil: number;
}

export function planKeepAlive(settings: Settings, env: JobEnv, now: number): KeepAlivePlan {
  const need = needOf(settings);
  const region = settings.region;
  const role = settings.roleToAssume;
  if (!region || !role) throw new Error(`keep-alive needs '${Inputs.RoleToAssume}' and '${Inputs.AwsRegion}'`);
  for (const proxy of [settings.proxy?.https, settings.proxy?.http]) if (proxy) parseProxyUrl(proxy);
  // What the source can mint, and until when: only GitHub OIDC needs (and is bounded by) the request token.
  const oidc = settings.source.kind === 'github-oidc';
  let requestTokenExpiresAt: number | undefined;
  if (oidc) {
    const requestToken = env[Env.IdTokenRequestToken];
    if (!env[Env.IdTokenRequestUrl] || !requestToken) throw new Error(MISSING_PERMISSION_MESSAGE);
    const tokenExp = jwtExpiry(requestToken);
    requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
  }
  const sourceEnd = sourceMintsUntil(settings, requestTokenExpiresAt);
  const ceiling = sessionCeiling(settings);
  const upperCover = keepAliveCoverUntil(sourceEnd.until, ceiling);
  // Without a stated need nothing is checked for length: the server refreshes for as long as the source can mint.
  const tokenShort = need
    ? coverageShortfall(need, upperCover, now, `${sourceEnd.why}, and the last session minted before then lasts at most ${formatDuration(ceiling)}.`, sourceEnd.fix)
    : undefined;
  return {
    now,
    region,
    role,
    target: targetRoleArn(settings) ?? role.arn,
    identity: identityKey(settings),
    need,
    oidc,
    sourceEnd,
    ceiling,
    tokenShort,
    tokenExpiryUnknown: oidc && requestTokenExpiresAt === undefined,
    expectedUntil: now + (need?.seconds ?? 0) * 1000,
  };
}

/** Whether a server's status covers the plan's need (one rule for a reused and a new server). */
export function planHealth(plan: KeepAlivePlan, status: ServerStatus): ServerHealth {
  const reason = serverCoverReason(status.maxSessionSeconds, plan.oidc ? undefined : plan.sourceEnd.why);
  return serverHealth(status, plan.need, plan.now, reason, plan.sourceEnd.fix);
}

/** What a new server is given besides the plan: its secrets, its source, its folder, and its link-local path. */
export interface ServerParts {
  readonly authToken: string;
  readonly controlToken: string;
  readonly proofKey: string;
  readonly nonce: string;
  readonly source: MintingSource;
  readonly dir: string;
  readonly linkLocalPath?: string | undefined;
}

/** The configuration sent to a new server over IPC. */
export function serverConfigOf(plan: KeepAlivePlan, settings: Settings, env: JobEnv, parts: ServerParts): ServerConfig {
  const { role, need, now, sourceEnd, region } = plan;
  const { source, linkLocalPath } = parts;
  const stsEndpoint = resolveStsEndpoint(settings, env);
  const extras = hopExtras(settings);
  return {
    authToken: parts.authToken,
    controlToken: parts.controlToken,
    proofKey: parts.proofKey,
    nonce: parts.nonce,
    identity: plan.identity,
    roleArn: role.arn,
    ...(settings.chainedRoleToAssume && { chainedRoleArn: settings.chainedRoleToAssume.arn }),
    roleSessionName: settings.roleSessionName,
    region,
    ...(stsEndpoint !== undefined && { stsEndpoint }),
    audience: settings.audience,
    ...(settings.inlineSessionPolicy !== undefined && { policy: settings.inlineSessionPolicy }),
    policyArns: settings.managedSessionPolicies,
    ...(extras && { assumeRoleExtras: extras }),
    retryMaxAttempts: settings.retryMaxAttempts,
    sessionSeconds: keepAliveSessionSeconds({
      needSeconds: need?.seconds ?? 0,
      now,
      sourceEndsAt: sourceEnd.until,
      ceilingSeconds: plan.ceiling,
      knownMaxSeconds: settings.chainedRoleToAssume ? undefined : knownMaxOf(env, role.arn)?.seconds,
    }),
    expectedUntil: plan.expectedUntil,
    ...(sourceEnd.until !== undefined && { sourceEndsAt: sourceEnd.until }),
    ...(source.kind !== 'github-oidc' && { source }),
    dir: parts.dir,
    ...(settings.proxy && { proxy: settings.proxy }),
    ...(linkLocalPath !== undefined && { linkLocal: { host: LINK_LOCAL_ADDRESS, relativePath: linkLocalPath } }),
  };
}
