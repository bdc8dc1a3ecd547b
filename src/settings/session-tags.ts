/**
 * Session tags, the external ID and transitive tag keys for AssumeRole, read
 * as configure-aws-credentials (CAC) reads them. They apply to AssumeRole
 * only: STS takes no Tags, TransitiveTagKeys or ExternalId on
 * AssumeRoleWithWebIdentity (the ID token's claims carry its tags), and CAC
 * drops them there too (src/assumeRole.ts, assumeRoleWithOIDC:
 * `delete params.Tags; delete params.TransitiveTagKeys`).
 *
 * Every pattern here is one anchored character class: linear on any input.
 */
import type { AssumeRoleExtras, SessionTag } from '../model/sts-types.js';
import { GithubRunEnv } from '../constants.js';

/** STS Tag: key 1..128, value 0..256, at most 50 tags per session (API_Tag, API_AssumeRole). */
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const MAX_SESSION_TAGS = 50;
/** STS ExternalId: 2..1224 characters of `[\w+=,.@:/-]`. */
export const EXTERNAL_ID_MIN = 2;
export const EXTERNAL_ID_MAX = 1224;

// The characters STS allows in tag keys and values (API_Tag; CAC src/assumeRole.ts TAG_KEY_REGEX / TAG_VALUE_REGEX).
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const NOT_TAG_CHAR = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;
/**
 * The same class for ASCII text, where \p{L}, \p{N} and \p{Z} are letters, digits and the space. The default tags
 * are built on the healthy guard path too, and a Unicode property class costs about half a millisecond to compile:
 * ASCII values (nearly all of them) never pay it.
 */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}
const NOT_TAG_ASCII = /[^A-Za-z0-9 _.:/=+\-@]/g;
const EXTERNAL_ID = /^[\w+=,.@:/-]+$/;
const TAG_CHARS = 'letters, digits, spaces and _.:/=+-@';

/** What the default tags are built from (the runner sets them for every step). */
export type TagEnv = { readonly [K in (typeof GithubRunEnv)[keyof typeof GithubRunEnv]]?: string | undefined };

/**
 * CAC's tags, in its order, each when its variable is set (CAC v6.2
 * src/assumeRole.ts): `GitHub: Actions`, then Repository, Workflow, Action,
 * Actor, Commit, Branch, which are always sent; then EventName, BaseRef,
 * HeadRef, RunId, Job, TriggeringActor, which are dropped when STS finds the
 * tags too large (PackedPolicyTooLarge; sts/minter.ts retries once without
 * them). custom-tags cannot override any of them.
 */
const DEFAULT_TAG_SOURCES: ReadonlyArray<readonly [key: string, variable: keyof TagEnv, droppable: boolean]> = [
  ['Repository', GithubRunEnv.Repository, false],
  ['Workflow', GithubRunEnv.Workflow, false],
  ['Action', GithubRunEnv.Action, false],
  ['Actor', GithubRunEnv.Actor, false],
  ['Commit', GithubRunEnv.Sha, false],
  ['Branch', GithubRunEnv.Ref, false],
  ['EventName', GithubRunEnv.EventName, true],
  ['BaseRef', GithubRunEnv.BaseRef, true],
  ['HeadRef', GithubRunEnv.HeadRef, true],
  ['RunId', GithubRunEnv.RunId, true],
  ['Job', GithubRunEnv.Job, true],
  ['TriggeringActor', GithubRunEnv.TriggeringActor, true],
];
export const DEFAULT_TAG_KEYS: readonly string[] = ['GitHub', ...DEFAULT_TAG_SOURCES.map(([key]) => key)];

/**
 * A value STS accepts: every character STS refuses becomes `_`, then the first
 * 256 characters (CAC src/helpers.ts sanitizeGitHubVariables). Workflow names
 * and refs may hold any character; this keeps AssumeRole from failing on them.
 */
