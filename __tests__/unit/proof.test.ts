/**
 * Knowing the job's own credential server (issue 20): the HMAC challenge and
 * its check, and the proven request against real listeners: the job's
 * server, a process that answers without the key, one that replays a
 * genuine answer, and nothing at all.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCredentialServer, type CredentialServer } from '../../src/keepalive/credential-server.js';
import { CHALLENGE_HEADER, checkProof, ImpostorError, newChallenge, newProofKey, PROOF_HEADER, proofHeaders, type ProvenExchange } from '../../src/keepalive/proof.js';
import { provenRequest } from '../../src/keepalive/proven-request.js';
import { loopbackRequest } from '../../src/net/loopback-http.js';

const KEY = newProofKey();
const exchange: ProvenExchange = { method: 'GET', path: '/status', status: 200, body: '{"pid":1}' };
const proofFor = (key: string, challenge: string, x: ProvenExchange = exchange) => proofHeaders(key, challenge, x)[PROOF_HEADER];

describe('checkProof', () => {
  test('the answer of a holder of the key to this challenge: ok', () => {
    const c = newChallenge();
    expect(checkProof(KEY, c, proofFor(KEY, c), exchange)).toEqual({ ok: true });
  });

  test('a wrong secret: refused, saying it does not hold the job secret', () => {
    const c = newChallenge();
    expect(checkProof(KEY, c, proofFor(newProofKey(), c), exchange)).toEqual({
      ok: false,
      reason: "its answer to the challenge is wrong: it does not hold this job's secret",
    });
  });

  test('a replayed answer (proven for an earlier challenge): refused', () => {
    const earlier = newChallenge();
    const replayed = proofFor(KEY, earlier);
    expect(checkProof(KEY, newChallenge(), replayed, exchange).ok).toBe(false);
  });

  test('a missing header: refused, saying it did not answer the challenge', () => {
    expect(checkProof(KEY, newChallenge(), undefined, exchange)).toEqual({ ok: false, reason: 'it did not answer the challenge (no proof in its answer)' });
  });

  test.each([
    ['too short', 'ab'],
    ['not hex', 'z'.repeat(64)],
    ['upper case', 'A'.repeat(64)],
    ['sent twice', ['a'.repeat(64), 'a'.repeat(64)]],
  ])('a malformed proof (%s): refused', (_label, proof) => {
    expect(checkProof(KEY, newChallenge(), proof, exchange)).toEqual({ ok: false, reason: 'its answer to the challenge is malformed' });
  });

  test.each([
    ['another body', { ...exchange, body: '{"pid":2}' }],
    ['another status', { ...exchange, status: 403 }],
    ['another path', { ...exchange, path: '/credentials' }],
    ['another method', { ...exchange, method: 'POST' }],
  ])('the proof binds the answer: %s is refused', (_label, other) => {
    const c = newChallenge();
    expect(checkProof(KEY, c, proofFor(KEY, c), other).ok).toBe(false);
  });

  test('no proof header for a missing or malformed challenge', () => {
    expect(proofHeaders(KEY, undefined, exchange)).toEqual({});
    expect(proofHeaders(KEY, 'short', exchange)).toEqual({});
    expect(proofHeaders(KEY, [newChallenge(), newChallenge()], exchange)).toEqual({});
    expect(proofHeaders(KEY, newChallenge().toUpperCase(), exchange)).toEqual({});
  });
});

/** A process on the port that is not the job's server: it records every request, and answers as `answer` says. */
async function impostor(answer: (path: string, headers: IncomingHttpHeaders) => { body: string; headers?: Record<string, string> }) {
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ path, headers: req.headers });
    const a = answer(path, req.headers);
    res.writeHead(200, { 'Content-Type': 'application/json', ...a.headers });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { seen, port, url: `http://127.0.0.1:${port}/status`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('provenRequest', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });
  const ours = async (): Promise<CredentialServer> => {
    const s = await startCredentialServer({
      authToken: 'auth',
      controlToken: 'control',
      proofKey: KEY,
      available: () => ({ ok: false, reason: 'none' }),
      status: () => ({ pid: 7, nonce: 'n', identity: 'i', refreshes: 0, served: 0, refused: 0, expectedUntil: 0 }),
      expect: () => undefined,
      stop: () => undefined,
    });
    closers.push(() => s.close());
    return s;
  };

  test("the job's server: its proven answer", async () => {
    const s = await ours();
    const answer = await provenRequest(`http://127.0.0.1:${s.port}/status`, KEY, { headers: { Authorization: 'auth' }, timeoutMs: 3000 });
    expect(answer?.status).toBe(200);
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({ pid: 7 });
  });

  test("the job's server with another key (another job's): ImpostorError, and the token never sent", async () => {
    const s = await ours();
    const error = await provenRequest(`http://127.0.0.1:${s.port}/status`, newProofKey(), { headers: { Authorization: 'auth' }, timeoutMs: 3000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImpostorError);
    expect((error as Error).message).toMatch(new RegExp(`^The process listening on 127\\.0\\.0\\.1:${s.port} is not this job's credential server: its answer to the challenge is wrong`));
    expect(s.counts).toEqual({ served: 0, refused: 0, unauthorized: 0 }); // /status was never asked
  });

  test('an impostor that answers everything without proof: ImpostorError naming it; it got only a challenge on /proof, no token', async () => {
    const fake = await impostor(() => ({ body: '{"pid":1,"nonce":"n","identity":"i"}' }));
    closers.push(fake.close);
    const error = await provenRequest(fake.url, KEY, { headers: { Authorization: 'the-job-token' }, timeoutMs: 3000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImpostorError);
    expect((error as ImpostorError).address).toBe(`127.0.0.1:${fake.port}`);
    expect((error as ImpostorError).reason).toBe('it did not answer the challenge (no proof in its answer)');
    expect(fake.seen.map((r) => r.path)).toEqual(['/proof']);
    expect(fake.seen[0]?.headers.authorization).toBeUndefined();
    expect(fake.seen[0]?.headers[CHALLENGE_HEADER]).toMatch(/^[0-9a-f]{64}$/);
    expect((error as Error).message).not.toContain('the-job-token');
    expect((error as Error).message).not.toContain(KEY);
  });

  test("an impostor that replays the job's server's genuine answer to an earlier challenge: refused", async () => {
    // Recorded while the job's server was alive (what a local process could have asked it for on /proof).
    const s = await ours();
    const recorded = await loopbackRequest(`http://127.0.0.1:${s.port}/proof`, { headers: { [CHALLENGE_HEADER]: newChallenge() }, timeoutMs: 3000 });
    const replayedProof = recorded?.headers?.[PROOF_HEADER] as string;
    expect(replayedProof).toMatch(/^[0-9a-f]{64}$/);
    const fake = await impostor(() => ({ body: recorded?.body ?? '', headers: { [PROOF_HEADER]: replayedProof } }));
    closers.push(fake.close);
    const error = await provenRequest(fake.url, KEY, { headers: { Authorization: 'the-job-token' }, timeoutMs: 3000 }).catch((e: unknown) => e);
    expect((error as ImpostorError).reason).toBe("its answer to the challenge is wrong: it does not hold this job's secret");
    expect(fake.seen.map((r) => r.path)).toEqual(['/proof']);
  });

  test("a relay that passes the challenge on /proof to the job's server but answers /status itself: its answer is refused", async () => {
    const s = await ours();
    const fake = await impostor(() => ({ body: '{"pid":1}' }));
    closers.push(fake.close);
    const relay = createServer((req, res) => {
      const target = req.url === '/proof' ? s.port : fake.port;
      void loopbackRequest(`http://127.0.0.1:${target}${req.url ?? '/'}`, { headers: req.headers as Record<string, string>, timeoutMs: 3000 }).then((a) => {
        res.writeHead(a?.status ?? 502, { ...(a?.headers?.[PROOF_HEADER] !== undefined && { [PROOF_HEADER]: a.headers[PROOF_HEADER] as string }) });
        res.end(a?.body ?? '');
      });
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => relay.close(() => r())));
    const port = (relay.address() as AddressInfo).port;
    const error = await provenRequest(`http://127.0.0.1:${port}/status`, KEY, { timeoutMs: 3000 }).catch((e: unknown) => e);
    expect((error as ImpostorError).reason).toBe('it did not answer the challenge (no proof in its answer)');
    expect(fake.seen.map((r) => r.path)).toEqual(['/status']);
  });

  test('no key (the job holds no record of a server there): whatever answers is not believed, and gets no challenge to learn from', async () => {
    const fake = await impostor(() => ({ body: '{}' }));
    closers.push(fake.close);
    const error = await provenRequest(fake.url, undefined, { headers: { Authorization: 'the-job-token' }, timeoutMs: 3000 }).catch((e: unknown) => e);
    expect((error as ImpostorError).reason).toBe("this job's keep-alive folder holds no record of a server there, so it cannot prove it is the job's");
    expect(fake.seen.map((r) => [r.path, r.headers.authorization])).toEqual([['/proof', undefined]]);
  });

  test('nothing listening: undefined (not running), with or without a key', async () => {
    const fake = await impostor(() => ({ body: '{}' }));
    await fake.close();
    expect(await provenRequest(fake.url, KEY, { timeoutMs: 1000 })).toBeUndefined();
    expect(await provenRequest(fake.url, undefined, { timeoutMs: 1000 })).toBeUndefined();
  });
});
