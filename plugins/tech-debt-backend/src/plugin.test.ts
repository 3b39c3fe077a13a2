import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  exampleCatalogConfig,
  inMemoryDatabase,
  mockScheduler,
  waitForCatalogEntities,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import { quarterOf } from '@vitals/plugin-tech-debt-common';
import path from 'node:path';
import request from 'supertest';
import techDebtPlugin from './index';

jest.setTimeout(90_000);

const USER = mockCredentials.user.header('user:default/guest');

/** The example org plus `Payouts-API`, a component whose name is not lower case. */
function catalogWithMixedCase() {
  const config = exampleCatalogConfig();
  return {
    ...config,
    locations: [
      ...config.locations,
      {
        type: 'file',
        target: path.join(__dirname, '__fixtures__', 'mixed-case.yaml'),
      },
    ],
  };
}

describe('techDebtPlugin with the real catalog', () => {
  let backend: TestBackend;
  // The mock scheduler runs no task with an initial delay on its own; the tests trigger them.
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        techDebtPlugin,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: catalogWithMixedCase(),
            techDebt: {
              schedules: {
                catalogSync: {
                  frequency: { minutes: 5 },
                  timeout: { minutes: 1 },
                },
              },
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
    await waitForCatalogEntities(
      backend.server,
      ['component:default/Payouts-API'],
      { authorization: USER },
    );
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('seeds demo data for the catalog components once', async () => {
    const empty = await request(backend.server)
      .get('/api/tech-debt/v1/items')
      .set('Authorization', USER);
    expect(empty.status).toBe(200);
    expect(empty.body.totalCount).toBe(0);

    await scheduler.triggerTask('tech-debt-demo-seed');
    const seeded = await request(backend.server)
      .get('/api/tech-debt/v1/items?limit=1000')
      .set('Authorization', USER);
    expect(seeded.body.totalCount).toBeGreaterThanOrEqual(3 * 9);
    const payments = seeded.body.items.filter(
      (i: { entityRef: string }) =>
        i.entityRef === 'component:default/payments-api',
    );
    expect(payments.length).toBeGreaterThanOrEqual(3);
    expect(payments[0]).toMatchObject({
      ownerRef: 'group:default/payments',
      systemRef: 'system:default/payments',
    });

    const budget = await request(backend.server)
      .get(
        `/api/tech-debt/v1/budgets/${quarterOf(
          new Date(),
        )}?groupRef=group:default/payments`,
      )
      .set('Authorization', USER);
    expect(budget.status).toBe(200);
    expect(budget.body.capacityDays).toEqual(expect.any(Number));

    // A second run does not seed again.
    await scheduler.triggerTask('tech-debt-demo-seed');
    const again = await request(backend.server)
      .get('/api/tech-debt/v1/items')
      .set('Authorization', USER);
    expect(again.body.totalCount).toBe(seeded.body.totalCount);
  });

  it('adds an item to a catalog component and lists it', async () => {
    const created = await request(backend.server)
      .post('/api/tech-debt/v1/items')
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Plugin test item',
        category: 'testing',
        impact: 5,
        effortDays: 0.25,
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/payments',
      systemRef: 'system:default/payments',
      priority: 20,
      createdBy: 'user:default/guest',
    });

    const list = await request(backend.server)
      .get(
        '/api/tech-debt/v1/items?entityRef=component:default/payments-api&limit=1',
      )
      .set('Authorization', USER);
    expect(list.status).toBe(200);
    expect(list.body.items[0].id).toBe(created.body.id);
  });

  it('rejects an item for an entity the catalog does not have', async () => {
    const res = await request(backend.server)
      .post('/api/tech-debt/v1/items')
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/does-not-exist',
        title: 'Nowhere',
        category: 'code',
        impact: 1,
        effortDays: 1,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'component:default/does-not-exist',
    );
  });

  it('runs the catalog sync without changing placements that are current', async () => {
    const before = await request(backend.server)
      .get('/api/tech-debt/v1/facets')
      .set('Authorization', USER);
    await scheduler.triggerTask('tech-debt-catalog-sync');
    const after = await request(backend.server)
      .get('/api/tech-debt/v1/facets')
      .set('Authorization', USER);
    expect(after.body).toEqual(before.body);
    expect(after.body.owners).toContain('group:default/payments');
  });

  it('stores the one normalised ref of an entity named Payouts-API and finds its data whatever case the caller uses', async () => {
    const created = await request(backend.server)
      .post('/api/tech-debt/v1/items')
      .set('Authorization', USER)
      .send({
        entityRef: 'COMPONENT:Default/PAYOUTS-api',
        title: 'Mixed-case entity item',
        category: 'code',
        impact: 3,
        effortDays: 1,
      });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      entityRef: 'component:default/payouts-api',
      ownerRef: 'group:default/payments',
      systemRef: 'system:default/payments',
    });

    for (const ref of [
      'component:default/Payouts-API',
      'Component:payouts-api',
      'component:DEFAULT/PAYOUTS-API',
    ]) {
      const list = await request(backend.server)
        .get(
          `/api/tech-debt/v1/items?entityRef=${encodeURIComponent(
            ref,
          )}&search=mixed-case`,
        )
        .set('Authorization', USER);
      expect({
        ref,
        ids: list.body.items.map((i: { id: string }) => i.id),
      }).toEqual({ ref, ids: [created.body.id] });
      const summary = await request(backend.server)
        .get(`/api/tech-debt/v1/summary?entityRef=${encodeURIComponent(ref)}`)
        .set('Authorization', USER);
      expect(summary.body.entityRef).toBe('component:default/payouts-api');
      expect(summary.body.top.map((i: { id: string }) => i.id)).toContain(
        created.body.id,
      );
    }
    const team = await request(backend.server)
      .get('/api/tech-debt/v1/items?owner=Group:Payments&search=mixed-case')
      .set('Authorization', USER);
    expect(team.body.totalCount).toBe(1);

    // The catalog sync keeps the same form: nothing changes, and the item is still found by the team.
    await scheduler.triggerTask('tech-debt-catalog-sync');
    const again = await request(backend.server)
      .get(`/api/tech-debt/v1/items/${created.body.id}`)
      .set('Authorization', USER);
    expect(again.body).toMatchObject({
      entityRef: 'component:default/payouts-api',
      ownerRef: 'group:default/payments',
      version: 1,
    });
  });
});
