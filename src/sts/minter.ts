/**
 * Minting sessions. The first hop depends on the source: a web identity token
 * (GitHub's, or one read from a file) → AssumeRoleWithWebIdentity; credentials
 * (input keys, the env's, the SDK's default chain) → AssumeRole signed with
 * them. Then AssumeRole when chaining. With retries for transient failures, a fresh ID token when
 * STS says the JWT is too old, and the role's maximum found when STS says the
 * requested length is too long. Used by the guard and by the credential server.
 */
import type { IdToken, TokenSource } from '../oidc/token.js';
import { findMaxSession } from './max-session.js';
import type { RoleArn } from '../model/arn.js';
import { Sts } from '../constants.js';
import { AbortError, raceAbort } from '../util/abort.js';
import { withRetry, type RetryDeps, type RetryPolicy } from '../util/retry.js';
import { classify, stsErrorCode, type Failure } from './errors.js';
import type { SourceKind } from '../settings/source.js';
import type { AssumeRoleParams, CredentialLoader, Credentials, HopExtras, SourceCredentials, StsGateway, StsResult } from '../model/sts-types.js';

export interface MintPlan {
  readonly role: RoleArn;
  readonly chainedRole?: RoleArn | undefined;
  readonly roleSessionName: string;
  readonly durationSeconds: number;
  readonly policy?: string | undefined;
  readonly policyArns?: readonly string[] | undefined;
  /** External ID and session tags for each AssumeRole hop (STS takes none on AssumeRoleWithWebIdentity). */
  readonly assumeRoleExtras?: HopExtras | undefined;
}

export interface MintedSession extends StsResult {
  readonly durationSeconds: number;
}

export class MintError extends Error {
  constructor(
    readonly failure: Failure,
    readonly roleArn: string,
    readonly attempts: number,
  ) {
    super(
      failure.kind === 'permanent'
        ? `${failure.code}: ${failure.message}\n${failure.hint}`
        : `${failure.code}: ${failure.message}` + (attempts > 1 ? ` (after ${attempts} attempts)` : ''),
    );
    this.name = 'MintError';
  }
}

export type MintEvent =
  | { readonly type: 'sts-call'; readonly action: string; readonly durationSeconds: number; readonly ok: boolean; readonly code?: string; readonly latencyMs: number }
  | { readonly type: 'id-token'; readonly reused: boolean }
  | { readonly type: 'retry'; readonly attempt: number; readonly delayMs: number; readonly code: string }
  | { readonly type: 'tags-dropped'; readonly keys: readonly string[] };

export interface MinterDeps {
  readonly gateway: StsGateway;
  /** The web identity token for the first hop (AssumeRoleWithWebIdentity); unused when `credentials` is given. */
  readonly tokens?: TokenSource | undefined;
  /** Credentials that sign the first hop (AssumeRole) instead of a web identity token; fetched at every mint. */
  readonly credentials?: CredentialLoader | undefined;
  /** Reuse an ID token until shortly before its exp (default true); false re-reads it at every mint (a rotated token file). */
  readonly reuseToken?: boolean | undefined;
  /** For error hints: where the first hop's identity comes from (default github-oidc). */
  readonly source?: SourceKind | undefined;
  readonly audience: string;
  readonly retry: RetryPolicy;
  readonly retryDeps: RetryDeps;
  readonly clock: () => number;
  /** Sees every new ID token before it is used, to mask it. */
  readonly onToken?: (token: IdToken) => void;
  readonly onEvent?: (event: MintEvent) => void;
}

export interface LongestSession {
  readonly session: MintedSession;
  /** Set when STS refused the requested length and the maximum was searched. */
  readonly max?: { readonly seconds: number; readonly refusedSeconds: number; readonly scope: 'role' | 'chain' };
}

/** A token is reused while it has this long left (the ID token may be reused until its exp). */
const TOKEN_REUSE_MARGIN_MS = 30_000;

/** Source credentials in the gateway's shape: IAM user keys have no token (none is sent) and no end. */
function signingCredentials(c: SourceCredentials): Credentials {
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken ?? '', expiration: c.expiration ?? new Date(8.64e15) };
}

export class SessionMinter {
  private token: IdToken | undefined;

  constructor(private readonly deps: MinterDeps) {}

  /** The ID token's claims, when one was fetched: for messages (sub and aud are not secret). */
  get lastClaims(): IdToken['claims'] | undefined {
    return this.token?.claims;
  }

