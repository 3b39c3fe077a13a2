import { mockServices, TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseOwnershipStore } from './DatabaseOwnershipStore';
import { SnapshotEntity, SnapshotGroup } from './OwnershipStore';
import { groupClosure } from '../service/snapshot';

jest.setTimeout(60_000);

const ids: TestDatabaseId[] = ['SQLITE_3'];
if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
  ids.push('POSTGRES_15');
}
const databases = TestDatabases.create({ ids, disableDocker: true });

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T08:00:00Z');
const T1 = new Date('2026-07-01T08:00:00Z');
const NOW = new Date('2026-11-26T12:00:00Z');
const WINDOW = { cutoff: new Date(NOW.getTime() - 180 * DAY), periodDays: 180 };

function entity(name: string, ownerRef: string | null, overrides: Partial<SnapshotEntity> = {}): SnapshotEntity {
  return {
    entityRef: `component:default/${name}`,
    kind: 'component',
    title: name,
    systemRef: 'system:default/shop',
    ownerRef,
    ownerKind: ownerRef ? 'group' : null,
    ownerExists: !!ownerRef,
    ownerTitle: ownerRef ? ownerRef.split('/')[1] : null,
    ownerMemberCount: ownerRef ? 3 : null,
    contactCount: 1,
    problems: ownerRef ? [] : ['no-owner'],
    confirmationApplies: !!ownerRef,
    ...overrides,
  };
}

// engineering ⊃ payments, shop ⊃ checkout-team
const GROUPS: SnapshotGroup[] = [
  { groupRef: 'group:default/engineering', title: 'Engineering', parentRef: null, memberCount: 0 },
  { groupRef: 'group:default/payments', title: 'Payments', parentRef: 'group:default/engineering', memberCount: 3 },
  { groupRef: 'group:default/shop', title: 'Shop', parentRef: 'group:default/engineering', memberCount: 2 },
  { groupRef: 'group:default/checkout-team', title: 'Checkout', parentRef: 'group:default/shop', memberCount: 1 },
];
const CLOSURE = groupClosure(new Map(GROUPS.map(g => [g.groupRef, g])));

