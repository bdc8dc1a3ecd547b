"use strict";
exports.id = 923;
exports.ids = [923];
exports.modules = {

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

/***/ 448:
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

/***/ 6923:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createMinter: () => (/* reexport */ createMinter),
  mintingSourceOf: () => (/* reexport */ source_credentials/* mintingSourceOf */.vw)
});

// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(4266);
// EXTERNAL MODULE: ./src/util/abort.ts
var abort = __webpack_require__(2334);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
;// CONCATENATED MODULE: ./src/sts/query-endpoint.ts
/**
 * The STS endpoint the AWS SDK would call for AssumeRoleWithWebIdentity,
 * worked out without loading the SDK, or undefined when only the SDK can say.
 *
 * Mirrors @aws-sdk/client-sts's endpoint rules (3.11xx) for what this action
 * sets: an explicit endpoint wins; region `aws-global` is
 * https://sts.amazonaws.com; any other region is https://sts.<region>.<the
 * partition's DNS suffix> (UseGlobalEndpoint is false unless configured).
 * Left to the SDK: FIPS and dual-stack (AWS_USE_FIPS_ENDPOINT,
 * AWS_USE_DUALSTACK_ENDPOINT), an AWS config file that sets endpoint_url or
 * either variant, and region names outside the partitions' patterns.
 * `__tests__/unit/query-endpoint.test.ts` compares it with the SDK's own resolver.
 */




const AWS_PREFIXES = new Set(['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx']);
/** Four-part regions (`us-gov-west-1`): the first two parts name the partition. */
const FOUR_PART_SUFFIXES = {
    'us-gov': 'amazonaws.com',
    'us-iso': 'c2s.ic.gov',
    'us-isob': 'sc2s.sgov.gov',
    'us-isof': 'csp.hci.ic.gov',
    'eu-isoe': 'cloud.adc-e.uk',
    'eusc-de': 'amazonaws.eu',
};
function isWord(s) {
    if (s.length === 0)
        return false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)))
            return false;
    }
    return true;
}
function isNumber(s) {
    if (s.length === 0)
        return false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x30 || c > 0x39)
            return false;
    }
    return true;
}
/** The DNS suffix of the region's partition, or undefined for a region name this module does not know how to place. */
function partitionDnsSuffix(region) {
    const parts = region.split('-');
    const [first = '', second = '', third = '', fourth = ''] = parts;
    if (parts.length === 3 && isWord(second) && isNumber(third)) {
        if (AWS_PREFIXES.has(first))
            return 'amazonaws.com';
        if (first === 'cn')
            return 'amazonaws.com.cn';
    }
    if (parts.length === 4 && isWord(third) && isNumber(fourth))
        return FOUR_PART_SUFFIXES[`${first}-${second}`];
    return undefined;
}
const SDK_CONFIG_KEYS = new Set(['endpoint_url', 'use_fips_endpoint', 'use_dualstack_endpoint']);
/** Whether the AWS config file (AWS_CONFIG_FILE, else ~/.aws/config) sets an endpoint or an endpoint variant anywhere. */
function configFileSetsEndpoint(env, read = (p) => (0,external_node_fs_.readFileSync)(p, 'utf8')) {
    const path = env[constants/* Env */.o9.ConfigFile] || (0,external_node_path_.join)(env['HOME'] || (0,external_node_os_.homedir)(), '.aws', 'config');
    let text;
    try {
        text = read(path);
    }
    catch {
        return false; // no config file: nothing the SDK would read from it
    }
    for (const line of text.split('\n')) {
        const eq = line.indexOf('=');
        if (eq !== -1 && SDK_CONFIG_KEYS.has(line.slice(0, eq).trim().toLowerCase()))
            return true;
    }
    return false;
}
/**
 * The URL to POST AssumeRoleWithWebIdentity to, as the SDK would resolve it
 * for this region and explicit endpoint, or undefined when the SDK must
 * resolve it (and make the call).
 */
