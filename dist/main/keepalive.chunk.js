"use strict";
exports.id = 548;
exports.ids = [548,504];
exports.modules = {

/***/ 5504:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AccountNotAllowedError: () => (/* binding */ AccountNotAllowedError),
/* harmony export */   UNSET_VARIABLES: () => (/* binding */ UNSET_VARIABLES),
/* harmony export */   checkAllowedAccount: () => (/* binding */ checkAllowedAccount),
/* harmony export */   outputCredentials: () => (/* binding */ outputCredentials),
/* harmony export */   unsetCurrentCredentials: () => (/* binding */ unsetCurrentCredentials)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _model_arn_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1534);
/**
 * What configure-aws-credentials' (CAC) delivery inputs do, shared by the
 * guard and keep-alive: the allowed-account check, unset-current-credentials,
 * and the output-credentials outputs. A lazily loaded chunk: the healthy
 * guard path imports it only for output-credentials.
 */


class AccountNotAllowedError extends Error {
    accountId;
    constructor(accountId, allowed) {
        super(`'${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AllowedAccountIds}': the session is in account ${accountId ?? '(unknown)'}, which is not one of ${allowed.join(', ')}. ` +
            'Nothing was exported. Check role-to-assume, or add the account to allowed-account-ids.');
        this.accountId = accountId;
        this.name = 'AccountNotAllowedError';
    }
}
/**
 * Refuses a session outside allowed-account-ids, before anything is exported
 * (CAC src/index.ts / CredentialsClient.validateCredentials: "does not match
 * any of the expected account IDs"). The account is read from the minted
 * session's assumed-role ARN, so no extra STS call is made.
 */
function checkAllowedAccount(settings, assumedRoleArn) {
    const allowed = settings.allowedAccountIds;
    if (!allowed || allowed.length === 0)
        return;
    const accountId = assumedRoleArn ? (0,_model_arn_js__WEBPACK_IMPORTED_MODULE_1__/* .accountIdOf */ .Ow)(assumedRoleArn) : undefined;
    if (!accountId || !allowed.includes(accountId))
        throw new AccountNotAllowedError(accountId, allowed);
}
/**
 * The variables unset-current-credentials clears, for this process and later
 * steps (CAC src/helpers.ts unsetCredentials: the three keys and both region
 * variables, only when output-env-credentials is on), plus the expiry and
 * session marker this action exports with keys. Exported empty, which every
 * SDK takes as unset for these names.
 */
const UNSET_VARIABLES = [
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionMarker,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.Region,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.DefaultRegion,
];
function unsetCurrentCredentials(toolkit, env) {
    const vars = Object.fromEntries(UNSET_VARIABLES.map((name) => [name, '']));
    toolkit.exportVariables(vars);
    // The toolkit mirrors exports into process.env; the env the flows read may be another object (tests).
    for (const name of UNSET_VARIABLES)
        delete env[name];
    toolkit.info(`'${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.UnsetCurrentCredentials}': cleared ${UNSET_VARIABLES.join(', ')} for this step and later steps.`);
}
/**
 * CAC's outputs (src/helpers.ts exportCredentials / outputCredentials). The
 * values are masked first. aws-expiration is written as CAC writes it:
 * `core.setOutput` of a Date, i.e. the JSON string with its quotes
 * ("2026-11-22T15:04:05.000Z"), so that scripts written for CAC read it the
 * same; this action's `expiration` input takes it as it is. Credentials with
 * no known expiry (keys handed on as they are) get no aws-expiration.
 */
function outputCredentials(toolkit, credentials) {
    toolkit.setSecret(credentials.accessKeyId);
    toolkit.setSecret(credentials.secretAccessKey);
    // Long-lived user keys have no session token: that output is then not set (CAC: `if (creds?.SessionToken)`).
    if (credentials.sessionToken)
        toolkit.setSecret(credentials.sessionToken);
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsAccessKeyId, credentials.accessKeyId);
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsSecretAccessKey, credentials.secretAccessKey);
    if (credentials.sessionToken)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsSessionToken, credentials.sessionToken);
    // Keys given as inputs have no known expiry: no aws-expiration (CAC: `if (creds?.Expiration)`).
    if (credentials.expiration)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsExpiration, JSON.stringify(credentials.expiration.toISOString()));
}


/***/ }),

/***/ 6548:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  checkRunningServer: () => (/* reexport */ checkRunningServer),
  keepAlive: () => (/* reexport */ keepAlive)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/export/cac-delivery.ts
var cac_delivery = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/export/profile-files.ts + 3 modules
var profile_files = __webpack_require__(2530);
// EXTERNAL MODULE: ./src/report/shortfall.ts
var shortfall = __webpack_require__(1025);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
// EXTERNAL MODULE: ./src/settings/duration.ts
var duration = __webpack_require__(1145);
// EXTERNAL MODULE: ./src/util/abort.ts
var abort = __webpack_require__(2334);
// EXTERNAL MODULE: ./src/util/sha256.ts
var sha256 = __webpack_require__(6701);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/util/private-folder.ts
/** A folder only the runner user can use: never a symbolic link, never someone else's. */

class UnsafeFolderError extends Error {
    constructor(dir, why) {
        super(`The folder ${dir} ${why}. This action uses it only when it is a private folder (0700) of the runner user. ` +
            'Fix: remove it (rm -rf it in an earlier step), or check what else on this runner writes there.');
        this.name = 'UnsafeFolderError';
    }
}
/** Throws UnsafeFolderError unless `dir` is a real folder owned by this user; tightens its mode to 0700. */
function checkPrivateFolder(dir) {
    const st = (0,external_node_fs_.lstatSync)(dir);
    if (st.isSymbolicLink())
        throw new UnsafeFolderError(dir, 'is a symbolic link');
    if (!st.isDirectory())
        throw new UnsafeFolderError(dir, 'is not a folder');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
        throw new UnsafeFolderError(dir, `belongs to uid ${st.uid}, not to the runner user (uid ${uid})`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
        (0,external_node_fs_.chmodSync)(dir, 0o700);
}
/** Creates `dir` (0700) when missing, then checks it. */
function ensurePrivateFolder(dir) {
    try {
        (0,external_node_fs_.mkdirSync)(dir, { mode: 0o700 });
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw e;
    }
    checkPrivateFolder(dir);
}

// EXTERNAL MODULE: ./src/util/private-file.ts
var private_file = __webpack_require__(1726);
;// CONCATENATED MODULE: ./src/keepalive/files.ts
/**
 * Keep-alive's private folder and the files in it: the server's record (its
 * identity, control token and proof key: 0600) and its event log (no secrets).
 * The proof key (keepalive/proof.ts) never leaves this folder and the server's memory. The auth
 * token that hands out credentials is never written here: it reaches the
 * server through its IPC channel and later steps through the job's env.
 *
 * The folder is RUNNER_TEMP/aws-session-guard, one per job. It is created
 * 0700, and refused when it is a symbolic link, not a folder, or owned by
 * someone else. Without RUNNER_TEMP it is a fresh private temporary folder,
 * never a fixed path, and its location is passed on through the env.
 */






function pathsIn(dir) {
    return { dir, record: (0,external_node_path_.join)(dir, 'server.json'), log: (0,external_node_path_.join)(dir, 'server-log.jsonl') };
}
/** Where this job's keep-alive folder is, or undefined when it has none yet (no RUNNER_TEMP, none exported). */
function keepAliveDir(env) {
    const exported = env[constants/* Env */.o9.WorkDir];
    if (exported)
        return exported;
    const temp = env[constants/* Env */.o9.RunnerTemp];
    return temp ? (0,external_node_path_.join)(temp, constants/* WorkDirName */.gP) : undefined;
}

/**
 * The job's folder, created when missing, checked when present. `created`
 * says whether later steps must be told where it is (no RUNNER_TEMP).
 */
function openPrivateFolder(env) {
    const known = keepAliveDir(env);
    if (known === undefined) {
        const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), `${constants/* WorkDirName */.gP}-`)); // 0700, a name nobody could predict
        return { paths: pathsIn(dir), mustExport: true };
    }
    ensurePrivateFolder(known);
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

