import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/**
 * The error to pass on when another backend refused a call with this HTTP status, so that the caller gets the same
 * status back with `message`: 400 an `InputError`, 403 a `NotAllowedError`, 404 a `NotFoundError`, 409 a
 * `ConflictError`. Undefined for any other status (or none), which the caller decides on: it is not the caller's
 * request that failed.
 *
 * @public
 */
export function errorForStatus(
  status: number | undefined,
  message: string,
): Error | undefined {
  switch (status) {
    case 400:
      return new InputError(message);
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    default:
      return undefined;
  }
}
