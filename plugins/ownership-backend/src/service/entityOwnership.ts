import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ConfirmationState,
  EntityOwnership,
  OwnershipPerson,
  safeContactUrl,
} from '@vitals/plugin-ownership-common';
import { OwnershipStore } from '../database/OwnershipStore';
import { channelsOf, reachableCount } from './contacts';
import { ownershipFactsOf, titleOf } from './entityFacts';
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
  confirmationCutoff,
  describeProblems,
  HealthRules,
} from './healthRules';

/** Members listed on the card; the count is always exact. */
export const MAX_LISTED_MEMBERS = 50;

function personOf(ref: string, user: Entity | undefined): OwnershipPerson {
  const profile = user?.spec?.profile as
    | { displayName?: unknown; email?: unknown }
    | undefined;
  return {
    ref,
    displayName:
      (typeof profile?.displayName === 'string' && profile.displayName) ||
      user?.metadata.title ||
      ref.replace(/^user:(default\/)?/, ''),
    email: typeof profile?.email === 'string' ? profile.email : null,
  };
}

/**
 * The ownership of one entity from the live catalog: owner with members and parent, contacts, on-call, and the
 * verdict under the same rules as the snapshot. Undefined when the catalog does not have the entity.
 */
export async function getEntityOwnership(options: {
  entityRef: string;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  store: OwnershipStore;
  rules: HealthRules;
  now?: Date;
}): Promise<EntityOwnership | undefined> {
  const { catalog, credentials, store, rules } = options;
  const now = options.now ?? new Date();
  const entity = await catalog.getEntityByRef(options.entityRef, {
    credentials,
  });
  if (!entity) return undefined;

  const entityRef = refOf(entity);
  const ownerRef = ownerRefOf(entity);
  const ownerEntity = ownerRef
    ? await catalog.getEntityByRef(ownerRef, { credentials })
    : undefined;

  let owner: EntityOwnership['owner'] = null;
  if (ownerRef) {
    const isGroup = ownerEntity && kindOfRef(ownerRef) === 'group';
    const memberRefs = isGroup
      ? [...new Set(relationTargets(ownerEntity, 'hasMember'))].sort()
      : [];
    const parentRef = isGroup ? parentOf(ownerEntity) : null;
    const listed = memberRefs.slice(0, MAX_LISTED_MEMBERS);
    const lookups = [...listed, ...(parentRef ? [parentRef] : [])];
    const { items } = lookups.length
      ? await catalog.getEntitiesByRefs(
          {
            entityRefs: lookups,
            fields: [
              'kind',
              'metadata.name',
              'metadata.namespace',
              'metadata.title',
              'spec.profile',
            ],
          },
          { credentials },
        )
      : { items: [] as Array<Entity | undefined> };
    let memberCount = 0;
    let members: NonNullable<EntityOwnership['owner']>['members'] = [];
    if (isGroup) {
      memberCount = memberRefs.length;
      members = listed.map((ref, n) => personOf(ref, items[n]));
    } else if (ownerEntity) {
      memberCount = 1;
      members = [personOf(ownerRef, ownerEntity)];
    }
    owner = {
      ref: ownerRef,
      kind: kindOfRef(ownerRef),
      exists: !!ownerEntity,
      title: ownerEntity ? titleOf(ownerEntity) : null,
      memberCount,
      members,
      parent: parentRef
        ? {
            ref: parentRef,
            title: items[listed.length] ? titleOf(items[listed.length]!) : null,
          }
        : null,
    };
  }

  const own = channelsOf(entity, 'entity');
  const owners = ownerEntity
    ? channelsOf(ownerEntity, 'owner')
    : { contacts: [], onCall: [] };
  const facts = ownershipFactsOf(
    entity,
    owner?.exists
      ? {
          title: owner.title,
          memberCount: owner.memberCount,
          contactCount: reachableCount(owners),
        }
      : undefined,
  );
  const checks = rules.checksFor(facts.kind);
  const problems = catalogProblemsOf(facts, checks);

  const confirmation = ownerRef
    ? await store.getConfirmation(entityRef, ownerRef)
    : undefined;
  const periodDays = rules.confirmationPeriodDays;
  const dueAt = confirmation
    ? new Date(
        Date.parse(confirmation.confirmedAt) + periodDays * 86_400_000,
      ).toISOString()
    : null;
  let status: ConfirmationState['status'] = 'not-applicable';
  if (confirmationApplies(facts, checks)) {
    if (!confirmation) status = 'never';
    else
      status =
        Date.parse(confirmation.confirmedAt) <
        confirmationCutoff(rules, now).getTime()
          ? 'due'
          : 'current';
    if (status !== 'current') problems.push('confirmation-overdue');
  }

  return {
    entityRef,
    kind: entity.kind,
    title: entity.metadata.title ?? null,
    systemRef: systemRefOf(entity),
    ownerRef,
    owner,
    contacts: [...own.contacts, ...owners.contacts],
    onCall: [...own.onCall, ...owners.onCall],
    // Only links a browser may follow: the API never hands out a javascript: or data: URL to render.
    links: (entity.metadata.links ?? []).flatMap(l => {
      const url = safeContactUrl(l.url);
      return url ? [{ url, title: l.title ?? null, type: l.type ?? null }] : [];
    }),
    healthy: problems.length === 0,
    problems: describeProblems(facts, problems, {
      confirmedAt: confirmation?.confirmedAt ?? null,
      confirmedBy: confirmation?.confirmedBy ?? null,
      periodDays,
    }),
    checks,
    confirmation: {
      status,
      lastConfirmedAt: confirmation?.confirmedAt ?? null,
      lastConfirmedBy: confirmation?.confirmedBy ?? null,
      dueAt,
      periodDays,
    },
  };
}
