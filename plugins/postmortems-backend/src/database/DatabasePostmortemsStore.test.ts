import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { DatabasePostmortemsStore } from './DatabasePostmortemsStore';
import { NewPostmortem, SyncedIncident } from './PostmortemsStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const PAYMENTS = 'group:default/payments';
const STOREFRONT = 'group:default/storefront';
const API = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-service';
const SHOP = 'component:default/storefront-web';
const QUALIFYING = { keys: ['sev1', 'sev2'], unknownQualifies: false };

const incident = (
  id: string,
  entityRef: string,
  daysAgo: number,
  severity: string | null = 'SEV2',
  resolvedAfterMinutes: number | null = 60,
): SyncedIncident => ({
  id,
  entityRef,
  createdAt: NOW - daysAgo * DAY,
  resolvedAt:
    resolvedAfterMinutes === null
      ? null
      : NOW - daysAgo * DAY + resolvedAfterMinutes * 60_000,
  severity,
  url: `https://incidents.example.com/${id}`,
  deploymentId: `deploy-${id}`,
  restoreMinutes: resolvedAfterMinutes,
});

const EMPTY_SECTIONS = {
  summary: '',
  customerImpact: '',
  timeline: [],
  contributingFactors: '',
  whatWentWell: '',
  whatWasHard: '',
  lessons: '',
  extraSections: {},
};

let ids = 0;
const newPostmortem = (
  incidentId: string,
  entityRef: string,
  authors = ['user:default/jonas.berg'],
): NewPostmortem => {
  ids += 1;
  return {
    id: `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`,
    incidentId,
    entityRef,
    title: `Postmortem of ${incidentId}`,
    templateId: 'blameless',
    authors,
    ...EMPTY_SECTIONS,
  };
};

