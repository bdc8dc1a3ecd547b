/**
 * keep-alive's start: a new credential server, launched detached, its
 * identity recorded (and saved for the post step) before anything waits on
 * it; then the race between its first answer, the ready timeout and the
 * step's abort, a probe of what it serves (through the NAT rule too, with
 * serve-containers), and its status. Any failure abandons the start: the
 * server stopped, its address and NAT rules removed, its record gone.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Inputs, State } from '../constants.js';
import { loopbackRequest } from '../net/loopback-http.js';
import { sourceDescription } from '../settings/source.js';
import type { Settings } from '../settings/settings.js';
import { mintingSourceOf, mintingSourceSecrets, usesDefaultChain } from '../sts/source-credentials.js';
import { AbortError } from '../util/abort.js';
import type { ServerClient } from './client.js';
import { CREDENTIALS_PATH, type ServerStatus } from './credential-server.js';
import { lastEventText } from './events.js';
import { relativeUriDigest, writePrivateFile, type KeepAlivePaths, type ServerIdentity, type ServerRecord } from './files.js';
import { RELATIVE_URI_PREFIX } from './hand-over.js';
import { DEFAULT_CHAIN_ENV_NAMES, detachedLauncher, serverEntry, serverEnvironment, type LaunchedServer, type LaunchOutcome } from './launcher.js';
import { LINK_LOCAL_ADDRESS, ruleTag, type LinkLocalState } from './link-local.js';
import { serverConfigOf, type KeepAlivePlan } from './plan.js';
import { newProofKey } from './proof.js';
import type { ServerMessage } from './protocol.js';
import type { StepRuntime } from './step-runtime.js';

/** Who would not reach a loopback-only server: named in the fallback warning. */
const LOOPBACK_ONLY_MISSES =
  'container actions, `docker run` in a step, and SDKs that read only AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ' +
  '(Ruby aws-sdk-core 3.168 as in Debian, the Java SDK v1, PHP)';

/** The HTTP status a request to `url` gets (0: no answer), never through a proxy (net/loopback-http.ts). */
const fetchStatusOf = async (url: string): Promise<number> => (await loopbackRequest(url, { timeoutMs: 3000 }))?.status ?? 0;

const secret = () => randomBytes(32).toString('base64url'); // 256 bits

export interface LinkLocal {
  readonly state: LinkLocalState;
  readonly relativePath: string;
}

export interface StartInput {
  readonly plan: KeepAlivePlan;
  readonly settings: Settings;
  /** The effective serve-containers (reuse.ts servesContainers). */
  readonly serveContainers: boolean;
  readonly paths: KeepAlivePaths;
  /** A working server stays the job's (its record kept) until this one has passed every check. */
  readonly replacing: boolean;
}

export interface Started {
  readonly server: ServerIdentity;
  readonly endpoint: string;
  readonly ready: Extract<ServerMessage, { type: 'ready' }>;
  readonly readyRecord: ServerRecord;
  readonly controlClient: ServerClient;
  readonly status: ServerStatus;
  readonly authToken: string;
  readonly proofKey: string;
  readonly nonce: string;
  readonly linkLocal: LinkLocal | undefined;
  /** Undoes this start: the server stopped, its address and NAT rules removed, its record gone (a replaced server's stays). */
  abandon(client?: ServerClient): Promise<void>;
}

/** serve-containers: 169.254.170.2 on lo, before the server starts (it listens there too); undefined where it cannot be. */
async function prepareLinkLocal(rt: StepRuntime, nonce: string): Promise<LinkLocal | undefined> {
  const prepared = await rt.hostNetwork().prepare();
  if (prepared.kind === 'in-use') {
    throw new Error(
      `'${Inputs.ServeContainers}: true', but ${prepared.reason}: on runners hosted in ECS or CodeBuild that address serves their own credentials. ` +
        `Refusing to take it over. Fix: set '${Inputs.ServeContainers}: false', or free the address.`,
    );
  }
  if (prepared.kind === 'unavailable') {
    rt.toolkit.warning(
      `'${Inputs.ServeContainers}: true', but ${LINK_LOCAL_ADDRESS} cannot be set up: ${prepared.reason}. ` +
        `The credential server serves loopback only, so ${LOOPBACK_ONLY_MISSES} will not reach it. ` +
        'Fix: run on Linux with passwordless sudo (GitHub-hosted runners have it), iproute2 and iptables.',
      'Credential server on loopback only',
    );
    return undefined;
  }
  const secretPart = secret();
  rt.toolkit.setSecret(secretPart);
  const state: LinkLocalState = { tag: ruleTag(nonce), addedAddress: true };
  // Saved before anything can fail, so the post step undoes it even after a crash.
  rt.toolkit.saveState(State.LinkLocal, JSON.stringify(state));
  return { state, relativePath: `${RELATIVE_URI_PREFIX}${secretPart}` };
}

/** The server's first answer, or why there is none: the ready timeout, or the step's abort. */
async function firstAnswer(launched: LaunchedServer, timeoutMs: number, signal: AbortSignal | undefined): Promise<LaunchOutcome | 'timeout' | 'aborted'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race([
    launched.outcome,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    }),
    new Promise<'aborted'>((resolve) => {
      onAbort = () => resolve('aborted');
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) signal?.removeEventListener('abort', onAbort);
  launched.release();
  return outcome;
}

