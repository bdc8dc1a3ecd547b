/**
 * A plain swap from configure-aws-credentials (CAC) stays green: every `with:`
 * block of the corpus (__tests__/fixtures/cac-corpus.ts, taken from public
 * workflows and issue reports) runs through our bundled main step
 * (dist/main/index.js) and through the released CAC (CAC_DIR), each in a fresh
 * job of the runner emulator with its own action.yml defaults, against the
 * same fresh stand-ins, once on a role with IAM's default maximum session
 * (1 h) and once on a role long enough for the block (3 h, 8 h or 12 h).
 * After the block's steps come the steps those workflows run: the AWS CLI v2
 * (`aws sts get-caller-identity`), boto3, and a step that builds the ECR
 * registry name from the `aws-account-id` output. A failed step skips the
 * rest of the job, as on GitHub.
 *
 * Step by step, both must end the same: each action step as
 * cac-compare.ts observes it (failed or not, exports, outputs, STS calls and
 * their parameters), each later step's exit code. Every difference is listed
 * in the block's case with its reason; the test fails on an unlisted
 * difference and on a listed one that is gone. A listed key starting with
 * "[1h] " or "[long] " holds for that role only; others hold for both.
 *
 *   CAC_DIR=/path/to/cac npx -y node@24 --experimental-vm-modules \
 *     node_modules/jest/bin/jest.js __tests__/integration/cac-corpus.test.ts
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionYml } from '../../bench/action-yml.js';
import { findCac } from '../../bench/cac.js';
import type { JobRunner } from '../../standins/index.js';
import { CORPUS, type CorpusBlock } from '../fixtures/cac-corpus.js';
import { CORPUS_LISTED, type Variant } from './cac-corpus-listed.js';
import { differences, observe, unlistedAndGone, type Observed } from './cac-compare.js';
import { startForwardProxy, type ForwardProxy } from './forward-proxy.js';
import { addLoopbackAddress, Cleanup, IS_ROOT, requireCommands } from './net-lab.js';
import { ACCOUNT, AWS_CLI, BOTO3_PYTHON, EXTERNAL_ID, MAIN, requireRealConsumers, ROLES, ROOT, startWorld, type World } from './world.js';

const CAC_DIR = process.env['CAC_DIR'];
const CONSUMERS = join(ROOT, 'standins', 'consumers');
const VARIANTS: readonly Variant[] = ['1h', 'long'];

/** The role {{role}} stands for: the 1 h one, or the shortest that grants the block's longest role-duration-seconds. */
function roleFor(block: CorpusBlock, variant: Variant): string {
  if (block.roles === 'external') return variant === '1h' ? ROLES.externalIamDefault : ROLES.external12h;
  if (variant === '1h') return ROLES.iamDefault;
  const asked = Math.max(3600, ...block.steps.map((s) => Number(s.with['role-duration-seconds'] ?? 0)));
  return asked <= 3 * 3600 ? ROLES.hours3 : asked <= 8 * 3600 ? ROLES.hours8 : ROLES.hours12;
}

interface Fill {
  readonly fixed: Record<string, string>;
  readonly env: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, Record<string, string>>>;
}

/** Replaces `{{name}}` with the run's stand-in values and `${{ env.X }}` / `${{ steps.ID.outputs.X }}` as a workflow would. */
function fill(value: string, f: Fill): string {
  return value.replace(/\$?\{\{ ?([\w.-]+) ?\}\}/g, (whole, name: string) => {
    if (whole.startsWith('$')) {
      const parts = name.split('.');
      if (parts[0] === 'env' && parts.length === 2) return f.env[parts[1] ?? ''] ?? '';
      if (parts[0] === 'steps' && parts[2] === 'outputs' && parts.length === 4) return f.outputs[parts[1] ?? '']?.[parts[3] ?? ''] ?? '';
      throw new Error(`cac-corpus: unknown expression ${whole}`);
    }
    const v = f.fixed[name];
    if (v === undefined) throw new Error(`cac-corpus: unknown placeholder ${whole}`);
    return v;
  });
}

