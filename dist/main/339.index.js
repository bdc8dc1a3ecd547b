"use strict";
exports.id = 339;
exports.ids = [339,504];
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

/***/ 9339:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  handOnInputKeys: () => (/* binding */ handOnInputKeys),
  refresh: () => (/* binding */ refresh)
});

// UNUSED EXPORTS: mintPlan

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/settings/identity.ts
var settings_identity = __webpack_require__(9251);
// EXTERNAL MODULE: ./src/lifetime/known-max.ts
var known_max = __webpack_require__(1747);
// EXTERNAL MODULE: ./src/lifetime/policy.ts
var policy = __webpack_require__(9517);
// EXTERNAL MODULE: ./src/settings/duration.ts
var duration = __webpack_require__(1145);
// EXTERNAL MODULE: ./src/lifetime/decision.ts
var lifetime_decision = __webpack_require__(6289);
// EXTERNAL MODULE: ./src/export/variables.ts
var variables = __webpack_require__(4019);
// EXTERNAL MODULE: ./src/export/cac-delivery.ts
var cac_delivery = __webpack_require__(5504);
;// CONCATENATED MODULE: ./src/sts/special-characters.ts
/** CAC's character set, one character at a time (a class without a quantifier: linear). */
const SPECIAL = /[!@#$%^&*()_+\-=[\]{};':"\\|,.<>/?]/;
const MAX_ATTEMPTS = 30;
function hasSpecialCharacters(c) {
    return SPECIAL.test(c.accessKeyId) || SPECIAL.test(c.secretAccessKey);
}
async function mintWithoutSpecialCharacters(mint, credentialsOf, maxAttempts = MAX_ATTEMPTS) {
    for (let attempt = 1;; attempt++) {
        const value = await mint();
        if (!hasSpecialCharacters(credentialsOf(value)))
            return value;
        if (attempt >= maxAttempts) {
            throw new Error(`'special-characters-workaround': ${maxAttempts} sessions in a row had keys with special characters; nothing was exported. ` +
                'Run the step again, or turn the workaround off.');
        }
    }
}

// EXTERNAL MODULE: ./src/util/abort.ts
var abort = __webpack_require__(2334);
// EXTERNAL MODULE: ./src/settings/cac-options.ts
var cac_options = __webpack_require__(3915);
// EXTERNAL MODULE: ./src/guard/messages.ts
var messages = __webpack_require__(4921);
// EXTERNAL MODULE: ./src/net/proxy.ts
var proxy = __webpack_require__(1987);
;// CONCATENATED MODULE: ./src/guard/shortcut.ts
/**
 * Whether a later guard step may keep the session this step mints through the
 * healthy shortcut (guard/healthy.ts), which decides from the raw
 * configuration without reading the settings. Allowed only where the full
 * healthy path would do nothing but report (outputs, one log line, the
 * summary line), so the shortcut never skips anything: no mask to register,
 * no warning or note to repeat, no credential output, nothing to unset, and a
 * source that settings resolve from the inputs and the named environment alone
 * (GitHub OIDC: no key inputs, no file to probe).
 */




function healthyShortcutAllowed(settings) {
    return (settings.source.kind === 'github-oidc' &&
        !settings.keepAlive &&
        settings.expiration === undefined &&
        settings.outputEnvCredentials &&
        !settings.outputCredentials &&
        !settings.unsetCurrentCredentials &&
        (0,variables/* accountIdsToMask */.xX)(settings).length === 0 &&
        (0,proxy/* proxySecrets */.Wm)(settings.proxy).length === 0 &&
        (0,messages/* assumeRoleOnlyNote */.FS)(settings) === undefined);
}
/** What the marker records about the step that minted a session: its identity, and its raw configuration when the shortcut may trust it. */
function mintedBy(settings) {
    const identity = (0,settings_identity/* identityKey */.U)(settings);
    return healthyShortcutAllowed(settings) ? { identity, step: settings.stepFingerprint } : { identity };
}

;// CONCATENATED MODULE: ./src/guard/refresh.ts
/**
 * The guard's paths that hand over credentials: a session minted from the
 * credential source (refresh), or input keys handed on as they are. Loaded
 * only when the current session is not enough, so the healthy path never
 * compiles it.
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
        assumeRoleExtras: (0,cac_options/* hopExtras */.jI)(settings),
    };
}
/** aws-profile: opened (an existing one refused) from the profile-files chunk, loaded only when the input is set. */
async function profileWriter(settings, deps) {
    if (settings.awsProfile === undefined)
        return undefined;
    const { openProfile } = await __webpack_require__.e(/* import() */ 205).then(__webpack_require__.bind(__webpack_require__, 8205));
    return openProfile(deps.toolkit, deps.env, settings.awsProfile, settings.overwriteAwsProfile);
}
/**
 * Input keys without a role: checked with one GetCallerIdentity, as
 * configure-aws-credentials does (a wrong key fails here, naming the cause,
 * not in the next step), then handed on as they are through its delivery
 * inputs: exported when output-env-credentials is on (with AWS_PROFILE when
 * aws-profile is set), written to the aws-profile, and set as outputs with
 * output-credentials. Long-lived IAM user keys (no session token) never
 * expire; session keys expire when the 'expiration' input says, and are
 * checked against a stated need.
 */
