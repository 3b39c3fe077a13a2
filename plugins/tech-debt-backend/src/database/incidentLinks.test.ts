import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { DebtItem } from '@vitals/plugin-tech-debt-common';
import { Knex } from 'knex';
import { DatabaseTechDebtStore } from './DatabaseTechDebtStore';
import {
  IncidentSnapshot,
  ListItemsOptions,
  NewDebtItem,
} from './TechDebtStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const ALICE = 'user:default/alice';
const NOW = new Date('2026-12-01T12:00:00.000Z');
/** NOW − 90 days: the first instant of the measured-interest window. */
const WINDOW_START = '2026-09-02T12:00:00.000Z';

function newItem(overrides: Partial<NewDebtItem> = {}): NewDebtItem {
  return {
    entityRef: 'component:default/payments-api',
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/payments',
    title: 'Card capture retries are not idempotent',
    description: '',
    category: 'architecture',
    impact: 3,
    effortDays: 3,
    interestHoursPerMonth: null,
    status: 'open',
    assignee: null,
    trackerUrl: null,
    tags: [],
    ...overrides,
  };
}

function incident(overrides: Partial<IncidentSnapshot>): IncidentSnapshot {
  return {
    entityRef: 'component:default/payments-api',
    createdAt: '2026-11-30T10:00:00.000Z',
    resolvedAt: null,
    severity: null,
    restoreMinutes: null,
    postmortemId: null,
    postmortemUrl: null,
    title: null,
    ...overrides,
  };
}

/** Every table of the register, emptied. */
async function emptyRegister(knex: Knex) {
  for (const table of [
    'tech_debt_item_incidents',
    'tech_debt_item_events',
    'tech_debt_items',
    'tech_debt_budgets',
  ])
    await knex(table).delete();
}

const LIST: ListItemsOptions = {
  orderBy: 'measuredInterest',
  order: 'desc',
  limit: 100,
  offset: 0,
};