function readJson(path) {
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}
/** What the record keeps of a relative URI: its SHA-256 (hex), never the path itself. */
const relativeUriDigest = (uri) => (0,sha256/* sha256Hex */.f)(uri);
function identityOf(record) {
    return { pid: record.pid, ...(record.start !== undefined && { start: record.start }), nonce: record.nonce, dir: record.dir };
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./src/export/variables.ts
var export_variables = __webpack_require__(4019);
// EXTERNAL MODULE: ./src/lifetime/known-max.ts
var known_max = __webpack_require__(1747);
// EXTERNAL MODULE: ./src/net/proxy.ts
var net_proxy = __webpack_require__(1987);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./src/net/loopback-http.ts
/**
 * Requests to this action's own credential server (on 127.0.0.1, or its
 * link-local address): plain node:http with `agent: false`, so never through
 * a proxy. fetch and Node's global agent follow HTTP(S)_PROXY when the job
 * sets NODE_USE_ENV_PROXY=1, which would send the server's token, or its
 * secret path, to the proxy.
 */

/** The answer, or undefined when nothing answered in time (not running, not reachable). */
function loopbackRequest(url, options) {
    return new Promise((resolve) => {
        const req = (0,external_node_http_.request)(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false, timeout: options.timeoutMs }, (res) => {
            const chunks = [];
            res.on('data', (chunk) => chunks.push(chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
            res.on('error', () => resolve(undefined));
        });
        req.on('timeout', () => req.destroy(new Error('no answer in time')));
        req.on('error', () => resolve(undefined));
        req.end(options.body);
    });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/keepalive/proof.ts
/**
 * Knowing the job's own credential server. The bearer token proves nothing
 * about who listens (clients send it to whoever holds the port), so the
 * server and the action's steps share a second secret, the proof key: it
 * reaches the server over IPC and the steps through 0600 files in the job's
 * 0700 folder, and never travels on the wire.
 *
 * A step sends a fresh random challenge; the server answers with
 * HMAC-SHA256(key, challenge, method, path, status, body), binding the answer
 * to the challenge and to what it says. The step checks it in constant time
 * before it believes anything, and before it sends any credential: it first
 * asks PROOF_PATH, which needs none.
 */

/** Answered without any token: the challenge alone. */
const proof_PROOF_PATH = '/proof';
const proof_CHALLENGE_HEADER = 'x-session-guard-challenge';
const PROOF_HEADER = 'x-session-guard-proof';
/** 256 random bits: never written anywhere but the job's private folder and the server's memory. */
const newProofKey = () => (0,external_node_crypto_.randomBytes)(32).toString('base64url');
/** A fresh challenge per request: 256 random bits, hex. */
const newChallenge = () => (0,external_node_crypto_.randomBytes)(32).toString('hex');
const CHALLENGE = /^[0-9a-f]{64}$/;
const PROOF = /^[0-9a-f]{64}$/;
function mac(key, challenge, x) {
    return (0,external_node_crypto_.createHmac)('sha256', key)
        .update(`aws-session-guard proof v1\n${challenge}\n${x.method} ${x.path}\n${x.status}\n`, 'utf8')
        .update(x.body, 'utf8')
        .digest();
}
/** The server's side: the proof header for an answer, when the request carried a well-formed challenge. */
function proof_proofHeaders(key, challenge, x) {
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge))
        return {};
    return { [PROOF_HEADER]: mac(key, challenge, x).toString('hex') };
}
/** The step's side: whether `proof` is the answer to `challenge` from a holder of `key`, compared in constant time. */
function checkProof(key, challenge, proof, x) {
    if (proof === undefined)
        return { ok: false, reason: 'it did not answer the challenge (no proof in its answer)' };
    if (typeof proof !== 'string' || !PROOF.test(proof))
        return { ok: false, reason: 'its answer to the challenge is malformed' };
    const expected = mac(key, challenge, x);
    if (!(0,external_node_crypto_.timingSafeEqual)(expected, Buffer.from(proof, 'hex'))) {
        return { ok: false, reason: "its answer to the challenge is wrong: it does not hold this job's secret" };
    }
    return { ok: true };
}
/** A server that failed the proof: nothing it says is believed, and nothing more is sent to it. */
class ImpostorError extends Error {
    address;
    reason;
    constructor(address, reason) {
        super(`The process listening on ${address} is not this job's credential server: ${reason}. Nothing was sent to it but a random challenge. ` +
            'The server this job started is gone (killed, perhaps by the OOM killer), and another process, maybe of another user on this runner, holds its port: ' +
            "AWS SDKs in later steps would send it the job's token and use the credentials it hands out. " +
            "Fix: run this action again with 'keep-alive: true' to start a new server (later steps then use its new address), " +
            'find what holds the port (ss -ltnp), and use ephemeral runners with one user per runner.');
        this.address = address;
        this.reason = reason;
        this.name = 'ImpostorError';
    }
}

;// CONCATENATED MODULE: ./src/keepalive/proven-request.ts
/**
 * A request to the job's credential server that believes only a proven
 * answer (keepalive/proof.ts). First a challenge on PROOF_PATH, with no
 * token and no secret path: only once that is answered with the proof key
 * does the request itself go, with its own fresh challenge, and its answer
 * is believed only with a valid proof too (the port may change hands
 * between the two).
 */


/** host:port of a URL, as the impostor error names it. */
const addressOf = (url) => `${url.hostname}:${url.port || '80'}`;
async function challenged(url, key, options) {
    const challenge = newChallenge();
    const method = options.method ?? 'GET';
    const answer = await loopbackRequest(url.href, { ...options, method, headers: { ...options.headers, [proof_CHALLENGE_HEADER]: challenge } });
    if (!answer)
        return undefined;
    const check = checkProof(key, challenge, answer.headers?.[PROOF_HEADER], { method, path: url.pathname, status: answer.status, body: answer.body });
    if (!check.ok)
        throw new ImpostorError(addressOf(url), check.reason);
    return answer;
}
/**
 * The answer of the job's own server; undefined when nothing answered (not running). Throws ImpostorError when
 * something else answers: then it got nothing but a random challenge. `key` undefined: the job has no record of
 * a server there, so whatever answers cannot be the job's.
 */
async function provenRequest(url, key, options) {
    const target = new URL(url);
    const proofUrl = new URL(proof_PROOF_PATH, target);
    if (key === undefined) {
        const anyone = await loopbackRequest(proofUrl.href, { timeoutMs: options.timeoutMs });
        if (!anyone)
            return undefined;
        throw new ImpostorError(addressOf(target), "this job's keep-alive folder holds no record of a server there, so it cannot prove it is the job's");
    }
    if (!(await challenged(proofUrl, key, { timeoutMs: options.timeoutMs })))
        return undefined;
    return challenged(target, key, options);
}

// EXTERNAL MODULE: ./src/runner/toolkit.ts
var toolkit = __webpack_require__(1652);
;// CONCATENATED MODULE: ./src/keepalive/credential-process.ts
/**
 * aws-profile with keep-alive: the profile's `credential_process` runs this
 * (bundled as dist/credential-process). It reads the server's endpoint and
 * auth token from a 0600 file in the action's private folder (never from its
 * command line, which other users can read in the process list), asks the
 * credential server, and prints what the AWS CLI and SDKs expect of a
 * credential process:
 * `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"}`.
 * The SDKs call it again when that Expiration nears, so the profile refreshes
 * with the server. Errors go to stderr (no secret in them), with exit code 1.
 */



/** The file's name in the private folder. */
const CREDENTIAL_PROCESS_FILE = 'credential-process.json';
function toProcessCredentials(c) {
    return { Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.Token, Expiration: c.Expiration };
}
/** GETs the credentials from the server (plain http on loopback, never through a proxy), or throws a message without secrets. */
async function fetchServedCredentials(file, timeoutMs = 10_000) {
    const url = new URL(file.endpoint);
    if (url.protocol !== 'http:')
        throw new Error(`the credential server endpoint is not http: ${url.protocol}`);
    // Proven first: neither the token nor the secret path goes to a process that is not the job's server.
    const answer = await provenRequest(url.href, file.proofKey, { headers: file.token ? { Authorization: file.token } : {}, timeoutMs });
    if (!answer)
        throw new Error(`the credential server did not answer (not running, or not within ${Math.round(timeoutMs / 1000)} s)`);
    let body = {};
    try {
        body = JSON.parse(answer.body);
    }
    catch {
        body = {};
    }
    if (answer.status !== 200) {
        throw new Error(`the credential server answered HTTP ${answer.status}${body.Code ? ` ${body.Code}` : ''}${body.Message ? `: ${body.Message}` : ''}`);
    }
    if (!body.AccessKeyId || !body.SecretAccessKey || !body.Token || !body.Expiration) {
        throw new Error('the credential server answered without a complete set of credentials');
    }
    return { AccessKeyId: body.AccessKeyId, SecretAccessKey: body.SecretAccessKey, Token: body.Token, Expiration: body.Expiration };
}
function readCredentialProcessFile(path) {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof v.endpoint !== 'string' || typeof v.token !== 'string' || typeof v.proofKey !== 'string') {
        throw new Error(`${path} does not name a credential server`);
    }
    return { endpoint: v.endpoint, token: v.token, proofKey: v.proofKey };
}
const realIo = {
    argv: process.argv,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    setExitCode: (c) => {
        process.exitCode = c;
    },
};
async function runCredentialProcess(io = realIo) {
    const path = io.argv[2];
    try {
        if (!path)
            throw new Error('usage: credential-process <file>');
        const served = await fetchServedCredentials(readCredentialProcessFile(path));
        io.stdout(`${JSON.stringify(toProcessCredentials(served))}\n`);
    }
    catch (error) {
        // The message may hold the server's words and a path: one line, so the step log that shows it runs no command from it.
        io.stderr(`aws-session-guard credential_process: ${withoutLineBreaks(error.message)}\n`);
        io.setExitCode(1);
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./src/keepalive/link-local.ts
/**
 * ECS's link-local credentials address on this host, as the ECS agent sets it
 * up: 169.254.170.2 added to `lo` (/32), and port 80 of it redirected to the
 * credential server's port by two NAT rules, PREROUTING for traffic from
 * containers (through their bridge) and OUTPUT for the host's own. The
 * server itself listens on 169.254.170.2:<port>, so the rules are a DNAT to
 * the same address (REDIRECT would pick the incoming interface's address, and
 * a DNAT to 127.0.0.1 needs route_localnet for packets from containers).
 *
 * Every rule carries an iptables comment unique to one server (its tag), and
 * removal deletes exactly the rules with that tag: never a whole chain.
 *
 * `ip` and `iptables` run through a passed-in command runner: directly when
 * the step is root, through `sudo -n` otherwise (GitHub-hosted runners allow
 * it without a password). Unit tests pass a fake runner.
 */

const LINK_LOCAL_ADDRESS = '169.254.170.2';
const CIDR = `${LINK_LOCAL_ADDRESS}/32`;
/** The tag on one server's rules: the action's name and the server's nonce (hex). */
const ruleTag = (nonce) => `aws-session-guard-${nonce}`;
const TAG_PATTERN = /^aws-session-guard-[0-9a-f]{8,64}$/;
const oneLine = (text) => text.trim().split('\n')[0] ?? '';
/** The two NAT rules, as `iptables -t nat` arguments after -A/-D. */
function redirectRules(port, tag) {
    const rule = (chain) => [
        chain,
        '-d',
        CIDR,
        '-p',
        'tcp',
        '-m',
        'tcp',
        '--dport',
        '80',
        '-m',
        'comment',
        '--comment',
        tag,
        '-j',
        'DNAT',
        '--to-destination',
        `${LINK_LOCAL_ADDRESS}:${port}`,
    ];
    return [rule('PREROUTING'), rule('OUTPUT')];
}
/** Whether `ip -o addr show` lists 169.254.170.2 on any interface. */
function addressPresent(ipAddrOutput) {
    return ipAddrOutput.split('\n').some((line) => line.split(/\s+/).some((word) => word === CIDR || word.startsWith(`${LINK_LOCAL_ADDRESS}/`)));
}
/** A route whose destination is exactly 169.254.170.2 (`169.254.170.2 via ...`, `local 169.254.170.2 ...`). */
function routeNamesAddress(line) {
    const words = line.trim().split(/\s+/);
    const dest = ['local', 'unicast', 'blackhole', 'unreachable', 'prohibit'].includes(words[0] ?? '') ? words[1] : words[0];
    return dest === LINK_LOCAL_ADDRESS || dest === CIDR;
}
/** The `-A` lines of `iptables -t nat -S` that name the address (as itself, /32, or address:port; never 169.254.170.23). */
function natLines(listing) {
    const namesAddress = (word) => word === LINK_LOCAL_ADDRESS || word === CIDR || word.startsWith(`${LINK_LOCAL_ADDRESS}:`);
    return listing.split('\n').filter((l) => l.startsWith('-A ') && l.split(/\s+/).some(namesAddress));
}
function carriesTag(line, tag) {
    const words = line.split(' ');
    const i = words.indexOf('--comment');
    return i >= 0 && (words[i + 1] === tag || words[i + 1] === `"${tag}"`);
}
class HostNetwork {
    deps;
    constructor(deps) {
        this.deps = deps;
    }
    /** Runs a command that needs root: directly, or through `sudo -n` (never prompting). */
    privileged(cmd, args) {
        return this.deps.isRoot ? this.deps.run(cmd, args) : this.deps.run('sudo', ['-n', cmd, ...args]);
    }
    get how() {
        return this.deps.isRoot ? '' : 'sudo -n ';
    }
    /**
     * Checks that 169.254.170.2 is free and that ip and iptables can be used, then adds the
     * address to lo. Nothing is changed unless the answer is 'added'.
     */
    async prepare() {
        if (this.deps.platform !== 'linux') {
            return { kind: 'unavailable', reason: `this runner is ${this.deps.platform}, and the link-local address is set up only on Linux` };
        }
        const addresses = await this.deps.run('ip', ['-o', 'addr', 'show']);
        if (addresses.code !== 0)
            return { kind: 'unavailable', reason: `\`ip -o addr show\` failed: ${oneLine(addresses.stderr) || 'the ip command (iproute2) is missing'}` };
        if (addressPresent(addresses.stdout)) {
            return { kind: 'in-use', reason: `${LINK_LOCAL_ADDRESS} is already configured on an interface of this host` };
        }
        const nat = await this.privileged('iptables', ['-t', 'nat', '-S']);
        if (nat.code !== 0) {
            return { kind: 'unavailable', reason: `\`${this.how}iptables -t nat -S\` failed: ${oneLine(nat.stderr) || 'iptables is missing or not allowed'}` };
        }
        const taken = natLines(nat.stdout);
        if (taken.length > 0) {
            return { kind: 'in-use', reason: `NAT rules for ${LINK_LOCAL_ADDRESS} already exist (${oneLine(taken[0] ?? '')})` };
        }
        // Whoever serves the address elsewhere (an ECS awsvpc bridge, a CodeBuild host) has a route for it. A TCP probe
        // would not tell: many networks' gateways accept a connection to any address (this project's test machine's does).
        const routes = await this.deps.run('ip', ['-o', 'route', 'show', 'table', 'all']);
        const route = routes.stdout.split('\n').find((l) => routeNamesAddress(l));
        if (route)
            return { kind: 'in-use', reason: `this host has a route for ${LINK_LOCAL_ADDRESS} (${route.trim()})` };
        const added = await this.privileged('ip', ['addr', 'add', CIDR, 'dev', 'lo']);
        if (added.code !== 0) {
            return { kind: 'unavailable', reason: `\`${this.how}ip addr add ${CIDR} dev lo\` failed: ${oneLine(added.stderr) || `exit code ${added.code}`}` };
        }
        return { kind: 'added' };
    }
    /** Adds the two NAT rules to the server's port; on a failure, removes what was added and throws. */
    async redirect(port, tag) {
        if (!TAG_PATTERN.test(tag))
            throw new Error(`bad rule tag ${tag}`);
        for (const rule of redirectRules(port, tag)) {
            const r = await this.privileged('iptables', ['-t', 'nat', '-A', ...rule]);
            if (r.code !== 0) {
                await this.removeRules(tag);
                throw new Error(`could not redirect ${LINK_LOCAL_ADDRESS}:80 to port ${port} (\`${this.how}iptables -t nat -A ${rule[0] ?? ''} ...\`: ${oneLine(r.stderr)})`);
            }
        }
    }
    /** Deletes exactly the NAT rules carrying `tag`; returns what could not be deleted. */
    async removeRules(tag) {
        if (!TAG_PATTERN.test(tag))
            return [`bad rule tag ${tag}`];
        const nat = await this.privileged('iptables', ['-t', 'nat', '-S']);
        if (nat.code !== 0)
            return [`\`${this.how}iptables -t nat -S\` failed: ${oneLine(nat.stderr)}`];
        const problems = [];
        for (const line of natLines(nat.stdout).filter((l) => carriesTag(l, tag))) {
            const args = line.split(' ').map((w) => (w === `"${tag}"` ? tag : w));
            args[0] = '-D';
            const r = await this.privileged('iptables', ['-t', 'nat', ...args]);
            if (r.code !== 0)
                problems.push(`\`iptables -t nat ${args.join(' ')}\` failed: ${oneLine(r.stderr)}`);
        }
        return problems;
    }
    /** Undoes a set-up: its rules, then the address if it added it. Returns what could not be undone. */
    async tearDown(state) {
        const problems = await this.removeRules(state.tag);
        if (state.addedAddress) {
            const shown = await this.deps.run('ip', ['-o', 'addr', 'show', 'dev', 'lo']);
            if (shown.code !== 0 || addressPresent(shown.stdout)) {
                const r = await this.privileged('ip', ['addr', 'del', CIDR, 'dev', 'lo']);
                if (r.code !== 0)
                    problems.push(`\`${this.how}ip addr del ${CIDR} dev lo\` failed: ${oneLine(r.stderr)}`);
            }
        }
        return problems;
    }
}
function parseLinkLocalState(raw) {
    if (!raw)
        return undefined;
    try {
        const v = JSON.parse(raw);
        if (typeof v.tag !== 'string' || !TAG_PATTERN.test(v.tag) || typeof v.addedAddress !== 'boolean')
            return undefined;
        return { tag: v.tag, addedAddress: v.addedAddress };
    }
    catch {
        return undefined;
    }
}
/** Runs a command without a shell, stdin closed, output collected; -1 when it cannot start. */
const spawnRunner = (cmd, args) => new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = (0,external_node_child_process_.spawn)(cmd, [...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: `${process.env['PATH'] ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`, LC_ALL: 'C' } });
    child.stdout.on('data', (d) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d) => (stderr += d.toString('utf8')));
    child.once('error', (e) => resolve({ code: -1, stdout, stderr: `${cmd}: ${e.message}` }));
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
});
function realHostNetwork() {
    return new HostNetwork({ run: spawnRunner, platform: process.platform, isRoot: process.getuid?.() === 0 });
}

