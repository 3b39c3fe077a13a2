import { mockServices } from '@backstage/backend-test-utils';
import { seededRandom, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  emptyProblemCounts,
  GroupOwnershipFigures,
  OwnershipProblemKind,
} from '@vitals/plugin-ownership-common';
import { Knex } from 'knex';
import { DatabaseOwnershipStore } from './DatabaseOwnershipStore';
import { SnapshotEntity, SnapshotGroup } from './OwnershipStore';
import { groupClosure } from '../service/snapshot';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T08:00:00Z');
const T1 = new Date('2026-07-01T08:00:00Z');
const NOW = new Date('2026-11-26T12:00:00Z');
const WINDOW = { cutoff: new Date(NOW.getTime() - 180 * DAY), periodDays: 180 };

function entity(
  name: string,
  ownerRef: string | null,
  overrides: Partial<SnapshotEntity> = {},
): SnapshotEntity {
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
  {
    groupRef: 'group:default/engineering',
    title: 'Engineering',
    parentRef: null,
    memberCount: 0,
  },
  {
    groupRef: 'group:default/payments',
    title: 'Payments',
    parentRef: 'group:default/engineering',
    memberCount: 3,
  },
  {
    groupRef: 'group:default/shop',
    title: 'Shop',
    parentRef: 'group:default/engineering',
    memberCount: 2,
  },
  {
    groupRef: 'group:default/checkout-team',
    title: 'Checkout',
    parentRef: 'group:default/shop',
    memberCount: 1,
  },
];
const CLOSURE = groupClosure(new Map(GROUPS.map(g => [g.groupRef, g])));

const CATALOG_PROBLEMS: OwnershipProblemKind[] = [
  'owner-unresolved',
  'owner-no-members',
  'owner-single-member',
  'no-contact',
];

/** A random org: 30 groups in a tree, 300 entities (some user-owned, unowned or with an unknown group), confirmations. */
function randomOrg(seed: number) {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  // Zero-padded names sort the same under every collation, so the expected order does not depend on the database.
  const groups: SnapshotGroup[] = Array.from({ length: 30 }, (_, i) => ({
    groupRef: `group:default/t${String(i).padStart(2, '0')}`,
    title: `T${i}`,
    parentRef:
      i < 3
        ? null
        : `group:default/t${String(Math.floor(random() * i)).padStart(2, '0')}`,
    memberCount: i % 4,
  }));
  const owners = [
    ...groups.map(g => g.groupRef),
    'user:default/u1',
    'group:default/ghost',
    null,
  ];
  const entities: SnapshotEntity[] = Array.from({ length: 300 }, (_, i) => {
    const ownerRef = pick(owners);
    const problems: OwnershipProblemKind[] = [];
    if (ownerRef === null) problems.push('no-owner');
    else if (random() < 0.4) problems.push(pick(CATALOG_PROBLEMS));
    if (ownerRef !== null && problems[0] !== 'no-contact' && random() < 0.2)
      problems.push('no-contact');
    return entity(`e${String(i).padStart(3, '0')}`, ownerRef, {
      ownerKind: ownerRef?.split(':')[0] ?? null,
      problems,
      confirmationApplies: ownerRef !== null && random() < 0.9,
    });
  });
  // Confirmations of the current owner (0–299 days old) and of a previous owner, which must not count.
  const confirmations = entities
    .filter(e => e.ownerRef && random() < 0.5)
    .map(e => ({
      entityRef: e.entityRef,
      ownerRef: random() < 0.85 ? e.ownerRef! : 'group:default/t00',
      at: new Date(NOW.getTime() - Math.floor(random() * 300) * DAY - 1),
    }));
  return {
    groups,
    entities,
    confirmations,
    closure: groupClosure(new Map(groups.map(g => [g.groupRef, g]))),
  };
}

