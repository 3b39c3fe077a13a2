import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@vitals/common';

/**
 * The canonical form of an entity ref an agent sent (`kind:namespace/name`, lower case). The kind may be left out when
 * `defaultKind` is given (`payments` means `group:default/payments` for a team).
 */
export function entityRefOf(
  value: string,
  field: string,
  defaultKind?: string,
): string {
  const ref = normalizeEntityRef(
    value.trim(),
    defaultKind ? { defaultKind } : undefined,
  );
  if (!ref) {
    throw new InputError(
      `${field}: '${value}' is not an entity ref like component:default/payments-api`,
    );
  }
  if (defaultKind && !ref.startsWith(`${defaultKind}:`)) {
    throw new InputError(
      `${field}: '${value}' is not a ${defaultKind} ref like ${defaultKind}:default/name`,
    );
  }
  return ref;
}
