/**
 * aws-profile with keep-alive: the profile's `credential_process` runs this
 * (bundled as dist/credential-process). It reads the server's endpoint and
 * auth token from a 0600 file in the action's private folder (never from its
 * command line, which other users can read in the process list), asks the
 * credential server, and prints what the AWS CLI and SDKs expect of a
 * credential process:
 * `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}`.
 * The SDKs call it again when that Expiration nears, so the profile refreshes
 * with the server. Errors go to stderr (no secret in them), with exit code 1.
 */
import { readFileSync } from 'node:fs';
import { provenRequest } from './proven-request.js';
import { withoutLineBreaks } from '../runner/toolkit.js';

/** The file's name in the private folder. */
export const CREDENTIAL_PROCESS_FILE = 'credential-process.json';

export interface CredentialProcessFile {
  readonly endpoint: string;
  /** Empty for ECS's relative URI, whose path is the secret. */
  readonly token: string;
  /** Proves the server is the job's before anything is sent to it (keepalive/proof.ts). */
  readonly proofKey: string;
}

/** What the credential server serves (the container-credentials shape). */
export interface ContainerCredentialsAnswer {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly Token: string;
  readonly Expiration: string;
}

export interface ProcessCredentials {
  readonly Version: 1;
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  readonly Expiration: string;
}

export function toProcessCredentials(c: ContainerCredentialsAnswer): ProcessCredentials {
  return { Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.Token, Expiration: c.Expiration };
}

/** GETs the credentials from the server (plain http on loopback, never through a proxy), or throws a message without secrets. */
export async function fetchServedCredentials(file: CredentialProcessFile, timeoutMs = 10_000): Promise<ContainerCredentialsAnswer> {
  const url = new URL(file.endpoint);
  if (url.protocol !== 'http:') throw new Error(`the credential server endpoint is not http: ${url.protocol}`);
  // Proven first: neither the token nor the secret path goes to a process that is not the job's server.
  const answer = await provenRequest(url.href, file.proofKey, { headers: file.token ? { Authorization: file.token } : {}, timeoutMs });
  if (!answer) throw new Error(`the credential server did not answer (not running, or not within ${Math.round(timeoutMs / 1000)} s)`);
  let body: Partial<ContainerCredentialsAnswer> & { Code?: string; Message?: string } = {};
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    body = {};
  }
  if (answer.status !== 200) {
    throw new Error(`the credential server answered HTTP ${answer.status}${body.Code ? ` ${body.Code}` : ''}${body.Message ? `: ${body.Message}` : ''}`);
  }
  if (!body.AccessKeyId || !body.SecretAccessKey || !body.Token || !body.Expiration) {
    throw new Error('the credential server answered without a complete set of credentials');
  }
  return { AccessKeyId: body.AccessKeyId, SecretAccessKey: body.SecretAccessKey, Token: body.Token, Expiration: body.Expiration };
}

export function readCredentialProcessFile(path: string): CredentialProcessFile {
  const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<CredentialProcessFile>;
  if (typeof v.endpoint !== 'string' || typeof v.token !== 'string' || typeof v.proofKey !== 'string') {
    throw new Error(`${path} does not name a credential server`);
  }
  return { endpoint: v.endpoint, token: v.token, proofKey: v.proofKey };
}

export interface ProcessIo {
  readonly argv: readonly string[];
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly setExitCode: (code: number) => void;
}

const realIo: ProcessIo = {
  argv: process.argv,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  setExitCode: (c) => {
    process.exitCode = c;
  },
};

export async function runCredentialProcess(io: ProcessIo = realIo): Promise<void> {
  const path = io.argv[2];
  try {
    if (!path) throw new Error('usage: credential-process <file>');
    const served = await fetchServedCredentials(readCredentialProcessFile(path));
    io.stdout(`${JSON.stringify(toProcessCredentials(served))}\n`);
  } catch (error) {
    // The message may hold the server's words and a path: one line, so the step log that shows it runs no command from it.
    io.stderr(`aws-session-guard credential_process: ${withoutLineBreaks((error as Error).message)}\n`);
    io.setExitCode(1);
  }
}
