/**
 * A web identity token kept in a file (web-identity-token-file: EKS IRSA,
 * other OIDC providers). The file is read again at every call: IRSA and
 * similar systems replace it with a fresh token well before the old one
 * expires, so a copy kept in memory would die with its `exp`.
 */
import { decodeJwt, type IdToken, type TokenSource } from './token.js';
import { raceAbort } from '../util/abort.js';
import { fileProblem } from '../util/file-problem.js';

/** The token file cannot be used: missing, unreadable, or empty. No token text in the message. */
export class TokenFileError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/** Without `exp`, a file token is trusted for 5 min, like a GitHub token without one (see IdToken.expiresAt). */
const NO_EXP_LIFETIME_MS = 5 * 60_000;

/** node:fs/promises costs a GitHub OIDC step about a millisecond to load: only a token-file source loads it. */
const readText = async (path: string): Promise<string> => (await import('node:fs/promises')).readFile(path, 'utf8');

export function fileTokenSource(path: string, clock: () => number = Date.now, read: (path: string) => Promise<string> = readText): TokenSource {
  return {
    async getIdToken(_audience, signal) {
      let text: string;
      try {
        text = await raceAbort(read(path), signal);
      } catch (error) {
        if ((error as { name?: string }).name === 'AbortError') throw error;
        throw new TokenFileError(`The web identity token file ${path} ${fileProblem((error as { code?: string }).code)}.`, path);
      }
      const value = text.trim();
      if (value === '') throw new TokenFileError(`The web identity token file ${path} is empty.`, path);
      const claims = decodeJwt(value) ?? {};
      const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
      return { value, claims, expiresAt: exp ?? clock() + NO_EXP_LIFETIME_MS } satisfies IdToken;
    },
  };
}
