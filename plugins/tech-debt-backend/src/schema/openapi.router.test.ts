import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  documentedRoutes,
  readOpenApiSpec,
  routerTestApp,
} from '@vitals/backend-test-utils';
import request from 'supertest';
import { TechDebtStore } from '../database/TechDebtStore';
import { createRouter } from '../service/router';

const spec = readOpenApiSpec(__dirname);
const USER = mockCredentials.user.header('user:default/guest');
const ID = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';

/** The router over a store, a catalog and a policy that record every call: a request the spec refuses reaches none. */
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
  ) as TechDebtStore;
  const catalog = catalogServiceMock();
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const permissions = mockServices.permissions.mock();
  const auditor = mockServices.auditor.mock();
  const app = routerTestApp(
    await createRouter({
      store,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions,
      catalog,
      auditor,
      logger: mockServices.logger.mock(),
    }),
  );
  const reached = () => ({
    store: storeCalls,
    catalog: getEntityByRef.mock.calls.length,
    permissions: permissions.authorize.mock.calls.length,
    audited: auditor.createEvent.mock.calls.length,
  });
  return { app, reached };
}

const validItem = {
  entityRef: 'component:default/payments-api',
  title: 'Upgrade Node.js',
  category: 'dependency',
  impact: 4,
  effortDays: 2,
};

describe('the tech-debt router enforces its OpenAPI spec', () => {
  // [what, method, url, body, what the 400's message must say]
  const cases: Array<
    [
      string,
      'get' | 'post' | 'patch' | 'put' | 'delete',
      string,
      unknown,
      RegExp,
    ]
  > = [
    [
      'an item id that is not a UUID',
      'get',
      "/v1/items/1'%20or%20'1'='1",
      undefined,
      /^request\/params\/id must match format "uuid"$/,
    ],
    [
      'an item id that is not a UUID, on a write',
      'patch',
      '/v1/items/42',
      { version: 1, title: 'x' },
      /^request\/params\/id must match format "uuid"$/,
    ],
    [
      'a quarter that does not exist',
      'get',
      '/v1/budgets/2026-Q5?groupRef=group:default/payments',
      undefined,
      /^request\/params\/quarter must match pattern/,
    ],
    [
      'a budget without its team',
      'put',
      '/v1/budgets/2026-Q4',
      { capacityDays: 60, sharePercent: 20 },
      /request\/query must have required property 'groupRef'/,
    ],
    [
      'a page size out of bounds',
      'get',
      '/v1/items?limit=1001',
      undefined,
      /^request\/query\/limit must be <= 1000$/,
    ],
    [
      'an offset that is not a whole number',
      'get',
      '/v1/items?offset=2.5',
      undefined,
      /^request\/query\/offset must be integer$/,
    ],
    [
      'a status outside the enum, in a list',
      'get',
      '/v1/items?status=open,vibes',
      undefined,
      /^request\/query\/status\/1 must be equal to one of the allowed values: open, planned, in_progress, resolved, wont_fix$/,
    ],
    [
      'a sort field outside the enum',
      'get',
      '/v1/items/export.csv?orderBy=owner',
      undefined,
      /^request\/query\/orderBy must be equal to one of the allowed values/,
    ],
    [
      'more entity refs than a filter takes',
      'get',
      `/v1/items?entityRef=${Array.from({ length: 101 }, (_, i) => `c${i}`)}`,
      undefined,
      /^request\/query\/entityRef must NOT have more than 100 items$/,
    ],
    [
      'a search over 200 characters',
      'get',
      `/v1/items?search=${'x'.repeat(201)}`,
      undefined,
      /^request\/query\/search must NOT have more than 200 characters$/,
    ],
    [
      'a query parameter the facets take none of',
      'get',
      '/v1/facets?owner=group:default/payments',
      undefined,
      /^Unknown query parameter 'owner'$/,
    ],
    [
      'paging on the export, which is never paged',
      'get',
      '/v1/items/export.csv?offset=100',
      undefined,
      /^Unknown query parameter 'offset'$/,
    ],
    [
      'a delete without the version it deletes',
      'delete',
      `/v1/items/${ID}`,
      undefined,
      /^request\/query must have required property 'version'$/,
    ],
    [
      'a delete version beyond 32 bits',
      'delete',
      `/v1/items/${ID}?version=2147483648`,
      undefined,
      /^request\/query\/version must be <= 2147483647$/,
    ],
    [
      'an impact of the wrong type',
      'post',
      '/v1/items',
      { ...validItem, impact: 'high' },
      /^request\/body\/impact must be integer$/,
    ],
    [
      'a body without a required field',
      'post',
      '/v1/items',
      { ...validItem, title: undefined },
      /^request\/body must have required property 'title'$/,
    ],
    [
      'a derived field sent in a new item',
      'post',
      '/v1/items',
      { ...validItem, priority: 99 },
      /^request\/body must NOT have additional properties: priority$/,
    ],
    [
      'a field an update may not change',
      'patch',
      `/v1/items/${ID}`,
      { version: 1, ownerRef: 'group:default/payments' },
      /^request\/body must NOT have additional properties: ownerRef$/,
    ],
    [
      'more tags than an item takes',
      'patch',
      `/v1/items/${ID}`,
      { version: 1, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      /^request\/body\/tags must NOT have more than 20 items$/,
    ],
    [
      'a share over 100 percent',
      'put',
      '/v1/budgets/2026-Q4?groupRef=group:default/payments',
      { capacityDays: 60, sharePercent: 101 },
      /^request\/body\/sharePercent must be <= 100$/,
    ],
    [
      'a body that is not an object',
      'put',
      '/v1/budgets/2026-Q4?groupRef=group:default/payments',
      [60, 20],
      /^request\/body must be object$/,
    ],
  ];

  it.each(cases)(
    'answers %s with a 400 naming it, before any handler runs',
    async (_what, method, url, body, message) => {
      const { app, reached } = await startApp();
      const res = await request(app)
        [method](url)
        .set('Authorization', USER)
        .send(body as object);
      expect({ status: res.status, name: res.body.error?.name }).toEqual({
        status: 400,
        name: 'InputError',
      });
      expect(res.body.error.message).toMatch(message);
      expect(reached()).toEqual({
        store: [],
        catalog: 0,
        permissions: 0,
        audited: 0,
      });
    },
  );

  it('lets a request that follows the spec through to the handler', async () => {
    const { app, reached } = await startApp();
    const res = await request(app)
      .get(
        '/v1/items?status=open,planned&category=dependency&category=security&orderBy=title&limit=10',
      )
      .set('Authorization', USER);
    // The store of this test throws: the request got past the validator, zod and the guards to it.
    expect(res.status).toBe(500);
    expect(reached().store).toEqual(['listItems']);
  });

  it('serves the spec at /openapi.json', async () => {
    const { app } = await startApp();
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.info.title).toBe('tech-debt');
    expect(documentedRoutes(res.body)).toEqual(documentedRoutes(spec));
    expect(res.body.components.schemas.ErrorResponse).toEqual(
      spec.components.schemas.ErrorResponse,
    );
  });
});
