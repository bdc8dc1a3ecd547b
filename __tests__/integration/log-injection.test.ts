/**
 * Workflow-command injection through a path (issue 20, finding 7): a line
 * break and `::stop-commands::x` in web-identity-token-file,
 * AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE. The bundled action, run by
 * the runner emulator (which honours ::stop-commands:: as the runner does),
 * refuses each as an input error; a path that is not an input (HOME) is
 * printed escaped. Either way no workflow command is injected, and every key
 * the step hands over is masked.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobRunner, StepResult } from '../../standins/index.js';
import { MAIN, POST, ROLES, secretsOf, startWorld, type World } from './world.js';

const EVIL = '\n::stop-commands::x';
const base = { 'role-to-assume': ROLES.deploy, 'aws-region': 'us-east-1' };

/** stdout lines the runner would take as a command the action did not mean to write. */
function injected(step: StepResult): string[] {
  return step.stdout.split('\n').filter((l) => /^\s*(::stop-commands::|::x::)/.test(l));
}

describe('a line break and ::stop-commands:: in a path', () => {
  let world: World;
  let dir: string;
  beforeAll(async () => {
    world = await startWorld();
    dir = mkdtempSync(join(tmpdir(), 'log-injection-'));
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The step ran its commands to the end: its own ::error:: annotation was read, so nothing stopped them. */
  function expectRefused(step: StepResult, job: JobRunner, message: RegExp): void {
    expect(injected(step)).toEqual([]);
    expect(step.exitCode).toBe(1);
    expect(step.errors.join('\n')).toMatch(message);
    expect(step.errors.join('\n')).not.toContain('stop-commands');
    expect(secretsOf(job)).toEqual([]);
    expect(world.sts.calls).toEqual([]);
  }

  test('web-identity-token-file: refused as an input error, the path not shown', async () => {
    const tokenFile = join(dir, `token${EVIL}`);
    writeFileSync(tokenFile, world.issuer.mintIdToken({ audience: 'sts.amazonaws.com' }));
    world.sts.resetCalls();
    const job = world.job();
    const step = await job.runAction(MAIN, { inputs: { ...base, 'web-identity-token-file': tokenFile } });
    expectRefused(step, job, /'web-identity-token-file'.*line break/);
  });

  test.each([['AWS_SHARED_CREDENTIALS_FILE'], ['AWS_CONFIG_FILE']])('%s with aws-profile: refused before any network call', async (variable) => {
    const file = join(dir, `${variable}${EVIL}`);
    world.sts.resetCalls();
    world.issuer.resetRequests();
    const job = world.job({ [variable]: file });
    const step = await job.runAction(MAIN, { inputs: { ...base, 'aws-profile': 'ci' } });
    expectRefused(step, job, new RegExp(`'aws-profile': ${variable} holds a line break`));
    expect(world.issuer.requests).toEqual([]);
  });

  test('a HOME with a line break (not an input): printed escaped, every key masked, the post step too', async () => {
    const home = join(dir, `home${EVIL}`);
    mkdirSync(home, { recursive: true });
    const job = world.job({ HOME: home });
    const step = await job.runAction(MAIN, { inputs: { ...base, 'aws-profile': 'ci', 'output-credentials': 'true' } });
    expect(step.errors).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect(injected(step)).toEqual([]);
    expect(step.stdout).toContain('home%0A::stop-commands::x/.aws/credentials');
    const profile = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
    const keys = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'].map((k) => profile.match(new RegExp(`^${k} = (.+)$`, 'm'))?.[1] ?? `no ${k}`);
    // Masks registered after the path was printed: the runner honoured them, so no ::stop-commands:: got in first.
    expect(keys.filter((k) => !step.masks.includes(k))).toEqual([]);
    expect(job.secretsUnmasked([...keys, ...secretsOf(job), step.outputs['aws-secret-access-key'] ?? 'no output'])).toEqual([]);
    const post = await job.runPost(POST, step);
    expect(injected(post)).toEqual([]);
    expect(post.stdout).toContain('Removed the aws-profile "ci"');
  });
});
