/**
 * The detached credential server process. It was started with stdio ignored,
 * so it prints nothing (it could not register a mask anyway): what happens
 * goes to its event log, which holds no secrets, and its one answer to the
 * main step goes over the IPC channel.
 *
 * `runServer` takes every collaborator (the channel, env, clock, timers, the
 * minter, the event log, the HTTP listener, process control), so tests run it
 * in-process.
 */
import { sessionCeiling } from '../lifetime/policy.js';
import { keepAliveCoverUntil } from '../lifetime/keep-alive-policy.js';
import { parseRoleArn, type RoleArn } from '../model/arn.js';
import type { LongestSession, MintEvent, MintPlan } from '../sts/minter.js';
import type { CredentialServer, CredentialServerHandlers, ServerStatus } from './credential-server.js';
import type { EventLog } from './events.js';
import { pathsIn } from './files.js';
import { refusalReporter } from './peer-guard.js';
import { isServerConfig, type ServerConfig, type ServerMessage } from './protocol.js';
import { Refresher, type Timers } from './refresher.js';
import { redactTokens } from '../util/redact.js';
import { readClocks, remainingMs, servedExpiration } from './session-clock.js';

/** The server's side of the IPC channel to the main step. */
export interface ParentChannel {
  /** The start-up configuration; rejects when the main step goes away first. */
  receive(): Promise<ServerConfig>;
  send(message: ServerMessage): Promise<void>;
  /** Called when the main step goes away (a timeout or a crash kills it before the hand-over). */
  onLost(listener: () => void): void;
  /** Ends the channel: the server runs on alone. */
  close(): void;
}

export interface Minting {
  mintLongest(plan: MintPlan, signal: AbortSignal): Promise<LongestSession>;
  /** Releases pooled connections. */
  close(): void;
}

export interface ServerProcessControl {
  readonly pid: number;
  onSignal(signal: NodeJS.Signals, listener: () => void): void;
  /** An uncaught exception or unhandled rejection: the listener runs, then `exit` ends the process. */
  onFatal(listener: (kind: 'uncaughtException' | 'unhandledRejection', error: unknown) => void): void;
  exit(code: number): void;
}

export interface ServerDeps {
  readonly channel: ParentChannel;
  readonly clock: () => number;
  /** The monotonic clock (ms; performance.now): expiry and refresh are decided on it (session-clock.ts). */
  readonly monotonic: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly createMinter: (config: ServerConfig, onEvent: (event: MintEvent) => void) => Minting;
  readonly eventLog: (path: string) => EventLog;
  readonly listen: (handlers: CredentialServerHandlers) => Promise<CredentialServer>;
  readonly process: ServerProcessControl;
}

