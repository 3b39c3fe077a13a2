import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type {
  CreateItemRequest,
  ListItemsQuery,
  PutBudgetRequest,
  UpdateItemRequest,
} from './schemas';
import type {
  DebtBudget,
  DebtFacets,
  DebtItem,
  DebtItemEvent,
  DebtItemPage,
  EntityDebtSummary,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export type TechDebtDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type TechDebtFetch = PluginFetch;

/** The tech-debt register API. @public */
export interface TechDebtApi {
  listItems(query?: ListItemsQuery): Promise<DebtItemPage>;
  exportItemsCsv(query?: ListItemsQuery): Promise<string>;
  getItem(id: string): Promise<DebtItem>;
  getItemEvents(id: string): Promise<DebtItemEvent[]>;
  createItem(request: CreateItemRequest): Promise<DebtItem>;
  updateItem(id: string, request: UpdateItemRequest): Promise<DebtItem>;
  /** Deletes the item if `version` is still its current version (a stale one is a 409 `ResponseError`). */
  deleteItem(id: string, version: number): Promise<void>;
  getSummary(entityRef: string): Promise<EntityDebtSummary>;
  getFacets(): Promise<DebtFacets>;
  getBudget(groupRef: string, quarter: string): Promise<DebtBudget>;
  putBudget(
    groupRef: string,
    quarter: string,
    request: PutBudgetRequest,
  ): Promise<DebtBudget>;
}

/** Typed HTTP client of the tech-debt backend, for the frontend and for other backends. @public */
export class TechDebtClient implements TechDebtApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: TechDebtDiscovery;
    fetchApi?: TechDebtFetch;
  }) {
    this.http = new PluginHttp('tech-debt', options);
  }

  listItems(query?: ListItemsQuery): Promise<DebtItemPage> {
    return this.http.json(`/items${toQueryString(query)}`);
  }

  async exportItemsCsv(query?: ListItemsQuery): Promise<string> {
    const { limit: _limit, offset: _offset, ...filters } = query ?? {};
    const response = await this.http.request(
      `/items/export.csv${toQueryString(filters)}`,
    );
    return response.text();
  }

  getItem(id: string): Promise<DebtItem> {
    return this.http.json(`/items/${encodeURIComponent(id)}`);
  }

  async getItemEvents(id: string): Promise<DebtItemEvent[]> {
    const body = await this.http.json<{ events: DebtItemEvent[] }>(
      `/items/${encodeURIComponent(id)}/events`,
    );
    return body.events;
  }

  createItem(request: CreateItemRequest): Promise<DebtItem> {
    return this.http.json('/items', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  updateItem(id: string, request: UpdateItemRequest): Promise<DebtItem> {
    return this.http.json(`/items/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: JSON.stringify(request),
    });
  }

  async deleteItem(id: string, version: number): Promise<void> {
    await this.http.request(
      `/items/${encodeURIComponent(id)}${toQueryString({ version })}`,
      { method: 'DELETE' },
    );
  }

  getSummary(entityRef: string): Promise<EntityDebtSummary> {
    return this.http.json(`/summary${toQueryString({ entityRef })}`);
  }

  getFacets(): Promise<DebtFacets> {
    return this.http.json('/facets');
  }

  getBudget(groupRef: string, quarter: string): Promise<DebtBudget> {
    return this.http.json(
      `/budgets/${encodeURIComponent(quarter)}${toQueryString({ groupRef })}`,
    );
  }

  putBudget(
    groupRef: string,
    quarter: string,
    request: PutBudgetRequest,
  ): Promise<DebtBudget> {
    return this.http.json(
      `/budgets/${encodeURIComponent(quarter)}${toQueryString({ groupRef })}`,
      {
        method: 'PUT',
        body: JSON.stringify(request),
      },
    );
  }
}
