import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { doraEventSchema, DoraEventInput } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { computeFlow, computeWaiting } from '../service/flow';
import { DatabaseDoraStore } from './DatabaseDoraStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const SVC = 'component:default/payments-api';
const OTHER = 'component:default/ledger-service';
const t = (iso: string) => Date.parse(iso);

const pr = (
  id: string,
  fields: Record<string, string | number>,
  entityRef = SVC,
): DoraEventInput =>
  ({ type: 'change', id, entityRef, sha: `sha-${id}`, ...fields } as any);
const deployment = (
  id: string,
  finishedAt: string,
  commitShas: string[],
): DoraEventInput => ({
  type: 'deployment',
  id,
  entityRef: SVC,
  environment: 'production',
  status: 'success',
  finishedAt,
  commitShas,
});

/*
 * Two weeks from Monday 2026-01-05. Every figure below is worked out by hand from these events (minutes):
 *
 * | PR   | coding | pickup | review | deploy | reviewed     | lines         | merged (week) |
 * | pr-1 |     60 |     60 |    120 |     60 | yes          | 120           | 01-05 (0)     |
 * | pr-2 |    120 |    240 |     60 |    120 | yes          | 500 (large)   | 01-06 (0)     |
 * | pr-3 |     30 |      - |      - |      - | no           | 10            | 01-07 (0)     |
 * | pr-4 |      - |    480 |    120 |    840 | yes          | -             | 01-12 (1)     |
 * | pr-5 |     60 |      - |      - |    120 | no (after)   | 401 (large)   | 01-13 (1)     |
 *
 * Left out: pr-0 merged before the window (though opened... and deployed in it), pr-6 merged at its end (exclusive),
 * the plain commit c-1, and pr-7 of the other entity (unless pooled).
 */
const EVENTS: DoraEventInput[] = [
  pr('pr-1', {
    authoredAt: '2026-01-05T08:00:00Z',
    createdAt: '2026-01-05T09:00:00Z',
    firstReviewAt: '2026-01-05T10:00:00Z',
    mergedAt: '2026-01-05T12:00:00Z',
    additions: 100,
    deletions: 20,
  }),
  deployment('d-1', '2026-01-05T13:00:00Z', ['sha-pr-1', 'sha-pr-0']),
  pr('pr-2', {
    authoredAt: '2026-01-06T08:00:00Z',
    createdAt: '2026-01-06T10:00:00Z',
    firstReviewAt: '2026-01-06T14:00:00Z',
    mergedAt: '2026-01-06T15:00:00Z',
    additions: 500,
    deletions: 0,
  }),
  deployment('d-2', '2026-01-06T17:00:00Z', ['sha-pr-2']),
  // Merged without a review, never deployed.
  pr('pr-3', {
    authoredAt: '2026-01-07T09:00:00Z',
    createdAt: '2026-01-07T09:30:00Z',
    mergedAt: '2026-01-07T10:00:00Z',
    additions: 10,
  }),
  // No first commit time: no coding part; no size.
  pr('pr-4', {
    createdAt: '2026-01-12T08:00:00Z',
    firstReviewAt: '2026-01-12T16:00:00Z',
    mergedAt: '2026-01-12T18:00:00Z',
  }),
  deployment('d-3', '2026-01-13T08:00:00Z', ['sha-pr-4']),
  // Reviewed only after it was merged: merged without a review.
  pr('pr-5', {
    authoredAt: '2026-01-13T08:00:00Z',
    createdAt: '2026-01-13T09:00:00Z',
    mergedAt: '2026-01-13T10:00:00Z',
    firstReviewAt: '2026-01-13T11:00:00Z',
    additions: 300,
    deletions: 101,
  }),
  deployment('d-4', '2026-01-13T12:00:00Z', ['sha-pr-5']),
  pr('pr-0', {
    createdAt: '2026-01-04T20:00:00Z',
    firstReviewAt: '2026-01-04T21:00:00Z',
    mergedAt: '2026-01-04T23:00:00Z',
    additions: 5000,
  }),
  pr('pr-6', {
    createdAt: '2026-01-18T10:00:00Z',
    mergedAt: '2026-01-19T00:00:00Z',
  }),
  pr('c-1', { authoredAt: '2026-01-08T08:00:00Z' }),
  pr(
    'pr-7',
    {
      authoredAt: '2026-01-08T08:00:00Z',
      createdAt: '2026-01-08T09:00:00Z',
      firstReviewAt: '2026-01-08T09:30:00Z',
      mergedAt: '2026-01-08T10:30:00Z',
      additions: 50,
    },
    OTHER,
  ),
];

const WINDOW = {
  from: t('2026-01-05T00:00:00Z'),
  to: t('2026-01-19T00:00:00Z'),
};
const SETTINGS = { largePrLines: 400, reviewOverdueHours: 24 };

