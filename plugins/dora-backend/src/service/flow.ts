import {
  DORA_FLOW_PARTS,
  DoraFlow,
  DoraFlowFigure,
  DoraFlowPart,
  DoraFlowParts,
  DoraWaitingPullRequests,
  sortedMedian,
  sortedPercentile,
} from '@vitals/plugin-dora-common';
import { DoraFlowStore, FlowRow } from '../database/DoraFlowReader';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** The flow settings: `dora.flow.largePrLines` and `dora.flow.reviewOverdueHours`. */
export interface FlowSettings {
  largePrLines: number;
  reviewOverdueHours: number;
}

/** The median and p75 of these values (sorted here, in place). */
function figure(values: Float64Array): DoraFlowFigure {
  // Sorted once, numerically (a typed array's own sort), and read in place.
  const sorted = values.sort();
  return {
    pullRequests: sorted.length,
    medianMinutes: sortedMedian(sorted),
    p75Minutes: sortedPercentile(sorted, 0.75),
  };
}

/**
 * The four parts of a set of merged pull requests: each over the pull requests that have it (pickup and review need a
 * review before the merge). One pass over the rows.
 */
function partsOf(rows: FlowRow[]): DoraFlowParts {
  const values: Record<DoraFlowPart, Float64Array> = {
    coding: new Float64Array(rows.length),
    pickup: new Float64Array(rows.length),
    review: new Float64Array(rows.length),
    deploy: new Float64Array(rows.length),
  };
  const counts: Record<DoraFlowPart, number> = {
    coding: 0,
    pickup: 0,
    review: 0,
    deploy: 0,
  };
  const add = (part: DoraFlowPart, minutes: number | null) => {
    if (minutes !== null) values[part][counts[part]++] = minutes;
  };
  for (const row of rows) {
    add('coding', row.codingMinutes);
    if (row.reviewed) {
      add('pickup', row.pickupMinutes);
      add('review', row.reviewMinutes);
    }
    add('deploy', row.deployMinutes);
  }
  const parts = {} as DoraFlowParts;
  for (const part of DORA_FLOW_PARTS)
    parts[part] = figure(values[part].subarray(0, counts[part]));
  return parts;
}

const isLarge = (row: FlowRow, threshold: number) =>
  row.linesChanged !== null && row.linesChanged > threshold;

/** The window's figures of a set of merged pull requests: what `GET /v1/flow` answers besides the weeks. */
export type FlowFigures = Pick<
  DoraFlow,
  'pullRequests' | 'unreviewed' | 'parts' | 'size'
>;

/** The window's figures of a set of merged pull requests: counts, the four parts and the size. */
export function flowFigures(rows: FlowRow[], threshold: number): FlowFigures {
  const sizes = new Float64Array(rows.length);
  let measured = 0;
  let large = 0;
  let unreviewed = 0;
  for (const row of rows) {
    if (!row.reviewed) unreviewed++;
    if (row.linesChanged === null) continue;
    sizes[measured++] = row.linesChanged;
    if (row.linesChanged > threshold) large++;
  }
  const size = figure(sizes.subarray(0, measured));
  return {
    pullRequests: rows.length,
    unreviewed,
    parts: partsOf(rows),
    size: {
      measured,
      medianLines: size.medianMinutes,
      p75Lines: size.p75Minutes,
      largeThresholdLines: threshold,
      large,
      largeShare: measured === 0 ? null : large / measured,
    },
  };
}

/**
 * PR cycle time in four parts over the pull requests of a set of entities merged in `[from, to)`, with their size and
 * the series of full weeks from `from`: one indexed read of the merged pull requests, the figures computed from it.
 */
export async function computeFlow(
  store: DoraFlowStore,
  options: {
    entityRef: string;
    entityRefs: string[];
    from: number;
    to: number;
    settings: FlowSettings;
  },
): Promise<DoraFlow> {
  const { entityRefs, from, to } = options;
  const threshold = options.settings.largePrLines;
  const rows = await store.mergedPullRequests({ entityRefs, from, to });
  const weeks = Math.floor((to - from) / WEEK_MS);
  const byWeek = Array.from({ length: weeks }, () => [] as FlowRow[]);
  for (const row of rows) {
    const week = Math.floor((row.mergedAt - from) / WEEK_MS);
    if (week < weeks) byWeek[week].push(row);
  }
  return {
    entityRef: options.entityRef,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    entityRefs,
    ...flowFigures(rows, threshold),
    weeks: byWeek.map((weekRows, week) => ({
      start: new Date(from + week * WEEK_MS).toISOString(),
      pullRequests: weekRows.length,
      unreviewed: weekRows.filter(row => !row.reviewed).length,
      large: weekRows.filter(row => isLarge(row, threshold)).length,
      parts: partsOf(weekRows),
    })),
  };
}

/** Open pull requests of a set of entities waiting for a first review at `now`, oldest first. */
export async function computeWaiting(
  store: DoraFlowStore,
  options: {
    entityRef: string;
    entityRefs: string[];
    now: number;
    limit: number;
    offset: number;
    settings: FlowSettings;
  },
): Promise<DoraWaitingPullRequests> {
  const { now, settings } = options;
  const overdueMs = settings.reviewOverdueHours * HOUR_MS;
  const { items, totalCount, overdueCount } = await store.waitingPullRequests({
    entityRefs: options.entityRefs,
    overdueAt: now - overdueMs,
    limit: options.limit,
    offset: options.offset,
  });
  return {
    entityRef: options.entityRef,
    entityRefs: options.entityRefs,
    asOf: new Date(now).toISOString(),
    overdueAfterHours: settings.reviewOverdueHours,
    totalCount,
    overdueCount,
    items: items.map(row => {
      const waitedMs = Math.max(0, now - row.createdAt);
      return {
        id: row.id,
        entityRef: row.entityRef,
        sha: row.sha,
        author: row.author,
        url: row.url,
        createdAt: new Date(row.createdAt).toISOString(),
        additions: row.additions,
        deletions: row.deletions,
        linesChanged:
          row.additions === null && row.deletions === null
            ? null
            : (row.additions ?? 0) + (row.deletions ?? 0),
        waitedHours: Math.round((waitedMs / HOUR_MS) * 10) / 10,
        overdue: waitedMs >= overdueMs,
      };
    }),
  };
}
