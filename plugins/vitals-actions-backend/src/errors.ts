import {
  AuthenticationError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { errorForStatus } from '@vitals/backend-common';
import { describeApiError } from '@vitals/common';

/** The HTTP status of a failed call of a Vitals client (a `ResponseError`), when there is one. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}

/**
 * The error an action throws when an area's API refused a call: the API's own message, as the error the MCP client
 * reads (`NotAllowedError: ...`). A 403 becomes a `NotAllowedError`, a 400 an `InputError`, a 404 a `NotFoundError`,
 * a 409 a `ConflictError`; an area that does not answer (no such plugin, a 5xx) a `ServiceUnavailableError`.
 */
export function toActionError(error: unknown, what: string): Error {
  const status = statusOf(error);
  const message = `${what}: ${describeApiError(error)}`;
  if (status === 401) return new AuthenticationError(message);
  return (
    errorForStatus(status, message) ?? new ServiceUnavailableError(message)
  );
}

/** Runs a call of an area's API and turns its refusal into the matching error ({@link toActionError}). */
export async function callArea<T>(what: string, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    throw toActionError(error, what);
  }
}

/** One area of a summary: its figures, or why it could not be read. */
export type AreaResult<T> =
  | ({ available: true } & T)
  | { available: false; reason: string };

/**
 * Reads one area of a summary. A summary spans areas that fail on their own (a plugin not installed, a refusal, a
 * timeout): a failed area is reported as unavailable with the reason instead of failing the summary.
 */
export async function readArea<T extends object>(
  area: string,
  fn: () => Promise<T>,
): Promise<AreaResult<T>> {
  try {
    return { available: true, ...(await fn()) };
  } catch (error) {
    const e = toActionError(error, `The ${area} API could not be read`);
    return { available: false, reason: `${e.name}: ${e.message}` };
  }
}
