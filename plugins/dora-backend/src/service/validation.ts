import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `events[3].finishedAt`: the path of a bad field the way the JSON body reads. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`))
    .join('');
}

/** At most this many problems are listed in one message; a batch of 5,000 bad events would otherwise be megabytes. */
const MAX_ISSUES = 10;

/**
 * Parses request input with a zod schema; a failure is a 400 whose message names each bad field with its position,
 * e.g. `Invalid events: events[3].finishedAt: Invalid input`.
 */
export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues;
    const text = issues
      .slice(0, MAX_ISSUES)
      .map(issue => `${formatPath(issue.path)}: ${issue.message}`)
      .join('; ');
    const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '';
    throw new InputError(`Invalid ${what}: ${text}${more}`);
  }
  return result.data;
}
