export const id = 235;
export const ids = [235];
export const modules = {

/***/ 3423:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hd: () => (/* binding */ proxyAgents),
/* harmony export */   T6: () => (/* binding */ ProxyError)
/* harmony export */ });
/* unused harmony exports openTunnel, TunnelingAgent, ForwardingAgent */
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _proxy_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1987);
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
        const socket = proxy.protocol === 'https:' ? (0,node_tls__WEBPACK_IMPORTED_MODULE_3__.connect)({ host, port, servername: /^[\d.]+$|:/.test(host) ? '' : host }) : (0,node_net__WEBPACK_IMPORTED_MODULE_2__.connect)({ host, port });
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
    const url = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .parseProxyUrl */ .Pr)(proxy);
    const shown = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .describeProxy */ .GK)(proxy);
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
class TunnelingAgent extends node_https__WEBPACK_IMPORTED_MODULE_1__.Agent {
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
            const secure = (0,node_tls__WEBPACK_IMPORTED_MODULE_3__.connect)({ ...options, host, port, socket });
            callback?.(null, secure);
        }, (error) => callback?.(error, undefined));
        return undefined;
    }
}
/** The base class's addRequest, which @types/node does not declare. */
const httpAddRequest = node_http__WEBPACK_IMPORTED_MODULE_0__.Agent.prototype.addRequest;
/** Plain http requests: sent to the proxy with the absolute URI when `choose` names a proxy, directly otherwise. */
class ForwardingAgent extends node_http__WEBPACK_IMPORTED_MODULE_0__.Agent {
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
            const auth = proxyAuthorization((0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .parseProxyUrl */ .Pr)(proxy));
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
            url = (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .parseProxyUrl */ .Pr)(proxy);
        }
        catch (error) {
            process.nextTick(() => callback?.(error, undefined));
            return undefined;
        }
        const timeoutMs = this.tunnelOptions.tunnelTimeoutMs ?? 10_000;
        connectToProxy(url, (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .describeProxy */ .GK)(proxy), timeoutMs, this.tunnelOptions.signal).then((socket) => callback?.(null, socket), (error) => callback?.(error, undefined));
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
            (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .parseProxyUrl */ .Pr)(proxy);
    const choose = (target) => (0,_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .proxyFor */ .iJ)(target, config);
    const agentOptions = { keepAlive: options.keepAlive ?? false };
    const tunnelOptions = { ...(options.tunnelTimeoutMs !== undefined && { tunnelTimeoutMs: options.tunnelTimeoutMs }), ...(options.signal && { signal: options.signal }) };
    return {
        httpAgent: new ForwardingAgent(choose, agentOptions, tunnelOptions),
        httpsAgent: new TunnelingAgent(choose, agentOptions, tunnelOptions),
    };
}


/***/ }),

/***/ 4235:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSdkGateway: () => (/* binding */ createSdkGateway)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1695);
/* harmony import */ var _net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3423);
/* harmony import */ var _util_abort_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2334);
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
        throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_1__/* .AbortError */ .lc();
    try {
        return await send(signal ? { abortSignal: signal } : {});
    }
    catch (error) {
        if (signal?.aborted)
            throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_1__/* .AbortError */ .lc();
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
        const agents = (0,_net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_0__/* .proxyAgents */ .Hd)(options.proxy, { tunnelTimeoutMs: 4_500 });
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
    const unsigned = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_2__/* .STSClient */ .iM(base);
    return {
        async assumeRoleWithWebIdentity(params, signal) {
            const command = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_2__/* .AssumeRoleWithWebIdentityCommand */ .WH({ ...commonInput(params), WebIdentityToken: params.webIdentityToken });
            const sink = {};
            captureDate(command, sink);
            const startedAt = clock();
            const out = await sendAbortable((o) => unsigned.send(command, o), signal);
            return toResult(out, sink, startedAt, clock());
        },
        async assumeRole(credentials, params, signal) {
            const signed = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_2__/* .STSClient */ .iM({
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
                const command = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_2__/* .AssumeRoleCommand */ .QL(commonInput(params));
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


/***/ })

};
