import { openApiOperations, readOpenApiSpec } from '@vitals/backend-test-utils';
import { OwnershipApi, OwnershipClient } from '@vitals/plugin-ownership-common';

const spec = readOpenApiSpec(__dirname);
const BASE_URL = 'http://backstage.test/api/ownership';

/**
 * Operations no client method calls, each with the reason. Every ownership operation is for the portal and other
 * plugins, so none.
 */
const NOT_IN_THE_CLIENT: Record<string, string> = {};

/** Each method of the client, called with arguments that use every parameter it can send. */
const CALLS: { [M in keyof OwnershipApi]: (api: OwnershipApi) => unknown } = {
  getEntityOwnership: api =>
    api.getEntityOwnership('component:default/payments-api'),
  getHistory: api => api.getHistory('component:default/payments-api'),
  confirmOwnership: api =>
    api.confirmOwnership('component:default/payments-api', {
      comment: 'Still ours',
    }),
  getReportSummary: api =>
    api.getReportSummary({
      kind: ['component', 'api'],
      system: ['system:default/payments'],
      team: 'group:default/payments',
    }),
  listProblems: api =>
    api.listProblems({
      kind: ['component'],
      system: ['payments'],
      team: 'payments',
      problem: 'no-owner',
      limit: 10,
      offset: 20,
    }),
  // Handed the query of a paged list, as the report page does: the export must not send its paging.
  exportProblemsCsv: api =>
    api.exportProblemsCsv({
      kind: ['component'],
      system: ['payments'],
      team: 'payments',
      problem: 'no-owner',
      limit: 10,
      offset: 20,
    } as Parameters<OwnershipApi['exportProblemsCsv']>[0]),
  getFacets: api => api.getFacets(),
  listGroups: api => api.listGroups({ limit: 10, offset: 20 }),
  getGroup: api => api.getGroup('group:default/payments'),
};

/** The spec's operation for a method and a path below the base URL, as `GET /v1/groups/{namespace}/{name}`. */
function operationOf(method: string, path: string) {
  return openApiOperations(spec).find(
    op =>
      op.method === method.toLowerCase() &&
      new RegExp(`^${op.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
  );
}

describe('OwnershipClient against the spec', () => {
  it('calls only operations of the spec, with parameters they document, and every operation is called', async () => {
    const sent: Array<{ method: string; url: URL; body?: unknown }> = [];
    const client = new OwnershipClient({
      discoveryApi: { getBaseUrl: async () => BASE_URL },
      fetchApi: {
        fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          sent.push({
            method: init?.method ?? 'GET',
            url: new URL(String(input)),
            body: init?.body ? JSON.parse(String(init.body)) : undefined,
          });
          return new Response(JSON.stringify({ events: [] }), {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
          });
        }) as typeof fetch,
      },
    });

    const methods = Object.getOwnPropertyNames(OwnershipClient.prototype)
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
      if (body !== undefined && !op.requestBody)
        problems.push(`${name}: ${op.id} takes no body`);
    }
    expect(problems).toEqual([]);

    const unused = openApiOperations(spec)
      .map(op => op.id)
      .filter(id => !used.has(id) && !(id in NOT_IN_THE_CLIENT));
    expect(unused).toEqual([]);
  });
});
