import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/constants.ts
/**
 * Every name the action shares with the outside world: inputs, outputs, saved
 * state and environment variables. Nothing else in the code spells them.
 */
const Inputs = {
    RoleToAssume: 'role-to-assume',
    AwsRegion: 'aws-region',
    Audience: 'audience',
    RoleSessionName: 'role-session-name',
    ExpectedDuration: 'expected-duration',
    SafetyMargin: 'safety-margin',
    RoleDurationSeconds: 'role-duration-seconds',
    Expiration: 'expiration',
    FailOnShortSession: 'fail-on-short-session',
    StsEndpoint: 'sts-endpoint',
    InlineSessionPolicy: 'inline-session-policy',
    ManagedSessionPolicies: 'managed-session-policies',
    MaskAwsAccountId: 'mask-aws-account-id',
    RetryMaxAttempts: 'retry-max-attempts',
    KeepAlive: 'keep-alive',
    ChainedRoleToAssume: 'chained-role-to-assume',
};
const Outputs = {
    Expiration: 'expiration',
    RemainingSeconds: 'remaining-seconds',
    Refreshed: 'refreshed',
    AwsAccountId: 'aws-account-id',
    AuthenticatedArn: 'authenticated-arn',
    MaxSessionDuration: 'max-session-duration',
    CredentialsEndpoint: 'credentials-endpoint',
};
/** Names passed from main to post through the runner's saved state. */
const State = {
    /** The server this action instance launched (ServerIdentity JSON: pid, start time, nonce, folder; no secret). */
    Server: 'server',
};
const constants_Env = {
    AccessKeyId: 'AWS_ACCESS_KEY_ID',
    SecretAccessKey: 'AWS_SECRET_ACCESS_KEY',
    SessionToken: 'AWS_SESSION_TOKEN',
    CredentialExpiration: 'AWS_CREDENTIAL_EXPIRATION',
    Region: 'AWS_REGION',
    DefaultRegion: 'AWS_DEFAULT_REGION',
    Profile: 'AWS_PROFILE',
    WebIdentityTokenFile: 'AWS_WEB_IDENTITY_TOKEN_FILE',
    RoleArn: 'AWS_ROLE_ARN',
    ContainerFullUri: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ContainerAuthToken: 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
    SharedCredentialsFile: 'AWS_SHARED_CREDENTIALS_FILE',
    ConfigFile: 'AWS_CONFIG_FILE',
    IdTokenRequestUrl: 'ACTIONS_ID_TOKEN_REQUEST_URL',
    IdTokenRequestToken: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    RunnerTemp: 'RUNNER_TEMP',
    GithubEnv: 'GITHUB_ENV',
    GithubOutput: 'GITHUB_OUTPUT',
    GithubState: 'GITHUB_STATE',
    GithubStepSummary: 'GITHUB_STEP_SUMMARY',
    RunnerTrackingId: 'RUNNER_TRACKING_ID',
    EndpointUrl: 'AWS_ENDPOINT_URL',
    EndpointUrlSts: 'AWS_ENDPOINT_URL_STS',
    /** Exported with static keys: binds their expiry and the configuration that minted them to those keys (export/marker). */
    SessionMarker: 'AWS_SESSION_GUARD_SESSION',
    /** The keep-alive folder, exported only when there is no RUNNER_TEMP to find it under. */
    WorkDir: 'AWS_SESSION_GUARD_DIR',
};
/** Bounds that AWS itself sets (see shared FACTS.md). */
const Sts = {
    MinDurationSeconds: 900,
    MaxDurationSeconds: 43200,
    DefaultDurationSeconds: 3600,
    ChainedMaxSeconds: 3600,
    DefaultAudience: 'sts.amazonaws.com',
};
/** Name of this action's folder under RUNNER_TEMP. */
const constants_WorkDirName = 'aws-session-guard';

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner/toolkit.ts
/**
 * The runner's workflow-command protocol, as this action uses it.
 *
 * This is the part of `@actions/core` the action needs, written against the
 * documented protocol (stdout commands and the GITHUB_* command files). The
 * healthy guard path runs before every long step and must cost about a bare
 * `node` start; the bundled `@actions/core` pulls in its HTTP client and undici
 * (a 1 MB bundle evaluated on every start).
 */



