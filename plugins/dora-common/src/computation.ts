import type { DoraBenchmark, DoraTier } from './types';

const MINUTE_MS = 60_000;
const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * One part of a lead time, DevLake style: whole minutes from `start` to `end`, rounded up; a negative span counts as 0;
 * null when either end is unknown.
 *
 * @public
 */
export function spanMinutes(
  start: number | null | undefined,
  end: number | null | undefined,
): number | null {
  if (
    start === null ||
    start === undefined ||
    end === null ||
    end === undefined
  )
    return null;
  const ms = end - start;
  return ms <= 0 ? 0 : Math.ceil(ms / MINUTE_MS);
}

/** The parts of a change's lead time, in whole minutes. @public */
export interface LeadTimeParts {
  codingMinutes: number | null;
  pickupMinutes: number | null;
  reviewMinutes: number | null;
  mergeMinutes: number | null;
  deployMinutes: number | null;
  leadTimeMinutes: number | null;
}

/**
 * Lead time of a change (epoch milliseconds in, minutes out), following Apache DevLake's PR cycle time:
 * (createdAt − authoredAt) + (mergedAt − createdAt) + (deployedAt − mergedAt, or − authoredAt for a plain commit), each
 * part rounded up and floored at 0, unknown parts left out. A pull request that is open (createdAt, no mergedAt) or a
 * change not deployed yet has no lead time.
 *
 * @public
 */
export function leadTimeParts(change: {
  authoredAt: number | null;
  createdAt: number | null;
  mergedAt: number | null;
  firstReviewAt: number | null;
  deployedAt: number | null;
}): LeadTimeParts {
  const { authoredAt, createdAt, mergedAt, firstReviewAt, deployedAt } = change;
  const openPullRequest = createdAt !== null && mergedAt === null;
  const codingMinutes = spanMinutes(authoredAt, createdAt);
  const pickupMinutes = spanMinutes(createdAt, firstReviewAt);
  const reviewMinutes = spanMinutes(firstReviewAt, mergedAt);
  const mergeMinutes = spanMinutes(createdAt, mergedAt);
  const deployStart = mergedAt ?? (createdAt === null ? authoredAt : null);
  const deployMinutes = openPullRequest
    ? null
    : spanMinutes(deployStart, deployedAt);
  const leadTimeMinutes =
    deployMinutes === null
      ? null
      : (codingMinutes ?? 0) + (mergeMinutes ?? 0) + deployMinutes;
  return {
    codingMinutes,
    pickupMinutes,
    reviewMinutes,
    mergeMinutes,
    deployMinutes,
    leadTimeMinutes,
  };
}

/** The standard median: the middle value, or the mean of the two middle values; null for no values. @public */
export function median(values: readonly number[]): number | null {
  return sortedMedian([...values].sort((a, b) => a - b));
}

/**
 * {@link median} of values already sorted in ascending order (any array-like, e.g. a sorted `Float64Array`), without
 * copying them.
 *
 * @public
 */