/** The teams table computed from the inputs alone, for comparison with what the store serves. */
function expectedTeams(
  org: ReturnType<typeof randomOrg>,
  cutoff: Date,
): GroupOwnershipFigures[] {
  const confirmed = new Map(
    org.confirmations.map(c => [`${c.entityRef} ${c.ownerRef}`, c.at]),
  );
  const rows = org.groups.map(group => {
    const descendants = new Set(
      org.closure
        .filter(c => c.ancestorRef === group.groupRef)
        .map(c => c.descendantRef),
    );
    const owned = org.entities.filter(
      e => e.ownerRef && descendants.has(e.ownerRef),
    );
    const problemCounts = emptyProblemCounts();
    let healthy = 0;
    for (const e of owned) {
      const at = confirmed.get(`${e.entityRef} ${e.ownerRef}`);
      const overdue = e.confirmationApplies && !(at && at >= cutoff);
      for (const kind of e.problems) problemCounts[kind] += 1;
      if (overdue) problemCounts['confirmation-overdue'] += 1;
      if (e.problems.length === 0 && !overdue) healthy += 1;
    }
    const direct = owned.filter(e => e.ownerRef === group.groupRef).length;
    return {
      groupRef: group.groupRef,
      title: group.title,
      parentRef: group.parentRef,
      memberCount: group.memberCount,
      ownedDirectly: direct,
      ownedThroughChildren: owned.length - direct,
      ownedTotal: owned.length,
      healthy,
      healthPercent: owned.length
        ? Math.round((healthy / owned.length) * 1000) / 10
        : null,
      problemCounts,
    };
  });
  return rows.sort(
    (a, b) => b.ownedTotal - a.ownedTotal || (a.groupRef < b.groupRef ? -1 : 1),
  );
}

