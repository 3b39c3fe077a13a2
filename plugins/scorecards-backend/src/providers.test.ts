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
import ownershipPlugin from '@vitals/plugin-ownership-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- a test against the real backend, not shipped
import techDebtPlugin from '@vitals/plugin-tech-debt-backend';
import request from 'supertest';
import scorecardsPlugin from './index';

jest.setTimeout(180_000);

const USER = mockCredentials.user.header('user:default/guest');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

type Check = {
  checkId: string;
  value: unknown;
  passed: boolean;
  message: string | null;
};
type Result = { scorecardId: string; levelId: string | null; checks: Check[] };

/** Every DORA and ownership fact the example scorecards do not already check, so that the evaluation asks for it. */
const factsCard = {
  id: 'provider-facts',
  title: 'Provider facts',
  appliesTo: { kind: ['Component'] },
  levels: [{ id: 'seen', title: 'Seen' }],
  checks: [
    'dora.deploymentCount',
    'dora.monthlyMedianDeploymentDays',
    'dora.leadTimeTier',
    'dora.changeFailureRateTier',
    'dora.timeToRestoreTier',
    'ownership.healthy',
    'ownership.problems',
    'ownership.problemCount',
    'ownership.confirmationStatus',
    'ownership.confirmationAgeDays',
    'ownership.ownerMembers',
  ].map(fact => ({
    id: fact.replace('.', '-'),
    title: fact,
    fact,
    operator: 'exists',
    level: 'seen',
  })),
};

/**
 * Delivery events for a service relative to `now`: `deployments` successful production deployments `everyDays` apart
 * (the latest `firstOffsetDays` ago), a plain commit `leadMinutes` before each of the last five, and an incident
 * `restoreMinutes` long right after each of the first `failures` deployments.
 */
function deliveryEvents(
  name: string,
  now: number,
  o: {
    deployments: number;
    everyDays: number;
    firstOffsetDays: number;
    leadMinutes: number;
    failures: number;
    restoreMinutes: number;
  },
) {
  const entityRef = `component:default/${name}`;
  const events: object[] = [];
  for (let i = 0; i < o.deployments; i++) {
    const finishedAt = now - (o.firstOffsetDays + i * o.everyDays) * DAY;
    const sha = `${name}-sha-${i}`;
    events.push({
      type: 'deployment',
      id: `${name}-deploy-${i}`,
      entityRef,
      environment: 'production',
      status: 'success',
      finishedAt: new Date(finishedAt).toISOString(),
      commitShas: [sha],
    });
    if (i < 5) {
      events.push({
        type: 'change',
        id: `${name}-change-${i}`,
        entityRef,
        sha,
        authoredAt: new Date(finishedAt - o.leadMinutes * MINUTE).toISOString(),
      });
    }
    if (i < o.failures) {
      const createdAt = finishedAt + 10 * MINUTE;
      events.push({
        type: 'incident',
        id: `${name}-incident-${i}`,
        entityRef,
        createdAt: new Date(createdAt).toISOString(),
        resolvedAt: new Date(
          createdAt + o.restoreMinutes * MINUTE,
        ).toISOString(),
      });
    }
  }
  return events;
}

