/**
 * Side by side with aws-actions/configure-aws-credentials (CAC): the same
 * inputs go through our bundled main step (dist/main/index.js) and through
 * CAC's main step (its action.yml `runs.main`, normally dist/index.js), each
 * in a fresh job of the runner emulator with its own action.yml defaults,
 * against the same fresh stand-ins (GitHub OIDC issuer, STS). For each input
 * set the test compares what each step exports to GITHUB_ENV (names; values
 * as the same literal, both masked secrets, or empty), its step outputs,
 * whether it failed, its profile files (aws-profile), and the STS calls it
 * made with their RoleArn, RoleSessionName, DurationSeconds, ExternalId,
 * Tags and TransitiveTagKeys. Every difference must be listed in the case
 * with a one-line reason, and every listed difference must still occur.
 * Each listed difference is described for users in the README's "Migrating
 * from configure-aws-credentials" and in
 * docs/migrating-from-configure-aws-credentials.md.
 *
 * The default role is a role with IAM's default MaxSessionDuration (1 h), as
 * most roles in the wild: without expected-duration both ask STS for the
 * same DurationSeconds and both succeed on it.
 *
 * It runs when CAC_DIR names a copy of CAC: .ci/run points it at the released
 * CAC in ../shared/anchors/configure-aws-credentials, so it runs on every
 * submission (without CAC_DIR it is skipped). The copy is never vendored
 * here. A release tag checkout of CAC holds its
 * committed dist/. Without GitHub access, a copy can be rebuilt from CAC's
 * published TypeScript sources at one release commit: its src/, package.json
 * and tsconfig.json, dependencies at its lockfile's versions from npm, and
 * the bundler command of its `package` script, with a PROVENANCE.md beside it
 * naming the commit, each file and the build (see bench/README.md).
 *
 *   CAC_DIR=/path/to/cac npx -y node@24 --experimental-vm-modules \
 *     node_modules/jest/bin/jest.js __tests__/integration/cac-side-by-side.test.ts
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActionYml } from '../../bench/action-yml.js';
import { findCac } from '../../bench/cac.js';
import { differences, observe, unlistedAndGone, type Observed } from './cac-compare.js';
import { ACCOUNT, EXTERNAL_ID, MAIN, ROLES, ROOT, startWorld, type World } from './world.js';

const CAC_DIR = process.env['CAC_DIR'];
const REGION = 'us-east-1';
const EXTERNAL_ROLE = ROLES.external12h;
const OLD_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAOLDKEYSFROMBEFORE', AWS_SECRET_ACCESS_KEY: 'old-secret', AWS_SESSION_TOKEN: 'old-token' };

interface Ctx {
  readonly world: World;
  readonly user: { accessKeyId: string; secretAccessKey: string };
  readonly tokenFile: string;
}

interface Case {
  readonly name: string;
  readonly inputs: (ctx: Ctx) => Record<string, string>;
  /** Extra job env (e.g. credentials already in place). */
  readonly env?: (ctx: Ctx) => Record<string, string>;
  /** Both steps must fail. */
  readonly bothFail?: true;
  /** Every difference this case shows, each with why it is intended. */
  readonly intended: Record<string, string>;
}

/** The IAM default role (MaxSessionDuration 1 h), as most roles in the wild. */
const oidc = { 'role-to-assume': ROLES.iamDefault, 'aws-region': REGION };
const ROLE = 'gha-1h';
const keys = (ctx: Ctx) => ({ 'aws-access-key-id': ctx.user.accessKeyId, 'aws-secret-access-key': ctx.user.secretAccessKey });

// The intended differences, with why. Each is described in the README's migration table and in
// docs/migrating-from-configure-aws-credentials.md.
type Listed = Record<string, string>;

