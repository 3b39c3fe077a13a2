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
import path from 'node:path';
import request from 'supertest';
import ownershipPlugin from './index';
import { DEMO_SEED_TASK_ID, SNAPSHOT_TASK_ID } from './plugin';

jest.setTimeout(90_000);

const USER = mockCredentials.user.header('user:default/guest');

/** The example org plus `Payouts-API`, a Payments component whose name is not lower case. */
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

describe('ownershipPlugin with the real catalog', () => {
  let backend: TestBackend;
  // The mock scheduler runs no task with an initial delay on its own; the tests trigger them.
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        ownershipPlugin,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: catalogWithMixedCase(),
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

  it('seeds the demo and snapshots the example org through the catalog API, reporting its problems', async () => {
    const before = await request(backend.server)
      .get('/api/ownership/v1/report')
      .set('Authorization', USER);
    expect(before.body).toMatchObject({ total: 0, snapshotAt: null });

    // As in the portal, where the demo seed starts 5 seconds after start and the first snapshot after 30.
    await scheduler.triggerTask(DEMO_SEED_TASK_ID);
    await scheduler.triggerTask(SNAPSHOT_TASK_ID);
    const report = await request(backend.server)
      .get('/api/ownership/v1/report')
      .set('Authorization', USER);
    // 10 example components, Payouts-API and 3 systems.
    expect(report.body).toMatchObject({
      total: 14,
      problemCounts: {
        'owner-unresolved': 1,
        'owner-no-members': 1,
        'owner-single-member': 1,
        'no-contact': 3,
      },
    });
    const data = await request(backend.server)
      .get('/api/ownership/v1/groups/default/data')
      .set('Authorization', USER);
    expect(data.body).toMatchObject({ memberCount: 1, ownedDirectly: 1 });
  });

  it('serves its OpenAPI spec at /api/ownership/openapi.json, with the paths below the plugin', async () => {
    const res = await request(backend.server)
      .get('/api/ownership/openapi.json')
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain(
      '/api/ownership/v1/entities/{kind}/{namespace}/{name}',
    );
    expect(Object.keys(res.body.paths)).toHaveLength(9);
  });

  it('seeds demo confirmations once, one of them overdue, and the history of a transfer', async () => {
    const overdue = await request(backend.server)
      .get('/api/ownership/v1/report/problems?problem=confirmation-overdue')
      .set('Authorization', USER);
    const refs = overdue.body.rows.map(
      (r: { entityRef: string }) => r.entityRef,
    );
    expect(refs).toContain('component:default/checkout-api'); // confirmed 212 days ago
    expect(refs).toContain('component:default/payments-api'); // left for the guest to confirm
    expect(refs).not.toContain('component:default/ledger-service');

    const ledger = await request(backend.server)
      .get('/api/ownership/v1/entities/component/default/ledger-service')
      .set('Authorization', USER);
    expect(ledger.body).toMatchObject({
      healthy: true,
      confirmation: {
        status: 'current',
        lastConfirmedBy: 'user:default/amira.haddad',
      },
    });

    const history = await request(backend.server)
      .get(
        '/api/ownership/v1/entities/component/default/fraud-detector/history',
      )
      .set('Authorization', USER);
    expect(
      history.body.events.map(
        (e: {
          type: string;
          fromOwnerRef: string | null;
          toOwnerRef: string;
        }) => [e.type, e.fromOwnerRef, e.toOwnerRef],
      ),
    ).toEqual([
      ['confirmed', null, 'group:default/payments'],
      ['owner-changed', 'group:default/data', 'group:default/payments'],
      ['first-seen', null, 'group:default/data'],
    ]);

    await scheduler.triggerTask(DEMO_SEED_TASK_ID);
    const again = await request(backend.server)
      .get(
        '/api/ownership/v1/entities/component/default/fraud-detector/history',
      )
      .set('Authorization', USER);
    expect(again.body.events).toHaveLength(3);
  });

  it('lets the guest confirm ownership of a Payments service and the card turns healthy', async () => {
    const res = await request(backend.server)
      .post(
        '/api/ownership/v1/entities/component/default/payments-api/confirmations',
      )
      .set('Authorization', USER)
      .send({});
    expect(res.status).toBe(201);
    const card = await request(backend.server)
      .get('/api/ownership/v1/entities/component/default/payments-api')
      .set('Authorization', USER);
    expect(card.body).toMatchObject({
      healthy: true,
      confirmation: {
        status: 'current',
        lastConfirmedBy: 'user:default/guest',
      },
    });
  });

  it('keeps the one normalised ref of an entity named Payouts-API, whatever case the caller uses', async () => {
    const card = await request(backend.server)
      .get('/api/ownership/v1/entities/Component/default/Payouts-API')
      .set('Authorization', USER);
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({
      entityRef: 'component:default/payouts-api',
      ownerRef: 'group:default/payments',
      systemRef: 'system:default/payments',
    });

    const confirmed = await request(backend.server)
      .post(
        '/api/ownership/v1/entities/COMPONENT/Default/PAYOUTS-API/confirmations',
      )
      .set('Authorization', USER)
      .send({ comment: 'Ours' });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({
      entityRef: 'component:default/payouts-api',
      ownerRef: 'group:default/payments',
    });

    for (const entityPath of [
      'component/default/payouts-api',
      'Component/Default/Payouts-API',
    ]) {
      const again = await request(backend.server)
        .get(`/api/ownership/v1/entities/${entityPath}`)
        .set('Authorization', USER);
      expect({ entityPath, status: again.body.confirmation.status }).toEqual({
        entityPath,
        status: 'current',
      });
      const history = await request(backend.server)
        .get(`/api/ownership/v1/entities/${entityPath}/history`)
        .set('Authorization', USER);
      expect(
        history.body.events.map((e: { type: string }) => e.type),
      ).toContain('confirmed');
    }

    // The snapshot stores the same form: the org report sees the confirmation, by team in any case.
    await scheduler.triggerTask(SNAPSHOT_TASK_ID);
    const overdue = await request(backend.server)
      .get(
        '/api/ownership/v1/report/problems?problem=confirmation-overdue&team=Group:default/Payments',
      )
      .set('Authorization', USER);
    expect(overdue.status).toBe(200);
    expect(
      overdue.body.rows.map((r: { entityRef: string }) => r.entityRef),
    ).not.toContain('component:default/payouts-api');
    const team = await request(backend.server)
      .get('/api/ownership/v1/groups/default/Payments')
      .set('Authorization', USER);
    expect(team.body).toMatchObject({
      groupRef: 'group:default/payments',
      ownedDirectly: 5,
    });
  });
});
