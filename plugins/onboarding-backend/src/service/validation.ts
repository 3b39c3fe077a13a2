import { InputError } from '@backstage/errors';
import { describeZodError } from '@vitals/common';
import { z } from 'zod';

/** Parses request input with a zod schema; a failure is a 400 whose message names every bad field. */
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
