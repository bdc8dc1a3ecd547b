/**
 * A guard step (without keep-alive) after a keep-alive step, with no static
 * keys in the environment: the session is the server's. Ask it, rather than
 * AWS_CREDENTIAL_EXPIRATION (which it cleared), and say clearly when it is
 * gone. A server that mints for another identity (role, region, account,
 * session policy) is never taken as this step's session.
 * A server is believed only once it has proven it is the job's own (keepalive/proof.ts).
 */
import { Env, Outputs } from '../constants.js';
import { needOf } from '../lifetime/policy.js';
import { shortfall } from '../report/shortfall.js';
import { formatDuration } from '../settings/duration.js';
import { identityKey } from '../settings/identity.js';
import type { Settings } from '../settings/settings.js';
import type { Toolkit } from '../runner/toolkit.js';
import { summaryLine } from '../report/summary.js';
import { serverClient, type ServerClient } from './client.js';
import { CREDENTIALS_PATH, type ServerStatus } from './credential-server.js';
import { ImpostorError } from './proof.js';
import { lastEventText } from './events.js';
import { serverCoverReason } from './coverage.js';
import { serverHealth } from './server-health.js';
import { existingPrivateFolder, readJson, relativeUriDigest, type ServerRecord } from './files.js';

/** Whether a container-credentials URI is one this action's server hands out. */
export function isServerEndpoint(uri: string | undefined): uri is string {
  if (!uri) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.port !== '' && url.pathname === CREDENTIALS_PATH && !url.search;
}

export type ServerCheck =
  /** The server is ours, running, and covers this step: the step is settled. */
  | { readonly kind: 'settled' }
  /** No server of ours is handed over in this env. */
  | { readonly kind: 'none' }
  /** Our server runs, but for another identity: this step must mint its own session. */
  | { readonly kind: 'other-identity'; readonly serves: string };

export async function checkRunningServer(
  toolkit: Toolkit,
  env: Readonly<Record<string, string | undefined>>,
  settings: Settings,
  clock: () => number = Date.now,
  clientOf: (endpoint: string, token: string, proofKey: string | undefined) => ServerClient = serverClient,
): Promise<ServerCheck> {
  const fullUri = env[Env.ContainerFullUri];
  const relativeUri = env[Env.ContainerRelativeUri];
  if (!isServerEndpoint(fullUri) && !relativeUri) return { kind: 'none' };
  const paths = existingPrivateFolder(env);
  const record = paths ? readJson<ServerRecord>(paths.record) : undefined;
  let endpoint: string;
  let token: string;
  if (isServerEndpoint(fullUri)) {
    endpoint = fullUri;
    token = env[Env.ContainerAuthToken] || (record?.endpoint === endpoint ? record.controlToken : '');
  } else {
    // serve-containers: the relative URI is ours when the record holds its digest; asked on loopback with the control token.
    if (!relativeUri || !record?.endpoint || !record.relativeUriDigest || relativeUriDigest(relativeUri) !== record.relativeUriDigest) return { kind: 'none' };
    endpoint = record.endpoint;
    token = record.controlToken;
  }
  const need = needOf(settings);
  const now = clock();
  // Proven before anything is sent or believed: only the job's record of this endpoint holds the key (keepalive/proof.ts).
  const proofKey = record?.endpoint === endpoint ? record.proofKey : undefined;
  let status: ServerStatus | undefined;
  try {
    status = await clientOf(endpoint, token, proofKey).status();
  } catch (error) {
    if (error instanceof ImpostorError) {
      toolkit.appendSummary(summaryLine({ at: new Date(now), needSeconds: need?.seconds, outcome: "**Failed**: the process on the credential server's port is not this job's server." }));
    }
    throw error;
  }
  if (!status) {
    const message =
      `The keep-alive credential server at ${endpoint}${record ? ` (pid ${record.pid})` : ''} is not running: ` +
      `${paths ? lastEventText(paths) : 'it left no log'}. Later steps get no AWS credentials from it.\n` +
      "Fix: run this action again with 'keep-alive: true' to start a new server (it says why the old one stopped), " +
      'and look at the runner for what ended the process.';
    toolkit.appendSummary(summaryLine({ at: new Date(now), needSeconds: need?.seconds, outcome: '**Failed**: the keep-alive credential server is not running.' }));
    throw new Error(message);
  }
  if (settings.roleToAssume && status.identity !== identityKey(settings)) {
    return { kind: 'other-identity', serves: status.assumedRoleArn || record?.roleArn || 'another role' };
  }
  if (status.expiration) toolkit.setOutput(Outputs.Expiration, status.expiration);
  if (status.remainingSeconds !== undefined) toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
  toolkit.setOutput(Outputs.Refreshed, 'false');
  toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
  const health = serverHealth(status, need, now, serverCoverReason(status.maxSessionSeconds));
  if (health.kind === 'unavailable') {
    toolkit.appendSummary(
      summaryLine({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need?.seconds, outcome: '**Failed**: the keep-alive credential server serves no credentials now.' }),
    );
    throw new Error(health.message);
  }
  if (health.kind === 'short') {
    shortfall(
      { toolkit, failOnShortSession: settings.failOnShortSession, at: now, needSeconds: need?.seconds, title: 'AWS credentials will not last' },
      health.message,
      status.remainingSeconds,
    );
    return { kind: 'settled' };
  }
  if (status.lastError) {
    toolkit.warning(
      `The keep-alive credential server's last refresh failed: ${status.lastError}. It keeps serving the current session while it is valid and retries with backoff.`,
      'Credential server refresh failing',
    );
  }
  toolkit.info(
    `The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session ` +
      `has ${formatDuration(status.remainingSeconds ?? 0)} left. Nothing to do.`,
  );
  toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need?.seconds, outcome: 'Healthy: the keep-alive credential server is running.' }));
  return { kind: 'settled' };
}
