import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseTechDebtStore } from '../database/DatabaseTechDebtStore';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const USER = mockCredentials.user.header('user:default/guest');

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'payments',
      system: 'payments',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

const validItem = {
  entityRef: 'component:default/payments-api',
  title: 'Upgrade Node.js',
  category: 'dependency',
  impact: 4,
  effortDays: 2,
};

/** What a database error's message looks like: SQL, table names, driver names. None of it may reach a caller. */
const SQL_TEXT =
  /insert into|delete from|select\s.*\sfrom|update\s+\S+\s+set|\bwhere\b|tech_debt_|sqlite|postgres|knex|violates|syntax error/i;

async function startApp(knex: Knex): Promise<express.Express> {
  const store = await DatabaseTechDebtStore.create({
    database: mockServices.database({ knex }),
  });
  return routerTestApp(
    await createRouter({
      store,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
      catalog: catalogServiceMock({ entities: ENTITIES }),
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    }),
  );
}

// One database per suite: none of the bad requests may change it, and each test checks that it did not.
describe.each(databases.eachSupportedId())(
  'tech-debt router on %s: bad input never reaches the database',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let itemId: string;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      app = await startApp(knex);
      const created = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send(validItem);
      if (created.status !== 201)
        throw new Error(`Could not create the test item: ${created.text}`);
      itemId = created.body.id;
    });

    /** Nothing a rejected request carried was written: still the one item, unchanged. */
    async function expectNothingWritten() {
      const [{ count }] = await knex('tech_debt_items').count({ count: '*' });
      expect(Number(count)).toBe(1);
      const item = await knex('tech_debt_items').where({ id: itemId }).first();
      expect(Number(item.version)).toBe(1);
    }

    const long = (n: number) => 'x'.repeat(n);

    // [what, method, path, body, the field the 400 must name]
    const cases: Array<
      [
        string,
        'get' | 'post' | 'patch' | 'put' | 'delete',
        string,
        object | undefined,
        string,
      ]
    > = [
      [
        'NUL in a title',
        'post',
        '/v1/items',
        { ...validItem, title: 'a\u0000b' },
        'title',
      ],
      [
        'NUL in a description',
        'post',
        '/v1/items',
        { ...validItem, description: 'a\u0000b' },
        'description',
      ],
      [
        'NUL in a tag',
        'post',
        '/v1/items',
        { ...validItem, tags: ['a\u0000b'] },
        'tags',
      ],
      [
        'NUL in an entity ref',
        'post',
        '/v1/items',
        { ...validItem, entityRef: 'component:default/a\u0000b' },
        'entityRef',
      ],
      [
        'NUL in an assignee',
        'post',
        '/v1/items',
        { ...validItem, assignee: 'user:default/a\u0000b' },
        'assignee',
      ],
      [
        'an assignee longer than its column once normalised',
        'post',
        '/v1/items',
        { ...validItem, assignee: long(510) },
        'assignee',
      ],
      [
        'the smallest double as effort',
        'post',
        '/v1/items',
        { ...validItem, effortDays: 5e-324 },
        'effortDays',
      ],
      [
        'a version beyond 32 bits',
        'patch',
        '/v1/items/:id',
        { version: 2 ** 31, title: 'x' },
        'version',
      ],
      [
        'NUL in a new title',
        'patch',
        '/v1/items/:id',
        { version: 1, title: 'a\u0000b' },
        'title',
      ],
      [
        'a delete version beyond 32 bits',
        'delete',
        '/v1/items/:id?version=99999999999',
        undefined,
        'version',
      ],
      [
        'a delete without version',
        'delete',
        '/v1/items/:id',
        undefined,
        'version',
      ],
      ['NUL in a search', 'get', '/v1/items?search=a%00b', undefined, 'search'],
      ['NUL in a tag filter', 'get', '/v1/items?tag=a%00b', undefined, 'tag'],
      [
        'NUL in an entity filter',
        'get',
        '/v1/items?entityRef=component:default/a%00b',
        undefined,
        'entityRef',
      ],
      [
        'NUL in an owner filter',
        'get',
        '/v1/items/export.csv?owner=group:default/a%00b',
        undefined,
        'owner',
      ],
      [
        'too many entity refs',
        'get',
        `/v1/items?entityRef=${Array.from(
          { length: 101 },
          (_, i) => `c${i}`,
        ).join(',')}`,
        undefined,
        'entityRef',
      ],
      [
        'NUL in a summary ref',
        'get',
        '/v1/summary?entityRef=component:default/a%00',
        undefined,
        'entityRef',
      ],
      [
        'NUL in a budget group',
        'get',
        '/v1/budgets/2026-Q1?groupRef=group:default/a%00',
        undefined,
        'groupRef',
      ],
      [
        'a budget version beyond 32 bits',
        'put',
        '/v1/budgets/2026-Q1?groupRef=payments',
        { capacityDays: 10, sharePercent: 10, version: 2 ** 31 },
        'version',
      ],
      [
        'a quarter in the year 9999',
        'get',
        '/v1/budgets/9999-Q4?groupRef=payments',
        undefined,
        'quarter',
      ],
    ];

    it.each(cases)(
      'answers 400 naming the field for %s, without SQL text',
      async (_what, method, path, body, field) => {
        const res = await request(app)
          [method](path.replace(':id', itemId))
          .set('Authorization', USER)
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
        .post('/v1/items')
        .set('Authorization', USER)
        .set('Content-Type', 'application/json')
        .send('{"title": ');
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(SQL_TEXT);
      await expectNothingWritten();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'tech-debt router on %s: internal errors',
  databaseId => {
    it('answers a database failure with a bare 500 naming the log entry, never the SQL', async () => {
      const knex = await databases.init(databaseId);
      const app = await startApp(knex);
      const created = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send(validItem);
      expect(created.status).toBe(201);
      await knex.schema.dropTable('tech_debt_item_events');
      const res = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send(validItem);
      expect(res.status).toBe(500);
      expect(res.body.error.message).toMatch(
        /^An internal error occurred.*logId=[0-9a-f]+/,
      );
      expect(res.text).not.toMatch(SQL_TEXT);
      const events = await request(app)
        .get(`/v1/items/${created.body.id}/events`)
        .set('Authorization', USER);
      expect(events.status).toBe(500);
      expect(events.text).not.toMatch(SQL_TEXT);
    });
  },
);
