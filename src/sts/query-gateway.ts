/**
 * AssumeRoleWithWebIdentity over STS's Query protocol by hand: one form POST,
 * one XML answer. The call is unsigned, so it needs none of the AWS SDK,
 * which costs about 70 ms to load and run on every refresh. The errors it
 * throws have the SDK's shape (`name` and `Code` = the STS code,
 * `$metadata.httpStatusCode`, the STS message), so errors.ts `classify`
 * treats them as it treats the SDK's; `__tests__/integration/query-gateway.test.ts`
 * checks that against the real SDK. The token and the credentials never
 * appear in a message.
 */
import { Sts } from '../constants.js';
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { proxyAgents } from '../net/proxy-agent.js';
import type { ProxyConfig } from '../net/proxy.js';
import { AbortError } from '../util/abort.js';
import { childOf, parseXml, textAt } from './query-xml.js';
import type { StsResult, WebIdentityParams } from '../model/sts-types.js';

export const STS_API_VERSION = '2011-06-15';
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface QueryClientOptions {
  /** The URL to POST to (sts/query-endpoint.ts). */
  readonly endpoint: string;
  /** No answer (no byte) for this long ends the call with a TimeoutError. Default 15 s, as the SDK gateway. */
  readonly requestTimeoutMs?: number;
  /** No connection within this long ends the call with a TimeoutError. Default 5 s, as the SDK gateway. */
  readonly connectionTimeoutMs?: number;
  readonly clock?: () => number;
  readonly proxy?: ProxyConfig | undefined;
}


/** An error answer from STS, shaped like the SDK's ServiceException. */
export class StsServiceError extends Error {
  readonly Code: string;
  readonly Type: string | undefined;
  readonly $fault: 'client' | 'server';
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId?: string };

  constructor(code: string, message: string, status: number, type: string | undefined, requestId: string | undefined) {
    super(message);
    this.name = code;
    this.Code = code;
    this.Type = type;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, ...(requestId !== undefined && { requestId }) };
  }
}

/** The SDK's query serializer encodes with encodeURIComponent plus !'()*. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The form body, in the SDK's member order. */
export function webIdentityForm(params: WebIdentityParams): string {
  const fields: [string, string][] = [
    ['Action', 'AssumeRoleWithWebIdentity'],
    ['Version', STS_API_VERSION],
    ['RoleArn', params.roleArn],
    ['RoleSessionName', params.roleSessionName],
    ['WebIdentityToken', params.webIdentityToken],
  ];
  (params.policyArns ?? []).forEach((arn, i) => fields.push([`PolicyArns.member.${i + 1}.arn`, arn]));
  if (params.policy !== undefined) fields.push(['Policy', params.policy]);
  fields.push(['DurationSeconds', String(params.durationSeconds)]);
  return fields.map(([k, v]) => `${k}=${encode(v)}`).join('&');
}

export interface ParsedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly assumedRoleArn: string;
}

const INCOMPLETE = 'STS answered without a complete set of credentials.';

/**
 * What an STS answer means: the credentials of a 2xx answer, else the error
 * to throw. A body that is not STS's XML classifies as the SDK's would: by
 * its HTTP status (5xx and 429 transient, the rest permanent).
 */
export function parseStsAnswer(action: string, status: number, body: string, contentType = ''): ParsedCredentials | Error {
  const xml = body.trim() === '' ? undefined : parseXml(body);
  if (status >= 200 && status < 300) {
    const result = childOf(xml?.name === `${action}Response` ? xml : undefined, `${action}Result`);
    const credentials = childOf(result, 'Credentials');
    const accessKeyId = textAt(credentials, 'AccessKeyId');
    const secretAccessKey = textAt(credentials, 'SecretAccessKey');
    const sessionToken = textAt(credentials, 'SessionToken');
    const expirationText = textAt(credentials, 'Expiration');
    const expiration = expirationText ? Date.parse(expirationText.trim()) : NaN;
    if (!xml) {
      return Object.assign(new Error(`STS answered HTTP ${status} with a body that is not XML${describeType(contentType)}.`), {
        $metadata: { httpStatusCode: status },
      });
    }
    if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration)) return new Error(INCOMPLETE);
    return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration), assumedRoleArn: textAt(result, 'AssumedRoleUser', 'Arn') ?? '' };
  }
  const error = xml?.name === 'ErrorResponse' ? childOf(xml, 'Error') : xml?.name === 'Error' ? xml : undefined;
  const code = textAt(error, 'Code')?.trim();
  if (error && code) {
    return new StsServiceError(code, textAt(error, 'Message') ?? code, status, textAt(error, 'Type')?.trim(), textAt(xml, 'RequestId')?.trim());
  }
  // Not an STS error: a proxy's or load balancer's page, an empty or truncated body. Its code names the status.
  const what = !xml ? (body.trim() === '' ? 'an empty body' : `a body that is not XML${describeType(contentType)}`) : `XML that is not an STS error (<${xml.name.slice(0, 40)}>)`;
  return new StsServiceError(`HTTP${status}`, `STS answered HTTP ${status} with ${what}.`, status, undefined, undefined);
}

