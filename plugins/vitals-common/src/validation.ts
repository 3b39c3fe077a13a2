import { z } from 'zod';

/**
 * Turns a zod error into one sentence that names every bad field, e.g.
 * `effortDays: Number must be greater than 0; category: Invalid enum value ...`.
 *
 * @public
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.length ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
