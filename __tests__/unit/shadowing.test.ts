import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shadowingFiles } from '../../src/keepalive/shadowing.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'shadow-home-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function write(rel: string, text: string): string {
  const path = join(home, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('shadowingFiles', () => {
  test('no files: nothing', () => {
    expect(shadowingFiles({}, home)).toEqual([]);
  });

  test('~/.aws/credentials with keys in [default] shadows', () => {
    const file = write('.aws/credentials', '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n');
    expect(shadowingFiles({}, home)).toEqual([file]);
  });

  test('keys only in another profile do not shadow', () => {
    write('.aws/credentials', '[other]\naws_access_key_id = AKIAEXAMPLE\n\n[default]\nregion = us-east-1\n');
    expect(shadowingFiles({}, home)).toEqual([]);
  });

  test('the default section ends at the next section header', () => {
    write('.aws/credentials', '[default]\nregion = us-east-1\n[prod]\naws_access_key_id = AKIA\n');
    expect(shadowingFiles({}, home)).toEqual([]);
  });

  test.each([
    ['[default]\ncredential_process = /bin/creds\n'],
    ['[profile default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n'],
    ['[ default ]\r\nsso_session = corp\r\n'],
    ['[default]\nweb_identity_token_file = /tmp/t\n'],
    ['[default]\n  AWS_SESSION_TOKEN = abc\n'],
  ])('~/.aws/config %j shadows', (text) => {
    const file = write('.aws/config', text);
    expect(shadowingFiles({}, home)).toEqual([file]);
  });

  test('[profile default] in the credentials file is not the default profile there', () => {
    write('.aws/credentials', '[profile default]\naws_access_key_id = AKIA\n');
    expect(shadowingFiles({}, home)).toEqual([]);
  });

  test('a default profile with only settings does not shadow', () => {
    write('.aws/config', '[default]\nregion = eu-west-1\noutput = json\n');
    expect(shadowingFiles({}, home)).toEqual([]);
  });

  test('AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE are honoured instead of the home files', () => {
    write('.aws/credentials', '[default]\naws_access_key_id = AKIA\n');
    const creds = write('elsewhere/creds', '[default]\naws_access_key_id = AKIA\n');
    const config = write('elsewhere/config', '[default]\ncredential_process = x\n');
    expect(shadowingFiles({ AWS_SHARED_CREDENTIALS_FILE: creds, AWS_CONFIG_FILE: config }, home)).toEqual([creds, config]);
    const empty = write('elsewhere/empty', '');
    expect(shadowingFiles({ AWS_SHARED_CREDENTIALS_FILE: empty, AWS_CONFIG_FILE: empty }, home)).toEqual([]);
  });

  test('a path that is a directory is skipped', () => {
    mkdirSync(join(home, '.aws', 'credentials'), { recursive: true });
    expect(shadowingFiles({}, home)).toEqual([]);
  });
});

describe('shadowingFiles on large files', () => {
  test('40,000 blank lines in the default section are scanned in linear time (no backtracking across lines)', () => {
    write('.aws/credentials', '[default]\n' + '\n'.repeat(40_000) + 'region = us-east-1\n');
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      expect(shadowingFiles({}, home)).toEqual([]);
      best = Math.min(best, performance.now() - t);
    }
    // The old pattern (\s* with the m flag) took about 2 s here, the linear scan a few ms: 1 s tells them apart on
    // any machine, however busy.
    expect(best).toBeLessThan(1_000);
  });

  test('a key indented with spaces and tabs still counts', () => {
    const file = write('.aws/credentials', '[default]\n \t aws_access_key_id\t= AKIAEXAMPLE\n');
    expect(shadowingFiles({}, home)).toEqual([file]);
  });
});
