/**
 * The p-th percentile (nearest rank) of timings sorted in ascending order.
 *
 * @public
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no timings');
  return sorted[
    Math.max(
      0,
      Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

/**
 * The figures a bench prints for a series of timings, in milliseconds.
 *
 * @public
 */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * p50, p95 and max of timings in any order.
 *
 * @public
 */
export function summarize(timings: readonly number[]): LatencySummary {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: percentile(sorted, 100),
  };
}
