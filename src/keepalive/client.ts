/** How the action's own steps talk to a running credential server. */
import { CREDENTIALS_PATH, EXPECT_PATH, STATUS_PATH, STOP_PATH, type ServerStatus } from './credential-server.js';
import { loopbackRequest, type LoopbackAnswer } from '../net/loopback-http.js';

export interface ServerClient {
  status(): Promise<ServerStatus | undefined>;
  /** Fetches credentials as an SDK would; returns the HTTP status and the Expiration served. */
  probeCredentials(): Promise<{ status: number; expiration?: string; message?: string }>;
  expect(expectedUntil: number): Promise<ServerStatus | undefined>;
  stop(): Promise<boolean>;
}

export function serverClient(endpoint: string, authToken: string, timeoutMs = 3000): ServerClient {
  const base = new URL(endpoint);
  // Never through a proxy (net/loopback-http.ts).
  const call = (path: string, init: { readonly method?: string; readonly body?: string } = {}) =>
    loopbackRequest(new URL(path, base).toString(), { ...init, headers: { Authorization: authToken, 'Content-Type': 'application/json' }, timeoutMs });
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
      const r = await call(CREDENTIALS_PATH);
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
      return (await call(STOP_PATH, { method: 'POST' }))?.status === 202;
    },
  };
}
