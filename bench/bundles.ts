/**
 * Bundle sizes, and which files each path loads: the entry's static chunk
 * references (what the build can load at all; files left over from older
 * builds are marked stale) and, when traced, the files each path really
 * loaded (bench/probe.mjs with BENCH_PROBE_TRACE=1).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './context.js';

export interface BundleFile {
  readonly file: string;
  readonly bytes: number;
  readonly label: string;
  /** Reachable from its entry through chunk references (false: a leftover of an older build). */
  readonly referenced: boolean;
  /** Paths (healthy, refresh, keep-alive...) that loaded this file, when traced. */
  readonly loadedOn: string[] | undefined;
  readonly awsSdkMentions: number;
}

/** Recognisable definitions, to say what a lazy chunk holds. */
const CHUNK_HINTS: readonly [RegExp, string][] = [
  [/function runMain\(/, 'the full main step (settings, guard)'],
  [/function keepAlive\(/, 'keep-alive start-up'],
  [/function checkRunningServer\(/, 'running-server check'],
  [/function createStsGateway\(/, 'STS gateway'],
  [/function assumeRoleWithWebIdentityQuery\(/, 'STS Query client (AssumeRoleWithWebIdentity without the SDK)'],
  [/function createSdkGateway\(/, 'SDK gateway (AssumeRole)'],
  [/class SessionMinter\b/, 'session minter'],
  [/function githubTokenSource\(/, 'ID-token client'],
  [/function serverClient\(/, 'server client'],
  [/function retry\w*\(/, 'retry'],
  [/function refresh\(/, "guard: refresh and input keys' hand-over"],
  [/function checkProfileWritable\(/, 'aws-profile files'],
  [/function unsetCurrentCredentials\(/, 'configure-aws-credentials delivery (outputs, unset, allowed accounts)'],
];

/** Files traced per path: path name → file URLs loaded. */
export type Traces = Record<string, readonly string[]>;

export function bundleSizes(traces: Traces | undefined): BundleFile[] {
  const out: BundleFile[] = [];
  for (const bundle of ['main', 'post', 'server']) {
    const dir = join(ROOT, 'dist', bundle);
    const texts = new Map(
      readdirSync(dir)
        .filter((f) => f.endsWith('.js'))
        .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const),
    );
    // The files this build wrote: scripts/build.mjs lists every chunk of a bundle in dist/chunks.json.
    const map = JSON.parse(readFileSync(join(ROOT, 'dist', 'chunks.json'), 'utf8')) as { bundles: Record<string, Record<string, unknown>> };
    const reachable = new Set<string>(Object.keys(map.bundles[bundle] ?? { 'index.js': {} }));
    const mentions = (text: string) => text.split('@aws-sdk').length - 1;
    const sdkChunk = [...texts]
      .filter(([f, t]) => f !== 'index.js' && reachable.has(f) && mentions(t) > 0)
      .sort(([, a], [, b]) => mentions(b) - mentions(a) || b.length - a.length)[0]?.[0];
    const files = [...texts.keys()].sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)));
    for (const f of files) {
      const text = texts.get(f) ?? '';
      const path = join(dir, f);
      const url = pathToFileURL(path).href;
      const hints = CHUNK_HINTS.filter(([re]) => re.test(text)).map(([, h]) => h);
      let label: string;
      if (f === 'index.js') {
        label = bundle === 'main' ? 'main entry (loaded on every run: the healthy path\'s bytes)' : bundle === 'post' ? 'post entry' : 'credential server entry';
      } else if (!reachable.has(f)) {
        label = 'stale: not referenced by this build (left over in dist/)';
      } else if (f === sdkChunk) {
        label = 'lazy chunk: AWS SDK';
      } else {
        label = `lazy chunk${hints.length ? `: ${hints.join(', ')}` : ''}`;
      }
      out.push({
        file: relative(ROOT, path),
        bytes: statSync(path).size,
        label,
        referenced: reachable.has(f),
        loadedOn: traces ? Object.entries(traces).filter(([, urls]) => urls.includes(url)).map(([name]) => name) : undefined,
        awsSdkMentions: mentions(text),
      });
    }
  }
  return out;
}
