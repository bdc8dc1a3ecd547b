/**
 * The guard with configure-aws-credentials' delivery inputs: allowed-account-ids
 * refuses before anything is exported, output-credentials, output-env-credentials,
 * aws-profile, special-characters-workaround, action-timeout-s, and the
 * AssumeRole extras on the chained hop only.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guard, type GuardDeps } from '../../src/guard/guard.js';
import { AccountNotAllowedError, checkAllowedAccount, unsetCurrentCredentials } from '../../src/export/cac-delivery.js';
import { SessionMinter } from '../../src/sts/minter.js';
import { hasSpecialCharacters, mintWithoutSpecialCharacters } from '../../src/sts/special-characters.js';
import { readSettings } from '../../src/settings/settings.js';
import { Inputs, type InputName } from '../../src/constants.js';
import type { AssumeParams, AssumeRoleParams, Credentials, StsGateway, StsResult } from '../../src/model/sts-types.js';
import { AbortError } from '../../src/util/abort.js';
import { hopExtras } from '../../src/settings/cac-options.js';
import { staticLoader } from '../../src/sts/source-credentials.js';
import { FakeClock, FakeGateway, FakeTokenSource, FakeToolkit, instantRetry, ROLE_ARN, settingsFor } from './fakes.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');
const CHAINED = 'arn:aws:iam::210987654321:role/target';
const withRole = { [Inputs.RoleToAssume]: ROLE_ARN, [Inputs.AwsRegion]: 'eu-west-1' } as const;

const settingsOf = settingsFor({ env: { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'o/r', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' } });

/** Rewrites the secret of the first `dirty` sessions to hold a '/' (as about 7 in 10 real ones do). */
class SpecialCharsGateway implements StsGateway {
  calls = 0;
  constructor(
    private readonly inner: StsGateway,
    private dirty: number,
  ) {}
  private fix(r: StsResult): StsResult {
    this.calls++;
    const clean = r.credentials.secretAccessKey.replace(/[^A-Za-z0-9]/g, 'A');
    const secretAccessKey = this.dirty-- > 0 ? `${clean}/x+` : clean;
    return { ...r, credentials: { ...r.credentials, secretAccessKey } };
  }
  async assumeRoleWithWebIdentity(p: AssumeParams & { readonly webIdentityToken: string }, s?: AbortSignal) {
    return this.fix(await this.inner.assumeRoleWithWebIdentity(p, s));
  }
  async assumeRole(c: Credentials, p: AssumeRoleParams, s?: AbortSignal) {
    return this.fix(await this.inner.assumeRole(c, p, s));
  }
  getCallerIdentity(c: Credentials, s?: AbortSignal) {
    return this.inner.getCallerIdentity(c, s);
  }
  close() {}
}

function setup(env: Record<string, string | undefined> = {}, wrap?: (g: FakeGateway) => StsGateway) {
  const clock = new FakeClock(T0);
  const toolkit = new FakeToolkit();
  const fake = new FakeGateway(clock.fn);
  const gateway = wrap ? wrap(fake) : fake;
  const tokens = new FakeTokenSource(clock.fn);
  const deps: GuardDeps = {
    toolkit,
    env,
    clock: clock.fn,
    loadMinter: async (settings, onToken) =>
      new SessionMinter({
        gateway,
        tokens,
        audience: settings.audience,
        retry: { maxAttempts: settings.retryMaxAttempts, baseDelayMs: 10, maxDelayMs: 100 },
        retryDeps: instantRetry(),
        clock: clock.fn,
        onToken,
      }),
  };
  return { clock, toolkit, fake, gateway, deps };
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), `guard-cac-${process.pid}-`));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('allowed-account-ids', () => {
  test('the check reads the account from the assumed-role ARN', () => {
    expect(() => checkAllowedAccount({ allowedAccountIds: ['123456789012'] }, 'arn:aws:sts::123456789012:assumed-role/r/s')).not.toThrow();
    expect(() => checkAllowedAccount({ allowedAccountIds: ['123456789012'] }, 'arn:aws:sts::999999999999:assumed-role/r/s')).toThrow(AccountNotAllowedError);
    expect(() => checkAllowedAccount({ allowedAccountIds: ['123456789012'] }, '')).toThrow(/account \(unknown\)/);
    expect(() => checkAllowedAccount({}, 'anything')).not.toThrow();
  });

  test('a session minted in another account is refused and nothing is exported or output', async () => {
    const { toolkit, fake, deps } = setup();
    fake.accountId = '999999999999'; // STS answered for another account than the role ARN names
    const settings = settingsOf({ ...withRole, [Inputs.AllowedAccountIds]: '123456789012', [Inputs.OutputCredentials]: 'true' });
    await expect(guard(settings, deps)).rejects.toThrow(/account 999999999999, which is not one of 123456789012.*Nothing was exported/);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
  });

  test('an allowed account exports as usual', async () => {
    const { toolkit, deps } = setup();
    await guard(settingsOf({ ...withRole, [Inputs.AllowedAccountIds]: '123456789012,210987654321' }), deps);
    expect(toolkit.exports).toHaveLength(1);
  });
});

