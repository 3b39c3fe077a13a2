import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';

/** The entity's ref as the scorecards API keeps it: `normalizeEntityRef` (lower-cased `kind:namespace/name`). */
export function entityRefKey(entity: Entity): string {
  const ref = stringifyEntityRef(entity);
  return normalizeEntityRef(ref) ?? ref.toLocaleLowerCase('en-US');
}
