/**
 * FNV-1a, 64 bit: a short, stable fingerprint of a string. Not a secret-safe
 * hash; used to tell one set of keys or one configuration from another
 * without loading node:crypto on the healthy guard path.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fingerprint(text: string): string {
  let h = OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}
