/** The credential server's real collaborators: this process, its IPC channel, STS, the source's credentials and GitHub OIDC. */
import { createMinter } from '../sts/create-minter.js';
import type { MintEvent } from '../sts/minter.js';
import { PER_PEER_IDLE, totalFor } from './connection-limits.js';
import { startCredentialServer, type CredentialServer, type CredentialServerHandlers } from './credential-server.js';
import { spawnRunner } from './link-local.js';
import { procLimitsReader, raiseOpenFiles } from './open-files.js';
import { platformPeerGuard } from './peer-guard.js';
import { fileEventLog } from './events.js';
import { isServerConfig, type ServerConfig } from './protocol.js';
import { realTimers } from './refresher.js';
import { runServer, type Minting, type ParentChannel, type ServerDeps } from './server-run.js';

/** The IPC channel the main step opened (see launcher.ts). */
export function ipcChannel(proc: NodeJS.Process = process): ParentChannel {
  return {
    receive: () =>
      new Promise<ServerConfig>((resolve, reject) => {
        if (!proc.send || !proc.connected) {
          reject(new Error('no IPC channel: the server is started by the action, not by hand'));
          return;
        }
        proc.once('message', (m: unknown) => (isServerConfig(m) ? resolve(m) : reject(new Error('malformed start-up configuration'))));
        proc.once('disconnect', () => reject(new Error('the main step went away before sending the configuration')));
      }),
    send: (message) =>
      new Promise<void>((resolve, reject) => {
        if (!proc.send || !proc.connected) {
          reject(new Error('the IPC channel is closed'));
          return;
        }
        proc.send(message, undefined, {}, (error: Error | null) => (error ? reject(error) : resolve()));
      }),
    onLost: (listener) => void proc.on('disconnect', listener),
    close: () => {
      if (proc.connected) proc.disconnect();
    },
  };
}

export function minterFor(config: ServerConfig, onEvent: (event: MintEvent) => void): Minting {
  // The proxy comes from the config only: the main step resolved it once (inputs, then its env).
  // AssumeRoleWithWebIdentity without the AWS SDK; the SDK is loaded only if an AssumeRole is needed (chaining).
  const { minter, gateway } = createMinter({
    region: config.region,
    endpoint: config.stsEndpoint,
    proxy: config.proxy,
    env: process.env,
    source: config.source ?? { kind: 'github-oidc' },
    audience: config.audience,
    retryMaxAttempts: config.retryMaxAttempts,
    onEvent,
  });
  return {
    mintLongest: (plan, signal) => minter.mintLongest(plan, signal),
    close: () => gateway.close(),
  };
}

/**
 * The listener with this platform's guards: only the job's OS user (Linux), and connection caps under the open-file
 * limit, which is first raised to the hard limit.
 */
export async function guardedListen(handlers: CredentialServerHandlers, pid: number): Promise<CredentialServer> {
  const raised = await raiseOpenFiles({ pid, readLimits: procLimitsReader(), run: spawnRunner });
  const peers = platformPeerGuard();
  const total = totalFor(raised.limits?.soft);
  const server = await startCredentialServer(handlers, 0, { ...(peers && { peers }), limits: { total, perPeer: PER_PEER_IDLE } });
  const openFiles = raised.limits?.soft;
  return {
    ...server,
    limitsReport: {
      peers: peers ? 'uid' : 'token-only',
      maxConnections: total,
      ...(openFiles !== undefined && Number.isFinite(openFiles) && { openFiles }),
      ...(raised.problem !== undefined && { limitProblem: raised.problem }),
    },
  };
}

export function realServerDeps(proc: NodeJS.Process = process): ServerDeps {
  return {
    channel: ipcChannel(proc),
    clock: Date.now,
    monotonic: () => performance.now(),
    timers: realTimers,
    random: Math.random,
    createMinter: minterFor,
    eventLog: (path) => fileEventLog(path, Date.now, proc.pid),
    listen: (handlers) => guardedListen(handlers, proc.pid),
    process: {
      pid: proc.pid,
      onSignal: (signal, listener) => void proc.on(signal, listener),
      onFatal: (listener) => {
        proc.on('uncaughtException', (e) => listener('uncaughtException', e));
        proc.on('unhandledRejection', (e) => listener('unhandledRejection', e));
      },
      exit: (code) => {
        proc.exitCode = code;
        // After a fatal error nothing is trustworthy: end now rather than wait for open handles.
        if (code === 70) proc.exit(code);
      },
    },
  };
}

export function runServerProcess(): Promise<void> {
  return runServer(realServerDeps());
}
