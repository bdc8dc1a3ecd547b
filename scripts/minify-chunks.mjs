/**
 * ncc minifies each bundle's entry but writes the lazily loaded chunks as
 * they come from webpack, comments and all. This minifies them the way ncc
 * minifies an entry (terser, no compression, names kept for stack traces),
 * so a path that loads a chunk compiles less. Run by `npm run build`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const DIST = join(import.meta.dirname, '..', 'dist');
const CHUNK = /^\d+\.index\.js$/;

let before = 0;
let after = 0;
for (const bundle of readdirSync(DIST)) {
  const dir = join(DIST, bundle);
  let files;
  try {
    files = readdirSync(dir).filter((f) => CHUNK.test(f));
  } catch {
    continue;
  }
  for (const file of files) {
    const path = join(dir, file);
    const code = readFileSync(path, 'utf8');
    const result = await minify(code, { module: true, compress: false, mangle: { keep_classnames: true, keep_fnames: true } });
    if (result.code === undefined) throw new Error(`terser gave no output for ${path}`);
    writeFileSync(path, result.code);
    before += Buffer.byteLength(code);
    after += Buffer.byteLength(result.code);
  }
}
process.stdout.write(`minified lazy chunks: ${before} B → ${after} B\n`);