;// CONCATENATED MODULE: ./src/keepalive/shadowing.ts
/**
 * Shared AWS files come before the container provider in the SDKs' default
 * chains: credentials there would shadow the keep-alive server.
 */




const CREDENTIAL_KEYS = /^[ \t]*(aws_access_key_id|aws_session_token|credential_process|role_arn|web_identity_token_file|sso_start_url|sso_session)[ \t]*=/im;
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

;// CONCATENATED MODULE: ./src/keepalive/hand-over.ts
/**
 * keep-alive's hand-over: what later steps and this step's outputs get from a
 * ready (new or reused) server. The variables that point SDKs at it, the
 * outputs, the first session for output-credentials, the aws-profile's
 * credential_process (its command line quoted for every SDK's parser), and
 * warnings about anything in the job that would shadow the server.
 */












/** The credential-process bundle, beside the main bundle: dist/credential-process/index.js. */
function credentialProcessEntry(mainUrl) {
    return (0,external_node_url_.fileURLToPath)(new URL('../credential-process/index.js', mainUrl));
}
/**
 * One word of the credential_process command line. botocore splits it like a
 * shell and the JS and Go SDKs run it through one, but the Go SDKs' ini
 * parsers take a value that starts with a quote as that quoted string alone
 * (`"/node" "/cp.js"` reads as `/node`, which then runs with no script and
 * prints nothing): plain paths are written bare, and only a word that needs
 * quotes gets them.
 */
function quoteWord(word) {
    const windows = process.platform === 'win32';
    const unsafe = windows ? /["\n]/ : /["$`\\\n]/;
    if (unsafe.test(word))
        throw new Error(`'${constants/* Inputs */.G0.AwsProfile}': cannot write a credential_process for a path holding quotes, $, backquotes, backslashes or line breaks: ${word}`);
    const bare = windows ? /^[\w./:@%+=,\\-]+$/ : /^[\w./:@%+=,-]+$/;
    return bare.test(word) ? word : `"${word}"`;
}
/** The credential_process command line: node, the bundled entry point, and the 0600 file that names the server. */
function credentialProcessCommand(node, entry, file) {
    return [node, entry, file].map(quoteWord).join(' ');
}
/** The relative URI's prefix, as ECS's (/v2/credentials/<id>); the rest is 256 random bits. */
const RELATIVE_URI_PREFIX = '/v2/credentials/';
const secretPartOf = (relativePath) => relativePath.slice(RELATIVE_URI_PREFIX.length) || relativePath;
/**
 * How this step itself asks the server (output-credentials, the profile's
 * credential_process): with the token on loopback, or, where later steps got
 * the relative URI (no token in the env), by its secret path on the same
 * loopback listener, which needs no NAT rule.
 */
function serverAccess(endpoint, via, proofKey) {
    return via.relativePath !== undefined ? { endpoint: new URL(via.relativePath, endpoint).href, token: '', proofKey } : { endpoint, token: via.authToken, proofKey };
}
/**
 * Fetches what output-credentials shows (the server's current session: later
 * ones are only in the server) and writes the 0600 file the profile's
 * credential_process reads. Nothing here is exported yet.
 */
async function prepareDelivery(settings, toolkit, dir, access, nonce) {
    const first = settings.outputCredentials ? await fetchServedCredentials(access) : undefined;
    if (first)
        for (const secret of [first.AccessKeyId, first.SecretAccessKey, first.Token])
            toolkit.setSecret(secret);
    let processCommand;
    if (settings.awsProfile !== undefined) {
        const file = (0,external_node_path_.join)(dir, `${nonce}-${CREDENTIAL_PROCESS_FILE}`);
        processCommand = credentialProcessCommand(process.execPath, credentialProcessEntry(require("url").pathToFileURL(__filename).href), file);
        (0,private_file/* writePrivateFile */.P)(file, JSON.stringify(access));
    }
    return { ...(first && { first }), ...(processCommand !== undefined && { processCommand }) };
}
/** Exports the server's variables and outputs, and warns about anything that would shadow it. */
function handOver(toolkit, settings, env, endpoint, via, region, status, extra, delivery = {}) {
    if (!settings.outputEnvCredentials) {
        // configure-aws-credentials' output-env-credentials: false exports no AWS_* variable at all.
        if (Object.keys(extra).length > 0)
            toolkit.exportVariables(extra);
        (0,export_variables/* exportIdentityOutputs */.d2)(toolkit, settings, status.assumedRoleArn);
        setServerOutputs(toolkit, endpoint, status, delivery);
        toolkit.info(`'${constants/* Inputs */.G0.OutputEnvCredentials}' is false: no AWS_* variable was exported; later steps reach the server ${settings.awsProfile !== undefined ? `through the profile "${settings.awsProfile}"` : 'only through what you pass them'}.`);
        return;
    }
    const profile = settings.awsProfile === undefined ? env[constants/* Env */.o9.Profile] : undefined;
    if (profile) {
        toolkit.warning(`AWS_PROFILE is set to "${profile}": the AWS CLI and SDKs use that profile's credentials, if it has any, before the keep-alive server. ` +
            'Remove AWS_PROFILE from the job (an empty AWS_PROFILE makes the AWS CLI and boto3 fail with ProfileNotFound, so this action cannot clear it for you).', 'AWS_PROFILE may shadow the credential server');
    }
    for (const file of shadowingFiles(env)) {
        toolkit.warning(`${file} has credentials in its default profile. The AWS CLI and SDKs read it before the keep-alive server, ` +
            'so later steps would use those instead: remove it, or set AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE to an empty file.', 'Shared AWS file shadows the credential server');
    }
    const roleMax = status.maxSessionSeconds !== undefined && settings.roleToAssume && !settings.chainedRoleToAssume
        ? { [constants/* Env */.o9.RoleMaxSessions]: (0,known_max/* withKnownMax */.i)(env, settings.roleToAssume.arn, { seconds: status.maxSessionSeconds }) }
        : {};
    // With a proxy in the job, make sure no client proxies the server (curl and Node's NODE_USE_ENV_PROXY would).
    const noProxy = settings.proxy ? (0,net_proxy/* loopbackNoProxyExports */.EF)(env, via.relativePath !== undefined ? `http://${LINK_LOCAL_ADDRESS}/` : endpoint) : {};
    const variables = via.relativePath !== undefined
        ? (0,export_variables/* serverRelativeUriVariables */.Bk)(via.relativePath, region, env)
        : (0,export_variables/* serverCredentialVariables */.q4)(endpoint, via.authToken, region);
    if (via.relativePath !== undefined && (0,export_variables/* rubyTriesWebIdentity */.QU)(env)) {
        toolkit.warning(`${constants/* Env */.o9.RoleArn} and ${constants/* Env */.o9.WebIdentityTokenFile} are both set in this job (an earlier step exported them, perhaps empty). ` +
            'The Ruby SDK (aws-sdk-core 3.168) takes even an empty value as set, tries web identity before the container credentials, and fails. ' +
            'The other SDKs are not affected. Fix: do not set them in the job, or unset them for Ruby commands (`env -u AWS_ROLE_ARN ...`).', 'Ruby SDK would fail');
    }
    (0,export_variables/* exportMasked */.Wl)(toolkit, { ...variables, ...roleMax, ...noProxy, ...(0,export_variables/* profileVariable */.ml)(settings), ...extra }, [via.relativePath !== undefined ? secretPartOf(via.relativePath) : via.authToken]);
    (0,export_variables/* exportIdentityOutputs */.d2)(toolkit, settings, status.assumedRoleArn);
    setServerOutputs(toolkit, endpoint, status, delivery);
}
function setServerOutputs(toolkit, endpoint, status, delivery) {
    if (delivery.first) {
        const f = delivery.first;
        (0,cac_delivery.outputCredentials)(toolkit, { accessKeyId: f.AccessKeyId, secretAccessKey: f.SecretAccessKey, sessionToken: f.Token, expiration: new Date(f.Expiration) });
    }
    toolkit.setOutput(constants/* Outputs */.tY.CredentialsEndpoint, endpoint);
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'true');
    if (status.expiration)
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(status.remainingSeconds));
    if (status.maxSessionSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.MaxSessionDuration, String(status.maxSessionSeconds));
}
/** What output-credentials and aws-profile need, in place before anything is exported (unless `signal` aborted meanwhile). */
async function deliver(step, access, nonce, signal) {
    const delivery = await prepareDelivery(step.settings, step.rt.toolkit, step.paths.dir, access, nonce);
    if (signal?.aborted)
        throw new abort/* AbortError */.lc();
    if (delivery.processCommand !== undefined)
        step.writeProfile?.(step.plan.region, { kind: 'process', command: delivery.processCommand });
    return delivery;
}

// EXTERNAL MODULE: ./src/util/retry.ts
var retry = __webpack_require__(4266);
;// CONCATENATED MODULE: ./src/lifetime/keep-alive-policy.ts

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
 * The longest the keep-alive server waits between two looks at the wall
 * clock: a twentieth of the session, between 50 ms and 30 s. Timers run on
 * the monotonic clock, which stands still while the machine sleeps; looking
 * this often, a refresh that came due during a sleep or a clock step starts
 * at most one tick late.
 */
function refreshTickMs(lifetimeSeconds) {
    return Math.max(50, Math.min(30_000, Math.round((lifetimeSeconds * 1000) / 20)));
}
/** Ceiling of the backoff after transient refresh failures (throttling, 5xx, network). */
const TRANSIENT_RETRY_CEILING_MS = 30_000;
/** Ceiling of the backoff after permanent ones (AccessDenied after a trust policy change, a deleted role). */
const PERMANENT_RETRY_CEILING_MS = (/* unused pure expression or super */ null && (5 * 60_000));
/**
 * The wait before the next try after `failures` refreshes failed in a row.
 * Both kinds double from a 1 s base; the ceiling is 30 s for transient errors
 * (full jitter) and 5 min for permanent ones (equal jitter: never much less
 * than the doubled value, so a broken trust policy is not hammered). Both
 * ceilings shrink to a quarter of the session for compressed test sessions,
 * and no wait is shorter than 50 ms.
 */
function refreshRetryDelayMs(lifetimeSeconds, failures, permanent, random) {
    const scaledCeiling = lifetimeSeconds * 250;
    const baseDelayMs = Math.min(1000, lifetimeSeconds * 50);
    if (!permanent) {
        return Math.max(50, backoffDelay({ baseDelayMs, maxDelayMs: Math.min(TRANSIENT_RETRY_CEILING_MS, scaledCeiling) }, failures, random));
    }
    const maxDelayMs = Math.min(PERMANENT_RETRY_CEILING_MS, scaledCeiling);
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (Math.max(1, failures) - 1));
    return Math.max(50, Math.round(ceiling / 2 + (ceiling / 2) * random()));
}
/** The fix for work that outlasts GitHub OIDC: the one place this text is written. */
const SPLIT_JOBS_FIX = 'split the work across jobs (each job gets a new OIDC request token)';
/**
 * Until when (local ms) a source can mint new sessions, and why, for fail
 * fast: GitHub OIDC until its request token expires (undefined when that is
 * not known); session keys given as inputs until their 'expiration'; IAM user
 * keys and instance profiles have no end, and a token file has no known end
 * (it is rotated): undefined.
 */
