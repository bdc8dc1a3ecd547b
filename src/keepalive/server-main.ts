/**
 * The detached credential server process. It was started with stdio ignored,
 * so it prints nothing (it could not register a mask anyway): what happens
 * goes to its event log, which holds no secrets, and its ready note.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Env } from '../constants.js';
import { githubTokenSource } from '../oidc/id-token.js';
import { parseRoleArn } from '../settings/arn.js';
import { createSdkGateway } from '../sts/sdk-gateway.js';
import { MintError, SessionMinter } from '../sts/minter.js';
import { DEFAULT_RETRY, realRetryDeps } from '../util/retry.js';
import { startCredentialServer, type CredentialServer } from './credential-server.js';
import { fileEventLog } from './events.js';
import type { ReadyNote, ServerConfig } from './files.js';
import { realTimers, Refresher } from './refresher.js';
import { Sts } from '../constants.js';

function writeReady(path: string, note: ReadyNote): void {
  // Written aside and renamed: the main step never reads half a note.
  writeFileSync(path + '.tmp', JSON.stringify(note), { mode: 0o600 });
  renameSync(path + '.tmp', path);
}

function readConfig(): ServerConfig {
  const path = process.env[Env.ServerConfigFile];
  if (!path) throw new Error(`${Env.ServerConfigFile} is not set`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ServerConfig;
  } finally {
    rmSync(path, { force: true }); // it holds the auth token: gone as soon as it is read
  }
}

export async function runServer(): Promise<void> {
  let config: ServerConfig;
  try {
    config = readConfig();
  } catch {
    process.exitCode = 2;
    return;
  }
  const log = fileEventLog(config.paths.log);
  const role = parseRoleArn(config.roleArn);
  const chained = config.chainedRoleArn ? parseRoleArn(config.chainedRoleArn) : undefined;
  if (!role) {
    writeReady(config.paths.ready, { ok: false, pid: process.pid, error: `bad role ARN ${config.roleArn}` });
    return;
  }

  let http: CredentialServer | undefined;
  let expectedUntil = config.expectedUntil;
  let stopping = false;
  const served = () => http?.counts.served ?? 0;

  const gateway = createSdkGateway({ region: config.region, ...(config.stsEndpoint !== undefined && { endpoint: config.stsEndpoint }) });
  const minter = new SessionMinter({
    gateway,
    tokens: githubTokenSource({ env: process.env }),
    audience: config.audience,
    retry: { ...DEFAULT_RETRY, maxAttempts: config.retryMaxAttempts },
    retryDeps: realRetryDeps,
    clock: Date.now,
    onEvent: (e) => {
      if (e.type === 'sts-call') refresher.stsCalls++;
      if (e.type === 'retry') log.write({ type: 'retry', code: e.code, attempt: e.attempt, delayMs: e.delayMs });
    },
  });

  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    refresher.stop();
    log.write({ type: 'stopped', reason, served: served(), refused: http?.counts.refused ?? 0 });
    gateway.close();
    void http?.close();
  };

  const refresher: Refresher = new Refresher({
    mint: (durationSeconds) =>
      minter.mintLongest({
        role,
        chainedRole: chained,
        roleSessionName: config.roleSessionName,
        durationSeconds,
        policy: config.policy,
        policyArns: config.policyArns,
      }),
    sessionSeconds: chained ? Sts.ChainedMaxSeconds : Sts.MaxDurationSeconds,
    clock: Date.now,
    timers: realTimers,
    random: Math.random,
    log,
    requestTokenExpiresAt: config.requestTokenExpiresAt,
    onExhausted: () => stop('the OIDC request token expired and the last session ended'),
    served,
  });

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => undefined); // outlive the step's terminal, if it had one

  let first;
  try {
    first = await refresher.start();
  } catch (error) {
    const message = error instanceof MintError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    log.write({ type: 'unavailable', reason: message.split('\n')[0] ?? message });
    writeReady(config.paths.ready, { ok: false, pid: process.pid, error: message });
    refresher.stop();
    gateway.close();
    return;
  }

  try {
    http = await startCredentialServer({
      authToken: config.authToken,
      available: () => refresher.available(),
      status: () => {
        const c = refresher.credentials;
        const max = refresher.maxSessionSeconds;
        const sessionSeconds = max ?? (chained ? Sts.ChainedMaxSeconds : Sts.MaxDurationSeconds);
        return {
          pid: process.pid,
          ...(c && {
            expiration: new Date(c.expiresAt).toISOString(),
            remainingSeconds: Math.floor((c.expiresAt - Date.now()) / 1000),
            assumedRoleArn: c.assumedRoleArn,
            accountId: c.accountId,
          }),
          ...(max !== undefined && { maxSessionSeconds: max }),
          refreshes: refresher.refreshes,
          served: served(),
          refused: http?.counts.refused ?? 0,
          ...(refresher.lastFailure !== undefined && { lastError: refresher.lastFailure }),
          expectedUntil,
          ...(config.requestTokenExpiresAt !== undefined && {
            coverUntil: Math.max(c?.expiresAt ?? 0, config.requestTokenExpiresAt + Math.min(sessionSeconds, c?.lifetimeSeconds ?? sessionSeconds) * 1000),
          }),
        };
      },
      expect: (until) => {
        expectedUntil = Math.max(expectedUntil, until);
        log.write({ type: 'expected-until', expectedUntil });
      },
      stop: () => stop('stopped by the post step'),
    });
  } catch (error) {
    writeReady(config.paths.ready, { ok: false, pid: process.pid, error: `could not listen on 127.0.0.1: ${(error as Error).message}` });
    refresher.stop();
    gateway.close();
    return;
  }

  log.write({ type: 'started', pid: process.pid, endpoint: http.endpoint });
  writeReady(config.paths.ready, {
    ok: true,
    pid: process.pid,
    port: http.port,
    expiration: new Date(first.expiresAt).toISOString(),
    remainingSeconds: first.lifetimeSeconds,
    assumedRoleArn: first.assumedRoleArn,
    sessionSeconds: first.lifetimeSeconds,
    ...(refresher.maxSessionSeconds !== undefined && { maxSessionSeconds: refresher.maxSessionSeconds }),
  });
}
