import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { periodRange } from '@vitals/plugin-goals-common';
import { Knex } from 'knex';
import { goalDetailView, goalView } from '../service/goalView';
import { DatabaseGoalsStore } from './DatabaseGoalsStore';
import { KeyResultToWrite, NewCampaign, NewGoal } from './GoalsStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const Q4 = periodRange('2026-Q4'); // 1 Oct 2026 – 1 Jan 2027, 92 days
const at = (iso: string) => new Date(iso);

const leadTime = {
  source: 'dora' as const,
  metric: 'leadTimeForChanges',
  scope: { kind: 'team' as const, ref: 'group:default/payments' },
};
const coverage = {
  source: 'ownership' as const,
  metric: 'coverage',
  scope: { kind: 'team' as const, ref: 'group:default/payments' },
};

function reading(value: number | null, when: string) {
  return { value, available: true, reason: null, at: at(when) };
}

function newGoal(
  keyResults: KeyResultToWrite[],
  overrides: Partial<NewGoal> = {},
): NewGoal {
  return {
    objective: 'Ship smaller changes, faster',
    description: '',
    ownerRef: 'group:default/payments',
    period: '2026-Q4',
    periodStart: Q4.start,
    periodEnd: Q4.end,
    keyResults,
    ...overrides,
  };
}

const campaign: NewCampaign = {
  name: 'TechDocs everywhere',
  description: '',
  checks: [{ scorecardId: 'production-readiness', checkId: 'has-techdocs' }],
  selection: { kind: ['component'] },
  deadline: '2026-12-15',
  effortDaysPerEntity: 2,
  reminderDaysBefore: [14, 7, 1],
};

