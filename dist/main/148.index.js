"use strict";
exports.id = 148;
exports.ids = [148];
exports.modules = {

/***/ 7148:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   COMPILE_CACHE_DIR: () => (/* binding */ COMPILE_CACHE_DIR),
/* harmony export */   enableCompileCache: () => (/* binding */ enableCompileCache)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8995);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_module__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7242);
/* harmony import */ var _util_private_folder_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1496);
/**
 * Node's compile cache for the lazily loaded chunks (the full main step, the
 * minting code, the AWS SDK), kept under RUNNER_TEMP for the whole job:
 * src/main-run.ts turns it on before it loads the first chunk, so the first
 * step that mints pays for compiling them and later guard and keep-alive
 * steps start warm (the healthy shortcut loads no chunk and never turns it
 * on). Only in a private folder of the runner user (a cache someone else could
 * write would be code they could run); an optimisation, so any problem just
 * leaves it off.
 */




const COMPILE_CACHE_DIR = 'aws-session-guard-compile-cache';
/** Turns the cache on; returns its folder, or undefined when it stays off (no RUNNER_TEMP, Node < 22.1, unsafe folder). */
function enableCompileCache(env, enable = node_module__WEBPACK_IMPORTED_MODULE_1__.enableCompileCache) {
    const temp = env[_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Env */ .o9.RunnerTemp];
    if (!temp || !enable)
        return undefined;
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(temp, COMPILE_CACHE_DIR);
    try {
        (0,_util_private_folder_js__WEBPACK_IMPORTED_MODULE_3__/* .ensurePrivateFolder */ .ss)(dir);
        enable(dir);
        return dir;
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 1496:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GL: () => (/* binding */ checkPrivateFolder),
/* harmony export */   ss: () => (/* binding */ ensurePrivateFolder)
/* harmony export */ });
/* unused harmony export UnsafeFolderError */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
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
    const st = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(dir);
    if (st.isSymbolicLink())
        throw new UnsafeFolderError(dir, 'is a symbolic link');
    if (!st.isDirectory())
        throw new UnsafeFolderError(dir, 'is not a folder');
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
        throw new UnsafeFolderError(dir, `belongs to uid ${st.uid}, not to the runner user (uid ${uid})`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(dir, 0o700);
}
/** Creates `dir` (0700) when missing, then checks it. */
function ensurePrivateFolder(dir) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(dir, { mode: 0o700 });
    }
    catch (e) {
        if (e.code !== 'EEXIST')
            throw e;
    }
    checkPrivateFolder(dir);
}


/***/ })

};
;