const fillAll = (values: Readonly<Record<string, string>>, f: Fill): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fill(v, f)]));

/** One side's run of a block: each action step observed (or skipped after a failure), then each later step's outcome. */
interface SideRun {
  readonly steps: Array<Observed | 'skipped'>;
  /** Whether each action step sent anything through the proxy. */
  readonly proxied: boolean[];
  readonly later: Record<string, string>;
}

async function runSide(world: World, entry: string, defaults: Record<string, string>, block: CorpusBlock, fixed: Record<string, string>, proxy: ForwardProxy): Promise<SideRun> {
  world.sts.resetCalls();
  const proxied: boolean[] = [];
  const jobEnv = fillAll(block.jobEnv ?? {}, { fixed, env: {}, outputs: {} });
  const job: JobRunner = world.job(jobEnv);
  const outputs: Record<string, Record<string, string>> = {};
  const steps: Array<Observed | 'skipped'> = [];
  let failed = false;
  let lastOutputs: Record<string, string> = {};
  let region = '';
  for (const [i, step] of block.steps.entries()) {
    if (failed) {
      steps.push('skipped');
      continue;
    }
    const inputs = fillAll(step.with, { fixed, env: job.env, outputs });
    const before = world.sts.calls.length;
    const proxiedBefore = proxy.seen.length;
    const result = await job.runAction(entry, { name: `step ${i + 1}`, inputs: { ...defaults, ...inputs }, timeoutMs: 240_000 });
    const observed = observe(result, job, world.sts.calls.slice(before), inputs['aws-access-key-id']);
    steps.push(observed);
    proxied.push(proxy.seen.length > proxiedBefore);
    outputs[step.id ?? `step${i + 1}`] = result.outputs;
    lastOutputs = result.outputs;
    region = inputs['aws-region'] ?? region;
    failed = observed.failed;
  }
  const later: Record<string, string> = {};
  if (failed) {
    for (const name of ['aws cli', 'boto3', 'registry']) later[name] = 'skipped';
  } else {
    const env = { STS_ENDPOINT: world.sts.endpoint, ...fillAll(block.laterEnv ?? {}, { fixed, env: job.env, outputs }) };
    const [cli, boto3] = await Promise.all([
      job.runCommand(AWS_CLI, ['sts', 'get-caller-identity', '--endpoint-url', world.sts.endpoint, '--output', 'json'], { env }),
      job.runCommand(BOTO3_PYTHON, [join(CONSUMERS, 'boto3-once.py')], { env }),
    ]);
    // docker tag/push to `${{ steps.creds.outputs.aws-account-id }}.dkr.ecr.<region>.amazonaws.com` needs a real account ID.
    const registry = await job.runCommand(
      'bash',
      ['-c', 'r="${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com"; [[ "$r" =~ ^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$ ]] && echo "$r"'],
      { env: { ...env, ACCOUNT_ID: lastOutputs['aws-account-id'] ?? '', REGION: region } },
    );
    later['aws cli'] = `exit ${cli.code}`;
    later['boto3'] = `exit ${boto3.code}`;
    later['registry'] = `exit ${registry.code}`;
  }
  return { steps, proxied, later };
}

function compareRuns(ours: SideRun, cac: SideRun): string[] {
  const out: string[] = [];
  ours.steps.forEach((o, i) => {
    const c = cac.steps[i] ?? 'skipped';
    if (o === 'skipped' || c === 'skipped') {
      if (o !== c) out.push(`step ${i + 1}: ours ${o === 'skipped' ? 'skipped' : 'ran'}, cac ${c === 'skipped' ? 'skipped' : 'ran'}`);
      return;
    }
    for (const d of differences(o, c)) out.push(`step ${i + 1}: ${d}`);
    if (ours.proxied[i] !== cac.proxied[i]) out.push(`step ${i + 1}: proxy used: ours ${ours.proxied[i]}, cac ${cac.proxied[i]}`);
  });
  for (const [name, o] of Object.entries(ours.later)) {
    if (o !== cac.later[name]) out.push(`${name}: ours ${o}, cac ${cac.later[name] ?? '?'}`);
  }
  return out;
}

