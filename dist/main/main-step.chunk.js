"use strict";
exports.id = 441;
exports.ids = [441];
exports.modules = {

/***/ 4019:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bk: () => (/* binding */ serverRelativeUriVariables),
/* harmony export */   Jo: () => (/* binding */ exportStaticCredentials),
/* harmony export */   QU: () => (/* binding */ rubyTriesWebIdentity),
/* harmony export */   Wl: () => (/* binding */ exportMasked),
/* harmony export */   d2: () => (/* binding */ exportIdentityOutputs),
/* harmony export */   h_: () => (/* binding */ maskKeys),
/* harmony export */   ml: () => (/* binding */ profileVariable),
/* harmony export */   q4: () => (/* binding */ serverCredentialVariables),
/* harmony export */   vy: () => (/* binding */ maskIdentity),
/* harmony export */   xX: () => (/* binding */ accountIdsToMask)
/* harmony export */ });
/* unused harmony export staticCredentialVariables */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _model_arn_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1534);
/* harmony import */ var _model_marker_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4323);
/**
 * What later steps see. Every secret is masked before anything is written,
 * and each set of variables goes out in one write, so a failure never leaves
 * half a credential set exported.
 */



/**
 * Static credentials for later steps, with their expiry, region, and the
 * session marker that ties the expiry and what minted them (`minted`: the
 * identityKey() of the settings, and the step's fingerprint when the healthy
 * shortcut may trust it) to these exact keys. Keys whose end is unknown
 * (input keys handed on as they are) get an empty expiry and marker, so
 * nothing an earlier step exported describes them; no region, no region
 * variables.
 */
function staticCredentialVariables(credentials, region, minted) {
    const { expiration } = credentials;
    return {
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.AccessKeyId]: credentials.accessKeyId,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SecretAccessKey]: credentials.secretAccessKey,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionToken]: credentials.sessionToken,
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.CredentialExpiration]: expiration ? expiration.toISOString() : '',
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.SessionMarker]: expiration ? (0,_model_marker_js__WEBPACK_IMPORTED_MODULE_1__/* .markerValue */ .u)(credentials.accessKeyId, minted) : '',
        ...(region !== undefined && { [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.Region]: region, [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.DefaultRegion]: region }),
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
/**
 * Hands later steps to the server on ECS's link-local address (serve-containers):
 * the relative URI (a secret path, no token), and the full URI and its token that
 * an earlier keep-alive step may have exported cleared: the Go SDKs read the full
 * URI first. An empty full URI is harmless to botocore while the relative URI is set.
 *
 * The web-identity pair is treated apart: the Ruby SDK (aws-sdk-core 3.168), one
 * of the clients this mode is for, takes an empty value as set, and fails when
 * both are present. Every SDK needs both, so clearing the one(s) present is
 * enough, and nothing is exported for a pair that is absent.
 */
function serverRelativeUriVariables(relativePath, region, env) {
    const { [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.WebIdentityTokenFile]: _file, [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.RoleArn]: _arn, ...rest } = serverCredentialVariables('', '', region);
    const pair = {};
    for (const name of [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.WebIdentityTokenFile, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.RoleArn])
        if (env[name] !== undefined)
            pair[name] = '';
    return { ...rest, ...pair, [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.ContainerRelativeUri]: relativePath };
}
/** Whether the Ruby SDK would try web identity (and fail) with these variables: both names present, even empty. */
function rubyTriesWebIdentity(env) {
    return env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.WebIdentityTokenFile] !== undefined && env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.RoleArn] !== undefined;
}
/** AWS_PROFILE for later steps when this step wrote aws-profile, as configure-aws-credentials exports it (with output-env-credentials on). */
function profileVariable(settings) {
    return settings.awsProfile !== undefined ? { [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.Profile]: settings.awsProfile } : {};
}
/** Masks the secrets first, then exports all variables in one write. */
function exportMasked(toolkit, variables, secrets) {
    for (const secret of secrets)
        toolkit.setSecret(secret);
    toolkit.exportVariables(variables);
}
/** Masks a set of keys (an empty session token, as IAM user keys have, is no secret). */
function maskKeys(toolkit, keys) {
    for (const secret of [keys.accessKeyId, keys.secretAccessKey, keys.sessionToken])
        if (secret !== '')
            toolkit.setSecret(secret);
}
function exportStaticCredentials(toolkit, credentials, region, minted, extra = {}) {
    maskKeys(toolkit, credentials);
    toolkit.exportVariables({ ...staticCredentialVariables(credentials, region, minted), ...extra });
}
/** mask-aws-account-id: the account and the ARN of the identity are masked, as configure-aws-credentials masks them. */
function maskIdentity(toolkit, settings, arn) {
    if (!settings.maskAwsAccountId || !arn)
        return;
    const accountId = (0,_model_arn_js__WEBPACK_IMPORTED_MODULE_2__/* .accountIdOf */ .Ow)(arn);
    if (accountId)
        toolkit.setSecret(accountId);
    toolkit.setSecret(arn);
}
/** The aws-account-id and authenticated-arn outputs, as configure-aws-credentials sets them: masked with mask-aws-account-id, never dropped. */
function exportIdentityOutputs(toolkit, settings, arn) {
    if (!arn)
        return;
    maskIdentity(toolkit, settings, arn);
    const accountId = (0,_model_arn_js__WEBPACK_IMPORTED_MODULE_2__/* .accountIdOf */ .Ow)(arn);
    if (accountId)
        toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AwsAccountId, accountId);
    toolkit.setOutput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Outputs */ .tY.AuthenticatedArn, arn);
}
/** Account IDs to mask before the first line is printed: those of the roles the settings name. */
function accountIdsToMask(settings) {
    if (!settings.maskAwsAccountId)
        return [];
    const named = [settings.roleToAssume?.accountId, settings.chainedRoleToAssume?.accountId, ...(settings.allowedAccountIds ?? [])];
    return [...new Set(named.filter((a) => !!a))];
}


/***/ }),

/***/ 4921:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FG: () => (/* binding */ chainTooShortMessage),
/* harmony export */   FS: () => (/* binding */ assumeRoleOnlyNote),
/* harmony export */   RK: () => (/* binding */ noRoleMessage),
/* harmony export */   kZ: () => (/* binding */ roleTooShortMessage),
/* harmony export */   pp: () => (/* binding */ beyondAnySessionMessage),
/* harmony export */   xz: () => (/* binding */ shortAfterRefreshMessage)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _settings_duration_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1145);
/* harmony import */ var _settings_source_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9482);
/** The words of a shortfall: what is wrong, how it was computed, and the fixes. */



const keepAliveFix = `'${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.KeepAlive}: true': a local credential server renews the session from its credential source for as long as the job runs`;
/** The fixes, one a line, one-input fixes first. */
function fixes(lines) {
    return `Fix, one of:\n${lines.filter((l) => !!l).map((l) => `  - ${l}`).join('\n')}`;
}
/** `expected-duration: 55m`: what a session of `sessionSeconds` covers after the margin, when that is a useful length. */
function shorterWorkFix(sessionSeconds, need) {
    const fits = sessionSeconds - need.marginSeconds;
    if (fits < 60)
        return undefined;
    return `'${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.ExpectedDuration}: ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(fits)}' if the work fits in what it gives after the ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.marginSeconds)} '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.SafetyMargin}'`;
}
function roleTooShortMessage(role, maxSeconds, refusedSeconds, need) {
    const refused = refusedSeconds - maxSeconds <= 1 ? '' : `; ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(refusedSeconds)} was refused`;
    const wanted = Math.min(43200, Math.ceil(need.seconds / 3600) * 3600);
    return (`The role ${role.arn} has a maximum session of ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(maxSeconds)} (${maxSeconds} s${refused}), ` +
        `but the work needs ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.seconds)} (${need.explanation}).\n` +
        fixes([
            shorterWorkFix(maxSeconds, need),
            keepAliveFix,
            `raise the role's maximum: aws iam update-role --role-name ${role.roleName} --max-session-duration ${wanted}` +
                (need.seconds > 43200 ? ' (IAM allows at most 43200 s, 12 h: only keep-alive covers more)' : ''),
        ]));
}
function chainTooShortMessage(role, need) {
    return (`The chained role ${role.arn} is assumed by role chaining, which AWS caps at 1h (3600 s), but the work needs ` +
        `${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.seconds)} (${need.explanation}).\n` +
        fixes([
            shorterWorkFix(3600, need),
            `${keepAliveFix} (it re-assumes the chain before each hour ends)`,
            `assume ${role.arn} directly through OIDC as '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleToAssume}' (trust token.actions.githubusercontent.com in its trust policy), with no chaining`,
        ]));
}
function beyondAnySessionMessage(need) {
    return (`No single AWS session can last ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.seconds)} (${need.explanation}): STS gives at most 12h (43200 s).\n` +
        fixes([keepAliveFix, shorterWorkFix(43200, need)]));
}
/** `unknownWhy`: why the expiry is unknown (lifetime/policy.ts lookupExpiry), for the 'unknown' state. */
function noRoleMessage(state, need, remainingSeconds, unknownWhy) {
    const what = state === 'unknown'
        ? `The current AWS session expiry is unknown${unknownWhy ? ` (${unknownWhy})` : ''}`
        : state === 'expired'
            ? `The current AWS session expired ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(-(remainingSeconds ?? 0))} ago`
            : `The current AWS session has ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(remainingSeconds ?? 0)} left`;
    const needs = need ? `, and the work needs ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.seconds)} (${need.explanation})` : '';
    return (`${what}${needs}.\n` +
        fixes([
            state === 'short' && need && remainingSeconds !== undefined ? shorterWorkFix(remainingSeconds, need) : undefined,
            `give '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleToAssume}' and '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AwsRegion}' so the step re-assumes the role through GitHub OIDC (with '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.KeepAlive}: true' for as long as the job runs)`,
            state === 'unknown'
                ? `for keys another tool exported, pass their expiry as '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.Expiration}' (e.g. \${{ steps.creds.outputs.aws-expiration }} from configure-aws-credentials)`
                : undefined,
        ]));
}
function shortAfterRefreshMessage(role, remainingSeconds, need) {
    return (`STS gave ${role.arn} a session with ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(remainingSeconds)} left, but the work needs ${(0,_settings_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .formatDuration */ .a)(need.seconds)} ` +
        `(${need.explanation}).\n` +
        fixes([shorterWorkFix(remainingSeconds, need), keepAliveFix, `raise '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleDurationSeconds}' (or leave it out)`]));
}
/** The session-tag inputs act on AssumeRole only: said once when no hop of this configuration is one. */
function assumeRoleOnlyNote(settings) {
    const inputs = settings.assumeRoleOnlyInputs;
    if (inputs.length === 0 || settings.chainedRoleToAssume)
        return undefined;
    if (settings.roleToAssume && (0,_settings_source_js__WEBPACK_IMPORTED_MODULE_2__/* .assumesWithCredentials */ .gK)(settings.source))
        return undefined;
    const calls = settings.roleToAssume
        ? "this configuration calls only AssumeRoleWithWebIdentity (as in configure-aws-credentials, the ID token's claims carry the session's tags there)"
        : 'this configuration assumes no role';
    return `${inputs.map((n) => `'${n}'`).join(', ')} ${inputs.length === 1 ? 'is' : 'are'} ignored: STS takes an external ID and session tags on AssumeRole only, and ${calls}.`;
}


