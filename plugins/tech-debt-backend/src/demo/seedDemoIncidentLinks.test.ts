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
  vitalsTestDatabases,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
import type { DoraApi, DoraIncident } from '@vitals/plugin-dora-common';
import type {
  DebtItem,
  DebtItemIncident,
} from '@vitals/plugin-tech-debt-common';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseTechDebtStore } from '../database/DatabaseTechDebtStore';
import techDebtPlugin from '../index';
import { DEMO_INCIDENT_LINKS, seedDemoIncidentLinks } from './seedDemoIncidentLinks';

jest.setTimeout(240_000);

const USER = mockCredentials.user.header('user:default/guest');
const NOW = new Date('2026-12-01T12:00:00.000Z');

const doraIncident = (
  id: string,
  createdAt: string,
  restoreMinutes: number,
): DoraIncident => ({
  id,
  entityRef: 'component:default/payments-api',
  createdAt,
  resolvedAt: new Date(
    Date.parse(createdAt) + restoreMinutes * 60_000,
  ).toISOString(),
  severity: 'SEV2',
  url: null,
  deploymentId: null,
  linkedDeploymentId: null,
  restoreMinutes,
});

describe('seedDemoIncidentLinks', () => {
  const databases = vitalsTestDatabases();
  let knex: Knex;
  let store: DatabaseTechDebtStore;
  let card: DebtItem;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    store = await DatabaseTechDebtStore.create({
      database: mockServices.database({ knex }),
      now: () => NOW,
    });
    const [plan] = DEMO_INCIDENT_LINKS;
    card = await store.createItem(
      {
        entityRef: plan.entityRef,
        ownerRef: 'group:default/payments',
        systemRef: null,
        title: plan.title,
        description: '',
        category: 'architecture',
        impact: 5,
        effortDays: 6,
        interestHoursPerMonth: 10,
        status: 'open',
        assignee: null,
        trackerUrl: null,
        tags: [],
      },
      'user:default/vitals-demo',
    );
  });

  afterEach(async () => {
    await knex.destroy();
  });

  const seed = (dora: Pick<DoraApi, 'listIncidents'>) =>
    seedDemoIncidentLinks({
      store,
      dora,
      logger: mockServices.logger.mock(),
      now: NOW,
    });
  const doraWith = (incidents: DoraIncident[]) => ({
    listIncidents: jest.fn(async ({ entityRef }: { entityRef: string }) => {
      const items = incidents.filter(i => i.entityRef === entityRef);
      return { items, totalCount: items.length };
    }),
  });

  it("links the item to its entity's three latest incidents, newest first, once", async () => {
    const dora = doraWith([
      doraIncident('payments-api-incident-40', '2026-11-20T10:00:00.000Z', 30),
      doraIncident('payments-api-incident-12', '2026-05-02T10:00:00.000Z', 50),
      doraIncident('payments-api-incident-31', '2026-10-01T10:00:00.000Z', 20),
      doraIncident('payments-api-incident-38', '2026-11-02T10:00:00.000Z', 45),
    ]);
    expect(await seed(dora)).toBe(3);
    expect(dora.listIncidents).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/payments-api',
        from: '2025-12-01T12:00:00.000Z',
        to: NOW.toISOString(),
      }),
    );
    const item = await store.getItem(card.id);
    expect(
      item!.incidents.map((i: DebtItemIncident) => [
        i.incidentId,
        i.restoreMinutes,
        i.linkedBy,
      ]),
    ).toEqual([
      ['payments-api-incident-40', 30, 'user:default/vitals-demo'],
      ['payments-api-incident-38', 45, 'user:default/vitals-demo'],
      ['payments-api-incident-31', 20, 'user:default/vitals-demo'],
    ]);
    expect(item!.measuredInterest).toEqual({
      windowDays: 90,
      incidents: 3,
      restoreMinutes: 95,
    });

    // Once: a second run links nothing, and an item whose link someone removed keeps it removed.
    expect(await seed(dora)).toBe(0);
    await store.unlinkIncident(
      card.id,
      'payments-api-incident-40',
      'user:default/guest',
    );
    await store.unlinkIncident(
      card.id,
      'payments-api-incident-38',
      'user:default/guest',
    );
    await store.unlinkIncident(
      card.id,
      'payments-api-incident-31',
      'user:default/guest',
    );
    expect(await seed(dora)).toBe(0);
    expect((await store.getItem(card.id))!.incidentCount).toBe(0);
  });

  it('waits while DORA has no incidents for the entity or does not answer', async () => {
    expect(await seed(doraWith([]))).toBeNull();
    expect(
      await seed({
        listIncidents: async () => {
          throw new Error('Service Unavailable');
        },
      }),
    ).toBeNull();
    expect((await store.getItem(card.id))!.incidentCount).toBe(0);
  });
});