export function sanitizeTagValue(value: string): string {
  if (isAscii(value)) return value.replace(NOT_TAG_ASCII, '_').slice(0, MAX_TAG_VALUE_LENGTH);
  return Array.from(value.replace(NOT_TAG_CHAR, '_')).slice(0, MAX_TAG_VALUE_LENGTH).join('');
}

export function defaultSessionTags(env: TagEnv): SessionTag[] {
  const tags: SessionTag[] = [{ key: 'GitHub', value: 'Actions' }];
  for (const [key, variable, droppable] of DEFAULT_TAG_SOURCES) {
    const value = env[variable];
    if (value) tags.push({ key, value: sanitizeTagValue(value), ...(droppable && { droppable }) });
  }
  return tags;
}

/** Reports one problem: the input's name is added by the caller. */
export type Problem = (what: string, fix: string, shown?: string) => void;

const lengthOf = (s: string) => Array.from(s).length;
/** A key as a message shows it: its first 40 characters (a key can be 128 long, a bad one any length). */
const shownKey = (key: string) => Array.from(key).slice(0, 40).join('') + (lengthOf(key) > 40 ? '...' : '');

/**
 * custom-tags: a JSON object of key to string, number or boolean (CAC
 * src/assumeRole.ts parseAndValidateCustomTags), checked as STS checks tags.
 * Keys of the default tags are refused (case-insensitively: STS refuses keys
 * that differ only in case).
 */
export function parseCustomTags(raw: string, problem: Problem, reserved: readonly string[] = DEFAULT_TAG_KEYS): SessionTag[] {
  if (raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problem('is not valid JSON', 'Give a JSON object of tag keys to values, e.g. {"Team": "payments", "CostCenter": 42}.');
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problem('is not a JSON object', 'Give a JSON object of tag keys to values, e.g. {"Team": "payments"}; not a list or a single value.');
    return [];
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  // Past STS's limit each tag need not be looked at: one problem says it all.
  if (entries.length > MAX_SESSION_TAGS) {
    problem(`sets ${entries.length} tags`, `STS accepts at most ${MAX_SESSION_TAGS} session tags in all, this action's own included.`);
    return [];
  }
  const tags: SessionTag[] = [];
  const seen = new Set(reserved.map((k) => k.toLowerCase()));
  for (const [key, value] of entries) {
    const shown = shownKey(key);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problem(`has a value for "${shown}" that is not a string, number or boolean`, 'Give each tag a plain value, e.g. {"Team": "payments"}.');
      continue;
    }
    const text = String(value);
    if (lengthOf(key) < 1 || lengthOf(key) > MAX_TAG_KEY_LENGTH) {
      problem(`has a key of ${lengthOf(key)} characters ("${shown}")`, `STS accepts tag keys of 1 to ${MAX_TAG_KEY_LENGTH} characters.`);
    } else if (!TAG_KEY.test(key)) {
      problem(`has a key with characters STS refuses ("${shown}")`, `Use only ${TAG_CHARS} in tag keys.`);
    } else if (reserved.some((k) => k.toLowerCase() === key.toLowerCase())) {
      problem(`sets "${shown}", a tag this action sets itself`, `Remove it or use another key; ${reserved.join(', ')} are set from the run (turn them all off with role-skip-session-tagging).`);
    } else if (seen.has(key.toLowerCase())) {
      problem(`sets "${shown}" twice (keys differing only in case are the same tag to STS)`, 'Keep one of them.');
    }
    seen.add(key.toLowerCase());
    if (lengthOf(text) > MAX_TAG_VALUE_LENGTH) {
      problem(`has a value for "${shown}" of ${lengthOf(text)} characters`, `STS accepts tag values of at most ${MAX_TAG_VALUE_LENGTH} characters.`);
    } else if (!TAG_VALUE.test(text)) {
      problem(`has a value for "${shown}" with characters STS refuses`, `Use only ${TAG_CHARS} in tag values.`);
    }
    tags.push({ key, value: text });
  }
  return tags;
}

