export const id = 266;
export const ids = [266];
export const modules = {

/***/ 4266:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_RETRY: () => (/* binding */ DEFAULT_RETRY),
/* harmony export */   backoffDelay: () => (/* binding */ backoffDelay),
/* harmony export */   realRetryDeps: () => (/* binding */ realRetryDeps),
/* harmony export */   withRetry: () => (/* binding */ withRetry)
/* harmony export */ });
/** Retries with "full jitter" exponential backoff (AWS Architecture Blog). */
const DEFAULT_RETRY = { baseDelayMs: 500, maxDelayMs: 10_000 };
const realRetryDeps = {
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
};
/** Delay before attempt `attempt + 1`, for `attempt` ≥ 1. */
function backoffDelay(policy, attempt, random) {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling * random());
}
/**
 * Runs `fn` until it succeeds, `isTransient` says an error is permanent, or
 * the attempts run out; the last error is thrown.
 */
async function withRetry(fn, isTransient, policy, deps, onRetry) {
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (attempt >= policy.maxAttempts || !isTransient(error))
                throw error;
            const delayMs = backoffDelay(policy, attempt, deps.random);
            onRetry?.({ attempt, delayMs, error });
            await deps.sleep(delayMs);
        }
    }
}


/***/ })

};
