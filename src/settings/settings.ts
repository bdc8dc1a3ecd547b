/**
 * The one place inputs are read and checked. Everything else takes a
 * `Settings` value. Every problem is collected, so one run shows them all, and
 * is reported before any network call.
 */
import { Inputs, Sts, type InputName, type SettingsEnvName } from '../constants.js';
import { isPolicyArn, parseRoleArn, type RoleArn } from './arn.js';
import { formatDuration } from './duration.js';
import { EXPECTED_DURATION, MAX_EXPECTED_SECONDS, MAX_MARGIN_SECONDS, readDurationInput, SAFETY_MARGIN, type DurationInput } from './need.js';
import { parseProxyUrl, resolveProxyConfig, type ProxyConfig } from '../net/proxy.js';
import { redactUrl } from '../util/redact.js';
import { readSource, type CredentialSource, type FileProbe } from './source.js';
import { readCacOptions, type CacOptions } from './cac-options.js';
import { stepFingerprint } from './step-config.js';

export { redactUrl };

export interface Settings extends CacOptions {
  readonly roleToAssume?: RoleArn;
  readonly chainedRoleToAssume?: RoleArn;
  readonly region?: string;
  readonly audience: string;
  readonly roleSessionName: string;
  /** expected-duration: absent when not given (no need is stated; the step does what configure-aws-credentials does). */
  readonly expectedDurationSeconds?: number;
  readonly safetyMarginSeconds: number;
  /** Only when given; otherwise the lifetime policy picks it. */
  readonly roleDurationSeconds?: number;
  readonly expiration?: Date;
  readonly failOnShortSession: boolean;
  readonly stsEndpoint?: string;
  readonly inlineSessionPolicy?: string;
  readonly managedSessionPolicies: readonly string[];
  readonly maskAwsAccountId: boolean;
  readonly retryMaxAttempts: number;
  readonly keepAlive: boolean;
  /** keep-alive also serves on 169.254.170.2 for containers (needs keepAlive). */
  readonly serveContainers: boolean;
  /** The proxy for the ID-token request and STS: the http-proxy / no-proxy inputs, else HTTPS_PROXY, HTTP_PROXY, NO_PROXY. Absent when none is set. */
  readonly proxy?: ProxyConfig;
  /** Where the credentials that mint sessions come from (settings/source.ts). */
  readonly source: CredentialSource;
  /** stepFingerprint() of the raw inputs and environment these settings were read from (settings/step-config.ts). */
  readonly stepFingerprint: string;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `${problems.length} invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'SettingsError';
  }
}

export { MAX_EXPECTED_SECONDS, MAX_MARGIN_SECONDS };
export const MAX_RETRY_ATTEMPTS = 20;
const MAX_MANAGED_POLICIES = 10;
/** AWS: an inline session policy is at most 2,048 characters (after removing whitespace). */
const MAX_INLINE_POLICY_CHARS = 2048;

/*
 * Every pattern below sees raw input, so each is linear in the input's length:
 * anchored, and no quantifier inside another or next to one that matches the
 * same characters. __tests__/unit/input-patterns.test.ts times them on 10 kB
 * inputs built to make a backtracking pattern blow up.
 */

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Any run of 12 digits: what an account ID looks like inside a value that did not parse. */
const ACCOUNT_ID_RUN = /\d{12}/g;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1, ...: an area, an
 * optional qualifier, a direction, a number. Checked part by part, as one
 * pattern the optional qualifier and the direction could both match `-xy`.
 */
function isRegion(text: string): boolean {
  const parts = text.split('-');
  if (parts.length < 3 || parts.length > 4) return false;
  const [area = '', ...rest] = parts;
  const [number = '', direction = '', qualifier] = rest.reverse();
  return (
    /^(?:[a-z]{2}|eusc)$/.test(area) &&
    (qualifier === undefined || /^(?:gov|iso[a-z]?|[a-z]{2})$/.test(qualifier)) &&
    /^[a-z]+$/.test(direction) &&
    /^\d{1,2}$/.test(number)
  );
}

/** An ISO 8601 time with a real calendar date (Date.parse turns 2026-02-30 into March 2). */
function parseIsoTime(text: string): number {
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined) return NaN;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || (s ?? 0) > 59) return NaN;
  return Date.parse(text);
}

/**
 * Plain http is accepted only where the SDKs accept it for credentials too:
 * loopback. The URL parser has already normalised the host (lower case,
 * IPv4 in dotted decimal, IPv6 compressed and in brackets).
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The environment settings are derived from (constants.ts SettingsEnvNames; settings/step-config.ts settingsEnv). */
export type SettingsEnv = { readonly [K in SettingsEnvName]?: string | undefined };

export function defaultSessionName(env: SettingsEnv): string {
  const parts = ['GitHubActions', env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(
    (p): p is string => !!p && /^[\w+=,.@-]+$/.test(p),
  );
  return parts.join('-').slice(0, 64);
}

export function readSettings(getInput: (name: InputName) => string, env: SettingsEnv, probe?: FileProbe): Settings {
  const problems: string[] = [];
  const bad = (name: InputName, value: string | undefined, what: string, fix: string): undefined => {
    const shown = value === undefined ? '' : ` (got "${value}")`;
    problems.push(`'${name}'${shown} ${what}. ${fix}`);
    return undefined;
  };

  const bool = (name: InputName, fallback: boolean): boolean => {
    const raw = getInput(name);
    if (raw === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(raw)) return true;
    if (['false', 'False', 'FALSE'].includes(raw)) return false;
    bad(name, raw, 'is not a boolean', 'Use true or false.');
    return fallback;
  };

  // Read first: with it, a value shown in a problem (printed before any mask is registered) shows no account ID.
  const maskAwsAccountId = bool(Inputs.MaskAwsAccountId, false);
  const shownArn = (raw: string) => (maskAwsAccountId ? raw.replace(ACCOUNT_ID_RUN, '***') : raw);

  const role = (name: InputName): RoleArn | undefined => {
    const raw = getInput(name);
    if (raw === '') return undefined;
    return (
      parseRoleArn(raw) ??
      bad(name, shownArn(raw), 'is not an IAM role ARN', 'Use the full ARN, e.g. arn:aws:iam::123456789012:role/deploy.')
    );
  };

  const duration = (input: DurationInput): number | undefined => {
    const read = readDurationInput(getInput, input);
    if ('seconds' in read) return read.seconds;
    if ('absent' in read) return undefined;
    const form = 'Use whole numbers with d, h, m, s, largest first, such as 90m, 2h, 1h30m, or whole seconds (5400).';
    const what = {
      form: 'is not a duration',
      short: `must be at least ${formatDuration(input.min)}`,
      long: `is longer than ${formatDuration(input.max)}, more than any job can run`,
    }[read.problem];
    return bad(input.name, read.raw, what, form) ?? input.min;
  };

  const roleToAssume = role(Inputs.RoleToAssume);
  const chainedRoleToAssume = role(Inputs.ChainedRoleToAssume);
  if (chainedRoleToAssume && !roleToAssume && getInput(Inputs.RoleToAssume) === '') {
    bad(Inputs.ChainedRoleToAssume, undefined, "needs 'role-to-assume'", 'Give the role that the credential source assumes first.');
  }

  const regionRaw = getInput(Inputs.AwsRegion);
  let region: string | undefined;
  if (regionRaw !== '') {
    region = isRegion(regionRaw)
      ? regionRaw
      : bad(Inputs.AwsRegion, regionRaw, 'is not an AWS region', 'Use a region code such as us-east-1 or eu-west-2.');
  } else if (getInput(Inputs.RoleToAssume) !== '') {
    bad(Inputs.AwsRegion, undefined, "is required with 'role-to-assume'", 'Add e.g. aws-region: us-east-1.');
  }

  const audience = getInput(Inputs.Audience) || Sts.DefaultAudience;
  if (/\s/.test(audience)) {
    bad(Inputs.Audience, audience, 'must be a non-empty value without spaces', `Leave it out for ${Sts.DefaultAudience}.`);
  }

  const sessionRaw = getInput(Inputs.RoleSessionName);
  const roleSessionName = sessionRaw || defaultSessionName(env) || 'GitHubActions';
  if (sessionRaw !== '' && !SESSION_NAME.test(sessionRaw)) {
    bad(
      Inputs.RoleSessionName,
      sessionRaw,
      'must be 2 to 64 characters of letters, digits and +=,.@_-',
      'Remove other characters (spaces, slashes, colons) or leave it out for a name derived from the run.',
    );
  }

  const expectedDurationSeconds = duration(EXPECTED_DURATION);
  const safetyMarginSeconds = duration(SAFETY_MARGIN) ?? 0;

  let roleDurationSeconds: number | undefined;
  const rdsRaw = getInput(Inputs.RoleDurationSeconds);
  if (rdsRaw !== '') {
    const n = /^\d+$/.test(rdsRaw) ? Number(rdsRaw) : NaN;
    if (!(n >= Sts.MinDurationSeconds && n <= Sts.MaxDurationSeconds)) {
      bad(
        Inputs.RoleDurationSeconds,
        rdsRaw,
        `must be whole seconds from ${Sts.MinDurationSeconds} to ${Sts.MaxDurationSeconds}`,
        'STS accepts no other session length; leave it out to ask for 1 h (3600 s), or, with expected-duration, for what the work needs.',
      );
    } else {
      roleDurationSeconds = n;
    }
  }

  let expiration: Date | undefined;
  // configure-aws-credentials writes its aws-expiration output as a JSON string, quotes included.
  const expInput = getInput(Inputs.Expiration);
  const quoted = expInput.length >= 2 && expInput.startsWith('"') && expInput.endsWith('"');
  const expRaw = quoted ? expInput.slice(1, -1) : expInput;
  if (expRaw !== '') {
    const t = parseIsoTime(expRaw);
    if (Number.isNaN(t)) {
      bad(Inputs.Expiration, expRaw, 'is not an ISO 8601 time', 'Use e.g. 2026-11-22T15:04:05Z, as the aws-expiration output of configure-aws-credentials gives it.');
    } else {
      expiration = new Date(t);
    }
  }

  const stsRaw = getInput(Inputs.StsEndpoint);
  let stsEndpoint: string | undefined;
  if (stsRaw !== '') {
    const shown = redactUrl(stsRaw);
    const example = 'e.g. https://sts.us-east-1.amazonaws.com';
    let url: URL | undefined;
    try {
      url = new URL(stsRaw);
    } catch {
      url = undefined;
    }
    const problemsBefore = problems.length;
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      bad(Inputs.StsEndpoint, shown, 'is not an https URL', `Give the endpoint's full URL, ${example}.`);
    } else {
      if (url.username !== '' || url.password !== '') {
        bad(Inputs.StsEndpoint, shown, 'holds a user name or password', `Remove the part up to "@": STS calls are signed with the session's keys, ${example}.`);
      }
      if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
        bad(
          Inputs.StsEndpoint,
          shown,
          `uses plain http to ${url.hostname}, which is not loopback`,
          `Use https://, ${example}. Plain http is accepted only on loopback (localhost, 127.0.0.0/8, [::1]), as for a local stand-in.`,
        );
      }
    }
    if (problems.length === problemsBefore) stsEndpoint = stsRaw;
  }

  const inlineRaw = getInput(Inputs.InlineSessionPolicy);
  let inlineSessionPolicy: string | undefined;
  if (inlineRaw !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(inlineRaw);
    } catch (e) {
      // Node's parser message quotes the input: show only where it broke.
      const at = /position (\d+)/.exec((e as Error).message)?.[1];
      bad(Inputs.InlineSessionPolicy, undefined, `is not valid JSON${at ? ` (error at character ${at})` : ''}`, 'Give an IAM policy document: {"Version":"2012-10-17","Statement":[...]}.');
    }
    if (parsed !== undefined) {
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('Statement' in parsed)) {
        bad(Inputs.InlineSessionPolicy, undefined, 'is not an IAM policy document', 'Give a JSON object with a "Statement" list.');
      } else {
        const compact = JSON.stringify(parsed);
        if (compact.length > MAX_INLINE_POLICY_CHARS) {
          bad(Inputs.InlineSessionPolicy, undefined, `is ${compact.length} characters, over the ${MAX_INLINE_POLICY_CHARS} STS accepts`, 'Shorten it or use managed-session-policies.');
        } else {
          inlineSessionPolicy = compact;
        }
      }
    }
  }

  // One ARN per line, as configure-aws-credentials reads it (getMultilineInput); a comma separates nothing.
  const managedSessionPolicies = getInput(Inputs.ManagedSessionPolicies)
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const onePerLine = 'List one ARN per line, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess.';
  let badLines = 0;
  for (const arn of managedSessionPolicies) {
    // IAM allows commas in policy names (and colons in paths), so `A,arn:...B` would pass the ARN check as one policy.
    const list = /,\s*arn:/i.test(arn);
    if (!list && isPolicyArn(arn)) continue;
    // Each bad line is its own problem, up to a screenful; past that, a note that there are more.
    if (++badLines > MAX_MANAGED_POLICIES) break;
    if (list) bad(Inputs.ManagedSessionPolicies, shownArn(arn), 'holds several ARNs on one line; a comma does not separate them', onePerLine);
    else bad(Inputs.ManagedSessionPolicies, shownArn(arn), 'is not an IAM policy ARN', onePerLine);
  }
  if (badLines > MAX_MANAGED_POLICIES) {
    bad(Inputs.ManagedSessionPolicies, undefined, `has more lines that are not IAM policy ARNs than the ${MAX_MANAGED_POLICIES} listed`, onePerLine);
  }
  if (managedSessionPolicies.length > MAX_MANAGED_POLICIES) {
    bad(Inputs.ManagedSessionPolicies, undefined, `lists ${managedSessionPolicies.length} policies`, `STS accepts at most ${MAX_MANAGED_POLICIES}.`);
  }

  const retryRaw = getInput(Inputs.RetryMaxAttempts);
  let retryMaxAttempts = 5;
  if (retryRaw !== '') {
    const n = /^\d+$/.test(retryRaw) ? Number(retryRaw) : NaN;
    if (!(n >= 1 && n <= MAX_RETRY_ATTEMPTS)) {
      bad(Inputs.RetryMaxAttempts, retryRaw, `must be a whole number from 1 to ${MAX_RETRY_ATTEMPTS}`, 'It counts all attempts, the first included; 1 turns retries off.');
    } else {
      retryMaxAttempts = n;
    }
  }

  const failOnShortSession = bool(Inputs.FailOnShortSession, true);
  const keepAlive = bool(Inputs.KeepAlive, false);
  const roleGiven = getInput(Inputs.RoleToAssume) !== '';
  const source = readSource({ getInput, bool, bad, env, roleGiven, ...(probe && { probe }) });
  // Without a role, only input keys can be handed on (as they are: they need no refresh).
  if (keepAlive && !roleGiven && source.kind !== 'static-keys') {
    bad(Inputs.KeepAlive, 'true', "needs 'role-to-assume'", 'The credential server mints sessions of that role from the credential source (GitHub OIDC, a token file, keys, or the credentials in place).');
  }

  if (roleDurationSeconds !== undefined && expectedDurationSeconds !== undefined && !keepAlive) {
    const needSeconds = expectedDurationSeconds + safetyMarginSeconds;
    if (roleDurationSeconds < needSeconds) {
      const fits = roleDurationSeconds - safetyMarginSeconds;
      bad(
        Inputs.RoleDurationSeconds,
        rdsRaw,
        `is shorter than '${Inputs.ExpectedDuration}' (${formatDuration(expectedDurationSeconds)}) + '${Inputs.SafetyMargin}' (${formatDuration(safetyMarginSeconds)}) = ${formatDuration(needSeconds)}: the session would end before the work`,
        `Raise '${Inputs.RoleDurationSeconds}' to at least ${needSeconds}, or leave it out (the step then asks for what the work needs)` +
          (fits > 0 ? `, or set '${Inputs.ExpectedDuration}: ${formatDuration(fits)}' if the work is that short.` : '.'),
      );
    }
  }

  const serveContainers = bool(Inputs.ServeContainers, false);
  if (serveContainers && !keepAlive) {
    bad(Inputs.ServeContainers, 'true', `needs '${Inputs.KeepAlive}: true'`, `Set '${Inputs.KeepAlive}: true': the keep-alive credential server is what serves containers.`);
  }

  const httpProxyRaw = getInput(Inputs.HttpProxy).trim();
  if (httpProxyRaw !== '') {
    const shown = redactUrl(httpProxyRaw);
    let url: URL | undefined;
    try {
      url = /^https?:\/\//i.test(httpProxyRaw) ? parseProxyUrl({ url: httpProxyRaw, from: Inputs.HttpProxy }) : undefined;
    } catch {
      url = undefined;
    }
    if (!url) {
      bad(Inputs.HttpProxy, shown, 'is not an http:// or https:// URL', 'Give the proxy as http://host:port, or http://user:password@host:port (the password is masked; percent-encode any @, /, ? or # in it: %40, %2F, %3F, %23).');
    }
  }
  const proxy = resolveProxyConfig({ httpProxy: httpProxyRaw, noProxy: getInput(Inputs.NoProxy) }, env);

  const cac = readCacOptions({ getInput, bool, bad }, env);
  if (cac.disableRetry) retryMaxAttempts = 1; // CAC: disable-retry means one attempt
  const target = chainedRoleToAssume ?? roleToAssume;
  if (cac.allowedAccountIds && target && !cac.allowedAccountIds.includes(target.accountId)) {
    // With mask-aws-account-id nothing names an account: this is printed before any mask is registered.
    bad(
      Inputs.AllowedAccountIds,
      maskAwsAccountId ? undefined : cac.allowedAccountIds.join(','),
      maskAwsAccountId ? `does not include the account of '${chainedRoleToAssume ? Inputs.ChainedRoleToAssume : Inputs.RoleToAssume}'` : `does not include ${target.accountId}, the account of ${target.arn}`,
      'Add that account to the list, or assume a role in an allowed account.',
    );
  }

  if (problems.length > 0) throw new SettingsError(problems);

  return {
    ...(roleToAssume && { roleToAssume }),
    ...(chainedRoleToAssume && { chainedRoleToAssume }),
    ...(region !== undefined && { region }),
    audience,
    roleSessionName,
    ...(expectedDurationSeconds !== undefined && { expectedDurationSeconds }),
    safetyMarginSeconds,
    ...(roleDurationSeconds !== undefined && { roleDurationSeconds }),
    ...(expiration && { expiration }),
    failOnShortSession,
    ...(stsEndpoint !== undefined && { stsEndpoint }),
    ...(inlineSessionPolicy !== undefined && { inlineSessionPolicy }),
    managedSessionPolicies,
    maskAwsAccountId,
    retryMaxAttempts,
    keepAlive,
    serveContainers,
    ...(proxy && { proxy }),
    source,
    stepFingerprint: stepFingerprint(getInput, env),
    ...cac,
  };
}
