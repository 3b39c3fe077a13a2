import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  doraEventSchema,
  DoraEventInput,
  DoraTeamMetrics,
} from '@vitals/plugin-dora-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const USER = mockCredentials.user.header('user:default/guest');

/** A component owned by a group, with the relations the catalog keeps on both sides. */
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const group = (
  name: string,
  options: {
    type?: string;
    title?: string;
    children?: string[];
    owns?: string[];
  } = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    ...(options.title ? { title: options.title } : {}),
  },
  spec: { type: options.type ?? 'team', children: options.children ?? [] },
  relations: [
    ...(options.children ?? []).map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
    ...(options.owns ?? []).map(c => ({
      type: 'ownerOf',
      targetRef: `component:default/${c}`,
    })),
  ],
});

const ENTITIES: Entity[] = [
  component('payments-api', 'group:default/payments'),
  component('ledger-service', 'group:default/payments-sre'),
  component('checkout-api', 'group:default/storefront'),
  component('design-system', 'group:default/design'),
  group('engineering', {
    type: 'department',
    title: 'Engineering',
    children: ['payments', 'storefront', 'platform'],
  }),
  group('payments', {
    title: 'Payments',
    children: ['payments-sre'],
    owns: ['payments-api'],
  }),
  group('payments-sre', { owns: ['ledger-service'] }),
  group('storefront', { title: 'Storefront', owns: ['checkout-api'] }),
  // Owns an entity that never sent events.
  group('design', { owns: ['design-system'] }),
  // Owns nothing.
  group('platform'),
];

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-service';
const CHECKOUT = 'component:default/checkout-api';

const deployment = (
  id: string,
  entityRef: string,
  finishedAt: string,
  commitShas: string[] = [],
  extra: { rework?: boolean } = {},
): DoraEventInput => ({
  type: 'deployment',
  id,
  entityRef,
  environment: 'production',
  status: 'success',
  finishedAt,
  commitShas,
  ...extra,
});
const change = (
  id: string,
  entityRef: string,
  sha: string,
  mergedAt: string,
): DoraEventInput => ({
  type: 'change',
  id,
  entityRef,
  sha,
  createdAt: '2026-01-05T08:00:00Z',
  mergedAt,
});

const EVENTS: DoraEventInput[] = [
  deployment('p-1', PAYMENTS, '2026-01-06T10:00:00Z', ['a1']),
  deployment('p-2', PAYMENTS, '2026-01-13T10:00:00Z', ['a2']),
  deployment('l-1', LEDGER, '2026-01-06T12:00:00Z', ['b1']),
  deployment('l-2', LEDGER, '2026-01-20T12:00:00Z', ['b2']),
  deployment('c-1', CHECKOUT, '2026-01-07T12:00:00Z', ['c1']),
  // Before the window: only the 2021 tier's 180-day rule sees it.
  deployment('c-0', CHECKOUT, '2025-12-01T12:00:00Z'),
  change('pr-a1', PAYMENTS, 'a1', '2026-01-06T09:00:00Z'),
  change('pr-a2', PAYMENTS, 'a2', '2026-01-12T09:00:00Z'),
  change('pr-b1', LEDGER, 'b1', '2026-01-06T11:00:00Z'),
  change('pr-c1', CHECKOUT, 'c1', '2026-01-06T12:00:00Z'),
  {
    type: 'incident',
    id: 'i-1',
    entityRef: LEDGER,
    createdAt: '2026-01-06T13:00:00Z',
    resolvedAt: '2026-01-06T13:30:00Z',
  },
  {
    type: 'incident',
    id: 'i-2',
    entityRef: PAYMENTS,
    createdAt: '2026-01-13T11:00:00Z',
    resolvedAt: '2026-01-13T12:15:00Z',
  },
];

const WINDOW = 'from=2026-01-05&to=2026-02-02';

/** Rework for the DORA 2024 figures: p-3 restores i-2 (caused by p-2), l-3 is flagged, i-3 stays open on l-3. */
const REWORK_EVENTS: DoraEventInput[] = [
  deployment('p-3', PAYMENTS, '2026-01-13T12:00:00Z'),
  deployment('l-3', LEDGER, '2026-01-21T12:00:00Z', [], { rework: true }),
  {
    type: 'incident',
    id: 'i-3',
    entityRef: LEDGER,
    createdAt: '2026-01-21T13:00:00Z',
  },
];

