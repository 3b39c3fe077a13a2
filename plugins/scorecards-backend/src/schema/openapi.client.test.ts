import {
  derefOpenApi,
  openApiOperations,
  readOpenApiSpec,
} from '@vitals/backend-test-utils';
import {
  ScorecardsApi,
  ScorecardsClient,
} from '@vitals/plugin-scorecards-common';

const spec = readOpenApiSpec(__dirname);
const BASE_URL = 'http://backstage.test/api/scorecards';
const WAIVER_ID = '5b0e8a52-3f5c-4a8e-9d0c-6f1d2b7a9e41';

/**
 * Operations no client method calls, each with the reason. Every scorecards operation is for the portal and other
 * plugins, so none.
 */
const NOT_IN_THE_CLIENT: Record<string, string> = {};

/** Each method of the client, called with arguments that use every parameter it can send. */
const CALLS: { [M in keyof ScorecardsApi]: (api: ScorecardsApi) => unknown } = {
  getDefinitions: api => api.getDefinitions(),
  getDefinition: api => api.getDefinition('production-readiness'),
  getEntityResults: api =>
    api.getEntityResults('component:default/payments-api'),
  getEntityResultsBatch: api =>
    api.getEntityResultsBatch([
      'component:default/payments-api',
      'component:default/checkout-api',
    ]),
  refreshEntity: api => api.refreshEntity('component:default/payments-api'),
  getGroupRollup: api => api.getGroupRollup('group:default/payments'),
  getOrgSummary: api =>
    api.getOrgSummary({
      scorecardId: ['production-readiness'],
      owner: ['group:default/payments'],
      system: ['system:default/payments'],
    }),
  getHistory: api =>
    api.getHistory({
      entityRef: 'component:default/payments-api',
      owner: 'group:default/payments',
      scorecardId: 'production-readiness',
      from: '2026-09-01',
      to: '2026-12-01',
    }),
  exportCsv: api =>
    api.exportCsv({
      scorecardId: ['production-readiness'],
      owner: ['payments'],
      system: ['payments'],
    }),
  listWaivers: api =>
    api.listWaivers({
      entityRef: 'component:default/payments-api',
      includeInactive: true,
    }),
  getWaiver: api => api.getWaiver(WAIVER_ID),
  listPromotions: api => api.listPromotions({ includeWithdrawn: true }),
  promoteChecks: api =>
    api.promoteChecks({
      checks: [
        {
          scorecardId: 'production-readiness',
          checkId: 'has-techdocs',
          levelId: 'bronze',
        },
      ],
      origin: { kind: 'campaign', id: 'c-1', title: 'TechDocs everywhere' },
    }),
  withdrawPromotion: api => api.withdrawPromotion(WAIVER_ID, 1),
  createWaiver: api =>
    api.createWaiver({
      entityRef: 'component:default/payments-api',
      scorecardId: 'production-readiness',
      checkId: 'has-owner',
      reason: 'The owner is being decided this week',
      expiresAt: '2027-03-31',
    }),
  updateWaiver: api =>
    api.updateWaiver(WAIVER_ID, {
      reason: 'Still being decided',
      expiresAt: '2027-04-30',
      version: 1,
    }),
  deleteWaiver: api => api.deleteWaiver(WAIVER_ID, 2),
  getNextActions: api =>
    api.getNextActions({ team: 'group:default/payments', limit: 10 }),
};

/** The spec's operation for a method and a path below the base URL, as `GET /v1/waivers/{id}`. */
function operationOf(method: string, path: string) {
  return openApiOperations(spec).find(
    op =>
      op.method === method.toLowerCase() &&
      new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
  );
}

describe('ScorecardsClient against the spec', () => {
  it('calls only operations of the spec, with parameters and bodies they document, and every operation is called', async () => {
    const sent: Array<{ method: string; url: URL; body?: unknown }> = [];
    const client = new ScorecardsClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: {
        fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          sent.push({
            method: init?.method ?? 'GET',
            url: new URL(String(input)),
            body: init?.body ? JSON.parse(String(init.body)) : undefined,
          });
          return new Response(JSON.stringify({ scorecards: [], waivers: [] }), {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
        }) as typeof fetch,
      },
    });

    const methods = Object.getOwnPropertyNames(ScorecardsClient.prototype)
      .filter(name => name !== 'constructor')
      .sort();
    expect(methods).toEqual(Object.keys(CALLS).sort());

    const used = new Set<string>();
    const problems: string[] = [];
    for (const [name, call] of Object.entries(CALLS)) {
      sent.length = 0;
      await call(client);
      expect({ name, requests: sent.length }).toEqual({ name, requests: 1 });
      const { method, url, body } = sent[0];
      const path = url.pathname.slice(new URL(BASE_URL).pathname.length);
      const op = operationOf(method, path);
      if (!op) {
        problems.push(`${name}: ${method} ${path} is not in the spec`);
        continue;
      }
      used.add(op.id);
      const documented = op.parameters
        .filter(p => p.in === 'query')
        .map(p => p.name);
      for (const key of new Set(url.searchParams.keys())) {
        if (!documented.includes(key))
          problems.push(`${name}: ${op.id} takes no query parameter ${key}`);
      }
      for (const p of op.parameters.filter(q => q.in === 'query')) {
        if (p.required && !url.searchParams.has(p.name))
          problems.push(
            `${name}: ${op.id} needs the query parameter ${p.name}`,
          );
      }
      if (body !== undefined && !op.requestBody)
        problems.push(`${name}: ${op.id} takes no body`);
      if (body === undefined && op.requestBody?.required)
        problems.push(`${name}: ${op.id} needs a body`);
      const fields = Object.keys(
        derefOpenApi(
          spec,
          op.requestBody?.content?.['application/json']?.schema ?? {},
        ).properties ?? {},
      );
      for (const key of Object.keys((body as object | undefined) ?? {})) {
        if (!fields.includes(key))
          problems.push(`${name}: ${op.id} has no body field ${key}`);
      }
    }
    expect(problems).toEqual([]);

    const unused = openApiOperations(spec)
      .map(op => op.id)
      .filter(id => !used.has(id) && !(id in NOT_IN_THE_CLIENT));
    expect(unused).toEqual([]);
  });
});
