/** IAM role ARNs, as STS accepts them in RoleArn. */

export interface RoleArn {
  readonly arn: string;
  readonly partition: string;
  readonly accountId: string;
  /** The name without its path: what `aws iam update-role --role-name` takes. */
  readonly roleName: string;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}):role\/((?:[\x21-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;

export function parseRoleArn(text: string): RoleArn | undefined {
  const m = ROLE_ARN.exec(text.trim());
  if (!m) return undefined;
  const [arn, partition, accountId, , roleName] = m;
  if (!arn || !partition || !accountId || !roleName) return undefined;
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
