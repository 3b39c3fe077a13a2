import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { CheckResult } from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import { DatabaseScorecardsStore } from './DatabaseScorecardsStore';
import { ResultToSave } from './ScorecardsStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const PAYMENTS = 'group:default/payments';
const STOREFRONT = 'group:default/storefront';

const check = (
  checkId: string,
  passed: boolean,
  waived = false,
): CheckResult => ({
  checkId,
  value: passed,
  passed,
  score: passed ? 100 : 0,
  message: passed ? null : 'false is not true',
  waiver: waived
    ? {
        id: 'w1',
        reason: 'r',
        expiresAt: '2099-01-01T00:00:00.000Z',
        createdBy: 'user:default/a',
      }
    : null,
});

function result(
  entity: string,
  levelIndex: number,
  checks: CheckResult[],
  overrides: Partial<ResultToSave> = {},
): ResultToSave {
  const levels = ['bronze', 'silver', 'gold'];
  return {
    entityRef: `component:default/${entity}`,
    scorecardId: 'prod',
    ownerRef: PAYMENTS,
    systemRef: 'system:default/payments',
    levelId: levelIndex >= 0 ? levels[levelIndex] : null,
    levelIndex,
    score: Math.round(
      (100 * checks.filter(c => c.passed || c.waiver).length) / checks.length,
    ),
    checks,
    ...overrides,
  };
}

const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

