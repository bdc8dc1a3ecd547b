export const id = 638;
export const ids = [638];
export const modules = {

/***/ 2428:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  F: () => (/* binding */ processAlive),
  L: () => (/* binding */ serverClient)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/keepalive/credential-server.ts
/**
 * The loopback credential endpoint that the AWS SDKs' container provider
 * reads (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN).
 * Listens on 127.0.0.1 only; every request needs the token, compared in
 * constant time. No secret is ever written anywhere but into a response body.
 */


const CREDENTIALS_PATH = '/credentials';
const STATUS_PATH = '/status';
const EXPECT_PATH = '/control/expect';
const STOP_PATH = '/control/stop';
const digest = (s) => createHash('sha256').update(s, 'utf8').digest();
/** Constant-time comparison, whatever the lengths: both sides are hashed first. */
function tokenMatches(expectedDigest, presented) {
    const given = digest(presented ?? '');
    return timingSafeEqual(expectedDigest, given) && presented !== undefined;
}
function send(res, status, body, headers = {}) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        'Cache-Control': 'no-store',
        ...headers,
    });
    res.end(text);
}
const error = (res, status, code, message, headers) => send(res, status, { Code: code, Message: message }, headers);
async function readBody(req, limit = 4096) {
    let size = 0;
    const chunks = [];
    for await (const chunk of req) {
        size += chunk.length;
        if (size > limit)
            throw new Error('body too large');
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}
async function startCredentialServer(handlers, port = 0) {
    const expected = digest(handlers.authToken);
    const counts = { served: 0, refused: 0, unauthorized: 0 };
    const routes = {
        [CREDENTIALS_PATH]: 'GET',
        [STATUS_PATH]: 'GET',
        [EXPECT_PATH]: 'POST',
        [STOP_PATH]: 'POST',
    };
    const server = createServer((req, res) => {
        void (async () => {
            const auth = req.headers['authorization'];
            if (!tokenMatches(expected, Array.isArray(auth) ? auth[0] : auth)) {
                counts.unauthorized++;
                error(res, 403, 'AccessDenied', 'Missing or wrong authorization token.');
                return;
            }
            const path = (req.url ?? '/').split('?')[0] ?? '/';
            const method = routes[path];
            if (!method)
                return error(res, 404, 'NotFound', `No such path: use ${CREDENTIALS_PATH}.`);
            if (req.method !== method)
                return error(res, 405, 'MethodNotAllowed', `Use ${method}.`, { Allow: method });
            if (path === CREDENTIALS_PATH) {
                const a = handlers.available();
                if (!a.ok) {
                    counts.refused++;
                    return error(res, 503, 'CredentialsUnavailable', a.reason);
                }
                counts.served++;
                const c = a.credentials;
                return send(res, 200, {
                    AccessKeyId: c.accessKeyId,
                    SecretAccessKey: c.secretAccessKey,
                    Token: c.token,
                    Expiration: new Date(c.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
                    AccountId: c.accountId,
                });
            }
            if (path === STATUS_PATH)
                return send(res, 200, handlers.status());
            if (path === EXPECT_PATH) {
                let until;
                try {
                    until = JSON.parse(await readBody(req)).expectedUntil;
                }
                catch {
                    until = undefined;
                }
                if (typeof until !== 'number' || !Number.isFinite(until)) {
                    return error(res, 400, 'BadRequest', 'Send {"expectedUntil": <epoch ms>}.');
                }
                handlers.expect(until);
                return send(res, 200, handlers.status());
            }
            send(res, 202, { stopping: true });
            setImmediate(handlers.stop);
        })().catch(() => {
            if (!res.headersSent)
                error(res, 500, 'InternalError', 'The credential server failed to answer.');
            else
                res.destroy();
        });
    });
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const actualPort = server.address().port;
    return {
        server,
        port: actualPort,
        endpoint: `http://127.0.0.1:${actualPort}${CREDENTIALS_PATH}`,
        counts,
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}

;// CONCATENATED MODULE: ./src/keepalive/client.ts
/** How the action's own steps talk to a running credential server. */


function serverClient(endpoint, authToken, timeoutMs = 3000) {
    const base = new URL(endpoint);
    const url = (path) => new URL(path, base).toString();
    const call = async (path, init = {}) => {
        try {
            return await fetch(url(path), {
                ...init,
                headers: { Authorization: authToken, 'Content-Type': 'application/json' },
                signal: AbortSignal.timeout(timeoutMs),
            });
        }
        catch {
            return undefined; // not running, or not answering
        }
    };
    return {
        async status() {
            const r = await call(STATUS_PATH);
            return r?.ok ? (await r.json()) : undefined;
        },
        async probeCredentials() {
            const r = await call(CREDENTIALS_PATH);
            if (!r)
                return { status: 0, message: 'no answer' };
            const body = (await r.json().catch(() => ({})));
            return {
                status: r.status,
                ...(body.Expiration !== undefined && { expiration: body.Expiration }),
                ...(body.Message !== undefined && { message: body.Message }),
            };
        },
        async expect(expectedUntil) {
            const r = await call(EXPECT_PATH, { method: 'POST', body: JSON.stringify({ expectedUntil }) });
            return r?.ok ? (await r.json()) : undefined;
        },
        async stop() {
            const r = await call(STOP_PATH, { method: 'POST' });
            await r?.body?.cancel();
            return r?.status === 202;
        },
    };
}
/**
 * Whether a process is still running (signal 0 tests without touching it).
 * An exited server whose parent step is gone waits as a zombie until init
 * reaps it, and signal 0 still succeeds on a zombie: on Linux its state says.
 */
function processAlive(pid) {
    try {
        process.kill(pid, 0);
    }
    catch (e) {
        return e.code === 'EPERM';
    }
    if (process.platform !== 'linux')
        return true;
    try {
        // /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces and parentheses.
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch {
        return false;
    }
}


/***/ }),

/***/ 2837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cV: () => (/* binding */ lastEventText)
/* harmony export */ });
/* unused harmony exports fileEventLog, readEventLog */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/** The server's event log (JSON lines, no secrets), read back by the post step. */