function describeType(contentType: string): string {
  const type = contentType.split(';')[0]?.trim() ?? '';
  return type === '' ? '' : ` (${type.slice(0, 60)})`;
}

class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly date: string | undefined;
  readonly contentType: string;
}

/** One POST without connection reuse (a mint is one call, minutes apart), through the proxy when one is configured. */
function post(url: URL, body: string, options: QueryClientOptions, signal: AbortSignal | undefined): Promise<Answer> {
  if (signal?.aborted) return Promise.reject(new AbortError());
  const https = url.protocol === 'https:';
  const connectionTimeoutMs = options.connectionTimeoutMs ?? Sts.ConnectionTimeoutMs;
  const requestTimeoutMs = options.requestTimeoutMs ?? Sts.RequestTimeoutMs;
  // As the SDK gateway: opening a tunnel gets a little less than the connection timeout, so a silent proxy fails with its own message.
  const agents = proxyAgents(options.proxy, { tunnelTimeoutMs: Math.max(1, connectionTimeoutMs - 500) });
  const agent: Agent | false = agents ? (https ? agents.httpsAgent : agents.httpAgent) : false;
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(Buffer.byteLength(body)),
    'User-Agent': `aws-session-guard lang/js md/nodejs#${process.versions.node} api/sts`,
    'amz-sdk-request': 'attempt=1; max=1',
  };
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(answer as Answer);
      }
    };
    const req = (https ? httpsRequest : httpRequest)(url, { method: 'POST', headers, agent }, (res: IncomingMessage) => {
      clearTimeout(connectTimer);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) finish(new Error('STS answered with more than 1 MiB.'));
        else chunks.push(chunk);
      });
      res.on('end', () =>
        finish(undefined, {
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          date: res.headers.date,
          contentType: res.headers['content-type'] ?? '',
        }),
      );
      // A connection lost mid-answer: the body is incomplete, like any network failure.
      res.on('close', () => {
        if (!res.complete) finish(Object.assign(new Error('socket hang up: the STS answer was cut off'), { code: 'ECONNRESET' }));
      });
      res.on('error', (e) => finish(e));
    });
    const connectTimer = setTimeout(
      () => finish(new TimeoutError(`Socket timed out without establishing a connection within ${connectionTimeoutMs} ms`)),
      connectionTimeoutMs,
    );
    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => clearTimeout(connectTimer));
      else clearTimeout(connectTimer);
    });
    req.setTimeout(requestTimeoutMs, () => finish(new TimeoutError(`Connection timed out after ${requestTimeoutMs} ms`)));
    const onAbort = () => finish(new AbortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e) => finish(e));
    req.end(body);
  });
}

/** AssumeRoleWithWebIdentity through the Query protocol, to `options.endpoint`. */
export async function assumeRoleWithWebIdentityQuery(options: QueryClientOptions, params: WebIdentityParams, signal?: AbortSignal): Promise<StsResult> {
  const clock = options.clock ?? Date.now;
  const url = new URL(options.endpoint);
  const startedAt = clock();
  const answer = await post(url, webIdentityForm(params), options, signal);
  const receivedAt = clock();
  const parsed = parseStsAnswer('AssumeRoleWithWebIdentity', answer.status, answer.body, answer.contentType);
  if (parsed instanceof Error) throw parsed;
  const serverDate = answer.date ? Date.parse(answer.date) : NaN;
  return {
    credentials: {
      accessKeyId: parsed.accessKeyId,
      secretAccessKey: parsed.secretAccessKey,
      sessionToken: parsed.sessionToken,
      expiration: parsed.expiration,
    },
    assumedRoleArn: parsed.assumedRoleArn,
    ...(!Number.isNaN(serverDate) && { serverDate: new Date(serverDate) }),
    receivedAt,
    latencyMs: receivedAt - startedAt,
  };
}
