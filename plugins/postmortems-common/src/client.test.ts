import { ResponseError } from '@backstage/errors';
import { describeApiError } from '@vitals/common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { PostmortemsClient } from './client';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const baseUrl = 'http://backstage.test/api/postmortems';
const client = new PostmortemsClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
});
const ID = '0b8f6c1e-3a3c-4c1b-9d52-2f0c7a5e1d11';

describe('PostmortemsClient', () => {
  it('sends list filters comma separated', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/v1/postmortems`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.listPostmortems({
      entityRef: ['component:default/payments-api', 'component:default/ledger'],
      status: ['draft', 'in_review'],
      limit: 5,
    });
    expect(seen?.searchParams.get('entityRef')).toBe(
      'component:default/payments-api,component:default/ledger',
    );
    expect(seen?.searchParams.get('status')).toBe('draft,in_review');
    expect(seen?.searchParams.get('limit')).toBe('5');
  });

  it('encodes a debt item id in the path and unwraps lists', async () => {
    server.use(
      http.get(`${baseUrl}/v1/postmortems/${ID}/history`, () =>
        HttpResponse.json({ entries: [{ id: 1 }] }),
      ),
      http.delete(
        `${baseUrl}/v1/postmortems/${ID}/action-items/6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    expect(await client.getHistory(ID)).toEqual([{ id: 1 }]);
    await expect(
      client.unlinkActionItem(ID, '6f1c1d9e-1f0a-4d47-9a8e-2a4c5b7d9e01'),
    ).resolves.toBeUndefined();
  });

  it('surfaces a stale edit as a 409 ResponseError with the server’s message', async () => {
    server.use(
      http.patch(`${baseUrl}/v1/postmortems/${ID}`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: `Postmortem '${ID}' was changed by user:default/jonas.berg since you loaded it`,
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const error = await client
      .updatePostmortem(ID, { version: 1, summary: 'x' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    expect(describeApiError(error)).toMatch(/was changed by user:default/);
  });
});
