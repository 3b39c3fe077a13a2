import { InputError } from '@backstage/errors';
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
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Parses request input (a body, query or path parameters) with a zod schema; a failure throws an `InputError` (a 400)
 * whose message names every bad field, e.g. `Invalid query: limit: Too big: expected number to be <=500`. Missing input
 * (`undefined` or `null`) is parsed as `{}`.
 *
 * @public
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${describeZodError(result.error)}`);
  }
  return result.data;
}

/**
 * The message to show a user for a failed API call: the server's own message (e.g. which field was bad) when the error
 * is a Backstage `ResponseError`, otherwise the error's message.
 *
 * @public
 */
export function describeApiError(error: unknown): string {
  const e = error as {
    message?: string;
    body?: { error?: { message?: string } };
    cause?: { message?: string };
  };
  return (
    e?.body?.error?.message ?? e?.cause?.message ?? e?.message ?? String(error)
  );
}

/** The HTTP status of a failed API call, when known. @public */
export function statusOfApiError(error: unknown): number | undefined {
  return (error as { response?: { status?: number } })?.response?.status;
}
