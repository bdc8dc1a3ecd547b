/**
 * Starting the credential server so it outlives the step: detached, stdio
 * ignored, unref'd once ready, so the step ends at once and the runner waits
 * on nothing. Its configuration (with the auth token) goes over an IPC
 * channel, never through a file; its ready message comes back the same way,
 * so an older server's answer can never be taken for this one's. While the
 * channel is open, the server watches it: a main step that dies before the
 * hand-over (a step timeout, a crash) takes its server with it.
 *
 * The server gets a minimal environment: what it needs to mint, plus the
 * runner's RUNNER_TRACKING_ID, so "Complete job" still ends it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Env, ProxyEnvNames } from '../constants.js';
import type { ServerConfig, ServerMessage } from './protocol.js';

/** Variables the server keeps from the step's env; everything else (keys, INPUT_*, GITHUB_* file paths) stays behind. */
export const SERVER_ENV_NAMES: readonly string[] = [
  Env.IdTokenRequestUrl,
  Env.IdTokenRequestToken,
  Env.RunnerTrackingId,
  // the platform: where things are, how to reach the network, which CAs to trust
  'PATH',
  'HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'SystemRoot',
  'SYSTEMROOT',
  'LANG',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  ...ProxyEnvNames.https,
  ...ProxyEnvNames.http,
  ...ProxyEnvNames.noProxy,
  Env.UseFipsEndpoint,
  Env.UseDualstackEndpoint,
];

/**
 * What the SDK's default chain reads, kept only for a server whose source is
 * that chain (role-chaining / use-existing-credentials without keys in the env):
 * the profile files, the container endpoint, EC2 instance metadata, web identity.
 */
export const DEFAULT_CHAIN_ENV_NAMES: readonly string[] = [
  Env.Profile,
  Env.ConfigFile,
  Env.SharedCredentialsFile,
  Env.ContainerRelativeUri,
  Env.ContainerFullUri,
  Env.ContainerAuthToken,
  Env.ContainerAuthTokenFile,
  Env.Ec2MetadataEndpoint,
  Env.Ec2MetadataEndpointMode,
  Env.Ec2MetadataDisabled,
  Env.WebIdentityTokenFile,
  Env.RoleArn,
];

export function serverEnvironment(env: Readonly<Record<string, string | undefined>>, extraNames: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...SERVER_ENV_NAMES, ...extraNames]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The server is small and long-lived, and shares the runner's cores with the
 * deploy: a 1 MiB young generation and no V8 helper threads keep its resident
 * memory near a bare node http server's (bench/: "Credential server RSS").
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--single-threaded'];

export type LaunchOutcome = ServerMessage | { readonly type: 'exited'; readonly code: number | null; readonly signal: string | null };

export interface LaunchedServer {
  readonly pid: number;
  send(config: ServerConfig): void;
  /** The server's answer, or its exit before it answered. */
  readonly outcome: Promise<LaunchOutcome>;
  /** Lets the server run on alone: closes the channel and lets this process exit. */
  release(): void;
}

export type Launch = (env: Record<string, string>) => LaunchedServer;

/** The server bundle, beside the main bundle: dist/server/index.js. */
export function serverEntry(mainUrl: string): string {
  return fileURLToPath(new URL('../server/index.js', mainUrl));
}

export function detachedLauncher(entry: string, node = process.execPath): Launch {
  return (env) => {
    const child: ChildProcess = spawn(node, [...SERVER_NODE_FLAGS, entry], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      windowsHide: true,
      env,
    });
    // Every error (a failed spawn, a send on a closed channel) ends up here; the first one is the answer.
    const spawnError = new Promise<LaunchOutcome>((resolve) => child.on('error', (e) => resolve({ type: 'failed', nonce: '', error: e.message })));
    if (child.pid === undefined) throw new Error(`could not start the credential server (${node} ${entry})`);
    const answer = new Promise<LaunchOutcome>((resolve) => {
      child.once('message', (m) => resolve(m as ServerMessage));
      child.once('exit', (code, signal) => resolve({ type: 'exited', code, signal }));
    });
    return {
      pid: child.pid,
      send: (config) => void child.send(config),
      outcome: Promise.race([answer, spawnError]),
      release() {
        child.removeAllListeners('message');
        child.removeAllListeners('exit');
        if (child.connected) child.disconnect();
        child.unref();
      },
    };
  };
}