  private async idToken(forceNew: boolean, signal: AbortSignal | undefined): Promise<IdToken> {
    const current = this.token;
    if (!forceNew && current && this.deps.reuseToken !== false && current.expiresAt - this.deps.clock() > TOKEN_REUSE_MARGIN_MS) {
      this.deps.onEvent?.({ type: 'id-token', reused: true });
      return current;
    }
    this.token = undefined;
    // Raced as well: a token source that ignores the signal must not hold up a stop.
    const tokens = this.deps.tokens;
    if (!tokens) throw new Error('the minter has neither a token source nor credentials');
    const fresh = await raceAbort(tokens.getIdToken(this.deps.audience, signal), signal);
    this.deps.onToken?.(fresh);
    this.deps.onEvent?.({ type: 'id-token', reused: false });
    this.token = fresh;
    return fresh;
  }

  /**
   * One AssumeRole. When STS finds the session tags too large
   * (PackedPolicyTooLarge) and some are droppable convenience tags, it is
   * tried once more without them, as configure-aws-credentials does.
   */
  private async assumeRole(credentials: Credentials, params: AssumeRoleParams, signal: AbortSignal | undefined): Promise<StsResult> {
    const send = (p: AssumeRoleParams) => this.call('AssumeRole', p.durationSeconds, signal, () => this.deps.gateway.assumeRole(credentials, p, signal));
    try {
      return await send(params);
    } catch (error) {
      const tags = params.assumeRoleExtras?.tags ?? [];
      const dropped = tags.filter((t) => t.droppable).map((t) => t.key);
      if (dropped.length === 0 || signal?.aborted || stsErrorCode(error) !== 'PackedPolicyTooLarge') throw error;
      this.deps.onEvent?.({ type: 'tags-dropped', keys: dropped });
      const extras = params.assumeRoleExtras ?? {};
      const kept = tags.filter((t) => !t.droppable);
      const transitive = extras.transitiveTagKeys?.filter((k) => kept.some((t) => t.key === k));
      return send({
        ...params,
        assumeRoleExtras: {
          ...(extras.externalId !== undefined && { externalId: extras.externalId }),
          ...(kept.length > 0 && { tags: kept }),
          ...(transitive && transitive.length > 0 && { transitiveTagKeys: transitive }),
        },
      });
    }
  }

  private async call<T extends StsResult>(action: string, durationSeconds: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const started = this.deps.clock();
    try {
      // Raced as well: a gateway that ignores the signal must not hold up a stop.
      const result = await raceAbort(fn(), signal);
      this.deps.onEvent?.({ type: 'sts-call', action, durationSeconds, ok: true, latencyMs: result.latencyMs });
      return result;
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      this.deps.onEvent?.({ type: 'sts-call', action, durationSeconds, ok: false, code, latencyMs: this.deps.clock() - started });
      throw error;
    }
  }

