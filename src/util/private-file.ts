/** Files that may hold secrets: written so only their owner can read them, whole or not at all. */
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Writes a file only its owner can read (0600), atomically: aside, synced,
 * then renamed over `path`, so a reader never sees half of it. The side file is
 * created afresh (never opened through a symbolic link or a file planted
 * under its name) and removed again when anything fails.
 */
export function writePrivateFile(path: string, content: string): void {
  const aside = `${path}.${process.pid}.tmp`;
  rmSync(aside, { force: true });
  const fd = openSync(aside, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    try {
      writeFileSync(fd, content);
      fsyncSync(fd); // on disk before it takes the name: a crash leaves the old file or the new one, never an empty one
    } finally {
      closeSync(fd);
    }
    renameSync(aside, path);
  } catch (error) {
    rmSync(aside, { force: true });
    throw error;
  }
}

/** Appends a line to a private file (0600 when created), never through a symbolic link. */
export function appendPrivateLine(path: string, line: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | NOFOLLOW, 0o600);
  try {
    writeSync(fd, line);
  } finally {
    closeSync(fd);
  }
}
