/**
 * How the action's own steps talk to a running credential server. Every
 * request proves the server first (keepalive/proven-request.ts): no token
 * goes to a process that cannot answer a challenge with the job's proof key,
 * and no answer is believed without its proof.
 */
import { CREDENTIALS_PATH, EXPECT_PATH, STATUS_PATH, STOP_PATH, type ServerStatus } from './credential-server.js';
import type { LoopbackAnswer } from '../net/loopback-http.js';
import { ImpostorError } from './proof.js';
import { provenRequest } from './proven-request.js';
import type { Toolkit } from '../runner/toolkit.js';

export interface ServerClient {
  /** Undefined: nothing answered, or not with 2xx. Throws ImpostorError when another process answers. */
  status(): Promise<ServerStatus | undefined>;
  /** Fetches credentials as an SDK would; returns the HTTP status and the Expiration served (status 0: no proven answer). */
  probeCredentials(): Promise<{ status: number; expiration?: string; message?: string }>;
  /** Throws ImpostorError when another process answers. */
  expect(expectedUntil: number): Promise<ServerStatus | undefined>;
  /** Whether the server took the stop; false too when another process answers (it is sent nothing). */
  stop(): Promise<boolean>;
}

/** `proofKey`: from the job's record of the server at `endpoint`; undefined when there is none (then nothing is trusted). */
export function serverClient(endpoint: string, authToken: string, proofKey: string | undefined, timeoutMs = 3000): ServerClient {
  const base = new URL(endpoint);
  // Never through a proxy (net/loopback-http.ts).
  const call = (path: string, init: { readonly method?: string; readonly body?: string } = {}) =>
    provenRequest(new URL(path, base).toString(), proofKey, { ...init, headers: { Authorization: authToken, 'Content-Type': 'application/json' }, timeoutMs });
  const json = <T>(answer: LoopbackAnswer | undefined): T | undefined => {
    if (!answer || answer.status < 200 || answer.status > 299) return undefined;
    try {
      return JSON.parse(answer.body) as T;
    } catch {
      return undefined;
    }
  };
  return {
    async status() {
      return json<ServerStatus>(await call(STATUS_PATH));
    },
    async probeCredentials() {
      let r: LoopbackAnswer | undefined;
      try {
        r = await call(CREDENTIALS_PATH);
      } catch (e) {
        if (e instanceof ImpostorError) return { status: 0, message: e.message };
        throw e;
      }
      if (!r) return { status: 0, message: 'no answer' };
      let body: { Expiration?: string; Message?: string } = {};
      try {
        body = JSON.parse(r.body) as typeof body;
      } catch {
        body = {};
      }
      return {
        status: r.status,
        ...(body.Expiration !== undefined && { expiration: body.Expiration }),
        ...(body.Message !== undefined && { message: body.Message }),
      };
    },
    async expect(expectedUntil) {
      return json<ServerStatus>(await call(EXPECT_PATH, { method: 'POST', body: JSON.stringify({ expectedUntil }) }));
    },
    async stop() {
      try {
        return (await call(STOP_PATH, { method: 'POST' }))?.status === 202;
      } catch (e) {
        if (e instanceof ImpostorError) return false;
        throw e;
      }
    },
  };
}

/** For a step that can go on without the server: an impostor is warned of by name, and taken as no answer. */
export const warnOfImpostor =
  (toolkit: Pick<Toolkit, 'warning'>) =>
  (error: unknown): undefined => {
    if (!(error instanceof ImpostorError)) throw error;
    toolkit.warning(error.message, "Not this job's credential server");
    return undefined;
  };
