import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  loadExampleCatalog,
  routerTestApp,
  vitalsTestDatabases,
} from '@vitals/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseOwnershipStore } from '../database/DatabaseOwnershipStore';
import { createHealthRules } from './healthRules';
import { createRouter } from './router';
import { takeSnapshot } from './snapshot';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');
const NOW = new Date('2026-11-26T12:00:00Z');

/** What a database error's message looks like: SQL, table names, driver names. None of it may reach a caller. */
const SQL_TEXT =
  /insert into|delete from|select\s.*\sfrom|update\s+\S+\s+set|\bwhere\b|ownership_|sqlite|postgres|knex|violates|syntax error/i;

async function startApp(knex: Knex): Promise<express.Express> {
  const store = await DatabaseOwnershipStore.create({
    database: mockServices.database({ knex }),
  });
  const catalog = catalogServiceMock({ entities: loadExampleCatalog() });
  const rules = createHealthRules();
  await takeSnapshot({
    catalog,
    credentials: mockCredentials.service(),
    store,
    rules,
    now: NOW,
  });
  return routerTestApp(
    await createRouter({
      store,
      rules,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
      catalog,
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      now: () => NOW,
    }),
  );
}

// One database per suite: none of the bad requests may change it, and each test checks that it did not.
describe.each(databases.eachSupportedId())(
  'ownership router on %s: bad input never reaches the database',
  databaseId => {
    let knex: Knex;
    let app: express.Express;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      app = await startApp(knex);
    });

    /** Nothing a rejected request carried was written. */
    async function expectNothingWritten() {
      const [{ count }] = await knex('ownership_confirmations').count({
        count: '*',
      });
      expect(Number(count)).toBe(0);
    }

    const confirm = '/v1/entities/component/default/payments-api/confirmations';

    // [what, method, path, body, the field the 400 must name]
    const cases: Array<
      [string, 'get' | 'post', string, object | undefined, string]
    > = [
      ['NUL in a comment', 'post', confirm, { comment: 'a\u0000b' }, 'comment'],
      [
        'a comment over 1,000 characters',
        'post',
        confirm,
        { comment: 'x'.repeat(1001) },
        'comment',
      ],
      [
        'NUL in an entity name',
        'get',
        '/v1/entities/component/default/a%00b',
        undefined,
        'name',
      ],
      [
        'NUL in an entity name, confirming',
        'post',
        '/v1/entities/component/default/a%00b/confirmations',
        {},
        'name',
      ],
      [
        'NUL in a group name',
        'get',
        '/v1/groups/default/a%00',
        undefined,
        'name',
      ],
      [
        'NUL in a team filter',
        'get',
        '/v1/report?team=group:default/a%00b',
        undefined,
        'team',
      ],
      [
        'a team ref over 255 characters',
        'get',
        `/v1/report/problems.csv?team=${'x'.repeat(300)}`,
        undefined,
        'team',
      ],
      [
        'NUL in a system filter',
        'get',
        '/v1/report/problems?system=system:default/a%00b',
        undefined,
        'system',
      ],
      [
        'too many kinds',
        'get',
        `/v1/report?kind=${Array.from({ length: 101 }, () => 'component').join(
          ',',
        )}`,
        undefined,
        'kind',
      ],
      [
        'a page beyond 1,000 rows',
        'get',
        '/v1/groups?limit=1001',
        undefined,
        'limit',
      ],
      [
        'an offset beyond a million',
        'get',
        '/v1/report/problems?offset=1000001',
        undefined,
        'offset',
      ],
    ];

    it.each(cases)(
      'answers 400 naming the field for %s, without SQL text',
      async (_what, method, path, body, field) => {
        const res = await request(app)
          [method](path)
          .set('Authorization', GUEST)
          .send(body);
        expect({ status: res.status, name: res.body.error?.name }).toEqual({
          status: 400,
          name: 'InputError',
        });
        expect(res.body.error.message).toContain(field);
        expect(res.text).not.toMatch(SQL_TEXT);
        await expectNothingWritten();
      },
    );

    it('answers malformed JSON with a 400 from the body parser, without SQL text', async () => {
      const res = await request(app)
        .post(confirm)
        .set('Authorization', GUEST)
        .set('Content-Type', 'application/json')
        .send('{"comment": ');
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(SQL_TEXT);
      await expectNothingWritten();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'ownership router on %s: internal errors',
  databaseId => {
    it('answers a database failure with a bare 500 naming the log entry, never the SQL', async () => {
      const knex = await databases.init(databaseId);
      const app = await startApp(knex);
      await knex.schema.dropTable('ownership_history');
      const history = await request(app)
        .get('/v1/entities/component/default/payments-api/history')
        .set('Authorization', GUEST);
      expect(history.status).toBe(500);
      expect(history.body.error.message).toMatch(
        /^An internal error occurred.*logId=[0-9a-f]+/,
      );
      expect(history.text).not.toMatch(SQL_TEXT);
      const confirmed = await request(app)
        .post('/v1/entities/component/default/payments-api/confirmations')
        .set('Authorization', GUEST)
        .send({});
      expect(confirmed.status).toBe(500);
      expect(confirmed.text).not.toMatch(SQL_TEXT);
    });
  },
);
