import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';

/** Errors a router throws on purpose (those of @backstage/errors, and ours): their messages are written for the caller. */
const CALLER_ERROR_NAMES = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
  'TooManyRequestsError',
]);

function isCallerError(error: unknown): boolean {
  if (!isError(error)) return false;
  if (CALLER_ERROR_NAMES.has(error.name)) return true;
  // The JSON body parser's own 4xx errors (malformed JSON, too large) say what was wrong with the request.
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return (
    expose === true &&
    typeof status === 'number' &&
    status >= 400 &&
    status < 500
  );
}

/**
 * The last error handler of a Vitals router. An error the router did not throw on purpose — a database driver's, whose
 * message quotes the SQL, or a bug's — is logged in full and answered as a bare 500 that names only the log entry, so
 * that no SQL text, table name or stack reaches a caller. Backstage's own error handler hides PostgreSQL's errors but
 * not SQLite's.
 *
 * ```ts
 * router.use(hideInternalErrors(logger, 'tech-debt'));
 * ```
 *
 * @public
 */
export function hideInternalErrors(
  logger: LoggerService,
  pluginId: string,
): ErrorRequestHandler {
  return (error, req, _res, next) => {
    if (isCallerError(error)) {
      next(error);
      return;
    }
    const logId = randomBytes(8).toString('hex');
    logger.error(
      `${req.method} ${req.path} failed (logId=${logId})`,
      isError(error) ? error : new Error(String(error)),
    );
    const hidden = new Error(
      `An internal error occurred in the ${pluginId} backend (logId=${logId})`,
    );
    delete hidden.stack;
    next(hidden);
  };
}
