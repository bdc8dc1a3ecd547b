/**
 * Everything the main step needs to mint, behind one dynamic import: one lazy
 * chunk. Small helpers it shares with other lazy chunks are copied into each
 * (webpack splits shared code out only above 20 kB; dist/chunks.json lists
 * them, scripts/chunk-allow.json says why). The AWS SDK is not in it: the
 * gateway loads it (its own chunk) only for a signed AssumeRole.
 */
export { createMinter } from './create-minter.js';
export { mintingSourceOf } from './source-credentials.js';
