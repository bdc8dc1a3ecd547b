/**
 * A small world for integration tests: the local GitHub OIDC issuer, the STS
 * stand-in with a few roles, and a runner emulator that runs the bundled
 * action the way GitHub does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobRunner, startOidcIssuer, startSts } from '../../standins/index.js';
import type { JobRunner as JobRunnerType, OidcIssuer, OidcIssuerOptions, StepResult, StsOptions, StsRoleConfig, StsStandIn } from '../../standins/index.js';

// import.meta.dirname is not there under Jest 29's VM modules
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'dist', 'main', 'index.js');
export const POST = join(ROOT, 'dist', 'post', 'index.js');

export const ACCOUNT = '123456789012';
export const ROLES = {
  /** MaxSessionDuration 3 h. */
  deploy: `arn:aws:iam::${ACCOUNT}:role/deploy`,
  /** MaxSessionDuration 1 h (the IAM default). */
  short: `arn:aws:iam::${ACCOUNT}:role/short-lived`,
  /** MaxSessionDuration 12 h. */
  long: `arn:aws:iam::${ACCOUNT}:role/long-runner`,
  /** Trusts only another repository. */
  otherRepo: `arn:aws:iam::${ACCOUNT}:role/other-repo-only`,
  /** Assumed from deploy by role chaining. */
  chained: `arn:aws:iam::${ACCOUNT}:role/chained-target`,
  // Roles as AWS has them, for the side-by-side with configure-aws-credentials and its corpus. Each trusts the
  // repository for both partitions' audiences (sts.amazonaws.com and sts.amazonaws.com.cn).
  /** MaxSessionDuration 3600 s, the IAM default (most roles in the wild). */
  iamDefault: `arn:aws:iam::${ACCOUNT}:role/gha-1h`,
  /** MaxSessionDuration 3 h. */
  hours3: `arn:aws:iam::${ACCOUNT}:role/gha-3h`,
  /** MaxSessionDuration 8 h. */
  hours8: `arn:aws:iam::${ACCOUNT}:role/gha-8h`,
  /** MaxSessionDuration 12 h, the most IAM allows. */
  hours12: `arn:aws:iam::${ACCOUNT}:role/gha-12h`,
  /** A second role any role session may assume: MaxSessionDuration 12 h, but STS caps a chained session at 1 h. */
  chainTarget: `arn:aws:iam::${ACCOUNT}:role/cross-account-deploy`,
  /** AssumeRole target whose trust policy requires sts:ExternalId = EXTERNAL_ID; MaxSessionDuration 1 h. */
  externalIamDefault: `arn:aws:iam::${ACCOUNT}:role/partner-1h`,
  /** The same with MaxSessionDuration 12 h. */
  external12h: `arn:aws:iam::${ACCOUNT}:role/partner-12h`,
} as const;

/** The external ID the two partner roles' trust policies require. */
export const EXTERNAL_ID = 'ext-7f3a9c';

