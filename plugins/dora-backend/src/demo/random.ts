/*
 * The seeded random helpers of the demo data: every demo stream is drawn from a seed derived from a text (an entity
 * ref and what the stream is for), so that the demo is the same on every run and one stream can change without
 * moving the others.
 */

/** A 32-bit FNV-1a hash of a text: the seed of a stream. */
export function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** Mulberry32: a small seeded generator of numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
