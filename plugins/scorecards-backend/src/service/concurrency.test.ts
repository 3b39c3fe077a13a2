import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { routerTestApp, vitalsTestDatabases } from '@vitals/backend-test-utils';
import { ScorecardDefinition } from '@vitals/plugin-scorecards-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseScorecardsStore } from '../database/DatabaseScorecardsStore';
import { catalogFactProvider } from '../providers/catalogFactProvider';
import { createRouter } from './router';
import { ScorecardEvaluator } from './ScorecardEvaluator';

jest.setTimeout(120_000);

const databases = vitalsTestDatabases();

/**
 * Opens the pool's connections (five in tests) before concurrent requests, so that they really run side by side:
 * on a cold pool each waits for a new connection and the first has finished by then.
 */
const openConnections = (db: Knex) =>
  Promise.all(
    [1, 2, 3, 4, 5].map(() =>
      db.client.config.client === 'pg'
        ? db.raw('select pg_sleep(0.05)')
        : db.raw('select 1'),
    ),
  );
const USER = mockCredentials.user.header('user:default/guest');

const TEAMS = ['payments', 'storefront', 'platform', 'data'];
const ENTITIES: Entity[] = Array.from({ length: 80 }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `svc-${i}`,
    namespace: 'default',
    ...(i % 3 ? { description: `Service ${i}` } : {}),
    ...(i % 2
      ? {
          links: [
            { url: `https://runbooks.example.com/${i}`, type: 'runbook' },
          ],
        }
      : {}),
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: TEAMS[i % TEAMS.length],
    system: i % 2 ? 'payments' : 'shop',
  },
}));

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  appliesTo: { kind: ['Component'] },
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
      id: 'docs',
      title: 'Described',
      fact: 'catalog.hasDescription',
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

describe.each(databases.eachSupportedId())(
  'concurrent writes on %s',
  databaseId => {
    let knex: Knex;
    let app: express.Express;
    let evaluator: ScorecardEvaluator;
    let store: DatabaseScorecardsStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseScorecardsStore.create({
        database: mockServices.database({ knex }),
      });
      const catalog = catalogServiceMock({ entities: ENTITIES });
      evaluator = new ScorecardEvaluator({
        store,
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        definitions: [CARD],
        providers: [catalogFactProvider],
      });
      app = routerTestApp(
        await createRouter({
          store,
          evaluator,
          catalog,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
          permissions: mockServices.permissions(),
          auditor: mockServices.auditor.mock(),
          logger: mockServices.logger.mock(),
          // Every refresh below is of another entity or another round; no limit gets in the way.
          refreshIntervalSeconds: 0,
        }),
      );
    });

    afterEach(async () => {
      await knex.destroy();
    });

    const duplicateKeys = (table: string, key: string[]) =>
      knex(table)
        .select(key)
        .count({ n: '*' })
        .groupBy(key)
        .havingRaw('count(*) > 1');

    const refreshEvery8th = (round: number) =>
      ENTITIES.filter((_, i) => i % 8 === round).map(e =>
        request(app)
          .post('/v1/entities/refresh')
          .set('Authorization', USER)
          .send({ entityRef: `component:default/${e.metadata.name}` }),
      );

    it('leaves one roll-up row per key when refreshes run during the scheduled evaluation', async () => {
      await evaluator.evaluateAll();
      for (let round = 0; round < 3; round++) {
        const [run, ...responses] = await Promise.all([
          evaluator.evaluateAll(),
          ...refreshEvery8th(round),
        ]);
        expect(run.results).toBe(ENTITIES.length);
        expect(responses.map(r => r.status)).toEqual(responses.map(() => 200));
      }
      expect(
        await duplicateKeys('scorecard_check_rollups', [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'check_id',
        ]),
      ).toEqual([]);
      expect(
        await duplicateKeys('scorecard_level_rollups', [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'level_id',
        ]),
      ).toEqual([]);
      expect(
        await duplicateKeys('scorecard_check_results', [
          'entity_ref',
          'scorecard_id',
          'check_id',
        ]),
      ).toEqual([]);

      // What a user sees: every entity counted once in the org summary and in its team's roll-up.
      const summary = await request(app)
        .get('/v1/summary')
        .set('Authorization', USER);
      expect(summary.body.scorecards[0].entities).toBe(ENTITIES.length);
      const levels = summary.body.scorecards[0].levels as Array<{
        count: number;
      }>;
      expect(levels.reduce((sum, l) => sum + l.count, 0)).toBe(ENTITIES.length);
      const rollup = await request(app)
        .get('/v1/groups/rollup?groupRef=payments')
        .set('Authorization', USER);
      const counted = (
        rollup.body.scorecards[0].levels as Array<{ count: number }>
      ).reduce((sum, l) => sum + l.count, 0);
      expect(counted).toBe(ENTITIES.length / TEAMS.length);
    });

    it('lets exactly one of several concurrent requests waive a check; the others get 409', async () => {
      const expiresAt = new Date(
        Date.now() + 7 * 24 * 3600 * 1000,
      ).toISOString();
      await openConnections(knex);
      const responses = await Promise.all(
        [1, 2, 3, 4, 5, 6].map(i =>
          request(app)
            .post('/v1/waivers')
            .set('Authorization', USER)
            .send({
              entityRef: 'component:default/svc-0',
              scorecardId: 'prod',
              checkId: 'runbook',
              reason: `Runbook lives elsewhere (${i})`,
              expiresAt,
            }),
        ),
      );
      expect(responses.map(r => r.status).sort()).toEqual([
        201, 409, 409, 409, 409, 409,
      ]);
      for (const refused of responses.filter(r => r.status === 409)) {
        expect(refused.body.error.message).toMatch(
          /already waived for component:default\/svc-0/,
        );
      }
      const listed = await request(app)
        .get('/v1/waivers?entityRef=component:default/svc-0')
        .set('Authorization', USER);
      expect(listed.body.waivers).toHaveLength(1);
    });
  },
);
