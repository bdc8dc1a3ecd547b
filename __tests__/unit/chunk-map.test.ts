/**
 * scripts/chunk-map.mjs: the build fails on code that dist/ holds twice
 * without a reason, and the committed dist/chunks.json says what each file
 * holds. The second part reads the committed map and dist/ itself.
 */
import { describe, test, expect } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, moduleKey } from '../../scripts/chunk-map.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('check', () => {
  const map = {
    main: {
      'index.js': { sources: ['src/main.ts'] },
      'refresh.chunk.js': { sources: ['src/guard/refresh.ts', 'src/util/abort.ts'] },
      'mint-kit.chunk.js': { sources: ['src/sts/minter.ts', 'src/util/abort.ts'], modules: ['src/sts/minter.ts', 'src/util/abort.ts', 'node_modules/x/a.js'] },
      'sdk.chunk.js': { sources: [], modules: ['node_modules/x/a.js'] },
    },
    server: { 'index.js': { sources: ['src/server.ts'] }, 'sdk.chunk.js': { sources: [] } },
  };

  test('a module in two chunks, an npm module in two chunks and a chunk in two bundles are each a problem', () => {
    const { problems } = check(map, {});
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^src\/util\/abort\.ts sits in 2 chunks of dist\/main \(refresh\.chunk\.js, mint-kit\.chunk\.js\).*scripts\/chunk-allow\.json/);
    expect(problems[1]).toMatch(/^node_modules\/x\/a\.js sits in 2 chunks of dist\/main/);
    expect(problems[2]).toMatch(/^sdk\.chunk\.js is in dist\/main and dist\/server; share it, or give the reason under "sharedChunks"/);
  });

  test('a listed reason clears it and is carried into the map', () => {
    const allow = { duplicatedModules: { 'src/util/abort.ts': 'small', 'node_modules/x/a.js': 'tiny' }, sharedChunks: { 'sdk.chunk.js': 'two builds' } };
    const { problems, reasons } = check(map, allow);
    expect(problems).toEqual([]);
    expect(reasons).toEqual({ duplicatedModules: { 'src/util/abort.ts': 'small', 'node_modules/x/a.js': 'tiny' }, sharedChunks: { 'sdk.chunk.js': 'two builds' } });
  });

  test('a reason for something no longer there is a problem too', () => {
    const allow = { duplicatedModules: { 'src/util/abort.ts': 'small', 'node_modules/x/a.js': 'tiny', 'src/gone.ts': 'stale' }, sharedChunks: { 'sdk.chunk.js': 'two builds', 'old.chunk.js': 'stale' } };
    expect(check(map, allow).problems).toEqual([
      'scripts/chunk-allow.json gives a reason for src/gone.ts under "duplicatedModules", but it no longer sits in two chunks: remove the entry',
      'scripts/chunk-allow.json gives a reason for old.chunk.js under "sharedChunks", but no two bundles carry it now: remove the entry',
    ]);
  });

  test('module names from webpack are keyed the same wherever node_modules lives', () => {
    expect(moduleKey('../main/node_modules/@aws-sdk/client-sts/dist-cjs/index.js')).toBe('node_modules/@aws-sdk/client-sts/dist-cjs/index.js');
    expect(moduleKey('./src/guard/refresh.ts')).toBe('src/guard/refresh.ts');
  });
});

describe('the committed dist/chunks.json', () => {
  const map = JSON.parse(readFileSync(join(ROOT, 'dist', 'chunks.json'), 'utf8')) as {
    bundles: Record<string, Record<string, { sources: string[] }>>;
    reasons: { duplicatedModules: Record<string, string>; sharedChunks: Record<string, string> };
  };

  test('lists every file of every bundle, and every lazily loaded file has a name, not a number', () => {
    for (const [bundle, files] of Object.entries(map.bundles)) {
      const onDisk = readdirSync(join(ROOT, 'dist', bundle)).filter((f) => f.endsWith('.js'));
      expect(onDisk.sort()).toEqual(Object.keys(files).sort());
      for (const f of onDisk) expect(f).toMatch(/^(index\.js|[a-z][a-z0-9-]*\.chunk\.js)$/);
    }
    expect(Object.keys(map.bundles.main ?? {}).length).toBeGreaterThan(3);
  });

  test('every source module of src/ it names exists, and a module twice in one bundle has its reason', () => {
    for (const [bundle, files] of Object.entries(map.bundles)) {
      const seen = new Map<string, number>();
      for (const { sources } of Object.values(files)) {
        for (const s of sources) {
          expect(existsSync(join(ROOT, s))).toBe(true);
          seen.set(s, (seen.get(s) ?? 0) + 1);
        }
      }
      for (const [s, n] of seen) if (n > 1) expect([bundle, s, map.reasons.duplicatedModules[s]]).toEqual([bundle, s, expect.any(String)]);
    }
  });
});
