import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { FigureDescriptor } from '@vitals/plugin-goals-common';
import { Knex } from 'knex';
import { DatabaseGoalsStore } from '../database/DatabaseGoalsStore';
import { CampaignEvaluator } from '../service/CampaignEvaluator';
import { FigureReader } from '../service/FigureReader';
import { goalView } from '../service/goalView';
import { baselineFor, seedDemoData } from './seedDemoData';

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const NOW = new Date('2026-12-06T22:00:00Z');

/** What the demo DORA figures answer, by team and metric. */
const LIVE: Record<string, number> = {
  'group:default/payments/leadTimeForChanges': 30,
  'group:default/payments/deploymentFrequency': 3,
  'group:default/storefront/changeFailureRate': 20,
  'group:default/storefront/leadTimeForChanges': 60,
};

const reader = (available = true): FigureReader => ({
  read: async (figure: FigureDescriptor) => ({
    value: available ? LIVE[`${figure.scope.ref}/${figure.metric}`] : null,
    available,
    reason: available ? null : 'The dora area did not answer',
    at: NOW,
  }),
});

const entity = (
  name: string,
  owner: string,
  state: 'done' | 'waived' | 'open',
) => ({
  entityRef: `component:default/${name}`,
  ownerRef: `group:default/${owner}`,
  state,
  failingChecks: state === 'open' ? ['production-readiness/has-techdocs'] : [],
  waivedChecks: state === 'waived' ? ['production-readiness/has-runbook'] : [],
});
const evaluator = {
  evaluate: async () => ({
    entities: [
      entity('a', 'payments', 'done'),
      entity('b', 'payments', 'waived'),
      entity('c', 'storefront', 'done'),
      entity('d', 'storefront', 'open'),
    ],
    teams: [],
  }),
} as unknown as CampaignEvaluator;

describe('baselineFor', () => {
  it('solves the progress formula for the baseline', () => {
    // From 50 to a target of 20, at 30 now: 20 of 30 gained = 2/3.
    expect(baselineFor(30, 20, 2 / 3)).toBe(50);
  });
});

describe('seedDemoData', () => {
  let knex: Knex;
  afterEach(async () => knex?.destroy());

  it('seeds Payments on track and Storefront at risk on the live figures, and a campaign whose burn-up moves, once', async () => {
    knex = await databases.init('SQLITE_3');
    const store = await DatabaseGoalsStore.create({
      database: mockServices.database({ knex }),
    });
    const logger = mockServices.logger.mock();
    expect(
      await seedDemoData({
        store,
        reader: reader(false),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(false);
    expect((await store.listGoals({ limit: 10, offset: 0 })).totalCount).toBe(
      0,
    );

    expect(
      await seedDemoData({
        store,
        reader: reader(),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(true);
    const { goals } = await store.listGoals({ limit: 10, offset: 0 });
    const byOwner = Object.fromEntries(
      goals.map(g => [g.ownerRef, goalView(g, NOW)]),
    );
    // 6 December: 66.9 of 92 days of 2026-Q4, 72.7 % expected.
    expect(byOwner['group:default/payments']).toMatchObject({
      period: '2026-Q4',
      expectedProgress: 72.7,
      status: 'on_track',
    });
    expect(byOwner['group:default/payments'].keyResults[0]).toMatchObject({
      current: 30,
      target: 18,
      progress: 77.7,
    });
    expect(byOwner['group:default/storefront']).toMatchObject({
      status: 'at_risk',
    });
    expect(byOwner['group:default/storefront'].keyResults[0].progress).toBe(
      54.7,
    );

    const { campaigns } = await store.listCampaigns({
      today: '2026-12-06',
      limit: 10,
      offset: 0,
    });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ deadline: '2026-12-27' });
    const burnUp = (await store.getBurnUp(campaigns[0].id)).filter(
      p => p.ownerRef === null,
    );
    expect(burnUp).toHaveLength(28);
    expect(burnUp[0]).toMatchObject({
      day: '2026-11-08',
      entities: 4,
      done: 0,
    });
    expect(burnUp[27]).toMatchObject({ day: '2026-12-05', done: 3, waived: 1 });
    const dones = burnUp.map(p => p.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));

    expect(
      await seedDemoData({
        store,
        reader: reader(),
        evaluator,
        logger,
        now: NOW,
      }),
    ).toBe(false);
    expect((await store.listGoals({ limit: 10, offset: 0 })).totalCount).toBe(
      2,
    );
  });
});