describe.each(databases.eachSupportedId())(
  'GET /v1/teams on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let store: DatabaseDoraStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      const router = await createRouter({
        store,
        ingest: new PublishingDoraIngestService({
          store,
          events: mockServices.events(),
          logger: mockServices.logger.mock(),
        }),
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.none(),
        }),
        auth: mockServices.auth(),
        permissions: mockServices.permissions(),
        catalog: catalogServiceMock({ entities: ENTITIES }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      });
      app = routerTestApp(router);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const get = (url: string) =>
      request(app).get(url).set('Authorization', USER);
    const seed = () => store.ingest(EVENTS.map(e => doraEventSchema.parse(e)));

    it('lists every group that owns entities with events, pooling child groups like /v1/metrics', async () => {
      await seed();
      const res = await get(`/v1/teams?${WINDOW}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        from: '2026-01-05T00:00:00.000Z',
        to: '2026-02-02T00:00:00.000Z',
        benchmark: '2023',
      });
      const teams: DoraTeamMetrics[] = res.body.teams;
      // design owns only an entity without events and platform owns nothing: neither is listed.
      expect(teams.map(t => [t.entityRef, t.title, t.type])).toEqual([
        ['group:default/engineering', 'Engineering', 'department'],
        ['group:default/payments', 'Payments', 'team'],
        ['group:default/payments-sre', 'payments-sre', 'team'],
        ['group:default/storefront', 'Storefront', 'team'],
      ]);
      const payments = teams.find(
        t => t.entityRef === 'group:default/payments',
      )!.metrics;
      expect(payments.entityRefs).toEqual([LEDGER, PAYMENTS]);
      expect(payments.deploymentFrequency).toMatchObject({
        deployments: 4,
        deploymentDays: 3,
      });
      expect(payments.changeFailureRate).toMatchObject({
        deployments: 4,
        failedDeployments: 2,
        rate: 0.5,
      });
      expect(payments.timeToRestore).toMatchObject({
        incidents: 2,
        medianMinutes: 52.5,
      });
      expect(payments.leadTimeForChanges.changes).toBe(3);
      const engineering = teams.find(
        t => t.entityRef === 'group:default/engineering',
      )!.metrics;
      expect(engineering.entityRefs).toEqual([CHECKOUT, LEDGER, PAYMENTS]);
      expect(engineering.deploymentFrequency).toMatchObject({
        deployments: 5,
        deploymentDays: 4,
      });
    });

    it.each(['2023', '2021', '2024'])(
      'gives every group exactly what /v1/metrics gives it (benchmark %s)',
      async benchmark => {
        await seed();
        await store.ingest(REWORK_EVENTS.map(e => doraEventSchema.parse(e)));
        const res = await get(`/v1/teams?${WINDOW}&benchmark=${benchmark}`);
        expect(res.body.teams).toHaveLength(4);
        for (const team of res.body.teams as DoraTeamMetrics[]) {
          const single = await get(
            `/v1/metrics?entityRef=${team.entityRef}&${WINDOW}&benchmark=${benchmark}`,
          );
          expect(team.metrics).toEqual(single.body);
        }
        const payments = (res.body.teams as DoraTeamMetrics[]).find(
          t => t.entityRef === 'group:default/payments',
        )!.metrics;
        // p-1, p-2, p-3, l-1, l-2, l-3: p-3 restored i-2, l-3 was flagged.
        expect(payments.reworkRate).toEqual({
          deployments: 6,
          reworkDeployments: 2,
          rate: 2 / 6,
        });
        // l-1 recovered 90 minutes after it finished (i-1 resolved 13:30), p-2 135 (i-2 resolved 12:15); l-3's i-3 is open.
        expect(payments.failedDeploymentRecoveryTime).toEqual({
          recoveredDeployments: 2,
          unrecoveredDeployments: 1,
          medianMinutes: 112.5,
          tier: 'high',
        });
      },
    );

    it('reads the 2021 frequency tier from a deployment in the 180 days before `to` when no 30-day bucket fits', async () => {
      await seed();
      const res = await get(`/v1/teams?${WINDOW}&benchmark=2021`);
      const storefront = (res.body.teams as DoraTeamMetrics[]).find(
        t => t.entityRef === 'group:default/storefront',
      )!;
      expect(storefront.metrics.deploymentFrequency).toMatchObject({
        weeklyMedianDeploymentDays: 0,
        monthlyMedianDeploymentDays: null,
        tier: 'medium',
      });
      const before = await get(
        '/v1/teams?from=2026-01-08&to=2026-02-05&benchmark=2021&type=team',
      );
      // Only c-0 (December) and c-1 (7 January) exist for the storefront: both within 180 days of 5 February.
      expect(
        (before.body.teams as DoraTeamMetrics[]).find(
          t => t.entityRef === 'group:default/storefront',
        )!.metrics.deploymentFrequency.tier,
      ).toBe('medium');
      const later = await get(
        '/v1/teams?from=2026-08-01&to=2026-08-29&benchmark=2021&type=team',
      );
      // Nothing in the 180 days before 29 August: low.
      expect(
        (later.body.teams as DoraTeamMetrics[]).find(
          t => t.entityRef === 'group:default/storefront',
        )!.metrics.deploymentFrequency.tier,
      ).toBe('low');
    });

    it('keeps only the groups of one type when asked', async () => {
      await seed();
      const res = await get(`/v1/teams?${WINDOW}&type=team`);
      expect(res.body.teams.map((t: DoraTeamMetrics) => t.entityRef)).toEqual([
        'group:default/payments',
        'group:default/payments-sre',
        'group:default/storefront',
      ]);
    });

    it('lists a group whose entities have events outside the window with empty figures', async () => {
      await seed();
      const res = await get(
        '/v1/teams?from=2025-06-01&to=2025-06-29&type=team',
      );
      expect(res.body.teams).toHaveLength(3);
      const payments = (res.body.teams as DoraTeamMetrics[]).find(
        t => t.entityRef === 'group:default/payments',
      )!;
      expect(payments.metrics.deploymentFrequency).toEqual({
        deployments: 0,
        deploymentDays: 0,
        weeklyMedianDeploymentDays: 0,
        monthlyMedianDeploymentDays: null,
        tier: 'low',
      });
      expect(payments.metrics.leadTimeForChanges).toEqual({
        changes: 0,
        medianMinutes: null,
        tier: null,
      });
    });

    it('answers an empty list when nothing has sent events', async () => {
      const res = await get(`/v1/teams?${WINDOW}`);
      expect(res.status).toBe(200);
      expect(res.body.teams).toEqual([]);
    });

    it.each([
      ['/v1/teams?from=2026-02-01&to=2026-01-01', 'from: must be before to'],
      ['/v1/teams?from=someday', 'from'],
      ['/v1/teams?benchmark=2019', 'benchmark'],
      ['/v1/teams?type=', 'type'],
      ['/v1/teams?entityRef=group:default/payments', 'entityRef'],
    ])('answers %s with 400 naming %s', async (url, field) => {
      const res = await get(url);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(field);
    });

    it('computes every set of entities on its own, however many chunks the sets take', async () => {
      await seed();
      const filler = (prefix: string) =>
        Array.from(
          { length: 2_600 },
          (_, i) => `component:default/${prefix}-${i}`,
        );
      const scopes = new Map([
        ['a', [PAYMENTS, ...filler('a')]],
        ['b', [LEDGER, PAYMENTS, ...filler('b')]],
        ['c', [CHECKOUT, ...filler('c')]],
        ['d', filler('d')],
      ]);
      const window = {
        scopes,
        from: Date.parse('2026-01-05T00:00:00Z'),
        to: Date.parse('2026-02-02T00:00:00Z'),
      };
      await store.ingest(REWORK_EVENTS.map(e => doraEventSchema.parse(e)));
      const [days, leadTimes, restores, recoveries] = await Promise.all([
        store.deploymentDaysByScope(window),
        store.leadTimeByScope(window),
        store.timeToRestoreByScope(window),
        store.recoveryByScope(window),
      ]);
      for (const [key, entityRefs] of scopes) {
        const single = { entityRefs, from: window.from, to: window.to };
        const byDay = (rows: Array<{ day: number }>) =>
          [...rows].sort((x, y) => x.day - y.day);
        expect(byDay(days.get(key) ?? [])).toEqual(
          byDay(await store.deploymentDays(single)),
        );
        const lead = await store.leadTime(single);
        expect(leadTimes.get(key) ?? { count: 0, median: null }).toEqual(lead);
        expect(restores.get(key) ?? { count: 0, median: null }).toEqual(
          await store.timeToRestore(single),
        );
        expect(recoveries.get(key) ?? { count: 0, median: null }).toEqual(
          (await store.metricInputs(single)).recovery,
        );
      }
      expect(recoveries.get('b')).toEqual({ count: 2, median: 112.5 });
      expect((days.get('b') ?? []).reduce((sum, r) => sum + r.rework, 0)).toBe(
        2,
      );
      expect(leadTimes.get('b')?.count).toBe(3);
      expect(days.has('d')).toBe(false);
    });

    describe('figures kept between requests', () => {
      const teamsOf = async (url = `/v1/teams?${WINDOW}&type=team`, on = app) =>
        new Map(
          (
            (await request(on).get(url).set('Authorization', USER)).body
              .teams as DoraTeamMetrics[]
          ).map(t => [t.entityRef, t.metrics]),
        );
      /** Changes what is kept for a group, so that a test can tell kept figures from computed ones. */
      const markKept = async (scopeRef: string) => {
        const row = await knex('dora_scope_figures')
          .where({ scope_ref: scopeRef })
          .first();
        const metrics = JSON.parse(row.metrics);
        metrics.deploymentFrequency.deployments = 999;
        await knex('dora_scope_figures')
          .where({ scope_ref: scopeRef })
          .update({ metrics: JSON.stringify(metrics) });
      };

      it('serves a group its kept figures until one of its entities is written, and computes only that group again', async () => {
        await seed();
        const first = await teamsOf();
        expect(
          (await knex('dora_scope_figures').pluck('scope_ref')).sort(),
        ).toEqual([
          'group:default/payments',
          'group:default/payments-sre',
          'group:default/storefront',
        ]);
        await markKept('group:default/payments');
        await markKept('group:default/storefront');
        const kept = await teamsOf();
        expect(
          kept.get('group:default/payments')!.deploymentFrequency.deployments,
        ).toBe(999);
        expect(kept.get('group:default/payments')!.entityRefs).toEqual([
          LEDGER,
          PAYMENTS,
        ]);
        expect(kept.get('group:default/payments-sre')).toEqual(
          first.get('group:default/payments-sre'),
        );

        // A new deployment of the ledger (pooled by payments through payments-sre): payments and payments-sre are
        // computed again, the storefront keeps its figures.
        await store.ingest([
          doraEventSchema.parse(
            deployment('l-3', LEDGER, '2026-01-21T12:00:00Z'),
          ),
        ]);
        const after = await teamsOf();
        expect(
          after.get('group:default/payments')!.deploymentFrequency.deployments,
        ).toBe(5);
        expect(
          after.get('group:default/payments-sre')!.deploymentFrequency
            .deployments,
        ).toBe(3);
        expect(
          after.get('group:default/storefront')!.deploymentFrequency
            .deployments,
        ).toBe(999);
        for (const [ref, metrics] of after) {
          if (ref === 'group:default/storefront') continue;
          expect(metrics).toEqual(
            (await get(`/v1/metrics?entityRef=${ref}&${WINDOW}`)).body,
          );
        }
      });

      it('computes a group again when the catalog pools other entities for it', async () => {
        await seed();
        await teamsOf();
        await markKept('group:default/storefront');
        // The storefront now also owns the ledger.
        const moved = ENTITIES.map(e =>
          e.metadata.name === 'storefront'
            ? group('storefront', {
                title: 'Storefront',
                owns: ['checkout-api', 'ledger-service'],
              })
            : e,
        );
        const other = routerTestApp(
          await createRouter({
            store,
            ingest: new PublishingDoraIngestService({
              store,
              events: mockServices.events(),
              logger: mockServices.logger.mock(),
            }),
            httpAuth: mockServices.httpAuth({
              defaultCredentials: mockCredentials.none(),
            }),
            auth: mockServices.auth(),
            permissions: mockServices.permissions(),
            catalog: catalogServiceMock({ entities: moved }),
            auditor: mockServices.auditor.mock(),
            logger: mockServices.logger.mock(),
          }),
        );
        const storefront = (await teamsOf(undefined, other)).get(
          'group:default/storefront',
        )!;
        expect(storefront.entityRefs).toEqual([CHECKOUT, LEDGER]);
        expect(storefront.deploymentFrequency.deployments).toBe(3);
      });

      it('keeps nothing for a window that does not start and end at midnight UTC', async () => {
        await seed();
        const res = await get(
          '/v1/teams?from=2026-01-05T12:00:00Z&to=2026-02-02T00:00:00Z&type=team',
        );
        expect(res.body.teams).toHaveLength(3);
        expect(await knex('dora_scope_figures').pluck('scope_ref')).toEqual([]);
      });

      it('forgets every kept figure when the production environments change (every link may have changed)', async () => {
        await seed();
        await teamsOf();
        expect(
          (await knex('dora_scope_figures').pluck('scope_ref')).length,
        ).toBe(3);
        await DatabaseDoraStore.create({
          database: mockServices.database({ knex }),
          productionEnvironments: ['live'],
        });
        expect(await knex('dora_scope_figures').pluck('scope_ref')).toEqual([]);
      });

      it('does not raise the data version for a re-send that changes nothing', async () => {
        await seed();
        const versions = async () =>
          knex('dora_entities').orderBy('entity_ref').pluck('version');
        const before = await versions();
        await seed();
        expect(await versions()).toEqual(before);
        await store.ingest([
          doraEventSchema.parse(
            change('pr-c2', CHECKOUT, 'c2', '2026-01-08T09:00:00Z'),
          ),
        ]);
        expect((await versions()).map(Number)).toEqual(
          before.map((v, i) => Number(v) + (i === 0 ? 1 : 0)),
        );
      });
    });

    it('requires a principal', async () => {
      expect((await request(app).get(`/v1/teams?${WINDOW}`)).status).toBe(401);
    });
  },
);
