/**
 * The post step: stop the credential server this action instance started,
 * write its session timeline to the job summary, and remove every file that
 * held a secret.
 */
import { rmSync } from 'node:fs';
import { State } from '../constants.js';
import { processToolkit, type Toolkit } from '../runner/toolkit.js';
import { processAlive, serverClient } from './client.js';
import { lastEventText, readEventLog } from './events.js';
import { keepAlivePaths, readJson, type ServerRecord } from './files.js';
import { timelineMarkdown } from '../report/timeline.js';

export interface PostDeps {
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export async function post(deps: PostDeps): Promise<void> {
  const { toolkit, env } = deps;
  if (toolkit.getState(State.ServerStartedHere) !== 'true') return;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const paths = keepAlivePaths(env);
  const record = readJson<ServerRecord>(paths.record);
  try {
    if (record) {
      const stopped = await serverClient(record.endpoint, record.authToken).stop();
      if (!stopped) {
        toolkit.warning(
          `The keep-alive credential server (pid ${record.pid}) stopped before the end of the job: ${lastEventText(paths)}. ` +
            'Steps that ran after that got no credentials from it.',
          'Credential server stopped early',
        );
      }
      for (let i = 0; i < 40 && processAlive(record.pid); i++) await sleep(50);
      if (processAlive(record.pid)) {
        try {
          process.kill(record.pid);
        } catch {
          // gone meanwhile
        }
      }
      toolkit.info(stopped ? `Stopped the keep-alive credential server (pid ${record.pid}).` : 'The keep-alive credential server was not running.');
    }
    const events = readEventLog(paths.log);
    if (events.length > 0) toolkit.appendSummary(timelineMarkdown(events));
  } finally {
    rmSync(paths.dir, { recursive: true, force: true });
  }
}

export async function runPost(): Promise<void> {
  const toolkit = processToolkit();
  try {
    await post({ toolkit, env: process.env });
  } catch (error) {
    toolkit.warning(`aws-session-guard post step: ${(error as Error).message}`);
  }
}
