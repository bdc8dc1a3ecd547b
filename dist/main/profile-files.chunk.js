"use strict";
exports.id = 530;
exports.ids = [530];
exports.modules = {

/***/ 2530:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openProfile: () => (/* binding */ openProfile)
});

// UNUSED EXPORTS: ProfileExistsError, ProfileFileError, checkProfileWritable, parseProfileRecord, profilePaths, removeRecordedProfile, removeSection, removeWritten, saveProfileRecord, sectionText, upsertSection, writeProfile

// EXTERNAL MODULE: ./src/util/sha256.ts
var sha256 = __webpack_require__(6701);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(7242);
;// CONCATENATED MODULE: ./src/util/file-lock.ts
/**
 * An exclusive lock on a file that other processes edit too (the shared
 * ~/.aws files, when several runners of one user share HOME): a lock file
 * beside it, `<file>.lock`, that names its holder (host, pid, process start
 * time). It is made whole or not at all: written aside (O_EXCL, 0600), then
 * hard-linked to its name, which fails when a lock is there already.
 *
 * A lock whose holder is gone (killed while it held it: its pid is dead, or
 * now another process with another start time) is stale and is broken. A
 * live holder is waited for, up to a bound; then the error names the lock
 * file and the fix. Locks from another host (HOME on a network share) are
 * never judged stale here: they are waited for.
 */

