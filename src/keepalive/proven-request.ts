/**
 * A request to the job's credential server that believes only a proven
 * answer (keepalive/proof.ts). First a challenge on PROOF_PATH, with no
 * token and no secret path: only once that is answered with the proof key
 * does the request itself go, with its own fresh challenge, and its answer
 * is believed only with a valid proof too (the port may change hands
 * between the two).
 */
import { loopbackRequest, type LoopbackAnswer } from '../net/loopback-http.js';
import { CHALLENGE_HEADER, checkProof, ImpostorError, newChallenge, PROOF_HEADER, PROOF_PATH } from './proof.js';

export interface ProvenOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/** host:port of a URL, as the impostor error names it. */
const addressOf = (url: URL) => `${url.hostname}:${url.port || '80'}`;

async function challenged(url: URL, key: string, options: ProvenOptions): Promise<LoopbackAnswer | undefined> {
  const challenge = newChallenge();
  const method = options.method ?? 'GET';
  const answer = await loopbackRequest(url.href, { ...options, method, headers: { ...options.headers, [CHALLENGE_HEADER]: challenge } });
  if (!answer) return undefined;
  const check = checkProof(key, challenge, answer.headers?.[PROOF_HEADER], { method, path: url.pathname, status: answer.status, body: answer.body });
  if (!check.ok) throw new ImpostorError(addressOf(url), check.reason);
  return answer;
}

/**
 * The answer of the job's own server; undefined when nothing answered (not running). Throws ImpostorError when
 * something else answers: then it got nothing but a random challenge. `key` undefined: the job has no record of
 * a server there, so whatever answers cannot be the job's.
 */
export async function provenRequest(url: string, key: string | undefined, options: ProvenOptions): Promise<LoopbackAnswer | undefined> {
  const target = new URL(url);
  const proofUrl = new URL(PROOF_PATH, target);
  if (key === undefined) {
    const anyone = await loopbackRequest(proofUrl.href, { timeoutMs: options.timeoutMs });
    if (!anyone) return undefined;
    throw new ImpostorError(addressOf(target), "this job's keep-alive folder holds no record of a server there, so it cannot prove it is the job's");
  }
  if (!(await challenged(proofUrl, key, { timeoutMs: options.timeoutMs }))) return undefined;
  return challenged(target, key, options);
}
