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
    ServerStartedHere: 'server-started-here',
};
const Env = {
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
    /** Where the keep-alive server finds its configuration file (set only for the server process). */
    ServerConfigFile: 'AWS_SESSION_GUARD_SERVER_CONFIG',
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
const WorkDirName = 'aws-session-guard';

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
            if (!appendTo(Env.GithubOutput, fileCommandEntry(name, value))) {
                io.write(`${external_node_os_namespaceObject.EOL}${command('set-output', value, { name })}`);
            }
        },
        saveState: (name, value) => {
            if (!appendTo(Env.GithubState, fileCommandEntry(name, value))) {
                io.write(command('save-state', value, { name }));
            }
        },
        getState: (name) => env[`STATE_${name}`] ?? '',
        exportVariables: (vars) => {
            const block = Object.entries(vars)
                .map(([name, value]) => fileCommandEntry(name, value))
                .join('');
            if (!appendTo(Env.GithubEnv, block)) {
                throw new Error(`${Env.GithubEnv} is not set: this action must run as a step of a GitHub Actions job.`);
            }
            for (const [name, value] of Object.entries(vars))
                env[name] = value;
        },
        appendSummary: (markdown) => {
            appendTo(Env.GithubStepSummary, markdown.endsWith(external_node_os_namespaceObject.EOL) ? markdown : markdown + external_node_os_namespaceObject.EOL);
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
        const stat = (0,external_node_fs_namespaceObject.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/keepalive/events.ts
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
        default:
            return `its last event was "${last.type}" at ${at}`;
    }
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/keepalive/files.ts
/**
 * Files the keep-alive parts share under RUNNER_TEMP/aws-session-guard: the
 * server's record (with its token: 0600), its start-up config (0600, deleted
 * by the server once read), its ready note and its event log (no secrets).
 */




function keepAlivePaths(env) {
    const dir = (0,external_node_path_namespaceObject.join)(env[Env.RunnerTemp] || (0,external_node_os_namespaceObject.tmpdir)(), WorkDirName);
    return {
        dir,
        record: (0,external_node_path_namespaceObject.join)(dir, 'server.json'),
        config: (0,external_node_path_namespaceObject.join)(dir, 'server-config.json'),
        ready: (0,external_node_path_namespaceObject.join)(dir, 'server-ready.json'),
        log: (0,external_node_path_namespaceObject.join)(dir, 'server-log.jsonl'),
    };
}
/** Writes a file only its owner can read, creating its folder (0700). */
function writePrivateFile(path, content, dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rmSync(path, { force: true });
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
}
function readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/settings/duration.ts
/**
 * Durations as workflows write them: `90m`, `2h`, `1h30m`, `45s`, `1h30m15s`,
 * or whole seconds (`5400`).
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
                rows.push(`| ${at} | refresh failed: ${e.code}; kept serving the old session, next try in ${duration_formatDuration(e.nextTryMs / 1000)} | | |`);
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

;// CONCATENATED MODULE: ./src/keepalive/post.ts
/**
 * The post step: stop the credential server this action instance started,
 * write its session timeline to the job summary, and remove every file that
 * held a secret.
 */







async function post(deps) {
    const { toolkit, env } = deps;
    if (toolkit.getState(State.ServerStartedHere) !== 'true')
        return;
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const paths = keepAlivePaths(env);
    const record = readJson(paths.record);
    try {
        if (record) {
            const stopped = await serverClient(record.endpoint, record.authToken).stop();
            if (!stopped) {
                toolkit.warning(`The keep-alive credential server (pid ${record.pid}) stopped before the end of the job: ${lastEventText(paths)}. ` +
                    'Steps that ran after that got no credentials from it.', 'Credential server stopped early');
            }
            for (let i = 0; i < 40 && processAlive(record.pid); i++)
                await sleep(50);
            if (processAlive(record.pid)) {
                try {
                    process.kill(record.pid);
                }
                catch {
                    // gone meanwhile
                }
            }
            toolkit.info(stopped ? `Stopped the keep-alive credential server (pid ${record.pid}).` : 'The keep-alive credential server was not running.');
        }
        const events = readEventLog(paths.log);
        if (events.length > 0)
            toolkit.appendSummary(timelineMarkdown(events));
    }
    finally {
        (0,external_node_fs_namespaceObject.rmSync)(paths.dir, { recursive: true, force: true });
    }
}
async function runPost() {
    const toolkit = processToolkit();
    try {
        await post({ toolkit, env: process.env });
    }
    catch (error) {
        toolkit.warning(`aws-session-guard post step: ${error.message}`);
    }
}

;// CONCATENATED MODULE: ./src/post.ts

void runPost();

