/**
 * The main step: read the settings, mask what must never be printed, then
 * run keep-alive, or the guard (after asking a running keep-alive server, if
 * one was handed over). A chunk itself, loaded by main-run.ts whenever the
 * healthy shortcut does not apply. The AWS SDK, node:http and the keep-alive
 * code are separate chunks, loaded only on the paths that need them: the
 * healthy guard path loads none of them.
 */
import { Env, Inputs } from './constants.js';
import { accountIdsToMask } from './export/variables.js';
import { proxySecrets } from './net/proxy.js';
import { guard, type GuardDeps } from './guard/guard.js';
import type { IdToken } from './oidc/token.js';
import { failureMessage, processToolkit, type Toolkit } from './runner/toolkit.js';
import { readSettings, type Settings } from './settings/settings.js';
import { settingsEnv } from './settings/step-config.js';
import type { SessionMinter } from './sts/minter.js';
import { resolveStsEndpoint } from './sts/endpoint.js';
import { sourceSecretInputs } from './settings/source.js';
import { assumeRoleOnlyNote } from './guard/messages.js';
import { identityKey } from './settings/identity.js';

/** The real minter for a step's env: loads the minting chunk only when a session must be minted, and the AWS SDK (another chunk) only for a signed AssumeRole. */
export const minterLoader =
  (env: Readonly<Record<string, string | undefined>>) =>
  async (settings: Settings, onToken: (token: IdToken) => void): Promise<SessionMinter> => {
    const { createStsGateway, SessionMinter, mintingSourceOf, sourceMinterDeps, DEFAULT_RETRY, realRetryDeps } = await import('./sts/mint-kit.js');
    // Keys handed on without a role need STS only for GetCallerIdentity, which every region (and the global endpoint's us-east-1) answers.
    const region = settings.region ?? (settings.roleToAssume ? undefined : 'us-east-1');
    if (!region) throw new Error('aws-region is required to reach STS');
    const endpoint = resolveStsEndpoint(settings, env);
    return new SessionMinter({
      gateway: createStsGateway({ region, ...(endpoint !== undefined && { endpoint }), proxy: settings.proxy, env }),
      ...sourceMinterDeps(mintingSourceOf(settings.source, env, identityKey(settings)), { env, proxy: settings.proxy }),
      audience: settings.audience,
      retry: { ...DEFAULT_RETRY, maxAttempts: settings.retryMaxAttempts },
      retryDeps: realRetryDeps,
      clock: Date.now,
      onToken,
    });
  };

export function timeoutMessage(seconds: number): string {
  return `'${Inputs.ActionTimeoutS}': the step did not finish within ${seconds} s and stopped; nothing was exported. Raise the timeout or find what is slow (STS, the OIDC token request, a proxy).`;
}

export async function runMain(
  toolkit: Toolkit = processToolkit(),
  env: Record<string, string | undefined> = process.env,
  clock: () => number = Date.now,
): Promise<void> {
  let timeoutSeconds: number | undefined;
  let signal: AbortSignal | undefined;
  try {
    // Keys given as inputs are masked first thing, before any message could hold one.
    for (const secret of sourceSecretInputs((name) => toolkit.getInput(name))) toolkit.setSecret(secret);
    const settings = readSettings((name) => toolkit.getInput(name), settingsEnv(env));
    for (const accountId of accountIdsToMask(settings)) toolkit.setSecret(accountId);
    // A proxy URL may hold a password: masked before anything else is printed.
    for (const secret of proxySecrets(settings.proxy)) toolkit.setSecret(secret);
    // action-timeout-s: one signal for the whole step, passed down to every network wait (an unref'd timer).
    timeoutSeconds = settings.actionTimeoutSeconds;
    signal = timeoutSeconds !== undefined ? AbortSignal.timeout(timeoutSeconds * 1000) : undefined;
    // configure-aws-credentials clears these first, and only when it exports variables at all (src/index.ts, src/helpers.ts unsetCredentials).
    if (settings.unsetCurrentCredentials && settings.outputEnvCredentials) (await import('./export/cac-delivery.js')).unsetCurrentCredentials(toolkit, env);
    const note = assumeRoleOnlyNote(settings);
    if (note) toolkit.warning(note, 'Session tags not sent');
    const deps: GuardDeps = { toolkit, env, clock, loadMinter: minterLoader(env), ...(signal && { signal }) };
    // Input keys without a role are handed on as they are (by the guard): nothing to keep alive.
    if (settings.keepAlive && (settings.roleToAssume || settings.source.kind !== 'static-keys')) {
      const { keepAlive } = await import('./keepalive/index.js');
      await keepAlive(settings, deps);
      return;
    }
    // Static keys come first in every SDK chain: with keys in the env, they are the session, whatever server runs.
    const keysAsTheyAre = !settings.roleToAssume && settings.source.kind === 'static-keys';
    if ((env[Env.ContainerFullUri] || env[Env.ContainerRelativeUri]) && !env[Env.AccessKeyId] && !keysAsTheyAre) {
      const { checkRunningServer } = await import('./keepalive/index.js');
      const check = await checkRunningServer(toolkit, env, settings);
      if (check.kind === 'settled') return;
      if (check.kind === 'other-identity') {
        toolkit.info(
          `The keep-alive credential server running in this job serves ${check.serves}, not what this step asks for: ` +
            'this step mints its own session and exports static keys, which come before the server in every SDK chain.',
        );
      }
    }
    await guard(settings, deps);
  } catch (error) {
    toolkit.setFailed(signal?.aborted && timeoutSeconds !== undefined ? timeoutMessage(timeoutSeconds) : failureMessage(error));
  }
}