function queryEndpoint(options, env, read) {
    // The SDK reads these as booleans ('true' / 'false', anything else is its error to report).
    for (const name of [constants/* Env */.o9.UseFipsEndpoint, constants/* Env */.o9.UseDualstackEndpoint]) {
        const value = env[name];
        if (value !== undefined && value !== 'false')
            return undefined;
    }
    if (configFileSetsEndpoint(env, read))
        return undefined;
    if (options.endpoint !== undefined) {
        try {
            const url = new URL(options.endpoint);
            return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
        }
        catch {
            return undefined; // the SDK's error to report
        }
    }
    if (options.region === 'aws-global')
        return 'https://sts.amazonaws.com/';
    const suffix = partitionDnsSuffix(options.region);
    return suffix === undefined ? undefined : `https://sts.${options.region}.${suffix}/`;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
// EXTERNAL MODULE: ./src/net/proxy-agent.ts
var proxy_agent = __webpack_require__(3423);
;// CONCATENATED MODULE: ./src/sts/query-xml.ts
/**
 * Just enough XML for STS's Query-protocol answers: elements, text, entities,
 * CDATA, comments and the XML declaration; attributes are skipped (only
 * `xmlns` appears) and prefixes dropped. One forward pass with indexOf and
 * character checks, no regular expression: linear in the input whatever it
 * holds. Anything that is not one well-formed element (a proxy's HTML page,
 * a truncated body, a DOCTYPE) gives `undefined`.
 */
const MAX_DEPTH = 64;
const NAMED_ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function isSpace(c) {
    return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
function isBlank(s, from, to) {
    for (let i = from; i < to; i++)
        if (!isSpace(s.charCodeAt(i)))
            return false;
    return true;
}
function isDigits(s, hex) {
    if (s.length === 0 || s.length > 8)
        return false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const digit = c >= 0x30 && c <= 0x39;
        const hexLetter = (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
        if (!digit && !(hex && hexLetter))
            return false;
    }
    return true;
}
/** Text with its five named entities and numeric references decoded; anything else after `&` is kept as it is. */
function decodeEntities(s) {
    let amp = s.indexOf('&');
    if (amp === -1)
        return s;
    let out = '';
    let from = 0;
    while (amp !== -1) {
        out += s.slice(from, amp);
        // Entity names are short: look for ';' in a bounded window only (a scan to the end for each '&' would be quadratic).
        let semi = -1;
        for (let k = amp + 1; k < s.length && k <= amp + 12; k++) {
            if (s.charCodeAt(k) === 0x3b) {
                semi = k;
                break;
            }
        }
        const name = semi !== -1 ? s.slice(amp + 1, semi) : undefined;
        let decoded;
        if (name !== undefined) {
            if (name.startsWith('#x') || name.startsWith('#X')) {
                const digits = name.slice(2);
                if (isDigits(digits, true))
                    decoded = codePoint(Number.parseInt(digits, 16));
            }
            else if (name.startsWith('#')) {
                const digits = name.slice(1);
                if (isDigits(digits, false))
                    decoded = codePoint(Number.parseInt(digits, 10));
            }
            else {
                decoded = NAMED_ENTITIES[name];
            }
        }
        if (decoded !== undefined && semi !== -1) {
            out += decoded;
            from = semi + 1;
        }
        else {
            out += '&';
            from = amp + 1;
        }
        amp = s.indexOf('&', from);
    }
    return out + s.slice(from);
}
function codePoint(n) {
    return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : undefined;
}
function localName(qualified) {
    const colon = qualified.indexOf(':');
    return colon === -1 ? qualified : qualified.slice(colon + 1);
}
/** The root element of `input`, or undefined when it is not one well-formed XML element. */
function parseXml(input) {
    const n = input.length;
    let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
    const stack = [];
    let root;
    while (i < n) {
        const lt = input.indexOf('<', i);
        const textEnd = lt === -1 ? n : lt;
        const top = stack[stack.length - 1];
        if (top)
            top.text += decodeEntities(input.slice(i, textEnd));
        else if (!isBlank(input, i, textEnd))
            return undefined;
        if (lt === -1)
            break;
        if (input.startsWith('<?', lt)) {
            const end = input.indexOf('?>', lt + 2);
            if (end === -1)
                return undefined;
            i = end + 2;
        }
        else if (input.startsWith('<!--', lt)) {
            const end = input.indexOf('-->', lt + 4);
            if (end === -1)
                return undefined;
            i = end + 3;
        }
        else if (input.startsWith('<![CDATA[', lt)) {
            const end = input.indexOf(']]>', lt + 9);
            if (end === -1 || !top)
                return undefined;
            top.text += input.slice(lt + 9, end);
            i = end + 3;
        }
        else if (input.startsWith('<!', lt)) {
            return undefined; // DOCTYPE and declarations: never in an STS answer
        }
        else if (input.startsWith('</', lt)) {
            const end = input.indexOf('>', lt + 2);
            if (end === -1 || !top)
                return undefined;
            if (localName(input.slice(lt + 2, end).trim()) !== top.name)
                return undefined;
            stack.pop();
            if (stack.length === 0)
                root = top;
            i = end + 1;
        }
        else {
            if (root)
                return undefined; // a second root element
            // The tag's end: the first '>' outside a quoted attribute value.
            let j = lt + 1;
            let quote = 0;
            while (j < n) {
                const c = input.charCodeAt(j);
                if (quote !== 0) {
                    if (c === quote)
                        quote = 0;
                }
                else if (c === 0x22 || c === 0x27) {
                    quote = c;
                }
                else if (c === 0x3e) {
                    break;
                }
                else if (c === 0x3c) {
                    return undefined;
                }
                j++;
            }
            if (j >= n)
                return undefined;
            const selfClosing = input.charCodeAt(j - 1) === 0x2f;
            let k = lt + 1;
            while (k < j && !isSpace(input.charCodeAt(k)) && input.charCodeAt(k) !== 0x2f)
                k++;
            const name = localName(input.slice(lt + 1, k));
            if (name === '')
                return undefined;
            const element = { name, children: [], text: '' };
            if (top)
                top.children.push(element);
            if (selfClosing) {
                if (!top)
                    root = element;
            }
            else {
                if (stack.length >= MAX_DEPTH)
                    return undefined;
                stack.push(element);
            }
            i = j + 1;
        }
    }
    return stack.length === 0 ? root : undefined;
}
/** The first child element named `name`. */
function childOf(element, name) {
    return element?.children.find((c) => c.name === name);
}
/** The text of the element at `path` below `element`, or undefined when there is none. */
function textAt(element, ...path) {
    let at = element;
    for (const name of path)
        at = childOf(at, name);
    return at?.text;
}

;// CONCATENATED MODULE: ./src/sts/query-gateway.ts
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






const STS_API_VERSION = '2011-06-15';
const MAX_ANSWER_BYTES = 1024 * 1024;
/** An error answer from STS, shaped like the SDK's ServiceException. */
class StsServiceError extends Error {
    Code;
    Type;
    $fault;
    $metadata;
    constructor(code, message, status, type, requestId) {
        super(message);
        this.name = code;
        this.Code = code;
        this.Type = type;
        this.$fault = status >= 500 ? 'server' : 'client';
        this.$metadata = { httpStatusCode: status, ...(requestId !== undefined && { requestId }) };
    }
}
/** The SDK's query serializer encodes with encodeURIComponent plus !'()*. */
function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/** The form body, in the SDK's member order. */
function webIdentityForm(params) {
    const fields = [
        ['Action', 'AssumeRoleWithWebIdentity'],
        ['Version', STS_API_VERSION],
        ['RoleArn', params.roleArn],
        ['RoleSessionName', params.roleSessionName],
        ['WebIdentityToken', params.webIdentityToken],
    ];
    (params.policyArns ?? []).forEach((arn, i) => fields.push([`PolicyArns.member.${i + 1}.arn`, arn]));
    if (params.policy !== undefined)
        fields.push(['Policy', params.policy]);
    fields.push(['DurationSeconds', String(params.durationSeconds)]);
    return fields.map(([k, v]) => `${k}=${encode(v)}`).join('&');
}
const INCOMPLETE = 'STS answered without a complete set of credentials.';
/**
 * What an STS answer means: the credentials of a 2xx answer, else the error
 * to throw. A body that is not STS's XML classifies as the SDK's would: by
 * its HTTP status (5xx and 429 transient, the rest permanent).
 */
function parseStsAnswer(action, status, body, contentType = '') {
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
        if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expiration))
            return new Error(INCOMPLETE);
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
function describeType(contentType) {
    const type = contentType.split(';')[0]?.trim() ?? '';
    return type === '' ? '' : ` (${type.slice(0, 60)})`;
}
class TimeoutError extends Error {
    constructor(message) {
        super(message);
        this.name = 'TimeoutError';
    }
}
/** One POST without connection reuse (a mint is one call, minutes apart), through the proxy when one is configured. */
function post(url, body, options, signal) {
    if (signal?.aborted)
        return Promise.reject(new abort/* AbortError */.lc());
    const https = url.protocol === 'https:';
    const connectionTimeoutMs = options.connectionTimeoutMs ?? constants/* Sts */.ht.ConnectionTimeoutMs;
    const requestTimeoutMs = options.requestTimeoutMs ?? constants/* Sts */.ht.RequestTimeoutMs;
    // As the SDK gateway: opening a tunnel gets a little less than the connection timeout, so a silent proxy fails with its own message.
    const agents = (0,proxy_agent/* proxyAgents */.Hd)(options.proxy, { tunnelTimeoutMs: Math.max(1, connectionTimeoutMs - 500) });
    const agent = agents ? (https ? agents.httpsAgent : agents.httpAgent) : false;
    const headers = {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
        'User-Agent': `aws-session-guard lang/js md/nodejs#${process.versions.node} api/sts`,
        'amz-sdk-request': 'attempt=1; max=1',
    };
    return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (error, answer) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(connectTimer);
            signal?.removeEventListener('abort', onAbort);
            if (error) {
                req.destroy();
                reject(error);
            }
            else {
                resolve(answer);
            }
        };
        const req = (https ? external_node_https_.request : external_node_http_.request)(url, { method: 'POST', headers, agent }, (res) => {
            clearTimeout(connectTimer);
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_ANSWER_BYTES)
                    finish(new Error('STS answered with more than 1 MiB.'));
                else
                    chunks.push(chunk);
            });
            res.on('end', () => finish(undefined, {
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                date: res.headers.date,
                contentType: res.headers['content-type'] ?? '',
            }));
            // A connection lost mid-answer: the body is incomplete, like any network failure.
            res.on('close', () => {
                if (!res.complete)
                    finish(Object.assign(new Error('socket hang up: the STS answer was cut off'), { code: 'ECONNRESET' }));
            });
            res.on('error', (e) => finish(e));
        });
        const connectTimer = setTimeout(() => finish(new TimeoutError(`Socket timed out without establishing a connection within ${connectionTimeoutMs} ms`)), connectionTimeoutMs);
        req.on('socket', (socket) => {
            if (socket.connecting)
                socket.once('connect', () => clearTimeout(connectTimer));
            else
                clearTimeout(connectTimer);
        });
        req.setTimeout(requestTimeoutMs, () => finish(new TimeoutError(`Connection timed out after ${requestTimeoutMs} ms`)));
        const onAbort = () => finish(new abort/* AbortError */.lc());
        signal?.addEventListener('abort', onAbort, { once: true });
        req.on('error', (e) => finish(e));
        req.end(body);
    });
}
/** AssumeRoleWithWebIdentity through the Query protocol, to `options.endpoint`. */
async function assumeRoleWithWebIdentityQuery(options, params, signal) {
    const clock = options.clock ?? Date.now;
    const url = new URL(options.endpoint);
    const startedAt = clock();
    const answer = await post(url, webIdentityForm(params), options, signal);
    const receivedAt = clock();
    const parsed = parseStsAnswer('AssumeRoleWithWebIdentity', answer.status, answer.body, answer.contentType);
    if (parsed instanceof Error)
        throw parsed;
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

;// CONCATENATED MODULE: ./src/sts/gateway.ts
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



/** The parameters the Query client sends: a call with any other (e.g. added later to AssumeParams) goes through the SDK. */
const QUERY_PARAMS = new Set(['roleArn', 'roleSessionName', 'durationSeconds', 'policy', 'policyArns', 'webIdentityToken']);
function queryCanSend(params) {
    return Object.entries(params).every(([key, value]) => value === undefined || QUERY_PARAMS.has(key));
}
const loadSdkChunk = async () => (await Promise.all(/* import() */[__webpack_require__.e(861), __webpack_require__.e(695), __webpack_require__.e(235)]).then(__webpack_require__.bind(__webpack_require__, 4235))).createSdkGateway;
function createStsGateway(options) {
    const { env, loadSdk = loadSdkChunk, readFile, ...gatewayOptions } = options;
    const endpoint = queryEndpoint(gatewayOptions, env, readFile);
    let sdk;
    let closed = false;
    const sdkGateway = (signal) => {
        (0,abort/* throwIfAborted */.Te)(signal);
        sdk ??= loadSdk().then((create) => create(gatewayOptions));
        return (0,abort/* raceAbort */.Mu)(sdk, signal);
    };
    return {
        async assumeRoleWithWebIdentity(params, signal) {
            if (endpoint !== undefined && queryCanSend(params)) {
                return assumeRoleWithWebIdentityQuery({
                    endpoint,
                    proxy: gatewayOptions.proxy,
                    ...(gatewayOptions.requestTimeoutMs !== undefined && { requestTimeoutMs: gatewayOptions.requestTimeoutMs }),
                    ...(gatewayOptions.clock && { clock: gatewayOptions.clock }),
                }, params, signal);
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
            if (closed)
                return;
            closed = true;
            // The Query client keeps no connection; the SDK's client, if it was loaded, pools them.
            sdk?.then((gateway) => gateway.close(), () => undefined);
        },
    };
}

;// CONCATENATED MODULE: ./src/sts/max-session.ts
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

// EXTERNAL MODULE: ./src/oidc/token.ts
var token = __webpack_require__(448);
// EXTERNAL MODULE: ./src/util/file-problem.ts
var file_problem = __webpack_require__(5910);
;// CONCATENATED MODULE: ./src/oidc/token-file.ts
/**
 * A web identity token kept in a file (web-identity-token-file: EKS IRSA,
 * other OIDC providers). The file is read again at every call: IRSA and
 * similar systems replace it with a fresh token well before the old one
 * expires, so a copy kept in memory would die with its `exp`.
 */



/** The token file cannot be used: missing, unreadable, or empty. No token text in the message. */
class TokenFileError extends Error {
    path;
    constructor(message, path) {
        super(message);
        this.path = path;
        this.name = 'TokenFileError';
    }
}
/** Without `exp`, a file token is trusted for 5 min, like a GitHub token without one (see IdToken.expiresAt). */
const NO_EXP_LIFETIME_MS = 5 * 60_000;
/** node:fs/promises costs a GitHub OIDC step about a millisecond to load: only a token-file source loads it. */
const readText = async (path) => (await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 23))).readFile(path, 'utf8');
function fileTokenSource(path, clock = Date.now, read = readText) {
    return {
        async getIdToken(_audience, signal) {
            let text;
            try {
                text = await (0,abort/* raceAbort */.Mu)(read(path), signal);
            }
            catch (error) {
                if (error.name === 'AbortError')
                    throw error;
                throw new TokenFileError(`The web identity token file ${path} ${(0,file_problem/* fileProblem */.W)(error.code)}.`, path);
            }
            const value = text.trim();
            if (value === '')
                throw new TokenFileError(`The web identity token file ${path} is empty.`, path);
            const claims = (0,token/* decodeJwt */.iU)(value) ?? {};
            const exp = typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? claims.exp * 1000 : undefined;
            return { value, claims, expiresAt: exp ?? clock() + NO_EXP_LIFETIME_MS };
        },
    };
}

