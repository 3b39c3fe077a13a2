import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  doraEventSchema,
  DoraEventInput,
  DoraFlowTeam,
} from '@vitals/plugin-dora-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseDoraStore } from '../database/DatabaseDoraStore';
import { PublishingDoraIngestService } from '../ingest/DoraIngestService';
import { keptWindows, refreshFlowTeamFigures } from './flowTeams';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

const USER = mockCredentials.user.header('user:default/guest');
const MINUTE = 60_000;
const NOW = Date.parse('2026-01-21T10:00:00Z');
/** The Flow page's 30-day window at NOW: `[tomorrow − 30 days, tomorrow)`. */
const WINDOW = {
  from: '2025-12-23T00:00:00.000Z',
  to: '2026-01-22T00:00:00.000Z',
};

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const group = (
  name: string,
  type: string,
  children: string[] = [],
  owns: string[] = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type, children },
  relations: [
    ...children.map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
    ...owns.map(c => ({
      type: 'ownerOf',
      targetRef: `component:default/${c}`,
    })),
  ],
});

const ENTITIES: Entity[] = [
  component('payments-api', 'group:default/payments'),
  component('ledger-service', 'group:default/payments-sre'),
  component('checkout-api', 'group:default/storefront'),
  group('engineering', 'department', ['payments', 'storefront']),
  group('payments', 'team', ['payments-sre'], ['payments-api']),
  group('payments-sre', 'team', [], ['ledger-service']),
  group('storefront', 'team', [], ['checkout-api']),
  // Owns nothing: kept with empty figures, never listed.
  group('platform', 'team'),
];
const GROUPS = ENTITIES.filter(e => e.kind === 'Group').length;

const pr = (
  id: string,
  entity: string,
  fields: Record<string, string | number>,
): DoraEventInput =>
  ({
    type: 'change',
    id,
    entityRef: `component:default/${entity}`,
    sha: `sha-${id}`,
    ...fields,
  } as DoraEventInput);
const deployment = (
  id: string,
  entity: string,
  finishedAt: string,
  shas: string[],
): DoraEventInput => ({
  type: 'deployment',
  id,
  entityRef: `component:default/${entity}`,
  environment: 'production',
  status: 'success',
  finishedAt,
  commitShas: shas,
});

/*
 * Minutes per pull request (worked by hand from the events):
 *
 * | PR | entity         | coding | pickup | review | deploy | lines       |
 * | p1 | payments-api   |     60 |    240 |     60 |     60 | 250         |
 * | p2 | payments-api   |      - |      - |      - |      - | 50, no review |
 * | l1 | ledger-service |    120 |    600 |    120 |    120 | 600 (large) |
 * | c1 | checkout-api   |      - |     30 |     30 |     60 | 100         |
 * | c2 | checkout-api   |      - |    120 |    120 |      - | 300         |
 *
 * Payments pools p1, p2, l1 (payments-sre is its child); Storefront c1, c2; Engineering all five.
 */
const EVENTS: DoraEventInput[] = [
  pr('p1', 'payments-api', {
    authoredAt: '2026-01-06T07:00:00Z',
    createdAt: '2026-01-06T08:00:00Z',
    firstReviewAt: '2026-01-06T12:00:00Z',
    mergedAt: '2026-01-06T13:00:00Z',
    additions: 200,
    deletions: 50,
  }),
  deployment('d-p1', 'payments-api', '2026-01-06T14:00:00Z', ['sha-p1']),
  pr('p2', 'payments-api', {
    createdAt: '2026-01-08T08:00:00Z',
    mergedAt: '2026-01-08T09:00:00Z',
    additions: 40,
    deletions: 10,
  }),
  pr('l1', 'ledger-service', {
    authoredAt: '2026-01-07T06:00:00Z',
    createdAt: '2026-01-07T08:00:00Z',
    firstReviewAt: '2026-01-07T18:00:00Z',
    mergedAt: '2026-01-07T20:00:00Z',
    additions: 600,
  }),
  deployment('d-l1', 'ledger-service', '2026-01-07T22:00:00Z', ['sha-l1']),
  pr('c1', 'checkout-api', {
    createdAt: '2026-01-08T08:00:00Z',
    firstReviewAt: '2026-01-08T08:30:00Z',
    mergedAt: '2026-01-08T09:00:00Z',
    additions: 100,
  }),
  deployment('d-c1', 'checkout-api', '2026-01-08T10:00:00Z', ['sha-c1']),
  pr('c2', 'checkout-api', {
    createdAt: '2026-01-09T08:00:00Z',
    firstReviewAt: '2026-01-09T10:00:00Z',
    mergedAt: '2026-01-09T12:00:00Z',
    additions: 300,
  }),
];