/***/ }),

/***/ 441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// UNUSED EXPORTS: minterLoader, timeoutMessage

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/export/variables.ts
var variables = __webpack_require__(4019);
// EXTERNAL MODULE: ./src/net/proxy.ts
var net_proxy = __webpack_require__(1987);
// EXTERNAL MODULE: ./src/settings/identity.ts
var identity = __webpack_require__(9251);
// EXTERNAL MODULE: ./src/report/shortfall.ts
var report_shortfall = __webpack_require__(1025);
// EXTERNAL MODULE: ./src/lifetime/policy.ts
var policy = __webpack_require__(9517);
// EXTERNAL MODULE: ./src/lifetime/decision.ts
var lifetime_decision = __webpack_require__(6289);
// EXTERNAL MODULE: ./src/settings/duration.ts
var settings_duration = __webpack_require__(1145);
// EXTERNAL MODULE: ./src/settings/source.ts + 1 modules
var settings_source = __webpack_require__(9482);
// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
// EXTERNAL MODULE: ./src/guard/healthy.ts
var healthy = __webpack_require__(4944);
// EXTERNAL MODULE: ./src/guard/messages.ts
var messages = __webpack_require__(4921);
;// CONCATENATED MODULE: ./src/guard/guard.ts
/**
 * The guard: is the current session long enough for the work ahead? If so,
 * say so without touching the network. If not, mint a fresh one from the
 * credential source and export it (guard/refresh.ts, a lazily loaded chunk:
 * the healthy path never loads it), or fail in seconds with the role's real limit.
 */










async function guard(settings, deps) {
    const { toolkit, clock } = deps;
    const need = (0,policy/* needOf */.ER)(settings);
    const now = clock();
    const note = (remainingSeconds, outcome) => toolkit.appendSummary((0,summary/* summaryLine */.d)({ at: new Date(now), remainingSeconds, needSeconds: need?.seconds, outcome }));
    const ctx = { toolkit, failOnShortSession: settings.failOnShortSession, at: now, needSeconds: need?.seconds, title: 'AWS session too short' };
    const shortfall = (message, remainingSeconds) => {
        (0,report_shortfall/* shortfall */.S)(ctx, message, remainingSeconds);
        return { kind: 'warned', message };
    };
    if (!settings.roleToAssume && settings.source.kind === 'static-keys') {
        const { handOnInputKeys } = await __webpack_require__.e(/* import() */ 339).then(__webpack_require__.bind(__webpack_require__, 9339));
        return handOnInputKeys(settings, deps, need, shortfall);
    }
    const { env } = deps;
    const lookup = (0,policy/* lookupExpiry */._I)({ accessKeyId: env[constants/* Env */.o9.AccessKeyId], expiration: env[constants/* Env */.o9.CredentialExpiration], marker: env[constants/* Env */.o9.SessionMarker] }, settings.expiration);
    if (lookup.kind === 'invalid') {
        toolkit.warning(`${lookup.source} is "${lookup.value}", not an ISO 8601 time; treating the session expiry as unknown.`);
    }
    else if (lookup.kind === 'unknown' && lookup.why && need !== undefined) {
        // Why the expiry is unknown matters only against a stated need (without one, the decision below says what it does).
        toolkit.info(`The current AWS session expiry is unknown: ${lookup.why}.`);
    }
    else if (lookup.kind === 'known' && lookup.inputIgnored) {
        toolkit.info(`The 'expiration' input is ignored: the AWS keys in the environment are the ones this action exported, with their own expiry.`);
    }
    // A session minted for another configuration (role, region, account, session policy) is never this step's.
    const foreign = lookup.kind === 'known' && !!settings.roleToAssume && lookup.mintedFor !== undefined && lookup.mintedFor !== (0,identity/* identityKey */.U)(settings);
    const known = lookup.kind === 'known' && !foreign ? lookup.expiry : undefined;
    const remainingBefore = known ? (0,lifetime_decision/* secondsLeft */.Li)(known.at, now) : undefined;
    const decision = (0,lifetime_decision/* decide */.LD)({
        need,
        session: remainingBefore !== undefined ? { kind: 'known', remainingSeconds: remainingBefore } : { kind: 'unknown' },
        canMint: !!settings.roleToAssume,
    });
    if (decision.kind === 'keep') {
        if (known && remainingBefore !== undefined) {
            // output-credentials: the session in use, as configure-aws-credentials would output the one it exported.
            const keys = { accessKeyId: env[constants/* Env */.o9.AccessKeyId], secretAccessKey: env[constants/* Env */.o9.SecretAccessKey], sessionToken: env[constants/* Env */.o9.SessionToken] };
            if (settings.outputCredentials && keys.accessKeyId && keys.secretAccessKey) {
                const { outputCredentials } = await __webpack_require__.e(/* import() */ 504).then(__webpack_require__.bind(__webpack_require__, 5504));
                outputCredentials(toolkit, { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken ?? '', expiration: known.at });
            }
            (0,healthy/* reportKeptSession */.r1)(toolkit, { known, remainingSeconds: remainingBefore, need, now });
            return { kind: 'healthy', remainingSeconds: remainingBefore, expiration: known.at };
        }
        // No role, no stated need, and an expiry nobody knows: nothing to check and nothing to mint.
        toolkit.setOutput(constants/* Outputs */.tY.Refreshed, 'false');
        toolkit.info(`The current AWS session's expiry is unknown and no '${constants/* Inputs */.G0.ExpectedDuration}' is given: nothing to check. Give '${constants/* Inputs */.G0.ExpectedDuration}' to have the session checked against the work.`);
        note(undefined, 'Unchecked: the session expiry is unknown and no need was stated.');
        return { kind: 'warned', message: 'unknown expiry' };
    }
    if (decision.kind === 'shortfall' || !settings.roleToAssume) {
        const state = decision.kind === 'shortfall' && decision.state !== 'cover' ? decision.state : 'short';
        return shortfall((0,messages/* noRoleMessage */.RK)(state, need, remainingBefore, lookup.kind === 'unknown' ? lookup.why : undefined), remainingBefore);
    }
    const how = (0,settings_source/* sourceDescription */.eJ)(settings.source);
    const role = settings.roleToAssume.arn;
    toolkit.info(need === undefined
        ? `Assuming ${role} ${how}.`
        : foreign
            ? `The AWS session in the environment was minted by an earlier step for another role, region or session policy; assuming ${role} ${how}.`
            : remainingBefore === undefined
                ? `The current AWS session expiry is unknown; assuming ${role} ${how}.`
                : `The AWS session has ${(0,settings_duration/* formatDuration */.a)(Math.max(0, remainingBefore))} left; the work needs ${(0,settings_duration/* formatDuration */.a)(need.seconds)} ` +
                    `(${need.explanation}). Assuming ${role} ${how}.`);
    const { refresh } = await __webpack_require__.e(/* import() */ 339).then(__webpack_require__.bind(__webpack_require__, 9339));
    return refresh(settings, deps, need, note, shortfall);
}

// EXTERNAL MODULE: ./src/runner/toolkit.ts
var runner_toolkit = __webpack_require__(1652);
// EXTERNAL MODULE: ./src/settings/need.ts
var need = __webpack_require__(4589);
// EXTERNAL MODULE: ./src/settings/cac-options.ts
var cac_options = __webpack_require__(3915);
// EXTERNAL MODULE: ./src/settings/step-config.ts
var step_config = __webpack_require__(7406);
;// CONCATENATED MODULE: ./src/settings/input-reader.ts
function inputReader(getInput) {
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
    return { reader: { getInput, bool, bad }, problems };
}

// EXTERNAL MODULE: ./src/model/arn.ts
var model_arn = __webpack_require__(1534);
;// CONCATENATED MODULE: ./src/settings/read-roles.ts
/** The role, region, audience and session-name inputs (and mask-aws-account-id, read first). */


/*
 * Every pattern here sees raw input, so each is linear in the input's length:
 * anchored, and no quantifier inside another or next to one that matches the
 * same characters (__tests__/unit/input-patterns.test.ts).
 */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Any run of 12 digits: what an account ID looks like inside a value that did not parse. */
