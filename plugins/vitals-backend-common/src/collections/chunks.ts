/**
 * Splits a list into lists of at most `size` items, in order: for statements with a bounded number of bind
 * parameters, and for work done a slice at a time.
 *
 * @public
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(
      `chunk size must be a positive whole number, got ${size}`,
    );
  }
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
