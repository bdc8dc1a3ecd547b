import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EOL } from 'node:os';
import { createToolkit, fileCommandEntry, type EnvVars as Env } from '../../src/runner/toolkit.js';

/** Parses a GITHUB_ENV / GITHUB_OUTPUT file as the runner does: NAME<<DELIM heredocs (and NAME=value lines). */
function parseCommandFile(text: string): Array<[string, string]> {
  const lines = text.split(EOL);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      if (i >= lines.length) throw new Error(`unterminated heredoc for ${name}`);
      out.push([name ?? '', value.join(EOL)]);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`bad line: ${line}`);
    out.push([line.slice(0, eq), line.slice(eq + 1)]);
  }
  return out;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'toolkit-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function make(env: Env = {}) {
  const written: string[] = [];
  const codes: number[] = [];
  const toolkit = createToolkit({ env, write: (t) => void written.push(t), setExitCode: (c) => void codes.push(c) });
  return { toolkit, written, codes, env };
}

describe('getInput', () => {
  test('maps role-to-assume to INPUT_ROLE-TO-ASSUME and trims', () => {
    const { toolkit } = make({ 'INPUT_ROLE-TO-ASSUME': '  arn:aws:iam::123456789012:role/deploy \n' });
    expect(toolkit.getInput('role-to-assume')).toBe('arn:aws:iam::123456789012:role/deploy');
  });
  test('spaces become underscores; missing → empty string', () => {
    const { toolkit } = make({ INPUT_MY_INPUT: 'x' });
    expect(toolkit.getInput('my input')).toBe('x');
    expect(toolkit.getInput('aws-region')).toBe('');
  });
  test('getState reads STATE_name', () => {
    const { toolkit } = make({ STATE_isPost: 'true' });
    expect(toolkit.getState('isPost')).toBe('true');
    expect(toolkit.getState('other')).toBe('');
  });
});

