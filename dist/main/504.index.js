"use strict";
exports.id = 504;
exports.ids = [504];
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


/***/ })

};
;