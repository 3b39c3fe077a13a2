import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  doraEventSchema,
  DoraEventInput,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { computePipelines, percentile } from '../service/pipelines';
import { DatabaseDoraStore } from './DatabaseDoraStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const SVC = 'component:default/payments-api';
const OTHER = 'component:default/ledger-service';
const parse = (events: DoraEventInput[]): ParsedDoraEvent[] =>
  events.map(e => doraEventSchema.parse(e));

/** A run on 2026-11-02 at these times of day (hh:mm:ss), or on 2026-10-31 (before the window) with `BEFORE `. */
function run(
  id: string,
  attempt: number,
  status: string,
  times: [queued: string, started?: string, finished?: string],
  extra: Record<string, unknown> = {},
): DoraEventInput {
  const at = (time: string | undefined) => {
    if (time === undefined) return undefined;
    return time.startsWith('BEFORE ')
      ? `2026-10-31T${time.slice(7)}Z`
      : `2026-11-02T${time}Z`;
  };
  const [queuedAt, startedAt, finishedAt] = times.map(at);
  return {
    type: 'pipelineRun',
    id,
    entityRef: SVC,
    attempt,
    pipeline: 'CI',
    branch: 'main',
    defaultBranch: 'main',
    sha: `sha-${id}`,
    trigger: 'push',
    status,
    queuedAt: queuedAt!,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...extra,
  } as DoraEventInput;
}

/**
 * The worked example of the README: CI on main goes red at r2 (flaky: its re-run on the same commit passes), red again
 * at r3 (a real break, r4 still red, r5 green); a pull request fails once (r6); r7 is cancelled, r8 only queued; the
 * nightly pipeline fails and stays red. r0 is before the window.
 */
const WORKED = [
  run('r0', 1, 'failure', [
    'BEFORE 23:00:00',
    'BEFORE 23:00:10',
    'BEFORE 23:05:10',
  ]),
  run('r1', 1, 'success', ['10:00:00', '10:00:30', '10:10:30']),
  run('r2', 1, 'failure', ['11:00:00', '11:01:00', '11:09:00']),
  run('r2', 2, 'success', ['11:20:00', '11:20:10', '11:30:10'], {
    sha: 'sha-r2',
  }),
  run('r3', 1, 'failure', ['12:00:00', '12:00:20', '12:05:20']),
  run('r4', 1, 'failure', ['13:00:00', '13:00:40', '13:08:40']),
  run('r5', 1, 'success', ['14:00:00', '14:01:00', '14:13:00']),
  run('r6', 1, 'failure', ['15:00:00', '15:00:10', '15:04:10'], {
    branch: 'feature/faster-ledger',
    trigger: 'pull_request',
  }),
  run('r7', 1, 'cancelled', ['16:00:00', '16:00:05', '16:01:05']),
  run('r8', 1, 'queued', ['17:00:00']),
  run('n1', 1, 'failure', ['02:00:00', '02:00:50', '02:20:50'], {
    pipeline: 'Nightly',
    trigger: 'schedule',
  }),
];
const WINDOW = {
  entityRef: SVC,
  entityRefs: [SVC],
  from: Date.parse('2026-11-01T00:00:00Z'),
  to: Date.parse('2026-11-08T00:00:00Z'),
};

describe('percentile', () => {
  it('interpolates between the nearest ranks, the median being the standard one', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    // Rank 1 + 0.9 × 9 = 9.1 of 10, 20, ..., 100: 90 + 0.1 × 10.
    expect(percentile([100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 0.9)).toBe(91);
  });
});

