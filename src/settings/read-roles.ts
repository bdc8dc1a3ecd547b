/** The role, region, audience and session-name inputs (and mask-aws-account-id, read first). */
import { Inputs, Sts, type InputName } from '../constants.js';
import { parseRoleArn, type RoleArn } from '../model/arn.js';
import type { InputReader } from './input-reader.js';
import type { SettingsEnv } from './settings-env.js';

/*
 * Every pattern here sees raw input, so each is linear in the input's length:
 * anchored, and no quantifier inside another or next to one that matches the
 * same characters (__tests__/unit/input-patterns.test.ts).
 */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Any run of 12 digits: what an account ID looks like inside a value that did not parse. */
const ACCOUNT_ID_RUN = /\d{12}/g;

/** An ARN as a problem may show it: with mask-aws-account-id, no account ID (problems print before any mask is registered). */
export function arnShownWith(maskAwsAccountId: boolean): (raw: string) => string {
  return (raw) => (maskAwsAccountId ? raw.replace(ACCOUNT_ID_RUN, '***') : raw);
}

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

export function defaultSessionName(env: SettingsEnv): string {
  const parts = ['GitHubActions', env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(
    (p): p is string => !!p && /^[\w+=,.@-]+$/.test(p),
  );
  return parts.join('-').slice(0, 64);
}

export interface RoleInputs {
  readonly maskAwsAccountId: boolean;
  readonly roleToAssume?: RoleArn;
  readonly chainedRoleToAssume?: RoleArn;
  readonly region?: string;
  readonly audience: string;
  readonly roleSessionName: string;
}

export function readRoleInputs(r: InputReader, env: SettingsEnv): RoleInputs {
  const { getInput, bool, bad } = r;
  // Read first: with it, a value shown in a problem (printed before any mask is registered) shows no account ID.
  const maskAwsAccountId = bool(Inputs.MaskAwsAccountId, false);
  const shownArn = arnShownWith(maskAwsAccountId);

  const role = (name: InputName): RoleArn | undefined => {
    const raw = getInput(name);
    if (raw === '') return undefined;
    return (
      parseRoleArn(raw) ??
      bad(name, shownArn(raw), 'is not an IAM role ARN', 'Use the full ARN, e.g. arn:aws:iam::123456789012:role/deploy.')
    );
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

  return {
    maskAwsAccountId,
    ...(roleToAssume && { roleToAssume }),
    ...(chainedRoleToAssume && { chainedRoleToAssume }),
    ...(region !== undefined && { region }),
    audience,
    roleSessionName,
  };
}
