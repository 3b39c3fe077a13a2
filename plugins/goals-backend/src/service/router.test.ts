import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { routerTestApp } from '@vitals/backend-test-utils';
import { DoraClient } from '@vitals/plugin-dora-common';
import { OnboardingClient } from '@vitals/plugin-onboarding-common';
import { OwnershipClient } from '@vitals/plugin-ownership-common';
import { PostmortemsClient } from '@vitals/plugin-postmortems-common';
import { ScorecardsClient } from '@vitals/plugin-scorecards-common';
import { TechDebtClient } from '@vitals/plugin-tech-debt-common';
import express from 'express';
import { Knex } from 'knex';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { DatabaseGoalsStore } from '../database/DatabaseGoalsStore';
import { CampaignEvaluator } from './CampaignEvaluator';
import { AreaClients, AreaFigureReader } from './FigureReader';
import { createRouter } from './router';
import { Snapshotter } from './Snapshotter';
import { StakeholderReporter } from '../report/StakeholderReporter';

jest.setTimeout(30_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const USER = mockCredentials.user.header('user:default/guest');
const SERVICE = mockCredentials.service.header();
const NOW = new Date('2026-11-16T00:00:00Z');

// The areas' APIs, served over HTTP to the real typed clients.
const AREAS = 'http://areas.test/api';
const server = setupServer();
// supertest's own requests to the router go through; any other request no handler answers is an error.
beforeAll(() =>
  server.listen({
    onUnhandledRequest: (req, print) => {
      if (new URL(req.url).hostname !== '127.0.0.1') print.error();
    },
  }),
);
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const discoveryApi = { getBaseUrl: async (id: string) => `${AREAS}/${id}` };
const clients: AreaClients = {
  dora: new DoraClient({ discoveryApi }),
  scorecards: new ScorecardsClient({ discoveryApi }),
  ownership: new OwnershipClient({ discoveryApi }),
  onboarding: new OnboardingClient({ discoveryApi }),
  techDebt: new TechDebtClient({ discoveryApi }),
  postmortems: new PostmortemsClient({ discoveryApi }),
};

const owned = (name: string, owner: string, tags: string[] = []): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', tags },
  spec: { type: 'service', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const ENTITIES = [
  owned('payments-api', 'payments'),
  owned('ledger-service', 'payments'),
  owned('checkout-api', 'storefront'),
  group('payments'),
  group('storefront'),
];

/** DORA metrics: Payments' lead time is 36 hours; Storefront's area fails. */
function doraHandlers() {
  return http.get(`${AREAS}/dora/v1/metrics`, ({ request: r }) => {
    const entityRef = new URL(r.url).searchParams.get('entityRef');
    if (entityRef === 'group:default/storefront') {
      return HttpResponse.json(
        {
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 503 },
        },
        { status: 503 },
      );
    }
    return HttpResponse.json({
      entityRef,
      entityRefs: [],
      from: '',
      to: '',
      benchmark: '2023',
      deploymentFrequency: {
        deployments: 10,
        deploymentDays: 8,
        weeklyMedianDeploymentDays: 2,
        monthlyMedianDeploymentDays: 8,
        tier: 'high',
      },
      leadTimeForChanges: { changes: 5, medianMinutes: 2160, tier: 'high' },
      changeFailureRate: {
        deployments: 10,
        failedDeployments: 1,
        rate: 0.1,
        tier: 'elite',
      },
      timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
      reworkRate: { deployments: 10, reworkDeployments: 1, rate: 0.1 },
      failedDeploymentRecoveryTime: {
        recoveredDeployments: 0,
        unrecoveredDeployments: 0,
        medianMinutes: null,
        tier: null,
      },
    });
  });
}

const check = (checkId: string, passed: boolean, waived = false) => ({
  checkId,
  value: passed,
  passed,
  score: passed ? 100 : 0,
  message: passed ? null : 'no',
  waiver: waived
    ? {
        id: 'w1',
        reason: 'Docs live in the wiki',
        expiresAt: '2027-01-01T00:00:00Z',
        createdBy: 'user:default/guest',
      }
    : null,
});

/** Calls of scorecards' batch read: a campaign reads its entities' results a batch at a time, not one by one. */
let batchCalls: string[][] = [];

/** payments-api passes, ledger-service fails with a waiver, checkout-api fails. */
function scorecardsHandlers() {
  const outcome: Record<string, ReturnType<typeof check>> = {
    'component:default/payments-api': check('has-techdocs', true),
    'component:default/ledger-service': check('has-techdocs', false, true),
    'component:default/checkout-api': check('has-techdocs', false),
  };
  const resultsOf = (entityRef: string) => ({
    entityRef,
    results: [
      {
        entityRef,
        scorecardId: 'production-readiness',
        levelId: 'bronze',
        levelIndex: 0,
        score: 50,
        checks: [outcome[entityRef]],
        ownerRef: null,
        systemRef: null,
        evaluatedAt: NOW.toISOString(),
        changedAt: NOW.toISOString(),
      },
    ],
  });
  return [
    http.get(`${AREAS}/scorecards/v1/entities/results`, ({ request: r }) =>
      HttpResponse.json(
        resultsOf(new URL(r.url).searchParams.get('entityRef')!),
      ),
    ),
    http.post(
      `${AREAS}/scorecards/v1/entities/results/batch`,
      async ({ request: r }) => {
        const { entityRefs } = (await r.json()) as { entityRefs: string[] };
        batchCalls.push(entityRefs);
        return HttpResponse.json({ entities: entityRefs.map(resultsOf) });
      },
    ),
  ];
}

/** Payments reserved 20 days for debt in 2026-Q4 and paid down 17; Storefront set no budget. */
function budgetHandlers() {
  return http.get(
    `${AREAS}/tech-debt/v1/budgets/:quarter`,
    ({ request: r, params }) => {
      const groupRef = new URL(r.url).searchParams.get('groupRef');
      const set = groupRef === 'group:default/payments';
      return HttpResponse.json({
        groupRef,
        quarter: params.quarter,
        capacityDays: set ? 100 : null,
        sharePercent: set ? 20 : null,
        reservedDays: set ? 20 : null,
        paidDownDays: set ? 17 : 0,
        resolvedCount: 0,
        version: null,
        updatedAt: null,
        updatedBy: null,
      });
    },
  );
}

const leadTime = (team: string) => ({
  source: 'dora',
  metric: 'leadTimeForChanges',
  scope: { kind: 'team', ref: `group:default/${team}` },
});

describe('createRouter', () => {
  let knex: Knex;
  let app: express.Express;
  let permissions: ReturnType<typeof mockServices.permissions.mock>;
  let admin: boolean;
  let auditor: ReturnType<typeof mockServices.auditor.mock>;
  /** Whose credentials the promote route called scorecards with. */
  let scorecardsCallers: BackstageCredentials[];

  beforeEach(async () => {
    scorecardsCallers = [];
    batchCalls = [];
    server.use(doraHandlers(), ...scorecardsHandlers(), budgetHandlers());
    knex = await databases.init('SQLITE_3');
    const store = await DatabaseGoalsStore.create({
      database: mockServices.database({ knex }),
    });
    admin = true;
    // Team goals of Storefront are refused; admin-only permissions follow `admin`.
    permissions = mockServices.permissions.mock({
      authorize: jest.fn(async (requests: AuthorizePermissionRequest[]) =>
        requests.map(r => {
          const refused =
            r.resourceRef === 'group:default/storefront' ||
            (!('resourceRef' in r && r.resourceRef) && !admin);
          return {
            result: refused ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
          };
        }),
      ),
    });
    auditor = mockServices.auditor.mock();
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const reader = new AreaFigureReader(
      clients,
      async () => 'group:default/engineering',
    );
    const evaluator = new CampaignEvaluator({
      catalog,
      scorecards: clients.scorecards,
      techDebt: clients.techDebt,
      credentials: async () => mockCredentials.service(),
    });
    const logger = mockServices.logger.mock();
    const router = await createRouter({
      store,
      reader,
      evaluator,
      snapshotter: new Snapshotter({ store, reader, evaluator, logger }),
      reporter: new StakeholderReporter({
        store,
        catalog,
        dora: clients.dora,
        techDebt: clients.techDebt,
        orgGroupRef: async () => 'group:default/engineering',
        credentials: async () => mockCredentials.service(),
      }),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auditor,
      logger,
      scorecardsAs: credentials => {
        scorecardsCallers.push(credentials);
        return new ScorecardsClient({ discoveryApi });
      },
      now: () => NOW,
      validateResponses: true,
    });
    app = routerTestApp(router);
  });

  afterEach(async () => {
    await knex.destroy();
  });

  describe('POST /v1/figures/preview', () => {
    it('shows the live figure and the baseline a goal would record', async () => {
      const res = await request(app)
        .post('/v1/figures/preview')
        .set('Authorization', USER)
        .send({ figure: leadTime('payments'), period: '2026-Q4' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        value: 36,
        unit: 'hours',
        label: 'Lead time for changes',
        better: 'down',
        available: true,
        manual: false,
        baseline: 36,
        baselineAt: NOW.toISOString(),
      });
      const later = await request(app)
        .post('/v1/figures/preview')
        .set('Authorization', SERVICE)
        .send({ figure: leadTime('payments'), period: '2027-Q1' });
      expect(later.body).toMatchObject({
        value: 36,
        baseline: null,
        baselineAt: '2027-01-01T00:00:00.000Z',
      });
    });

    it('reads postmortem coverage for an entity, a team and the org, in percent, over the window asked', async () => {
      const asked: string[] = [];
      const figures = (coverage: number | null) => ({
        incidents: 5,
        due: 5,
        published: 4,
        coverage,
        missing: 1,
        openActionItems: 0,
        overdueActionItems: 0,
      });
      server.use(
        http.get(`${AREAS}/postmortems/v1/entity-figures`, ({ request: r }) => {
          asked.push(r.url);
          return HttpResponse.json({
            from: '',
            to: '',
            entities: [
              {
                entityRef: 'component:default/payments-api',
                ...figures(2 / 3),
              },
            ],
          });
        }),
        http.get(`${AREAS}/postmortems/v1/coverage`, ({ request: r }) => {
          asked.push(r.url);
          const team = new URL(r.url).searchParams.get('team');
          return HttpResponse.json({
            total: figures(team ? 0.8 : null),
          });
        }),
      );
      const preview = async (scope: object) =>
        (
          await request(app)
            .post('/v1/figures/preview')
            .set('Authorization', USER)
            .send({
              figure: {
                source: 'postmortems',
                metric: 'coverage',
                scope,
                params: { windowDays: 30 },
              },
            })
        ).body;
      expect(
        await preview({
          kind: 'entity',
          ref: 'component:default/payments-api',
        }),
      ).toMatchObject({
        value: 66.67,
        unit: '%',
        label: 'Postmortem coverage',
        better: 'up',
        available: true,
      });
      expect(
        await preview({ kind: 'team', ref: 'group:default/payments' }),
      ).toMatchObject({ value: 80, available: true });
      // The org with no postmortem due yet: available, but no data.
      expect(await preview({ kind: 'org' })).toMatchObject({
        value: null,
        available: true,
        reason: 'No data for this scope yet',
      });
      const params = asked.map(u => new URL(u).searchParams);
      expect(params[0].get('entityRef')).toBe('component:default/payments-api');
      expect(params[1].get('team')).toBe('group:default/payments');
      expect(params[2].has('team')).toBe(false);
      for (const p of params)
        expect(Date.parse(p.get('to')!) - Date.parse(p.get('from')!)).toBe(
          30 * 86_400_000,
        );
    });

    it('names the bad field of a descriptor with a 400', async () => {
      const res = await request(app)
        .post('/v1/figures/preview')
        .set('Authorization', USER)
        .send({
          figure: { ...leadTime('payments'), metric: 'velocity' },
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "Invalid preview: figure.metric: 'velocity' is not a metric of dora",
      );
      const noRef = await request(app)
        .post('/v1/figures/preview')
        .set('Authorization', USER)
        .send({
          figure: {
            source: 'dora',
            metric: 'reworkRate',
            scope: { kind: 'entity' },
          },
        });
      expect(noRef.status).toBe(400);
      expect(noRef.body.error.message).toMatch(
        /figure\.scope\.ref: must be an entity ref/,
      );
    });

    it('says the figure is unavailable, and why, when its area fails; never a 500', async () => {
      const res = await request(app)
        .post('/v1/figures/preview')
        .set('Authorization', USER)
        .send({ figure: leadTime('storefront') });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        value: null,
        available: false,
        reason: 'The dora area answered 503: database is down',
      });
    });

    it('needs a principal', async () => {
      const res = await request(app)
        .post('/v1/figures/preview')
        .send({ figure: leadTime('payments') });
      expect(res.status).toBe(401);
    });
  });

  describe('goals', () => {
    const newGoal = {
      objective: 'Ship smaller changes, faster',
      ownerRef: 'payments',
      keyResults: [
        {
          title: 'Lead time under a day',
          figure: leadTime('payments'),
          target: 24,
        },
      ],
    };

    it('creates a goal in the current quarter with the live figure as baseline, and lists it', async () => {
      const res = await request(app)
        .post('/v1/goals')
        .set('Authorization', USER)
        .send(newGoal);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        ownerRef: 'group:default/payments',
        period: '2026-Q4',
        version: 1,
        createdBy: 'user:default/guest',
        keyResults: [
          {
            baseline: 36,
            current: 36,
            direction: 'down',
            progress: 0,
            // Set today: the expected line starts today.
            expectedProgress: 0,
            status: 'on_track',
            trend: [{ day: '2026-11-16', value: 36 }],
          },
        ],
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'goals-goal-create' }),
      );
      const list = await request(app)
        .get('/v1/goals')
        .query({ owner: 'group:default/payments', period: '2026-Q4' })
        .set('Authorization', SERVICE);
      expect(list.body.totalCount).toBe(1);
      expect(list.body.goals[0].keyResults[0].trend).toBeUndefined();
    });

    it('refuses writes by services, by non-members, and stale versions', async () => {
      expect(
        (
          await request(app)
            .post('/v1/goals')
            .set('Authorization', SERVICE)
            .send(newGoal)
        ).status,
      ).toBe(403);
      const refused = await request(app)
        .post('/v1/goals')
        .set('Authorization', USER)
        .send({
          ...newGoal,
          ownerRef: 'group:default/storefront',
          keyResults: [
            { ...newGoal.keyResults[0], figure: leadTime('storefront') },
          ],
        });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(
        /only its members and admins may/,
      );
      admin = false;
      const org = await request(app)
        .post('/v1/goals')
        .set('Authorization', USER)
        .send({ ...newGoal, ownerRef: undefined });
      expect(org.status).toBe(403);
      expect(org.body.error.message).toMatch(/goals\.org-goal\.manage/);

      const created = (
        await request(app)
          .post('/v1/goals')
          .set('Authorization', USER)
          .send(newGoal)
      ).body;
      const first = await request(app)
        .patch(`/v1/goals/${created.id}`)
        .set('Authorization', USER)
        .send({ version: 1, objective: 'Faster' });
      expect(first.status).toBe(200);
      const stale = await request(app)
        .patch(`/v1/goals/${created.id}`)
        .set('Authorization', USER)
        .send({ version: 1, objective: 'Stale' });
      expect(stale.status).toBe(409);
      const gone = await request(app)
        .delete(`/v1/goals/${created.id}?version=2`)
        .set('Authorization', USER);
      expect(gone.status).toBe(204);
      const events = await request(app)
        .get(`/v1/goals/${created.id}/events`)
        .set('Authorization', USER);
      expect(
        events.body.events.map((e: { action: string }) => e.action),
      ).toEqual(['created', 'updated', 'deleted']);
    });

    it('refuses a group that is not in the catalog, and a typed-in value for a live figure', async () => {
      const missing = await request(app)
        .post('/v1/goals')
        .set('Authorization', USER)
        .send({ ...newGoal, ownerRef: 'group:default/nobody' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toBe(
        "Invalid goal: ownerRef: no group 'group:default/nobody' in the catalog",
      );
      const created = (
        await request(app)
          .post('/v1/goals')
          .set('Authorization', USER)
          .send(newGoal)
      ).body;
      const typed = await request(app)
        .put(
          `/v1/goals/${created.id}/key-results/${created.keyResults[0].id}/value`,
        )
        .set('Authorization', USER)
        .send({ version: 1, value: 3 });
      expect(typed.status).toBe(400);
      expect(typed.body.error.message).toMatch(/is read, not typed in/);
    });
  });

  describe('campaigns', () => {
    const newCampaign = {
      name: 'TechDocs for every service',
      checks: [
        { scorecardId: 'production-readiness', checkId: 'has-techdocs' },
      ],
      selection: { kind: ['component'] },
      deadline: '2026-12-15',
      effortDaysPerEntity: 2,
    };

    it('previews who is asked what, and each team against its debt capacity', async () => {
      const res = await request(app)
        .post('/v1/campaigns/preview')
        .set('Authorization', USER)
        .send(newCampaign);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ entities: 3, done: 2, waived: 1 });
      // One call to scorecards for the three entities.
      expect(batchCalls).toHaveLength(1);
      expect([...batchCalls[0]].sort()).toEqual([
        'component:default/checkout-api',
        'component:default/ledger-service',
        'component:default/payments-api',
      ]);
      expect(res.body.entityStates).toEqual([
        {
          entityRef: 'component:default/checkout-api',
          ownerRef: 'group:default/storefront',
          state: 'open',
          failingChecks: ['production-readiness/has-techdocs'],
          waivedChecks: [],
        },
        {
          entityRef: 'component:default/ledger-service',
          ownerRef: 'group:default/payments',
          state: 'waived',
          failingChecks: [],
          waivedChecks: ['production-readiness/has-techdocs'],
        },
        {
          entityRef: 'component:default/payments-api',
          ownerRef: 'group:default/payments',
          state: 'done',
          failingChecks: [],
          waivedChecks: [],
        },
      ]);
      // Payments: nothing left (both done); 20 reserved, 3 still available.
      expect(res.body.teams[0]).toMatchObject({
        ownerRef: 'group:default/payments',
        remainingEffortDays: 0,
        capacity: {
          quarter: '2026-Q4',
          reservedDays: 20,
          availableDays: 3,
          sharePercent: 0,
          feasible: true,
        },
      });
      // Storefront: 2 days left, no budget set: it says so.
      expect(res.body.teams[1]).toMatchObject({
        ownerRef: 'group:default/storefront',
        remainingEffortDays: 2,
        capacity: {
          reservedDays: null,
          feasible: null,
          reason: 'group:default/storefront has set no debt budget for 2026-Q4',
        },
      });
    });

    it('lets admins alone launch a campaign, which is snapshotted at once', async () => {
      admin = false;
      expect(
        (
          await request(app)
            .post('/v1/campaigns')
            .set('Authorization', USER)
            .send(newCampaign)
        ).status,
      ).toBe(403);
      admin = true;
      const res = await request(app)
        .post('/v1/campaigns')
        .set('Authorization', USER)
        .send(newCampaign);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'running',
        entities: 3,
        done: 2,
        waived: 1,
        reminderDaysBefore: [14, 7, 1],
        burnUp: expect.arrayContaining([
          {
            day: '2026-11-16',
            ownerRef: null,
            entities: 3,
            done: 2,
            waived: 1,
          },
        ]),
      });
      const byEntity = await request(app)
        .get('/v1/campaigns')
        .query({
          entityRef: 'component:default/checkout-api',
          status: 'running',
        })
        .set('Authorization', SERVICE);
      expect(byEntity.body.campaigns.map((c: { id: string }) => c.id)).toEqual([
        res.body.id,
      ]);
      const past = await request(app)
        .post('/v1/campaigns')
        .set('Authorization', USER)
        .send({ ...newCampaign, deadline: '2026-11-01' });
      expect(past.status).toBe(400);
      expect(past.body.error.message).toBe(
        'Invalid campaign: deadline: must not be in the past',
      );
    });

    describe('POST /v1/campaigns/:id/promote', () => {
      const promotions: unknown[] = [];
      /** Scorecards' promotions endpoint: answers what the test sets, and records what it was sent. */
      const scorecardsPromotions = (answer: () => Response) =>
        http.post(
          `${AREAS}/scorecards/v1/promotions`,
          async ({ request: r }) => {
            promotions.push(await r.json());
            return answer();
          },
        );
      const promoted = (
        checks: Array<{ scorecardId: string; checkId: string }>,
      ) =>
        HttpResponse.json(
          {
            promotions: checks.map((c, i) => ({
              id: `9d3c5e1a-2b4f-4a6c-8d7e-00000000000${i}`,
              ...c,
              levelId: 'bronze',
              configuredLevel: 'gold',
              origin: { kind: 'campaign', id: 'x', title: 'x' },
              createdAt: NOW.toISOString(),
              createdBy: 'user:default/guest',
              withdrawnAt: null,
              withdrawnBy: null,
              version: 1,
              applied: true,
            })),
          },
          { status: 201 },
        );

      async function endedCampaign() {
        promotions.length = 0;
        const created = await request(app)
          .post('/v1/campaigns')
          .set('Authorization', USER)
          .send(newCampaign);
        expect(created.status).toBe(201);
        const running = await request(app)
          .post(`/v1/campaigns/${created.body.id}/promote`)
          .set('Authorization', USER)
          .send({ version: created.body.version });
        expect(running.status).toBe(409);
        expect(running.body.error.message).toBe(
          "Campaign 'TechDocs for every service' runs until 2026-12-15: its checks can be made permanent once it has ended",
        );
        const ended = await request(app)
          .patch(`/v1/campaigns/${created.body.id}`)
          .set('Authorization', USER)
          .send({ version: created.body.version, deadline: '2026-11-10' });
        expect(ended.body.status).toBe('ended');
        return ended.body as { id: string; version: number };
      }
      const promote = (id: string, body: object, auth = USER) =>
        request(app)
          .post(`/v1/campaigns/${id}/promote`)
          .set('Authorization', auth)
          .send(body);

      it("promotes an ended campaign's checks in scorecards as the caller, and shows it on the campaign and in its history", async () => {
        const campaign = await endedCampaign();
        server.use(scorecardsPromotions(() => promoted(newCampaign.checks)));
        const res = await promote(campaign.id, { version: campaign.version });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          promotedBy: 'user:default/guest',
          promotedAt: NOW.toISOString(),
          promotedChecks: [
            {
              scorecardId: 'production-readiness',
              checkId: 'has-techdocs',
              levelId: 'bronze',
              promotionId: '9d3c5e1a-2b4f-4a6c-8d7e-000000000000',
            },
          ],
          version: campaign.version + 1,
        });
        expect(promotions).toEqual([
          {
            checks: newCampaign.checks,
            origin: {
              kind: 'campaign',
              id: campaign.id,
              title: 'TechDocs for every service',
            },
          },
        ]);
        // Scorecards was called for the person asking, not as the goals plugin.
        expect(scorecardsCallers).toEqual([
          expect.objectContaining({
            principal: expect.objectContaining({
              type: 'user',
              userEntityRef: 'user:default/guest',
            }),
          }),
        ]);
        const events = await request(app)
          .get(`/v1/campaigns/${campaign.id}/events`)
          .set('Authorization', USER);
        expect(events.body.events.at(-1)).toMatchObject({
          action: 'promoted',
          actor: 'user:default/guest',
          details: { checks: res.body.promotedChecks },
        });
        expect(auditor.createEvent).toHaveBeenCalledWith(
          expect.objectContaining({ eventId: 'goals-campaign-promote' }),
        );
        const again = await promote(campaign.id, { version: res.body.version });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toBe(
          "Campaign 'TechDocs for every service' was already made permanent by user:default/guest on 2026-11-16",
        );
      });

      it("passes on scorecards' refusal and conflicts as its own, and says when scorecards does not answer; the campaign stays unpromoted", async () => {
        const campaign = await endedCampaign();
        const refusal = (status: number, name: string, message: string) => () =>
          HttpResponse.json(
            { error: { name, message }, response: { statusCode: status } },
            { status },
          );
        for (const [status, name, message, expected] of [
          [
            403,
            'NotAllowedError',
            'You may not change the scorecard definitions: that needs the permission scorecards.definition.update',
            403,
          ],
          [
            404,
            'NotFoundError',
            "Scorecard 'production-readiness' has no check 'has-techdocs'",
            404,
          ],
          [
            409,
            'ConflictError',
            "Check 'has-techdocs' of 'production-readiness' is already required at level 'silver'",
            409,
          ],
          [500, 'Error', 'An internal error occurred', 503],
        ] as const) {
          server.use(scorecardsPromotions(refusal(status, name, message)));
          const res = await promote(campaign.id, { version: campaign.version });
          expect({ status, got: res.status }).toEqual({
            status,
            got: expected,
          });
          expect(res.body.error.message).toContain(`Scorecards: ${message}`);
        }
        const read = await request(app)
          .get(`/v1/campaigns/${campaign.id}`)
          .set('Authorization', USER);
        expect(read.body).toMatchObject({
          promotedAt: null,
          promotedChecks: [],
          version: campaign.version,
        });
      });

      it('refuses bad input, a stale version, services and people without the campaign permission before calling scorecards', async () => {
        const campaign = await endedCampaign();
        server.use(scorecardsPromotions(() => promoted(newCampaign.checks)));
        expect((await promote(campaign.id, {})).status).toBe(400);
        expect(
          (await promote(campaign.id, { version: 1, levelId: 'no such' }))
            .status,
        ).toBe(400);
        expect(
          (await promote(campaign.id, { version: campaign.version }, SERVICE))
            .status,
        ).toBe(403);
        expect(
          (
            await promote('6a1b8f5e-1111-4222-8333-444455556666', {
              version: 1,
            })
          ).status,
        ).toBe(404);
        const stale = await promote(campaign.id, { version: 1 });
        expect(stale.status).toBe(409);
        expect(stale.body.error.message).toMatch(/your version 1, current 2/);
        admin = false;
        expect(
          (await promote(campaign.id, { version: campaign.version })).status,
        ).toBe(403);
        expect(promotions).toEqual([]);
      });
    });
  });

  describe('the entity states of a campaign page', () => {
    it('sends as many entity states as asked, and pages them by state, team and text with their total', async () => {
      const launched = await request(app)
        .post('/v1/campaigns')
        .set('Authorization', USER)
        .send({
          name: 'TechDocs for every service',
          checks: [
            { scorecardId: 'production-readiness', checkId: 'has-techdocs' },
          ],
          selection: { kind: ['component'] },
          deadline: '2026-12-15',
        });
      expect(launched.status).toBe(201);
      const id = launched.body.id;
      const get = (path: string, query: Record<string, string | number>) =>
        request(app)
          .get(`/v1/campaigns/${id}${path}`)
          .query(query)
          .set('Authorization', SERVICE);
      const refs = (body: { entityStates?: any[]; entities?: any[] }) =>
        (body.entityStates ?? body.entities)!.map(e => e.entityRef);

      // The campaign page asks for none: its counts still say how many there are.
      const none = await get('', { entityLimit: 0 });
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ entities: 3, done: 2, waived: 1 });
      expect(none.body.entityStates).toEqual([]);
      expect(refs((await get('', { entityLimit: 1 })).body)).toEqual([
        'component:default/checkout-api',
      ]);
      expect(refs((await get('', {})).body)).toHaveLength(3);

      // Open first, then waived, then done; each page with the number that match.
      const open = await get('/entities', { state: 'open' });
      expect(open.status).toBe(200);
      expect(open.body).toEqual({
        entities: [
          {
            entityRef: 'component:default/checkout-api',
            ownerRef: 'group:default/storefront',
            state: 'open',
            failingChecks: ['production-readiness/has-techdocs'],
            waivedChecks: [],
          },
        ],
        totalCount: 1,
      });
      const second = await get('/entities', {
        state: 'waived,done',
        limit: 1,
        offset: 1,
      });
      expect(refs(second.body)).toEqual(['component:default/payments-api']);
      expect(second.body.totalCount).toBe(2);
      const payments = await get('/entities', {
        owner: 'group:default/payments',
      });
      expect(refs(payments.body)).toEqual([
        'component:default/ledger-service',
        'component:default/payments-api',
      ]);
      expect((await get('/entities', { search: 'LEDGER' })).body).toMatchObject(
        { totalCount: 1 },
      );
      expect((await get('/entities', { offset: 3 })).body).toEqual({
        entities: [],
        totalCount: 3,
      });

      // Out of bounds or unknown: a 400 naming the parameter, never a 500.
      for (const [path, query] of [
        ['', { entityLimit: 501 }],
        ['', { entityLimit: -1 }],
        ['', { entityLimit: 'all' }],
        ['', { entityOffset: 10 }],
        ['/entities', { limit: 0 }],
        ['/entities', { limit: 501 }],
        ['/entities', { offset: -1 }],
        ['/entities', { offset: 1_000_001 }],
        ['/entities', { state: 'closed' }],
        ['/entities', { owner: 'component:default/payments-api' }],
        ['/entities', { search: 'x'.repeat(201) }],
      ] as const) {
        const res = await get(path, query);
        expect({ path, query, status: res.status }).toEqual({
          path,
          query,
          status: 400,
        });
        expect(res.body.error.name).toBe('InputError');
      }
      const missing = await request(app)
        .get('/v1/campaigns/6a1b8f5e-1111-4222-8333-444455556666/entities')
        .set('Authorization', SERVICE);
      expect(missing.status).toBe(404);
      expect(
        (
          await request(app)
            .get('/v1/campaigns/nope/entities')
            .set('Authorization', SERVICE)
        ).status,
      ).toBe(400);
      expect(
        (await request(app).get(`/v1/campaigns/${id}/entities`)).status,
      ).toBe(401);
    });
  });

  describe('GET /v1/reports/stakeholder', () => {
    /** This quarter's figures (from 1 October) against Q3's: the window decides. */
    function quarterHandlers() {
      const thisQuarter = (r: Request) =>
        new URL(r.url).searchParams.get('from')!.startsWith('2026-10-01');
      return [
        http.get(`${AREAS}/dora/v1/metrics`, ({ request: r }) => {
          const now = thisQuarter(r);
          return HttpResponse.json({
            entityRef: 'group:default/payments',
            entityRefs: [],
            from: new URL(r.url).searchParams.get('from'),
            to: new URL(r.url).searchParams.get('to'),
            benchmark: '2023',
            // 92 deployments in the 46 days of Q4 so far: 14 a week; 92 in the 92 days of Q3: 7 a week.
            deploymentFrequency: {
              deployments: 92,
              deploymentDays: 40,
              weeklyMedianDeploymentDays: 5,
              monthlyMedianDeploymentDays: 20,
              tier: 'elite',
            },
            // 20 h against 30 h.
            leadTimeForChanges: {
              changes: 50,
              medianMinutes: now ? 1200 : 1800,
              tier: 'high',
            },
            // 8% against 5%.
            changeFailureRate: {
              deployments: 92,
              failedDeployments: now ? 7 : 5,
              rate: now ? 0.08 : 0.05,
              tier: 'elite',
            },
            timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
            reworkRate: { deployments: 92, reworkDeployments: 0, rate: 0 },
            failedDeploymentRecoveryTime: {
              recoveredDeployments: 0,
              unrecoveredDeployments: 0,
              medianMinutes: null,
              tier: null,
            },
          });
        }),
        http.get(`${AREAS}/dora/v1/flow`, ({ request: r }) => {
          const now = thisQuarter(r);
          const part = (medianMinutes: number) => ({
            pullRequests: 40,
            medianMinutes,
            p75Minutes: medianMinutes * 2,
          });
          return HttpResponse.json({
            entityRef: 'group:default/payments',
            from: '',
            to: '',
            entityRefs: [],
            pullRequests: 40,
            unreviewed: now ? 2 : 4,
            // Review 4 h against 8 h; the other parts unchanged.
            parts: {
              coding: part(600),
              pickup: part(120),
              review: part(now ? 240 : 480),
              deploy: part(60),
            },
            size: {
              measured: 40,
              medianLines: 100,
              p75Lines: 200,
              largeThresholdLines: 400,
              large: 2,
              largeShare: 0.05,
            },
            weeks: [],
          });
        }),
      ];
    }

    const report = (query: string) =>
      request(app)
        .get(`/v1/reports/stakeholder?${query}`)
        .set('Authorization', USER);

    beforeEach(async () => {
      server.use(...quarterHandlers());
      const created = await request(app)
        .post('/v1/goals')
        .set('Authorization', USER)
        .send({
          objective: 'Ship faster',
          ownerRef: 'group:default/payments',
          period: '2026-Q4',
          keyResults: [
            {
              title: 'Lead time under a day',
              figure: leadTime('payments'),
              target: 24,
            },
          ],
        });
      if (created.status !== 201)
        throw new Error(`the goal was not created: ${created.text}`);
    });

    it('tells a team how its quarter went, in figures with units and plain words', async () => {
      const res = await report('team=group:default/payments&quarter=2026-Q4');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        team: 'group:default/payments',
        title: 'payments',
        quarter: '2026-Q4',
        previousQuarter: '2026-Q3',
        from: '2026-10-01T00:00:00.000Z',
        to: NOW.toISOString(),
      });
      expect(res.body.goals).toHaveLength(1);
      // Set today: the baseline is today's 90-day lead time (30 h), so nothing is expected of it yet.
      expect(res.body.goals[0].keyResults[0].sentence).toBe(
        'Lead time under a day: 30 hours now, from 30 hours towards 24 hours: 0% of the way (expected 0% by today), on track.',
      );
      const trend = (metric: string) =>
        [...res.body.delivery.trends, ...res.body.flow.trends].find(
          (t: any) => t.metric === metric,
        );
      expect(trend('deploymentFrequency')).toMatchObject({
        current: 14,
        previous: 7,
        verdict: 'better',
      });
      expect(trend('leadTimeForChanges').sentence).toBe(
        'Lead time for changes (median): 20 h, down from 30 h last quarter (33%): better.',
      );
      expect(trend('changeFailureRate').sentence).toBe(
        'Change failure rate: 8%, up from 5% last quarter (3 points): worse.',
      );
      expect(trend('reviewTime')).toMatchObject({
        current: 4,
        previous: 8,
        verdict: 'better',
      });
      expect(trend('unreviewedShare')).toMatchObject({
        current: 5,
        previous: 10,
      });
      // The budget handler: Payments reserved 20 days and paid down 17.
      expect(res.body.debt).toMatchObject({
        available: true,
        reservedDays: 20,
        paidDownDays: 17,
      });
      expect(res.body.debt.sentence).toMatch(
        /^Paid down 17 of the 20 engineer-days reserved for debt \(85%/,
      );
      expect(res.body.summary).toEqual(
        expect.arrayContaining([
          '1 goal: 1 on track.',
          expect.stringMatching(
            /^Worse than last quarter: Change failure rate/,
          ),
        ]),
      );
    });

    it('exports Markdown and CSV with their content types and a file name', async () => {
      const markdown = await report(
        'team=group:default/payments&quarter=2026-Q4&format=markdown',
      );
      expect(markdown.status).toBe(200);
      expect(markdown.headers['content-type']).toBe(
        'text/markdown; charset=utf-8',
      );
      expect(markdown.headers['content-disposition']).toBe(
        'attachment; filename="stakeholder-report-payments-2026-Q4.md"',
      );
      expect(markdown.text).toMatch(/^# payments: 2026-Q4\n/);
      expect(markdown.text).toContain('### Ship faster');
      expect(markdown.text).toContain(
        '- Lead time for changes (median): 20 h, down from 30 h last quarter (33%): better.',
      );

      const csv = await report(
        'team=group:default/payments&quarter=2026-Q4&format=csv',
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="stakeholder-report-payments-2026-Q4.csv"',
      );
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'Section,Item,Status,Value,Unit,Baseline,Target,Previous quarter,Progress %,In words',
      );
      expect(lines).toContain(
        'delivery,Change failure rate,worse,8,%,,,5,,"Change failure rate: 8%, up from 5% last quarter (3 points): worse."',
      );
      expect(
        lines.some(l =>
          l.startsWith(
            'key result,Ship faster / Lead time under a day,on track,',
          ),
        ),
      ).toBe(true);
    });

    it('reports on the org, and says when an area does not answer', async () => {
      server.use(
        http.get(`${AREAS}/dora/v1/flow`, () =>
          HttpResponse.json(
            {
              error: { name: 'Error', message: 'database is down' },
              response: { statusCode: 503 },
            },
            { status: 503 },
          ),
        ),
      );
      const res = await report('team=org&quarter=2026-Q4');
      expect(res.status).toBe(200);
      expect(res.body.title).toBe('The org');
      // Org goals only: the team's goal is not one.
      expect(res.body.goals).toEqual([]);
      expect(res.body.flow).toEqual({
        available: false,
        reason: 'The dora area answered 503: database is down',
        trends: [],
      });
      expect(res.body.delivery.available).toBe(true);
      // Every group's budget summed: Payments' 20 reserved and 17 paid down; Storefront set none.
      expect(res.body.debt).toMatchObject({
        reservedDays: 20,
        paidDownDays: 17,
        teams: ['group:default/payments'],
      });
    });

    it('answers 400 for a bad quarter, team or format, and 404 for a team the catalog does not have', async () => {
      const bad = await report('team=group:default/payments&quarter=2026-Q5');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/quarter/);
      expect(
        (await report('team=group:default/payments&quarter=2026-H1')).status,
      ).toBe(400);
      const notGroup = await report(
        'team=component:default/payments-api&quarter=2026-Q4',
      );
      expect(notGroup.status).toBe(400);
      expect(notGroup.body.error.message).toMatch(/team/);
      expect(
        (await report('team=group:default/payments&quarter=2026-Q4&format=pdf'))
          .status,
      ).toBe(400);
      expect((await report('quarter=2026-Q4')).status).toBe(400);
      const unknown = await report('team=group:default/nobody&quarter=2026-Q4');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        "No group 'group:default/nobody' in the catalog",
      );
      expect(
        (
          await request(app).get(
            '/v1/reports/stakeholder?team=org&quarter=2026-Q4',
          )
        ).status,
      ).toBe(401);
    });
  });
});
