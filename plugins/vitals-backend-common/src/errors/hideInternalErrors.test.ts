import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConflictError, InputError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { hideInternalErrors } from './hideInternalErrors';

function appThrowing(error: unknown) {
  const logger = mockServices.logger.mock();
  const app = express();
  app.use(express.json());
  app.post('/echo', (req, res) => res.json(req.body));
  app.get('/fail', () => {
    throw error;
  });
  app.use(hideInternalErrors(logger, 'widgets'));
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger,
    }).error(),
  );
  return { app, logger };
}

describe('hideInternalErrors', () => {
  it('answers a database error as a bare 500 naming a log entry, and logs the SQL', async () => {
    const sqlError = Object.assign(
      new Error(
        'insert into "widgets" ("id") values (1) - SQLITE_CONSTRAINT: NOT NULL',
      ),
      {
        name: 'SqliteError',
      },
    );
    const { app, logger } = appThrowing(sqlError);
    const res = await request(app).get('/fail');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/insert into|SQLITE|widgets"/);
    expect(res.body.error.message).toMatch(
      /^An internal error occurred in the widgets backend \(logId=[0-9a-f]{16}\)$/,
    );
    const logId = res.body.error.message.match(/logId=([0-9a-f]+)/)[1];
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(logId),
      sqlError,
    );
  });

  it("passes the caller's own errors through with their status and message", async () => {
    expect(
      (
        await request(appThrowing(new InputError('title: too long')).app).get(
          '/fail',
        )
      ).body.error,
    ).toMatchObject({
      name: 'InputError',
      message: 'title: too long',
    });
    expect(
      (
        await request(appThrowing(new ConflictError('stale version')).app).get(
          '/fail',
        )
      ).status,
    ).toBe(409);
    const malformed = await request(appThrowing(new Error('unused')).app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"not json');
    expect(malformed.status).toBe(400);
  });
});
