import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { DatabaseTechDebtStore } from '../database/DatabaseTechDebtStore';
import { createRouter } from './router';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

/** SQLite, and PostgreSQL when one answers: for what the store does in SQL. */
const sqlDatabases = vitalsTestDatabases();

const USER = mockCredentials.user.header('user:default/guest');
/** A service principal, e.g. CI calling with a static external-access token. */
const SERVICE = mockCredentials.service.header();

const component = (name: string, owner: string, system: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner, system },
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const ENTITIES: Entity[] = [
  component('payments-api', 'payments', 'payments'),
  component(
    'ledger-service',
    'group:default/payments',
    'system:default/payments',
  ),
  component('checkout-api', 'storefront', 'storefront'),
  group('payments'),
  group('storefront'),
];

/** Denies every permission on these resources, allows everything else. */
const DENIED = new Set([
  'component:default/checkout-api',
  'group:default/storefront',
]);

const validItem = {
  entityRef: 'component:default/payments-api',
  title: 'Upgrade Node.js',
  description: 'EOL runtime',
  category: 'dependency',
  impact: 4,
  effortDays: 2,
  interestHoursPerMonth: 8,
  tags: ['Runtime', 'runtime', 'security'],
};

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let store: DatabaseTechDebtStore;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  let permissions: ReturnType<typeof mockServices.permissions.mock>;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    store = await DatabaseTechDebtStore.create({
      database: mockServices.database({ knex }),
    });
    auditor = mockServices.auditor.mock();
    permissions = mockServices.permissions.mock({
      authorize: jest.fn(async (requests: AuthorizePermissionRequest[]) =>
        requests.map(r => ({
          result:
            r.resourceRef && DENIED.has(r.resourceRef)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      ),
    });
    const router = await createRouter({
      store,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog: catalogServiceMock({ entities: ENTITIES }),
      auditor,
      logger: mockServices.logger.mock(),
      // Every answer these tests get is also held to the spec's response schemas.
      validateResponses: true,
    });
    const middleware = MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    });
    app = express().use(router).use(middleware.error());
  });

  afterEach(async () => {
    await knex.destroy();
  });

  async function create(body: object = {}): Promise<DebtItem> {
    const res = await request(app)
      .post('/v1/items')
      .set('Authorization', USER)
      .send({ ...validItem, ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('POST /v1/items', () => {
    it('creates an item with its priority and the owner and system from the catalog', async () => {
      const res = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send({ ...validItem, entityRef: 'Component:payments-api' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        systemRef: 'system:default/payments',
        title: 'Upgrade Node.js',
        status: 'open',
        priority: 2.5,
        tags: ['runtime', 'security'],
        version: 1,
        createdBy: 'user:default/guest',
        assignee: null,
        trackerUrl: null,
      });

      const get = await request(app)
        .get(`/v1/items/${res.body.id}`)
        .set('Authorization', USER);
      expect(get.status).toBe(200);
      expect(get.body).toEqual(res.body);

      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'tech-debt.item.create',
            }),
            resourceRef: 'component:default/payments-api',
          },
        ],
        expect.anything(),
      );
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-item-create',
          meta: expect.objectContaining({
            entityRef: 'component:default/payments-api',
          }),
        }),
      );
      const event = await auditor.createEvent.mock.results[0].value;
      expect(event.success).toHaveBeenCalled();
      expect(event.fail).not.toHaveBeenCalled();
    });

    it.each([
      ['effortDays', { effortDays: 0 }],
      ['category', { category: 'vibes' }],
      ['entityRef', { entityRef: 'not a ref' }],
      ['impact', { impact: 6 }],
      ['title', { title: '   ' }],
      ['trackerUrl', { trackerUrl: 'ftp://files.example.com/x' }],
      ['assignee', { assignee: 'group:default/payments' }],
      ['priority', { priority: 99 }],
      // The smallest double used to give priority Infinity.
      ['effortDays', { effortDays: 5e-324 }],
      ['effortDays', { effortDays: 1e6 }],
      ['interestHoursPerMonth', { interestHoursPerMonth: 1e9 }],
      ['title', { title: 'x'.repeat(201) }],
      ['title', { title: 'nul\u0000' }],
      ['description', { description: 'x'.repeat(20_001) }],
      ['tags', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }],
      ['assignee', { assignee: `user:default/${'x'.repeat(500)}` }],
    ])('answers 400 naming %s for a bad body', async (field, body) => {
      const res = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send({ ...validItem, ...body });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
      expect(
        (
          await store.listItems({
            orderBy: 'priority',
            order: 'desc',
            limit: 10,
            offset: 0,
          })
        ).totalCount,
      ).toBe(0);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });

    it('answers 400 for an entity the catalog does not know', async () => {
      const res = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send({ ...validItem, entityRef: 'component:default/does-not-exist' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'component:default/does-not-exist',
      );
      expect(res.body.error.message).toContain('not an entity in the catalog');
    });

    it('answers 401 without credentials', async () => {
      const res = await request(app).post('/v1/items').send(validItem);
      expect(res.status).toBe(401);
      const list = await request(app).get('/v1/items');
      expect(list.status).toBe(401);
    });

    it('answers 403 when the permission is denied and writes nothing', async () => {
      const res = await request(app)
        .post('/v1/items')
        .set('Authorization', USER)
        .send({ ...validItem, entityRef: 'component:default/checkout-api' });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain(
        'component:default/checkout-api',
      );
      await expect(store.countItems()).resolves.toBe(0);
      await expect(store.hasHistory()).resolves.toBe(false);
      expect(auditor.createEvent).not.toHaveBeenCalled();
    });
  });

  describe('single items', () => {
    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = '6a1b8f5e-1111-4222-8333-444455556666';
      for (const [method, path] of [
        ['get', `/v1/items/${unknown}`],
        ['get', `/v1/items/${unknown}/events`],
        ['patch', `/v1/items/${unknown}`],
        ['delete', `/v1/items/${unknown}?version=1`],
      ] as const) {
        const res = await request(app)
          [method](path)
          .set('Authorization', USER)
          .send(method === 'patch' ? { version: 1, title: 'x' } : undefined);
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: 404,
        });
        expect(res.body.error.name).toBe('NotFoundError');
      }
      for (const [method, path] of [
        ['get', '/v1/items/not-an-id'],
        ['get', "/v1/items/1'%20or%20'1'='1/events"],
        ['patch', '/v1/items/42'],
        ['delete', '/v1/items/not-an-id?version=1'],
      ] as const) {
        const res = await request(app)
          [method](path)
          .set('Authorization', USER)
          .send(method === 'patch' ? { version: 1, title: 'x' } : undefined);
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: 400,
        });
        // The spec's validator answers before the handler: the path parameter `id` must be a UUID.
        expect(res.body.error.message).toBe(
          'request/params/id must match format "uuid"',
        );
      }
    });

    it('updates with the current version, answers 409 on a stale one, and shows the history', async () => {
      const item = await create();
      const ok = await request(app)
        .patch(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .send({ version: 1, status: 'resolved', effortDays: 4 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        version: 2,
        status: 'resolved',
        effortDays: 4,
        priority: 1.25,
      });
      expect(ok.body.resolvedAt).not.toBeNull();
      expect(auditor.createEvent).toHaveBeenLastCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-item-update',
          meta: expect.objectContaining({ itemId: item.id }),
        }),
      );

      const stale = await request(app)
        .patch(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .send({ version: 1, title: 'Lost update' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.name).toBe('ConflictError');
      const failed = await auditor.createEvent.mock.results.at(-1)!.value;
      expect(failed.fail).toHaveBeenCalled();

      const current = await request(app)
        .get(`/v1/items/${item.id}`)
        .set('Authorization', USER);
      expect(current.body).toMatchObject({
        title: 'Upgrade Node.js',
        version: 2,
      });

      const events = await request(app)
        .get(`/v1/items/${item.id}/events`)
        .set('Authorization', USER);
      expect(events.status).toBe(200);
      expect(
        events.body.events.map((e: { action: string }) => e.action),
      ).toEqual(['updated', 'created']);
      expect(events.body.events[0].changes).toEqual({
        status: { from: 'open', to: 'resolved' },
        effortDays: { from: 2, to: 4 },
      });
      expect(events.body.events[0].actor).toBe('user:default/guest');
    });

    it('answers 400 naming the field for a PATCH out of bounds, and keeps the item', async () => {
      const item = await create();
      for (const [field, body] of [
        ['effortDays', { version: 1, effortDays: 5e-324 }],
        ['interestHoursPerMonth', { version: 1, interestHoursPerMonth: 1001 }],
        ['version', { version: 2 ** 31, title: 'x' }],
        ['version', { version: 2 ** 53 - 1, title: 'x' }],
      ] as const) {
        const res = await request(app)
          .patch(`/v1/items/${item.id}`)
          .set('Authorization', USER)
          .send(body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.error.message).toContain(field);
      }
      await expect(store.getItem(item.id)).resolves.toMatchObject({
        version: 1,
        effortDays: 2,
        priority: 2.5,
      });
    });

    it('answers 400 for a PATCH without version or with unknown fields', async () => {
      const item = await create();
      const noVersion = await request(app)
        .patch(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .send({ title: 'x' });
      expect(noVersion.status).toBe(400);
      expect(noVersion.body.error.message).toContain('version');
      const readOnly = await request(app)
        .patch(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .send({ version: 1, entityRef: 'component:default/ledger-service' });
      expect(readOnly.status).toBe(400);
      expect(readOnly.body.error.message).toContain('entityRef');
    });

    it('answers 403 for a PATCH or DELETE on an item of an entity the user may not edit', async () => {
      // Created while allowed, e.g. before the team changed.
      const created = await store.createItem(
        {
          entityRef: 'component:default/checkout-api',
          ownerRef: 'group:default/storefront',
          systemRef: 'system:default/storefront',
          title: 'Not yours',
          description: '',
          category: 'code',
          impact: 2,
          effortDays: 1,
          interestHoursPerMonth: null,
          status: 'open',
          assignee: null,
          trackerUrl: null,
          tags: [],
        },
        'user:default/li.wei',
      );
      const patch = await request(app)
        .patch(`/v1/items/${created.id}`)
        .set('Authorization', USER)
        .send({ version: 1, title: 'Mine now' });
      expect(patch.status).toBe(403);
      const del = await request(app)
        .delete(`/v1/items/${created.id}?version=1`)
        .set('Authorization', USER);
      expect(del.status).toBe(403);
      await expect(store.getItem(created.id)).resolves.toMatchObject({
        title: 'Not yours',
        version: 1,
      });
    });

    it('deletes with the current version and answers 409 on a stale one', async () => {
      const item = await create();
      await request(app)
        .patch(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .send({ version: 1, impact: 5 })
        .expect(200);

      const stale = await request(app)
        .delete(`/v1/items/${item.id}?version=1`)
        .set('Authorization', USER);
      expect(stale.status).toBe(409);
      await request(app)
        .get(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .expect(200);

      const bad = await request(app)
        .delete(`/v1/items/${item.id}?version=abc`)
        .set('Authorization', USER);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('version');

      const ok = await request(app)
        .delete(`/v1/items/${item.id}?version=2`)
        .set('Authorization', USER);
      expect(ok.status).toBe(204);
      await request(app)
        .get(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .expect(404);
      expect(auditor.createEvent).toHaveBeenLastCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-item-delete',
          meta: expect.objectContaining({ itemId: item.id }),
        }),
      );
      // History outlives the item.
      const events = await request(app)
        .get(`/v1/items/${item.id}/events`)
        .set('Authorization', USER);
      expect(events.status).toBe(200);
      expect(
        events.body.events.map((e: { action: string }) => e.action),
      ).toEqual(['deleted', 'updated', 'created']);
    });

    it('answers 400 naming version for a DELETE without one, and keeps the item', async () => {
      const item = await create();
      const res = await request(app)
        .delete(`/v1/items/${item.id}`)
        .set('Authorization', USER);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain('version');
      await request(app)
        .get(`/v1/items/${item.id}`)
        .set('Authorization', USER)
        .expect(200);
      expect(auditor.createEvent).toHaveBeenCalledTimes(1); // the create only
    });
  });

  describe('writes are for people only', () => {
    it('answers 403 to a service principal for every write and writes nothing, while services may read', async () => {
      const item = await create();
      const writes = [
        request(app)
          .post('/v1/items')
          .set('Authorization', SERVICE)
          .send(validItem),
        request(app)
          .patch(`/v1/items/${item.id}`)
          .set('Authorization', SERVICE)
          .send({ version: 1, title: 'By a token' }),
        request(app)
          .delete(`/v1/items/${item.id}?version=1`)
          .set('Authorization', SERVICE),
        request(app)
          .put('/v1/budgets/2026-Q2?groupRef=group:default/payments')
          .set('Authorization', SERVICE)
          .send({ capacityDays: 100, sharePercent: 20 }),
      ];
      for (const res of await Promise.all(writes)) {
        expect({ method: res.request.method, status: res.status }).toEqual({
          method: res.request.method,
          status: 403,
        });
        expect(res.body.error.name).toBe('NotAllowedError');
      }
      await expect(store.countItems()).resolves.toBe(1);
      await expect(store.getItem(item.id)).resolves.toMatchObject({
        title: 'Upgrade Node.js',
        version: 1,
      });
      await expect(
        store.getBudget('group:default/payments', '2026-Q2'),
      ).resolves.toMatchObject({ version: null });
      expect(permissions.authorize).toHaveBeenCalledTimes(1); // the user's create only: a token never reaches the policy

      for (const path of [
        '/v1/items',
        `/v1/items/${item.id}`,
        `/v1/items/${item.id}/events`,
        '/v1/facets',
        '/v1/summary?entityRef=component:default/payments-api',
        '/v1/items/export.csv',
        '/v1/budgets/2026-Q2?groupRef=group:default/payments',
      ]) {
        const read = await request(app).get(path).set('Authorization', SERVICE);
        expect({ path, status: read.status }).toEqual({ path, status: 200 });
      }
    });
  });

  describe('lists, summary and export', () => {
    let items: Record<string, DebtItem>;

    beforeEach(async () => {
      items = {
        high: await create({
          title: 'High',
          impact: 5,
          effortDays: 1,
          interestHoursPerMonth: 0,
          category: 'security',
          tags: ['security'],
        }), // 5
        mid: await create({
          title: 'Mid, "quoted"',
          impact: 3,
          effortDays: 1,
          interestHoursPerMonth: 0,
          status: 'planned',
          tags: [],
        }), // 3
        low: await create({
          title: '=Low',
          impact: 1,
          effortDays: 2,
          interestHoursPerMonth: 0,
          category: 'documentation',
          tags: ['docs'],
        }), // 0.5
        ledger: await create({
          title: 'Ledger',
          entityRef: 'component:default/ledger-service',
          impact: 4,
          effortDays: 1,
          interestHoursPerMonth: 0,
          status: 'resolved',
        }), // 4
      };
    });

    const ids = (body: { items: DebtItem[] }) => body.items.map(i => i.id);

    it('lists by priority and filters', async () => {
      const all = await request(app)
        .get('/v1/items')
        .set('Authorization', USER);
      expect(all.status).toBe(200);
      // Ledger's item is resolved: after the open ones, though its priority is second highest.
      expect(ids(all.body)).toEqual([
        items.high.id,
        items.mid.id,
        items.low.id,
        items.ledger.id,
      ]);
      expect(all.body.totalCount).toBe(4);

      const entity = await request(app)
        .get('/v1/items?entityRef=component:default/payments-api&limit=2')
        .set('Authorization', USER);
      expect(ids(entity.body)).toEqual([items.high.id, items.mid.id]);
      expect(entity.body.totalCount).toBe(3);

      const page2 = await request(app)
        .get(
          '/v1/items?entityRef=component:default/payments-api&limit=2&offset=2',
        )
        .set('Authorization', USER);
      expect(ids(page2.body)).toEqual([items.low.id]);

      const open = await request(app)
        .get('/v1/items?owner=payments&status=open,planned')
        .set('Authorization', USER);
      expect(ids(open.body)).toEqual([
        items.high.id,
        items.mid.id,
        items.low.id,
      ]);

      const resolved = await request(app)
        .get('/v1/items?system=system:default/payments&status=resolved')
        .set('Authorization', USER);
      expect(ids(resolved.body)).toEqual([items.ledger.id]);

      const byTag = await request(app)
        .get('/v1/items?tag=docs')
        .set('Authorization', USER);
      expect(ids(byTag.body)).toEqual([items.low.id]);

      const search = await request(app)
        .get('/v1/items?search=quoted')
        .set('Authorization', USER);
      expect(ids(search.body)).toEqual([items.mid.id]);

      const category = await request(app)
        .get('/v1/items?category=security&category=documentation')
        .set('Authorization', USER);
      expect(ids(category.body)).toEqual([items.high.id, items.low.id]);

      const byTitle = await request(app)
        .get('/v1/items?orderBy=title')
        .set('Authorization', USER);
      expect(byTitle.body.items.map((i: DebtItem) => i.title)).toEqual([
        '=Low',
        'High',
        'Mid, "quoted"',
        'Ledger',
      ]);

      const effortAsc = await request(app)
        .get(
          '/v1/items?orderBy=effortDays&order=asc&entityRef=component:default/payments-api',
        )
        .set('Authorization', USER);
      expect(effortAsc.body.items.map((i: DebtItem) => i.effortDays)).toEqual([
        1, 1, 2,
      ]);
    });

    it.each([
      ['status', 'status=closed'],
      ['owner', 'owner=component:default/payments-api'],
      ['limit', 'limit=5000'],
      ['orderBy', 'orderBy=random()'],
      ['bogus', 'bogus=1'],
    ])('answers 400 naming %s for a bad list query', async (field, query) => {
      const res = await request(app)
        .get(`/v1/items?${query}`)
        .set('Authorization', USER);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
    });

    it('summarises an entity', async () => {
      const res = await request(app)
        .get('/v1/summary?entityRef=component:default/payments-api')
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        openCount: 3,
        openEffortDays: 4,
        openInterestHoursPerMonth: 0,
      });
      expect(ids({ items: res.body.top })).toEqual([
        items.high.id,
        items.mid.id,
        items.low.id,
      ]);

      const missing = await request(app)
        .get('/v1/summary')
        .set('Authorization', USER);
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('entityRef');
    });

    it('lists facets', async () => {
      const res = await request(app)
        .get('/v1/facets')
        .set('Authorization', USER);
      expect(res.body).toEqual({
        owners: ['group:default/payments'],
        systems: ['system:default/payments'],
        tags: ['docs', 'runtime', 'security'],
      });
    });

    it('exports the filtered register as CSV', async () => {
      const res = await request(app)
        .get('/v1/items/export.csv?entityRef=component:default/payments-api')
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toContain('tech-debt.csv');
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'Priority,Title,Entity,Owner,System,Category,Status,Impact,Effort (days),Interest (h/month),Assignee,Tracker,Tags,Incidents (90 days),Restore minutes (90 days),Created,Updated',
      );
      // All three rows, by priority; formula-looking and quoted titles are escaped.
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(
        /^5,High,component:default\/payments-api,group:default\/payments,system:default\/payments,security,Open,5,1,0,,,security,0,0,/,
      );
      expect(lines[2]).toMatch(
        /^3,"Mid, ""quoted""",component:default\/payments-api,.*,Planned,/,
      );
      expect(lines[3]).toMatch(/^0\.5,'=Low,/);

      // The export is never paged: paging parameters are refused, not silently ignored.
      const paged = await request(app)
        .get(
          '/v1/items/export.csv?entityRef=component:default/payments-api&limit=1',
        )
        .set('Authorization', USER);
      expect(paged.status).toBe(400);
      expect(paged.body.error.message).toBe("Unknown query parameter 'limit'");

      const unauthenticated = await request(app).get('/v1/items/export.csv');
      expect(unauthenticated.status).toBe(401);
    });
  });

  describe('budgets', () => {
    const path = '/v1/budgets/2026-Q2?groupRef=group:default/payments';

    it('reads, creates and updates a budget, with 409 on a stale version', async () => {
      const empty = await request(app).get(path).set('Authorization', USER);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({
        groupRef: 'group:default/payments',
        quarter: '2026-Q2',
        capacityDays: null,
        version: null,
      });

      const created = await request(app)
        .put(path)
        .set('Authorization', USER)
        .send({ capacityDays: 100, sharePercent: 20 });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        capacityDays: 100,
        sharePercent: 20,
        reservedDays: 20,
        version: 1,
        updatedBy: 'user:default/guest',
      });
      expect(auditor.createEvent).toHaveBeenLastCalledWith(
        expect.objectContaining({
          eventId: 'tech-debt-budget-update',
          meta: expect.objectContaining({
            groupRef: 'group:default/payments',
            quarter: '2026-Q2',
          }),
        }),
      );

      const updated = await request(app)
        .put('/v1/budgets/2026-Q2?groupRef=payments')
        .set('Authorization', USER)
        .send({ capacityDays: 100, sharePercent: 25, version: 1 });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ reservedDays: 25, version: 2 });

      const stale = await request(app)
        .put(path)
        .set('Authorization', USER)
        .send({ capacityDays: 1, sharePercent: 1, version: 1 });
      expect(stale.status).toBe(409);

      const read = await request(app).get(path).set('Authorization', USER);
      expect(read.body).toMatchObject({ sharePercent: 25, version: 2 });
    });

    it('answers 400 for a bad quarter, group or body', async () => {
      const quarter = await request(app)
        .get('/v1/budgets/2026-Q5?groupRef=group:default/payments')
        .set('Authorization', USER);
      expect(quarter.status).toBe(400);
      expect(quarter.body.error.message).toContain('quarter');
      const putQuarter = await request(app)
        .put('/v1/budgets/2026-Q5?groupRef=group:default/payments')
        .set('Authorization', USER)
        .send({ capacityDays: 1, sharePercent: 1 });
      expect(putQuarter.status).toBe(400);
      expect(putQuarter.body.error.message).toContain('quarter');

      const notGroup = await request(app)
        .get('/v1/budgets/2026-Q2?groupRef=component:default/payments-api')
        .set('Authorization', USER);
      expect(notGroup.status).toBe(400);
      expect(notGroup.body.error.message).toContain('groupRef');

      const unknownGroup = await request(app)
        .put('/v1/budgets/2026-Q2?groupRef=group:default/nobody')
        .set('Authorization', USER)
        .send({ capacityDays: 1, sharePercent: 1 });
      expect(unknownGroup.status).toBe(400);
      expect(unknownGroup.body.error.message).toContain('group:default/nobody');

      const share = await request(app)
        .put(path)
        .set('Authorization', USER)
        .send({ capacityDays: 100, sharePercent: 120 });
      expect(share.status).toBe(400);
      expect(share.body.error.message).toContain('sharePercent');

      for (const capacityDays of [5e-324, 0.5, 100_001]) {
        const capacity = await request(app)
          .put(path)
          .set('Authorization', USER)
          .send({ capacityDays, sharePercent: 20 });
        expect({ capacityDays, status: capacity.status }).toEqual({
          capacityDays,
          status: 400,
        });
        expect(capacity.body.error.message).toContain('capacityDays');
      }
      for (const farQuarter of ['1969-Q4', '2100-Q1', '0000-Q1']) {
        const far = await request(app)
          .put(`/v1/budgets/${farQuarter}?groupRef=group:default/payments`)
          .set('Authorization', USER)
          .send({ capacityDays: 1, sharePercent: 1 });
        expect({ farQuarter, status: far.status }).toEqual({
          farQuarter,
          status: 400,
        });
        expect(far.body.error.message).toContain('quarter');
      }
      await expect(
        store.getBudget('group:default/payments', '2026-Q2'),
      ).resolves.toMatchObject({ version: null });
    });

    it("answers 403 for another team's budget and 401 without credentials", async () => {
      const denied = await request(app)
        .put('/v1/budgets/2026-Q2?groupRef=group:default/storefront')
        .set('Authorization', USER)
        .send({ capacityDays: 100, sharePercent: 20 });
      expect(denied.status).toBe(403);
      const read = await request(app)
        .get('/v1/budgets/2026-Q2?groupRef=group:default/storefront')
        .set('Authorization', USER);
      expect(read.body.version).toBeNull();

      const anonymous = await request(app)
        .put(path)
        .send({ capacityDays: 100, sharePercent: 20 });
      expect(anonymous.status).toBe(401);
    });
  });
});

