/**
 * The credentials a source starts from, when it signs AssumeRole: the input
 * keys (held in memory only), the keys already in the environment, or the
 * AWS SDK's own default chain (profile, container endpoint, EC2 instance
 * metadata with IMDSv2), which is loaded lazily, only for that source, so the
 * healthy path and the OIDC path never pay for it.
 */
import { Env } from '../constants.js';
import type { CredentialSource, SourceKind } from '../settings/source.js';
import type { CredentialLoader, SourceCredentials } from './types.js';

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

/**
 * The SDK's default chain (defaultProvider, as fromNodeProviderChain), created on first use. It
 * reads this process's environment (AWS_PROFILE, AWS_EC2_METADATA_SERVICE_ENDPOINT,
 * AWS_CONTAINER_CREDENTIALS_*, ...) and is asked afresh at every mint, so
 * rotated instance credentials are always the ones used.
 */
export function defaultChainLoader(): CredentialLoader {
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
      const c = await current({ forceRefresh: true });
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      throw new SourceCredentialsError(`No credentials from the SDK's default chain (environment, profile, container endpoint, EC2 instance metadata): ${message}`);
    }
  };
}

/**
 * The source as the minter (and the credential server, over IPC) takes it:
 * "existing" is settled here into the env's keys, else the default chain.
 * Holds the keys themselves: never written to a file or a log.
 */
export type MintingSource =
  | { readonly kind: 'github-oidc' }
  | { readonly kind: 'token-file'; readonly path: string }
  | { readonly kind: 'keys'; readonly from: 'static-keys' | 'existing'; readonly keys: SourceCredentials }
  | { readonly kind: 'default-chain' };

export function mintingSourceOf(source: CredentialSource, env: Readonly<Record<string, string | undefined>>): MintingSource {
  switch (source.kind) {
    case 'github-oidc':
      return { kind: 'github-oidc' };
    case 'token-file':
      return { kind: 'token-file', path: source.path };
    case 'static-keys':
      return {
        kind: 'keys',
        from: 'static-keys',
        keys: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, ...(source.sessionToken !== undefined && { sessionToken: source.sessionToken }) },
      };
    case 'existing': {
      const keys = envKeys(env);
      return keys ? { kind: 'keys', from: 'existing', keys } : { kind: 'default-chain' };
    }
  }
}

/** The source kind error hints speak of. */
export function hintSourceOf(source: MintingSource): SourceKind {
  return source.kind === 'keys' ? source.from : source.kind === 'default-chain' ? 'existing' : source.kind;
}

/** The secrets a minting source holds, to mask. */
export function mintingSourceSecrets(source: MintingSource): string[] {
  if (source.kind !== 'keys') return [];
  return [source.keys.accessKeyId, source.keys.secretAccessKey, source.keys.sessionToken ?? ''].filter((s) => s !== '');
}
