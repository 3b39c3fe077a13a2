import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import {
  NextActionsResponse,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import type { DebtItem } from '@vitals/plugin-tech-debt-common';
import express from 'express';
import request from 'supertest';
import { DatabaseScorecardsStore } from '../database/DatabaseScorecardsStore';
import { NextActionsService, NextActionsSources } from './NextActions';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();
const USER = mockCredentials.user.header('user:default/guest');
const SERVICE = mockCredentials.service.header();
const DAY = 86_400_000;

const ownedBy = (owner: string) => [{ type: 'ownedBy', targetRef: owner }];
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner },
  relations: ownedBy(owner),
});

// Payments has a child team, Ledger; Storefront is another team.
const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: ['ledger-team'] },
    relations: [{ type: 'parentOf', targetRef: 'group:default/ledger-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ledger-team', namespace: 'default' },
    spec: { type: 'team', parent: 'payments', children: [] },
    relations: [{ type: 'childOf', targetRef: 'group:default/payments' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'storefront', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  component('payments-api', 'group:default/payments'),
  component('ledger', 'group:default/ledger-team'),
  component('checkout-api', 'group:default/storefront'),
];

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
  ],
  checks: [
    {
      id: 'owner',
      title: 'Has an owner',
      fact: 'catalog.hasOwner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'runbook',
      title: 'Has a runbook',
      fact: 'catalog.hasRunbook',
      operator: '==',
      threshold: true,
      level: 'silver',
    },
  ],
};

