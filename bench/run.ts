/**
 * `npm run bench` (or `npx -y node@24 --import tsx bench/run.ts` with dist/
 * built): measures the bundled action against side-by-side baselines, on this
 * machine, with the project's local stand-ins (no AWS, no GitHub, loopback only).
 *
 *   1. guard, healthy path        vs node -e 0, and the same path on @actions/core
 *   2. peak RSS                   healthy path (and refresh) vs node -e 0
 *   3. built-in modules loaded    healthy path vs node -e 0; dist/ files per path
 *   4. guard, refresh path        vs node -e 0, and configure-aws-credentials (CAC_DIR)
 *   5. compile cache              as shipped (none) vs NODE_COMPILE_CACHE cold and warm
 *   6. keep-alive start           calls per start, time vs node -e 0
 *   7. credential server          under load vs a bare node http server
 *   8. bundle sizes
 *   9. machine
 *
 * Subject and baseline runs are interleaved (the order rotates every
 * iteration) so machine noise hits both alike; every figure is a median over
 * repeated runs, also given as a ratio to its baseline from the same pass.
 * Sizes and section selection come from env vars (bench/config.ts).
 * Writes bench/results.md and bench/results.json and prints the Markdown.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOidcIssuer, startSts } from '../standins/index.js';
import { bundleSizes } from './bundles.js';
import { findCac } from './cac.js';
import { CONFIG, runs } from './config.js';
import { BENCH, log, MAIN, POST, ROLE, ROLE_1H, SERVER, started } from './context.js';
import { loadAverage, machineInfo } from './proc.js';
import { report, type Results } from './report.js';
import { benchServer } from './server-bench.js';
import {
  benchCache,
  benchHealthy,
  benchKeepAlive,
  benchMemory,
  benchModules,
  benchRefresh,
  buildActionsCore,
  type ActionsCoreBuild,
  type StandIns,
} from './startup.js';

/** Hard ceiling for the whole bench: past it, kill what we started and exit. */
const BENCH_LIMIT_MS = 8 * 60_000;
const watchdog = setTimeout(() => {
  console.error(`bench: over the ${BENCH_LIMIT_MS / 60_000} min limit, giving up`);
  process.exit(2);
}, BENCH_LIMIT_MS);
watchdog.unref();

/** Indented JSON with arrays of plain values (times, module names) on one line each. */
function compactJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_, items: string) => `[${items.replace(/,\n\s+/g, ', ')}]`);
}

async function main(): Promise<void> {
  for (const f of [MAIN, POST, SERVER]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first (or \`npm run bench\`)`);
  }
  const machine = machineInfo();
  const loadStart = loadAverage();
  const lookup = findCac(CONFIG.cacDir);
  log(`configure-aws-credentials: ${lookup.cac ? lookup.cac.entry : lookup.why}`);

  let core: ActionsCoreBuild | undefined;
  if (runs('healthy') || runs('memory') || runs('modules')) {
    log('bundling bench/healthy-actions-core.ts with ncc (temporary directory)');
    core = buildActionsCore();
  }

  const issuer = await startOidcIssuer();
  const trust = { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' };
  const sts = await startSts({
    issuer,
    roles: { [ROLE]: { maxSessionDuration: 3 * 3600, trust }, [ROLE_1H]: { maxSessionDuration: 3600, trust } },
  });
  const s: StandIns = { issuer, sts };
  let results: Omit<Results, 'machine' | 'load' | 'totalS' | 'bundles'>;
  try {
    const healthy = core && runs('healthy') ? await benchHealthy(core, s) : undefined;
    const memory = core && runs('memory') ? await benchMemory(core, s) : undefined;
    const modules = core && runs('modules') ? await benchModules(core, s) : undefined;
    const refresh = runs('refresh') ? await benchRefresh(s, lookup.cac, lookup.cac ? '' : lookup.why) : undefined;
    const cache = runs('cache') ? await benchCache(s) : undefined;
    const keepAlive = runs('keepalive') ? await benchKeepAlive(s) : undefined;
    const server = runs('server') ? await benchServer(issuer, sts) : undefined;
    results = { core, healthy, memory, modules, refresh, cache, keepAlive, server };
  } finally {
    await sts.close();
    await issuer.close();
    if (core) rmSync(core.dir, { recursive: true, force: true });
  }

  const bundles = bundleSizes(results.modules?.traces);
  const totalS = (Date.now() - started) / 1000;
  const full: Results = { ...results, machine, load: { start: loadStart, end: loadAverage() }, totalS, bundles };
  const markdown = report(full);
  writeFileSync(join(BENCH, 'results.md'), markdown + '\n');
  writeFileSync(join(BENCH, 'results.json'), compactJson({ config: { ...CONFIG, only: [...CONFIG.only] }, ...full }) + '\n');
  process.stdout.write(markdown + '\n');
  log(`done in ${totalS.toFixed(1)} s; wrote bench/results.md and bench/results.json`);

  const r = full;
  const bad =
    (r.healthy ? r.healthy.runner.failures.length + (r.healthy.noChunkNeeded ? 0 : 1) : 0) +
    (r.memory?.failures.length ?? 0) +
    (r.modules ? r.modules.lists.filter((l) => !l.ok).length + r.modules.traceProblems.length : 0) +
    (r.refresh ? r.refresh.pass.failures.length + (r.refresh.controlWithoutChunks.failed ? 0 : 1) + (r.refresh.withoutSdk.ok ? 0 : 1) : 0) +
    (r.cache?.pass.failures.length ?? 0) +
    (r.keepAlive?.pass.failures.length ?? 0) +
    (r.server?.problems.length ?? 0);
  // Goals not met are findings for the report; only broken runs fail the bench.
  if (bad > 0) process.exitCode = 1;
}

await main();
