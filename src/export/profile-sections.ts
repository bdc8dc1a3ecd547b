/**
 * The text of the shared AWS files, as aws-profile edits it: line by line, so
 * that every other section, comment and blank line stays exactly as it was.
 */

/** A section header line: `[name]`, spaces allowed around. Linear: one bounded class between fixed brackets. */
function headerOf(line: string): string | undefined {
  const t = line.trim();
  if (t.length < 2 || !t.startsWith('[') || !t.endsWith(']')) return undefined;
  return t.slice(1, -1).trim();
}

interface Block {
  readonly start: number;
  readonly end: number; // exclusive
}

function findBlock(lines: readonly string[], header: string): Block | undefined {
  const start = lines.findIndex((l) => headerOf(l) === header);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && headerOf(lines[end] ?? '') === undefined) end++;
  // Trailing blank lines belong to the gap before the next section, not to this one.
  while (end > start + 1 && (lines[end - 1] ?? '').trim() === '') end--;
  return { start, end };
}

export const hasSectionIn = (text: string, header: string): boolean => findBlock(text.split(/\r?\n/), header) !== undefined;

export function sectionText(header: string, entries: Readonly<Record<string, string>>): string {
  return [`[${header}]`, ...Object.entries(entries).map(([k, v]) => `${k} = ${v}`)].join('\n');
}

/** Replaces the section, or appends it; the rest of the file is kept as it is. */
export function upsertSection(text: string, header: string, section: string): string {
  const lines = text === '' ? [] : text.split(/\r?\n/);
  const block = findBlock(lines, header);
  if (block) {
    lines.splice(block.start, block.end - block.start, ...section.split('\n'));
  } else {
    while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
    if (lines.length > 0) lines.push('');
    lines.push(...section.split('\n'));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Removes the section if it still reads `expected` (a later step may have rewritten it); the rest stays. */
export function removeSection(text: string, header: string, matches: (sectionText: string) => boolean): { text: string; removed: boolean } {
  const lines = text.split(/\r?\n/);
  const block = findBlock(lines, header);
  if (!block || !matches(lines.slice(block.start, block.end).join('\n'))) return { text, removed: false };
  let end = block.end;
  while (end < lines.length && (lines[end] ?? '').trim() === '') end++;
  lines.splice(block.start, end - block.start);
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return { text: lines.length === 0 ? '' : `${lines.join('\n')}\n`, removed: true };
}
