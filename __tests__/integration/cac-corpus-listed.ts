/**
 * Every difference between ours and configure-aws-credentials (CAC) that each
 * corpus block (__tests__/fixtures/cac-corpus.ts) shows, with why. Keys are
 * cac-corpus.test.ts's difference lines; "[1h] " or "[long] " in front: on
 * that role only. What is left here is what the migration guide lists.
 */
import { ACCOUNT } from './world.js';

export type Variant = '1h' | 'long';
type Listed = Record<string, string>;

const WHY = {
  expiry: 'ours exports the expiry too (AWS_CREDENTIAL_EXPIRATION, read by the JS SDK v3, botocore and a later guard step); CAC has it only as an output',
  marker: 'ours exports a marker binding that expiry to these keys (fingerprints, no secret)',
  markerShortcut:
    'ours exports a marker binding that expiry to these keys and to the configuration that minted them, so a later guard step with that configuration keeps them without reading its settings (fingerprints, no secret)',
  ownOutputs: "ours' own outputs: the session's expiry, the seconds left on the STS clock, whether this step minted",
  gci: 'CAC checks the new session with GetCallerIdentity; ours takes the account and ARN from the assumed-role ARN STS returned',
  keysGci: 'CAC checks the input keys with GetCallerIdentity before and the new session after; ours lets AssumeRole prove the keys and reads the ARN it returns',
  sessionName: "ours' default role-session-name adds the run id and attempt (GitHubActions-<run id>-<attempt>); CAC's is GitHubActions",
  arnFromName: 'the role session name (above) is part of the assumed-role ARN',
  clears: 'ours clears what an earlier step left that must not describe these keys (session token, expiry, marker); CAC clears only a session token that is set',
  refreshedFalse: "ours' own output: nothing was minted",
  envOff: 'ours sets the account outputs whatever output-env-credentials says; CAC only when it exports to the env',
  envOffRegistry: 'with output-env-credentials: false CAC leaves aws-account-id unset, so a later step building the ECR registry name from it fails; ours sets it',
  tooLong:
    "STS refused role-duration-seconds as longer than the role's MaxSessionDuration: ours asks again for less down to what the role grants, goes on with that session and warns; CAC retries the same duration 12 times and fails the step",
  tooLongLater: 'after that refusal CAC failed its step, so the job stops there; ours went on with the role maximum',
  roleMax:
    'ours passes the role maximum it found on to later steps (a fingerprint of the role ARN, the maximum, the shortest refused length; no secret), so they ask for it at once instead of being refused again',
  roleMaxOutput: "ours' own output: the role's MaxSessionDuration, when it found it",
  unsetOnly:
    'a step with only unset-current-credentials: ours clears the credentials and succeeds, as the step asks; CAC then looks for credentials to load, finds none and fails the step (its issue #1308)',
  unsetOnlyLater:
    'the job has no AWS credentials after the unset step, as the workflow intends: with ours its later AWS steps run and fail for lack of them; with CAC the job stopped at the unset step',
  unsetRegion:
    'a step with only unset-current-credentials: ours clears the region it exported before with the credentials; CAC exports the region it finds in the env again',
} as const;

