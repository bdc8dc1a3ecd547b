"use strict";
exports.id = 205;
exports.ids = [205];
exports.modules = {

/***/ 8205:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openProfile: () => (/* binding */ openProfile)
/* harmony export */ });
/* unused harmony exports profilePaths, ProfileFileError, sectionText, upsertSection, removeSection, ProfileExistsError, checkProfileWritable, writeProfile, removeWritten, sha256, saveProfileRecord, parseProfileRecord, removeRecordedProfile */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7242);
/* harmony import */ var _util_private_file_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1726);
/**
 * aws-profile: credentials written to a named profile in the shared AWS files,
 * for tools that read only profiles, as configure-aws-credentials (CAC) writes
 * them (src/profileManager.ts): the credentials file (AWS_SHARED_CREDENTIALS_FILE,
 * else ~/.aws/credentials) gets `[name]` with the keys, the config file
 * (AWS_CONFIG_FILE, else ~/.aws/config) gets `[profile name]` (`[default]` for
 * default) with the region; the folder is created 0700, the files are 0600; an
 * existing profile is refused unless overwrite-aws-profile.
 *
 * Unlike CAC, the files are edited line by line: every other section, comment
 * and blank line stays exactly as it was, and the post step removes the
 * sections this step wrote (when they still hold what it wrote) and nothing else.
 */






/** Where the SDKs and the AWS CLI read profiles (CAC src/profileManager.ts getProfileFilePaths). */
function profilePaths(env) {
    const home = env['HOME'] || (0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)();
    return {
        credentials: env[_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Env */ .o9.SharedCredentialsFile] || (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, '.aws', 'credentials'),
        config: env[_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Env */ .o9.ConfigFile] || (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, '.aws', 'config'),
    };
}
const configHeader = (profile) => (profile === 'default' ? 'default' : `profile ${profile}`);
/** A section header line: `[name]`, spaces allowed around. Linear: one bounded class between fixed brackets. */
function headerOf(line) {
    const t = line.trim();
    if (t.length < 2 || !t.startsWith('[') || !t.endsWith(']'))
        return undefined;
    return t.slice(1, -1).trim();
}
function findBlock(lines, header) {
    const start = lines.findIndex((l) => headerOf(l) === header);
    if (start < 0)
        return undefined;
    let end = start + 1;
    while (end < lines.length && headerOf(lines[end] ?? '') === undefined)
        end++;
    // Trailing blank lines belong to the gap before the next section, not to this one.
    while (end > start + 1 && (lines[end - 1] ?? '').trim() === '')
        end--;
    return { start, end };
}
function readText(path) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return '';
        throw error;
    }
}
/** A profile file that cannot be read or written: names the input, the file, the error code and the fix. */
class ProfileFileError extends Error {
    constructor(profile, file, variable, doing, cause) {
        const why = cause.code ?? cause.message;
        super(`'aws-profile': could not ${doing} ${file} for the profile "${profile}" (${why}). ` +
            `Fix: make it a file the runner user can ${doing}${doing === 'write' ? ', in a folder it can write' : ''}, or point ${variable} at one.`);
        this.name = 'ProfileFileError';
    }
}
/** Writes beside, then renames: a reader never sees half a file. 0600 whatever the file had before. */
function writeFileText(path, text) {
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.dirname)(path), { recursive: true, mode: 0o700 });
    (0,_util_private_file_js__WEBPACK_IMPORTED_MODULE_5__/* .writePrivateFile */ .P)(path, text);
}
function sectionText(header, entries) {
    return [`[${header}]`, ...Object.entries(entries).map(([k, v]) => `${k} = ${v}`)].join('\n');
}
/** The two files as one profile's step reads and writes them: every failure is a ProfileFileError. */
function profileFiles(paths, profile) {
    const fileOf = (path, variable) => ({
        path,
        read() {
            try {
                return readText(path);
            }
            catch (error) {
                throw new ProfileFileError(profile, path, variable, 'read', error);
            }
        },
        write(text) {
            try {
                writeFileText(path, text);
            }
            catch (error) {
                throw new ProfileFileError(profile, path, variable, 'write', error);
            }
        },
    });
    return { credentials: fileOf(paths.credentials, _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Env */ .o9.SharedCredentialsFile), config: fileOf(paths.config, _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Env */ .o9.ConfigFile) };
}
const hasSection = (file, header) => findBlock(file.read().split(/\r?\n/), header) !== undefined;
/** Replaces the section, or appends it; the rest of the file is kept as it is. */
function upsertSection(text, header, section) {
    const lines = text === '' ? [] : text.split(/\r?\n/);
    const block = findBlock(lines, header);
    if (block) {
        lines.splice(block.start, block.end - block.start, ...section.split('\n'));
    }
    else {
        while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '')
            lines.pop();
        if (lines.length > 0)
            lines.push('');
        lines.push(...section.split('\n'));
    }
    return `${lines.join('\n').trimEnd()}\n`;
}
/** Removes the section if it still reads `expected` (a later step may have rewritten it); the rest stays. */
function removeSection(text, header, matches) {
    const lines = text.split(/\r?\n/);
    const block = findBlock(lines, header);
    if (!block || !matches(lines.slice(block.start, block.end).join('\n')))
        return { text, removed: false };
    let end = block.end;
    while (end < lines.length && (lines[end] ?? '').trim() === '')
        end++;
    lines.splice(block.start, end - block.start);
    while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '')
        lines.pop();
    return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, removed: true };
}
class ProfileExistsError extends Error {
    constructor(profile, file) {
        super(`'aws-profile': the profile "${profile}" already exists in ${file}. ` +
            'Set overwrite-aws-profile: true to replace it, or choose another profile name.');
        this.name = 'ProfileExistsError';
    }
}
/** Refuses, before any network call, a profile that exists when overwriting is off. */
function checkProfileWritable(paths, profile, overwrite) {
    if (overwrite)
        return;
    const files = profileFiles(paths, profile);
    if (hasSection(files.credentials, profile))
        throw new ProfileExistsError(profile, paths.credentials);
    if (hasSection(files.config, configHeader(profile)))
        throw new ProfileExistsError(profile, paths.config);
}
/**
 * Writes the profile and returns what was written, for the post step, telling
 * `onWritten` after each file, so that a failure on the second file still
 * leaves the first one's section to the post step. With a credential_process,
 * a `[name]` section in the credentials file would come first in some SDKs:
 * it is removed (when overwriting) rather than left stale.
 */
