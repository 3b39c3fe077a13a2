import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { entityRefOf } from '@vitals/backend-common';
import { normalizeEntityRef } from '@vitals/common';
import { OnboardingTemplate } from '@vitals/plugin-onboarding-common';

const lower = (value: string) => value.toLocaleLowerCase('en-US');

const refOf = entityRefOf;

/** What the catalog says about a person. */
export interface UserContext {
  userRef: string;
  displayName: string | null;
  /** Groups the user is a direct member of. */
  directGroups: string[];
  /** Direct groups and all their ancestors. */
  groups: Set<string>;
  /** Group → its parent group. */
  parents: Map<string, string>;
  titles: Map<string, string>;
}

/** An entity a template may target. */
export interface TargetEntity {
  entityRef: string;
  kind: string;
  type?: string;
  ownerRef?: string;
}

/** Where a checklist comes from and which team it counts for. */
export interface Placement {
  checklistId: string;
  templateId: string;
  entityRef: string | null;
  teamRef: string | null;
  teamTitle: string | null;
}

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.parent',
  'spec.profile.displayName',
  'relations',
];
const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.type',
  'spec.owner',
];

function relationTargets(entity: Entity, type: string, kind: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => normalizeEntityRef(r.targetRef))
    .filter((ref): ref is string => !!ref?.startsWith(`${kind}:`));
}

function titleOf(entity: Entity): string | undefined {
  const profile = (entity.spec?.profile as { displayName?: string } | undefined)
    ?.displayName;
  return entity.metadata.title ?? profile ?? undefined;
}

function parentOf(group: Entity): string | undefined {
  const viaRelation = relationTargets(group, 'childOf', 'group')[0];
  if (viaRelation) return viaRelation;
  const parent = group.spec?.parent;
  return typeof parent === 'string'
    ? normalizeEntityRef(parent, {
        defaultKind: 'group',
        defaultNamespace: group.metadata.namespace ?? 'default',
      })
    : undefined;
}

/** Walks up from some groups to the root, filling parents and titles; returns every group seen. */
export async function loadGroupChains(
  catalog: CatalogService,
  start: string[],
  credentials: BackstageCredentials,
  into: { parents: Map<string, string>; titles: Map<string, string> },
): Promise<Set<string>> {
  const seen = new Set<string>();
  let frontier = [...new Set(start)];
  for (let depth = 0; frontier.length && depth < 20; depth++) {
    frontier.forEach(g => seen.add(g));
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: frontier, fields: GROUP_FIELDS },
      { credentials },
    );
    const next: string[] = [];
    for (const group of items) {
      if (!group) continue;
      const ref = refOf(group);
      const title = titleOf(group);
      if (title) into.titles.set(ref, title);
      const parent = parentOf(group);
      if (parent) {
        into.parents.set(ref, parent);
        if (!seen.has(parent)) next.push(parent);
      }
    }
    frontier = [...new Set(next)];
  }
  return seen;
}

/** The person's groups from the catalog, or undefined when the catalog has no such user. */
export async function loadUserContext(
  catalog: CatalogService,
  userRef: string,
  credentials: BackstageCredentials,
): Promise<UserContext | undefined> {
  const user = await catalog.getEntityByRef(userRef, { credentials });
  if (!user) return undefined;
  const directGroups = [
    ...new Set(relationTargets(user, 'memberOf', 'group')),
  ].sort();
  const parents = new Map<string, string>();
  const titles = new Map<string, string>();
  const groups = await loadGroupChains(catalog, directGroups, credentials, {
    parents,
    titles,
  });
  return {
    userRef,
    displayName: titleOf(user) ?? null,
    directGroups,
    groups,
    parents,
    titles,
  };
}

/** The group and its ancestors. */
export function chainOf(group: string, parents: Map<string, string>): string[] {
  const chain = [group];
  let current = parents.get(group);
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = parents.get(current);
  }
  return chain;
}

export function isEntityTemplate(template: OnboardingTemplate): boolean {
  const t = template.spec.targets;
  return !!(t.kinds || t.types || t.entityRefs);
}

