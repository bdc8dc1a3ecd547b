import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssumeRoleCommand, AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_ROLE_ARN, parseArgs, startStandIns } from '../../standins/start.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('parseArgs', () => {
  test('roles, lifetime and trust flags', () => {
    expect(parseArgs(['--lifetime-seconds', '30', '--role', 'arn:aws:iam::111122223333:role/a=7200', '--role=arn:aws:iam::111122223333:role/b=3600', '--trust-sub', 'repo:o/*'])).toEqual({
      lifetimeSeconds: 30,
      roles: [
        { arn: 'arn:aws:iam::111122223333:role/a', maxSessionDuration: 7200 },
        { arn: 'arn:aws:iam::111122223333:role/b', maxSessionDuration: 3600 },
      ],
      trust: { sub: 'repo:o/*' },
    });
    expect(parseArgs([]).roles).toEqual([{ arn: DEFAULT_ROLE_ARN, maxSessionDuration: 3600 }]);
    expect(parseArgs(['--exit-on-stdin-close']).exitOnStdinClose).toBe(true);
    expect(parseArgs(['--imds-role', 'arn:aws:iam::111122223333:role/i', '--imds-lifetime', '30', '--user', 'ci', '--user=ops'])).toMatchObject({
      imdsRole: 'arn:aws:iam::111122223333:role/i',
      imdsLifetimeSeconds: 30,
      users: ['ci', 'ops'],
    });
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
    expect(() => parseArgs(['--lifetime-seconds', 'x'])).toThrow(/needs a number/);
  });
});

describe('startStandIns with an instance profile and an IAM user', () => {
  test('serves IMDSv2 credentials and user keys that sign AssumeRole', async () => {
    const started = await startStandIns({ ...parseArgs(['--imds-role', 'arn:aws:iam::123456789012:role/instance', '--user', 'ci']) });
    try {
      const { imdsEndpoint, users } = started.info;
      expect(imdsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const token = await (await fetch(`${imdsEndpoint}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).text();
      const name = await (await fetch(`${imdsEndpoint}/latest/meta-data/iam/security-credentials/`, { headers: { 'X-aws-ec2-metadata-token': token } })).text();
      expect(name).toBe('instance');
      const user = users?.[0];
      expect(user?.accessKeyId).toMatch(/^AKIA/);
      const sts = new STSClient({ region: 'us-east-1', endpoint: started.info.stsEndpoint, credentials: { accessKeyId: user?.accessKeyId ?? '', secretAccessKey: user?.secretAccessKey ?? '' } });
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'ci-x', DurationSeconds: 3600 }));
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    } finally {
      await started.close();
    }
  });
});

describe('standins/start.ts CLI', () => {
  let child: ChildProcessWithoutNullStreams;
  let info: { stsEndpoint: string; issuerUrl: string; requestUrl: string; requestToken: string; controlUrl: string; roles: Array<{ arn: string; maxSessionDuration: number }> };

  beforeAll(async () => {
    child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'standins/start.ts', '--lifetime-seconds', '5', '--role', `${DEFAULT_ROLE_ARN}=7200`], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.once('exit', (code) => reject(new Error(`start.ts exited ${code}: ${err}`)));
    });
    info = JSON.parse(line) as typeof info;
  }, 30_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  test('prints one JSON line and serves both stand-ins with the compressed lifetime', async () => {
    expect(info.stsEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.requestUrl).toBe(`${info.issuerUrl}/token?api-version=2.0`);
    expect(info.roles).toEqual([{ arn: DEFAULT_ROLE_ARN, maxSessionDuration: 7200 }]);

    const tokenRes = await fetch(`${info.requestUrl}&audience=sts.amazonaws.com`, { headers: { Authorization: `Bearer ${info.requestToken}` } });
    const { value } = (await tokenRes.json()) as { value: string };
    const sts = new STSClient({ region: 'us-east-1', endpoint: info.stsEndpoint, maxAttempts: 1 });
    const res = await sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'cli', WebIdentityToken: value, DurationSeconds: 7200 }),
    );
    const left = (res.Credentials?.Expiration as Date).getTime() - Date.now();
    expect(left).toBeGreaterThan(3000);
    expect(left).toBeLessThanOrEqual(6000);

    const calls = (await (await fetch(`${info.controlUrl}/calls`)).json()) as Array<{ action: string; status: number; grantedSeconds: number }>;
    expect(calls).toEqual([expect.objectContaining({ action: 'AssumeRoleWithWebIdentity', status: 200, grantedSeconds: 7200 })]);

    await fetch(`${info.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ action: '*', faults: [{ status: 400, code: 'Throttling', message: 'Rate exceeded' }] }) });
    const err = await sts
      .send(new AssumeRoleWithWebIdentityCommand({ RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: 'cli', WebIdentityToken: value }))
      .catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('Throttling');
    sts.destroy();
  });

  test('SIGTERM stops it cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

test('--exit-on-stdin-close stops it when the spawning side goes away', async () => {
  const c = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'standins/start.ts', '--exit-on-stdin-close'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      c.stdout.once('data', () => resolve());
      c.once('exit', (code) => reject(new Error(`exited early: ${code}`)));
    });
    const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
    c.stdin.end();
    expect(await exited).toBe(0);
  } finally {
    if (c.exitCode === null) c.kill('SIGKILL');
  }
}, 30_000);
