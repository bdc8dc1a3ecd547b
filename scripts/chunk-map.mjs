/**
 * The map of dist/: which source modules each bundle file holds, read from
 * webpack's stats (ncc hands them back), and the names the chunk files get.
 *
 * ncc names every lazily loaded chunk `<id>.index.js`, with webpack's
 * deterministic numeric ids: its output template has `[id]` and no `[name]`,
 * and it offers no option to change that. A `webpackChunkName` magic comment
 * does reach the stats (`chunk.names`) but not the file name. So the build
 * renames the files itself (renameChunks) and rewrites the one runtime line
 * that turns a chunk id into a file name. A chunk is named, in this order,
 * by its magic comment, by the source module its `import()` asks for
 * (`./refresh.js` -> `refresh`), or by the npm package it holds first
 * (`@aws-sdk/client-sts` -> `client-sts`).
 *
 * Checks (problems()): a module in two chunks of one bundle, or a chunk that
 * two bundles carry, fails the build unless scripts/chunk-allow.json gives the
 * reason, and so does a reason for something that is no longer there. The
 * reasons are copied into dist/chunks.json next to the map.
 */
import { basename, dirname } from 'node:path';

const NODE_MODULES = 'node_modules/';

/** `../main/node_modules/@aws-sdk/x/y.js` -> `node_modules/@aws-sdk/x/y.js`; `./src/a.ts` -> `src/a.ts`. */
export function moduleKey(name) {
  const at = name.lastIndexOf(NODE_MODULES);
  if (at >= 0) return name.slice(at);
  return name.startsWith('./') ? name.slice(2) : name;
}

