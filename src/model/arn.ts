/**
 * IAM role and policy ARNs, as STS accepts them.
 *
 * Every check here is linear in the input's length: fixed-width prefixes, then
 * plain scans. No pattern has a quantifier inside a quantifier, so no input can
 * make them backtrack (a role path such as `a/a/a/.../!` once took seconds).
 */

export interface RoleArn {
  readonly arn: string;
  readonly partition: string;
  readonly accountId: string;
  /** The name without its path: what `aws iam update-role --role-name` takes. */
  readonly roleName: string;
}

/** Everything up to and including `role/`; the path and name are checked after it, without a pattern. */
const ROLE_PREFIX = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}):role\//;
/** IAM role names: 1 to 64 of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM paths may hold any ASCII character from `!` to `~` (no spaces, no controls). */
const PATH_CHARS = /^[\x21-\x7e]*$/;

export function parseRoleArn(text: string): RoleArn | undefined {
  const arn = text.trim();
  const m = ROLE_PREFIX.exec(arn);
  const partition = m?.[1];
  const accountId = m?.[2];
  if (!m || !partition || !accountId) return undefined;
  // After `role/`: an optional path (`seg/.../`) and the name. A name has no
  // slash, so the name is whatever follows the last one.
  const rest = arn.slice(m[0].length);
  const slash = rest.lastIndexOf('/');
  const path = rest.slice(0, slash + 1);
  const roleName = rest.slice(slash + 1);
  // The full path is `/` + path: either `/` alone, or `/x.../` with at least one character between the slashes.
  if (path !== '' && (path.length < 2 || !PATH_CHARS.test(path))) return undefined;
  if (!ROLE_NAME.test(roleName)) return undefined;
  return { arn, partition, accountId, roleName };
}

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}|aws):policy\/[\x21-\x7e]+$/;

export function isPolicyArn(text: string): boolean {
  return POLICY_ARN.test(text);
}

/** Account id from an assumed-role ARN such as `arn:aws:sts::123456789012:assumed-role/R/S`. */
export function accountIdOf(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:sts|iam)::(\d{12}):/.exec(arn)?.[1];
}
