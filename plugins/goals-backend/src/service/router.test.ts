import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
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

/** payments-api passes, ledger-service fails with a waiver, checkout-api fails. */
function scorecardsHandlers() {
  const outcome: Record<string, ReturnType<typeof check>> = {
    'component:default/payments-api': check('has-techdocs', true),
    'component:default/ledger-service': check('has-techdocs', false, true),
    'component:default/checkout-api': check('has-techdocs', false),
  };
  return http.get(
    `${AREAS}/scorecards/v1/entities/results`,
    ({ request: r }) => {
      const entityRef = new URL(r.url).searchParams.get('entityRef')!;
      return HttpResponse.json({
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
    },
  );
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

  beforeEach(async () => {
    server.use(doraHandlers(), scorecardsHandlers(), budgetHandlers());
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
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auditor,
      logger,
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
  });
});