const arn = (role: string, session: string): string => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`;
const OURS_SESSION = 'GitHubActions-<run id>-1';

/** `listed` with "step N: " in front of every key (after its "[1h] " or "[long] ", if any). */
const step = (n: number, listed: Listed): Listed =>
  Object.fromEntries(
    Object.entries(listed).map(([k, v]) => {
      const tag = k.startsWith('[1h] ') ? '[1h] ' : k.startsWith('[long] ') ? '[long] ' : '';
      return [`${tag}step ${n}: ${k.slice(tag.length)}`, v];
    }),
  );
/** `listed` for one role only. */
const on = (variant: Variant, listed: Listed): Listed => Object.fromEntries(Object.entries(listed).map(([k, v]) => [`[${variant}] ${k}`, v]));
/** `make(role)` on the 1 h role and on the long one. */
const byRole = (oneHour: string, long: string, make: (role: string) => Listed): Listed => ({ ...on('1h', make(oneHour)), ...on('long', make(long)) });

interface MintShape {
  /** The call that mints. */
  readonly action: 'AssumeRoleWithWebIdentity' | 'AssumeRole';
  /** The role's name (the assumed-role ARN names it). */
  readonly role: string;
  /** The block names the session (no session-name difference). */
  readonly named?: boolean;
  /** mask-aws-account-id: both outputs are masked alike. */
  readonly masked?: boolean;
  /** A plain GitHub OIDC configuration: the marker also fingerprints the configuration. */
  readonly shortcut?: boolean;
  /** output-env-credentials: false (nothing exported). */
  readonly envOff?: boolean;
}

/** What a step that mints (and CAC mints alike) differs in. */
function mint(m: MintShape): Listed {
  const out: Listed = {
    'output expiration: ours only ("<time>")': WHY.ownOutputs,
    'output refreshed: ours only ("true")': WHY.ownOutputs,
    'output remaining-seconds: ours only (<seconds>)': WHY.ownOutputs,
  };
  if (!m.envOff) {
    out['env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")'] = WHY.expiry;
    if (m.shortcut) out['env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>:<hex>")'] = WHY.markerShortcut;
    else out['env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>")'] = WHY.marker;
  }
  if (m.action === 'AssumeRoleWithWebIdentity') out['sts calls: ours [AssumeRoleWithWebIdentity], cac [AssumeRoleWithWebIdentity, GetCallerIdentity]'] = WHY.gci;
  else out['sts calls: ours [AssumeRole], cac [GetCallerIdentity, AssumeRole, GetCallerIdentity]'] = WHY.keysGci;
  if (!m.named) out[`sts ${m.action} RoleSessionName: ours ${OURS_SESSION}, cac GitHubActions`] = WHY.sessionName;
  if (m.envOff) {
    out[`output authenticated-arn: ours only ("${arn(m.role, OURS_SESSION)}")`] = WHY.envOff;
    out[`output aws-account-id: ours only ("${ACCOUNT}")`] = WHY.envOff;
  } else if (!m.named && !m.masked) {
    out[`output authenticated-arn: ours "${arn(m.role, OURS_SESSION)}", cac "${arn(m.role, 'GitHubActions')}"`] = WHY.arnFromName;
  }
  return out;
}

/** A web-identity step asking for more than the 1 h role allows. */
function tooLongOnOneHour(role: string, asked: number, refused: number, session?: string): Listed {
  const lines = [
    'failed: ours false, cac true',
    'env AWS_ACCESS_KEY_ID: ours only ((secret))',
    'env AWS_SECRET_ACCESS_KEY: ours only ((secret))',
    'env AWS_SESSION_TOKEN: ours only ((secret))',
    'env AWS_CREDENTIAL_EXPIRATION: ours only ("<time>")',
    'env AWS_SESSION_GUARD_SESSION: ours only ("v1:<hex>:<hex>:<hex>")',
    `output authenticated-arn: ours only ("${arn(role, session ?? OURS_SESSION)}")`,
    `output aws-account-id: ours only ("${ACCOUNT}")`,
    'output expiration: ours only ("<time>")',
    'output refreshed: ours only ("true")',
    'output remaining-seconds: ours only (<seconds>)',
    `sts AssumeRoleWithWebIdentity (last) DurationSeconds: ours 3600, cac ${asked}`,
    'sts AssumeRoleWithWebIdentity (last) status: ours 200, cac 400',
  ];
  const out: Listed = step(1, {
    ...Object.fromEntries(lines.map((l) => [l, WHY.tooLong])),
    [`env AWS_SESSION_GUARD_ROLE_MAX: ours only ("<hex>:3600:${refused}")`]: WHY.roleMax,
    'output max-session-duration: ours only ("3600")': WHY.roleMaxOutput,
  });
  if (!session) out[`step 1: sts AssumeRoleWithWebIdentity RoleSessionName: ours ${OURS_SESSION}, cac GitHubActions`] = WHY.sessionName;
  for (const later of ['aws cli', 'boto3', 'registry']) out[`${later}: ours exit 0, cac skipped`] = WHY.tooLongLater;
  return out;
}

/** IAM user keys without a role: both check them with one GetCallerIdentity and set the account outputs. */
const KEYS_NO_ROLE: Listed = {
  'env AWS_CREDENTIAL_EXPIRATION: ours only ((empty))': WHY.clears,
  'env AWS_SESSION_GUARD_SESSION: ours only ((empty))': WHY.clears,
  'env AWS_SESSION_TOKEN: ours only ((empty))': WHY.clears,
  'output refreshed: ours only ("false")': WHY.refreshedFalse,
};

const webIdentity = (role: string, more: Partial<MintShape> = {}): Listed => mint({ action: 'AssumeRoleWithWebIdentity', role, shortcut: true, ...more });
const assumeRole = (role: string, more: Partial<MintShape> = {}): Listed => mint({ action: 'AssumeRole', role, ...more });

export const CORPUS_LISTED: Readonly<Record<string, Readonly<Listed>>> = {
  'minimal: region and role': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'role-session-name': step(1, webIdentity('gha-1h', { named: true })),
  'role-duration-seconds: 900': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'role-duration-seconds: 1800 + output-credentials + mask-aws-account-id': step(1, webIdentity('gha-1h', { masked: true, shortcut: false })),
  'role-session-name + role-duration-seconds: 3600': step(1, webIdentity('gha-1h', { named: true })),
  'role-duration-seconds: 10800 (3 h)': { ...on('1h', tooLongOnOneHour('gha-1h', 10800, 7200)), ...on('long', step(1, webIdentity('gha-3h'))) },
  'role-duration-seconds: 18000 (5 h, "the max duration enforced by the server side")': {
    ...on('1h', tooLongOnOneHour('gha-1h', 18000, 7200)),
    ...on('long', step(1, webIdentity('gha-8h'))),
  },
  'role-session-name + role-duration-seconds: 43200 (12 h)': {
    ...on('1h', tooLongOnOneHour('gha-1h', 43200, 7200, 'smus-pipeline-setup')),
    ...on('long', step(1, webIdentity('gha-12h', { named: true }))),
  },
  'audience (China partition)': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'mask-aws-account-id: "true"': step(1, webIdentity('gha-1h', { masked: true, shortcut: false })),
  'allowed-account-ids + role-session-name': step(1, webIdentity('gha-1h', { named: true })),
  'special-characters-workaround': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'inline-session-policy': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'managed-session-policies (two)': step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
  'output-credentials + output-env-credentials: false (later steps get the keys from the outputs)': {
    ...step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r, { envOff: true }))),
    'registry: ours exit 0, cac exit 1': WHY.envOffRegistry,
  },
  'IAM user keys, no role': step(1, KEYS_NO_ROLE),
  'keys, no role; then a step with only unset-current-credentials': {
    ...step(1, KEYS_NO_ROLE),
    ...step(2, {
      'env AWS_CREDENTIAL_EXPIRATION: ours only ((empty))': WHY.clears,
      'env AWS_SESSION_GUARD_SESSION: ours only ((empty))': WHY.clears,
      'env AWS_DEFAULT_REGION: ours (empty), cac "eu-west-1"': WHY.unsetRegion,
      'env AWS_REGION: ours (empty), cac "eu-west-1"': WHY.unsetRegion,
      'failed: ours false, cac true': WHY.unsetOnly,
      'output refreshed: ours only ("false")': WHY.refreshedFalse,
    }),
    'aws cli: ours exit 253, cac skipped': WHY.unsetOnlyLater,
    'boto3: ours exit 1, cac skipped': WHY.unsetOnlyLater,
    'registry: ours exit 1, cac skipped': WHY.unsetOnlyLater,
  },
  'keys + role + role-duration-seconds: 1200 + role-skip-session-tagging': step(1, byRole('gha-1h', 'gha-3h', (r) => assumeRole(r))),
  'keys + role + role-external-id + role-duration-seconds: 1200 + role-session-name': step(1, assumeRole('partner-1h', { named: true })),
  'keys + role + http-proxy': step(1, byRole('gha-1h', 'gha-3h', (r) => assumeRole(r))),
  'role-chaining: a second role assumed with the first session (README two-step)': {
    ...step(1, webIdentity('gha-1h', { named: true })),
    ...step(2, assumeRole('cross-account-deploy', { named: true })),
  },
  'role-chaining + output-credentials: false': {
    ...step(1, webIdentity('gha-1h', { named: true })),
    ...step(2, assumeRole('cross-account-deploy', { named: true })),
  },
  "a second role with the first step's keys from env + retries + skip tagging + 3600": {
    ...step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
    ...step(2, assumeRole('cross-account-deploy')),
  },
  'output-credentials hand-over: the second step assumes another role with the first step outputs': {
    ...step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r, { shortcut: false }))),
    ...step(2, assumeRole('cross-account-deploy')),
  },
  'a second role with unset-current-credentials': {
    ...step(1, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r))),
    ...step(2, byRole('gha-1h', 'gha-3h', (r) => webIdentity(r, { shortcut: false }))),
  },
};
