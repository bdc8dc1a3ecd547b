/**
 * The post step: stop the credential server this action instance started,
 * confirm it is gone, write its session timeline to the job summary, and
 * remove every file that held a secret. It signals only a process verified
 * as that server (pid, start time), never a bare pid.
 */
import { rmSync } from 'node:fs';
import { State } from '../constants.js';
import { removeRecordedProfile } from '../export/profile-files.js';
import { processToolkit, type Toolkit } from '../runner/toolkit.js';
import { timelineMarkdown, type TimelineEnd } from './timeline.js';
import { serverClient, type ServerClient } from './client.js';
import { lastEventText, readEventLog } from './events.js';
import { checkPrivateFolder, pathsIn, readJson, type ServerIdentity, type ServerRecord } from './files.js';
import { endOf, KILLED_WORDS, wasAskedToStop } from './fate.js';
import { processState, realProcessControl, stopperOf, type ProcessControl } from './process-control.js';
import { LINK_LOCAL_ADDRESS, parseLinkLocalState, realHostNetwork, type HostNetwork } from './link-local.js';

export interface PostDeps {
  readonly toolkit: Toolkit;
  readonly control?: ProcessControl;
  readonly client?: (endpoint: string, token: string, proofKey: string | undefined) => ServerClient;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly stopGraceMs?: number;
  /** serve-containers: the host's network (ip, iptables); real by default. */
  readonly hostNetwork?: HostNetwork;
  readonly clock?: () => number;
}

/**
 * Undoes this instance's serve-containers set-up, whatever became of the server: exactly its
 * tagged NAT rules, and 169.254.170.2 if it added it. Idempotent: a later keep-alive step that
 * replaced the server has undone it already.
 */
async function undoLinkLocal(deps: PostDeps): Promise<void> {
  const state = parseLinkLocalState(deps.toolkit.getState(State.LinkLocal));
  if (!state) return;
  const problems = await (deps.hostNetwork ?? realHostNetwork()).tearDown(state);
  if (problems.length > 0) {
    deps.toolkit.warning(
      `Could not fully remove the link-local set-up (${LINK_LOCAL_ADDRESS} on lo, NAT rules tagged ${state.tag}): ${problems.join('; ')}`,
      'Link-local set-up left behind',
    );
  } else {
    deps.toolkit.info(`Removed ${LINK_LOCAL_ADDRESS}${state.addedAddress ? ' from lo' : ''} and the NAT rules tagged ${state.tag}.`);
  }
}

/** The server this step started, and whether its main step stopped it itself when the start failed. */
function savedIdentity(toolkit: Toolkit): (ServerIdentity & { readonly abandoned: boolean }) | undefined {
  const raw = toolkit.getState(State.Server);
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<ServerIdentity> & { abandoned?: unknown };
    if (typeof v.pid !== 'number' || typeof v.nonce !== 'string' || typeof v.dir !== 'string') return undefined;
    return { pid: v.pid, nonce: v.nonce, dir: v.dir, ...(typeof v.start === 'string' && { start: v.start }), abandoned: v.abandoned === true };
  } catch {
    return undefined;
  }
}

export async function post(deps: PostDeps): Promise<void> {
  try {
    await stopAndReport(deps);
  } finally {
    await undoLinkLocal(deps);
  }
}

async function stopAndReport(deps: PostDeps): Promise<void> {
  const { toolkit } = deps;
  const server = savedIdentity(toolkit);
  if (!server) return; // this instance started no server
  const paths = pathsIn(server.dir);
  let safe = true;
  try {
    checkPrivateFolder(paths.dir);
  } catch {
    // Gone already (a later instance's post cleaned up), or not ours: only the process is left to see to.
    safe = false;
  }
  const record = safe ? readJson<ServerRecord>(paths.record) : undefined;
  const current = record?.nonce === server.nonce ? record : undefined;
  const client = current?.endpoint ? (deps.client ?? serverClient)(current.endpoint, current.controlToken, current.proofKey) : undefined;
  const control = deps.control ?? realProcessControl;
  const paused = processState(server, control) === 'running' && control.paused?.(server.pid) === true;
  const outcome = await stopperOf(deps)(server, client);
  const events = safe ? readEventLog(paths.log) : [];
  let end: TimelineEnd | undefined;
  try {
    switch (outcome) {
      case 'stopped':
        toolkit.info(`Stopped the keep-alive credential server (pid ${server.pid})${paused ? ', which was paused (stopped by a signal): it was resumed to stop' : ''}.`);
        break;
      case 'killed':
        toolkit.warning(
          `The keep-alive credential server (pid ${server.pid})${paused ? ' was paused (stopped by a signal),' : ''} did not stop when asked and was killed.`,
          'Credential server killed',
        );
        break;
      case 'still-running':
        toolkit.warning(
          `The keep-alive credential server (pid ${server.pid}) is still running and could not be stopped` +
            (server.start === undefined ? ' (this OS does not let the action verify the process, so it sent no signal)' : '') +
            '. The runner ends it at "Complete job".',
          'Credential server still running',
        );
        break;
      default: {
        const ended = endOf(events, server.pid);
        const replaced = !safe || (record !== undefined && !current);
        if (server.abandoned) {
          toolkit.info(`The keep-alive credential server this step started (pid ${server.pid}) was stopped by the step itself when its start failed.`);
        } else if (replaced && (ended.kind === 'unknown' || wasAskedToStop(ended))) {
          toolkit.info(`The keep-alive credential server this step started (pid ${server.pid}) was replaced by a later keep-alive step, which stopped it.`);
        } else {
          // The log's last event may be another server's once a later step started one: then only its own end is told.
          const own =
            ended.kind === 'stopped' || ended.kind === 'crashed'
              ? `it ${ended.kind} at ${new Date(ended.t).toISOString()} (${ended.reason})`
              : KILLED_WORDS;
          const how = !replaced ? (ended.kind === 'killed' ? `${KILLED_WORDS}; ${lastEventText(paths)}` : lastEventText(paths)) : own;
          toolkit.warning(
            `The keep-alive credential server (pid ${server.pid}) stopped before the end of the job: ${how}. ` +
              (replaced ? 'A later keep-alive step found it gone and started another server.' : 'Steps that ran after that got no credentials from it.'),
            ended.kind === 'killed' ? 'Credential server killed' : 'Credential server stopped early',
          );
          if (ended.kind === 'killed') end = { t: (deps.clock ?? Date.now)(), text: '**killed**: the server was gone without its stop event (found by the post step)' };
        }
      }
    }
    if (safe && (!record || current)) {
      if (events.length > 0) toolkit.appendSummary(timelineMarkdown(events, end));
    }
  } finally {
    // Another instance's server may still use the folder: it is removed with the last server's post.
    if (safe && (!record || current) && outcome !== 'still-running') rmSync(paths.dir, { recursive: true, force: true });
  }
}

export async function runPost(toolkit: Toolkit = processToolkit()): Promise<void> {
  try {
    await post({ toolkit });
  } catch (error) {
    toolkit.warning(`aws-session-guard post step: ${(error as Error).message}`);
  }
  try {
    removeRecordedProfile(toolkit);
  } catch (error) {
    toolkit.warning(`aws-session-guard post step: could not remove the aws-profile entries: ${(error as Error).message}`);
  }
}
