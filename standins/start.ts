/**
 * Starts an OIDC issuer and an STS stand-in for out-of-process use (CI
 * workflows, tests that run the action in another process, the demo).
 *
 *   npx tsx standins/start.ts [--lifetime-seconds N] [--lifetime-scale F]
 *       [--role ARN=MAXSECONDS ...] [--subject SUB] [--trust-sub GLOB]
 *       [--trust-aud AUD] [--token-ttl S] [--request-token-ttl S]
 *       [--clock-offset-ms MS] [--imds-role ARN [--imds-lifetime S]] [--user NAME ...]
 *       [--exit-on-stdin-close]
 *
 * Prints one JSON line on stdout:
 *   {"stsEndpoint","issuerUrl","requestUrl","requestToken","controlUrl","roles":[{"arn","maxSessionDuration"}],
 *    "imdsEndpoint"? (with --imds-role: for AWS_EC2_METADATA_SERVICE_ENDPOINT), "users"?: [{"name","accessKeyId","secretAccessKey"}]}
 * and runs until SIGTERM/SIGINT (or, with --exit-on-stdin-close, until its
 * stdin closes: handy when a test spawns it with a pipe and might die).
 *
 * Signal the tsx process itself (`node_modules/.bin/tsx standins/start.ts`):
 * `npx` does not forward a SIGTERM sent only to its own pid and leaves tsx
 * orphaned. The STS control API (JSON) is served under
 * `${stsEndpoint}/__standin/`: GET/DELETE calls, GET sessions, POST/DELETE
 * faults {action, faults}, POST down {down}, POST expire {accessKeyId?},
 * POST clock {offsetMs}.
 */
import { pathToFileURL } from 'node:url';
import { startOidcIssuer } from './oidc-issuer.js';
import type { OidcIssuer, OidcIssuerOptions } from './oidc-issuer.js';
import { startImds, type ImdsStandIn } from './imds.js';
import { startSts } from './sts.js';
import type { StsOptions, StsRoleConfig, StsStandIn, StsTrust } from './sts.js';

export const DEFAULT_ROLE_ARN = 'arn:aws:iam::123456789012:role/deploy';

export interface StandInsConfig {
  roles: Array<{ arn: string; maxSessionDuration: number }>;
  lifetimeSeconds?: number;
  lifetimeScale?: number;
  subject?: string;
  trust: StsTrust;
  tokenTtlSeconds?: number;
  requestTokenTtlSeconds?: number;
  clockOffsetMs?: number;
  /** An EC2 instance profile's role, served by the IMDSv2 stand-in (added as a role when not listed). */
  imdsRole?: string;
  /** Real seconds each set of instance credentials lives (default 60). */
  imdsLifetimeSeconds?: number;
  /** IAM users whose long-lived keys sign AssumeRole. */
  users?: string[];
  exitOnStdinClose?: boolean;
}

export interface StartedStandIns {
  issuer: OidcIssuer;
  sts: StsStandIn;
  /** What the CLI prints. */
  info: {
    stsEndpoint: string;
    issuerUrl: string;
    requestUrl: string;
    requestToken: string;
    controlUrl: string;
    roles: Array<{ arn: string; maxSessionDuration: number }>;
    imdsEndpoint?: string;
    users?: Array<{ name: string; accessKeyId: string; secretAccessKey: string }>;
  };
  imds?: ImdsStandIn;
  close(): Promise<void>;
}

