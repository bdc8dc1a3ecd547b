export const id = 298;
export const ids = [298];
export const modules = {

/***/ 2910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z4: () => (/* binding */ IdTokenError),
/* harmony export */   iU: () => (/* binding */ decodeJwt),
/* harmony export */   lo: () => (/* binding */ jwtExpiry),
/* harmony export */   vO: () => (/* binding */ MISSING_PERMISSION_MESSAGE)
/* harmony export */ });
class IdTokenError extends Error {
    kind;
    constructor(message, kind) {
        super(message);
        this.kind = kind;
        this.name = 'IdTokenError';
    }
}
/** Decodes a JWT's claims without verifying it (STS verifies); undefined when it is not a JWT. */
function decodeJwt(token) {
    const parts = token.split('.');
    if (parts.length !== 3 || !parts[1])
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
        return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? claims : undefined;
    }
    catch {
        return undefined;
    }
}
/** Seconds since epoch at which a JWT expires, if it is a JWT with `exp`. */
function jwtExpiry(token) {
    const exp = decodeJwt(token)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}
const MISSING_PERMISSION_MESSAGE = 'The job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. ' +
    'Give the job the permission by name: add "permissions: id-token: write" (and "contents: read") to the job or the workflow. ' +
    'Pull requests from forks never get it.';


/***/ }),

/***/ 3298:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_RETRY: () => (/* reexport */ retry/* DEFAULT_RETRY */.vI),
  SessionMinter: () => (/* reexport */ SessionMinter),
  createSdkGateway: () => (/* reexport */ createSdkGateway),
  githubTokenSource: () => (/* reexport */ githubTokenSource),
  realRetryDeps: () => (/* reexport */ retry/* realRetryDeps */.tn)
});

// EXTERNAL MODULE: ../main/node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var dist_cjs = __webpack_require__(9999);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ./src/net/proxy.ts
var net_proxy = __webpack_require__(1189);
;// CONCATENATED MODULE: ./src/net/proxy-agent.ts
/**
 * Agents that send requests through an HTTP proxy, for node:http(s) and the
 * AWS SDK's request handler: https targets through an HTTP CONNECT tunnel
 * (TLS to the target inside it), plain http targets as absolute-URI requests
 * to the proxy. Each agent decides per request (NO_PROXY, loopback) and
 * connects directly when the request is not to be proxied.
 *
 * The proxy's user info becomes a Proxy-Authorization (Basic) header; it is
 * never part of a message. Only the ID-token client and the STS gateway load
 * this module, both lazily: the healthy guard path never does.
 */





