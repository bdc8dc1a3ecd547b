import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 7242:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G0: () => (/* binding */ Inputs),
/* harmony export */   Uw: () => (/* binding */ State),
/* harmony export */   gP: () => (/* binding */ WorkDirName),
/* harmony export */   ht: () => (/* binding */ Sts),
/* harmony export */   o9: () => (/* binding */ Env),
/* harmony export */   tY: () => (/* binding */ Outputs)
/* harmony export */ });
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
const WorkDirName = 'aws-session-guard';


/***/ }),

/***/ 6502:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _K: () => (/* binding */ markerMatches),
/* harmony export */   gY: () => (/* binding */ parseMarker),
/* harmony export */   u: () => (/* binding */ markerValue)
/* harmony export */ });
/* harmony import */ var _util_hash_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5138);
/**
 * The session marker: exported beside static keys, it binds their expiry and
 * the configuration that minted them to those exact keys. When another step
 * replaces the keys, the marker no longer matches them, and the expiry is
 * unknown again. It holds fingerprints only, no secret.
 */

const VERSION = 'v1';
function markerValue(accessKeyId, identity) {
    return `${VERSION}:${(0,_util_hash_js__WEBPACK_IMPORTED_MODULE_0__/* .fingerprint */ .R)(accessKeyId)}:${identity}`;
}
function parseMarker(value) {
    const parts = (value ?? '').split(':');
    if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2])
        return undefined;
    return { keys: parts[1], identity: parts[2] };
}
/** Whether the marker was exported with these keys. */
function markerMatches(marker, accessKeyId) {
    return !!marker && !!accessKeyId && marker.keys === (0,_util_hash_js__WEBPACK_IMPORTED_MODULE_0__/* .fingerprint */ .R)(accessKeyId);
}


/***/ }),

/***/ 4019:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Jo: () => (/* binding */ exportStaticCredentials),
/* harmony export */   Wl: () => (/* binding */ exportMasked),
/* harmony export */   d2: () => (/* binding */ exportIdentityOutputs),
/* harmony export */   q4: () => (/* binding */ serverCredentialVariables),
/* harmony export */   xX: () => (/* binding */ accountIdsToMask)
/* harmony export */ });
/* unused harmony export staticCredentialVariables */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7242);
/* harmony import */ var _settings_arn_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6134);
/* harmony import */ var _marker_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6502);
/**
 * What later steps see. Every secret is masked before anything is written,
 * and each set of variables goes out in one write, so a failure never leaves
 * half a credential set exported.
 */



/**
 * Static credentials for later steps, with their expiry, region, and the
 * session marker that ties the expiry and `identity` (identityKey() of the
 * settings that minted them) to these exact keys.
 */
function staticCredentialVariables(credentials, region, identity) {
    return {
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId]: credentials.accessKeyId,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey]: credentials.secretAccessKey,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken]: credentials.sessionToken,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration]: credentials.expiration.toISOString(),
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionMarker]: (0,_marker_js__WEBPACK_IMPORTED_MODULE_1__/* .markerValue */ .u)(credentials.accessKeyId, identity),
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.Region]: region,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.DefaultRegion]: region,
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
function serverCredentialVariables(endpoint, authToken, region) {
    return {
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionMarker]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.WebIdentityTokenFile]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.RoleArn]: '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.ContainerFullUri]: endpoint,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.ContainerAuthToken]: authToken,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.Region]: region,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.DefaultRegion]: region,
    };
}
/** Masks the secrets first, then exports all variables in one write. */
function exportMasked(toolkit, variables, secrets) {
    for (const secret of secrets)
        toolkit.setSecret(secret);
    toolkit.exportVariables(variables);
}
function exportStaticCredentials(toolkit, credentials, region, identity) {
    exportMasked(toolkit, staticCredentialVariables(credentials, region, identity), [
        credentials.accessKeyId,
        credentials.secretAccessKey,
        credentials.sessionToken,
    ]);
}
/**
 * The outputs that hold the account ID (aws-account-id, authenticated-arn).
 * With mask-aws-account-id they are dropped, as the runner would drop an
 * output holding a masked value anyway; it is said once in the log.
 */
function exportIdentityOutputs(toolkit, settings, assumedRoleArn) {
    if (!assumedRoleArn)
        return;
    if (settings.maskAwsAccountId) {
        toolkit.info(`'mask-aws-account-id' is on: the ${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsAccountId} and ${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AuthenticatedArn} outputs are not set.`);
        return;
    }
    const accountId = (0,_settings_arn_js__WEBPACK_IMPORTED_MODULE_2__/* .accountIdOf */ .Ow)(assumedRoleArn);
    if (accountId)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsAccountId, accountId);
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AuthenticatedArn, assumedRoleArn);
}
/** Account IDs to mask before the first line is printed: those of the roles the settings name. */
function accountIdsToMask(settings) {
    if (!settings.maskAwsAccountId)
        return [];
    return [...new Set([settings.roleToAssume?.accountId, settings.chainedRoleToAssume?.accountId].filter((a) => !!a))];
}


/***/ }),

/***/ 9517:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   ER: () => (/* binding */ needOf),
/* harmony export */   G6: () => (/* binding */ requestedDurationSeconds),
/* harmony export */   UQ: () => (/* binding */ SKEW_WARNING_SECONDS),
/* harmony export */   _I: () => (/* binding */ lookupExpiry),
/* harmony export */   _Z: () => (/* binding */ sessionCeiling),
/* harmony export */   bt: () => (/* binding */ coversNeed),
/* harmony export */   no: () => (/* binding */ assess),
/* harmony export */   q6: () => (/* binding */ keepAliveCoverUntil),
/* harmony export */   rX: () => (/* binding */ remainingAtIssue),
/* harmony export */   yk: () => (/* binding */ clockSkewSeconds)
/* harmony export */ });
/* unused harmony exports CLOCK_RESOLUTION_SECONDS, PREFERRED_LEAD_SECONDS, refreshLeadSeconds, minServableSeconds, refreshTickMs, TRANSIENT_RETRY_CEILING_MS, PERMANENT_RETRY_CEILING_MS, refreshRetryDelayMs */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7242);
/* harmony import */ var _settings_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1145);
/* harmony import */ var _export_marker_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(6502);
/* harmony import */ var _util_retry_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(4266);
/**
 * The lifetime policy: how long the work needs, what the current session
 * gives, what to ask STS for, and when the keep-alive server refreshes. Pure
 * functions of numbers and dates; no I/O.
 */




