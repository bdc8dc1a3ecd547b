"use strict";
exports.id = 235;
exports.ids = [235];
exports.modules = {

/***/ 4235:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSdkGateway: () => (/* binding */ createSdkGateway)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7242);
/* harmony import */ var _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1695);
/* harmony import */ var _net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3030);
/* harmony import */ var _util_abort_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2334);
/**
 * The STS gateway on the real `@aws-sdk/client-sts`. Loaded only when a
 * session must be minted (a lazily loaded chunk): the healthy guard path never
 * pays for the SDK.
 */




/** Adds a step that records the response's `Date` header for one command. */
function captureDate(command, sink) {
    const step = (next) => async (args) => {
        const out = await next(args);
        const header = out.response?.headers?.['date'];
        const t = header ? Date.parse(header) : NaN;
        if (!Number.isNaN(t))
            sink.date = new Date(t);
        return out;
    };
    command.middlewareStack.add(step, {
        step: 'deserialize',
        name: 'awsSessionGuardServerDate',
    });
}
function toResult(out, sink, startedAt, receivedAt) {
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new Error('STS answered without a complete set of credentials.');
    }
    return {
        credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            expiration: new Date(c.Expiration),
        },
        assumedRoleArn: out.AssumedRoleUser?.Arn ?? '',
        ...(sink.date && { serverDate: sink.date }),
        receivedAt,
        latencyMs: receivedAt - startedAt,
    };
}
function commonInput(p) {
    return {
        RoleArn: p.roleArn,
        RoleSessionName: p.roleSessionName,
        DurationSeconds: p.durationSeconds,
        ...(p.policy !== undefined && { Policy: p.policy }),
        ...(p.policyArns && p.policyArns.length > 0 && { PolicyArns: p.policyArns.map((arn) => ({ arn })) }),
    };
}
/**
 * Sends `command`; `signal` reaches the SDK's request handler, which destroys
 * the request on abort. Whatever the SDK then throws, an aborted call rejects
 * with our AbortError, so no caller mistakes it for an STS answer.
 */
async function sendAbortable(send, signal) {
    if (signal?.aborted)
        throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_2__/* .AbortError */ .lc();
    try {
        return await send(signal ? { abortSignal: signal } : {});
    }
    catch (error) {
        if (signal?.aborted)
            throw new _util_abort_js__WEBPACK_IMPORTED_MODULE_2__/* .AbortError */ .lc();
        throw error;
    }
}
function createSdkGateway(options) {
    const clock = options.clock ?? Date.now;
    // Without throwOnRequestTimeout the SDK's Node handler only logs a warning on a hung request and keeps waiting.
    // Through the proxy, if any (each agent decides per request: NO_PROXY, loopback). Opening the tunnel gets a little
    // less than connectionTimeout, so that a silent proxy fails with our message, which names it, rather than the SDK's.
    // Fresh agents per client: destroying a client destroys its handler's agents.
    const requestHandler = () => {
        const agents = (0,_net_proxy_agent_js__WEBPACK_IMPORTED_MODULE_1__/* .proxyAgents */ .Hd)(options.proxy, { tunnelTimeoutMs: 4_500 });
        return {
            requestTimeout: options.requestTimeoutMs ?? _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Sts */ .ht.RequestTimeoutMs,
            connectionTimeout: _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Sts */ .ht.ConnectionTimeoutMs,
            throwOnRequestTimeout: true,
            ...(agents && { httpAgent: agents.httpAgent, httpsAgent: agents.httpsAgent }),
        };
    };
    const base = {
        region: options.region,
        maxAttempts: 1, // the action retries itself, with its own classification
        requestHandler: requestHandler(),
        ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    };
    const unsigned = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .STSClient */ .iM(base);
    const signedClient = (credentials) => new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .STSClient */ .iM({
        ...base,
        requestHandler: requestHandler(),
        credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            // IAM user keys have no token: none is sent.
            ...(credentials.sessionToken !== '' && { sessionToken: credentials.sessionToken }),
            expiration: credentials.expiration,
        },
    });
    return {
        async assumeRoleWithWebIdentity(params, signal) {
            const command = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .AssumeRoleWithWebIdentityCommand */ .WH({ ...commonInput(params), WebIdentityToken: params.webIdentityToken });
            const sink = {};
            captureDate(command, sink);
            const startedAt = clock();
            const out = await sendAbortable((o) => unsigned.send(command, o), signal);
            return toResult(out, sink, startedAt, clock());
        },
        async getCallerIdentity(credentials, signal) {
            const signed = signedClient(credentials);
            try {
                const out = await sendAbortable((o) => signed.send(new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .GetCallerIdentityCommand */ .zI({}), o), signal);
                if (!out.Arn)
                    throw new Error('STS answered GetCallerIdentity without an ARN.');
                return out.Arn;
            }
            finally {
                signed.destroy();
            }
        },
        async assumeRole(credentials, params, signal) {
            const signed = signedClient(credentials);
            try {
                const extras = params.assumeRoleExtras;
                const command = new _aws_sdk_client_sts__WEBPACK_IMPORTED_MODULE_3__/* .AssumeRoleCommand */ .QL({
                    ...commonInput(params),
                    ...(extras?.externalId !== undefined && { ExternalId: extras.externalId }),
                    ...(extras?.tags && extras.tags.length > 0 && { Tags: extras.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
                    ...(extras?.transitiveTagKeys && extras.transitiveTagKeys.length > 0 && { TransitiveTagKeys: [...extras.transitiveTagKeys] }),
                });
                const sink = {};
                captureDate(command, sink);
                const startedAt = clock();
                const out = await sendAbortable((o) => signed.send(command, o), signal);
                return toResult(out, sink, startedAt, clock());
            }
            finally {
                signed.destroy();
            }
        },
        close() {
            unsigned.destroy();
        },
    };
}


/***/ })

};
;