/** `node_modules/@aws-sdk/core/dist-cjs/x.js` -> `@aws-sdk/core`. */
export function packageOf(key) {
  const parts = key.slice(NODE_MODULES.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** The leaf module names of one stats chunk (concatenated modules opened up, externals and runtime left out). */
function leafModules(chunk) {
  const out = [];
  const walk = (m) => {
    if (Array.isArray(m.modules) && m.modules.length > 0) m.modules.forEach(walk);
    else if (typeof m.name === 'string' && !m.name.startsWith('external ') && !m.name.startsWith('webpack/')) out.push(moduleKey(m.name));
  };
  (chunk.modules ?? []).forEach(walk);
  return [...new Set(out)].sort();
}

/** `./refresh.js` -> `refresh`; `./keepalive/index.js` -> `keepalive` (the folder names an index). */
const stem = (path) => {
  const own = basename(path).replace(/\.[cm]?[jt]s$/, '');
  return own === 'index' ? basename(dirname(path)) : own;
};

function nameOf(chunk, modules) {
  if (chunk.names?.length > 0) return chunk.names[0];
  const requests = (chunk.origins ?? []).map((o) => o.request).filter((r) => typeof r === 'string');
  const sources = modules.filter((m) => m.startsWith('src/'));
  for (const request of requests) {
    if (sources.some((m) => stem(m) === stem(request))) return stem(request);
    if (!request.startsWith('.') && modules.some((m) => m.startsWith(NODE_MODULES) && packageOf(m) === request)) return request.replace(/^@[^/]+\//, '');
  }
  const firstPackage = modules.find((m) => m.startsWith(NODE_MODULES));
  if (firstPackage) return packageOf(firstPackage).replace(/^@[^/]+\//, '');
  throw new Error(`chunk ${chunk.id} (${modules.slice(0, 3).join(', ')}) has no name to take: add /* webpackChunkName: "..." */ to its import()`);
}

/** The stats options that list every module of every chunk, concatenated ones opened up. */
export const STATS_OPTIONS = {
  all: false, chunks: true, chunkModules: true, chunkOrigins: true, ids: true, nestedModules: true,
  chunkModulesSpace: Infinity, nestedModulesSpace: Infinity, modulesSpace: Infinity, cachedModules: true, dependentModules: true,
};

/**
 * One bundle's chunks from its stats: [{ id, file (as ncc wrote it), name (the file it gets), modules }].
 * The entry chunk keeps `index.js`.
 */
export function chunksOf(entry, statsJson) {
  const chunks = statsJson.chunks.map((chunk) => {
    const modules = leafModules(chunk);
    const file = chunk.files.find((f) => f.endsWith('.js'));
    const initial = chunk.initial === true || file === 'index.js';
    return { id: chunk.id, file, name: initial ? 'index.js' : `${nameOf(chunk, modules)}.chunk.js`, modules };
  });
  const seen = new Map();
  for (const c of chunks) {
    if (seen.has(c.name)) throw new Error(`${entry}: chunks ${seen.get(c.name)} and ${c.id} would both be ${c.name}: give one a /* webpackChunkName: "..." */`);
    seen.set(c.name, c.id);
  }
  return chunks;
}

/** ncc's runtime line that names chunk files, e.g. `__nccwpck_require__.u=e=>""+e+".index.js"`. */
const CHUNK_URL = /__nccwpck_require__\.u=([A-Za-z_$][\w$]*)=>""\+\1\+"\.index\.js"/g;

/** Renames the chunk files in ncc's output ({ code, assets }) and points the entry's runtime at the new names. */
export function renameChunks(entry, code, assets, chunks) {
  const lazy = chunks.filter((c) => c.name !== 'index.js');
  if (lazy.length === 0) return { code, assets };
  const hits = [...code.matchAll(CHUNK_URL)];
  if (hits.length !== 1) throw new Error(`${entry}: found ${hits.length} chunk-name functions in index.js, expected 1 (did ncc's runtime change?); cannot rename the chunks`);
  const table = Object.fromEntries(lazy.map((c) => [String(c.id), c.name]));
  const renamed = code.replace(CHUNK_URL, (_all, v) => `__nccwpck_require__.u=${v}=>(${JSON.stringify(table)})[${v}]`);
  const out = {};
  for (const [file, asset] of Object.entries(assets)) {
    const chunk = lazy.find((c) => c.file === file);
    out[chunk ? chunk.name : file] = asset;
  }
  return { code: renamed, assets: out };
}

/**
 * What the allow-list must explain: modules in two chunks of one bundle, and chunk files two bundles carry.
 * Returns { problems: [text], reasons: { duplicatedModules, sharedChunks } } with the reasons that were used.
 */
export function check(map, allow) {
  const problems = [];
  const usedModules = {};
  const usedChunks = {};
  for (const [entry, chunks] of Object.entries(map)) {
    const where = new Map();
    for (const [file, info] of Object.entries(chunks)) {
      for (const m of info.modules ?? info.sources) where.set(m, [...(where.get(m) ?? []), file]);
    }
    for (const [m, files] of where) {
      if (files.length < 2) continue;
      const reason = allow.duplicatedModules?.[m];
      if (reason) usedModules[m] = reason;
      else problems.push(`${m} sits in ${files.length} chunks of dist/${entry} (${files.join(', ')}); make one chunk hold it, or give the reason under "duplicatedModules" in scripts/chunk-allow.json`);
    }
  }
  const carriers = new Map();
  for (const [entry, chunks] of Object.entries(map)) {
    for (const file of Object.keys(chunks)) if (file !== 'index.js') carriers.set(file, [...(carriers.get(file) ?? []), entry]);
  }
  for (const [file, entries] of carriers) {
    if (entries.length < 2) continue;
    const reason = allow.sharedChunks?.[file];
    if (reason) usedChunks[file] = reason;
    else problems.push(`${file} is in ${entries.map((e) => `dist/${e}`).join(' and ')}; share it, or give the reason under "sharedChunks" in scripts/chunk-allow.json`);
  }
  // A reason for something that is no longer there would mislead the next reader.
  for (const m of Object.keys(allow.duplicatedModules ?? {})) if (!(m in usedModules)) problems.push(`scripts/chunk-allow.json gives a reason for ${m} under "duplicatedModules", but it no longer sits in two chunks: remove the entry`);
  for (const f of Object.keys(allow.sharedChunks ?? {})) if (!(f in usedChunks)) problems.push(`scripts/chunk-allow.json gives a reason for ${f} under "sharedChunks", but no two bundles carry it now: remove the entry`);
  return { problems, reasons: { duplicatedModules: usedModules, sharedChunks: usedChunks } };
}

/** A chunk's row in dist/chunks.json: the source modules by path, the npm packages by name with their module count. */
export function rowOf(chunk, bytes) {
  const sources = chunk.modules.filter((m) => !m.startsWith(NODE_MODULES));
  const packages = {};
  for (const m of chunk.modules.filter((x) => x.startsWith(NODE_MODULES))) packages[packageOf(m)] = (packages[packageOf(m)] ?? 0) + 1;
  return { bytes, sources, packages };
}