/**
 * transitive-tag-keys: one key per line (CAC reads it with getMultilineInput).
 * CAC then keeps only the keys of tags it sends (src/assumeRole.ts,
 * transitiveTagKeysArray); a key naming no tag is refused here, as it would do nothing.
 */
export function parseTransitiveTagKeys(raw: string, tags: readonly SessionTag[] | undefined, problem: Problem): string[] {
  const keys = raw
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (keys.length > MAX_SESSION_TAGS) {
    problem(`lists ${keys.length} keys`, `STS accepts at most ${MAX_SESSION_TAGS}.`);
    return [];
  }
  for (const key of keys) {
    const shown = shownKey(key);
    if (lengthOf(key) > MAX_TAG_KEY_LENGTH || !TAG_KEY.test(key)) {
      problem(`lists "${shown}", which is not a tag key`, `Tag keys are 1 to ${MAX_TAG_KEY_LENGTH} of ${TAG_CHARS}; list one per line.`);
    } else if (tags && !tags.some((t) => t.key === key)) {
      problem(`lists "${shown}", which is not one of the session's tags`, `List keys of the tags sent: ${tags.map((t) => t.key).join(', ')}.`);
    }
  }
  return keys;
}

export function checkExternalId(raw: string, problem: Problem): string | undefined {
  if (raw === '') return undefined;
  const n = lengthOf(raw);
  if (n < EXTERNAL_ID_MIN || n > EXTERNAL_ID_MAX) {
    problem(`is ${n} characters long`, `STS accepts an external ID of ${EXTERNAL_ID_MIN} to ${EXTERNAL_ID_MAX} characters; give the one in the role's trust policy (sts:ExternalId).`);
    return undefined;
  }
  if (!EXTERNAL_ID.test(raw)) {
    problem('has characters STS refuses', "Use only letters, digits and +=,.@:/_- (as in the role's trust policy, sts:ExternalId).");
    return undefined;
  }
  return raw;
}

export interface ExtrasInput {
  readonly externalId: string;
  readonly skipTagging: boolean;
  readonly customTags: string;
  readonly transitiveTagKeys: string;
}

/**
 * The AssumeRole extras, or undefined when there are none. `problemFor`
 * names the input each problem belongs to.
 */
export function readAssumeRoleExtras(
  input: ExtrasInput,
  env: TagEnv,
  problemFor: (input: 'external-id' | 'custom-tags' | 'transitive-tag-keys') => Problem,
): AssumeRoleExtras | undefined {
  const externalId = checkExternalId(input.externalId, problemFor('external-id'));
  let tags: SessionTag[] | undefined;
  if (!input.skipTagging) {
    const defaults = defaultSessionTags(env);
    const custom = parseCustomTags(input.customTags, problemFor('custom-tags'));
    tags = [...defaults, ...custom];
    if (tags.length > MAX_SESSION_TAGS) {
      problemFor('custom-tags')(
        `makes ${tags.length} session tags with the ${defaults.length} this action sets`,
        `STS accepts at most ${MAX_SESSION_TAGS}: remove ${tags.length - MAX_SESSION_TAGS}.`,
      );
    }
  } else if (input.customTags.trim() !== '') {
    problemFor('custom-tags')('is set with role-skip-session-tagging: true, which sends no tags', 'Remove one of the two.');
  }
  let transitiveTagKeys: string[] = [];
  if (tags) {
    transitiveTagKeys = parseTransitiveTagKeys(input.transitiveTagKeys, tags, problemFor('transitive-tag-keys'));
  } else if (input.transitiveTagKeys.trim() !== '') {
    problemFor('transitive-tag-keys')('is set with role-skip-session-tagging: true, which sends no tags', 'Remove one of the two.');
  }
  if (externalId === undefined && tags === undefined && transitiveTagKeys.length === 0) return undefined;
  return {
    ...(externalId !== undefined && { externalId }),
    ...(tags !== undefined && { tags }),
    ...(transitiveTagKeys.length > 0 && { transitiveTagKeys }),
  };
}