function sourceMintsUntil(settings, requestTokenExpiresAt) {
    const { source } = settings;
    if (source.kind === 'github-oidc') {
        return {
            ...(requestTokenExpiresAt !== undefined && { until: requestTokenExpiresAt }),
            why: `GitHub's OIDC request token for this job expires at ${new Date(requestTokenExpiresAt ?? 0).toISOString()}`,
            fix: SPLIT_JOBS_FIX,
        };
    }
    if (source.kind === 'static-keys' && source.sessionToken !== undefined && settings.expiration) {
        return {
            until: settings.expiration.getTime(),
            why: `the session keys given as inputs expire at ${settings.expiration.toISOString()}`,
            fix: 'give long-lived keys or keys that last longer',
        };
    }
    return { why: 'the credential source has no known end', fix: 'nothing to fix' };
}
/**
 * With keep-alive, the job can mint new sessions until the OIDC request token
 * expires, and the last one lasts as long as a session does: the role's
 * maximum once known, the STS ceiling before, and never more than the latest
 * session actually got. The result is the latest moment (ms) the job can have
 * credentials; undefined when the request token's expiry is unknown.
 */
function keepAliveCoverUntil(sourceEndsAt, ceilingSeconds, current) {
    if (sourceEndsAt === undefined)
        return undefined;
    const sessionSeconds = Math.min(current?.maxSessionSeconds ?? ceilingSeconds, current?.lifetimeSeconds ?? ceilingSeconds);
    return Math.max(current?.expiresAt ?? 0, sourceEndsAt + sessionSeconds * 1000);
}

// EXTERNAL MODULE: ./src/lifetime/policy.ts
var policy = __webpack_require__(9517);
// EXTERNAL MODULE: ./src/oidc/token.ts
var token = __webpack_require__(448);
// EXTERNAL MODULE: ./src/settings/cac-options.ts
var cac_options = __webpack_require__(3915);
// EXTERNAL MODULE: ./src/settings/identity.ts
var identity = __webpack_require__(9251);
// EXTERNAL MODULE: ./src/sts/endpoint.ts
var endpoint = __webpack_require__(3235);
// EXTERNAL MODULE: ./src/lifetime/decision.ts
var lifetime_decision = __webpack_require__(6289);
;// CONCATENATED MODULE: ./src/keepalive/coverage.ts
/**
 * How long keep-alive can cover the work: one rule for the step that starts
 * (or reuses) the server and for a guard step that finds it running.
 */




/** The shortfall message when the work needs longer than `coverUntil` (ms) allows; undefined when it is covered or unknown. */
function coverageShortfall(need, coverUntil, now, why, fix = SPLIT_JOBS_FIX) {
    if (coverUntil === undefined)
        return undefined;
    const coverSeconds = Math.max(0, Math.floor((coverUntil - now) / 1000));
    const decision = (0,lifetime_decision/* decide */.LD)({ need, session: { kind: 'unknown' }, canMint: false, server: { coverSeconds } });
    if (decision.kind !== 'shortfall')
        return undefined;
    const fits = coverSeconds - need.marginSeconds;
    return (`The job can keep AWS credentials coming for ${(0,duration/* formatDuration */.a)(coverSeconds)} more ` +
        `(until about ${new Date(coverUntil).toISOString()}), but the work needs ${(0,duration/* formatDuration */.a)(need.seconds)} (${need.explanation}): ${why}\n` +
        `Fix, one of:\n` +
        (fits >= 60 ? `  - '${constants/* Inputs */.G0.ExpectedDuration}: ${(0,duration/* formatDuration */.a)(fits)}' if the work fits in that after the ${(0,duration/* formatDuration */.a)(need.marginSeconds)} '${constants/* Inputs */.G0.SafetyMargin}'\n` : '') +
        `  - ${fix}`);
}
/** Why a running server's cover ends where it does. */
function serverCoverReason(maxSessionSeconds, ends = 'the OIDC request token expires') {
    return maxSessionSeconds === undefined
        ? `${ends}, and the last session minted before then is the server's current session length.`
        : `${ends}, and the role's sessions last at most ${(0,duration/* formatDuration */.a)(maxSessionSeconds)}.`;
}

;// CONCATENATED MODULE: ./src/keepalive/server-health.ts
/**
 * Whether a running keep-alive server covers a step's need: the one rule for
 * a guard step that finds it and a keep-alive step that reuses it. Every time
 * is the server's own (seconds from its now, counted on its monotonic clock),
 * never this step's wall clock against the server's dates.
 *
 * Never healthy when the server serves nothing now (its session is over and
 * it could not mint another), nor when its session is shorter than the need
 * while its refreshes fail.
 */



/** Local ms until which the server can keep credentials coming: its seconds from now, else (an older server) its date. */
function coverUntilOf(status, now) {
    return status.coverSeconds !== undefined ? now + status.coverSeconds * 1000 : status.coverUntil;
}
/** Seconds from the server's now that it can keep credentials coming: its own count, else (an older server) from its date. */
function coverSecondsOf(status, now) {
    const until = coverUntilOf(status, now);
    return until === undefined ? undefined : (until - now) / 1000;
}
function serverHealth(status, need, now, coverReason, fix) {
    const left = status.remainingSeconds;
    const failing = !!status.lastError;
    const cover = coverSecondsOf(status, now);
    // The one decision (lifetime/decision.ts). A server that serves nothing has no time left; one whose refreshes fail
    // covers no more than its current session.
    const decision = (0,lifetime_decision/* decide */.LD)({
        need,
        session: { kind: 'unknown' },
        canMint: false,
        server: {
            remainingSeconds: status.unavailable !== undefined ? Math.min(0, left ?? 0) : left,
            coverSeconds: failing && left !== undefined ? Math.min(cover ?? Infinity, left) : cover,
        },
    });
    if (decision.kind !== 'shortfall')
        return { kind: 'healthy' };
    const lastError = status.lastError ? ` Its last refresh failed: ${status.lastError}.` : '';
    if (decision.state === 'expired' || !need) {
        return {
            kind: 'unavailable',
            message: `The keep-alive credential server (pid ${status.pid}) serves no AWS credentials now: ` +
                `${status.unavailable ?? `its session ended ${(0,duration/* formatDuration */.a)(Math.max(0, -(left ?? 0)))} ago`}${lastError} ` +
                'Later steps get none from it until it mints a new session (it keeps retrying).\n' +
                'Fix: look at why STS or the credential source refuses (the error above, the job summary\'s keep-alive timeline), ' +
                "then re-run the job; with 'keep-alive: true' a new job mints afresh.",
        };
    }
    if (failing && left !== undefined && (cover === undefined || left < cover)) {
        return {
            kind: 'short',
            message: `The keep-alive credential server's refreshes are failing (${status.lastError}), and its current session has ` +
                `${(0,duration/* formatDuration */.a)(left)} left, but the work needs ${(0,duration/* formatDuration */.a)(need.seconds)} (${need.explanation}).\n` +
                "Fix: look at why STS or the credential source refuses (the job summary's keep-alive timeline); the server keeps retrying.",
        };
    }
    return { kind: 'short', message: coverageShortfall(need, coverUntilOf(status, now), now, coverReason, fix) ?? `The keep-alive credential server cannot cover the work: ${coverReason}` };
}

;// CONCATENATED MODULE: ./src/keepalive/plan.ts
/**
 * keep-alive's plan, decided before any network call and without side
 * effects: what the job needs, how long its credential source can mint, the
 * length of each session, and the server's configuration. It throws only for
 * settings that cannot work (no role or region, no OIDC permission, a proxy
 * the server could not use).
 */













function planKeepAlive(settings, env, now) {
    const need = (0,policy/* needOf */.ER)(settings);
    const region = settings.region;
    const role = settings.roleToAssume;
    if (!region || !role)
        throw new Error(`keep-alive needs '${constants/* Inputs */.G0.RoleToAssume}' and '${constants/* Inputs */.G0.AwsRegion}'`);
    for (const proxy of [settings.proxy?.https, settings.proxy?.http])
        if (proxy)
            (0,net_proxy/* parseProxyUrl */.Pr)(proxy);
    // What the source can mint, and until when: only GitHub OIDC needs (and is bounded by) the request token.
    const oidc = settings.source.kind === 'github-oidc';
    let requestTokenExpiresAt;
    if (oidc) {
        const requestToken = env[constants/* Env */.o9.IdTokenRequestToken];
        if (!env[constants/* Env */.o9.IdTokenRequestUrl] || !requestToken)
            throw new Error(token/* MISSING_PERMISSION_MESSAGE */.vO);
        const tokenExp = (0,token/* jwtExpiry */.lo)(requestToken);
        requestTokenExpiresAt = tokenExp !== undefined ? tokenExp * 1000 : undefined;
    }
    const sourceEnd = sourceMintsUntil(settings, requestTokenExpiresAt);
    const ceiling = (0,policy/* sessionCeiling */._Z)(settings);
    const upperCover = keepAliveCoverUntil(sourceEnd.until, ceiling);
    // Without a stated need nothing is checked for length: the server refreshes for as long as the source can mint.
    const tokenShort = need
        ? coverageShortfall(need, upperCover, now, `${sourceEnd.why}, and the last session minted before then lasts at most ${(0,duration/* formatDuration */.a)(ceiling)}.`, sourceEnd.fix)
        : undefined;
    return {
        now,
        region,
        role,
        target: (0,identity/* targetRoleArn */.b)(settings) ?? role.arn,
        identity: (0,identity/* identityKey */.U)(settings),
        need,
        oidc,
        sourceEnd,
        ceiling,
        tokenShort,
        tokenExpiryUnknown: oidc && requestTokenExpiresAt === undefined,
        expectedUntil: now + (need?.seconds ?? 0) * 1000,
    };
}
/** Whether a server's status covers the plan's need (one rule for a reused and a new server). */
function planHealth(plan, status) {
    const reason = serverCoverReason(status.maxSessionSeconds, plan.oidc ? undefined : plan.sourceEnd.why);
    return serverHealth(status, plan.need, plan.now, reason, plan.sourceEnd.fix);
}
/** The configuration sent to a new server over IPC. */
function serverConfigOf(plan, settings, env, parts) {
    const { role, need, now, sourceEnd, region } = plan;
    const { source, linkLocalPath } = parts;
    const stsEndpoint = (0,endpoint/* resolveStsEndpoint */.M)(settings, env);
    const extras = (0,cac_options/* hopExtras */.jI)(settings);
    return {
        authToken: parts.authToken,
        controlToken: parts.controlToken,
        proofKey: parts.proofKey,
        nonce: parts.nonce,
        identity: plan.identity,
        roleArn: role.arn,
        ...(settings.chainedRoleToAssume && { chainedRoleArn: settings.chainedRoleToAssume.arn }),
        roleSessionName: settings.roleSessionName,
        region,
        ...(stsEndpoint !== undefined && { stsEndpoint }),
        audience: settings.audience,
        ...(settings.inlineSessionPolicy !== undefined && { policy: settings.inlineSessionPolicy }),
        policyArns: settings.managedSessionPolicies,
        ...(extras && { assumeRoleExtras: extras }),
        retryMaxAttempts: settings.retryMaxAttempts,
        sessionSeconds: (0,policy/* keepAliveSessionSeconds */._A)({
            needSeconds: need?.seconds ?? 0,
            now,
            sourceEndsAt: sourceEnd.until,
            ceilingSeconds: plan.ceiling,
            knownMaxSeconds: settings.chainedRoleToAssume ? undefined : (0,known_max/* knownMaxOf */.j)(env, role.arn)?.seconds,
        }),
        expectedUntil: plan.expectedUntil,
        ...(sourceEnd.until !== undefined && { sourceEndsAt: sourceEnd.until }),
        ...(source.kind !== 'github-oidc' && { source }),
        dir: parts.dir,
        ...(settings.proxy && { proxy: settings.proxy }),
        ...(linkLocalPath !== undefined && { linkLocal: { host: LINK_LOCAL_ADDRESS, relativePath: linkLocalPath } }),
    };
}

;// CONCATENATED MODULE: ./src/keepalive/reuse.ts
/**
 * What a keep-alive step does with the server already running for this job,
 * as pure functions of the job's record, the process state, the server's
 * (proven) status and the step's settings and env. A server for the same
 * identity, handed over here, is reused, never doubled; one for other
 * credentials is replaced (a working one keeps serving until its successor
 * has passed every check) or, when it cannot stay, stopped first.
 */


