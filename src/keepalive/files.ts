/**
 * Files the keep-alive parts share under RUNNER_TEMP/aws-session-guard: the
 * server's record (with its token: 0600), its start-up config (0600, deleted
 * by the server once read), its ready note and its event log (no secrets).
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env, WorkDirName } from '../constants.js';

export interface KeepAlivePaths {
  readonly dir: string;
  readonly record: string;
  readonly config: string;
  readonly ready: string;
  readonly log: string;
}

export function keepAlivePaths(env: Readonly<Record<string, string | undefined>>): KeepAlivePaths {
  const dir = join(env[Env.RunnerTemp] || tmpdir(), WorkDirName);
  return {
    dir,
    record: join(dir, 'server.json'),
    config: join(dir, 'server-config.json'),
    ready: join(dir, 'server-ready.json'),
    log: join(dir, 'server-log.jsonl'),
  };
}

/** Writes a file only its owner can read, creating its folder (0700). */
export function writePrivateFile(path: string, content: string, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  rmSync(path, { force: true });
  writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Everything the main step hands the server. Holds the auth token: 0600, deleted once read. */
export interface ServerConfig {
  readonly authToken: string;
  readonly roleArn: string;
  readonly chainedRoleArn?: string;
  readonly roleSessionName: string;
  readonly region: string;
  readonly stsEndpoint?: string;
  readonly audience: string;
  readonly policy?: string;
  readonly policyArns: readonly string[];
  readonly retryMaxAttempts: number;
  /** Local ms until which the work is expected to run. */
  readonly expectedUntil: number;
  /** Local ms when the ID-token request token expires, if known. */
  readonly requestTokenExpiresAt?: number;
  readonly paths: KeepAlivePaths;
}

/** The running server, for later steps and the post step. Holds the auth token: 0600. */
export interface ServerRecord {
  readonly pid: number;
  readonly endpoint: string;
  readonly authToken: string;
  readonly startedAt: number;
  readonly roleArn: string;
  /** What the server mints (see `servesFor`): a step asking for anything else gets a server of its own. */
  readonly servesFor: string;
}

/** What the server says once it is up (or could not get there). No secrets. */
export type ReadyNote =
  | {
      readonly ok: true;
      readonly pid: number;
      readonly port: number;
      readonly expiration: string;
      readonly remainingSeconds: number;
      readonly assumedRoleArn: string;
      readonly maxSessionSeconds?: number;
      readonly sessionSeconds: number;
    }
  | { readonly ok: false; readonly pid: number; readonly error: string };