function writeProfile(paths, profile, region, content, overwrite, onWritten = () => undefined) {
    checkProfileWritable(paths, profile, overwrite);
    const files = profileFiles(paths, profile);
    const written = [];
    const writeSection = (file, text, header, section) => {
        file.write(text);
        written.push({ file: file.path, header, text: section });
        onWritten(written);
    };
    const configEntries = region !== undefined ? { region } : {};
    const credText = files.credentials.read();
    if (content.kind === 'static') {
        const c = content.credentials;
        // IAM user keys have no session token: no aws_session_token line (CAC: `if (credentials.SessionToken)`).
        const section = sectionText(profile, {
            aws_access_key_id: c.accessKeyId,
            aws_secret_access_key: c.secretAccessKey,
            ...(c.sessionToken !== '' && { aws_session_token: c.sessionToken }),
        });
        writeSection(files.credentials, upsertSection(credText, profile, section), profile, section);
    }
    else {
        configEntries['credential_process'] = content.command;
        if (findBlock(credText.split(/\r?\n/), profile)) {
            files.credentials.write(removeSection(credText, profile, () => true).text);
        }
    }
    const header = configHeader(profile);
    const section = sectionText(header, configEntries);
    writeSection(files.config, upsertSection(files.config.read(), header, section), header, section);
    return written;
}
/** Removes what writeProfile wrote, where it is unchanged; says which sections it removed. */
function removeWritten(sections, sha256) {
    const removed = [];
    const kept = [];
    for (const s of sections) {
        const before = readText(s.file);
        if (before === '')
            continue;
        const out = removeSection(before, s.header, (text) => sha256(text) === s.sha256);
        if (!out.removed) {
            kept.push(`[${s.header}] in ${s.file}`);
            continue;
        }
        if (out.text === '')
            rmSync(s.file, { force: true });
        else
            writeFileText(s.file, out.text);
        removed.push(`[${s.header}] in ${s.file}`);
    }
    return { removed, kept };
}
const sha256 = (text) => (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text).digest('hex');
/** Saves what was written for the post step: paths, headers and hashes, never the text (it may hold keys). */
function saveProfileRecord(toolkit, profile, written) {
    const record = { profile, sections: written.map((w) => ({ file: w.file, header: w.header, sha256: sha256(w.text) })) };
    toolkit.saveState(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .Uw.Profile, JSON.stringify(record));
}
/**
 * aws-profile for one step: an existing profile is refused now, before any
 * network call (unless overwriting); the writer returned does the rest once
 * the credentials are known.
 */