function needOf(settings) {
    const { expectedDurationSeconds: e, safetyMarginSeconds: m } = settings;
    return {
        seconds: e + m,
        explanation: `${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(e)} expected-duration + ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(m)} safety-margin = ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(e + m)}`,
    };
}
/** The longest single session STS can give for this configuration. */
function sessionCeiling(settings) {
    return settings.chainedRoleToAssume ? _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Sts */ .ht.ChainedMaxSeconds : _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Sts */ .ht.MaxDurationSeconds;
}
/** DurationSeconds to ask for: the explicit input, else enough for the need, at least 1 h, at most the ceiling. */
function requestedDurationSeconds(settings, need) {
    const ceiling = sessionCeiling(settings);
    if (settings.roleDurationSeconds !== undefined)
        return Math.min(settings.roleDurationSeconds, ceiling);
    return Math.min(ceiling, Math.max(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Sts */ .ht.DefaultDurationSeconds, need.seconds));
}
const INPUT_SOURCE = "the 'expiration' input";
function parseExpiry(value, source) {
    const t = Date.parse(value.trim());
    if (Number.isNaN(t))
        return { kind: 'invalid', source, value };
    return { kind: 'known', expiry: { at: new Date(t), source } };
}
/**
 * The current session's expiry. An expiry describes one set of keys:
 * - AWS_CREDENTIAL_EXPIRATION counts only for the keys this action exported it
 *   with (the session marker matches them); after another step replaced the
 *   keys, or without the marker, it says nothing about the keys now in place.
 * - The `expiration` input describes keys this action did not export (those of
 *   configure-aws-credentials, say): beside keys this action exported, it is
 *   ignored; with no keys in the environment, it describes nothing.
 */
function lookupExpiry(keys, input) {
    const keyId = keys.accessKeyId?.trim() || undefined;
    const marker = (0,_export_marker_js__WEBPACK_IMPORTED_MODULE_3__/* .parseMarker */ .gY)(keys.marker);
    const envValue = keys.expiration?.trim() || undefined;
    if ((0,_export_marker_js__WEBPACK_IMPORTED_MODULE_3__/* .markerMatches */ ._K)(marker, keyId) && marker) {
        if (envValue === undefined)
            return { kind: 'unknown', why: `${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration} was removed after this action exported the keys` };
        const found = parseExpiry(envValue, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration);
        if (found.kind !== 'known')
            return found;
        return { ...found, mintedFor: marker.identity, ...(input && { inputIgnored: true }) };
    }
    if (keyId === undefined) {
        return { kind: 'unknown', why: input ? `${INPUT_SOURCE} is set, but no AWS keys are in the environment` : 'no AWS keys are in the environment' };
    }
    if (input)
        return { kind: 'known', expiry: { at: input, source: INPUT_SOURCE } };
    if (marker)
        return { kind: 'unknown', why: 'another step replaced the AWS keys that this action exported, and their expiry was not given' };
    return {
        kind: 'unknown',
        why: envValue !== undefined ? `${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration} was not exported by this action with these keys` : 'the AWS keys in the environment have no known expiry',
    };
}
function assess(expiration, nowMs, need) {
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
function remainingAtIssue(expiration, serverDate, receivedAt, grantedSeconds) {
    const now = serverDate ? serverDate.getTime() : receivedAt;
    const remaining = Math.floor((expiration.getTime() - now) / 1000);
    return grantedSeconds === undefined ? remaining : Math.min(grantedSeconds, remaining);
}
/** The STS clock is read to the second: a session within this much of the need covers it. */
const CLOCK_RESOLUTION_SECONDS = 1;
function coversNeed(remainingSeconds, need) {
    return remainingSeconds + CLOCK_RESOLUTION_SECONDS >= need.seconds;
}
/** Local clock minus the STS server's clock, in seconds (positive: the runner is ahead). */
function clockSkewSeconds(serverDate, receivedAt, latencyMs) {
    if (!serverDate)
        return undefined;
    // The Date header has 1 s resolution and was stamped somewhere within the round trip.
    const skewMs = receivedAt - latencyMs / 2 - serverDate.getTime();
    return Math.round(skewMs / 1000);
}
const SKEW_WARNING_SECONDS = 300;
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
/**
 * With keep-alive, the job can mint new sessions until the OIDC request token
 * expires, and the last one lasts as long as a session does: the role's
 * maximum once known, the STS ceiling before, and never more than the latest
 * session actually got. The result is the latest moment (ms) the job can have
 * credentials; undefined when the request token's expiry is unknown.
 */
function keepAliveCoverUntil(requestTokenExpiresAt, ceilingSeconds, current) {
    if (requestTokenExpiresAt === undefined)
        return undefined;
    const sessionSeconds = Math.min(current?.maxSessionSeconds ?? ceilingSeconds, current?.lifetimeSeconds ?? ceilingSeconds);
    return Math.max(current?.expiresAt ?? 0, requestTokenExpiresAt + sessionSeconds * 1000);
}


/***/ }),

/***/ 7540:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ shortfall)
/* harmony export */ });
/* unused harmony export ShortSessionError */
/* harmony import */ var _report_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7994);

/** A shortfall with fail-on-short-session: the step fails with this message. */
class ShortSessionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ShortSessionError';
    }
}
/** Fails (throws ShortSessionError) or warns, and notes which in the job summary. */
function shortfall(ctx, message, remainingSeconds) {
    const headline = message.split('\n')[0] ?? message;
    ctx.toolkit.appendSummary((0,_report_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .summaryLine */ .d)({
        at: new Date(ctx.at),
        remainingSeconds,
        needSeconds: ctx.needSeconds,
        outcome: `${ctx.failOnShortSession ? '**Failed**' : 'Warned'}: ${headline}`,
    }));
    if (ctx.failOnShortSession)
        throw new ShortSessionError(message);
    ctx.toolkit.warning(message, ctx.title);
}


/***/ }),

