/**
 * Keep-alive's private folder and the files in it: the server's record (its
 * identity, control token and proof key: 0600) and its event log (no secrets).
 * The proof key (keepalive/proof.ts) never leaves this folder and the server's memory. The auth
 * token that hands out credentials is never written here: it reaches the
 * server through its IPC channel and later steps through the job's env.
 *
 * The folder is RUNNER_TEMP/aws-session-guard, one per job. It is created
 * 0700, and refused when it is a symbolic link, not a folder, or owned by
 * someone else. Without RUNNER_TEMP it is a fresh private temporary folder,
 * never a fixed path, and its location is passed on through the env.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env, WorkDirName } from '../constants.js';
import type { LinkLocalState } from './link-local.js';
import { checkPrivateFolder, ensurePrivateFolder } from '../util/private-folder.js';

type EnvLike = Readonly<Record<string, string | undefined>>;

export interface KeepAlivePaths {
  readonly dir: string;
  readonly record: string;
  readonly log: string;
}

export function pathsIn(dir: string): KeepAlivePaths {
  return { dir, record: join(dir, 'server.json'), log: join(dir, 'server-log.jsonl') };
}

/** Where this job's keep-alive folder is, or undefined when it has none yet (no RUNNER_TEMP, none exported). */
export function keepAliveDir(env: EnvLike): string | undefined {
  const exported = env[Env.WorkDir];
  if (exported) return exported;
  const temp = env[Env.RunnerTemp];
  return temp ? join(temp, WorkDirName) : undefined;
}

export { checkPrivateFolder, UnsafeFolderError } from '../util/private-folder.js';

/**
 * The job's folder, created when missing, checked when present. `created`
 * says whether later steps must be told where it is (no RUNNER_TEMP).
 */
export function openPrivateFolder(env: EnvLike): { readonly paths: KeepAlivePaths; readonly mustExport: boolean } {
  const known = keepAliveDir(env);
  if (known === undefined) {
    const dir = mkdtempSync(join(tmpdir(), `${WorkDirName}-`)); // 0700, a name nobody could predict
    return { paths: pathsIn(dir), mustExport: true };
  }
  ensurePrivateFolder(known);
  return { paths: pathsIn(known), mustExport: false };
}

/** The folder when it exists and is safe to read; undefined otherwise (nothing was started, or it is not ours). */
export function existingPrivateFolder(env: EnvLike): KeepAlivePaths | undefined {
  const dir = keepAliveDir(env);
  if (dir === undefined) return undefined;
  try {
    checkPrivateFolder(dir);
  } catch {
    return undefined;
  }
  return pathsIn(dir);
}

export { appendPrivateLine, writePrivateFile } from '../util/private-file.js';

export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Who the server process is: its pid, and what a reused pid cannot fake (its
 * start time, and a nonce it answers /status with). No secret: it is saved in
 * the runner's state for the post step.
 */
export interface ServerIdentity {
  readonly pid: number;
  /** The process's start time as the OS tells it (process-identity.ts); undefined where it cannot be read. */
  readonly start?: string;
  readonly nonce: string;
  readonly dir: string;
}

/** The running server, for later steps and the post step (0600: it holds the control token). */
export interface ServerRecord extends ServerIdentity {
  /** Set once the server is ready. */
  readonly endpoint?: string;
  /** Authorises /status and /control/*, never /credentials. */
  readonly controlToken: string;
  /** Proves the server at `endpoint` is this one (keepalive/proof.ts): never sent anywhere, never leaves this folder. */
  readonly proofKey?: string;
  readonly startedAt: number;
  readonly roleArn: string;
  /** identityKey() of what it mints: a step asking for anything else gets a server of its own. */
  readonly identity: string;
  /** serve-containers: what to undo (rule tag, whether the address was added). */
  readonly linkLocal?: LinkLocalState;
  /** serve-containers: SHA-256 (hex) of the relative URI it serves, to recognise it in a later step's env; never the path itself. */
  readonly relativeUriDigest?: string;
  /** serve-containers was asked for, but the address could not be set up: a later such step reuses this loopback server. */
  readonly linkLocalUnavailable?: boolean;
}

/** What the record keeps of a relative URI: its SHA-256 (hex), never the path itself. */
export const relativeUriDigest = (uri: string): string => createHash('sha256').update(uri, 'utf8').digest('hex');

export function identityOf(record: ServerIdentity): ServerIdentity {
  return { pid: record.pid, ...(record.start !== undefined && { start: record.start }), nonce: record.nonce, dir: record.dir };
}