const debtItem = (
  id: string,
  entityRef: string,
  overrides: Partial<DebtItem> = {},
): DebtItem => ({
  id,
  entityRef,
  ownerRef: null,
  systemRef: null,
  title: `Debt ${id}`,
  description: '',
  category: 'dependency',
  impact: 4,
  effortDays: 2,
  interestHoursPerMonth: 16,
  status: 'open',
  assignee: null,
  trackerUrl: null,
  tags: [],
  priority: 3,
  version: 1,
  createdAt: '2026-10-01T00:00:00.000Z',
  createdBy: 'user:default/jane',
  updatedAt: '2026-10-01T00:00:00.000Z',
  updatedBy: 'user:default/jane',
  resolvedAt: null,
  incidentCount: 0,
  incidents: [],
  measuredInterest: { windowDays: 90, incidents: 0, restoreMinutes: 0 },
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'GET /v1/next-actions on %s',
  databaseId => {
    let app: express.Express;
    let store: DatabaseScorecardsStore;
    let sources: NextActionsSources;
    let listItems: jest.Mock;

    async function start(withSources: NextActionsSources) {
      const catalog = catalogServiceMock({ entities: ENTITIES });
      const logger = mockServices.logger.mock();
      app = routerTestApp(
        await createRouter({
          store,
          evaluator: {
            definitions: [CARD],
            configuredDefinitions: [CARD],
            loadDefinitions: async () => [CARD],
            factProviders: [],
            evaluateEntity: async () => true,
          },
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
          permissions: mockServices.permissions(),
          catalog,
          auditor: mockServices.auditor.mock(),
          logger,
          validateResponses: true,
          nextActions: new NextActionsService({
            store,
            waivers: store,
            catalog,
            definitions: () => [CARD],
            sources: withSources,
            logger,
            sourceTimeoutMs: 500,
          }),
        }),
      );
    }

    beforeEach(async () => {
      listItems = jest.fn(async ({ entityRef }: { entityRef: string[] }) => ({
        items: [
          debtItem('d1', 'component:default/ledger'),
          // Another team's item the API might return: never listed.
          debtItem('d2', 'component:default/checkout-api'),
        ].filter(i => entityRef.includes(i.entityRef)),
        totalCount: 1,
      }));
      sources = {
        techDebt: { listItems },
        ownership: {
          listProblems: async () => {
            throw new Error('503 Service Unavailable');
          },
        },
        // Never answers: the list must come back without it.
        onboarding: { getTeamReport: () => new Promise(() => {}) },
      };
      const knex = await databases.init(databaseId);
      store = await DatabaseScorecardsStore.create({
        database: mockServices.database({ knex }),
      });
      await start(sources);
      const now = new Date();
      await store.saveResults(
        [
          {
            entityRef: 'component:default/ledger',
            ownerRef: 'group:default/ledger-team',
            systemRef: null,
            scorecardId: 'prod',
            levelId: 'bronze',
            levelIndex: 0,
            score: 50,
            checks: [
              {
                checkId: 'owner',
                value: true,
                passed: true,
                score: 100,
                message: null,
                waiver: null,
              },
              {
                checkId: 'runbook',
                value: false,
                passed: false,
                score: 0,
                message: 'false is not == true',
                waiver: null,
              },
            ],
          },
          {
            entityRef: 'component:default/checkout-api',
            ownerRef: 'group:default/storefront',
            systemRef: null,
            scorecardId: 'prod',
            levelId: null,
            levelIndex: -1,
            score: 0,
            checks: [
              {
                checkId: 'owner',
                value: false,
                passed: false,
                score: 0,
                message: 'false is not == true',
                waiver: null,
              },
            ],
          },
        ],
        now,
      );
      await store.createWaiver(
        {
          entityRef: 'component:default/ledger',
          scorecardId: 'prod',
          checkId: 'runbook',
          reason: 'Runbook being written',
          expiresAt: new Date(now.getTime() + 6.5 * DAY).toISOString(),
        },
        'user:default/jane',
      );
    });

    it('ranks the team’s and its child team’s actions, and names the areas that did not answer', async () => {
      const res = await request(app)
        .get('/v1/next-actions?team=payments')
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      const body = res.body as NextActionsResponse;
      expect(body.team).toBe('group:default/payments');
      expect(body.entities).toBe(2);
      // The waiver (4 × 2.6 = 10.4) beats the debt item (4 × 3 ÷ 2 = 6), which beats the failing check (4 × 1 ÷ 1).
      expect(
        body.actions.map(a => [a.rank, a.kind, a.entityRef, a.score]),
      ).toEqual([
        [1, 'waiver-expiring', 'component:default/ledger', 10.4],
        [2, 'tech-debt', 'component:default/ledger', 6],
        [3, 'scorecard-check', 'component:default/ledger', 4],
      ]);
      expect(body.actions[1].link).toBe(
        '/catalog/default/component/ledger/tech-debt',
      );
      expect(body.totalCount).toBe(3);
      expect(body.sources).toEqual([
        { source: 'scorecards', available: true, message: null },
        { source: 'tech-debt', available: true, message: null },
        {
          source: 'ownership',
          available: false,
          message: 'Could not read ownership: 503 Service Unavailable',
        },
        {
          source: 'onboarding',
          available: false,
          message:
            'Could not read onboarding: The onboarding plugin did not answer within 500 ms',
        },
      ]);
      expect(listItems).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRef: [
            'component:default/ledger',
            'component:default/payments-api',
          ],
          status: ['open', 'planned', 'in_progress'],
        }),
      );
    });

    it('keeps the first `limit` rows and counts all of them; services may read it', async () => {
      const res = await request(app)
        .get('/v1/next-actions?team=group:default/payments&limit=1')
        .set('Authorization', SERVICE);
      expect(res.status).toBe(200);
      expect(res.body.actions.map((a: { rank: number }) => a.rank)).toEqual([
        1,
      ]);
      expect(res.body.totalCount).toBe(3);
    });

    it('lists only another team’s own entities', async () => {
      const res = await request(app)
        .get('/v1/next-actions?team=storefront')
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(
        res.body.actions.map((a: { id: string; score: number }) => [
          a.id,
          a.score,
        ]),
      ).toEqual([
        // 4 × (1 + 2) ÷ 2 = 6, then the bronze check 5 × 1 ÷ 1 = 5: none of Payments'.
        ['tech-debt:d2', 6],
        ['scorecard-check:component:default/checkout-api:prod:owner', 5],
      ]);
    });

    it.each([
      [
        'a team of another kind',
        'team=user:default/jane',
        /team: .*is not a group ref/,
      ],
      ['no team', '', /team/],
      ['a limit of 0', 'team=payments&limit=0', /limit/],
      ['a limit over 100', 'team=payments&limit=101', /limit/],
      ['an unknown parameter', 'team=payments&owner=x', /owner/],
    ])(
      'answers %s with a 400 naming the field',
      async (_what, query, message) => {
        const res = await request(app)
          .get(`/v1/next-actions?${query}`)
          .set('Authorization', USER);
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
      },
    );

    it('answers a group the catalog does not have with a 404', async () => {
      const res = await request(app)
        .get('/v1/next-actions?team=group:default/nope')
        .set('Authorization', USER);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        "No group 'group:default/nope' in the catalog",
      );
    });

    it('needs a principal', async () => {
      const res = await request(app).get('/v1/next-actions?team=payments');
      expect(res.status).toBe(401);
    });

    it('reports the areas a backend was built without as not installed', async () => {
      await start({});
      const res = await request(app)
        .get('/v1/next-actions?team=payments')
        .set('Authorization', USER);
      expect(res.status).toBe(200);
      expect(
        res.body.sources.map((s: { source: string; available: boolean }) => [
          s.source,
          s.available,
        ]),
      ).toEqual([
        ['scorecards', true],
        ['tech-debt', false],
        ['ownership', false],
        ['onboarding', false],
      ]);
      expect(res.body.actions.map((a: { kind: string }) => a.kind)).toEqual([
        'waiver-expiring',
        'scorecard-check',
      ]);
    });
  },
);