/***/ 7994:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ summaryLine)
/* harmony export */ });
/* unused harmony export hhmmss */
/* harmony import */ var _settings_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1145);
/** The job summary: one line per guard run, and the keep-alive timeline. */

const hhmmss = (d) => d.toISOString().slice(11, 19) + 'Z';
function summaryLine(line) {
    const remaining = line.remainingSeconds === undefined ? 'unknown' : (0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(line.remainingSeconds);
    return `- **aws-session-guard** ${hhmmss(line.at)}: remaining ${remaining}, need ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(line.needSeconds)}. ${line.outcome}\n`;
}



/***/ }),

/***/ 6134:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   DM: () => (/* binding */ parseRoleArn),
/* harmony export */   Ow: () => (/* binding */ accountIdOf),
/* harmony export */   Sx: () => (/* binding */ isPolicyArn)
/* harmony export */ });
/**
 * IAM role and policy ARNs, as STS accepts them.
 *
 * Every check here is linear in the input's length: fixed-width prefixes, then
 * plain scans. No pattern has a quantifier inside a quantifier, so no input can
 * make them backtrack (a role path such as `a/a/a/.../!` once took seconds).
 */
/** Everything up to and including `role/`; the path and name are checked after it, without a pattern. */
const ROLE_PREFIX = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}):role\//;
/** IAM role names: 1 to 64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM paths may hold any ASCII character from `!` to `~` (no spaces, no controls). */
const PATH_CHARS = /^[\x21-\x7e]*$/;
function parseRoleArn(text) {
    const arn = text.trim();
    const m = ROLE_PREFIX.exec(arn);
    const partition = m?.[1];
    const accountId = m?.[2];
    if (!m || !partition || !accountId)
        return undefined;
    // After `role/`: an optional path (`seg/.../`) and the name. A name has no
    // slash, so the name is whatever follows the last one.
    const rest = arn.slice(m[0].length);
    const slash = rest.lastIndexOf('/');
    const path = rest.slice(0, slash + 1);
    const roleName = rest.slice(slash + 1);
    // The full path is `/` + path: either `/` alone, or `/x.../` with at least one character between the slashes.
    if (path !== '' && (path.length < 2 || !PATH_CHARS.test(path)))
        return undefined;
    if (!ROLE_NAME.test(roleName))
        return undefined;
    return { arn, partition, accountId, roleName };
}
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}|aws):policy\/[\x21-\x7e]+$/;
function isPolicyArn(text) {
    return POLICY_ARN.test(text);
}
/** Account id from an assumed-role ARN such as `arn:aws:sts::123456789012:assumed-role/R/S`. */
function accountIdOf(arn) {
    return /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(arn)?.[1];
}


/***/ }),

/***/ 1145:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ parseDuration),
/* harmony export */   a: () => (/* binding */ formatDuration)
/* harmony export */ });
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
function formatDuration(totalSeconds) {
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


/***/ }),

/***/ 9251:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ identityKey),
/* harmony export */   b: () => (/* binding */ targetRoleArn)
/* harmony export */ });
/* harmony import */ var _util_hash_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5138);
/**
 * What a configuration mints: the role (and chained role), region, STS
 * endpoint, audience, session name and session policy. Two steps with the
 * same identity can share a session; a step with another identity never
 * takes a session minted for a different one as its own.
 */

/** A short key for the identity: equal keys mint the same kind of session. */
function identityKey(settings) {
    return (0,_util_hash_js__WEBPACK_IMPORTED_MODULE_0__/* .fingerprint */ .R)(JSON.stringify([
        settings.roleToAssume?.arn ?? null,
        settings.chainedRoleToAssume?.arn ?? null,
        settings.region ?? null,
        settings.audience,
        settings.stsEndpoint ?? null,
        settings.roleSessionName,
        settings.inlineSessionPolicy ?? null,
        settings.managedSessionPolicies,
    ]));
}
/** For messages: the role whose session later steps run as. */
function targetRoleArn(settings) {
    return (settings.chainedRoleToAssume ?? settings.roleToAssume)?.arn;
}


/***/ }),

/***/ 3235:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ resolveStsEndpoint)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7242);
/** Which STS endpoint to call: the input, else the SDK's own endpoint variables (resolved once, so the server needs no AWS_* env). */

function resolveStsEndpoint(settings, env) {
    return settings.stsEndpoint ?? (env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.EndpointUrlSts] || undefined) ?? (env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.EndpointUrl] || undefined);
}


/***/ }),

/***/ 2334:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Mu: () => (/* binding */ raceAbort),
/* harmony export */   lc: () => (/* binding */ AbortError)
/* harmony export */ });
/* unused harmony exports isAbortError, throwIfAborted */
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
/** An error from an aborted operation: ours, Node's (`AbortError`, `ABORT_ERR`), or the SDK's. */
function isAbortError(error) {
    if (typeof error !== 'object' || error === null)
        return false;
    const e = error;
    return e.name === 'AbortError' || e.code === 'ABORT_ERR';
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

/***/ 5138:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ fingerprint)
/* harmony export */ });
/**
 * FNV-1a, 64 bit: a short, stable fingerprint of a string. Not a secret-safe
 * hash; used to tell one set of keys or one configuration from another
 * without loading node:crypto on the healthy guard path.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
function fingerprint(text) {
    let h = OFFSET;
    for (let i = 0; i < text.length; i++) {
        h ^= BigInt(text.charCodeAt(i));
        h = (h * PRIME) & MASK;
    }
    return h.toString(16).padStart(16, '0');
}


/***/ }),

/***/ 4266:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.r(__webpack_exports__);
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_RETRY: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   abortableSleep: () => (/* binding */ abortableSleep),
/* harmony export */   backoffDelay: () => (/* binding */ backoffDelay),
/* harmony export */   realRetryDeps: () => (/* binding */ realRetryDeps),
/* harmony export */   withRetry: () => (/* binding */ withRetry)
/* harmony export */ });
/* harmony import */ var _abort_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2334);
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