/** Whether a status answer comes from the server with this identity (not another process on a reused port). */
function answersAs(status, identity) {
    return !!status && status.nonce === identity.nonce;
}
/**
 * The AWS_CONTAINER_CREDENTIALS_RELATIVE_URI this step inherits: none, the one
 * an earlier keep-alive step of this job exported (the record holds its
 * digest), or a foreign one (ECS, CodeBuild, or another step).
 */
function inheritedRelativeUri(env, record) {
    const inherited = env[constants/* Env */.o9.ContainerRelativeUri];
    if (!inherited)
        return 'none';
    return record?.relativeUriDigest && relativeUriDigest(inherited) === record.relativeUriDigest ? 'ours' : 'foreign';
}
/**
 * Whether this step serves containers: as asked, or because an earlier step
 * exported our relative URI, which SDKs read first and which cannot be unset.
 */
function servesContainers(asked, inherited) {
    return asked || inherited === 'ours';
}
function decideReuse(input) {
    const { record, running, status, identity, serveContainers, env } = input;
    if (!record)
        return { kind: 'fresh' };
    const inherited = env[constants/* Env */.o9.ContainerRelativeUri];
    const envToken = env[constants/* Env */.o9.ContainerAuthToken];
    const answers = answersAs(status, record);
    const handedOverHere = record.linkLocal
        ? serveContainers && inheritedRelativeUri(env, record) === 'ours'
        : // a loopback server serves a serve-containers step only where that step fell back to loopback too
            (!serveContainers || record.linkLocalUnavailable === true) && !!envToken && env[constants/* Env */.o9.ContainerFullUri] === record.endpoint;
    if (answers && status.identity === identity && handedOverHere && record.endpoint) {
        const via = record.linkLocal && inherited ? { relativePath: inherited } : { authToken: envToken ?? '' };
        return { kind: 'reuse', endpoint: record.endpoint, via, status };
    }
    if (running === 'gone' || running === 'other')
        return { kind: 'restart' };
    const why = !answers
        ? 'does not answer'
        : status.identity !== identity
            ? `serves ${record.roleArn} with other settings than this step asks for`
            : !!record.linkLocal !== serveContainers && !(serveContainers && record.linkLocalUnavailable)
                ? `serves ${record.linkLocal ? 'containers' : 'loopback only'}, and this step asks for '${constants/* Inputs */.G0.ServeContainers}: ${serveContainers}'`
                : 'was handed over with credentials that are no longer in the environment';
    // Two servers cannot both hold the link-local address: one that holds it goes first when this step needs it.
    if (answers && !(record.linkLocal && serveContainers))
        return { kind: 'replace', why };
    return { kind: 'stop', why, answers };
}

;// CONCATENATED MODULE: ./src/keepalive/http-answers.ts

const http_answers_MAX_BODY_BYTES = 4096;
class http_answers_BodyTooLarge extends (/* unused pure expression or super */ null && (Error)) {
}
/** Whether the request declared a body that has not arrived and been read in full. */
function bodyLeftUnread(req) {
    if (!req || req.complete)
        return false;
    const length = req.headers['content-length'];
    return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
/**
 * How the server answers: JSON, never cached, with the proof of every answer
 * whose request carried a challenge (keepalive/proof.ts). When the request's
 * body was not read (a refusal, a route that takes none, one too large), the
 * connection is closed after the answer instead of reading the rest of the
 * body to reuse it.
 */
function http_answers_answerers(proofKey) {
    const send = (res, status, body, headers = {}) => {
        const text = body === undefined ? '' : JSON.stringify(body);
        const req = res.req;
        const path = (req?.url ?? '/').split('?')[0] ?? '/';
        res.writeHead(status, {
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(text)),
            'Cache-Control': 'no-store',
            ...(bodyLeftUnread(req) && { Connection: 'close' }),
            ...headers,
            ...proofHeaders(proofKey, req?.headers[CHALLENGE_HEADER], { method: req?.method ?? 'GET', path, status, body: text }),
        });
        res.end(text);
    };
    const error = (res, status, code, message, headers) => send(res, status, { Code: code, Message: message }, headers);
    return { send, error };
}
/**
 * The request body, at most `limit` bytes. A larger one (by Content-Length,
 * or once the chunks pass the limit) rejects with BodyTooLarge at once, and
 * nothing more of it is kept; the answer then closes the connection.
 */
function http_answers_readBody(req, limit = http_answers_MAX_BODY_BYTES) {
    return new Promise((resolve, reject) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
            reject(new http_answers_BodyTooLarge());
            return;
        }
        let size = 0;
        const chunks = [];
        const onData = (chunk) => {
            size += chunk.length;
            if (size <= limit)
                return void chunks.push(chunk);
            chunks.length = 0;
            req.off('data', onData);
            req.pause();
            reject(new http_answers_BodyTooLarge());
        };
        req.on('data', onData);
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}
/** The Authorization header, if it was sent exactly once; an array when it came more than once. */
function http_answers_authorizationOf(req) {
    // Node keeps only the first of duplicated Authorization headers in req.headers: look at all of them.
    const all = req.headersDistinct['authorization'];
    if (all && all.length > 1)
        return all;
    return all?.[0];
}

;// CONCATENATED MODULE: ./src/keepalive/credential-server.ts
/**
 * The loopback credential endpoint that the AWS SDKs' container provider
 * reads (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN).
 * Listens on 127.0.0.1; every request needs the token, compared in constant
 * time. With serve-containers it also listens on 169.254.170.2 (keepalive/
 * link-local), where it serves only ECS's relative URI: a secret path of 256
 * random bits, compared in constant time, with no header (the SDKs send none).
 * No secret is ever written anywhere but into a response body.
 */







const CREDENTIALS_PATH = '/credentials';
const STATUS_PATH = '/status';
const EXPECT_PATH = '/control/expect';
const STOP_PATH = '/control/stop';
const digest = (/* unused pure expression or super */ null && (sha256Bytes));
/** Constant-time comparison, whatever the lengths: both sides are hashed first. */
function tokenMatches(expectedDigest, presented) {
    const given = digest(presented ?? '');
    return timingSafeEqual(expectedDigest, given) && presented !== undefined;
}
const ALLOWED = Promise.resolve({ allowed: true });
async function startCredentialServer(handlers, port = 0, guards = {}) {
    const { send, error } = answerers(handlers.proofKey);
    const expected = digest(handlers.authToken);
    const expectedControl = digest(handlers.controlToken);
    const expectedPath = handlers.linkLocal ? digest(handlers.linkLocal.relativePath) : undefined;
    const counts = { served: 0, refused: 0, unauthorized: 0 };
    const limits = new ConnectionLimits(guards.limits ?? { total: totalFor(undefined), perPeer: PER_PEER_IDLE });
    const verdicts = new WeakMap();
    const opened = (socket) => {
        limits.opened(socket, `address ${socket.remoteAddress ?? '?'}`);
        socket.once('close', () => limits.closed(socket));
    };
    /** Whose connection it is: looked up at its first request (an idle connection costs no lookup), then kept. */
    const verdictFor = (socket, listener) => {
        const known = verdicts.get(socket);
        if (known)
            return known;
        if (!guards.peers)
            return ALLOWED;
        const peer = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
        const local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };
        const verdict = guards.peers.check(peer, local, listener).catch((e) => ({ allowed: false, reason: `its user cannot be read (${String(e)})` }));
        verdicts.set(socket, verdict);
        void verdict.then((v) => v.uid !== undefined && limits.rekey(socket, `uid ${v.uid}`));
        return verdict;
    };
    const serveCredentials = (res) => {
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
            Expiration: new Date(a.expiration).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            AccountId: c.accountId,
        });
    };
    const routes = {
        [CREDENTIALS_PATH]: 'GET',
        [STATUS_PATH]: 'GET',
        [EXPECT_PATH]: 'POST',
        [STOP_PATH]: 'POST',
    };
    /** `secretPathOnly`: the link-local listener, which containers reach, serves nothing but the secret path. */
    const handle = (req, res, secretPathOnly) => {
        const socket = req.socket;
        limits.busy(socket);
        res.once('finish', () => limits.idle(socket));
        void (async () => {
            // Whose connection it is comes first: another OS user gets nothing, even with the token.
            const verdict = await verdictFor(socket, secretPathOnly ? 'link-local' : 'loopback');
            if (!verdict.allowed) {
                handlers.peerRefused?.(secretPathOnly ? 'link-local' : 'loopback', verdict);
                return error(res, 403, 'AccessDenied', "This server serves only the OS user that runs the job's steps.", { Connection: 'close' });
            }
            const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
            // ECS's relative URI: no header, the path is the secret (compared in constant time, whatever the request).
            if (expectedPath && tokenMatches(expectedPath, rawPath)) {
                if (req.method !== 'GET')
                    return error(res, 405, 'MethodNotAllowed', 'Use GET.', { Allow: 'GET' });
                return serveCredentials(res);
            }
            // The challenge needs no token: a step proves the server before it sends any.
            if (rawPath === PROOF_PATH && !secretPathOnly)
                return send(res, 200, { proof: true });
            if (secretPathOnly) {
                counts.unauthorized++;
                return error(res, 403, 'AccessDenied', 'Missing or wrong authorization token.');
            }
            const auth = authorizationOf(req);
            if (Array.isArray(auth)) {
                // Which one would a proxy or another parser pick? Refuse rather than guess.
                counts.unauthorized++;
                error(res, 403, 'AccessDenied', 'Send exactly one Authorization header.');
                return;
            }
            const path = rawPath;
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
            if (path === CREDENTIALS_PATH)
                return serveCredentials(res);
            if (path === STATUS_PATH)
                return send(res, 200, handlers.status());
            if (path === EXPECT_PATH) {
                let text;
                try {
                    // Only now, with the request authorised, may an `Expect: 100-continue` client send its body.
                    if ((req.headers.expect ?? '').toLowerCase() === '100-continue')
                        res.writeContinue();
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
    };
    const newServer = (secretPathOnly) => {
        // Idle connections are closed within about a second past their time: a request's headers must come within 5 s.
        const s = createServer({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 5000, connectionsCheckingInterval: 1000 }, (req, res) => handle(req, res, secretPathOnly));
        // Without this, Node answers `Expect: 100-continue` itself, before anything was checked, and the body comes.
        s.on('checkContinue', (req, res) => handle(req, res, secretPathOnly));
        s.on('connection', opened);
        return s;
    };
    const closeOne = (s) => new Promise((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
    });
    const server = newServer(false);
    await listenOn(server, '127.0.0.1', port);
    const actualPort = server.address().port;
    let linkLocal;
    if (handlers.linkLocal) {
        linkLocal = newServer(true);
        try {
            // The same port as on loopback when it is free there, else any.
            await listenOn(linkLocal, handlers.linkLocal.host, actualPort).catch(() => listenOn(linkLocal, handlers.linkLocal?.host ?? '', 0));
        }
        catch (e) {
            await closeOne(server);
            throw e;
        }
    }
    const linkLocalPort = linkLocal ? linkLocal.address().port : undefined;
    return {
        server,
        port: actualPort,
        endpoint: `http://127.0.0.1:${actualPort}${CREDENTIALS_PATH}`,
        ...(linkLocalPort !== undefined && { linkLocalPort }),
        counts,
        limits,
        limitsReport: { peers: guards.peers ? 'uid' : 'token-only', maxConnections: (guards.limits ?? { total: totalFor(undefined) }).total },
        close: async () => {
            await Promise.all([closeOne(server), ...(linkLocal ? [closeOne(linkLocal)] : [])]);
        },
    };
}
function listenOn(server, host, port) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, exclusive: true }, () => {
            server.off('error', reject);
            resolve();
        });
    });
}

;// CONCATENATED MODULE: ./src/keepalive/client.ts
/**
 * How the action's own steps talk to a running credential server. Every
 * request proves the server first (keepalive/proven-request.ts): no token
 * goes to a process that cannot answer a challenge with the job's proof key,
 * and no answer is believed without its proof.
 */



