import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
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
import onboardingPlugin from '@vitals/plugin-onboarding-backend';
import request from 'supertest';
import scorecardsPlugin from './index';

jest.setTimeout(180_000);

const GUEST = mockCredentials.user.header('user:default/guest');
const MINUTE = 60_000;

type Check = {
  checkId: string;
  value: unknown;
  passed: boolean;
  message: string | null;
};
type Result = { scorecardId: string; levelId: string | null; checks: Check[] };

/** Every onboarding fact, so that the evaluation asks the onboarding provider for them. */
const onboardingCard = {
  id: 'newcomer-friendly',
  title: 'Newcomer friendly',
  appliesTo: { kind: ['Component'] },
  levels: [{ id: 'seen', title: 'Seen' }],
  checks: [
    'onboarding.teamMedianDaysToFirstChange',
    'onboarding.teamMedianDaysToFirstDeploy',
    'onboarding.teamOnboarding',
    'onboarding.teamStalled',
  ].map(fact => ({
    id: fact.replace('.', '-'),
    title: fact,
    fact,
    operator: 'exists',
    level: 'seen',
  })),
};

async function poll<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${what}: last saw ${JSON.stringify(value)}`,
      );
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('the onboarding fact provider against the real onboarding, DORA and catalog backends', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();
  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', GUEST);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scorecardsPlugin,
        onboardingPlugin,
        doraPlugin,
        catalogPlugin,
        scheduler.factory(),
        // The real events service: one bus shared by every plugin, as in the portal (the test backend's default gives
        // each plugin a bus of its own, so DORA's events would never reach onboarding).
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { database: inMemoryDatabase() },
            catalog: exampleCatalogConfig(),
            onboarding: {
              templates: [{ target: exampleFile('onboarding.yaml') }],
            },
            scorecards: {
              definitions: [onboardingCard],
              providers: {
                techDebt: { enabled: false },
                ownership: { enabled: false },
              },
            },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: GUEST });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it("gives a service its owning team's time to first value, as the onboarding report states it", async () => {
    // The guest (a member of Payments) starts their onboarding: their checklists start now.
    const mine = await request(backend.server)
      .post('/api/onboarding/v1/me/checklists')
      .set('Authorization', GUEST)
      .send({});
    expect(mine.status).toBe(200);
    expect(mine.body.checklists.length).toBeGreaterThan(0);

    // CI reports the guest's first change, merged after the start, and the production deployment that shipped it.
    const mergedAt = Date.now() + MINUTE;
    const events = [
      {
        type: 'change',
        id: 'guest-first-pr',
        entityRef: 'component:default/payments-api',
        sha: 'guest0001',
        authoredAt: new Date(mergedAt - 90 * MINUTE).toISOString(),
        createdAt: new Date(mergedAt - 60 * MINUTE).toISOString(),
        mergedAt: new Date(mergedAt).toISOString(),
        author: 'guest',
      },
      {
        type: 'deployment',
        id: 'payments-api-deploy-guest',
        entityRef: 'component:default/payments-api',
        environment: 'Production',
        status: 'success',
        finishedAt: new Date(mergedAt + 30 * MINUTE).toISOString(),
        commitShas: ['guest0001'],
      },
    ];
    const posted = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', GUEST)
      .send({ events });
    expect(posted.status).toBe(200);

    // DORA tells onboarding through the events service; the report then has the guest's first change and deploy.
    const payments = await poll(
      'the Payments row with a first deploy',
      async () => {
        const res = await get('/api/onboarding/v1/report');
        const row = res.body.teams?.find(
          (t: { groupRef: string }) => t.groupRef === 'group:default/payments',
        );
        return row && row.medianDaysToFirstDeploy !== null ? row : undefined;
      },
    );
    expect(payments.onboarding).toBeGreaterThanOrEqual(1);
    expect(payments.medianDaysToFirstChange).not.toBeNull();

    await scheduler.triggerTask('scorecards-evaluate');
    const results = (
      await get(
        '/api/scorecards/v1/entities/results?entityRef=component:default/payments-api',
      )
    ).body.results as Result[];
    const card = results.find(r => r.scorecardId === 'newcomer-friendly')!;
    const values = Object.fromEntries(
      card.checks.map(c => [c.checkId, c.value]),
    );
    expect(values).toEqual({
      'onboarding-teamMedianDaysToFirstChange':
        payments.medianDaysToFirstChange,
      'onboarding-teamMedianDaysToFirstDeploy':
        payments.medianDaysToFirstDeploy,
      'onboarding-teamOnboarding': payments.onboarding,
      'onboarding-teamStalled': payments.stalled,
    });
    expect(card.levelId).toBe('seen');

    // Storefront has nobody onboarding: its service's onboarding facts are "no data".
    const checkout = (
      await get(
        '/api/scorecards/v1/entities/results?entityRef=component:default/checkout-api',
      )
    ).body.results as Result[];
    const storefrontCard = checkout.find(
      r => r.scorecardId === 'newcomer-friendly',
    )!;
    expect(storefrontCard.levelId).toBeNull();
    expect(
      storefrontCard.checks.every(c => !c.passed && c.message === 'no data'),
    ).toBe(true);
  });
});