/** Parses CLI arguments. Throws with a usage message on bad input. */
export function parseArgs(argv: readonly string[]): StandInsConfig {
  const cfg: StandInsConfig = { roles: [], trust: {} };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') && arg.startsWith('--') ? splitOnce(arg, '=') : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--lifetime-seconds':
        cfg.lifetimeSeconds = num(flag, value());
        break;
      case '--lifetime-scale':
        cfg.lifetimeScale = num(flag, value());
        break;
      case '--role': {
        const v = value();
        if (!v) throw new Error('--role needs ARN=MAXSECONDS');
        const eq = v.lastIndexOf('=');
        const arn = eq < 0 ? v : v.slice(0, eq);
        const max = eq < 0 ? 3600 : num('--role', v.slice(eq + 1));
        cfg.roles.push({ arn, maxSessionDuration: max });
        break;
      }
      case '--subject':
        cfg.subject = value() ?? '';
        break;
      case '--trust-sub':
        cfg.trust.sub = value() ?? '*';
        break;
      case '--trust-aud':
        cfg.trust.aud = value() ?? '*';
        break;
      case '--token-ttl':
        cfg.tokenTtlSeconds = num(flag, value());
        break;
      case '--request-token-ttl':
        cfg.requestTokenTtlSeconds = num(flag, value());
        break;
      case '--clock-offset-ms':
        cfg.clockOffsetMs = num(flag, value());
        break;
      case '--imds-role':
        cfg.imdsRole = value() ?? '';
        break;
      case '--imds-lifetime':
        cfg.imdsLifetimeSeconds = num(flag, value());
        break;
      case '--user':
        (cfg.users ??= []).push(value() ?? 'ci');
        break;
      case '--exit-on-stdin-close':
        cfg.exitOnStdinClose = true;
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument ${arg}\n${USAGE}`);
    }
  }
  if (cfg.roles.length === 0) cfg.roles.push({ arn: DEFAULT_ROLE_ARN, maxSessionDuration: 3600 });
  return cfg;
}

/** Starts both stand-ins per `cfg` (also usable in-process). */
export async function startStandIns(cfg: StandInsConfig): Promise<StartedStandIns> {
  const issuerOpts: OidcIssuerOptions = {};
  if (cfg.subject !== undefined) issuerOpts.subject = cfg.subject;
  if (cfg.tokenTtlSeconds !== undefined) issuerOpts.tokenTtlSeconds = cfg.tokenTtlSeconds;
  if (cfg.requestTokenTtlSeconds !== undefined) issuerOpts.requestTokenTtlSeconds = cfg.requestTokenTtlSeconds;
  if (cfg.clockOffsetMs !== undefined) {
    // A skewed "world" clock: issuer and STS agree, the local machine differs.
    const offset = cfg.clockOffsetMs;
    issuerOpts.clock = () => Date.now() + offset;
  }
  const issuer = await startOidcIssuer(issuerOpts);
  const roles: Record<string, StsRoleConfig> = {};
  for (const r of cfg.roles) {
    roles[r.arn] = { maxSessionDuration: r.maxSessionDuration, trust: { ...cfg.trust } };
  }
  const stsOpts: StsOptions = { issuer, roles, control: true };
  if (cfg.clockOffsetMs !== undefined) stsOpts.clockOffsetMs = cfg.clockOffsetMs;
  const { lifetimeSeconds, lifetimeScale } = cfg;
  if (lifetimeSeconds !== undefined) stsOpts.credentialLifetime = () => lifetimeSeconds;
  else if (lifetimeScale !== undefined) stsOpts.credentialLifetime = (s) => s * lifetimeScale;
  const sts = await startSts(stsOpts);
  let imds: ImdsStandIn | undefined;
  if (cfg.imdsRole) {
    if (!roles[cfg.imdsRole]) sts.setRole(cfg.imdsRole, {});
    imds = await startImds({ sts, roleArn: cfg.imdsRole, lifetimeSeconds: cfg.imdsLifetimeSeconds ?? 60 });
  }
  const users = (cfg.users ?? []).map((name) => {
    const u = sts.addUser(name);
    return { name, accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey };
  });
  return {
    issuer,
    sts,
    ...(imds && { imds }),
    info: {
      stsEndpoint: sts.endpoint,
      issuerUrl: issuer.url,
      requestUrl: issuer.requestUrl,
      requestToken: issuer.requestToken,
      controlUrl: `${sts.endpoint}/__standin`,
      roles: cfg.roles.map((r) => ({ ...r })),
      ...(imds && { imdsEndpoint: imds.endpoint }),
      ...(users.length > 0 && { users }),
    },
    close: async () => {
      await Promise.all([sts.close(), issuer.close(), imds?.close()]);
    },
  };
}

const USAGE = `usage: tsx standins/start.ts [--lifetime-seconds N | --lifetime-scale F] [--role ARN=MAXSECONDS ...]
       [--subject SUB] [--trust-sub GLOB] [--trust-aud AUD] [--token-ttl S] [--request-token-ttl S] [--clock-offset-ms MS]
       [--imds-role ARN [--imds-lifetime S]] [--user NAME ...] [--exit-on-stdin-close]`;

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return [s.slice(0, i), s.slice(i + 1)];
}

async function main(): Promise<void> {
  let cfg: StandInsConfig;
  try {
    cfg = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const started = await startStandIns(cfg);
  process.stdout.write(`${JSON.stringify(started.info)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (cfg.exitOnStdinClose) {
    process.stdin.on('data', () => {});
    process.stdin.once('end', stop);
    process.stdin.once('close', stop);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