/** `proofKey`: from the job's record of the server at `endpoint`; undefined when there is none (then nothing is trusted). */
function serverClient(endpoint, authToken, proofKey, timeoutMs = 3000) {
    const base = new URL(endpoint);
    // Never through a proxy (net/loopback-http.ts).
    const call = (path, init = {}) => provenRequest(new URL(path, base).toString(), proofKey, { ...init, headers: { Authorization: authToken, 'Content-Type': 'application/json' }, timeoutMs });
    const json = (answer) => {
        if (!answer || answer.status < 200 || answer.status > 299)
            return undefined;
        try {
            return JSON.parse(answer.body);
        }
        catch {
            return undefined;
        }
    };
    return {
        async status() {
            return json(await call(STATUS_PATH));
        },
        async probeCredentials() {
            let r;
            try {
                r = await call(CREDENTIALS_PATH);
            }
            catch (e) {
                if (e instanceof ImpostorError)
                    return { status: 0, message: e.message };
                throw e;
            }
            if (!r)
                return { status: 0, message: 'no answer' };
            let body = {};
            try {
                body = JSON.parse(r.body);
            }
            catch {
                body = {};
            }
            return {
                status: r.status,
                ...(body.Expiration !== undefined && { expiration: body.Expiration }),
                ...(body.Message !== undefined && { message: body.Message }),
            };
        },
        async expect(expectedUntil) {
            return json(await call(EXPECT_PATH, { method: 'POST', body: JSON.stringify({ expectedUntil }) }));
        },
        async stop() {
            try {
                return (await call(STOP_PATH, { method: 'POST' }))?.status === 202;
            }
            catch (e) {
                if (e instanceof ImpostorError)
                    return false;
                throw e;
            }
        },
    };
}
/** For a step that can go on without the server: an impostor is warned of by name, and taken as no answer. */
const warnOfImpostor = (toolkit) => (error) => {
    if (!(error instanceof ImpostorError))
        throw error;
    toolkit.warning(error.message, "Not this job's credential server");
    return undefined;
};

;// CONCATENATED MODULE: ./src/keepalive/events.ts
/** The server's event log (JSON lines, no secrets), read back by the post step. */


/**
 * The pid of the server that wrote an event: stamped on each line (older logs
 * have it on 'started' only, so a line without it belongs to the last server
 * started before it). Two servers write to one log while a later step replaces one.
 */