const ACCOUNT_ID_RUN = /\d{12}/g;
/** An ARN as a problem may show it: with mask-aws-account-id, no account ID (problems print before any mask is registered). */
function arnShownWith(maskAwsAccountId) {
    return (raw) => (maskAwsAccountId ? raw.replace(ACCOUNT_ID_RUN, '***') : raw);
}
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
function defaultSessionName(env) {
    const parts = ['GitHubActions', env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter((p) => !!p && /^[\w+=,.@-]+$/.test(p));
    return parts.join('-').slice(0, 64);
}
function readRoleInputs(r, env) {
    const { getInput, bool, bad } = r;
    // Read first: with it, a value shown in a problem (printed before any mask is registered) shows no account ID.
    const maskAwsAccountId = bool(constants/* Inputs */.G0.MaskAwsAccountId, false);
    const shownArn = arnShownWith(maskAwsAccountId);
    const role = (name) => {
        const raw = getInput(name);
        if (raw === '')
            return undefined;
        return ((0,model_arn/* parseRoleArn */.DM)(raw) ??
            bad(name, shownArn(raw), 'is not an IAM role ARN', 'Use the full ARN, e.g. arn:aws:iam::123456789012:role/deploy.'));
    };
    const roleToAssume = role(constants/* Inputs */.G0.RoleToAssume);
    const chainedRoleToAssume = role(constants/* Inputs */.G0.ChainedRoleToAssume);
    if (chainedRoleToAssume && !roleToAssume && getInput(constants/* Inputs */.G0.RoleToAssume) === '') {
        bad(constants/* Inputs */.G0.ChainedRoleToAssume, undefined, "needs 'role-to-assume'", 'Give the role that the credential source assumes first.');
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
    return {
        maskAwsAccountId,
        ...(roleToAssume && { roleToAssume }),
        ...(chainedRoleToAssume && { chainedRoleToAssume }),
        ...(region !== undefined && { region }),
        audience,
        roleSessionName,
    };
}

;// CONCATENATED MODULE: ./src/settings/read-lifetime.ts
/** The lifetime inputs: expected-duration, safety-margin, role-duration-seconds and expiration, and how they must agree. */



const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
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
function readLifetimeInputs(r) {
    const { getInput, bad } = r;
    const duration = (input) => {
        const read = (0,need/* readDurationInput */.zG)(getInput, input);
        if ('seconds' in read)
            return read.seconds;
        if ('absent' in read)
            return undefined;
        const form = 'Use whole numbers with d, h, m, s, largest first, such as 90m, 2h, 1h30m, or whole seconds (5400).';
        const what = {
            form: 'is not a duration',
            short: `must be at least ${(0,settings_duration/* formatDuration */.a)(input.min)}`,
            long: `is longer than ${(0,settings_duration/* formatDuration */.a)(input.max)}, more than any job can run`,
        }[read.problem];
        return bad(input.name, read.raw, what, form) ?? input.min;
    };
    const expectedDurationSeconds = duration(need/* EXPECTED_DURATION */.gE);
    const safetyMarginSeconds = duration(need/* SAFETY_MARGIN */.iN) ?? 0;
    let roleDurationSeconds;
    const rdsRaw = getInput(constants/* Inputs */.G0.RoleDurationSeconds);
    if (rdsRaw !== '') {
        const n = /^\d+$/.test(rdsRaw) ? Number(rdsRaw) : NaN;
        if (!(n >= constants/* Sts */.ht.MinDurationSeconds && n <= constants/* Sts */.ht.MaxDurationSeconds)) {
            bad(constants/* Inputs */.G0.RoleDurationSeconds, rdsRaw, `must be whole seconds from ${constants/* Sts */.ht.MinDurationSeconds} to ${constants/* Sts */.ht.MaxDurationSeconds}`, 'STS accepts no other session length; leave it out to ask for 1 h (3600 s), or, with expected-duration, for what the work needs.');
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
    return {
        ...(expectedDurationSeconds !== undefined && { expectedDurationSeconds }),
        safetyMarginSeconds,
        ...(roleDurationSeconds !== undefined && { roleDurationSeconds }),
        ...(expiration && { expiration }),
        rdsRaw,
    };
}
/** With expected-duration, an explicit role-duration-seconds must cover the need (keep-alive renews, so it need not). */
function checkDurationsAgree(r, lifetime, keepAlive) {
    const { bad } = r;
    const { roleDurationSeconds, expectedDurationSeconds, safetyMarginSeconds, rdsRaw } = lifetime;
    if (roleDurationSeconds !== undefined && expectedDurationSeconds !== undefined && !keepAlive) {
        const needSeconds = expectedDurationSeconds + safetyMarginSeconds;
        if (roleDurationSeconds < needSeconds) {
            const fits = roleDurationSeconds - safetyMarginSeconds;
            bad(constants/* Inputs */.G0.RoleDurationSeconds, rdsRaw, `is shorter than '${constants/* Inputs */.G0.ExpectedDuration}' (${(0,settings_duration/* formatDuration */.a)(expectedDurationSeconds)}) + '${constants/* Inputs */.G0.SafetyMargin}' (${(0,settings_duration/* formatDuration */.a)(safetyMarginSeconds)}) = ${(0,settings_duration/* formatDuration */.a)(needSeconds)}: the session would end before the work`, `Raise '${constants/* Inputs */.G0.RoleDurationSeconds}' to at least ${needSeconds}, or leave it out (the step then asks for what the work needs)` +
                (fits > 0 ? `, or set '${constants/* Inputs */.G0.ExpectedDuration}: ${(0,settings_duration/* formatDuration */.a)(fits)}' if the work is that short.` : '.'));
        }
    }
}

// EXTERNAL MODULE: ./src/util/redact.ts
var redact = __webpack_require__(767);
;// CONCATENATED MODULE: ./src/settings/read-network.ts
/** The network inputs: sts-endpoint, http-proxy / no-proxy, and retry-max-attempts. */



/** configure-aws-credentials sets no upper bound (real workflows use 30); past this, backoff alone outlasts any job. */
const MAX_RETRY_ATTEMPTS = 100;
function readStsEndpoint(r) {
    const { getInput, bad } = r;
    let problems = 0;
    const fail = (name, value, what, fix) => {
        problems++;
        return bad(name, value, what, fix);
    };
    const stsRaw = getInput(constants/* Inputs */.G0.StsEndpoint);
    let stsEndpoint;
    if (stsRaw !== '') {
        const shown = (0,redact/* redactUrl */.BO)(stsRaw);
        const example = 'e.g. https://sts.us-east-1.amazonaws.com';
        let url;
        try {
            url = new URL(stsRaw);
        }
        catch {
            url = undefined;
        }
        if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
            fail(constants/* Inputs */.G0.StsEndpoint, shown, 'is not an https URL', `Give the endpoint's full URL, ${example}.`);
        }
        else {
            if (url.username !== '' || url.password !== '') {
                fail(constants/* Inputs */.G0.StsEndpoint, shown, 'holds a user name or password', `Remove the part up to "@": STS calls are signed with the session's keys, ${example}.`);
            }
            if (url.protocol === 'http:' && !(0,net_proxy/* isLoopbackHost */.cW)(url.hostname)) {
                bad(constants/* Inputs */.G0.StsEndpoint, shown, `uses plain http to ${url.hostname}, which is not loopback`, `Use https://, ${example}. Plain http is accepted only on loopback (localhost, 127.0.0.0/8, [::1]), as for a local stand-in.`);
            }
        }
        if (problems === 0)
            stsEndpoint = stsRaw;
    }
    return stsEndpoint;
}
function readRetryMaxAttempts(r) {
    const { getInput, bad } = r;
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
    return retryMaxAttempts;
}
function readProxy(r, env) {
    const { getInput, bad } = r;
    const httpProxyRaw = getInput(constants/* Inputs */.G0.HttpProxy).trim();
    if (httpProxyRaw !== '') {
        const shown = (0,redact/* redactUrl */.BO)(httpProxyRaw);
        let url;
        try {
            url = /^https?:\/\//i.test(httpProxyRaw) ? (0,net_proxy/* parseProxyUrl */.Pr)({ url: httpProxyRaw, from: constants/* Inputs */.G0.HttpProxy }) : undefined;
        }
        catch {
            url = undefined;
        }
        if (!url) {
            bad(constants/* Inputs */.G0.HttpProxy, shown, 'is not an http:// or https:// URL', 'Give the proxy as http://host:port, or http://user:password@host:port (the password is masked; percent-encode any @, /, ? or # in it: %40, %2F, %3F, %23).');
        }
    }
    const proxy = (0,net_proxy/* resolveProxyConfig */.v0)({ httpProxy: httpProxyRaw, noProxy: getInput(constants/* Inputs */.G0.NoProxy) }, env);
    return proxy;
}

;// CONCATENATED MODULE: ./src/settings/read-policies.ts
/** The session-policy inputs: inline-session-policy and managed-session-policies. */



const MAX_MANAGED_POLICIES = 10;
/** AWS: an inline session policy is at most 2,048 characters (after removing whitespace). */
const MAX_INLINE_POLICY_CHARS = 2048;
function readPolicyInputs(r, maskAwsAccountId) {
    const { getInput, bad } = r;
    const shownArn = arnShownWith(maskAwsAccountId);
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
        if (!list && (0,model_arn/* isPolicyArn */.Sx)(arn))
            continue;
        // Each bad line is its own problem, up to a screenful; past that, a note that there are more.
        if (++badLines > MAX_MANAGED_POLICIES)
            break;
        if (list)
            bad(constants/* Inputs */.G0.ManagedSessionPolicies, shownArn(arn), 'holds several ARNs on one line; a comma does not separate them', onePerLine);
        else
            bad(constants/* Inputs */.G0.ManagedSessionPolicies, shownArn(arn), 'is not an IAM policy ARN', onePerLine);
    }
    if (badLines > MAX_MANAGED_POLICIES) {
        bad(constants/* Inputs */.G0.ManagedSessionPolicies, undefined, `has more lines that are not IAM policy ARNs than the ${MAX_MANAGED_POLICIES} listed`, onePerLine);
    }
    if (managedSessionPolicies.length > MAX_MANAGED_POLICIES) {
        bad(constants/* Inputs */.G0.ManagedSessionPolicies, undefined, `lists ${managedSessionPolicies.length} policies`, `STS accepts at most ${MAX_MANAGED_POLICIES}.`);
    }
    return { ...(inlineSessionPolicy !== undefined && { inlineSessionPolicy }), managedSessionPolicies };
}

;// CONCATENATED MODULE: ./src/settings/settings.ts
/**
 * The settings: every input read and checked, by one parser per input or
 * group (settings/read-*.ts, source.ts, cac-options.ts), listed here. Every
 * problem is collected, so one run shows them all, and is reported before
 * any network call. Everything else takes a `Settings` value. (The healthy
 * guard path reads its need and the raw configuration through need.ts and
 * step-config.ts, the same parsers, before deciding it need not read these.)
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

function readSettings(getInput, env, probe) {
    const { reader, problems } = inputReader(getInput);
    const { bool, bad } = reader;
    const roles = readRoleInputs(reader, env);
    const { maskAwsAccountId, roleToAssume, chainedRoleToAssume } = roles;
    const lifetime = readLifetimeInputs(reader);
    const stsEndpoint = readStsEndpoint(reader);
    const policies = readPolicyInputs(reader, maskAwsAccountId);
    let retryMaxAttempts = readRetryMaxAttempts(reader);
    const failOnShortSession = bool(constants/* Inputs */.G0.FailOnShortSession, true);
    const keepAlive = bool(constants/* Inputs */.G0.KeepAlive, false);
    const roleGiven = getInput(constants/* Inputs */.G0.RoleToAssume) !== '';
    const source = (0,settings_source/* readSource */.o$)({ ...reader, env, roleGiven, ...(probe && { probe }) });
    // Without a role, only input keys can be handed on (as they are: they need no refresh).
    if (keepAlive && !roleGiven && source.kind !== 'static-keys') {
        bad(constants/* Inputs */.G0.KeepAlive, 'true', "needs 'role-to-assume'", 'The credential server mints sessions of that role from the credential source (GitHub OIDC, a token file, keys, or the credentials in place).');
    }
    checkDurationsAgree(reader, lifetime, keepAlive);
    const serveContainers = bool(constants/* Inputs */.G0.ServeContainers, false);
    if (serveContainers && !keepAlive) {
        bad(constants/* Inputs */.G0.ServeContainers, 'true', `needs '${constants/* Inputs */.G0.KeepAlive}: true'`, `Set '${constants/* Inputs */.G0.KeepAlive}: true': the keep-alive credential server is what serves containers.`);
    }
    const proxy = readProxy(reader, env);
    const cac = (0,cac_options/* readCacOptions */.IT)(reader, env);
    if (cac.disableRetry)
        retryMaxAttempts = 1; // CAC: disable-retry means one attempt
    const target = chainedRoleToAssume ?? roleToAssume;
    if (cac.allowedAccountIds && target && !cac.allowedAccountIds.includes(target.accountId)) {
        // With mask-aws-account-id nothing names an account: this is printed before any mask is registered.
        bad(constants/* Inputs */.G0.AllowedAccountIds, maskAwsAccountId ? undefined : cac.allowedAccountIds.join(','), maskAwsAccountId ? `does not include the account of '${chainedRoleToAssume ? constants/* Inputs */.G0.ChainedRoleToAssume : constants/* Inputs */.G0.RoleToAssume}'` : `does not include ${target.accountId}, the account of ${target.arn}`, 'Add that account to the list, or assume a role in an allowed account.');
    }
    if (problems.length > 0)
        throw new SettingsError(problems);
    const { rdsRaw: _rdsRaw, ...lifetimeSettings } = lifetime;
    return {
        ...roles,
        ...lifetimeSettings,
        failOnShortSession,
        ...(stsEndpoint !== undefined && { stsEndpoint }),
        ...policies,
        retryMaxAttempts,
        keepAlive,
        serveContainers,
        ...(proxy && { proxy }),
        source,
        stepFingerprint: (0,step_config/* stepFingerprint */.D)(getInput, env),
        ...cac,
    };
}

