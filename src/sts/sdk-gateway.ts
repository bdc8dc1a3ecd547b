/**
 * The STS gateway on the real `@aws-sdk/client-sts`. Loaded only when a
 * session must be minted (a lazily loaded chunk): the healthy guard path never
 * pays for the SDK.
 */
import { Sts } from '../constants.js';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandOutput,
  type AssumeRoleWithWebIdentityCommandOutput,
  type Credentials as SdkCredentials,
} from '@aws-sdk/client-sts';
import { proxyAgents } from '../net/proxy-agent.js';
import { AbortError } from '../util/abort.js';
import type { AssumeParams, Credentials, GatewayOptions, StsGateway, StsResult } from '../model/sts-types.js';

interface HttpResponseLike {
  readonly headers?: Record<string, string | undefined>;
}

/** Adds a step that records the response's `Date` header for one command. */
function captureDate(command: { middlewareStack: { add: (...args: never[]) => void } }, sink: { date?: Date }): void {
  type Next = (args: unknown) => Promise<{ response: unknown }>;
  const step = (next: Next) => async (args: unknown) => {
    const out = await next(args);
    const header = (out.response as HttpResponseLike | undefined)?.headers?.['date'];
    const t = header ? Date.parse(header) : NaN;
    if (!Number.isNaN(t)) sink.date = new Date(t);
    return out;
  };
  (command.middlewareStack.add as (mw: unknown, opts: unknown) => void)(step, {
    step: 'deserialize',
    name: 'awsSessionGuardServerDate',
  });
}

function toResult(
  out: AssumeRoleWithWebIdentityCommandOutput | AssumeRoleCommandOutput,
  sink: { date?: Date },
  startedAt: number,
  receivedAt: number,
): StsResult {
  const c: SdkCredentials | undefined = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new Error('STS answered without a complete set of credentials.');
  }
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: new Date(c.Expiration),
    },
    assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
    ...(sink.date && { serverDate: sink.date }),
    receivedAt,
    latencyMs: receivedAt - startedAt,
  };
}

function commonInput(p: AssumeParams) {
  return {
    RoleArn: p.roleArn,
    RoleSessionName: p.roleSessionName,
    DurationSeconds: p.durationSeconds,
    ...(p.policy !== undefined && { Policy: p.policy }),
    ...(p.policyArns && p.policyArns.length > 0 && { PolicyArns: p.policyArns.map((arn) => ({ arn })) }),
  };
}

/**
 * Sends `command`; `signal` reaches the SDK's request handler, which destroys
 * the request on abort. Whatever the SDK then throws, an aborted call rejects
 * with our AbortError, so no caller mistakes it for an STS answer.
 */
async function sendAbortable<T>(send: (options: { abortSignal?: AbortSignal }) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal?.aborted) throw new AbortError();
  try {
    return await send(signal ? { abortSignal: signal } : {});
  } catch (error) {
    if (signal?.aborted) throw new AbortError();
    throw error;
  }
}

export function createSdkGateway(options: GatewayOptions): StsGateway {
  const clock = options.clock ?? Date.now;
  // Without throwOnRequestTimeout the SDK's Node handler only logs a warning on a hung request and keeps waiting.
  // Through the proxy, if any (each agent decides per request: NO_PROXY, loopback). Opening the tunnel gets a little
  // less than connectionTimeout, so that a silent proxy fails with our message, which names it, rather than the SDK's.
  // Fresh agents per client: destroying a client destroys its handler's agents.
  const requestHandler = () => {
    const agents = proxyAgents(options.proxy, { tunnelTimeoutMs: 4_500 });
    return {
      requestTimeout: options.requestTimeoutMs ?? Sts.RequestTimeoutMs,
      connectionTimeout: Sts.ConnectionTimeoutMs,
      throwOnRequestTimeout: true,
      ...(agents && { httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent }),
    };
  };
  const base = {
    region: options.region,
    maxAttempts: 1, // the action retries itself, with its own classification
    requestHandler: requestHandler(),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
  };
  const unsigned = new STSClient(base);
  const signedClient = (credentials: Credentials) =>
    new STSClient({
      ...base,
      requestHandler: requestHandler(),
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        // IAM user keys have no token: none is sent.
        ...(credentials.sessionToken !== '' && { sessionToken: credentials.sessionToken }),
        expiration: credentials.expiration,
      },
    });

  return {
    async assumeRoleWithWebIdentity(params, signal) {
      const command = new AssumeRoleWithWebIdentityCommand({ ...commonInput(params), WebIdentityToken: params.webIdentityToken });
      const sink: { date?: Date } = {};
      captureDate(command, sink);
      const startedAt = clock();
      const out = await sendAbortable((o) => unsigned.send(command, o), signal);
      return toResult(out, sink, startedAt, clock());
    },
    async getCallerIdentity(credentials, signal) {
      const signed = signedClient(credentials);
      try {
        const out = await sendAbortable((o) => signed.send(new GetCallerIdentityCommand({}), o), signal);
        if (!out.Arn) throw new Error('STS answered GetCallerIdentity without an ARN.');
        return out.Arn;
      } finally {
        signed.destroy();
      }
    },
    async assumeRole(credentials, params, signal) {
      const signed = signedClient(credentials);
      try {
        const extras = params.assumeRoleExtras;
        const command = new AssumeRoleCommand({
          ...commonInput(params),
          ...(extras?.externalId !== undefined && { ExternalId: extras.externalId }),
          ...(extras?.tags && extras.tags.length > 0 && { Tags: extras.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
          ...(extras?.transitiveTagKeys && extras.transitiveTagKeys.length > 0 && { TransitiveTagKeys: [...extras.transitiveTagKeys] }),
        });
        const sink: { date?: Date } = {};
        captureDate(command, sink);
        const startedAt = clock();
        const out = await sendAbortable((o) => signed.send(command, o), signal);
        return toResult(out, sink, startedAt, clock());
      } finally {
        signed.destroy();
      }
    },
    close() {
      unsigned.destroy();
    },
  };
}
