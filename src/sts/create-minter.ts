/**
 * The one wiring of a SessionMinter: the STS gateway for a region and
 * endpoint (through the proxy, if any), the source's first-hop
 * collaborators, retries. Used by the main step (main-step.ts) and by the
 * credential server (keepalive/server-wiring.ts).
 */
import type { IdToken } from '../oidc/token.js';
import type { ProxyConfig } from '../net/proxy.js';
import type { StsGateway } from '../model/sts-types.js';
import { DEFAULT_RETRY, realRetryDeps } from '../util/retry.js';
import { createStsGateway } from './gateway.js';
import { SessionMinter, type MintEvent } from './minter.js';
import { sourceMinterDeps } from './source-deps.js';
import type { MintingSource } from './source-credentials.js';

export interface MinterWiring {
  readonly region: string;
  readonly endpoint?: string | undefined;
  readonly proxy?: ProxyConfig | undefined;
  /** The env the SDK would read its endpoint settings and the source its variables from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly source: MintingSource;
  readonly audience: string;
  readonly retryMaxAttempts: number;
  readonly onToken?: (token: IdToken) => void;
  readonly onEvent?: (event: MintEvent) => void;
}

export function createMinter(w: MinterWiring): { readonly minter: SessionMinter; readonly gateway: StsGateway } {
  const gateway = createStsGateway({ region: w.region, ...(w.endpoint !== undefined && { endpoint: w.endpoint }), proxy: w.proxy, env: w.env });
  const minter = new SessionMinter({
    gateway,
    ...sourceMinterDeps(w.source, { env: w.env, proxy: w.proxy }),
    audience: w.audience,
    retry: { ...DEFAULT_RETRY, maxAttempts: w.retryMaxAttempts },
    retryDeps: realRetryDeps,
    clock: Date.now,
    ...(w.onToken && { onToken: w.onToken }),
    ...(w.onEvent && { onEvent: w.onEvent }),
  });
  return { minter, gateway };
}
