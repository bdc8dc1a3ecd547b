// Load generator for the bench, run as its own child process:
//   node bench/loadgen.mjs '{"url":"http://127.0.0.1:PORT/credentials","token":"...","concurrency":16,"warmupMs":500,"durationMs":3000}'
// Keeps `concurrency` GET requests in flight over a keep-alive Agent, first for
// warmupMs (not recorded), then for durationMs, recording each request's
// latency (request start to last body byte). Prints one JSON line and exits.
// Loopback only; bounded by time and by maxRequests.
import http from 'node:http';

const opts = JSON.parse(process.argv[2] ?? '{}');
const url = new URL(opts.url);
if (url.hostname !== '127.0.0.1') throw new Error('loadgen: loopback only');
const concurrency = opts.concurrency ?? 16;
const warmupMs = opts.warmupMs ?? 500;
const durationMs = opts.durationMs ?? 3000;
const maxRequests = opts.maxRequests ?? 5_000_000;
const headers = opts.token ? { Authorization: opts.token } : {};

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
const now = () => Number(process.hrtime.bigint()) / 1e6;

const latencies = new Float64Array(Math.min(maxRequests, 4_000_000));
let recorded = 0;
let started = 0;
let non200 = 0;
let errors = 0;
let bodyBytes = 0;
let completedTotal = 0; // warm-up included
const statuses = {};

function one() {
  return new Promise((resolve) => {
    const t0 = now();
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'GET', agent, headers },
      (res) => {
        let n = 0;
        res.on('data', (c) => (n += c.length));
        res.on('end', () => resolve({ t0, t1: now(), status: res.statusCode ?? 0, n }));
        res.on('error', () => resolve({ t0, t1: now(), status: -1, n }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ t0, t1: now(), status: -1, n: 0 }));
    req.end();
  });
}

const begin = now();
const measureFrom = begin + warmupMs;
const measureUntil = measureFrom + durationMs;
let lastEnd = measureFrom;

async function worker() {
  while (started < maxRequests) {
    const t = now();
    if (t >= measureUntil) return;
    started++;
    const r = await one();
    completedTotal++;
    if (r.t0 < measureFrom) continue; // warm-up
    if (r.t1 > lastEnd) lastEnd = r.t1;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === -1) errors++;
    else if (r.status !== 200) non200++;
    else bodyBytes = r.n;
    if (recorded < latencies.length) latencies[recorded++] = r.t1 - r.t0;
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();

const sorted = latencies.slice(0, recorded).sort();
const q = (p) => (recorded ? sorted[Math.min(recorded - 1, Math.floor(p * (recorded - 1) + 0.5))] : NaN);
const windowMs = lastEnd - measureFrom;
process.stdout.write(
  JSON.stringify({
    requests: recorded,
    completedTotal,
    ok: statuses[200] ?? 0,
    non200,
    errors,
    statuses,
    bodyBytes,
    windowMs,
    rps: recorded / (windowMs / 1000),
    p50Ms: q(0.5),
    p90Ms: q(0.9),
    p99Ms: q(0.99),
    maxMs: recorded ? sorted[recorded - 1] : NaN,
    meanMs: recorded ? sorted.reduce((a, b) => a + b, 0) / recorded : NaN,
  }) + '\n',
);