export async function startServer(rt: StepRuntime, input: StartInput): Promise<Started> {
  const { toolkit, env, control, deps } = rt;
  const { plan, settings, paths, replacing } = input;
  const fail = (why: string) => `The keep-alive credential server could not start: ${why}`;
  const authToken = secret();
  const controlToken = secret();
  const proofKey = newProofKey();
  for (const s of [authToken, controlToken, proofKey]) toolkit.setSecret(s);
  const nonce = randomBytes(16).toString('hex');
  const linkLocal = input.serveContainers ? await prepareLinkLocal(rt, nonce) : undefined;
  const linkLocalUnavailable = input.serveContainers && !linkLocal;
  // The server keeps the source, not a session: keys go over IPC (memory only), a token file by its path.
  const source = mintingSourceOf(settings.source, env, plan.identity);
  for (const s of mintingSourceSecrets(source)) toolkit.setSecret(s);
  const config = serverConfigOf(plan, settings, env, { authToken, controlToken, proofKey, nonce, source, dir: paths.dir, linkLocalPath: linkLocal?.relativePath });
  const launch = deps.launch ?? detachedLauncher(serverEntry(import.meta.url));
  toolkit.info(`Starting the keep-alive credential server for ${plan.target}, assuming ${plan.role.arn} ${sourceDescription(settings.source)}...`);
  let launched;
  try {
    launched = launch(serverEnvironment(env, usesDefaultChain(source) ? DEFAULT_CHAIN_ENV_NAMES : []));
  } catch (error) {
    await rt.undoLinkLocal(linkLocal?.state);
    throw error;
  }
  const start = control.startOf(launched.pid);
  const server: ServerIdentity = { pid: launched.pid, ...(start !== undefined && { start }), nonce, dir: paths.dir };
  // The job's record names the new server from its start, unless it replaces a working one: then only once that one
  // is stopped (until then this step's post finds the new server by its saved identity).
  const writeRecord = (next: ServerRecord) => {
    if (!replacing) writePrivateFile(paths.record, JSON.stringify(next));
  };
  const baseRecord: ServerRecord = {
    ...server,
    controlToken,
    proofKey,
    startedAt: plan.now,
    roleArn: plan.target,
    identity: plan.identity,
    ...(linkLocal && { linkLocal: linkLocal.state, relativeUriDigest: relativeUriDigest(linkLocal.relativePath) }),
    ...(linkLocalUnavailable && { linkLocalUnavailable }),
  };
  writeRecord(baseRecord);
  toolkit.saveState(State.Server, JSON.stringify(server));
  launched.send(config);

  const abandon = async (client?: ServerClient): Promise<void> => {
    // The post step is told, so that it does not take the stop for a server that died early.
    if ((await rt.stop(server, client)) !== 'still-running') toolkit.saveState(State.Server, JSON.stringify({ ...server, abandoned: true }));
    await rt.undoLinkLocal(linkLocal?.state);
    if (!replacing) rmSync(paths.record, { force: true });
  };
  const giveUp = async (message: string, client?: ServerClient): Promise<never> => {
    await abandon(client);
    throw new Error(message);
  };
  const timeoutMs = deps.readyTimeoutMs ?? 120_000;
  const outcome = await firstAnswer(launched, timeoutMs, deps.signal);
  if (outcome === 'aborted') {
    await abandon();
    throw new AbortError();
  }
  if (outcome === 'timeout') return giveUp(fail(`no answer within ${Math.round(timeoutMs / 1000)} s: ${lastEventText(paths)}.`));
  if (outcome.type === 'exited') {
    return giveUp(fail(`the process (pid ${server.pid}) exited before it was ready (${outcome.signal ?? `exit code ${outcome.code}`}): ${lastEventText(paths)}.`));
  }
  if (outcome.nonce !== nonce) return giveUp(fail('it answered for another start.'));
  if (outcome.type === 'failed') return giveUp(fail(outcome.error));

  const endpoint = `http://127.0.0.1:${outcome.port}${CREDENTIALS_PATH}`;
  const readyRecord: ServerRecord = { ...baseRecord, endpoint };
  writeRecord(readyRecord);
  const controlClient = rt.clientOf(endpoint, controlToken, proofKey);
  const probe = await rt.clientOf(endpoint, authToken, proofKey).probeCredentials();
  if (probe.status !== 200) {
    return giveUp(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`, controlClient);
  }
  if (linkLocal) {
    const port = outcome.linkLocalPort;
    if (port === undefined) return giveUp(`The keep-alive credential server started but does not listen on ${LINK_LOCAL_ADDRESS}.`, controlClient);
    try {
      await rt.hostNetwork().redirect(port, linkLocal.state.tag);
    } catch (error) {
      return giveUp(`The keep-alive credential server could not serve containers: ${(error as Error).message}.`, controlClient);
    }
    // Through the NAT rule, as an SDK on this host does: http://169.254.170.2 + the relative URI, no header.
    const code = await (deps.fetchStatus ?? fetchStatusOf)(`http://${LINK_LOCAL_ADDRESS}${linkLocal.relativePath}`);
    if (code !== 200) {
      return giveUp(
        `The keep-alive credential server did not serve credentials on http://${LINK_LOCAL_ADDRESS} (port 80, redirected to ${port}): ` +
          `${code === 0 ? 'no answer' : `HTTP ${code}`}. Check for firewall rules on this host that drop it.`,
        controlClient,
      );
    }
  }
  const fallback: ServerStatus = { pid: server.pid, nonce, identity: plan.identity, refreshes: 1, served: 1, refused: 0, expectedUntil: plan.expectedUntil };
  const status = (await controlClient.status()) ?? fallback;
  return { server, endpoint, ready: outcome, readyRecord, controlClient, status, authToken, proofKey, nonce, linkLocal, abandon };
}