// EXTERNAL MODULE: ./src/sts/endpoint.ts
var endpoint = __webpack_require__(3235);
;// CONCATENATED MODULE: ./src/main-step.ts
/**
 * The main step: read the settings, mask what must never be printed, then
 * run keep-alive, or the guard (after asking a running keep-alive server, if
 * one was handed over). A chunk itself, loaded by main-run.ts whenever the
 * healthy shortcut does not apply. The AWS SDK, node:http and the keep-alive
 * code are separate chunks, loaded only on the paths that need them: the
 * healthy guard path loads none of them.
 */











/** The real minter for a step's env: loads the minting chunk only when a session must be minted, and the AWS SDK (another chunk) only for a signed AssumeRole. */
const minterLoader = (env) => async (settings, onToken) => {
    const { createMinter, mintingSourceOf } = await __webpack_require__.e(/* import() */ 923).then(__webpack_require__.bind(__webpack_require__, 6923));
    // Keys handed on without a role need STS only for GetCallerIdentity, which every region (and the global endpoint's us-east-1) answers.
    const region = settings.region ?? (settings.roleToAssume ? undefined : 'us-east-1');
    if (!region)
        throw new Error('aws-region is required to reach STS');
    return createMinter({
        region,
        endpoint: (0,endpoint/* resolveStsEndpoint */.M)(settings, env),
        proxy: settings.proxy,
        env,
        source: mintingSourceOf(settings.source, env, (0,identity/* identityKey */.U)(settings)),
        audience: settings.audience,
        retryMaxAttempts: settings.retryMaxAttempts,
        onToken,
    }).minter;
};
function timeoutMessage(seconds) {
    return `'${constants/* Inputs */.G0.ActionTimeoutS}': the step did not finish within ${seconds} s and stopped; nothing was exported. Raise the timeout or find what is slow (STS, the OIDC token request, a proxy).`;
}
async function runMain(toolkit = (0,runner_toolkit/* processToolkit */.Kg)(), env = process.env, clock = Date.now) {
    let timeoutSeconds;
    let signal;
    try {
        // Keys given as inputs are masked first thing, before any message could hold one.
        for (const secret of (0,settings_source/* sourceSecretInputs */.RK)((name) => toolkit.getInput(name)))
            toolkit.setSecret(secret);
        const settings = readSettings((name) => toolkit.getInput(name), (0,step_config/* settingsEnv */.b)(env));
        for (const accountId of (0,variables/* accountIdsToMask */.xX)(settings))
            toolkit.setSecret(accountId);
        // A proxy URL may hold a password: masked before anything else is printed.
        for (const secret of (0,net_proxy/* proxySecrets */.Wm)(settings.proxy))
            toolkit.setSecret(secret);
        // action-timeout-s: one signal for the whole step, passed down to every network wait (an unref'd timer).
        timeoutSeconds = settings.actionTimeoutSeconds;
        signal = timeoutSeconds !== undefined ? AbortSignal.timeout(timeoutSeconds * 1000) : undefined;
        // configure-aws-credentials clears these first, and only when it exports variables at all (src/index.ts, src/helpers.ts unsetCredentials).
        if (settings.unsetCurrentCredentials && settings.outputEnvCredentials)
            (await __webpack_require__.e(/* import() */ 504).then(__webpack_require__.bind(__webpack_require__, 5504))).unsetCurrentCredentials(toolkit, env);
        const note = (0,messages/* assumeRoleOnlyNote */.FS)(settings);
        if (note)
            toolkit.warning(note, 'Session tags not sent');
        const deps = { toolkit, env, clock, loadMinter: minterLoader(env), ...(signal && { signal }) };
        // Input keys without a role are handed on as they are (by the guard): nothing to keep alive.
        if (settings.keepAlive && (settings.roleToAssume || settings.source.kind !== 'static-keys')) {
            const { keepAlive } = await Promise.all(/* import() */[__webpack_require__.e(530), __webpack_require__.e(548)]).then(__webpack_require__.bind(__webpack_require__, 6548));
            await keepAlive(settings, deps);
            return;
        }
        // Static keys come first in every SDK chain: with keys in the env, they are the session, whatever server runs.
        const keysAsTheyAre = !settings.roleToAssume && settings.source.kind === 'static-keys';
        if ((env[constants/* Env */.o9.ContainerFullUri] || env[constants/* Env */.o9.ContainerRelativeUri]) && !env[constants/* Env */.o9.AccessKeyId] && !keysAsTheyAre) {
            const { checkRunningServer } = await Promise.all(/* import() */[__webpack_require__.e(530), __webpack_require__.e(548)]).then(__webpack_require__.bind(__webpack_require__, 6548));
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
        toolkit.setFailed(signal?.aborted && timeoutSeconds !== undefined ? timeoutMessage(timeoutSeconds) : (0,runner_toolkit/* failureMessage */.oh)(error));
    }
}


/***/ }),

/***/ 1534:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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

/***/ 1987:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EF: () => (/* binding */ loopbackNoProxyExports),
/* harmony export */   GK: () => (/* binding */ describeProxy),
/* harmony export */   Pr: () => (/* binding */ parseProxyUrl),
/* harmony export */   Wm: () => (/* binding */ proxySecrets),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   iJ: () => (/* binding */ proxyFor),
/* harmony export */   v0: () => (/* binding */ resolveProxyConfig)
/* harmony export */ });
/* unused harmony exports ProxyConfigError, bareHost, noProxyMatches */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _util_redact_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(767);
/**
 * Which proxy, if any, a request goes through. The configuration comes from
 * the `http-proxy` / `no-proxy` inputs, else from HTTPS_PROXY, HTTP_PROXY and
 * NO_PROXY. Pure code with no Node module: the settings (on the healthy path)
 * resolve the configuration here; the agents that use it (proxy-agent.ts) are
 * loaded only with the minter.
 *
 * Conventions, as Go's ProxyFromEnvironment and curl:
 * - upper case wins when both spellings are set (and not empty): HTTPS_PROXY
 *   before https_proxy. Python (and so the AWS CLI) prefers lower case: set
 *   only one spelling, or the same value in both;
 * - https targets use HTTPS_PROXY only, http targets HTTP_PROXY only; the
 *   `http-proxy` input (configure-aws-credentials' name) is used for both;
 * - a proxy given without a scheme (`proxy:3128`) means http://;
 * - loopback (127.0.0.0/8, ::1, localhost) is never proxied.
 */


/** The first of `names` set to something other than blanks, with its name. */
function firstSet(env, names) {
    for (const name of names) {
        const value = env[name]?.trim();
        if (value)
            return { value, name };
    }
    return undefined;
}
/**
 * The proxy configuration in force: the inputs (given as typed, '' when not
 * given) override the environment. Undefined when no proxy is configured.
 */
function resolveProxyConfig(inputs, env) {
    const input = inputs.httpProxy.trim();
    const https = input ? { url: input, from: _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.HttpProxy } : toProxyUrl(firstSet(env, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ProxyEnvNames */ ._h.https));
    const http = input ? { url: input, from: _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.HttpProxy } : toProxyUrl(firstSet(env, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ProxyEnvNames */ ._h.http));
    if (!https && !http)
        return undefined;
    const noProxy = inputs.noProxy.trim() || firstSet(env, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ProxyEnvNames */ ._h.noProxy)?.value;
    return { ...(https && { https }), ...(http && { http }), ...(noProxy && { noProxy }) };
}
const toProxyUrl = (found) => found && { url: found.value, from: found.name };
class ProxyConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ProxyConfigError';
    }
}
/** The proxy as shown in messages: user info hidden, with where it came from. */
function describeProxy(proxy) {
    return `${(0,_util_redact_js__WEBPACK_IMPORTED_MODULE_1__/* .redactUrl */ .BO)(proxy.url)} (from ${proxy.from})`;
}
/**
 * The proxy's URL, checked: http:// or https://, with a host. A value
 * without a scheme means http://, as Go and curl read it.
 */
