/**
 * Preload for the bench's measuring passes (`node --import bench/probe.mjs ...`),
 * given to subject and baseline alike so its own cost is the same on both sides.
 * On exit it writes `<BENCH_PROBE_DIR>/<pid>.json` with:
 *   - maxRSSKiB: peak resident set size (getrusage ru_maxrss), just before exit;
 *   - modules: process.moduleLoadList (built-in modules and bindings loaded);
 *   - files: with BENCH_PROBE_TRACE=1 only, every module URL Node's loader
 *     loaded (module.registerHooks, whose hooks see `require` and `import`
 *     alike), to tell which dist/ chunks a path loads.
 * A process without BENCH_PROBE_DIR in its env writes nothing. Children a step
 * starts inherit the env, not the preload, so only the step's process writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerHooks } from 'node:module';

const dir = process.env.BENCH_PROBE_DIR;
const files = [];
if (dir && process.env.BENCH_PROBE_TRACE === '1') {
  registerHooks({
    load(url, context, nextLoad) {
      files.push(url);
      return nextLoad(url, context);
    },
  });
}
if (dir) {
  process.on('exit', (code) => {
    const record = { pid: process.pid, ppid: process.ppid, argv: process.argv.slice(1), code, maxRSSKiB: process.resourceUsage().maxRSS, modules: process.moduleLoadList, files };
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(record));
  });
}