function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
function command(name, message, props = {}) {
    const p = Object.entries(props)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    return `::${name}${p ? ' ' + p : ''}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`;
}
let delimiterCount = 0;
const newDelimiter = () => `ghadelimiter_${process.pid}_${Date.now().toString(36)}_${(delimiterCount++).toString(36)}_${Math.random().toString(36).slice(2)}`;
/**
 * `NAME<<DELIM` heredoc entry as the runner parses it from GITHUB_ENV,
 * GITHUB_OUTPUT and GITHUB_STATE. The delimiter is checked against the value
 * (so a value can never end the entry early), which is what keeps it safe;
 * it needs no cryptographic randomness, and node:crypto is not loaded on the
 * hot path for it.
 */
function fileCommandEntry(name, value) {
    let delimiter = newDelimiter();
    while (name.includes(delimiter) || value.includes(delimiter))
        delimiter = newDelimiter();
    return `${name}<<${delimiter}${external_node_os_namespaceObject.EOL}${value}${external_node_os_namespaceObject.EOL}${delimiter}${external_node_os_namespaceObject.EOL}`;
}
function createToolkit(io) {
    const { env } = io;
    const appendTo = (fileVar, text) => {
        const file = env[fileVar];
        if (!file)
            return false;
        (0,external_node_fs_namespaceObject.appendFileSync)(file, text, { encoding: 'utf8' });
        return true;
    };
    const annotate = (kind) => (message, title) => io.write(command(kind, message, title ? { title } : {}));
    return {
        getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
        setSecret: (value) => {
            // Mask each line too: the runner matches masks line by line.
            for (const part of new Set([value, ...value.split(/\r?\n/)])) {
                if (part.trim() !== '')
                    io.write(command('add-mask', part));
            }
        },
        setOutput: (name, value) => {
            if (!appendTo(constants_Env.GithubOutput, fileCommandEntry(name, value))) {
                io.write(`${external_node_os_namespaceObject.EOL}${command('set-output', value, { name })}`);
            }
        },
        saveState: (name, value) => {
            if (!appendTo(constants_Env.GithubState, fileCommandEntry(name, value))) {
                io.write(command('save-state', value, { name }));
            }
        },
        getState: (name) => env[`STATE_${name}`] ?? '',
        exportVariables: (vars) => {
            const block = Object.entries(vars)
                .map(([name, value]) => fileCommandEntry(name, value))
                .join('');
            if (!appendTo(constants_Env.GithubEnv, block)) {
                throw new Error(`${constants_Env.GithubEnv} is not set: this action must run as a step of a GitHub Actions job.`);
            }
            for (const [name, value] of Object.entries(vars))
                env[name] = value;
        },
        appendSummary: (markdown) => {
            appendTo(constants_Env.GithubStepSummary, markdown.endsWith(external_node_os_namespaceObject.EOL) ? markdown : markdown + external_node_os_namespaceObject.EOL);
        },
        info: (message) => io.write(message + external_node_os_namespaceObject.EOL),
        debug: (message) => io.write(command('debug', message)),
        notice: annotate('notice'),
        warning: annotate('warning'),
        error: annotate('error'),
        setFailed: (message) => {
            io.setExitCode(1);
            io.write(command('error', message));
        },
    };
}
/** The toolkit of the current process. */
function processToolkit() {
    return createToolkit({
        env: process.env,
        write: (text) => void process.stdout.write(text),
        setExitCode: (code) => {
            process.exitCode = code;
        },
    });
}

;// CONCATENATED MODULE: ./src/settings/duration.ts
/**
 * Durations as workflows write them. Exactly this is accepted (action.yml and
 * the README say the same):
 * - whole seconds: `5400`;
 * - or whole numbers with the units `d` (days), `h` (hours), `m` (minutes),
 *   `s` (seconds), largest first, each at most once: `90m`, `2h`, `1h30m`,
 *   `45s`, `1d12h`, `1h30m15s`;
 * - units in either case (`2H`), spaces between units (`1h 30m`) but not
 *   between a number and its unit (`1 h`), and around the whole.
 * No fractions, signs, or other units (`1.5h`, `-5m`, `1w`, `5400ms`).
 *
 * Both patterns are linear: each `\d+` ends at a unit letter it cannot match,
 * and each run of spaces at a digit.
 */
