/**
 * The credentials a source starts from, when it signs AssumeRole: the input
 * keys (held in memory only), the keys already in the environment, or the
 * AWS SDK's own default chain (profile, container endpoint, EC2 instance
 * metadata with IMDSv2), which is loaded lazily, only for that source, so the
 * healthy path and the OIDC path never pay for it.
 */
import { Env } from '../constants.js';
import { markerMatches, parseMarker } from '../model/marker.js';
import type { CredentialSource } from '../settings/source.js';
import type { CredentialLoader, SourceCredentials } from '../model/sts-types.js';

/** No credentials could be had from the source (the default chain found none, IMDS did not answer). No secret in it. */
export class SourceCredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceCredentialsError';
  }
}

/** Keys that never change: input keys, or the env's keys when the step started. */
export function staticLoader(keys: SourceCredentials): CredentialLoader {
  return () => Promise.resolve(keys);
}

/** The keys in `env`, when both halves are there (an exported empty value counts as unset, as in the SDKs). */
export function envKeys(env: Readonly<Record<string, string | undefined>>): SourceCredentials | undefined {
  const accessKeyId = env[Env.AccessKeyId];
  const secretAccessKey = env[Env.SecretAccessKey];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env[Env.SessionToken];
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

/** What the SDK's fromEnv reads keys from: hidden while the default chain runs (see defaultChainLoader). */
const ENV_KEY_NAMES = [Env.AccessKeyId, Env.SecretAccessKey, Env.SessionToken, Env.CredentialExpiration] as const;

async function withoutEnvKeys<T>(run: () => Promise<T>): Promise<T> {
  const saved = ENV_KEY_NAMES.map((name) => [name, process.env[name]] as const);
  for (const [name] of saved) delete process.env[name];
  try {
    return await run();
  } finally {
    for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
  }
}

/**
 * The SDK's default chain (defaultProvider, as fromNodeProviderChain), created on first use. It
 * reads this process's environment (AWS_PROFILE, AWS_EC2_METADATA_SERVICE_ENDPOINT,
 * AWS_CONTAINER_CREDENTIALS_*, ...) and is asked afresh at every mint, so
 * rotated instance credentials are always the ones used. Keys in the
 * environment are hidden from it while it runs: the chain is the source only
 * when there are none, or when they are a session this action exported
 * (mintingSourceOf), which must never sign for itself.
 */
export function defaultChainLoader(ownSessionSkipped = false): CredentialLoader {
  let provider: ((options: { forceRefresh: boolean }) => Promise<SourceCredentials>) | undefined;
  return async () => {
    if (!provider) {
      // defaultProvider is what fromNodeProviderChain (@aws-sdk/credential-providers) wraps.
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider();
    }
    const current = provider;
    try {
      // Asked afresh at every mint (minutes apart): the memoized chain would otherwise hand back the last set, even
      // one that is about to expire, while it refreshes in the background.
      const c = await withoutEnvKeys(() => current({ forceRefresh: true }));
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      throw new SourceCredentialsError(
        ownSessionSkipped
          ? `The AWS keys in the environment are the session this action exported for this role in an earlier step, and a session never signs for ` +
              `its own re-assumption; the credentials it was minted from are not to be found (profile, container endpoint, EC2 instance metadata: ${message}). ` +
              `Fix: let the job use GitHub OIDC (permissions: id-token: write), give the keys as 'aws-access-key-id' and 'aws-secret-access-key' so every ` +
              `step mints from them, or use 'keep-alive: true' (its server keeps the source).`
          : `No credentials from the SDK's default chain (environment, profile, container endpoint, EC2 instance metadata): ${message}`,
      );
    }
  };
}

/**
 * The credential source (settings/source.ts) as the minter, and the
 * credential server over IPC, take it: the same kinds, with what "existing"
 * stands for settled here, the env's keys, else (no `keys`) the SDK's default
 * chain. Holds the keys themselves: never written to a file or a log.
 */
export type MintingSource =
  | { readonly kind: 'github-oidc' }
  | { readonly kind: 'token-file'; readonly path: string }
  | { readonly kind: 'static-keys'; readonly keys: SourceCredentials }
  | { readonly kind: 'existing'; readonly keys?: SourceCredentials; readonly ownSessionSkipped?: true };

/**
 * `identity`: identityKey() of the configuration that mints. Keys in the
 * environment that this action exported for that same configuration (the
 * session marker says so) are its own session, never its source: signing with
 * them would chain the role onto itself (1 h at most, and an ExpiredToken once
 * they lapse). The chain then looks past them, to what they were minted from.
 */
export function mintingSourceOf(source: CredentialSource, env: Readonly<Record<string, string | undefined>>, identity: string): MintingSource {
  switch (source.kind) {
    case 'github-oidc':
      return { kind: 'github-oidc' };
    case 'token-file':
      return { kind: 'token-file', path: source.path };
    case 'static-keys':
      return {
        kind: 'static-keys',
        keys: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken !== undefined && { sessionToken: source.sessionToken }) },
      };
    case 'existing': {
      const keys = envKeys(env);
      if (!keys) return { kind: 'existing' };
      const marker = parseMarker(env[Env.SessionMarker]);
      if (marker?.identity === identity && markerMatches(marker, keys.accessKeyId)) return { kind: 'existing', ownSessionSkipped: true };
      return { kind: 'existing', keys };
    }
  }
}

/** Whether the source signs with the SDK's default chain (profile, container endpoint, instance metadata). */
export function usesDefaultChain(source: MintingSource): boolean {
  return source.kind === 'existing' && source.keys === undefined;
}

/** The secrets a minting source holds, to mask. */
export function mintingSourceSecrets(source: MintingSource): string[] {
  const keys = source.kind === 'static-keys' || source.kind === 'existing' ? source.keys : undefined;
  if (!keys) return [];
  return [keys.accessKeyId, keys.secretAccessKey, keys.sessionToken ?? ''].filter((s) => s !== '');
}
