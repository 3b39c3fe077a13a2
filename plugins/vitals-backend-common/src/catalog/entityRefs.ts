import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { normalizeEntityRef } from '@vitals/common';

/**
 * An entity's ref in the one normalised form every Vitals area stores, compares and keys by (`normalizeEntityRef`):
 * `component:default/payments-api` for an entity the catalog spells `Payments-API`.
 *
 * @public
 */
export function entityRefOf(entity: Entity): string {
  const ref = stringifyEntityRef(entity);
  return normalizeEntityRef(ref) ?? ref.toLocaleLowerCase('en-US');
}

/**
 * A full normalised ref from a possibly shorthand one as entities write them in `spec.owner` or `spec.system`
 * (`payments` → `group:default/payments`), or null when there is none or it is not a ref.
 *
 * @public
 */
export function fullEntityRef(
  ref: unknown,
  defaultKind: string,
  namespace: string,
): string | null {
  if (typeof ref !== 'string' || !ref.trim()) return null;
  return (
    normalizeEntityRef(ref.trim(), {
      defaultKind,
      defaultNamespace: namespace,
    }) ?? null
  );
}
