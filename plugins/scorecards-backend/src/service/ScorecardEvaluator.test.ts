import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { vitalsTestDatabases } from '@vitals/backend-test-utils';
import { ScorecardDefinition } from '@vitals/plugin-scorecards-common';
import { FactProvider } from '@vitals/plugin-scorecards-node';
import { Knex } from 'knex';
import { DatabaseScorecardsStore } from '../database/DatabaseScorecardsStore';
import { ScorecardEvaluator } from './ScorecardEvaluator';

jest.setTimeout(60_000);

const databases = vitalsTestDatabases();

/** Spelled as a catalog may hold it: capitals in the name and the owner. */
const PAYMENTS_API: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'Payments-API', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/Payments',
    system: 'Payments',
  },
};

const CARD: ScorecardDefinition = {
  id: 'prod',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
  ],
  checks: [
    {
      id: 'latency',
      title: 'Fast',
      fact: 'adopter.latencyMs',
      operator: '<=',
      threshold: 200,
      level: 'bronze',
    },
    {
      id: 'coverage',
      title: 'Tested',
      fact: 'adopter.coverage',
      operator: '>=',
      threshold: 80,
      level: 'silver',
    },
  ],
};

describe.each(databases.eachSupportedId())(
  'ScorecardEvaluator on %s',
  databaseId => {
    let knex: Knex;
    let store: DatabaseScorecardsStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseScorecardsStore.create({
        database: mockServices.database({ knex }),
      });
    });

    afterEach(async () => {
      await knex.destroy();
    });

    it('evaluates an entity whose ref has capitals: provider facts in any spelling, waivers and reads all meet', async () => {
      // An adopter's provider that keys its answer by the entity's ref as written in the catalog.
      const provider: FactProvider = {
        id: 'adopter',
        facts: [
          {
            id: 'adopter.latencyMs',
            type: 'number',
            description: 'p95 latency',
          },
          {
            id: 'adopter.coverage',
            type: 'number',
            description: 'Line coverage',
          },
        ],
        getFacts: async ({ entities }) =>
          new Map(
            entities.map(e => [
              `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`,
              { 'adopter.latencyMs': 120, 'adopter.coverage': 40 },
            ]),
          ),
      };
      const send = jest.fn(async () => {});
      const evaluator = new ScorecardEvaluator({
        store,
        catalog: catalogServiceMock({ entities: [PAYMENTS_API] }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        definitions: [CARD],
        providers: [provider],
        notifications: { send },
      });
      // The owners waive coverage, through a ref spelled as the catalog does.
      await store.createWaiver(
        {
          entityRef: 'component:default/Payments-API',
          scorecardId: 'prod',
          checkId: 'coverage',
          reason: 'Tests move to the new harness this quarter',
          expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        },
        'user:default/guest',
      );

      await evaluator.evaluateAll();

      const [result] = await store.getEntityResults(
        'component:default/payments-api',
      );
      expect(result).toMatchObject({
        entityRef: 'component:default/payments-api',
        ownerRef: 'group:default/payments',
        systemRef: 'system:default/payments',
        levelId: 'silver',
      });
      expect(result.checks).toEqual([
        expect.objectContaining({
          checkId: 'latency',
          value: 120,
          passed: true,
        }),
        expect.objectContaining({
          checkId: 'coverage',
          value: 40,
          passed: false,
          waiver: expect.objectContaining({
            reason: 'Tests move to the new harness this quarter',
          }),
        }),
      ]);
      expect(
        (await store.getGroupRollup('group:default/payments')).scorecards[0]
          .entities,
      ).toHaveLength(1);

      // A refresh by the catalog's spelling finds and replaces the same result; nothing drops, nobody is notified.
      expect(
        await evaluator.evaluateEntity('component:default/Payments-API'),
      ).toBe(true);
      expect(
        await store.getEntityResults('component:default/payments-api'),
      ).toHaveLength(1);
      expect(send).not.toHaveBeenCalled();
    });
  },
);
