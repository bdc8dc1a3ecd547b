/**
 * keep-alive's hand-over: what later steps and this step's outputs get from a
 * ready (new or reused) server. The variables that point SDKs at it, the
 * outputs, the first session for output-credentials, the aws-profile's
 * credential_process (its command line quoted for every SDK's parser), and
 * warnings about anything in the job that would shadow the server.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Env, Inputs, Outputs } from '../constants.js';
import { outputCredentials } from '../export/cac-delivery.js';
import { exportIdentityOutputs, exportMasked, profileVariable, rubyTriesWebIdentity, serverCredentialVariables, serverRelativeUriVariables } from '../export/variables.js';
import { withKnownMax } from '../lifetime/known-max.js';
import { loopbackNoProxyExports } from '../net/proxy.js';
import type { Toolkit } from '../runner/toolkit.js';
import type { Settings } from '../settings/settings.js';
import { AbortError } from '../util/abort.js';
import { CREDENTIAL_PROCESS_FILE, fetchServedCredentials, type CredentialProcessFile, type ContainerCredentialsAnswer } from './credential-process.js';
import type { ServerStatus } from './credential-server.js';
import { writePrivateFile } from './files.js';
import { LINK_LOCAL_ADDRESS } from './link-local.js';
import { shadowingFiles } from './shadowing.js';
import type { Step } from './step-runtime.js';

/** The credential-process bundle, beside the main bundle: dist/credential-process/index.js. */
function credentialProcessEntry(mainUrl: string): string {
  return fileURLToPath(new URL('../credential-process/index.js', mainUrl));
}

/**
 * One word of the credential_process command line. botocore splits it like a
 * shell and the JS and Go SDKs run it through one, but the Go SDKs' ini
 * parsers take a value that starts with a quote as that quoted string alone
 * (`"/node" "/cp.js"` reads as `/node`, which then runs with no script and
 * prints nothing): plain paths are written bare, and only a word that needs
 * quotes gets them.
 */
