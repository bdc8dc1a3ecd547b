/** How the credential server answers and reads requests: JSON answers, one Authorization header, bounded bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHALLENGE_HEADER, proofHeaders } from './proof.js';

export const MAX_BODY_BYTES = 4096;

export class BodyTooLarge extends Error {}

/** Whether the request declared a body that has not arrived and been read in full. */
function bodyLeftUnread(req: IncomingMessage | undefined): boolean {
  if (!req || req.complete) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * How the server answers: JSON, never cached, with the proof of every answer
 * whose request carried a challenge (keepalive/proof.ts). When the request's
 * body was not read (a refusal, a route that takes none, one too large), the
 * connection is closed after the answer instead of reading the rest of the
 * body to reuse it.
 */
export function answerers(proofKey: string) {
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const req = res.req as IncomingMessage | undefined;
    const path = (req?.url ?? '/').split('?')[0] ?? '/';
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      ...(bodyLeftUnread(req) && { Connection: 'close' }),
      ...headers,
      ...proofHeaders(proofKey, req?.headers[CHALLENGE_HEADER], { method: req?.method ?? 'GET', path, status, body: text }),
    });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, code: string, message: string, headers?: Record<string, string>) =>
    send(res, status, { Code: code, Message: message }, headers);
  return { send, error };
}

/**
 * The request body, at most `limit` bytes. A larger one (by Content-Length,
 * or once the chunks pass the limit) rejects with BodyTooLarge at once, and
 * nothing more of it is kept; the answer then closes the connection.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.off('data', onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Authorization header, if it was sent exactly once; an array when it came more than once. */
export function authorizationOf(req: IncomingMessage): string | undefined | string[] {
  // Node keeps only the first of duplicated Authorization headers in req.headers: look at all of them.
  const all = req.headersDistinct['authorization'];
  if (all && all.length > 1) return all;
  return all?.[0];
}