/**
 * Whether an entity template targets an entity: named in entityRefs, or matching kinds and types (both optional,
 * ANDed); with `groups`, only entities owned by one of those groups or their descendants.
 */
export function templateTargetsEntity(
  template: OnboardingTemplate,
  entity: TargetEntity,
  ownerChain: string[],
): boolean {
  const t = template.spec.targets;
  if (!isEntityTemplate(template)) return false;
  const named = !!t.entityRefs?.includes(entity.entityRef);
  const byKind =
    !!(t.kinds || t.types) &&
    (!t.kinds || t.kinds.includes(entity.kind)) &&
    (!t.types || (!!entity.type && t.types.includes(entity.type)));
  if (!named && !byKind) return false;
  return !t.groups || ownerChain.some(g => t.groups!.includes(g));
}

export function toTargetEntity(entity: Entity): TargetEntity {
  const owner = entity.spec?.owner;
  return {
    entityRef: refOf(entity),
    kind: lower(entity.kind),
    type:
      typeof entity.spec?.type === 'string'
        ? lower(entity.spec.type)
        : undefined,
    ownerRef:
      typeof owner === 'string'
        ? normalizeEntityRef(owner, {
            defaultKind: 'group',
            defaultNamespace: entity.metadata.namespace ?? 'default',
          })
        : undefined,
  };
}

/** Entities owned by any of the given owners, following the catalog's cursor. */
export async function loadOwnedEntities(
  catalog: CatalogService,
  owners: string[],
  credentials: BackstageCredentials,
): Promise<TargetEntity[]> {
  if (!owners.length) return [];
  const out: TargetEntity[] = [];
  let response = await catalog.queryEntities(
    {
      filter: { 'relations.ownedBy': owners },
      fields: ENTITY_FIELDS,
      limit: 500,
    },
    { credentials },
  );
  out.push(...response.items.map(toTargetEntity));
  while (response.pageInfo.nextCursor) {
    response = await catalog.queryEntities(
      {
        cursor: response.pageInfo.nextCursor,
        fields: ENTITY_FIELDS,
        limit: 500,
      },
      { credentials },
    );
    out.push(...response.items.map(toTargetEntity));
  }
  return out;
}

export async function loadEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<TargetEntity | undefined> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  return entity ? toTargetEntity(entity) : undefined;
}

/**
 * The checklists a person has: one per team template targeting one of their groups (or an ancestor), counted for
 * their own team; and one per entity their groups own that an entity template targets, counted for the owner.
 */
export function placementsFor(
  ctx: UserContext,
  templates: OnboardingTemplate[],
  owned: TargetEntity[],
): Placement[] {
  const team: Placement[] = [];
  const entity: Placement[] = [];
  const fallbackTeam = ctx.directGroups[0] ?? null;
  for (const template of [...templates].sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  )) {
    const id = template.metadata.name;
    if (!isEntityTemplate(template)) {
      const targets = template.spec.targets.groups ?? [];
      const viaGroup = ctx.directGroups.find(g =>
        chainOf(g, ctx.parents).some(a => targets.includes(a)),
      );
      if (viaGroup) {
        team.push({
          checklistId: id,
          templateId: id,
          entityRef: null,
          teamRef: viaGroup,
          teamTitle: ctx.titles.get(viaGroup) ?? null,
        });
      }
      continue;
    }
    for (const e of [...owned].sort((a, b) =>
      a.entityRef.localeCompare(b.entityRef),
    )) {
      const chain = e.ownerRef ? chainOf(e.ownerRef, ctx.parents) : [];
      if (!templateTargetsEntity(template, e, chain)) continue;
      const teamRef = e.ownerRef?.startsWith('group:')
        ? e.ownerRef
        : fallbackTeam;
      entity.push({
        checklistId: `${id}:${e.entityRef}`,
        templateId: id,
        entityRef: e.entityRef,
        teamRef,
        teamTitle: teamRef ? ctx.titles.get(teamRef) ?? null : null,
      });
    }
  }
  return [...team, ...entity];
}