/** p3, merged after the first refresh: coding 60, pickup 60, review 30, not deployed, 20 lines. */
const P3 = pr('p3', 'payments-api', {
  authoredAt: '2026-01-20T07:00:00Z',
  createdAt: '2026-01-20T08:00:00Z',
  firstReviewAt: '2026-01-20T09:00:00Z',
  mergedAt: '2026-01-20T09:30:00Z',
  additions: 20,
});

const PAYMENTS_BEFORE = {
  pullRequests: 3,
  unreviewed: 1,
  parts: {
    coding: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
    pickup: { pullRequests: 2, medianMinutes: 420, p75Minutes: 510 },
    review: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
    deploy: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
  },
  size: {
    measured: 3,
    medianLines: 250,
    p75Lines: 425,
    largeThresholdLines: 400,
    large: 1,
    largeShare: 1 / 3,
  },
};
/** With p3: coding [60, 60, 120], pickup [60, 240, 600], review [30, 60, 120], size [20, 50, 250, 600]. */
const PAYMENTS_AFTER = {
  pullRequests: 4,
  unreviewed: 1,
  parts: {
    coding: { pullRequests: 3, medianMinutes: 60, p75Minutes: 90 },
    pickup: { pullRequests: 3, medianMinutes: 240, p75Minutes: 420 },
    review: { pullRequests: 3, medianMinutes: 60, p75Minutes: 90 },
    deploy: { pullRequests: 2, medianMinutes: 90, p75Minutes: 105 },
  },
  size: {
    measured: 4,
    medianLines: 150,
    p75Lines: 337.5,
    largeThresholdLines: 400,
    large: 1,
    largeShare: 0.25,
  },
};
const STOREFRONT = {
  pullRequests: 2,
  unreviewed: 0,
  parts: {
    coding: { pullRequests: 0, medianMinutes: null, p75Minutes: null },
    pickup: { pullRequests: 2, medianMinutes: 75, p75Minutes: 97.5 },
    review: { pullRequests: 2, medianMinutes: 75, p75Minutes: 97.5 },
    deploy: { pullRequests: 1, medianMinutes: 60, p75Minutes: 60 },
  },
  size: {
    measured: 2,
    medianLines: 200,
    p75Lines: 250,
    largeThresholdLines: 400,
    large: 0,
    largeShare: 0,
  },
};

const figuresOf = (team: DoraFlowTeam) => {
  const { entityRef, title, type, waiting, computedAt, ...figures } = team;
  return figures;
};

