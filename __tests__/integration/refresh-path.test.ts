/**
 * The guard's OIDC refresh path never loads @aws-sdk/client-sts: run from a
 * copy of dist/main without the SDK's chunks, it still mints and exports a
 * session with 1 ID token + 1 AssumeRoleWithWebIdentity, and loads neither
 * http2 nor zlib (which the SDK's request handler loads). The control: the
 * same copy fails a chained role, which needs the SDK for AssumeRole.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAIN, ROLES, ROOT, startWorld, type World } from './world.js';

const PRELOAD = join(ROOT, '__tests__', 'fixtures', 'module-list.mjs');
/** A name only the SDK's code (and the SDK gateway that drives it) holds. */
const SDK_MARKER = 'AssumeRoleWithWebIdentityCommand';

let world: World;
let dir: string;
let main: string;
const removed: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  dir = mkdtempSync(join(tmpdir(), `refresh-path-${process.pid}-`));
  cpSync(join(MAIN, '..'), join(dir, 'main'), { recursive: true });
  main = join(dir, 'main', 'index.js');
  for (const file of readdirSync(join(dir, 'main'))) {
    if (!file.endsWith('.js')) continue;
    const path = join(dir, 'main', file);
    if (readFileSync(path, 'utf8').includes(SDK_MARKER)) {
      rmSync(path);
      removed.push(file);
    }
  }
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await world.close();
});

describe('the refresh path without the AWS SDK', () => {
  test('the SDK is in lazy chunks only, never in the entry', () => {
    expect(removed.length).toBeGreaterThan(0);
    expect(removed).not.toContain('index.js');
  });

  test('mints and exports a session from a dist without the SDK chunks: 1 ID token + 1 STS call, no http2 or zlib loaded', async () => {
    const job = world.job();
    world.sts.resetCalls();
    world.issuer.resetRequests();
    const listFile = join(dir, `modules-${process.pid}.json`);
    const r = await job.runAction(main, {
      inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'eu-west-1', 'expected-duration': '1h' },
      env: { NODE_OPTIONS: `--import ${PRELOAD}`, MODULE_LIST_FILE: listFile },
    });
    expect(r.stderr).not.toMatch(/Cannot find module/);
    expect(r.exitCode).toBe(0);
    expect(r.outputs['refreshed']).toBe('true');
    expect(r.exportedEnv['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(world.issuer.requests).toHaveLength(1);
    expect(world.sts.calls).toHaveLength(1);
    expect(world.sts.calls[0]).toMatchObject({ action: 'AssumeRoleWithWebIdentity', status: 200 });
    const modules = JSON.parse(readFileSync(listFile, 'utf8')) as string[];
    expect(modules).toContain('http');
    expect(modules.filter((m) => m === 'http2' || m === 'zlib')).toEqual([]);
  });

  test('control: a chained role needs the SDK (AssumeRole is signed), so the same copy fails', async () => {
    const job = world.job();
    const r = await job.runAction(main, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': ROLES.chained, 'aws-region': 'us-east-1', 'expected-duration': '30m' },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Cannot find module/);
    expect(r.exportedEnv['AWS_ACCESS_KEY_ID']).toBeUndefined();
  });

  test('the full dist mints the chained role (the SDK chunk loaded for AssumeRole)', async () => {
    const job = world.job();
    const r = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': ROLES.deploy, 'chained-role-to-assume': ROLES.chained, 'aws-region': 'us-east-1', 'expected-duration': '30m' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs['authenticated-arn']).toMatch(/assumed-role\/chained-target\//);
  });
});
