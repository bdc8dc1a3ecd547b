/** Wires the guard to the real world: the process's runner protocol, clock, STS and GitHub OIDC. */
import { Env } from '../constants.js';
import { processToolkit, type Toolkit } from '../runner/toolkit.js';
import { readSettings, type Settings } from '../settings/settings.js';
import { githubTokenSource, type IdToken } from '../oidc/id-token.js';
import type { SessionMinter } from '../sts/minter.js';
import { DEFAULT_RETRY, realRetryDeps } from '../util/retry.js';
import { guard, type GuardDeps } from './guard.js';

/** The real minter for a step's env: loads the AWS SDK as a separate chunk, only when a session must be minted. */
export const minterLoader =
  (env: Readonly<Record<string, string | undefined>>) =>
  async (settings: Settings, onToken: (token: IdToken) => void): Promise<SessionMinter> => {
    const [{ createSdkGateway }, { SessionMinter }] = await Promise.all([
      import('../sts/sdk-gateway.js'),
      import('../sts/minter.js'),
    ]);
    if (!settings.region) throw new Error('aws-region is required to reach STS');
    return new SessionMinter({
      gateway: createSdkGateway({ region: settings.region, ...(settings.stsEndpoint !== undefined && { endpoint: settings.stsEndpoint }) }),
      tokens: githubTokenSource({ env }),
      audience: settings.audience,
      retry: { ...DEFAULT_RETRY, maxAttempts: settings.retryMaxAttempts },
      retryDeps: realRetryDeps,
      clock: Date.now,
      onToken,
    });
  };

export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function runMain(toolkit: Toolkit = processToolkit(), env = process.env): Promise<void> {
  try {
    const settings = readSettings((name) => toolkit.getInput(name), env);
    const deps: GuardDeps = { toolkit, env, clock: Date.now, loadMinter: minterLoader(env) };
    if (settings.keepAlive) {
      const { keepAlive } = await import('../keepalive/index.js');
      await keepAlive(settings, deps);
      return;
    }
    if (env[Env.ContainerFullUri]) {
      const { checkRunningServer } = await import('../keepalive/index.js');
      const alive = await checkRunningServer(toolkit, env, settings);
      if (alive) return;
    }
    await guard(settings, deps);
  } catch (error) {
    toolkit.setFailed(failureMessage(error));
  }
}