describe.each(databases.eachSupportedId())(
  'DatabaseOwnershipStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseOwnershipStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseOwnershipStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    async function snapshot(entities: SnapshotEntity[], takenAt: Date) {
      return store.replaceSnapshot({
        entities,
        groups: GROUPS,
        closure: CLOSURE,
        takenAt,
      });
    }

    it('records first sightings and owner changes as history, and nothing when the owner stays', async () => {
      const first = await snapshot(
        [
          entity('api', 'group:default/payments'),
          entity('web', 'group:default/shop'),
        ],
        T0,
      );
      expect(first).toEqual({
        entities: 2,
        groups: 4,
        firstSeen: 2,
        ownerChanges: 0,
      });

      const second = await snapshot(
        [
          entity('api', 'group:default/shop'),
          entity('web', 'group:default/shop'),
        ],
        T1,
      );
      expect(second).toEqual({
        entities: 2,
        groups: 4,
        firstSeen: 0,
        ownerChanges: 1,
      });

      const third = await snapshot([entity('api', 'group:default/shop')], NOW);
      expect(third).toMatchObject({ firstSeen: 0, ownerChanges: 0 });

      const history = await store.listHistory('component:default/api');
      expect(
        history.map(h => ({
          type: h.type,
          from: h.fromOwnerRef,
          to: h.toOwnerRef,
          at: h.at,
          actor: h.actor,
        })),
      ).toEqual([
        {
          type: 'owner-changed',
          from: 'group:default/payments',
          to: 'group:default/shop',
          at: T1.toISOString(),
          actor: 'system:snapshot',
        },
        {
          type: 'first-seen',
          from: null,
          to: 'group:default/payments',
          at: T0.toISOString(),
          actor: 'system:snapshot',
        },
      ]);
      // web left the snapshot but keeps its history; the report no longer lists it.
      expect(await store.listHistory('component:default/web')).toHaveLength(1);
      expect((await store.getReportSummary({}, WINDOW)).total).toBe(1);
    });

    it('keeps the latest confirmation per owner and every confirmation in the history', async () => {
      await snapshot([entity('api', 'group:default/payments')], T0);
      await store.recordConfirmation({
        entityRef: 'component:default/api',
        ownerRef: 'group:default/payments',
        actor: 'user:default/a',
        comment: 'first',
        at: T0,
      });
      const latest = await store.recordConfirmation({
        entityRef: 'component:default/api',
        ownerRef: 'group:default/payments',
        actor: 'user:default/b',
        comment: null,
        at: T1,
      });
      expect(latest).toEqual({
        entityRef: 'component:default/api',
        ownerRef: 'group:default/payments',
        confirmedBy: 'user:default/b',
        confirmedAt: T1.toISOString(),
        comment: null,
      });
      expect(
        await store.getConfirmation(
          'component:default/api',
          'group:default/payments',
        ),
      ).toEqual(latest);
      expect(
        await store.getConfirmation(
          'component:default/api',
          'group:default/shop',
        ),
      ).toBeUndefined();
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
      await store.recordConfirmation({
        entityRef: 'component:default/api',
        ownerRef: 'group:default/payments',
        actor: 'user:default/a',
        comment: null,
        at: NOW,
      });
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
            entity('ledger', 'group:default/payments', {
              systemRef: 'system:default/money',
              contactCount: 0,
              problems: ['no-contact'],
            }),
            entity('cart', 'group:default/checkout-team', {
              ownerMemberCount: 1,
              problems: ['owner-single-member'],
            }),
            entity('search', 'group:default/shop'),
            entity('promo', 'group:default/growth', {
              ownerExists: false,
              ownerMemberCount: null,
              problems: ['owner-unresolved'],
              confirmationApplies: false,
            }),
            entity('orphan', null),
            entity('docs-api', 'group:default/shop', {
              kind: 'api',
              entityRef: 'api:default/docs-api',
            }),
          ],
          T0,
        );
        for (const [name, owner, at] of [
          ['pay-api', 'payments', NOW],
          ['ledger', 'payments', NOW],
          ['cart', 'checkout-team', NOW],
          ['search', 'shop', new Date(NOW.getTime() - 200 * DAY)],
        ] as const) {
          await store.recordConfirmation({
            entityRef: `component:default/${name}`,
            ownerRef: `group:default/${owner}`,
            actor: 'user:default/a',
            comment: null,
            at,
          });
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
        expect(
          (await store.getReportSummary({ kinds: ['api'] }, WINDOW)).total,
        ).toBe(1);
        expect(
          (
            await store.getReportSummary(
              { systemRefs: ['system:default/money'] },
              WINDOW,
            )
          ).total,
        ).toBe(1);
        const shop = await store.getReportSummary(
          { teamRef: 'group:default/shop' },
          WINDOW,
        );
        expect(shop.total).toBe(3); // search, docs-api and cart through checkout-team
        const engineering = await store.getReportSummary(
          { teamRef: 'group:default/engineering' },
          WINDOW,
        );
        expect(engineering.total).toBe(5); // every entity owned by a real group
        expect(
          await store.getReportSummary(
            { teamRef: 'group:default/nobody' },
            WINDOW,
          ),
        ).toMatchObject({ total: 0, coveragePercent: null, snapshotAt: null });
      });

      it('lists the entities with a problem, paged, with the problems spelled out', async () => {
        const all = await store.listProblems({ limit: 3, offset: 0 }, WINDOW);
        expect(all.totalCount).toBe(6);
        expect(all.rows.map(r => r.entityRef)).toEqual([
          'api:default/docs-api',
          'component:default/cart',
          'component:default/ledger',
        ]);
        expect(all.rows[0].problems.map(p => p.kind)).toEqual([
          'confirmation-overdue',
        ]);
        const next = await store.listProblems({ limit: 3, offset: 3 }, WINDOW);
        expect(next.rows.map(r => r.entityRef)).toEqual([
          'component:default/orphan',
          'component:default/promo',
          'component:default/search',
        ]);

        const overdue = await store.listProblems(
          { problem: 'confirmation-overdue', limit: 10, offset: 0 },
          WINDOW,
        );
        expect(overdue.rows.map(r => [r.entityRef, r.lastConfirmedBy])).toEqual(
          [
            ['api:default/docs-api', null],
            ['component:default/search', 'user:default/a'],
          ],
        );
        const single = await store.listProblems(
          {
            problem: 'owner-single-member',
            teamRef: 'group:default/engineering',
            limit: 10,
            offset: 0,
          },
          WINDOW,
        );
        expect(single.rows.map(r => r.entityRef)).toEqual([
          'component:default/cart',
        ]);
        expect(single.rows[0].problems[0].message).toBe(
          'checkout-team (group:default/checkout-team) has a single member: bus factor 1.',
        );
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
          problemCounts: expect.objectContaining({
            'owner-single-member': 1,
            'confirmation-overdue': 2,
          }),
        });
        const page = await store.listGroups({ limit: 10, offset: 0 }, WINDOW);
        expect(page.totalCount).toBe(4);
        expect(
          page.groups.map(g => [
            g.groupRef,
            g.ownedDirectly,
            g.ownedTotal,
            g.healthy,
          ]),
        ).toEqual([
          ['group:default/engineering', 0, 5, 1],
          ['group:default/shop', 2, 3, 0],
          ['group:default/payments', 2, 2, 1],
          ['group:default/checkout-team', 1, 1, 0],
        ]);
        expect(
          await store.getGroup('group:default/growth', WINDOW),
        ).toBeUndefined();
      });

      it('lists filter values', async () => {
        expect(await store.getFacets()).toEqual({
          kinds: ['api', 'component'],
          systems: ['system:default/money', 'system:default/shop'],
          teams: [
            'group:default/checkout-team',
            'group:default/engineering',
            'group:default/payments',
            'group:default/shop',
          ],
        });
      });
    });
    describe("teams' figures, precomputed with the snapshot", () => {
      it('stores one row per team with each snapshot, in the order of the teams table', async () => {
        await snapshot(
          [
            entity('pay-api', 'group:default/payments'),
            entity('cart', 'group:default/checkout-team', {
              problems: ['no-contact'],
            }),
            entity('search', 'group:default/shop'),
          ],
          T0,
        );
        const rows = await knex('ownership_group_figures')
          .orderBy('list_position')
          .select(
            'group_ref',
            'list_position',
            'owned_directly',
            'owned_total',
            'n_no_contact',
          );
        expect(
          rows.map(r => [
            r.group_ref,
            Number(r.list_position),
            Number(r.owned_directly),
            Number(r.owned_total),
            Number(r.n_no_contact),
          ]),
        ).toEqual([
          ['group:default/engineering', 1, 0, 3, 1],
          ['group:default/shop', 2, 1, 2, 1],
          ['group:default/checkout-team', 3, 1, 1, 1],
          ['group:default/payments', 4, 1, 1, 0],
        ]);

        // The next snapshot replaces them: payments now owns everything.
        await snapshot(
          [
            entity('pay-api', 'group:default/payments'),
            entity('cart', 'group:default/payments'),
          ],
          T1,
        );
        const page = await store.listGroups({ limit: 10, offset: 0 }, WINDOW);
        expect(
          page.groups.map(g => [g.groupRef, g.ownedDirectly, g.ownedTotal]),
        ).toEqual([
          ['group:default/engineering', 0, 2],
          ['group:default/payments', 2, 2],
          ['group:default/checkout-team', 0, 0],
          ['group:default/shop', 0, 0],
        ]);
        expect(
          Number(
            (await knex('ownership_group_figures').count('* as n').first())!.n,
          ),
        ).toBe(4);
      });

      it('counts a confirmation at once for the owner and every parent team, and stops when it expires', async () => {
        await snapshot(
          [
            entity('cart', 'group:default/checkout-team'),
            entity('search', 'group:default/shop'),
          ],
          T0,
        );
        const healthyOf = async (window: typeof WINDOW) =>
          (await store.listGroups({ limit: 10, offset: 0 }, window)).groups.map(
            g => [
              g.groupRef,
              g.healthy,
              g.problemCounts['confirmation-overdue'],
            ],
          );
        expect(await healthyOf(WINDOW)).toEqual([
          ['group:default/engineering', 0, 2],
          ['group:default/shop', 0, 2],
          ['group:default/checkout-team', 0, 1],
          ['group:default/payments', 0, 0],
        ]);

        const at = new Date(NOW.getTime() - 10 * DAY);
        await store.recordConfirmation({
          entityRef: 'component:default/cart',
          ownerRef: 'group:default/checkout-team',
          actor: 'user:default/a',
          comment: null,
          at,
        });
        expect(await healthyOf(WINDOW)).toEqual([
          ['group:default/engineering', 1, 1],
          ['group:default/shop', 1, 1],
          ['group:default/checkout-team', 1, 0],
          ['group:default/payments', 0, 0],
        ]);
        expect(
          await store.getGroup('group:default/shop', WINDOW),
        ).toMatchObject({ healthy: 1, healthPercent: 50 });

        // 171 days later the confirmation is 181 days old: overdue again, without a new snapshot.
        const later = { cutoff: new Date(at.getTime() + DAY), periodDays: 180 };
        expect(await healthyOf(later)).toEqual([
          ['group:default/engineering', 0, 2],
          ['group:default/shop', 0, 2],
          ['group:default/checkout-team', 0, 1],
          ['group:default/payments', 0, 0],
        ]);
        expect(
          (await store.getGroup('group:default/checkout-team', later))
            ?.problemCounts['confirmation-overdue'],
        ).toBe(1);
      });

      it('forgets a confirmation when the next snapshot sees another owner', async () => {
        await snapshot([entity('cart', 'group:default/checkout-team')], T0);
        await store.recordConfirmation({
          entityRef: 'component:default/cart',
          ownerRef: 'group:default/checkout-team',
          actor: 'user:default/a',
          comment: null,
          at: NOW,
        });
        expect(
          (await store.getGroup('group:default/engineering', WINDOW))?.healthy,
        ).toBe(1);

        await snapshot([entity('cart', 'group:default/payments')], NOW);
        expect(
          await store.getGroup('group:default/engineering', WINDOW),
        ).toMatchObject({
          ownedTotal: 1,
          healthy: 0,
          problemCounts: expect.objectContaining({ 'confirmation-overdue': 1 }),
        });
        expect(
          await store.getGroup('group:default/checkout-team', WINDOW),
        ).toMatchObject({ ownedTotal: 0, healthy: 0 });
        // A confirmation of the old owner recorded after the change does not count for the new one either.
        await store.recordConfirmation({
          entityRef: 'component:default/cart',
          ownerRef: 'group:default/checkout-team',
          actor: 'user:default/a',
          comment: null,
          at: NOW,
        });
        expect(
          (await store.getGroup('group:default/payments', WINDOW))?.healthy,
        ).toBe(0);
      });

      it('pages by position and says how many teams there are', async () => {
        await snapshot([entity('pay-api', 'group:default/payments')], T0);
        const second = await store.listGroups({ limit: 2, offset: 1 }, WINDOW);
        expect(second).toEqual({
          groups: [
            expect.objectContaining({ groupRef: 'group:default/payments' }),
            expect.objectContaining({
              groupRef: 'group:default/checkout-team',
            }),
          ],
          totalCount: 4,
        });
        expect(
          await store.listGroups({ limit: 10, offset: 4 }, WINDOW),
        ).toEqual({ groups: [], totalCount: 0 });
      });

      it('is empty before the first snapshot', async () => {
        expect(
          await store.listGroups({ limit: 10, offset: 0 }, WINDOW),
        ).toEqual({ groups: [], totalCount: 0 });
        expect(
          await store.getGroup('group:default/payments', WINDOW),
        ).toBeUndefined();
      });

      it.each([11, 12, 13])(
        'serves the same figures as counting every entity (random org %i), for any cutoff',
        async seed => {
          const org = randomOrg(seed);
          await store.replaceSnapshot({
            entities: org.entities,
            groups: org.groups,
            closure: org.closure,
            takenAt: T0,
          });
          // Half the confirmations before the snapshot (rebuilt with it), half after (kept current one by one).
          const half = Math.floor(org.confirmations.length / 2);
          for (const c of org.confirmations.slice(0, half)) {
            await store.recordConfirmation({
              ...c,
              actor: 'user:default/a',
              comment: null,
            });
          }
          await store.replaceSnapshot({
            entities: org.entities,
            groups: org.groups,
            closure: org.closure,
            takenAt: T1,
          });
          for (const c of org.confirmations.slice(half)) {
            await store.recordConfirmation({
              ...c,
              actor: 'user:default/a',
              comment: null,
            });
          }

          for (const cutoff of [
            WINDOW.cutoff,
            new Date(NOW.getTime() - 30 * DAY),
            new Date(NOW.getTime() - 400 * DAY),
          ]) {
            const window = { cutoff, periodDays: 180 };
            const expected = expectedTeams(org, cutoff);
            const pages = [];
            for (let offset = 0; offset < 30; offset += 7) {
              const page = await store.listGroups({ limit: 7, offset }, window);
              expect(page.totalCount).toBe(30);
              pages.push(...page.groups);
            }
            expect(pages).toEqual(expected);
            for (const team of [expected[0], expected[13], expected[29]]) {
              expect(await store.getGroup(team.groupRef, window)).toEqual(team);
            }
          }
        },
      );
    });
  },
);
