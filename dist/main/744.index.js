export const id = 744;
export const ids = [744];
export const modules = {

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
/* harmony import */ var _util_abort_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2334);
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
function get(url, headers, timeoutMs, signal) {
    if (signal?.aborted)
        return Promise.reject(new _util_abort_js__WEBPACK_IMPORTED_MODULE_3__/* .AbortError */ .lc());
    return new Promise((resolve, reject) => {
        const request = url.startsWith('https:') ? node_https__WEBPACK_IMPORTED_MODULE_1__.request : node_http__WEBPACK_IMPORTED_MODULE_0__.request;
        // Called only from events that come after `onAbort` is defined below.
        const done = () => signal?.removeEventListener('abort', onAbort);
        const req = request(url, { method: 'GET', headers, agent: false, timeout: timeoutMs }, (res) => {
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
            reject(new _util_abort_js__WEBPACK_IMPORTED_MODULE_3__/* .AbortError */ .lc());
            req.destroy(new _util_abort_js__WEBPACK_IMPORTED_MODULE_3__/* .AbortError */ .lc());
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
                throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_3__/* .AbortError */ .lc();
            const url = options.env[_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Env */ .o9.IdTokenRequestUrl];
            const requestToken = options.env[_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Env */ .o9.IdTokenRequestToken];
            if (!url || !requestToken)
                throw new IdTokenError(MISSING_PERMISSION_MESSAGE, 'permission');
            const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
            let answer;
            try {
                answer = await get(target, { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' }, timeoutMs, signal);
            }
            catch (e) {
                if (signal?.aborted)
                    throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_3__/* .AbortError */ .lc();
                throw new IdTokenError(`The GitHub OIDC token request failed: ${e.message}`, 'transient');
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
