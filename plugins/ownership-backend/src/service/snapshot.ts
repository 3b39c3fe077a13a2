import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { chunks } from '@vitals/backend-common';
import {
  GroupClosureRow,
  OwnershipStore,
  SnapshotEntity,
  SnapshotGroup,
  SnapshotResult,
} from '../database/OwnershipStore';
import {
  CatalogPageSource,
  catalogPages,
  DEFAULT_PAGE_SIZE,
} from './catalogPages';
import { channelsOf, reachableCount } from './contacts';
import { OwnerInfo, ownershipFactsOf, titleOf } from './entityFacts';
import {
  kindOfRef,
  ownerRefOf,
  parentOf,
  refOf,
  relationTargets,
  systemRefOf,
} from './entityRefs';
import {
  catalogProblemsOf,
  confirmationApplies,
  HealthRules,
} from './healthRules';

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'metadata.links',
  'spec.profile',
  'spec.parent',
  'relations',
];

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'metadata.links',
  'spec.owner',
  'spec.system',
];

const OTHER_OWNER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'metadata.links',
  'spec.profile',
];

/** Every group with each of its ancestors (and itself at depth 0); cycles and unknown parents end the walk. */
export function groupClosure(
  groups: Map<string, { parentRef: string | null }>,
): GroupClosureRow[] {
  const rows: GroupClosureRow[] = [];
  for (const groupRef of groups.keys()) {
    const seen = new Set<string>();
    let current: string | null = groupRef;
    let depth = 0;
    while (current && groups.has(current) && !seen.has(current)) {
      seen.add(current);
      rows.push({ ancestorRef: current, descendantRef: groupRef, depth });
      current = groups.get(current)!.parentRef;
      depth += 1;
    }
  }
  return rows;
}

/**
 * Reads groups and the checked kinds from the catalog a page at a time, applies the health rules and replaces the
 * stored snapshot; owner changes since the last observation become history rows.
 */
export async function takeSnapshot(options: {
  catalog: CatalogPageSource;
  credentials: BackstageCredentials;
  store: OwnershipStore;
  rules: HealthRules;
  logger?: LoggerService;
  now?: Date;
  pageSize?: number;
}): Promise<SnapshotResult & { durationMs: number }> {
  const { catalog, credentials, store, rules, logger } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const started = Date.now();
  const takenAt = options.now ?? new Date();

  const groups = new Map<string, SnapshotGroup & OwnerInfo>();
  for await (const page of catalogPages(
    catalog,
    { filter: { kind: 'group' }, fields: GROUP_FIELDS },
    credentials,
    pageSize,
  )) {
    for (const group of page) {
      const groupRef = refOf(group);
      const memberCount = new Set(relationTargets(group, 'hasMember')).size;
      groups.set(groupRef, {
        groupRef,
        title: titleOf(group),
        parentRef: parentOf(group),
        memberCount,
        contactCount: reachableCount(channelsOf(group, 'owner')),
      });
    }
  }

  const entities: Entity[] = [];
  if (rules.kinds.length) {
    for await (const page of catalogPages(
      catalog,
      { filter: { kind: rules.kinds }, fields: ENTITY_FIELDS },
      credentials,
      pageSize,
    )) {
      entities.push(...page);
    }
  }

  // Owners that are not groups (usually users) are looked up by ref, in pages.
  const otherOwnerRefs = [
    ...new Set(
      entities
        .map(ownerRefOf)
        .filter((ref): ref is string => !!ref && kindOfRef(ref) !== 'group'),
    ),
  ];
  const otherOwners = new Map<string, OwnerInfo>();
  for (const refs of chunks(otherOwnerRefs, pageSize)) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: OTHER_OWNER_FIELDS },
      { credentials },
    );
    items.forEach((owner, index) => {
      if (!owner) return;
      otherOwners.set(refs[index], {
        title: titleOf(owner),
        memberCount: 1,
        contactCount: reachableCount(channelsOf(owner, 'owner')),
      });
    });
  }

  const rows: SnapshotEntity[] = entities.map(entity => {
    const ownerRef = ownerRefOf(entity);
    const facts = ownershipFactsOf(
      entity,
      ownerRef ? groups.get(ownerRef) ?? otherOwners.get(ownerRef) : undefined,
    );
    const checks = rules.checksFor(facts.kind);
    return {
      ...facts,
      title: entity.metadata.title ?? null,
      systemRef: systemRefOf(entity),
      problems: catalogProblemsOf(facts, checks),
      confirmationApplies: confirmationApplies(facts, checks),
    };
  });

  const result = await store.replaceSnapshot({
    entities: rows,
    groups: [...groups.values()].map(
      ({ groupRef, title, parentRef, memberCount }) => ({
        groupRef,
        title,
        parentRef,
        memberCount,
      }),
    ),
    closure: groupClosure(groups),
    takenAt,
  });
  const durationMs = Date.now() - started;
  logger?.info(
    `Ownership snapshot: ${result.entities} entities, ${result.groups} groups, ${result.firstSeen} first seen, ` +
      `${result.ownerChanges} owner changes in ${durationMs} ms`,
  );
  return { ...result, durationMs };
}