describe.each(databases.eachSupportedId())('flow on %s', databaseId => {
  let knex: Knex;
  let store: DatabaseDoraStore;
  const ingest = (events: DoraEventInput[]) =>
    store.ingest(events.map(e => doraEventSchema.parse(e)));
  const flow = (entityRefs = [SVC], settings = SETTINGS) =>
    computeFlow(store.flow, {
      entityRef: entityRefs[0],
      entityRefs,
      ...WINDOW,
      settings,
    });
  const list = async (filters: object = {}) => {
    const page = await store.flow.listPullRequests({
      entityRefs: [SVC],
      ...WINDOW,
      largePrLines: 400,
      limit: 100,
      offset: 0,
      ...filters,
    });
    return { ids: page.items.map(i => i.id), page };
  };

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    store = await DatabaseDoraStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    await ingest(EVENTS);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  describe('PR cycle time', () => {
    it('gives each part as median and p75 over the pull requests merged in the window', async () => {
      const result = await flow();
      expect(result.pullRequests).toBe(5);
      expect(result.unreviewed).toBe(2);
      expect(result.parts).toEqual({
        // 30, 60, 60, 120: p75 at rank 2.25 = 60 + 0.25 · 60.
        coding: { pullRequests: 4, medianMinutes: 60, p75Minutes: 75 },
        // 60, 240, 480 (reviewed only): p75 at rank 1.5.
        pickup: { pullRequests: 3, medianMinutes: 240, p75Minutes: 360 },
        review: { pullRequests: 3, medianMinutes: 120, p75Minutes: 120 },
        // 60, 120, 120, 840 (pr-3 never deployed): p75 = 120 + 0.25 · 720.
        deploy: { pullRequests: 4, medianMinutes: 120, p75Minutes: 300 },
      });
    });

    it('counts the size and the share of large pull requests against the threshold', async () => {
      expect((await flow()).size).toEqual({
        measured: 4,
        // 10, 120, 401, 500.
        medianLines: 260.5,
        p75Lines: 425.75,
        largeThresholdLines: 400,
        large: 2,
        largeShare: 0.5,
      });
      const lower = await flow([SVC], { ...SETTINGS, largePrLines: 100 });
      expect(lower.size).toMatchObject({ large: 3, largeShare: 0.75 });
    });

    it('puts every pull request in the week it was merged', async () => {
      const { weeks } = await flow();
      expect(
        weeks.map(w => [w.start, w.pullRequests, w.unreviewed, w.large]),
      ).toEqual([
        ['2026-01-05T00:00:00.000Z', 3, 1, 1],
        ['2026-01-12T00:00:00.000Z', 2, 1, 1],
      ]);
      expect(weeks[0].parts).toEqual({
        coding: { pullRequests: 3, medianMinutes: 60, p75Minutes: 90 },
        pickup: { pullRequests: 2, medianMinutes: 150, p75Minutes: 195 },
        review: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
        deploy: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
      });
      expect(weeks[1].parts).toEqual({
        coding: { pullRequests: 1, medianMinutes: 60, p75Minutes: 60 },
        pickup: { pullRequests: 1, medianMinutes: 480, p75Minutes: 480 },
        review: { pullRequests: 1, medianMinutes: 120, p75Minutes: 120 },
        deploy: { pullRequests: 2, medianMinutes: 480, p75Minutes: 660 },
      });
    });

    it('pools the pull requests of every entity of a group', async () => {
      const pooled = await flow([SVC, OTHER]);
      expect(pooled.pullRequests).toBe(6);
      // pr-7 adds a 60-minute coding part and a 30-minute pickup.
      expect(pooled.parts.coding).toEqual({
        pullRequests: 5,
        medianMinutes: 60,
        p75Minutes: 60,
      });
      expect(pooled.parts.pickup).toEqual({
        pullRequests: 4,
        medianMinutes: 150,
        p75Minutes: 300,
      });
    });

    it('has nothing to say about a window without merged pull requests', async () => {
      const empty = await computeFlow(store.flow, {
        entityRef: SVC,
        entityRefs: [SVC],
        from: t('2025-01-01T00:00:00Z'),
        to: t('2025-01-04T00:00:00Z'),
        settings: SETTINGS,
      });
      expect(empty).toMatchObject({
        pullRequests: 0,
        unreviewed: 0,
        size: { measured: 0, medianLines: null, largeShare: null },
        weeks: [],
      });
      expect(empty.parts.pickup).toEqual({
        pullRequests: 0,
        medianMinutes: null,
        p75Minutes: null,
      });
    });
  });

  describe('the pull requests behind a figure', () => {
    it('lists every merged pull request of the window, newest merge first', async () => {
      const { ids, page } = await list();
      expect(ids).toEqual(['pr-5', 'pr-4', 'pr-3', 'pr-2', 'pr-1']);
      expect(page.totalCount).toBe(5);
      expect(page.items[3]).toEqual({
        id: 'pr-2',
        entityRef: SVC,
        sha: 'sha-pr-2',
        author: null,
        url: null,
        authoredAt: '2026-01-06T08:00:00.000Z',
        createdAt: '2026-01-06T10:00:00.000Z',
        firstReviewAt: '2026-01-06T14:00:00.000Z',
        mergedAt: '2026-01-06T15:00:00.000Z',
        deploymentId: 'd-2',
        deployedAt: '2026-01-06T17:00:00.000Z',
        codingMinutes: 120,
        pickupMinutes: 240,
        reviewMinutes: 60,
        deployMinutes: 120,
        reviewed: true,
        additions: 500,
        deletions: 0,
        linesChanged: 500,
        large: true,
      });
    });

    it('lists the pull requests a part is taken over, longest first', async () => {
      expect((await list({ part: 'pickup' })).ids).toEqual([
        'pr-4',
        'pr-2',
        'pr-1',
      ]);
      expect((await list({ part: 'deploy' })).ids).toEqual([
        'pr-4',
        'pr-5',
        'pr-2',
        'pr-1',
      ]);
      expect((await list({ part: 'coding' })).page.totalCount).toBe(4);
    });

    it('lists those merged without a review, including one reviewed only after the merge', async () => {
      const { ids, page } = await list({ unreviewed: true });
      expect(ids).toEqual(['pr-5', 'pr-3']);
      expect(page.items.map(i => i.reviewed)).toEqual([false, false]);
      expect((await list({ unreviewed: false })).ids).toEqual([
        'pr-4',
        'pr-2',
        'pr-1',
      ]);
    });

    it('lists the large ones, and the measured ones that are not', async () => {
      expect((await list({ large: true })).ids).toEqual(['pr-5', 'pr-2']);
      expect((await list({ large: false })).ids).toEqual(['pr-3', 'pr-1']);
      const page = await list({ large: true, limit: 1, offset: 1 });
      expect(page.ids).toEqual(['pr-2']);
      expect(page.page.totalCount).toBe(2);
    });
  });

  describe('pull requests waiting for a first review', () => {
    const NOW = t('2026-01-21T10:00:00Z');
    const waiting = (entityRefs = [SVC], limit = 100, offset = 0) =>
      computeWaiting(store.flow, {
        entityRef: entityRefs[0],
        entityRefs,
        now: NOW,
        limit,
        offset,
        settings: SETTINGS,
      });

    beforeEach(async () => {
      await ingest([
        pr('w-1', {
          createdAt: '2026-01-20T08:00:00Z',
          additions: 30,
          deletions: 5,
        }),
        pr('w-2', { createdAt: '2026-01-21T09:00:00Z' }),
        // Exactly the threshold: overdue.
        pr('w-6', { createdAt: '2026-01-20T10:00:00Z' }),
        pr('w-3', { createdAt: '2026-01-19T12:00:00Z' }, OTHER),
        // Reviewed, closed without merging, merged: not waiting.
        pr('w-4', {
          createdAt: '2026-01-19T08:00:00Z',
          firstReviewAt: '2026-01-19T09:00:00Z',
        }),
        pr('w-5', {
          createdAt: '2026-01-18T08:00:00Z',
          closedAt: '2026-01-18T10:00:00Z',
        }),
      ]);
    });

    it('lists them oldest first with how long they waited and which are overdue', async () => {
      const result = await waiting();
      expect(result).toMatchObject({
        entityRef: SVC,
        asOf: '2026-01-21T10:00:00.000Z',
        overdueAfterHours: 24,
        totalCount: 3,
        overdueCount: 2,
      });
      expect(
        result.items.map(i => [i.id, i.waitedHours, i.overdue, i.linesChanged]),
      ).toEqual([
        ['w-1', 26, true, 35],
        ['w-6', 24, true, null],
        ['w-2', 1, false, null],
      ]);
    });

    it('pools a team and pages through the list', async () => {
      const all = await waiting([SVC, OTHER]);
      expect(all.items.map(i => [i.id, i.waitedHours])).toEqual([
        ['w-3', 46],
        ['w-1', 26],
        ['w-6', 24],
        ['w-2', 1],
      ]);
      expect(all.overdueCount).toBe(3);
      const page = await waiting([SVC, OTHER], 2, 1);
      expect(page.items.map(i => i.id)).toEqual(['w-1', 'w-6']);
      expect(page).toMatchObject({ totalCount: 4, overdueCount: 3 });
    });

    it('stops listing a pull request once it is reviewed, merged or closed', async () => {
      await ingest([
        pr('w-1', {
          createdAt: '2026-01-20T08:00:00Z',
          firstReviewAt: '2026-01-21T09:30:00Z',
        }),
        pr('w-2', {
          createdAt: '2026-01-21T09:00:00Z',
          closedAt: '2026-01-21T09:45:00Z',
        }),
      ]);
      const result = await waiting();
      expect(result.items.map(i => i.id)).toEqual(['w-6']);
      expect(result).toMatchObject({ totalCount: 1, overdueCount: 1 });
    });
  });

  it('reads a stored change back as the event that stores it', async () => {
    const stored = await store.flow.storedChanges(['pr-1', 'c-1', 'missing']);
    expect([...stored.keys()].sort()).toEqual(['c-1', 'pr-1']);
    expect(stored.get('pr-1')).toEqual({
      event: doraEventSchema.parse(EVENTS[0]),
      version: t('2026-01-05T12:00:00Z'),
    });
  });
});