/** The listed differences that hold for `variant`. */
function listedFor(name: string, variant: Variant): Record<string, string> {
  const listed = CORPUS_LISTED[name];
  if (!listed) throw new Error(`cac-corpus: no listed differences for "${name}" (add an entry, {} when there are none)`);
  const out: Record<string, string> = {};
  for (const [k, reason] of Object.entries(listed)) {
    const m = /^\[(1h|long)\] (.*)$/s.exec(k);
    if (!m) out[k] = reason;
    else if (m[1] === variant) out[m[2] ?? ''] = reason;
  }
  return out;
}

const cacLookup = findCac(CAC_DIR);
const run = CAC_DIR ? describe : describe.skip;
const title = CAC_DIR
  ? `real workflows' configure-aws-credentials blocks, ours and CAC ${cacLookup.cac?.version ?? ''} step by step`
  : 'real workflows side by side with configure-aws-credentials: skipped, set CAC_DIR to a copy of configure-aws-credentials (.ci/run does)';

run(title, () => {
  const ourYml = readActionYml(join(ROOT, 'action.yml'));
  let tmp: string;
  beforeAll(() => {
    requireRealConsumers();
    tmp = mkdtempSync(join(tmpdir(), 'cac-corpus-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  test('the corpus has at least 20 distinct blocks, each with its source and its listed differences', () => {
    const shapes = new Set(CORPUS.map((b) => JSON.stringify(b.steps)));
    expect(shapes.size).toBe(CORPUS.length);
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
    expect(CORPUS.filter((b) => !b.source.trim()).map((b) => b.name)).toEqual([]);
    expect(CORPUS.filter((b) => !(b.name in CORPUS_LISTED)).map((b) => b.name)).toEqual([]);
    expect(Object.keys(CORPUS_LISTED).filter((n) => !CORPUS.some((b) => b.name === n))).toEqual([]);
  });

  const cases = CORPUS.flatMap((block) => VARIANTS.map((variant) => [`${block.name} [${variant} role]`, block, variant] as const));
  test.each(cases)('%s', async (_title, block, variant) => {
    const cac = cacLookup.cac;
    if (!cac) throw new Error(`CAC_DIR=${CAC_DIR}: ${cacLookup.why ?? 'not usable'}`);
    const cleanup = new Cleanup();
    try {
      // Through a proxy, the stand-ins listen on an address added to lo (loopback itself is never proxied).
      let host: string | undefined;
      if (block.throughProxy) {
        if (!IS_ROOT) throw new Error(`"${block.name}" needs root to add an address to lo (ip addr), as proxy.test.ts; .ci/run runs as root`);
        requireCommands('ip');
        const lo = addLoopbackAddress();
        cleanup.add(lo.remove);
        host = lo.address;
      }
      const world = await startWorld(host ? { issuer: { host }, sts: { host } } : {});
      cleanup.add(() => world.close());
      const proxy = await startForwardProxy(host ? [host] : []);
      cleanup.add(() => proxy.close());
      const user = world.sts.addUser('ci-deployer');
      const fixed = {
        role: roleFor(block, variant),
        chainTarget: ROLES.chainTarget,
        externalId: EXTERNAL_ID,
        account: ACCOUNT,
        userKeyId: user.accessKeyId,
        userSecret: user.secretAccessKey,
        proxy: proxy.url,
      };
      const ours = await runSide(world, MAIN, ourYml.defaults, block, fixed, proxy);
      const theirs = await runSide(world, cac.entry, cac.yml.defaults, block, fixed, proxy);
      const found = compareRuns(ours, theirs);
      if (process.env['CAC_CORPUS_PRINT']) process.stderr.write(`${block.name} [${variant}]\n${found.map((d) => `  ${d}`).join('\n')}\n`);
      expect(unlistedAndGone(found, listedFor(block.name, variant))).toEqual({ unlisted: [], gone: [] });
    } finally {
      await cleanup.run();
    }
  }, 600_000);
});
