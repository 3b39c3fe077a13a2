import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readOpenApiSpec, routerTestApp } from '@vitals/backend-test-utils';
import request from 'supertest';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { createRouter } from '../service/router';
import { ScorecardDefinition } from '@vitals/plugin-scorecards-common';

const spec = readOpenApiSpec(__dirname);

const WAIVER = '/v1/waivers/5b0e8a52-3f5c-4a8e-9d0c-6f1d2b7a9e41';

const DEFINITIONS: ScorecardDefinition[] = [
  {
    id: 'production-readiness',
    title: 'Production readiness',
    levels: [{ id: 'bronze', title: 'Bronze' }],
    checks: [
      {
        id: 'has-owner',
        title: 'Has an owner',
        fact: 'catalog.hasOwner',
        operator: '==',
        threshold: true,
        level: 'bronze',
      },
    ],
  },
];

/** The router over a store, a catalog, a policy and an evaluator that record every call: a request the spec refuses must reach none. */
async function startApp() {
  const storeCalls: string[] = [];
  const store = new Proxy(
    {},
    {
      get: (_target, method) => async () => {
        storeCalls.push(String(method));
        throw new Error('the store must not be reached');
      },
    },
  ) as ScorecardsStore;
  const catalog = catalogServiceMock();
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const permissions = mockServices.permissions.mock();
  const evaluateEntity = jest.fn(async () => true);
  const app = routerTestApp(
    await createRouter({
      store,
      evaluator: {
        definitions: DEFINITIONS,
        configuredDefinitions: DEFINITIONS,
        loadDefinitions: async () => DEFINITIONS,
        factProviders: [],
        evaluateEntity,
      },
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalog,
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
    }),
  );
  const reached = () => ({
    store: storeCalls,
    catalog: getEntityByRef.mock.calls.length,
    permissions: permissions.authorize.mock.calls.length,
    evaluator: evaluateEntity.mock.calls.length,
  });
  return { app, reached };
}

const validWaiver = {
  entityRef: 'component:default/payments-api',
  scorecardId: 'production-readiness',
  checkId: 'has-owner',
  reason: 'The owner is being decided this week',
  expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
};

describe('the scorecards router enforces its OpenAPI spec', () => {
  // [what, method, url, body, what the 400's message must name]
  const cases: Array<
    [string, 'get' | 'post' | 'patch' | 'delete', string, unknown, RegExp]
  > = [
    [
      'a scorecard id with a space',
      'get',
      '/v1/definitions/%20prod',
      undefined,
      /request\/params\/id must match pattern/,
    ],
    [
      'a scorecard id over 100 characters',
      'get',
      `/v1/definitions/${'a'.repeat(101)}`,
      undefined,
      /request\/params\/id must NOT have more than 100 characters/,
    ],
    [
      'a waiver id that is not a UUID',
      'get',
      '/v1/waivers/not-a-uuid',
      undefined,
      /request\/params\/id must match/,
    ],
    [
      'a query parameter the definitions take none of',
      'get',
      '/v1/definitions?kind=component',
      undefined,
      /Unknown query parameter 'kind'/,
    ],
    [
      'paging on the group rollup, which is never paged',
      'get',
      '/v1/groups/rollup?groupRef=payments&limit=10',
      undefined,
      /Unknown query parameter 'limit'/,
    ],
    [
      'a rollup without its group',
      'get',
      '/v1/groups/rollup',
      undefined,
      /request\/query must have required property 'groupRef'/,
    ],
    [
      'an entity ref over 512 characters',
      'get',
      `/v1/entities/results?entityRef=component:default/${'a'.repeat(512)}`,
      undefined,
      /request\/query\/entityRef must NOT have more than 512 characters/,
    ],
    [
      'more than 200 scorecards in a filter',
      'get',
      `/v1/summary?scorecardId=${Array(201).fill('a').join(',')}`,
      undefined,
      /request\/query\/scorecardId must NOT have more than 200 items/,
    ],
    [
      'a day that is not YYYY-MM-DD',
      'get',
      '/v1/history?from=2026-1-1',
      undefined,
      /request\/query\/from must match pattern/,
    ],
    [
      'includeInactive outside its enum',
      'get',
      '/v1/waivers?includeInactive=yes',
      undefined,
      /request\/query\/includeInactive must be equal to one of the allowed values/,
    ],
    [
      'a version below 1',
      'delete',
      `${WAIVER}?version=0`,
      undefined,
      /request\/query\/version must be >= 1/,
    ],
    [
      'a version over the largest',
      'delete',
      `${WAIVER}?version=2147483648`,
      undefined,
      /request\/query\/version must be <= 2147483647/,
    ],
    [
      'a version in exponent notation',
      'delete',
      `${WAIVER}?version=1e0`,
      undefined,
      /version: must be a whole number/,
    ],
    [
      'a withdrawal without a version',
      'delete',
      WAIVER,
      undefined,
      /request\/query must have required property 'version'/,
    ],
    [
      'a reason of the wrong type',
      'post',
      '/v1/waivers',
      { ...validWaiver, reason: 5 },
      /request\/body\/reason must be string/,
    ],
    [
      'a waiver without its expiry',
      'post',
      '/v1/waivers',
      { ...validWaiver, expiresAt: undefined },
      /request\/body must have required property 'expiresAt'/,
    ],
    [
      'a body field the waiver does not have',
      'post',
      '/v1/waivers',
      { ...validWaiver, createdBy: 'user:default/someone-else' },
      /request\/body must NOT have additional properties: createdBy$/,
    ],
    [
      'a body field the refresh does not take',
      'post',
      '/v1/entities/refresh',
      { entityRef: 'component:default/payments-api', force: true },
      /request\/body must NOT have additional properties: force$/,
    ],
    [
      'a refresh of several entities',
      'post',
      '/v1/entities/refresh',
      { entityRef: ['component:default/a', 'component:default/b'] },
      /request\/body\/entityRef must be string/,
    ],
    [
      'a version sent as text',
      'patch',
      WAIVER,
      { reason: 'Still true', version: '1' },
      /request\/body\/version must be integer/,
    ],
    [
      'a body that is not an object',
      'patch',
      WAIVER,
      ['Still true'],
      /request\/body must be object/,
    ],
  ];

  it.each(cases)(
    'answers %s with a 400 naming it, before any handler reaches the store, the catalog, the policy or the evaluator',
    async (_what, method, url, body, message) => {
      const { app, reached } = await startApp();
      let req = request(app)[method](url);
      if (body !== undefined) req = req.send(body as object);
      const res = await req;
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(reached()).toEqual({
        store: [],
        catalog: 0,
        permissions: 0,
        evaluator: 0,
      });
    },
  );

  it('lets a request that follows the spec through to the handler', async () => {
    const { app, reached } = await startApp();
    const res = await request(app).get('/v1/definitions/production-readiness');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('production-readiness');
    const unknown = await request(app).get('/v1/definitions/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe("No scorecard with id 'nope'");
    expect(reached().store).toEqual([]);
  });

  it('serves its spec at /openapi.json', async () => {
    const { app } = await startApp();
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe(spec.openapi);
    expect(res.body.info.title).toBe('scorecards');
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths).sort(),
    );
  });
});
