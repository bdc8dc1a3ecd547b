import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/constants.ts
/**
 * Every name the action shares with the outside world: inputs, outputs, saved
 * state and environment variables. Nothing else in the code spells them.
 */
const constants_Inputs = {
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
const constants_Outputs = {
    Expiration: 'expiration',
    RemainingSeconds: 'remaining-seconds',
    Refreshed: 'refreshed',
    AwsAccountId: 'aws-account-id',
    AuthenticatedArn: 'authenticated-arn',
    MaxSessionDuration: 'max-session-duration',
    CredentialsEndpoint: 'credentials-endpoint',
};
/** Names passed from main to post through `core.saveState`. */
const constants_State = {
    IsPost: 'isPost',
    ServerStartedHere: 'server-started-here',
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
    GithubRunId: 'GITHUB_RUN_ID',
    GithubRunAttempt: 'GITHUB_RUN_ATTEMPT',
    GithubRepository: 'GITHUB_REPOSITORY',
    GithubJob: 'GITHUB_JOB',
    GithubEnv: 'GITHUB_ENV',
    /** Where the keep-alive server finds its configuration file (set only for the server process). */
    ServerConfigFile: 'AWS_SESSION_GUARD_SERVER_CONFIG',
};
/** Bounds that AWS itself sets (see shared FACTS.md). */
const constants_Sts = {
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
            if (!appendTo('GITHUB_OUTPUT', fileCommandEntry(name, value))) {
                io.write(`${external_node_os_namespaceObject.EOL}${command('set-output', value, { name })}`);
            }
        },
        saveState: (name, value) => {
            if (!appendTo('GITHUB_STATE', fileCommandEntry(name, value))) {
                io.write(command('save-state', value, { name }));
            }
        },
        getState: (name) => env[`STATE_${name}`] ?? '',
        exportVariables: (vars) => {
            const block = Object.entries(vars)
                .map(([name, value]) => fileCommandEntry(name, value))
                .join('');
            if (!appendTo('GITHUB_ENV', block)) {
                throw new Error('GITHUB_ENV is not set: this action must run as a step of a GitHub Actions job.');
            }
            for (const [name, value] of Object.entries(vars))
                env[name] = value;
        },
        appendSummary: (markdown) => {
            appendTo('GITHUB_STEP_SUMMARY', markdown.endsWith(external_node_os_namespaceObject.EOL) ? markdown : markdown + external_node_os_namespaceObject.EOL);
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

function client_serverClient(endpoint, authToken, timeoutMs = 3000) {
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
/** Whether a process is still running (signal 0 tests without touching it). */
function client_processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return e.code === 'EPERM';
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

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/keepalive/files.ts
/**
 * Files the keep-alive parts share under RUNNER_TEMP/aws-session-guard: the
 * server's record (with its token: 0600), its start-up config (0600, deleted
 * by the server once read), its ready note and its event log (no secrets).
 */




function files_keepAlivePaths(env) {
    const dir = (0,external_node_path_namespaceObject.join)(env[constants_Env.RunnerTemp] || (0,external_node_os_namespaceObject.tmpdir)(), WorkDirName);
    return {
        dir,
        record: (0,external_node_path_namespaceObject.join)(dir, 'server.json'),
        config: (0,external_node_path_namespaceObject.join)(dir, 'server-config.json'),
        ready: (0,external_node_path_namespaceObject.join)(dir, 'server-ready.json'),
        log: (0,external_node_path_namespaceObject.join)(dir, 'server-log.jsonl'),
    };
}
/** Writes a file only its owner can read, creating its folder (0700). */
function files_writePrivateFile(path, content, dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    rmSync(path, { force: true });
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
}
function files_readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/export/variables.ts
/**
 * What later steps see. Every secret is masked before anything is written,
 * and each set of variables goes out in one write, so a failure never leaves
 * half a credential set exported.
 */

/** Static credentials for later steps, with their expiry and region. */
function staticCredentialVariables(credentials, region) {
    return {
        [Env.AccessKeyId]: credentials.accessKeyId,
        [Env.SecretAccessKey]: credentials.secretAccessKey,
        [Env.SessionToken]: credentials.sessionToken,
        [Env.CredentialExpiration]: credentials.expiration.toISOString(),
        [Env.Region]: region,
        [Env.DefaultRegion]: region,
    };
}
/**
 * Hands later steps to the keep-alive server: the container-credentials pair,
 * and every variable that would shadow it cleared. An exported empty value
 * counts as unset in the SDKs' credential lookups, with three exceptions that
 * are therefore never exported empty: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (botocore treats an empty one as
 * set and fails), and AWS_PROFILE (botocore and the AWS CLI then look for a
 * profile named "" and fail with ProfileNotFound: seen with CLI 2.9 and
 * boto3 1.26). A non-empty AWS_PROFILE is reported instead (see keep-alive).
 */
function variables_serverCredentialVariables(endpoint, authToken, region) {
    return {
        [Env.AccessKeyId]: '',
        [Env.SecretAccessKey]: '',
        [Env.SessionToken]: '',
        [Env.CredentialExpiration]: '',
        [Env.WebIdentityTokenFile]: '',
        [Env.RoleArn]: '',
        [Env.ContainerFullUri]: endpoint,
        [Env.ContainerAuthToken]: authToken,
        [Env.Region]: region,
        [Env.DefaultRegion]: region,
    };
}
/** Masks the secrets first, then exports all variables in one write. */
function variables_exportMasked(toolkit, variables, secrets) {
    for (const secret of secrets)
        toolkit.setSecret(secret);
    toolkit.exportVariables(variables);
}
function variables_exportStaticCredentials(toolkit, credentials, region) {
    variables_exportMasked(toolkit, staticCredentialVariables(credentials, region), [
        credentials.accessKeyId,
        credentials.secretAccessKey,
        credentials.sessionToken,
    ]);
}

;// CONCATENATED MODULE: ./src/oidc/id-token.ts
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
function id_token_jwtExpiry(token) {
    const exp = decodeJwt(token)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
}
const id_token_MISSING_PERMISSION_MESSAGE = (/* unused pure expression or super */ null && ('The job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. ' +
    'Give the job the permission by name: add "permissions: id-token: write" (and "contents: read") to the job or the workflow. ' +
    'Pull requests from forks never get it.'));
function githubTokenSource(options) {
    const doFetch = options.fetch ?? fetch;
    const clock = options.clock ?? Date.now;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return {
        async getIdToken(audience) {
            const url = options.env[Env.IdTokenRequestUrl];
            const requestToken = options.env[Env.IdTokenRequestToken];
            if (!url || !requestToken)
                throw new IdTokenError(id_token_MISSING_PERMISSION_MESSAGE, 'permission');
            const target = `${url}${url.includes('?') ? '&' : '?'}audience=${encodeURIComponent(audience)}`;
            let response;
            try {
                response = await doFetch(target, {
                    headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' },
                    signal: AbortSignal.timeout(timeoutMs),
                });
            }
            catch (e) {
                throw new IdTokenError(`The GitHub OIDC token request failed: ${e.message}`, 'transient');
            }
            if (!response.ok) {
                await response.body?.cancel();
                const transient = response.status >= 500 || response.status === 429 || response.status === 408;
                const why = response.status === 401 || response.status === 403
                    ? ' The request token was refused: it expires about 6 h after the job starts, or the job lacks "permissions: id-token: write".'
                    : '';
                throw new IdTokenError(`The GitHub OIDC token endpoint answered HTTP ${response.status}.${why}`, transient ? 'transient' : 'permanent');
            }
            let value;
            try {
                value = (await response.json()).value;
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

;// CONCATENATED MODULE: ./src/lifetime/policy.ts
/**
 * The lifetime policy: how long the work needs, what the current session
 * gives, what to ask STS for, and when the keep-alive server refreshes. Pure
 * functions of numbers and dates; no I/O.
 */


function policy_needOf(settings) {
    const { expectedDurationSeconds: e, safetyMarginSeconds: m } = settings;
    return {
        seconds: e + m,
        explanation: `${formatDuration(e)} expected-duration + ${formatDuration(m)} safety-margin = ${formatDuration(e + m)}`,
    };
}
/** The longest single session STS can give for this configuration. */
function policy_sessionCeiling(settings) {
    return settings.chainedRoleToAssume ? Sts.ChainedMaxSeconds : Sts.MaxDurationSeconds;
}
/** DurationSeconds to ask for: the explicit input, else enough for the need, at least 1 h, at most the ceiling. */
function policy_requestedDurationSeconds(settings, need) {
    const ceiling = policy_sessionCeiling(settings);
    if (settings.roleDurationSeconds !== undefined)
        return Math.min(settings.roleDurationSeconds, ceiling);
    return Math.min(ceiling, Math.max(Sts.DefaultDurationSeconds, need.seconds));
}
/**
 * The current session's expiry: AWS_CREDENTIAL_EXPIRATION (written by this
 * action and by configure-aws-credentials), else the `expiration` input.
 */
function policy_lookupExpiry(envValue, input) {
    if (envValue !== undefined && envValue.trim() !== '') {
        const t = Date.parse(envValue.trim());
        if (Number.isNaN(t))
            return { kind: 'invalid', source: 'AWS_CREDENTIAL_EXPIRATION', value: envValue };
        return { kind: 'known', expiry: { at: new Date(t), source: 'AWS_CREDENTIAL_EXPIRATION' } };
    }
    if (input)
        return { kind: 'known', expiry: { at: input, source: "the 'expiration' input" } };
    return { kind: 'unknown' };
}
function policy_assess(expiration, nowMs, need) {
    if (!expiration)
        return { kind: 'unknown' };
    const remainingSeconds = Math.floor((expiration.getTime() - nowMs) / 1000);
    if (remainingSeconds <= 0)
        return { kind: 'expired', remainingSeconds };
    return remainingSeconds >= need.seconds ? { kind: 'healthy', remainingSeconds } : { kind: 'short', remainingSeconds };
}
/**
 * Seconds left on a fresh session, on the STS server's clock when it has one,
 * never more than was granted (the Date header and Expiration have whole-second
 * resolution, so the difference can read one second over).
 */
function policy_remainingAtIssue(expiration, serverDate, receivedAt, grantedSeconds) {
    const now = serverDate ? serverDate.getTime() : receivedAt;
    const remaining = Math.floor((expiration.getTime() - now) / 1000);
    return grantedSeconds === undefined ? remaining : Math.min(grantedSeconds, remaining);
}
/** The STS clock is read to the second: a session within this much of the need covers it. */
const CLOCK_RESOLUTION_SECONDS = 1;
function policy_coversNeed(remainingSeconds, need) {
    return remainingSeconds + CLOCK_RESOLUTION_SECONDS >= need.seconds;
}
/** Local clock minus the STS server's clock, in seconds (positive: the runner is ahead). */
function policy_clockSkewSeconds(serverDate, receivedAt, latencyMs) {
    if (!serverDate)
        return undefined;
    // The Date header has 1 s resolution and was stamped somewhere within the round trip.
    const skewMs = receivedAt - latencyMs / 2 - serverDate.getTime();
    return Math.round(skewMs / 1000);
}
const policy_SKEW_WARNING_SECONDS = 300;
// ---- Keep-alive refresh timing ----------------------------------------------
/** botocore refreshes 15 min before expiry (advisory), the JS SDK 5 min: serve more than that. */
const PREFERRED_LEAD_SECONDS = (/* unused pure expression or super */ null && (20 * 60));
/**
 * How long before expiry the server mints the next session: 20 min, or a third
 * of the session for short ones, so what it serves has more time left than the
 * SDKs' refresh windows wherever the session length allows.
 */
function refreshLeadSeconds(lifetimeSeconds) {
    return Math.max(1, Math.min(PREFERRED_LEAD_SECONDS, Math.floor(lifetimeSeconds / 3)));
}
/**
 * Credentials with this little left are not served (503 instead): a client
 * would get them already expired. 15 s, as the EKS Pod Identity Agent, scaled
 * down for compressed test sessions.
 */
function minServableSeconds(lifetimeSeconds) {
    return Math.max(1, Math.min(15, Math.floor(lifetimeSeconds / 10)));
}
/**
 * With keep-alive, the job can mint new sessions until the OIDC request token
 * expires, and the last one lasts the role's maximum session. `coverUntil` is
 * the latest moment (ms) the job can have credentials.
 */
function policy_keepAliveCoverUntil(requestTokenExpiresAt, sessionSeconds) {
    if (requestTokenExpiresAt === undefined)
        return undefined;
    return requestTokenExpiresAt + sessionSeconds * 1000;
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/** The job summary: one line per guard run, and the keep-alive timeline. */

const hhmmss = (d) => d.toISOString().slice(11, 19) + 'Z';
function summary_summaryLine(line) {
    const remaining = line.remainingSeconds === undefined ? 'unknown' : formatDuration(line.remainingSeconds);
    return `- **aws-session-guard** ${hhmmss(line.at)}: remaining ${remaining}, need ${formatDuration(line.needSeconds)}. ${line.outcome}\n`;
}


;// CONCATENATED MODULE: ./src/guard/messages.ts
/** The words of a shortfall: what is wrong, how it was computed, and the fixes. */


const keepAliveFix = (/* unused pure expression or super */ null && (`set '${Inputs.KeepAlive}: true' so a local credential server renews the session through GitHub OIDC for as long as the job runs`));
function messages_roleTooShortMessage(role, maxSeconds, refusedSeconds, need) {
    const refused = refusedSeconds - maxSeconds <= 1 ? '' : `; ${formatDuration(refusedSeconds)} was refused`;
    const wanted = Math.min(43200, Math.ceil(need.seconds / 3600) * 3600);
    return (`The role ${role.arn} has a maximum session of ${formatDuration(maxSeconds)} (${maxSeconds} s${refused}), ` +
        `but the work needs ${formatDuration(need.seconds)} ` +
        `(${need.explanation}).\n` +
        `Fix: raise the role's maximum: aws iam update-role --role-name ${role.roleName} --max-session-duration ${wanted}\n` +
        (need.seconds > 43200 ? '(IAM allows at most 43200 s, 12 h.)\n' : '') +
        `  or ${keepAliveFix},\n  or lower '${Inputs.ExpectedDuration}' if the work is shorter.`);
}
function messages_chainTooShortMessage(role, need) {
    return (`The chained role ${role.arn} is assumed by role chaining, which AWS caps at 1h (3600 s), but the work needs ` +
        `${formatDuration(need.seconds)} (${need.explanation}).\n` +
        `Fix: ${keepAliveFix} (it re-assumes the chain before each hour ends),\n` +
        `  or assume ${role.arn} directly through OIDC as '${Inputs.RoleToAssume}' (trust token.actions.githubusercontent.com in its trust policy).`);
}
function messages_beyondAnySessionMessage(need) {
    return (`No single AWS session can last ${formatDuration(need.seconds)} (${need.explanation}): STS gives at most 12h (43200 s).\n` +
        `Fix: ${keepAliveFix}.`);
}
function messages_noRoleMessage(state, need, remainingSeconds) {
    const what = state === 'unknown'
        ? 'The current AWS session expiry is unknown: AWS_CREDENTIAL_EXPIRATION is not set and no \'expiration\' input was given'
        : state === 'expired'
            ? `The current AWS session expired ${formatDuration(-(remainingSeconds ?? 0))} ago`
            : `The current AWS session has ${formatDuration(remainingSeconds ?? 0)} left`;
    return (`${what}, and the work needs ${formatDuration(need.seconds)} (${need.explanation}).\n` +
        `Fix: give '${Inputs.RoleToAssume}' and '${Inputs.AwsRegion}' so the guard can re-assume the role through GitHub OIDC` +
        (state === 'unknown'
            ? `, or pass the session's expiry as '${Inputs.Expiration}' (e.g. \${{ steps.creds.outputs.aws-expiration }} from configure-aws-credentials).`
            : '.'));
}
function messages_shortAfterRefreshMessage(role, remainingSeconds, need) {
    return (`STS gave ${role.arn} a session with ${formatDuration(remainingSeconds)} left, but the work needs ${formatDuration(need.seconds)} ` +
        `(${need.explanation}).\nFix: raise '${Inputs.RoleDurationSeconds}' (or leave it out), or ${keepAliveFix}.`);
}

;// CONCATENATED MODULE: ./src/guard/guard.ts
/**
 * The guard: is the current session long enough for the work ahead? If so,
 * say so without touching the network. If not, mint a fresh one through
 * GitHub OIDC and export it, or fail in seconds with the role's real limit.
 */







/** A shortfall with fail-on-short-session: the step fails with this message. */
class guard_ShortSessionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ShortSessionError';
    }
}
/** The mint plan for the configured role(s) and a session length. */
function mintPlan(settings, durationSeconds) {
    if (!settings.roleToAssume)
        throw new Error('mintPlan needs role-to-assume');
    return {
        role: settings.roleToAssume,
        chainedRole: settings.chainedRoleToAssume,
        roleSessionName: settings.roleSessionName,
        durationSeconds,
        policy: settings.inlineSessionPolicy,
        policyArns: settings.managedSessionPolicies,
    };
}
async function guard(settings, deps) {
    const { toolkit, clock } = deps;
    const need = needOf(settings);
    const now = clock();
    const note = (remainingSeconds, outcome) => toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need.seconds, outcome }));
    const shortfall = (message, remainingSeconds) => {
        note(remainingSeconds, settings.failOnShortSession ? `**Failed**: ${message.split('\n')[0]}` : `Warned: ${message.split('\n')[0]}`);
        if (settings.failOnShortSession)
            throw new guard_ShortSessionError(message);
        toolkit.warning(message, 'AWS session too short');
        return { kind: 'warned', message };
    };
    const lookup = lookupExpiry(deps.env[Env.CredentialExpiration], settings.expiration);
    if (lookup.kind === 'invalid') {
        toolkit.warning(`${lookup.source} is "${lookup.value}", not an ISO 8601 time; treating the session expiry as unknown.`);
    }
    const expiration = lookup.kind === 'known' ? lookup.expiry.at : undefined;
    const assessment = assess(expiration, now, need);
    if (assessment.kind === 'healthy' && expiration) {
        toolkit.setOutput(Outputs.Expiration, expiration.toISOString());
        toolkit.setOutput(Outputs.RemainingSeconds, String(assessment.remainingSeconds));
        toolkit.setOutput(Outputs.Refreshed, 'false');
        toolkit.info(`The AWS session has ${formatDuration(assessment.remainingSeconds)} left (until ${expiration.toISOString()}, from ` +
            `${lookup.kind === 'known' ? lookup.expiry.source : 'input'}); the work needs ${formatDuration(need.seconds)} ` +
            `(${need.explanation}). Nothing to do.`);
        note(assessment.remainingSeconds, 'Healthy: kept the current session.');
        return { kind: 'healthy', remainingSeconds: assessment.remainingSeconds, expiration };
    }
    const remainingBefore = assessment.kind === 'unknown' ? undefined : assessment.remainingSeconds;
    if (!settings.roleToAssume) {
        return shortfall(noRoleMessage(assessment.kind === 'healthy' ? 'short' : assessment.kind, need, remainingBefore), remainingBefore);
    }
    toolkit.info(assessment.kind === 'unknown'
        ? `The current AWS session expiry is unknown; assuming ${settings.roleToAssume.arn} through GitHub OIDC.`
        : `The AWS session has ${formatDuration(Math.max(0, remainingBefore ?? 0))} left; the work needs ${formatDuration(need.seconds)} ` +
            `(${need.explanation}). Assuming ${settings.roleToAssume.arn} through GitHub OIDC.`);
    return refresh(settings, deps, need, note, shortfall);
}
async function refresh(settings, deps, need, note, shortfall) {
    const { toolkit } = deps;
    const role = settings.roleToAssume;
    if (!role || !settings.region)
        throw new Error('refresh needs role-to-assume and aws-region');
    // Known limits fail before any network call.
    let warned = false;
    if (need.seconds > sessionCeiling(settings)) {
        const message = settings.chainedRoleToAssume
            ? chainTooShortMessage(settings.chainedRoleToAssume, need)
            : beyondAnySessionMessage(need);
        shortfall(message);
        warned = true;
    }
    const minter = await deps.loadMinter(settings, (token) => toolkit.setSecret(token.value));
    const longest = await minter.mintLongest(mintPlan(settings, requestedDurationSeconds(settings, need)));
    const { session, max } = longest;
    const { credentials } = session;
    const skew = clockSkewSeconds(session.serverDate, session.receivedAt, session.latencyMs);
    if (skew !== undefined && Math.abs(skew) > SKEW_WARNING_SECONDS) {
        toolkit.warning(`The runner's clock is ${formatDuration(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} AWS STS's clock. ` +
            'Remaining session time is computed on the STS clock, but AWS rejects signed requests past 15 minutes of skew: fix the runner clock (NTP).', 'Clock skew');
    }
    if (max) {
        toolkit.setOutput(Outputs.MaxSessionDuration, String(max.seconds));
        toolkit.info(`${role.arn} refused ${max.refusedSeconds} s; its maximum session is ${formatDuration(max.seconds)} (${max.seconds} s).`);
    }
    const remainingSeconds = remainingAtIssue(credentials.expiration, session.serverDate, session.receivedAt, session.durationSeconds);
    const short = !coversNeed(remainingSeconds, need);
    if (short && !warned) {
        const targetRole = settings.chainedRoleToAssume ?? role;
        const message = max?.scope === 'chain'
            ? chainTooShortMessage(targetRole, need)
            : max
                ? roleTooShortMessage(targetRole, max.seconds, max.refusedSeconds, need)
                : shortAfterRefreshMessage(targetRole, remainingSeconds, need);
        shortfall(message, remainingSeconds);
    }
    const accountId = accountIdOf(session.assumedRoleArn);
    if (accountId && settings.maskAwsAccountId)
        toolkit.setSecret(accountId);
    exportStaticCredentials(toolkit, credentials, settings.region);
    toolkit.setOutput(Outputs.Expiration, credentials.expiration.toISOString());
    toolkit.setOutput(Outputs.RemainingSeconds, String(remainingSeconds));
    toolkit.setOutput(Outputs.Refreshed, 'true');
    if (accountId)
        toolkit.setOutput(Outputs.AwsAccountId, accountId);
    if (session.assumedRoleArn)
        toolkit.setOutput(Outputs.AuthenticatedArn, session.assumedRoleArn);
    toolkit.info(`Assumed ${session.assumedRoleArn || role.arn}: the session lasts until ${credentials.expiration.toISOString()} ` +
        `(${formatDuration(remainingSeconds)} on the STS clock). Exported AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ` +
        'AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION to later steps.');
    if (!short) {
        note(remainingSeconds, `Refreshed: assumed ${settings.chainedRoleToAssume?.arn ?? role.arn} until ${credentials.expiration.toISOString()}.`);
    }
    return { kind: 'refreshed', remainingSeconds, expiration: credentials.expiration, short };
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:url"
const external_node_url_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");
;// CONCATENATED MODULE: ./src/keepalive/launcher.ts
/**
 * Starting the credential server so it outlives the step: detached, stdio
 * ignored, unref'd, so the step ends at once and the runner waits on nothing.
 * The same flags work on Linux, macOS and Windows (windowsHide keeps a console
 * window from opening); the runner still ends it at "Complete job", since it
 * carries the job's RUNNER_TRACKING_ID.
 */



/** The server bundle, beside the main bundle: dist/server/index.js. */
function launcher_serverEntry(mainUrl) {
    return fileURLToPath(new URL('../server/index.js', mainUrl));
}
function launcher_detachedLauncher(entry, env = process.env, node = process.execPath) {
    return (configPath) => {
        const child = spawn(node, [entry], {
            detached: true,
            stdio: 'ignore',
            windowsHide: true,
            env: { ...env, [Env.ServerConfigFile]: configPath },
        });
        child.on('error', () => undefined); // reported through the missing ready note
        child.unref();
        if (child.pid === undefined)
            throw new Error(`could not start the credential server (${node} ${entry})`);
        return child.pid;
    };
}

;// CONCATENATED MODULE: ./src/keepalive/shadowing.ts
/**
 * Shared AWS files come before the container provider in the SDKs' default
 * chains: credentials there would shadow the keep-alive server.
 */




const CREDENTIAL_KEYS = /^\s*(aws_access_key_id|aws_session_token|credential_process|role_arn|web_identity_token_file|sso_start_url|sso_session)\s*=/im;
function defaultSection(text, header) {
    const lines = text.split(/\r?\n/);
    const start = lines.findIndex((l) => header.test(l.trim()));
    if (start < 0)
        return undefined;
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((l) => /^\s*\[/.test(l));
    return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}
/** Files whose default profile would be used before the server. */
function shadowing_shadowingFiles(env, home = homedir()) {
    const candidates = [
        [env[Env.SharedCredentialsFile] || join(home, '.aws', 'credentials'), /^\[\s*default\s*\]$/],
        [env[Env.ConfigFile] || join(home, '.aws', 'config'), /^\[\s*(default|profile\s+default)\s*\]$/],
    ];
    const found = [];
    for (const [file, header] of candidates) {
        if (!existsSync(file))
            continue;
        let text;
        try {
            text = readFileSync(file, 'utf8');
        }
        catch {
            continue;
        }
        const section = defaultSection(text, header);
        if (section !== undefined && CREDENTIAL_KEYS.test(section))
            found.push(file);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/keepalive/keep-alive.ts
/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it.
 */














const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms));
function coverageMessage(need, coverUntil, now, why) {
    return (`The job can keep AWS credentials coming for ${formatDuration(Math.max(0, (coverUntil - now) / 1000))} more, ` +
        `but the work needs ${formatDuration(need.seconds)} (${need.explanation}): ${why}\n` +
        `Fix: split the work across jobs (each job gets a new OIDC request token), or lower '${'expected-duration'}' if the work is shorter.`);
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
async function keepAlive(settings, deps) {
    const { toolkit, env, clock } = deps;
    const sleep = deps.sleep ?? sleepMs;
    const need = needOf(settings);
    const now = clock();
    const paths = keepAlivePaths(env);
    const region = settings.region;
    const role = settings.roleToAssume;
    if (!region || !role)
        throw new Error("keep-alive needs 'role-to-assume' and 'aws-region'");
    const note = (outcome, remainingSeconds) => toolkit.appendSummary(summaryLine({ at: new Date(now), remainingSeconds, needSeconds: need.seconds, outcome }));
    const shortfall = (message) => {
        note(`${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message.split('\n')[0]}`);
        if (settings.failOnShortSession)
            throw new ShortSessionError(message);
        toolkit.warning(message, 'AWS credentials will not last');
    };
    // 1. Can the job mint sessions for long enough? Decided before any network call.
    const requestToken = env[Env.IdTokenRequestToken];
    if (!env[Env.IdTokenRequestUrl] || !requestToken)
        throw new Error(MISSING_PERMISSION_MESSAGE);
    const tokenExp = jwtExpiry(requestToken);
    const requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
    const ceiling = sessionCeiling(settings);
    const upperCover = keepAliveCoverUntil(requestTokenExpiresAt, ceiling);
    if (upperCover !== undefined && now + need.seconds * 1000 > upperCover) {
        shortfall(coverageMessage(need, upperCover, now, `GitHub's OIDC request token for this job expires at ${new Date(requestTokenExpiresAt ?? 0).toISOString()}, ` +
            `and the last session minted before then lasts at most ${formatDuration(ceiling)}.`));
    }
    else if (requestTokenExpiresAt === undefined) {
        toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
    }
    const expectedUntil = now + need.seconds * 1000;
    // 2. A server already running for this job is reused, never doubled.
    const record = readJson(paths.record);
    if (record) {
        const client = serverClient(record.endpoint, record.authToken);
        const status = processAlive(record.pid) ? await client.expect(expectedUntil) : undefined;
        if (status) {
            toolkit.setSecret(record.authToken);
            checkCoverage(status, need, now, shortfall);
            handOver(toolkit, record.endpoint, record.authToken, region, status);
            toolkit.info(`Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${record.endpoint}); it now expects work until ${new Date(expectedUntil).toISOString()}.`);
            note(`Keep-alive: reused the running credential server, serving until ${status.expiration ?? '?'} and refreshing ahead of expiry.`, status.remainingSeconds);
            return;
        }
        toolkit.warning(`The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`, 'Credential server restarted');
        rmSync(paths.record, { force: true });
    }
    // 3. Start a new server.
    const authToken = randomBytes(32).toString('base64url'); // 256 bits
    toolkit.setSecret(authToken);
    const config = {
        authToken,
        roleArn: role.arn,
        ...(settings.chainedRoleToAssume && { chainedRoleArn: settings.chainedRoleToAssume.arn }),
        roleSessionName: settings.roleSessionName,
        region,
        ...(settings.stsEndpoint !== undefined && { stsEndpoint: settings.stsEndpoint }),
        audience: settings.audience,
        ...(settings.inlineSessionPolicy !== undefined && { policy: settings.inlineSessionPolicy }),
        policyArns: settings.managedSessionPolicies,
        retryMaxAttempts: settings.retryMaxAttempts,
        expectedUntil,
        ...(requestTokenExpiresAt !== undefined && { requestTokenExpiresAt }),
        paths,
    };
    rmSync(paths.ready, { force: true });
    writePrivateFile(paths.config, JSON.stringify(config), paths.dir);
    const launch = deps.launch ?? detachedLauncher(serverEntry(import.meta.url));
    toolkit.info(`Starting the keep-alive credential server for ${(settings.chainedRoleToAssume ?? role).arn}...`);
    const pid = launch(paths.config);
    const ready = await waitForReady(paths, pid, deps.readyTimeoutMs ?? 120_000, sleep, clock);
    rmSync(paths.config, { force: true });
    if (!ready.ok) {
        rmSync(paths.ready, { force: true });
        throw new Error(`The keep-alive credential server could not start: ${ready.error}`);
    }
    const endpoint = `http://127.0.0.1:${ready.port}/credentials`;
    const client = serverClient(endpoint, authToken);
    const probe = await client.probeCredentials();
    if (probe.status !== 200) {
        await client.stop();
        throw new Error(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`);
    }
    const serverRecord = { pid: ready.pid, endpoint, authToken, startedAt: now, roleArn: role.arn };
    writePrivateFile(paths.record, JSON.stringify(serverRecord), paths.dir);
    toolkit.saveState(State.ServerStartedHere, 'true');
    const status = (await client.status()) ?? { pid, refreshes: 1, served: 1, refused: 0, expectedUntil };
    try {
        checkCoverage(status, need, now, shortfall);
    }
    catch (error) {
        await client.stop();
        rmSync(paths.record, { force: true });
        throw error;
    }
    if (ready.maxSessionSeconds !== undefined) {
        toolkit.info(`${role.arn} allows sessions of at most ${formatDuration(ready.maxSessionSeconds)}: the server renews them ahead of expiry.`);
    }
    handOver(toolkit, endpoint, authToken, region, status);
    const profile = env[Env.Profile];
    if (profile) {
        toolkit.warning(`AWS_PROFILE is set to "${profile}": the AWS CLI and SDKs use that profile's credentials, if it has any, before the keep-alive server. ` +
            'Remove AWS_PROFILE from the job (an empty AWS_PROFILE makes the AWS CLI and boto3 fail with ProfileNotFound, so this action cannot clear it for you).', 'AWS_PROFILE may shadow the credential server');
    }
    for (const file of shadowingFiles(env)) {
        toolkit.warning(`${file} has credentials in its default profile. The AWS CLI and SDKs read it before the keep-alive server, ` +
            'so later steps would use those instead: remove it, or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to an empty file.', 'Shared AWS file shadows the credential server');
    }
    toolkit.info(`The keep-alive credential server (pid ${ready.pid}) listens on ${endpoint}. Later steps read credentials from it ` +
        `and refresh by themselves; the current session lasts until ${ready.expiration}.`);
    note(`Keep-alive: started the credential server for ${(settings.chainedRoleToAssume ?? role).arn}, first session until ${ready.expiration}.`, ready.remainingSeconds);
}
function checkCoverage(status, need, now, shortfall) {
    if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
        shortfall(coverageMessage(need, status.coverUntil, now, `the OIDC request token expires and the role's sessions last at most ${formatDuration(status.maxSessionSeconds ?? 0)}.`));
    }
}
function handOver(toolkit, endpoint, authToken, region, status) {
    if (status.accountId)
        toolkit.setOutput(Outputs.AwsAccountId, status.accountId);
    exportMasked(toolkit, serverCredentialVariables(endpoint, authToken, region), [authToken]);
    toolkit.setOutput(Outputs.CredentialsEndpoint, endpoint);
    toolkit.setOutput(Outputs.Refreshed, 'true');
    if (status.expiration)
        toolkit.setOutput(Outputs.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(Outputs.RemainingSeconds, String(status.remainingSeconds));
    if (status.assumedRoleArn)
        toolkit.setOutput(Outputs.AuthenticatedArn, status.assumedRoleArn);
    if (status.maxSessionSeconds !== undefined)
        toolkit.setOutput(Outputs.MaxSessionDuration, String(status.maxSessionSeconds));
}
async function waitForReady(paths, pid, timeoutMs, sleep, clock) {
    const deadline = clock() + timeoutMs;
    for (;;) {
        const note = readJson(paths.ready);
        if (note)
            return note;
        if (!processAlive(pid)) {
            return readJson(paths.ready) ?? { ok: false, pid, error: `the server process (pid ${pid}) exited before it was ready: ${lastEventText(paths)}` };
        }
        if (clock() > deadline) {
            try {
                process.kill(pid);
            }
            catch {
                // already gone
            }
            return { ok: false, pid, error: `no answer within ${Math.round(timeoutMs / 1000)} s: ${lastEventText(paths)}` };
        }
        await sleep(25);
    }
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
    if (toolkit.getState(constants_State.ServerStartedHere) !== 'true')
        return;
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const paths = files_keepAlivePaths(env);
    const record = files_readJson(paths.record);
    try {
        if (record) {
            const stopped = await client_serverClient(record.endpoint, record.authToken).stop();
            if (!stopped) {
                toolkit.warning(`The keep-alive credential server (pid ${record.pid}) stopped before the end of the job: ${lastEventText(paths)}. ` +
                    'Steps that ran after that got no credentials from it.', 'Credential server stopped early');
            }
            for (let i = 0; i < 40 && client_processAlive(record.pid); i++)
                await sleep(50);
            if (client_processAlive(record.pid)) {
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

