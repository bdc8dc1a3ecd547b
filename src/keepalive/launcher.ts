/**
 * Starting the credential server so it outlives the step: detached, stdio
 * ignored, unref'd, so the step ends at once and the runner waits on nothing.
 * The same flags work on Linux, macOS and Windows (windowsHide keeps a console
 * window from opening); the runner still ends it at "Complete job", since it
 * carries the job's RUNNER_TRACKING_ID.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Env } from '../constants.js';

export type Launch = (configPath: string) => number;

/** The server bundle, beside the main bundle: dist/server/index.js. */
export function serverEntry(mainUrl: string): string {
  return fileURLToPath(new URL('../server/index.js', mainUrl));
}

export function detachedLauncher(entry: string, env: NodeJS.ProcessEnv = process.env, node = process.execPath): Launch {
  return (configPath) => {
    const child = spawn(node, [entry], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      env: { ...env, [Env.ServerConfigFile]: configPath },
    });
    child.on('error', () => undefined); // reported through the missing ready note
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start the credential server (${node} ${entry})`);
    return child.pid;
  };
}
