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
 * It also writes dist/chunks.json, the map of which source modules and npm
 * packages each file holds, names the lazily loaded chunks (`refresh.chunk.js`,
 * not `715.index.js`) and fails when a module sits in two chunks, or a chunk
 * in two bundles, without a reason in scripts/chunk-allow.json
 * (scripts/chunk-map.mjs).
 *
 *   node scripts/build.mjs            # every entry
 *   node scripts/build.mjs main post  # some of them (the others are kept)
 */
import ncc from '@vercel/ncc';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceHash } from './source-hash.mjs';
import { STATS_OPTIONS, check, chunksOf, renameChunks, rowOf } from './chunk-map.mjs';

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
  const built = await ncc(join(ROOT, 'src', `${name}.ts`), {
    esm: false,
    minify: true,
    quiet: true,
    license: 'licenses.txt',
    sourceMap: false,
    // No build cache: ncc's cache (~/.cache/ncc) keeps how an external was imported across builds, so a folder once
    // built as ESM came out half ESM (createRequire(import.meta.url) in a CommonJS file). Every build starts clean.
    cache: false,
  });
  const { symlinks } = built;
  const chunks = chunksOf(name, built.stats.toJson(STATS_OPTIONS));
  const { code, assets } = renameChunks(name, built.code, built.assets, chunks);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    writeFileSync(join(outDir, file), asset.source, { mode: asset.permissions });
  }
  if (Object.keys(symlinks ?? {}).length > 0) throw new Error(`${name}: ncc asked for symlinks (${Object.keys(symlinks).join(', ')}); dist/ holds none`);
  // The repository's package.json says "type": "module"; this folder's code is CommonJS.
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const rows = {};
  const ordered = [...chunks].sort((a, b) => (a.name === 'index.js' ? -1 : b.name === 'index.js' ? 1 : a.name.localeCompare(b.name)));
  for (const chunk of ordered) rows[chunk.name] = { ...rowOf(chunk, Buffer.byteLength(chunk.name === 'index.js' ? code : assets[chunk.name].source)), modules: chunk.modules };
  return rows;
}

const MAP_FILE = 'chunks.json';
const ALLOW_FILE = join(ROOT, 'scripts', 'chunk-allow.json');

/** dist/chunks.json from the bundles just built and, for the others, the map as it was. Throws on an unexplained duplicate. */
function writeMap(folder, fresh) {
  const old = existsSync(join(folder, MAP_FILE)) ? JSON.parse(readFileSync(join(folder, MAP_FILE), 'utf8')).bundles : {};
  const bundles = {};
  for (const entry of ENTRIES) if (fresh[entry] ?? old?.[entry]) bundles[entry] = fresh[entry] ?? old[entry];
  const { problems, reasons } = check(bundles, JSON.parse(readFileSync(ALLOW_FILE, 'utf8')));
  if (problems.length > 0) throw new Error(`dist/ holds code twice without a reason:\n  ${problems.join('\n  ')}`);
  for (const chunks of Object.values(bundles)) for (const row of Object.values(chunks)) delete row.modules;
  // The hash of what a full build was made from (scripts/pretest.mjs compares it); a partial build records none.
  const complete = Object.keys(fresh).length === ENTRIES.length;
  const map = {
    about: 'Written by scripts/build.mjs: which source modules and npm packages (with their module count) each file of dist/ holds, and why some code is there twice (scripts/chunk-allow.json).',
    sourceHash: complete ? sourceHash(ROOT) : null,
    bundles,
    reasons,
  };
  writeFileSync(join(folder, MAP_FILE), `${JSON.stringify(map, null, 2)}\n`);
}

const staging = join(ROOT, `.dist-build-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  // Entries not asked for are carried over as they are.
  if (existsSync(DIST)) cpSync(DIST, staging, { recursive: true });
  const fresh = {};
  for (const name of names) {
    rmSync(join(staging, name), { recursive: true, force: true });
    fresh[name] = await buildEntry(name, join(staging, name));
  }
  writeMap(staging, fresh);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(staging, DIST);
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  console.error(`scripts/build.mjs: the build failed; dist/ was left as it was.\n${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
