/** Showing URLs that may hold a password. No Node module: the healthy path loads it. */

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