/**
 * The demo of the portal: the DORA demo seeds its year of delivery history, the tech-debt demo its items, and then the
 * demo links point at incidents the DORA API really serves, with their times and restore minutes.
 */
describe('the demo incident links with the DORA demo', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        techDebtPlugin,
        doraPlugin,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (path: string) =>
    request(backend.server).get(path).set('Authorization', USER);

  it('links demo debt to the DORA demo incidents, so that measured interest and the report are not empty', async () => {
    // Before DORA has a history there is nothing to link to.
    await scheduler.triggerTask('tech-debt-demo-seed');
    await scheduler.triggerTask('tech-debt-demo-incident-links');
    const before = await get(
      '/api/tech-debt/v1/items?entityRef=component:default/payments-api&orderBy=measuredInterest',
    );
    expect(before.body.items[0].incidentCount).toBe(0);

    await scheduler.triggerTask('dora-demo-seed');
    // The DORA demo writes a year of events for every component: wait until the incidents are served.
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString();
    for (const plan of DEMO_INCIDENT_LINKS) {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const res = await get(
          `/api/dora/v1/incidents?entityRef=${plan.entityRef}&from=${yearAgo}&limit=1`,
        );
        if (res.body.totalCount >= plan.incidents) break;
        if (Date.now() > deadline)
          throw new Error(`DORA serves no incidents of ${plan.entityRef}`);
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
    await scheduler.triggerTask('tech-debt-demo-incident-links');

    for (const plan of DEMO_INCIDENT_LINKS) {
      const { body } = await get(
        `/api/tech-debt/v1/items?entityRef=${plan.entityRef}&limit=100`,
      );
      const item: DebtItem = body.items.find(
        (i: DebtItem) => i.title === plan.title,
      );
      expect(item.incidentCount).toBe(plan.incidents);
      const dora = await get(
        `/api/dora/v1/incidents?entityRef=${plan.entityRef}&from=${yearAgo}&limit=1000`,
      );
      expect(dora.status).toBe(200);
      const served = new Map<string, DoraIncident>(
        dora.body.items.map((i: DoraIncident) => [i.id, i]),
      );
      for (const link of item.incidents) {
        const incident = served.get(link.incidentId);
        expect({
          incidentId: link.incidentId,
          createdAt: link.createdAt,
          resolvedAt: link.resolvedAt,
          restoreMinutes: link.restoreMinutes,
          severity: link.severity,
        }).toEqual({
          incidentId: incident?.id,
          createdAt: incident?.createdAt,
          resolvedAt: incident?.resolvedAt,
          restoreMinutes: incident?.restoreMinutes,
          severity: incident?.severity,
        });
      }
      // The latest ones: no incident DORA serves is newer than the oldest link.
      const oldest = Math.min(
        ...item.incidents.map(l => Date.parse(l.createdAt)),
      );
      const newerUnlinked = [...served.values()].filter(
        i =>
          Date.parse(i.createdAt) > oldest &&
          !item.incidents.some(l => l.incidentId === i.id),
      );
      expect(newerUnlinked).toEqual([]);
    }

    // Payments' card-capture item carries measured interest (the DORA demo's payments-api has incidents in the last
    // 90 days), and sorts first by it.
    const sorted = await get(
      '/api/tech-debt/v1/items?entityRef=component:default/payments-api&orderBy=measuredInterest',
    );
    expect(sorted.body.items[0]).toMatchObject({
      title: DEMO_INCIDENT_LINKS[0].title,
      measuredInterest: { incidents: expect.any(Number) },
    });
    expect(sorted.body.items[0].measuredInterest.incidents).toBeGreaterThan(0);
    expect(
      sorted.body.items[0].measuredInterest.restoreMinutes,
    ).toBeGreaterThan(0);

    // Run again: the same links, nothing more.
    await scheduler.triggerTask('tech-debt-demo-incident-links');
    const again = await get(
      '/api/tech-debt/v1/items?entityRef=component:default/payments-api&orderBy=measuredInterest',
    );
    expect(again.body.items[0].incidents).toEqual(
      sorted.body.items[0].incidents,
    );
  });
});