  /**
   * One session of exactly `plan.durationSeconds`, retried through transient
   * failures. When `signal` aborts, the call in flight (ID token or STS) and
   * any wait between attempts end at once and the result is an AbortError
   * (never a MintError, never retried).
   */
  async mint(plan: MintPlan, signal?: AbortSignal): Promise<MintedSession> {
    let forceNewToken = false;
    let attempts = 0;
    const targetArn = (plan.chainedRole ?? plan.role).arn;
    const once = async (): Promise<MintedSession> => {
      attempts++;
      let failureRole = plan.role.arn;
      try {
        // The first hop of a chain only signs the AssumeRole that follows.
        const firstParams = {
          roleArn: plan.role.arn,
          roleSessionName: plan.roleSessionName,
          durationSeconds: plan.chainedRole ? Sts.MinDurationSeconds : plan.durationSeconds,
          ...(!plan.chainedRole && plan.policy !== undefined && { policy: plan.policy }),
          ...(!plan.chainedRole && plan.policyArns && { policyArns: plan.policyArns }),
        };
        const loader = this.deps.credentials;
        let first: StsResult;
        if (loader) {
          // Fetched at every mint: instance credentials rotate, and the env's may have been replaced.
          const source = await raceAbort(loader(signal), signal);
          first = await this.assumeRole(signingCredentials(source), { ...firstParams, ...(plan.assumeRoleExtras?.first && { assumeRoleExtras: plan.assumeRoleExtras.first }) }, signal);
        } else {
          const token = await this.idToken(forceNewToken, signal);
          forceNewToken = false;
          first = await this.call('AssumeRoleWithWebIdentity', firstParams.durationSeconds, signal, () =>
            this.deps.gateway.assumeRoleWithWebIdentity({ ...firstParams, webIdentityToken: token.value }, signal),
          );
        }
        if (!plan.chainedRole) return { ...first, durationSeconds: plan.durationSeconds };
        failureRole = plan.chainedRole.arn;
        const chained = plan.chainedRole;
        const second = await this.assumeRole(
          first.credentials,
          {
            roleArn: chained.arn,
            roleSessionName: plan.roleSessionName,
            durationSeconds: plan.durationSeconds,
            ...(plan.policy !== undefined && { policy: plan.policy }),
            ...(plan.policyArns && { policyArns: plan.policyArns }),
            ...(plan.assumeRoleExtras?.chained && { assumeRoleExtras: plan.assumeRoleExtras.chained }),
          },
          signal,
        );
        return { ...second, durationSeconds: plan.durationSeconds };
      } catch (error) {
        // A stop is not an STS answer: whatever the aborted call threw, it is an abort.
        if (signal?.aborted) throw error instanceof AbortError ? error : new AbortError();
        if (error instanceof MintError) throw error;
        const failure = classify(error, {
          roleArn: failureRole,
          audience: this.deps.audience,
          claims: this.token?.claims,
          chainedFrom: failureRole === plan.role.arn ? undefined : plan.role.arn,
          source: this.deps.source,
        });
        if (failure.kind === 'transient' && failure.newToken) forceNewToken = true;
        throw new MintError(failure, failureRole, attempts);
      }
    };
    try {
      return await withRetry(
        once,
        (e) => e instanceof MintError && e.failure.kind === 'transient',
        this.deps.retry,
        this.deps.retryDeps,
        (r) => this.deps.onEvent?.({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, code: (r.error as MintError).failure.code }),
        signal,
      );
    } catch (error) {
      if (error instanceof MintError) throw new MintError(error.failure, error.roleArn || targetArn, attempts);
      throw error;
    }
  }

  /**
   * The ARN of the source's identity (GetCallerIdentity signed with the
   * source's credentials), retried through transient failures, as
   * configure-aws-credentials checks keys handed on without a role.
   */
  async callerIdentity(signal?: AbortSignal): Promise<string> {
    const loader = this.deps.credentials;
    if (!loader) throw new Error('callerIdentity needs credentials as the source');
    let attempts = 0;
    const once = async (): Promise<string> => {
      attempts++;
      try {
        const source = await raceAbort(loader(signal), signal);
        const started = this.deps.clock();
        const arn = await raceAbort(this.deps.gateway.getCallerIdentity(signingCredentials(source), signal), signal);
        this.deps.onEvent?.({ type: 'sts-call', action: 'GetCallerIdentity', durationSeconds: 0, ok: true, latencyMs: this.deps.clock() - started });
        return arn;
      } catch (error) {
        if (signal?.aborted) throw error instanceof AbortError ? error : new AbortError();
        throw new MintError(classify(error, { roleArn: '', audience: this.deps.audience, claims: undefined, source: this.deps.source }), '', attempts);
      }
    };
    return withRetry(once, (e) => e instanceof MintError && e.failure.kind === 'transient', this.deps.retry, this.deps.retryDeps, undefined, signal);
  }

  /**
   * A session of `plan.durationSeconds`, or, when STS says that is longer than
   * the role allows, of the longest length it allows (found with the fewest calls).
   * An abort ends it at once, mid-search too, with an AbortError.
   */
  async mintLongest(plan: MintPlan, signal?: AbortSignal): Promise<LongestSession> {
    try {
      return { session: await this.mint(plan, signal) };
    } catch (error) {
      if (!(error instanceof MintError) || error.failure.kind !== 'duration-too-long') throw error;
      const scope = error.failure.scope;
      if (scope === 'chain') {
        const session = await this.mint({ ...plan, durationSeconds: Sts.ChainedMaxSeconds }, signal);
        return { session, max: { seconds: Sts.ChainedMaxSeconds, refusedSeconds: plan.durationSeconds, scope } };
      }
      const found = await findMaxSession(plan.durationSeconds, async (seconds) => {
        try {
          return { ok: true, value: await this.mint({ ...plan, durationSeconds: seconds }, signal) };
        } catch (e) {
          if (e instanceof MintError && e.failure.kind === 'duration-too-long') return { ok: false };
          throw e;
        }
      });
      return { session: found.value, max: { seconds: found.maxSeconds, refusedSeconds: found.refusedSeconds, scope } };
    }
  }
}
