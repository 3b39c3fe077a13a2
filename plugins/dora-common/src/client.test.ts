import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DoraClient } from './client';
import {
  changesQuerySchema,
  deploymentsQuerySchema,
  flowPullRequestsQuerySchema,
  flowQuerySchema,
  flowTeamsQuerySchema,
  flowWaitingQuerySchema,
  incidentsQuerySchema,
  metricsQuerySchema,
  teamsQuerySchema,
} from './schemas';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const baseUrl = 'http://backstage.test/api/dora';
const client = new DoraClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
});

/** Answers every GET with an empty body and records the query the backend would parse. */
function recordQueries() {
  const seen: Array<{ path: string; query: Record<string, string> }> = [];
  server.use(
    http.get(`${baseUrl}/v1/:path`, ({ request, params }) => {
      const url = new URL(request.url);
      seen.push({
        path: String(params.path),
        query: Object.fromEntries(url.searchParams),
      });
      return HttpResponse.json({});
    }),
  );
  return seen;
}

describe('DoraClient', () => {
  it('sends typed queries the way the backend parses them', async () => {
    const seen = recordQueries();
    const window = {
      entityRef: 'component:default/payments-api',
      from: '2026-01-05',
      to: '2026-02-02',
    };
    await client.getMetrics({ ...window, benchmark: '2021' });
    await client.listDeployments({
      ...window,
      failed: true,
      rework: false,
      limit: 25,
      offset: 50,
    });
    await client.listChanges({ ...window, deploymentId: 'deploy-1' });
    await client.listIncidents({ ...window, limit: 10 });
    await client.getTeamMetrics({
      from: '2026-01-05',
      to: '2026-02-02',
      benchmark: '2023',
      type: 'team',
    });

    expect(seen.map(s => s.path)).toEqual([
      'metrics',
      'deployments',
      'changes',
      'incidents',
      'teams',
    ]);
    expect(seen[1].query).toEqual({
      ...window,
      failed: 'true',
      rework: 'false',
      limit: '25',
      offset: '50',
    });
    expect(seen[4].query).toEqual({
      from: '2026-01-05',
      to: '2026-02-02',
      benchmark: '2023',
      type: 'team',
    });
    const schemas = [
      metricsQuerySchema,
      deploymentsQuerySchema,
      changesQuerySchema,
      incidentsQuerySchema,
      teamsQuerySchema,
    ];
    schemas.forEach((schema, i) =>
      expect(schema.safeParse(seen[i].query).success).toBe(true),
    );
    expect(deploymentsQuerySchema.parse(seen[1].query)).toMatchObject({
      failed: true,
      rework: false,
      limit: 25,
      offset: 50,
    });
  });

  it('sends the flow queries to their routes the way the backend parses them', async () => {
    const seen: Array<{ path: string; query: Record<string, string> }> = [];
    server.use(
      http.get(`${baseUrl}/v1/flow*`, ({ request }) => {
        const url = new URL(request.url);
        seen.push({
          path: url.pathname.replace('/api/dora/v1/', ''),
          query: Object.fromEntries(url.searchParams),
        });
        return HttpResponse.json({});
      }),
    );
    const window = {
      entityRef: 'group:default/payments',
      from: '2026-01-05',
      to: '2026-02-02',
    };
    await client.getFlow(window);
    await client.listFlowPullRequests({
      ...window,
      part: 'pickup',
      unreviewed: false,
      large: true,
      limit: 20,
      offset: 40,
    });
    await client.listWaitingPullRequests({
      entityRef: 'group:default/payments',
      limit: 5,
    });
    await client.getFlowTeams({ from: '2026-01-05', type: 'team' });
    expect(seen).toEqual([
      { path: 'flow', query: window },
      {
        path: 'flow/pull-requests',
        query: {
          ...window,
          part: 'pickup',
          unreviewed: 'false',
          large: 'true',
          limit: '20',
          offset: '40',
        },
      },
      {
        path: 'flow/waiting',
        query: { entityRef: 'group:default/payments', limit: '5' },
      },
      { path: 'flow/teams', query: { from: '2026-01-05', type: 'team' } },
    ]);
    expect(flowTeamsQuerySchema.parse(seen[3].query)).toMatchObject({
      from: '2026-01-05T00:00:00.000Z',
      type: 'team',
    });
    expect(flowQuerySchema.safeParse(seen[0].query).success).toBe(true);
    expect(flowPullRequestsQuerySchema.parse(seen[1].query)).toMatchObject({
      part: 'pickup',
      unreviewed: false,
      large: true,
      limit: 20,
      offset: 40,
    });
    expect(flowWaitingQuerySchema.parse(seen[2].query)).toEqual({
      entityRef: 'group:default/payments',
      limit: 5,
      offset: 0,
    });
  });

  it('asks for every team without a query', async () => {
    const seen = recordQueries();
    await client.getTeamMetrics();
    expect(seen).toEqual([{ path: 'teams', query: {} }]);
  });

  it('surfaces the server’s error as a ResponseError', async () => {
    server.use(
      http.get(`${baseUrl}/v1/teams`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'Invalid query: benchmark: Invalid option',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client
      .getTeamMetrics({ benchmark: '2023' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
    expect(error.body.error.message).toContain('Invalid query');
  });
});