function parseProxyUrl(proxy) {
    const text = /^[a-z][a-z\d+.-]*:\/\//i.test(proxy.url) ? proxy.url : `http://${proxy.url}`;
    let url;
    try {
        url = new URL(text);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
        throw new ProxyConfigError(`The proxy ${describeProxy(proxy)} is not an http:// or https:// URL. Give it as http://host:port (user and password, if any, as http://user:password@host:port).`);
    }
    // An `@` after the host means a password with an unencoded `@`, `/`, `?` or `#`: the parser ended the user info early,
    // so the proxy host would be part of the password (and would show in a connection error).
    if (`${url.pathname}${url.search}${url.hash}`.includes('@')) {
        throw new ProxyConfigError(`The proxy ${describeProxy(proxy)} has an "@" after its host: a password that holds @, /, ? or # must be percent-encoded (%40, %2F, %3F, %23), as in http://user:p%40ss@host:port.`);
    }
    return url;
}
/** Values to mask: the proxy passwords, as written in the URL and decoded. */
function proxySecrets(config) {
    const secrets = new Set();
    for (const proxy of [config?.https, config?.http]) {
        if (!proxy)
            continue;
        let password = '';
        try {
            password = parseProxyUrl(proxy).password;
        }
        catch {
            // Not a URL: mask what would be the password, to err on the side of hiding.
            const at = proxy.url.lastIndexOf('@');
            const colon = proxy.url.indexOf(':', proxy.url.indexOf('//') + 2);
            if (at > 0 && colon > 0 && colon < at)
                password = proxy.url.slice(colon + 1, at);
        }
        if (!password)
            continue;
        secrets.add(password);
        try {
            secrets.add(decodeURIComponent(password));
        }
        catch {
            // not percent-encoded text
        }
    }
    return [...secrets].filter((s) => s !== '');
}
// --- addresses ----------------------------------------------------------------------
function parseIpv4(text) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!m)
        return undefined;
    const parts = m.slice(1).map(Number);
    if (parts.some((p) => p > 255))
        return undefined;
    return parts.reduce((n, p) => n * 256 + p, 0);
}
/** An IPv6 address as 8 groups of 16 bits (an IPv4 tail included), or undefined. */
function parseIpv6(text) {
    if (!text.includes(':') || !/^[\da-f:.]+$/i.test(text))
        return undefined;
    let s = text.toLowerCase();
    const lastColon = s.lastIndexOf(':');
    const tail = s.slice(lastColon + 1);
    if (tail.includes('.')) {
        const v4 = parseIpv4(tail);
        if (v4 === undefined)
            return undefined;
        s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
    }
    const halves = s.split('::');
    if (halves.length > 2)
        return undefined;
    const groups = (h) => (h ? h.split(':') : []);
    const head = groups(halves[0]);
    const rest = groups(halves[1]);
    const missing = 8 - head.length - rest.length;
    if (halves.length === 1 ? missing !== 0 : missing < 1)
        return undefined;
    const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...rest];
    if (!all.every((g) => /^[\da-f]{1,4}$/.test(g)))
        return undefined;
    return all.map((g) => parseInt(g, 16));
}
/** An IP literal as a list of bits (32 or 128), or undefined for a name. */
function parseIp(text) {
    const v4 = parseIpv4(text);
    if (v4 !== undefined)
        return { v: 4, bits: toBits([Math.floor(v4 / 65536), v4 % 65536]) };
    const v6 = parseIpv6(text);
    return v6 && { v: 6, bits: toBits(v6) };
}
const toBits = (groups) => groups.flatMap((g) => Array.from({ length: 16 }, (_, i) => (g >> (15 - i)) & 1));
function inPrefix(ip, net, length) {
    if (ip.v !== net.v || length < 0 || length > net.bits.length)
        return false;
    for (let i = 0; i < length; i++)
        if (ip.bits[i] !== net.bits[i])
            return false;
    return true;
}
/** A URL hostname without IPv6 brackets or a trailing dot, lower case. */
function bareHost(hostname) {
    const h = hostname.toLowerCase();
    const unbracketed = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
    return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}
// Parsed on first use, not on import: the healthy guard path loads this module and never needs them.
let loopbackNets;
const nets = () => (loopbackNets ??= { v4Mapped: parseIp('::ffff:0.0.0.0'), v4Loopback: parseIp('127.0.0.0'), v6Loopback: parseIp('::1') });
/** localhost (and *.localhost), 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104: never proxied. */
function isLoopbackHost(hostname) {
    const host = bareHost(hostname);
    if (host === 'localhost' || host.endsWith('.localhost'))
        return true;
    const ip = parseIp(host);
    if (!ip)
        return false;
    const { v4Mapped, v4Loopback, v6Loopback } = nets();
    if (ip.v === 4)
        return inPrefix(ip, v4Loopback, 8);
    if (inPrefix(ip, v6Loopback, 128))
        return true;
    return inPrefix(ip, v4Mapped, 96) && ip.bits.slice(96, 104).join('') === '01111111';
}
/**
 * Whether a NO_PROXY list exempts host:port. Entries are separated by commas
 * or blanks; each is `*` (everything), an IP literal, a CIDR block
 * (10.0.0.0/8, fd00::/8), or a domain, which also covers its subdomains, with
 * or without a leading `.` or `*.` (as curl and Python read it; Go reads
 * `.example.com` as subdomains only). Any entry may end in `:port` (IPv6 as
 * `[::1]:port`) to exempt only that port.
 */
function noProxyMatches(list, hostname, port) {
    const host = bareHost(hostname);
    const hostIp = parseIp(host);
    for (const raw of list.toLowerCase().split(/[\s,]+/)) {
        if (raw === '')
            continue;
        if (raw === '*')
            return true;
        let entry = raw;
        let entryPort;
        const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
        if (bracketed) {
            entry = bracketed[1] ?? '';
            entryPort = bracketed[2] !== undefined ? Number(bracketed[2]) : undefined;
        }
        else {
            const withPort = /^([^:]+):(\d+)$/.exec(entry);
            if (withPort) {
                entry = withPort[1] ?? '';
                entryPort = Number(withPort[2]);
            }
        }
        if (entryPort !== undefined && entryPort !== port)
            continue;
        const slash = entry.indexOf('/');
        if (slash !== -1) {
            const net = parseIp(entry.slice(0, slash));
            const length = /^\d{1,3}$/.test(entry.slice(slash + 1)) ? Number(entry.slice(slash + 1)) : -1;
            if (net && hostIp && inPrefix(hostIp, net, length))
                return true;
            continue;
        }
        const entryIp = parseIp(entry);
        if (entryIp) {
            if (hostIp && inPrefix(hostIp, entryIp, entryIp.bits.length))
                return true;
            continue;
        }
        const domain = bareHost(entry.replace(/^\*?\.?/, ''));
        if (domain !== '' && !hostIp && (host === domain || host.endsWith(`.${domain}`)))
            return true;
    }
    return false;
}
const DEFAULT_PORTS = { 'http:': 80, 'https:': 443 };
/** The proxy a request to `target` goes through, or undefined to connect directly. */
function proxyFor(target, config) {
    if (!config)
        return undefined;
    const url = typeof target === 'string' ? new URL(target) : target;
    const proxy = url.protocol === 'https:' ? config.https : url.protocol === 'http:' ? config.http : undefined;
    if (!proxy || isLoopbackHost(url.hostname))
        return undefined;
    const port = url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0);
    if (config.noProxy && noProxyMatches(config.noProxy, url.hostname, port))
        return undefined;
    return proxy;
}
/**
 * NO_PROXY and no_proxy for later steps, so that no client proxies the
 * keep-alive server on `endpoint` (a loopback URL): each spelling's current
 * value (else the other's) with 127.0.0.1 and localhost added where the list
 * does not name them yet. Empty when nothing needs to change. Only an entry
 * naming the host itself (or `*`) counts: clients read NO_PROXY differently
 * (Node's NODE_USE_ENV_PROXY ignores ranges such as 127.0.0.0/8, and a port
 * in an entry limits it to that port), and an entry too many costs nothing.
 */
function loopbackNoProxyExports(env, endpoint) {
    const url = new URL(endpoint);
    const named = (list, host) => list.split(',').some((entry) => ['*', host].includes(entry.trim().toLowerCase()));
    const out = {};
    const [upper, lower] = _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .ProxyEnvNames */ ._h.noProxy;
    for (const [name, other] of [
        [upper, lower],
        [lower, upper],
    ]) {
        const base = env[name]?.trim() || env[other]?.trim() || '';
        const missing = ['127.0.0.1', 'localhost', bareHost(url.hostname)].filter((host, i, all) => all.indexOf(host) === i && !named(base, host));
        if (missing.length > 0)
            out[name] = [base, ...missing].filter((s) => s !== '').join(',');
    }
    return out;
}


/***/ }),

/***/ 1025:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ shortfall)
/* harmony export */ });
/* unused harmony export ShortSessionError */
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7994);

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
    const fails = ctx.failOnShortSession || (remainingSeconds !== undefined && remainingSeconds <= 0);
    ctx.toolkit.appendSummary((0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .summaryLine */ .d)({
        at: new Date(ctx.at),
        remainingSeconds,
        needSeconds: ctx.needSeconds,
        outcome: `${fails ? '**Failed**' : 'Warned'}: ${headline}`,
    }));
    if (fails)
        throw new ShortSessionError(message);
    ctx.toolkit.warning(message, ctx.title);
}


/***/ }),

/***/ 3915:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IT: () => (/* binding */ readCacOptions),
/* harmony export */   jI: () => (/* binding */ hopExtras)
/* harmony export */ });
/* unused harmony exports chainedRoleExtras, MAX_ACTION_TIMEOUT_SECONDS, profileNameProblem */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9482);
/* harmony import */ var _session_tags_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5767);



/**
 * The extras for this action's own chained-role-to-assume hop. Session tags
 * need sts:TagSession in the role's trust policy, which chained roles set up
 * before these inputs existed do not allow: the default tags go there only
 * when the step asks for tags itself (custom-tags or transitive-tag-keys).
 * The external ID always goes. The configure-aws-credentials sources
 * (static keys, role-chaining) send the default tags as CAC does.
 */
function chainedRoleExtras(settings) {
    const extras = settings.assumeRoleExtras;
    if (!extras)
        return undefined;
    const tagging = settings.assumeRoleOnlyInputs.some((n) => n === _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.CustomTags || n === _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.TransitiveTagKeys);
    if (tagging)
        return extras;
    return extras.externalId !== undefined ? { externalId: extras.externalId } : undefined;
}
/**
 * The extras of each AssumeRole hop. A source that signs AssumeRole itself
 * (keys, the credentials in place) sends all of them on the first hop, as
 * configure-aws-credentials does; GitHub OIDC and a token file use
 * AssumeRoleWithWebIdentity there, which takes none.
 */
