import { toQueryString } from '@vitals/common';
import { ResponseError } from '@backstage/errors';
import type { CreateItemRequest, ListItemsQuery, PutBudgetRequest, UpdateItemRequest } from './schemas';
import type {
  DebtBudget,
  DebtFacets,
  DebtItem,
  DebtItemEvent,
  DebtItemPage,
  EntityDebtSummary,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export interface TechDebtDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export interface TechDebtFetch {
  fetch: typeof fetch;
}

/** The tech-debt register API. @public */
export interface TechDebtApi {
  listItems(query?: ListItemsQuery): Promise<DebtItemPage>;
  exportItemsCsv(query?: ListItemsQuery): Promise<string>;
  getItem(id: string): Promise<DebtItem>;
  getItemEvents(id: string): Promise<DebtItemEvent[]>;
  createItem(request: CreateItemRequest): Promise<DebtItem>;
  updateItem(id: string, request: UpdateItemRequest): Promise<DebtItem>;
  deleteItem(id: string, version?: number): Promise<void>;
  getSummary(entityRef: string): Promise<EntityDebtSummary>;
  getFacets(): Promise<DebtFacets>;
  getBudget(groupRef: string, quarter: string): Promise<DebtBudget>;
  putBudget(groupRef: string, quarter: string, request: PutBudgetRequest): Promise<DebtBudget>;
}


/** Typed HTTP client of the tech-debt backend, for the frontend and for other backends. @public */
export class TechDebtClient implements TechDebtApi {
  private readonly discoveryApi: TechDebtDiscovery;
  private readonly fetchApi: TechDebtFetch;

  constructor(options: { discoveryApi: TechDebtDiscovery; fetchApi?: TechDebtFetch }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('tech-debt');
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

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  listItems(query?: ListItemsQuery): Promise<DebtItemPage> {
    return this.json(`/items${toQueryString(query)}`);
  }

  async exportItemsCsv(query?: ListItemsQuery): Promise<string> {
    const { limit: _limit, offset: _offset, ...filters } = query ?? {};
    const response = await this.request(`/items/export.csv${toQueryString(filters)}`);
    return response.text();
  }

  getItem(id: string): Promise<DebtItem> {
    return this.json(`/items/${encodeURIComponent(id)}`);
  }

  async getItemEvents(id: string): Promise<DebtItemEvent[]> {
    const body = await this.json<{ events: DebtItemEvent[] }>(
      `/items/${encodeURIComponent(id)}/events`,
    );
    return body.events;
  }

  createItem(request: CreateItemRequest): Promise<DebtItem> {
    return this.json('/items', { method: 'POST', body: JSON.stringify(request) });
  }

  updateItem(id: string, request: UpdateItemRequest): Promise<DebtItem> {
    return this.json(`/items/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  async deleteItem(id: string, version?: number): Promise<void> {
    await this.request(
      `/items/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }

  getSummary(entityRef: string): Promise<EntityDebtSummary> {
    return this.json(`/summary${toQueryString({ entityRef })}`);
  }

  getFacets(): Promise<DebtFacets> {
    return this.json('/facets');
  }

  getBudget(groupRef: string, quarter: string): Promise<DebtBudget> {
    return this.json(`/budgets/${encodeURIComponent(quarter)}${toQueryString({ groupRef })}`);
  }

  putBudget(groupRef: string, quarter: string, request: PutBudgetRequest): Promise<DebtBudget> {
    return this.json(`/budgets/${encodeURIComponent(quarter)}${toQueryString({ groupRef })}`, {
      method: 'PUT',
      body: JSON.stringify(request),
    });
  }
}
