import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DoraFlowTeam,
  DoraFlowTeamsResponse,
} from '@vitals/plugin-dora-common';
import { createHash } from 'node:crypto';
import {
  DoraFlowFiguresStore,
  FlowFiguresToKeep,
  FlowFiguresWindow,
  KeptFlowFigures,
  keptFiguresHold,
} from '../database/DoraFlowFigures';
import { DoraFlowStore, FlowRow } from '../database/DoraFlowReader';
import { FlowFigures, flowFigures, FlowSettings } from './flow';
import { GroupNode, loadGroups, pooledEntities } from './teams';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The windows the refresh keeps up to date: those the Flow page's window picker asks for, the last 30, 90 and 180 whole
 * UTC days up to the end of today (`[tomorrow − days, tomorrow)`).
 */
export const KEPT_WINDOW_DAYS = [30, 90, 180] as const;

/** How the flow org page's kept figures are served: see the README, "Figures kept for the flow org page". */
export interface FlowTeamFiguresSettings {
  /**
   * Kept figures of a group one of whose entities has been written since are still served while they are at most this
   * old (milliseconds); older, the request computes them again. Figures nothing has changed since are served whatever
   * their age.
   */
  maxStaleMs: number;
}

/** The default of `dora.flow.teamFiguresMaxStaleMinutes`: three runs of the refresh at its default frequency. */
export const DEFAULT_TEAM_FIGURES_MAX_STALE_MINUTES = 15;

/** The stores the flow org page reads: the merged and waiting pull requests, and the kept figures. */
export interface FlowTeamsStores {
  flow: DoraFlowStore;
  figures: DoraFlowFiguresStore;
}

/** What a group's figures are computed from, as a short fingerprint: the sorted entity refs, hashed. */
export const membersHash = (entityRefs: string[]) =>
  createHash('sha256').update(entityRefs.join('\n')).digest('hex');

export const isWholeDays = (from: number, to: number) =>
  from % DAY_MS === 0 && to % DAY_MS === 0;

/**
 * The windows the refresh keeps at `now`. Within `leadMs` of midnight UTC, tomorrow's too: figures computed that late
 * are still within the staleness bound when the Flow page starts asking for tomorrow's windows at midnight.
 */
export function keptWindows(
  now: number,
  leadMs: number,
): Array<{ from: number; to: number }> {
  const ends = [Math.floor(now / DAY_MS + 1) * DAY_MS];
  if (ends[0] - now <= leadMs) ends.push(ends[0] + DAY_MS);
  return ends.flatMap(to =>
    KEPT_WINDOW_DAYS.map(days => ({ from: to - days * DAY_MS, to })),
  );
}

/** Every group of the catalog (of one `spec.type` when given) with the entities it pools. */
export async function pooledGroups(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  type?: string,
): Promise<{ groups: Map<string, GroupNode>; pooled: Map<string, string[]> }> {
  const groups = await loadGroups(catalog, credentials);
  const wanted = type?.toLocaleLowerCase('en-US');
  const pooled = new Map(
    await Promise.all(
      [...groups.values()]
        .filter(g => !wanted || g.type?.toLocaleLowerCase('en-US') === wanted)
        .map(async g => [g.ref, await pooledEntities(g, groups)] as const),
    ),
  );
  return { groups, pooled };
}

/**
 * The figures of these groups in each of these windows, each exactly as `GET /v1/flow?entityRef=<group>` computes
 * them, from one read of the pull requests their entities merged over the span of the windows.
 */
