/** How the action's own steps talk to a running credential server. */
import { CREDENTIALS_PATH, EXPECT_PATH, STATUS_PATH, STOP_PATH, type ServerStatus } from './credential-server.js';

export interface ServerClient {
  status(): Promise<ServerStatus | undefined>;
  /** Fetches credentials as an SDK would; returns the HTTP status and the Expiration served. */
  probeCredentials(): Promise<{ status: number; expiration?: string; message?: string }>;
  expect(expectedUntil: number): Promise<ServerStatus | undefined>;
  stop(): Promise<boolean>;
}

export function serverClient(endpoint: string, authToken: string, timeoutMs = 3000): ServerClient {
  const base = new URL(endpoint);
  const url = (path: string) => new URL(path, base).toString();
  const call = async (path: string, init: RequestInit = {}): Promise<Response | undefined> => {
    try {
      return await fetch(url(path), {
        ...init,
        headers: { Authorization: authToken, 'Content-Type': 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return undefined; // not running, or not answering
    }
  };
  return {
    async status() {
      const r = await call(STATUS_PATH);
      return r?.ok ? ((await r.json()) as ServerStatus) : undefined;
    },
    async probeCredentials() {
      const r = await call(CREDENTIALS_PATH);
      if (!r) return { status: 0, message: 'no answer' };
      const body = (await r.json().catch(() => ({}))) as { Expiration?: string; Message?: string };
      return {
        status: r.status,
        ...(body.Expiration !== undefined && { expiration: body.Expiration }),
        ...(body.Message !== undefined && { message: body.Message }),
      };
    },
    async expect(expectedUntil) {
      const r = await call(EXPECT_PATH, { method: 'POST', body: JSON.stringify({ expectedUntil }) });
      return r?.ok ? ((await r.json()) as ServerStatus) : undefined;
    },
    async stop() {
      const r = await call(STOP_PATH, { method: 'POST' });
      await r?.body?.cancel();
      return r?.status === 202;
    },
  };
}
