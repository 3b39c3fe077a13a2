import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';

/**
 * The one spelling of an entity's ref the scorecards keep, store, query and key facts by: `normalizeEntityRef` of its
 * full ref (lower-cased `kind:namespace/name`), whatever case the catalog spells it in.
 */
export function entityRefOf(entity: Entity): string {
  const ref = stringifyEntityRef(entity);
  return normalizeEntityRef(ref) ?? ref.toLocaleLowerCase('en-US');
}