describe.each(databases.eachSupportedId())(
  'incident links on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseTechDebtStore;
    let now: Date;

    // One database per run, emptied before each test: a shared PostgreSQL server drops a database per test slowly.
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseTechDebtStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
        now: () => now,
      });
    });

    beforeEach(async () => {
      now = NOW;
      await emptyRegister(knex);
    });

    afterAll(async () => {
      await knex.destroy();
    });

    /**
     * The register the figures below are worked out on, at NOW (2026-12-01 12:00 UTC; the window starts 2026-09-02
     * 12:00):
     *
     * | item                     | links (created, restore minutes)                                    | in window     |
     * | ------------------------ | ------------------------------------------------------------------- | ------------- |
     * | A payments-api, open     | inc-1 11-30 10:00, resolved 11:15 (75, derived)                     | yes, 75       |
     * |                          | inc-2 exactly the window start, 40                                  | yes, 40       |
     * |                          | inc-3 1 ms before the window start, 500                             | no            |
     * |                          | inc-4 12-01 09:30, ongoing                                          | yes, 150      |
     * | B ledger-service, open   | inc-1 again (75); inc-5 11-01 00:00, resolved 06:00, sent as 300    | 2, 375        |
     * | C payments-api, resolved | inc-1, inc-2, inc-4                                                 | 3, 265        |
     * | D checkout-api, open     | inc-6 10.25; inc-7 20.5 (Storefront's)                              | 2, 30.75 → 31 |
     * | E payments-api, open     | none                                                                | 0, 0          |
     *
     * A: 3 incidents, 75 + 40 + 150 = 265 minutes. B: 2, 75 + 300 = 375. D: 2, 31.
     */
    async function seed() {
      const a = await store.createItem(
        newItem({ title: 'A', impact: 3 }),
        ALICE,
      );
      const b = await store.createItem(
        newItem({
          title: 'B',
          entityRef: 'component:default/ledger-service',
          impact: 5,
        }),
        ALICE,
      );
      const c = await store.createItem(
        newItem({ title: 'C', status: 'resolved' }),
        ALICE,
      );
      const d = await store.createItem(
        newItem({
          title: 'D',
          entityRef: 'component:default/checkout-api',
          ownerRef: 'group:default/storefront',
          systemRef: null,
        }),
        ALICE,
      );
      const e = await store.createItem(newItem({ title: 'E' }), ALICE);

      const inc1 = incident({
        createdAt: '2026-11-30T10:00:00.000Z',
        resolvedAt: '2026-11-30T11:15:00.000Z',
        severity: 'SEV1',
        postmortemId: 'pm-1',
        postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
        title: 'Double card captures',
      });
      const inc2 = incident({
        createdAt: WINDOW_START,
        resolvedAt: '2026-09-02T12:40:00.000Z',
        restoreMinutes: 40,
      });
      const inc3 = incident({
        createdAt: '2026-09-02T11:59:59.999Z',
        resolvedAt: '2026-09-03T00:00:00.000Z',
        restoreMinutes: 500,
      });
      const inc4 = incident({ createdAt: '2026-12-01T09:30:00.000Z' });
      await store.linkIncident(a.id, 'inc-1', inc1, ALICE);
      await store.linkIncident(a.id, 'inc-2', inc2, ALICE);
      await store.linkIncident(a.id, 'inc-3', inc3, ALICE);
      await store.linkIncident(a.id, 'inc-4', inc4, ALICE);
      await store.linkIncident(b.id, 'inc-1', inc1, ALICE);
      await store.linkIncident(
        b.id,
        'inc-5',
        incident({
          entityRef: 'component:default/ledger-service',
          createdAt: '2026-11-01T00:00:00.000Z',
          resolvedAt: '2026-11-01T06:00:00.000Z',
          restoreMinutes: 300,
        }),
        ALICE,
      );
      for (const [id, snapshot] of [
        ['inc-1', inc1],
        ['inc-2', inc2],
        ['inc-4', inc4],
      ] as const)
        await store.linkIncident(c.id, id, snapshot, ALICE);
      await store.linkIncident(
        d.id,
        'inc-6',
        incident({
          entityRef: 'component:default/checkout-api',
          createdAt: '2026-10-10T10:00:00.000Z',
          resolvedAt: '2026-10-10T10:10:15.000Z',
          restoreMinutes: 10.25,
        }),
        ALICE,
      );
      await store.linkIncident(
        d.id,
        'inc-7',
        incident({
          entityRef: 'component:default/checkout-api',
          createdAt: '2026-11-10T10:00:00.000Z',
          resolvedAt: '2026-11-10T10:20:30.000Z',
          restoreMinutes: 20.5,
        }),
        ALICE,
      );
      return { a, b, c, d, e };
    }

    const measured = (item: DebtItem | undefined) => ({
      title: item?.title,
      incidentCount: item?.incidentCount,
      ...item?.measuredInterest,
    });

    it('measures interest over the last 90 days: the window start counts, a millisecond earlier does not, an ongoing incident counts up to now', async () => {
      const { a, b, c, d, e } = await seed();
      expect(
        await Promise.all([a, b, c, d, e].map(i => store.getItem(i.id))).then(
          items => items.map(measured),
        ),
      ).toEqual([
        {
          title: 'A',
          incidentCount: 4,
          windowDays: 90,
          incidents: 3,
          restoreMinutes: 265,
        },
        {
          title: 'B',
          incidentCount: 2,
          windowDays: 90,
          incidents: 2,
          restoreMinutes: 375,
        },
        // A closed item still shows what its incidents cost.
        {
          title: 'C',
          incidentCount: 3,
          windowDays: 90,
          incidents: 3,
          restoreMinutes: 265,
        },
        {
          title: 'D',
          incidentCount: 2,
          windowDays: 90,
          incidents: 2,
          restoreMinutes: 31,
        },
        {
          title: 'E',
          incidentCount: 0,
          windowDays: 90,
          incidents: 0,
          restoreMinutes: 0,
        },
      ]);

      // Ten minutes later the ongoing incident has cost ten minutes more, and inc-2 has left the window.
      now = new Date(NOW.getTime() + 10 * 60_000);
      expect(measured(await store.getItem(a.id))).toMatchObject({
        incidents: 2,
        restoreMinutes: 75 + 160,
      });
    });

    it('returns the links of an item, the most recent incident first, with what was sent and what was derived', async () => {
      const { a } = await seed();
      const item = await store.getItem(a.id);
      expect(item!.incidents.map(i => i.incidentId)).toEqual([
        'inc-4',
        'inc-1',
        'inc-2',
        'inc-3',
      ]);
      expect(item!.incidents[1]).toEqual({
        incidentId: 'inc-1',
        entityRef: 'component:default/payments-api',
        createdAt: '2026-11-30T10:00:00.000Z',
        resolvedAt: '2026-11-30T11:15:00.000Z',
        severity: 'SEV1',
        // Not sent: resolvedAt − createdAt.
        restoreMinutes: 75,
        postmortemId: 'pm-1',
        postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
        title: 'Double card captures',
        linkedAt: expect.any(String),
        linkedBy: ALICE,
        updatedAt: expect.any(String),
      });
      // Ongoing: no restore minutes of its own.
      expect(item!.incidents[0]).toMatchObject({
        incidentId: 'inc-4',
        resolvedAt: null,
        restoreMinutes: null,
      });
    });

    it('sorts by measured interest: incidents, then restore minutes, closed items last, and pages in that order', async () => {
      await seed();
      const titles = async (options: Partial<ListItemsOptions>) =>
        (await store.listItems({ ...LIST, ...options })).items.map(
          i => i.title,
        );
      expect(await titles({})).toEqual(['A', 'B', 'D', 'E', 'C']);
      expect(await titles({ order: 'asc' })).toEqual(['E', 'D', 'B', 'A', 'C']);
      expect(await titles({ limit: 2, offset: 1 })).toEqual(['B', 'D']);
      expect(await titles({ statuses: ['open'] })).toEqual([
        'A',
        'B',
        'D',
        'E',
      ]);
      // Every row carries the same figures the sort used.
      const page = await store.listItems(LIST);
      expect(page.items.map(i => i.measuredInterest.restoreMinutes)).toEqual([
        265, 375, 31, 0, 265,
      ]);
      expect(page.totalCount).toBe(5);
    });

    it('breaks a tie in measured interest by priority, then id', async () => {
      const low = await store.createItem(
        newItem({ title: 'low', impact: 1 }),
        ALICE,
      );
      const high = await store.createItem(
        newItem({ title: 'high', impact: 5 }),
        ALICE,
      );
      for (const item of [low, high])
        await store.linkIncident(
          item.id,
          'same',
          incident({
            createdAt: '2026-11-30T10:00:00.000Z',
            resolvedAt: '2026-11-30T10:30:00.000Z',
          }),
          ALICE,
        );
      const { items } = await store.listItems(LIST);
      expect(items.map(i => i.title)).toEqual(['high', 'low']);
    });

    it('returns exactly the items asked for by id', async () => {
      const { a, d } = await seed();
      const { items, totalCount } = await store.listItems({
        ...LIST,
        orderBy: 'priority',
        ids: [d.id, a.id, '00000000-0000-4000-8000-000000000000'],
      });
      expect(items.map(i => i.title).sort()).toEqual(['A', 'D']);
      expect(totalCount).toBe(2);
    });

    it('keeps one link per item and incident: the same snapshot again writes nothing, a new one is recorded as a refresh', async () => {
      const { a } = await seed();
      const eventsBefore = await store.listItemEvents(a.id);
      const again = await store.linkIncident(
        a.id,
        'inc-4',
        incident({ createdAt: '2026-12-01T09:30:00.000Z' }),
        'user:default/bob',
      );
      expect(again.outcome).toBe('unchanged');
      expect(again.incidents).toHaveLength(4);
      expect(await store.listItemEvents(a.id)).toEqual(eventsBefore);

      // Resolved at 11:00 without restore minutes: 90 minutes, derived.
      const resolved = await store.linkIncident(
        a.id,
        'inc-4',
        incident({
          createdAt: '2026-12-01T09:30:00.000Z',
          resolvedAt: '2026-12-01T11:00:00.000Z',
          postmortemId: 'pm-4',
        }),
        'service:plugin:postmortems',
      );
      expect(resolved.outcome).toBe('refreshed');
      expect(resolved.incidents).toHaveLength(4);
      expect(
        resolved.incidents.find(i => i.incidentId === 'inc-4'),
      ).toMatchObject({
        resolvedAt: '2026-12-01T11:00:00.000Z',
        restoreMinutes: 90,
        postmortemId: 'pm-4',
        linkedBy: ALICE,
      });
      const item = await store.getItem(a.id);
      expect(item!.measuredInterest).toEqual({
        windowDays: 90,
        incidents: 3,
        restoreMinutes: 75 + 40 + 90,
      });
      // The item itself is not edited: no new version for a concurrent editor to trip over.
      expect(item!.version).toBe(1);

      const [latest] = await store.listItemEvents(a.id);
      expect(latest).toMatchObject({
        action: 'link_refreshed',
        actor: 'service:plugin:postmortems',
        changes: {
          incidentId: { from: 'inc-4', to: 'inc-4' },
          resolvedAt: { from: null, to: '2026-12-01T11:00:00.000Z' },
          restoreMinutes: { from: null, to: 90 },
          postmortemId: { from: null, to: 'pm-4' },
        },
      });
      expect(Object.keys(latest.changes).sort()).toEqual([
        'incidentId',
        'postmortemId',
        'resolvedAt',
        'restoreMinutes',
      ]);
    });

    it('links an incident once when several requests race to link it', async () => {
      const item = await store.createItem(newItem(), ALICE);
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          store.linkIncident(item.id, 'race', incident({}), ALICE),
        ),
      );
      expect(results.map(r => r.outcome).sort()).toEqual([
        'linked',
        'unchanged',
        'unchanged',
      ]);
      expect(
        await knex('tech_debt_item_incidents').where({ item_id: item.id }),
      ).toHaveLength(1);
      expect((await store.listItemEvents(item.id)).map(e => e.action)).toEqual([
        'linked',
        'created',
      ]);
    });

    it('records a link in the history with the incident and its postmortem', async () => {
      const { b } = await seed();
      const linked = (await store.listItemEvents(b.id)).filter(
        e => e.action === 'linked',
      );
      expect(linked.map(e => e.changes.incidentId)).toEqual([
        { from: null, to: 'inc-5' },
        { from: null, to: 'inc-1' },
      ]);
      expect(linked[1]).toMatchObject({
        actor: ALICE,
        entityRef: 'component:default/ledger-service',
        changes: {
          postmortemId: { from: null, to: 'pm-1' },
          severity: { from: null, to: 'SEV1' },
          restoreMinutes: { from: null, to: 75 },
        },
      });
    });

    it('unlinks, records it, and says 404 for a link that does not exist', async () => {
      const { a, b } = await seed();
      const link = await store.unlinkIncident(a.id, 'inc-1', ALICE);
      expect(link).toMatchObject({ incidentId: 'inc-1', postmortemId: 'pm-1' });
      expect((await store.getItem(a.id))!.measuredInterest).toMatchObject({
        incidents: 2,
        restoreMinutes: 40 + 150,
      });
      // The other item's link of the same incident stays.
      expect(await store.getIncidentLink(b.id, 'inc-1')).toBeDefined();
      const [latest] = await store.listItemEvents(a.id);
      expect(latest).toMatchObject({
        action: 'unlinked',
        changes: {
          incidentId: { from: 'inc-1', to: null },
          postmortemId: { from: 'pm-1', to: null },
        },
      });
      await expect(store.unlinkIncident(a.id, 'inc-1', ALICE)).rejects.toThrow(
        NotFoundError,
      );
    });

    it('refreshes only existing links when asked to, and links nothing to an unknown item', async () => {
      const { e } = await seed();
      await expect(
        store.linkIncident(e.id, 'inc-9', incident({}), ALICE, {
          refreshOnly: true,
        }),
      ).rejects.toThrow(NotFoundError);
      expect(await store.getIncidentLink(e.id, 'inc-9')).toBeUndefined();
      await expect(
        store.linkIncident(
          '00000000-0000-4000-8000-000000000000',
          'inc-9',
          incident({}),
          ALICE,
        ),
      ).rejects.toThrow(NotFoundError);
      expect(
        await knex('tech_debt_item_incidents').where({ incident_id: 'inc-9' }),
      ).toEqual([]);
    });

    it('removes the links with the item and keeps them in its history', async () => {
      const { a } = await seed();
      await store.deleteItem(a.id, 1, ALICE);
      expect(await store.getIncidentLink(a.id, 'inc-1')).toBeUndefined();
      expect(
        await knex('tech_debt_item_incidents').where({ item_id: a.id }),
      ).toEqual([]);
      const actions = (await store.listItemEvents(a.id)).map(e => e.action);
      expect(actions.filter(x => x === 'linked')).toHaveLength(4);
      expect(actions[0]).toBe('deleted');
    });

    it('lists at most 20 links per row, and every link on the item itself', async () => {
      const item = await store.createItem(newItem({ title: 'hot' }), ALICE);
      for (let n = 1; n <= 22; n++)
        await store.linkIncident(
          item.id,
          `inc-${String(n).padStart(2, '0')}`,
          incident({
            createdAt: new Date(
              Date.parse('2026-11-01T00:00:00.000Z') + n * 3_600_000,
            ).toISOString(),
            restoreMinutes: null,
            resolvedAt: new Date(
              Date.parse('2026-11-01T00:00:00.000Z') + n * 3_600_000 + 60_000,
            ).toISOString(),
          }),
          ALICE,
        );
      const [row] = (await store.listItems(LIST)).items;
      expect(row.incidentCount).toBe(22);
      expect(row.incidents).toHaveLength(20);
      expect(row.incidents[0].incidentId).toBe('inc-22');
      expect(row.measuredInterest).toEqual({
        windowDays: 90,
        incidents: 22,
        restoreMinutes: 22,
      });
      expect((await store.getItem(item.id))!.incidents).toHaveLength(22);
    });

    describe('the repeat-incidents report', () => {
      it('lists open items with at least two incidents in 90 days, per team, each incident once in the team figures', async () => {
        const { a, b, d } = await seed();
        const report = await store.getRepeatIncidents({
          days: 90,
          minIncidents: 2,
        });
        expect(report).toMatchObject({
          windowDays: 90,
          minIncidents: 2,
          from: WINDOW_START,
          to: NOW.toISOString(),
        });
        expect(
          report.teams.map(t => ({
            ownerRef: t.ownerRef,
            incidents: t.incidents,
            restoreMinutes: t.restoreMinutes,
            items: t.items.map(i => [
              i.id,
              i.incidents,
              i.restoreMinutes,
              i.links.map(l => l.incidentId),
            ]),
          })),
        ).toEqual([
          {
            // inc-1 (on A and B) once: inc-1 75 + inc-2 40 + inc-4 150 + inc-5 300.
            ownerRef: 'group:default/payments',
            incidents: 4,
            restoreMinutes: 565,
            items: [
              [a.id, 3, 265, ['inc-4', 'inc-1', 'inc-2']],
              [b.id, 2, 375, ['inc-1', 'inc-5']],
            ],
          },
          {
            ownerRef: 'group:default/storefront',
            incidents: 2,
            restoreMinutes: 31,
            items: [[d.id, 2, 31, ['inc-7', 'inc-6']]],
          },
        ]);
        // C is resolved: not in the report although its incidents keep happening.
        expect(report.teams[0].items[0]).toMatchObject({
          title: 'A',
          entityRef: 'component:default/payments-api',
          status: 'open',
        });
      });

      it('takes the owner, the window and the threshold', async () => {
        const { a } = await seed();
        const ids = async (options: {
          ownerRefs?: string[];
          days: number;
          minIncidents: number;
        }) =>
          (await store.getRepeatIncidents(options)).teams.map(t => [
            t.ownerRef,
            t.items.map(i => `${i.title}:${i.incidents}:${i.restoreMinutes}`),
          ]);
        expect(await ids({ days: 90, minIncidents: 3 })).toEqual([
          ['group:default/payments', ['A:3:265']],
        ]);
        expect(
          await ids({
            ownerRefs: ['group:default/storefront'],
            days: 90,
            minIncidents: 2,
          }),
        ).toEqual([['group:default/storefront', ['D:2:31']]]);
        // One day: only the ongoing inc-4 (since 09:30 today) is recent enough.
        expect(await ids({ days: 1, minIncidents: 2 })).toEqual([]);
        expect(await ids({ days: 1, minIncidents: 1 })).toEqual([
          ['group:default/payments', ['A:1:150']],
        ]);
        // 91 days takes inc-3, a millisecond before the 90-day window.
        expect(
          (
            await store.getRepeatIncidents({ days: 91, minIncidents: 4 })
          ).teams.flatMap(t => t.items.map(i => [i.id, i.restoreMinutes])),
        ).toEqual([[a.id, 765]]);
      });
    });
  },
);
