/** The session-policy inputs: inline-session-policy and managed-session-policies. */
import { Inputs } from '../constants.js';
import { isPolicyArn } from '../model/arn.js';
import type { InputReader } from './input-reader.js';
import { arnShownWith } from './read-roles.js';

const MAX_MANAGED_POLICIES = 10;
/** AWS: an inline session policy is at most 2,048 characters (after removing whitespace). */
const MAX_INLINE_POLICY_CHARS = 2048;

export interface PolicyInputs {
  readonly inlineSessionPolicy?: string;
  readonly managedSessionPolicies: readonly string[];
}

export function readPolicyInputs(r: InputReader, maskAwsAccountId: boolean): PolicyInputs {
  const { getInput, bad } = r;
  const shownArn = arnShownWith(maskAwsAccountId);
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

  return { ...(inlineSessionPolicy !== undefined && { inlineSessionPolicy }), managedSessionPolicies };
}
