import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  evaluateScorecard,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import { DatabaseScorecardsStore } from '../database/DatabaseScorecardsStore';
import {
  DEMO_HISTORY_WEEKS,
  demoHistoryOf,
  seedDemoHistory,
} from './seedDemoHistory';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const DEFINITION: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Owner',
      fact: 'owner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'runbook',
      title: 'Runbook',
      fact: 'runbook',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'docs',
      title: 'Docs',
      fact: 'docs',
      operator: '==',
      threshold: true,
      level: 'silver',
    },
    {
      id: 'debt',
      title: 'Debt',
      fact: 'debt',
      operator: '<=',
      threshold: 2,
      level: 'silver',
    },
    {
      id: 'oncall',
      title: 'On call',
      fact: 'oncall',
      operator: '==',
      threshold: true,
      level: 'gold',
    },
    {
      id: 'slo',
      title: 'SLO',
      fact: 'slo',
      operator: '==',
      threshold: true,
      level: 'gold',
    },
  ],
};

const ENTITIES = [
  'payments-api',
  'ledger-service',
  'fraud-detector',
  'storefront-web',
  'checkout-api',
  'catalog-search',
];

/** Today's evaluation of an example entity: every other fact differs, so the entities land on different levels. */
function evaluationOf(name: string, index: number) {
  const facts = {
    owner: true,
    runbook: index % 3 !== 0,
    docs: index % 2 === 0,
    debt: index,
    oncall: index % 2 === 1,
    slo: false,
  };
  return {
    ...evaluateScorecard(DEFINITION, facts),
    entityRef: `component:default/${name}`,
    ownerRef: index < 3 ? 'group:default/payments' : 'group:default/storefront',
    systemRef: null,
  };
}

const NOW = new Date('2026-12-10T09:00:00Z');
const TODAY = '2026-12-10';

describe('demoHistoryOf', () => {
  it('gives a point a week before today, consistent with the scorecard rules, and the same each time', () => {
    const result = evaluationOf('payments-api', 1);
    const points = demoHistoryOf(result, DEFINITION, NOW);
    expect(points).toHaveLength(DEMO_HISTORY_WEEKS);
    expect(points[points.length - 1].day).toBe('2026-12-03');
    expect(points[0].day < '2026-06-15').toBe(true);
    for (const p of points) {
      // A level is reached only when none of its checks or a lower level's fails.
      const failingLevels = new Set(
        p.failingChecks.map(
          id => DEFINITION.checks.find(c => c.id === id)!.level,
        ),
      );
      const firstFailing = DEFINITION.levels.findIndex(l =>
        failingLevels.has(l.id),
      );
      expect(p.levelIndex).toBe(
        firstFailing === -1 ? DEFINITION.levels.length - 1 : firstFailing - 1,
      );
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(100);
    }
    expect(demoHistoryOf(result, DEFINITION, NOW)).toEqual(points);
  });

  it('changes gradually over time for most entities, each its own way', () => {
    const histories = ENTITIES.map((name, i) =>
      demoHistoryOf(evaluationOf(name, i), DEFINITION, NOW).map(p => p.score),
    );
    const changing = histories.filter(scores => new Set(scores).size > 1);
    expect(changing.length).toBeGreaterThanOrEqual(ENTITIES.length / 2);
    expect(new Set(changing.map(s => s.join(','))).size).toBe(changing.length);
  });
});

describe.each(databases.eachSupportedId())(
  'seedDemoHistory on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseScorecardsStore;
    const logger = mockServices.logger.mock();

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseScorecardsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const historyRows = async () =>
      Number(((await knex('scorecard_history').count({ n: '*' })) as any)[0].n);

    it('waits for the first evaluation', async () => {
      await expect(
        seedDemoHistory({ store, definitions: [DEFINITION], logger, now: NOW }),
      ).resolves.toBeNull();
      expect(await historyRows()).toBe(0);
    });

    it('seeds weeks of history per entity leading to the current result, and trends, once', async () => {
      await store.saveResults(
        ENTITIES.map((name, i) => evaluationOf(name, i)),
        NOW,
      );
      await store.rebuildRollups();
      await store.writeDailySummary(TODAY);

      const written = await seedDemoHistory({
        store,
        definitions: [DEFINITION],
        logger,
        now: NOW,
      });
      expect(written).toBe(ENTITIES.length * DEMO_HISTORY_WEEKS);

      for (const [i, name] of ENTITIES.entries()) {
        const points = await store.getEntityHistory({
          entityRef: `component:default/${name}`,
          scorecardId: 'prod',
          from: '2026-01-01',
          to: TODAY,
        });
        // The seeded weeks, then today's real evaluation.
        expect(points).toHaveLength(DEMO_HISTORY_WEEKS + 1);
        expect(points[points.length - 1]).toMatchObject({
          day: TODAY,
          score: evaluationOf(name, i).score,
        });
      }

      const trend = await store.getTrend({
        ownerRef: 'group:default/payments',
        scorecardId: 'prod',
        from: '2026-01-01',
        to: TODAY,
      });
      expect(trend).toHaveLength(DEMO_HISTORY_WEEKS + 1);
      expect(trend.every(p => p.entities === 3)).toBe(true);

      // Again (another replica, a restart), and a week later: nothing more.
      const rows = await historyRows();
      await expect(
        seedDemoHistory({ store, definitions: [DEFINITION], logger, now: NOW }),
      ).resolves.toBe(0);
      await expect(
        seedDemoHistory({
          store,
          definitions: [DEFINITION],
          logger,
          now: new Date(NOW.getTime() + 7 * 86_400_000),
        }),
      ).resolves.toBe(0);
      expect(await historyRows()).toBe(rows);
    });

    it('seeds an entity evaluated later, and leaves entities that already have history alone', async () => {
      await store.saveResults([evaluationOf('payments-api', 0)], NOW);
      await seedDemoHistory({
        store,
        definitions: [DEFINITION],
        logger,
        now: NOW,
      });
      await store.saveResults([evaluationOf('ledger-service', 1)], NOW);
      await expect(
        seedDemoHistory({ store, definitions: [DEFINITION], logger, now: NOW }),
      ).resolves.toBe(DEMO_HISTORY_WEEKS);
      expect(await historyRows()).toBe(2 * (DEMO_HISTORY_WEEKS + 1));
      const trend = await store.getTrend({
        scorecardId: 'prod',
        from: '2026-01-01',
        to: '2026-12-09',
      });
      expect(trend.every(p => p.entities === 2)).toBe(true);
    });
  },
);
