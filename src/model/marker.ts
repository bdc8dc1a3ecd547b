/**
 * The session marker: exported beside static keys, it binds their expiry and
 * the configuration that minted them to those exact keys. When another step
 * replaces the keys, the marker no longer matches them, and the expiry is
 * unknown again. It holds fingerprints only, no secret.
 *
 * `v1:<keys>:<identity>`, or `v1:<keys>:<identity>:<step>` when a later guard
 * step with the same configuration may keep the session through the healthy
 * shortcut (guard/healthy.ts, guard/shortcut.ts).
 */
import { fingerprint } from '../util/hash.js';

const VERSION = 'v1';

/** What minted a session, as the marker records it. */
export interface MintedBy {
  /** identityKey() of the configuration that minted the keys. */
  readonly identity: string;
  /** stepFingerprint() of the minting step's raw configuration, when the healthy shortcut may trust it (settings/step-config.ts). */
  readonly step?: string;
}

export interface SessionMarker extends MintedBy {
  /** Fingerprint of the access key ID the marker was exported with. */
  readonly keys: string;
}

export function markerValue(accessKeyId: string, minted: MintedBy): string {
  return [VERSION, fingerprint(accessKeyId), minted.identity, ...(minted.step !== undefined ? [minted.step] : [])].join(':');
}

export function parseMarker(value: string | undefined): SessionMarker | undefined {
  const [version, keys, identity, step, ...rest] = (value ?? '').split(':');
  if (version !== VERSION || !keys || !identity || step === '' || rest.length > 0) return undefined;
  return { keys, identity, ...(step !== undefined && { step }) };
}

/** Whether the marker was exported with these keys. */
export function markerMatches(marker: SessionMarker | undefined, accessKeyId: string | undefined): boolean {
  return !!marker && !!accessKeyId && marker.keys === fingerprint(accessKeyId);
}