describe.each(databases.eachSupportedId())(
  'the flow org page kept up to date on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseDoraStore;
    let app: express.Express;
    let clock: number;

    const routerApp = async (
      entities: Entity[] = ENTITIES,
      on: DatabaseDoraStore = store,
    ) =>
      routerTestApp(
        await createRouter({
          store: on,
          ingest: new PublishingDoraIngestService({
            store: on,
            events: mockServices.events(),
            logger: mockServices.logger.mock(),
          }),
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
          auth: mockServices.auth(),
          permissions: mockServices.permissions(),
          catalog: catalogServiceMock({ entities }),
          auditor: mockServices.auditor.mock(),
          logger: mockServices.logger.mock(),
          flowTeamFigures: { maxStaleMs: 15 * MINUTE },
          now: () => clock,
        }),
      );

    const ingest = (events: DoraEventInput[]) =>
      store.ingest(events.map(e => doraEventSchema.parse(e)));

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      app = await routerApp();
      clock = NOW;
      await ingest(EVENTS);
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const refresh = (at: number, on: DatabaseDoraStore = store) =>
      refreshFlowTeamFigures({
        stores: { flow: on.flow, figures: on.flowFigures },
        catalog: catalogServiceMock({ entities: ENTITIES }),
        credentials: mockCredentials.service(),
        now: at,
        settings: { largePrLines: 400 },
        teamFigures: { maxStaleMs: 15 * MINUTE },
      });
    const teams = async (
      query: object = { ...WINDOW, type: 'team' },
      on = app,
    ): Promise<Map<string, DoraFlowTeam>> => {
      const res = await request(on)
        .get('/v1/flow/teams')
        .query(query)
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      return new Map(
        (res.body.teams as DoraFlowTeam[]).map(t => [t.entityRef, t]),
      );
    };
    /** What GET /v1/flow computes for the group from every pull request, on this request. */
    const exact = async (entityRef: string, window: object = WINDOW) => {
      const res = await request(app)
        .get('/v1/flow')
        .query({ entityRef, ...window })
        .set('Authorization', USER);
      const { parts, size, pullRequests, unreviewed } = res.body;
      return { pullRequests, unreviewed, parts, size };
    };
    const keptRows = () =>
      knex('dora_flow_figures')
        .orderBy(['scope_ref', 'window_from'])
        .select('scope_ref', 'window_from', 'window_to', 'computed_at');
    /** Changes what is kept for a group in every window, so that a test can tell kept figures from computed ones. */
    const markKept = async (scopeRef: string) => {
      for (const row of await knex('dora_flow_figures').where({
        scope_ref: scopeRef,
      })) {
        const figures = JSON.parse(row.figures);
        figures.pullRequests = 999;
        await knex('dora_flow_figures')
          .where({
            scope_ref: scopeRef,
            window_from: row.window_from,
            window_to: row.window_to,
          })
          .update({ figures: JSON.stringify(figures) });
      }
    };

    it('keeps every group for the Flow page windows and serves those figures, each what GET /v1/flow computes', async () => {
      expect(await refresh(NOW)).toEqual({
        groups: GROUPS,
        windows: 3,
        computed: GROUPS * 3,
      });
      const rows = await keptRows();
      expect(rows).toHaveLength(GROUPS * 3);
      expect(
        rows
          .filter(r => r.scope_ref === 'group:default/payments')
          .map(r => [
            new Date(Number(r.window_from)).toISOString(),
            new Date(Number(r.window_to)).toISOString(),
          ]),
      ).toEqual([
        ['2025-07-26T00:00:00.000Z', '2026-01-22T00:00:00.000Z'],
        ['2025-10-24T00:00:00.000Z', '2026-01-22T00:00:00.000Z'],
        ['2025-12-23T00:00:00.000Z', '2026-01-22T00:00:00.000Z'],
      ]);

      clock = NOW + 3 * MINUTE;
      const served = await teams();
      expect([...served.keys()]).toEqual([
        'group:default/payments',
        'group:default/payments-sre',
        'group:default/storefront',
      ]);
      expect(figuresOf(served.get('group:default/payments')!)).toEqual(
        PAYMENTS_BEFORE,
      );
      expect(figuresOf(served.get('group:default/storefront')!)).toEqual(
        STOREFRONT,
      );
      for (const [ref, team] of served) {
        expect(figuresOf(team)).toEqual(await exact(ref));
        // Computed by the refresh, not on this request.
        expect(team.computedAt).toBe(new Date(NOW).toISOString());
      }
      const department = await teams({ ...WINDOW, type: 'department' });
      expect(figuresOf(department.get('group:default/engineering')!)).toEqual(
        await exact('group:default/engineering'),
      );

      // Served from what is kept: a kept row changed by hand shows.
      await markKept('group:default/storefront');
      expect(
        (await teams()).get('group:default/storefront')!.pullRequests,
      ).toBe(999);
    });

    it('serves kept figures while at most the max staleness old after a write, and the figures of the data after a refresh', async () => {
      await refresh(NOW);
      clock = NOW + MINUTE;
      await ingest([P3]);

      // Written since: Payments (and Engineering, which pools it) still show what was computed at NOW.
      clock = NOW + 5 * MINUTE;
      const stale = await teams();
      expect(figuresOf(stale.get('group:default/payments')!)).toEqual(
        PAYMENTS_BEFORE,
      );
      expect(stale.get('group:default/payments')!.computedAt).toBe(
        new Date(NOW).toISOString(),
      );
      expect(await exact('group:default/payments')).toEqual(PAYMENTS_AFTER);

      // The refresh computes only the groups that pool the written entity, in each window.
      clock = NOW + 6 * MINUTE;
      expect(await refresh(clock)).toEqual({
        groups: GROUPS,
        windows: 3,
        computed: 2 * 3,
      });
      const fresh = await teams();
      for (const [ref, team] of fresh)
        expect(figuresOf(team)).toEqual(await exact(ref));
      expect(figuresOf(fresh.get('group:default/payments')!)).toEqual(
        PAYMENTS_AFTER,
      );
      expect(fresh.get('group:default/payments')!.computedAt).toBe(
        new Date(NOW + 6 * MINUTE).toISOString(),
      );
      expect(fresh.get('group:default/storefront')!.computedAt).toBe(
        new Date(NOW).toISOString(),
      );
      const department = await teams({ ...WINDOW, type: 'department' });
      expect(figuresOf(department.get('group:default/engineering')!)).toEqual(
        await exact('group:default/engineering'),
      );

      // Nothing written since: a refresh computes nothing, and kept figures are served whatever their age.
      expect((await refresh(clock + MINUTE)).computed).toBe(0);
      clock = NOW + 12 * 60 * MINUTE;
      expect((await teams()).get('group:default/storefront')!.computedAt).toBe(
        new Date(NOW).toISOString(),
      );
    });

    it('computes on the request the groups whose kept figures are too old for the data, and keeps them', async () => {
      await refresh(NOW);
      await markKept('group:default/storefront');
      await ingest([P3]);
      clock = NOW + 16 * MINUTE;
      const served = await teams();
      expect(figuresOf(served.get('group:default/payments')!)).toEqual(
        PAYMENTS_AFTER,
      );
      expect(served.get('group:default/payments')!.computedAt).toBe(
        new Date(clock).toISOString(),
      );
      // Storefront was not written: its kept figures hold, however old.
      expect(served.get('group:default/storefront')!.pullRequests).toBe(999);
      const kept = await knex('dora_flow_figures').where({
        scope_ref: 'group:default/payments',
        window_from: Date.parse(WINDOW.from),
      });
      expect(kept.map(r => Number(r.computed_at))).toEqual([clock]);
      expect(JSON.parse(kept[0].figures)).toEqual(PAYMENTS_AFTER);
    });

    it('keeps another window of whole days on its first request; computes a window that is not and keeps nothing', async () => {
      const january = { from: '2026-01-01', to: '2026-01-08' };
      const first = await teams({ ...january, type: 'team' });
      expect(figuresOf(first.get('group:default/payments')!)).toEqual(
        await exact('group:default/payments', january),
      );
      expect((await keptRows()).map(r => r.scope_ref)).toEqual([
        'group:default/payments',
        'group:default/payments-sre',
        'group:default/platform',
        'group:default/storefront',
      ]);
      await markKept('group:default/payments');
      expect(
        (await teams({ ...january, type: 'team' })).get(
          'group:default/payments',
        )!.pullRequests,
      ).toBe(999);

      await knex('dora_flow_figures').delete();
      const partDays = {
        from: '2026-01-01T12:00:00Z',
        to: '2026-01-08T00:00:00Z',
      };
      const computed = await teams({ ...partDays, type: 'team' });
      expect(figuresOf(computed.get('group:default/payments')!)).toEqual(
        await exact('group:default/payments', partDays),
      );
      expect(await keptRows()).toEqual([]);
    });

    it('computes a group again when the catalog pools other entities for it', async () => {
      await refresh(NOW);
      await markKept('group:default/storefront');
      // The storefront now also owns the ledger.
      const moved = ENTITIES.map(e =>
        e.metadata.name === 'storefront'
          ? group('storefront', 'team', [], ['checkout-api', 'ledger-service'])
          : e,
      );
      const storefront = (await teams(undefined, await routerApp(moved))).get(
        'group:default/storefront',
      )!;
      expect(storefront.pullRequests).toBe(3);
      expect(storefront.computedAt).toBe(new Date(NOW).toISOString());
    });

    it('keeps one row per group and window with two replicas refreshing and serving at once, the newest', async () => {
      const other = await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
      });
      const otherApp = await routerApp(ENTITIES, other);
      await Promise.all([
        refresh(NOW, store),
        refresh(NOW, other),
        teams(undefined, app),
        teams(undefined, otherApp),
      ]);
      expect(await keptRows()).toHaveLength(GROUPS * 3);

      await ingest([P3]);
      expect((await refresh(NOW + 10 * MINUTE, other)).computed).toBe(2 * 3);
      expect((await refresh(NOW + 10 * MINUTE, store)).computed).toBe(0);
      // A replica that read the data earlier and writes later does not replace newer figures.
      await store.flowFigures.keep(
        {
          from: Date.parse(WINDOW.from),
          to: Date.parse(WINDOW.to),
          largePrLines: 400,
        },
        NOW + 5 * MINUTE,
        [
          {
            scopeRef: 'group:default/payments',
            membersHash: 'from before the write',
            dataVersion: '0',
            figures: JSON.stringify(PAYMENTS_BEFORE),
          },
        ],
      );
      const rows = await keptRows();
      expect(rows).toHaveLength(GROUPS * 3);
      expect(
        rows
          .filter(r => r.scope_ref === 'group:default/payments')
          .map(r => Number(r.computed_at)),
      ).toEqual([NOW + 10 * MINUTE, NOW + 10 * MINUTE, NOW + 10 * MINUTE]);
      clock = NOW + 11 * MINUTE;
      for (const on of [app, otherApp])
        expect(
          figuresOf(
            (await teams(undefined, on)).get('group:default/payments')!,
          ),
        ).toEqual(PAYMENTS_AFTER);
    });

    it('drops figures computed more than a day ago, and every kept figure when the production environments change', async () => {
      await teams({ from: '2026-01-01', to: '2026-01-08', type: 'team' });
      expect(await keptRows()).toHaveLength(4);
      await refresh(NOW + 25 * 60 * MINUTE);
      // The January window's are gone; the refresh kept the Flow page's windows of that day.
      expect(new Set((await keptRows()).map(r => Number(r.window_to)))).toEqual(
        new Set([Date.parse('2026-01-23T00:00:00Z')]),
      );
      await DatabaseDoraStore.create({
        database: mockServices.database({ knex }),
        productionEnvironments: ['live'],
      });
      expect(await keptRows()).toEqual([]);
    });
  },
);