export function sortedMedian(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The `p`-th percentile (0–1) by linear interpolation between the closest ranks, as PostgreSQL's `percentile_cont`:
 * the value at rank `p·(n − 1)` of the sorted values. `percentile(values, 0.5)` is the {@link median}; null for no
 * values.
 *
 * @public
 */
export function percentile(
  values: readonly number[],
  p: number,
): number | null {
  return sortedPercentile(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/**
 * {@link percentile} of values already sorted in ascending order (any array-like), without copying them.
 *
 * @public
 */
export function sortedPercentile(
  sorted: ArrayLike<number>,
  p: number,
): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/** The UTC calendar date of an instant, `YYYY-MM-DD`. @public */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * Deployment days per full bucket of `days` days, `[from + k·days, from + (k+1)·days)`, that fits in `[from, to)`; a
 * bucket's value is its number of distinct UTC dates with a counted deployment finished inside the bucket.
 *
 * @public
 */
export function deploymentDaysPerBucket(
  deploymentTimes: readonly number[],
  from: number,
  to: number,
  days: number,
): number[] {
  const size = days * DAY * MINUTE_MS;
  const count = Math.floor((to - from) / size);
  const buckets = Array.from({ length: count }, () => new Set<string>());
  for (const t of deploymentTimes) {
    if (t < from || t >= to) continue;
    const index = Math.floor((t - from) / size);
    if (index < count) buckets[index].add(utcDay(t));
  }
  return buckets.map(b => b.size);
}

/** Deployment-frequency tier. @public */
export function deploymentFrequencyTier(
  benchmark: DoraBenchmark,
  figures: {
    weeklyMedian: number | null;
    monthlyMedian: number | null;
    /** 2021 only: a counted deployment finished in `[to − 180 days, to)`. */
    deployedInLast180Days?: boolean;
  },
): DoraTier | null {
  const { weeklyMedian, monthlyMedian } = figures;
  if (weeklyMedian === null) return null;
  if (weeklyMedian >= 5) return 'elite';
  // 2024's clusters name the same frequencies as 2023's (on demand; daily to weekly; weekly to monthly; less often).
  if (benchmark !== '2021') {
    if (weeklyMedian >= 1) return 'high';
    return monthlyMedian !== null && monthlyMedian >= 1 ? 'medium' : 'low';
  }
  if (monthlyMedian !== null && monthlyMedian >= 1) return 'high';
  return figures.deployedInLast180Days ? 'medium' : 'low';
}

/** Lead-time tier: 2023 and 2024 &lt;24h, &lt;7d, &lt;30d; 2021 &lt;1h, &lt;7d, &lt;180d. @public */
export function leadTimeTier(
  benchmark: DoraBenchmark,
  medianMinutes: number | null,
): DoraTier | null {
  if (medianMinutes === null) return null;
  const [elite, high, medium] =
    benchmark !== '2021'
      ? [DAY, 7 * DAY, 30 * DAY]
      : [HOUR, 7 * DAY, 180 * DAY];
  if (medianMinutes < elite) return 'elite';
  if (medianMinutes < high) return 'high';
  if (medianMinutes < medium) return 'medium';
  return 'low';
}

/**
 * Change-failure-rate tier: 2023 ≤5%, ≤10%, ≤15%; 2021 ≤15%, ≤20%, ≤30%; 2024 ≤5% elite, ≤20% high, else low (the
 * 2024 medium cluster's 10% lies inside the high band, so no rate alone is medium).
 *
 * @public
 */
export function changeFailureRateTier(
  benchmark: DoraBenchmark,
  rate: number | null,
): DoraTier | null {
  if (rate === null) return null;
  const bands: Record<DoraBenchmark, Array<[number, DoraTier]>> = {
    '2023': [
      [0.05, 'elite'],
      [0.1, 'high'],
      [0.15, 'medium'],
    ],
    '2021': [
      [0.15, 'elite'],
      [0.2, 'high'],
      [0.3, 'medium'],
    ],
    '2024': [
      [0.05, 'elite'],
      [0.2, 'high'],
    ],
  };
  // Compare in whole basis points so that 1/20 counts as exactly 5%.
  const bp = Math.round(rate * 10_000);
  for (const [limit, tier] of bands[benchmark]) {
    if (bp <= Math.round(limit * 10_000)) return tier;
  }
  return 'low';
}

/**
 * Time-to-restore tier: 2023 and 2021 &lt;1h, &lt;24h, &lt;7d; 2024 (its failed-deployment recovery clusters) &lt;1h elite,
 * &lt;24h high, else low (the 2024 medium cluster's "less than a day" is the high band).
 *
 * @public
 */
export function timeToRestoreTier(
  medianMinutes: number | null,
  benchmark: DoraBenchmark = '2023',
): DoraTier | null {
  if (medianMinutes === null) return null;
  if (medianMinutes < HOUR) return 'elite';
  if (medianMinutes < DAY) return 'high';
  if (benchmark !== '2024' && medianMinutes < 7 * DAY) return 'medium';
  return 'low';
}

/**
 * Failed-deployment recovery time tier: the time-to-restore bands of the benchmark (2023 named the metric so; 2024
 * keeps it among its four keys).
 *
 * @public
 */
export function failedDeploymentRecoveryTimeTier(
  benchmark: DoraBenchmark,
  medianMinutes: number | null,
): DoraTier | null {
  return timeToRestoreTier(medianMinutes, benchmark);
}

/** A deployment as the rework and recovery rules read it (one entity's). @public */
export interface ReworkDeploymentInput {
  id: string;
  /** Epoch milliseconds. */
  finishedAt: number;
  /** A successful production deployment. */
  counted: boolean;
  /** Flagged `rework` by the sender. */
  rework: boolean;
}

/** An incident as the rework and recovery rules read it (one entity's). @public */
export interface ReworkIncidentInput {
  /** Epoch milliseconds. */
  createdAt: number;
  resolvedAt: number | null;
  /** The deployment the incident is linked to (the DORA link), null when none. */
  linkedDeploymentId: string | null;
}

/**
 * The counted deployments of one entity that are rework: those flagged `rework`, and those that restored an incident
 * caused by an earlier deployment, i.e. the first counted deployment finished after the incident was opened (all of
 * them when several finish at that instant), when it finished at or before the incident was resolved and after the
 * deployment the incident is linked to. `deployments` are all of the entity's (the linked one may not be counted).
 * Reference computation of the contract; the store computes the same in SQL.
 *
 * @public
 */
export function reworkDeploymentIds(
  deployments: readonly ReworkDeploymentInput[],
  incidents: readonly ReworkIncidentInput[],
): Set<string> {
  const counted = deployments.filter(d => d.counted);
  const result = new Set(counted.filter(d => d.rework).map(d => d.id));
  for (const incident of incidents) {
    const cause = deployments.find(d => d.id === incident.linkedDeploymentId);
    if (!cause || incident.resolvedAt === null) continue;
    const after = counted.filter(d => d.finishedAt > incident.createdAt);
    if (after.length === 0) continue;
    const first = Math.min(...after.map(d => d.finishedAt));
    if (first > incident.resolvedAt) continue;
    for (const d of after) {
      if (d.finishedAt === first && cause.finishedAt < d.finishedAt)
        result.add(d.id);
    }
  }
  return result;
}

/**
 * Recovery of a failed deployment: minutes (unrounded, at least 0) from its finish to the resolution of the last
 * incident linked to it; `'open'` while one of them is unresolved; null when none links to it (it did not fail).
 *
 * @public
 */
export function failedDeploymentRecoveryMinutes(
  deployment: { id: string; finishedAt: number },
  incidents: readonly ReworkIncidentInput[],
): number | 'open' | null {
  const linked = incidents.filter(i => i.linkedDeploymentId === deployment.id);
  if (linked.length === 0) return null;
  if (linked.some(i => i.resolvedAt === null)) return 'open';
  const restoredAt = Math.max(...linked.map(i => i.resolvedAt as number));
  return Math.max(0, restoredAt - deployment.finishedAt) / MINUTE_MS;
}
