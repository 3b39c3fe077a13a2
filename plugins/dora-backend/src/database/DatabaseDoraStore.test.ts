import { mockServices } from '@backstage/backend-test-utils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  doraEventSchema,
  DoraEventInput,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { reworkDeploymentIds } from '@vitals/plugin-dora-common';
import { computeMetrics, computeSeries } from '../service/metrics';
import { DatabaseDoraStore } from './DatabaseDoraStore';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const SVC = 'component:default/payments-api';
const OTHER = 'component:default/ledger-service';
const t = (iso: string) => Date.parse(iso);
const parse = (events: DoraEventInput[]): ParsedDoraEvent[] =>
  events.map(e => doraEventSchema.parse(e));

function deployment(
  id: string,
  finishedAt: string,
  commitShas: string[],
  extra: Partial<DoraEventInput> = {},
): DoraEventInput {
  return {
    type: 'deployment',
    id,
    entityRef: SVC,
    environment: 'production',
    status: 'success',
    finishedAt,
    commitShas,
    ...extra,
  } as DoraEventInput;
}
function change(
  id: string,
  sha: string,
  extra: Record<string, string> = {},
): DoraEventInput {
  return {
    type: 'change',
    id,
    entityRef: SVC,
    sha,
    ...extra,
  } as DoraEventInput;
}
function incident(
  id: string,
  createdAt: string,
  extra: Record<string, string> = {},
): DoraEventInput {
  return {
    type: 'incident',
    id,
    entityRef: SVC,
    createdAt,
    ...extra,
  } as DoraEventInput;
}

const WINDOW = {
  from: t('2026-01-05T00:00:00Z'),
  to: t('2026-02-02T00:00:00Z'),
}; // 28 days, Mondays

