import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  openApiClientDisagreements,
  openApiOperations,
  readOpenApiSpec,
  RecordedRequest,
  recordingFetch,
  routerTestApp,
} from '@vitals/backend-test-utils';
import {
  DEBT_ITEM_ORDER_FIELDS,
  TechDebtApi,
  TechDebtClient,
} from '@vitals/plugin-tech-debt-common';
import request from 'supertest';
import { TechDebtStore } from '../database/TechDebtStore';
import { createRouter } from '../service/router';

// One request per client method through the real router: more than the default 5 s on a busy machine.
jest.setTimeout(30_000);

const spec = readOpenApiSpec(__dirname);
const BASE_URL = 'http://backstage.test/api/tech-debt';
const ID = '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01';

/** Operations no client method calls, each with the reason. The client covers the whole API, so none. */
const NOT_IN_THE_CLIENT: Record<string, string> = {};

/** Each method of the client, called with arguments that use every parameter it can send. */
const CALLS: { [M in keyof TechDebtApi]: (api: TechDebtApi) => unknown } = {
  listItems: api =>
    api.listItems({
      ids: [ID, '0b3f0c8e-5a4d-4c1b-9d2e-7f6a5b4c3d21'],
      entityRef: ['component:default/payments-api', 'component:default/ledger'],
      owner: 'group:default/payments',
      system: ['system:default/payments'],
      status: ['open', 'in_progress'],
      category: ['dependency', 'security'],
      tag: 'runtime',
      search: 'node',
      orderBy: DEBT_ITEM_ORDER_FIELDS[DEBT_ITEM_ORDER_FIELDS.length - 1],
      order: 'asc',
      limit: 10,
      offset: 20,
    }),
  // Handed the query of a paged list, as the register page does: the export must not send its paging.
  exportItemsCsv: api =>
    api.exportItemsCsv({
      owner: ['group:default/payments'],
      status: ['open'],
      orderBy: 'effortDays',
      order: 'desc',
      limit: 100,
      offset: 200,
    }),
  getItem: api => api.getItem(ID),
  getItemEvents: api => api.getItemEvents(ID),
  createItem: api =>
    api.createItem({
      entityRef: 'component:default/payments-api',
      title: 'Upgrade Node.js',
      description: 'End of life',
      category: 'dependency',
      impact: 4,
      effortDays: 2,
      interestHoursPerMonth: 6,
      status: 'planned',
      assignee: 'user:default/jane',
      trackerUrl: 'https://issues.example.com/PAY-1',
      tags: ['runtime'],
    }),
  updateItem: api =>
    api.updateItem(ID, { version: 3, status: 'resolved', assignee: null }),
  deleteItem: api => api.deleteItem(ID, 3),
  getSummary: api => api.getSummary('component:default/payments-api'),
  getFacets: api => api.getFacets(),
  getBudget: api => api.getBudget('group:default/payments', '2026-Q4'),
  putBudget: api =>
    api.putBudget('group:default/payments', '2026-Q4', {
      capacityDays: 60,
      sharePercent: 20,
      version: 2,
    }),
  // An incident id with the characters incident tools use (`:`) and one that must stay inside its path segment (`/`).
  linkIncident: api =>
    api.linkIncident(ID, 'pagerduty:PGR0VU2/1', {
      entityRef: 'component:default/payments-api',
      createdAt: '2026-11-20T08:12:00Z',
      resolvedAt: '2026-11-20T09:27:00Z',
      severity: 'SEV2',
      restoreMinutes: 75,
      postmortemId: 'pm-1',
      postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
      title: 'Card captures timed out',
    }),
  unlinkIncident: api => api.unlinkIncident(ID, 'pagerduty:PGR0VU2/1'),
  getRepeatIncidentsReport: api =>
    api.getRepeatIncidentsReport({
      owner: ['group:default/payments'],
      days: 30,
      minIncidents: 3,
    }),
};

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

/** Every client request, one per method, as the client sent them. */
async function recordClientRequests() {
  const { fetch, sent } = recordingFetch(() => ({ events: [] }));
  const client = new TechDebtClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
    fetchApi: { fetch },
  });
  const requests: Array<{ name: string; request: RecordedRequest }> = [];
  for (const [name, call] of Object.entries(CALLS)) {
    sent.length = 0;
    await call(client);
    expect({ name, requests: sent.length }).toEqual({ name, requests: 1 });
    requests.push({ name, request: sent[0] });
  }
  return requests;
}

describe('TechDebtClient against the spec', () => {
  it('has a call here for every method', () => {
    const methods = Object.getOwnPropertyNames(TechDebtClient.prototype)
      .filter(name => name !== 'constructor')
      .sort();
    expect(methods).toEqual(Object.keys(CALLS).sort());
  });

  it('calls only operations of the spec, with parameters they document, and every operation is called', async () => {
    const { problems, used } = openApiClientDisagreements(
      spec,
      BASE_URL,
      await recordClientRequests(),
    );
    expect(problems).toEqual([]);
    const unused = openApiOperations(spec)
      .map(op => op.id)
      .filter(id => !used.includes(id) && !(id in NOT_IN_THE_CLIENT));
    expect(unused).toEqual([]);
  });

  it('sends requests that the router lets through to its store', async () => {
    const reached: string[] = [];
    // A store that records the call and then fails: the request passed the spec, zod and the guards to get here.
    const store = new Proxy(
      {},
      {
        get: (_target, method) => async () => {
          reached.push(String(method));
          throw new Error('recorded');
        },
      },
    ) as TechDebtStore;
    const app = routerTestApp(
      await createRouter({
        store,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/jane'),
        }),
        permissions: mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }),
        catalog: catalogServiceMock({ entities: ENTITIES }),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      }),
    );
    const answers: Array<{ name: string; status: number; message?: string }> =
      [];
    for (const { name, request: sent } of await recordClientRequests()) {
      reached.length = 0;
      const path = `${sent.url.pathname.slice(
        new URL(BASE_URL).pathname.length,
      )}${sent.url.search}`;
      const method = sent.method.toLowerCase() as
        | 'get'
        | 'post'
        | 'patch'
        | 'put'
        | 'delete';
      let req = request(app)[method](path);
      if (sent.body !== undefined) req = req.send(sent.body as object);
      const res = await req;
      if (res.status !== 500 || reached.length !== 1)
        answers.push({
          name,
          status: res.status,
          message: res.body?.error?.message,
        });
    }
    expect(answers).toEqual([]);
  });
});