const UNIT_SECONDS = { d: 86400, h: 3600, m: 60, s: 1 };
const PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
/** Returns whole seconds, or undefined when `text` is not a duration. */
function parseDuration(text) {
    // Spaces may separate units (`1h 30m`), never digits (`5 400` is not 5400).
    const value = text.trim().toLowerCase().replace(/([dhms])\s+(?=\d)/g, '$1');
    if (value === '')
        return undefined;
    if (/^\d+$/.test(value))
        return Number(value);
    const match = PATTERN.exec(value);
    if (!match || match[0] === '')
        return undefined;
    const [, d, h, m, s] = match;
    return (Number(d ?? 0) * UNIT_SECONDS.d +
        Number(h ?? 0) * UNIT_SECONDS.h +
        Number(m ?? 0) * UNIT_SECONDS.m +
        Number(s ?? 0) * UNIT_SECONDS.s);
}
/** `5400` → `1h30m`; `59` → `59s`; `0` → `0s`. */
function duration_formatDuration(totalSeconds) {
    const negative = totalSeconds < 0;
    let rest = Math.round(Math.abs(totalSeconds));
    const parts = [];
    for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]]) {
        const n = Math.floor(rest / size);
        rest -= n * size;
        if (n > 0)
            parts.push(`${n}${unit}`);
    }
    return (negative ? '-' : '') + (parts.join('') || '0s');
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/** The job summary: one line per guard run, and the keep-alive timeline. */

const hhmmss = (d) => d.toISOString().slice(11, 19) + 'Z';
function summaryLine(line) {
    const remaining = line.remainingSeconds === undefined ? 'unknown' : formatDuration(line.remainingSeconds);
    return `- **aws-session-guard** ${hhmmss(line.at)}: remaining ${remaining}, need ${formatDuration(line.needSeconds)}. ${line.outcome}\n`;
}


;// CONCATENATED MODULE: ./src/report/timeline.ts


