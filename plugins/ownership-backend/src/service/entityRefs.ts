import { Entity } from '@backstage/catalog-model';
import { entityRefOf, fullEntityRef } from '@vitals/backend-common';
import { normalizeEntityRef } from '@vitals/common';

/** The normalised ref of an entity, and a full ref from a shorthand one: one implementation for every area. */
export const refOf = entityRefOf;
export const fullRef = fullEntityRef;

export function kindOfRef(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

/** Targets of an entity's relations of one type, as normalised refs. */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .flatMap(r => normalizeEntityRef(r.targetRef) ?? []);
}

/** The parent group of a group: the childOf relation, else spec.parent. */
export function parentOf(group: Entity): string | null {
  return (
    relationTargets(group, 'childOf')[0] ??
    fullRef(group.spec?.parent, 'group', group.metadata.namespace ?? 'default')
  );
}

/** The owner of an entity as a full ref (spec.owner, defaulting to a group in the entity's namespace). */
export function ownerRefOf(entity: Entity): string | null {
  return fullRef(
    entity.spec?.owner,
    'group',
    entity.metadata.namespace ?? 'default',
  );
}

/** The system of an entity: spec.system, or the entity itself for a System. */
export function systemRefOf(entity: Entity): string | null {
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') return refOf(entity);
  return fullRef(
    entity.spec?.system,
    'system',
    entity.metadata.namespace ?? 'default',
  );
}
