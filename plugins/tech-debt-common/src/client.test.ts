import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { describeApiError } from '@vitals/common';
import { TechDebtClient } from './client';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const baseUrl = 'http://backstage.test/api/tech-debt';
const client = new TechDebtClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
});

describe('TechDebtClient', () => {
  it('sends filters as comma-separated query parameters', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/v1/items`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listItems({
      status: ['open', 'planned'],
      owner: ['group:default/payments'],
      limit: 10,
    });
    expect(seen?.searchParams.get('status')).toBe('open,planned');
    expect(seen?.searchParams.get('owner')).toBe('group:default/payments');
    expect(seen?.searchParams.get('limit')).toBe('10');
  });

  it('surfaces the server’s error message and status as a ResponseError', async () => {
    server.use(
      http.patch(`${baseUrl}/v1/items/abc`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Debt item abc was changed by user:default/jane',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .updateItem('abc', { version: 1, title: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    expect(describeApiError(error)).toBe(
      'Debt item abc was changed by user:default/jane',
    );
  });

  it('deletes with the version the caller saw, so that a stale delete is refused', async () => {
    let seen: URL | undefined;
    server.use(
      http.delete(`${baseUrl}/v1/items/abc`, ({ request }) => {
        seen = new URL(request.url);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await client.deleteItem('abc', 3);
    expect(seen?.searchParams.get('version')).toBe('3');
  });

  it('links an incident with its id encoded whole in the path, and reads what the link did', async () => {
    let seen: { path?: string; body?: unknown } = {};
    server.use(
      http.put(
        `${baseUrl}/v1/items/abc/incidents/:incidentId`,
        async ({ request, params }) => {
          seen = {
            path: new URL(request.url).pathname,
            body: await request.json(),
          };
          expect(params.incidentId).toBe('pagerduty:PGR0VU2/7');
          return HttpResponse.json({ outcome: 'linked', incidents: [] });
        },
      ),
      http.delete(
        `${baseUrl}/v1/items/abc/incidents/:incidentId`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const result = await client.linkIncident('abc', 'pagerduty:PGR0VU2/7', {
      entityRef: 'component:default/payments-api',
      createdAt: '2026-11-30T10:00:00Z',
    });
    expect(result).toEqual({ outcome: 'linked', incidents: [] });
    expect(seen.path).toBe(
      '/api/tech-debt/v1/items/abc/incidents/pagerduty%3APGR0VU2%2F7',
    );
    expect(seen.body).toEqual({
      entityRef: 'component:default/payments-api',
      createdAt: '2026-11-30T10:00:00Z',
    });
    await expect(
      client.unlinkIncident('abc', 'pagerduty:PGR0VU2/7'),
    ).resolves.toBeUndefined();
  });
});
