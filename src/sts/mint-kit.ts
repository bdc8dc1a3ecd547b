/** Everything the main step needs to mint, behind one dynamic import: one lazy chunk, no module bundled twice. */
export { createSdkGateway } from './sdk-gateway.js';
export { SessionMinter } from './minter.js';
export { sourceMinterDeps } from './source-deps.js';
export { DEFAULT_RETRY, realRetryDeps } from '../util/retry.js';