/** A one-line reason, with no stack: for the event log, which holds no secrets. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0] ?? ''}`;
  return String(error).split('\n')[0] ?? '';
}

export async function runServer(deps: ServerDeps): Promise<void> {
  const { channel, clock, process: proc } = deps;
  let config: ServerConfig;
  try {
    config = await channel.receive();
    if (!isServerConfig(config)) throw new Error('malformed start-up configuration');
  } catch {
    // Nobody to tell, and nowhere to log: the main step reports a server that exited before it answered.
    proc.exit(2);
    return;
  }
  const log = deps.eventLog(pathsIn(config.dir).log);
  proc.onFatal((kind, error) => {
    log.write({ type: 'crashed', reason: redactTokens(`${kind}: ${reasonOf(error)}`) });
    proc.exit(70);
  });

  const answer = (message: ServerMessage) => channel.send(message).catch(() => undefined);
  // No ID token reaches the log, the summary or the main step's error, even inside an error message.
  const fail = async (message: string) => {
    const error = redactTokens(message);
    log.write({ type: 'unavailable', reason: error.split('\n')[0] ?? error });
    await answer({ type: 'failed', nonce: config.nonce, error });
    shutDown();
  };

  const role: RoleArn | undefined = parseRoleArn(config.roleArn);
  const chained = config.chainedRoleArn ? parseRoleArn(config.chainedRoleArn) : undefined;
  if (!role || (config.chainedRoleArn && !chained)) {
    await answer({ type: 'failed', nonce: config.nonce, error: `bad role ARN in the start-up configuration` });
    channel.close();
    return;
  }
  const ceiling = sessionCeiling(chained ? { chainedRoleToAssume: chained } : {});

  let http: CredentialServer | undefined;
  let expectedUntil = config.expectedUntil;
  let handedOver = false;
  let stopping = false;
  /** Set once this side lets go: closing the channel fires its 'disconnect' here too, which is not the main step going away. */
  let shuttingDown = false;
  const served = () => http?.counts.served ?? 0;

  const minting = deps.createMinter(config, (e) => {
    if (e.type === 'sts-call') refresher.stsCalls++;
    if (e.type === 'retry') log.write({ type: 'retry', code: e.code, attempt: e.attempt, delayMs: e.delayMs });
    if (e.type === 'tags-dropped') log.write({ type: 'tags-dropped', keys: e.keys });
  });

  const refresher: Refresher = new Refresher({
    mint: (durationSeconds, signal) =>
      minting.mintLongest(
        {
          role,
          chainedRole: chained,
          roleSessionName: config.roleSessionName,
          durationSeconds,
          policy: config.policy,
          policyArns: config.policyArns,
          assumeRoleExtras: config.assumeRoleExtras,
        },
        signal,
      ),
    sessionSeconds: Math.min(ceiling, config.sessionSeconds),
    clock,
    monotonic: deps.monotonic,
    timers: deps.timers,
    random: deps.random,
    log,
    sourceEndsAt: config.sourceEndsAt,
    onExhausted: () => stop(config.source ? 'the credential source ended and the last session ended' : 'the OIDC request token expired and the last session ended'),
    served,
  });

  /** Releases everything that keeps the process alive; it then ends by itself. */
  function shutDown(): void {
    shuttingDown = true;
    refresher.stop();
    minting.close();
    void http?.close();
    channel.close();
  }

  function stop(reason: string): void {
    if (stopping) return;
    stopping = true;
    log.write({ type: 'stopped', reason, served: served(), refused: http?.counts.refused ?? 0 });
    shutDown();
  }

  proc.onSignal('SIGTERM', () => stop('SIGTERM'));
  proc.onSignal('SIGINT', () => stop('SIGINT'));
  proc.onSignal('SIGHUP', () => undefined); // outlive the step's terminal, if it had one
  channel.onLost(() => {
    if (!handedOver && !shuttingDown) stop('the main step ended before the server was ready (step timeout, cancellation or crash)');
  });

  let first;
  try {
    first = await refresher.start();
  } catch (error) {
    if (stopping) return;
    await fail(error instanceof Error && error.name === 'MintError' ? error.message : reasonOf(error));
    return;
  }
  if (stopping) return;

  // Every time in the answer is counted from this server's own clocks (session-clock.ts): a step reads the seconds, not the dates.
  const status = (): ServerStatus => {
    const availability = refresher.available();
    const now = readClocks({ wall: clock, mono: deps.monotonic });
    const c = refresher.credentials;
    const max = refresher.maxSessionSeconds;
    const leftMs = c ? remainingMs(c, now) : 0;
    const tokenEnd = refresher.tokenEndAt(now);
    const coverUntil = keepAliveCoverUntil(
      tokenEnd === undefined ? undefined : now.wall + (tokenEnd - now.mono),
      ceiling,
      c && { expiresAt: now.wall + leftMs, lifetimeSeconds: c.lifetimeSeconds, maxSessionSeconds: max },
    );
    return {
      pid: proc.pid,
      nonce: config.nonce,
      identity: config.identity,
      ...(c && {
        expiration: new Date(servedExpiration(c, now)).toISOString(),
        remainingSeconds: Math.floor(leftMs / 1000),
        assumedRoleArn: c.assumedRoleArn,
        accountId: c.accountId,
      }),
      ...(!availability.ok && { unavailable: availability.reason }),
      ...(max !== undefined && { maxSessionSeconds: max }),
      refreshes: refresher.refreshes,
      served: served(),
      refused: http?.counts.refused ?? 0,
      ...(refresher.lastFailure !== undefined && { lastError: refresher.lastFailure }),
      expectedUntil,
      ...(coverUntil !== undefined && { coverUntil, coverSeconds: Math.floor((coverUntil - now.wall) / 1000) }),
    };
  };

  try {
    http = await deps.listen({
      authToken: config.authToken,
      controlToken: config.controlToken,
      proofKey: config.proofKey,
      available: () => refresher.available(),
      status,
      expect: (until) => {
        expectedUntil = Math.max(expectedUntil, until);
        log.write({ type: 'expected-until', expectedUntil });
      },
      stop: () => stop('stopped by the post step'),
      peerRefused: refusalReporter((e) => log.write({ type: 'peer-refused', ...e }), clock),
      ...(config.linkLocal && { linkLocal: config.linkLocal }),
    });
  } catch (error) {
    await fail(`could not listen on 127.0.0.1${config.linkLocal ? ` and ${config.linkLocal.host}` : ''}: ${reasonOf(error)}`);
    return;
  }
  if (stopping) {
    void http.close();
    return;
  }

  log.write({ type: 'started', pid: proc.pid, endpoint: http.endpoint, ...http.limitsReport });
  handedOver = true;
  await answer({
    type: 'ready',
    nonce: config.nonce,
    port: http.port,
    expiration: new Date(servedExpiration(first, readClocks({ wall: clock, mono: deps.monotonic }))).toISOString(),
    remainingSeconds: first.lifetimeSeconds,
    assumedRoleArn: first.assumedRoleArn,
    sessionSeconds: first.lifetimeSeconds,
    ...(refresher.maxSessionSeconds !== undefined && { maxSessionSeconds: refresher.maxSessionSeconds }),
    ...(http.linkLocalPort !== undefined && { linkLocalPort: http.linkLocalPort }),
  });
  channel.close();
}
