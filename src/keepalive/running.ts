/**
 * keep-alive with a server already in the job's record: acts on reuse.ts's
 * decision. A reused server is checked and handed over here; one to be
 * replaced keeps serving until the new one is ready (keep-alive.ts stops it
 * then); one that must go first is stopped, with its link-local set-up and
 * its record.
 */
import { rmSync } from 'node:fs';
import { checkAllowedAccount } from '../export/cac-delivery.js';
import { warnOfImpostor } from './client.js';
import { lastEventText } from './events.js';
import { identityOf, type ServerRecord } from './files.js';
import { deliver, handOver, secretPartOf, serverAccess } from './hand-over.js';
import { processState } from './process-control.js';
import { decideReuse } from './reuse.js';
import type { Replaced, Step } from './step-runtime.js';

/** Acts on reuse.ts's decision for the server in the job's record. */
export async function settleRunning(step: Step, record: ServerRecord): Promise<{ reused: true } | { reused: false; replaced?: Replaced }> {
  const { rt, settings, plan, paths } = step;
  const { toolkit, env } = rt;
  const running = processState(record, rt.control);
  const client = record.endpoint ? rt.clientOf(record.endpoint, record.controlToken, record.proofKey) : undefined;
  const status = running !== 'gone' && running !== 'other' ? await client?.status().catch(warnOfImpostor(toolkit)) : undefined;
  const decision = decideReuse({ record, running, status, identity: plan.identity, serveContainers: step.serveContainers, env });
  switch (decision.kind) {
    case 'fresh':
      return { reused: false };
    case 'reuse': {
      const { endpoint, via } = decision;
      const expected = (await client?.expect(plan.expectedUntil)) ?? decision.status;
      toolkit.setSecret(via.relativePath ? secretPartOf(via.relativePath) : (via.authToken ?? ''));
      step.checkCoverage(expected);
      checkAllowedAccount(settings, expected.assumedRoleArn);
      const delivery = await deliver(step, serverAccess(endpoint, via, record.proofKey ?? ''), record.nonce);
      handOver(toolkit, settings, env, endpoint, via, plan.region, expected, step.workDirExport, delivery);
      toolkit.info(
        `Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${endpoint}); ` +
          `it now expects work until ${new Date(plan.expectedUntil).toISOString()}.`,
      );
      step.note(`Keep-alive: reused the running credential server, serving until ${expected.expiration ?? '?'} and refreshing ahead of expiry.`, expected.remainingSeconds);
      return { reused: true };
    }
    case 'restart':
      toolkit.warning(
        `The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`,
        'Credential server restarted',
      );
      break;
    case 'replace':
      toolkit.info(
        `The keep-alive credential server running in this job (pid ${record.pid}) ${decision.why}: starting one for ${plan.target}; ` +
          'the running one keeps serving until the new one is ready.',
      );
      return { reused: false, replaced: { record, client } };
    case 'stop': {
      toolkit.info(`The keep-alive credential server running in this job (pid ${record.pid}) ${decision.why}: stopping it and starting one for ${plan.target}.`);
      const outcome = await rt.stop(identityOf(record), decision.answers ? client : undefined);
      if (outcome === 'still-running') {
        throw new Error(
          `The keep-alive credential server (pid ${record.pid}) ${decision.why}, and it did not stop. Stop it (kill ${record.pid}) or use a separate job.`,
        );
      }
      break;
    }
  }
  // Its address and NAT rules go with it (its own post step finds nothing left to undo).
  await rt.undoLinkLocal(record.linkLocal);
  rmSync(paths.record, { force: true });
  return { reused: false };
}
