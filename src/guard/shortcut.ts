/**
 * Whether a later guard step may keep the session this step mints through the
 * healthy shortcut (guard/healthy.ts), which decides from the raw
 * configuration without reading the settings. Allowed only where the full
 * healthy path would do nothing but report (outputs, one log line, the
 * summary line), so the shortcut never skips anything: no mask to register,
 * no warning or note to repeat, no credential output, nothing to unset, and a
 * source that settings resolve from the inputs and the named environment alone
 * (GitHub OIDC: no key inputs, no file to probe).
 */
import { accountIdsToMask } from '../export/variables.js';
import type { MintedBy } from '../model/marker.js';
import { proxySecrets } from '../net/proxy.js';
import type { Settings } from '../settings/settings.js';
import { identityKey } from '../settings/identity.js';
import { assumeRoleOnlyNote } from './messages.js';

export function healthyShortcutAllowed(settings: Settings): boolean {
  return (
    settings.source.kind === 'github-oidc' &&
    !settings.keepAlive &&
    settings.expiration === undefined &&
    settings.outputEnvCredentials &&
    !settings.outputCredentials &&
    !settings.unsetCurrentCredentials &&
    accountIdsToMask(settings).length === 0 &&
    proxySecrets(settings.proxy).length === 0 &&
    assumeRoleOnlyNote(settings) === undefined
  );
}

/** What the marker records about the step that minted a session: its identity, and its raw configuration when the shortcut may trust it. */
export function mintedBy(settings: Settings): MintedBy {
  const identity = identityKey(settings);
  return healthyShortcutAllowed(settings) ? { identity, step: settings.stepFingerprint } : { identity };
}