describe.each(databases.eachSupportedId())('DatabaseOwnershipStore on %s', databaseId => {
  let knex: Knex;
  let store: DatabaseOwnershipStore;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    store = await DatabaseOwnershipStore.create({ database: mockServices.database.mock({ getClient: async () => knex }) });
  });

  afterEach(async () => {
    await knex.destroy();
  });

  async function snapshot(entities: SnapshotEntity[], takenAt: Date) {
    return store.replaceSnapshot({ entities, groups: GROUPS, closure: CLOSURE, takenAt });
  }

  it('records first sightings and owner changes as history, and nothing when the owner stays', async () => {
    const first = await snapshot([entity('api', 'group:default/payments'), entity('web', 'group:default/shop')], T0);
    expect(first).toEqual({ entities: 2, groups: 4, firstSeen: 2, ownerChanges: 0 });

    const second = await snapshot([entity('api', 'group:default/shop'), entity('web', 'group:default/shop')], T1);
    expect(second).toEqual({ entities: 2, groups: 4, firstSeen: 0, ownerChanges: 1 });

    const third = await snapshot([entity('api', 'group:default/shop')], NOW);
    expect(third).toMatchObject({ firstSeen: 0, ownerChanges: 0 });

    const history = await store.listHistory('component:default/api');
    expect(history.map(h => ({ type: h.type, from: h.fromOwnerRef, to: h.toOwnerRef, at: h.at, actor: h.actor }))).toEqual([
      { type: 'owner-changed', from: 'group:default/payments', to: 'group:default/shop', at: T1.toISOString(), actor: 'system:snapshot' },
      { type: 'first-seen', from: null, to: 'group:default/payments', at: T0.toISOString(), actor: 'system:snapshot' },
    ]);
    // web left the snapshot but keeps its history; the report no longer lists it.
    expect(await store.listHistory('component:default/web')).toHaveLength(1);
    expect((await store.getReportSummary({}, WINDOW)).total).toBe(1);
  });

  it('keeps the latest confirmation per owner and every confirmation in the history', async () => {
    await snapshot([entity('api', 'group:default/payments')], T0);
    await store.recordConfirmation({ entityRef: 'component:default/api', ownerRef: 'group:default/payments', actor: 'user:default/a', comment: 'first', at: T0 });
    const latest = await store.recordConfirmation({ entityRef: 'component:default/api', ownerRef: 'group:default/payments', actor: 'user:default/b', comment: null, at: T1 });
    expect(latest).toEqual({ entityRef: 'component:default/api', ownerRef: 'group:default/payments', confirmedBy: 'user:default/b', confirmedAt: T1.toISOString(), comment: null });
    expect(await store.getConfirmation('component:default/api', 'group:default/payments')).toEqual(latest);
    expect(await store.getConfirmation('component:default/api', 'group:default/shop')).toBeUndefined();
    const history = await store.listHistory('component:default/api');
    expect(history.map(h => [h.type, h.actor, h.comment])).toEqual([
      ['confirmed', 'user:default/b', null],
      ['confirmed', 'user:default/a', 'first'],
      ['first-seen', 'system:snapshot', null],
    ]);
    expect(await store.hasConfirmations()).toBe(true);
  });

  it('a confirmation counts only for the owner it confirmed', async () => {
    await snapshot([entity('api', 'group:default/payments')], T0);
    await store.recordConfirmation({ entityRef: 'component:default/api', ownerRef: 'group:default/payments', actor: 'user:default/a', comment: null, at: NOW });
    expect((await store.getReportSummary({}, WINDOW)).healthy).toBe(1);
    await snapshot([entity('api', 'group:default/shop')], NOW);
    const summary = await store.getReportSummary({}, WINDOW);
    expect(summary.healthy).toBe(0);
    expect(summary.problemCounts['confirmation-overdue']).toBe(1);
  });

  describe('org report', () => {
    beforeEach(async () => {
      await snapshot(
        [
          entity('pay-api', 'group:default/payments'),
          entity('ledger', 'group:default/payments', { systemRef: 'system:default/money', contactCount: 0, problems: ['no-contact'] }),
          entity('cart', 'group:default/checkout-team', { ownerMemberCount: 1, problems: ['owner-single-member'] }),
          entity('search', 'group:default/shop'),
          entity('promo', 'group:default/growth', { ownerExists: false, ownerMemberCount: null, problems: ['owner-unresolved'], confirmationApplies: false }),
          entity('orphan', null),
          entity('docs-api', 'group:default/shop', { kind: 'api', entityRef: 'api:default/docs-api' }),
        ],
        T0,
      );
      for (const [name, owner, at] of [
        ['pay-api', 'payments', NOW],
        ['ledger', 'payments', NOW],
        ['cart', 'checkout-team', NOW],
        ['search', 'shop', new Date(NOW.getTime() - 200 * DAY)],
      ] as const) {
        await store.recordConfirmation({ entityRef: `component:default/${name}`, ownerRef: `group:default/${owner}`, actor: 'user:default/a', comment: null, at });
      }
    });

    it('summarises coverage and counts each problem', async () => {
      const summary = await store.getReportSummary({}, WINDOW);
      expect(summary).toEqual({
        total: 7,
        healthy: 1, // pay-api
        coveragePercent: 14.3,
        problemCounts: {
          'no-owner': 1,
          'owner-unresolved': 1,
          'owner-no-members': 0,
          'owner-single-member': 1,
          'no-contact': 1,
          'confirmation-overdue': 2, // search (expired), docs-api (never)
        },
        snapshotAt: T0.toISOString(),
        confirmationPeriodDays: 180,
      });
    });

    it('filters by kind, system and team (including child groups)', async () => {
      expect((await store.getReportSummary({ kinds: ['api'] }, WINDOW)).total).toBe(1);
      expect((await store.getReportSummary({ systemRefs: ['system:default/money'] }, WINDOW)).total).toBe(1);
      const shop = await store.getReportSummary({ teamRef: 'group:default/shop' }, WINDOW);
      expect(shop.total).toBe(3); // search, docs-api and cart through checkout-team
      const engineering = await store.getReportSummary({ teamRef: 'group:default/engineering' }, WINDOW);
      expect(engineering.total).toBe(5); // every entity owned by a real group
      expect((await store.getReportSummary({ teamRef: 'group:default/nobody' }, WINDOW))).toMatchObject({ total: 0, coveragePercent: null, snapshotAt: null });
    });

    it('lists the entities with a problem, paged, with the problems spelled out', async () => {
      const all = await store.listProblems({ limit: 3, offset: 0 }, WINDOW);
      expect(all.totalCount).toBe(6);
      expect(all.rows.map(r => r.entityRef)).toEqual([
        'api:default/docs-api',
        'component:default/cart',
        'component:default/ledger',
      ]);
      expect(all.rows[0].problems.map(p => p.kind)).toEqual(['confirmation-overdue']);
      const next = await store.listProblems({ limit: 3, offset: 3 }, WINDOW);
      expect(next.rows.map(r => r.entityRef)).toEqual(['component:default/orphan', 'component:default/promo', 'component:default/search']);

      const overdue = await store.listProblems({ problem: 'confirmation-overdue', limit: 10, offset: 0 }, WINDOW);
      expect(overdue.rows.map(r => [r.entityRef, r.lastConfirmedBy])).toEqual([
        ['api:default/docs-api', null],
        ['component:default/search', 'user:default/a'],
      ]);
      const single = await store.listProblems({ problem: 'owner-single-member', teamRef: 'group:default/engineering', limit: 10, offset: 0 }, WINDOW);
      expect(single.rows.map(r => r.entityRef)).toEqual(['component:default/cart']);
      expect(single.rows[0].problems[0].message).toBe('checkout-team (group:default/checkout-team) has a single member: bus factor 1.');
    });

    it('gives per-group figures, directly and through child groups', async () => {
      const shop = await store.getGroup('group:default/shop', WINDOW);
      expect(shop).toEqual({
        groupRef: 'group:default/shop',
        title: 'Shop',
        parentRef: 'group:default/engineering',
        memberCount: 2,
        ownedDirectly: 2,
        ownedThroughChildren: 1,
        ownedTotal: 3,
        healthy: 0,
        healthPercent: 0,
        problemCounts: expect.objectContaining({ 'owner-single-member': 1, 'confirmation-overdue': 2 }),
      });
      const page = await store.listGroups({ limit: 10, offset: 0 }, WINDOW);
      expect(page.totalCount).toBe(4);
      expect(page.groups.map(g => [g.groupRef, g.ownedDirectly, g.ownedTotal, g.healthy])).toEqual([
        ['group:default/engineering', 0, 5, 1],
        ['group:default/shop', 2, 3, 0],
        ['group:default/payments', 2, 2, 1],
        ['group:default/checkout-team', 1, 1, 0],
      ]);
      expect(await store.getGroup('group:default/growth', WINDOW)).toBeUndefined();
    });

    it('lists filter values', async () => {
      expect(await store.getFacets()).toEqual({
        kinds: ['api', 'component'],
        systems: ['system:default/money', 'system:default/shop'],
        teams: ['group:default/checkout-team', 'group:default/engineering', 'group:default/payments', 'group:default/shop'],
      });
    });
  });
});