/** A proxy that could not be reached or would not pass the request on. The message never holds the password. */
class ProxyError extends Error {
    code;
    constructor(message, 
    /** ProxyAuthenticationRequired (407) and ProxyRefused (403 and other 4xx) will not pass by retrying. */
    code) {
        super(message);
        this.code = code;
        this.name = 'ProxyError';
    }
    get permanent() {
        return this.code !== 'ProxyUnavailable';
    }
}
const MAX_ANSWER_HEAD = 16 * 1024;
const bracketed = (host) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
/** `host:port` for a request line or Host header, IPv6 in brackets. */
function authority(host, port) {
    return `${bracketed(host)}:${port}`;
}
function proxyAuthorization(proxy) {
    if (proxy.username === '' && proxy.password === '')
        return undefined;
    const decode = (s) => {
        try {
            return decodeURIComponent(s);
        }
        catch {
            return s;
        }
    };
    return `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`).toString('base64')}`;
}
/** A TCP (http:// proxy) or TLS (https:// proxy) connection to the proxy, resolved once connected. */
function connectToProxy(proxy, shown, timeoutMs, signal) {
    const port = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
    const host = proxy.hostname.startsWith('[') ? proxy.hostname.slice(1, -1) : proxy.hostname;
    return new Promise((resolve, reject) => {
        const socket = proxy.protocol === 'https:' ? (0,external_node_tls_.connect)({ host, port, servername: /^[\d.]+$|:/.test(host) ? '' : host }) : (0,external_node_net_.connect)({ host, port });
        const connectedEvent = proxy.protocol === 'https:' ? 'secureConnect' : 'connect';
        const finish = (error) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            socket.off('error', onError);
            socket.off(connectedEvent, onConnect);
            if (error) {
                socket.destroy();
                reject(error);
            }
            else {
                resolve(socket);
            }
        };
        const onError = (e) => finish(new ProxyError(`Could not connect to the proxy ${shown}: ${e.message}`, 'ProxyUnavailable'));
        const onConnect = () => finish();
        const onAbort = () => finish(abortError());
        const timer = setTimeout(() => finish(new ProxyError(`Could not connect to the proxy ${shown} within ${timeoutMs} ms.`, 'ProxyUnavailable')), timeoutMs);
        if (signal?.aborted) {
            onAbort();
            return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        socket.once('error', onError);
        socket.once(connectedEvent, onConnect);
    });
}
const abortError = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
/**
 * Opens an HTTP CONNECT tunnel to host:port through the proxy: resolves the
 * socket to write the target's protocol (TLS) into, once the proxy answered 2xx.
 */
async function openTunnel(proxy, host, port, options = {}) {
    const url = (0,net_proxy/* parseProxyUrl */.Pr)(proxy);
    const shown = (0,net_proxy/* describeProxy */.GK)(proxy);
    const timeoutMs = options.tunnelTimeoutMs ?? 10_000;
    const started = Date.now();
    const socket = await connectToProxy(url, shown, timeoutMs, options.signal);
    const target = authority(host, port);
    const auth = proxyAuthorization(url);
    return new Promise((resolve, reject) => {
        let head = Buffer.alloc(0);
        const finish = (error, rest) => {
            clearTimeout(timer);
            options.signal?.removeEventListener('abort', onAbort);
            socket.off('data', onData);
            socket.off('error', onError);
            socket.off('close', onClose);
            if (error) {
                socket.destroy();
                reject(error);
                return;
            }
            // Out of flowing mode, so nothing is lost before TLS takes the socket over.
            socket.pause();
            if (rest && rest.length > 0)
                socket.unshift(rest);
            resolve(socket);
        };
        const onData = (chunk) => {
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf('\r\n\r\n');
            if (end === -1) {
                if (head.length > MAX_ANSWER_HEAD)
                    finish(new ProxyError(`The proxy ${shown} answered CONNECT ${target} with a header larger than 16 KiB.`, 'ProxyUnavailable'));
                return;
            }
            const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
            const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
            const status = m ? Number(m[1]) : 0;
            if (status >= 200 && status < 300) {
                finish(undefined, head.subarray(end + 4));
                return;
            }
            finish(refusal(status, (m?.[2] ?? '').slice(0, 100), shown, target, auth !== undefined));
        };
        const onError = (e) => finish(new ProxyError(`The connection to the proxy ${shown} failed during CONNECT ${target}: ${e.message}`, 'ProxyUnavailable'));
        const onClose = () => finish(new ProxyError(`The proxy ${shown} closed the connection without answering CONNECT ${target}.`, 'ProxyUnavailable'));
        const onAbort = () => finish(abortError());
        const left = Math.max(1, timeoutMs - (Date.now() - started));
        const timer = setTimeout(() => finish(new ProxyError(`The proxy ${shown} did not answer CONNECT ${target} within ${timeoutMs} ms.`, 'ProxyUnavailable')), left);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        socket.on('data', onData);
        socket.once('error', onError);
        socket.once('close', onClose);
        socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth ? `Proxy-Authorization: ${auth}\r\n` : ''}\r\n`);
    });
}
function refusal(status, reason, shown, target, sentCredentials) {
    const answered = status === 0 ? 'answered CONNECT with something other than HTTP' : `answered HTTP ${status}${reason ? ` ${reason}` : ''}`;
    const base = `The proxy ${shown} ${answered} to CONNECT ${target}`;
    // 407 is the proxy's answer; tinyproxy answers 401 to a wrong user name or password.
    if (status === 407 || status === 401) {
        const fix = sentCredentials
            ? 'It refused the user name and password in the proxy URL: check them.'
            : 'It wants a user name and password: give them in the proxy URL, as http://user:password@host:port.';
        return new ProxyError(`${base}. ${fix}`, 'ProxyAuthenticationRequired');
    }
    if (status >= 400 && status < 500) {
        return new ProxyError(`${base}: it does not let this job reach ${target}. Allow the host in the proxy, or add it to no-proxy / NO_PROXY if it is reachable directly.`, 'ProxyRefused');
    }
    return new ProxyError(`${base}: it could not reach ${target}.`, 'ProxyUnavailable');
}
/** Where a request's options point: host without brackets, and port. */
function targetOf(options, defaultPort) {
    const raw = options.host ?? options.hostname ?? 'localhost';
    const host = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
    return { host, port: Number(options.port) || defaultPort };
}
const urlOf = (scheme, host, port) => new URL(`${scheme}://${authority(host, port)}/`);
/** https requests: through a CONNECT tunnel when `choose` names a proxy, directly otherwise. */
class TunnelingAgent extends external_node_https_.Agent {
    choose;
    tunnelOptions;
    constructor(choose, agentOptions = {}, tunnelOptions = {}) {
        super(agentOptions);
        this.choose = choose;
        this.tunnelOptions = tunnelOptions;
    }
    createConnection(options, callback) {
        const { host, port } = targetOf(options, 443);
        const proxy = this.choose(urlOf('https', host, port));
        if (!proxy)
            return super.createConnection(options, callback);
        openTunnel(proxy, host, port, this.tunnelOptions).then((socket) => {
            // TLS with the target inside the tunnel; host stays for the certificate check (servername is '' for IP targets).
            const secure = (0,external_node_tls_.connect)({ ...options, host, port, socket });
            callback?.(null, secure);
        }, (error) => callback?.(error, undefined));
        return undefined;
    }
}
/** The base class's addRequest, which @types/node does not declare. */
const httpAddRequest = external_node_http_.Agent.prototype.addRequest;
/** Plain http requests: sent to the proxy with the absolute URI when `choose` names a proxy, directly otherwise. */
class ForwardingAgent extends external_node_http_.Agent {
    choose;
    tunnelOptions;
    constructor(choose, agentOptions = {}, tunnelOptions = {}) {
        super(agentOptions);
        this.choose = choose;
        this.tunnelOptions = tunnelOptions;
    }
    /** Called by node:http as the request is created, before its head is written: the one place to make the path absolute. */
    addRequest(req, options) {
        const { host, port } = targetOf(options, 80);
        const proxy = this.choose(urlOf('http', host, port));
        if (proxy && !req.headersSent) {
            const auth = proxyAuthorization((0,net_proxy/* parseProxyUrl */.Pr)(proxy));
            req.path = `http://${port === 80 ? bracketed(host) : authority(host, port)}${req.path}`;
            if (auth)
                req.setHeader('Proxy-Authorization', auth);
        }
        httpAddRequest.call(this, req, options);
    }
    createConnection(options, callback) {
        const { host, port } = targetOf(options, 80);
        const proxy = this.choose(urlOf('http', host, port));
        if (!proxy)
            return super.createConnection(options, callback);
        let url;
        try {
            url = (0,net_proxy/* parseProxyUrl */.Pr)(proxy);
        }
        catch (error) {
            process.nextTick(() => callback?.(error, undefined));
            return undefined;
        }
        const timeoutMs = this.tunnelOptions.tunnelTimeoutMs ?? 10_000;
        connectToProxy(url, (0,net_proxy/* describeProxy */.GK)(proxy), timeoutMs, this.tunnelOptions.signal).then((socket) => callback?.(null, socket), (error) => callback?.(error, undefined));
        return undefined;
    }
}
/**
 * Agents for `config`, each deciding per request (NO_PROXY, loopback), or
 * undefined when no proxy is configured. Throws ProxyConfigError at once when
 * a configured proxy is not a usable URL, before any request.
 */