// EXTERNAL MODULE: ./src/settings/source.ts + 1 modules
var source = __webpack_require__(9482);
// EXTERNAL MODULE: ./src/sts/source-credentials.ts
var source_credentials = __webpack_require__(3216);
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
/** STS's error code of whatever a gateway threw ('Error' when it carries none). */
function stsErrorCode(error) {
    return error !== null && typeof error === 'object' ? codeOf(error) : 'Error';
}
function describeAud(ctx) {
    return Array.isArray(ctx.claims?.aud) ? ctx.claims.aud.join(', ') : (ctx.claims?.aud ?? ctx.audience);
}
function describeClaims(ctx) {
    const aud = describeAud(ctx);
    const sub = ctx.claims?.sub ?? '(unknown)';
    return `sub "${sub}", aud "${aud}"`;
}
/** Whether the first hop is AssumeRole signed with credentials (keys, or those in place), not a web identity token. */
const signedSource = (ctx) => ctx.source !== undefined && (0,source/* assumesWithCredentials */.gK)({ kind: ctx.source });
const KEYS_WHERE = {
    'static-keys': "the keys in 'aws-access-key-id' / 'aws-secret-access-key'",
    existing: "the credentials already in place (the environment's keys, AWS_PROFILE, the container endpoint or the EC2 instance profile)",
};
function classify(error, ctx) {
    if (error instanceof TokenFileError) {
        return {
            kind: 'permanent',
            code: 'WebIdentityTokenFile',
            message: error.message,
            hint: "Check 'web-identity-token-file': the file must exist and be readable by the runner's user for the whole job (on EKS, the pod's projected service account token).",
        };
    }
    if (error instanceof source_credentials/* SourceCredentialsError */.G8) {
        return {
            kind: 'permanent',
            code: 'NoSourceCredentials',
            message: error.message,
            hint: 'Give the runner credentials: on EC2, attach an instance profile and allow IMDSv2 (a container on the instance needs a hop limit of 2); ' +
                "elsewhere, set AWS_PROFILE or the AWS_* keys before this step, or use 'aws-access-key-id', or GitHub OIDC " +
                "(the job needs 'permissions: id-token: write'; without it, role-to-assume is assumed with the credentials in place, as configure-aws-credentials does).",
        };
    }
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
        if (ctx.source === 'token-file') {
            return {
                kind: 'permanent',
                code,
                message,
                hint: `STS refused the token in 'web-identity-token-file' (issuer ${ctx.claims?.iss ?? 'unknown'}). The role's account needs an IAM OIDC provider for that issuer with audience "${describeAud(ctx)}".`,
            };
        }
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
    if ((code === 'AccessDenied' || code === 'AccessDeniedException') && signedSource(ctx)) {
        return {
            kind: 'permanent',
            code,
            message,
            hint: `The trust policy of ${ctx.roleArn} must allow sts:AssumeRole by the principal of ${KEYS_WHERE[ctx.source ?? ''] ?? 'the signing credentials'} ` +
                '(named in the message above), and that principal needs permission for sts:AssumeRole on the role.',
        };
    }
    if ((code === 'AccessDenied' || code === 'AccessDeniedException') && ctx.source === 'token-file') {
        const host = (ctx.claims?.iss ?? '<issuer>').replace(/^https:\/\//, '');
        return {
            kind: 'permanent',
            code,
            message,
            hint: `The trust policy of ${ctx.roleArn} does not accept the token in 'web-identity-token-file' (${describeClaims(ctx)}): its conditions on ${host}:sub and :aud must match these values.`,
        };
    }
    if ((code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch' || code === 'UnrecognizedClientException') && signedSource(ctx)) {
        const where = KEYS_WHERE[ctx.source ?? ''] ?? 'the signing credentials';
        return {
            kind: 'permanent',
            code,
            message,
            hint: code === 'SignatureDoesNotMatch'
                ? `The secret key of ${where} does not match its key ID (a wrong or truncated secret, a stray space or newline), or the runner clock is more than 15 min off.`
                : `AWS does not know the key ID of ${where}: the key was deleted or deactivated, belongs to another partition, or a session token is missing or stale. Rotate the keys and update the secret.`,
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
/** Source credentials in the gateway's shape: IAM user keys have no token (none is sent) and no end. */
function signingCredentials(c) {
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken ?? '', expiration: c.expiration ?? new Date(8.64e15) };
}
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
        if (!forceNew && current && this.deps.reuseToken !== false && current.expiresAt - this.deps.clock() > TOKEN_REUSE_MARGIN_MS) {
            this.deps.onEvent?.({ type: 'id-token', reused: true });
            return current;
        }
        this.token = undefined;
        // Raced as well: a token source that ignores the signal must not hold up a stop.
        const tokens = this.deps.tokens;
        if (!tokens)
            throw new Error('the minter has neither a token source nor credentials');
        const fresh = await (0,abort/* raceAbort */.Mu)(tokens.getIdToken(this.deps.audience, signal), signal);
        this.deps.onToken?.(fresh);
        this.deps.onEvent?.({ type: 'id-token', reused: false });
        this.token = fresh;
        return fresh;
    }
    /**
     * One AssumeRole. When STS finds the session tags too large
     * (PackedPolicyTooLarge) and some are droppable convenience tags, it is
     * tried once more without them, as configure-aws-credentials does.
     */
    async assumeRole(credentials, params, signal) {
        const send = (p) => this.call('AssumeRole', p.durationSeconds, signal, () => this.deps.gateway.assumeRole(credentials, p, signal));
        try {
            return await send(params);
        }
        catch (error) {
            const tags = params.assumeRoleExtras?.tags ?? [];
            const dropped = tags.filter((t) => t.droppable).map((t) => t.key);
            if (dropped.length === 0 || signal?.aborted || stsErrorCode(error) !== 'PackedPolicyTooLarge')
                throw error;
            this.deps.onEvent?.({ type: 'tags-dropped', keys: dropped });
            const extras = params.assumeRoleExtras ?? {};
            const kept = tags.filter((t) => !t.droppable);
            const transitive = extras.transitiveTagKeys?.filter((k) => kept.some((t) => t.key === k));
            return send({
                ...params,
                assumeRoleExtras: {
                    ...(extras.externalId !== undefined && { externalId: extras.externalId }),
                    ...(kept.length > 0 && { tags: kept }),
                    ...(transitive && transitive.length > 0 && { transitiveTagKeys: transitive }),
                },
            });
        }
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
                // The first hop of a chain only signs the AssumeRole that follows.
                const firstParams = {
                    roleArn: plan.role.arn,
                    roleSessionName: plan.roleSessionName,
                    durationSeconds: plan.chainedRole ? constants/* Sts */.ht.MinDurationSeconds : plan.durationSeconds,
                    ...(!plan.chainedRole && plan.policy !== undefined && { policy: plan.policy }),
                    ...(!plan.chainedRole && plan.policyArns && { policyArns: plan.policyArns }),
                };
                const loader = this.deps.credentials;
                let first;
                if (loader) {
                    // Fetched at every mint: instance credentials rotate, and the env's may have been replaced.
                    const source = await (0,abort/* raceAbort */.Mu)(loader(signal), signal);
                    first = await this.assumeRole(signingCredentials(source), { ...firstParams, ...(plan.assumeRoleExtras?.first && { assumeRoleExtras: plan.assumeRoleExtras.first }) }, signal);
                }
                else {
                    const token = await this.idToken(forceNewToken, signal);
                    forceNewToken = false;
                    first = await this.call('AssumeRoleWithWebIdentity', firstParams.durationSeconds, signal, () => this.deps.gateway.assumeRoleWithWebIdentity({ ...firstParams, webIdentityToken: token.value }, signal));
                }
                if (!plan.chainedRole)
                    return { ...first, durationSeconds: plan.durationSeconds };
                failureRole = plan.chainedRole.arn;
                const chained = plan.chainedRole;
                const second = await this.assumeRole(first.credentials, {
                    roleArn: chained.arn,
                    roleSessionName: plan.roleSessionName,
                    durationSeconds: plan.durationSeconds,
                    ...(plan.policy !== undefined && { policy: plan.policy }),
                    ...(plan.policyArns && { policyArns: plan.policyArns }),
                    ...(plan.assumeRoleExtras?.chained && { assumeRoleExtras: plan.assumeRoleExtras.chained }),
                }, signal);
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
                    source: this.deps.source,
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
     * The ARN of the source's identity (GetCallerIdentity signed with the
     * source's credentials), retried through transient failures, as
     * configure-aws-credentials checks keys handed on without a role.
     */
    async callerIdentity(signal) {
        const loader = this.deps.credentials;
        if (!loader)
            throw new Error('callerIdentity needs credentials as the source');
        let attempts = 0;
        const once = async () => {
            attempts++;
            try {
                const source = await (0,abort/* raceAbort */.Mu)(loader(signal), signal);
                const started = this.deps.clock();
                const arn = await (0,abort/* raceAbort */.Mu)(this.deps.gateway.getCallerIdentity(signingCredentials(source), signal), signal);
                this.deps.onEvent?.({ type: 'sts-call', action: 'GetCallerIdentity', durationSeconds: 0, ok: true, latencyMs: this.deps.clock() - started });
                return arn;
            }
            catch (error) {
                if (signal?.aborted)
                    throw error instanceof abort/* AbortError */.lc ? error : new abort/* AbortError */.lc();
                throw new MintError(classify(error, { roleArn: '', audience: this.deps.audience, claims: undefined, source: this.deps.source }), '', attempts);
            }
        };
        return (0,retry/* withRetry */.bD)(once, (e) => e instanceof MintError && e.failure.kind === 'transient', this.deps.retry, this.deps.retryDeps, undefined, signal);
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

// EXTERNAL MODULE: ./src/net/proxy.ts
var net_proxy = __webpack_require__(1987);
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
    const agents = (0,proxy_agent/* proxyAgents */.Hd)(proxy, { tunnelTimeoutMs: timeoutMs, ...(signal && { signal }) });
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
                const proxyProblem = (e instanceof proxy_agent/* ProxyError */.T6 && e.permanent) || e.name === 'ProxyConfigError';
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

;// CONCATENATED MODULE: ./src/sts/source-deps.ts
/** The minter's first-hop collaborators for a source: a token source, or credentials that sign AssumeRole. */



function sourceMinterDeps(source, opts) {
    switch (source.kind) {
        case 'github-oidc':
            return { tokens: githubTokenSource({ env: opts.env, proxy: opts.proxy }), source: source.kind };
        case 'token-file':
            // Read again at every mint: the file is rotated (IRSA).
            return { tokens: fileTokenSource(source.path), reuseToken: false, source: source.kind };
        case 'static-keys':
            return { credentials: (0,source_credentials/* staticLoader */._2)(source.keys), source: source.kind };
        case 'existing':
            return { credentials: source.keys ? (0,source_credentials/* staticLoader */._2)(source.keys) : (0,source_credentials/* defaultChainLoader */.Yb)(source.ownSessionSkipped === true), source: source.kind };
    }
}

;// CONCATENATED MODULE: ./src/sts/create-minter.ts




function createMinter(w) {
    const gateway = createStsGateway({ region: w.region, ...(w.endpoint !== undefined && { endpoint: w.endpoint }), proxy: w.proxy, env: w.env });
    const minter = new SessionMinter({
        gateway,
        ...sourceMinterDeps(w.source, { env: w.env, proxy: w.proxy }),
        audience: w.audience,
        retry: { ...retry/* DEFAULT_RETRY */.vI, maxAttempts: w.retryMaxAttempts },
        retryDeps: retry/* realRetryDeps */.tn,
        clock: Date.now,
        ...(w.onToken && { onToken: w.onToken }),
        ...(w.onEvent && { onEvent: w.onEvent }),
    });
    return { minter, gateway };
}

;// CONCATENATED MODULE: ./src/sts/mint-kit.ts
/**
 * Everything the main step needs to mint, behind one dynamic import: one lazy
 * chunk. Small helpers it shares with other lazy chunks are copied into each
 * (webpack splits shared code out only above 20 kB; dist/chunks.json lists
 * them, scripts/chunk-allow.json says why). The AWS SDK is not in it: the
 * gateway loads it (its own chunk) only for a signed AssumeRole.
 */




/***/ }),

/***/ 3216:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G8: () => (/* binding */ SourceCredentialsError),
/* harmony export */   R9: () => (/* binding */ mintingSourceSecrets),
/* harmony export */   VB: () => (/* binding */ usesDefaultChain),
/* harmony export */   Yb: () => (/* binding */ defaultChainLoader),
/* harmony export */   _2: () => (/* binding */ staticLoader),
/* harmony export */   vw: () => (/* binding */ mintingSourceOf)
/* harmony export */ });
/* unused harmony export envKeys */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _model_marker_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4323);
/**
 * The credentials a source starts from, when it signs AssumeRole: the input
 * keys (held in memory only), the keys already in the environment, or the
 * AWS SDK's own default chain (profile, container endpoint, EC2 instance
 * metadata with IMDSv2), which is loaded lazily, only for that source, so the
 * healthy path and the OIDC path never pay for it.
 */


