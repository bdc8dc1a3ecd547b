/** Showing URLs that may hold a password. No Node module: the healthy path loads it. */

/**
 * A URL as it may be shown: any user info (`user:password@`) replaced by `***`.
 * Errs on the side of hiding: it takes everything before the last `@` of the
 * authority, as the URL parser does, and works on text that is not a URL.
 */
export function redactUrl(text: string): string {
  const scheme = /^[a-z][a-z\d+.-]*:/i.exec(text)?.[0].length ?? 0;
  let start = scheme;
  while (text[start] === '/' || text[start] === '\\') start++;
  let end = text.length;
  for (const stop of ['/', '?', '#']) {
    const i = text.indexOf(stop, start);
    if (i !== -1 && i < end) end = i;
  }
  const at = text.lastIndexOf('@', end - 1);
  return at < start ? text : `${text.slice(0, start)}***${text.slice(at)}`;
}
