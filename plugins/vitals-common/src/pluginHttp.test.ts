import { ResponseError } from '@backstage/errors';
import { PluginHttp } from './pluginHttp';

function fakeFetch(response: Response) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  return {
    calls,
    fetchApi: {
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, init });
        return response;
      }) as unknown as typeof fetch,
    },
  };
}

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

describe('PluginHttp', () => {
  it("calls the plugin's /v1 API and sends a body as JSON", async () => {
    const { calls, fetchApi } = fakeFetch(
      new Response(JSON.stringify({ ok: 1 }), { status: 200 }),
    );
    const http = new PluginHttp('tech-debt', { discoveryApi, fetchApi });
    await expect(
      http.json('/items', { method: 'POST', body: '{"a":1}' }),
    ).resolves.toEqual({ ok: 1 });
    expect(calls[0].url).toBe('http://backend.test/api/tech-debt/v1/items');
    expect(calls[0].init?.headers).toEqual({
      'Content-Type': 'application/json',
    });
  });

  it('sends no content type without a body', async () => {
    const { calls, fetchApi } = fakeFetch(
      new Response('a,b\n', { status: 200 }),
    );
    const http = new PluginHttp('dora', { discoveryApi, fetchApi });
    await expect((await http.request('/export.csv')).text()).resolves.toBe(
      'a,b\n',
    );
    expect(calls[0].init?.headers).toEqual({});
  });

  it("throws a ResponseError with the backend's message and status", async () => {
    // The body Backstage's error handler sends.
    const body = {
      error: {
        name: 'InputError',
        message: 'entityRef: must look like kind:namespace/name',
      },
      request: { method: 'GET', url: '/v1/metrics' },
      response: { statusCode: 400 },
    };
    const { fetchApi } = fakeFetch(
      new Response(JSON.stringify(body), {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    const http = new PluginHttp('dora', { discoveryApi, fetchApi });
    const error = (await http.json('/metrics').catch(e => e)) as ResponseError;
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe(
      'entityRef: must look like kind:namespace/name',
    );
  });
});