describe('keptWindows', () => {
  const iso = (windows: Array<{ from: number; to: number }>) =>
    windows.map(w => [
      new Date(w.from).toISOString().slice(0, 10),
      new Date(w.to).toISOString().slice(0, 10),
    ]);

  it("keeps the Flow page's windows of today, and within the staleness bound of midnight tomorrow's too", () => {
    const bound = 15 * 60_000;
    expect(iso(keptWindows(Date.parse('2026-01-21T10:00:00Z'), bound))).toEqual(
      [
        ['2025-12-23', '2026-01-22'],
        ['2025-10-24', '2026-01-22'],
        ['2025-07-26', '2026-01-22'],
      ],
    );
    expect(
      iso(keptWindows(Date.parse('2026-01-21T23:44:00Z'), bound)),
    ).toHaveLength(3);
    expect(iso(keptWindows(Date.parse('2026-01-21T23:45:00Z'), bound))).toEqual(
      [
        ['2025-12-23', '2026-01-22'],
        ['2025-10-24', '2026-01-22'],
        ['2025-07-26', '2026-01-22'],
        ['2025-12-24', '2026-01-23'],
        ['2025-10-25', '2026-01-23'],
        ['2025-07-27', '2026-01-23'],
      ],
    );
    // Midnight starts a new day.
    expect(
      iso(keptWindows(Date.parse('2026-01-22T00:00:00Z'), bound))[0],
    ).toEqual(['2025-12-24', '2026-01-23']);
  });
});