function quoteWord(word: string): string {
  const windows = process.platform === 'win32';
  const unsafe = windows ? /["\n]/ : /["$`\\\n]/;
  if (unsafe.test(word)) throw new Error(`'${Inputs.AwsProfile}': cannot write a credential_process for a path holding quotes, $, backquotes, backslashes or line breaks: ${word}`);
  const bare = windows ? /^[\w./:@%+=,\\-]+$/ : /^[\w./:@%+=,-]+$/;
  return bare.test(word) ? word : `"${word}"`;
}

/** The credential_process command line: node, the bundled entry point, and the 0600 file that names the server. */
export function credentialProcessCommand(node: string, entry: string, file: string): string {
  return [node, entry, file].map(quoteWord).join(' ');
}

/** The relative URI's prefix, as ECS's (/v2/credentials/<id>); the rest is 256 random bits. */
export const RELATIVE_URI_PREFIX = '/v2/credentials/';

/** How later steps reach the server: the full URI with its token (loopback), or ECS's relative URI (link-local). */
export type Via = { readonly authToken: string; readonly relativePath?: undefined } | { readonly relativePath: string; readonly authToken?: undefined };

export const secretPartOf = (relativePath: string) => relativePath.slice(RELATIVE_URI_PREFIX.length) || relativePath;

/**
 * How this step itself asks the server (output-credentials, the profile's
 * credential_process): with the token on loopback, or, where later steps got
 * the relative URI (no token in the env), by its secret path on the same
 * loopback listener, which needs no NAT rule.
 */
export function serverAccess(endpoint: string, via: Via, proofKey: string): CredentialProcessFile {
  return via.relativePath !== undefined ? { endpoint: new URL(via.relativePath, endpoint).href, token: '', proofKey } : { endpoint, token: via.authToken, proofKey };
}

/** What the step hands over besides the variables: the first session for output-credentials, the credential_process for aws-profile. */
export interface Delivery {
  readonly first?: ContainerCredentialsAnswer;
  readonly processCommand?: string;
}

/**
 * Fetches what output-credentials shows (the server's current session: later
 * ones are only in the server) and writes the 0600 file the profile's
 * credential_process reads. Nothing here is exported yet.
 */
async function prepareDelivery(settings: Settings, toolkit: Toolkit, dir: string, access: CredentialProcessFile, nonce: string): Promise<Delivery> {
  const first = settings.outputCredentials ? await fetchServedCredentials(access) : undefined;
  if (first) for (const secret of [first.AccessKeyId, first.SecretAccessKey, first.Token]) toolkit.setSecret(secret);
  let processCommand: string | undefined;
  if (settings.awsProfile !== undefined) {
    const file = join(dir, `${nonce}-${CREDENTIAL_PROCESS_FILE}`);
    processCommand = credentialProcessCommand(process.execPath, credentialProcessEntry(import.meta.url), file);
    writePrivateFile(file, JSON.stringify(access));
  }
  return { ...(first && { first }), ...(processCommand !== undefined && { processCommand }) };
}

/** Exports the server's variables and outputs, and warns about anything that would shadow it. */
export function handOver(
  toolkit: Toolkit,
  settings: Settings,
  env: Readonly<Record<string, string | undefined>>,
  endpoint: string,
  via: Via,
  region: string,
  status: ServerStatus,
  extra: Record<string, string>,
  delivery: Delivery = {},
): void {
  if (!settings.outputEnvCredentials) {
    // configure-aws-credentials' output-env-credentials: false exports no AWS_* variable at all.
    if (Object.keys(extra).length > 0) toolkit.exportVariables(extra);
    exportIdentityOutputs(toolkit, settings, status.assumedRoleArn);
    setServerOutputs(toolkit, endpoint, status, delivery);
    toolkit.info(`'${Inputs.OutputEnvCredentials}' is false: no AWS_* variable was exported; later steps reach the server ${settings.awsProfile !== undefined ? `through the profile "${settings.awsProfile}"` : 'only through what you pass them'}.`);
    return;
  }
  const profile = settings.awsProfile === undefined ? env[Env.Profile] : undefined;
  if (profile) {
    toolkit.warning(
      `AWS_PROFILE is set to "${profile}": the AWS CLI and SDKs use that profile's credentials, if it has any, before the keep-alive server. ` +
        'Remove AWS_PROFILE from the job (an empty AWS_PROFILE makes the AWS CLI and boto3 fail with ProfileNotFound, so this action cannot clear it for you).',
      'AWS_PROFILE may shadow the credential server',
    );
  }
  for (const file of shadowingFiles(env)) {
    toolkit.warning(
      `${file} has credentials in its default profile. The AWS CLI and SDKs read it before the keep-alive server, ` +
        'so later steps would use those instead: remove it, or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to an empty file.',
      'Shared AWS file shadows the credential server',
    );
  }
  const roleMax =
    status.maxSessionSeconds !== undefined && settings.roleToAssume && !settings.chainedRoleToAssume
      ? { [Env.RoleMaxSessions]: withKnownMax(env, settings.roleToAssume.arn, { seconds: status.maxSessionSeconds }) }
      : {};
  // With a proxy in the job, make sure no client proxies the server (curl and Node's NODE_USE_ENV_PROXY would).
  const noProxy = settings.proxy ? loopbackNoProxyExports(env, via.relativePath !== undefined ? `http://${LINK_LOCAL_ADDRESS}/` : endpoint) : {};
  const variables =
    via.relativePath !== undefined
      ? serverRelativeUriVariables(via.relativePath, region, env)
      : serverCredentialVariables(endpoint, via.authToken, region);
  if (via.relativePath !== undefined && rubyTriesWebIdentity(env)) {
    toolkit.warning(
      `${Env.RoleArn} and ${Env.WebIdentityTokenFile} are both set in this job (an earlier step exported them, perhaps empty). ` +
        'The Ruby SDK (aws-sdk-core 3.168) takes even an empty value as set, tries web identity before the container credentials, and fails. ' +
        'The other SDKs are not affected. Fix: do not set them in the job, or unset them for Ruby commands (`env -u AWS_ROLE_ARN ...`).',
      'Ruby SDK would fail',
    );
  }
  exportMasked(toolkit, { ...variables, ...roleMax, ...noProxy, ...profileVariable(settings), ...extra }, [via.relativePath !== undefined ? secretPartOf(via.relativePath) : via.authToken]);
  exportIdentityOutputs(toolkit, settings, status.assumedRoleArn);
  setServerOutputs(toolkit, endpoint, status, delivery);
}

function setServerOutputs(toolkit: Toolkit, endpoint: string, status: ServerStatus, delivery: Delivery): void {
  if (delivery.first) {
    const f = delivery.first;
    outputCredentials(toolkit, { accessKeyId: f.AccessKeyId, secretAccessKey: f.SecretAccessKey, sessionToken: f.Token, expiration: new Date(f.Expiration) });
  }
  toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
  toolkit.setOutput(Outputs.Refreshed, 'true');
  if (status.expiration) toolkit.setOutput(Outputs.Expiration, status.expiration);
  if (status.remainingSeconds !== undefined) toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
  if (status.maxSessionSeconds !== undefined) toolkit.setOutput(Outputs.MaxSessionDuration, String(status.maxSessionSeconds));
}

/** What output-credentials and aws-profile need, in place before anything is exported (unless `signal` aborted meanwhile). */
export async function deliver(step: Step, access: CredentialProcessFile, nonce: string, signal?: AbortSignal): Promise<Delivery> {
  const delivery = await prepareDelivery(step.settings, step.rt.toolkit, step.paths.dir, access, nonce);
  if (signal?.aborted) throw new AbortError();
  if (delivery.processCommand !== undefined) step.writeProfile?.(step.plan.region, { kind: 'process', command: delivery.processCommand });
  return delivery;
}
