/** Fakes shared by the unit tests: no module mocking, only collaborators passed in. */
import type { Toolkit } from '../../src/runner/toolkit.js';
import { readSettings, SettingsError, type Settings, type SettingsEnv } from '../../src/settings/settings.js';
import type { FileProbe } from '../../src/settings/source.js';
import type { ProcessControl } from '../../src/util/process-identity.js';
import type { InputName } from '../../src/constants.js';
import type { IdToken, JwtClaims, TokenSource } from '../../src/oidc/id-token.js';
import type { AssumeParams, AssumeRoleParams, Credentials, StsGateway, StsResult } from '../../src/model/sts-types.js';
import type { Timers } from '../../src/keepalive/refresher.js';
import type { EventLog, ServerEvent } from '../../src/keepalive/events.js';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy';
export const ACCOUNT_ID = '123456789012';

/** An unsigned JWT with the given claims (STS verifies; the action only decodes). */
export function makeJwt(claims: JwtClaims): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}.c2lnbmF0dXJl`;
}

export interface ToolkitCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** A Toolkit that records everything, in order. */
export class FakeToolkit implements Toolkit {
  readonly calls: ToolkitCall[] = [];
  readonly inputs: Record<string, string> = {};
  readonly outputs: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly exports: Array<Readonly<Record<string, string>>> = [];
  readonly summary: string[] = [];
  readonly warnings: Array<{ message: string; title?: string | undefined }> = [];
  readonly infos: string[] = [];
  readonly errors: string[] = [];
  readonly state: Record<string, string> = {};
  failed: string | undefined;

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }
  getInput(name: string): string {
    this.record('getInput', name);
    return this.inputs[name] ?? '';
  }
  setSecret(value: string): void {
    this.record('setSecret', value);
    this.secrets.push(value);
  }
  setOutput(name: string, value: string): void {
    this.record('setOutput', name, value);
    this.outputs[name] = value;
  }
  saveState(name: string, value: string): void {
    this.record('saveState', name, value);
    this.state[name] = value;
  }
  getState(name: string): string {
    return this.state[name] ?? '';
  }
  exportVariables(vars: Readonly<Record<string, string>>): void {
    this.record('exportVariables', vars);
    this.exports.push({ ...vars });
  }
  appendSummary(markdown: string): void {
    this.record('appendSummary', markdown);
    this.summary.push(markdown);
  }
  info(message: string): void {
    this.record('info', message);
    this.infos.push(message);
  }
  debug(message: string): void {
    this.record('debug', message);
  }
  notice(message: string, title?: string): void {
    this.record('notice', message, title);
  }
  warning(message: string, title?: string): void {
    this.record('warning', message, title);
    this.warnings.push({ message, title });
  }
  error(message: string, title?: string): void {
    this.record('error', message, title);
    this.errors.push(message);
  }
  setFailed(message: string): void {
    this.record('setFailed', message);
    this.failed = message;
  }
  /** Index of the first call of `method` (optionally with first arg `arg`). */
  indexOf(method: string, arg?: unknown): number {
    return this.calls.findIndex((c) => c.method === method && (arg === undefined || c.args[0] === arg));
  }
  /** All text written as info, warnings or summary: to check that no secret leaks. */
  get printed(): string {
    return [...this.infos, ...this.warnings.map((w) => w.message), ...this.summary, ...this.errors, ...Object.values(this.outputs)].join('\n');
  }
}

/** A manual clock. */
export class FakeClock {
  constructor(public now: number) {}
  readonly fn = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** A token source that hands out numbered JWTs that live `lifetimeMs` from the clock's now. */
export class FakeTokenSource implements TokenSource {
  fetches = 0;
  readonly audiences: string[] = [];
  failures: unknown[] = [];
  constructor(
    private readonly clock: () => number,
    private readonly lifetimeMs = 300_000,
    readonly claims: JwtClaims = {
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:octo/deploy:ref:refs/heads/main',
      aud: 'sts.amazonaws.com',
    },
  ) {}
  async getIdToken(audience: string): Promise<IdToken> {
    this.audiences.push(audience);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.fetches++;
    const now = this.clock();
    const claims: JwtClaims = { ...this.claims, iat: Math.floor(now / 1000), exp: Math.floor((now + this.lifetimeMs) / 1000), n: this.fetches };
    return { value: makeJwt(claims), claims, expiresAt: now + this.lifetimeMs };
  }
}

/** An AWS SDK-like error: name, message and $metadata. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}

export const MAX_SESSION_MESSAGE = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
export const CHAIN_MESSAGE = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';

export type GatewayCall =
  | { readonly action: 'AssumeRoleWithWebIdentity'; readonly params: AssumeParams & { readonly webIdentityToken: string } }
  | { readonly action: 'AssumeRole'; readonly params: AssumeRoleParams; readonly credentials: Credentials };

let keyCounter = 0;

/**
 * An STS gateway with a role maximum and a queue of scripted failures. It
 * answers like STS: refuses too-long durations with the real message, and
 * mints credentials that expire durationSeconds after `serverNow`.
 */
export class FakeGateway implements StsGateway {
  readonly calls: GatewayCall[] = [];
  /** Errors thrown, in order, before answering normally. */
  readonly failures: unknown[] = [];
  maxSessionSeconds = 43200;
  /** Server clock offset from the local clock (ms): serverDate = local + offset. */
  serverOffsetMs = 0;
  sendDate = true;
  latencyMs = 40;
  accountId = ACCOUNT_ID;
  chainedCapSeconds = 3600;
  /** When set, sessions last at most this long without any refusal (STS granting less than asked). */
  grantSeconds: number | undefined;

  constructor(private readonly clock: () => number) {}

  private answer(roleArn: string, sessionName: string, durationSeconds: number): StsResult {
    const receivedAt = this.clock();
    const serverNow = receivedAt + this.serverOffsetMs;
    const n = ++keyCounter;
    const roleName = roleArn.split('/').pop() ?? 'role';
    if (this.grantSeconds !== undefined) durationSeconds = Math.min(durationSeconds, this.grantSeconds);
    return {
      credentials: {
        accessKeyId: `ASIAFAKE${String(n).padStart(8, '0')}`,
        secretAccessKey: `secret-${n}-${'x'.repeat(20)}`,
        sessionToken: `token-${n}-${'y'.repeat(40)}`,
        expiration: new Date(serverNow + durationSeconds * 1000),
      },
      assumedRoleArn: `arn:aws:sts::${this.accountId}:assumed-role/${roleName}/${sessionName}`,
      ...(this.sendDate && { serverDate: new Date(Math.floor(serverNow / 1000) * 1000) }),
      receivedAt,
      latencyMs: this.latencyMs,
    };
  }

  async assumeRoleWithWebIdentity(params: AssumeParams & { readonly webIdentityToken: string }): Promise<StsResult> {
    this.calls.push({ action: 'AssumeRoleWithWebIdentity', params });
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    if (params.durationSeconds > this.maxSessionSeconds) throw awsError('ValidationError', MAX_SESSION_MESSAGE);
    return this.answer(params.roleArn, params.roleSessionName, params.durationSeconds);
  }

  async assumeRole(credentials: Credentials, params: AssumeRoleParams): Promise<StsResult> {
    this.calls.push({ action: 'AssumeRole', params, credentials });
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    if (params.durationSeconds > this.chainedCapSeconds) throw awsError('ValidationError', CHAIN_MESSAGE);
    return this.answer(params.roleArn, params.roleSessionName, params.durationSeconds);
  }

  /** Answers for the identity whose keys sign: an IAM user of `accountId`. */
  readonly identityCalls: Credentials[] = [];
  async getCallerIdentity(credentials: Credentials): Promise<string> {
    this.identityCalls.push(credentials);
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    return `arn:aws:iam::${this.accountId}:user/ci-deployer`;
  }

  closed = 0;
  close(): void {
    this.closed++;
  }

  count(action: GatewayCall['action']): number {
    return this.calls.filter((c) => c.action === action).length;
  }
}

/** A tiny scheduler: timers fire only when the test advances the clock. */
export class FakeScheduler implements Timers {
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  constructor(readonly clock: FakeClock) {}
  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.clock.now + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** When the next timer is due, if any. */
  nextAt(): number | undefined {
    let best: number | undefined;
    for (const t of this.pending.values()) if (best === undefined || t.at < best) best = t.at;
    return best;
  }
  /** Moves the clock to `until`, firing due timers in order; lets promises settle after each. */
  async advanceTo(until: number): Promise<void> {
    for (;;) {
      let nextId: number | undefined;
      let next: { at: number; fn: () => void } | undefined;
      for (const [id, t] of this.pending) {
        if (t.at <= until && (next === undefined || t.at < next.at)) {
          next = t;
          nextId = id;
        }
      }
      if (next === undefined || nextId === undefined) break;
      this.pending.delete(nextId);
      this.clock.now = Math.max(this.clock.now, next.at);
      next.fn();
      await settle();
    }
    this.clock.now = Math.max(this.clock.now, until);
    await settle();
  }
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.clock.now + ms);
  }
}

/** Lets queued promise callbacks run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** Retry deps that never wait and record the delays. */
export function instantRetry(random = () => 0.5): { sleep: (ms: number) => Promise<void>; random: () => number; slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    random,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
  };
}

/** An event as the server writes it (without the time, which the log adds). */
export type EventBody = ServerEvent extends infer E ? (E extends ServerEvent ? Omit<E, 't'> : never) : never;

/** An in-memory event log, stamped by the given clock. */
export class FakeLog implements EventLog {
  readonly events: Array<EventBody & { t: number }> = [];
  constructor(private readonly clock: () => number) {}
  write(event: EventBody): void {
    this.events.push({ ...event, t: this.clock() });
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}

/**
 * Timers on a monotonic clock of their own, as Node's are: moving the wall
 * clock (the machine slept, the clock stepped) fires nothing. `run` lets time
 * pass on both clocks; `jump` moves the wall clock alone.
 */
export class MonotonicScheduler implements Timers {
  monotonic = 0;
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  /** Every delay asked for, in order. */
  readonly asked: number[] = [];
  constructor(readonly wall: FakeClock) {}
  set(fn: () => void, ms: number): unknown {
    this.asked.push(ms);
    const id = ++this.seq;
    this.pending.set(id, { at: this.monotonic + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  async run(ms: number): Promise<void> {
    const end = this.monotonic + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.wall.now += next[1].at - this.monotonic;
      this.monotonic = next[1].at;
      next[1].fn();
      await settle();
    }
    this.wall.now += end - this.monotonic;
    this.monotonic = end;
    await settle();
  }
  jump(ms: number): void {
    this.wall.now += ms;
  }
}

type InputValues = Partial<Record<InputName, string>> | Readonly<Record<string, string>>;

/**
 * The one settings builder of the tests: a test file names its job's env, the
 * file probe and the inputs it always gives (`base`; an input given as ''
 * overrides it to "not given"), and gets `settingsOf(inputs, env?, probe?)`.
 */
export function settingsFor(defaults: { readonly env?: SettingsEnv; readonly probe?: FileProbe; readonly base?: InputValues } = {}) {
  return (inputs: InputValues = {}, env: SettingsEnv = defaults.env ?? {}, probe: FileProbe | undefined = defaults.probe): Settings => {
    const all: Record<string, string | undefined> = { ...defaults.base, ...inputs };
    return readSettings((name) => all[name] ?? '', env, probe);
  };
}

/** Settings read from `inputs` (every other input not given) and `env`. */
export function settingsFrom(inputs: Partial<Record<InputName, string>>, env: SettingsEnv): Settings {
  return settingsFor({ env })(inputs);
}

/** The problems readSettings reports for `inputs`; fails the test when it reports none. */
export function settingsProblems(inputs: Partial<Record<InputName, string>>, env: SettingsEnv): readonly string[] {
  try {
    settingsFrom(inputs, env);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    return e.problems;
  }
  throw new Error(`expected a SettingsError for ${JSON.stringify(inputs)}`);
}

/**
 * The one fake process table of the tests: pid → start time, every signal
 * recorded. By default SIGTERM and SIGKILL end a process and other signals do
 * nothing; `onSignal` changes that for a test, and a pid in `deaf` ignores
 * every signal. `readable = false` is an OS that does not tell start times.
 */
export class FakeControl implements ProcessControl {
  readonly table = new Map<number, string>();
  readonly signals: Array<{ pid: number; signal: NodeJS.Signals }> = [];
  readonly deaf = new Set<number>();
  readable = true;
  onSignal: (pid: number, signal: NodeJS.Signals) => void = (pid, signal) => {
    if (signal === 'SIGTERM' || signal === 'SIGKILL') this.table.delete(pid);
  };
  startOf(pid: number): string | undefined {
    return this.readable ? this.table.get(pid) : undefined;
  }
  alive(pid: number): boolean {
    return this.table.has(pid);
  }
  signal(pid: number, signal: NodeJS.Signals): void {
    this.signals.push({ pid, signal });
    if (!this.deaf.has(pid)) this.onSignal(pid, signal);
  }
  /** The signals sent, in order (to `pid` only, when given). */
  signalNames(pid?: number): NodeJS.Signals[] {
    return this.signals.filter((s) => pid === undefined || s.pid === pid).map((s) => s.signal);
  }
  signalsTo(pid: number): NodeJS.Signals[] {
    return this.signalNames(pid);
  }
}