/** No credentials could be had from the source (the default chain found none, IMDS did not answer). No secret in it. */
class SourceCredentialsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SourceCredentialsError';
    }
}
/** Keys that never change: input keys, or the env's keys when the step started. */
function staticLoader(keys) {
    return () => Promise.resolve(keys);
}
/** The keys in `env`, when both halves are there (an exported empty value counts as unset, as in the SDKs). */
function envKeys(env) {
    const accessKeyId = env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId];
    const secretAccessKey = env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey];
    if (!accessKeyId || !secretAccessKey)
        return undefined;
    const sessionToken = env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken];
    return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}
/** What the SDK's fromEnv reads keys from: hidden while the default chain runs (see defaultChainLoader). */
const ENV_KEY_NAMES = [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration];
async function withoutEnvKeys(run) {
    const saved = ENV_KEY_NAMES.map((name) => [name, process.env[name]]);
    for (const [name] of saved)
        delete process.env[name];
    try {
        return await run();
    }
    finally {
        for (const [name, value] of saved)
            if (value !== undefined)
                process.env[name] = value;
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
function defaultChainLoader(ownSessionSkipped = false) {
    let provider;
    return async () => {
        if (!provider) {
            // defaultProvider is what fromNodeProviderChain (@aws-sdk/credential-providers) wraps.
            const { defaultProvider } = await __webpack_require__.e(/* import() */ 861).then(__webpack_require__.t.bind(__webpack_require__, 5861, 19));
            provider = defaultProvider();
        }
        const current = provider;
        try {
            // Asked afresh at every mint (minutes apart): the memoized chain would otherwise hand back the last set, even
            // one that is about to expire, while it refreshes in the background.
            const c = await withoutEnvKeys(() => current({ forceRefresh: true }));
            return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration };
        }
        catch (error) {
            const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
            throw new SourceCredentialsError(ownSessionSkipped
                ? `The AWS keys in the environment are the session this action exported for this role in an earlier step, and a session never signs for ` +
                    `its own re-assumption; the credentials it was minted from are not to be found (profile, container endpoint, EC2 instance metadata: ${message}). ` +
                    `Fix: let the job use GitHub OIDC (permissions: id-token: write), give the keys as 'aws-access-key-id' and 'aws-secret-access-key' so every ` +
                    `step mints from them, or use 'keep-alive: true' (its server keeps the source).`
                : `No credentials from the SDK's default chain (environment, profile, container endpoint, EC2 instance metadata): ${message}`);
        }
    };
}
/**
 * `identity`: identityKey() of the configuration that mints. Keys in the
 * environment that this action exported for that same configuration (the
 * session marker says so) are its own session, never its source: signing with
 * them would chain the role onto itself (1 h at most, and an ExpiredToken once
 * they lapse). The chain then looks past them, to what they were minted from.
 */
function mintingSourceOf(source, env, identity) {
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
            if (!keys)
                return { kind: 'existing' };
            const marker = (0,_model_marker_js__WEBPACK_IMPORTED_MODULE_1__/* .parseMarker */ .gY)(env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionMarker]);
            if (marker?.identity === identity && (0,_model_marker_js__WEBPACK_IMPORTED_MODULE_1__/* .markerMatches */ ._K)(marker, keys.accessKeyId))
                return { kind: 'existing', ownSessionSkipped: true };
            return { kind: 'existing', keys };
        }
    }
}
/** Whether the source signs with the SDK's default chain (profile, container endpoint, instance metadata). */
function usesDefaultChain(source) {
    return source.kind === 'existing' && source.keys === undefined;
}
/** The secrets a minting source holds, to mask. */
function mintingSourceSecrets(source) {
    const keys = source.kind === 'static-keys' || source.kind === 'existing' ? source.keys : undefined;
    if (!keys)
        return [];
    return [keys.accessKeyId, keys.secretAccessKey, keys.sessionToken ?? ''].filter((s) => s !== '');
}


