/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it. This is the recipe; its parts are plan.ts (pure),
 * reuse.ts (pure) and running.ts (a server already in the job), start.ts,
 * and hand-over.ts.
 *
 * The server's identity (pid, start time, nonce) is recorded, and saved for
 * the post step, before this step waits for it: a step killed by its timeout,
 * a ready timeout or a crash still leaves the post step able to stop it. A
 * step that gives up stops the server it started.
 */
import { Env, Inputs } from '../constants.js';
import { checkAllowedAccount } from '../export/cac-delivery.js';
import { openProfile } from '../export/profile-files.js';
import { shortfall, type ShortfallContext } from '../report/shortfall.js';
import { summaryLine } from '../report/summary.js';
import { formatDuration } from '../settings/duration.js';
import type { Settings } from '../settings/settings.js';
import { AbortError } from '../util/abort.js';
import { identityOf, openPrivateFolder, readJson, writePrivateFile, type ServerRecord } from './files.js';
import { deliver, handOver, type Delivery } from './hand-over.js';
import { LINK_LOCAL_ADDRESS } from './link-local.js';
import { planHealth, planKeepAlive } from './plan.js';
import { inheritedRelativeUri, servesContainers } from './reuse.js';
import { settleRunning } from './running.js';
import { startServer } from './start.js';
import { stepRuntime, type KeepAliveDeps, type Replaced, type Step, type StepRuntime } from './step-runtime.js';

export type { KeepAliveDeps } from './step-runtime.js';
export { credentialProcessCommand } from './hand-over.js';

export async function keepAlive(settings: Settings, deps: KeepAliveDeps): Promise<void> {
  const rt = stepRuntime(deps);
  const { toolkit, env } = rt;
  // 1. Can the job mint sessions for long enough? Decided before any network call, as is a proxy the server could not use.
  const plan = planKeepAlive(settings, env, deps.clock());
  const short: ShortfallContext = { toolkit, failOnShortSession: settings.failOnShortSession, at: plan.now, needSeconds: plan.need?.seconds, title: 'AWS credentials will not last' };
  if (plan.tokenShort) {
    shortfall(short, plan.tokenShort);
  } else if (plan.tokenExpiryUnknown) {
    toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
  }
  // aws-profile: an existing profile is refused before any network call.
  const writeProfile = settings.awsProfile !== undefined ? openProfile(toolkit, env, settings.awsProfile, settings.overwriteAwsProfile) : undefined;
  const { paths, mustExport } = openPrivateFolder(env);
  const record = readJson<ServerRecord>(paths.record);
  const serveContainers = settleContainerUri(rt, settings.serveContainers, inheritedRelativeUri(env, record));
  const step: Step = {
    rt,
    settings,
    plan,
    paths,
    workDirExport: mustExport ? { [Env.WorkDir]: paths.dir } : {},
    writeProfile,
    serveContainers,
    note: (outcome, remainingSeconds) =>
      toolkit.appendSummary(summaryLine({ at: new Date(plan.now), remainingSeconds, needSeconds: plan.need?.seconds, outcome })),
    checkCoverage: (status) => {
      const health = planHealth(plan, status);
      if (health.kind === 'unavailable') throw new Error(health.message);
      if (health.kind === 'short') shortfall(short, health.message, status.remainingSeconds);
    },
  };
  // 2. A server already running for this job: reused, replaced (once the new one is ready) or stopped first.
  const running = record ? await settleRunning(step, record) : { reused: false as const };
  if (running.reused) return;
  // 3. Start a new server, 4. check it, and hand later steps over to it.
  await startAndHandOver(step, running.replaced);
}

/**
 * An inherited AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ours makes this step serve containers too; a foreign one is
 * refused with serve-containers, and warned about otherwise. Returns the effective serve-containers.
 */
function settleContainerUri({ toolkit }: StepRuntime, asked: boolean, inherited: 'none' | 'ours' | 'foreign'): boolean {
  if (inherited === 'ours' && !asked) {
    // SDKs read the relative URI first, and it cannot be unset (botocore fails on an empty one): a loopback-only server
    // would leave it naming an address that is gone.
    toolkit.info(
      `An earlier keep-alive step of this job exported ${Env.ContainerRelativeUri} ('${Inputs.ServeContainers}: true'), which SDKs read first and ` +
        `which cannot be unset: this step serves containers too, so that it keeps working.`,
    );
  }
  if (inherited === 'foreign') {
    if (asked) {
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
  return servesContainers(asked, inherited);
}

async function startAndHandOver(step: Step, replaced: Replaced | undefined): Promise<void> {
  const { rt, settings, plan, paths } = step;
  const { toolkit, env } = rt;
  const started = await startServer(rt, { plan, settings, serveContainers: step.serveContainers, paths, replacing: !!replaced });
  const { server, endpoint, ready, status, linkLocal } = started;
  // Nothing leaves the step before these pass: the server covers the need, the account is allowed, the step has not
  // timed out, and what output-credentials and aws-profile need is in place.
  let delivery: Delivery;
  try {
    step.checkCoverage(status);
    if (ready.maxSessionSeconds !== undefined) {
      toolkit.info(`${plan.role.arn} allows sessions of at most ${formatDuration(ready.maxSessionSeconds)}: the server renews them ahead of expiry.`);
    }
    checkAllowedAccount(settings, status.assumedRoleArn ?? ready.assumedRoleArn);
    if (rt.deps.signal?.aborted) throw new AbortError();
    delivery = await deliver(step, { endpoint, token: started.authToken, proofKey: started.proofKey }, started.nonce, rt.deps.signal);
  } catch (error) {
    await started.abandon(started.controlClient);
    throw error;
  }
  if (replaced) {
    const { record: old, client: oldClient } = replaced;
    const stopped = await rt.stop(identityOf(old), oldClient);
    // Its address and NAT rules go with it (its own post step finds nothing left to undo).
    await rt.undoLinkLocal(old.linkLocal);
    writePrivateFile(paths.record, JSON.stringify(started.readyRecord));
    if (stopped === 'still-running') {
      toolkit.warning(
        `The keep-alive credential server this step replaced (pid ${old.pid}) did not stop; later steps use the new one. ` +
          `Its own post step tries again at the end of the job, or stop it now (kill ${old.pid}).`,
        'Replaced credential server still running',
      );
    }
  }
  const via = linkLocal ? { relativePath: linkLocal.relativePath } : { authToken: started.authToken };
  handOver(toolkit, settings, env, endpoint, via, plan.region, status, step.workDirExport, delivery);
  toolkit.info(
    `The keep-alive credential server (pid ${server.pid}) listens on ${endpoint}` +
      (linkLocal ? ` and, for containers, on http://${LINK_LOCAL_ADDRESS} (${Env.ContainerRelativeUri}, masked)` : '') +
      '. Later steps read credentials from it ' +
      `and refresh by themselves; the current session lasts until ${ready.expiration}.`,
  );
  step.note(`Keep-alive: started the credential server for ${plan.target}, first session until ${ready.expiration}.`, ready.remainingSeconds);
}
