/**
 * Durations as workflows write them: `90m`, `2h`, `1h30m`, `45s`, `1h30m15s`,
 * or whole seconds (`5400`).
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