function fileEventLog(path, clock = Date.now) {
    return {
        write(event) {
            try {
                appendFileSync(path, JSON.stringify({ t: clock(), ...event }) + '\n', { mode: 0o600 });
            }
            catch {
                // The log is for the summary; losing a line must never stop serving credentials.
            }
        },
    };
}
function readEventLog(path) {
    let text;
    try {
        text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch {
        return [];
    }
    const events = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '')
            continue;
        try {
            events.push(JSON.parse(line));
        }
        catch {
            // A line cut short by a kill: skip it.
        }
    }
    return events;
}
/** The last thing the server logged, for messages about a server that is gone. */
function lastEventText(paths) {
    const events = readEventLog(paths.log);
    const last = events[events.length - 1];
    if (!last)
        return 'it left no log';
    const at = new Date(last.t).toISOString();
    switch (last.type) {
        case 'refresh-failed':
            return `its last event was a failed refresh at ${at} (${last.code}: ${last.message})`;
        case 'stopped':
            return `it stopped at ${at} (${last.reason})`;
        case 'unavailable':
            return `at ${at}: ${last.reason}`;
        default:
            return `its last event was "${last.type}" at ${at}`;
    }
}


/***/ }),

/***/ 9105:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pl: () => (/* binding */ writePrivateFile),
/* harmony export */   Rv: () => (/* binding */ keepAlivePaths),
/* harmony export */   Vh: () => (/* binding */ readJson)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7242);
/**
 * Files the keep-alive parts share under RUNNER_TEMP/aws-session-guard: the
 * server's record (with its token: 0600), its start-up config (0600, deleted
 * by the server once read), its ready note and its event log (no secrets).
 */




