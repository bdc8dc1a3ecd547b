/**
 * FNV-1a, 64 bit: a short, stable fingerprint of a string. Not a secret-safe
 * hash; used to tell one set of keys or one configuration from another
 * without loading node:crypto on the healthy guard path.
 *
 * Computed in four 16-bit limbs with plain numbers (no BigInt): a step's whole
 * configuration is fingerprinted on the healthy path, so this runs per
 * character. FNV-1a 64 multiplies by 2^40 + 0x1b3, i.e. limbs 0x1b3 (limb 0)
 * and 0x100 (limb 2).
 */
export function fingerprint(text: string): string {
  // Offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i);
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    h3 = (h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16)) & 0xffff;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
  }
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
