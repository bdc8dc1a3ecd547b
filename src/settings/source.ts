/**
 * Where the credentials that mint sessions come from: the source inputs of
 * configure-aws-credentials, with its names, its meaning and its precedence.
 * Read by readSettings only; everything else takes the typed `source`.
 *
 * configure-aws-credentials (src/index.ts) uses GitHub OIDC only when
 * "!!roleToAssume && !!process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN && !AccessKeyId && !webIdentityTokenFile && !roleChaining"
 * (and not force-skip-oidc); otherwise input keys are exported and used to sign
 * AssumeRole, and its assumeRole() takes a web identity token file before
 * signed AssumeRole ("case !!webIdentityTokenFile" comes before "default").
 * So the precedence is: web-identity-token-file, then the key inputs, then the
 * credentials already in place (role-chaining, use-existing-credentials), then
 * GitHub OIDC. Its refusals are kept, word for word where they fit:
 * "'aws-secret-access-key' must be provided if 'aws-access-key-id' is provided", and
 * "If 'force-skip-oidc' is true and 'role-to-assume' is set, 'aws-access-key-id',
 * 'web-identity-token-file', or container credentials must be available".
 */
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { InputReader } from './input-reader.js';
import { Inputs, type InputName } from '../constants.js';
import { fileProblem } from '../util/file-problem.js';
import { isJwt } from '../util/redact.js';
import { hasLineBreak } from '../util/line-break.js';

export { NO_ID_TOKEN, type CredentialSource, type SourceKind } from '../model/settings.js';
import { NO_ID_TOKEN, type CredentialSource, type SourceKind } from '../model/settings.js';

/** Whether the source's first hop into role-to-assume is AssumeRole signed with its credentials (else AssumeRoleWithWebIdentity). */
export function assumesWithCredentials(source: { readonly kind: SourceKind }): boolean {
  return source.kind === 'static-keys' || source.kind === 'existing';
}

/** What the source inputs read besides inputs. */
export interface SourceEnv {
  readonly GITHUB_WORKSPACE?: string | undefined;
  readonly AWS_CONTAINER_CREDENTIALS_RELATIVE_URI?: string | undefined;
  readonly AWS_CONTAINER_CREDENTIALS_FULL_URI?: string | undefined;
  /** Set by the runner when the job has the id-token permission (configure-aws-credentials looks at it alone). */
  readonly ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string | undefined;
}

/** Why a token file cannot be used (missing, not a file, unreadable, empty); undefined when it can. */
export type FileProbe = (path: string) => string | undefined;

export const probeTokenFile: FileProbe = (path) => {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return 'is not a file';
    accessSync(path, fsConstants.R_OK);
    return stat.size === 0 ? 'is empty' : undefined;
  } catch (error) {
    return fileProblem((error as { code?: string }).code);
  }
};

export interface SourceReader extends InputReader {
  readonly env: SourceEnv;
  /** Whether role-to-assume was given (even if malformed: its own problem is reported there). */
  readonly roleGiven: boolean;
  readonly probe?: FileProbe;
}

/** Access key IDs are 16 to 128 letters and digits (IAM's AccessKeyIdType). */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

