import { RequestHandler } from 'express';
import type { AnyRequest } from './routeGuards';

const RAW_QUERY = Symbol('vitals.rawQuery');

/**
 * A middleware for the `middleware` option of `createOpenApiRouter`, which run before the OpenAPI validator: it keeps
 * the query as express parsed it, before the validator coerces its values in place. The validator reads every
 * spelling JavaScript accepts as a number (`1e2`, `0x64`, ` 100`, `+100`) as an integer; a handler that parses
 * {@link rawQueryOf} with zod holds the query to the stricter spelling its schema asks for (digits only, say).
 *
 * @public
 */
export function keepRawQuery(): RequestHandler {
  return (req, _res, next) => {
    (req as unknown as Record<symbol, unknown>)[RAW_QUERY] = { ...req.query };
    next();
  };
}

/**
 * The query as express parsed it, kept by {@link keepRawQuery}; `req.query` when nothing was kept.
 *
 * @public
 */
export function rawQueryOf(req: AnyRequest): Record<string, unknown> {
  return (
    ((req as unknown as Record<symbol, unknown>)[RAW_QUERY] as
      | Record<string, unknown>
      | undefined) ?? req.query
  );
}
