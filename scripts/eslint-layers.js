/**
 * A local ESLint plugin that keeps src/ layered (docs/architecture.md):
 *
 *   0 base      constants.ts, util/, net/, runner/
 *   1 model     model/ (shared types and formats)
 *   2 sources   settings/, oidc/, sts/
 *   3 policy    lifetime/
 *   4 delivery  export/, report/
 *   5 paths     guard/, keepalive/
 *   6 entries   src/*.ts
 *
 * `layers/order`: a module imports only from its own layer or a lower one.
 * `layers/no-cycle`: no import circle between modules of src/, type imports
 * included (each file of a circle is reported, naming the circle).
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

const LAYERS = [
  { name: 'base', match: (p) => p === 'constants.ts' || /^(util|net|runner)\//.test(p) },
  { name: 'model', match: (p) => p.startsWith('model/') },
  { name: 'sources', match: (p) => /^(settings|oidc|sts)\//.test(p) },
  { name: 'policy', match: (p) => p.startsWith('lifetime/') },
  { name: 'delivery', match: (p) => /^(export|report)\//.test(p) },
  { name: 'paths', match: (p) => /^(guard|keepalive)\//.test(p) },
  { name: 'entries', match: (p) => !p.includes('/') },
];

/** The layer index of a path relative to src/ (posix separators), or -1 for a folder no layer names. */
export function layerOf(srcPath) {
  return LAYERS.findIndex((l) => l.match(srcPath));
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function srcRoot(file) {
  const i = file.lastIndexOf(`${sep}src${sep}`);
  return i < 0 ? undefined : file.slice(0, i + 5);
}

const toPosix = (p) => p.split(sep).join('/');

/** The src-relative .ts files a source text imports (relative specifiers only). */
function importsOf(text, file, root) {
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    if (target.startsWith(root) && existsSync(target)) out.push(target);
  }
  return out;
}

const graphs = new Map();
/** The import graph of src/ reached from `file`, built from the files on disk (cached per lint run and root). */
function graphFrom(file, root) {
  let graph = graphs.get(root);
  if (!graph) graphs.set(root, (graph = new Map()));
  const visit = (f) => {
    if (graph.has(f)) return;
    graph.set(f, []);
    let next;
    try {
      next = importsOf(readFileSync(f, 'utf8'), f, root);
    } catch {
      return;
    }
    graph.set(f, next);
    for (const n of next) visit(n);
  };
  visit(file);
  return graph;
}

/** A circle through `file`, as a list of files, or undefined. */
export function cycleThrough(file, graph) {
  const path = [];
  const seen = new Set();
  const walk = (f) => {
    if (f === file && path.length > 0) return true;
    if (seen.has(f)) return false;
    seen.add(f);
    path.push(f);
    for (const n of graph.get(f) ?? []) if (walk(n)) return true;
    path.pop();
    return false;
  };
  return walk(file) ? path : undefined;
}

const order = {
  meta: { type: 'problem', schema: [], messages: { up: "{{from}} ({{fromLayer}}) may not import {{to}} ({{toLayer}}): a layer imports only from its own or a lower one (scripts/eslint-layers.js)." } },
  create(context) {
    const file = context.filename;
    const root = srcRoot(file);
    if (!root) return {};
    const from = toPosix(relative(root, file));
    const fromLayer = layerOf(from);
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!target.startsWith(root)) return;
      const to = toPosix(relative(root, target));
      const toLayer = layerOf(to);
      if (toLayer > fromLayer || toLayer < 0) {
        context.report({ node, messageId: 'up', data: { from, to, fromLayer: LAYERS[fromLayer]?.name ?? '?', toLayer: LAYERS[toLayer]?.name ?? 'no layer' } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

const noCycle = {
  meta: { type: 'problem', schema: [], messages: { cycle: 'Import circle: {{circle}}.' } },
  create(context) {
    const file = context.filename;
    const root = srcRoot(file);
    if (!root) return {};
    return {
      Program(node) {
        const circle = cycleThrough(file, graphFrom(file, root));
        if (circle) context.report({ node, messageId: 'cycle', data: { circle: [...circle, file].map((f) => toPosix(relative(root, f))).join(' → ') } });
      },
    };
  },
};

export default { rules: { order, 'no-cycle': noCycle } };
