/**
 * Knowing the job's own credential server. The bearer token proves nothing
 * about who listens (clients send it to whoever holds the port), so the
 * server and the action's steps share a second secret, the proof key: it
 * reaches the server over IPC and the steps through 0600 files in the job's
 * 0700 folder, and never travels on the wire.
 *
 * A step sends a fresh random challenge; the server answers with
 * HMAC-SHA256(key, challenge, method, path, status, body), binding the answer
 * to the challenge and to what it says. The step checks it in constant time
 * before it believes anything, and before it sends any credential: it first
 * asks PROOF_PATH, which needs none.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Answered without any token: the challenge alone. */
export const PROOF_PATH = '/proof';
export const CHALLENGE_HEADER = 'x-session-guard-challenge';
export const PROOF_HEADER = 'x-session-guard-proof';

/** 256 random bits: never written anywhere but the job's private folder and the server's memory. */
export const newProofKey = (): string => randomBytes(32).toString('base64url');
/** A fresh challenge per request: 256 random bits, hex. */
export const newChallenge = (): string => randomBytes(32).toString('hex');

const CHALLENGE = /^[0-9a-f]{64}$/;
const PROOF = /^[0-9a-f]{64}$/;

/** What an answer's proof covers besides the challenge. */
export interface ProvenExchange {
  readonly method: string;
  /** The request's path, without the query. */
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

function mac(key: string, challenge: string, x: ProvenExchange): Buffer {
  return createHmac('sha256', key)
    .update(`aws-session-guard proof v1\n${challenge}\n${x.method} ${x.path}\n${x.status}\n`, 'utf8')
    .update(x.body, 'utf8')
    .digest();
}

/** The server's side: the proof header for an answer, when the request carried a well-formed challenge. */
export function proofHeaders(key: string, challenge: string | string[] | undefined, x: ProvenExchange): Record<string, string> {
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) return {};
  return { [PROOF_HEADER]: mac(key, challenge, x).toString('hex') };
}

export type ProofCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The step's side: whether `proof` is the answer to `challenge` from a holder of `key`, compared in constant time. */
export function checkProof(key: string, challenge: string, proof: string | string[] | undefined, x: ProvenExchange): ProofCheck {
  if (proof === undefined) return { ok: false, reason: 'it did not answer the challenge (no proof in its answer)' };
  if (typeof proof !== 'string' || !PROOF.test(proof)) return { ok: false, reason: 'its answer to the challenge is malformed' };
  const expected = mac(key, challenge, x);
  if (!timingSafeEqual(expected, Buffer.from(proof, 'hex'))) {
    return { ok: false, reason: "its answer to the challenge is wrong: it does not hold this job's secret" };
  }
  return { ok: true };
}

/** A server that failed the proof: nothing it says is believed, and nothing more is sent to it. */
export class ImpostorError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(
      `The process listening on ${address} is not this job's credential server: ${reason}. Nothing was sent to it but a random challenge. ` +
        'The server this job started is gone (killed, perhaps by the OOM killer), and another process, maybe of another user on this runner, holds its port: ' +
        "AWS SDKs in later steps would send it the job's token and use the credentials it hands out. " +
        "Fix: run this action again with 'keep-alive: true' to start a new server (later steps then use its new address), " +
        'find what holds the port (ss -ltnp), and use ephemeral runners with one user per runner.',
    );
    this.name = 'ImpostorError';
  }
}