function timelineMarkdown(events) {
    const rows = [];
    let refreshes = 0;
    let failures = 0;
    let retries = 0;
    let served = 0;
    let refused = 0;
    for (const e of events) {
        const at = hhmmss(new Date(e.t));
        switch (e.type) {
            case 'started':
                rows.push(`| ${at} | server started (pid ${e.pid}) | | |`);
                break;
            case 'refreshed':
                refreshes++;
                served = Math.max(served, e.served);
                rows.push(`| ${at} | ${refreshes === 1 ? 'first session' : 'refreshed'} (${duration_formatDuration(e.sessionSeconds)}) | ${e.expiration} | ${e.latencyMs} ms |`);
                break;
            case 'max-session':
                rows.push(`| ${at} | role maximum found: ${duration_formatDuration(e.maxSeconds)} (${e.refusedSeconds} s refused) | | |`);
                break;
            case 'retry':
                retries++;
                rows.push(`| ${at} | STS retry ${e.attempt} after ${e.code} (waiting ${e.delayMs} ms) | | |`);
                break;
            case 'refresh-failed':
                failures++;
                served = Math.max(served, e.served);
                rows.push(`| ${at} | refresh failed${e.permanent ? ' (permanent)' : ''}: ${e.code}; kept serving the old session while valid, next try in ${duration_formatDuration(e.nextTryMs / 1000)} | | |`);
                break;
            case 'expected-until':
                rows.push(`| ${at} | a later step expects work until ${new Date(e.expectedUntil).toISOString()} | | |`);
                break;
            case 'unavailable':
                rows.push(`| ${at} | unavailable: ${e.reason} | | |`);
                break;
            case 'stopped':
                served = Math.max(served, e.served);
                refused = e.refused;
                rows.push(`| ${at} | stopped (${e.reason}) | | |`);
                break;
            case 'crashed':
                rows.push(`| ${at} | **crashed**: ${e.reason} | | |`);
                break;
        }
    }
    return [
        '### aws-session-guard keep-alive timeline',
        '',
        `${refreshes} session(s) minted, ${failures} failed refresh(es), ${retries} STS retr${retries === 1 ? 'y' : 'ies'}, ${served} credential request(s) served, ${refused} refused.`,
        '',
        '| time | event | new expiry | STS latency |',
        '| --- | --- | --- | --- |',
        ...rows,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
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
const MAX_BODY_BYTES = 4096;
class BodyTooLarge extends (/* unused pure expression or super */ null && (Error)) {
}
/**
 * The request body, at most `limit` bytes. A larger one (by Content-Length,
 * or once the chunks pass the limit) rejects with BodyTooLarge at once; the
 * rest is drained and dropped, so the 413 can still be sent.
 */
function readBody(req, limit = MAX_BODY_BYTES) {
    return new Promise((resolve, reject) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
            req.resume();
            reject(new BodyTooLarge());
            return;
        }
        let size = 0;
        let over = false;
        const chunks = [];
        req.on('data', (chunk) => {
            size += chunk.length;
            if (over)
                return;
            if (size > limit) {
                over = true;
                chunks.length = 0;
                reject(new BodyTooLarge());
            }
            else
                chunks.push(chunk);
        });
        req.on('end', () => {
            if (!over)
                resolve(Buffer.concat(chunks).toString('utf8'));
        });
        req.on('error', reject);
    });
}
/** The Authorization header, if it was sent exactly once; an array when it came more than once. */
function authorizationOf(req) {
    // Node keeps only the first of duplicated Authorization headers in req.headers: look at all of them.
    const all = req.headersDistinct['authorization'];
    if (all && all.length > 1)
        return all;
    return all?.[0];
}
async function startCredentialServer(handlers, port = 0) {
    const expected = digest(handlers.authToken);
    const expectedControl = digest(handlers.controlToken);
    const counts = { served: 0, refused: 0, unauthorized: 0 };
    const routes = {
        [CREDENTIALS_PATH]: 'GET',
        [STATUS_PATH]: 'GET',
        [EXPECT_PATH]: 'POST',
        [STOP_PATH]: 'POST',
    };
    const server = createServer((req, res) => {
        void (async () => {
            const auth = authorizationOf(req);
            if (Array.isArray(auth)) {
                // Which one would a proxy or another parser pick? Refuse rather than guess.
                counts.unauthorized++;
                error(res, 403, 'AccessDenied', 'Send exactly one Authorization header.');
                return;
            }
            const path = (req.url ?? '/').split('?')[0] ?? '/';
            // Both comparisons always run: the time taken says nothing about which token was close.
            const isAuth = tokenMatches(expected, auth);
            const isControl = tokenMatches(expectedControl, auth);
            const allowed = path === CREDENTIALS_PATH ? isAuth : path === STATUS_PATH ? isAuth || isControl : path.startsWith('/control/') ? isControl : isAuth || isControl;
            if (!allowed) {
                counts.unauthorized++;
                error(res, 403, 'AccessDenied', 'Missing or wrong authorization token.');
                return;
            }
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
                let text;
                try {
                    text = await readBody(req);
                }
                catch (e) {
                    if (!(e instanceof BodyTooLarge))
                        throw e;
                    // The connection is closed after this answer: the rest of the body is not waited for.
                    return error(res, 413, 'PayloadTooLarge', `Send at most ${MAX_BODY_BYTES} bytes.`, { Connection: 'close' });
                }
                let until;
                try {
                    until = JSON.parse(text).expectedUntil;
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
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/keepalive/files.ts
/**
 * Keep-alive's private folder and the files in it: the server's record (its
 * identity and control token: 0600) and its event log (no secrets). The auth
 * token that hands out credentials is never written here: it reaches the
 * server through its IPC channel and later steps through the job's env.
 *
 * The folder is RUNNER_TEMP/aws-session-guard, one per job. It is created
 * 0700, and refused when it is a symbolic link, not a folder, or owned by
 * someone else. Without RUNNER_TEMP it is a fresh private temporary folder,
 * never a fixed path, and its location is passed on through the env.
 */




function pathsIn(dir) {
    return { dir, record: (0,external_node_path_namespaceObject.join)(dir, 'server.json'), log: (0,external_node_path_namespaceObject.join)(dir, 'server-log.jsonl') };
}
/** Where this job's keep-alive folder is, or undefined when it has none yet (no RUNNER_TEMP, none exported). */
function keepAliveDir(env) {
    const exported = env[Env.WorkDir];
    if (exported)
        return exported;
    const temp = env[Env.RunnerTemp];
    return temp ? join(temp, WorkDirName) : undefined;
}
class UnsafeFolderError extends Error {
    constructor(dir, why) {
        super(`The keep-alive folder ${dir} ${why}. It holds the credential server's record, so this action uses it only when it is a ` +
            'private folder (0700) of the runner user. Fix: remove it (rm -rf it in an earlier step), or check what else on this runner writes there.');
        this.name = 'UnsafeFolderError';
    }
}
/** Throws UnsafeFolderError unless `dir` is a real folder owned by this user; tightens its mode to 0700. */
function checkPrivateFolder(dir) {
    const st = (0,external_node_fs_namespaceObject.lstatSync)(dir);
    if (st.isSymbolicLink())
        throw new UnsafeFolderError(dir, 'is a symbolic link');
    if (!st.isDirectory())
        throw new UnsafeFolderError(dir, 'is not a folder');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
        throw new UnsafeFolderError(dir, `belongs to uid ${st.uid}, not to the runner user (uid ${uid})`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
        (0,external_node_fs_namespaceObject.chmodSync)(dir, 0o700);
}
/**
 * The job's folder, created when missing, checked when present. `created`
 * says whether later steps must be told where it is (no RUNNER_TEMP).
 */
function openPrivateFolder(env) {
    const known = keepAliveDir(env);
    if (known === undefined) {
        const dir = mkdtempSync(join(tmpdir(), `${WorkDirName}-`)); // 0700, a name nobody could predict
        return { paths: pathsIn(dir), mustExport: true };
    }
    try {
        mkdirSync(known, { mode: 0o700 });
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw e;
    }
    checkPrivateFolder(known);
    return { paths: pathsIn(known), mustExport: false };
}
/** The folder when it exists and is safe to read; undefined otherwise (nothing was started, or it is not ours). */
function existingPrivateFolder(env) {
    const dir = keepAliveDir(env);
    if (dir === undefined)
        return undefined;
    try {
        checkPrivateFolder(dir);
    }
    catch {
        return undefined;
    }
    return pathsIn(dir);
}
const NOFOLLOW = external_node_fs_namespaceObject.constants.O_NOFOLLOW ?? 0;
/** Writes a file only its owner can read, atomically (aside, then renamed), never through a symbolic link. */
function writePrivateFile(path, content) {
    const aside = `${path}.${process.pid}.tmp`;
    rmSync(aside, { force: true });
    const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
    try {
        writeSync(fd, content);
    }
    finally {
        closeSync(fd);
    }
    renameSync(aside, path);
}
/** Appends a line to a private file, never through a symbolic link. */
function files_appendPrivateLine(path, line) {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | NOFOLLOW, 0o600);
    try {
        writeSync(fd, line);
    }
    finally {
        closeSync(fd);
    }
}
function readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}
function identityOf(record) {
    return { pid: record.pid, ...(record.start !== undefined && { start: record.start }), nonce: record.nonce, dir: record.dir };
}

;// CONCATENATED MODULE: ./src/keepalive/events.ts
/** The server's event log (JSON lines, no secrets), read back by the post step. */


function fileEventLog(path, clock = Date.now) {
    return {
        write(event) {
            try {
                appendPrivateLine(path, JSON.stringify({ t: clock(), ...event }) + '\n');
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
        text = (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
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
        case 'crashed':
            return `it crashed at ${at} (${last.reason})`;
        default:
            return `its last event was "${last.type}" at ${at}`;
    }
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/keepalive/process-control.ts
/**
 * Telling the credential server's process from any other, and stopping it.
 * A pid alone can be reused by the OS once the server is gone; its start
 * time (and the nonce it answers /status with) cannot. Nothing here ever
 * signals a process that is not verifiably the server.
 */


/** /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'. */
function procStat(pid) {
    try {
        const stat = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    }
    catch {
        return undefined;
    }
}
const realProcessControl = {
    startOf(pid) {
        if (process.platform === 'linux')
            return procStat(pid)?.[19]; // field 22, starttime in clock ticks since boot
        if (process.platform === 'win32')
            return undefined;
        const ps = (0,external_node_child_process_namespaceObject.spawnSync)('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
        const out = ps.status === 0 ? ps.stdout.trim() : '';
        return out || undefined;
    },
    alive(pid) {
        try {
            process.kill(pid, 0);
        }
        catch (e) {
            if (e.code !== 'EPERM')
                return false;
        }
        // An exited child waits as a zombie until it is reaped, and signal 0 still succeeds on it.
        if (process.platform !== 'linux')
            return true;
        const state = procStat(pid)?.[0];
        return state !== undefined && state !== 'Z';
    },
    signal(pid, signal) {
        try {
            process.kill(pid, signal);
        }
        catch {
            // gone meanwhile
        }
    },
};
function processState(identity, control) {
    if (!control.alive(identity.pid))
        return 'gone';
    if (identity.start === undefined)
        return 'unverifiable';
    const start = control.startOf(identity.pid);
    if (start === undefined)
        return control.alive(identity.pid) ? 'unverifiable' : 'gone';
    return start === identity.start ? 'running' : 'other';
}
const POLL_MS = 50;
async function waitUntilNotRunning(identity, deps, ms) {
    let state = processState(identity, deps.control);
    for (let waited = 0; (state === 'running' || state === 'unverifiable') && waited < ms; waited += POLL_MS) {
        await deps.sleep(POLL_MS);
        state = processState(identity, deps.control);
    }
    return state;
}
/**
 * Stops the server: asks it over HTTP when it can, else SIGTERM; after the
 * grace period, SIGKILL. Each signal goes only to a process verified as the
 * server. Says 'stopped' or 'killed' only once the process is gone.
 */
async function stopServer(identity, deps) {
    const initial = processState(identity, deps.control);
    if (initial === 'gone' || initial === 'other')
        return initial;
    const asked = deps.askToStop ? await deps.askToStop() : false;
    if (!asked && processState(identity, deps.control) === 'running')
        deps.control.signal(identity.pid, 'SIGTERM');
    let state = await waitUntilNotRunning(identity, deps, deps.graceMs ?? 5000);
    if (state === 'gone' || state === 'other')
        return 'stopped';
    if (state === 'running') {
        deps.control.signal(identity.pid, 'SIGKILL');
        state = await waitUntilNotRunning(identity, deps, 2000);
        if (state === 'gone' || state === 'other')
            return 'killed';
    }
    return 'still-running';
}

;// CONCATENATED MODULE: ./src/keepalive/post.ts
/**
 * The post step: stop the credential server this action instance started,
 * confirm it is gone, write its session timeline to the job summary, and
 * remove every file that held a secret. It signals only a process verified
 * as that server (pid, start time), never a bare pid.
 */








function savedIdentity(toolkit) {
    const raw = toolkit.getState(State.Server);
    if (!raw)
        return undefined;
    try {
        const v = JSON.parse(raw);
        if (typeof v.pid !== 'number' || typeof v.nonce !== 'string' || typeof v.dir !== 'string')
            return undefined;
        return { pid: v.pid, nonce: v.nonce, dir: v.dir, ...(typeof v.start === 'string' && { start: v.start }) };
    }
    catch {
        return undefined;
    }
}
async function post(deps) {
    const { toolkit } = deps;
    const server = savedIdentity(toolkit);
    if (!server)
        return; // this instance started no server
    const paths = pathsIn(server.dir);
    let safe = true;
    try {
        checkPrivateFolder(paths.dir);
    }
    catch {
        // Gone already (a later instance's post cleaned up), or not ours: only the process is left to see to.
        safe = false;
    }
    const record = safe ? readJson(paths.record) : undefined;
    const current = record?.nonce === server.nonce ? record : undefined;
    const client = current?.endpoint ? (deps.client ?? serverClient)(current.endpoint, current.controlToken) : undefined;
    const outcome = await stopServer(server, {
        control: deps.control ?? realProcessControl,
        sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
        ...(client && { askToStop: () => client.stop() }),
        ...(deps.stopGraceMs !== undefined && { graceMs: deps.stopGraceMs }),
    });
    try {
        switch (outcome) {
            case 'stopped':
                toolkit.info(`Stopped the keep-alive credential server (pid ${server.pid}).`);
                break;
            case 'killed':
                toolkit.warning(`The keep-alive credential server (pid ${server.pid}) did not stop when asked and was killed.`, 'Credential server killed');
                break;
            case 'still-running':
                toolkit.warning(`The keep-alive credential server (pid ${server.pid}) is still running and could not be stopped` +
                    (server.start === undefined ? ' (this OS does not let the action verify the process, so it sent no signal)' : '') +
                    '. The runner ends it at "Complete job".', 'Credential server still running');
                break;
            default:
                if (!safe || (record && !current)) {
                    toolkit.info(`The keep-alive credential server this step started (pid ${server.pid}) was replaced by a later keep-alive step, which stopped it.`);
                }
                else {
                    toolkit.warning(`The keep-alive credential server (pid ${server.pid}) stopped before the end of the job: ${lastEventText(paths)}. ` +
                        'Steps that ran after that got no credentials from it.', 'Credential server stopped early');
                }
        }
        if (safe && (!record || current)) {
            const events = readEventLog(paths.log);
            if (events.length > 0)
                toolkit.appendSummary(timelineMarkdown(events));
        }
    }
    finally {
        // Another instance's server may still use the folder: it is removed with the last server's post.
        if (safe && (!record || current) && outcome !== 'still-running')
            (0,external_node_fs_namespaceObject.rmSync)(paths.dir, { recursive: true, force: true });
    }
}
async function runPost(toolkit = processToolkit()) {
    try {
        await post({ toolkit });
    }
    catch (error) {
        toolkit.warning(`aws-session-guard post step: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/post.ts

void runPost();

