import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import vitalsActionsPlugin from './index';

const USER = mockCredentials.user.header('user:default/guest');
const ACTIONS = '/api/vitals-actions/.backstage/actions/v1/actions';

/** A stand-in tech-debt backend that refuses every write, as the real one refuses a non-owner. */
const refusingTechDebt = createBackendPlugin({
  pluginId: 'tech-debt',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = express.Router();
        router.post('/v1/items', () => {
          throw new NotAllowedError(
            'Only the owners of component:default/checkout-api may change its debt register',
          );
        });
        httpRouter.use(router);
      },
    });
  },
});

describe('vitalsActionsPlugin', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        vitalsActionsPlugin,
        refusingTechDebt,
        mockServices.rootConfig.factory({
          data: { backend: { actions: { pluginSources: ['vitals-actions'] } } },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('registers the Vitals actions with input and output schemas and truthful attributes', async () => {
    const res = await request(backend.server)
      .get(ACTIONS)
      .set('Authorization', USER);
    expect(res.status).toBe(200);
    const actions = res.body.actions as Array<{
      id: string;
      description: string;
      attributes: Record<string, boolean>;
      schema: { input: { type: string; properties: object } };
    }>;
    const byId = Object.fromEntries(actions.map(a => [a.id, a]));
    const reads = [
      'vitals-actions:get-entity-health',
      'vitals-actions:get-team-health',
      'vitals-actions:get-team-next-actions',
      'vitals-actions:list-worst-entities-for-check',
      'vitals-actions:get-figure-items',
    ];
    const writes = [
      'vitals-actions:create-debt-item',
      'vitals-actions:confirm-ownership',
      'vitals-actions:request-waiver',
    ];
    expect(Object.keys(byId).sort()).toEqual([...reads, ...writes].sort());
    for (const id of reads) {
      expect({ id, ...byId[id].attributes }).toEqual({
        id,
        readOnly: true,
        destructive: false,
        idempotent: true,
      });
    }
    for (const id of writes) {
      expect({ id, ...byId[id].attributes }).toEqual({
        id,
        readOnly: false,
        destructive: false,
        idempotent: false,
      });
    }
    for (const action of actions) {
      expect(action.schema.input.type).toBe('object');
      expect(action.description.length).toBeGreaterThan(200);
    }
    expect(
      Object.keys(
        byId['vitals-actions:create-debt-item'].schema.input.properties,
      ),
    ).toEqual(
      expect.arrayContaining([
        'entityRef',
        'title',
        'category',
        'impact',
        'effortDays',
      ]),
    );
  });

  it('answers a summary with every area it cannot read marked unavailable, with the reason', async () => {
    const res = await request(backend.server)
      .post(`${ACTIONS}/vitals-actions:get-entity-health/invoke`)
      .set('Authorization', USER)
      .send({ entityRef: 'Component:payments-api' });
    expect(res.status).toBe(200);
    const { output } = res.body;
    expect(output.entityRef).toBe('component:default/payments-api');
    // Only a stand-in tech-debt plugin with no read routes is installed: every area fails on its own.
    for (const area of [
      'techDebt',
      'dora',
      'ownership',
      'scorecards',
      'onboarding',
    ]) {
      expect({ area, available: output[area].available }).toEqual({
        area,
        available: false,
      });
      expect(output[area].reason).toMatch(/could not be read/);
    }
  });

  it("refuses a write as the area's API refuses it, with its message", async () => {
    const res = await request(backend.server)
      .post(`${ACTIONS}/vitals-actions:create-debt-item/invoke`)
      .set('Authorization', USER)
      .send({
        entityRef: 'component:default/checkout-api',
        title: 'Flaky checkout tests',
        category: 'testing',
        impact: 3,
        effortDays: 2,
      });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message:
        'Could not add a debt item to component:default/checkout-api: Only the owners of component:default/checkout-api may change its debt register',
    });
  });

  it('refuses input that breaks the schema, and an entity ref that is not one', async () => {
    const bad = await request(backend.server)
      .post(`${ACTIONS}/vitals-actions:create-debt-item/invoke`)
      .set('Authorization', USER)
      .send({ entityRef: 'component:default/x', title: 'x', impact: 9 });
    expect(bad.status).toBe(400);
    const ref = await request(backend.server)
      .post(`${ACTIONS}/vitals-actions:get-team-health/invoke`)
      .set('Authorization', USER)
      .send({ groupRef: 'component:default/payments-api' });
    expect(ref.status).toBe(400);
    expect(ref.body.error.message).toMatch(/is not a group ref/);
  });
});
