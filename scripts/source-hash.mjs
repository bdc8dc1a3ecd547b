/**
 * One hash of everything dist/ is built from: src/, the lock file, the
 * TypeScript config and the build scripts. scripts/build.mjs records it in
 * dist/chunks.json after a full build; scripts/pretest.mjs builds again when
 * the hash of the working tree differs, so `npm test` tests the sources as
 * they are (the integration tests run dist/).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const FILES = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs', 'scripts/chunk-map.mjs', 'scripts/chunk-allow.json'];

function filesUnder(root, folder) {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)));
}

export function sourceHash(root) {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(root, 'src'), ...FILES].sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