describe.each(databases.eachSupportedId())(
  'DatabasePostmortemsStore on %s',
  databaseId => {
    async function makeStore() {
      const knex = await databases.init(databaseId);
      const store = await DatabasePostmortemsStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    /** Three payments incidents and one storefront incident, with the owners the catalog gives. */
    async function seeded() {
      const { store, knex } = await makeStore();
      await store.upsertIncidents(
        [
          incident('pd-1', API, 30),
          incident('pd-2', API, 10, 'SEV1'),
          incident('pd-3', LEDGER, 2),
          incident('pd-4', API, 20, 'SEV3'),
          incident('pd-5', SHOP, 15, null),
        ],
        NOW,
      );
      await store.setOwners(
        new Map([
          [API, PAYMENTS],
          [LEDGER, PAYMENTS],
          [SHOP, STOREFRONT],
        ]),
      );
      return { store, knex };
    }

    it('keeps the incidents it reads, tells which changed, and keeps the owner over a re-read', async () => {
      const { store } = await seeded();
      expect(await store.getIncident('pd-1')).toEqual({
        id: 'pd-1',
        entityRef: API,
        ownerRef: PAYMENTS,
        createdAt: NOW - 30 * DAY,
        resolvedAt: NOW - 30 * DAY + 3_600_000,
        severity: 'SEV2',
        url: 'https://incidents.example.com/pd-1',
        deploymentId: 'deploy-pd-1',
        restoreMinutes: 60,
      });
      // pd-3 is re-read resolved later, pd-1 as before.
      const changed = await store.upsertIncidents(
        [incident('pd-1', API, 30), incident('pd-3', LEDGER, 2, 'SEV2', 90)],
        NOW + 1,
      );
      expect(changed).toEqual(['pd-3']);
      expect(await store.getIncident('pd-3')).toMatchObject({
        restoreMinutes: 90,
        ownerRef: PAYMENTS,
      });
    });

    it('starts one postmortem per incident, with its authors and a history entry', async () => {
      const { store } = await seeded();
      const created = await store.createPostmortem(
        newPostmortem('pd-1', API, [
          'user:default/jonas.berg',
          'user:default/guest',
        ]),
        'user:default/guest',
        NOW,
      );
      expect(created).toMatchObject({
        incidentId: 'pd-1',
        status: 'draft',
        version: 1,
        authors: ['user:default/jonas.berg', 'user:default/guest'],
        createdBy: 'user:default/guest',
        publishedAt: null,
        actionItemCount: 0,
        incident: { id: 'pd-1', ownerRef: PAYMENTS },
        timeline: [],
        extraSections: {},
      });
      await expect(
        store.createPostmortem(
          newPostmortem('pd-1', API),
          'user:default/guest',
          NOW,
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining("incident 'pd-1' already has"),
      });
      expect(
        (await store.listHistory(created.id)).map(h => [h.action, h.version]),
      ).toEqual([['created', 1]]);
    });

    it('updates with the current version only, records what changed, and leaves an empty change alone', async () => {
      const { store } = await seeded();
      const { id } = await store.createPostmortem(
        newPostmortem('pd-2', API),
        'user:default/guest',
        NOW,
      );
      const timeline = [
        { at: '2026-11-21T12:00:00.000Z', text: 'Alert fires.' },
      ];
      const v2 = await store.updatePostmortem(
        id,
        { summary: 'Card payments failed.', timeline, status: 'in_review' },
        1,
        'user:default/jonas.berg',
        NOW + 1000,
      );
      expect(v2).toMatchObject({
        version: 2,
        summary: 'Card payments failed.',
        timeline,
        status: 'in_review',
        updatedBy: 'user:default/jonas.berg',
        publishedAt: null,
      });
      // A stale edit: the version the caller saw is 1.
      await expect(
        store.updatePostmortem(
          id,
          { lessons: 'x' },
          1,
          'user:default/li.wei',
          NOW,
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /changed by user:default\/jonas.berg .*your version 1, current 2/,
        ),
      });
      // The same values again change nothing, and the version stays.
      const same = await store.updatePostmortem(
        id,
        { summary: 'Card payments failed.' },
        2,
        'user:default/guest',
        NOW + 2000,
      );
      expect(same.version).toBe(2);
      const v3 = await store.updatePostmortem(
        id,
        { status: 'published', authors: ['user:default/guest'] },
        2,
        'user:default/guest',
        NOW + 3000,
      );
      expect(v3).toMatchObject({
        version: 3,
        status: 'published',
        publishedAt: NOW + 3000,
        authors: ['user:default/guest'],
      });
      const history = await store.listHistory(id);
      expect(history.map(h => [h.version, h.action, h.actor])).toEqual([
        [3, 'updated', 'user:default/guest'],
        [2, 'updated', 'user:default/jonas.berg'],
        [1, 'created', 'user:default/guest'],
      ]);
      expect(history[0].changes).toEqual({
        status: { from: 'in_review', to: 'published' },
        authors: {
          from: ['user:default/jonas.berg'],
          to: ['user:default/guest'],
        },
      });
      expect(history[1].changes.timeline).toEqual({ from: [], to: timeline });
      await expect(
        store.updatePostmortem(
          '00000000-0000-4000-8000-999999999999',
          { lessons: 'x' },
          1,
          'user:default/guest',
          NOW,
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('lists only what the read conditions allow: published, authored, or of the reader’s team', async () => {
      const { store } = await seeded();
      const draft = await store.createPostmortem(
        newPostmortem('pd-1', API, ['user:default/jonas.berg']),
        'user:default/jonas.berg',
        NOW,
      );
      const published = await store.createPostmortem(
        newPostmortem('pd-2', API),
        'user:default/jonas.berg',
        NOW,
      );
      await store.updatePostmortem(
        published.id,
        { status: 'in_review' },
        1,
        'user:default/jonas.berg',
        NOW,
      );
      await store.updatePostmortem(
        published.id,
        { status: 'published' },
        2,
        'user:default/jonas.berg',
        NOW,
      );
      const storefrontDraft = await store.createPostmortem(
        newPostmortem('pd-5', SHOP, ['user:default/maria.santos']),
        'user:default/li.wei',
        NOW,
      );
      const readerFilter = (userRef: string, groups: string[]) => ({
        anyOf: [
          { published: true as const },
          { authorIn: [userRef] },
          { ownerIn: [userRef, ...groups] },
        ],
      });
      const list = async (filter: any, extra: object = {}) =>
        (
          await store.listPostmortems({
            readFilter: filter,
            limit: 10,
            offset: 0,
            ...extra,
          })
        ).items.map(p => p.id);

      // Newest incident first. Li (Storefront) reads the published one and Storefront's draft, not Payments' draft.
      expect(
        await list(readerFilter('user:default/li.wei', [STOREFRONT])),
      ).toEqual([published.id, storefrontDraft.id]);
      // Jonas (Payments) reads his team's draft, not Storefront's.
      expect(
        await list(readerFilter('user:default/jonas.berg', [PAYMENTS])),
      ).toEqual([published.id, draft.id]);
      // An author outside the team still reads their draft.
      expect(
        await list(
          readerFilter('user:default/maria.santos', ['group:default/data']),
        ),
      ).toEqual([published.id, storefrontDraft.id]);
      // No conditions: everything (a service principal), newest incident first.
      expect(await list(undefined)).toEqual([
        published.id,
        storefrontDraft.id,
        draft.id,
      ]);
      expect(
        await list(undefined, { entityRefs: [API], statuses: ['draft'] }),
      ).toEqual([draft.id]);
      expect(await list(undefined, { ownerRefs: [STOREFRONT] })).toEqual([
        storefrontDraft.id,
      ]);
      expect(await list(undefined, { incidentId: 'pd-2' })).toEqual([
        published.id,
      ]);
      const page = await store.listPostmortems({
        readFilter: undefined,
        limit: 1,
        offset: 1,
      });
      expect(page).toMatchObject({
        totalCount: 3,
        items: [
          { id: storefrontDraft.id, authors: ['user:default/maria.santos'] },
        ],
      });
      // An empty claim list reads nothing that is not published.
      expect(
        await list({
          anyOf: [{ published: true }, { authorIn: [] }, { ownerIn: [] }],
        }),
      ).toEqual([published.id]);
      expect(await list({ not: { published: true } })).toEqual([
        storefrontDraft.id,
        draft.id,
      ]);
    });

    it('keeps action items with due dates and the debt item as last read; open ones are read again', async () => {
      const { store } = await seeded();
      const { id } = await store.createPostmortem(
        newPostmortem('pd-1', API),
        'user:default/guest',
        NOW,
      );
      const debt = {
        title: 'Lock check in CI',
        status: 'open' as const,
        entityRef: API,
        ownerRef: PAYMENTS,
        assignee: null,
      };
      const a = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';
      const b = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e02';
      const c = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e03';
      expect(
        await store.putActionItem(
          {
            postmortemId: id,
            debtItemId: a,
            origin: 'created',
            dueDate: '2026-11-20',
            debt,
          },
          'user:default/guest',
          NOW,
        ),
      ).toMatchObject({
        added: true,
        item: {
          debtItemId: a,
          origin: 'created',
          dueDate: '2026-11-20',
          debt,
          debtCheckedAt: NOW,
        },
      });
      await store.putActionItem(
        {
          postmortemId: id,
          debtItemId: b,
          origin: 'linked',
          dueDate: null,
          debt: null,
        },
        'user:default/guest',
        NOW + 1,
      );
      await store.putActionItem(
        {
          postmortemId: id,
          debtItemId: c,
          origin: 'linked',
          dueDate: '2026-12-24',
          debt,
        },
        'user:default/guest',
        NOW + 2,
      );
      // Linking again only changes the due date.
      expect(
        await store.putActionItem(
          {
            postmortemId: id,
            debtItemId: b,
            origin: 'linked',
            dueDate: '2026-11-25',
            debt: null,
          },
          'user:default/guest',
          NOW + 3,
        ),
      ).toMatchObject({
        added: false,
        item: { dueDate: '2026-11-25', origin: 'linked' },
      });
      expect((await store.getPostmortem(id))!.actionItemCount).toBe(3);

      // The register says: c is resolved; b is gone.
      await store.saveDebtSnapshots(
        [
          { debtItemId: c, debt: { ...debt, status: 'resolved' } },
          { debtItemId: b, debt: null },
        ],
        NOW + 10,
      );
      expect(await store.listOpenDebtItemIds()).toEqual([a]);
      const items = await store.listActionItems(id);
      expect(
        items.map(i => [i.debtItemId, i.debt?.status ?? null, i.debtGone]),
      ).toEqual([
        [a, 'open', false],
        [b, null, true],
        [c, 'resolved', false],
      ]);

      // Only a is open and past its due date.
      const overdue = await store.listOverdueActionItems({
        today: '2026-12-01',
        limit: 10,
      });
      expect(overdue).toMatchObject({
        totalCount: 1,
        items: [
          {
            debtItemId: a,
            incidentId: 'pd-1',
            entityRef: API,
            ownerRef: PAYMENTS,
            postmortemTitle: 'Postmortem of pd-1',
          },
        ],
      });
      expect(
        await store.removeActionItem(id, a, 'user:default/guest', NOW + 20),
      ).toBe(true);
      expect(
        await store.removeActionItem(id, a, 'user:default/guest', NOW + 21),
      ).toBe(false);
      expect((await store.listHistory(id)).map(h => h.action)).toEqual([
        'action_item_removed',
        'action_item_added',
        'action_item_added',
        'action_item_added',
        'action_item_added',
        'created',
      ]);
      expect(await store.listActionItemsOfIncidents(['pd-1', 'pd-2'])).toEqual(
        expect.arrayContaining([
          { incidentId: 'pd-1', postmortemId: id, debtItemId: b },
          { incidentId: 'pd-1', postmortemId: id, debtItemId: c },
        ]),
      );
    });

    it('counts coverage per team and per entity over qualifying, due incidents in one window', async () => {
      const { store } = await seeded();
      // pd-1 (30 days, SEV2) published, pd-2 (10 days, SEV1) in draft, pd-3 (2 days) not due, pd-4 SEV3 not
      // qualifying, pd-5 without a severity not qualifying.
      const pm1 = await store.createPostmortem(
        newPostmortem('pd-1', API),
        'user:default/guest',
        NOW,
      );
      await store.updatePostmortem(
        pm1.id,
        { status: 'in_review' },
        1,
        'user:default/guest',
        NOW,
      );
      await store.updatePostmortem(
        pm1.id,
        { status: 'published' },
        2,
        'user:default/guest',
        NOW,
      );
      await store.createPostmortem(
        newPostmortem('pd-2', API),
        'user:default/guest',
        NOW,
      );
      await store.putActionItem(
        {
          postmortemId: pm1.id,
          debtItemId: '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01',
          origin: 'created',
          dueDate: '2026-11-01',
          debt: null,
        },
        'user:default/guest',
        NOW,
      );
      await store.putActionItem(
        {
          postmortemId: pm1.id,
          debtItemId: '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e02',
          origin: 'created',
          dueDate: '2027-01-01',
          debt: null,
        },
        'user:default/guest',
        NOW,
      );
      const options = {
        from: NOW - 90 * DAY,
        to: NOW,
        dueBefore: NOW - 5 * DAY,
        qualifying: QUALIFYING,
        today: '2026-12-01',
      };
      expect(await store.coverageByTeam(options)).toEqual([
        {
          key: PAYMENTS,
          incidents: 3,
          due: 2,
          published: 1,
          openActionItems: 2,
          overdueActionItems: 1,
        },
      ]);
      // An incident without a severity counts when configured so: Storefront's then shows.
      expect(
        await store.coverageByTeam({
          ...options,
          qualifying: { ...QUALIFYING, unknownQualifies: true },
          team: STOREFRONT,
        }),
      ).toEqual([
        {
          key: STOREFRONT,
          incidents: 1,
          due: 1,
          published: 0,
          openActionItems: 0,
          overdueActionItems: 0,
        },
      ]);
      const byEntity = await store.coverageByEntity({
        ...options,
        entityRefs: [API, LEDGER, SHOP],
      });
      expect(byEntity.sort((x, y) => x.key.localeCompare(y.key))).toEqual([
        {
          key: LEDGER,
          incidents: 1,
          due: 0,
          published: 0,
          openActionItems: 0,
          overdueActionItems: 0,
        },
        {
          key: API,
          incidents: 2,
          due: 2,
          published: 1,
          openActionItems: 2,
          overdueActionItems: 1,
        },
      ]);
      // The window bounds: only pd-2 and pd-3 were created in the last 20 days.
      expect(
        (await store.coverageByTeam({ ...options, from: NOW - 20 * DAY }))[0],
      ).toMatchObject({ incidents: 2, due: 1, published: 0 });

      const missing = await store.listMissingPostmortems({
        since: NOW - 90 * DAY,
        dueBefore: NOW - 5 * DAY,
        qualifying: QUALIFYING,
        limit: 10,
      });
      expect(missing).toEqual({
        totalCount: 1,
        items: [
          {
            incident: expect.objectContaining({ id: 'pd-2' }),
            postmortem: expect.objectContaining({ status: 'draft' }),
          },
        ],
      });
      expect(
        (
          await store.listMissingPostmortems({
            since: NOW - 90 * DAY,
            dueBefore: NOW - 5 * DAY,
            qualifying: QUALIFYING,
            team: STOREFRONT,
            limit: 10,
          })
        ).totalCount,
      ).toBe(0);
    });

    it('lists an entity’s incidents with their postmortem, filtered by whether they qualify', async () => {
      const { store } = await seeded();
      const pm = await store.createPostmortem(
        newPostmortem('pd-2', API),
        'user:default/guest',
        NOW,
      );
      const all = await store.listEntityIncidents({
        entityRef: API,
        limit: 10,
        offset: 0,
      });
      expect(all.totalCount).toBe(3);
      expect(
        all.items.map(i => [i.incident.id, i.postmortem?.id ?? null]),
      ).toEqual([
        ['pd-2', pm.id],
        ['pd-4', null],
        ['pd-1', null],
      ]);
      expect(all.items[0].postmortem).toMatchObject({
        status: 'draft',
        authors: ['user:default/jonas.berg'],
      });
      const notQualifying = await store.listEntityIncidents({
        entityRef: API,
        qualifying: { value: false, ...QUALIFYING },
        limit: 10,
        offset: 0,
      });
      expect(notQualifying.items.map(i => i.incident.id)).toEqual(['pd-4']);
    });

    it('claims a notice once across runs, and again once released', async () => {
      const { store } = await makeStore();
      const notices = [
        { key: 'missing:pd-1', teamRef: PAYMENTS },
        { key: 'missing:pd-2', teamRef: PAYMENTS },
      ];
      const [first, second] = await Promise.all([
        store.claimNotices(notices, NOW),
        store.claimNotices(notices, NOW),
      ]);
      expect([...first, ...second].sort()).toEqual([
        'missing:pd-1',
        'missing:pd-2',
      ]);
      expect(await store.claimNotices(notices, NOW + 1)).toEqual([]);
      await store.releaseNotices(['missing:pd-2']);
      expect(await store.claimNotices(notices, NOW + 2)).toEqual([
        'missing:pd-2',
      ]);
      await store.setSyncState('incidents.fullSyncAt', NOW);
      await store.setSyncState('incidents.fullSyncAt', NOW + 5);
      expect(await store.getSyncState('incidents.fullSyncAt')).toBe(NOW + 5);
      expect(await store.getSyncState('other')).toBeUndefined();
    });
  },
);