function openProfile(toolkit, env, profile, overwrite) {
    const paths = profilePaths(env);
    checkProfileWritable(paths, profile, overwrite);
    return (region, content) => {
        // Recorded after each file: a failure on the second leaves the first one's section to the post step.
        const written = writeProfile(paths, profile, region, content, overwrite, (sofar) => saveProfileRecord(toolkit, profile, sofar));
        const what = content.kind === 'static'
            ? 'the credentials'
            : 'a credential_process that asks the keep-alive server, so tools that read only profiles refresh with it,';
        toolkit.info(`Wrote ${what} to the AWS profile "${profile}" (${written.map((w) => w.file).join(', ')}); the post step removes it.`);
    };
}
function parseProfileRecord(raw) {
    if (!raw)
        return undefined;
    try {
        const v = JSON.parse(raw);
        if (typeof v.profile !== 'string' || !Array.isArray(v.sections))
            return undefined;
        const sections = v.sections.filter((s) => typeof s === 'object' && s !== null && typeof s.file === 'string' && typeof s.header === 'string' && typeof s.sha256 === 'string');
        return { profile: v.profile, sections };
    }
    catch {
        return undefined;
    }
}
/** The post step's part: removes the profile entries this action instance wrote, if unchanged since. */
function removeRecordedProfile(toolkit) {
    const record = parseProfileRecord(toolkit.getState(State.Profile));
    if (!record)
        return;
    const { removed, kept } = removeWritten(record.sections, sha256);
    if (removed.length > 0)
        toolkit.info(`Removed the aws-profile "${record.profile}" entries this step wrote: ${removed.join(', ')}.`);
    if (kept.length > 0)
        toolkit.info(`Left ${kept.join(', ')} in place: changed since this step wrote it.`);
}


/***/ }),

/***/ 1726:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ writePrivateFile)
/* harmony export */ });
/* unused harmony export appendPrivateLine */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/** Files that may hold secrets: written so only their owner can read them, whole or not at all. */

const NOFOLLOW = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW ?? 0;
/**
 * Writes a file only its owner can read (0600), atomically: aside, then
 * renamed over `path`, so a reader never sees half of it. The side file is
 * created afresh (never opened through a symbolic link or a file planted
 * under its name) and removed again when anything fails.
 */
function writePrivateFile(path, content) {
    const aside = `${path}.${process.pid}.tmp`;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(aside, { force: true });
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(aside, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_WRONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_CREAT | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_EXCL | NOFOLLOW, 0o600);
    try {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(fd, content);
        }
        finally {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
        }
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.renameSync)(aside, path);
    }
    catch (error) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(aside, { force: true });
        throw error;
    }
}
/** Appends a line to a private file (0600 when created), never through a symbolic link. */
function appendPrivateLine(path, line) {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | NOFOLLOW, 0o600);
    try {
        writeSync(fd, line);
    }
    finally {
        closeSync(fd);
    }
}


/***/ })

};
;