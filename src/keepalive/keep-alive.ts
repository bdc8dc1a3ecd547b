/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Env, Inputs, Outputs, State } from '../constants.js';
import { exportMasked, serverCredentialVariables } from '../export/variables.js';
import { jwtExpiry, MISSING_PERMISSION_MESSAGE } from '../oidc/id-token.js';
import { keepAliveCoverUntil, needOf, sessionCeiling, type Need } from '../lifetime/policy.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import type { Toolkit } from '../runner/toolkit.js';
import { summaryLine } from '../report/summary.js';
import { ShortSessionError } from '../guard/guard.js';
import { processAlive, serverClient } from './client.js';
import type { ServerStatus } from './credential-server.js';
import { keepAlivePaths, readJson, writePrivateFile, type KeepAlivePaths, type ReadyNote, type ServerConfig, type ServerRecord } from './files.js';
import { detachedLauncher, serverEntry, type Launch } from './launcher.js';
import { shadowingFiles } from './shadowing.js';
import { lastEventText } from './events.js';

export interface KeepAliveDeps {
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => number;
  readonly launch?: Launch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long to wait for the server's first credentials (the minter's retries included). */
  readonly readyTimeoutMs?: number;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function coverageMessage(need: Need, coverUntil: number, now: number, why: string): string {
  return (
    `The job can keep AWS credentials coming for ${formatDuration(Math.max(0, (coverUntil - now) / 1000))} more, ` +
    `but the work needs ${formatDuration(need.seconds)} (${need.explanation}): ${why}\n` +
    `Fix: split the work across jobs (each job gets a new OIDC request token), or lower '${Inputs.ExpectedDuration}' if the work is shorter.`
  );
}

/** Everything that decides which credentials a server mints. */
export function servesFor(settings: Settings): string {
  return JSON.stringify([
    settings.roleToAssume?.arn,
    settings.chainedRoleToAssume?.arn ?? null,
    settings.region,
    settings.audience,
    settings.stsEndpoint ?? null,
    settings.roleSessionName,
    settings.inlineSessionPolicy ?? null,
    settings.managedSessionPolicies,
  ]);
}

export async function keepAlive(settings: Settings, deps: KeepAliveDeps): Promise<void> {
  const { toolkit, env, clock } = deps;
  const sleep = deps.sleep ?? sleepMs;
  const need = needOf(settings);
  const now = clock();
  const paths = keepAlivePaths(env);
  const region = settings.region;
  const role = settings.roleToAssume;
  if (!region || !role) throw new Error("keep-alive needs 'role-to-assume' and 'aws-region'");
  const note = (outcome: string, remainingSeconds?: number) =>
    toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need.seconds, outcome }));
  const shortfall = (message: string) => {
    note(`${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message.split('\n')[0]}`);
    if (settings.failOnShortSession) throw new ShortSessionError(message);
    toolkit.warning(message, 'AWS credentials will not last');
  };

  // 1. Can the job mint sessions for long enough? Decided before any network call.
  const requestToken = env[Env.IdTokenRequestToken];
  if (!env[Env.IdTokenRequestUrl] || !requestToken) throw new Error(MISSING_PERMISSION_MESSAGE);
  const tokenExp = jwtExpiry(requestToken);
  const requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
  const ceiling = sessionCeiling(settings);
  const upperCover = keepAliveCoverUntil(requestTokenExpiresAt, ceiling);
  if (upperCover !== undefined && now + need.seconds * 1000 > upperCover) {
    shortfall(
      coverageMessage(
        need,
        upperCover,
        now,
        `GitHub's OIDC request token for this job expires at ${new Date(requestTokenExpiresAt ?? 0).toISOString()}, ` +
          `and the last session minted before then lasts at most ${formatDuration(ceiling)}.`,
      ),
    );
  } else if (requestTokenExpiresAt === undefined) {
    toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
  }
  const expectedUntil = now + need.seconds * 1000;

  // 2. A server already running for this job is reused, never doubled. One for
  // other credentials (another role, region or session policy) is replaced:
  // later steps get what this step asks for, from one server at a time.
  const record = readJson<ServerRecord>(paths.record);
  if (record) {
    const client = serverClient(record.endpoint, record.authToken);
    const alive = processAlive(record.pid);
    if (alive && record.servesFor !== servesFor(settings)) {
      toolkit.info(
        `The keep-alive credential server running in this job (pid ${record.pid}) serves ${record.roleArn} with other settings ` +
          `than this step asks for: stopping it and starting one for ${(settings.chainedRoleToAssume ?? role).arn}.`,
      );
      await client.stop();
      for (let i = 0; i < 40 && processAlive(record.pid); i++) await sleep(50);
    } else {
      const status = alive ? await client.expect(expectedUntil) : undefined;
      if (status) {
        toolkit.setSecret(record.authToken);
        checkCoverage(status, need, now, shortfall);
        handOver(toolkit, env, record.endpoint, record.authToken, region, status);
        toolkit.info(`Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${record.endpoint}); it now expects work until ${new Date(expectedUntil).toISOString()}.`);
        note(`Keep-alive: reused the running credential server, serving until ${status.expiration ?? '?'} and refreshing ahead of expiry.`, status.remainingSeconds);
        return;
      }
      toolkit.warning(
        `The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`,
        'Credential server restarted',
      );
    }
    rmSync(paths.record, { force: true });
  }

  // 3. Start a new server.
  const authToken = randomBytes(32).toString('base64url'); // 256 bits
  toolkit.setSecret(authToken);
  const config: ServerConfig = {
    authToken,
    roleArn: role.arn,
    ...(settings.chainedRoleToAssume && { chainedRoleArn: settings.chainedRoleToAssume.arn }),
    roleSessionName: settings.roleSessionName,
    region,
    ...(settings.stsEndpoint !== undefined && { stsEndpoint: settings.stsEndpoint }),
    audience: settings.audience,
    ...(settings.inlineSessionPolicy !== undefined && { policy: settings.inlineSessionPolicy }),
    policyArns: settings.managedSessionPolicies,
    retryMaxAttempts: settings.retryMaxAttempts,
    expectedUntil,
    ...(requestTokenExpiresAt !== undefined && { requestTokenExpiresAt }),
    paths,
  };
  rmSync(paths.ready, { force: true });
  writePrivateFile(paths.config, JSON.stringify(config), paths.dir);
  const launch = deps.launch ?? detachedLauncher(serverEntry(import.meta.url));
  toolkit.info(`Starting the keep-alive credential server for ${(settings.chainedRoleToAssume ?? role).arn}...`);
  const pid = launch(paths.config);

  const ready = await waitForReady(paths, pid, deps.readyTimeoutMs ?? 120_000, sleep, clock);
  rmSync(paths.config, { force: true });
  if (!ready.ok) {
    rmSync(paths.ready, { force: true });
    throw new Error(`The keep-alive credential server could not start: ${ready.error}`);
  }
  const endpoint = `http://127.0.0.1:${ready.port}/credentials`;
  const client = serverClient(endpoint, authToken);
  const probe = await client.probeCredentials();
  if (probe.status !== 200) {
    await client.stop();
    throw new Error(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`);
  }
  const serverRecord: ServerRecord = {
    pid: ready.pid,
    endpoint,
    authToken,
    startedAt: now,
    roleArn: (settings.chainedRoleToAssume ?? role).arn,
    servesFor: servesFor(settings),
  };
  writePrivateFile(paths.record, JSON.stringify(serverRecord), paths.dir);
  toolkit.saveState(State.ServerStartedHere, 'true');

  const status = (await client.status()) ?? { pid, refreshes: 1, served: 1, refused: 0, expectedUntil };
  try {
    checkCoverage(status, need, now, shortfall);
  } catch (error) {
    await client.stop();
    rmSync(paths.record, { force: true });
    throw error;
  }
  if (ready.maxSessionSeconds !== undefined) {
    toolkit.info(`${role.arn} allows sessions of at most ${formatDuration(ready.maxSessionSeconds)}: the server renews them ahead of expiry.`);
  }
  handOver(toolkit, env, endpoint, authToken, region, status);
  toolkit.info(
    `The keep-alive credential server (pid ${ready.pid}) listens on ${endpoint}. Later steps read credentials from it ` +
      `and refresh by themselves; the current session lasts until ${ready.expiration}.`,
  );
  note(`Keep-alive: started the credential server for ${(settings.chainedRoleToAssume ?? role).arn}, first session until ${ready.expiration}.`, ready.remainingSeconds);
}

function checkCoverage(status: ServerStatus, need: Need, now: number, shortfall: (m: string) => void): void {
  if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
    shortfall(
      coverageMessage(
        need,
        status.coverUntil,
        now,
        `the OIDC request token expires and the role's sessions last at most ${formatDuration(status.maxSessionSeconds ?? 0)}.`,
      ),
    );
  }
}