/***/ }),

/***/ 2334:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mu: () => (/* binding */ raceAbort),
/* harmony export */   Te: () => (/* binding */ throwIfAborted),
/* harmony export */   lc: () => (/* binding */ AbortError)
/* harmony export */ });
/**
 * Aborting: the error every aborted operation rejects with, so callers can
 * tell a stop from a failure (it is never retried and never classified as an
 * STS error). No imports: the healthy guard path loads it for free.
 */
class AbortError extends Error {
    constructor(message = 'The operation was aborted.') {
        super(message);
        this.name = 'AbortError';
    }
}
function throwIfAborted(signal) {
    if (signal?.aborted)
        throw new AbortError();
}
/**
 * `promise`, or an AbortError as soon as `signal` aborts, whichever comes
 * first. The listener is removed once the promise settles.
 */
function raceAbort(promise, signal) {
    if (!signal)
        return promise;
    if (signal.aborted) {
        promise.catch(() => undefined);
        return Promise.reject(new AbortError());
    }
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            promise.catch(() => undefined);
            reject(new AbortError());
        };
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then((value) => {
            signal.removeEventListener('abort', onAbort);
            resolve(value);
        }, (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
    });
}


/***/ }),

/***/ 4266:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   tn: () => (/* binding */ realRetryDeps),
/* harmony export */   vI: () => (/* binding */ DEFAULT_RETRY)
/* harmony export */ });
/* unused harmony exports abortableSleep, backoffDelay */
/* harmony import */ var _abort_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2334);
/** Retries with "full jitter" exponential backoff (AWS Architecture Blog). */

