/** What the guard takes and returns (guard.ts, refresh.ts). */
import type { IdToken } from '../oidc/token.js';
import type { Toolkit } from '../runner/toolkit.js';
import type { Settings } from '../settings/settings.js';
import type { SessionMinter } from '../sts/minter.js';

export interface GuardDeps {
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => number;
  /** Builds the minter. It loads the AWS SDK, so it is called only when a session must be minted. */
  readonly loadMinter: (settings: Settings, onToken: (token: IdToken) => void) => Promise<SessionMinter>;
  /** action-timeout-s: when it aborts, minting stops and nothing is exported. */
  readonly signal?: AbortSignal;
}

export type GuardOutcome =
  | { readonly kind: 'healthy'; readonly remainingSeconds: number; readonly expiration: Date }
  | { readonly kind: 'refreshed'; readonly remainingSeconds: number; readonly expiration: Date; readonly short: boolean }
  | { readonly kind: 'warned'; readonly message: string };

