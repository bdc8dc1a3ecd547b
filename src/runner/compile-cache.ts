/**
 * Node's compile cache for the lazily loaded chunks (the full main step, the
 * minting code, the AWS SDK), kept under RUNNER_TEMP for the whole job:
 * src/main-run.ts turns it on before it loads the first chunk, so the first
 * step that mints pays for compiling them and later guard and keep-alive
 * steps start warm (the healthy shortcut loads no chunk and never turns it
 * on). Only in a private folder of the runner user (a cache someone else could
 * write would be code they could run); an optimisation, so any problem just
 * leaves it off.
 */
import { join } from 'node:path';
import * as nodeModule from 'node:module';
import { Env } from '../constants.js';
import { ensurePrivateFolder } from '../util/private-folder.js';

export const COMPILE_CACHE_DIR = 'aws-session-guard-compile-cache';

type Enable = (dir: string) => unknown;

/** Turns the cache on; returns its folder, or undefined when it stays off (no RUNNER_TEMP, Node < 22.1, unsafe folder). */
export function enableCompileCache(
  env: Readonly<Record<string, string | undefined>>,
  enable: Enable | undefined = (nodeModule as { enableCompileCache?: Enable }).enableCompileCache,
): string | undefined {
  const temp = env[Env.RunnerTemp];
  if (!temp || !enable) return undefined;
  const dir = join(temp, COMPILE_CACHE_DIR);
  try {
    ensurePrivateFolder(dir);
    enable(dir);
    return dir;
  } catch {
    return undefined;
  }
}
