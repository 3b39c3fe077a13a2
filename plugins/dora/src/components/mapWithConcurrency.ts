/**
 * Maps over items with at most `limit` calls in flight, keeping the input order; a failed call gives its error in
 * place of a value instead of failing the whole batch.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<Array<{ value: R } | { error: Error }>> {
  const results: Array<{ value: R } | { error: Error }> = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { value: await fn(items[index]) };
      } catch (e) {
        results[index] = { error: e instanceof Error ? e : new Error(String(e)) };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
