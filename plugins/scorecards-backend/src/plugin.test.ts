import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  exampleCatalogConfig,
  exampleFile,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
import { scorecardsFactProvidersExtensionPoint } from '@vitals/plugin-scorecards-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import request from 'supertest';
import {
  scorecardsModuleCatalogFacts,
  scorecardsModuleOnboardingFacts,
  scorecardsModuleTechDebtFacts,
  scorecardsPlugin,
} from './index';

jest.setTimeout(120_000);

const USER = mockCredentials.user.header('user:default/guest');

/** An adopter's module adding a fact through the extension point. */
const deployFactsModule = createBackendModule({
  pluginId: 'scorecards',
  moduleId: 'test-deploy-facts',
  register(reg) {
    reg.registerInit({
      deps: { providers: scorecardsFactProvidersExtensionPoint },
      async init({ providers }) {
        providers.addFactProvider({
          id: 'testDeploys',
          facts: [
            {
              id: 'dora.weeklyMedianDeploymentDays',
              type: 'number',
              description: 'test',
            },
          ],
          async getFacts({ entities }) {
            return new Map(
              entities.map(e => [
                stringifyEntityRef(e),
                {
                  'dora.weeklyMedianDeploymentDays':
                    e.metadata.name === 'payments-api' ? 3 : null,
                },
              ]),
            );
          },
        });
      },
    });
  },
});

describe('scorecardsPlugin with the real catalog and tech-debt backends', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();
  const send = jest.fn(async () => {});

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        // The plugin with only some built-in providers: the DORA and ownership backends are not installed here
        // (providers.test.ts runs them), so neither are their fact modules. The module above stands in for the DORA
        // fact of one check. (An extra scorecards module next to the package's default export would make
        // startTestBackend add a placeholder scorecards plugin: it cannot see the plugin inside the feature loader.)
        scorecardsPlugin,
        scorecardsModuleCatalogFacts,
        scorecardsModuleTechDebtFacts,
        scorecardsModuleOnboardingFacts,
        deployFactsModule,
        techDebtPlugin,
        catalogPlugin,
        scheduler.factory(),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send }),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            scorecards: {
              definitionFiles: [exampleFile('scorecards.yaml')],
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
    await scheduler.triggerTask('tech-debt-demo-seed');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', USER);
  const resultsOf = async (ref: string) =>
    (await get(`/api/scorecards/v1/entities/results?entityRef=${ref}`)).body
      .results as Array<{
      scorecardId: string;
      levelId: string | null;
      checks: Array<{
        checkId: string;
        value: unknown;
        passed: boolean;
        message: string | null;
      }>;
    }>;
  const check = (
    results: Awaited<ReturnType<typeof resultsOf>>,
    scorecardId: string,
    checkId: string,
  ) =>
    results
      .find(r => r.scorecardId === scorecardId)!
      .checks.find(c => c.checkId === checkId)!;

  async function highImpactOpen(entityRef: string): Promise<number> {
    const res = await get(
      `/api/tech-debt/v1/items?entityRef=${entityRef}&status=open,planned,in_progress&limit=1000`,
    );
    return res.body.items.filter((i: { impact: number }) => i.impact >= 4)
      .length;
  }

  it('loads the example definitions', async () => {
    const res = await get('/api/scorecards/v1/definitions');
    expect(res.status).toBe(200);
    expect(res.body.scorecards.map((s: { title: string }) => s.title)).toEqual([
      'Production readiness',
      'Delivery performance',
      'Flow and CI',
    ]);
  });

  it('evaluates the catalog on schedule, with tech-debt facts read over HTTP with service credentials', async () => {
    await scheduler.triggerTask('scorecards-evaluate');
    const payments = await resultsOf('component:default/payments-api');
    expect(payments.map(r => r.scorecardId).sort()).toEqual([
      'delivery-performance',
      'flow-and-ci',
      'production-readiness',
    ]);

    const expected = await highImpactOpen('component:default/payments-api');
    const fact = check(
      payments,
      'production-readiness',
      'few-severe-debt-items',
    );
    expect(fact.value).toBe(expected);
    expect(
      check(payments, 'delivery-performance', 'debt-not-blocking').value,
    ).toEqual(expect.any(Number));

    // The catalog facts: payments-api has a runbook link and on-call annotations, no TechDocs.
    expect(check(payments, 'production-readiness', 'has-runbook').passed).toBe(
      true,
    );
    expect(check(payments, 'production-readiness', 'on-call').passed).toBe(
      true,
    );
    expect(check(payments, 'production-readiness', 'has-techdocs').passed).toBe(
      false,
    );

    // A fact from the adopter module, and DORA facts nobody provides here: "no data", not a crash.
    expect(
      check(payments, 'delivery-performance', 'deploys-weekly'),
    ).toMatchObject({ value: 3, passed: true });
    expect(
      check(payments, 'delivery-performance', 'lead-time-week'),
    ).toMatchObject({ passed: false, message: 'no data' });

    // Demo services land on different levels.
    const levels = new Set<string | null>();
    for (const name of [
      'payments-api',
      'ledger-service',
      'promo-engine',
      'legacy-reporting',
    ]) {
      levels.add(
        (await resultsOf(`component:default/${name}`)).find(
          r => r.scorecardId === 'production-readiness',
        )!.levelId,
      );
    }
    expect(levels.size).toBeGreaterThan(1);
  });

  it('sees a new high-impact debt item after an on-demand refresh', async () => {
    const before = await highImpactOpen('component:default/payments-api');
    const created = await request(backend.server)
      .post('/api/tech-debt/v1/items')
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/payments-api',
        title: 'Severe',
        category: 'security',
        impact: 5,
        effortDays: 1,
      });
    expect(created.status).toBe(201);

    const refreshed = await request(backend.server)
      .post('/api/scorecards/v1/entities/refresh')
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/payments-api' });
    expect(refreshed.status).toBe(200);
    expect(
      check(
        refreshed.body.results,
        'production-readiness',
        'few-severe-debt-items',
      ).value,
    ).toBe(before + 1);
  });

  it('serves the org summary and a team roll-up after the run', async () => {
    const summary = await get('/api/scorecards/v1/summary');
    expect(summary.status).toBe(200);
    const prod = summary.body.scorecards.find(
      (s: { scorecardId: string }) => s.scorecardId === 'production-readiness',
    );
    expect(prod.entities).toBeGreaterThanOrEqual(9);
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
});