async function computeFigures(
  flow: DoraFlowStore,
  windows: Array<{ from: number; to: number; groups: Map<string, string[]> }>,
  threshold: number,
): Promise<Array<Map<string, FlowFigures>>> {
  const entityRefs = [
    ...new Set(windows.flatMap(w => [...w.groups.values()].flat())),
  ];
  if (windows.length === 0) return [];
  const rows = await flow.mergedPullRequests({
    entityRefs,
    from: Math.min(...windows.map(w => w.from)),
    to: Math.max(...windows.map(w => w.to)),
  });
  const rowsOf = new Map<string, FlowRow[]>();
  for (const row of rows) {
    const entityRows = rowsOf.get(row.entityRef);
    if (entityRows) entityRows.push(row);
    else rowsOf.set(row.entityRef, [row]);
  }
  // Each group's rows once, by merge time, so that each window is one slice of them.
  const byGroup = new Map<string, FlowRow[]>();
  const rowsOfGroup = (ref: string, refs: string[]) => {
    let groupRows = byGroup.get(ref);
    if (!groupRows) {
      groupRows = refs.flatMap(entityRef => rowsOf.get(entityRef) ?? []);
      groupRows.sort((a, b) => a.mergedAt - b.mergedAt);
      byGroup.set(ref, groupRows);
    }
    return groupRows;
  };
  return windows.map(({ from, to, groups }) => {
    const figures = new Map<string, FlowFigures>();
    for (const [ref, refs] of groups) {
      const groupRows = rowsOfGroup(ref, refs);
      figures.set(
        ref,
        flowFigures(
          groupRows.slice(
            firstMergedAt(groupRows, from),
            firstMergedAt(groupRows, to),
          ),
          threshold,
        ),
      );
    }
    return figures;
  });
}

