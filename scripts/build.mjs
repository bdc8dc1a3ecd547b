/**
 * Builds dist/: one CommonJS bundle per entry (main, post, server,
 * credential-process), each in its own folder with its lazily loaded chunks,
 * a licenses.txt and a package.json that marks the folder CommonJS (the
 * repository itself is ESM). CommonJS rather than ESM output: Node loads a
 * CommonJS entry and its chunks without the ESM loader, which the bench
 * measured faster on every path (CHANGELOG 0.2.0, README "Benchmarks").
 *
 * ncc's command line has no switch for the output format (it follows the
 * package's "type"), so this calls its API. Everything is built into a
 * temporary folder first: a failed build leaves the old dist/ as it was.
 *
 *   node scripts/build.mjs            # every entry
 *   node scripts/build.mjs main post  # some of them (the others are kept)
 */
import ncc from '@vercel/ncc';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** dist/<name>/index.js is built from src/<name>.ts. */
const ENTRIES = ['main', 'post', 'server', 'credential-process'];

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !ENTRIES.includes(name));
if (unknown.length > 0) {
  console.error(`scripts/build.mjs: unknown entry ${unknown.join(', ')}; the entries are ${ENTRIES.join(', ')}.`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : ENTRIES;

async function buildEntry(name, outDir) {
  const { code, assets, symlinks } = await ncc(join(ROOT, 'src', `${name}.ts`), {
    esm: false,
    minify: true,
    quiet: true,
    license: 'licenses.txt',
    sourceMap: false,
    // No build cache: ncc's cache (~/.cache/ncc) keeps how an external was imported across builds, so a folder once
    // built as ESM came out half ESM (createRequire(import.meta.url) in a CommonJS file). Every build starts clean.
    cache: false,
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), asset.source, { mode: asset.permissions });
  }
  if (Object.keys(symlinks ?? {}).length > 0) throw new Error(`${name}: ncc asked for symlinks (${Object.keys(symlinks).join(', ')}); dist/ holds none`);
  // The repository's package.json says "type": "module"; this folder's code is CommonJS.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
}

const staging = join(ROOT, `.dist-build-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  // Entries not asked for are carried over as they are.
  if (existsSync(DIST)) cpSync(DIST, staging, { recursive: true });
  for (const name of names) {
    rmSync(join(staging, name), { recursive: true, force: true });
    await buildEntry(name, join(staging, name));
  }
  rmSync(DIST, { recursive: true, force: true });
  renameSync(staging, DIST);
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`scripts/build.mjs: the build failed; dist/ was left as it was.\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