function hopExtras(settings) {
    const first = (0,_source_js__WEBPACK_IMPORTED_MODULE_1__/* .assumesWithCredentials */ .gK)(settings.source) ? settings.assumeRoleExtras : undefined;
    const chained = settings.chainedRoleToAssume ? chainedRoleExtras(settings) : undefined;
    if (!first && !chained)
        return undefined;
    return { ...(first && { first }), ...(chained && { chained }) };
}
/** A day: longer than any step needs to mint a session; anything above is a typo (CAC takes any whole number). */
const MAX_ACTION_TIMEOUT_SECONDS = 86400;
const ACCOUNT_ID = /^\d{12}$/;
/**
 * CAC's profile-name rules (src/profileManager.ts validateProfileName): not
 * empty, no whitespace, no brackets, no path separators.
 */
function profileNameProblem(name) {
    if (/\s/.test(name))
        return 'must not contain whitespace';
    if (/[[\]]/.test(name))
        return 'must not contain brackets';
    if (name.includes('/') || name.includes('\\'))
        return 'must not contain path separators';
    // An INI comment character at the start would make the section unreadable to the SDKs.
    if (name.startsWith('#') || name.startsWith(';'))
        return 'must not start with # or ;';
    return undefined;
}
function readCacOptions(reader, env) {
    const { getInput, bool, bad } = reader;
    // CAC src/index.ts: role-skip-session-tagging, transitive-tag-keys (getMultilineInput), custom-tags, role-external-id.
    const skipTagging = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleSkipSessionTagging, false);
    const extrasInput = {
        externalId: getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleExternalId),
        skipTagging,
        customTags: getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.CustomTags),
        transitiveTagKeys: getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.TransitiveTagKeys),
    };
    const inputOf = { 'external-id': _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleExternalId, 'custom-tags': _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.CustomTags, 'transitive-tag-keys': _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.TransitiveTagKeys };
    const assumeRoleExtras = (0,_session_tags_js__WEBPACK_IMPORTED_MODULE_2__/* .readAssumeRoleExtras */ .Er)(extrasInput, env, (which) => (what, fix, shown) => bad(inputOf[which], shown, what, fix));
    const assumeRoleOnlyInputs = [
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.RoleExternalId, extrasInput.externalId],
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.CustomTags, extrasInput.customTags],
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.TransitiveTagKeys, extrasInput.transitiveTagKeys],
    ]
        .filter(([, raw]) => raw.trim() !== '')
        .map(([name]) => name);
    // CAC src/index.ts: `getInput('allowed-account-ids').split(',').map((s) => s.trim())`; an empty input checks nothing.
    const allowedRaw = getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AllowedAccountIds);
    let allowedAccountIds;
    if (allowedRaw.trim() !== '') {
        const ids = allowedRaw
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
        const wrong = ids.filter((id) => !ACCOUNT_ID.test(id));
        for (const id of wrong.slice(0, 10)) {
            bad(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AllowedAccountIds, id, 'is not an AWS account ID', 'Give 12-digit account IDs separated by commas, e.g. 123456789012,210987654321.');
        }
        if (ids.length === 0)
            bad(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AllowedAccountIds, allowedRaw, 'lists no account ID', 'Give 12-digit account IDs separated by commas, or leave it out.');
        if (wrong.length === 0 && ids.length > 0)
            allowedAccountIds = [...new Set(ids)];
    }
    // CAC src/index.ts: aws-profile, overwrite-aws-profile; output-env-credentials defaults to !awsProfile.
    const awsProfile = getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AwsProfile);
    if (awsProfile !== '') {
        const why = profileNameProblem(awsProfile);
        if (why)
            bad(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.AwsProfile, awsProfile, why, 'Use a profile name such as deploy or ci-prod.');
    }
    const overwriteAwsProfile = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.OverwriteAwsProfile, false);
    const outputEnvCredentials = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.OutputEnvCredentials, awsProfile === '');
    const outputCredentials = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.OutputCredentials, false);
    const unsetCurrentCredentials = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.UnsetCurrentCredentials, false);
    // CAC src/index.ts: special-characters-workaround turns disable-retry off ("if (specialCharacterWorkaround) disableRetry = false").
    const specialCharactersWorkaround = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.SpecialCharactersWorkaround, false);
    const disableRetry = bool(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.DisableRetry, false) && !specialCharactersWorkaround;
    // CAC src/index.ts: `Number.parseInt(getInput('action-timeout-s')) || 0`; 0 is no timeout.
    const timeoutRaw = getInput(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.ActionTimeoutS);
    let actionTimeoutSeconds;
    if (timeoutRaw !== '') {
        const n = /^\d{1,9}$/.test(timeoutRaw) ? Number(timeoutRaw) : NaN;
        if (!(n >= 0 && n <= MAX_ACTION_TIMEOUT_SECONDS)) {
            bad(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Inputs */ .G0.ActionTimeoutS, timeoutRaw, `must be whole seconds from 0 to ${MAX_ACTION_TIMEOUT_SECONDS}`, 'Give e.g. 300; 0 or leaving it out sets no timeout.');
        }
        else if (n > 0) {
            actionTimeoutSeconds = n;
        }
    }
    return {
        ...(assumeRoleExtras && { assumeRoleExtras }),
        assumeRoleOnlyInputs,
        ...(allowedAccountIds && { allowedAccountIds }),
        outputCredentials,
        outputEnvCredentials,
        unsetCurrentCredentials,
        ...(awsProfile !== '' && { awsProfile }),
        overwriteAwsProfile,
        specialCharactersWorkaround,
        disableRetry,
        ...(actionTimeoutSeconds !== undefined && { actionTimeoutSeconds }),
    };
}


/***/ }),

/***/ 9251:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   U: () => (/* binding */ identityKey),
/* harmony export */   b: () => (/* binding */ targetRoleArn)
/* harmony export */ });
/* harmony import */ var _util_hash_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5138);
/* harmony import */ var _source_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9482);
/* harmony import */ var _session_tags_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5767);
/**
 * What a configuration mints: the role (and chained role), region, STS
 * endpoint, audience, session name, session policy, and the external ID and
 * custom session tags. Two steps with the
 * same identity can share a session; a step with another identity never
 * takes a session minted for a different one as its own.
 */



/**
 * The part of the AssumeRole extras that the step's configuration chooses: the
 * external ID, custom tags and transitive keys. The default tags are left out:
 * they name the step (GITHUB_ACTION), so every step would differ.
 */
function extrasPart(settings) {
    const e = settings.assumeRoleExtras;
    if (!e)
        return [];
    const custom = (e.tags ?? []).filter((t) => !_session_tags_js__WEBPACK_IMPORTED_MODULE_1__/* .DEFAULT_TAG_KEYS */ .WJ.includes(t.key));
    if (e.externalId === undefined && custom.length === 0 && !e.transitiveTagKeys?.length)
        return [];
    return [{ externalId: e.externalId ?? null, tags: custom, transitiveTagKeys: e.transitiveTagKeys ?? [] }];
}
/** A short key for the identity: equal keys mint the same kind of session. */
function identityKey(settings) {
    return (0,_util_hash_js__WEBPACK_IMPORTED_MODULE_2__/* .fingerprint */ .R)(JSON.stringify([
        settings.roleToAssume?.arn ?? null,
        settings.chainedRoleToAssume?.arn ?? null,
        settings.region ?? null,
        settings.audience,
        settings.stsEndpoint ?? null,
        settings.roleSessionName,
        settings.inlineSessionPolicy ?? null,
        settings.managedSessionPolicies,
        // Another source (another token file, other keys) is another identity: a step never reuses a server minting from another.
        (0,_source_js__WEBPACK_IMPORTED_MODULE_0__/* .sourceIdentity */ .Eq)(settings.source),
        // Appended only when set, so configurations without them keep their keys.
        ...extrasPart(settings),
    ]));
}
/** For messages: the role whose session later steps run as. */
function targetRoleArn(settings) {
    return (settings.chainedRoleToAssume ?? settings.roleToAssume)?.arn;
}


/***/ }),

/***/ 5767:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Er: () => (/* binding */ readAssumeRoleExtras),
/* harmony export */   WJ: () => (/* binding */ DEFAULT_TAG_KEYS)
/* harmony export */ });
/* unused harmony exports MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_SESSION_TAGS, EXTERNAL_ID_MIN, EXTERNAL_ID_MAX, sanitizeTagValue, defaultSessionTags, parseCustomTags, parseTransitiveTagKeys, checkExternalId */
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);

/** STS Tag: key 1..128, value 0..256, at most 50 tags per session (API_Tag, API_AssumeRole). */
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
const MAX_SESSION_TAGS = 50;
/** STS ExternalId: 2..1224 characters of `[\w+=,.@:/-]`. */
const EXTERNAL_ID_MIN = 2;
const EXTERNAL_ID_MAX = 1224;
// The characters STS allows in tag keys and values (API_Tag; CAC src/assumeRole.ts TAG_KEY_REGEX / TAG_VALUE_REGEX).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const NOT_TAG_CHAR = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
/**
 * The same class for ASCII text, where \p{L}, \p{N} and \p{Z} are letters, digits and the space. The default tags
 * are built on the healthy guard path too, and a Unicode property class costs about half a millisecond to compile:
 * ASCII values (nearly all of them) never pay it.
 */
function isAscii(text) {
    for (let i = 0; i < text.length; i++)
        if (text.charCodeAt(i) > 0x7f)
            return false;
    return true;
}
const NOT_TAG_ASCII = /[^A-Za-z0-9 _.:/=+\-@]/g;
const EXTERNAL_ID = /^[\w+=,.@:/-]+$/;
const TAG_CHARS = 'letters, digits, spaces and _.:/=+-@';
/**
 * CAC's tags, in its order, each when its variable is set (CAC v6.2
 * src/assumeRole.ts): `GitHub: Actions`, then Repository, Workflow, Action,
 * Actor, Commit, Branch, which are always sent; then EventName, BaseRef,
 * HeadRef, RunId, Job, TriggeringActor, which are dropped when STS finds the
 * tags too large (PackedPolicyTooLarge; sts/minter.ts retries once without
 * them). custom-tags cannot override any of them.
 */
const DEFAULT_TAG_SOURCES = [
    ['Repository', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Repository, false],
    ['Workflow', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Workflow, false],
    ['Action', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Action, false],
    ['Actor', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Actor, false],
    ['Commit', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Sha, false],
    ['Branch', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Ref, false],
    ['EventName', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.EventName, true],
    ['BaseRef', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.BaseRef, true],
    ['HeadRef', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.HeadRef, true],
    ['RunId', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.RunId, true],
    ['Job', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.Job, true],
    ['TriggeringActor', _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .GithubRunEnv */ .og.TriggeringActor, true],
];
const DEFAULT_TAG_KEYS = ['GitHub', ...DEFAULT_TAG_SOURCES.map(([key]) => key)];
/**
 * A value STS accepts: every character STS refuses becomes `_`, then the first
 * 256 characters (CAC src/helpers.ts sanitizeGitHubVariables). Workflow names
 * and refs may hold any character; this keeps AssumeRole from failing on them.
 */
