import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  exampleCatalogConfig,
  exampleFile,
  inMemoryDatabase,
} from '@vitals/backend-test-utils';
import request from 'supertest';
import { scorecardsModuleCatalogFacts, scorecardsPlugin } from './index';
import { DEMO_HISTORY_WEEKS } from './demo/seedDemoHistory';

jest.setTimeout(150_000);

const USER = mockCredentials.user.header('user:default/guest');

/** The example services and websites: the ones the example scorecards apply to. */
const EVALUATED = [
  'payments-api',
  'ledger-service',
  'fraud-detector',
  'storefront-web',
  'checkout-api',
  'catalog-search',
  'recommendations',
  'legacy-reporting',
  'promo-engine',
];

describe('scorecards at start-up, with the real scheduler and a catalog still ingesting', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scorecardsPlugin,
        scorecardsModuleCatalogFacts,
        catalogPlugin,
        // The real scheduler: tasks run on their schedules, as in the portal.
        schedulerServiceFactory,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            scorecards: {
              definitionFiles: [exampleFile('scorecards.yaml')],
              // The scheduled evaluation would first run in six hours: every result below comes from start-up.
              schedules: {
                evaluate: {
                  frequency: { hours: 6 },
                  timeout: { minutes: 5 },
                  initialDelay: { hours: 6 },
                },
              },
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', USER);

  it('evaluates every example service soon after start, without waiting for the scheduled run', async () => {
    // Nothing here waits for the catalog to ingest the examples: the plugin does.
    const lastEntity = `component:default/${EVALUATED[EVALUATED.length - 1]}`;
    const deadline = Date.now() + 90_000;
    let missing: string[] = EVALUATED;
    while (missing.length && Date.now() < deadline) {
      const evaluated = await Promise.all(
        missing.map(async name => {
          const res = await get(
            `/api/scorecards/v1/entities/results?entityRef=component:default/${name}`,
          );
          return res.status === 200 && res.body.results.length > 0;
        }),
      );
      missing = missing.filter((_, i) => !evaluated[i]);
      if (missing.length) await new Promise(r => setTimeout(r, 500));
    }
    expect(missing).toEqual([]);

    const results = await get(
      `/api/scorecards/v1/entities/results?entityRef=${lastEntity}`,
    );
    expect(results.body.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          scorecardId: 'production-readiness',
          checks: expect.arrayContaining([
            expect.objectContaining({
              checkId: 'source-linked',
              passed: false,
            }),
          ]),
        }),
      ]),
    );

    // The team view has its roll-up at once.
    const rollup = await get(
      '/api/scorecards/v1/groups/rollup?groupRef=group:default/payments',
    );
    expect(
      rollup.body.scorecards.find(
        (s: { scorecardId: string }) =>
          s.scorecardId === 'production-readiness',
      ).entities,
    ).toHaveLength(3);
  });

  it('seeds months of demo history, so the charts draw a line', async () => {
    const from = new Date(Date.now() - 365 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const deadline = Date.now() + 90_000;
    let points: Array<{ day: string; scorecardId: string }> = [];
    while (Date.now() < deadline) {
      const res = await get(
        `/api/scorecards/v1/history?entityRef=component:default/ledger-service&scorecardId=production-readiness&from=${from}`,
      );
      points = res.body.points ?? [];
      if (points.length > 1) break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(points.length).toBe(DEMO_HISTORY_WEEKS + 1);

    const trend = await get(
      `/api/scorecards/v1/history?owner=group:default/payments&scorecardId=production-readiness&from=${from}`,
    );
    expect(trend.body.points.length).toBe(DEMO_HISTORY_WEEKS + 1);
  });
});
