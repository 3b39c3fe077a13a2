import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';

/** Most answers of {@link normalizeEntityRef} remembered; all are forgotten when it is reached. */
const RECENT_REFS = 20_000;
const recentRefs = new Map<string, string | undefined>();

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
  // The same refs come again and again (every event of a batch names its entity), and locale-aware lower-casing is
  // slow: answers without defaults are remembered, a bounded number of them.
  if (!defaults && recentRefs.has(value)) return recentRefs.get(value);
  let normalized: string | undefined;
  try {
    const ref = parseEntityRef(value, {
      defaultNamespace: defaults?.defaultNamespace ?? 'default',
      defaultKind: defaults?.defaultKind,
    });
    normalized = stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    normalized = undefined;
  }
  if (!defaults) {
    if (recentRefs.size >= RECENT_REFS) recentRefs.clear();
    recentRefs.set(value, normalized);
  }
  return normalized;
}

/**
 * Whether text holds a control character (PostgreSQL refuses NUL in text, and no name or title needs the others);
 * `allowLineBreaks` lets tab, line feed and carriage return through, for multi-line text.
 *
 * @public
 */
export function hasControlCharacter(
  text: string,
  allowLineBreaks = false,
): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (allowLineBreaks && (code === 9 || code === 10 || code === 13)) continue;
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/** A zod schema for an entity ref of any kind, e.g. `component:default/payments-api`; yields the canonical form. @public */
export const entityRefSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .refine(value => !hasControlCharacter(value), {
    message: 'must not contain control characters',
  })
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
    .refine(value => !hasControlCharacter(value), {
      message: 'must not contain control characters',
    })
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
