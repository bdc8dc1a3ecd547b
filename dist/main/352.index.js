export const id = 352;
export const ids = [352];
export const modules = {

/***/ 5352:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkRunningServer: () => (/* reexport */ checkRunningServer),
  keepAlive: () => (/* reexport */ keepAlive)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/export/variables.ts
var variables = __webpack_require__(4019);
// EXTERNAL MODULE: ./src/oidc/id-token.ts
var id_token = __webpack_require__(8744);
// EXTERNAL MODULE: ./src/lifetime/policy.ts
var policy = __webpack_require__(9517);
// EXTERNAL MODULE: ./src/settings/duration.ts
var duration = __webpack_require__(1145);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
// EXTERNAL MODULE: ./src/guard/guard.ts + 1 modules
var guard = __webpack_require__(9556);
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

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/keepalive/files.ts
/**
 * Files the keep-alive parts share under RUNNER_TEMP/aws-session-guard: the
 * server's record (with its token: 0600), its start-up config (0600, deleted
 * by the server once read), its ready note and its event log (no secrets).
 */




function keepAlivePaths(env) {
    const dir = (0,external_node_path_.join)(env[constants/* Env */.o9.RunnerTemp] || (0,external_node_os_.tmpdir)(), constants/* WorkDirName */.gP);
    return {
        dir,
        record: (0,external_node_path_.join)(dir, 'server.json'),
        config: (0,external_node_path_.join)(dir, 'server-config.json'),
        ready: (0,external_node_path_.join)(dir, 'server-ready.json'),
        log: (0,external_node_path_.join)(dir, 'server-log.jsonl'),
    };
}
/** Writes a file only its owner can read, creating its folder (0700). */
function writePrivateFile(path, content, dir) {
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    (0,external_node_fs_.rmSync)(path, { force: true });
    (0,external_node_fs_.writeFileSync)(path, content, { mode: 0o600, flag: 'wx' });
    (0,external_node_fs_.chmodSync)(path, 0o600);
}
function readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/keepalive/launcher.ts
/**
 * Starting the credential server so it outlives the step: detached, stdio
 * ignored, unref'd, so the step ends at once and the runner waits on nothing.
 * The same flags work on Linux, macOS and Windows (windowsHide keeps a console
 * window from opening); the runner still ends it at "Complete job", since it
 * carries the job's RUNNER_TRACKING_ID.
 */



/** The server bundle, beside the main bundle: dist/server/index.js. */
function serverEntry(mainUrl) {
    return (0,external_node_url_.fileURLToPath)(new URL('../server/index.js', mainUrl));
}
function detachedLauncher(entry, env = process.env, node = process.execPath) {
    return (configPath) => {
        const child = (0,external_node_child_process_.spawn)(node, [entry], {
            detached: true,
            stdio: 'ignore',
            windowsHide: true,
            env: { ...env, [constants/* Env */.o9.ServerConfigFile]: configPath },
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
function shadowingFiles(env, home = (0,external_node_os_.homedir)()) {
    const candidates = [
        [env[constants/* Env */.o9.SharedCredentialsFile] || (0,external_node_path_.join)(home, '.aws', 'credentials'), /^\[\s*default\s*\]$/],
        [env[constants/* Env */.o9.ConfigFile] || (0,external_node_path_.join)(home, '.aws', 'config'), /^\[\s*(default|profile\s+default)\s*\]$/],
    ];
    const found = [];
    for (const [file, header] of candidates) {
        if (!(0,external_node_fs_.existsSync)(file))
            continue;
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(file, 'utf8');
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
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
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

;// CONCATENATED MODULE: ./src/keepalive/keep-alive.ts
/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it.
 */














const sleepMs = (ms) => new Promise((r) => setTimeout(r, ms));
function coverageMessage(need, coverUntil, now, why) {
    return (`The job can keep AWS credentials coming for ${(0,duration/* formatDuration */.a)(Math.max(0, (coverUntil - now) / 1000))} more, ` +
        `but the work needs ${(0,duration/* formatDuration */.a)(need.seconds)} (${need.explanation}): ${why}\n` +
        `Fix: split the work across jobs (each job gets a new OIDC request token), or lower '${constants/* Inputs */.G0.ExpectedDuration}' if the work is shorter.`);
}
/** Everything that decides which credentials a server mints. */
function servesFor(settings) {
    return JSON.stringify([
        settings.roleToAssume?.arn,
        settings.chainedRoleToAssume?.arn ?? null,
        settings.region,
        settings.audience,
        settings.stsEndpoint ?? null,
        settings.roleSessionName,
        settings.inlineSessionPolicy ?? null,
        settings.managedSessionPolicies,
    ]);
}
async function keepAlive(settings, deps) {
    const { toolkit, env, clock } = deps;
    const sleep = deps.sleep ?? sleepMs;
    const need = (0,policy/* needOf */.ER)(settings);
    const now = clock();
    const paths = keepAlivePaths(env);
    const region = settings.region;
    const role = settings.roleToAssume;
    if (!region || !role)
        throw new Error("keep-alive needs 'role-to-assume' and 'aws-region'");
    const note = (outcome, remainingSeconds) => toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds, needSeconds: need.seconds, outcome }));
    const shortfall = (message) => {
        note(`${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message.split('\n')[0]}`);
        if (settings.failOnShortSession)
            throw new guard/* ShortSessionError */.Hw(message);
        toolkit.warning(message, 'AWS credentials will not last');
    };
    // 1. Can the job mint sessions for long enough? Decided before any network call.
    const requestToken = env[constants/* Env */.o9.IdTokenRequestToken];
    if (!env[constants/* Env */.o9.IdTokenRequestUrl] || !requestToken)
        throw new Error(id_token/* MISSING_PERMISSION_MESSAGE */.vO);
    const tokenExp = (0,id_token/* jwtExpiry */.lo)(requestToken);
    const requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
    const ceiling = (0,policy/* sessionCeiling */._Z)(settings);
    const upperCover = (0,policy/* keepAliveCoverUntil */.q6)(requestTokenExpiresAt, ceiling);
    if (upperCover !== undefined && now + need.seconds * 1000 > upperCover) {
        shortfall(coverageMessage(need, upperCover, now, `GitHub's OIDC request token for this job expires at ${new Date(requestTokenExpiresAt ?? 0).toISOString()}, ` +
            `and the last session minted before then lasts at most ${(0,duration/* formatDuration */.a)(ceiling)}.`));
    }
    else if (requestTokenExpiresAt === undefined) {
        toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
    }
    const expectedUntil = now + need.seconds * 1000;
    // 2. A server already running for this job is reused, never doubled. One for
    // other credentials (another role, region or session policy) is replaced:
    // later steps get what this step asks for, from one server at a time.
    const record = readJson(paths.record);
    if (record) {
        const client = serverClient(record.endpoint, record.authToken);
        const alive = processAlive(record.pid);
        if (alive && record.servesFor !== servesFor(settings)) {
            toolkit.info(`The keep-alive credential server running in this job (pid ${record.pid}) serves ${record.roleArn} with other settings ` +
                `than this step asks for: stopping it and starting one for ${(settings.chainedRoleToAssume ?? role).arn}.`);
            await client.stop();
            for (let i = 0; i < 40 && processAlive(record.pid); i++)
                await sleep(50);
        }
        else {
            const status = alive ? await client.expect(expectedUntil) : undefined;
            if (status) {
                toolkit.setSecret(record.authToken);
                checkCoverage(status, need, now, shortfall);
                handOver(toolkit, env, record.endpoint, record.authToken, region, status);
                toolkit.info(`Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${record.endpoint}); it now expects work until ${new Date(expectedUntil).toISOString()}.`);
                note(`Keep-alive: reused the running credential server, serving until ${status.expiration ?? '?'} and refreshing ahead of expiry.`, status.remainingSeconds);
                return;
            }
            toolkit.warning(`The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`, 'Credential server restarted');
        }
        (0,external_node_fs_.rmSync)(paths.record, { force: true });
    }
    // 3. Start a new server.
    const authToken = (0,external_node_crypto_.randomBytes)(32).toString('base64url'); // 256 bits
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
    (0,external_node_fs_.rmSync)(paths.ready, { force: true });
    writePrivateFile(paths.config, JSON.stringify(config), paths.dir);
    const launch = deps.launch ?? detachedLauncher(serverEntry(import.meta.url));
    toolkit.info(`Starting the keep-alive credential server for ${(settings.chainedRoleToAssume ?? role).arn}...`);
    const pid = launch(paths.config);
    const ready = await waitForReady(paths, pid, deps.readyTimeoutMs ?? 120_000, sleep, clock);
    (0,external_node_fs_.rmSync)(paths.config, { force: true });
    if (!ready.ok) {
        (0,external_node_fs_.rmSync)(paths.ready, { force: true });
        throw new Error(`The keep-alive credential server could not start: ${ready.error}`);
    }
    const endpoint = `http://127.0.0.1:${ready.port}/credentials`;
    const client = serverClient(endpoint, authToken);
    const probe = await client.probeCredentials();
    if (probe.status !== 200) {
        await client.stop();
        throw new Error(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`);
    }
    const serverRecord = {
        pid: ready.pid,
        endpoint,
        authToken,
        startedAt: now,
        roleArn: (settings.chainedRoleToAssume ?? role).arn,
        servesFor: servesFor(settings),
    };
    writePrivateFile(paths.record, JSON.stringify(serverRecord), paths.dir);
    toolkit.saveState(constants/* State */.Uw.ServerStartedHere, 'true');
    const status = (await client.status()) ?? { pid, refreshes: 1, served: 1, refused: 0, expectedUntil };
    try {
        checkCoverage(status, need, now, shortfall);
    }
    catch (error) {
        await client.stop();
        (0,external_node_fs_.rmSync)(paths.record, { force: true });
        throw error;
    }
    if (ready.maxSessionSeconds !== undefined) {
        toolkit.info(`${role.arn} allows sessions of at most ${(0,duration/* formatDuration */.a)(ready.maxSessionSeconds)}: the server renews them ahead of expiry.`);
    }
    handOver(toolkit, env, endpoint, authToken, region, status);
    toolkit.info(`The keep-alive credential server (pid ${ready.pid}) listens on ${endpoint}. Later steps read credentials from it ` +
        `and refresh by themselves; the current session lasts until ${ready.expiration}.`);
    note(`Keep-alive: started the credential server for ${(settings.chainedRoleToAssume ?? role).arn}, first session until ${ready.expiration}.`, ready.remainingSeconds);
}
function checkCoverage(status, need, now, shortfall) {
    if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
        shortfall(coverageMessage(need, status.coverUntil, now, `the OIDC request token expires and the role's sessions last at most ${(0,duration/* formatDuration */.a)(status.maxSessionSeconds ?? 0)}.`));
    }
}
/** Exports the server's variables and outputs, and warns about anything that would shadow it. */
function handOver(toolkit, env, endpoint, authToken, region, status) {
    const profile = env[constants/* Env */.o9.Profile];
    if (profile) {
        toolkit.warning(`AWS_PROFILE is set to "${profile}": the AWS CLI and SDKs use that profile's credentials, if it has any, before the keep-alive server. ` +
            'Remove AWS_PROFILE from the job (an empty AWS_PROFILE makes the AWS CLI and boto3 fail with ProfileNotFound, so this action cannot clear it for you).', 'AWS_PROFILE may shadow the credential server');
    }
    for (const file of shadowingFiles(env)) {
        toolkit.warning(`${file} has credentials in its default profile. The AWS CLI and SDKs read it before the keep-alive server, ` +
            'so later steps would use those instead: remove it, or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to an empty file.', 'Shared AWS file shadows the credential server');
    }
    if (status.accountId)
        toolkit.setOutput(constants/* Outputs */.tY.AwsAccountId, status.accountId);
    (0,variables/* exportMasked */.Wl)(toolkit, (0,variables/* serverCredentialVariables */.q4)(endpoint, authToken, region), [authToken]);
    toolkit.setOutput(constants/* Outputs */.tY.CredentialsEndpoint, endpoint);
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'true');
    if (status.expiration)
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(status.remainingSeconds));
    if (status.assumedRoleArn)
        toolkit.setOutput(constants/* Outputs */.tY.AuthenticatedArn, status.assumedRoleArn);
    if (status.maxSessionSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.MaxSessionDuration, String(status.maxSessionSeconds));
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

;// CONCATENATED MODULE: ./src/keepalive/status.ts
/**
 * A guard step (without keep-alive) after a keep-alive step: the session is
 * the server's. Ask it, rather than AWS_CREDENTIAL_EXPIRATION (which it
 * cleared), and say clearly when it is gone.
 */








/** True when the credential server of this job was found and the step is settled; false when the URI is not ours. */
async function checkRunningServer(toolkit, env, settings, clock = Date.now) {
    const paths = keepAlivePaths(env);
    const endpoint = env[constants/* Env */.o9.ContainerFullUri];
    const record = readJson(paths.record);
    const ours = !!endpoint && /^http:\/\/127\.0\.0\.1:\d+\/credentials$/.test(endpoint);
    if (!ours)
        return false;
    const need = (0,policy/* needOf */.ER)(settings);
    const now = clock();
    const token = env[constants/* Env */.o9.ContainerAuthToken] ?? record?.authToken ?? '';
    const status = await serverClient(endpoint, token).status();
    if (!status) {
        const message = `The keep-alive credential server at ${endpoint}${record ? ` (pid ${record.pid})` : ''} is not running: ` +
            `${lastEventText(paths)}. Later steps get no AWS credentials from it.\n` +
            "Fix: run this action again with 'keep-alive: true' to start a new server (it says why the old one stopped), " +
            'and look at the runner for what ended the process.';
        toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), needSeconds: need.seconds, outcome: '**Failed**: the keep-alive credential server is not running.' }));
        throw new Error(message);
    }
    if (status.expiration)
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(status.remainingSeconds));
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'false');
    toolkit.setOutput(constants/* Outputs */.tY.CredentialsEndpoint, endpoint);
    if (status.coverUntil !== undefined && now + need.seconds * 1000 > status.coverUntil) {
        const message = `The keep-alive credential server can mint sessions until about ${new Date(status.coverUntil).toISOString()}, ` +
            `${(0,duration/* formatDuration */.a)((status.coverUntil - now) / 1000)} from now, but the work needs ${(0,duration/* formatDuration */.a)(need.seconds)} (${need.explanation}).`;
        toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: `${settings.failOnShortSession ? '**Failed**' : 'Warned'}: ${message}` }));
        if (settings.failOnShortSession)
            throw new guard/* ShortSessionError */.Hw(message);
        toolkit.warning(message);
        return true;
    }
    toolkit.info(`The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session ` +
        `has ${(0,duration/* formatDuration */.a)(status.remainingSeconds ?? 0)} left${status.lastError ? ` (last refresh error: ${status.lastError})` : ''}. Nothing to do.`);
    toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need.seconds, outcome: 'Healthy: the keep-alive credential server is running.' }));
    return true;
}

;// CONCATENATED MODULE: ./src/keepalive/index.ts
/** What the guard's main step loads, lazily and as one chunk, when keep-alive is involved. */




/***/ })

};