/** The source the inputs select; each problem goes to `bad`. Never puts a secret in a problem. */
export function readSource(r: SourceReader): CredentialSource {
  const { getInput, bool, bad, env, roleGiven } = r;
  const accessKeyId = getInput(Inputs.AwsAccessKeyId);
  const secretAccessKey = getInput(Inputs.AwsSecretAccessKey);
  const sessionToken = getInput(Inputs.AwsSessionToken);
  const fileRaw = getInput(Inputs.WebIdentityTokenFile);
  const roleChaining = bool(Inputs.RoleChaining, false);
  const useExisting = bool(Inputs.UseExistingCredentials, false);
  const forceSkipOidc = bool(Inputs.ForceSkipOidc, false);
  const containerCredentials = !!(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);

  const fromSecrets = 'Check that the secret it comes from is set for this repository and passed to the step (secrets are empty in pull requests from forks).';
  if (accessKeyId !== '' && secretAccessKey === '') {
    bad(Inputs.AwsSecretAccessKey, undefined, `is empty: it must be provided if '${Inputs.AwsAccessKeyId}' is provided`, fromSecrets);
  }
  if (accessKeyId === '' && secretAccessKey !== '') {
    bad(Inputs.AwsAccessKeyId, undefined, `is empty: it must be provided if '${Inputs.AwsSecretAccessKey}' is provided`, fromSecrets);
  }
  if (sessionToken !== '' && accessKeyId === '') {
    bad(Inputs.AwsSessionToken, undefined, `is given without '${Inputs.AwsAccessKeyId}' and '${Inputs.AwsSecretAccessKey}'`, 'A session token belongs to the keys it was issued with: give all three.');
  }
  // The key ID is not shown: configure-aws-credentials masks it, and so does this action.
  if (accessKeyId !== '' && !ACCESS_KEY_ID.test(accessKeyId)) {
    bad(Inputs.AwsAccessKeyId, undefined, 'is not an AWS access key ID (16 to 128 upper-case letters and digits, such as AKIA... or ASIA...)', 'Check the secret it comes from, for spaces or quotes.');
  }

  let path: string | undefined;
  if (isJwt(fileRaw)) {
    // A token pasted where its file's path goes: not echoed (it is a credential), and not looked up as a path.
    bad(
      Inputs.WebIdentityTokenFile,
      undefined,
      'holds what looks like a token (a JWT), not the path of a file; the value is not shown',
      'Write the token to a file in an earlier step and give that file\'s path, e.g. /var/run/secrets/eks.amazonaws.com/serviceaccount/token.',
    );
  } else if (fileRaw !== '') {
    // configure-aws-credentials reads a relative path under GITHUB_WORKSPACE.
    path = isAbsolute(fileRaw) ? fileRaw : resolve(env.GITHUB_WORKSPACE ?? process.cwd(), fileRaw);
    const why = hasLineBreak(path) ? undefined : (r.probe ?? probeTokenFile)(path);
    if (hasLineBreak(path)) {
      // Not shown, and not looked up: printed, a line break would start a workflow command of its own.
      bad(Inputs.WebIdentityTokenFile, undefined, 'holds a line break (CR or LF); the path is not shown', 'Give the path of a file whose name has no line break.');
    } else if (why !== undefined) {
      bad(Inputs.WebIdentityTokenFile, fileRaw, `${why} (${path})`, 'Give the path of a readable file holding the token, e.g. /var/run/secrets/eks.amazonaws.com/serviceaccount/token; a relative path is read under GITHUB_WORKSPACE.');
    }
    if (!roleGiven) {
      bad(Inputs.WebIdentityTokenFile, undefined, `needs '${Inputs.RoleToAssume}'`, 'The token is exchanged for a session of that role (AssumeRoleWithWebIdentity).');
    }
  }
  if (roleChaining && !roleGiven) {
    bad(Inputs.RoleChaining, 'true', `needs '${Inputs.RoleToAssume}'`, 'Give the role that the credentials already in place assume, or leave role-chaining out.');
  }
  if (forceSkipOidc && roleGiven && accessKeyId === '' && fileRaw === '' && !containerCredentials && !roleChaining && !useExisting) {
    bad(
      Inputs.ForceSkipOidc,
      'true',
      `is set with '${Inputs.RoleToAssume}', but no other source is: '${Inputs.AwsAccessKeyId}', '${Inputs.WebIdentityTokenFile}', or container credentials must be available`,
      `Give one of them, set '${Inputs.RoleChaining}: true' to start from the credentials already in place, or remove '${Inputs.ForceSkipOidc}' to use GitHub OIDC.`,
    );
  }

  if (path !== undefined) return { kind: 'token-file', path };
  if (accessKeyId !== '' && secretAccessKey !== '') {
    return { kind: 'static-keys', accessKeyId, secretAccessKey, ...(sessionToken !== '' && { sessionToken }) };
  }
  if (roleChaining) return { kind: 'existing', via: Inputs.RoleChaining };
  if (useExisting) return { kind: 'existing', via: Inputs.UseExistingCredentials };
  if (forceSkipOidc && containerCredentials) return { kind: 'existing', via: Inputs.ForceSkipOidc };
  // configure-aws-credentials uses GitHub OIDC only when the runner set the request token (the id-token permission);
  // without it, role-to-assume is assumed with whatever the SDK's default chain finds, as there.
  if (roleGiven && !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) return { kind: 'existing', via: NO_ID_TOKEN };
  return { kind: 'github-oidc' };
}

/** The secrets among the source inputs: masked before anything is printed. */
export function sourceSecretInputs(getInput: (name: InputName) => string): string[] {
  return [Inputs.AwsAccessKeyId, Inputs.AwsSecretAccessKey, Inputs.AwsSessionToken].map((n) => getInput(n)).filter((v) => v !== '');
}

/** For messages: how the role is assumed. */
export function sourceDescription(source: CredentialSource): string {
  switch (source.kind) {
    case 'github-oidc':
      return 'through GitHub OIDC';
    case 'static-keys':
      return `with the keys from '${Inputs.AwsAccessKeyId}'`;
    case 'token-file':
      return `with the web identity token in ${source.path}`;
    case 'existing':
      return source.via === NO_ID_TOKEN
        ? "with the credentials already in place (the environment's keys, or the SDK's default chain), as configure-aws-credentials does: " +
            "this job has no id-token permission, so GitHub OIDC is not used (add 'permissions: id-token: write' to the job for it)"
        : "with the credentials already in place (the environment's keys, or the SDK's default chain)";
  }
}

/** A stable, secret-free description of the source, for the server identity. */
export function sourceIdentity(source: CredentialSource): readonly string[] {
  switch (source.kind) {
    case 'static-keys':
      // The key ID only: another key pair is another source. Hashed with the rest by identityKey().
      return [source.kind, source.accessKeyId];
    case 'token-file':
      return [source.kind, source.path];
    default:
      return [source.kind];
  }
}