describe.each(databases.eachSupportedId())(
  'DatabaseGoalsStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseGoalsStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseGoalsStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    it('computes progress, expected progress and status from stored figures (hand-worked)', async () => {
      // Created on 1 October, the period's start, with both figures read then as baselines.
      const created = await store.createGoal(
        newGoal([
          {
            title: 'Lead time under a day',
            figure: leadTime,
            direction: 'down',
            target: 24,
            baseline: 48,
            reading: reading(48, '2026-10-01T00:00:00Z'),
          },
          {
            title: 'Ownership coverage 90 %',
            figure: coverage,
            direction: 'up',
            target: 90,
            baseline: 60,
            reading: reading(60, '2026-10-01T00:00:00Z'),
          },
        ]),
        ALICE,
        at('2026-10-01T00:00:00Z'),
      );
      const [lead, cover] = created.keyResults;

      // 16 November (46 of 92 days: 50 % expected): lead time 36 h, coverage 67 %.
      await store.recordReading(
        lead.id,
        reading(36, '2026-11-16T00:00:00Z'),
        true,
      );
      await store.recordReading(
        cover.id,
        reading(67, '2026-11-16T00:00:00Z'),
        true,
      );

      const goal = goalView(
        (await store.getGoal(created.id))!,
        at('2026-11-16T00:00:00Z'),
      );
      expect(goal.expectedProgress).toBe(50);
      // Lead time: 12 of the 24 hours to gain = 50 %, on track.
      expect(goal.keyResults[0]).toMatchObject({
        baseline: 48,
        current: 36,
        progress: 50,
        status: 'on_track',
        unit: 'hours',
        manual: false,
      });
      // Coverage: 7 of the 30 points = 23.3 %, 26.7 points behind: off track.
      expect(goal.keyResults[1]).toMatchObject({
        baseline: 60,
        current: 67,
        progress: 23.3,
        status: 'off_track',
        unit: '%',
      });
      // The goal: mean of 50 and 23.3 = 36.7 %, 13.3 points behind: at risk.
      expect(goal).toMatchObject({ progress: 36.7, status: 'at_risk' });

      // The trend holds a value per day, the last read of the day.
      await store.recordReading(
        lead.id,
        reading(30, '2026-11-16T18:00:00Z'),
        true,
      );
      const detail = goalDetailView(
        (await store.getGoal(created.id))!,
        await store.getTrends([lead.id, cover.id]),
        at('2026-11-16T18:00:00Z'),
      );
      expect(detail.keyResults[0].trend).toEqual([
        { day: '2026-10-01', value: 48 },
        { day: '2026-11-16', value: 30 },
      ]);
    });

    it('records the baseline on the first reading once the period has started, and says so in the history', async () => {
      const created = await store.createGoal(
        newGoal([
          {
            title: 'Lead time',
            figure: leadTime,
            direction: 'down',
            target: 24,
            baseline: null,
            reading: reading(50, '2026-09-20T00:00:00Z'),
          },
        ]),
        ALICE,
        at('2026-09-20T00:00:00Z'),
      );
      const kr = created.keyResults[0];
      expect(
        goalView(created, at('2026-09-20T00:00:00Z')).keyResults[0],
      ).toMatchObject({
        baseline: null,
        status: 'not_started',
        progress: null,
      });

      await store.recordReading(
        kr.id,
        reading(49, '2026-09-30T00:00:00Z'),
        false,
      );
      expect(
        (await store.getGoal(created.id))!.keyResults[0].baseline,
      ).toBeNull();

      await store.recordReading(
        kr.id,
        reading(46, '2026-10-01T01:00:00Z'),
        true,
      );
      await store.recordReading(
        kr.id,
        reading(40, '2026-10-02T01:00:00Z'),
        true,
      );
      const stored = (await store.getGoal(created.id))!.keyResults[0];
      expect(stored).toMatchObject({
        baseline: 46,
        baselineAt: '2026-10-01T01:00:00.000Z',
        current: 40,
      });
      const events = await store.listGoalEvents(created.id);
      expect(events.map(e => e.action)).toEqual([
        'created',
        'baseline_recorded',
      ]);
      expect(events[1].details).toEqual({ keyResultId: kr.id, baseline: 46 });
    });

    it('keeps the last value when the area does not answer, and says why', async () => {
      const created = await store.createGoal(
        newGoal([
          {
            title: 'Lead time',
            figure: leadTime,
            direction: 'down',
            target: 24,
            baseline: 48,
            reading: reading(48, '2026-10-05T00:00:00Z'),
          },
        ]),
        ALICE,
        at('2026-10-05T00:00:00Z'),
      );
      const kr = created.keyResults[0];
      await store.recordReading(
        kr.id,
        {
          value: null,
          available: false,
          reason: 'The dora area did not answer: connect ECONNREFUSED',
          at: at('2026-10-06T00:00:00Z'),
        },
        true,
      );
      expect(
        goalView((await store.getGoal(created.id))!, at('2026-10-06T00:00:00Z'))
          .keyResults[0],
      ).toMatchObject({
        available: false,
        unavailableReason: 'The dora area did not answer: connect ECONNREFUSED',
        current: 48,
        progress: 0,
      });
    });

    it('refuses a stale version with 409 and keeps key results (baseline, trend) whose figure is unchanged', async () => {
      const created = await store.createGoal(
        newGoal([
          {
            title: 'Lead time',
            figure: leadTime,
            direction: 'down',
            target: 24,
            baseline: 48,
            reading: reading(48, '2026-10-05T00:00:00Z'),
          },
          {
            title: 'Coverage',
            figure: coverage,
            direction: 'up',
            target: 90,
            baseline: 60,
            reading: reading(60, '2026-10-05T00:00:00Z'),
          },
        ]),
        ALICE,
        at('2026-10-05T00:00:00Z'),
      );
      const [lead, cover] = created.keyResults;
      const updated = await store.updateGoal(
        created.id,
        {
          objective: 'Faster',
          keyResults: [
            {
              id: lead.id,
              title: 'Lead time under 20 h',
              figure: leadTime,
              direction: 'down',
              target: 20,
              baseline: 99,
              reading: reading(99, '2026-10-06T00:00:00Z'),
            },
          ],
        },
        1,
        BOB,
        at('2026-10-06T00:00:00Z'),
      );
      expect(updated).toMatchObject({
        objective: 'Faster',
        version: 2,
        updatedBy: BOB,
      });
      expect(updated.keyResults).toHaveLength(1);
      expect(updated.keyResults[0]).toMatchObject({
        id: lead.id,
        title: 'Lead time under 20 h',
        target: 20,
        baseline: 48,
        current: 48,
      });
      await expect(
        store.updateGoal(
          created.id,
          { objective: 'Stale' },
          1,
          ALICE,
          new Date(),
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await expect(
        store.updateGoal(
          created.id,
          {
            keyResults: [
              {
                id: cover.id,
                title: 'Gone',
                figure: coverage,
                direction: 'up',
                target: 1,
                reading: reading(1, '2026-10-06T00:00:00Z'),
              },
            ],
          },
          2,
          ALICE,
          new Date(),
        ),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        store.deleteGoal(created.id, 1, ALICE),
      ).rejects.toMatchObject({
        name: 'ConflictError',
      });
      await store.deleteGoal(created.id, 2, ALICE);
      expect(await store.getGoal(created.id)).toBeUndefined();
      expect(
        (await store.listGoalEvents(created.id)).map(e => e.action),
      ).toEqual(['created', 'updated', 'deleted']);
    });

    it('takes typed-in values for a manual key result only, scoped to its goal', async () => {
      const manual = {
        source: 'manual' as const,
        metric: 'value',
        scope: { kind: 'org' as const },
        params: { unit: 'pilot customers' },
      };
      const goal = await store.createGoal(
        newGoal(
          [
            {
              title: 'Pilot customers',
              figure: manual,
              direction: 'up',
              target: 8,
              baseline: 2,
              reading: reading(2, '2026-10-05T00:00:00Z'),
            },
          ],
          { ownerRef: null },
        ),
        ALICE,
        at('2026-10-05T00:00:00Z'),
      );
      const other = await store.createGoal(
        newGoal([
          {
            title: 'Lead time',
            figure: leadTime,
            direction: 'down',
            target: 24,
            baseline: 48,
            reading: reading(48, '2026-10-05T00:00:00Z'),
          },
        ]),
        ALICE,
        at('2026-10-05T00:00:00Z'),
      );
      const krId = goal.keyResults[0].id;
      // 2 → 5 of a target of 8: half way.
      const changed = await store.setManualValue(
        goal.id,
        krId,
        5,
        1,
        BOB,
        at('2026-11-16T00:00:00Z'),
      );
      expect(
        goalView(changed, at('2026-11-16T00:00:00Z')).keyResults[0],
      ).toMatchObject({
        manual: true,
        unit: 'pilot customers',
        current: 5,
        progress: 50,
        status: 'on_track',
      });
      await expect(
        store.setManualValue(other.id, krId, 7, 1, BOB, new Date()),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        store.setManualValue(
          other.id,
          other.keyResults[0].id,
          7,
          1,
          BOB,
          new Date(),
        ),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(
        (await store.listActiveKeyResults(at('2026-11-16T00:00:00Z'))).map(
          a => a.keyResult.id,
        ),
      ).toEqual([other.keyResults[0].id]);
    });

    it('lists goals by owner (org included) and period', async () => {
      const kr: KeyResultToWrite = {
        title: 'Lead time',
        figure: leadTime,
        direction: 'down',
        target: 24,
        baseline: null,
        reading: reading(null, '2026-10-05T00:00:00Z'),
      };
      await store.createGoal(newGoal([kr]), ALICE, new Date());
      await store.createGoal(
        newGoal([kr], { ownerRef: null }),
        ALICE,
        new Date(),
      );
      await store.createGoal(
        newGoal([kr], {
          ownerRef: 'group:default/storefront',
          period: '2027-Q1',
          periodStart: periodRange('2027-Q1').start,
          periodEnd: periodRange('2027-Q1').end,
        }),
        ALICE,
        new Date(),
      );
      const owners = async (o: string[], periods?: string[]) =>
        (
          await store.listGoals({ owners: o, periods, limit: 10, offset: 0 })
        ).goals.map(g => g.ownerRef);
      expect(await owners(['org'])).toEqual([null]);
      expect(await owners(['org', 'group:default/payments'])).toHaveLength(2);
      expect(await owners([], ['2027-Q1'])).toEqual([
        'group:default/storefront',
      ]);
      const page = await store.listGoals({ limit: 1, offset: 0 });
      expect(page.totalCount).toBe(3);
      expect(page.goals[0].period).toBe('2027-Q1');
    });

    it('keeps a campaign snapshot, its burn-up per day and team, and its capacity check', async () => {
      const created = await store.createCampaign(
        campaign,
        ALICE,
        at('2026-11-01T00:00:00Z'),
      );
      const capacity = (reserved: number | null, paid: number | null) => ({
        quarter: '2026-Q4',
        reservedDays: reserved,
        paidDownDays: paid,
        availableDays: null,
        sharePercent: null,
        feasible: null,
        available: true,
        reason: null,
      });
      const entity = (
        entityRef: string,
        ownerRef: string,
        state: 'done' | 'waived' | 'open',
      ) => ({
        entityRef,
        ownerRef,
        state,
        failingChecks:
          state === 'open' ? ['production-readiness/has-techdocs'] : [],
        waivedChecks:
          state === 'waived' ? ['production-readiness/has-techdocs'] : [],
      });
      for (const [day, states] of [
        ['2026-11-01', ['open', 'open', 'open']],
        ['2026-11-02', ['done', 'waived', 'open']],
      ] as const) {
        await store.writeCampaignSnapshot(
          created.id,
          {
            entities: [
              entity(
                'component:default/a',
                'group:default/payments',
                states[0],
              ),
              entity(
                'component:default/b',
                'group:default/payments',
                states[1],
              ),
              entity(
                'component:default/c',
                'group:default/storefront',
                states[2],
              ),
            ],
            teams: [
              {
                ownerRef: 'group:default/payments',
                entities: 2,
                done: states.slice(0, 2).filter(s => s !== 'open').length,
                waived: states.slice(0, 2).filter(s => s === 'waived').length,
                // 2 days per entity not done
                remainingEffortDays:
                  2 * states.slice(0, 2).filter(s => s === 'open').length,
                capacity: capacity(10, 9),
              },
              {
                ownerRef: 'group:default/storefront',
                entities: 1,
                done: 0,
                waived: 0,
                remainingEffortDays: 2,
                capacity: capacity(null, null),
              },
            ],
          },
          day,
          at(`${day}T06:00:00Z`),
        );
      }
      expect(await store.getCampaign(created.id)).toMatchObject({
        entities: 3,
        done: 2,
        waived: 1,
        snapshotAt: '2026-11-02T06:00:00.000Z',
      });
      const burnUp = await store.getBurnUp(created.id);
      expect(burnUp.filter(p => p.ownerRef === null)).toEqual([
        { day: '2026-11-01', ownerRef: null, entities: 3, done: 0, waived: 0 },
        { day: '2026-11-02', ownerRef: null, entities: 3, done: 2, waived: 1 },
      ]);
      expect(
        burnUp.filter(p => p.ownerRef === 'group:default/payments'),
      ).toHaveLength(2);
      const teams = await store.getCampaignTeams(created.id);
      // Payments: 0 days left (both done) against 10 reserved, 1 left: 0 %, feasible.
      expect(teams[0]).toMatchObject({
        ownerRef: 'group:default/payments',
        remainingEffortDays: 0,
        capacity: { availableDays: 1, sharePercent: 0, feasible: true },
      });
      // Storefront set no budget: no share.
      expect(teams[1].capacity).toMatchObject({
        reservedDays: null,
        sharePercent: null,
        feasible: null,
      });
      expect(
        (await store.getCampaignEntities(created.id)).map(e => e.state),
      ).toEqual(['open', 'waived', 'done']);

      // Listing by the entities of a team, and by running or ended.
      const list = (o: Partial<Parameters<typeof store.listCampaigns>[0]>) =>
        store
          .listCampaigns({ today: '2026-11-02', limit: 10, offset: 0, ...o })
          .then(p => p.campaigns.map(c => c.id));
      expect(await list({ owners: ['group:default/storefront'] })).toEqual([
        created.id,
      ]);
      expect(await list({ entityRef: 'component:default/zzz' })).toEqual([]);
      expect(await list({ status: ['ended'] })).toEqual([]);
      expect(await list({ status: ['ended'], today: '2026-12-16' })).toEqual([
        created.id,
      ]);
    });

    it("pages a campaign's entity states in the order of its page, with filters and totals", async () => {
      const created = await store.createCampaign(campaign, ALICE, new Date());
      const STATES = ['open', 'done', 'waived', 'open', 'done'] as const;
      // Names whose order differs between code units and a language collation ('-', '_', capitals), a '%' to search.
      const names = [
        'a-b',
        'a_b',
        'ab',
        'Ab',
        'b',
        'c%d',
        'cd',
        ...Array.from({ length: 23 }, (_, i) => `svc-${i}`),
      ];
      const entities = names.map((name, i) => {
        const state = STATES[i % STATES.length];
        return {
          entityRef: `component:default/${name}`,
          ownerRef: `group:default/${i % 3 === 0 ? 'payments' : 'storefront'}`,
          state,
          failingChecks: state === 'open' ? ['production-readiness/x'] : [],
          waivedChecks: state === 'waived' ? ['production-readiness/x'] : [],
        };
      });
      await store.writeCampaignSnapshot(
        created.id,
        { entities, teams: [] },
        '2026-11-02',
        at('2026-11-02T06:00:00Z'),
      );
      const all = await store.getCampaignEntities(created.id);
      const page = (
        o: Partial<Parameters<typeof store.listCampaignEntities>[1]>,
      ) =>
        store.listCampaignEntities(created.id, { limit: 100, offset: 0, ...o });

      // Unfiltered: the same order as the whole list the page used to get, open first.
      expect((await page({})).entities).toEqual(all);
      expect((await page({})).totalCount).toBe(30);
      // Paging through the open ones, 4 at a time, gives each once and in order, with the total every time.
      const open = all.filter(e => e.state === 'open');
      expect(open).toHaveLength(12);
      const pages = [];
      for (let offset = 0; offset < 16; offset += 4) {
        const p = await page({ states: ['open'], limit: 4, offset });
        expect(p.totalCount).toBe(12);
        pages.push(...p.entities);
      }
      expect(pages).toEqual(open);
      expect(
        (await page({ states: ['open'], limit: 4, offset: 12 })).entities,
      ).toEqual([]);
      expect(
        (await page({ states: ['waived', 'done'] })).entities.map(e => e.state),
      ).toEqual([...Array(6).fill('waived'), ...Array(12).fill('done')]);
      // A team's entities.
      const payments = await page({ owners: ['group:default/payments'] });
      expect(payments.totalCount).toBe(10);
      expect(
        payments.entities.every(e => e.ownerRef === 'group:default/payments'),
      ).toBe(true);
      // Search ignores case and takes LIKE wildcards literally.
      expect(
        (await page({ search: 'C%D' })).entities.map(e => e.entityRef),
      ).toEqual(['component:default/c%d']);
      expect((await page({ search: 'a_b' })).totalCount).toBe(1);
      expect((await page({ search: 'STOREFRONT' })).totalCount).toBe(20);
      // Without counting, the total is the page's length.
      expect(
        await page({ states: ['waived'], limit: 2, count: false }),
      ).toMatchObject({ totalCount: 2 });
      // Another campaign's entities are not in it.
      const other = await store.createCampaign(campaign, ALICE, new Date());
      expect(
        await store.listCampaignEntities(other.id, { limit: 10, offset: 0 }),
      ).toEqual({ entities: [], totalCount: 0 });
    });

    it('claims each reminder once, however often it is tried', async () => {
      const created = await store.createCampaign(campaign, ALICE, new Date());
      const tries = await Promise.all(
        [1, 2, 3].map(() => store.claimReminder(created.id, 7, 2, new Date())),
      );
      expect(tries.filter(Boolean)).toHaveLength(1);
      expect(await store.claimReminder(created.id, 1, 2, new Date())).toBe(
        true,
      );
    });

    it('versions campaigns and keeps their history after deletion', async () => {
      const created = await store.createCampaign(campaign, ALICE, new Date());
      const updated = await store.updateCampaign(
        created.id,
        { deadline: '2026-12-20' },
        1,
        BOB,
        new Date(),
      );
      expect(updated).toMatchObject({ deadline: '2026-12-20', version: 2 });
      await expect(
        store.updateCampaign(created.id, { name: 'x' }, 1, BOB, new Date()),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      await store.deleteCampaign(created.id, 2, BOB);
      expect(await store.getCampaign(created.id)).toBeUndefined();
      expect(
        (await store.listCampaignEvents(created.id)).map(e => e.action),
      ).toEqual(['created', 'updated', 'deleted']);
    });

    it('records a promotion once, with the version the admin saw, on the campaign and in its history', async () => {
      const created = await store.createCampaign(campaign, ALICE, new Date());
      expect(created).toMatchObject({ promotedAt: null, promotedChecks: [] });
      const checks = [
        {
          scorecardId: 'production-readiness',
          checkId: 'has-techdocs',
          levelId: 'bronze',
          promotionId: '9d3c5e1a-2b4f-4a6c-8d7e-0f1a2b3c4d5e',
        },
      ];
      const promotedOn = new Date('2026-12-20T09:00:00Z');
      await expect(
        store.promoteCampaign(created.id, 2, checks, BOB, promotedOn),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      const promoted = await store.promoteCampaign(
        created.id,
        1,
        checks,
        BOB,
        promotedOn,
      );
      expect(promoted).toMatchObject({
        promotedAt: '2026-12-20T09:00:00.000Z',
        promotedBy: BOB,
        promotedChecks: checks,
        version: 2,
      });
      await expect(
        store.promoteCampaign(created.id, 2, checks, BOB, promotedOn),
      ).rejects.toThrow(/was already made permanent by .* on 2026-12-20/);
      const events = await store.listCampaignEvents(created.id);
      expect(events.map(e => e.action)).toEqual(['created', 'promoted']);
      expect(events[1]).toMatchObject({ actor: BOB, details: { checks } });
    });
  },
);