/** The index of the first of these rows (by merge time) merged at or after `at`. */
function firstMergedAt(rows: FlowRow[], at: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (rows[mid].mergedAt < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Figures to keep for one group. */
const toKeep = (
  scopeRef: string,
  entityRefs: string[],
  dataVersion: string,
  figures: FlowFigures,
): FlowFiguresToKeep => ({
  scopeRef,
  membersHash: membersHash(entityRefs),
  dataVersion,
  figures: JSON.stringify(figures),
});

/**
 * Every group's flow figures for the window and its waiting pull requests, each as `GET /v1/flow?entityRef=<group>`
 * and `GET /v1/flow/waiting` pool them, from one catalog read (all groups with their relations) and one count of the
 * waiting pull requests per entity. Groups with no pull request merged in the window and none waiting are left out.
 *
 * For a window of whole UTC days a group's figures are served from those kept for it when they were computed from the
 * same entities and either none of them has been written since (the sum of their data versions is unchanged) or they
 * are at most `maxStaleMs` old; the refresh ({@link refreshFlowTeamFigures}) keeps them so for the Flow page's
 * windows. Only the groups whose figures cannot be served are computed, with one read of their merged pull requests,
 * and kept. Any other window is computed on the request and not kept.
 */
export async function computeFlowTeams(options: {
  stores: FlowTeamsStores;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  from: number;
  to: number;
  now: number;
  type?: string;
  settings: FlowSettings;
  teamFigures: FlowTeamFiguresSettings;
}): Promise<DoraFlowTeamsResponse> {
  const { stores, from, to, now, settings } = options;
  const { groups, pooled } = await pooledGroups(
    options.catalog,
    options.credentials,
    options.type,
  );
  const everyRef = [...new Set([...pooled.values()].flat())];
  const window: FlowFiguresWindow = {
    from,
    to,
    largePrLines: settings.largePrLines,
  };
  const keeps = isWholeDays(from, to);

  const servedFigures = async () => {
    // The data versions are read before any figure is computed: figures kept with them can only look changed too
    // early, never unchanged when they are not.
    const [versions, kept] = keeps
      ? await Promise.all([
          stores.figures.dataVersions(pooled),
          stores.figures.kept(window, [...pooled.keys()]),
        ])
      : [new Map<string, string>(), new Map<string, KeptFlowFigures>()];
    const found = new Map<string, { figures: FlowFigures; at: number }>();
    const toCompute = new Map<string, string[]>();
    for (const [ref, refs] of pooled) {
      const stored = kept.get(ref);
      if (
        stored &&
        stored.membersHash === membersHash(refs) &&
        (stored.dataVersion === versions.get(ref) ||
          now - stored.computedAt <= options.teamFigures.maxStaleMs)
      )
        found.set(ref, {
          figures: JSON.parse(stored.figures),
          at: stored.computedAt,
        });
      else toCompute.set(ref, refs);
    }
    if (toCompute.size === 0) return found;
    const [computed] = await computeFigures(
      stores.flow,
      [{ from, to, groups: toCompute }],
      settings.largePrLines,
    );
    for (const [ref, figures] of computed) found.set(ref, { figures, at: now });
    // Only windows of whole days are kept: those are what the Flow page asks for again and again; any other window is
    // most likely asked once.
    if (keeps)
      await stores.figures.keep(
        window,
        now,
        [...computed].map(([ref, figures]) =>
          toKeep(ref, toCompute.get(ref)!, versions.get(ref)!, figures),
        ),
      );
    return found;
  };

  const [counts, served] = await Promise.all([
    stores.flow.waitingCounts({
      entityRefs: everyRef,
      overdueAt: now - settings.reviewOverdueHours * HOUR_MS,
    }),
    servedFigures(),
  ]);

  const teams: DoraFlowTeam[] = [];
  for (const [ref, refs] of pooled) {
    const { figures, at } = served.get(ref)!;
    const entityCounts = refs.flatMap(entityRef => counts.get(entityRef) ?? []);
    const totalCount = entityCounts.reduce((sum, c) => sum + c.total, 0);
    if (figures.pullRequests === 0 && totalCount === 0) continue;
    const group = groups.get(ref)!;
    teams.push({
      entityRef: ref,
      title: group.title,
      type: group.type,
      ...figures,
      waiting: {
        totalCount,
        overdueCount: entityCounts.reduce((sum, c) => sum + c.overdue, 0),
      },
      computedAt: new Date(at).toISOString(),
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

/** What one refresh did. */
export interface FlowTeamFiguresRefresh {
  /** Groups of the catalog. */
  groups: number;
  /** The windows kept (see {@link keptWindows}). */
  windows: number;
  /** (group, window) figures computed because those kept did not hold (none, other entities, written since). */
  computed: number;
}

/**
 * Brings the figures kept for the Flow page's windows ({@link keptWindows}, tomorrow's within the staleness bound of
 * midnight) up to date for every group of the catalog:
 * computes, with one read of their merged pull requests, the groups whose kept figures do not hold (none kept, the
 * catalog pools other entities, or one of them was written since), keeps them, and drops figures computed more than a
 * day ago (those of other windows, asked once). Runs as a scheduled task with scope `global` (one replica at a time);
 * running it twice, or beside a request that computes the same group, keeps one row per group and window, the newest.
 */
export async function refreshFlowTeamFigures(options: {
  stores: FlowTeamsStores;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  now: number;
  settings: Pick<FlowSettings, 'largePrLines'>;
  teamFigures: FlowTeamFiguresSettings;
}): Promise<FlowTeamFiguresRefresh> {
  const { stores, now } = options;
  const { largePrLines } = options.settings;
  await stores.figures.dropComputedBefore(now - DAY_MS);
  const { pooled } = await pooledGroups(options.catalog, options.credentials);
  const windows = keptWindows(now, options.teamFigures.maxStaleMs);
  const versions = await stores.figures.dataVersions(pooled);
  const due = await Promise.all(
    windows.map(async ({ from, to }) => {
      const kept = await stores.figures.kept({ from, to, largePrLines }, [
        ...pooled.keys(),
      ]);
      const groups = new Map(
        [...pooled].filter(
          ([ref, refs]) =>
            !keptFiguresHold(
              kept.get(ref),
              membersHash(refs),
              versions.get(ref),
            ),
        ),
      );
      return { from, to, groups };
    }),
  );
  const stale = due.filter(w => w.groups.size > 0);
  const computed = await computeFigures(stores.flow, stale, largePrLines);
  for (const [i, { from, to, groups }] of stale.entries())
    await stores.figures.keep(
      { from, to, largePrLines },
      now,
      [...computed[i]].map(([ref, figures]) =>
        toKeep(ref, groups.get(ref)!, versions.get(ref)!, figures),
      ),
    );
  return {
    groups: pooled.size,
    windows: windows.length,
    computed: stale.reduce((sum, w) => sum + w.groups.size, 0),
  };
}
