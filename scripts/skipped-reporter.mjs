/**
 * A Jest reporter that ends the run with ONE line naming what did not run:
 * every test file with skipped tests (describe.skip / test.skip / todo) or
 * with a console.warn saying "skipped", and the reason. The reason is the
 * file's first warning that says "skipped", else the title of the first
 * skipped test. Nothing is printed when nothing was skipped.
 */
import { writeSync } from 'node:fs';
import { relative } from 'node:path';

const SKIPPED = new Set(['pending', 'skipped', 'todo', 'disabled']);

/** What one test file skipped: { file, count, reason } or undefined. */
export function skippedIn(rootDir, fileResult) {
  const tests = (fileResult.testResults ?? []).filter((t) => SKIPPED.has(t.status));
  const warning = (fileResult.console ?? []).find((entry) => entry.type === 'warn' && /skipped/i.test(entry.message))?.message;
  if (tests.length === 0 && !warning) return undefined;
  const first = tests[0];
  const reason = (warning ?? (first ? [...first.ancestorTitles, first.title].join(' > ') : '')).split('\n')[0].trim();
  return { file: relative(rootDir, fileResult.testFilePath), count: tests.length, reason };
}

/** The line, e.g. `Skipped: __tests__/integration/proxy.test.ts (12 tests: needs root ...); ...`. */
export function skippedLine(items) {
  if (items.length === 0) return undefined;
  const parts = items.map((s) => `${s.file} (${s.count > 0 ? `${s.count} test${s.count === 1 ? '' : 's'}` : 'checks inside tests'}: ${s.reason})`);
  return `Skipped: ${parts.join('; ')}`;
}

export default class SkippedReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.items = [];
  }

  onTestResult(_test, fileResult) {
    const item = skippedIn(this.rootDir, fileResult);
    if (item) this.items.push(item);
  }

  onRunComplete() {
    const line = skippedLine(this.items.sort((a, b) => a.file.localeCompare(b.file)));
    // Jest prints its summary (and the coverage table) after every custom reporter: the line waits for the exit, so
    // it really is the last one.
    if (line) process.once('exit', () => writeSync(2, `${line}\n`));
  }
}
