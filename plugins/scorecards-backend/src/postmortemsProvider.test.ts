import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  exampleCatalogConfig,
  exampleFile,
  inMemoryDatabase,
  mockScheduler,
  waitForExampleCatalog,
} from '@vitals/backend-test-utils';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import doraPlugin from '@vitals/plugin-dora-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import postmortemsPlugin from '@vitals/plugin-postmortems-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import request from 'supertest';
import scorecardsPlugin from './index';
import { POSTMORTEMS_FACT_IDS } from './providers/postmortemsFactProvider';

jest.setTimeout(240_000);

const USER = mockCredentials.user.header('user:default/guest');

type Check = { checkId: string; value: unknown };
type Result = { scorecardId: string; checks: Check[] };

/** Every postmortems fact, so that the evaluation asks the provider for them. */
const factsCard = {
  id: 'postmortem-facts',
  title: 'Postmortem facts',
  appliesTo: { kind: ['Component'] },
  levels: [{ id: 'seen', title: 'Seen' }],
  checks: Object.values(POSTMORTEMS_FACT_IDS).map(fact => ({
    id: fact.replace('.', '-'),
    title: fact,
    fact,
    operator: 'exists',
    level: 'seen',
  })),
};

async function until(condition: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error('Timed out waiting for the demos');
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

describe('the postmortems fact provider against the real postmortems backend and its demo data', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();
  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', USER);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scorecardsPlugin,
        postmortemsPlugin,
        doraPlugin,
        techDebtPlugin,
        catalogPlugin,
        scheduler.factory(),
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            scorecards: {
              definitionFiles: [exampleFile('scorecards.yaml')],
              definitions: [factsCard],
              providers: {
                ownership: { enabled: false },
                onboarding: { enabled: false },
              },
            },
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
    // The demos one after the other, each tried until it is in (triggerTask does not wait for a run that is going on).
    await scheduler.triggerTask('dora-demo-seed');
    await until(async () => {
      await scheduler.triggerTask('tech-debt-demo-seed');
      await scheduler.triggerTask('tech-debt-demo-incident-links');
      const items = await get(
        '/api/tech-debt/v1/items?entityRef=component:default/payments-api',
      );
      return items.body.items?.some(
        (i: { incidents: unknown[] }) => i.incidents.length > 0,
      );
    });
    await until(async () => {
      await scheduler.triggerTask('postmortems-demo-seed');
      return (await get('/api/postmortems/v1/postmortems')).body.totalCount > 0;
    });
    await scheduler.triggerTask('scorecards-evaluate');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const factsOf = async (ref: string) =>
    Object.fromEntries(
      (
        (await get(`/api/scorecards/v1/entities/results?entityRef=${ref}`)).body
          .results as Result[]
      )
        .find(r => r.scorecardId === 'postmortem-facts')!
        .checks.map(c => [c.checkId.replace('-', '.'), c.value]),
    );

  it('lists the postmortems facts, after the other built-in providers', async () => {
    const facts = (await get('/api/scorecards/v1/definitions')).body
      .facts as Array<{ id: string; provider: string }>;
    expect([...new Set(facts.map(f => f.provider))].pop()).toBe('postmortems');
    expect(
      facts.filter(f => f.provider === 'postmortems').map(f => f.id),
    ).toEqual(Object.values(POSTMORTEMS_FACT_IDS));
  });

  it('gives each service the figures the postmortems API gives a user', async () => {
    const refs = [
      'component:default/payments-api',
      'component:default/ledger-service',
      'component:default/storefront-web',
    ];
    const figures = (
      await get(
        `/api/postmortems/v1/entity-figures?entityRef=${refs.join(',')}`,
      )
    ).body.entities;
    for (const f of figures) {
      expect(await factsOf(f.entityRef)).toEqual({
        'postmortems.coverage': f.coverage,
        'postmortems.openActionItems': f.openActionItems,
        'postmortems.overdueActionItems': f.overdueActionItems,
      });
    }
    // The demo: Payments' published postmortem has open action items, one of them overdue.
    expect(await factsOf('component:default/payments-api')).toMatchObject({
      'postmortems.openActionItems': expect.any(Number),
      'postmortems.overdueActionItems': 1,
    });
    expect(figures[0].openActionItems).toBeGreaterThan(0);
    expect(figures[0].coverage).toBeGreaterThanOrEqual(0);
  });
});