const NOFOLLOW = external_node_fs_.constants.O_NOFOLLOW ?? 0;
class FileLockError extends Error {
    constructor(file, lock, holder, waitedMs) {
        super(`${file} stayed locked by ${holder} for ${Math.round(waitedMs / 1000)} s (lock file ${lock}). ` +
            `Fix: if no other job of this user is editing ${file}, remove ${lock}.`);
        this.name = 'FileLockError';
    }
}
const POLL_MS = 10;
const DEFAULT_WAIT_MS = 15_000;
function parseHolder(text) {
    try {
        const v = JSON.parse(text);
        if (typeof v.host !== 'string' || typeof v.pid !== 'number')
            return undefined;
        return { host: v.host, pid: v.pid, ...(typeof v.start === 'string' && { start: v.start }) };
    }
    catch {
        return undefined;
    }
}
function readLock(lock) {
    try {
        return (0,external_node_fs_.readFileSync)(lock, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}
let sequence = 0;
/** Makes `lock` holding `content`, whole, or says it exists already. */
function tryCreate(lock, content) {
    const aside = `${lock}.${process.pid}.${(sequence++).toString(36)}.new`;
    const fd = (0,external_node_fs_.openSync)(aside, external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL | NOFOLLOW, 0o600);
    try {
        try {
            (0,external_node_fs_.writeSync)(fd, content);
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
        (0,external_node_fs_.linkSync)(aside, lock);
        return true;
    }
    catch (error) {
        if (error.code === 'EEXIST')
            return false;
        throw error;
    }
    finally {
        (0,external_node_fs_.rmSync)(aside, { force: true });
    }
}
/**
 * Removes a stale lock, unless it changed since it was read: it is renamed
 * away first (only one breaker wins the rename), and put back if what was
 * renamed is not the stale lock after all.
 */
function breakStale(lock, staleText) {
    const aside = `${lock}.${process.pid}.${(sequence++).toString(36)}.stale`;
    try {
        (0,external_node_fs_.renameSync)(lock, aside);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return;
        throw error;
    }
    try {
        if ((0,external_node_fs_.readFileSync)(aside, 'utf8') !== staleText)
            (0,external_node_fs_.linkSync)(aside, lock);
    }
    catch {
        // A new lock took the name meanwhile: that one stands.
    }
    finally {
        (0,external_node_fs_.rmSync)(aside, { force: true });
    }
}
const describeHolder = (h) => (h ? `process ${h.pid} on ${h.host}` : 'an unreadable lock');
/** Runs `fn` holding the lock on `file`; the lock is released whatever `fn` does. */
function file_lock_withFileLock(file, deps, fn) {
    const lock = `${file}.lock`;
    const mine = JSON.stringify(deps.self);
    const began = deps.now();
    const waitMs = deps.waitMs ?? DEFAULT_WAIT_MS;
    for (;;) {
        if (tryCreate(lock, mine))
            break;
        const text = readLock(lock);
        if (text === undefined)
            continue; // released meanwhile
        const holder = parseHolder(text);
        // A lock file is written whole before it gets its name: one that cannot be read as a holder was not made by this code.
        const stale = holder !== undefined && holder.host === deps.self.host && !deps.holderAlive(holder);
        if (stale) {
            breakStale(lock, text);
            continue;
        }
        const waited = deps.now() - began;
        if (waited >= waitMs)
            throw new FileLockError(file, lock, describeHolder(holder), waited);
        deps.sleep(POLL_MS);
    }
    try {
        return fn();
    }
    finally {
        if (readLock(lock) === mine)
            (0,external_node_fs_.rmSync)(lock, { force: true });
    }
}

// EXTERNAL MODULE: ./src/util/line-break.ts
var line_break = __webpack_require__(1834);
// EXTERNAL MODULE: ./src/util/private-file.ts
var private_file = __webpack_require__(1726);
// EXTERNAL MODULE: ./src/util/process-identity.ts
var process_identity = __webpack_require__(1744);
;// CONCATENATED MODULE: ./src/export/profile-lock.ts
/** The lock every aws-profile write and removal takes on a shared AWS file, with this process's real collaborators. */


const sleepSync = (ms) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};
function profile_lock_realLockDeps(control = process_identity/* realProcessControl */.t) {
    const start = control.startOf(process.pid);
    return {
        self: { host: (0,external_node_os_.hostname)(), pid: process.pid, ...(start !== undefined && { start }) },
        // 'unverifiable' (no start time on this OS) counts as alive: such a lock is waited for, never broken.
        holderAlive: (holder) => {
            const state = (0,process_identity/* processState */.L)(holder, control);
            return state === 'running' || state === 'unverifiable';
        },
        now: () => performance.now(),
        sleep: sleepSync,
    };
}

;// CONCATENATED MODULE: ./src/export/profile-sections.ts
/**
 * The text of the shared AWS files, as aws-profile edits it: line by line, so
 * that every other section, comment and blank line stays exactly as it was.
 */
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
const hasSectionIn = (text, header) => findBlock(text.split(/\r?\n/), header) !== undefined;
function sectionText(header, entries) {
    return [`[${header}]`, ...Object.entries(entries).map(([k, v]) => `${k} = ${v}`)].join('\n');
}
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
function profile_sections_removeSection(text, header, matches) {
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

;// CONCATENATED MODULE: ./src/export/profile-files.ts
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
 *
 * Several runners of one user may share HOME: every read-edit-write of a file,
 * here and in the post step, holds that file's lock (util/file-lock.ts) and
 * replaces the file atomically (aside, fsync, rename), so no job's edit is
 * lost to another's.
 */











/** Where the SDKs and the AWS CLI read profiles (CAC src/profileManager.ts getProfileFilePaths). */
function profilePaths(env) {
    const home = env['HOME'] || (0,external_node_os_.homedir)();
    return {
        credentials: env[constants/* Env */.o9.SharedCredentialsFile] || (0,external_node_path_.join)(home, '.aws', 'credentials'),
        config: env[constants/* Env */.o9.ConfigFile] || (0,external_node_path_.join)(home, '.aws', 'config'),
    };
}
const configHeader = (profile) => (profile === 'default' ? 'default' : `profile ${profile}`);
function readText(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
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
    (0,private_file/* writePrivateFile */.P)(path, text);
}
/** The two files as one profile's step reads and edits them: every failure names the input and the file. */
function profileFiles(paths, profile, lock) {
    const fileOf = (path, variable) => {
        const read = () => {
            try {
                return readText(path);
            }
            catch (error) {
                throw new ProfileFileError(profile, path, variable, 'read', error);
            }
        };
        return {
            path,
            read,
            edit(change) {
                try {
                    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true, mode: 0o700 });
                }
                catch (error) {
                    throw new ProfileFileError(profile, path, variable, 'write', error);
                }
                try {
                    file_lock_withFileLock(path, lock, () => {
                        const text = change(read());
                        if (text === undefined)
                            return;
                        try {
                            writeFileText(path, text);
                        }
                        catch (error) {
                            throw new ProfileFileError(profile, path, variable, 'write', error);
                        }
                    });
                }
                catch (error) {
                    if (error instanceof FileLockError)
                        throw new Error(`'aws-profile': ${error.message}`, { cause: error });
                    if (error instanceof ProfileFileError || error instanceof ProfileExistsError)
                        throw error;
                    throw new ProfileFileError(profile, path, variable, 'write', error);
                }
            },
        };
    };
    return { credentials: fileOf(paths.credentials, constants/* Env */.o9.SharedCredentialsFile), config: fileOf(paths.config, constants/* Env */.o9.ConfigFile) };
}
const hasSection = (file, header) => hasSectionIn(file.read(), header);
class ProfileExistsError extends Error {
    constructor(profile, file) {
        super(`'aws-profile': the profile "${profile}" already exists in ${file}. ` +
            'Set overwrite-aws-profile: true to replace it, or choose another profile name.');
        this.name = 'ProfileExistsError';
    }
}
/** Refuses, before any network call, a profile that exists when overwriting is off. */
function checkProfileWritable(paths, profile, overwrite, lock = profile_lock_realLockDeps()) {
    if (overwrite)
        return;
    const files = profileFiles(paths, profile, lock);
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
function writeProfile(paths, profile, region, content, overwrite, onWritten = () => undefined, lock = profile_lock_realLockDeps()) {
    const files = profileFiles(paths, profile, lock);
    const written = [];
    /** Under the file's lock: refused if the section is there and overwriting is off (another job may have written it since the first check). */
    const writeSection = (file, header, section) => {
        file.edit((text) => {
            if (!overwrite && hasSectionIn(text, header))
                throw new ProfileExistsError(profile, file.path);
            return upsertSection(text, header, section);
        });
        written.push({ file: file.path, header, text: section });
        onWritten(written);
    };
    checkProfileWritable(paths, profile, overwrite, lock);
    const configEntries = region !== undefined ? { region } : {};
    if (content.kind === 'static') {
        const c = content.credentials;
        // IAM user keys have no session token: no aws_session_token line (CAC: `if (credentials.SessionToken)`).
        const section = sectionText(profile, {
            aws_access_key_id: c.accessKeyId,
            aws_secret_access_key: c.secretAccessKey,
            ...(c.sessionToken !== '' && { aws_session_token: c.sessionToken }),
        });
        writeSection(files.credentials, profile, section);
    }
    else {
        configEntries['credential_process'] = content.command;
        files.credentials.edit((text) => {
            if (!hasSectionIn(text, profile))
                return undefined;
            if (!overwrite)
                throw new ProfileExistsError(profile, paths.credentials);
            return profile_sections_removeSection(text, profile, () => true).text;
        });
    }
    const header = configHeader(profile);
    writeSection(files.config, header, sectionText(header, configEntries));
    return written;
}
/** Removes what writeProfile wrote, where it is unchanged, each file under its lock; says which sections it removed. */
function removeWritten(sections, sha256, lock = realLockDeps()) {
    const removed = [];
    const kept = [];
    for (const s of sections) {
        if (!existsSync(dirname(s.file)))
            continue; // nothing left to remove, and no folder to lock in
        withFileLock(s.file, lock, () => {
            const before = readText(s.file);
            if (before === '')
                return;
            const out = removeSection(before, s.header, (text) => sha256(text) === s.sha256);
            if (!out.removed) {
                kept.push(`[${s.header}] in ${s.file}`);
                return;
            }
            if (out.text === '')
                rmSync(s.file, { force: true });
            else
                writeFileText(s.file, out.text);
            removed.push(`[${s.header}] in ${s.file}`);
        });
    }
    return { removed, kept };
}
/** Saves what was written for the post step: paths, headers and hashes, never the text (it may hold keys). */
function saveProfileRecord(toolkit, profile, written) {
    const record = { profile, sections: written.map((w) => ({ file: w.file, header: w.header, sha256: (0,sha256/* sha256Hex */.f)(w.text) })) };
    toolkit.saveState(constants/* State */.Uw.Profile, JSON.stringify(record));
}
/**
 * aws-profile for one step: an existing profile is refused now, before any
 * network call (unless overwriting); the writer returned does the rest once
 * the credentials are known.
 */
function openProfile(toolkit, env, profile, overwrite) {
    const paths = profilePaths(env);
    for (const variable of [constants/* Env */.o9.SharedCredentialsFile, constants/* Env */.o9.ConfigFile]) {
        if ((0,line_break/* hasLineBreak */.w)(env[variable] ?? '')) {
            // Not shown: printed, the line break would start a workflow command of its own.
            throw new Error(`'aws-profile': ${variable} holds a line break (CR or LF); the path is not shown. Fix: point ${variable} at a file whose path has no line break, or unset it.`);
        }
    }
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
    const { removed, kept } = removeWritten(record.sections, sha256Hex);
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
 * Writes a file only its owner can read (0600), atomically: aside, synced,
 * then renamed over `path`, so a reader never sees half of it. The side file is
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
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.fsyncSync)(fd); // on disk before it takes the name: a crash leaves the old file or the new one, never an empty one
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


/***/ }),