function sanitizeTagValue(value) {
    if (isAscii(value))
        return value.replace(NOT_TAG_ASCII, '_').slice(0, MAX_TAG_VALUE_LENGTH);
    return Array.from(value.replace(NOT_TAG_CHAR, '_')).slice(0, MAX_TAG_VALUE_LENGTH).join('');
}
function defaultSessionTags(env) {
    const tags = [{ key: 'GitHub', value: 'Actions' }];
    for (const [key, variable, droppable] of DEFAULT_TAG_SOURCES) {
        const value = env[variable];
        if (value)
            tags.push({ key, value: sanitizeTagValue(value), ...(droppable && { droppable }) });
    }
    return tags;
}
const lengthOf = (s) => Array.from(s).length;
/** A key as a message shows it: its first 40 characters (a key can be 128 long, a bad one any length). */
const shownKey = (key) => Array.from(key).slice(0, 40).join('') + (lengthOf(key) > 40 ? '...' : '');
/**
 * custom-tags: a JSON object of key to string, number or boolean (CAC
 * src/assumeRole.ts parseAndValidateCustomTags), checked as STS checks tags.
 * Keys of the default tags are refused (case-insensitively: STS refuses keys
 * that differ only in case).
 */
function parseCustomTags(raw, problem, reserved = DEFAULT_TAG_KEYS) {
    if (raw.trim() === '')
        return [];
    let parsed;
    try {
        parsed = JSON.parse(raw);
    }
    catch {
        problem('is not valid JSON', 'Give a JSON object of tag keys to values, e.g. {"Team": "payments", "CostCenter": 42}.');
        return [];
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problem('is not a JSON object', 'Give a JSON object of tag keys to values, e.g. {"Team": "payments"}; not a list or a single value.');
        return [];
    }
    const entries = Object.entries(parsed);
    // Past STS's limit each tag need not be looked at: one problem says it all.
    if (entries.length > MAX_SESSION_TAGS) {
        problem(`sets ${entries.length} tags`, `STS accepts at most ${MAX_SESSION_TAGS} session tags in all, this action's own included.`);
        return [];
    }
    const tags = [];
    const seen = new Set(reserved.map((k) => k.toLowerCase()));
    for (const [key, value] of entries) {
        const shown = shownKey(key);
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
            problem(`has a value for "${shown}" that is not a string, number or boolean`, 'Give each tag a plain value, e.g. {"Team": "payments"}.');
            continue;
        }
        const text = String(value);
        if (lengthOf(key) < 1 || lengthOf(key) > MAX_TAG_KEY_LENGTH) {
            problem(`has a key of ${lengthOf(key)} characters ("${shown}")`, `STS accepts tag keys of 1 to ${MAX_TAG_KEY_LENGTH} characters.`);
        }
        else if (!TAG_KEY.test(key)) {
            problem(`has a key with characters STS refuses ("${shown}")`, `Use only ${TAG_CHARS} in tag keys.`);
        }
        else if (reserved.some((k) => k.toLowerCase() === key.toLowerCase())) {
            problem(`sets "${shown}", a tag this action sets itself`, `Remove it or use another key; ${reserved.join(', ')} are set from the run (turn them all off with role-skip-session-tagging).`);
        }
        else if (seen.has(key.toLowerCase())) {
            problem(`sets "${shown}" twice (keys differing only in case are the same tag to STS)`, 'Keep one of them.');
        }
        seen.add(key.toLowerCase());
        if (lengthOf(text) > MAX_TAG_VALUE_LENGTH) {
            problem(`has a value for "${shown}" of ${lengthOf(text)} characters`, `STS accepts tag values of at most ${MAX_TAG_VALUE_LENGTH} characters.`);
        }
        else if (!TAG_VALUE.test(text)) {
            problem(`has a value for "${shown}" with characters STS refuses`, `Use only ${TAG_CHARS} in tag values.`);
        }
        tags.push({ key, value: text });
    }
    return tags;
}
/**
 * transitive-tag-keys: one key per line (CAC reads it with getMultilineInput).
 * CAC then keeps only the keys of tags it sends (src/assumeRole.ts,
 * transitiveTagKeysArray); a key naming no tag is refused here, as it would do nothing.
 */
function parseTransitiveTagKeys(raw, tags, problem) {
    const keys = raw
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    if (keys.length > MAX_SESSION_TAGS) {
        problem(`lists ${keys.length} keys`, `STS accepts at most ${MAX_SESSION_TAGS}.`);
        return [];
    }
    for (const key of keys) {
        const shown = shownKey(key);
        if (lengthOf(key) > MAX_TAG_KEY_LENGTH || !TAG_KEY.test(key)) {
            problem(`lists "${shown}", which is not a tag key`, `Tag keys are 1 to ${MAX_TAG_KEY_LENGTH} of ${TAG_CHARS}; list one per line.`);
        }
        else if (tags && !tags.some((t) => t.key === key)) {
            problem(`lists "${shown}", which is not one of the session's tags`, `List keys of the tags sent: ${tags.map((t) => t.key).join(', ')}.`);
        }
    }
    return keys;
}
function checkExternalId(raw, problem) {
    if (raw === '')
        return undefined;
    const n = lengthOf(raw);
    if (n < EXTERNAL_ID_MIN || n > EXTERNAL_ID_MAX) {
        problem(`is ${n} characters long`, `STS accepts an external ID of ${EXTERNAL_ID_MIN} to ${EXTERNAL_ID_MAX} characters; give the one in the role's trust policy (sts:ExternalId).`);
        return undefined;
    }
    if (!EXTERNAL_ID.test(raw)) {
        problem('has characters STS refuses', "Use only letters, digits and +=,.@:/_- (as in the role's trust policy, sts:ExternalId).");
        return undefined;
    }
    return raw;
}
/**
 * The AssumeRole extras, or undefined when there are none. `problemFor`
 * names the input each problem belongs to.
 */
function readAssumeRoleExtras(input, env, problemFor) {
    const externalId = checkExternalId(input.externalId, problemFor('external-id'));
    let tags;
    if (!input.skipTagging) {
        const defaults = defaultSessionTags(env);
        const custom = parseCustomTags(input.customTags, problemFor('custom-tags'));
        tags = [...defaults, ...custom];
        if (tags.length > MAX_SESSION_TAGS) {
            problemFor('custom-tags')(`makes ${tags.length} session tags with the ${defaults.length} this action sets`, `STS accepts at most ${MAX_SESSION_TAGS}: remove ${tags.length - MAX_SESSION_TAGS}.`);
        }
    }
    else if (input.customTags.trim() !== '') {
        problemFor('custom-tags')('is set with role-skip-session-tagging: true, which sends no tags', 'Remove one of the two.');
    }
    let transitiveTagKeys = [];
    if (tags) {
        transitiveTagKeys = parseTransitiveTagKeys(input.transitiveTagKeys, tags, problemFor('transitive-tag-keys'));
    }
    else if (input.transitiveTagKeys.trim() !== '') {
        problemFor('transitive-tag-keys')('is set with role-skip-session-tagging: true, which sends no tags', 'Remove one of the two.');
    }
    if (externalId === undefined && tags === undefined && transitiveTagKeys.length === 0)
        return undefined;
    return {
        ...(externalId !== undefined && { externalId }),
        ...(tags !== undefined && { tags }),
        ...(transitiveTagKeys.length > 0 && { transitiveTagKeys }),
    };
}


/***/ }),

/***/ 9482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gK: () => (/* binding */ assumesWithCredentials),
  o$: () => (/* binding */ readSource),
  eJ: () => (/* binding */ sourceDescription),
  Eq: () => (/* binding */ sourceIdentity),
  RK: () => (/* binding */ sourceSecretInputs)
});

// UNUSED EXPORTS: NO_ID_TOKEN, probeTokenFile

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
// EXTERNAL MODULE: ./src/util/file-problem.ts
var file_problem = __webpack_require__(5910);
// EXTERNAL MODULE: ./src/util/redact.ts
var redact = __webpack_require__(767);
// EXTERNAL MODULE: ./src/util/line-break.ts
var line_break = __webpack_require__(1834);
;// CONCATENATED MODULE: ./src/model/settings.ts
/** `via` of the fallback to the credentials in place when the job has no id-token permission. */
const NO_ID_TOKEN = 'no-id-token-permission';

;// CONCATENATED MODULE: ./src/settings/source.ts
/**
 * Where the credentials that mint sessions come from: the source inputs of
 * configure-aws-credentials, with its names, its meaning and its precedence.
 * Read by readSettings only; everything else takes the typed `source`.
 *
 * configure-aws-credentials (src/index.ts) uses GitHub OIDC only when
 * "!!roleToAssume && !!process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN && !AccessKeyId && !webIdentityTokenFile && !roleChaining"
 * (and not force-skip-oidc); otherwise input keys are exported and used to sign
 * AssumeRole, and its assumeRole() takes a web identity token file before
 * signed AssumeRole ("case !!webIdentityTokenFile" comes before "default").
 * So the precedence is: web-identity-token-file, then the key inputs, then the
 * credentials already in place (role-chaining, use-existing-credentials), then
 * GitHub OIDC. Its refusals are kept, word for word where they fit:
 * "'aws-secret-access-key' must be provided if 'aws-access-key-id' is provided", and
 * "If 'force-skip-oidc' is true and 'role-to-assume' is set, 'aws-access-key-id',
 * 'web-identity-token-file', or container credentials must be available".
 */