describe('exportVariables', () => {
  test('writes every entry in one append, parseable as heredocs, and mirrors into env', () => {
    const file = join(dir, 'github_env');
    writeFileSync(file, 'EARLIER=1' + EOL);
    const { toolkit, env } = make({ GITHUB_ENV: file });
    const vars = {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'se/cr+et=',
      AWS_SESSION_TOKEN: 'multi\nline',
      AWS_CREDENTIAL_EXPIRATION: '2026-05-01T11:00:00.000Z',
      AWS_PROFILE: '',
    };
    toolkit.exportVariables(vars);
    const entries = parseCommandFile(readFileSync(file, 'utf8'));
    expect(entries[0]).toEqual(['EARLIER', '1']);
    expect(Object.fromEntries(entries.slice(1))).toEqual(vars);
    expect(entries).toHaveLength(6);
    for (const [k, v] of Object.entries(vars)) expect(env[k]).toBe(v);
  });

  test('one appendFile for the whole set: a failure writes nothing and mirrors nothing', () => {
    // A directory as GITHUB_ENV makes the single append fail.
    const { toolkit, env } = make({ GITHUB_ENV: dir });
    expect(() => toolkit.exportVariables({ A: '1', B: '2' })).toThrow();
    expect(env['A']).toBeUndefined();
    expect(env['B']).toBeUndefined();
  });

  test('a write cut short (a file size limit, as a full disk would) is undone: the file is as it was, no half credential set', () => {
    // A real partial write: the step runs under RLIMIT_FSIZE, so the kernel writes up to the limit and then refuses (EFBIG).
    const file = join(dir, 'github_env');
    const earlier = `AWS_SESSION_TOKEN<<old${EOL}${'o'.repeat(1400)}${EOL}old${EOL}`;
    writeFileSync(file, earlier);
    const driver = join(dir, 'driver.mts');
    writeFileSync(
      driver,
      `import { createToolkit } from ${JSON.stringify(join(process.cwd(), 'src/runner/toolkit.ts'))};
const toolkit = createToolkit({ env: { ...process.env }, write: () => undefined, setExitCode: () => undefined });
try {
  toolkit.exportVariables({ AWS_ACCESS_KEY_ID: 'ASIANEWKEY', AWS_SECRET_ACCESS_KEY: 'n'.repeat(400), AWS_SESSION_TOKEN: 'N'.repeat(2000) });
  console.log('exported');
} catch (error) {
  console.log(error.message);
}
`,
    );
    const tsx = join(process.cwd(), 'node_modules/tsx/dist/esm/index.mjs');
    // ulimit -f counts 1024-byte blocks: the file may grow to 2048 bytes, which the new block crosses.
    const run = spawnSync('bash', ['-c', `ulimit -f 2 && exec "${process.execPath}" --import "${existsSync(tsx) ? tsx : 'tsx'}" "${driver}"`], {
      env: { PATH: process.env['PATH'], GITHUB_ENV: file },
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe("Could not write to GITHUB_ENV (EFBIG); nothing of this entry was written. Check the runner's free disk space.");
    expect(readFileSync(file, 'utf8')).toBe(earlier);
    expect(parseCommandFile(readFileSync(file, 'utf8'))).toEqual([['AWS_SESSION_TOKEN', 'o'.repeat(1400)]]);
  });

  test('throws a clear message when GITHUB_ENV is unset, and exports nothing', () => {
    const { toolkit, env, written } = make({});
    expect(() => toolkit.exportVariables({ AWS_ACCESS_KEY_ID: 'x' })).toThrow(
      'GITHUB_ENV is not set: this action must run as a step of a GitHub Actions job.',
    );
    expect(env['AWS_ACCESS_KEY_ID']).toBeUndefined();
    expect(written).toEqual([]);
  });
});

describe('fileCommandEntry', () => {
  test('uses a delimiter that is in neither name nor value', () => {
    const entry = fileCommandEntry('NAME', 'ghadelimiter_ in the value');
    const [first] = entry.split(EOL);
    const delimiter = first?.split('<<')[1] ?? '';
    expect(delimiter).toMatch(/^ghadelimiter_\d+_[0-9a-z]+_[0-9a-z]+_[0-9a-z]+$/);
    // each entry gets its own delimiter
    expect(fileCommandEntry('NAME', 'x')).not.toContain(delimiter);
    expect(entry).toBe(`NAME<<${delimiter}${EOL}ghadelimiter_ in the value${EOL}${delimiter}${EOL}`);
  });
});

describe('outputs, state and summary', () => {
  test('setOutput appends to GITHUB_OUTPUT', () => {
    const file = join(dir, 'out');
    const { toolkit, written } = make({ GITHUB_OUTPUT: file });
    toolkit.setOutput('refreshed', 'true');
    toolkit.setOutput('expiration', '2026-05-01T11:00:00.000Z');
    expect(parseCommandFile(readFileSync(file, 'utf8'))).toEqual([
      ['refreshed', 'true'],
      ['expiration', '2026-05-01T11:00:00.000Z'],
    ]);
    expect(written).toEqual([]);
  });
  test('setOutput without GITHUB_OUTPUT falls back to ::set-output', () => {
    const { toolkit, written } = make({});
    toolkit.setOutput('a', 'b:c');
    expect(written.join('')).toBe(`${EOL}::set-output name=a::b:c${EOL}`);
  });
  test('saveState: GITHUB_STATE or ::save-state', () => {
    const file = join(dir, 'state');
    make({ GITHUB_STATE: file }).toolkit.saveState('isPost', 'true');
    expect(parseCommandFile(readFileSync(file, 'utf8'))).toEqual([['isPost', 'true']]);
    const { toolkit, written } = make({});
    toolkit.saveState('isPost', 'true');
    expect(written).toEqual([`::save-state name=isPost::true${EOL}`]);
  });
  test('appendSummary ends each piece with a newline; no file, no write', () => {
    const file = join(dir, 'summary');
    const { toolkit } = make({ GITHUB_STEP_SUMMARY: file });
    toolkit.appendSummary('- one');
    toolkit.appendSummary(`- two${EOL}`);
    expect(readFileSync(file, 'utf8')).toBe(`- one${EOL}- two${EOL}`);
    const quiet = make({});
    quiet.toolkit.appendSummary('x');
    expect(quiet.written).toEqual([]);
  });
});

describe('setSecret', () => {
  test('writes ::add-mask:: for the value', () => {
    const { toolkit, written } = make();
    toolkit.setSecret('s3cr3t');
    expect(written).toEqual([`::add-mask::s3cr3t${EOL}`]);
  });
  test('each value is masked once: the runner keeps a mask for the whole job', () => {
    const { toolkit, written } = make();
    toolkit.setSecret('s3cr3t');
    toolkit.setSecret('other');
    toolkit.setSecret('s3cr3t');
    // A line of a multi-line value that was masked on its own before is not written again either.
    toolkit.setSecret('other\nthird');
    expect(written).toEqual([`::add-mask::s3cr3t${EOL}`, `::add-mask::other${EOL}`, `::add-mask::other%0Athird${EOL}`, `::add-mask::third${EOL}`]);
  });
  test('a multi-line value: the whole (escaped) and each line', () => {
    const { toolkit, written } = make();
    toolkit.setSecret('line-one\nline-two\r\nline-three\n');
    expect(written).toEqual([
      `::add-mask::line-one%0Aline-two%0D%0Aline-three%0A${EOL}`,
      `::add-mask::line-one${EOL}`,
      `::add-mask::line-two${EOL}`,
      `::add-mask::line-three${EOL}`,
    ]);
  });
  test('blank values are not masked (a blank mask would hide everything)', () => {
    const { toolkit, written } = make();
    toolkit.setSecret('');
    toolkit.setSecret('   ');
    expect(written).toEqual([]);
  });
});

describe('annotations and escaping', () => {
  test('message data: %, \\r and \\n escaped; : and , left alone', () => {
    const { toolkit, written } = make();
    toolkit.warning('100% done\r\nnext: a, b');
    expect(written).toEqual([`::warning::100%25 done%0D%0Anext: a, b${EOL}`]);
  });
  test('properties: %, \\n, : and , escaped', () => {
    const { toolkit, written } = make();
    toolkit.error('msg', 'Title: 50%, done\nnow');
    expect(written).toEqual([`::error title=Title%3A 50%25%2C done%0Anow::msg${EOL}`]);
  });
  test('notice, debug and info', () => {
    const { toolkit, written } = make();
    toolkit.notice('n', 'T');
    toolkit.debug('d%');
    toolkit.info('plain: text, 100%');
    expect(written).toEqual([`::notice title=T::n${EOL}`, `::debug::d%25${EOL}`, `plain: text, 100%${EOL}`]);
  });
  test('info: a line break cannot start a workflow command, nor can the message itself', () => {
    const { toolkit, written } = make();
    toolkit.info('token in /tmp/a\n::stop-commands::x\r\n##[add-mask]y');
    toolkit.info('::add-mask::z');
    toolkit.info('  ##[warning]w');
    expect(written).toEqual([`token in /tmp/a%0A::stop-commands::x%0D%0A##[add-mask]y${EOL}`, `%3A:add-mask::z${EOL}`, `  %23#[warning]w${EOL}`]);
    for (const line of written.join('').split(/\r?\n|\r/)) expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
  });
  test('setFailed sets exit code 1 and writes an error', () => {
    const { toolkit, written, codes } = make();
    toolkit.setFailed('it broke\nbadly');
    expect(codes).toEqual([1]);
    expect(written).toEqual([`::error::it broke%0Abadly${EOL}`]);
  });
});