/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXTERNAL MODULE: ./src/constants.ts
var constants = __nccwpck_require__(7242);
// EXTERNAL MODULE: ./src/export/variables.ts
var variables = __nccwpck_require__(4019);
// EXTERNAL MODULE: ./src/settings/arn.ts
var settings_arn = __nccwpck_require__(6134);
// EXTERNAL MODULE: ./src/settings/identity.ts
var identity = __nccwpck_require__(9251);
// EXTERNAL MODULE: ./src/lifetime/shortfall.ts
var lifetime_shortfall = __nccwpck_require__(7540);
// EXTERNAL MODULE: ./src/lifetime/policy.ts
var policy = __nccwpck_require__(9517);
// EXTERNAL MODULE: ./src/settings/duration.ts
var settings_duration = __nccwpck_require__(1145);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __nccwpck_require__(7994);
;// CONCATENATED MODULE: ./src/guard/messages.ts
/** The words of a shortfall: what is wrong, how it was computed, and the fixes. */


const keepAliveFix = `set '${constants/* Inputs */.G0.KeepAlive}: true' so a local credential server renews the session through GitHub OIDC for as long as the job runs`;
function roleTooShortMessage(role, maxSeconds, refusedSeconds, need) {
    const refused = refusedSeconds - maxSeconds <= 1 ? '' : `; ${(0,settings_duration/* formatDuration */.a)(refusedSeconds)} was refused`;
    const wanted = Math.min(43200, Math.ceil(need.seconds / 3600) * 3600);
    return (`The role ${role.arn} has a maximum session of ${(0,settings_duration/* formatDuration */.a)(maxSeconds)} (${maxSeconds} s${refused}), ` +
        `but the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} ` +
        `(${need.explanation}).\n` +
        `Fix: raise the role's maximum: aws iam update-role --role-name ${role.roleName} --max-session-duration ${wanted}\n` +
        (need.seconds > 43200 ? '(IAM allows at most 43200 s, 12 h.)\n' : '') +
        `  or ${keepAliveFix},\n  or lower '${constants/* Inputs */.G0.ExpectedDuration}' if the work is shorter.`);
}
function chainTooShortMessage(role, need) {
    return (`The chained role ${role.arn} is assumed by role chaining, which AWS caps at 1h (3600 s), but the work needs ` +
        `${(0,settings_duration/* formatDuration */.a)(need.seconds)} (${need.explanation}).\n` +
        `Fix: ${keepAliveFix} (it re-assumes the chain before each hour ends),\n` +
        `  or assume ${role.arn} directly through OIDC as '${constants/* Inputs */.G0.RoleToAssume}' (trust token.actions.githubusercontent.com in its trust policy).`);
}
function beyondAnySessionMessage(need) {
    return (`No single AWS session can last ${(0,settings_duration/* formatDuration */.a)(need.seconds)} (${need.explanation}): STS gives at most 12h (43200 s).\n` +
        `Fix: ${keepAliveFix}.`);
}
function noRoleMessage(state, need, remainingSeconds) {
    const what = state === 'unknown'
        ? 'The current AWS session expiry is unknown: AWS_CREDENTIAL_EXPIRATION is not set and no \'expiration\' input was given'
        : state === 'expired'
            ? `The current AWS session expired ${(0,settings_duration/* formatDuration */.a)(-(remainingSeconds ?? 0))} ago`
            : `The current AWS session has ${(0,settings_duration/* formatDuration */.a)(remainingSeconds ?? 0)} left`;
    return (`${what}, and the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} (${need.explanation}).\n` +
        `Fix: give '${constants/* Inputs */.G0.RoleToAssume}' and '${constants/* Inputs */.G0.AwsRegion}' so the guard can re-assume the role through GitHub OIDC` +
        (state === 'unknown'
            ? `, or pass the session's expiry as '${constants/* Inputs */.G0.Expiration}' (e.g. \${{ steps.creds.outputs.aws-expiration }} from configure-aws-credentials).`
            : '.'));
}
function shortAfterRefreshMessage(role, remainingSeconds, need) {
    return (`STS gave ${role.arn} a session with ${(0,settings_duration/* formatDuration */.a)(remainingSeconds)} left, but the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} ` +
        `(${need.explanation}).\nFix: raise '${constants/* Inputs */.G0.RoleDurationSeconds}' (or leave it out), or ${keepAliveFix}.`);
}