function keepAlivePaths(env) {
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env[_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .Env */ .o9.RunnerTemp] || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)(), _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .WorkDirName */ .gP);
    return {
        dir,
        record: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'server.json'),
        config: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'server-config.json'),
        ready: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'server-ready.json'),
        log: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'server-log.jsonl'),
    };
}
/** Writes a file only its owner can read, creating its folder (0700). */
function writePrivateFile(path, content, dir) {
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(path, { force: true });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(path, content, { mode: 0o600, flag: 'wx' });
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(path, 0o600);
}
function readJson(path) {
    try {
        return JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 3638:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkRunningServer: () => (/* binding */ checkRunningServer)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _lifetime_policy_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9517);
/* harmony import */ var _settings_duration_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1145);
/* harmony import */ var _report_summary_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7994);
/* harmony import */ var _guard_guard_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9556);
/* harmony import */ var _client_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2428);
/* harmony import */ var _events_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2837);
/* harmony import */ var _files_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(9105);
/**
 * A guard step (without keep-alive) after a keep-alive step: the session is
 * the server's. Ask it, rather than AWS_CREDENTIAL_EXPIRATION (which it
 * cleared), and say clearly when it is gone.
 */








/** True when the credential server of this job was found and the step is settled; false when the URI is not ours. */
async function checkRunningServer(toolkit, env, settings, clock = Date.now) {
    const paths = (0,_files_js__WEBPACK_IMPORTED_MODULE_7__/* .keepAlivePaths */ .Rv)(env);
    const endpoint = env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.ContainerFullUri];
    const record = (0,_files_js__WEBPACK_IMPORTED_MODULE_7__/* .readJson */ .Vh)(paths.record);
    const ours = !!endpoint && /^http:\/\/127\.0\.0\.1:\d+\/credentials$/.test(endpoint);
    if (!ours)
        return false;
    const need = (0,_lifetime_policy_js__WEBPACK_IMPORTED_MODULE_1__/* .needOf */ .ER)(settings);
    const now = clock();
    const token = env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.ContainerAuthToken] ?? record?.authToken ?? '';
    const status = await (0,_client_js__WEBPACK_IMPORTED_MODULE_5__/* .serverClient */ .L)(endpoint, token).status();
    if (!status) {
        const message = `The keep-alive credential server at ${endpoint}${record ? ` (pid ${record.pid})` : ''} is not running: ` +
            `${(0,_events_js__WEBPACK_IMPORTED_MODULE_6__/* .lastEventText */ .cV)(paths)}. Later steps get no AWS credentials from it.\n` +
            "Fix: run this action again with 'keep-alive: true' to start a new server (it says why the old one stopped), " +
            'and look at the runner for what ended the process.';
        toolkit.appendSummary((0,_report_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .summaryLine */ .d)({ at: new Date(now), needSeconds: need.seconds, outcome: '**Failed**: the keep-alive credential server is not running.' }));
        throw new Error(message);
    }
    if (status.expiration)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.RemainingSeconds, String(status.remainingSeconds));
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.Refreshed, 'false');
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.CredentialsEndpoint, endpoint);
    if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
        const message = `The keep-alive credential server can mint sessions until about ${new Date(status.coverUntil).toISOString()}, ` +
            `${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a)((status.coverUntil - now) / 1000)} from now, but the work needs ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a)(need.seconds)} (${need.explanation}).`;
        toolkit.appendSummary((0,_report_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .summaryLine */ .d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: `${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message}` }));
        if (settings.failOnShortSession)
            throw new _guard_guard_js__WEBPACK_IMPORTED_MODULE_4__/* .ShortSessionError */ .Hw(message);
        toolkit.warning(message);
        return true;
    }
    toolkit.info(`The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session ` +
        `has ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a)(status.remainingSeconds ?? 0)} left${status.lastError ? ` (last refresh error: ${status.lastError})` : ''}. Nothing to do.`);
    toolkit.appendSummary((0,_report_summary_js__WEBPACK_IMPORTED_MODULE_3__/* .summaryLine */ .d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: 'Healthy: the keep-alive credential server is running.' }));
    return true;
}


/***/ })

};
