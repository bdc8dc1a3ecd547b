/**
 * `npm test` runs this first:
 * 1. scripts/test-deps.sh installs the Debian packages the integration tests
 *    drive, or names the one command to run (on a machine without apt-get it
 *    names the packages and the tests go on: the unit tests need none of them);
 * 2. dist/ is built again when src/ (or the build's inputs) changed since the
 *    build recorded in dist/chunks.json, so the integration tests, which run
 *    dist/, test the sources as they are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceHash } from './source-hash.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

if (process.platform === 'linux' && hasAptGet) {
  if (run('bash', [join(ROOT, 'scripts', 'test-deps.sh')]) !== 0) process.exit(1);
} else {
  console.warn('pretest: no apt-get here; the integration tests need the packages in scripts/test-deps.list (install their equivalents).');
}

const mapFile = join(ROOT, 'dist', 'chunks.json');
const built = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')).sourceHash : undefined;
if (built !== sourceHash(ROOT)) {
  console.log('pretest: src/ changed since dist/ was built: building (npm run build) so the integration tests run this code.');
  if (run(process.execPath, [join(ROOT, 'scripts', 'build.mjs')]) !== 0) process.exit(1);
} else {
  console.log('pretest: dist/ is built from this src/.');
}
