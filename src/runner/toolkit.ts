/**
 * The runner's workflow-command protocol, as this action uses it.
 *
 * This is the part of `@actions/core` the action needs, written against the
 * documented protocol (stdout commands and the GITHUB_* command files). The
 * healthy guard path runs before every long step and must cost about a bare
 * `node` start; the bundled `@actions/core` pulls in its HTTP client and undici
 * (a 1 MB bundle evaluated on every start).
 */
import { closeSync, fstatSync, ftruncateSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { Env as EnvName } from '../constants.js';

/** The runner's line ending (node:os's EOL, without loading node:os on the healthy path). */
const EOL = process.platform === 'win32' ? '\r\n' : '\n';

export interface Toolkit {
  /** Raw input value, trimmed; '' when not given. Read by the settings parsers (settings/), the healthy shortcut's need and fingerprint (guard/healthy.ts) and the masking of key inputs (main-step.ts). */
  getInput(name: string): string;
  /** Registers a mask. Must run before the value can reach any log line. */
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /**
   * Exports all variables to later steps in one write, so a failure can never
   * leave half of a set exported, and mirrors them into this process's env.
   */
  exportVariables(vars: Readonly<Record<string, string>>): void;
  appendSummary(markdown: string): void;
  info(message: string): void;
  debug(message: string): void;
  notice(message: string, title?: string): void;
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  setFailed(message: string): void;
}

export type EnvVars = Record<string, string | undefined>;

export interface RunnerIo {
  env: EnvVars;
  write(text: string): void;
  setExitCode(code: number): void;
}

/**
 * The one escape every logged text goes through (messages hold paths, inputs
 * and errors from the network): the runner reads its log line by line and takes
 * a line that starts (after spaces) with `::` or `##[` as a workflow command.
 * CR and LF become `%0D` and `%0A`, the toolkit's own escapes, so no byte of a
 * message can end its line and start a command. In command data (below) the
 * runner turns them back into line breaks inside the annotation.
 */
export function withoutLineBreaks(s: string): string {
  return s.replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Command data: `%` escaped first, so that the runner's unescaping gives back exactly the message. */
function escapeData(s: string): string {
  return withoutLineBreaks(s.replace(/%/g, '%25'));
}

/**
 * A plain log line (not a command): without line breaks, and, should the text
 * itself start like a command, its first character escaped (`:` as `%3A`,
 * `#` as `%23`), so the runner shows it and does not run it.
 */
export function logLine(s: string): string {
  const text = withoutLineBreaks(s);
  const start = text.length - text.trimStart().length;
  const rest = text.slice(start);
  if (rest.startsWith('::')) return `${text.slice(0, start)}%3A${rest.slice(1)}`;
  if (rest.startsWith('##[')) return `${text.slice(0, start)}%23${rest.slice(1)}`;
  return text;
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, message: string, props: Record<string, string> = {}): string {
  const p = Object.entries(props)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  return `::${name}${p ? ' ' + p : ''}::${escapeData(message)}${EOL}`;
}

let delimiterCount = 0;
const newDelimiter = () =>
  `ghadelimiter_${process.pid}_${Date.now().toString(36)}_${(delimiterCount++).toString(36)}_${Math.random().toString(36).slice(2)}`;

/**
 * `NAME<<DELIM` heredoc entry as the runner parses it from GITHUB_ENV,
 * GITHUB_OUTPUT and GITHUB_STATE. The delimiter is checked against the value
 * (so a value can never end the entry early), which is what keeps it safe;
 * it needs no cryptographic randomness, and node:crypto is not loaded on the
 * hot path for it.
 */
export function fileCommandEntry(name: string, value: string): string {
  let delimiter = newDelimiter();
  while (name.includes(delimiter) || value.includes(delimiter)) delimiter = newDelimiter();
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}

/**
 * Appends all of `text` or nothing: a write cut short (a full disk, a file
 * size limit) is undone, so the runner never reads half a block, such as the
 * new key ID and secret beside the old session token.
 */
export function appendWhole(file: string, text: string): void {
  const fd = openSync(file, 'a');
  try {
    const before = fstatSync(fd).size;
    try {
      writeFileSync(fd, text, 'utf8');
    } catch (error) {
      ftruncateSync(fd, before);
      throw error;
    }
  } finally {
    closeSync(fd);
  }
}

export function createToolkit(io: RunnerIo): Toolkit {
  const { env } = io;
  const appendTo = (fileVar: string, text: string): boolean => {
    const file = env[fileVar];
    if (!file) return false;
    try {
      appendWhole(file, text);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(`Could not write to ${fileVar} (${code}); nothing of this entry was written. Check the runner's free disk space.`, { cause: error });
    }
    return true;
  };
  const annotate = (kind: string) => (message: string, title?: string) =>
    io.write(command(kind, message, title ? { title } : {}));
  const masked = new Set<string>();

  return {
    getInput: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    setSecret: (value) => {
      // Mask each line too: the runner matches masks line by line. The runner keeps a mask for the whole job, so each is written once.
      for (const part of new Set([value, ...value.split(/\r?\n/)])) {
        if (part.trim() === '' || masked.has(part)) continue;
        masked.add(part);
        io.write(command('add-mask', part));
      }
    },
    setOutput: (name, value) => {
      if (!appendTo(EnvName.GithubOutput, fileCommandEntry(name, value))) {
        io.write(`${EOL}${command('set-output', value, { name })}`);
      }
    },
    saveState: (name, value) => {
      if (!appendTo(EnvName.GithubState, fileCommandEntry(name, value))) {
        io.write(command('save-state', value, { name }));
      }
    },
    getState: (name) => env[`STATE_${name}`] ?? '',
    exportVariables: (vars) => {
      const block = Object.entries(vars)
        .map(([name, value]) => fileCommandEntry(name, value))
        .join('');
      if (!appendTo(EnvName.GithubEnv, block)) {
        throw new Error(`${EnvName.GithubEnv} is not set: this action must run as a step of a GitHub Actions job.`);
      }
      for (const [name, value] of Object.entries(vars)) env[name] = value;
    },
    appendSummary: (markdown) => {
      appendTo(EnvName.GithubStepSummary, markdown.endsWith(EOL) ? markdown : markdown + EOL);
    },
    info: (message) => io.write(logLine(message) + EOL),
    debug: (message) => io.write(command('debug', message)),
    notice: annotate('notice'),
    warning: annotate('warning'),
    error: annotate('error'),
    setFailed: (message) => {
      io.setExitCode(1);
      io.write(command('error', message));
    },
  };
}

/**
 * Writes straight to file descriptor 1. `process.stdout` is a stream object
 * built on first use: for the pipe the runner reads, that loads node:net and
 * the whole streams machinery, which the healthy path must not pay for.
 * A pipe opened non-blocking by someone else answers EAGAIN when full: wait
 * for the reader and go on, so no line is ever lost.
 */
export function writeStdout(text: string, fd = 1): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      buffer = buffer.subarray(writeSync(fd, buffer));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** The toolkit of the current process. */
export function processToolkit(): Toolkit {
  return createToolkit({
    env: process.env,
    write: (text) => writeStdout(text),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  });
}

/** The message a failed step reports for whatever was thrown. */
export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
