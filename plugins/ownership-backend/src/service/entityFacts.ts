import { Entity } from '@backstage/catalog-model';
import { channelsOf, reachableCount } from './contacts';
import { kindOfRef, ownerRefOf, refOf } from './entityRefs';
import { OwnershipFacts } from './healthRules';

/** What the health rules need to know about an owner that is in the catalog. */
export interface OwnerInfo {
  title: string | null;
  /** Members of a group; 1 for any other owner (usually a user). */
  memberCount: number;
  /** Contact channels and paging services of the owner. */
  contactCount: number;
}

/** The display title of an entity: metadata.title, else a user's or group's spec.profile.displayName. */
export function titleOf(entity: Entity): string | null {
  const profile = entity.spec?.profile as { displayName?: unknown } | undefined;
  return (
    entity.metadata.title ??
    (typeof profile?.displayName === 'string' ? profile.displayName : null)
  );
}

/**
 * The facts the health rules look at for one entity, given its owner as found in the catalog (undefined when the
 * owner is not there). The snapshot and the live per-entity view both build them here, so that they agree.
 */
export function ownershipFactsOf(
  entity: Entity,
  owner: OwnerInfo | undefined,
): OwnershipFacts {
  const ownerRef = ownerRefOf(entity);
  return {
    entityRef: refOf(entity),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    ownerRef,
    ownerKind: ownerRef ? kindOfRef(ownerRef) : null,
    ownerExists: !!owner,
    ownerTitle: owner?.title ?? null,
    ownerMemberCount: owner ? owner.memberCount : null,
    contactCount:
      reachableCount(channelsOf(entity, 'entity')) + (owner?.contactCount ?? 0),
  };
}
