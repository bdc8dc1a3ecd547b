/**
 * What a keep-alive step is handed (its collaborators), and the few actions
 * on them every part of the step shares: asking a server, stopping one, and
 * the host network for serve-containers, set up only when first needed;
 * and the Step that the recipe (keep-alive.ts) hands each of its parts.
 */
import type { ProfileWriter } from '../export/profile-files.js';
import type { Toolkit } from '../runner/toolkit.js';
import type { Settings } from '../settings/settings.js';
import { serverClient, type ServerClient } from './client.js';
import type { ServerStatus } from './credential-server.js';
import type { KeepAlivePaths, ServerIdentity, ServerRecord } from './files.js';
import type { Launch } from './launcher.js';
import { realHostNetwork, type HostNetwork, type LinkLocalState } from './link-local.js';
import type { KeepAlivePlan } from './plan.js';
import { realProcessControl, stopperOf, type ProcessControl, type StopOutcome } from './process-control.js';

export interface KeepAliveDeps {
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: () => number;
  readonly launch?: Launch;
  readonly control?: ProcessControl;
  readonly client?: (endpoint: string, token: string, proofKey: string | undefined) => ServerClient;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long to wait for the server's first credentials (the minter's retries included). */
  readonly readyTimeoutMs?: number;
  /** How long a stopped server gets before SIGKILL. */
  readonly stopGraceMs?: number;
  /** serve-containers: the host's network (ip, iptables); real by default. */
  readonly hostNetwork?: HostNetwork;
  /** serve-containers: the HTTP status of a GET on a URL, without headers (0: no answer); fetch by default. */
  readonly fetchStatus?: (url: string) => Promise<number>;
  /** action-timeout-s: when it aborts, the step stops the server it started and exports nothing. */
  readonly signal?: AbortSignal;
}

export interface StepRuntime {
  readonly deps: KeepAliveDeps;
  readonly toolkit: Toolkit;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly control: ProcessControl;
  readonly clientOf: (endpoint: string, token: string, proofKey: string | undefined) => ServerClient;
  /** Stops a server, over HTTP first when its client is given. */
  readonly stop: (server: ServerIdentity, client?: ServerClient) => Promise<StopOutcome>;
  readonly hostNetwork: () => HostNetwork;
  /** Removes a link-local set-up (address, NAT rules), warning about what could not be undone. */
  readonly undoLinkLocal: (state: LinkLocalState | undefined) => Promise<void>;
}

export function stepRuntime(deps: KeepAliveDeps): StepRuntime {
  const { toolkit } = deps;
  let net: HostNetwork | undefined;
  const hostNetwork = () => (net ??= deps.hostNetwork ?? realHostNetwork());
  return {
    deps,
    toolkit,
    env: deps.env,
    control: deps.control ?? realProcessControl,
    clientOf: deps.client ?? serverClient,
    stop: stopperOf(deps),
    hostNetwork,
    undoLinkLocal: async (state) => {
      if (!state) return;
      const problems = await hostNetwork().tearDown(state);
      for (const p of problems) toolkit.warning(`Could not undo the link-local set-up: ${p}`, 'Link-local set-up left behind');
    },
  };
}

/** What every part of one step shares: its runtime, settings, plan and folder. */
export interface Step {
  readonly rt: StepRuntime;
  readonly settings: Settings;
  readonly plan: KeepAlivePlan;
  readonly paths: KeepAlivePaths;
  readonly workDirExport: Record<string, string>;
  readonly writeProfile: ProfileWriter | undefined;
  readonly serveContainers: boolean;
  /** The job summary's line for this step. */
  note(outcome: string, remainingSeconds?: number): void;
  /** Fails (or warns) when a server's status does not cover the need. */
  checkCoverage(status: ServerStatus): void;
}

/** A working server this step replaces once its own is ready (its record stays the job's until then). */
export type Replaced = { readonly record: ServerRecord; readonly client: ServerClient | undefined };