function events_writerOf(events) {
    let last;
    return events.map((e) => {
        const pid = e.pid;
        if (e.type === 'started')
            last = e.pid;
        return typeof pid === 'number' ? pid : last;
    });
}
/** `pid`: the server's, stamped on every line (see writerOf). */
function fileEventLog(path, clock = Date.now, pid) {
    return {
        write(event) {
            try {
                appendPrivateLine(path, JSON.stringify({ t: clock(), ...(pid !== undefined && { pid }), ...event }) + '\n');
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
        case 'crashed':
            return `it crashed at ${at} (${last.reason})`;
        default:
            return `its last event was "${last.type}" at ${at}`;
    }
}

// EXTERNAL MODULE: ./src/util/process-identity.ts
var process_identity = __webpack_require__(1744);
;// CONCATENATED MODULE: ./src/util/sleep.ts
/** Waits `ms` milliseconds: the real clock's sleep, which tests replace through their deps. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

;// CONCATENATED MODULE: ./src/keepalive/process-control.ts
/**
 * Telling the credential server's process from any other, and stopping it.
 * A pid alone can be reused by the OS once the server is gone; its start
 * time (and the nonce it answers /status with) cannot. Nothing here ever
 * signals a process that is not verifiably the server.
 */



const POLL_MS = 50;
async function waitUntilNotRunning(identity, deps, ms) {
    let state = (0,process_identity/* processState */.L)(identity, deps.control);
    for (let waited = 0; (state === 'running' || state === 'unverifiable') && waited < ms; waited += POLL_MS) {
        await deps.sleep(POLL_MS);
        state = (0,process_identity/* processState */.L)(identity, deps.control);
    }
    return state;
}
/**
 * Stops the server: asks it over HTTP when it can, else SIGTERM; after the
 * grace period, SIGKILL. Each signal goes only to a process verified as the
 * server. Says 'stopped' or 'killed' only once the process is gone.
 */
async function stopServer(identity, deps) {
    const initial = (0,process_identity/* processState */.L)(identity, deps.control);
    if (initial === 'gone' || initial === 'other')
        return initial;
    // A paused process answers nothing: it is sent SIGTERM, then resumed to act on it.
    const paused = initial === 'running' && deps.control.paused?.(identity.pid) === true;
    const asked = deps.askToStop && !paused ? await deps.askToStop() : false;
    if (!asked && (0,process_identity/* processState */.L)(identity, deps.control) === 'running') {
        deps.control.signal(identity.pid, 'SIGTERM');
        if (paused)
            deps.control.signal(identity.pid, 'SIGCONT');
    }
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
/** One way to stop a server, with its HTTP stop when a client for it is known (real control and sleep by default). */
function stopperOf(deps) {
    return (server, client) => stopServer(server, {
        control: deps.control ?? process_identity/* realProcessControl */.t,
        sleep: deps.sleep ?? sleep,
        ...(client && { askToStop: () => client.stop() }),
        ...(deps.stopGraceMs !== undefined && { graceMs: deps.stopGraceMs }),
    });
}

;// CONCATENATED MODULE: ./src/keepalive/running.ts
/**
 * keep-alive with a server already in the job's record: acts on reuse.ts's
 * decision. A reused server is checked and handed over here; one to be
 * replaced keeps serving until the new one is ready (keep-alive.ts stops it
 * then); one that must go first is stopped, with its link-local set-up and
 * its record.
 */








/** Acts on reuse.ts's decision for the server in the job's record. */
async function settleRunning(step, record) {
    const { rt, settings, plan, paths } = step;
    const { toolkit, env } = rt;
    const running = (0,process_identity/* processState */.L)(record, rt.control);
    const client = record.endpoint ? rt.clientOf(record.endpoint, record.controlToken, record.proofKey) : undefined;
    const status = running !== 'gone' && running !== 'other' ? await client?.status().catch(warnOfImpostor(toolkit)) : undefined;
    const decision = decideReuse({ record, running, status, identity: plan.identity, serveContainers: step.serveContainers, env });
    switch (decision.kind) {
        case 'fresh':
            return { reused: false };
        case 'reuse': {
            const { endpoint, via } = decision;
            const expected = (await client?.expect(plan.expectedUntil)) ?? decision.status;
            toolkit.setSecret(via.relativePath ? secretPartOf(via.relativePath) : (via.authToken ?? ''));
            step.checkCoverage(expected);
            (0,cac_delivery.checkAllowedAccount)(settings, expected.assumedRoleArn);
            const delivery = await deliver(step, serverAccess(endpoint, via, record.proofKey ?? ''), record.nonce);
            handOver(toolkit, settings, env, endpoint, via, plan.region, expected, step.workDirExport, delivery);
            toolkit.info(`Reusing the keep-alive credential server already running for this job (pid ${record.pid}, ${endpoint}); ` +
                `it now expects work until ${new Date(plan.expectedUntil).toISOString()}.`);
            step.note(`Keep-alive: reused the running credential server, serving until ${expected.expiration ?? '?'} and refreshing ahead of expiry.`, expected.remainingSeconds);
            return { reused: true };
        }
        case 'restart':
            toolkit.warning(`The keep-alive credential server started earlier in this job (pid ${record.pid}) is no longer running: ${lastEventText(paths)}. Starting a new one.`, 'Credential server restarted');
            break;
        case 'replace':
            toolkit.info(`The keep-alive credential server running in this job (pid ${record.pid}) ${decision.why}: starting one for ${plan.target}; ` +
                'the running one keeps serving until the new one is ready.');
            return { reused: false, replaced: { record, client } };
        case 'stop': {
            toolkit.info(`The keep-alive credential server running in this job (pid ${record.pid}) ${decision.why}: stopping it and starting one for ${plan.target}.`);
            const outcome = await rt.stop(identityOf(record), decision.answers ? client : undefined);
            if (outcome === 'still-running') {
                throw new Error(`The keep-alive credential server (pid ${record.pid}) ${decision.why}, and it did not stop. Stop it (kill ${record.pid}) or use a separate job.`);
            }
            break;
        }
    }
    // Its address and NAT rules go with it (its own post step finds nothing left to undo).
    await rt.undoLinkLocal(record.linkLocal);
    (0,external_node_fs_.rmSync)(paths.record, { force: true });
    return { reused: false };
}

// EXTERNAL MODULE: ./src/settings/source.ts + 1 modules
var settings_source = __webpack_require__(9482);
// EXTERNAL MODULE: ./src/sts/source-credentials.ts
var source_credentials = __webpack_require__(3216);
;// CONCATENATED MODULE: ./src/keepalive/launcher.ts
/**
 * Starting the credential server so it outlives the step: detached, stdio
 * ignored, unref'd once ready, so the step ends at once and the runner waits
 * on nothing. Its configuration (with the auth token) goes over an IPC
 * channel, never through a file; its ready message comes back the same way,
 * so an older server's answer can never be taken for this one's. While the
 * channel is open, the server watches it: a main step that dies before the
 * hand-over (a step timeout, a crash) takes its server with it.
 *
 * The server gets a minimal environment: what it needs to mint, plus the
 * runner's RUNNER_TRACKING_ID, so "Complete job" still ends it.
 */



/** Variables the server keeps from the step's env; everything else (keys, INPUT_*, GITHUB_* file paths) stays behind. */
const SERVER_ENV_NAMES = [
    constants/* Env */.o9.IdTokenRequestUrl,
    constants/* Env */.o9.IdTokenRequestToken,
    constants/* Env */.o9.RunnerTrackingId,
    // the platform: where things are, how to reach the network, which CAs to trust
    'PATH',
    'HOME',
    'TMPDIR',
    'TEMP',
    'TMP',
    'SystemRoot',
    'SYSTEMROOT',
    'LANG',
    'TZ',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    ...constants/* ProxyEnvNames */._h.https,
    ...constants/* ProxyEnvNames */._h.http,
    ...constants/* ProxyEnvNames */._h.noProxy,
    constants/* Env */.o9.UseFipsEndpoint,
    constants/* Env */.o9.UseDualstackEndpoint,
];
/**
 * What the SDK's default chain reads, kept only for a server whose source is
 * that chain (role-chaining / use-existing-credentials without keys in the env):
 * the profile files, the container endpoint, EC2 instance metadata, web identity.
 */
const DEFAULT_CHAIN_ENV_NAMES = [
    constants/* Env */.o9.Profile,
    constants/* Env */.o9.ConfigFile,
    constants/* Env */.o9.SharedCredentialsFile,
    constants/* Env */.o9.ContainerRelativeUri,
    constants/* Env */.o9.ContainerFullUri,
    constants/* Env */.o9.ContainerAuthToken,
    constants/* Env */.o9.ContainerAuthTokenFile,
    constants/* Env */.o9.Ec2MetadataEndpoint,
    constants/* Env */.o9.Ec2MetadataEndpointMode,
    constants/* Env */.o9.Ec2MetadataDisabled,
    constants/* Env */.o9.WebIdentityTokenFile,
    constants/* Env */.o9.RoleArn,
];
function serverEnvironment(env, extraNames = []) {
    const out = {};
    for (const name of [...SERVER_ENV_NAMES, ...extraNames]) {
        const value = env[name];
        if (value !== undefined)
            out[name] = value;
    }
    return out;
}
/**
 * The server is small and long-lived, and shares the runner's cores with the
 * deploy: a 1 MiB young generation and no V8 helper threads keep its resident
 * memory near a bare node http server's (bench/: "Credential server RSS").
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=1', '--single-threaded'];
/** The server bundle, beside the main bundle: dist/server/index.js. */
function serverEntry(mainUrl) {
    return (0,external_node_url_.fileURLToPath)(new URL('../server/index.js', mainUrl));
}
function detachedLauncher(entry, node = process.execPath) {
    return (env) => {
        const child = (0,external_node_child_process_.spawn)(node, [...SERVER_NODE_FLAGS, entry], {
            detached: true,
            stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
            windowsHide: true,
            env,
        });
        // Every error (a failed spawn, a send on a closed channel) ends up here; the first one is the answer.
        const spawnError = new Promise((resolve) => child.on('error', (e) => resolve({ type: 'failed', nonce: '', error: e.message })));
        if (child.pid === undefined)
            throw new Error(`could not start the credential server (${node} ${entry})`);
        const answer = new Promise((resolve) => {
            child.once('message', (m) => resolve(m));
            child.once('exit', (code, signal) => resolve({ type: 'exited', code, signal }));
        });
        return {
            pid: child.pid,
            send: (config) => void child.send(config),
            outcome: Promise.race([answer, spawnError]),
            release() {
                child.removeAllListeners('message');
                child.removeAllListeners('exit');
                if (child.connected)
                    child.disconnect();
                child.unref();
            },
        };
    };
}

;// CONCATENATED MODULE: ./src/keepalive/start.ts
/**
 * keep-alive's start: a new credential server, launched detached, its
 * identity recorded (and saved for the post step) before anything waits on
 * it; then the race between its first answer, the ready timeout and the
 * step's abort, a probe of what it serves (through the NAT rule too, with
 * serve-containers), and its status. Any failure abandons the start: the
 * server stopped, its address and NAT rules removed, its record gone.
 */















/** Who would not reach a loopback-only server: named in the fallback warning. */
const LOOPBACK_ONLY_MISSES = 'container actions, `docker run` in a step, and SDKs that read only AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ' +
    '(Ruby aws-sdk-core 3.168 as in Debian, the Java SDK v1, PHP)';
/** The HTTP status a request to `url` gets (0: no answer), never through a proxy (net/loopback-http.ts). */
const fetchStatusOf = async (url) => (await loopbackRequest(url, { timeoutMs: 3000 }))?.status ?? 0;
const secret = () => (0,external_node_crypto_.randomBytes)(32).toString('base64url'); // 256 bits
/** serve-containers: 169.254.170.2 on lo, before the server starts (it listens there too); undefined where it cannot be. */
async function prepareLinkLocal(rt, nonce) {
    const prepared = await rt.hostNetwork().prepare();
    if (prepared.kind === 'in-use') {
        throw new Error(`'${constants/* Inputs */.G0.ServeContainers}: true', but ${prepared.reason}: on runners hosted in ECS or CodeBuild that address serves their own credentials. ` +
            `Refusing to take it over. Fix: set '${constants/* Inputs */.G0.ServeContainers}: false', or free the address.`);
    }
    if (prepared.kind === 'unavailable') {
        rt.toolkit.warning(`'${constants/* Inputs */.G0.ServeContainers}: true', but ${LINK_LOCAL_ADDRESS} cannot be set up: ${prepared.reason}. ` +
            `The credential server serves loopback only, so ${LOOPBACK_ONLY_MISSES} will not reach it. ` +
            'Fix: run on Linux with passwordless sudo (GitHub-hosted runners have it), iproute2 and iptables.', 'Credential server on loopback only');
        return undefined;
    }
    const secretPart = secret();
    rt.toolkit.setSecret(secretPart);
    const state = { tag: ruleTag(nonce), addedAddress: true };
    // Saved before anything can fail, so the post step undoes it even after a crash.
    rt.toolkit.saveState(constants/* State */.Uw.LinkLocal, JSON.stringify(state));
    return { state, relativePath: `${RELATIVE_URI_PREFIX}${secretPart}` };
}
/** The server's first answer, or why there is none: the ready timeout, or the step's abort. */
async function firstAnswer(launched, timeoutMs, signal) {
    let timer;
    let onAbort;
    const outcome = await Promise.race([
        launched.outcome,
        new Promise((resolve) => {
            timer = setTimeout(() => resolve('timeout'), timeoutMs);
        }),
        new Promise((resolve) => {
            onAbort = () => resolve('aborted');
            if (signal?.aborted)
                onAbort();
            else
                signal?.addEventListener('abort', onAbort, { once: true });
        }),
    ]);
    clearTimeout(timer);
    if (onAbort)
        signal?.removeEventListener('abort', onAbort);
    launched.release();
    return outcome;
}
async function startServer(rt, input) {
    const { toolkit, env, control, deps } = rt;
    const { plan, settings, paths, replacing } = input;
    const fail = (why) => `The keep-alive credential server could not start: ${why}`;
    const authToken = secret();
    const controlToken = secret();
    const proofKey = newProofKey();
    for (const s of [authToken, controlToken, proofKey])
        toolkit.setSecret(s);
    const nonce = (0,external_node_crypto_.randomBytes)(16).toString('hex');
    const linkLocal = input.serveContainers ? await prepareLinkLocal(rt, nonce) : undefined;
    const linkLocalUnavailable = input.serveContainers && !linkLocal;
    // The server keeps the source, not a session: keys go over IPC (memory only), a token file by its path.
    const source = (0,source_credentials/* mintingSourceOf */.vw)(settings.source, env, plan.identity);
    for (const s of (0,source_credentials/* mintingSourceSecrets */.R9)(source))
        toolkit.setSecret(s);
    const config = serverConfigOf(plan, settings, env, { authToken, controlToken, proofKey, nonce, source, dir: paths.dir, linkLocalPath: linkLocal?.relativePath });
    const launch = deps.launch ?? detachedLauncher(serverEntry(require("url").pathToFileURL(__filename).href));
    toolkit.info(`Starting the keep-alive credential server for ${plan.target}, assuming ${plan.role.arn} ${(0,settings_source/* sourceDescription */.eJ)(settings.source)}...`);
    let launched;
    try {
        launched = launch(serverEnvironment(env, (0,source_credentials/* usesDefaultChain */.VB)(source) ? DEFAULT_CHAIN_ENV_NAMES : []));
    }
    catch (error) {
        await rt.undoLinkLocal(linkLocal?.state);
        throw error;
    }
    const start = control.startOf(launched.pid);
    const server = { pid: launched.pid, ...(start !== undefined && { start }), nonce, dir: paths.dir };
    // The job's record names the new server from its start, unless it replaces a working one: then only once that one
    // is stopped (until then this step's post finds the new server by its saved identity).
    const writeRecord = (next) => {
        if (!replacing)
            (0,private_file/* writePrivateFile */.P)(paths.record, JSON.stringify(next));
    };
    const baseRecord = {
        ...server,
        controlToken,
        proofKey,
        startedAt: plan.now,
        roleArn: plan.target,
        identity: plan.identity,
        ...(linkLocal && { linkLocal: linkLocal.state, relativeUriDigest: relativeUriDigest(linkLocal.relativePath) }),
        ...(linkLocalUnavailable && { linkLocalUnavailable }),
    };
    writeRecord(baseRecord);
    toolkit.saveState(constants/* State */.Uw.Server, JSON.stringify(server));
    launched.send(config);
    const abandon = async (client) => {
        // The post step is told, so that it does not take the stop for a server that died early.
        if ((await rt.stop(server, client)) !== 'still-running')
            toolkit.saveState(constants/* State */.Uw.Server, JSON.stringify({ ...server, abandoned: true }));
        await rt.undoLinkLocal(linkLocal?.state);
        if (!replacing)
            (0,external_node_fs_.rmSync)(paths.record, { force: true });
    };
    const giveUp = async (message, client) => {
        await abandon(client);
        throw new Error(message);
    };
    const timeoutMs = deps.readyTimeoutMs ?? 120_000;
    const outcome = await firstAnswer(launched, timeoutMs, deps.signal);
    if (outcome === 'aborted') {
        await abandon();
        throw new abort/* AbortError */.lc();
    }
    if (outcome === 'timeout')
        return giveUp(fail(`no answer within ${Math.round(timeoutMs / 1000)} s: ${lastEventText(paths)}.`));
    if (outcome.type === 'exited') {
        return giveUp(fail(`the process (pid ${server.pid}) exited before it was ready (${outcome.signal ?? `exit code ${outcome.code}`}): ${lastEventText(paths)}.`));
    }
    if (outcome.nonce !== nonce)
        return giveUp(fail('it answered for another start.'));
    if (outcome.type === 'failed')
        return giveUp(fail(outcome.error));
    const endpoint = `http://127.0.0.1:${outcome.port}${CREDENTIALS_PATH}`;
    const readyRecord = { ...baseRecord, endpoint };
    writeRecord(readyRecord);
    const controlClient = rt.clientOf(endpoint, controlToken, proofKey);
    const probe = await rt.clientOf(endpoint, authToken, proofKey).probeCredentials();
    if (probe.status !== 200) {
        return giveUp(`The keep-alive credential server started but did not serve credentials (HTTP ${probe.status}: ${probe.message ?? ''}).`, controlClient);
    }
    if (linkLocal) {
        const port = outcome.linkLocalPort;
        if (port === undefined)
            return giveUp(`The keep-alive credential server started but does not listen on ${LINK_LOCAL_ADDRESS}.`, controlClient);
        try {
            await rt.hostNetwork().redirect(port, linkLocal.state.tag);
        }
        catch (error) {
            return giveUp(`The keep-alive credential server could not serve containers: ${error.message}.`, controlClient);
        }
        // Through the NAT rule, as an SDK on this host does: http://169.254.170.2 + the relative URI, no header.
        const code = await (deps.fetchStatus ?? fetchStatusOf)(`http://${LINK_LOCAL_ADDRESS}${linkLocal.relativePath}`);
        if (code !== 200) {
            return giveUp(`The keep-alive credential server did not serve credentials on http://${LINK_LOCAL_ADDRESS} (port 80, redirected to ${port}): ` +
                `${code === 0 ? 'no answer' : `HTTP ${code}`}. Check for firewall rules on this host that drop it.`, controlClient);
        }
    }
    const fallback = { pid: server.pid, nonce, identity: plan.identity, refreshes: 1, served: 1, refused: 0, expectedUntil: plan.expectedUntil };
    const status = (await controlClient.status()) ?? fallback;
    return { server, endpoint, ready: outcome, readyRecord, controlClient, status, authToken, proofKey, nonce, linkLocal, abandon };
}

;// CONCATENATED MODULE: ./src/keepalive/step-runtime.ts



function stepRuntime(deps) {
    const { toolkit } = deps;
    let net;
    const hostNetwork = () => (net ??= deps.hostNetwork ?? realHostNetwork());
    return {
        deps,
        toolkit,
        env: deps.env,
        control: deps.control ?? process_identity/* realProcessControl */.t,
        clientOf: deps.client ?? serverClient,
        stop: stopperOf(deps),
        hostNetwork,
        undoLinkLocal: async (state) => {
            if (!state)
                return;
            const problems = await hostNetwork().tearDown(state);
            for (const p of problems)
                toolkit.warning(`Could not undo the link-local set-up: ${p}`, 'Link-local set-up left behind');
        },
    };
}

;// CONCATENATED MODULE: ./src/keepalive/keep-alive.ts
/**
 * keep-alive: true. Checks that the job can keep minting sessions for as long
 * as the work needs, starts (or reuses) the detached credential server, waits
 * until it has fetched its first credentials and answered a request, and hands
 * later steps over to it. This is the recipe; its parts are plan.ts (pure),
 * reuse.ts (pure) and running.ts (a server already in the job), start.ts,
 * and hand-over.ts.
 *
 * The server's identity (pid, start time, nonce) is recorded, and saved for
 * the post step, before this step waits for it: a step killed by its timeout,
 * a ready timeout or a crash still leaves the post step able to stop it. A
 * step that gives up stops the server it started.
 */
















async function keepAlive(settings, deps) {
    const rt = stepRuntime(deps);
    const { toolkit, env } = rt;
    // 1. Can the job mint sessions for long enough? Decided before any network call, as is a proxy the server could not use.
    const plan = planKeepAlive(settings, env, deps.clock());
    const short = { toolkit, failOnShortSession: settings.failOnShortSession, at: plan.now, needSeconds: plan.need?.seconds, title: 'AWS credentials will not last' };
    if (plan.tokenShort) {
        (0,shortfall/* shortfall */.S)(short, plan.tokenShort);
    }
    else if (plan.tokenExpiryUnknown) {
        toolkit.info('The OIDC request token is not a JWT, so its expiry is unknown; on GitHub-hosted runners it lasts about 6 h from the job start.');
    }
    // aws-profile: an existing profile is refused before any network call.
    const writeProfile = settings.awsProfile !== undefined ? (0,profile_files.openProfile)(toolkit, env, settings.awsProfile, settings.overwriteAwsProfile) : undefined;
    const { paths, mustExport } = openPrivateFolder(env);
    const record = readJson(paths.record);
    const serveContainers = settleContainerUri(rt, settings.serveContainers, inheritedRelativeUri(env, record));
    const step = {
        rt,
        settings,
        plan,
        paths,
        workDirExport: mustExport ? { [constants/* Env */.o9.WorkDir]: paths.dir } : {},
        writeProfile,
        serveContainers,
        note: (outcome, remainingSeconds) => toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(plan.now), remainingSeconds, needSeconds: plan.need?.seconds, outcome })),
        checkCoverage: (status) => {
            const health = planHealth(plan, status);
            if (health.kind === 'unavailable')
                throw new Error(health.message);
            if (health.kind === 'short')
                (0,shortfall/* shortfall */.S)(short, health.message, status.remainingSeconds);
        },
    };
    // 2. A server already running for this job: reused, replaced (once the new one is ready) or stopped first.
    const running = record ? await settleRunning(step, record) : { reused: false };
    if (running.reused)
        return;
    // 3. Start a new server, 4. check it, and hand later steps over to it.
    await startAndHandOver(step, running.replaced);
}
/**
 * An inherited AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ours makes this step serve containers too; a foreign one is
 * refused with serve-containers, and warned about otherwise. Returns the effective serve-containers.
 */
