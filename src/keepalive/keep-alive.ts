/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it.
 *
 * The server's identity (pid, start time, nonce) is recorded, and saved for
 * the post step, before this step waits for it: a step killed by its timeout,
 * a ready timeout or a crash still leaves the post step able to stop it. A
 * step that gives up stops the server it started.
 */
import { randomBytes } from 'node:crypto';
import { newProofKey } from './proof.js';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Env, Inputs, Outputs, State } from '../constants.js';
import { exportIdentityOutputs, exportMasked, profileVariable, rubyTriesWebIdentity, serverCredentialVariables, serverRelativeUriVariables } from '../export/variables.js';
import { checkAllowedAccount, outputCredentials } from '../export/cac-delivery.js';
import { openProfile } from '../export/profile-files.js';
import { AbortError } from '../util/abort.js';
import type { HopExtras } from '../model/sts-types.js';
import { hopExtras } from '../settings/cac-options.js';
import { sourceDescription } from '../settings/source.js';
import { CREDENTIAL_PROCESS_FILE, fetchServedCredentials, type CredentialProcessFile, type ServedCredentials } from './credential-process.js';
import { loopbackNoProxyExports, parseProxyUrl } from '../net/proxy.js';
import { jwtExpiry, MISSING_PERMISSION_MESSAGE } from '../oidc/token.js';
import { keepAliveSessionSeconds, needOf, sessionCeiling } from '../lifetime/policy.js';
import { keepAliveCoverUntil, sourceMintsUntil } from '../lifetime/keep-alive-policy.js';
import { mintingSourceOf, mintingSourceSecrets } from '../sts/source-credentials.js';
import { knownMaxOf, withKnownMax } from '../lifetime/known-max.js';
import { coverageShortfall, serverCoverReason } from './coverage.js';
import { serverHealth } from './server-health.js';
import { shortfall, type ShortfallContext } from '../report/shortfall.js';
import { formatDuration } from '../settings/duration.js';
import { identityKey, targetRoleArn } from '../settings/identity.js';
import type { Settings } from '../settings/settings.js';
import type { Toolkit } from '../runner/toolkit.js';
import { summaryLine } from '../report/summary.js';
import { resolveStsEndpoint } from '../sts/endpoint.js';
import { serverClient, warnOfImpostor, type ServerClient } from './client.js';
import { CREDENTIALS_PATH, type ServerStatus } from './credential-server.js';
import { lastEventText } from './events.js';
import { identityOf, openPrivateFolder, relativeUriDigest, readJson, writePrivateFile, type ServerIdentity, type ServerRecord } from './files.js';
import { loopbackRequest } from '../net/loopback-http.js';
import { DEFAULT_CHAIN_ENV_NAMES, detachedLauncher, serverEntry, serverEnvironment, type Launch, type LaunchOutcome } from './launcher.js';
import { processState, realProcessControl, stopServer, type ProcessControl } from './process-control.js';
import type { ServerConfig } from './protocol.js';
import { shadowingFiles } from './shadowing.js';
import { LINK_LOCAL_ADDRESS, realHostNetwork, ruleTag, type HostNetwork, type LinkLocalState } from './link-local.js';

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

/** The credential-process bundle, beside the main bundle: dist/credential-process/index.js. */
export function credentialProcessEntry(mainUrl: string): string {
  return fileURLToPath(new URL('../credential-process/index.js', mainUrl));
}

/**
 * One word of the credential_process command line. botocore splits it like a
 * shell and the JS and Go SDKs run it through one, but the Go SDKs' ini
 * parsers take a value that starts with a quote as that quoted string alone
 * (`"/node" "/cp.js"` reads as `/node`, which then runs with no script and
 * prints nothing): plain paths are written bare, and only a word that needs
 * quotes gets them.
 */
