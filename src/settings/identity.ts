/**
 * What a configuration mints: the role (and chained role), region, STS
 * endpoint, audience, session name, session policy, and the external ID and
 * custom session tags. Two steps with the
 * same identity can share a session; a step with another identity never
 * takes a session minted for a different one as its own.
 */
import { fingerprint } from '../util/hash.js';
import type { Settings } from './settings.js';
import { sourceIdentity } from './source.js';
import { DEFAULT_TAG_KEYS } from './session-tags.js';

export type IdentitySettings = Pick<
  Settings,
  'roleToAssume' | 'chainedRoleToAssume' | 'region' | 'audience' | 'stsEndpoint' | 'roleSessionName' | 'inlineSessionPolicy' | 'managedSessionPolicies' | 'source'
> &
  Partial<Pick<Settings, 'assumeRoleExtras'>>;

/**
 * The part of the AssumeRole extras that the step's configuration chooses: the
 * external ID, custom tags and transitive keys. The default tags are left out:
 * they name the step (GITHUB_ACTION), so every step would differ.
 */
function extrasPart(settings: IdentitySettings): unknown[] {
  const e = settings.assumeRoleExtras;
  if (!e) return [];
  const custom = (e.tags ?? []).filter((t) => !DEFAULT_TAG_KEYS.includes(t.key));
  if (e.externalId === undefined && custom.length === 0 && !e.transitiveTagKeys?.length) return [];
  return [{ externalId: e.externalId ?? null, tags: custom, transitiveTagKeys: e.transitiveTagKeys ?? [] }];
}

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
      // Appended only when set, so configurations without them keep their keys.
      ...extrasPart(settings),
    ]),
  );
}

/** For messages: the role whose session later steps run as. */
export function targetRoleArn(settings: Pick<Settings, 'roleToAssume' | 'chainedRoleToAssume'>): string | undefined {
  return (settings.chainedRoleToAssume ?? settings.roleToAssume)?.arn;
}
