/**
 * Everything the main step needs to mint, behind one dynamic import: one lazy
 * chunk, no module bundled twice. The AWS SDK is not in it: the gateway loads
 * it (its own chunk) only for a signed AssumeRole.
 */
export { createStsGateway } from './gateway.js';
export { SessionMinter } from './minter.js';
export { sourceMinterDeps } from './source-deps.js';
export { mintingSourceOf } from './source-credentials.js';
export { DEFAULT_RETRY, realRetryDeps } from '../util/retry.js';