const DEFAULT_RETRY = { baseDelayMs: 500, maxDelayMs: 10_000 };
/** setTimeout, cleared (and rejected with an AbortError) when `signal` aborts. */
function abortableSleep(ms, signal) {
    if (signal?.aborted)
        return Promise.reject(new _abort_js__WEBPACK_IMPORTED_MODULE_0__/* .AbortError */ .lc());
    return new Promise((resolve, reject) => {
        const onAbort = () => {
            clearTimeout(timer);
            reject(new _abort_js__WEBPACK_IMPORTED_MODULE_0__/* .AbortError */ .lc());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
const realRetryDeps = {
    sleep: abortableSleep,
    random: Math.random,
};
/** Delay before attempt `attempt + 1`, for `attempt` ≥ 1. */
function backoffDelay(policy, attempt, random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling * random());
}
/**
 * Runs `fn` until it succeeds, `isTransient` says an error is permanent, or
 * the attempts run out; the last error is thrown. Once `signal` aborts, no
 * attempt starts, the wait between attempts ends at once, and the result is
 * an AbortError, whatever the attempt itself threw.
 */
async function withRetry(fn, isTransient, policy, deps, onRetry, signal) {
    for (let attempt = 1;; attempt++) {
        if (signal?.aborted)
            throw new _abort_js__WEBPACK_IMPORTED_MODULE_0__/* .AbortError */ .lc();
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (signal?.aborted)
                throw error instanceof _abort_js__WEBPACK_IMPORTED_MODULE_0__/* .AbortError */ .lc ? error : new _abort_js__WEBPACK_IMPORTED_MODULE_0__/* .AbortError */ .lc();
            if (attempt >= policy.maxAttempts || !isTransient(error))
                throw error;
            const delayMs = backoffDelay(policy, attempt, deps.random);
            onRetry?.({ attempt, delayMs, error });
            await (0,_abort_js__WEBPACK_IMPORTED_MODULE_0__/* .raceAbort */ .Mu)(deps.sleep(delayMs, signal), signal);
        }
    }
}


/***/ })

};
;