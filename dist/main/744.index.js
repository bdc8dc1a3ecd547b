export const id = 744;
export const ids = [744];
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

/***/ 8744:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IdTokenError: () => (/* binding */ IdTokenError),
/* harmony export */   MISSING_PERMISSION_MESSAGE: () => (/* binding */ MISSING_PERMISSION_MESSAGE),
/* harmony export */   decodeJwt: () => (/* binding */ decodeJwt),
/* harmony export */   githubTokenSource: () => (/* binding */ githubTokenSource),
/* harmony export */   jwtExpiry: () => (/* binding */ jwtExpiry)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7242);
/* harmony import */ var _net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3423);
/* harmony import */ var _net_proxy_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1987);
/* harmony import */ var _util_abort_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2334);
/**
 * GitHub OIDC: the ID token exchanged with STS, fetched the way
 * `core.getIDToken` does it (GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 * with the request token as bearer), without printing anything, so the
 * detached credential server can use it too.
 */






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
/**
 * One GET without connection reuse. Plain node:http rather than fetch: the AWS
 * SDK loads node:http anyway, fetch would load undici too (about 20 ms on the
 * refresh path), and no pooled socket is left to keep a process alive. An
 * abort destroys the request and rejects at once, in any phase.
 */
function get(url, headers, timeoutMs, signal, proxy) {
    if (signal?.aborted)
        return Promise.reject(new _util_abort_js__WEBPACK_IMPORTED_MODULE_5__/* .AbortError */ .lc());
    const https = url.startsWith('https:');
    // Through the proxy unless NO_PROXY or loopback says otherwise; a fresh agent per request, no socket kept.
    const agents = (0,_net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_3__/* .proxyAgents */ .Hd)(proxy, { tunnelTimeoutMs: timeoutMs, ...(signal && { signal }) });
    const agent = agents ? (https ? agents.httpsAgent : agents.httpAgent) : false;
    return new Promise((resolve, reject) => {
        const request = https ? node_https__WEBPACK_IMPORTED_MODULE_1__.request : node_http__WEBPACK_IMPORTED_MODULE_0__.request;
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
            reject(new _util_abort_js__WEBPACK_IMPORTED_MODULE_5__/* .AbortError */ .lc());
            req.destroy(new _util_abort_js__WEBPACK_IMPORTED_MODULE_5__/* .AbortError */ .lc());
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
                throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_5__/* .AbortError */ .lc();
            const url = options.env[_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Env */ .o9.IdTokenRequestUrl];
            const requestToken = options.env[_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Env */ .o9.IdTokenRequestToken];
            if (!url || !requestToken)
                throw new IdTokenError(MISSING_PERMISSION_MESSAGE, 'permission');
            const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
            let answer;
            try {
                answer = await get(target, { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, timeoutMs, signal, options.proxy);
            }
            catch (e) {
                if (signal?.aborted)
                    throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_5__/* .AbortError */ .lc();
                const proxyProblem = (e instanceof _net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_3__/* .ProxyError */ .T6 && e.permanent) || e.name === 'ProxyConfigError';
                throw new IdTokenError(`The GitHub OIDC token request failed: ${e.message}`, proxyProblem ? 'proxy' : 'transient');
            }
            // 407 comes from a proxy, never from GitHub: over plain http the proxy answers the request itself.
            const proxy = answer.status === 407 ? (0,_net_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .proxyFor */ .iJ)(target, options.proxy) : undefined;
            if (proxy) {
                throw new IdTokenError(`The GitHub OIDC token request failed: the proxy ${(0,_net_proxy_js__WEBPACK_IMPORTED_MODULE_4__/* .describeProxy */ .GK)(proxy)} answered HTTP 407 Proxy Authentication Required. ` +
                    'Give the user name and password in the proxy URL, as http://user:password@host:port, and check them.', 'proxy');
            }
            if (answer.status < 200 || answer.status > 299) {
                const transient = answer.status >= 500 || answer.status === 429 || answer.status === 408;
                const why = answer.status === 401 || answer.status === 403
                    ? ' The request token was refused: it expires about 6 h after the job starts, or the job lacks "permissions: id-token: write".'
                    : '';
                throw new IdTokenError(`The GitHub OIDC token endpoint answered HTTP ${answer.status}.${why}`, transient ? 'transient' : 'permanent');
            }
            let value;
            try {
                value = JSON.parse(answer.body).value;
            }
            catch {
                value = undefined;
            }
            if (typeof value !== 'string' || value === '') {
                throw new IdTokenError('The GitHub OIDC token endpoint answered without a token.', 'transient');
            }
            const claims = decodeJwt(value) ?? {};
            const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : (typeof claims.iat === 'number' ? claims.iat * 1000 : clock()) + 300_000;
            return { value, claims, expiresAt };
        },
    };
}


/***/ })

};
