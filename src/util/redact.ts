/** Showing text that may hold a secret: URLs with a password, ID tokens inside error messages. No Node module. */

/**
 * A URL as it may be shown: any user info (`user:password@`) replaced by `***`.
 * Errs on the side of hiding: it takes everything up to the last `@` of the
 * whole text, not only of the authority as the URL parser does, because a
 * password may hold an unencoded `/`, `?`, `#` or `@` that the parser would
 * take for the end of the host; an `@` in a path or query hides what comes
 * before it too. Works on text that is not a URL.
 */
export function redactUrl(text: string): string {
  const scheme = /^[a-z][a-z\d+.-]*:/i.exec(text)?.[0].length ?? 0;
  let start = scheme;
  while (text[start] === '/' || text[start] === '\\') start++;
  const at = text.lastIndexOf('@');
  return at < start ? text : `${text.slice(0, start)}***${text.slice(at)}`;
}

/** An ID token (a JWT) anywhere in a text: three base64url parts, the header starting `{"` (eyJ). */
const JWT_IN_TEXT = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
/** The whole value is a JWT. Linear: no class holds the dot between the parts. */
const JWT_WHOLE = /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/;

/** The text with every ID token in it replaced: none reaches a log, a summary or a response, even inside an error. */
export const redactTokens = (text: string): string => text.replace(JWT_IN_TEXT, '[redacted token]');

/** Whether a value is a JWT itself (a token given where a path was asked for). */
export const isJwt = (text: string): boolean => JWT_WHOLE.test(text);
