/**
 * The main step's run: a later guard step whose session is healthy and whose
 * configuration minted it is done by guard/healthy.ts alone; every other step
 * loads the main step (main-step.ts, a separate chunk) and runs it.
 */
import { keepHealthySession } from './guard/healthy.js';
import { failureMessage, processToolkit, type Toolkit } from './runner/toolkit.js';

export async function run(toolkit: Toolkit = processToolkit(), env: Record<string, string | undefined> = process.env, clock: () => number = Date.now): Promise<void> {
  try {
    if (keepHealthySession({ toolkit, env, clock })) return;
  } catch (error) {
    toolkit.setFailed(failureMessage(error));
    return;
  }
  // Every other path loads chunks: from Node's compile cache under RUNNER_TEMP, so a later step of the job starts warm.
  // (A chunk itself: the private-folder checks behind it are a quarter of the entry's bytes.)
  (await import('./runner/compile-cache.js')).enableCompileCache(env);
  const { runMain } = await import('./main-step.js');
  await runMain(toolkit, env, clock);
}
