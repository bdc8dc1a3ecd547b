/**
 * scripts/skipped-reporter.mjs: the one line at the end of a run that names
 * what did not run. Checked on its own functions and once in a real Jest run
 * of a small suite that skips a describe block and warns "skipped" in a test.
 */
import { describe, test, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skippedIn, skippedLine } from '../../scripts/skipped-reporter.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('skippedIn', () => {
  const base = { testFilePath: '/repo/__tests__/integration/proxy.test.ts' };

  test('skipped tests: their count, and the warning that says why', () => {
    const r = skippedIn('/repo', {
      ...base,
      testResults: [
        { status: 'pending', title: 'a', ancestorTitles: ['proxy'] },
        { status: 'pending', title: 'b', ancestorTitles: ['proxy'] },
        { status: 'passed', title: 'c', ancestorTitles: [] },
      ],
      console: [{ type: 'log', message: 'hello' }, { type: 'warn', message: 'proxy.test.ts: skipped, it needs root\nmore' }],
    });
    expect(r).toEqual({ file: '__tests__/integration/proxy.test.ts', count: 2, reason: 'proxy.test.ts: skipped, it needs root' });
  });

  test('without a warning, the title of the first skipped test is the reason', () => {
    const r = skippedIn('/repo', { ...base, testResults: [{ status: 'pending', title: 'x', ancestorTitles: ['side by side: skipped, set CAC_DIR'] }] });
    expect(r?.reason).toBe('side by side: skipped, set CAC_DIR > x');
  });

  test('a passing test that warns "skipped" (an early return) counts too', () => {
    const r = skippedIn('/repo', { ...base, testResults: [{ status: 'passed', title: 'x', ancestorTitles: [] }], console: [{ type: 'warn', message: 'skipped: needs root (chown)' }] });
    expect(r).toEqual({ file: '__tests__/integration/proxy.test.ts', count: 0, reason: 'skipped: needs root (chown)' });
  });

  test('nothing skipped: nothing to say', () => {
    expect(skippedIn('/repo', { ...base, testResults: [{ status: 'passed', title: 'x', ancestorTitles: [] }], console: null })).toBeUndefined();
    expect(skippedLine([])).toBeUndefined();
  });
});

test('in a real Jest run, the last line of the output names the skipped suite and why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skipped-reporter-'));
  try {
    writeFileSync(join(dir, 'a.test.js'), "describe.skip('needs root', () => { test('one', () => {}); test('two', () => {}); });\ntest('runs', () => {});\n");
    writeFileSync(join(dir, 'b.test.js'), "test('runs', () => {});\n");
    const config = { rootDir: dir, testMatch: ['<rootDir>/*.test.js'], transform: {}, reporters: ['default', join(ROOT, 'scripts', 'skipped-reporter.mjs')] };
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config)], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toBe('Skipped: a.test.js (2 tests: needs root > one)');
    expect(lines.filter((l) => l.startsWith('Skipped:'))).toHaveLength(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
