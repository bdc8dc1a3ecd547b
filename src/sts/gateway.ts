/**
 * The STS gateway the minter gets: AssumeRoleWithWebIdentity (unsigned)
 * through the hand-written Query client, so the OIDC refresh path never loads
 * the AWS SDK; AssumeRole (signed: chaining, other credential sources) through
 * the SDK gateway, loaded as its own chunk the first time one is needed. The
 * SDK also takes AssumeRoleWithWebIdentity when only it can resolve the
 * endpoint (FIPS, dual-stack, an AWS config file's endpoint settings, an
 * unknown partition) or when the call has parameters the Query client does
 * not send.
 */
import { throwIfAborted, raceAbort } from '../util/abort.js';
import { queryEndpoint } from './query-endpoint.js';
import { assumeRoleWithWebIdentityQuery } from './query-gateway.js';
import type { GatewayOptions, StsGateway, WebIdentityParams } from '../model/sts-types.js';

export type SdkGatewayFactory = (options: GatewayOptions) => StsGateway;

export interface StsGatewayOptions extends GatewayOptions {
  /** The env the SDK would read its endpoint settings from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Loads the SDK gateway (default: its lazily loaded chunk). */
  readonly loadSdk?: () => Promise<SdkGatewayFactory>;
  /** Reads the AWS config file (default: fs). */
  readonly readFile?: (path: string) => string;
}

/** The parameters the Query client sends: a call with any other (e.g. added later to AssumeParams) goes through the SDK. */
const QUERY_PARAMS = new Set(['roleArn', 'roleSessionName', 'durationSeconds', 'policy', 'policyArns', 'webIdentityToken']);

function queryCanSend(params: WebIdentityParams): boolean {
  return Object.entries(params).every(([key, value]) => value === undefined || QUERY_PARAMS.has(key));
}

const loadSdkChunk = async (): Promise<SdkGatewayFactory> => (await import('./sdk-gateway.js')).createSdkGateway;

export function createStsGateway(options: StsGatewayOptions): StsGateway {
  const { env, loadSdk = loadSdkChunk, readFile, ...gatewayOptions } = options;
  const endpoint = queryEndpoint(gatewayOptions, env, readFile);
  let sdk: Promise<StsGateway> | undefined;
  let closed = false;
  const sdkGateway = (signal: AbortSignal | undefined): Promise<StsGateway> => {
    throwIfAborted(signal);
    sdk ??= loadSdk().then((create) => create(gatewayOptions));
    return raceAbort(sdk, signal);
  };

  return {
    async assumeRoleWithWebIdentity(params, signal) {
      if (endpoint !== undefined && queryCanSend(params)) {
        return assumeRoleWithWebIdentityQuery(
          {
            endpoint,
            proxy: gatewayOptions.proxy,
            ...(gatewayOptions.requestTimeoutMs !== undefined && { requestTimeoutMs: gatewayOptions.requestTimeoutMs }),
            ...(gatewayOptions.clock && { clock: gatewayOptions.clock }),
          },
          params,
          signal,
        );
      }
      return (await sdkGateway(signal)).assumeRoleWithWebIdentity(params, signal);
    },
    async assumeRole(credentials, params, signal) {
      return (await sdkGateway(signal)).assumeRole(credentials, params, signal);
    },
    async getCallerIdentity(credentials, signal) {
      return (await sdkGateway(signal)).getCallerIdentity(credentials, signal);
    },
    close() {
      if (closed) return;
      closed = true;
      // The Query client keeps no connection; the SDK's client, if it was loaded, pools them.
      sdk?.then(
        (gateway) => gateway.close(),
        () => undefined,
      );
    },
  };
}

