import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNER_OF,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DoraBenchmark,
  DoraMetrics,
  DoraTeamMetrics,
  DoraTeamsResponse,
} from '@vitals/plugin-dora-common';
import { createHash } from 'node:crypto';
import { DoraStore, ScopeFigures } from '../database/DoraStore';
import { lowerRef, walkGroupTree } from './groupTree';
import {
  assembleMetrics,
  needsRecentDeployment,
  recentDeploymentWindow,
} from './metrics';

const CATALOG_PAGE = 500;

/** A group of the catalog: its title and type, its child groups and what it owns. */
export interface GroupNode {
  ref: string;
  title: string;
  type: string | null;
  children: string[];
  owned: string[];
}

function toNode(entity: Entity): GroupNode {
  const relations = entity.relations ?? [];
  const profile = (entity.spec?.profile ?? {}) as { displayName?: unknown };
  const type = typeof entity.spec?.type === 'string' ? entity.spec.type : null;
  return {
    ref: lowerRef(stringifyEntityRef(entity)),
    title:
      typeof profile.displayName === 'string' && profile.displayName
        ? profile.displayName
        : entity.metadata.title ?? entity.metadata.name,
    type,
    children: relations
      .filter(r => r.type === RELATION_PARENT_OF)
      .map(r => lowerRef(r.targetRef)),
    owned: relations
      .filter(r => r.type === RELATION_OWNER_OF)
      .map(r => lowerRef(r.targetRef)),
  };
}

/** Every group of the catalog with its child groups and what it owns, read in pages. */
export async function loadGroups(
  catalog: CatalogService,
  credentials: BackstageCredentials,
): Promise<Map<string, GroupNode>> {
  const groups = new Map<string, GroupNode>();
  let cursor: string | undefined;
  do {
    const page = await catalog.queryEntities(
      cursor
        ? { cursor, limit: CATALOG_PAGE }
        : {
            filter: { kind: 'group' },
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.title',
              'spec.type',
              'spec.profile.displayName',
              'relations',
            ],
            limit: CATALOG_PAGE,
          },
      { credentials },
    );
    for (const entity of page.items) {
      const node = toNode(entity);
      groups.set(node.ref, node);
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return groups;
}

/**
 * What a group pools: what it and its child groups own (the catalog's `ownerOf` and `parentOf` relations, the reverse
 * of the `ownedBy` relations a single group's metrics follow), sorted.
 */
export async function pooledEntities(
  root: GroupNode,
  groups: Map<string, GroupNode>,
): Promise<string[]> {
  const tree = await walkGroupTree({
    root,
    rootRef: root.ref,
    childRefs: group => group.children,
    load: refs => refs.flatMap(ref => groups.get(ref) ?? []),
  });
  return [...new Set(tree.groups.flatMap(group => group.owned))].sort();
}

const DAY_MS = 86_400_000;

/** What the figures of a group pool, as a short fingerprint: the sorted entity refs, hashed. */
const membersHash = (entityRefs: string[]) =>
  createHash('sha256').update(entityRefs.join('\n')).digest('hex');

/**
 * The metrics of every group that owns (directly or through child groups) at least one entity that has sent events,
 * each exactly as `GET /v1/metrics?entityRef=<group>` computes it, from one catalog read (all groups with their
 * relations).
 *
 * A group's figures are kept once computed for a window of whole UTC days (what the DORA pages ask for) and served
 * again while they hold: while the catalog pools the same entities for the group and none of them has been written
 * since (the sum of their data versions is unchanged). Only the groups whose figures do not hold are computed, with one
 * query per figure for all of them together: (group, entity) pairs joined against the indexed tables, medians per
 * group in SQL.
 */
export async function computeTeamMetrics(options: {
  store: DoraStore;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  from: number;
  to: number;
  benchmark: DoraBenchmark;
  type?: string;
}): Promise<DoraTeamsResponse> {
  const { store, catalog, credentials, from, to, benchmark } = options;
  const groups = await loadGroups(catalog, credentials);
  const wanted = [...groups.values()].filter(
    g =>
      !options.type ||
      (g.type !== null &&
        g.type.toLocaleLowerCase('en-US') ===
          options.type.toLocaleLowerCase('en-US')),
  );
  const pooled = new Map(
    await Promise.all(
      wanted.map(async g => [g.ref, await pooledEntities(g, groups)] as const),
    ),
  );
  // The data versions are read before any figure is computed (see DoraStore.scopeStates).
  const states = await store.scopeStates({
    scopes: pooled,
    from,
    to,
    benchmark,
  });

  const metricsOf = new Map<string, DoraMetrics>();
  const stale = new Map<string, string[]>();
  for (const [ref, entityRefs] of pooled) {
    const state = states.get(ref)!;
    // Groups none of whose entities ever sent events are left out.
    if (state.active === 0) continue;
    const stored = state.stored;
    if (
      stored &&
      stored.dataVersion === state.dataVersion &&
      stored.membersHash === membersHash(entityRefs)
    ) {
      const {
        entityRef,
        from: f,
        to: t,
        benchmark: b,
        ...figures
      } = JSON.parse(stored.metrics);
      metricsOf.set(ref, {
        entityRef,
        from: f,
        to: t,
        benchmark: b,
        entityRefs,
        ...figures,
      });
    } else {
      stale.set(ref, entityRefs);
    }
  }

  if (stale.size > 0) {
    const window = { scopes: stale, from, to };
    const [days, leadTimes, restores, recoveries] = await Promise.all([
      store.deploymentDaysByScope(window),
      store.leadTimeByScope(window),
      store.timeToRestoreByScope(window),
      store.recoveryByScope(window),
    ]);
    const recentAsked = new Map(
      [...stale].filter(([ref]) =>
        needsRecentDeployment(benchmark, days.get(ref) ?? [], from, to),
      ),
    );
    const recent = recentAsked.size
      ? await store.scopesWithCountedDeployment({
          scopes: recentAsked,
          ...recentDeploymentWindow(to),
        })
      : new Set<string>();
    const computed: ScopeFigures[] = [];
    for (const ref of stale.keys()) {
      const entityRefs = pooled.get(ref)!;
      const metrics = assembleMetrics(
        { entityRef: ref, entityRefs, from, to, benchmark },
        {
          days: days.get(ref) ?? [],
          leadTime: leadTimes.get(ref) ?? { count: 0, median: null },
          restore: restores.get(ref) ?? { count: 0, median: null },
          recovery: recoveries.get(ref) ?? { count: 0, median: null },
        },
        recentAsked.has(ref) ? recent.has(ref) : undefined,
      );
      metricsOf.set(ref, metrics);
      const { entityRefs: _pooled, ...kept } = metrics;
      computed.push({
        scopeRef: ref,
        membersHash: membersHash(entityRefs),
        dataVersion: states.get(ref)!.dataVersion,
        metrics: JSON.stringify(kept),
      });
    }
    // Only windows of whole days are kept: those are what the DORA pages ask for again and again; any other window is
    // most likely asked once.
    if (from % DAY_MS === 0 && to % DAY_MS === 0)
      await store.saveScopeFigures({ from, to, benchmark }, computed);
  }

  const teams: DoraTeamMetrics[] = [...metricsOf.keys()].sort().map(ref => {
    const group = groups.get(ref)!;
    return {
      entityRef: ref,
      title: group.title,
      type: group.type,
      metrics: metricsOf.get(ref)!,
    };
  });
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    benchmark,
    teams,
  };
}