;// CONCATENATED MODULE: ./src/guard/guard.ts
/**
 * The guard: is the current session long enough for the work ahead? If so,
 * say so without touching the network. If not, mint a fresh one through
 * GitHub OIDC and export it, or fail in seconds with the role's real limit.
 */









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
    const need = (0,policy/* needOf */.ER)(settings);
    const now = clock();
    const note = (remainingSeconds, outcome) => toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds, needSeconds: need.seconds, outcome }));
    const ctx = { toolkit, failOnShortSession: settings.failOnShortSession, at: now, needSeconds: need.seconds, title: 'AWS session too short' };
    const shortfall = (message, remainingSeconds) => {
        (0,lifetime_shortfall/* shortfall */.S)(ctx, message, remainingSeconds);
        return { kind: 'warned', message };
    };
    const { env } = deps;
    const lookup = (0,policy/* lookupExpiry */._I)({ accessKeyId: env[constants/* Env */.o9.AccessKeyId], expiration: env[constants/* Env */.o9.CredentialExpiration], marker: env[constants/* Env */.o9.SessionMarker] }, settings.expiration);
    if (lookup.kind === 'invalid') {
        toolkit.warning(`${lookup.source} is "${lookup.value}", not an ISO 8601 time; treating the session expiry as unknown.`);
    }
    else if (lookup.kind === 'unknown' && lookup.why) {
        toolkit.info(`The current AWS session expiry is unknown: ${lookup.why}.`);
    }
    else if (lookup.kind === 'known' && lookup.inputIgnored) {
        toolkit.info(`The 'expiration' input is ignored: the AWS keys in the environment are the ones this action exported, with their own expiry.`);
    }
    // A session minted for another configuration (role, region, account, session policy) is never this step's.
    const foreign = lookup.kind === 'known' && !!settings.roleToAssume && lookup.mintedFor !== undefined && lookup.mintedFor !== (0,identity/* identityKey */.U)(settings);
    const known = lookup.kind === 'known' && !foreign ? lookup.expiry : undefined;
    const assessment = (0,policy/* assess */.no)(known?.at, now, need);
    if (assessment.kind === 'healthy' && known) {
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, known.at.toISOString());
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(assessment.remainingSeconds));
        toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'false');
        toolkit.info(`The AWS session has ${(0,settings_duration/* formatDuration */.a)(assessment.remainingSeconds)} left (until ${known.at.toISOString()}, from ` +
            `${known.source}); the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} (${need.explanation}). Nothing to do.`);
        note(assessment.remainingSeconds, 'Healthy: kept the current session.');
        return { kind: 'healthy', remainingSeconds: assessment.remainingSeconds, expiration: known.at };
    }
    // Not healthy: unknown, expired or short.
    const state = assessment.kind === 'healthy' ? 'short' : assessment.kind;
    const remainingBefore = assessment.kind === 'unknown' ? undefined : assessment.remainingSeconds;
    if (!settings.roleToAssume) {
        return shortfall(noRoleMessage(state, need, remainingBefore), remainingBefore);
    }
    toolkit.info(foreign
        ? `The AWS session in the environment was minted by an earlier step for another role, region or session policy; assuming ${settings.roleToAssume.arn} through GitHub OIDC.`
        : assessment.kind === 'unknown'
            ? `The current AWS session expiry is unknown; assuming ${settings.roleToAssume.arn} through GitHub OIDC.`
            : `The AWS session has ${(0,settings_duration/* formatDuration */.a)(Math.max(0, remainingBefore ?? 0))} left; the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} ` +
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
    if (need.seconds > (0,policy/* sessionCeiling */._Z)(settings)) {
        const message = settings.chainedRoleToAssume
            ? chainTooShortMessage(settings.chainedRoleToAssume, need)
            : beyondAnySessionMessage(need);
        shortfall(message);
        warned = true;
    }
    const minter = await deps.loadMinter(settings, (token) => toolkit.setSecret(token.value));
    const longest = await minter.mintLongest(mintPlan(settings, (0,policy/* requestedDurationSeconds */.G6)(settings, need)));
    const { session, max } = longest;
    const { credentials } = session;
    const skew = (0,policy/* clockSkewSeconds */.yk)(session.serverDate, session.receivedAt, session.latencyMs);
    if (skew !== undefined && Math.abs(skew) > policy/* SKEW_WARNING_SECONDS */.UQ) {
        toolkit.warning(`The runner's clock is ${(0,settings_duration/* formatDuration */.a)(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} AWS STS's clock. ` +
            'Remaining session time is computed on the STS clock, but AWS rejects signed requests past 15 minutes of skew: fix the runner clock (NTP).', 'Clock skew');
    }
    if (max) {
        toolkit.setOutput(constants/* Outputs */.tY.MaxSessionDuration, String(max.seconds));
        toolkit.info(`${role.arn} refused ${max.refusedSeconds} s; its maximum session is ${(0,settings_duration/* formatDuration */.a)(max.seconds)} (${max.seconds} s).`);
    }
    const remainingSeconds = (0,policy/* remainingAtIssue */.rX)(credentials.expiration, session.serverDate, session.receivedAt, session.durationSeconds);
    const short = !(0,policy/* coversNeed */.bt)(remainingSeconds, need);
    if (short && !warned) {
        const targetRole = settings.chainedRoleToAssume ?? role;
        const message = max?.scope === 'chain'
            ? chainTooShortMessage(targetRole, need)
            : max
                ? roleTooShortMessage(targetRole, max.seconds, max.refusedSeconds, need)
                : shortAfterRefreshMessage(targetRole, remainingSeconds, need);
        shortfall(message, remainingSeconds);
    }
    const accountId = (0,settings_arn/* accountIdOf */.Ow)(session.assumedRoleArn);
    if (accountId && settings.maskAwsAccountId)
        toolkit.setSecret(accountId);
    (0,variables/* exportStaticCredentials */.Jo)(toolkit, credentials, settings.region, (0,identity/* identityKey */.U)(settings));
    toolkit.setOutput(constants/* Outputs */.tY.Expiration, credentials.expiration.toISOString());
    toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(remainingSeconds));
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'true');
    (0,variables/* exportIdentityOutputs */.d2)(toolkit, settings, session.assumedRoleArn);
    toolkit.info(`Assumed ${session.assumedRoleArn || role.arn}: the session lasts until ${credentials.expiration.toISOString()} ` +
        `(${(0,settings_duration/* formatDuration */.a)(remainingSeconds)} on the STS clock). Exported AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ` +
        'AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION to later steps.' +
        (deps.env[constants/* Env */.o9.ContainerFullUri] ? ' They come before the keep-alive server in every SDK chain, so later steps run as this role.' : ''));
    if (!short) {
        note(remainingSeconds, `Refreshed: assumed ${settings.chainedRoleToAssume?.arn ?? role.arn} until ${credentials.expiration.toISOString()}.`);
    }
    return { kind: 'refreshed', remainingSeconds, expiration: credentials.expiration, short };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
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
    return `::${name}${p ? ' ' + p : ''}::${escapeData(message)}${external_node_os_.EOL}`;
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
    return `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`;
}
function createToolkit(io) {
    const { env } = io;
    const appendTo = (fileVar, text) => {
        const file = env[fileVar];
        if (!file)
            return false;
        (0,external_node_fs_.appendFileSync)(file, text, { encoding: 'utf8' });
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
            if (!appendTo(constants/* Env */.o9.GithubOutput, fileCommandEntry(name, value))) {
                io.write(`${external_node_os_.EOL}${command('set-output', value, { name })}`);
            }
        },
        saveState: (name, value) => {
            if (!appendTo(constants/* Env */.o9.GithubState, fileCommandEntry(name, value))) {
                io.write(command('save-state', value, { name }));
            }
        },
        getState: (name) => env[`STATE_${name}`] ?? '',
        exportVariables: (vars) => {
            const block = Object.entries(vars)
                .map(([name, value]) => fileCommandEntry(name, value))
                .join('');
            if (!appendTo(constants/* Env */.o9.GithubEnv, block)) {
                throw new Error(`${constants/* Env */.o9.GithubEnv} is not set: this action must run as a step of a GitHub Actions job.`);
            }
            for (const [name, value] of Object.entries(vars))
                env[name] = value;
        },
        appendSummary: (markdown) => {
            appendTo(constants/* Env */.o9.GithubStepSummary, markdown.endsWith(external_node_os_.EOL) ? markdown : markdown + external_node_os_.EOL);
        },
        info: (message) => io.write(message + external_node_os_.EOL),
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

;// CONCATENATED MODULE: ./src/settings/settings.ts
/**
 * The one place inputs are read and checked. Everything else takes a
 * `Settings` value. Every problem is collected, so one run shows them all, and
 * is reported before any network call.
 */



class SettingsError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? `Invalid input: ${problems[0]}`
            : `${problems.length} invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'SettingsError';
    }
}
/** The longest job GitHub allows (self-hosted: 5 days); anything above is a typo. */
const MAX_EXPECTED_SECONDS = 5 * 86400;
const MAX_MARGIN_SECONDS = 6 * 3600;
const MAX_RETRY_ATTEMPTS = 20;
const MAX_MANAGED_POLICIES = 10;
/** AWS: an inline session policy is at most 2,048 characters (after removing whitespace). */
const MAX_INLINE_POLICY_CHARS = 2048;
/*
 * Every pattern below sees raw input, so each is linear in the input's length:
 * anchored, and no quantifier inside another or next to one that matches the
 * same characters. __tests__/unit/input-patterns.test.ts times them on 10 kB
 * inputs built to make a backtracking pattern blow up.
 */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
/**
 * us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1, ...: an area, an
 * optional qualifier, a direction, a number. Checked part by part, as one
 * pattern the optional qualifier and the direction could both match `-xy`.
 */
function isRegion(text) {
    const parts = text.split('-');
    if (parts.length < 3 || parts.length > 4)
        return false;
    const [area = '', ...rest] = parts;
    const [number = '', direction = '', qualifier] = rest.reverse();
    return (/^(?:[a-z]{2}|eusc)$/.test(area) &&
        (qualifier === undefined || /^(?:gov|iso[a-z]?|[a-z]{2})$/.test(qualifier)) &&
        /^[a-z]+$/.test(direction) &&
        /^\d{1,2}$/.test(number));
}
/** An ISO 8601 time with a real calendar date (Date.parse turns 2026-02-30 into March 2). */
function parseIsoTime(text) {
    const m = ISO_8601.exec(text);
    if (!m)
        return NaN;
    const [, y, mo, d, h, mi, s] = m.map(Number);
    if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined)
        return NaN;
    const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || (s ?? 0) > 59)
        return NaN;
    return Date.parse(text);
}
/**
 * A URL as it may be shown: any user info (`user:password@`) replaced by `***`.
 * Errs on the side of hiding: it takes everything before the last `@` of the
 * authority, as the URL parser does, and works on text that is not a URL.
 */
function redactUrl(text) {
    const scheme = /^[a-z][a-z\d+.-]*:/i.exec(text)?.[0].length ?? 0;
    let start = scheme;
    while (text[start] === '/' || text[start] === '\\')
        start++;
    let end = text.length;
    for (const stop of ['/', '?', '#']) {
        const i = text.indexOf(stop, start);
        if (i !== -1 && i < end)
            end = i;
    }
    const at = text.lastIndexOf('@', end - 1);
    return at < start ? text : `${text.slice(0, start)}***${text.slice(at)}`;
}
/**
 * Plain http is accepted only where the SDKs accept it for credentials too:
 * loopback. The URL parser has already normalised the host (lower case,
 * IPv4 in dotted decimal, IPv6 compressed and in brackets).
 */
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
function defaultSessionName(env) {
    const parts = ['GitHubActions', env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter((p) => !!p && /^[\w+=,.@-]+$/.test(p));
    return parts.join('-').slice(0, 64);
}
function readSettings(getInput, env) {
    const problems = [];
    const bad = (name, value, what, fix) => {
        const shown = value === undefined ? '' : ` (got "${value}")`;
        problems.push(`'${name}'${shown} ${what}. ${fix}`);
        return undefined;
    };
    const bool = (name, fallback) => {
        const raw = getInput(name);
        if (raw === '')
            return fallback;
        if (['true', 'True', 'TRUE'].includes(raw))
            return true;
        if (['false', 'False', 'FALSE'].includes(raw))
            return false;
        bad(name, raw, 'is not a boolean', 'Use true or false.');
        return fallback;
    };
    const role = (name) => {
        const raw = getInput(name);
        if (raw === '')
            return undefined;
        return ((0,settings_arn/* parseRoleArn */.DM)(raw) ??
            bad(name, raw, 'is not an IAM role ARN', 'Use the full ARN, e.g. arn:aws:iam::123456789012:role/deploy.'));
    };
    const duration = (name, fallback, min, max) => {
        const raw = getInput(name) || fallback;
        const seconds = (0,settings_duration/* parseDuration */.E)(raw);
        const form = 'Use whole numbers with d, h, m, s, largest first, such as 90m, 2h, 1h30m, or whole seconds (5400).';
        if (seconds === undefined)
            return bad(name, raw, 'is not a duration', form) ?? min;
        if (seconds < min)
            return bad(name, raw, `must be at least ${(0,settings_duration/* formatDuration */.a)(min)}`, form) ?? min;
        if (seconds > max) {
            return bad(name, raw, `is longer than ${(0,settings_duration/* formatDuration */.a)(max)}, more than any job can run`, form) ?? min;
        }
        return seconds;
    };
    const roleToAssume = role(constants/* Inputs */.G0.RoleToAssume);
    const chainedRoleToAssume = role(constants/* Inputs */.G0.ChainedRoleToAssume);
    if (chainedRoleToAssume && !roleToAssume && getInput(constants/* Inputs */.G0.RoleToAssume) === '') {
        bad(constants/* Inputs */.G0.ChainedRoleToAssume, undefined, "needs 'role-to-assume'", 'Give the role that GitHub OIDC assumes first.');
    }
    const regionRaw = getInput(constants/* Inputs */.G0.AwsRegion);
    let region;
    if (regionRaw !== '') {
        region = isRegion(regionRaw)
            ? regionRaw
            : bad(constants/* Inputs */.G0.AwsRegion, regionRaw, 'is not an AWS region', 'Use a region code such as us-east-1 or eu-west-2.');
    }
    else if (getInput(constants/* Inputs */.G0.RoleToAssume) !== '') {
        bad(constants/* Inputs */.G0.AwsRegion, undefined, "is required with 'role-to-assume'", 'Add e.g. aws-region: us-east-1.');
    }
    const audience = getInput(constants/* Inputs */.G0.Audience) || constants/* Sts */.ht.DefaultAudience;
    if (/\s/.test(audience)) {
        bad(constants/* Inputs */.G0.Audience, audience, 'must be a non-empty value without spaces', `Leave it out for ${constants/* Sts */.ht.DefaultAudience}.`);
    }
    const sessionRaw = getInput(constants/* Inputs */.G0.RoleSessionName);
    const roleSessionName = sessionRaw || defaultSessionName(env) || 'GitHubActions';
    if (sessionRaw !== '' && !SESSION_NAME.test(sessionRaw)) {
        bad(constants/* Inputs */.G0.RoleSessionName, sessionRaw, 'must be 2 to 64 characters of letters, digits and +=,.@_-', 'Remove other characters (spaces, slashes, colons) or leave it out for a name derived from the run.');
    }
    const expectedDurationSeconds = duration(constants/* Inputs */.G0.ExpectedDuration, '1h', 1, MAX_EXPECTED_SECONDS);
    const safetyMarginSeconds = duration(constants/* Inputs */.G0.SafetyMargin, '5m', 0, MAX_MARGIN_SECONDS);
    let roleDurationSeconds;
    const rdsRaw = getInput(constants/* Inputs */.G0.RoleDurationSeconds);
    if (rdsRaw !== '') {
        const n = /^\d+$/.test(rdsRaw) ? Number(rdsRaw) : NaN;
        if (!(n >= constants/* Sts */.ht.MinDurationSeconds && n <= constants/* Sts */.ht.MaxDurationSeconds)) {
            bad(constants/* Inputs */.G0.RoleDurationSeconds, rdsRaw, `must be whole seconds from ${constants/* Sts */.ht.MinDurationSeconds} to ${constants/* Sts */.ht.MaxDurationSeconds}`, 'STS accepts no other session length; leave it out to ask for what expected-duration needs.');
        }
        else {
            roleDurationSeconds = n;
        }
    }
    let expiration;
    // configure-aws-credentials writes its aws-expiration output as a JSON string, quotes included.
    const expInput = getInput(constants/* Inputs */.G0.Expiration);
    const quoted = expInput.length >= 2 && expInput.startsWith('"') && expInput.endsWith('"');
    const expRaw = quoted ? expInput.slice(1, -1) : expInput;
    if (expRaw !== '') {
        const t = parseIsoTime(expRaw);
        if (Number.isNaN(t)) {
            bad(constants/* Inputs */.G0.Expiration, expRaw, 'is not an ISO 8601 time', 'Use e.g. 2026-11-22T15:04:05Z, as the aws-expiration output of configure-aws-credentials gives it.');
        }
        else {
            expiration = new Date(t);
        }
    }
    const stsRaw = getInput(constants/* Inputs */.G0.StsEndpoint);
    let stsEndpoint;
    if (stsRaw !== '') {
        const shown = redactUrl(stsRaw);
        const example = 'e.g. https://sts.us-east-1.amazonaws.com';
        let url;
        try {
            url = new URL(stsRaw);
        }
        catch {
            url = undefined;
        }
        const problemsBefore = problems.length;
        if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
            bad(constants/* Inputs */.G0.StsEndpoint, shown, 'is not an https URL', `Give the endpoint's full URL, ${example}.`);
        }
        else {
            if (url.username !== '' || url.password !== '') {
                bad(constants/* Inputs */.G0.StsEndpoint, shown, 'holds a user name or password', `Remove the part up to "@": STS calls are signed with the session's keys, ${example}.`);
            }
            if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
                bad(constants/* Inputs */.G0.StsEndpoint, shown, `uses plain http to ${url.hostname}, which is not loopback`, `Use https://, ${example}. Plain http is accepted only on loopback (localhost, 127.0.0.0/8, [::1]), as for a local stand-in.`);
            }
        }
        if (problems.length === problemsBefore)
            stsEndpoint = stsRaw;
    }
    const inlineRaw = getInput(constants/* Inputs */.G0.InlineSessionPolicy);
    let inlineSessionPolicy;
    if (inlineRaw !== '') {
        let parsed;
        try {
            parsed = JSON.parse(inlineRaw);
        }
        catch (e) {
            // Node's parser message quotes the input: show only where it broke.
            const at = /position (\d+)/.exec(e.message)?.[1];
            bad(constants/* Inputs */.G0.InlineSessionPolicy, undefined, `is not valid JSON${at ? ` (error at character ${at})` : ''}`, 'Give an IAM policy document: {"Version":"2012-10-17","Statement":[...]}.');
        }
        if (parsed !== undefined) {
            if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed)) {
                bad(constants/* Inputs */.G0.InlineSessionPolicy, undefined, 'is not an IAM policy document', 'Give a JSON object with a "Statement" list.');
            }
            else {
                const compact = JSON.stringify(parsed);
                if (compact.length > MAX_INLINE_POLICY_CHARS) {
                    bad(constants/* Inputs */.G0.InlineSessionPolicy, undefined, `is ${compact.length} characters, over the ${MAX_INLINE_POLICY_CHARS} STS accepts`, 'Shorten it or use managed-session-policies.');
                }
                else {
                    inlineSessionPolicy = compact;
                }
            }
        }
    }
    // One ARN per line, as configure-aws-credentials reads it (getMultilineInput); a comma separates nothing.
    const managedSessionPolicies = getInput(constants/* Inputs */.G0.ManagedSessionPolicies)
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    const onePerLine = 'List one ARN per line, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess.';
    let badLines = 0;
    for (const arn of managedSessionPolicies) {
        // IAM allows commas in policy names (and colons in paths), so `A,arn:...B` would pass the ARN check as one policy.
        const list = /,\s*arn:/i.test(arn);
        if (!list && (0,settings_arn/* isPolicyArn */.Sx)(arn))
            continue;
        // Each bad line is its own problem, up to a screenful; past that, a note that there are more.
        if (++badLines > MAX_MANAGED_POLICIES)
            break;
        if (list)
            bad(constants/* Inputs */.G0.ManagedSessionPolicies, arn, 'holds several ARNs on one line; a comma does not separate them', onePerLine);
        else
            bad(constants/* Inputs */.G0.ManagedSessionPolicies, arn, 'is not an IAM policy ARN', onePerLine);
    }
    if (badLines > MAX_MANAGED_POLICIES) {
        bad(constants/* Inputs */.G0.ManagedSessionPolicies, undefined, `has more lines that are not IAM policy ARNs than the ${MAX_MANAGED_POLICIES} listed`, onePerLine);
    }
    if (managedSessionPolicies.length > MAX_MANAGED_POLICIES) {
        bad(constants/* Inputs */.G0.ManagedSessionPolicies, undefined, `lists ${managedSessionPolicies.length} policies`, `STS accepts at most ${MAX_MANAGED_POLICIES}.`);
    }
    const retryRaw = getInput(constants/* Inputs */.G0.RetryMaxAttempts);
    let retryMaxAttempts = 5;
    if (retryRaw !== '') {
        const n = /^\d+$/.test(retryRaw) ? Number(retryRaw) : NaN;
        if (!(n >= 1 && n <= MAX_RETRY_ATTEMPTS)) {
            bad(constants/* Inputs */.G0.RetryMaxAttempts, retryRaw, `must be a whole number from 1 to ${MAX_RETRY_ATTEMPTS}`, 'It counts all attempts, the first included; 1 turns retries off.');
        }
        else {
            retryMaxAttempts = n;
        }
    }
    const failOnShortSession = bool(constants/* Inputs */.G0.FailOnShortSession, true);
    const maskAwsAccountId = bool(constants/* Inputs */.G0.MaskAwsAccountId, false);
    const keepAlive = bool(constants/* Inputs */.G0.KeepAlive, false);
    if (keepAlive && getInput(constants/* Inputs */.G0.RoleToAssume) === '') {
        bad(constants/* Inputs */.G0.KeepAlive, 'true', "needs 'role-to-assume'", 'The credential server mints sessions through GitHub OIDC for that role.');
    }
    if (problems.length > 0)
        throw new SettingsError(problems);
    return {
        ...(roleToAssume && { roleToAssume }),
        ...(chainedRoleToAssume && { chainedRoleToAssume }),
        ...(region !== undefined && { region }),
        audience,
        roleSessionName,
        expectedDurationSeconds,
        safetyMarginSeconds,
        ...(roleDurationSeconds !== undefined && { roleDurationSeconds }),
        ...(expiration && { expiration }),
        failOnShortSession,
        ...(stsEndpoint !== undefined && { stsEndpoint }),
        ...(inlineSessionPolicy !== undefined && { inlineSessionPolicy }),
        managedSessionPolicies,
        maskAwsAccountId,
        retryMaxAttempts,
        keepAlive,
    };
}

