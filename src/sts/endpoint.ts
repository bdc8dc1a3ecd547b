/** Which STS endpoint to call: the input, else the SDK's own endpoint variables (resolved once, so the server needs no AWS_* env). */
import { Env } from '../constants.js';

export function resolveStsEndpoint(
  settings: { readonly stsEndpoint?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return settings.stsEndpoint ?? (env[Env.EndpointUrlSts] || undefined) ?? (env[Env.EndpointUrl] || undefined);
}
