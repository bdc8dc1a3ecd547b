/**
 * What a configuration mints: the role (and chained role), region, STS
 * endpoint, audience, session name and session policy. Two steps with the
 * same identity can share a session; a step with another identity never
 * takes a session minted for a different one as its own.
 */
import { fingerprint } from '../util/hash.js';
import type { Settings } from './settings.js';
import { sourceIdentity } from './source.js';

export type IdentitySettings = Pick<
  Settings,
  'roleToAssume' | 'chainedRoleToAssume' | 'region' | 'audience' | 'stsEndpoint' | 'roleSessionName' | 'inlineSessionPolicy' | 'managedSessionPolicies' | 'source'
>;

/** A short key for the identity: equal keys mint the same kind of session. */
export function identityKey(settings: IdentitySettings): string {
  return fingerprint(
    JSON.stringify([
      settings.roleToAssume?.arn ?? null,
      settings.chainedRoleToAssume?.arn ?? null,
      settings.region ?? null,
      settings.audience,
      settings.stsEndpoint ?? null,
      settings.roleSessionName,
      settings.inlineSessionPolicy ?? null,
      settings.managedSessionPolicies,
      // Another source (another token file, other keys) is another identity: a step never reuses a server minting from another.
      sourceIdentity(settings.source),
    ]),
  );
}

/** For messages: the role whose session later steps run as. */
export function targetRoleArn(settings: Pick<Settings, 'roleToAssume' | 'chainedRoleToAssume'>): string | undefined {
  return (settings.chainedRoleToAssume ?? settings.roleToAssume)?.arn;
}