describe('output-credentials and output-env-credentials', () => {
  test('output-credentials: the four outputs, masked first; aws-expiration quoted as configure-aws-credentials writes it', async () => {
    const { toolkit, deps } = setup();
    await guard(settingsOf({ ...withRole, [Inputs.OutputCredentials]: 'true' }), deps);
    const exported = toolkit.exports[0] ?? {};
    const key = exported['AWS_ACCESS_KEY_ID'] ?? '';
    expect(toolkit.outputs['aws-access-key-id']).toBe(key);
    expect(toolkit.outputs['aws-secret-access-key']).toBe(exported['AWS_SECRET_ACCESS_KEY']);
    expect(toolkit.outputs['aws-session-token']).toBe(exported['AWS_SESSION_TOKEN']);
    expect(toolkit.outputs['aws-expiration']).toBe(JSON.stringify(exported['AWS_CREDENTIAL_EXPIRATION']));
    expect(toolkit.outputs['aws-expiration']).toMatch(/^"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    // this action's expiration input takes it back as it is
    expect(settingsOf({ [Inputs.Expiration]: toolkit.outputs['aws-expiration'] ?? '' }).expiration?.toISOString()).toBe(exported['AWS_CREDENTIAL_EXPIRATION']);
    for (const name of ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']) {
      expect(toolkit.indexOf('setSecret', toolkit.outputs[name])).toBeLessThan(toolkit.indexOf('setOutput', name));
    }
  });

  test('without output-credentials no credential output is set', async () => {
    const { toolkit, deps } = setup();
    await guard(settingsOf(withRole), deps);
    expect(Object.keys(toolkit.outputs).filter((k) => k.startsWith('aws-') && k !== 'aws-account-id')).toEqual([]);
  });

  test('output-env-credentials: false exports no AWS_* variable; outputs still work', async () => {
    const { toolkit, deps } = setup();
    await guard(settingsOf({ ...withRole, [Inputs.OutputEnvCredentials]: 'false', [Inputs.OutputCredentials]: 'true' }), deps);
    expect(toolkit.exports.flatMap((e) => Object.keys(e)).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(toolkit.outputs['aws-access-key-id']).toMatch(/^ASIAFAKE/);
    expect(toolkit.infos.join('\n')).toContain("'output-env-credentials' is false: no AWS_* variable was exported");
  });

  test('a healthy session is output as it is, with output-credentials', async () => {
    const { toolkit, deps } = setup({
      AWS_ACCESS_KEY_ID: 'AKIAINUSE',
      AWS_SECRET_ACCESS_KEY: 'in-use-secret',
      AWS_SESSION_TOKEN: 'in-use-token',
    });
    const outcome = await guard(settingsOf({ [Inputs.OutputCredentials]: 'true', [Inputs.Expiration]: new Date(T0 + 5 * 3600_000).toISOString() }), deps);
    expect(outcome.kind).toBe('healthy');
    expect(toolkit.outputs['aws-access-key-id']).toBe('AKIAINUSE');
    expect(toolkit.secrets).toEqual(expect.arrayContaining(['AKIAINUSE', 'in-use-secret', 'in-use-token']));
  });

  test('long-lived keys without a session token: no aws-session-token output, the rest set', async () => {
    const { toolkit, deps } = setup({ AWS_ACCESS_KEY_ID: 'AKIAUSER', AWS_SECRET_ACCESS_KEY: 'user-secret' });
    await guard(settingsOf({ [Inputs.OutputCredentials]: 'true', [Inputs.Expiration]: new Date(T0 + 5 * 3600_000).toISOString() }), deps);
    expect(toolkit.outputs['aws-access-key-id']).toBe('AKIAUSER');
    expect(toolkit.outputs).not.toHaveProperty('aws-session-token');
    expect(toolkit.secrets).not.toContain('');
  });
});

describe('unset-current-credentials', () => {
  test('clears the keys, expiry, marker and region for this process and later steps, in one write', () => {
    const toolkit = new FakeToolkit();
    const env: Record<string, string | undefined> = { AWS_ACCESS_KEY_ID: 'AKIAOLD', AWS_REGION: 'x', AWS_PROFILE: 'kept' };
    unsetCurrentCredentials(toolkit, env);
    expect(toolkit.exports).toEqual([
      {
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_CREDENTIAL_EXPIRATION: '',
        AWS_SESSION_GUARD_SESSION: '',
        AWS_REGION: '',
        AWS_DEFAULT_REGION: '',
      },
    ]);
    expect(env).toEqual({ AWS_PROFILE: 'kept' });
  });
});

describe('aws-profile', () => {
  test('the session goes to the profile, AWS_PROFILE is not exported by default (output-env-credentials off), state records it', async () => {
    const { toolkit, deps } = setup({ HOME: home });
    await guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci' }), deps);
    const creds = readFileSync(join(home, '.aws', 'credentials'), 'utf8');
    expect(creds).toMatch(/^\[ci\]\naws_access_key_id = ASIAFAKE\d+\naws_secret_access_key = .+\naws_session_token = .+\n$/);
    expect(readFileSync(join(home, '.aws', 'config'), 'utf8')).toBe('[profile ci]\nregion = eu-west-1\n');
    expect(toolkit.exports.flatMap((e) => Object.keys(e)).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(JSON.parse(toolkit.state['profile'] ?? '{}').profile).toBe('ci');
  });

  test('with output-env-credentials on, AWS_PROFILE is exported with the keys', async () => {
    const { toolkit, deps } = setup({ HOME: home });
    await guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci', [Inputs.OutputEnvCredentials]: 'true' }), deps);
    expect(toolkit.exports[0]?.['AWS_PROFILE']).toBe('ci');
    expect(toolkit.exports[0]?.['AWS_ACCESS_KEY_ID']).toMatch(/^ASIAFAKE/);
  });

  test('an existing profile is refused before any STS call, unless overwrite-aws-profile', async () => {
    const first = setup({ HOME: home });
    await guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci' }), first.deps);
    const second = setup({ HOME: home });
    await expect(guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci' }), second.deps)).rejects.toThrow(/already exists/);
    expect(second.fake.calls).toHaveLength(0);
    expect(second.toolkit.exports).toEqual([]);
    const third = setup({ HOME: home });
    await guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci', [Inputs.OverwriteAwsProfile]: 'true' }), third.deps);
    expect(readFileSync(join(home, '.aws', 'credentials'), 'utf8')).toContain(third.toolkit.secrets.find((s) => s.startsWith('ASIAFAKE')) ?? '?');
  });

  test('a refused account writes no profile', async () => {
    const { fake, deps } = setup({ HOME: home });
    fake.accountId = '999999999999';
    await expect(guard(settingsOf({ ...withRole, [Inputs.AwsProfile]: 'ci', [Inputs.AllowedAccountIds]: '123456789012' }), deps)).rejects.toThrow(AccountNotAllowedError);
    expect(existsSync(join(home, '.aws', 'credentials'))).toBe(false);
  });
});

describe('special-characters-workaround', () => {
  test('mints again until neither key holds a special character', async () => {
    let wrapped: SpecialCharsGateway | undefined;
    const { toolkit, deps } = setup({}, (g) => (wrapped = new SpecialCharsGateway(g, 2)));
    await guard(settingsOf({ ...withRole, [Inputs.SpecialCharactersWorkaround]: 'true' }), deps);
    expect(wrapped?.calls).toBe(3);
    expect(hasSpecialCharacters({ accessKeyId: 'x', secretAccessKey: toolkit.exports[0]?.['AWS_SECRET_ACCESS_KEY'] ?? '/' })).toBe(false);
    expect(toolkit.exports).toHaveLength(1);
  });

  test('off: the first session is taken, special characters and all', async () => {
    let wrapped: SpecialCharsGateway | undefined;
    const { toolkit, deps } = setup({}, (g) => (wrapped = new SpecialCharsGateway(g, 2)));
    await guard(settingsOf(withRole), deps);
    expect(wrapped?.calls).toBe(1);
    expect(toolkit.exports[0]?.['AWS_SECRET_ACCESS_KEY']).toMatch(/\/x\+$/);
  });

  test('gives up after the bound with a clear error', async () => {
    let n = 0;
    await expect(mintWithoutSpecialCharacters(async () => ++n, () => ({ accessKeyId: 'A', secretAccessKey: 'a/b', sessionToken: '', expiration: new Date() }), 4)).rejects.toThrow(
      /4 sessions in a row had keys with special characters; nothing was exported/,
    );
    expect(n).toBe(4);
  });
});

describe('action-timeout-s', () => {
  test('an abort while minting ends the guard with an AbortError and exports nothing', async () => {
    const controller = new AbortController();
    const { toolkit, deps } = setup({}, (g) => ({
      assumeRoleWithWebIdentity: (p, s) => new Promise<StsResult>((resolve, reject) => {
        s?.addEventListener('abort', () => reject(new AbortError()));
        setTimeout(() => void g.assumeRoleWithWebIdentity(p).then(resolve), 60_000).unref();
      }),
      assumeRole: (c, p) => g.assumeRole(c, p),
      getCallerIdentity: (c) => g.getCallerIdentity(c),
      close: () => undefined,
    }));
    const run = guard(settingsOf(withRole), { ...deps, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(toolkit.exports).toEqual([]);
    expect(toolkit.outputs).toEqual({});
  });
});

describe('the AssumeRole extras go on the AssumeRole hop only', () => {
  test('chained: ExternalId, Tags and TransitiveTagKeys on AssumeRole, none on AssumeRoleWithWebIdentity', async () => {
    const { fake, deps } = setup();
    await guard(
      settingsOf({ ...withRole, [Inputs.ExpectedDuration]: '30m', [Inputs.ChainedRoleToAssume]: CHAINED, [Inputs.RoleExternalId]: 'ext-123', [Inputs.CustomTags]: '{"Team":"x"}', [Inputs.TransitiveTagKeys]: 'Team' }),
      deps,
    );
    const [web, chained] = fake.calls;
    expect(web?.action).toBe('AssumeRoleWithWebIdentity');
    expect(web?.params).not.toHaveProperty('assumeRoleExtras');
    expect(chained?.action).toBe('AssumeRole');
    expect((chained?.params as AssumeRoleParams).assumeRoleExtras).toEqual({
      externalId: 'ext-123',
      tags: [
        { key: 'GitHub', value: 'Actions' },
        { key: 'Repository', value: 'o/r' },
        { key: 'RunId', value: '77', droppable: true },
        { key: 'Team', value: 'x' },
      ],
      transitiveTagKeys: ['Team'],
    });
  });
});

describe('a source that signs AssumeRole itself sends the extras on its first hop, as configure-aws-credentials does', () => {
  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const keys = { [Inputs.AwsAccessKeyId]: KEY_ID, [Inputs.AwsSecretAccessKey]: SECRET };

  function keysSetup() {
    const base = setup();
    const deps: GuardDeps = {
      ...base.deps,
      loadMinter: async (settings, onToken) =>
        new SessionMinter({
          gateway: base.fake,
          credentials: staticLoader({ accessKeyId: KEY_ID, secretAccessKey: SECRET }),
          source: 'static-keys',
          audience: settings.audience,
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
          retryDeps: instantRetry(),
          clock: base.clock.fn,
          onToken,
        }),
    };
    return { ...base, deps };
  }

  test('keys into role-to-assume: the default tags and the external ID on that AssumeRole, with no tag input given', async () => {
    const { fake, deps } = keysSetup();
    await guard(settingsOf({ ...withRole, ...keys, [Inputs.ExpectedDuration]: '30m', [Inputs.RoleExternalId]: 'ext-123' }), deps);
    expect(fake.calls.map((c) => c.action)).toEqual(['AssumeRole']);
    expect((fake.calls[0]?.params as AssumeRoleParams).assumeRoleExtras).toEqual({
      externalId: 'ext-123',
      tags: [
        { key: 'GitHub', value: 'Actions' },
        { key: 'Repository', value: 'o/r' },
        { key: 'RunId', value: '77', droppable: true },
      ],
    });
  });

  test('keys, then chained-role-to-assume: every extra on the first hop; the chained hop gets the external ID only (no tag input given)', async () => {
    const { fake, deps } = keysSetup();
    await guard(settingsOf({ ...withRole, ...keys, [Inputs.ExpectedDuration]: '30m', [Inputs.ChainedRoleToAssume]: CHAINED, [Inputs.RoleExternalId]: 'ext-123' }), deps);
    const [first, chained] = fake.calls;
    expect((first?.params as AssumeRoleParams).assumeRoleExtras?.tags?.map((t) => t.key)).toEqual(['GitHub', 'Repository', 'RunId']);
    expect((chained?.params as AssumeRoleParams).assumeRoleExtras).toEqual({ externalId: 'ext-123' });
  });

  test('role-skip-session-tagging: no tags on the first hop either', async () => {
    const { fake, deps } = keysSetup();
    await guard(settingsOf({ ...withRole, ...keys, [Inputs.ExpectedDuration]: '30m', [Inputs.RoleSkipSessionTagging]: 'true' }), deps);
    expect((fake.calls[0]?.params as AssumeRoleParams).assumeRoleExtras).toBeUndefined();
  });

  test('hopExtras: GitHub OIDC and a token file send none on their first hop', () => {
    const extrasInputs = { ...withRole, [Inputs.RoleExternalId]: 'ext-123' };
    expect(hopExtras(settingsOf(extrasInputs))).toBeUndefined();
    expect(hopExtras(settingsOf({ ...extrasInputs, [Inputs.ChainedRoleToAssume]: CHAINED }))).toEqual({ chained: { externalId: 'ext-123' } });
    expect(hopExtras(settingsOf({ ...extrasInputs, ...keys }))?.first?.externalId).toBe('ext-123');
  });
});

describe('tags too large for STS: one more try without the droppable tags', () => {
  /** Refuses AssumeRole while its tags hold more than `limit` keys, as STS refuses a packed size. */
  class PackedGateway implements StsGateway {
    constructor(
      private readonly inner: FakeGateway,
      private readonly limit: number,
    ) {}
    assumeRoleWithWebIdentity(p: AssumeParams & { readonly webIdentityToken: string }) {
      return this.inner.assumeRoleWithWebIdentity(p);
    }
    getCallerIdentity(c: Credentials) {
      return this.inner.getCallerIdentity(c);
    }
    async assumeRole(c: Credentials, p: AssumeRoleParams) {
      if ((p.assumeRoleExtras?.tags?.length ?? 0) > this.limit) {
        this.inner.calls.push({ action: 'AssumeRole', params: p, credentials: c });
        throw Object.assign(new Error('Packed size of session tags and policies consumes 112% of allotted space.'), { name: 'PackedPolicyTooLargeException' });
      }
      return this.inner.assumeRole(c, p);
    }
    close() {}
  }
  const env = { GITHUB_RUN_ID: '77', GITHUB_REPOSITORY: 'o/r', GITHUB_JOB: 'deploy', GITHUB_EVENT_NAME: 'push' };
  const chainedSettings = (extra: Partial<Record<InputName, string>> = {}) =>
    readSettings((name) => ({ ...withRole, [Inputs.ExpectedDuration]: '30m', [Inputs.ChainedRoleToAssume]: CHAINED, [Inputs.CustomTags]: '{"Team":"x"}', ...extra } as Partial<Record<InputName, string>>)[name] ?? '', env);

  test('the droppable tags (and transitive keys naming them) are left out of the second try; the rest is sent again', async () => {
    const { fake, deps } = setup({}, (g) => new PackedGateway(g, 4));
    const outcome = await guard(chainedSettings({ [Inputs.TransitiveTagKeys]: 'Team\nJob' }), deps);
    expect(outcome.kind).toBe('refreshed');
    const tries = fake.calls.filter((c) => c.action === 'AssumeRole').map((c) => (c.params as AssumeRoleParams).assumeRoleExtras);
    expect(tries.map((e) => e?.tags?.map((t) => t.key))).toEqual([
      ['GitHub', 'Repository', 'EventName', 'RunId', 'Job', 'Team'],
      ['GitHub', 'Repository', 'Team'],
    ]);
    expect(tries.map((e) => e?.transitiveTagKeys)).toEqual([['Team', 'Job'], ['Team']]);
  });

  test('tags still too large without the droppable ones: the step fails with the STS error, after exactly two tries', async () => {
    const { fake, toolkit, deps } = setup({}, (g) => new PackedGateway(g, 2));
    await expect(guard(chainedSettings(), deps)).rejects.toThrow(/PackedPolicyTooLarge/);
    expect(fake.calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(2);
    expect(toolkit.exports).toEqual([]);
  });

  test('another error is not retried without tags', async () => {
    const { fake, deps } = setup();
    fake.chainedCapSeconds = 0; // every AssumeRole is refused with ValidationError
    await expect(guard(chainedSettings(), deps)).rejects.toThrow();
    const tries = fake.calls.filter((c) => c.action === 'AssumeRole');
    expect(tries.every((c) => (c.params as AssumeRoleParams).assumeRoleExtras?.tags?.some((t) => t.key === 'RunId'))).toBe(true);
  });
});
