import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

/**
 * Parses a full or shorthand entity ref and returns its canonical, lower-cased form (`kind:namespace/name`), or
 * undefined when the value is not a ref with a kind.
 *
 * @public
 */
export function normalizeEntityRef(
  value: string,
  defaults?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  try {
    const ref = parseEntityRef(value, {
      defaultNamespace: defaults?.defaultNamespace ?? 'default',
      defaultKind: defaults?.defaultKind,
    });
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** A zod schema for an entity ref of any kind, e.g. `component:default/payments-api`; yields the canonical form. @public */
export const entityRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .transform((value, ctx) => {
    const ref = normalizeEntityRef(value);
    if (!ref) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${value}' is not an entity ref like component:default/my-service`,
      });
      return z.NEVER;
    }
    return ref;
  });

/** A zod schema for an entity ref of one kind; the kind may be left out (`jane` means `user:default/jane`). @public */
export function entityRefOfKindSchema(kind: string) {
  return z
    .string()
    .trim()
    .min(1)
    .max(512)
    .transform((value, ctx) => {
      const ref = normalizeEntityRef(value, { defaultKind: kind });
      if (!ref || !ref.startsWith(`${kind.toLocaleLowerCase('en-US')}:`)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `'${value}' is not a ${kind} ref like ${kind}:default/name`,
        });
        return z.NEVER;
      }
      return ref;
    });
}
