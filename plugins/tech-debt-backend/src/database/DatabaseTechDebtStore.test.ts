import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseTechDebtStore } from './DatabaseTechDebtStore';
import { ListItemsOptions, NewDebtItem } from './TechDebtStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const ACTOR = 'user:default/alice';
const OTHER = 'user:default/bob';

function newItem(overrides: Partial<NewDebtItem> = {}): NewDebtItem {
  return {
    entityRef: 'component:default/payments-api',
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/payments',
    title: 'Upgrade Node.js',
    description: 'We run an **EOL** runtime.',
    category: 'dependency',
    impact: 4,
    effortDays: 2,
    interestHoursPerMonth: 8,
    status: 'open',
    assignee: 'user:default/alice',
    trackerUrl: 'https://tracker.example.com/DEBT-1',
    tags: ['runtime', 'security'],
    ...overrides,
  };
}

const LIST_DEFAULTS: ListItemsOptions = {
  orderBy: 'priority',
  order: 'desc',
  limit: 100,
  offset: 0,
};

describe.each(databases.eachSupportedId())(
  'DatabaseTechDebtStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseTechDebtStore;

    // One database per run, emptied before each test: dropping a PostgreSQL database per test at the end took longer
    // than the minute TestDatabases gives its teardown on a busy server.
    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseTechDebtStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    beforeEach(async () => {
      for (const table of [
        'tech_debt_item_incidents',
        'tech_debt_item_events',
        'tech_debt_items',
        'tech_debt_budgets',
      ])
        await knex(table).delete();
    });

    afterAll(async () => {
      await knex.destroy();
    });

    describe('items', () => {
      it('creates an item that reads back with every field and a computed priority', async () => {
        const before = Date.now();
        const created = await store.createItem(newItem(), ACTOR);
        const read = await store.getItem(created.id);

        expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(read).toEqual(created);
        expect(read).toEqual({
          id: created.id,
          entityRef: 'component:default/payments-api',
          ownerRef: 'group:default/payments',
          systemRef: 'system:default/payments',
          title: 'Upgrade Node.js',
          description: 'We run an **EOL** runtime.',
          category: 'dependency',
          impact: 4,
          effortDays: 2,
          interestHoursPerMonth: 8,
          status: 'open',
          assignee: 'user:default/alice',
          trackerUrl: 'https://tracker.example.com/DEBT-1',
          tags: ['runtime', 'security'],
          // (4 + 8 / 8) / 2
          priority: 2.5,
          version: 1,
          createdAt: expect.any(String),
          createdBy: ACTOR,
          updatedAt: created.createdAt,
          updatedBy: ACTOR,
          resolvedAt: null,
          // No incident links yet.
          incidentCount: 0,
          incidents: [],
          measuredInterest: { windowDays: 90, incidents: 0, restoreMinutes: 0 },
        });
        expect(new Date(read!.createdAt).getTime()).toBeGreaterThanOrEqual(
          before - 1000,
        );
        expect(new Date(read!.createdAt).getTime()).toBeLessThanOrEqual(
          Date.now() + 1000,
        );

        const events = await store.listItemEvents(created.id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          itemId: created.id,
          action: 'created',
          actor: ACTOR,
          entityRef: 'component:default/payments-api',
        });
        expect(events[0].changes.title).toEqual({
          from: null,
          to: 'Upgrade Node.js',
        });
        expect(events[0].changes.tags).toEqual({
          from: null,
          to: ['runtime', 'security'],
        });
      });

      it('round-trips nulls and fractional numbers, and stamps resolvedAt for items created resolved', async () => {
        const created = await store.createItem(
          newItem({
            ownerRef: null,
            systemRef: null,
            interestHoursPerMonth: null,
            assignee: null,
            trackerUrl: null,
            tags: [],
            effortDays: 0.5,
            impact: 1,
            status: 'resolved',
          }),
          ACTOR,
        );
        const read = await store.getItem(created.id);
        expect(read).toMatchObject({
          ownerRef: null,
          systemRef: null,
          interestHoursPerMonth: null,
          assignee: null,
          trackerUrl: null,
          tags: [],
          effortDays: 0.5,
          priority: 2,
          status: 'resolved',
        });
        expect(read!.resolvedAt).toEqual(read!.createdAt);
      });

      it('returns undefined for an unknown id', async () => {
        await expect(
          store.getItem('6a1b8f5e-1111-4222-8333-444455556666'),
        ).resolves.toBeUndefined();
      });
    });

    describe('listItems', () => {
      let itemIds: Record<string, string>;

      beforeEach(async () => {
        const specs: Array<[string, Partial<NewDebtItem>]> = [
          // priority = (impact + interest/8) / effort
          [
            'a',
            {
              title: 'Flaky retry tests',
              impact: 3,
              effortDays: 1,
              interestHoursPerMonth: 0,
              category: 'testing',
              tags: ['ci', 'flaky'],
            },
          ], // 3
          [
            'b',
            {
              title: 'Split god module',
              impact: 2,
              effortDays: 4,
              interestHoursPerMonth: 0,
              category: 'code',
              status: 'planned',
              tags: ['refactor'],
            },
          ], // 0.5
          [
            'c',
            {
              title: 'Rotate 100% of secrets',
              entityRef: 'component:default/checkout-api',
              ownerRef: 'group:default/storefront',
              systemRef: 'system:default/storefront',
              impact: 5,
              effortDays: 1,
              interestHoursPerMonth: 8,
              category: 'security',
              tags: ['security'],
            },
          ], // 6
          [
            'd',
            {
              title: 'Old docs',
              entityRef: 'component:default/checkout-api',
              ownerRef: 'group:default/storefront',
              systemRef: 'system:default/storefront',
              impact: 1,
              effortDays: 1,
              interestHoursPerMonth: 0,
              category: 'documentation',
              status: 'resolved',
              tags: ['docs'],
            },
          ], // 1
          [
            'e',
            {
              title: 'Legacy XML export',
              entityRef: 'component:default/ci-pipelines',
              ownerRef: 'group:default/platform',
              systemRef: null,
              impact: 4,
              effortDays: 2,
              interestHoursPerMonth: 0,
              category: 'code',
              status: 'wont_fix',
              tags: ['ci-tools'],
            },
          ], // 2
        ];
        itemIds = {};
        for (const [key, overrides] of specs) {
          itemIds[key] = (await store.createItem(newItem(overrides), ACTOR)).id;
        }
      });

      const titles = (page: { items: Array<{ title: string }> }) =>
        page.items.map(i => i.title);

      it('sorts by priority, highest first, closed items last, and counts everything', async () => {
        const page = await store.listItems(LIST_DEFAULTS);
        expect(page.totalCount).toBe(5);
        // d (1) is resolved and e (2) won't be fixed: after the open ones.
        expect(page.items.map(i => i.priority)).toEqual([6, 3, 0.5, 2, 1]);
        expect(page.items[0].id).toBe(itemIds.c);
      });

      it('sorts ascending and by other columns', async () => {
        const asc = await store.listItems({ ...LIST_DEFAULTS, order: 'asc' });
        expect(asc.items.map(i => i.priority)).toEqual([0.5, 3, 6, 1, 2]);
        const byTitle = await store.listItems({
          ...LIST_DEFAULTS,
          orderBy: 'title',
          order: 'asc',
        });
        expect(titles(byTitle)).toEqual([
          'Flaky retry tests',
          'Rotate 100% of secrets',
          'Split god module',
          'Legacy XML export',
          'Old docs',
        ]);
      });

      it('pages with a totalCount of the whole filter', async () => {
        const first = await store.listItems({
          ...LIST_DEFAULTS,
          limit: 2,
          offset: 0,
        });
        const second = await store.listItems({
          ...LIST_DEFAULTS,
          limit: 2,
          offset: 2,
        });
        const last = await store.listItems({
          ...LIST_DEFAULTS,
          limit: 2,
          offset: 4,
        });
        expect(first.items.map(i => i.priority)).toEqual([6, 3]);
        expect(second.items.map(i => i.priority)).toEqual([0.5, 2]);
        expect(last.items.map(i => i.priority)).toEqual([1]);
        expect([first.totalCount, second.totalCount, last.totalCount]).toEqual([
          5, 5, 5,
        ]);
      });

      it('filters by entity, owner, system, status and category', async () => {
        const byEntity = await store.listItems({
          ...LIST_DEFAULTS,
          entityRefs: ['component:default/checkout-api'],
        });
        expect(byEntity.items.map(i => i.id)).toEqual([itemIds.c, itemIds.d]);
        expect(byEntity.totalCount).toBe(2);

        const byOwner = await store.listItems({
          ...LIST_DEFAULTS,
          ownerRefs: ['group:default/payments', 'group:default/platform'],
        });
        expect(byOwner.items.map(i => i.id)).toEqual([
          itemIds.a,
          itemIds.b,
          itemIds.e,
        ]);
        expect(byOwner.totalCount).toBe(3);

        const bySystem = await store.listItems({
          ...LIST_DEFAULTS,
          systemRefs: ['system:default/storefront'],
        });
        expect(bySystem.items.map(i => i.id)).toEqual([itemIds.c, itemIds.d]);

        const byStatus = await store.listItems({
          ...LIST_DEFAULTS,
          statuses: ['open', 'planned'],
        });
        expect(byStatus.items.map(i => i.id)).toEqual([
          itemIds.c,
          itemIds.a,
          itemIds.b,
        ]);
        expect(byStatus.totalCount).toBe(3);

        const byCategory = await store.listItems({
          ...LIST_DEFAULTS,
          categories: ['code'],
        });
        expect(byCategory.items.map(i => i.id)).toEqual([itemIds.b, itemIds.e]);

        const combined = await store.listItems({
          ...LIST_DEFAULTS,
          ownerRefs: ['group:default/payments'],
          statuses: ['open'],
          limit: 1,
        });
        expect(combined.items.map(i => i.id)).toEqual([itemIds.a]);
        expect(combined.totalCount).toBe(1);
      });

      it('filters by whole tag, case-insensitively, with LIKE wildcards taken literally', async () => {
        const ci = await store.listItems({ ...LIST_DEFAULTS, tag: 'CI' });
        expect(ci.items.map(i => i.id)).toEqual([itemIds.a]);
        expect(ci.totalCount).toBe(1);

        // '_' must not match any character: 'ci-tools' exists, 'ci_tools' does not.
        const dash = await store.listItems({
          ...LIST_DEFAULTS,
          tag: 'ci-tools',
        });
        expect(dash.items.map(i => i.id)).toEqual([itemIds.e]);
        const underscore = await store.listItems({
          ...LIST_DEFAULTS,
          tag: 'ci_tools',
        });
        expect(underscore.totalCount).toBe(0);
        const percent = await store.listItems({ ...LIST_DEFAULTS, tag: 'c%' });
        expect(percent.totalCount).toBe(0);
      });

      it('searches titles case-insensitively and treats % and _ literally', async () => {
        const flaky = await store.listItems({
          ...LIST_DEFAULTS,
          search: 'RETRY',
        });
        expect(flaky.items.map(i => i.id)).toEqual([itemIds.a]);

        const percent = await store.listItems({
          ...LIST_DEFAULTS,
          search: '100%',
        });
        expect(percent.items.map(i => i.id)).toEqual([itemIds.c]);
        const wildcard = await store.listItems({
          ...LIST_DEFAULTS,
          search: '%',
        });
        expect(wildcard.items.map(i => i.id)).toEqual([itemIds.c]);
        const underscore = await store.listItems({
          ...LIST_DEFAULTS,
          search: 'o_d',
        });
        expect(underscore.totalCount).toBe(0);

        const none = await store.listItems({
          ...LIST_DEFAULTS,
          search: 'kubernetes',
        });
        expect(none).toEqual({ items: [], totalCount: 0 });
      });

      it('lists facets and entity refs', async () => {
        await expect(store.getFacets()).resolves.toEqual({
          owners: [
            'group:default/payments',
            'group:default/platform',
            'group:default/storefront',
          ],
          systems: ['system:default/payments', 'system:default/storefront'],
          tags: ['ci', 'ci-tools', 'docs', 'flaky', 'refactor', 'security'],
        });
        await expect(store.countItems()).resolves.toBe(5);
        await expect(store.listEntityRefs({ limit: 2 })).resolves.toEqual([
          'component:default/checkout-api',
          'component:default/ci-pipelines',
        ]);
        await expect(
          store.listEntityRefs({
            limit: 2,
            after: 'component:default/ci-pipelines',
          }),
        ).resolves.toEqual(['component:default/payments-api']);
      });
    });

    describe('updateItem', () => {
      it('bumps the version and records only the changed fields', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        const updated = await store.updateItem(
          item.id,
          {
            title: 'Upgrade Node.js to 22',
            impact: 4,
            effortDays: 5,
            tags: ['runtime', 'security'],
          },
          1,
          OTHER,
        );
        expect(updated).toMatchObject({
          title: 'Upgrade Node.js to 22',
          effortDays: 5,
          impact: 4,
          // (4 + 1) / 5
          priority: 1,
          version: 2,
          updatedBy: OTHER,
          createdBy: ACTOR,
        });
        await expect(store.getItem(item.id)).resolves.toEqual(updated);

        const [latest, created] = await store.listItemEvents(item.id);
        expect(created.action).toBe('created');
        expect(latest).toMatchObject({
          action: 'updated',
          actor: OTHER,
          itemId: item.id,
        });
        expect(latest.changes).toEqual({
          title: { from: 'Upgrade Node.js', to: 'Upgrade Node.js to 22' },
          effortDays: { from: 2, to: 5 },
        });
      });

      it('does not bump the version when nothing changes', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        const same = await store.updateItem(
          item.id,
          { title: item.title },
          1,
          OTHER,
        );
        expect(same.version).toBe(1);
        expect(await store.listItemEvents(item.id)).toHaveLength(1);
      });

      it('sets resolvedAt when the item is resolved and clears it when it is reopened', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        const resolved = await store.updateItem(
          item.id,
          { status: 'resolved' },
          1,
          ACTOR,
        );
        expect(resolved.resolvedAt).not.toBeNull();
        expect(resolved.resolvedAt).toEqual(resolved.updatedAt);

        const retitled = await store.updateItem(
          item.id,
          { title: 'Renamed' },
          2,
          ACTOR,
        );
        expect(retitled.resolvedAt).toEqual(resolved.resolvedAt);

        const reopened = await store.updateItem(
          item.id,
          { status: 'in_progress' },
          3,
          ACTOR,
        );
        expect(reopened.resolvedAt).toBeNull();
        expect(reopened.version).toBe(4);
        const [event] = await store.listItemEvents(item.id);
        expect(event.changes).toEqual({
          status: { from: 'resolved', to: 'in_progress' },
        });
      });

      it('can clear optional fields', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        const updated = await store.updateItem(
          item.id,
          { interestHoursPerMonth: null, assignee: null, trackerUrl: null },
          1,
          ACTOR,
        );
        expect(updated).toMatchObject({
          interestHoursPerMonth: null,
          assignee: null,
          trackerUrl: null,
          // 4 / 2
          priority: 2,
        });
      });

      it('rejects a stale version with a ConflictError and changes nothing', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        await store.updateItem(item.id, { title: 'First edit' }, 1, OTHER);
        await expect(
          store.updateItem(item.id, { title: 'Second edit' }, 1, ACTOR),
        ).rejects.toThrow(ConflictError);
        const current = await store.getItem(item.id);
        expect(current).toMatchObject({
          title: 'First edit',
          version: 2,
          updatedBy: OTHER,
        });
        expect(await store.listItemEvents(item.id)).toHaveLength(2);
      });

      it('throws NotFoundError for an unknown id', async () => {
        await expect(
          store.updateItem(
            '6a1b8f5e-1111-4222-8333-444455556666',
            { title: 'x' },
            1,
            ACTOR,
          ),
        ).rejects.toThrow(NotFoundError);
      });
    });

    describe('deleteItem', () => {
      it('rejects a stale version and keeps the item', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        await store.updateItem(item.id, { impact: 5 }, 1, ACTOR);
        await expect(store.deleteItem(item.id, 1, OTHER)).rejects.toThrow(
          ConflictError,
        );
        await expect(store.getItem(item.id)).resolves.toMatchObject({
          version: 2,
        });
      });

      it('deletes, records a deleted event and keeps the history', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        const deleted = await store.deleteItem(item.id, 1, OTHER);
        expect(deleted.id).toBe(item.id);
        await expect(store.getItem(item.id)).resolves.toBeUndefined();
        await expect(store.countItems()).resolves.toBe(0);

        const events = await store.listItemEvents(item.id);
        expect(events.map(e => e.action)).toEqual(['deleted', 'created']);
        expect(events[0]).toMatchObject({
          actor: OTHER,
          entityRef: 'component:default/payments-api',
        });
        expect(events[0].changes.title).toEqual({
          from: 'Upgrade Node.js',
          to: null,
        });
        await expect(store.hasHistory()).resolves.toBe(true);
      });

      it('deletes the current version after an update', async () => {
        const item = await store.createItem(newItem(), ACTOR);
        await store.updateItem(item.id, { impact: 5 }, 1, ACTOR);
        await store.deleteItem(item.id, 2, ACTOR);
        await expect(store.getItem(item.id)).resolves.toBeUndefined();
      });

      it('throws NotFoundError for an unknown id', async () => {
        await expect(
          store.deleteItem('6a1b8f5e-1111-4222-8333-444455556666', 1, ACTOR),
        ).rejects.toThrow(NotFoundError);
      });
    });

    describe('getSummary', () => {
      it('counts only unresolved items, sums effort and interest and shows the top 3', async () => {
        const make = (o: Partial<NewDebtItem>) =>
          store.createItem(newItem(o), ACTOR);
        const p1 = await make({
          title: 'p=5',
          impact: 5,
          effortDays: 1,
          interestHoursPerMonth: 0,
          status: 'open',
        });
        const p2 = await make({
          title: 'p=4',
          impact: 4,
          effortDays: 1,
          interestHoursPerMonth: 16,
          status: 'in_progress',
        }); // 6
        const p3 = await make({
          title: 'p=1',
          impact: 2,
          effortDays: 2,
          interestHoursPerMonth: null,
          status: 'planned',
        });
        await make({
          title: 'p=0.5',
          impact: 1,
          effortDays: 2,
          interestHoursPerMonth: 4,
          status: 'open',
        }); // 0.75
        await make({
          title: 'resolved',
          impact: 5,
          effortDays: 0.5,
          interestHoursPerMonth: 100,
          status: 'resolved',
        });
        await make({
          title: 'wont fix',
          impact: 5,
          effortDays: 0.5,
          interestHoursPerMonth: 100,
          status: 'wont_fix',
        });
        await make({
          title: 'elsewhere',
          entityRef: 'component:default/ledger-service',
          impact: 5,
          effortDays: 0.1,
        });

        const summary = await store.getSummary(
          'component:default/payments-api',
        );
        expect(summary).toMatchObject({
          entityRef: 'component:default/payments-api',
          openCount: 4,
          openEffortDays: 6,
          openInterestHoursPerMonth: 20,
        });
        expect(summary.top.map(i => i.id)).toEqual([p2.id, p1.id, p3.id]);
      });

      it('is all zero for an entity without debt', async () => {
        await expect(
          store.getSummary('component:default/nothing'),
        ).resolves.toEqual({
          entityRef: 'component:default/nothing',
          openCount: 0,
          openEffortDays: 0,
          openInterestHoursPerMonth: 0,
          top: [],
        });
      });
    });

    describe('budgets', () => {
      const budget = {
        groupRef: 'group:default/payments',
        quarter: '2026-Q2',
        capacityDays: 120,
        sharePercent: 15,
      };

      it('reads an unset budget as nulls', async () => {
        await expect(
          store.getBudget('group:default/payments', '2026-Q2'),
        ).resolves.toEqual({
          groupRef: 'group:default/payments',
          quarter: '2026-Q2',
          capacityDays: null,
          sharePercent: null,
          reservedDays: null,
          paidDownDays: 0,
          resolvedCount: 0,
          version: null,
          updatedAt: null,
          updatedBy: null,
        });
      });

      it('creates, updates with the current version and rejects a stale one', async () => {
        const created = await store.putBudget(budget, undefined, ACTOR);
        expect(created).toMatchObject({
          capacityDays: 120,
          sharePercent: 15,
          reservedDays: 18,
          version: 1,
          updatedBy: ACTOR,
        });
        expect(created.updatedAt).toEqual(expect.any(String));

        const updated = await store.putBudget(
          { ...budget, sharePercent: 20 },
          1,
          OTHER,
        );
        expect(updated).toMatchObject({
          sharePercent: 20,
          reservedDays: 24,
          version: 2,
          updatedBy: OTHER,
        });

        await expect(
          store.putBudget({ ...budget, sharePercent: 50 }, 1, ACTOR),
        ).rejects.toThrow(ConflictError);
        // Creating again without a version while one exists is a conflict too.
        await expect(
          store.putBudget({ ...budget, sharePercent: 50 }, undefined, ACTOR),
        ).rejects.toThrow(ConflictError);
        await expect(
          store.getBudget(budget.groupRef, budget.quarter),
        ).resolves.toMatchObject({
          sharePercent: 20,
          version: 2,
        });
      });

      it('rejects a version for a budget that does not exist', async () => {
        await expect(store.putBudget(budget, 3, ACTOR)).rejects.toThrow(
          ConflictError,
        );
        await expect(
          store.getBudget(budget.groupRef, budget.quarter),
        ).resolves.toMatchObject({
          version: null,
        });
      });

      it('keeps budgets of different quarters and groups apart', async () => {
        await store.putBudget(budget, undefined, ACTOR);
        await store.putBudget(
          { ...budget, quarter: '2026-Q3', capacityDays: 100 },
          undefined,
          ACTOR,
        );
        await store.putBudget(
          { ...budget, groupRef: 'group:default/storefront', capacityDays: 80 },
          undefined,
          ACTOR,
        );
        expect(
          (await store.getBudget(budget.groupRef, '2026-Q2')).capacityDays,
        ).toBe(120);
        expect(
          (await store.getBudget(budget.groupRef, '2026-Q3')).capacityDays,
        ).toBe(100);
        expect(
          (await store.getBudget('group:default/storefront', '2026-Q2'))
            .capacityDays,
        ).toBe(80);
      });

      it("sums the effort of only the group's items resolved inside the quarter", async () => {
        const at = (iso: string) => new Date(iso);
        await store.importItems(
          [
            // Inside 2026-Q2 ([2026-04-01, 2026-07-01)), the group's: counted.
            {
              ...newItem({ effortDays: 3, status: 'resolved' }),
              resolvedAt: at('2026-04-01T00:00:00Z'),
              createdAt: at('2026-01-01T00:00:00Z'),
            },
            {
              ...newItem({ effortDays: 1.5, status: 'resolved' }),
              resolvedAt: at('2026-06-30T23:59:59Z'),
              createdAt: at('2026-01-01T00:00:00Z'),
            },
            // Just outside the quarter.
            {
              ...newItem({ effortDays: 7, status: 'resolved' }),
              resolvedAt: at('2026-03-31T23:59:59Z'),
              createdAt: at('2026-01-01T00:00:00Z'),
            },
            {
              ...newItem({ effortDays: 11, status: 'resolved' }),
              resolvedAt: at('2026-07-01T00:00:00Z'),
              createdAt: at('2026-01-01T00:00:00Z'),
            },
            // Another group.
            {
              ...newItem({
                effortDays: 13,
                status: 'resolved',
                ownerRef: 'group:default/storefront',
              }),
              resolvedAt: at('2026-05-01T00:00:00Z'),
              createdAt: at('2026-01-01T00:00:00Z'),
            },
            // Not resolved.
            {
              ...newItem({ effortDays: 17, status: 'open' }),
              createdAt: at('2026-05-01T00:00:00Z'),
            },
          ],
          ACTOR,
        );
        await store.putBudget(budget, undefined, ACTOR);
        await expect(
          store.getBudget(budget.groupRef, '2026-Q2'),
        ).resolves.toMatchObject({
          paidDownDays: 4.5,
          resolvedCount: 2,
          reservedDays: 18,
        });
        await expect(
          store.getBudget(budget.groupRef, '2026-Q3'),
        ).resolves.toMatchObject({
          paidDownDays: 11,
          resolvedCount: 1,
        });
        await expect(
          store.getBudget('group:default/storefront', '2026-Q2'),
        ).resolves.toMatchObject({
          paidDownDays: 13,
          resolvedCount: 1,
        });
      });
    });

    describe('updatePlacements', () => {
      it("moves the entity's items to the new owner and system and counts the changed items", async () => {
        await store.createItem(newItem(), ACTOR);
        await store.createItem(newItem({ title: 'second' }), ACTOR);
        const other = await store.createItem(
          newItem({
            entityRef: 'component:default/checkout-api',
            ownerRef: 'group:default/storefront',
            systemRef: null,
          }),
          ACTOR,
        );

        const changed = await store.updatePlacements([
          {
            entityRef: 'component:default/payments-api',
            ownerRef: 'group:default/platform',
            systemRef: 'system:default/developer-portal',
          },
          // Unchanged: not counted.
          {
            entityRef: 'component:default/checkout-api',
            ownerRef: 'group:default/storefront',
            systemRef: null,
          },
        ]);
        expect(changed).toBe(2);

        const moved = await store.listItems({
          ...LIST_DEFAULTS,
          ownerRefs: ['group:default/platform'],
        });
        expect(moved.totalCount).toBe(2);
        expect(
          moved.items.every(
            i => i.systemRef === 'system:default/developer-portal',
          ),
        ).toBe(true);
        await expect(store.getItem(other.id)).resolves.toMatchObject({
          ownerRef: 'group:default/storefront',
          systemRef: null,
        });

        // A system appearing where there was none counts; running again changes nothing.
        expect(
          await store.updatePlacements([
            {
              entityRef: 'component:default/checkout-api',
              ownerRef: 'group:default/storefront',
              systemRef: 'system:default/storefront',
            },
          ]),
        ).toBe(1);
        expect(
          await store.updatePlacements([
            {
              entityRef: 'component:default/checkout-api',
              ownerRef: 'group:default/storefront',
              systemRef: 'system:default/storefront',
            },
          ]),
        ).toBe(0);
        // Losing the owner counts too.
        expect(
          await store.updatePlacements([
            {
              entityRef: 'component:default/checkout-api',
              ownerRef: null,
              systemRef: 'system:default/storefront',
            },
          ]),
        ).toBe(1);
        await expect(store.getItem(other.id)).resolves.toMatchObject({
          ownerRef: null,
        });
      });
    });

    describe('history and import', () => {
      it('has no history on an empty register, and keeps it after everything is deleted', async () => {
        await expect(store.hasHistory()).resolves.toBe(false);
        const item = await store.createItem(newItem(), ACTOR);
        await expect(store.hasHistory()).resolves.toBe(true);
        await store.deleteItem(item.id, 1, ACTOR);
        await expect(store.hasHistory()).resolves.toBe(true);
      });

      it('imports items without history', async () => {
        await store.importItems([newItem(), newItem({ title: 'two' })], ACTOR);
        await expect(store.countItems()).resolves.toBe(2);
        await expect(store.hasHistory()).resolves.toBe(false);
      });

      it('imports many items with their created events, dates and priorities', async () => {
        const createdAt = new Date('2026-02-03T04:05:06.000Z');
        const resolvedAt = new Date('2026-03-01T00:00:00.000Z');
        const items = Array.from({ length: 1234 }, (_, i) => ({
          ...newItem({
            title: `item ${i}`,
            entityRef: `component:default/service-${i % 10}`,
            impact: 1 + (i % 5),
            effortDays: 1,
            interestHoursPerMonth: 0,
            status: i === 0 ? ('resolved' as const) : ('open' as const),
          }),
          createdAt,
          resolvedAt: i === 0 ? resolvedAt : null,
        }));
        await store.importItems(items, 'user:default/vitals-demo', {
          withHistory: true,
        });

        await expect(store.countItems()).resolves.toBe(1234);
        await expect(store.hasHistory()).resolves.toBe(true);
        const page = await store.listItems({
          ...LIST_DEFAULTS,
          search: 'item 0',
          limit: 1,
          orderBy: 'title',
          order: 'asc',
        });
        const first = page.items[0];
        expect(first).toMatchObject({
          title: 'item 0',
          createdAt: '2026-02-03T04:05:06.000Z',
          updatedAt: '2026-02-03T04:05:06.000Z',
          resolvedAt: '2026-03-01T00:00:00.000Z',
          createdBy: 'user:default/vitals-demo',
          priority: 1,
          version: 1,
        });
        const events = await store.listItemEvents(first.id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          action: 'created',
          actor: 'user:default/vitals-demo',
          at: '2026-02-03T04:05:06.000Z',
        });
        const top = await store.listItems({ ...LIST_DEFAULTS, limit: 1 });
        expect(top.items[0].priority).toBe(5);
      });
    });
  },
);