function settleContainerUri({ toolkit }, asked, inherited) {
    if (inherited === 'ours' && !asked) {
        // SDKs read the relative URI first, and it cannot be unset (botocore fails on an empty one): a loopback-only server
        // would leave it naming an address that is gone.
        toolkit.info(`An earlier keep-alive step of this job exported ${constants/* Env */.o9.ContainerRelativeUri} ('${constants/* Inputs */.G0.ServeContainers}: true'), which SDKs read first and ` +
            `which cannot be unset: this step serves containers too, so that it keeps working.`);
    }
    if (inherited === 'foreign') {
        if (asked) {
            throw new Error(`'${constants/* Inputs */.G0.ServeContainers}: true', but ${constants/* Env */.o9.ContainerRelativeUri} is already set in this job: this runner seems to run in ECS or CodeBuild, ` +
                `which serve their own credentials on ${LINK_LOCAL_ADDRESS}. Refusing to take that address over. ` +
                `Fix: set '${constants/* Inputs */.G0.ServeContainers}: false' (later steps then get the loopback server; see the warning about ${constants/* Env */.o9.ContainerRelativeUri}), or use a runner outside ECS/CodeBuild.`);
        }
        toolkit.warning(`${constants/* Env */.o9.ContainerRelativeUri} is set in this job (by ECS or CodeBuild, or an earlier step). The JS SDK v3, the Java SDK and botocore (AWS CLI, boto3) ` +
            'read it before the full URI this step exports, so they would use those credentials instead of the keep-alive server. ' +
            `This action cannot clear it for you (botocore fails on an empty one). Fix: run those commands with \`env -u ${constants/* Env */.o9.ContainerRelativeUri}\`, ` +
            'or unset it in the runner\'s environment. The Go SDKs read the full URI first and are not affected.', `${constants/* Env */.o9.ContainerRelativeUri} shadows the credential server`);
    }
    return servesContainers(asked, inherited);
}
async function startAndHandOver(step, replaced) {
    const { rt, settings, plan, paths } = step;
    const { toolkit, env } = rt;
    const started = await startServer(rt, { plan, settings, serveContainers: step.serveContainers, paths, replacing: !!replaced });
    const { server, endpoint, ready, status, linkLocal } = started;
    // Nothing leaves the step before these pass: the server covers the need, the account is allowed, the step has not
    // timed out, and what output-credentials and aws-profile need is in place.
    let delivery;
    try {
        step.checkCoverage(status);
        if (ready.maxSessionSeconds !== undefined) {
            toolkit.info(`${plan.role.arn} allows sessions of at most ${(0,duration/* formatDuration */.a)(ready.maxSessionSeconds)}: the server renews them ahead of expiry.`);
        }
        (0,cac_delivery.checkAllowedAccount)(settings, status.assumedRoleArn ?? ready.assumedRoleArn);
        if (rt.deps.signal?.aborted)
            throw new abort/* AbortError */.lc();
        delivery = await deliver(step, { endpoint, token: started.authToken, proofKey: started.proofKey }, started.nonce, rt.deps.signal);
    }
    catch (error) {
        await started.abandon(started.controlClient);
        throw error;
    }
    if (replaced) {
        const { record: old, client: oldClient } = replaced;
        const stopped = await rt.stop(identityOf(old), oldClient);
        // Its address and NAT rules go with it (its own post step finds nothing left to undo).
        await rt.undoLinkLocal(old.linkLocal);
        (0,private_file/* writePrivateFile */.P)(paths.record, JSON.stringify(started.readyRecord));
        if (stopped === 'still-running') {
            toolkit.warning(`The keep-alive credential server this step replaced (pid ${old.pid}) did not stop; later steps use the new one. ` +
                `Its own post step tries again at the end of the job, or stop it now (kill ${old.pid}).`, 'Replaced credential server still running');
        }
    }
    const via = linkLocal ? { relativePath: linkLocal.relativePath } : { authToken: started.authToken };
    handOver(toolkit, settings, env, endpoint, via, plan.region, status, step.workDirExport, delivery);
    toolkit.info(`The keep-alive credential server (pid ${server.pid}) listens on ${endpoint}` +
        (linkLocal ? ` and, for containers, on http://${LINK_LOCAL_ADDRESS} (${constants/* Env */.o9.ContainerRelativeUri}, masked)` : '') +
        '. Later steps read credentials from it ' +
        `and refresh by themselves; the current session lasts until ${ready.expiration}.`);
    step.note(`Keep-alive: started the credential server for ${plan.target}, first session until ${ready.expiration}.`, ready.remainingSeconds);
}

;// CONCATENATED MODULE: ./src/keepalive/fate.ts
/**
 * What became of a credential server, in true words: from its own events in
 * the log (each line names the server that wrote it) and from the process
 * table. A server that is gone without a stop or crash event of its own was
 * killed (SIGKILL, as the OOM killer sends, cannot be caught); one whose
 * process is stopped by a signal (SIGSTOP, state T) is paused, not gone.
 */

/** Reasons a server logs when something asked it to stop (see server-run.ts). */
const ASKED = new Set(['stopped by the post step', 'SIGTERM', 'SIGINT']);
const wasAskedToStop = (end) => end.kind === 'stopped' && ASKED.has(end.reason);
/** How the server with this pid ended, by its own events. Call only once its process is gone. */
function endOf(events, pid) {
    const writers = writerOf(events);
    const own = events.filter((_, i) => writers[i] === pid);
    if (own.length === 0)
        return { kind: 'unknown' };
    for (let i = own.length - 1; i >= 0; i--) {
        const e = own[i];
        if (e.type === 'stopped')
            return { kind: 'stopped', t: e.t, reason: e.reason };
        if (e.type === 'crashed')
            return { kind: 'crashed', t: e.t, reason: e.reason };
    }
    return { kind: 'killed' };
}
const KILLED_WORDS = 'it was killed: it ended without its stop event (SIGKILL, as the OOM killer sends, cannot be caught)';
const pausedWords = (pid) => `is paused (stopped by a signal, SIGSTOP or SIGTSTP): it answers nothing until it is resumed (kill -CONT ${pid})`;

;// CONCATENATED MODULE: ./src/keepalive/status.ts
/**
 * A guard step (without keep-alive) after a keep-alive step, with no static
 * keys in the environment: the session is the server's. Ask it, rather than
 * AWS_CREDENTIAL_EXPIRATION (which it cleared), and say clearly when it is
 * gone. A server that mints for another identity (role, region, account,
 * session policy) is never taken as this step's session.
 * A server is believed only once it has proven it is the job's own (keepalive/proof.ts).
 */















/** Whether a container-credentials URI is one this action's server hands out. */
function isServerEndpoint(uri) {
    if (!uri)
        return false;
    let url;
    try {
        url = new URL(uri);
    }
    catch {
        return false;
    }
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.port !== '' && url.pathname === CREDENTIALS_PATH && !url.search;
}
async function checkRunningServer(toolkit, env, settings, clock = Date.now, clientOf = serverClient, control = process_identity/* realProcessControl */.t) {
    const fullUri = env[constants/* Env */.o9.ContainerFullUri];
    const relativeUri = env[constants/* Env */.o9.ContainerRelativeUri];
    if (!isServerEndpoint(fullUri) && !relativeUri)
        return { kind: 'none' };
    const paths = existingPrivateFolder(env);
    const record = paths ? readJson(paths.record) : undefined;
    let endpoint;
    let token;
    if (isServerEndpoint(fullUri)) {
        endpoint = fullUri;
        token = env[constants/* Env */.o9.ContainerAuthToken] || (record?.endpoint === endpoint ? record.controlToken : '');
    }
    else {
        // serve-containers: the relative URI is ours when the record holds its digest; asked on loopback with the control token.
        if (!relativeUri || !record?.endpoint || !record.relativeUriDigest || relativeUriDigest(relativeUri) !== record.relativeUriDigest)
            return { kind: 'none' };
        endpoint = record.endpoint;
        token = record.controlToken;
    }
    const need = (0,policy/* needOf */.ER)(settings);
    const now = clock();
    // Proven before anything is sent or believed: only the job's record of this endpoint holds the key (keepalive/proof.ts).
    const proofKey = record?.endpoint === endpoint ? record.proofKey : undefined;
    let status;
    try {
        status = await clientOf(endpoint, token, proofKey).status();
    }
    catch (error) {
        if (error instanceof ImpostorError) {
            toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), needSeconds: need?.seconds, outcome: "**Failed**: the process on the credential server's port is not this job's server." }));
        }
        throw error;
    }
    if (!status && record && (0,process_identity/* processState */.L)(record, control) === 'running' && control.paused?.(record.pid) === true) {
        toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), needSeconds: need?.seconds, outcome: '**Failed**: the keep-alive credential server is paused (stopped by a signal).' }));
        throw new Error(`The keep-alive credential server at ${endpoint} (pid ${record.pid}) ${pausedWords(record.pid)}. Later steps get no AWS credentials from it while it is paused.\n` +
            `Fix: resume it (kill -CONT ${record.pid}), or find what stopped it; run this action again with 'keep-alive: true' to start a new server.`);
    }
    if (!status) {
        const message = `The keep-alive credential server at ${endpoint}${record ? ` (pid ${record.pid})` : ''} is not running: ` +
            `${paths ? lastEventText(paths) : 'it left no log'}. Later steps get no AWS credentials from it.\n` +
            "Fix: run this action again with 'keep-alive: true' to start a new server (it says why the old one stopped), " +
            'and look at the runner for what ended the process.';
        toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), needSeconds: need?.seconds, outcome: '**Failed**: the keep-alive credential server is not running.' }));
        throw new Error(message);
    }
    if (settings.roleToAssume && status.identity !== (0,identity/* identityKey */.U)(settings)) {
        return { kind: 'other-identity', serves: status.assumedRoleArn || record?.roleArn || 'another role' };
    }
    if (status.expiration)
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, status.expiration);
    if (status.remainingSeconds !== undefined)
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(status.remainingSeconds));
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'false');
    toolkit.setOutput(constants/* Outputs */.tY.CredentialsEndpoint, endpoint);
    const health = serverHealth(status, need, now, serverCoverReason(status.maxSessionSeconds));
    if (health.kind === 'unavailable') {
        toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need?.seconds, outcome: '**Failed**: the keep-alive credential server serves no credentials now.' }));
        throw new Error(health.message);
    }
    if (health.kind === 'short') {
        (0,shortfall/* shortfall */.S)({ toolkit, failOnShortSession: settings.failOnShortSession, at: now, needSeconds: need?.seconds, title: 'AWS credentials will not last' }, health.message, status.remainingSeconds);
        return { kind: 'settled' };
    }
    if (status.lastError) {
        toolkit.warning(`The keep-alive credential server's last refresh failed: ${status.lastError}. It keeps serving the current session while it is valid and retries with backoff.`, 'Credential server refresh failing');
    }
    toolkit.info(`The keep-alive credential server (${endpoint}) is running and renews credentials ahead of expiry; the current session ` +
        `has ${(0,duration/* formatDuration */.a)(status.remainingSeconds ?? 0)} left. Nothing to do.`);
    toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds: status.remainingSeconds, needSeconds: need?.seconds, outcome: 'Healthy: the keep-alive credential server is running.' }));
    return { kind: 'settled' };
}

;// CONCATENATED MODULE: ./src/keepalive/index.ts
/** What the guard's main step loads, lazily and as one chunk, when keep-alive is involved. */




/***/ }),

/***/ 1747:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ withKnownMax),
/* harmony export */   j: () => (/* binding */ knownMaxOf)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _util_hash_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5138);
/**
 * Role maxima found earlier in the job. STS never says a role's
 * MaxSessionDuration; each refused request to find it is a ValidationError
 * in the customer's CloudTrail. Once found, it is passed on to later steps in
 * AWS_SESSION_GUARD_ROLE_MAX (fingerprints of role ARNs, no account ID), so
 * they ask for what the role allows at once, or fail fast without a call.
 */


function entries(env) {
    const map = new Map();
    for (const item of (env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.RoleMaxSessions] ?? '').split(',')) {
        const [key, max, refused] = item.split(':');
        const seconds = Number(max);
        const refusedSeconds = Number(refused);
        if (key && Number.isInteger(seconds) && seconds > 0) {
            map.set(key, { seconds, ...(Number.isInteger(refusedSeconds) && refusedSeconds > seconds && { refusedSeconds }) });
        }
    }
    return map;
}
function knownMaxOf(env, roleArn) {
    return entries(env).get((0,_util_hash_js__WEBPACK_IMPORTED_MODULE_1__/* .fingerprint */ .R)(roleArn));
}
/** The variable's new value with this role's maximum added (to export). */
function withKnownMax(env, roleArn, max) {
    const map = entries(env);
    map.set((0,_util_hash_js__WEBPACK_IMPORTED_MODULE_1__/* .fingerprint */ .R)(roleArn), max);
    return [...map].map(([key, m]) => `${key}:${m.seconds}:${m.refusedSeconds ?? ''}`).join(',');
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