async function handOnInputKeys(settings, deps, need, shortfall) {
    const { toolkit, clock, signal } = deps;
    const source = settings.source;
    if (source.kind !== 'static-keys')
        throw new Error('handOnInputKeys needs input keys');
    const expiry = source.sessionToken !== undefined ? settings.expiration : undefined;
    // aws-profile: an existing profile is refused before anything is written or exported.
    const writeProfile = await profileWriter(settings, deps);
    const minter = await (0,abort/* raceAbort */.Mu)(deps.loadMinter(settings, (token) => toolkit.setSecret(token.value)), signal);
    const callerArn = await minter.callerIdentity(signal);
    (0,variables/* maskIdentity */.vy)(toolkit, settings, callerArn);
    (0,cac_delivery.checkAllowedAccount)(settings, callerArn);
    (0,abort/* throwIfAborted */.Te)(signal);
    let outcome;
    if (source.sessionToken === undefined) {
        toolkit.info('Using the IAM user keys from the inputs as they are: long-lived keys do not expire, so the work is covered.');
        outcome = { kind: 'healthy', remainingSeconds: Infinity, expiration: new Date(8.64e15) };
    }
    else if (!expiry) {
        toolkit.info(`Using the session keys from the inputs as they are; their expiry is unknown: pass it as '${constants/* Inputs */.G0.Expiration}' to have it checked.`);
        outcome = { kind: 'warned', message: 'unknown expiry' };
    }
    else {
        const remaining = (0,lifetime_decision/* secondsLeft */.Li)(expiry, clock());
        const decision = (0,lifetime_decision/* decide */.LD)({ need, session: { kind: 'known', remainingSeconds: remaining }, canMint: false });
        if (decision.kind === 'shortfall') {
            outcome = shortfall(`The session keys given as inputs ${remaining <= 0 ? `expired ${(0,duration/* formatDuration */.a)(-remaining)} ago` : `have ${(0,duration/* formatDuration */.a)(remaining)} left`}` +
                (need ? `, and the work needs ${(0,duration/* formatDuration */.a)(need.seconds)} (${need.explanation})` : '') +
                `.\nFix: give '${constants/* Inputs */.G0.RoleToAssume}' so the keys assume a role (with 'keep-alive: true' it is re-assumed for as long as the keys live), or fresher keys.`, remaining);
        }
        else {
            outcome = { kind: 'healthy', remainingSeconds: remaining, expiration: expiry };
        }
        toolkit.setOutput(constants/* Outputs */.tY.Expiration, expiry.toISOString());
        toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(remaining));
    }
    const credentials = { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken ?? '' };
    (0,variables/* maskKeys */.h_)(toolkit, credentials);
    writeProfile?.(settings.region ?? '', { kind: 'static', credentials });
    if (settings.outputEnvCredentials) {
        (0,variables/* exportStaticCredentials */.Jo)(toolkit, { ...credentials, expiration: expiry }, settings.region, { identity: (0,settings_identity/* identityKey */.U)(settings) }, (0,variables/* profileVariable */.ml)(settings));
    }
    else {
        toolkit.info(`'${constants/* Inputs */.G0.OutputEnvCredentials}' is false: no AWS_* variable was exported.`);
    }
    if (settings.outputCredentials) {
        (0,cac_delivery.outputCredentials)(toolkit, credentials);
    }
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'false');
    (0,variables/* exportIdentityOutputs */.d2)(toolkit, settings, callerArn);
    return outcome;
}
async function refresh(settings, deps, need, note, shortfall) {
    const { toolkit } = deps;
    const role = settings.roleToAssume;
    if (!role || !settings.region)
        throw new Error('refresh needs role-to-assume and aws-region');
    // Known limits fail before any network call.
    let warned = false;
    if (need && need.seconds > (0,policy/* sessionCeiling */._Z)(settings)) {
        const message = settings.chainedRoleToAssume
            ? (0,messages/* chainTooShortMessage */.FG)(settings.chainedRoleToAssume, need)
            : (0,messages/* beyondAnySessionMessage */.pp)(need);
        shortfall(message);
        warned = true;
    }
    // A maximum found by an earlier step of the job: the role grants `known.seconds` and refused `refusedAt`; its real
    // maximum is in between. Fail before any call only when the need reaches the refusal; a need in between is asked
    // for (below the refusal); otherwise ask for no more than what was granted.
    const known = settings.chainedRoleToAssume ? undefined : (0,known_max/* knownMaxOf */.j)(deps.env, role.arn);
    const refusedAt = known ? (known.refusedSeconds ?? known.seconds + 1) : Infinity;
    if (known && need && !warned && need.seconds >= refusedAt) {
        shortfall((0,messages/* roleTooShortMessage */.kZ)(role, known.seconds, refusedAt, need));
        warned = true;
    }
    const askBelowRefusal = known !== undefined && need !== undefined && need.seconds > known.seconds && need.seconds < refusedAt;
    const requested = Math.min((0,policy/* requestedDurationSeconds */.G6)(settings, need), askBelowRefusal ? refusedAt - 1 : (known?.seconds ?? Infinity));
    // aws-profile: an existing profile is refused before any network call.
    const writeProfile = await profileWriter(settings, deps);
    const { signal } = deps;
    const minter = await (0,abort/* raceAbort */.Mu)(deps.loadMinter(settings, (token) => toolkit.setSecret(token.value)), signal);
    const mintOnce = () => minter.mintLongest(mintPlan(settings, requested), signal);
    const longest = settings.specialCharactersWorkaround
        ? await mintWithoutSpecialCharacters(mintOnce, (l) => l.session.credentials)
        : await mintOnce();
    const { session, max } = longest;
    const { credentials } = session;
    const skew = (0,policy/* clockSkewSeconds */.yk)(session.serverDate, session.receivedAt, session.latencyMs);
    if (skew !== undefined && Math.abs(skew) > policy/* SKEW_WARNING_SECONDS */.UQ) {
        // Later guard steps compare the expiry with the runner's clock: behind STS, they count that much time too many.
        const later = skew < 0
            ? `later guard steps compare the expiry with the runner's clock and count ${(0,duration/* formatDuration */.a)(-skew)} too many, so raise '${constants/* Inputs */.G0.SafetyMargin}' by that much until it is fixed`
            : 'later guard steps compare the expiry with the runner\'s clock and count that much too little (the safe side)';
        toolkit.warning(`The runner's clock is ${(0,duration/* formatDuration */.a)(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} AWS STS's clock. ` +
            `This step computes the remaining session time on the STS clock; ${later}. ` +
            'AWS rejects signed requests past 15 minutes of skew: fix the runner clock (NTP).', 'Clock skew');
    }
    if (max) {
        toolkit.setOutput(constants/* Outputs */.tY.MaxSessionDuration, String(max.seconds));
        const found = `${max.scope === 'chain' ? 'role chaining' : role.arn} refused ${max.refusedSeconds} s; its maximum session is ${(0,duration/* formatDuration */.a)(max.seconds)} (${max.seconds} s)`;
        // An explicit role-duration-seconds is what the user asked for: getting less is worth a warning, never a failure.
        if (settings.roleDurationSeconds !== undefined && need === undefined) {
            toolkit.warning(`${found}, so the session lasts ${(0,duration/* formatDuration */.a)(max.seconds)}, not the ${settings.roleDurationSeconds} s of '${constants/* Inputs */.G0.RoleDurationSeconds}'.`, 'Shorter session than asked');
        }
        else {
            toolkit.info(`${found}.`);
        }
    }
    const remainingSeconds = (0,policy/* remainingAtIssue */.rX)(credentials.expiration, session.serverDate, session.receivedAt, session.durationSeconds);
    const short = (0,lifetime_decision/* decide */.LD)({ need, session: { kind: 'known', remainingSeconds }, canMint: false }).kind === 'shortfall';
    if (short && need && !warned) {
        const targetRole = settings.chainedRoleToAssume ?? role;
        const message = max?.scope === 'chain'
            ? (0,messages/* chainTooShortMessage */.FG)(targetRole, need)
            : max
                ? (0,messages/* roleTooShortMessage */.kZ)(targetRole, max.seconds, max.refusedSeconds, need)
                : (0,messages/* shortAfterRefreshMessage */.xz)(targetRole, remainingSeconds, need);
        shortfall(message, remainingSeconds);
    }
    (0,variables/* maskIdentity */.vy)(toolkit, settings, session.assumedRoleArn);
    // Nothing leaves the step before these pass: the account is allowed, and the step has not timed out.
    (0,cac_delivery.checkAllowedAccount)(settings, session.assumedRoleArn);
    (0,abort/* throwIfAborted */.Te)(signal);
    (0,variables/* maskKeys */.h_)(toolkit, credentials);
    writeProfile?.(settings.region, { kind: 'static', credentials });
    const roleMax = max && max.scope === 'role' ? { [constants/* Env */.o9.RoleMaxSessions]: (0,known_max/* withKnownMax */.i)(deps.env, role.arn, { seconds: max.seconds, refusedSeconds: max.refusedSeconds }) } : {};
    if (settings.outputEnvCredentials) {
        (0,variables/* exportStaticCredentials */.Jo)(toolkit, credentials, settings.region, mintedBy(settings), { ...roleMax, ...(0,variables/* profileVariable */.ml)(settings) });
    }
    else if (Object.keys(roleMax).length > 0) {
        toolkit.exportVariables(roleMax);
    }
    if (settings.outputCredentials)
        (0,cac_delivery.outputCredentials)(toolkit, credentials);
    toolkit.setOutput(constants/* Outputs */.tY.Expiration, credentials.expiration.toISOString());
    toolkit.setOutput(constants/* Outputs */.tY.RemainingSeconds, String(remainingSeconds));
    toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'true');
    (0,variables/* exportIdentityOutputs */.d2)(toolkit, settings, session.assumedRoleArn);
    toolkit.info(`Assumed ${session.assumedRoleArn || role.arn}: the session lasts until ${credentials.expiration.toISOString()} ` +
        `(${(0,duration/* formatDuration */.a)(remainingSeconds)} on the STS clock). ` +
        (settings.outputEnvCredentials
            ? 'Exported AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION and AWS_DEFAULT_REGION to later steps.' +
                (deps.env[constants/* Env */.o9.ContainerFullUri] ? ' They come before the keep-alive server in every SDK chain, so later steps run as this role.' : '')
            : `'${constants/* Inputs */.G0.OutputEnvCredentials}' is false: no AWS_* variable was exported.`));
    if (!short) {
        note(remainingSeconds, `Refreshed: assumed ${settings.chainedRoleToAssume?.arn ?? role.arn} until ${credentials.expiration.toISOString()}.`);
    }
    return { kind: 'refreshed', remainingSeconds, expiration: credentials.expiration, short };
}


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

/***/ 2334:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mu: () => (/* binding */ raceAbort),
/* harmony export */   Te: () => (/* binding */ throwIfAborted),
/* harmony export */   lc: () => (/* binding */ AbortError)
/* harmony export */ });
/* unused harmony export isAbortError */
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


/***/ })

};
;