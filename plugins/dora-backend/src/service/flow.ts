import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DORA_FLOW_PARTS,
  DoraFlow,
  DoraFlowFigure,
  DoraFlowPart,
  DoraFlowParts,
  DoraFlowTeam,
  DoraFlowTeamsResponse,
  DoraWaitingPullRequests,
  median,
  percentile,
} from '@vitals/plugin-dora-common';
import { DoraFlowStore, FlowRow } from '../database/DoraFlowReader';
import { loadGroups, pooledEntities } from './teams';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

/** The flow settings: `dora.flow.largePrLines` and `dora.flow.reviewOverdueHours`. */
export interface FlowSettings {
  largePrLines: number;
  reviewOverdueHours: number;
}

function figure(values: number[]): DoraFlowFigure {
  return {
    pullRequests: values.length,
    medianMinutes: median(values),
    p75Minutes: percentile(values, 0.75),
  };
}

/** The minutes of one part of a pull request, or null when it has none (pickup and review need a review before the merge). */
function partOf(row: FlowRow, part: DoraFlowPart): number | null {
  switch (part) {
    case 'coding':
      return row.codingMinutes;
    case 'pickup':
      return row.reviewed ? row.pickupMinutes : null;
    case 'review':
      return row.reviewed ? row.reviewMinutes : null;
    default:
      return row.deployMinutes;
  }
}

function partsOf(rows: FlowRow[]): DoraFlowParts {
  const parts = {} as DoraFlowParts;
  for (const part of DORA_FLOW_PARTS) {
    parts[part] = figure(
      rows.flatMap(row => {
        const minutes = partOf(row, part);
        return minutes === null ? [] : [minutes];
      }),
    );
  }
  return parts;
}

const isLarge = (row: FlowRow, threshold: number) =>
  row.linesChanged !== null && row.linesChanged > threshold;

/** The window's figures of a set of merged pull requests: counts, the four parts and the size. */
function flowFigures(rows: FlowRow[], threshold: number) {
  const sizes = rows.flatMap(row =>
    row.linesChanged === null ? [] : [row.linesChanged],
  );
  const large = rows.filter(row => isLarge(row, threshold)).length;
  return {
    pullRequests: rows.length,
    unreviewed: rows.filter(row => !row.reviewed).length,
    parts: partsOf(rows),
    size: {
      measured: sizes.length,
      medianLines: median(sizes),
      p75Lines: percentile(sizes, 0.75),
      largeThresholdLines: threshold,
      large,
      largeShare: sizes.length === 0 ? null : large / sizes.length,
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

/**
 * Every group's flow figures for the window and its waiting pull requests, each as `GET /v1/flow?entityRef=<group>`
 * and `GET /v1/flow/waiting` pool them, from one catalog read (all groups with their relations), one read of the merged
 * pull requests of every pooled entity and one count of the waiting ones per entity. Groups with no pull request merged
 * in the window and none waiting are left out.
 */
export async function computeFlowTeams(options: {
  store: DoraFlowStore;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  from: number;
  to: number;
  now: number;
  type?: string;
  settings: FlowSettings;
}): Promise<DoraFlowTeamsResponse> {
  const { store, from, to, now, settings } = options;
  const groups = await loadGroups(options.catalog, options.credentials);
  const type = options.type?.toLocaleLowerCase('en-US');
  const wanted = [...groups.values()].filter(
    g => !type || g.type?.toLocaleLowerCase('en-US') === type,
  );
  const pooled = await Promise.all(
    wanted.map(async g => ({
      group: g,
      refs: await pooledEntities(g, groups),
    })),
  );
  const everyRef = [...new Set(pooled.flatMap(p => p.refs))];
  const [rows, waiting] = await Promise.all([
    store.mergedPullRequests({ entityRefs: everyRef, from, to }),
    store.waitingCounts({
      entityRefs: everyRef,
      overdueAt: now - settings.reviewOverdueHours * HOUR_MS,
    }),
  ]);
  const rowsOf = new Map<string, FlowRow[]>();
  for (const row of rows) {
    const entityRows = rowsOf.get(row.entityRef);
    if (entityRows) entityRows.push(row);
    else rowsOf.set(row.entityRef, [row]);
  }
  const teams: DoraFlowTeam[] = [];
  for (const { group, refs } of pooled) {
    const groupRows = refs.flatMap(ref => rowsOf.get(ref) ?? []);
    const counts = refs.flatMap(ref => waiting.get(ref) ?? []);
    const totalCount = counts.reduce((sum, c) => sum + c.total, 0);
    if (groupRows.length === 0 && totalCount === 0) continue;
    teams.push({
      entityRef: group.ref,
      title: group.title,
      type: group.type,
      ...flowFigures(groupRows, settings.largePrLines),
      waiting: {
        totalCount,
        overdueCount: counts.reduce((sum, c) => sum + c.overdue, 0),
      },
    });
  }
  teams.sort((a, b) => (a.entityRef < b.entityRef ? -1 : 1));
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    asOf: new Date(now).toISOString(),
    overdueAfterHours: settings.reviewOverdueHours,
    teams,
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
