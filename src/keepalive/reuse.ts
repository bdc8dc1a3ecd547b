/**
 * What a keep-alive step does with the server already running for this job,
 * as pure functions of the job's record, the process state, the server's
 * (proven) status and the step's settings and env. A server for the same
 * identity, handed over here, is reused, never doubled; one for other
 * credentials is replaced (a working one keeps serving until its successor
 * has passed every check) or, when it cannot stay, stopped first.
 */
import { Env, Inputs } from '../constants.js';
import type { ServerStatus } from './credential-server.js';
import { relativeUriDigest, type ServerIdentity, type ServerRecord } from './files.js';
import type { Via } from './hand-over.js';
import type { ProcessState } from './process-control.js';

type JobEnv = Readonly<Record<string, string | undefined>>;

/** Whether a status answer comes from the server with this identity (not another process on a reused port). */
function answersAs(status: ServerStatus | undefined, identity: ServerIdentity): status is ServerStatus {
  return !!status && status.nonce === identity.nonce;
}

/**
 * The AWS_CONTAINER_CREDENTIALS_RELATIVE_URI this step inherits: none, the one
 * an earlier keep-alive step of this job exported (the record holds its
 * digest), or a foreign one (ECS, CodeBuild, or another step).
 */
export function inheritedRelativeUri(env: JobEnv, record: ServerRecord | undefined): 'none' | 'ours' | 'foreign' {
  const inherited = env[Env.ContainerRelativeUri];
  if (!inherited) return 'none';
  return record?.relativeUriDigest && relativeUriDigest(inherited) === record.relativeUriDigest ? 'ours' : 'foreign';
}

/**
 * Whether this step serves containers: as asked, or because an earlier step
 * exported our relative URI, which SDKs read first and which cannot be unset.
 */
export function servesContainers(asked: boolean, inherited: 'none' | 'ours' | 'foreign'): boolean {
  return asked || inherited === 'ours';
}

export interface ReuseInput {
  readonly record: ServerRecord | undefined;
  /** The recorded process's state (processState). */
  readonly running: ProcessState;
  /** Its /status answer, fetched only when its process may still run. */
  readonly status: ServerStatus | undefined;
  /** identityKey() of what this step asks for. */
  readonly identity: string;
  /** The effective serve-containers (servesContainers). */
  readonly serveContainers: boolean;
  readonly env: JobEnv;
}

export type ReuseDecision =
  /** No server recorded for this job: start one. */
  | { readonly kind: 'fresh' }
  /** The running server serves what this step asks for, and later steps reach it already. */
  | { readonly kind: 'reuse'; readonly endpoint: string; readonly via: Via; readonly status: ServerStatus }
  /** The recorded server is no longer running: start a new one (with a warning). */
  | { readonly kind: 'restart' }
  /** It answers but serves something else: start one, and stop it once the new one is ready. */
  | { readonly kind: 'replace'; readonly why: string }
  /** It must go first (no answer, or it holds the link-local address this step needs). */
  | { readonly kind: 'stop'; readonly why: string; readonly answers: boolean };

export function decideReuse(input: ReuseInput): ReuseDecision {
  const { record, running, status, identity, serveContainers, env } = input;
  if (!record) return { kind: 'fresh' };
  const inherited = env[Env.ContainerRelativeUri];
  const envToken = env[Env.ContainerAuthToken];
  const answers = answersAs(status, record);
  const handedOverHere = record.linkLocal
    ? serveContainers && inheritedRelativeUri(env, record) === 'ours'
    : // a loopback server serves a serve-containers step only where that step fell back to loopback too
      (!serveContainers || record.linkLocalUnavailable === true) && !!envToken && env[Env.ContainerFullUri] === record.endpoint;
  if (answers && status.identity === identity && handedOverHere && record.endpoint) {
    const via: Via = record.linkLocal && inherited ? { relativePath: inherited } : { authToken: envToken ?? '' };
    return { kind: 'reuse', endpoint: record.endpoint, via, status };
  }
  if (running === 'gone' || running === 'other') return { kind: 'restart' };
  const why = !answers
    ? 'does not answer'
    : status.identity !== identity
      ? `serves ${record.roleArn} with other settings than this step asks for`
      : !!record.linkLocal !== serveContainers && !(serveContainers && record.linkLocalUnavailable)
        ? `serves ${record.linkLocal ? 'containers' : 'loopback only'}, and this step asks for '${Inputs.ServeContainers}: ${serveContainers}'`
        : 'was handed over with credentials that are no longer in the environment';
  // Two servers cannot both hold the link-local address: one that holds it goes first when this step needs it.
  if (answers && !(record.linkLocal && serveContainers)) return { kind: 'replace', why };
  return { kind: 'stop', why, answers };
}