const EXPIRY_EXPORTS: Listed = {
  'env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")': 'ours exports the expiry too (read by the JS SDK v3, botocore and the next guard step)',
  'env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>")': 'ours exports fingerprints binding that expiry to these keys (no secret)',
};
/** A plain GitHub OIDC configuration: the marker also records a fingerprint of the step's configuration, for a later guard step's healthy shortcut. */
const EXPIRY_EXPORTS_SHORTCUT: Listed = {
  'env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")': EXPIRY_EXPORTS['env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")'] ?? '',
  'env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>:<hex>")':
    'ours exports fingerprints binding that expiry to these keys and to the configuration that minted them, which a later guard step with that configuration keeps without reading its settings (no secret)',
};
const OWN_OUTPUTS: Listed = {
  'output expiration: ours only ("<time>")': "ours' own output: the session's expiry",
  'output refreshed: ours only ("true")': "ours' own output: this step minted the session",
  'output remaining-seconds: ours only (<seconds>)': "ours' own output: seconds left on the STS clock",
};
const sessionName = (role: string): Listed => ({
  [`output authenticated-arn: ours "arn:aws:sts::${ACCOUNT}:assumed-role/${role}/GitHubActions-<run id>-1", cac "arn:aws:sts::${ACCOUNT}:assumed-role/${role}/GitHubActions"`]:
    'the role session name (below) is part of the assumed-role ARN',
});
// Without expected-duration both ask STS for role-duration-seconds, else 3600: DurationSeconds is no difference.
const requestDefaults = (action: string): Listed => ({
  [`sts ${action} RoleSessionName: ours GitHubActions-<run id>-1, cac GitHubActions`]: "ours' default role-session-name adds the run id and attempt; CAC's is GitHubActions",
});
const OIDC_CALLS: Listed = {
  'sts calls: ours [AssumeRoleWithWebIdentity], cac [AssumeRoleWithWebIdentity, GetCallerIdentity]':
    'CAC checks the new session with GetCallerIdentity; ours takes the account and ARN from the assumed-role ARN STS returned',
};
const KEYS_CALLS: Listed = {
  'sts calls: ours [AssumeRole], cac [GetCallerIdentity, AssumeRole, GetCallerIdentity]':
    'CAC checks the input keys with GetCallerIdentity first and the session after; ours lets AssumeRole prove the keys, and reads the ARN',
};
const accountOutputsWithoutEnv = (arn: string): Listed => ({
  [`output authenticated-arn: ours only ("${arn}")`]: 'ours sets the account outputs whatever output-env-credentials or aws-profile say; CAC only when it exports to the env',
  [`output aws-account-id: ours only ("${ACCOUNT}")`]: 'ours sets the account outputs whatever output-env-credentials or aws-profile say; CAC only when it exports to the env',
});
const ACCOUNT_OUTPUTS_WITHOUT_ENV = accountOutputsWithoutEnv(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/GitHubActions-<run id>-1`);
const OIDC_MINT: Listed = { ...EXPIRY_EXPORTS, ...OWN_OUTPUTS, ...sessionName(ROLE), ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') };
const KEYS_MINT = (role = ROLE): Listed => ({ ...EXPIRY_EXPORTS, ...OWN_OUTPUTS, ...sessionName(role), ...KEYS_CALLS, ...requestDefaults('AssumeRole') });
// Keys without a role: both check them with one GetCallerIdentity and set the account outputs from it.
const KEYS_HANDED_ON: Listed = {
  'output refreshed: ours only ("false")': "ours' own output: nothing was minted",
};
const KEYS_HANDED_ON_EXPORTS: Listed = {
  'env AWS_SESSION_TOKEN: ours only ((empty))': 'ours clears a session token an earlier step left (IAM user keys have none); CAC only when one is set',
  'env AWS_CREDENTIAL_EXPIRATION: ours only ((empty))': 'ours clears an earlier expiry: it must not describe these keys',
  'env AWS_SESSION_GUARD_SESSION: ours only ((empty))': 'ours clears an earlier session marker with it',
};
const USER_ACCOUNT_OUTPUTS_WITHOUT_ENV = accountOutputsWithoutEnv(`arn:aws:iam::${ACCOUNT}:user/ci-deployer`);
/** Ours found the role's maximum (STS never says it): it outputs it and passes it on to later steps. */
const ROLE_MAX_FOUND = (refused: string): Listed => ({
  [`env AWS_SESSION_GUARD_ROLE_MAX: ours only ("<hex>:3600:${refused}")`]:
    "ours passes the role maximum it found on to later steps (a fingerprint of the role ARN, the maximum, the shortest refused length; no secret), so they ask for it at once instead of being refused again",
  'output max-session-duration: ours only ("3600")': "ours' own output: the role's MaxSessionDuration, when it found it",
});
const CAC_REGION_BEFORE_REFUSING: Listed = {
  'env AWS_DEFAULT_REGION: cac only ("us-east-1")': 'CAC exports the region before it checks the other inputs; ours refuses bad input before exporting anything',
  'env AWS_REGION: cac only ("us-east-1")': 'CAC exports the region before it checks the other inputs; ours refuses bad input before exporting anything',
};
const CAC_KEYS_BEFORE_ACCOUNT_CHECK = (token: boolean): Listed => ({
  ...CAC_REGION_BEFORE_REFUSING,
  'env AWS_ACCESS_KEY_ID: cac only ((secret))': "CAC exports the keys before its account check fails; ours refuses before exporting anything",
  'env AWS_SECRET_ACCESS_KEY: cac only ((secret))': "CAC exports the keys before its account check fails; ours refuses before exporting anything",
  ...(token && { 'env AWS_SESSION_TOKEN: cac only ((secret))': "CAC exports the keys before its account check fails; ours refuses before exporting anything" }),
});

const CASES: Case[] = [
  {
    name: 'OIDC + role',
    inputs: () => ({ ...oidc }),
    intended: { ...EXPIRY_EXPORTS_SHORTCUT, ...OWN_OUTPUTS, ...sessionName(ROLE), ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') },
  },
  {
    name: 'OIDC + role + role-duration-seconds (a 3 h role)',
    inputs: () => ({ ...oidc, 'role-to-assume': ROLES.hours3, 'role-duration-seconds': '7200' }),
    intended: { ...EXPIRY_EXPORTS_SHORTCUT, ...OWN_OUTPUTS, ...sessionName('gha-3h'), ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') },
  },
  {
    name: 'OIDC + role-duration-seconds longer than the 1 h role allows (ours goes on with the role maximum and warns, CAC fails)',
    inputs: () => ({ ...oidc, 'role-duration-seconds': '7200', 'disable-retry': 'true' }),
    intended: {
      ...Object.fromEntries(
        [
          'failed: ours false, cac true',
          'env AWS_ACCESS_KEY_ID: ours only ((secret))',
          'env AWS_SECRET_ACCESS_KEY: ours only ((secret))',
          'env AWS_SESSION_TOKEN: ours only ((secret))',
          'env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")',
          'env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>:<hex>")',
          `output authenticated-arn: ours only ("arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/GitHubActions-<run id>-1")`,
          `output aws-account-id: ours only ("${ACCOUNT}")`,
          'output expiration: ours only ("<time>")',
          'output refreshed: ours only ("true")',
          'output remaining-seconds: ours only (<seconds>)',
          'sts AssumeRoleWithWebIdentity (last) DurationSeconds: ours 3600, cac 7200',
          'sts AssumeRoleWithWebIdentity (last) status: ours 200, cac 400',
          ...Object.keys(requestDefaults('AssumeRoleWithWebIdentity')),
        ].map((d) => [
          d,
          "STS refused role-duration-seconds as longer than the role's MaxSessionDuration: ours asks again for the role's maximum, goes on with that session and warns; CAC fails the step",
        ]),
      ),
      ...ROLE_MAX_FOUND('7200'),
    },
  },
  { name: 'output-credentials: true', inputs: () => ({ ...oidc, 'output-credentials': 'true' }), intended: OIDC_MINT },
  {
    name: 'output-env-credentials: false',
    inputs: () => ({ ...oidc, 'output-env-credentials': 'false' }),
    intended: { ...OWN_OUTPUTS, ...ACCOUNT_OUTPUTS_WITHOUT_ENV, ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') },
  },
  {
    // Both set the account outputs and mask them: they are no difference.
    name: 'mask-aws-account-id: true',
    inputs: () => ({ ...oidc, 'mask-aws-account-id': 'true' }),
    intended: { ...EXPIRY_EXPORTS, ...OWN_OUTPUTS, ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') },
  },
  { name: 'keys without role-to-assume (exported as they are)', inputs: (ctx) => ({ ...keys(ctx), 'aws-region': REGION }), intended: { ...KEYS_HANDED_ON, ...KEYS_HANDED_ON_EXPORTS } },
  {
    name: 'keys without role + output-credentials',
    inputs: (ctx) => ({ ...keys(ctx), 'aws-region': REGION, 'output-credentials': 'true' }),
    intended: { ...KEYS_HANDED_ON, ...KEYS_HANDED_ON_EXPORTS },
  },
  {
    name: 'keys without role + output-env-credentials: false',
    inputs: (ctx) => ({ ...keys(ctx), 'aws-region': REGION, 'output-env-credentials': 'false' }),
    intended: { ...KEYS_HANDED_ON, ...USER_ACCOUNT_OUTPUTS_WITHOUT_ENV },
  },
  {
    name: 'keys without role + allowed-account-ids without their account (both fail)',
    bothFail: true,
    inputs: (ctx) => ({ ...keys(ctx), 'aws-region': REGION, 'allowed-account-ids': '210987654321' }),
    // Both learn the keys' account with GetCallerIdentity and refuse it.
    intended: CAC_KEYS_BEFORE_ACCOUNT_CHECK(false),
  },
  { name: 'keys + role-to-assume (AssumeRole with the keys)', inputs: (ctx) => ({ ...keys(ctx), ...oidc }), intended: KEYS_MINT() },
  {
    name: 'role-to-assume alone without the id-token permission, IAM user keys in place (both assume with them)',
    env: (ctx) => ({ ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '', AWS_ACCESS_KEY_ID: ctx.user.accessKeyId, AWS_SECRET_ACCESS_KEY: ctx.user.secretAccessKey }),
    inputs: () => ({ ...oidc }),
    intended: KEYS_MINT(),
  },
  { name: 'web-identity-token-file + role', inputs: (ctx) => ({ ...oidc, 'web-identity-token-file': ctx.tokenFile }), intended: OIDC_MINT },
  {
    name: 'role-external-id + keys + role',
    inputs: (ctx) => ({ ...keys(ctx), 'role-to-assume': EXTERNAL_ROLE, 'aws-region': REGION, 'role-external-id': EXTERNAL_ID }),
    intended: KEYS_MINT('partner-12h'),
  },
  {
    name: 'custom-tags + transitive-tag-keys + keys + role',
    inputs: (ctx) => ({ ...keys(ctx), ...oidc, 'custom-tags': '{"Team": "payments", "CostCenter": 42}', 'transitive-tag-keys': 'Team' }),
    intended: KEYS_MINT(),
  },
  {
    name: 'transitive-tag-keys naming no tag + keys + role (ours refuses, CAC drops the key)',
    inputs: (ctx) => ({ ...keys(ctx), ...oidc, 'transitive-tag-keys': 'Team' }),
    intended: Object.fromEntries(
      [
        'failed: ours true, cac false',
        'env AWS_ACCESS_KEY_ID: cac only ((secret))',
        'env AWS_DEFAULT_REGION: cac only ("us-east-1")',
        'env AWS_REGION: cac only ("us-east-1")',
        'env AWS_SECRET_ACCESS_KEY: cac only ((secret))',
        'env AWS_SESSION_TOKEN: cac only ((secret))',
        `output authenticated-arn: cac only ("arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/GitHubActions")`,
        `output aws-account-id: cac only ("${ACCOUNT}")`,
        'sts calls: ours [], cac [GetCallerIdentity, AssumeRole, GetCallerIdentity]',
      ].map((d) => [d, "ours refuses a transitive key that names none of the session's tags, before any call; CAC drops it silently and goes on"]),
    ),
  },
  { name: 'role-skip-session-tagging + keys + role', inputs: (ctx) => ({ ...keys(ctx), ...oidc, 'role-skip-session-tagging': 'true' }), intended: KEYS_MINT() },
  { name: 'unset-current-credentials over keys in place', env: () => ({ ...OLD_KEYS }), inputs: () => ({ ...oidc, 'unset-current-credentials': 'true' }), intended: OIDC_MINT },
  {
    name: "allowed-account-ids without the role's account (both fail)",
    bothFail: true,
    inputs: () => ({ ...oidc, 'allowed-account-ids': '210987654321' }),
    intended: {
      ...CAC_KEYS_BEFORE_ACCOUNT_CHECK(true),
      'sts calls: ours [], cac [AssumeRoleWithWebIdentity, GetCallerIdentity]': "ours refuses a role ARN outside the list before any call; CAC mints, then checks the session's account",
    },
  },
  {
    name: 'aws-profile (OIDC + role)',
    inputs: () => ({ ...oidc, 'aws-profile': 'deploy' }),
    intended: { ...OWN_OUTPUTS, ...ACCOUNT_OUTPUTS_WITHOUT_ENV, ...OIDC_CALLS, ...requestDefaults('AssumeRoleWithWebIdentity') },
  },
  {
    name: 'aws-profile with keys, no role',
    inputs: (ctx) => ({ ...keys(ctx), 'aws-region': REGION, 'aws-profile': 'ci' }),
    intended: { ...KEYS_HANDED_ON, ...USER_ACCOUNT_OUTPUTS_WITHOUT_ENV },
  },
  {
    name: 'aws-access-key-id without aws-secret-access-key (both refuse)',
    bothFail: true,
    inputs: (ctx) => ({ ...oidc, 'aws-access-key-id': ctx.user.accessKeyId }),
    intended: CAC_REGION_BEFORE_REFUSING,
  },
  { name: 'role-session-name with a space (both refuse)', bothFail: true, inputs: () => ({ ...oidc, 'role-session-name': 'my session' }), intended: {} },
];

// ---------------------------------------------------------------------------

const cacLookup = findCac(CAC_DIR);
const run = CAC_DIR ? describe : describe.skip;
const title = CAC_DIR
  ? `side by side with configure-aws-credentials ${cacLookup.cac?.version ?? ''} at ${CAC_DIR}`
  : 'side by side with configure-aws-credentials: skipped, set CAC_DIR to a copy of configure-aws-credentials (see bench/README.md)';

run(title, () => {
  const ourYml = readActionYml(join(ROOT, 'action.yml'));
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cac-side-by-side-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cac = cacLookup.cac;
    if (!cac) throw new Error(`CAC_DIR=${CAC_DIR}: ${cacLookup.why ?? 'not usable'}`);
    const world = await startWorld();
    try {
      const user = world.sts.addUser('ci-deployer');
      const tokenFile = join(tmp, `token-${Math.random().toString(36).slice(2)}`);
      writeFileSync(tokenFile, world.issuer.mintIdToken({ audience: 'sts.amazonaws.com' }));
      const ctx: Ctx = { world, user, tokenFile };
      const inputs = c.inputs(ctx);
      const side = async (entry: string, defaults: Record<string, string>): Promise<Observed> => {
        world.sts.resetCalls();
        const job = world.job(c.env?.(ctx) ?? {});
        const step = await job.runAction(entry, { inputs: { ...defaults, ...inputs }, timeoutMs: 30_000 });
        return observe(step, job, [...world.sts.calls], inputs['aws-access-key-id']);
      };
      const ours = await side(MAIN, ourYml.defaults);
      const theirs = await side(cac.entry, cac.yml.defaults);
      if (c.bothFail) expect([ours.failed, theirs.failed]).toEqual([true, true]);
      expect(unlistedAndGone(differences(ours, theirs), c.intended)).toEqual({ unlisted: [], gone: [] });
    } finally {
      await world.close();
    }
  }, 90_000);
});
