/**
 * The session marker: exported beside static keys, it binds their expiry and
 * the configuration that minted them to those exact keys. When another step
 * replaces the keys, the marker no longer matches them, and the expiry is
 * unknown again. It holds fingerprints only, no secret.
 */
import { fingerprint } from '../util/hash.js';

const VERSION = 'v1';

export interface SessionMarker {
  /** Fingerprint of the access key ID the marker was exported with. */
  readonly keys: string;
  /** identityKey() of the configuration that minted the keys. */
  readonly identity: string;
}

export function markerValue(accessKeyId: string, identity: string): string {
  return `${VERSION}:${fingerprint(accessKeyId)}:${identity}`;
}

export function parseMarker(value: string | undefined): SessionMarker | undefined {
  const parts = (value ?? '').split(':');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return undefined;
  return { keys: parts[1], identity: parts[2] };
}

/** Whether the marker was exported with these keys. */
export function markerMatches(marker: SessionMarker | undefined, accessKeyId: string | undefined): boolean {
  return !!marker && !!accessKeyId && marker.keys === fingerprint(accessKeyId);
}