describe.each(sqlDatabases.eachSupportedId())(
  'GET /v1/items with open and closed items on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    const titles = async (query: string) => {
      const res = await request(app)
        .get(`/v1/items?${query}`)
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      return res.body.items.map((i: DebtItem) => i.title);
    };

    beforeEach(async () => {
      knex = await sqlDatabases.init(databaseId);
      const router = await createRouter({
        store: await DatabaseTechDebtStore.create({
          database: mockServices.database({ knex }),
        }),
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        permissions: mockServices.permissions.mock({
          authorize: jest.fn(async (requests: AuthorizePermissionRequest[]) =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
          ),
        }),
        catalog: catalogServiceMock({ entities: ENTITIES }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
        validateResponses: true,
      });
      const middleware = MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      });
      app = express().use(router).use(middleware.error());
      // Closed items with the highest impact, newest and first by title: any sort would put them first.
      for (const [title, status, impact, effortDays] of [
        ['A resolved', 'resolved', 5, 0.5],
        ['B open', 'open', 2, 2],
        ['C wont fix', 'wont_fix', 4, 0.5],
        ['D in progress', 'in_progress', 3, 3],
        ['E planned', 'planned', 1, 1],
      ] as const) {
        const res = await request(app)
          .post('/v1/items')
          .set('Authorization', USER)
          .send({ ...validItem, title, status, impact, effortDays });
        if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      }
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it.each([
      ['priority', 'desc'],
      ['priority', 'asc'],
      ['impact', 'desc'],
      ['effortDays', 'asc'],
      ['title', 'asc'],
      ['title', 'desc'],
      ['createdAt', 'desc'],
      ['updatedAt', 'asc'],
      ['measuredInterest', 'desc'],
      ['measuredInterest', 'asc'],
    ])(
      "lists resolved and won't-fix items last when sorted by %s %s",
      async (orderBy, order) => {
        const listed = await titles(`orderBy=${orderBy}&order=${order}`);
        expect(listed).toHaveLength(5);
        expect(new Set(listed.slice(3))).toEqual(
          new Set(['A resolved', 'C wont fix']),
        );
      },
    );

    it('sorts within each group by the sort key', async () => {
      expect(await titles('orderBy=impact')).toEqual([
        'D in progress',
        'B open',
        'E planned',
        'A resolved',
        'C wont fix',
      ]);
      expect(await titles('orderBy=title&order=desc')).toEqual([
        'E planned',
        'D in progress',
        'B open',
        'C wont fix',
        'A resolved',
      ]);
      // Only closed ones, or a page past the open ones: by the sort key alone.
      expect(await titles('status=wont_fix,resolved&orderBy=title')).toEqual([
        'A resolved',
        'C wont fix',
      ]);
      expect(await titles('orderBy=title&limit=2&offset=3')).toEqual([
        'A resolved',
        'C wont fix',
      ]);
      expect(
        await titles('status=open,wont_fix,planned&orderBy=impact'),
      ).toEqual(['B open', 'E planned', 'C wont fix']);
    });
  },
);