function quoteWord(word: string): string {
  const windows = process.platform === 'win32';
  const unsafe = windows ? /["\n]/ : /["$`\\\n]/;
  if (unsafe.test(word)) throw new Error(`'${Inputs.AwsProfile}': cannot write a credential_process for a path holding quotes, $, backquotes, backslashes or line breaks: ${word}`);
  const bare = windows ? /^[\w./:@%+=,\\-]+$/ : /^[\w./:@%+=,-]+$/;
  return bare.test(word) ? word : `"${word}"`;
}

/** The credential_process command line: node, the bundled entry point, and the 0600 file that names the server. */
export function credentialProcessCommand(node: string, entry: string, file: string): string {
  return [node, entry, file].map(quoteWord).join(' ');
}

/** The relative URI's prefix, as ECS's (/v2/credentials/<id>); the rest is 256 random bits. */
export const RELATIVE_URI_PREFIX = '/v2/credentials/';


/** The HTTP status a request to `url` gets (0: no answer), never through a proxy (net/loopback-http.ts). */
const fetchStatusOf = async (url: string): Promise<number> => (await loopbackRequest(url, { timeoutMs: 3000 }))?.status ?? 0;

/** Who would not reach a loopback-only server: named in the fallback warning. */
export const LOOPBACK_ONLY_MISSES =
  'container actions, `docker run` in a step, and SDKs that read only AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ' +
  '(Ruby aws-sdk-core 3.168 as in Debian, the Java SDK v1, PHP)';

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const secret = () => randomBytes(32).toString('base64url'); // 256 bits

/** Whether a status answer comes from the server with this identity (not another process on a reused port). */
function answersAs(status: ServerStatus | undefined, identity: ServerIdentity): status is ServerStatus {
  return !!status && status.nonce === identity.nonce;
}

export async function keepAlive(asked: Settings, deps: KeepAliveDeps): Promise<void> {
  let settings = asked;
  const { toolkit, env, clock } = deps;
  const sleep = deps.sleep ?? sleepMs;
  const control = deps.control ?? realProcessControl;
  const clientOf = deps.client ?? serverClient;
  const need = needOf(settings);
  const now = clock();
  const region = settings.region;
  const role = settings.roleToAssume;
  if (!region || !role) throw new Error(`keep-alive needs '${Inputs.RoleToAssume}' and '${Inputs.AwsRegion}'`);
  const target = targetRoleArn(settings) ?? role.arn;
  const identity = identityKey(settings);
  const note = (outcome: string, remainingSeconds?: number) =>
    toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need?.seconds, outcome }));
  const short: ShortfallContext = {
    toolkit,
    failOnShortSession: settings.failOnShortSession,
    at: now,
    needSeconds: need?.seconds,
    title: 'AWS credentials will not last',
  };
  const stop = (server: ServerIdentity, client?: ServerClient) =>
    stopServer(server, {
      control,
      sleep,
      ...(client && { askToStop: () => client.stop() }),
      ...(deps.stopGraceMs !== undefined && { graceMs: deps.stopGraceMs }),
    });

  // 1. Can the job mint sessions for long enough? Decided before any network call, as is a proxy the server could not use.
  for (const proxy of [settings.proxy?.https, settings.proxy?.http]) if (proxy) parseProxyUrl(proxy);
  // What the source can mint, and until when: only GitHub OIDC needs (and is bounded by) the request token.
  const oidc = settings.source.kind === 'github-oidc';
  let requestTokenExpiresAt: number | undefined;
  if (oidc) {
    const requestToken = env[Env.IdTokenRequestToken];
    if (!env[Env.IdTokenRequestUrl] || !requestToken) throw new Error(MISSING_PERMISSION_MESSAGE);
    const tokenExp = jwtExpiry(requestToken);
    requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
  }
  const sourceEnd = sourceMintsUntil(settings, requestTokenExpiresAt);
  const ceiling = sessionCeiling(settings);
  const upperCover = keepAliveCoverUntil(sourceEnd.until, ceiling);
  // Without a stated need nothing is checked for length: the server refreshes for as long as the source can mint.
  const tokenShort = need && coverageShortfall(
    need,
    upperCover,
    now,
    `${sourceEnd.why}, and the last session minted before then lasts at most ${formatDuration(ceiling)}.`,
    sourceEnd.fix,
  );
  if (tokenShort) {
    shortfall(short, tokenShort);
  } else if (oidc && requestTokenExpiresAt === undefined) {
    toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
  }
  const expectedUntil = now + (need?.seconds ?? 0) * 1000;
  const checkCoverage = (status: ServerStatus) => {
    const health = serverHealth(status, need, now, serverCoverReason(status.maxSessionSeconds, oidc ? undefined : sourceEnd.why), sourceEnd.fix);
    if (health.kind === 'unavailable') throw new Error(health.message);
    if (health.kind === 'short') shortfall(short, health.message, status.remainingSeconds);
  };

  // aws-profile: an existing profile is refused before any network call.
  const writeProfile = settings.awsProfile !== undefined ? openProfile(toolkit, env, settings.awsProfile, settings.overwriteAwsProfile) : undefined;

  const { paths, mustExport } = openPrivateFolder(env);
  const workDirExport = mustExport ? { [Env.WorkDir]: paths.dir } : {};

  // 2. A server already running for this job, for the same identity, is reused, never doubled. One for
  // other credentials (another role, region, account or session policy) is replaced: a working one is stopped only
  // once its successor has passed every check, so a failed start leaves later steps the credentials they had.
  const record = readJson<ServerRecord>(paths.record);
  const inheritedRelative = env[Env.ContainerRelativeUri];
  const relativeIsOurs = !!inheritedRelative && !!record?.relativeUriDigest && relativeUriDigest(inheritedRelative) === record.relativeUriDigest;
  if (relativeIsOurs && !settings.serveContainers) {
    // SDKs read the relative URI first, and it cannot be unset (botocore fails on an empty one): a loopback-only server
    // would leave it naming an address that is gone.
    toolkit.info(
      `An earlier keep-alive step of this job exported ${Env.ContainerRelativeUri} ('${Inputs.ServeContainers}: true'), which SDKs read first and ` +
        `which cannot be unset: this step serves containers too, so that it keeps working.`,
    );
    settings = { ...settings, serveContainers: true };
  }
  if (inheritedRelative && !relativeIsOurs) {
    if (settings.serveContainers) {
      throw new Error(
        `'${Inputs.ServeContainers}: true', but ${Env.ContainerRelativeUri} is already set in this job: this runner seems to run in ECS or CodeBuild, ` +
          `which serve their own credentials on ${LINK_LOCAL_ADDRESS}. Refusing to take that address over. ` +
          `Fix: set '${Inputs.ServeContainers}: false' (later steps then get the loopback server; see the warning about ${Env.ContainerRelativeUri}), or use a runner outside ECS/CodeBuild.`,
      );
    }
    toolkit.warning(
      `${Env.ContainerRelativeUri} is set in this job (by ECS or CodeBuild, or an earlier step). The JS SDK v3, the Java SDK and botocore (AWS CLI, boto3) ` +
        'read it before the full URI this step exports, so they would use those credentials instead of the keep-alive server. ' +
        `This action cannot clear it for you (botocore fails on an empty one). Fix: run those commands with \`env -u ${Env.ContainerRelativeUri}\`, ` +
        'or unset it in the runner\'s environment. The Go SDKs read the full URI first and are not affected.',
      `${Env.ContainerRelativeUri} shadows the credential server`,
    );
  }
  let net: HostNetwork | undefined;
  const hostNetwork = () => (net ??= deps.hostNetwork ?? realHostNetwork());
  const undoLinkLocal = async (state: LinkLocalState | undefined) => {
    if (!state) return;
    const problems = await hostNetwork().tearDown(state);
    for (const p of problems) toolkit.warning(`Could not undo the link-local set-up: ${p}`, 'Link-local set-up left behind');
  };
  /** The working server this step replaces once its own is ready (its record stays the job's until then). */
  let replaced: { readonly record: ServerRecord; readonly client: ServerClient | undefined } | undefined;
  if (record) {
    const running = processState(record, control);
    const client = record.endpoint ? clientOf(record.endpoint, record.controlToken, record.proofKey) : undefined;
    const status = running !== 'gone' && running !== 'other' ? await client?.status().catch(warnOfImpostor(toolkit)) : undefined;
    const envToken = env[Env.ContainerAuthToken];
    const handedOverHere = record.linkLocal
      ? settings.serveContainers && relativeIsOurs
      : // a loopback server serves a serve-containers step only where that step fell back to loopback too
        (!settings.serveContainers || record.linkLocalUnavailable === true) && !!envToken && env[Env.ContainerFullUri] === record.endpoint;
    if (answersAs(status, record) && status.identity === identity && handedOverHere && record.endpoint) {
      const expected = (await client?.expect(expectedUntil)) ?? status;
      const via: Via = record.linkLocal && inheritedRelative ? { relativePath: inheritedRelative } : { authToken: envToken ?? '' };
      toolkit.setSecret(via.relativePath ? secretPartOf(via.relativePath) : (envToken ?? ''));
      checkCoverage(expected);
      checkAllowedAccount(settings, expected.assumedRoleArn);
      const delivery = await prepareDelivery(settings, deps, paths.dir, serverAccess(record.endpoint, via, record.proofKey ?? ''), record.nonce);
      if (delivery.processCommand !== undefined) writeProfile?.(region, { kind: 'process', command: delivery.processCommand });
      handOver(toolkit, settings, env, record.endpoint, via, region, expected, workDirExport, delivery);
      toolkit.info(
        `Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${record.endpoint}); ` +
          `it now expects work until ${new Date(expectedUntil).toISOString()}.`,
      );
      note(`Keep-alive: reused the running credential server, serving until ${expected.expiration ?? '?'} and refreshing ahead of expiry.`, expected.remainingSeconds);
      return;
    }
    if (running === 'gone' || running === 'other') {
      toolkit.warning(
        `The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`,
        'Credential server restarted',
      );
    } else {
      const why = !answersAs(status, record)
        ? 'does not answer'
        : status.identity !== identity
          ? `serves ${record.roleArn} with other settings than this step asks for`
          : !!record.linkLocal !== settings.serveContainers && !(settings.serveContainers && record.linkLocalUnavailable)
            ? `serves ${record.linkLocal ? 'containers' : 'loopback only'}, and this step asks for '${Inputs.ServeContainers}: ${settings.serveContainers}'`
            : 'was handed over with credentials that are no longer in the environment';
      // Two servers cannot both hold the link-local address: one that holds it goes first when this step needs it.
      if (answersAs(status, record) && !(record.linkLocal && settings.serveContainers)) {
        toolkit.info(
          `The keep-alive credential server running in this job (pid ${record.pid}) ${why}: starting one for ${target}; ` +
            'the running one keeps serving until the new one is ready.',
        );
        replaced = { record, client };
      } else {
        toolkit.info(`The keep-alive credential server running in this job (pid ${record.pid}) ${why}: stopping it and starting one for ${target}.`);
        const outcome = await stop(identityOf(record), answersAs(status, record) ? client : undefined);
        if (outcome === 'still-running') {
          throw new Error(
            `The keep-alive credential server (pid ${record.pid}) ${why}, and it did not stop. Stop it (kill ${record.pid}) or use a separate job.`,
          );
        }
      }
    }
    if (!replaced) {
      // Its address and NAT rules go with it (its own post step finds nothing left to undo).
      await undoLinkLocal(record.linkLocal);
      rmSync(paths.record, { force: true });
    }
  }
  /**
   * The job's record names the new server from its start, unless it replaces a working one: then only once that
   * one is stopped (until then this step's post finds the new server by its saved identity).
   */
  const writeRecord = (next: ServerRecord) => {
    if (!replaced) writePrivateFile(paths.record, JSON.stringify(next));
  };

  // 3. Start a new server; its identity is recorded before anything waits on it.
  const authToken = secret();
  const controlToken = secret();
  const proofKey = newProofKey();
  for (const s of [authToken, controlToken, proofKey]) toolkit.setSecret(s);
  const nonce = randomBytes(16).toString('hex');

  // serve-containers: 169.254.170.2 on lo, before the server starts (it listens there too).
  let linkLocal: { readonly state: LinkLocalState; readonly relativePath: string } | undefined;
  let linkLocalUnavailable = false;
  if (settings.serveContainers) {
    const prepared = await hostNetwork().prepare();
    if (prepared.kind === 'in-use') {
      throw new Error(
        `'${Inputs.ServeContainers}: true', but ${prepared.reason}: on runners hosted in ECS or CodeBuild that address serves their own credentials. ` +
          `Refusing to take it over. Fix: set '${Inputs.ServeContainers}: false', or free the address.`,
      );
    }
    if (prepared.kind === 'unavailable') {
      linkLocalUnavailable = true;
      toolkit.warning(
        `'${Inputs.ServeContainers}: true', but ${LINK_LOCAL_ADDRESS} cannot be set up: ${prepared.reason}. ` +
          `The credential server serves loopback only, so ${LOOPBACK_ONLY_MISSES} will not reach it. ` +
          'Fix: run on Linux with passwordless sudo (GitHub-hosted runners have it), iproute2 and iptables.',
        'Credential server on loopback only',
      );
    } else {
      const secretPart = secret();
      toolkit.setSecret(secretPart);
      const state: LinkLocalState = { tag: ruleTag(nonce), addedAddress: true };
      // Saved before anything can fail, so the post step undoes it even after a crash.
      toolkit.saveState(State.LinkLocal, JSON.stringify(state));
      linkLocal = { state, relativePath: `${RELATIVE_URI_PREFIX}${secretPart}` };
    }
  }
  const stsEndpoint = resolveStsEndpoint(settings, env);
  // The server keeps the source, not a session: keys go over IPC (memory only), a token file by its path.
  const source = mintingSourceOf(settings.source, env, identity);
  for (const secret of mintingSourceSecrets(source)) toolkit.setSecret(secret);
  const config: ServerConfig = {
    authToken,
    controlToken,
    proofKey,
    nonce,
    identity,
    roleArn: role.arn,
    ...(settings.chainedRoleToAssume && { chainedRoleArn: settings.chainedRoleToAssume.arn }),
    roleSessionName: settings.roleSessionName,
    region,
    ...(stsEndpoint !== undefined && { stsEndpoint }),
    audience: settings.audience,
    ...(settings.inlineSessionPolicy !== undefined && { policy: settings.inlineSessionPolicy }),
    policyArns: settings.managedSessionPolicies,
    ...withExtras(hopExtras(settings)),
    retryMaxAttempts: settings.retryMaxAttempts,
    sessionSeconds: keepAliveSessionSeconds({
      needSeconds: need?.seconds ?? 0,
      now,
      requestTokenExpiresAt: sourceEnd.until,
      ceilingSeconds: ceiling,
      knownMaxSeconds: settings.chainedRoleToAssume ? undefined : knownMaxOf(env, role.arn)?.seconds,
    }),
    expectedUntil,
    ...(sourceEnd.until !== undefined && { requestTokenExpiresAt: sourceEnd.until }),
    ...(source.kind !== 'github-oidc' && { source }),
    dir: paths.dir,
    ...(settings.proxy && { proxy: settings.proxy }),
    ...(linkLocal && { linkLocal: { host: LINK_LOCAL_ADDRESS, relativePath: linkLocal.relativePath } }),
  };
  const launch = deps.launch ?? detachedLauncher(serverEntry(import.meta.url));
  toolkit.info(`Starting the keep-alive credential server for ${target}, assuming ${role.arn} ${sourceDescription(settings.source)}...`);
  let launched;
  try {
    launched = launch(serverEnvironment(env, source.kind === 'default-chain' ? DEFAULT_CHAIN_ENV_NAMES : []));
  } catch (error) {
    await undoLinkLocal(linkLocal?.state);
    throw error;
  }
  const server: ServerIdentity = {
    pid: launched.pid,
    ...withStart(control.startOf(launched.pid)),
    nonce,
    dir: paths.dir,
  };
  const baseRecord: ServerRecord = {
    ...server,
    controlToken,
    proofKey,
    startedAt: now,
    roleArn: target,
    identity,
    ...(linkLocal && { linkLocal: linkLocal.state, relativeUriDigest: relativeUriDigest(linkLocal.relativePath) }),
    ...(linkLocalUnavailable && { linkLocalUnavailable }),
  };
  writeRecord(baseRecord);
  toolkit.saveState(State.Server, JSON.stringify(server));
  launched.send(config);

  /** Undoes this start: the server stopped, its address and NAT rules removed, its record gone (a replaced server's stays). */
  const abandon = async (client?: ServerClient): Promise<void> => {
    // The post step is told, so that it does not take the stop for a server that died early.
    if ((await stop(server, client)) !== 'still-running') toolkit.saveState(State.Server, JSON.stringify({ ...server, abandoned: true }));
    await undoLinkLocal(linkLocal?.state);
    if (!replaced) rmSync(paths.record, { force: true });
  };
  const giveUp = async (message: string, client?: ServerClient): Promise<never> => {
    await abandon(client);
    throw new Error(message);
  };
  const timeoutMs = deps.readyTimeoutMs ?? 120_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const { signal } = deps;
  let onAbort: (() => void) | undefined;
  const outcome: LaunchOutcome | 'timeout' | 'aborted' = await Promise.race([
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
  if (outcome === 'aborted') {
    launched.release();
    await abandon();
    throw new AbortError();
  }
  if (outcome === 'timeout') {
    launched.release();
    return giveUp(`The keep-alive credential server could not start: no answer within ${Math.round(timeoutMs / 1000)} s: ${lastEventText(paths)}.`);
  }
  launched.release();
  if (outcome.type === 'exited') {
    return giveUp(
      `The keep-alive credential server could not start: the process (pid ${server.pid}) exited before it was ready ` +
        `(${outcome.signal ?? `exit code ${outcome.code}`}): ${lastEventText(paths)}.`,
    );
  }
  if (outcome.nonce !== nonce) return giveUp('The keep-alive credential server could not start: it answered for another start.');
  if (outcome.type === 'failed') return giveUp(`The keep-alive credential server could not start: ${outcome.error}`);

  const endpoint = `http://127.0.0.1:${outcome.port}${CREDENTIALS_PATH}`;
  const readyRecord: ServerRecord = { ...baseRecord, endpoint };
  writeRecord(readyRecord);
  const controlClient = clientOf(endpoint, controlToken, proofKey);
  const probe = await clientOf(endpoint, authToken, proofKey).probeCredentials();
  if (probe.status !== 200) {
    return giveUp(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`, controlClient);
  }
  if (linkLocal) {
    const port = outcome.linkLocalPort;
    if (port === undefined) return giveUp(`The keep-alive credential server started but does not listen on ${LINK_LOCAL_ADDRESS}.`, controlClient);
    try {
      await hostNetwork().redirect(port, linkLocal.state.tag);
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
  const status = (await controlClient.status()) ?? { pid: server.pid, nonce, identity, refreshes: 1, served: 1, refused: 0, expectedUntil };
  // Nothing leaves the step before these pass: the server covers the need, the account is allowed, the step has not
  // timed out, and what output-credentials and aws-profile need is in place.
  let delivery: Delivery;
  try {
    checkCoverage(status);
    if (outcome.maxSessionSeconds !== undefined) {
      toolkit.info(`${role.arn} allows sessions of at most ${formatDuration(outcome.maxSessionSeconds)}: the server renews them ahead of expiry.`);
    }
    checkAllowedAccount(settings, status.assumedRoleArn ?? outcome.assumedRoleArn);
    if (signal?.aborted) throw new AbortError();
    delivery = await prepareDelivery(settings, deps, paths.dir, { endpoint, token: authToken, proofKey }, nonce);
    if (signal?.aborted) throw new AbortError();
    if (delivery.processCommand !== undefined) writeProfile?.(region, { kind: 'process', command: delivery.processCommand });
  } catch (error) {
    await abandon(controlClient);
    throw error;
  }
  if (replaced) {
    const { record: old, client: oldClient } = replaced;
    const stopped = await stop(identityOf(old), oldClient);
    // Its address and NAT rules go with it (its own post step finds nothing left to undo).
    await undoLinkLocal(old.linkLocal);
    writePrivateFile(paths.record, JSON.stringify(readyRecord));
    if (stopped === 'still-running') {
      toolkit.warning(
        `The keep-alive credential server this step replaced (pid ${old.pid}) did not stop; later steps use the new one. ` +
          `Its own post step tries again at the end of the job, or stop it now (kill ${old.pid}).`,
        'Replaced credential server still running',
      );
    }
  }
  handOver(toolkit, settings, env, endpoint, linkLocal ? { relativePath: linkLocal.relativePath } : { authToken }, region, status, workDirExport, delivery);
  toolkit.info(
    `The keep-alive credential server (pid ${server.pid}) listens on ${endpoint}` +
      (linkLocal ? ` and, for containers, on http://${LINK_LOCAL_ADDRESS} (${Env.ContainerRelativeUri}, masked)` : '') +
      '. Later steps read credentials from it ' +
      `and refresh by themselves; the current session lasts until ${outcome.expiration}.`,
  );
  note(`Keep-alive: started the credential server for ${target}, first session until ${outcome.expiration}.`, outcome.remainingSeconds);
}

/** How later steps reach the server: the full URI with its token (loopback), or ECS's relative URI (link-local). */
type Via = { readonly authToken: string; readonly relativePath?: undefined } | { readonly relativePath: string; readonly authToken?: undefined };

const secretPartOf = (relativePath: string) => relativePath.slice(RELATIVE_URI_PREFIX.length) || relativePath;

/**
 * How this step itself asks the server (output-credentials, the profile's
 * credential_process): with the token on loopback, or, where later steps got
 * the relative URI (no token in the env), by its secret path on the same
 * loopback listener, which needs no NAT rule.
 */
function serverAccess(endpoint: string, via: Via, proofKey: string): CredentialProcessFile {
  return via.relativePath !== undefined ? { endpoint: new URL(via.relativePath, endpoint).href, token: '', proofKey } : { endpoint, token: via.authToken, proofKey };
}

const withStart = (start: string | undefined) => (start !== undefined ? { start } : {});
const withExtras = (assumeRoleExtras: HopExtras | undefined) => (assumeRoleExtras ? { assumeRoleExtras } : {});

/** What the step hands over besides the variables: the first session for output-credentials, the credential_process for aws-profile. */
interface Delivery {
  readonly first?: ServedCredentials;
  readonly processCommand?: string;
}

/**
 * Fetches what output-credentials shows (the server's current session: later
 * ones are only in the server) and writes the 0600 file the profile's
 * credential_process reads. Nothing here is exported yet.
 */
async function prepareDelivery(settings: Settings, deps: KeepAliveDeps, dir: string, access: CredentialProcessFile, nonce: string): Promise<Delivery> {
  const first = settings.outputCredentials ? await fetchServedCredentials(access) : undefined;
  if (first) for (const secret of [first.AccessKeyId, first.SecretAccessKey, first.Token]) deps.toolkit.setSecret(secret);
  let processCommand: string | undefined;
  if (settings.awsProfile !== undefined) {
    const file = join(dir, `${nonce}-${CREDENTIAL_PROCESS_FILE}`);
    processCommand = credentialProcessCommand(process.execPath, credentialProcessEntry(import.meta.url), file);
    writePrivateFile(file, JSON.stringify(access));
  }
  return { ...(first && { first }), ...(processCommand !== undefined && { processCommand }) };
}

/** Exports the server's variables and outputs, and warns about anything that would shadow it. */
function handOver(
  toolkit: Toolkit,
  settings: Settings,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string,
  via: Via,
  region: string,
  status: ServerStatus,
  extra: Record<string, string>,
  delivery: Delivery = {},
): void {
  if (!settings.outputEnvCredentials) {
    // configure-aws-credentials' output-env-credentials: false exports no AWS_* variable at all.
    if (Object.keys(extra).length > 0) toolkit.exportVariables(extra);
    exportIdentityOutputs(toolkit, settings, status.assumedRoleArn);
    setServerOutputs(toolkit, endpoint, status, delivery);
    toolkit.info(`'${Inputs.OutputEnvCredentials}' is false: no AWS_* variable was exported; later steps reach the server ${settings.awsProfile !== undefined ? `through the profile "${settings.awsProfile}"` : 'only through what you pass them'}.`);
    return;
  }
  const profile = settings.awsProfile === undefined ? env[Env.Profile] : undefined;
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
  const roleMax =
    status.maxSessionSeconds !== undefined && settings.roleToAssume && !settings.chainedRoleToAssume
      ? { [Env.RoleMaxSessions]: withKnownMax(env, settings.roleToAssume.arn, { seconds: status.maxSessionSeconds }) }
      : {};
  // With a proxy in the job, make sure no client proxies the server (curl and Node's NODE_USE_ENV_PROXY would).
  const noProxy = settings.proxy ? loopbackNoProxyExports(env, via.relativePath !== undefined ? `http://${LINK_LOCAL_ADDRESS}/` : endpoint) : {};
  const variables =
    via.relativePath !== undefined
      ? serverRelativeUriVariables(via.relativePath, region, env)
      : serverCredentialVariables(endpoint, via.authToken, region);
  if (via.relativePath !== undefined && rubyTriesWebIdentity(env)) {
    toolkit.warning(
      `${Env.RoleArn} and ${Env.WebIdentityTokenFile} are both set in this job (an earlier step exported them, perhaps empty). ` +
        'The Ruby SDK (aws-sdk-core 3.168) takes even an empty value as set, tries web identity before the container credentials, and fails. ' +
        'The other SDKs are not affected. Fix: do not set them in the job, or unset them for Ruby commands (`env -u AWS_ROLE_ARN ...`).',
      'Ruby SDK would fail',
    );
  }
  exportMasked(toolkit, { ...variables, ...roleMax, ...noProxy, ...profileVariable(settings), ...extra }, [via.relativePath !== undefined ? secretPartOf(via.relativePath) : via.authToken]);
  exportIdentityOutputs(toolkit, settings, status.assumedRoleArn);
  setServerOutputs(toolkit, endpoint, status, delivery);
}

function setServerOutputs(toolkit: Toolkit, endpoint: string, status: ServerStatus, delivery: Delivery): void {
  if (delivery.first) {
    const f = delivery.first;
    outputCredentials(toolkit, { accessKeyId: f.AccessKeyId, secretAccessKey: f.SecretAccessKey, sessionToken: f.Token, expiration: new Date(f.Expiration) });
  }
  toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
  toolkit.setOutput(Outputs.Refreshed, 'true');
  if (status.expiration) toolkit.setOutput(Outputs.Expiration, status.expiration);
  if (status.remainingSeconds !== undefined) toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
  if (status.maxSessionSeconds !== undefined) toolkit.setOutput(Outputs.MaxSessionDuration, String(status.maxSessionSeconds));
}
