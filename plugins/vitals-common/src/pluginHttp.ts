import { ResponseError } from '@backstage/errors';

/** What a Vitals client needs from Backstage's DiscoveryApi (frontend) or DiscoveryService (backend). @public */
export interface PluginDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** What a Vitals client needs from Backstage's FetchApi, which adds the caller's token. @public */
export interface PluginFetch {
  fetch: typeof fetch;
}

/**
 * Requests to one Vitals backend's `/v1` API, shared by the typed clients: the base URL comes from discovery, a body
 * is sent as JSON, and a response that is not ok is thrown as a `ResponseError` (which carries the backend's error
 * message and status).
 *
 * @public
 */
export class PluginHttp {
  private readonly pluginId: string;
  private readonly discoveryApi: PluginDiscovery;
  private readonly fetchApi: PluginFetch;

  constructor(
    pluginId: string,
    options: { discoveryApi: PluginDiscovery; fetchApi?: PluginFetch },
  ) {
    this.pluginId = pluginId;
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  /** The response of `path` (relative to `/v1`); throws a `ResponseError` unless it is ok. */
  async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl(this.pluginId);
    const response = await this.fetchApi.fetch(`${baseUrl}/v1${path}`, {
      ...init,
      headers: {
        ...(init?.body ? { 'Content-Type': 'application/json' } : {}),
        ...init?.headers,
      },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  /** The JSON body of `path`'s response. */
  async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }
}