describe.each(databases.eachSupportedId())(
  'DatabaseDoraStore on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseDoraStore;
    const ingest = (events: DoraEventInput[]) => store.ingest(parse(events));
    const metrics = (
      entityRefs = [SVC],
      window = WINDOW,
      benchmark: '2023' | '2021' | '2024' = '2023',
    ) =>
      computeMetrics(store, {
        entityRef: entityRefs[0],
        entityRefs,
        ...window,
        benchmark,
      });
    const changes = async () =>
      (
        await store.listChanges({
          entityRefs: [SVC, OTHER],
          from: 0,
          to: t('2100-01-01T00:00:00Z'),
          limit: 100,
          offset: 0,
        })
      ).items;
    const changeById = (id: string) =>
      knex('dora_changes').where({ id }).first();
    const incidentsLinkedTo = async (deploymentId: string) =>
      (
        await store.listIncidents({
          entityRefs: [SVC, OTHER],
          from: 0,
          to: 1,
          deploymentId,
          limit: 100,
          offset: 0,
        })
      ).items.map(i => i.id);

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseDoraStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    describe('lead time for changes', () => {
      it('links a merged pull request to its deployment and rounds each part up to whole minutes', async () => {
        await ingest([
          change('pr-1', 'abc', {
            authoredAt: '2026-01-06T08:00:30Z',
            createdAt: '2026-01-06T10:00:00Z', // coding 119.5 -> 120
            firstReviewAt: '2026-01-06T10:10:00Z',
            mergedAt: '2026-01-06T11:00:01Z', // merge 60.02 -> 61
          }),
          deployment('d-1', '2026-01-06T12:00:00Z', ['abc']), // deploy 59.98 -> 60
        ]);
        const [c] = await changes();
        expect(c).toMatchObject({
          id: 'pr-1',
          deploymentId: 'd-1',
          deployedAt: '2026-01-06T12:00:00.000Z',
          codingMinutes: 120,
          pickupMinutes: 10,
          reviewMinutes: 51,
          mergeMinutes: 61,
          deployMinutes: 60,
          leadTimeMinutes: 241,
        });
        const m = await metrics();
        expect(m.leadTimeForChanges).toEqual({
          changes: 1,
          medianMinutes: 241,
          tier: 'elite',
        });
      });

      it('measures a plain commit from authoredAt and counts negative parts as 0', async () => {
        await ingest([
          change('c-1', 'plain', { authoredAt: '2026-01-06T10:00:00Z' }),
          // Created after it was merged (clock skew): the negative part counts as 0.
          change('pr-2', 'skew', {
            authoredAt: '2026-01-06T09:00:00Z',
            createdAt: '2026-01-06T11:30:00Z',
            mergedAt: '2026-01-06T11:00:00Z',
          }),
          deployment('d-1', '2026-01-06T12:00:00Z', ['plain', 'skew']),
        ]);
        const byId = Object.fromEntries((await changes()).map(c => [c.id, c]));
        expect(byId['c-1']).toMatchObject({
          codingMinutes: null,
          mergeMinutes: null,
          deployMinutes: 120,
          leadTimeMinutes: 120,
        });
        expect(byId['pr-2']).toMatchObject({
          codingMinutes: 150,
          mergeMinutes: 0,
          deployMinutes: 60,
          leadTimeMinutes: 210,
        });
        // Median of an even count is the mean of the two middle values.
        expect((await metrics()).leadTimeForChanges.medianMinutes).toBe(165);
      });

      it('is deployed by the earliest successful production deployment of its own entity, whatever the arrival order', async () => {
        await ingest([
          change('pr-1', 'abc', { authoredAt: '2026-01-06T08:00:00Z' }),
          deployment('d-late', '2026-01-08T12:00:00Z', ['abc']),
        ]);
        expect((await changeById('pr-1')).deployment_id).toBe('d-late');

        await ingest([
          deployment('d-staging', '2026-01-06T09:00:00Z', ['abc'], {
            environment: 'staging',
          }),
          deployment('d-failed', '2026-01-06T10:00:00Z', ['abc'], {
            status: 'failure',
          }),
          deployment('d-other-entity', '2026-01-06T10:30:00Z', ['abc'], {
            entityRef: OTHER,
          }),
          deployment('d-early', '2026-01-07T12:00:00Z', ['abc'], {
            environment: 'PRODUCTION',
          }),
        ]);
        const c = await changeById('pr-1');
        expect(c.deployment_id).toBe('d-early');
        expect(Number(c.lead_time_minutes)).toBe(28 * 60);

        // The early deployment is re-sent without the sha: the change falls back to the later one.
        await ingest([deployment('d-early', '2026-01-07T12:00:00Z', [])]);
        expect((await changeById('pr-1')).deployment_id).toBe('d-late');
      });

      it('gives an open pull request no lead time until it is re-sent merged', async () => {
        await ingest([
          deployment('d-1', '2026-01-07T12:00:00Z', ['abc']),
          change('pr-1', 'abc', {
            authoredAt: '2026-01-06T08:00:00Z',
            createdAt: '2026-01-06T09:00:00Z',
          }),
        ]);
        expect((await changeById('pr-1')).lead_time_minutes).toBeNull();
        expect((await metrics()).leadTimeForChanges).toEqual({
          changes: 0,
          medianMinutes: null,
          tier: null,
        });

        await ingest([
          change('pr-1', 'abc', {
            authoredAt: '2026-01-06T08:00:00Z',
            createdAt: '2026-01-06T09:00:00Z',
            mergedAt: '2026-01-06T10:00:00Z',
          }),
        ]);
        expect(Number((await changeById('pr-1')).lead_time_minutes)).toBe(
          60 + 60 + 26 * 60,
        );
      });

      it('counts a change in the window its deployment finished in', async () => {
        await ingest([
          change('pr-1', 'abc', { authoredAt: '2025-12-20T08:00:00Z' }),
          deployment('d-1', '2026-01-04T23:59:59Z', ['abc']), // just before the window
          change('pr-2', 'def', { authoredAt: '2026-01-01T08:00:00Z' }),
          deployment('d-2', '2026-01-05T00:00:00Z', ['def']), // first instant of the window
        ]);
        const m = await metrics();
        expect(m.leadTimeForChanges.changes).toBe(1);
        expect(m.leadTimeForChanges.medianMinutes).toBe(4 * 1440 - 8 * 60);
      });
    });

    describe('incidents and change failure rate', () => {
      it('links an incident to the latest counted deployment finished strictly before it', async () => {
        await ingest([
          deployment('d-1', '2026-01-06T10:00:00Z', []),
          deployment('d-2', '2026-01-07T10:00:00Z', []),
          deployment('d-staging', '2026-01-07T11:00:00Z', [], {
            environment: 'staging',
          }),
          deployment('d-3', '2026-01-08T10:00:00Z', []),
          incident('i-1', '2026-01-07T12:00:00Z'),
          // Created at the very instant d-3 finished: d-3 is not strictly before, d-2 is.
          incident('i-2', '2026-01-08T10:00:00Z'),
          incident('i-0', '2026-01-01T00:00:00Z'),
        ]);
        expect(await incidentsLinkedTo('d-2')).toEqual(['i-2', 'i-1']);
        expect(await incidentsLinkedTo('d-3')).toEqual([]);
        const m = await metrics();
        expect(m.changeFailureRate).toEqual({
          deployments: 3,
          failedDeployments: 1,
          rate: 1 / 3,
          tier: 'low',
        });
        const health = await store.dataHealth([SVC], 10);
        expect(health.incidentsWithoutDeployment.sample.map(i => i.id)).toEqual(
          ['i-0'],
        );
      });

      it('relinks when an earlier deployment arrives after the incident (out of order)', async () => {
        await ingest([
          deployment('d-1', '2026-01-06T10:00:00Z', []),
          incident('i-1', '2026-01-07T12:00:00Z'),
        ]);
        expect(await incidentsLinkedTo('d-1')).toEqual(['i-1']);
        await ingest([deployment('d-2', '2026-01-07T11:00:00Z', [])]);
        expect(await incidentsLinkedTo('d-1')).toEqual([]);
        expect(await incidentsLinkedTo('d-2')).toEqual(['i-1']);
        const deployments = await store.listDeployments({
          entityRefs: [SVC],
          ...WINDOW,
          limit: 10,
          offset: 0,
        });
        expect(deployments.items.map(d => [d.id, d.failed])).toEqual([
          ['d-2', true],
          ['d-1', false],
        ]);
        expect((await metrics()).changeFailureRate.failedDeployments).toBe(1);
      });

      it('holds a named deployment link once the deployment arrives, even if it came later', async () => {
        await ingest([
          deployment('d-1', '2026-01-06T10:00:00Z', []),
          incident('i-1', '2026-01-07T12:00:00Z', { deploymentId: 'd-future' }),
        ]);
        expect(await incidentsLinkedTo('d-1')).toEqual([]);
        expect(
          (await store.dataHealth([SVC], 10)).incidentsWithoutDeployment.count,
        ).toBe(1);
        await ingest([deployment('d-future', '2026-01-09T10:00:00Z', [])]);
        expect(await incidentsLinkedTo('d-future')).toEqual(['i-1']);
        const m = await metrics();
        expect(m.changeFailureRate).toMatchObject({
          deployments: 2,
          failedDeployments: 1,
          rate: 0.5,
        });
      });

      it('counts a deployment failed whenever its incident was created or resolved, even outside the window', async () => {
        await ingest([
          deployment('d-1', '2026-02-01T23:00:00Z', []),
          incident('i-1', '2026-02-20T12:00:00Z', {
            deploymentId: 'd-1',
            resolvedAt: '2026-03-01T00:00:00Z',
          }),
        ]);
        expect((await metrics()).changeFailureRate).toMatchObject({
          deployments: 1,
          failedDeployments: 1,
          rate: 1,
        });
      });

      it('updates a re-sent incident in place and measures restore over incidents resolved in the window', async () => {
        await ingest([
          deployment('d-1', '2026-01-06T10:00:00Z', []),
          incident('i-1', '2026-01-07T12:00:00Z', { severity: 'SEV2' }),
        ]);
        expect((await metrics()).timeToRestore).toEqual({
          incidents: 0,
          medianMinutes: null,
          tier: null,
        });
        await ingest([
          incident('i-1', '2026-01-07T12:00:00Z', {
            resolvedAt: '2026-01-07T12:45:30+00:00',
          }),
        ]);
        await ingest([
          incident('i-2', '2026-01-08T12:00:00+02:00', {
            resolvedAt: '2026-01-08T13:00:00+02:00',
          }),
        ]);
        const rows = await knex('dora_incidents').orderBy('id');
        expect(rows).toHaveLength(2);
        // A re-sent event replaces the stored one as a whole: the severity sent first is gone.
        expect(rows[0].severity).toBeNull();
        const m = await metrics();
        expect(m.timeToRestore).toEqual({
          incidents: 2,
          medianMinutes: (45.5 + 60) / 2,
          tier: 'elite',
        });
        expect(m.changeFailureRate.failedDeployments).toBe(1);
      });
    });

    describe('ingestion', () => {
      it('is idempotent by (type, id); of duplicates in one request the later wins', async () => {
        const batch = [
          deployment('d-1', '2026-01-06T10:00:00Z', ['abc']),
          change('x', 'abc', { authoredAt: '2026-01-06T08:00:00Z' }),
          change('x', 'abc', { authoredAt: '2026-01-06T09:00:00Z' }),
          // Same id, other type: a different event.
          incident('x', '2026-01-06T11:00:00Z'),
        ];
        await expect(ingest(batch)).resolves.toMatchObject({
          accepted: 3,
          written: [batch[0], batch[2], batch[3]].map(e =>
            expect.objectContaining({ type: e.type, id: e.id }),
          ),
        });
        // A re-send of the stored state is accepted and writes nothing.
        await expect(ingest(batch)).resolves.toEqual({
          accepted: 3,
          written: [],
        });
        expect(await knex('dora_changes').count({ n: '*' })).toEqual([
          { n: databaseId === 'SQLITE_3' ? 1 : '1' },
        ]);
        expect(await knex('dora_deployment_commits').count({ n: '*' })).toEqual(
          [{ n: databaseId === 'SQLITE_3' ? 1 : '1' }],
        );
        expect(Number((await changeById('x')).lead_time_minutes)).toBe(60);
        expect(await store.hasEvents()).toBe(true);
      });

      it('reads timestamps with any offset as instants and buckets deployment days by UTC date', async () => {
        await ingest([
          // 2026-01-06T23:30Z and 2026-01-07T00:30Z: two UTC dates, one local date in UTC+1.
          deployment('d-1', '2026-01-07T00:30:00+01:00', []),
          deployment('d-2', '2026-01-07T01:30:00+01:00', []),
        ]);
        const m = await metrics();
        expect(m.deploymentFrequency).toMatchObject({
          deployments: 2,
          deploymentDays: 2,
        });
      });
    });

    describe('ids scoped to entities', () => {
      const storedOf = (table: string, id: string) =>
        knex(table).where({ id }).first();

      it.each([
        [
          'deployment',
          'dora_deployments',
          (entityRef: string) =>
            deployment('e-1', '2026-01-06T10:00:00Z', ['abc'], { entityRef }),
        ],
        [
          'change',
          'dora_changes',
          (entityRef: string) => ({
            ...change('e-1', 'abc', { mergedAt: '2026-01-06T09:00:00Z' }),
            entityRef,
          }),
        ],
        [
          'incident',
          'dora_incidents',
          (entityRef: string) => ({
            ...incident('e-1', '2026-01-06T11:00:00Z'),
            entityRef,
          }),
        ],
      ] as const)(
        'refuses a %s id of another entity with 409 naming both, writing nothing of the batch',
        async (type, table, event) => {
          await ingest([event(OTHER) as DoraEventInput]);
          const before = await storedOf(table, 'e-1');
          const attack = ingest([
            deployment('innocent', '2026-01-07T10:00:00Z', []),
            {
              ...event(SVC),
              updatedAt: '2026-02-01T00:00:00Z',
            } as DoraEventInput,
          ]);
          await expect(attack).rejects.toMatchObject({
            name: 'ConflictError',
            message: expect.stringMatching(
              new RegExp(
                `events\\[1\\]: the ${type} 'e-1' belongs to ${OTHER}.*${SVC}`,
              ),
            ),
          });
          expect(await storedOf(table, 'e-1')).toEqual(before);
          expect(
            await storedOf('dora_deployments', 'innocent'),
          ).toBeUndefined();
          // The owner's own re-send is still idempotent.
          await expect(
            ingest([event(OTHER) as DoraEventInput]),
          ).resolves.toEqual({ accepted: 1, written: [] });
        },
      );

      it('refuses one id sent for two entities in one batch', async () => {
        await expect(
          ingest([
            incident('i-1', '2026-01-06T11:00:00Z'),
            { ...incident('i-1', '2026-01-06T11:00:00Z'), entityRef: OTHER },
          ]),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringContaining(`${SVC} (events[0]) and ${OTHER}`),
        });
        expect(await knex('dora_incidents').count({ n: '*' })).toEqual([
          { n: databaseId === 'SQLITE_3' ? 0 : '0' },
        ]);
      });

      it('refuses an incident naming a deployment of another entity with 400 naming the field', async () => {
        await ingest([
          deployment('d-other', '2026-01-06T10:00:00Z', [], {
            entityRef: OTHER,
          }),
        ]);
        await expect(
          ingest([
            incident('i-1', '2026-01-07T12:00:00Z', {
              deploymentId: 'd-other',
            }),
          ]),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining(
            `events[0].deploymentId: 'd-other' is a deployment of ${OTHER}, not of ${SVC}`,
          ),
        });
        // Named in the same batch, too.
        await expect(
          ingest([
            deployment('d-new', '2026-01-06T10:00:00Z', [], {
              entityRef: OTHER,
            }),
            incident('i-1', '2026-01-07T12:00:00Z', { deploymentId: 'd-new' }),
          ]),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringContaining('events[1].deploymentId'),
        });
        expect(await knex('dora_incidents').count({ n: '*' })).toEqual([
          { n: databaseId === 'SQLITE_3' ? 0 : '0' },
        ]);
      });

      it('lets only one of two concurrent writes of one id for two entities through', async () => {
        const second = await DatabaseDoraStore.create({
          database: mockServices.database.mock({ getClient: async () => knex }),
        });
        const results = await Promise.allSettled([
          store.ingest(
            parse([deployment('race', '2026-01-06T10:00:00Z', ['abc'])]),
          ),
          second.ingest(
            parse([
              deployment('race', '2026-01-06T10:00:00Z', ['def'], {
                entityRef: OTHER,
              }),
            ]),
          ),
        ]);
        const won = results.findIndex(r => r.status === 'fulfilled');
        expect(results.map(r => r.status).sort()).toEqual([
          'fulfilled',
          'rejected',
        ]);
        expect((results[1 - won] as PromiseRejectedResult).reason.name).toBe(
          'ConflictError',
        );
        const winner = [SVC, OTHER][won];
        expect(
          await knex('dora_deployments').where({ id: 'race' }).first(),
        ).toMatchObject({ entity_ref: winner });
        expect(
          await knex('dora_deployment_commits')
            .where({ deployment_id: 'race' })
            .pluck('entity_ref'),
        ).toEqual([winner]);
      });

      it('takes two concurrent first sends of the same events of one entity, storing each event once', async () => {
        const second = await DatabaseDoraStore.create({
          database: mockServices.database.mock({ getClient: async () => knex }),
        });
        const events = () =>
          parse([
            change('same', 'abc', { mergedAt: '2026-01-05T10:00:00Z' }),
            incident('same-i', '2026-01-07T12:00:00Z'),
          ]);
        const results = await Promise.allSettled([
          store.ingest(events()),
          second.ingest(events()),
        ]);
        expect(results.map(r => r.status)).toEqual(['fulfilled', 'fulfilled']);
        expect(
          await knex('dora_changes').where({ id: 'same' }).pluck('entity_ref'),
        ).toEqual([SVC]);
        expect(
          await knex('dora_incidents')
            .where({ id: 'same-i' })
            .pluck('entity_ref'),
        ).toEqual([SVC]);
      });

      it('never links an incident to a deployment of another entity that arrives after the incident named it', async () => {
        await ingest([
          incident('i-1', '2026-01-07T12:00:00Z', { deploymentId: 'd-later' }),
        ]);
        await ingest([
          deployment('d-later', '2026-01-06T10:00:00Z', [], {
            entityRef: OTHER,
          }),
        ]);
        expect(await incidentsLinkedTo('d-later')).toEqual([]);
        expect(
          (
            await store.listDeployments({
              entityRefs: [OTHER],
              ...WINDOW,
              limit: 10,
              offset: 0,
            })
          ).items[0].failed,
        ).toBe(false);
      });
    });

    describe('monotonic updates', () => {
      it('keeps an incident resolved when a late or replayed trigger arrives, and reopens it only with a later updatedAt', async () => {
        await ingest([
          incident('i-1', '2026-01-07T12:00:00Z', {
            resolvedAt: '2026-01-07T13:00:00Z',
          }),
        ]);
        const resolved = await knex('dora_incidents')
          .where({ id: 'i-1' })
          .first();
        await expect(
          ingest([incident('i-1', '2026-01-07T12:00:00Z')]),
        ).resolves.toEqual({ accepted: 1, written: [] });
        expect(
          await knex('dora_incidents').where({ id: 'i-1' }).first(),
        ).toEqual(resolved);
        // An update says when it was made: reopened after the resolution, it is open again.
        await ingest([
          incident('i-1', '2026-01-07T12:00:00Z', {
            updatedAt: '2026-01-08T09:00:00Z',
          }),
        ]);
        expect(
          (await knex('dora_incidents').where({ id: 'i-1' }).first())
            .resolved_at,
        ).toBeNull();
        // ... and the resolution replayed once more (older than the reopening) does not close it again.
        await ingest([
          incident('i-1', '2026-01-07T12:00:00Z', {
            resolvedAt: '2026-01-07T13:00:00Z',
          }),
        ]);
        expect(
          (await knex('dora_incidents').where({ id: 'i-1' }).first())
            .resolved_at,
        ).toBeNull();
      });

      it('keeps a merged change merged when an older open state arrives', async () => {
        await ingest([
          change('pr-1', 'abc', {
            authoredAt: '2026-01-06T08:00:00Z',
            createdAt: '2026-01-06T09:00:00Z',
            mergedAt: '2026-01-06T10:00:00Z',
          }),
          deployment('d-1', '2026-01-06T12:00:00Z', ['abc']),
        ]);
        await ingest([
          change('pr-1', 'abc', {
            authoredAt: '2026-01-06T08:00:00Z',
            createdAt: '2026-01-06T09:00:00Z',
          }),
        ]);
        expect(await changeById('pr-1')).toMatchObject({
          deployment_id: 'd-1',
        });
        expect(Number((await changeById('pr-1')).merged_at)).toBe(
          t('2026-01-06T10:00:00Z'),
        );
      });

      it('keeps the newer deployment status, and lets an equally recent report complete it', async () => {
        await ingest([deployment('d-1', '2026-01-06T12:00:00Z', ['abc'])]);
        // A failure status reported before the success, delivered late.
        await ingest([
          deployment('d-1', '2026-01-06T11:00:00Z', ['abc'], {
            status: 'failure',
          }),
        ]);
        expect(
          await knex('dora_deployments').where({ id: 'd-1' }).first(),
        ).toMatchObject({ status: 'success' });
        // CI posts the same deployment with every sha it shipped: same finish, so it replaces the webhook's report.
        await ingest([
          deployment('d-1', '2026-01-06T12:00:00Z', ['abc', 'def']),
        ]);
        expect(
          (
            await knex('dora_deployment_commits')
              .where({ deployment_id: 'd-1' })
              .orderBy('sha')
          ).map(c => c.sha),
        ).toEqual(['abc', 'def']);
      });

      it('changes nothing on a re-send of the stored state: no new row, the same received_at and activity', async () => {
        const batch = [
          deployment('d-1', '2026-01-06T12:00:00Z', ['abc', 'abc']),
          change('pr-1', 'abc', {
            mergedAt: '2026-01-06T10:00:00Z',
            author: 'jane',
          }),
          incident('i-1', '2026-01-07T12:00:00Z', {
            deploymentId: 'd-1',
            resolvedAt: '2026-01-07T13:00:00Z',
          }),
        ];
        await ingest(batch);
        const snapshot = async () => ({
          deployments: await knex('dora_deployments').select(),
          changes: await knex('dora_changes').select(),
          incidents: await knex('dora_incidents').select(),
          commits: await knex('dora_deployment_commits').select(),
          entities: await knex('dora_entities').select(),
        });
        const before = await snapshot();
        await new Promise(resolve => setTimeout(resolve, 5));
        await expect(ingest(batch)).resolves.toEqual({
          accepted: 3,
          written: [],
        });
        expect(await snapshot()).toEqual(before);
      });
    });

    describe('deployment frequency', () => {
      it('takes the median of deployment days over the full 7- and 30-day buckets', async () => {
        // Window of 28 days from Monday 2026-01-05: week 1 has 3 deployment days, week 2 one, week 3 none, week 4 five.
        const days = [
          '01-05',
          '01-06',
          '01-06',
          '01-07',
          '01-13',
          '01-26',
          '01-27',
          '01-28',
          '01-29',
          '01-30',
        ];
        await ingest(
          days.map((d, i) => deployment(`d-${i}`, `2026-${d}T10:00:00Z`, [])),
        );
        const m = await metrics();
        expect(m.deploymentFrequency).toEqual({
          deployments: 10,
          deploymentDays: 9,
          weeklyMedianDeploymentDays: 2, // median of [3, 1, 0, 5]
          monthlyMedianDeploymentDays: null, // no full 30-day bucket in 28 days
          tier: 'high',
        });
      });

      it('gives a window with no deployments a weekly median of 0 and tier low, and a window under 7 days null', async () => {
        const empty = await metrics();
        expect(empty.deploymentFrequency).toEqual({
          deployments: 0,
          deploymentDays: 0,
          weeklyMedianDeploymentDays: 0,
          monthlyMedianDeploymentDays: null,
          tier: 'low',
        });
        expect(empty.changeFailureRate).toEqual({
          deployments: 0,
          failedDeployments: 0,
          rate: null,
          tier: null,
        });
        expect(empty.leadTimeForChanges).toEqual({
          changes: 0,
          medianMinutes: null,
          tier: null,
        });
        const short = await metrics([SVC], {
          from: WINDOW.from,
          to: WINDOW.from + 6 * 86_400_000,
        });
        expect(short.deploymentFrequency.weeklyMedianDeploymentDays).toBeNull();
        expect(short.deploymentFrequency.tier).toBeNull();
      });

      it('uses the 180 days before the end of the window for the 2021 medium tier', async () => {
        await ingest([deployment('d-old', '2025-10-01T10:00:00Z', [])]);
        expect(
          (await metrics([SVC], WINDOW, '2021')).deploymentFrequency.tier,
        ).toBe('medium');
        expect(
          (await metrics([SVC], WINDOW, '2023')).deploymentFrequency.tier,
        ).toBe('low');
      });

      it('pools a group’s entities: deployment days are distinct dates across them, linking stays per entity', async () => {
        await ingest([
          deployment('d-a', '2026-01-06T10:00:00Z', ['abc']),
          deployment('d-b', '2026-01-06T11:00:00Z', ['abc'], {
            entityRef: OTHER,
          }),
          change('pr-b', 'abc', {
            entityRef: OTHER,
            authoredAt: '2026-01-06T10:00:00Z',
          }),
          incident('i-b', '2026-01-06T12:00:00Z', { entityRef: OTHER }),
        ]);
        const m = await metrics([SVC, OTHER]);
        expect(m.deploymentFrequency).toMatchObject({
          deployments: 2,
          deploymentDays: 1,
        });
        expect(m.changeFailureRate).toMatchObject({
          deployments: 2,
          failedDeployments: 1,
        });
        expect((await changeById('pr-b')).deployment_id).toBe('d-b');
        expect(await incidentsLinkedTo('d-b')).toEqual(['i-b']);
      });
    });

    describe('DORA 2024: rework rate and failed-deployment recovery time', () => {
      // Worked by hand (the README's definitions):
      //   d1 Mon 01-05 10:00; d2 Tue 01-06 10:00 flagged rework; i1 opened 12:00 (linked to d2), resolved 15:00;
      //   d3 01-06 14:00: the first counted deployment after i1 opened, before it was resolved: rework;
      //   d4 01-07 10:00; i2 opened 11:00 (d4), resolved 01-08 11:00; d5 fails at 01-07 12:00 (not counted, flag or
      //   not); d6 01-08 12:00 is the first after i2 but after its resolution: not rework; d7 to staging, flagged
      //   (not counted); i3 opened 01-09 09:00 (d6), open; d8 01-09 12:00 after the open i3: not rework (yet);
      //   i4 opened 01-12 09:00 naming d9, which finished after it (10:00) and is the first after it: not rework
      //   (d9 is not after the deployment i4 is linked to); resolved 12:00.
      // Counted: d1 d2 d3 d4 d6 d8 d9 = 7; rework d2 d3 = 2; failed d2 d4 d6 d9 = 4; recovery d2 15:00 − 10:00 =
      // 300 min, d4 25 h = 1,500, d9 120, d6 open: median 300 over 3, 1 unrecovered.
      const EVENTS = [
        deployment('d1', '2026-01-05T10:00:00Z', []),
        deployment('d2', '2026-01-06T10:00:00Z', [], { rework: true }),
        incident('i1', '2026-01-06T12:00:00Z', {
          resolvedAt: '2026-01-06T15:00:00Z',
        }),
        deployment('d3', '2026-01-06T14:00:00Z', []),
        deployment('d4', '2026-01-07T10:00:00Z', []),
        incident('i2', '2026-01-07T11:00:00Z', {
          resolvedAt: '2026-01-08T11:00:00Z',
        }),
        deployment('d5', '2026-01-07T12:00:00Z', [], {
          status: 'failure',
          rework: true,
        }),
        deployment('d6', '2026-01-08T12:00:00Z', []),
        deployment('d7', '2026-01-09T10:00:00Z', [], {
          environment: 'staging',
          rework: true,
        }),
        incident('i3', '2026-01-09T09:00:00Z'),
        deployment('d8', '2026-01-09T12:00:00Z', []),
        incident('i4', '2026-01-12T09:00:00Z', {
          deploymentId: 'd9',
          resolvedAt: '2026-01-12T12:00:00Z',
        }),
        deployment('d9', '2026-01-12T10:00:00Z', []),
      ];

      /** The rework deployments by the reference computation of @vitals/plugin-dora-common, from the stored rows. */
      const referenceRework = async () => {
        const deployments = await knex('dora_deployments').select();
        const incidents = await knex('dora_incidents').select();
        return [
          ...reworkDeploymentIds(
            deployments.map(d => ({
              id: d.id,
              finishedAt: Number(d.finished_at),
              counted: Number(d.counted) === 1,
              rework: Number(d.rework) === 1,
            })),
            incidents.map(i => ({
              createdAt: Number(i.created_at),
              resolvedAt: i.resolved_at === null ? null : Number(i.resolved_at),
              linkedDeploymentId: i.linked_deployment_id,
            })),
          ),
        ].sort();
      };

      it('counts flagged deployments and those that restored an incident caused by an earlier one', async () => {
        await ingest(EVENTS);
        const m = await metrics();
        expect(m.reworkRate).toEqual({
          deployments: 7,
          reworkDeployments: 2,
          rate: 2 / 7,
        });
        expect(await referenceRework()).toEqual(['d2', 'd3']);
        expect(m.failedDeploymentRecoveryTime).toEqual({
          recoveredDeployments: 3,
          unrecoveredDeployments: 1,
          medianMinutes: 300,
          tier: 'high',
        });
        // The four keys are what they were: i1 180 min, i2 1,440, i4 180.
        expect(m.changeFailureRate).toMatchObject({
          deployments: 7,
          failedDeployments: 4,
        });
        expect(m.timeToRestore).toEqual({
          incidents: 3,
          medianMinutes: 180,
          tier: 'high',
        });
        const series = await computeSeries(store, {
          entityRef: SVC,
          entityRefs: [SVC],
          ...WINDOW,
        });
        expect(
          series.weeks.map(w => [w.reworkDeployments, w.reworkRate]),
        ).toEqual([
          [2, 2 / 6],
          [0, 0],
          [0, null],
          [0, null],
        ]);
        // Recovery by the week the failed deployment finished: d2 300 and d4 1,500 (d6 open) in the first, d9 120.
        expect(
          series.weeks.map(w => [
            w.recoveredDeployments,
            w.medianRecoveryMinutes,
          ]),
        ).toEqual([
          [2, 900],
          [1, 120],
          [0, null],
          [0, null],
        ]);
      });

      it('follows a re-sent flag and an incident resolved later', async () => {
        await ingest(EVENTS);
        // Only the flag changes: the re-send is not the stored state, so it is written.
        await ingest([
          deployment('d1', '2026-01-05T10:00:00Z', [], { rework: true }),
        ]);
        expect((await metrics()).reworkRate.reworkDeployments).toBe(3);
        // i3 resolved at 13:00: d8 (12:00) restored it, and d6 recovered 25 h after it finished.
        await ingest([
          incident('i3', '2026-01-09T09:00:00Z', {
            resolvedAt: '2026-01-09T13:00:00Z',
          }),
        ]);
        const m = await metrics();
        expect(m.reworkRate).toEqual({
          deployments: 7,
          reworkDeployments: 4,
          rate: 4 / 7,
        });
        expect(await referenceRework()).toEqual(['d1', 'd2', 'd3', 'd8']);
        // 120, 300, 1,500, 1,500.
        expect(m.failedDeploymentRecoveryTime).toEqual({
          recoveredDeployments: 4,
          unrecoveredDeployments: 0,
          medianMinutes: 900,
          tier: 'high',
        });
      });

      describe('the deployments behind the rework rate and recovery time', () => {
        const list = async (filter: { failed?: boolean; rework?: boolean }) =>
          store.listDeployments({
            entityRefs: [SVC],
            ...WINDOW,
            ...filter,
            limit: 100,
            offset: 0,
          });
        const fields = (d: {
          id: string;
          rework: boolean;
          reworkFlagged: boolean;
          reworkIncidentId: string | null;
          recoveryMinutes: number | null;
          recoveredAt: string | null;
        }) => [
          d.id,
          d.rework,
          d.reworkFlagged,
          d.reworkIncidentId,
          d.recoveryMinutes,
          d.recoveredAt,
        ];

        it('says of each counted deployment whether it is rework and why, and when a failed one recovered, in the list and the data health', async () => {
          await ingest(EVENTS);
          const all = await list({});
          // Newest first; the failed d5 and the staging d7, flagged or not, are not counted, so not listed.
          expect(all.totalCount).toBe(7);
          expect(all.items.map(fields)).toEqual([
            ['d9', false, false, null, 120, '2026-01-12T12:00:00.000Z'],
            ['d8', false, false, null, null, null],
            // i3 is still open: d6 has not recovered.
            ['d6', false, false, null, null, null],
            ['d4', false, false, null, 1500, '2026-01-08T11:00:00.000Z'],
            ['d3', true, false, 'i1', null, null],
            ['d2', true, true, null, 300, '2026-01-06T15:00:00.000Z'],
            ['d1', false, false, null, null, null],
          ]);
          const rework = await list({ rework: true });
          expect(rework.items.map(d => d.id)).toEqual(['d3', 'd2']);
          // As many as the rework rate counts.
          expect(rework.totalCount).toBe(
            (await metrics()).reworkRate.reworkDeployments,
          );
          const notRework = await list({ rework: false });
          expect(notRework.totalCount).toBe(5);
          expect(notRework.items.every(d => !d.rework)).toBe(true);
          // Behind failed-deployment recovery: the failed ones, 3 recovered (median 300) and d6 not yet.
          const failed = await list({ failed: true });
          expect(failed.items.map(d => [d.id, d.recoveryMinutes])).toEqual([
            ['d9', 120],
            ['d6', null],
            ['d4', 1500],
            ['d2', 300],
          ]);
          expect(
            (await list({ failed: true, rework: true })).items.map(d => d.id),
          ).toEqual(['d2']);
          // Paged like the others.
          const second = await store.listDeployments({
            entityRefs: [SVC],
            ...WINDOW,
            rework: true,
            limit: 1,
            offset: 1,
          });
          expect(second).toEqual({
            items: [expect.objectContaining({ id: 'd2' })],
            totalCount: 2,
          });

          // The data health's deployments without commits carry the same fields: the flagged staging d7 is not
          // counted, so flagged but no rework.
          const health = await store.dataHealth([SVC], 20);
          const sampled = new Map(
            health.deploymentsWithoutCommits.sample.map(d => [d.id, fields(d)]),
          );
          expect(sampled.get('d2')).toEqual([
            'd2',
            true,
            true,
            null,
            300,
            '2026-01-06T15:00:00.000Z',
          ]);
          expect(sampled.get('d7')).toEqual([
            'd7',
            false,
            true,
            null,
            null,
            null,
          ]);
        });

        it('names both reasons when a flagged deployment also restored an incident, the earliest opened of two, and follows later writes', async () => {
          await ingest(EVENTS);
          await ingest([
            deployment('d3', '2026-01-06T14:00:00Z', [], { rework: true }),
            // i3 resolved at 13:00: d8 (12:00) restored it, and d6 recovered 25 h after it finished.
            incident('i3', '2026-01-09T09:00:00Z', {
              resolvedAt: '2026-01-09T13:00:00Z',
            }),
          ]);
          const byId = new Map(
            (await list({})).items.map(d => [d.id, fields(d)]),
          );
          expect(byId.get('d3')).toEqual(['d3', true, true, 'i1', null, null]);
          expect(byId.get('d8')).toEqual(['d8', true, false, 'i3', null, null]);
          expect(byId.get('d6')).toEqual([
            'd6',
            false,
            false,
            null,
            1500,
            '2026-01-09T13:00:00.000Z',
          ]);
          expect((await list({ rework: true })).items.map(d => d.id)).toEqual([
            'd8',
            'd3',
            'd2',
          ]);

          // Of two incidents a deployment restored, the earliest opened is named (of another entity, in the same
          // window): j1 and j2 are both linked to e1 (the latest before them), e2 is the first after both opened and
          // finished by their resolutions. e1 recovered when the last of them was resolved, 3 h after it finished.
          const other = { entityRef: OTHER };
          await ingest([
            deployment('e1', '2026-01-05T10:00:00Z', [], other),
            incident('j2', '2026-01-05T11:30:00Z', {
              resolvedAt: '2026-01-05T13:00:00Z',
              ...other,
            }),
            incident('j1', '2026-01-05T11:00:00Z', {
              resolvedAt: '2026-01-05T12:00:00Z',
              ...other,
            }),
            deployment('e2', '2026-01-05T12:00:00Z', [], other),
          ]);
          const ofOther = await store.listDeployments({
            entityRefs: [OTHER],
            ...WINDOW,
            limit: 100,
            offset: 0,
          });
          expect(ofOther.items.map(fields)).toEqual([
            ['e2', true, false, 'j1', null, null],
            ['e1', false, false, null, 180, '2026-01-05T13:00:00.000Z'],
          ]);
        });
      });

      it('tiers with the 2024 clusters', async () => {
        await ingest(EVENTS);
        const m = await metrics([SVC], WINDOW, '2024');
        expect(m.benchmark).toBe('2024');
        // CFR 4/7 is above 2024's 20%; 2023 would say low too. Recovery 300 min: under a day, high.
        expect(m.changeFailureRate.tier).toBe('low');
        expect(m.failedDeploymentRecoveryTime.tier).toBe('high');
        expect(m.timeToRestore.tier).toBe('high');
        expect(m.reworkRate).toEqual({
          deployments: 7,
          reworkDeployments: 2,
          rate: 2 / 7,
        });
      });
    });

    it('serves a weekly series', async () => {
      await ingest([
        change('pr-1', 'abc', { authoredAt: '2026-01-06T08:00:00Z' }),
        deployment('d-1', '2026-01-06T10:00:00Z', ['abc']),
        deployment('d-2', '2026-01-14T10:00:00Z', []),
        incident('i-1', '2026-01-14T11:00:00Z', {
          resolvedAt: '2026-01-14T13:00:00Z',
        }),
      ]);
      const series = await computeSeries(store, {
        entityRef: SVC,
        entityRefs: [SVC],
        ...WINDOW,
      });
      expect(series.weeks).toHaveLength(4);
      expect(series.weeks[0]).toEqual({
        start: '2026-01-05T00:00:00.000Z',
        deployments: 1,
        deploymentDays: 1,
        failedDeployments: 0,
        changeFailureRate: 0,
        changes: 1,
        medianLeadTimeMinutes: 120,
        incidents: 0,
        medianRestoreMinutes: null,
        reworkDeployments: 0,
        reworkRate: 0,
        recoveredDeployments: 0,
        medianRecoveryMinutes: null,
      });
      expect(series.weeks[1]).toMatchObject({
        deployments: 1,
        failedDeployments: 1,
        changeFailureRate: 1,
        incidents: 1,
        medianRestoreMinutes: 120,
      });
      expect(series.weeks[3]).toMatchObject({
        deployments: 0,
        changeFailureRate: null,
        changes: 0,
      });
    });

    it('reports data health', async () => {
      await ingest([
        change('pr-undeployed', 'zzz', {
          authoredAt: '2026-01-06T08:00:00Z',
          createdAt: '2026-01-06T09:00:00Z',
          mergedAt: '2026-01-06T10:00:00Z',
        }),
        change('pr-open', 'yyy', { createdAt: '2026-01-06T09:00:00Z' }),
        deployment('d-empty', '2026-01-06T10:00:00Z', []),
        incident('i-orphan', '2026-01-01T00:00:00Z'),
      ]);
      const health = await store.dataHealth(undefined, 10);
      expect(health.changesNeverDeployed).toMatchObject({
        count: 1,
        sample: [expect.objectContaining({ id: 'pr-undeployed' })],
      });
      expect(health.incidentsWithoutDeployment.count).toBe(1);
      expect(health.deploymentsWithoutCommits.sample.map(d => d.id)).toEqual([
        'd-empty',
      ]);
      expect(await store.listEntityRefs({ limit: 10 })).toEqual([SVC]);
    });

    it('relinks everything when dora.productionEnvironments changes', async () => {
      await ingest([
        change('pr-1', 'abc', { authoredAt: '2026-01-06T08:00:00Z' }),
        deployment('d-live', '2026-01-06T10:00:00Z', ['abc'], {
          environment: 'live',
        }),
        incident('i-1', '2026-01-06T11:00:00Z'),
      ]);
      expect((await changeById('pr-1')).deployment_id).toBeNull();
      const database = mockServices.database.mock({
        getClient: async () => knex,
      });
      store = await DatabaseDoraStore.create({
        database,
        productionEnvironments: ['Live'],
      });
      expect((await changeById('pr-1')).deployment_id).toBe('d-live');
      expect(await incidentsLinkedTo('d-live')).toEqual(['i-1']);
      expect((await metrics()).changeFailureRate).toMatchObject({
        deployments: 1,
        failedDeployments: 1,
      });
    });
  },
);
