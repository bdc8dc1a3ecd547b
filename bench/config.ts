/**
 * Sizes of the bench, from the environment. Defaults take about two minutes
 * on a 2-core machine (plus `npm run build`); BENCH_QUICK=1 shrinks every default for a smoke run.
 *
 *   BENCH_WARMUP            discarded warm-up iterations per timing pass (3)
 *   BENCH_HEALTHY_N         healthy path iterations, runner-shaped (60)
 *   BENCH_MEMORY_N          peak-RSS iterations (15)
 *   BENCH_REFRESH_N         refresh path (and configure-aws-credentials) iterations (30)
 *   BENCH_CACHE_N           compile cache iterations (60: the effect is a few per cent, so more runs than elsewhere)
 *   BENCH_KEEPALIVE_N       keep-alive start iterations (15)
 *   BENCH_LOAD_ROUNDS       credential server load rounds (7)
 *   BENCH_LOAD_MS           recorded duration of one load round, ms (3000)
 *   BENCH_ONLY              comma-separated sections to run: healthy, memory,
 *                           modules, refresh, cache, keepalive, server (all)
 *   CAC_DIR                 a checkout of aws-actions/configure-aws-credentials
 *                           (its committed dist/index.js is run); unset: not measured
 */

const quick = process.env['BENCH_QUICK'] === '1';

function count(name: string, normal: number, small: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return quick ? small : normal;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw}: expected a whole number`);
  return n;
}

export const SECTIONS = ['healthy', 'memory', 'modules', 'refresh', 'cache', 'keepalive', 'server'] as const;
export type Section = (typeof SECTIONS)[number];

function only(): ReadonlySet<Section> {
  const raw = process.env['BENCH_ONLY'];
  if (!raw) return new Set(SECTIONS);
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return new Set(names as Section[]);
}

export const CONFIG = {
  quick,
  warmup: count('BENCH_WARMUP', 3, 1),
  healthyN: count('BENCH_HEALTHY_N', 60, 5),
  memoryN: count('BENCH_MEMORY_N', 15, 3),
  refreshN: count('BENCH_REFRESH_N', 30, 3),
  cacheN: count('BENCH_CACHE_N', 60, 3),
  keepAliveN: count('BENCH_KEEPALIVE_N', 15, 2),
  loadRounds: count('BENCH_LOAD_ROUNDS', 7, 2),
  loadDurationMs: count('BENCH_LOAD_MS', 3000, 1000),
  loadWarmupMs: 500,
  loadConcurrency: 16,
  only: only(),
  cacDir: process.env['CAC_DIR'] || undefined,
} as const;

export const runs = (section: Section): boolean => CONFIG.only.has(section);