/** Whether the source's first hop into role-to-assume is AssumeRole signed with its credentials (else AssumeRoleWithWebIdentity). */
function assumesWithCredentials(source) {
    return source.kind === 'static-keys' || source.kind === 'existing';
}
const probeTokenFile = (path) => {
    try {
        const stat = (0,external_node_fs_.statSync)(path);
        if (!stat.isFile())
            return 'is not a file';
        (0,external_node_fs_.accessSync)(path, external_node_fs_.constants.R_OK);
        return stat.size === 0 ? 'is empty' : undefined;
    }
    catch (error) {
        return (0,file_problem/* fileProblem */.W)(error.code);
    }
};
/** Access key IDs are 16 to 128 letters and digits (IAM's AccessKeyIdType). */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
/** The source the inputs select; each problem goes to `bad`. Never puts a secret in a problem. */
function readSource(r) {
    const { getInput, bool, bad, env, roleGiven } = r;
    const accessKeyId = getInput(constants/* Inputs */.G0.AwsAccessKeyId);
    const secretAccessKey = getInput(constants/* Inputs */.G0.AwsSecretAccessKey);
    const sessionToken = getInput(constants/* Inputs */.G0.AwsSessionToken);
    const fileRaw = getInput(constants/* Inputs */.G0.WebIdentityTokenFile);
    const roleChaining = bool(constants/* Inputs */.G0.RoleChaining, false);
    const useExisting = bool(constants/* Inputs */.G0.UseExistingCredentials, false);
    const forceSkipOidc = bool(constants/* Inputs */.G0.ForceSkipOidc, false);
    const containerCredentials = !!(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
    const fromSecrets = 'Check that the secret it comes from is set for this repository and passed to the step (secrets are empty in pull requests from forks).';
    if (accessKeyId !== '' && secretAccessKey === '') {
        bad(constants/* Inputs */.G0.AwsSecretAccessKey, undefined, `is empty: it must be provided if '${constants/* Inputs */.G0.AwsAccessKeyId}' is provided`, fromSecrets);
    }
    if (accessKeyId === '' && secretAccessKey !== '') {
        bad(constants/* Inputs */.G0.AwsAccessKeyId, undefined, `is empty: it must be provided if '${constants/* Inputs */.G0.AwsSecretAccessKey}' is provided`, fromSecrets);
    }
    if (sessionToken !== '' && accessKeyId === '') {
        bad(constants/* Inputs */.G0.AwsSessionToken, undefined, `is given without '${constants/* Inputs */.G0.AwsAccessKeyId}' and '${constants/* Inputs */.G0.AwsSecretAccessKey}'`, 'A session token belongs to the keys it was issued with: give all three.');
    }
    // The key ID is not shown: configure-aws-credentials masks it, and so does this action.
    if (accessKeyId !== '' && !ACCESS_KEY_ID.test(accessKeyId)) {
        bad(constants/* Inputs */.G0.AwsAccessKeyId, undefined, 'is not an AWS access key ID (16 to 128 upper-case letters and digits, such as AKIA... or ASIA...)', 'Check the secret it comes from, for spaces or quotes.');
    }
    let path;
    if ((0,redact/* isJwt */.ky)(fileRaw)) {
        // A token pasted where its file's path goes: not echoed (it is a credential), and not looked up as a path.
        bad(constants/* Inputs */.G0.WebIdentityTokenFile, undefined, 'holds what looks like a token (a JWT), not the path of a file; the value is not shown', 'Write the token to a file in an earlier step and give that file\'s path, e.g. /var/run/secrets/eks.amazonaws.com/serviceaccount/token.');
    }
    else if (fileRaw !== '') {
        // configure-aws-credentials reads a relative path under GITHUB_WORKSPACE.
        path = (0,external_node_path_.isAbsolute)(fileRaw) ? fileRaw : (0,external_node_path_.resolve)(env.GITHUB_WORKSPACE ?? process.cwd(), fileRaw);
        const why = (0,line_break/* hasLineBreak */.w)(path) ? undefined : (r.probe ?? probeTokenFile)(path);
        if ((0,line_break/* hasLineBreak */.w)(path)) {
            // Not shown, and not looked up: printed, a line break would start a workflow command of its own.
            bad(constants/* Inputs */.G0.WebIdentityTokenFile, undefined, 'holds a line break (CR or LF); the path is not shown', 'Give the path of a file whose name has no line break.');
        }
        else if (why !== undefined) {
            bad(constants/* Inputs */.G0.WebIdentityTokenFile, fileRaw, `${why} (${path})`, 'Give the path of a readable file holding the token, e.g. /var/run/secrets/eks.amazonaws.com/serviceaccount/token; a relative path is read under GITHUB_WORKSPACE.');
        }
        if (!roleGiven) {
            bad(constants/* Inputs */.G0.WebIdentityTokenFile, undefined, `needs '${constants/* Inputs */.G0.RoleToAssume}'`, 'The token is exchanged for a session of that role (AssumeRoleWithWebIdentity).');
        }
    }
    if (roleChaining && !roleGiven) {
        bad(constants/* Inputs */.G0.RoleChaining, 'true', `needs '${constants/* Inputs */.G0.RoleToAssume}'`, 'Give the role that the credentials already in place assume, or leave role-chaining out.');
    }
    if (forceSkipOidc && roleGiven && accessKeyId === '' && fileRaw === '' && !containerCredentials && !roleChaining && !useExisting) {
        bad(constants/* Inputs */.G0.ForceSkipOidc, 'true', `is set with '${constants/* Inputs */.G0.RoleToAssume}', but no other source is: '${constants/* Inputs */.G0.AwsAccessKeyId}', '${constants/* Inputs */.G0.WebIdentityTokenFile}', or container credentials must be available`, `Give one of them, set '${constants/* Inputs */.G0.RoleChaining}: true' to start from the credentials already in place, or remove '${constants/* Inputs */.G0.ForceSkipOidc}' to use GitHub OIDC.`);
    }
    if (path !== undefined)
        return { kind: 'token-file', path };
    if (accessKeyId !== '' && secretAccessKey !== '') {
        return { kind: 'static-keys', accessKeyId, secretAccessKey, ...(sessionToken !== '' && { sessionToken }) };
    }
    if (roleChaining)
        return { kind: 'existing', via: constants/* Inputs */.G0.RoleChaining };
    if (useExisting)
        return { kind: 'existing', via: constants/* Inputs */.G0.UseExistingCredentials };
    if (forceSkipOidc && containerCredentials)
        return { kind: 'existing', via: constants/* Inputs */.G0.ForceSkipOidc };
    // configure-aws-credentials uses GitHub OIDC only when the runner set the request token (the id-token permission);
    // without it, role-to-assume is assumed with whatever the SDK's default chain finds, as there.
    if (roleGiven && !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
        return { kind: 'existing', via: NO_ID_TOKEN };
    return { kind: 'github-oidc' };
}
/** The secrets among the source inputs: masked before anything is printed. */
function sourceSecretInputs(getInput) {
    return [constants/* Inputs */.G0.AwsAccessKeyId, constants/* Inputs */.G0.AwsSecretAccessKey, constants/* Inputs */.G0.AwsSessionToken].map((n) => getInput(n)).filter((v) => v !== '');
}
/** For messages: how the role is assumed. */
function sourceDescription(source) {
    switch (source.kind) {
        case 'github-oidc':
            return 'through GitHub OIDC';
        case 'static-keys':
            return `with the keys from '${constants/* Inputs */.G0.AwsAccessKeyId}'`;
        case 'token-file':
            return `with the web identity token in ${source.path}`;
        case 'existing':
            return source.via === NO_ID_TOKEN
                ? "with the credentials already in place (the environment's keys, or the SDK's default chain), as configure-aws-credentials does: " +
                    "this job has no id-token permission, so GitHub OIDC is not used (add 'permissions: id-token: write' to the job for it)"
                : "with the credentials already in place (the environment's keys, or the SDK's default chain)";
    }
}
/** A stable, secret-free description of the source, for the server identity. */
function sourceIdentity(source) {
    switch (source.kind) {
        case 'static-keys':
            // The key ID only: another key pair is another source. Hashed with the rest by identityKey().
            return [source.kind, source.accessKeyId];
        case 'token-file':
            return [source.kind, source.path];
        default:
            return [source.kind];
    }
}


/***/ }),

/***/ 3235:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   M: () => (/* binding */ resolveStsEndpoint)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/** Which STS endpoint to call: the input, else the SDK's own endpoint variables (resolved once, so the server needs no AWS_* env). */

function resolveStsEndpoint(settings, env) {
    return settings.stsEndpoint ?? (env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.EndpointUrlSts] || undefined) ?? (env[_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Env */ .o9.EndpointUrl] || undefined);
}


/***/ }),

/***/ 5910:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ fileProblem)
/* harmony export */ });
/** Why a file could not be read, in words, from the error code Node gave. */
function fileProblem(code) {
    if (code === 'ENOENT')
        return 'does not exist';
    if (code === 'EACCES' || code === 'EPERM')
        return 'cannot be read (permission denied)';
    return `cannot be read (${code ?? 'error'})`;
}


/***/ }),

/***/ 1834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   w: () => (/* binding */ hasLineBreak)
/* harmony export */ });
/**
 * A path with CR or LF is refused where it is an input (web-identity-token-file,
 * AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE for aws-profile): no real
 * path needs one, and printed raw it would end a log line and start a workflow
 * command of its own. (Every logged text is escaped too: runner/toolkit.ts.)
 */
const hasLineBreak = (path) => path.includes('\n') || path.includes('\r');


/***/ }),

/***/ 767:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BO: () => (/* binding */ redactUrl),
/* harmony export */   ky: () => (/* binding */ isJwt)
/* harmony export */ });
/* unused harmony export redactTokens */
/** Showing text that may hold a secret: URLs with a password, ID tokens inside error messages. No Node module. */
/**
 * A URL as it may be shown: any user info (`user:password@`) replaced by `***`.
 * Errs on the side of hiding: it takes everything up to the last `@` of the
 * whole text, not only of the authority as the URL parser does, because a
 * password may hold an unencoded `/`, `?`, `#` or `@` that the parser would
 * take for the end of the host; an `@` in a path or query hides what comes
 * before it too. Works on text that is not a URL.
 */
function redactUrl(text) {
    const scheme = /^[a-z][a-z\d+.-]*:/i.exec(text)?.[0].length ?? 0;
    let start = scheme;
    while (text[start] === '/' || text[start] === '\\')
        start++;
    const at = text.lastIndexOf('@');
    return at < start ? text : `${text.slice(0, start)}***${text.slice(at)}`;
}
/** An ID token (a JWT) anywhere in a text: three base64url parts, the header starting `{"` (eyJ). */
const JWT_IN_TEXT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
/** The whole value is a JWT. Linear: no class holds the dot between the parts. */
const JWT_WHOLE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;
/** The text with every ID token in it replaced: none reaches a log, a summary or a response, even inside an error. */
const redactTokens = (text) => text.replace(JWT_IN_TEXT, '[redacted token]');
/** Whether a value is a JWT itself (a token given where a path was asked for). */
const isJwt = (text) => JWT_WHOLE.test(text);


/***/ })

};
;