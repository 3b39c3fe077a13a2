import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { GoalsClient } from './client';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const baseUrl = 'http://backstage.test/api/goals';
const client = new GoalsClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
});

describe('GoalsClient', () => {
  it('sends list filters comma-separated', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/v1/goals`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({ goals: [], totalCount: 0 });
      }),
    );
    await client.listGoals({ owner: ['org', 'group:default/payments'] });
    expect(seen?.searchParams.get('owner')).toBe('org,group:default/payments');
  });

  it('asks for a campaign without its entity states and for a page of them, keeping a limit of 0', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/campaigns/c1`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ id: 'c1', entityStates: [] });
      }),
      http.get(`${baseUrl}/v1/campaigns/c1/entities`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ entities: [], totalCount: 7 });
      }),
    );
    await client.getCampaign('c1', { entityLimit: 0 });
    await client.getCampaign('c1');
    expect(
      await client.listCampaignEntities('c1', {
        state: ['open', 'waived'],
        search: 'pay ments',
        limit: 20,
        offset: 40,
      }),
    ).toEqual({ entities: [], totalCount: 7 });
    expect(seen).toEqual([
      '?entityLimit=0',
      '',
      '?state=open%2Cwaived&search=pay+ments&limit=20&offset=40',
    ]);
  });

  it('encodes group refs in the query, so that a ref with a slash or an ampersand stays one value', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/goals`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ goals: [], totalCount: 0 });
      }),
      http.get(`${baseUrl}/v1/campaigns`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ campaigns: [], totalCount: 0 });
      }),
    );
    await client.listGoals({
      owner: ['group:default/payments'],
      period: ['2026-Q4'],
    });
    await client.listCampaigns({ owner: ['group:default/r&d'] });
    expect(seen[0]).toBe('?owner=group%3Adefault%2Fpayments&period=2026-Q4');
    expect(new URLSearchParams(seen[1]).get('owner')).toBe('group:default/r&d');
  });

  it('surfaces a 409 as a ResponseError', async () => {
    server.use(
      http.delete(`${baseUrl}/v1/goals/abc`, () =>
        HttpResponse.json(
          {
            error: { name: 'ConflictError', message: 'Goal abc changed' },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client.deleteGoal('abc', 1).catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
  });

  it('asks for the stakeholder report as JSON, or as Markdown or CSV text', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/v1/reports/stakeholder`, ({ request }) => {
        const url = new URL(request.url);
        seen.push(url.search);
        return url.searchParams.get('format') === 'json'
          ? HttpResponse.json({ team: 'org' })
          : HttpResponse.text('# The org: 2026-Q4\n');
      }),
    );
    const query = { team: 'group:default/payments', quarter: '2026-Q4' };
    expect(await client.getStakeholderReport(query)).toEqual({ team: 'org' });
    expect(await client.exportStakeholderReport(query, 'markdown')).toBe(
      '# The org: 2026-Q4\n',
    );
    expect(seen.map(s => new URLSearchParams(s).get('format'))).toEqual([
      'json',
      'markdown',
    ]);
    expect(new URLSearchParams(seen[0]).get('team')).toBe(
      'group:default/payments',
    );
  });
});
