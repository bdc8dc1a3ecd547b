/**
 * special-characters-workaround: mint again until neither key holds a
 * character some tools mishandle when the keys are pasted into shell or
 * config text (configure-aws-credentials src/helpers.ts verifyKeys and its
 * SPECIAL_CHARS_REGEX; src/index.ts loops `while (specialCharacterWorkaround
 * && !verifyKeys(...))`). CAC loops without end; this stops after
 * MAX_ATTEMPTS with a clear error. A secret key is 40 base64 characters, so
 * about 28% of keys pass, and 30 attempts all fail about once in 20,000 runs.
 */
import type { Credentials } from '../model/sts-types.js';

/** CAC's character set, one character at a time (a class without a quantifier: linear). */
const SPECIAL = /[!@#$%^&*()_+\-=[\]{};':"\\|,.<>/?]/;
export const MAX_ATTEMPTS = 30;

export function hasSpecialCharacters(c: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>): boolean {
  return SPECIAL.test(c.accessKeyId) || SPECIAL.test(c.secretAccessKey);
}

export async function mintWithoutSpecialCharacters<T>(
  mint: () => Promise<T>,
  credentialsOf: (value: T) => Credentials,
  maxAttempts = MAX_ATTEMPTS,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const value = await mint();
    if (!hasSpecialCharacters(credentialsOf(value))) return value;
    if (attempt >= maxAttempts) {
      throw new Error(
        `'special-characters-workaround': ${maxAttempts} sessions in a row had keys with special characters; nothing was exported. ` +
          'Run the step again, or turn the workaround off.',
      );
    }
  }
}