describe.each(databases.eachSupportedId())(
  'pipeline runs on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseDoraStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
    });

    const rows = async () =>
      (
        await knex('dora_pipeline_runs')
          .select('id', 'attempt', 'status', 'finished_at', 'received_at')
          .orderBy(['id', 'attempt'])
      ).map(r => ({
        ...r,
        attempt: Number(r.attempt),
        finished_at: r.finished_at === null ? null : Number(r.finished_at),
        received_at: Number(r.received_at),
      }));

    it('computes every figure of the worked example, pooled and per pipeline', async () => {
      expect(await store.ingest(parse(WORKED))).toMatchObject({
        accepted: 11,
      });
      const result = await computePipelines(store, WINDOW);
      expect(result.figures).toEqual({
        runs: 10,
        // 60, 240, 300, 480, 480, 600, 600, 720, 1200: the 5th; rank 8.2 is 720 + 0.2 × 480.
        duration: { runs: 9, medianSeconds: 480, p90Seconds: 816 },
        // 5, 10, 10, 20, 30, 40, 50, 60, 60.
        queue: { runs: 9, medianSeconds: 30 },
        // main: r1, r2#2, r5 green; r2#1, r3, r4, n1 red; r7 (cancelled) and r8 (queued) left out.
        defaultBranchSuccess: { successes: 3, failures: 4, rate: 3 / 7 },
        // r2#1 of r2, r3, r4, r6, n1.
        flakiness: { failures: 5, flakyFailures: 1, rate: 0.2 },
        // r2#1 → r2#2: 1,270 s; r3 → r5: 7,660 s (r4 is the same red streak); n1 still red.
        timeToGreen: { recoveries: 2, stillRed: 1, medianSeconds: 4465 },
      });
      expect(result.pipelines).toEqual([
        {
          entityRef: SVC,
          pipeline: 'CI',
          runs: 9,
          // 60 … 720 without the nightly's 1,200: rank 7.3 is 600 + 0.3 × 120.
          duration: { runs: 8, medianSeconds: 480, p90Seconds: 636 },
          queue: { runs: 8, medianSeconds: 25 },
          defaultBranchSuccess: { successes: 3, failures: 3, rate: 0.5 },
          flakiness: { failures: 4, flakyFailures: 1, rate: 0.25 },
          timeToGreen: { recoveries: 2, stillRed: 0, medianSeconds: 4465 },
        },
        {
          entityRef: SVC,
          pipeline: 'Nightly',
          runs: 1,
          duration: { runs: 1, medianSeconds: 1200, p90Seconds: 1200 },
          queue: { runs: 1, medianSeconds: 50 },
          defaultBranchSuccess: { successes: 0, failures: 1, rate: 0 },
          flakiness: { failures: 1, flakyFailures: 0, rate: 0 },
          timeToGreen: { recoveries: 0, stillRed: 1, medianSeconds: null },
        },
      ]);
      // Nothing in another window or of another entity.
      expect(
        (await computePipelines(store, { ...WINDOW, entityRefs: [OTHER] }))
          .figures.runs,
      ).toBe(0);
      const empty = await computePipelines(store, {
        ...WINDOW,
        from: Date.parse('2026-12-01T00:00:00Z'),
        to: Date.parse('2026-12-08T00:00:00Z'),
      });
      expect(empty.figures).toEqual({
        runs: 0,
        duration: { runs: 0, medianSeconds: null, p90Seconds: null },
        queue: { runs: 0, medianSeconds: null },
        defaultBranchSuccess: { successes: 0, failures: 0, rate: null },
        flakiness: { failures: 0, flakyFailures: 0, rate: null },
        timeToGreen: { recoveries: 0, stillRed: 0, medianSeconds: null },
      });
      expect(empty.pipelines).toEqual([]);
    });

    it('lists the runs behind each figure, newest first, with their facts', async () => {
      await store.ingest(parse(WORKED));
      const list = (filter: object, page = { limit: 100, offset: 0 }) =>
        store.listPipelineRuns({ ...WINDOW, ...page, ...filter });
      const redOnMain = await list({ status: 'failure', defaultBranch: true });
      expect(
        redOnMain.items.map(r => [
          r.id,
          r.attempt,
          r.flaky,
          r.timeToGreenSeconds,
        ]),
      ).toEqual([
        ['r4', 1, false, null],
        ['r3', 1, false, 7660],
        ['r2', 1, true, 1270],
        ['n1', 1, false, null],
      ]);
      expect(redOnMain.totalCount).toBe(4);
      const flaky = await list({ flaky: true });
      expect(flaky.items).toEqual([
        {
          id: 'r2',
          attempt: 1,
          entityRef: SVC,
          pipeline: 'CI',
          branch: 'main',
          onDefaultBranch: true,
          sha: 'sha-r2',
          trigger: 'push',
          status: 'failure',
          queuedAt: '2026-11-02T11:00:00.000Z',
          startedAt: '2026-11-02T11:01:00.000Z',
          finishedAt: '2026-11-02T11:09:00.000Z',
          url: null,
          durationSeconds: 480,
          queueSeconds: 60,
          flaky: true,
          timeToGreenSeconds: 1270,
        },
      ]);
      const page = await list({ pipeline: 'CI' }, { limit: 2, offset: 1 });
      expect(page.totalCount).toBe(9);
      expect(page.items.map(r => `${r.id}#${r.attempt}`)).toEqual([
        'r7#1',
        'r6#1',
      ]);
      const queued = await list({ status: 'queued' });
      expect(queued.items[0]).toMatchObject({
        id: 'r8',
        startedAt: null,
        finishedAt: null,
        durationSeconds: null,
        queueSeconds: null,
      });
      expect((await list({ defaultBranch: false })).totalCount).toBe(1);
    });

    it('updates a run in place by id and attempt, ignores re-sends and older reports, and keeps re-runs apart', async () => {
      const queued = run('r9', 1, 'queued', ['09:00:00']);
      const started = run('r9', 1, 'in_progress', ['09:00:00', '09:00:20']);
      const done = run('r9', 1, 'success', [
        '09:00:00',
        '09:00:20',
        '09:07:20',
      ]);
      expect(await store.ingest(parse([queued]))).toMatchObject({
        accepted: 1,
        written: [expect.objectContaining({ status: 'queued' })],
      });
      await store.ingest(parse([started]));
      await store.ingest(parse([done]));
      const after = await rows();
      expect(after).toEqual([
        {
          id: 'r9',
          attempt: 1,
          status: 'success',
          finished_at: Date.parse('2026-11-02T09:07:20Z'),
          received_at: expect.any(Number),
        },
      ]);
      // A re-send of the stored state and a late "in progress" change nothing, not even received_at.
      expect(await store.ingest(parse([done, started]))).toEqual({
        accepted: 1,
        written: [],
      });
      expect(await rows()).toEqual(after);
      // A re-run is the next attempt of the same id: a row of its own.
      await store.ingest(
        parse([run('r9', 2, 'success', ['09:30:00', '09:30:05', '09:36:05'])]),
      );
      expect((await rows()).map(r => `${r.id}#${r.attempt}`)).toEqual([
        'r9#1',
        'r9#2',
      ]);
      // Of two reports of the same run in one batch the later wins.
      expect(
        await store.ingest(
          parse([
            run('r10', 1, 'failure', ['09:00:00', '09:00:01', '09:01:00']),
            run('r10', 1, 'success', ['09:00:00', '09:00:01', '09:01:00']),
          ]),
        ),
      ).toMatchObject({ accepted: 1 });
      expect((await rows()).find(r => r.id === 'r10')?.status).toBe('success');
    });

    it('scopes run ids to their entity and refuses a batch as a whole', async () => {
      await store.ingest(
        parse([run('r1', 1, 'success', ['10:00:00', '10:00:30', '10:10:30'])]),
      );
      const before = await rows();
      // Another attempt of an id of another entity: 409, nothing of the batch written.
      await expect(
        store.ingest(
          parse([
            run('fresh', 1, 'queued', ['08:00:00']),
            run('r1', 2, 'queued', ['11:00:00'], { entityRef: OTHER }),
          ]),
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining(
          "events[1]: the pipelineRun 'r1' belongs to component:default/payments-api",
        ),
      });
      // The same id for two entities in one batch.
      await expect(
        store.ingest(
          parse([
            run('twice', 1, 'queued', ['08:00:00']),
            run('twice', 2, 'queued', ['08:00:00'], { entityRef: OTHER }),
          ]),
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      // A pipeline run next to a deployment whose id belongs to another entity: neither is written.
      await store.ingest(
        parse([
          {
            type: 'deployment',
            id: 'd-1',
            entityRef: OTHER,
            environment: 'production',
            status: 'success',
            finishedAt: '2026-11-02T10:00:00Z',
            commitShas: [],
          },
        ]),
      );
      await expect(
        store.ingest(
          parse([
            run('fresh', 1, 'queued', ['08:00:00']),
            {
              type: 'deployment',
              id: 'd-1',
              entityRef: SVC,
              environment: 'production',
              status: 'success',
              finishedAt: '2026-11-02T10:00:00Z',
              commitShas: [],
            },
          ]),
        ),
      ).rejects.toMatchObject({ name: 'ConflictError' });
      expect(await rows()).toEqual(before);
      // Pipeline runs are no delivery events: the entity's DORA activity is untouched.
      expect(await store.activity([SVC])).toEqual({
        firstEventAt: null,
        lastEventAt: null,
      });
    });
  },
);
