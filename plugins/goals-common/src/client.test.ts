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
});