describe('DORA and ownership fact providers against the real DORA, ownership and catalog backends', () => {
  let backend: TestBackend;
  const scheduler = mockScheduler();

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scorecardsPlugin,
        doraPlugin,
        ownershipPlugin,
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
            },
            // Demo data for ownership confirmations only: the DORA demo seed is never triggered (the events below are
            // the whole DORA history), nor the tech-debt one (no open debt).
            vitals: { demo: { enabled: true } },
          },
        }),
      ],
    });
    await waitForExampleCatalog(backend.server, { authorization: USER });
    await scheduler.triggerTask('ownership-demo-seed');

    const now = Date.now();
    const events = [
      // Every day for 90 days, 2 failures restored in 30 minutes, 2-hour lead time: elite on every metric.
      ...deliveryEvents('payments-api', now, {
        deployments: 90,
        everyDays: 1,
        firstOffsetDays: 0.5,
        leadMinutes: 120,
        failures: 2,
        restoreMinutes: 30,
      }),
      // Weekly, 1 failure of 13 restored in 10 hours, 3-day lead time: high on every metric.
      ...deliveryEvents('ledger-service', now, {
        deployments: 13,
        everyDays: 7,
        firstOffsetDays: 3.5,
        leadMinutes: 3 * 1440,
        failures: 1,
        restoreMinutes: 600,
      }),
    ];
    const posted = await request(backend.server)
      .post('/api/dora/v1/events')
      .set('Authorization', USER)
      .send({ events });
    if (posted.status !== 200 || posted.body.accepted !== events.length) {
      throw new Error(
        `Posting ${events.length} DORA events failed: ${
          posted.status
        } ${posted.text.slice(0, 300)}`,
      );
    }

    await scheduler.triggerTask('scorecards-evaluate');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const get = (url: string) =>
    request(backend.server).get(url).set('Authorization', USER);
  const resultsOf = async (name: string) =>
    (
      await get(
        `/api/scorecards/v1/entities/results?entityRef=component:default/${name}`,
      )
    ).body.results as Result[];
  const checkOf = (results: Result[], scorecardId: string, checkId: string) =>
    results
      .find(r => r.scorecardId === scorecardId)!
      .checks.find(c => c.checkId === checkId)!;
  const valuesOf = (results: Result[]) =>
    Object.fromEntries(
      results
        .find(r => r.scorecardId === 'provider-facts')!
        .checks.map(c => [c.checkId, c.value]),
    );

  it('lists the DORA and ownership facts with the definitions', async () => {
    const res = await get('/api/scorecards/v1/definitions');
    expect(res.status).toBe(200);
    const ids = JSON.stringify(res.body);
    for (const id of [
      'dora.weeklyMedianDeploymentDays',
      'dora.timeToRestoreTier',
      'ownership.healthy',
      'ownership.ownerMembers',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('reads the DORA metrics of the posted events over HTTP, with tiers', async () => {
    const payments = await resultsOf('payments-api');
    expect(
      checkOf(payments, 'delivery-performance', 'deploys-weekly'),
    ).toMatchObject({ value: 7, passed: true });
    expect(
      checkOf(payments, 'delivery-performance', 'lead-time-week'),
    ).toMatchObject({ value: 120, passed: true });
    expect(
      checkOf(payments, 'delivery-performance', 'change-failure-rate').value,
    ).toBeCloseTo(2 / 90, 3);
    expect(
      checkOf(payments, 'delivery-performance', 'restore-within-a-day'),
    ).toMatchObject({ value: 30, passed: true });
    expect(
      checkOf(payments, 'delivery-performance', 'elite-deployment-frequency'),
    ).toMatchObject({
      value: 'elite',
      passed: true,
    });
    expect(valuesOf(payments)).toMatchObject({
      'dora-deploymentCount': 90,
      'dora-leadTimeTier': 'elite',
      'dora-changeFailureRateTier': 'elite',
      'dora-timeToRestoreTier': 'elite',
    });

    const ledger = await resultsOf('ledger-service');
    expect(
      checkOf(ledger, 'delivery-performance', 'deploys-weekly'),
    ).toMatchObject({ value: 1, passed: true });
    expect(
      checkOf(ledger, 'delivery-performance', 'lead-time-week'),
    ).toMatchObject({ value: 4320, passed: true });
    expect(
      checkOf(ledger, 'delivery-performance', 'change-failure-rate').value,
    ).toBeCloseTo(1 / 13, 3);
    expect(
      checkOf(ledger, 'delivery-performance', 'restore-within-a-day'),
    ).toMatchObject({ value: 600, passed: true });
    expect(
      checkOf(ledger, 'delivery-performance', 'elite-deployment-frequency'),
    ).toMatchObject({
      value: 'high',
      passed: false,
    });
    expect(valuesOf(ledger)).toMatchObject({
      'dora-deploymentCount': 13,
      'dora-leadTimeTier': 'high',
      'dora-changeFailureRateTier': 'high',
      'dora-timeToRestoreTier': 'high',
    });

    // The same figures the DORA API gives a user.
    const metrics = await get(
      '/api/dora/v1/metrics?entityRef=component:default/ledger-service',
    );
    expect(metrics.status).toBe(200);
    expect(metrics.body.leadTimeForChanges.medianMinutes).toBe(4320);

    // No events: no deployments is data (weekly median 0, tier low), the other metrics are "no data".
    const promo = await resultsOf('promo-engine');
    expect(
      checkOf(promo, 'delivery-performance', 'deploys-weekly'),
    ).toMatchObject({ value: 0, passed: false });
    expect(
      checkOf(promo, 'delivery-performance', 'lead-time-week'),
    ).toMatchObject({ passed: false, message: 'no data' });
    expect(
      checkOf(promo, 'delivery-performance', 'elite-deployment-frequency')
        .value,
    ).toBe('low');
  });

  it('puts the services on different "Delivery performance" levels', async () => {
    const level = async (name: string) =>
      (await resultsOf(name)).find(
        r => r.scorecardId === 'delivery-performance',
      )!.levelId;
    expect(await level('payments-api')).toBe('gold');
    expect(await level('ledger-service')).toBe('silver');
    expect(await level('promo-engine')).toBeNull();
  });

  it('reads ownership health over HTTP: verdict, problems, confirmation age, owner members', async () => {
    for (const name of ['payments-api', 'checkout-api', 'legacy-reporting']) {
      const res = await get(
        `/api/ownership/v1/entities/component/default/${name}`,
      );
      expect(res.status).toBe(200);
      const o = res.body;
      const confirmedAt = o.confirmation.lastConfirmedAt
        ? Date.parse(o.confirmation.lastConfirmedAt)
        : null;
      expect(valuesOf(await resultsOf(name))).toEqual(
        expect.objectContaining({
          'ownership-healthy': o.healthy,
          'ownership-problems': o.problems.map((p: { kind: string }) => p.kind),
          'ownership-problemCount': o.problems.length,
          'ownership-confirmationStatus': o.confirmation.status,
          'ownership-confirmationAgeDays':
            confirmedAt === null
              ? null
              : Math.floor((Date.now() - confirmedAt) / DAY),
          'ownership-ownerMembers': o.owner ? o.owner.memberCount : null,
        }),
      );
    }
    // The demo seed: payments-api is left unconfirmed, checkout-api was confirmed 212 days ago (overdue).
    const payments = valuesOf(await resultsOf('payments-api'));
    expect(payments['ownership-confirmationAgeDays']).toBeNull();
    expect(payments['ownership-healthy']).toBe(false);
    const checkout = valuesOf(await resultsOf('checkout-api'));
    expect(checkout['ownership-confirmationAgeDays']).toBeGreaterThanOrEqual(
      211,
    );
    expect(checkout['ownership-problems']).toContain('confirmation-overdue');
    expect(checkout['ownership-ownerMembers']).toEqual(expect.any(Number));
  });
});
