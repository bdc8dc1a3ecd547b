/**
 * A guard step (without keep-alive) after a keep-alive step: the session is
 * the server's. Ask it, rather than AWS_CREDENTIAL_EXPIRATION (which it
 * cleared), and say clearly when it is gone.
 */
import { Env, Outputs } from '../constants.js';
import { needOf } from '../lifetime/policy.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import type { Toolkit } from '../runner/toolkit.js';
import { summaryLine } from '../report/summary.js';
import { ShortSessionError } from '../guard/guard.js';
import { serverClient } from './client.js';
import { lastEventText } from './events.js';
import { keepAlivePaths, readJson, type ServerRecord } from './files.js';

/** True when the credential server of this job was found and the step is settled; false when the URI is not ours. */
export async function checkRunningServer(
  toolkit: Toolkit,
  env: Readonly<Record<string, string | undefined>>,
  settings: Settings,
  clock: () => number = Date.now,
): Promise<boolean> {
  const paths = keepAlivePaths(env);
  const endpoint = env[Env.ContainerFullUri];
  const record = readJson<ServerRecord>(paths.record);
  const ours = !!endpoint && /^http:\/\/127\.0\.0\.1:\d+\/credentials$/.test(endpoint);
  if (!ours) return false;
  const need = needOf(settings);
  const now = clock();
  const token = env[Env.ContainerAuthToken] ?? record?.authToken ?? '';
  const status = await serverClient(endpoint, token).status();
  if (!status) {
    const message =
      `The keep-alive credential server at ${endpoint}${record ? ` (pid ${record.pid})` : ''} is not running: ` +
      `${lastEventText(paths)}. Later steps get no AWS credentials from it.\n` +
      "Fix: run this action again with 'keep-alive: true' to start a new server (it says why the old one stopped), " +
      'and look at the runner for what ended the process.';
    toolkit.appendSummary(summaryLine({ at: new Date(now), needSeconds: need.seconds, outcome: '**Failed**: the keep-alive credential server is not running.' }));
    throw new Error(message);
  }
  if (status.expiration) toolkit.setOutput(Outputs.Expiration, status.expiration);
  if (status.remainingSeconds !== undefined) toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
  toolkit.setOutput(Outputs.Refreshed, 'false');
  toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
  if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
    const message =
      `The keep-alive credential server can mint sessions until about ${new Date(status.coverUntil).toISOString()}, ` +
      `${formatDuration((status.coverUntil - now) / 1000)} from now, but the work needs ${formatDuration(need.seconds)} (${need.explanation}).`;
    toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: `${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message}` }));
    if (settings.failOnShortSession) throw new ShortSessionError(message);
    toolkit.warning(message);
    return true;
  }
  toolkit.info(
    `The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session ` +
      `has ${formatDuration(status.remainingSeconds ?? 0)} left${status.lastError ? ` (last refresh error: ${status.lastError})` : ''}. Nothing to do.`,
  );
  toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: 'Healthy: the keep-alive credential server is running.' }));
  return true;
}
