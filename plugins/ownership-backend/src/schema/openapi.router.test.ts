import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  documentedRoutes,
  readOpenApiSpec,
  routerTestApp,
} from '@vitals/backend-test-utils';
import request from 'supertest';
import { OwnershipStore } from '../database/OwnershipStore';
import { createHealthRules } from '../service/healthRules';
import { createRouter } from '../service/router';

const spec = readOpenApiSpec(__dirname);

/** The router over a store and a catalog that record every call: a request the spec refuses must reach neither. */
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
  ) as OwnershipStore;
  const catalog = catalogServiceMock();
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const permissions = mockServices.permissions.mock();
  const app = routerTestApp(
    await createRouter({
      store,
      rules: createHealthRules(),
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
  });
  return { app, reached };
}

const confirm = '/v1/entities/component/default/payments-api/confirmations';

describe('the ownership router enforces its OpenAPI spec', () => {
  // [what, method, url, body, what the 400's message must name]
  const cases: Array<[string, 'get' | 'post', string, unknown, RegExp]> = [
    [
      'a path segment the catalog would not allow',
      'get',
      '/v1/entities/component/default/a%20b',
      undefined,
      /request\/params\/name must match pattern/,
    ],
    [
      'a group name that is too long',
      'get',
      `/v1/groups/default/${'a'.repeat(254)}`,
      undefined,
      /request\/params\/name must NOT have more than 253 characters/,
    ],
    [
      'a page size out of bounds',
      'get',
      '/v1/groups?limit=1001',
      undefined,
      /request\/query\/limit must be <= 1000/,
    ],
    [
      'a page size in exponent notation',
      'get',
      '/v1/groups?limit=1e2',
      undefined,
      /limit/,
    ],
    [
      'an offset that is not a whole number',
      'get',
      '/v1/report/problems?offset=2.5',
      undefined,
      /request\/query\/offset must be integer/,
    ],
    [
      'a problem outside the enum',
      'get',
      '/v1/report/problems?problem=vibes',
      undefined,
      /request\/query\/problem must be equal to one of the allowed values/,
    ],
    [
      'a query parameter the facets take none of',
      'get',
      '/v1/facets?kind=component',
      undefined,
      /Unknown query parameter 'kind'/,
    ],
    [
      'paging on the export, which is never paged',
      'get',
      '/v1/report/problems.csv?limit=10',
      undefined,
      /Unknown query parameter 'limit'/,
    ],
    [
      'a problem filter on the summary, which takes none',
      'get',
      '/v1/report?problem=no-owner',
      undefined,
      /Unknown query parameter 'problem'/,
    ],
    [
      'a team ref over 255 characters',
      'get',
      `/v1/report?team=${'x'.repeat(256)}`,
      undefined,
      /request\/query\/team must NOT have more than 255 characters/,
    ],
    [
      'a comment of the wrong type',
      'post',
      confirm,
      { comment: 5 },
      /request\/body\/comment must be string/,
    ],
    [
      'a body field the spec does not list',
      'post',
      confirm,
      { comment: 'Still ours', owner: 'group:default/payments' },
      /request\/body must NOT have additional properties: owner$/,
    ],
    [
      'a body that is not an object',
      'post',
      confirm,
      ['Still ours'],
      /request\/body must be object/,
    ],
  ];

  it.each(cases)(
    'answers %s with a 400 naming it, before any handler runs',
    async (_what, method, url, body, message) => {
      const { app, reached } = await startApp();
      const res = await request(app)
        [method](url)
        .send(body as object);
      expect({ status: res.status, name: res.body.error?.name }).toEqual({
        status: 400,
        name: 'InputError',
      });
      expect(res.body.error.message).toMatch(message);
      expect(reached()).toEqual({ store: [], catalog: 0, permissions: 0 });
    },
  );

  it('serves the spec at /openapi.json', async () => {
    const { app } = await startApp();
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.info.title).toBe('ownership');
    expect(documentedRoutes(res.body)).toEqual(documentedRoutes(spec));
    expect(res.body.components.schemas.ErrorResponse).toEqual(
      spec.components.schemas.ErrorResponse,
    );
  });
});
