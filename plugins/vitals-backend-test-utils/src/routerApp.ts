import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';

/**
 * A plugin's router as a router test serves it (with supertest): in an express app followed by the backend's own
 * error handler, so that a thrown `InputError`, `NotFoundError` or `AuthenticationError` is answered the way the
 * backend answers it — its status and `{ error: { name, message }, response: { statusCode } }`.
 *
 * @public
 */
export function routerTestApp(router: express.Router): express.Express {
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  return express().use(router).use(middleware.error());
}
