/** Files that may hold secrets: 0600, whole or not at all, never written through a planted link, no side file left. */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendPrivateLine, writePrivateFile } from '../../src/util/private-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), `private-file-${process.pid}-`));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('writes 0600 over a file that was 0644, and replaces its content whole', () => {
  const path = join(dir, 'f');
  writeFileSync(path, 'old content that is longer\n', { mode: 0o644 });
  writePrivateFile(path, 'new\n');
  expect(readFileSync(path, 'utf8')).toBe('new\n');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir)).toEqual(['f']);
});

test('a rename that fails (a folder in the way) leaves no side file behind, and the error goes to the caller', () => {
  const path = join(dir, 'f');
  mkdirSync(join(path, 'in-the-way'), { recursive: true });
  expect(() => writePrivateFile(path, 'secret\n')).toThrow();
  expect(readdirSync(dir)).toEqual(['f']);
});

test('a symbolic link planted at the side file name is removed, never written through', () => {
  const path = join(dir, 'f');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'untouched\n');
  symlinkSync(victim, `${path}.${process.pid}.tmp`);
  writePrivateFile(path, 'secret\n');
  expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
  expect(readFileSync(path, 'utf8')).toBe('secret\n');
});

test('appendPrivateLine creates 0600 and refuses a symbolic link', () => {
  const path = join(dir, 'log');
  appendPrivateLine(path, 'a\n');
  appendPrivateLine(path, 'b\n');
  expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const link = join(dir, 'link');
  symlinkSync(path, link);
  expect(() => appendPrivateLine(link, 'c\n')).toThrow(/ELOOP/);
  expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
});