describe.each(databases.eachSupportedId())(
  'DatabaseScorecardsStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseScorecardsStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseScorecardsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('stores results that read back per entity, and reports level changes against the previous result', async () => {
      const first = await store.saveResults(
        [result('api', 1, [check('owner', true), check('docs', false)])],
        day('2026-11-20'),
      );
      expect(first).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/api',
          previousLevelIndex: undefined,
          levelIndex: 1,
        }),
      ]);
      const [read] = await store.getEntityResults('component:default/api');
      expect(read).toEqual({
        entityRef: 'component:default/api',
        scorecardId: 'prod',
        ownerRef: PAYMENTS,
        systemRef: 'system:default/payments',
        levelId: 'silver',
        levelIndex: 1,
        score: 50,
        checks: [check('owner', true), check('docs', false)],
        evaluatedAt: '2026-11-20T10:00:00.000Z',
        changedAt: '2026-11-20T10:00:00.000Z',
      });

      const second = await store.saveResults(
        [result('api', 0, [check('owner', true), check('docs', false)])],
        day('2026-11-21'),
      );
      expect(second[0]).toMatchObject({ previousLevelIndex: 1, levelIndex: 0 });
    });

    it('writes history only when the state changes, at most one row per entity, scorecard and day', async () => {
      const api = (levelIndex: number, docs: boolean) =>
        result('api', levelIndex, [check('owner', true), check('docs', docs)]);
      await store.saveResults([api(0, false)], day('2026-11-01'));
      await store.saveResults([api(0, false)], day('2026-11-02')); // unchanged: no row
      await store.saveResults([api(1, true)], new Date('2026-11-03T08:00:00Z'));
      await store.saveResults(
        [api(0, false)],
        new Date('2026-11-03T20:00:00Z'),
      ); // same day: replaces
      await store.saveResults([api(1, true)], day('2026-11-05'));

      const [current] = await store.getEntityResults('component:default/api');
      expect(current.changedAt).toBe('2026-11-05T10:00:00.000Z');

      const points = await store.getEntityHistory({
        entityRef: 'component:default/api',
        from: '2026-11-02',
        to: '2026-11-30',
      });
      expect(points.map(p => [p.day, p.levelId, p.failingChecks])).toEqual([
        // The state at `from` carries over from the last change before it.
        ['2026-11-01', 'bronze', ['docs']],
        ['2026-11-03', 'bronze', ['docs']],
        ['2026-11-05', 'silver', []],
      ]);
    });

    it('rolls results up per team and system for the org summary and a group, filtered', async () => {
      await store.saveResults(
        [
          result('api', 1, [check('owner', true), check('docs', true)]),
          result('ledger', 0, [check('owner', true), check('docs', false)]),
          result('fraud', -1, [
            check('owner', false),
            check('docs', false, true),
          ]),
          result('web', 1, [check('owner', true), check('docs', true)], {
            ownerRef: STOREFRONT,
            systemRef: 'system:default/storefront',
          }),
          result('orphan', -1, [check('owner', false), check('docs', false)], {
            ownerRef: null,
            systemRef: null,
          }),
        ],
        day('2026-11-20'),
      );
      await store.rebuildRollups();

      const summary = await store.getOrgSummary({});
      expect(summary.scorecards).toEqual([
        {
          scorecardId: 'prod',
          entities: 5,
          // 100 + 50 + 50 (the waived check counts 100) + 100 + 0
          averageScore: 60,
          levels: expect.arrayContaining([
            { levelId: null, count: 2 },
            { levelId: 'bronze', count: 1 },
            { levelId: 'silver', count: 2 },
          ]),
        },
      ]);
      expect(summary.heatmap).toEqual(
        expect.arrayContaining([
          {
            scorecardId: 'prod',
            ownerRef: PAYMENTS,
            checkId: 'owner',
            entities: 3,
            passing: 2,
            share: 0.667,
          },
          // The waived check counts as passing.
          {
            scorecardId: 'prod',
            ownerRef: PAYMENTS,
            checkId: 'docs',
            entities: 3,
            passing: 2,
            share: 0.667,
          },
          {
            scorecardId: 'prod',
            ownerRef: STOREFRONT,
            checkId: 'docs',
            entities: 1,
            passing: 1,
            share: 1,
          },
          {
            scorecardId: 'prod',
            ownerRef: null,
            checkId: 'docs',
            entities: 1,
            passing: 0,
            share: 0,
          },
        ]),
      );
      expect(summary.heatmap).toHaveLength(6);

      const storefront = await store.getOrgSummary({
        systemRefs: ['system:default/storefront'],
      });
      expect(storefront.scorecards[0]).toMatchObject({
        entities: 1,
        levels: [{ levelId: 'silver', count: 1 }],
      });
      const payments = await store.getOrgSummary({
        ownerRefs: [PAYMENTS],
        scorecardIds: ['prod'],
      });
      expect(payments.scorecards[0].entities).toBe(3);
      expect(await store.getOrgSummary({ scorecardIds: ['other'] })).toEqual({
        scorecards: [],
        heatmap: [],
      });

      const group = await store.getGroupRollup(PAYMENTS);
      expect(group.scorecards).toHaveLength(1);
      expect(
        group.scorecards[0].entities.map(e => [e.entityRef, e.levelId]),
      ).toEqual([
        ['component:default/api', 'silver'],
        ['component:default/fraud', null],
        ['component:default/ledger', 'bronze'],
      ]);
      expect(group.scorecards[0].failingChecks).toEqual([
        {
          scorecardId: 'prod',
          checkId: 'docs',
          entities: 3,
          passing: 2,
          failing: 1,
          share: 0.667,
        },
        {
          scorecardId: 'prod',
          checkId: 'owner',
          entities: 3,
          passing: 2,
          failing: 1,
          share: 0.667,
        },
      ]);
    });

    it('rebuilds only the roll-ups of the given owners after a single refresh', async () => {
      await store.saveResults(
        [
          result('api', 0, [check('owner', true), check('docs', false)]),
          result('web', 0, [check('owner', true), check('docs', false)], {
            ownerRef: STOREFRONT,
          }),
        ],
        day('2026-11-20'),
      );
      await store.rebuildRollups();
      await store.saveResults(
        [
          result('api', 1, [check('owner', true), check('docs', true)]),
          result('web', 1, [check('owner', true), check('docs', true)], {
            ownerRef: STOREFRONT,
          }),
        ],
        day('2026-11-21'),
      );
      await store.rebuildRollups({
        scorecardIds: ['prod'],
        ownerRefs: [PAYMENTS],
      });
      const { heatmap } = await store.getOrgSummary({});
      const docs = (owner: string) =>
        heatmap.find(c => c.ownerRef === owner && c.checkId === 'docs')!
          .passing;
      expect(docs(PAYMENTS)).toBe(1);
      expect(docs(STOREFRONT)).toBe(0);
    });

    it('removes results not evaluated since a run started, with their check rows', async () => {
      await store.saveResults(
        [result('gone', 0, [check('owner', true)])],
        day('2026-11-19'),
      );
      await store.saveResults(
        [result('kept', 0, [check('owner', true)])],
        day('2026-11-21'),
      );
      expect(await store.deleteResultsEvaluatedBefore(day('2026-11-20'))).toBe(
        1,
      );
      await store.rebuildRollups();
      expect(await store.getEntityResults('component:default/gone')).toEqual(
        [],
      );
      expect((await store.getOrgSummary({})).heatmap).toEqual([
        expect.objectContaining({ checkId: 'owner', entities: 1, passing: 1 }),
      ]);
    });

    it('snapshots daily summaries for team and org trends', async () => {
      await store.saveResults(
        [
          result('api', 1, [check('owner', true)]),
          result('web', 0, [check('owner', true)], { ownerRef: STOREFRONT }),
        ],
        day('2026-11-20'),
      );
      await store.rebuildRollups();
      await store.writeDailySummary('2026-11-20');
      await store.writeDailySummary('2026-11-20'); // the last run of the day wins, no duplicates
      const org = await store.getTrend({
        from: '2026-11-01',
        to: '2026-11-30',
      });
      expect(org).toEqual([
        {
          day: '2026-11-20',
          scorecardId: 'prod',
          entities: 2,
          averageScore: 100,
          levels: expect.arrayContaining([
            { levelId: 'bronze', count: 1 },
            { levelId: 'silver', count: 1 },
          ]),
        },
      ]);
      const team = await store.getTrend({
        ownerRef: STOREFRONT,
        from: '2026-11-01',
        to: '2026-11-30',
      });
      expect(team[0]).toMatchObject({
        entities: 1,
        levels: [{ levelId: 'bronze', count: 1 }],
      });
      expect(
        await store.getTrend({ from: '2026-12-01', to: '2026-12-31' }),
      ).toEqual([]);
    });

    it('keeps one spelling of entity, owner and system refs, whatever case a caller writes or reads them in', async () => {
      await store.saveResults(
        [
          result(
            'Payments-API',
            0,
            [check('owner', true), check('docs', false)],
            {
              ownerRef: 'group:default/Payments',
              systemRef: 'System:Default/Payments',
            },
          ),
        ],
        day('2026-11-20'),
      );
      await store.rebuildRollups();
      await store.writeDailySummary('2026-11-20');

      const [read] = await store.getEntityResults(
        'component:default/payments-api',
      );
      expect(read).toMatchObject({
        entityRef: 'component:default/payments-api',
        ownerRef: PAYMENTS,
        systemRef: 'system:default/payments',
        levelId: 'bronze',
      });
      expect(
        await store.getEntityResults('Component:Default/PAYMENTS-API'),
      ).toHaveLength(1);
      expect(
        await store.listEntityResults(['component:default/Payments-Api']),
      ).toHaveLength(1);
      expect(
        (await store.getGroupRollup('group:default/Payments')).scorecards[0]
          .entities,
      ).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/payments-api',
          levelId: 'bronze',
        }),
      ]);
      expect(
        (await store.getOrgSummary({ ownerRefs: [PAYMENTS] })).scorecards[0]
          .entities,
      ).toBe(1);
      expect(
        (await store.getOrgSummary({ systemRefs: ['system:default/PAYMENTS'] }))
          .scorecards[0].entities,
      ).toBe(1);
      expect(
        await store.getTrend({
          ownerRef: 'group:default/PAYMENTS',
          from: '2026-11-01',
          to: '2026-11-30',
        }),
      ).toEqual([expect.objectContaining({ day: '2026-11-20', entities: 1 })]);
      const points = await store.getEntityHistory({
        entityRef: 'component:default/PAYMENTS-API',
        from: '2026-11-01',
        to: '2026-11-30',
      });
      expect(points.map(p => [p.day, p.levelId])).toEqual([
        ['2026-11-20', 'bronze'],
      ]);

      // A later save in the catalog's other spelling replaces the result instead of adding one.
      await store.saveResults(
        [
          result('payments-api', 1, [
            check('owner', true),
            check('docs', true),
          ]),
        ],
        day('2026-11-21'),
      );
      expect(
        await store.getEntityResults('component:default/payments-api'),
      ).toEqual([expect.objectContaining({ levelId: 'silver' })]);
      await store.deleteEntityResults('component:default/Payments-API', [
        'prod',
      ]);
      expect(
        await store.getEntityResults('component:default/payments-api'),
      ).toEqual([]);
    });

    it('writes the roll-ups as upserts: a rebuild over rows another rebuild wrote leaves one row per key', async () => {
      await store.saveResults(
        [
          result('api', 1, [check('owner', true), check('docs', true)]),
          result('web', 0, [check('owner', true), check('docs', false)], {
            ownerRef: STOREFRONT,
          }),
        ],
        day('2026-11-20'),
      );
      await store.rebuildRollups();
      await store.rebuildRollups({
        scorecardIds: ['prod'],
        ownerRefs: [PAYMENTS, STOREFRONT],
      });
      await store.rebuildRollups();
      const duplicates = async (table: string, key: string[]) =>
        knex(table)
          .select(key)
          .count({ n: '*' })
          .groupBy(key)
          .havingRaw('count(*) > 1');
      expect(
        await duplicates('scorecard_check_rollups', [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'check_id',
        ]),
      ).toEqual([]);
      expect(
        await duplicates('scorecard_level_rollups', [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'level_id',
        ]),
      ).toEqual([]);
      expect((await store.getOrgSummary({})).scorecards[0].entities).toBe(2);
    });

    it('allows one on-demand refresh per entity per interval, in any spelling of its ref', async () => {
      const at = new Date('2026-11-20T10:00:00Z');
      const later = (seconds: number) =>
        new Date(at.getTime() + seconds * 1000);
      expect(
        await store.claimRefresh(
          'component:default/api',
          'user:default/a',
          at,
          30_000,
        ),
      ).toEqual({ claimed: true });
      expect(
        await store.claimRefresh(
          'component:default/API',
          'user:default/b',
          later(10),
          30_000,
        ),
      ).toEqual({
        claimed: false,
        lastRefreshedAt: '2026-11-20T10:00:00.000Z',
      });
      expect(
        await store.claimRefresh(
          'component:default/other',
          'user:default/b',
          later(10),
          30_000,
        ),
      ).toEqual({
        claimed: true,
      });
      expect(
        await store.claimRefresh(
          'component:default/api',
          'user:default/b',
          later(30),
          30_000,
        ),
      ).toEqual({
        claimed: true,
      });
      // Of several at once, one wins.
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(i =>
          store.claimRefresh(
            'component:default/api',
            `user:default/u${i}`,
            later(100),
            30_000,
          ),
        ),
      );
      expect(outcomes.filter(o => o.claimed)).toHaveLength(1);
    });

    it('records runs', async () => {
      expect(await store.lastFinishedRunAt()).toBeNull();
      const id = await store.startRun(new Date());
      await store.finishRun(id, { entities: 3, results: 6 });
      expect(await store.lastFinishedRunAt()).toEqual(expect.any(String));
      const failed = await store.startRun(new Date());
      await store.finishRun(failed, { error: 'boom' });
      expect(failed).toBeGreaterThan(id);
    });
  },
);