function proxyAgents(config, options = {}) {
    if (!config || (!config.https && !config.http))
        return undefined;
    for (const proxy of [config.https, config.http])
        if (proxy)
            (0,net_proxy/* parseProxyUrl */.Pr)(proxy);
    const choose = (target) => (0,net_proxy/* proxyFor */.iJ)(target, config);
    const agentOptions = { keepAlive: options.keepAlive ?? false };
    const tunnelOptions = { ...(options.tunnelTimeoutMs !== undefined && { tunnelTimeoutMs: options.tunnelTimeoutMs }), ...(options.signal && { signal: options.signal }) };
    return {
        httpAgent: new ForwardingAgent(choose, agentOptions, tunnelOptions),
        httpsAgent: new TunnelingAgent(choose, agentOptions, tunnelOptions),
    };
}

// EXTERNAL MODULE: ./src/util/abort.ts
var abort = __webpack_require__(2276);
;// CONCATENATED MODULE: ./src/sts/sdk-gateway.ts
/**
 * The STS gateway on the real `@aws-sdk/client-sts`. Loaded only when a
 * session must be minted (a lazily loaded chunk): the healthy guard path never
 * pays for the SDK.
 */



/** Adds a step that records the response's `Date` header for one command. */
function captureDate(command, sink) {
    const step = (next) => async (args) => {
        const out = await next(args);
        const header = out.response?.headers?.['date'];
        const t = header ? Date.parse(header) : NaN;
        if (!Number.isNaN(t))
            sink.date = new Date(t);
        return out;
    };
    command.middlewareStack.add(step, {
        step: 'deserialize',
        name: 'awsSessionGuardServerDate',
    });
}
function toResult(out, sink, startedAt, receivedAt) {
    const c = out.Credentials;
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
function commonInput(p) {
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
async function sendAbortable(send, signal) {
    if (signal?.aborted)
        throw new abort/* AbortError */.lc();
    try {
        return await send(signal ? { abortSignal: signal } : {});
    }
    catch (error) {
        if (signal?.aborted)
            throw new abort/* AbortError */.lc();
        throw error;
    }
}
function createSdkGateway(options) {
    const clock = options.clock ?? Date.now;
    // Without throwOnRequestTimeout the SDK's Node handler only logs a warning on a hung request and keeps waiting.
    // Through the proxy, if any (each agent decides per request: NO_PROXY, loopback). Opening the tunnel gets a little
    // less than connectionTimeout, so that a silent proxy fails with our message, which names it, rather than the SDK's.
    // Fresh agents per client: destroying a client destroys its handler's agents.
    const requestHandler = () => {
        const agents = proxyAgents(options.proxy, { tunnelTimeoutMs: 4_500 });
        return {
            requestTimeout: options.requestTimeoutMs ?? 15_000,
            connectionTimeout: 5_000,
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
    const unsigned = new dist_cjs/* STSClient */.iM(base);
    return {
        async assumeRoleWithWebIdentity(params, signal) {
            const command = new dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({ ...commonInput(params), WebIdentityToken: params.webIdentityToken });
            const sink = {};
            captureDate(command, sink);
            const startedAt = clock();
            const out = await sendAbortable((o) => unsigned.send(command, o), signal);
            return toResult(out, sink, startedAt, clock());
        },
        async assumeRole(credentials, params, signal) {
            const signed = new dist_cjs/* STSClient */.iM({
                ...base,
                requestHandler: requestHandler(),
                credentials: {
                    accessKeyId: credentials.accessKeyId,
                    secretAccessKey: credentials.secretAccessKey,
                    sessionToken: credentials.sessionToken,
                    expiration: credentials.expiration,
                },
            });
            try {
                const extras = params.assumeRoleExtras;
                const command = new dist_cjs/* AssumeRoleCommand */.QL({
                    ...commonInput(params),
                    ...(extras?.externalId !== undefined && { ExternalId: extras.externalId }),
                    ...(extras?.tags && extras.tags.length > 0 && { Tags: extras.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
                    ...(extras?.transitiveTagKeys && extras.transitiveTagKeys.length > 0 && { TransitiveTagKeys: [...extras.transitiveTagKeys] }),
                });
                const sink = {};
                captureDate(command, sink);
                const startedAt = clock();
                const out = await sendAbortable((o) => signed.send(command, o), signal);
                return toResult(out, sink, startedAt, clock());
            }
            finally {
                signed.destroy();
            }
        },
        close() {
            unsigned.destroy();
        },
    };
}

;// CONCATENATED MODULE: ./src/lifetime/max-session.ts
/**
 * Finding a role's MaxSessionDuration when STS refused a request as too long.
 * STS never says the maximum, so it is found by asking: a binary search over
 * whole hours below the refused length (IAM maxima are whole hours in the
 * console, 1 to 12), which takes at most 4 more calls for any whole-hour
 * maximum. A role's maximum is never under 1 h, so 1 h is assumed and only
 * asked for when every longer probe was refused, to get its credentials.
 */
async function findMaxSession(refusedSeconds, probe, floorSeconds = 3600) {
    const unit = refusedSeconds > floorSeconds ? 3600 : 900;
    let lo = Math.max(1, Math.floor(floorSeconds / unit)); // assumed granted
    let hi = Math.ceil(refusedSeconds / unit) - 1; // largest candidate below the refusal
    let refused = refusedSeconds;
    let best;
    let probes = 0;
    if (hi < lo) {
        lo = 1;
        hi = Math.max(1, hi);
    }
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        probes++;
        const outcome = await probe(mid * unit);
        if (outcome.ok) {
            best = { seconds: mid * unit, value: outcome.value };
            lo = mid;
        }
        else {
            refused = mid * unit;
            hi = mid - 1;
        }
    }
    if (!best || best.seconds !== lo * unit) {
        probes++;
        const outcome = await probe(lo * unit);
        if (!outcome.ok) {
            throw new Error(`STS refused even a ${lo * unit} s session as longer than the role allows.`);
        }
        best = { seconds: lo * unit, value: outcome.value };
    }
    return { maxSeconds: best.seconds, refusedSeconds: refused, value: best.value, probes };
}

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(9524);
// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(9092);
// EXTERNAL MODULE: ./src/oidc/token.ts
var token = __webpack_require__(2910);
;// CONCATENATED MODULE: ./src/sts/errors.ts
/**
 * What an STS or OIDC failure means and what to do about it. Transient
 * failures are retried; permanent ones stop at once with the likely cause.
 */

const TRANSIENT_CODES = new Set([
    'Throttling',
    'ThrottlingException',
    'ThrottledException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'IDPCommunicationError',
    'InternalFailure',
    'InternalError',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'RequestTimeout',
    'RequestTimeoutException',
    'TimeoutError',
    'AbortError',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'ProxyUnavailable',
]);
const PROXY_HINT = "Check the proxy: the 'http-proxy' input or HTTPS_PROXY / HTTP_PROXY (user and password in its URL), and 'no-proxy' / NO_PROXY for hosts reached directly.";
/** The SDK names modeled STS errors `<Code>Exception`; the rest of the action speaks STS's codes. */
const SDK_EXCEPTION_NAMES = {
    InvalidIdentityTokenException: 'InvalidIdentityToken',
    IDPCommunicationErrorException: 'IDPCommunicationError',
    IDPRejectedClaimException: 'IDPRejectedClaim',
    MalformedPolicyDocumentException: 'MalformedPolicyDocument',
    PackedPolicyTooLargeException: 'PackedPolicyTooLarge',
    InvalidAuthorizationMessageException: 'InvalidAuthorizationMessage',
};
function codeOf(e) {
    if (typeof e.Code === 'string' && e.Code !== '')
        return e.Code;
    if (typeof e.code === 'string' && e.code !== '')
        return e.code;
    if (typeof e.name === 'string' && e.name !== '' && e.name !== 'Error')
        return SDK_EXCEPTION_NAMES[e.name] ?? e.name;
    const cause = e.cause;
    if (cause && typeof cause === 'object')
        return codeOf(cause);
    return 'Error';
}
function describeClaims(ctx) {
    const aud = Array.isArray(ctx.claims?.aud) ? ctx.claims.aud.join(', ') : (ctx.claims?.aud ?? ctx.audience);
    const sub = ctx.claims?.sub ?? '(unknown)';
    return `sub "${sub}", aud "${aud}"`;
}
function classify(error, ctx) {
    if (error instanceof token/* IdTokenError */.Z4) {
        if (error.kind === 'proxy')
            return { kind: 'permanent', code: 'Proxy', message: error.message, hint: PROXY_HINT };
        return error.kind === 'transient'
            ? { kind: 'transient', code: 'OIDCTokenRequest', message: error.message, newToken: true }
            : {
                kind: 'permanent',
                code: error.kind === 'permission' ? 'MissingIdTokenPermission' : 'OIDCTokenRequest',
                message: error.message,
                hint: error.kind === 'permission'
                    ? 'Add "permissions: id-token: write" to the job.'
                    : 'Check that the job still runs (the request token lasts about 6 h) and has "permissions: id-token: write".',
            };
    }
    const e = (typeof error === 'object' && error !== null ? error : { message: String(error) });
    const code = codeOf(e);
    if (code === 'ProxyAuthenticationRequired' || code === 'ProxyRefused' || e.name === 'ProxyConfigError') {
        return { kind: 'permanent', code: code === 'Error' ? 'Proxy' : code, message: typeof e.message === 'string' ? e.message : String(error), hint: PROXY_HINT };
    }
    const message = typeof e.message === 'string' ? e.message : String(error);
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    if (code === 'ValidationError' && /MaxSessionDuration/i.test(message)) {
        return { kind: 'duration-too-long', scope: 'role', code, message };
    }
    if (code === 'ValidationError' && /role chaining/i.test(message)) {
        return { kind: 'duration-too-long', scope: 'chain', code, message };
    }
    if (code === 'ExpiredTokenException') {
        return { kind: 'transient', code, message, newToken: true };
    }
    if (code === 'InvalidIdentityToken') {
        if (/retrieve verification key/i.test(message))
            return { kind: 'transient', code, message, newToken: false };
        const provider = ctx.claims?.iss ?? 'https://token.actions.githubusercontent.com';
        return {
            kind: 'permanent',
            code,
            message,
            hint: /No OpenIDConnect provider/i.test(message)
                ? `Create the IAM OIDC identity provider for ${provider} with audience "${ctx.audience}" in the role's account ` +
                    `(aws iam create-open-id-connect-provider --url ${provider} --client-id-list ${ctx.audience}).`
                : `STS refused the GitHub ID token. Check the IAM OIDC provider for ${provider} and its audience "${ctx.audience}".`,
        };
    }
    if ((code === 'AccessDenied' || code === 'AccessDeniedException') && ctx.chainedFrom) {
        return {
            kind: 'permanent',
            code,
            message,
            hint: `The trust policy of ${ctx.roleArn} must allow sts:AssumeRole by ${ctx.chainedFrom} ` +
                `(e.g. "Principal": {"AWS": "${ctx.chainedFrom}"}), and ${ctx.chainedFrom} needs permission for sts:AssumeRole on it.`,
        };
    }
    if (code === 'AccessDenied' || code === 'AccessDeniedException') {
        return {
            kind: 'permanent',
            code,
            message,
            hint: `The trust policy of ${ctx.roleArn} does not accept this job's token (${describeClaims(ctx)}). ` +
                'Its conditions on token.actions.githubusercontent.com:sub and :aud must match these values ' +
                '(e.g. "StringLike": {"token.actions.githubusercontent.com:sub": "repo:ORG/REPO:*"}).',
        };
    }
    if (code === 'ExpiredToken') {
        return { kind: 'permanent', code, message, hint: 'The credentials used to sign the call have expired; the session must be re-assumed.' };
    }
    if (TRANSIENT_CODES.has(code) || (status !== undefined && (status >= 500 || status === 429))) {
        return { kind: 'transient', code, message, newToken: false };
    }
    if (status === undefined && /socket hang up|network|timed? ?out|fetch failed/i.test(message)) {
        return { kind: 'transient', code, message, newToken: false };
    }
    const hints = {
        IDPRejectedClaim: 'The identity provider rejected a claim; check the token claims the trust policy expects.',
        RegionDisabledException: 'STS is not activated in this region for the account: activate it in IAM account settings, or use another aws-region.',
        PackedPolicyTooLarge: "Shorten 'inline-session-policy' or use fewer 'managed-session-policies'.",
        MalformedPolicyDocument: "Fix 'inline-session-policy': STS could not parse it.",
        ValidationError: 'Check the inputs named in the message.',
        InvalidClientTokenId: 'The signing credentials are not valid in this account or partition.',
        SignatureDoesNotMatch: 'Check the runner clock (signed calls fail past 15 min of skew).',
    };
    return { kind: 'permanent', code, message, hint: hints[code] ?? 'See the AWS STS error reference for this code.' };
}

;// CONCATENATED MODULE: ./src/sts/minter.ts





class MintError extends Error {
    failure;
    roleArn;
    attempts;
    constructor(failure, roleArn, attempts) {
        super(failure.kind === 'permanent'
            ? `${failure.code}: ${failure.message}\n${failure.hint}`
            : `${failure.code}: ${failure.message}` + (attempts > 1 ? ` (after ${attempts} attempts)` : ''));
        this.failure = failure;
        this.roleArn = roleArn;
        this.attempts = attempts;
        this.name = 'MintError';
    }
}
/** A token is reused while it has this long left (the ID token may be reused until its exp). */
const TOKEN_REUSE_MARGIN_MS = 30_000;
class SessionMinter {
    deps;
    token;
    constructor(deps) {
        this.deps = deps;
    }
    /** The ID token's claims, when one was fetched: for messages (sub and aud are not secret). */
    get lastClaims() {
        return this.token?.claims;
    }
    async idToken(forceNew, signal) {
        const current = this.token;
        if (!forceNew && current && current.expiresAt - this.deps.clock() > TOKEN_REUSE_MARGIN_MS) {
            this.deps.onEvent?.({ type: 'id-token', reused: true });
            return current;
        }
        this.token = undefined;
        // Raced as well: a token source that ignores the signal must not hold up a stop.
        const fresh = await (0,abort/* raceAbort */.Mu)(this.deps.tokens.getIdToken(this.deps.audience, signal), signal);
        this.deps.onToken?.(fresh);
        this.deps.onEvent?.({ type: 'id-token', reused: false });
        this.token = fresh;
        return fresh;
    }
    async call(action, durationSeconds, signal, fn) {
        const started = this.deps.clock();
        try {
            // Raced as well: a gateway that ignores the signal must not hold up a stop.
            const result = await (0,abort/* raceAbort */.Mu)(fn(), signal);
            this.deps.onEvent?.({ type: 'sts-call', action, durationSeconds, ok: true, latencyMs: result.latencyMs });
            return result;
        }
        catch (error) {
            const code = error.name ?? 'Error';
            this.deps.onEvent?.({ type: 'sts-call', action, durationSeconds, ok: false, code, latencyMs: this.deps.clock() - started });
            throw error;
        }
    }
    /**
     * One session of exactly `plan.durationSeconds`, retried through transient
     * failures. When `signal` aborts, the call in flight (ID token or STS) and
     * any wait between attempts end at once and the result is an AbortError
     * (never a MintError, never retried).
     */
    async mint(plan, signal) {
        let forceNewToken = false;
        let attempts = 0;
        const targetArn = (plan.chainedRole ?? plan.role).arn;
        const once = async () => {
            attempts++;
            let failureRole = plan.role.arn;
            try {
                const token = await this.idToken(forceNewToken, signal);
                forceNewToken = false;
                const first = await this.call('AssumeRoleWithWebIdentity', plan.chainedRole ? constants/* Sts */.ht.MinDurationSeconds : plan.durationSeconds, signal, () => this.deps.gateway.assumeRoleWithWebIdentity({
                    roleArn: plan.role.arn,
                    roleSessionName: plan.roleSessionName,
                    // The first hop of a chain only signs the AssumeRole that follows.
                    durationSeconds: plan.chainedRole ? constants/* Sts */.ht.MinDurationSeconds : plan.durationSeconds,
                    webIdentityToken: token.value,
                    ...(!plan.chainedRole && plan.policy !== undefined && { policy: plan.policy }),
                    ...(!plan.chainedRole && plan.policyArns && { policyArns: plan.policyArns }),
                }, signal));
                if (!plan.chainedRole)
                    return { ...first, durationSeconds: plan.durationSeconds };
                failureRole = plan.chainedRole.arn;
                const chained = plan.chainedRole;
                const second = await this.call('AssumeRole', plan.durationSeconds, signal, () => this.deps.gateway.assumeRole(first.credentials, {
                    roleArn: chained.arn,
                    roleSessionName: plan.roleSessionName,
                    durationSeconds: plan.durationSeconds,
                    ...(plan.policy !== undefined && { policy: plan.policy }),
                    ...(plan.policyArns && { policyArns: plan.policyArns }),
                    ...(plan.assumeRoleExtras && { assumeRoleExtras: plan.assumeRoleExtras }),
                }, signal));
                return { ...second, durationSeconds: plan.durationSeconds };
            }
            catch (error) {
                // A stop is not an STS answer: whatever the aborted call threw, it is an abort.
                if (signal?.aborted)
                    throw error instanceof abort/* AbortError */.lc ? error : new abort/* AbortError */.lc();
                if (error instanceof MintError)
                    throw error;
                const failure = classify(error, {
                    roleArn: failureRole,
                    audience: this.deps.audience,
                    claims: this.token?.claims,
                    chainedFrom: failureRole === plan.role.arn ? undefined : plan.role.arn,
                });
                if (failure.kind === 'transient' && failure.newToken)
                    forceNewToken = true;
                throw new MintError(failure, failureRole, attempts);
            }
        };
        try {
            return await (0,retry/* withRetry */.bD)(once, (e) => e instanceof MintError && e.failure.kind === 'transient', this.deps.retry, this.deps.retryDeps, (r) => this.deps.onEvent?.({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, code: r.error.failure.code }), signal);
        }
        catch (error) {
            if (error instanceof MintError)
                throw new MintError(error.failure, error.roleArn || targetArn, attempts);
            throw error;
        }
    }
    /**
     * A session of `plan.durationSeconds`, or, when STS says that is longer than
     * the role allows, of the longest length it allows (found with the fewest calls).
     * An abort ends it at once, mid-search too, with an AbortError.
     */
    async mintLongest(plan, signal) {
        try {
            return { session: await this.mint(plan, signal) };
        }
        catch (error) {
            if (!(error instanceof MintError) || error.failure.kind !== 'duration-too-long')
                throw error;
            const scope = error.failure.scope;
            if (scope === 'chain') {
                const session = await this.mint({ ...plan, durationSeconds: constants/* Sts */.ht.ChainedMaxSeconds }, signal);
                return { session, max: { seconds: constants/* Sts */.ht.ChainedMaxSeconds, refusedSeconds: plan.durationSeconds, scope } };
            }
            const found = await findMaxSession(plan.durationSeconds, async (seconds) => {
                try {
                    return { ok: true, value: await this.mint({ ...plan, durationSeconds: seconds }, signal) };
                }
                catch (e) {
                    if (e instanceof MintError && e.failure.kind === 'duration-too-long')
                        return { ok: false };
                    throw e;
                }
            });
            return { session: found.value, max: { seconds: found.maxSeconds, refusedSeconds: found.refusedSeconds, scope } };
        }
    }
}

;// CONCATENATED MODULE: ./src/oidc/id-token.ts
/**
 * GitHub OIDC: the ID token exchanged with STS, fetched the way
 * `core.getIDToken` does it (GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 * with the request token as bearer), without printing anything, so the
 * detached credential server can use it too.
 */








/**
 * One GET without connection reuse. Plain node:http rather than fetch: the AWS
 * SDK loads node:http anyway, fetch would load undici too (about 20 ms on the
 * refresh path), and no pooled socket is left to keep a process alive. An
 * abort destroys the request and rejects at once, in any phase.
 */
function get(url, headers, timeoutMs, signal, proxy) {
    if (signal?.aborted)
        return Promise.reject(new abort/* AbortError */.lc());
    const https = url.startsWith('https:');
    // Through the proxy unless NO_PROXY or loopback says otherwise; a fresh agent per request, no socket kept.
    const agents = proxyAgents(proxy, { tunnelTimeoutMs: timeoutMs, ...(signal && { signal }) });
    const agent = agents ? (https ? agents.httpsAgent : agents.httpAgent) : false;
    return new Promise((resolve, reject) => {
        const request = https ? external_node_https_.request : external_node_http_.request;
        // Called only from events that come after `onAbort` is defined below.
        const done = () => signal?.removeEventListener('abort', onAbort);
        const req = request(url, { method: 'GET', headers, agent, timeout: timeoutMs }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > 1024 * 1024)
                    req.destroy(new Error('answer larger than 1 MiB'));
                else
                    chunks.push(chunk);
            });
            res.on('end', () => {
                done();
                resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', (e) => {
                done();
                reject(e);
            });
        });
        const onAbort = () => {
            reject(new abort/* AbortError */.lc());
            req.destroy(new abort/* AbortError */.lc());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e) => {
            done();
            reject(e);
        });
        req.end();
    });
}
function githubTokenSource(options) {
    const clock = options.clock ?? Date.now;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return {
        async getIdToken(audience, signal) {
            if (signal?.aborted)
                throw new abort/* AbortError */.lc();
            const url = options.env[constants/* Env */.o9.IdTokenRequestUrl];
            const requestToken = options.env[constants/* Env */.o9.IdTokenRequestToken];
            if (!url || !requestToken)
                throw new token/* IdTokenError */.Z4(token/* MISSING_PERMISSION_MESSAGE */.vO, 'permission');
            const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
            let answer;
            try {
                answer = await get(target, { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, timeoutMs, signal, options.proxy);
            }
            catch (e) {
                if (signal?.aborted)
                    throw new abort/* AbortError */.lc();
                const proxyProblem = (e instanceof ProxyError && e.permanent) || e.name === 'ProxyConfigError';
                throw new token/* IdTokenError */.Z4(`The GitHub OIDC token request failed: ${e.message}`, proxyProblem ? 'proxy' : 'transient');
            }
            // 407 comes from a proxy, never from GitHub: over plain http the proxy answers the request itself.
            const proxy = answer.status === 407 ? (0,net_proxy/* proxyFor */.iJ)(target, options.proxy) : undefined;
            if (proxy) {
                throw new token/* IdTokenError */.Z4(`The GitHub OIDC token request failed: the proxy ${(0,net_proxy/* describeProxy */.GK)(proxy)} answered HTTP 407 Proxy Authentication Required. ` +
                    'Give the user name and password in the proxy URL, as http://user:password@host:port, and check them.', 'proxy');
            }
            if (answer.status < 200 || answer.status > 299) {
                const transient = answer.status >= 500 || answer.status === 429 || answer.status === 408;
                const why = answer.status === 401 || answer.status === 403
                    ? ' The request token was refused: it expires about 6 h after the job starts, or the job lacks "permissions: id-token: write".'
                    : '';
                throw new token/* IdTokenError */.Z4(`The GitHub OIDC token endpoint answered HTTP ${answer.status}.${why}`, transient ? 'transient' : 'permanent');
            }
            let value;
            try {
                value = JSON.parse(answer.body).value;
            }
            catch {
                value = undefined;
            }
            if (typeof value !== 'string' || value === '') {
                throw new token/* IdTokenError */.Z4('The GitHub OIDC token endpoint answered without a token.', 'transient');
            }
            const claims = (0,token/* decodeJwt */.iU)(value) ?? {};
            const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : (typeof claims.iat === 'number' ? claims.iat * 1000 : clock()) + 300_000;
            return { value, claims, expiresAt };
        },
    };
}

;// CONCATENATED MODULE: ./src/sts/mint-kit.ts
/** Everything the main step needs to mint, behind one dynamic import: one lazy chunk, no module bundled twice. */






/***/ })

};