// EXTERNAL MODULE: ./src/sts/endpoint.ts
var sts_endpoint = __nccwpck_require__(3235);
;// CONCATENATED MODULE: ./src/main-step.ts
/**
 * The main step: read the settings, mask what must never be printed, then
 * run keep-alive, or the guard (after asking a running keep-alive server, if
 * one was handed over). The AWS SDK, node:http and the keep-alive code are
 * separate chunks, loaded only on the paths that need them: the healthy guard
 * path loads none of them.
 */






/** The real minter for a step's env: loads the AWS SDK and the ID-token client as separate chunks, only when a session must be minted. */
const minterLoader = (env) => async (settings, onToken) => {
    const [{ createSdkGateway }, { SessionMinter }, { githubTokenSource }, { DEFAULT_RETRY, realRetryDeps }] = await Promise.all([
        Promise.all(/* import() */[__nccwpck_require__.e(695), __nccwpck_require__.e(235)]).then(__nccwpck_require__.bind(__nccwpck_require__, 4235)),
        __nccwpck_require__.e(/* import() */ 97).then(__nccwpck_require__.bind(__nccwpck_require__, 5097)),
        __nccwpck_require__.e(/* import() */ 744).then(__nccwpck_require__.bind(__nccwpck_require__, 8744)),
        Promise.resolve(/* import() */).then(__nccwpck_require__.bind(__nccwpck_require__, 4266)),
    ]);
    if (!settings.region)
        throw new Error('aws-region is required to reach STS');
    const endpoint = (0,sts_endpoint/* resolveStsEndpoint */.M)(settings, env);
    return new SessionMinter({
        gateway: createSdkGateway({ region: settings.region, ...(endpoint !== undefined && { endpoint }) }),
        tokens: githubTokenSource({ env }),
        audience: settings.audience,
        retry: { ...DEFAULT_RETRY, maxAttempts: settings.retryMaxAttempts },
        retryDeps: realRetryDeps,
        clock: Date.now,
        onToken,
    });
};
function failureMessage(error) {
    return error instanceof Error ? error.message : String(error);
}
async function runMain(toolkit = processToolkit(), env = process.env) {
    try {
        const settings = readSettings((name) => toolkit.getInput(name), env);
        for (const accountId of (0,variables/* accountIdsToMask */.xX)(settings))
            toolkit.setSecret(accountId);
        const deps = { toolkit, env, clock: Date.now, loadMinter: minterLoader(env) };
        if (settings.keepAlive) {
            const { keepAlive } = await __nccwpck_require__.e(/* import() */ 853).then(__nccwpck_require__.bind(__nccwpck_require__, 8853));
            await keepAlive(settings, deps);
            return;
        }
        // Static keys come first in every SDK chain: with keys in the env, they are the session, whatever server runs.
        if (env[constants/* Env */.o9.ContainerFullUri] && !env[constants/* Env */.o9.AccessKeyId]) {
            const { checkRunningServer } = await __nccwpck_require__.e(/* import() */ 853).then(__nccwpck_require__.bind(__nccwpck_require__, 8853));
            const check = await checkRunningServer(toolkit, env, settings);
            if (check.kind === 'settled')
                return;
            if (check.kind === 'other-identity') {
                toolkit.info(`The keep-alive credential server running in this job serves ${check.serves}, not what this step asks for: ` +
                    'this step mints its own session and exports static keys, which come before the server in every SDK chain.');
            }
        }
        await guard(settings, deps);
    }
    catch (error) {
        toolkit.setFailed(failureMessage(error));
    }
}

;// CONCATENATED MODULE: ./src/main.ts

void runMain();

