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
  // No compile cache: measured, it costs the job's first refresh step more than it saves a later one (CHANGELOG, bench section 5).
  const { runMain } = await import('./main-step.js');
  await runMain(toolkit, env, clock);
}
