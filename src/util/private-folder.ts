/** A folder only the runner user can use: never a symbolic link, never someone else's. */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

export class UnsafeFolderError extends Error {
  constructor(dir: string, why: string) {
    super(
      `The folder ${dir} ${why}. This action uses it only when it is a private folder (0700) of the runner user. ` +
        'Fix: remove it (rm -rf it in an earlier step), or check what else on this runner writes there.',
    );
    this.name = 'UnsafeFolderError';
  }
}

/** Throws UnsafeFolderError unless `dir` is a real folder owned by this user; tightens its mode to 0700. */
export function checkPrivateFolder(dir: string): void {
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw new UnsafeFolderError(dir, 'is a symbolic link');
  if (!st.isDirectory()) throw new UnsafeFolderError(dir, 'is not a folder');
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new UnsafeFolderError(dir, `belongs to uid ${st.uid}, not to the runner user (uid ${uid})`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Creates `dir` (0700) when missing, then checks it. */
export function ensurePrivateFolder(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  checkPrivateFolder(dir);
}