/** Exports the server's variables and outputs, and warns about anything that would shadow it. */
function handOver(
  toolkit: Toolkit,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string,
  authToken: string,
  region: string,
  status: ServerStatus,
): void {
  const profile = env[Env.Profile];
  if (profile) {
    toolkit.warning(
      `AWS_PROFILE is set to "${profile}": the AWS CLI and SDKs use that profile's credentials, if it has any, before the keep-alive server. ` +
        'Remove AWS_PROFILE from the job (an empty AWS_PROFILE makes the AWS CLI and boto3 fail with ProfileNotFound, so this action cannot clear it for you).',
      'AWS_PROFILE may shadow the credential server',
    );
  }
  for (const file of shadowingFiles(env)) {
    toolkit.warning(
      `${file} has credentials in its default profile. The AWS CLI and SDKs read it before the keep-alive server, ` +
        'so later steps would use those instead: remove it, or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to an empty file.',
      'Shared AWS file shadows the credential server',
    );
  }
  if (status.accountId) toolkit.setOutput(Outputs.AwsAccountId, status.accountId);
  exportMasked(toolkit, serverCredentialVariables(endpoint, authToken, region), [authToken]);
  toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
  toolkit.setOutput(Outputs.Refreshed, 'true');
  if (status.expiration) toolkit.setOutput(Outputs.Expiration, status.expiration);
  if (status.remainingSeconds !== undefined) toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
  if (status.assumedRoleArn) toolkit.setOutput(Outputs.AuthenticatedArn, status.assumedRoleArn);
  if (status.maxSessionSeconds !== undefined) toolkit.setOutput(Outputs.MaxSessionDuration, String(status.maxSessionSeconds));
}

async function waitForReady(
  paths: KeepAlivePaths,
  pid: number,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
  clock: () => number,
): Promise<ReadyNote> {
  const deadline = clock() + timeoutMs;
  for (;;) {
    const note = readJson<ReadyNote>(paths.ready);
    if (note) return note;
    if (!processAlive(pid)) {
      return readJson<ReadyNote>(paths.ready) ?? { ok: false, pid, error: `the server process (pid ${pid}) exited before it was ready: ${lastEventText(paths)}` };
    }
    if (clock() > deadline) {
      try {
        process.kill(pid);
      } catch {
        // already gone
      }
      return { ok: false, pid, error: `no answer within ${Math.round(timeoutMs / 1000)} s: ${lastEventText(paths)}` };
    }
    await sleep(25);
  }
}

