/**
 * Several runners of one user share HOME (a common self-hosted set-up): eight
 * jobs, each a real process running the bundled action through the runner
 * emulator, write their own aws-profile into the same ~/.aws files at once,
 * then run their post steps at once. Every profile is kept, and no secret is
 * left once every post step has run: each write and each removal holds the
 * file's lock and replaces the file atomically.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { MAIN, POST, ROLES, startWorld, type World } from './world.js';

const JOBS = 8;
const ROUNDS = 2;

describe('eight jobs sharing one HOME', () => {
  let world: World;
  let home: string;
  beforeAll(async () => {
    world = await startWorld();
  });
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'shared-home-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });
  afterAll(async () => {
    await world.close();
  });

  const read = (name: string) => (existsSync(join(home, '.aws', name)) ? readFileSync(join(home, '.aws', name), 'utf8') : '');
  const headers = (text: string) => text.split('\n').filter((l) => l.startsWith('['));

  test.each(Array.from({ length: ROUNDS }, (_, i) => [i + 1]))('round %i: all 8 profiles kept, no secret left after the post steps', async (round) => {
    const jobs: JobRunner[] = Array.from({ length: JOBS }, () => world.job({ HOME: home }));
    const names = jobs.map((_, i) => `job${round}-${i}`);
    const mains: StepResult[] = await Promise.all(
      jobs.map((job, i) => job.runAction(MAIN, { inputs: { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1', 'aws-profile': names[i]! } })),
    );
    expect(mains.map((m) => [m.exitCode, m.errors])).toEqual(mains.map(() => [0, []]));
    expect(headers(read('credentials')).sort()).toEqual(names.map((n) => `[${n}]`).sort());
    expect(headers(read('config')).sort()).toEqual(names.map((n) => `[profile ${n}]`).sort());
    expect(read('credentials').split('aws_secret_access_key').length - 1).toBe(JOBS);

    const posts = await Promise.all(jobs.map((job, i) => job.runPost(POST, mains[i]!)));
    expect(posts.map((p) => [p.exitCode, p.warnings])).toEqual(posts.map(() => [0, []]));
    expect(read('credentials')).not.toContain('aws_secret_access_key');
    expect(read('config')).toBe('');
    // No lock or side file is left behind.
    expect(existsSync(join(home, '.aws')) ? readdirSync(join(home, '.aws')).filter((f) => f !== 'credentials' && f !== 'config') : []).toEqual([]);
  }, 120_000);
});