const TRUST = { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' };
const TRUST_BOTH_PARTITIONS = { aud: ['sts.amazonaws.com', 'sts.amazonaws.com.cn'], sub: 'repo:octo-org/octo-repo:*' };

export function defaultRoles(): Record<string, StsRoleConfig> {
  return {
    [ROLES.deploy]: { maxSessionDuration: 3 * 3600, trust: TRUST },
    [ROLES.short]: { maxSessionDuration: 3600, trust: TRUST },
    [ROLES.long]: { maxSessionDuration: 12 * 3600, trust: TRUST },
    [ROLES.otherRepo]: { maxSessionDuration: 3600, trust: { aud: 'sts.amazonaws.com', sub: 'repo:someone-else/*' } },
    [ROLES.chained]: { maxSessionDuration: 12 * 3600, trustedPrincipals: [`arn:aws:sts::${ACCOUNT}:assumed-role/deploy/*`, ROLES.deploy] },
    [ROLES.iamDefault]: { maxSessionDuration: 3600, trust: TRUST_BOTH_PARTITIONS },
    [ROLES.hours3]: { maxSessionDuration: 3 * 3600, trust: TRUST_BOTH_PARTITIONS },
    [ROLES.hours8]: { maxSessionDuration: 8 * 3600, trust: TRUST_BOTH_PARTITIONS },
    [ROLES.hours12]: { maxSessionDuration: 12 * 3600, trust: TRUST_BOTH_PARTITIONS },
    [ROLES.chainTarget]: { maxSessionDuration: 12 * 3600 },
    [ROLES.externalIamDefault]: { maxSessionDuration: 3600, externalId: EXTERNAL_ID },
    [ROLES.external12h]: { maxSessionDuration: 12 * 3600, externalId: EXTERNAL_ID },
  };
}

export interface World {
  issuer: OidcIssuer;
  sts: StsStandIn;
  /** A new job with OIDC permission and the STS stand-in as the SDK's endpoint. */
  job(extraEnv?: Record<string, string>): JobRunner;
  close(): Promise<void>;
}

export async function startWorld(
  opts: { issuer?: OidcIssuerOptions; sts?: Omit<StsOptions, 'issuer' | 'roles'>; roles?: Record<string, StsRoleConfig> } = {},
): Promise<World> {
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run npm run build first');
  const issuer = await startOidcIssuer(opts.issuer ?? {});
  const sts = await startSts({ ...(opts.sts ?? {}), issuer, roles: opts.roles ?? defaultRoles() });
  const jobs: JobRunner[] = [];
  return {
    issuer,
    sts,
    job(extraEnv = {}) {
      const job = new JobRunner({
        env: { ...issuer.env(), AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_EC2_METADATA_DISABLED: 'true', ...extraEnv },
        ...(process.env['ECHO_STEPS'] && { echo: (l: string) => process.stderr.write(l + '\n') }),
      });
      jobs.push(job);
      return job;
    },
    async close() {
      await Promise.all(jobs.map((j) => j.cleanup()));
      await sts.close();
      await issuer.close();
    },
  };
}

/** Every credential value a job saw exported or masked: none may reach the log unmasked. */
export function secretsOf(job: JobRunner): string[] {
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'];
  const values = new Set<string>();
  for (const step of job.steps) {
    for (const n of names) {
      const v = step.exportedEnv[n];
      if (v) values.add(v);
    }
  }
  return [...values];
}

/** The real consumers the tests drive. .ci/run installs them: apt-get install awscli python3-boto3. */
export const AWS_CLI = process.env['AWS_CLI'] ?? '/usr/bin/aws';
export const BOTO3_PYTHON = process.env['BOTO3_PYTHON'] ?? '/usr/bin/python3';

/** Fails with the fix when the AWS CLI v2 or boto3 is missing, rather than with a spawn error deep in a test. */
export function requireRealConsumers(): void {
  const cli = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
  if (cli.status !== 0 || !/aws-cli\/2\./.test(cli.stdout + cli.stderr)) {
    throw new Error(`The AWS CLI v2 was not found at ${AWS_CLI}. Install it (Debian: apt-get install awscli, as .ci/run does) or set AWS_CLI.`);
  }
  const py = spawnSync(BOTO3_PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' });
  if (py.status !== 0) {
    throw new Error(`${BOTO3_PYTHON} cannot import boto3. Install it (Debian: apt-get install python3-boto3, as .ci/run does) or set BOTO3_PYTHON.`);
  }
}

/** Whether a pid is a live process (a zombie, exited but not yet reaped, is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `cond` every 50 ms for up to `ms`; its last value. */
export async function waitUntil(cond: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** The line each consumer loop (standins/consumers) prints at its end. */
export interface ConsumerResult {
  consumer: string;
  ok: number;
  failed: number;
  expiredToken: number;
  keys: number;
  errors: string[];
}

export function consumerResults(step: StepResult): ConsumerResult[] {
  return step.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"consumer"'))
    .map((l) => JSON.parse(l) as ConsumerResult);
}

/** The keep-alive server's pid, from its record in the job's folder. */
export function serverPid(job: JobRunnerType): number {
  const record = JSON.parse(readFileSync(join(job.runnerTemp, 'aws-session-guard', 'server.json'), 'utf8')) as { pid: number };
  return record.pid;
}