/***/ 1744:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ processState),
/* harmony export */   t: () => (/* binding */ realProcessControl)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/**
 * Telling one process from any other: a pid alone can be reused by the OS
 * once the process is gone; its start time cannot. Used for the credential
 * server (keepalive/process-control.ts) and for the holders of file locks
 * (util/file-lock.ts, export/profile-lock.ts).
 */


/** /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'. */
function procStat(pid) {
    try {
        const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    }
    catch {
        return undefined;
    }
}
const realProcessControl = {
    startOf(pid) {
        if (process.platform === 'linux')
            return procStat(pid)?.[19]; // field 22, starttime in clock ticks since boot
        if (process.platform === 'win32')
            return undefined;
        const ps = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawnSync)('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
        const out = ps.status === 0 ? ps.stdout.trim() : '';
        return out || undefined;
    },
    alive(pid) {
        try {
            process.kill(pid, 0);
        }
        catch (e) {
            if (e.code !== 'EPERM')
                return false;
        }
        // An exited child waits as a zombie until it is reaped, and signal 0 still succeeds on it.
        if (process.platform !== 'linux')
            return true;
        const state = procStat(pid)?.[0];
        return state !== undefined && state !== 'Z';
    },
    signal(pid, signal) {
        try {
            process.kill(pid, signal);
        }
        catch {
            // gone meanwhile
        }
    },
    paused(pid) {
        // /proc/PID/stat state: T stopped by a signal, t stopped by a tracer.
        const state = process.platform === 'linux' ? procStat(pid)?.[0] : undefined;
        return state === 'T' || state === 't';
    },
};
function processState(identity, control) {
    if (!control.alive(identity.pid))
        return 'gone';
    if (identity.start === undefined)
        return 'unverifiable';
    const start = control.startOf(identity.pid);
    if (start === undefined)
        return control.alive(identity.pid) ? 'unverifiable' : 'gone';
    return start === identity.start ? 'running' : 'other';
}


/***/ }),

/***/ 6701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ sha256Hex)
/* harmony export */ });
/* unused harmony export sha256Bytes */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/** SHA-256, the one helper: hex for what is recorded in files, raw bytes for constant-time comparisons. */

const sha256Hex = (text) => (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(text, 'utf8').digest('hex');
const sha256Bytes = (text) => createHash('sha256').update(text, 'utf8').digest();


/***/ })

};
;