/**
 * Durations as workflows write them. Exactly this is accepted (action.yml and
 * the README say the same):
 * - whole seconds: `5400`;
 * - or whole numbers with the units `d` (days), `h` (hours), `m` (minutes),
 *   `s` (seconds), largest first, each at most once: `90m`, `2h`, `1h30m`,
 *   `45s`, `1d12h`, `1h30m15s`;
 * - units in either case (`2H`), spaces between units (`1h 30m`) but not
 *   between a number and its unit (`1 h`), and around the whole.
 * No fractions, signs, or other units (`1.5h`, `-5m`, `1w`, `5400ms`).
 *
 * Both patterns are linear: each `\d+` ends at a unit letter it cannot match,
 * and each run of spaces at a digit.
 */

const UNIT_SECONDS = { d: 86400, h: 3600, m: 60, s: 1 } as const;
const PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Returns whole seconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  // Spaces may separate units (`1h 30m`), never digits (`5 400` is not 5400).
  const value = text.trim().toLowerCase().replace(/([dhms])\s+(?=\d)/g, '$1');
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const match = PATTERN.exec(value);
  if (!match || match[0] === '') return undefined;
  const [, d, h, m, s] = match;
  return (
    Number(d ?? 0) * UNIT_SECONDS.d +
    Number(h ?? 0) * UNIT_SECONDS.h +
    Number(m ?? 0) * UNIT_SECONDS.m +
    Number(s ?? 0) * UNIT_SECONDS.s
  );
}

/** `5400` → `1h30m`; `59` → `59s`; `0` → `0s`. */
export function formatDuration(totalSeconds: number): string {
  const negative = totalSeconds < 0;
  let rest = Math.round(Math.abs(totalSeconds));
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return (negative ? '-' : '') + (parts.join('') || '0s');
}
