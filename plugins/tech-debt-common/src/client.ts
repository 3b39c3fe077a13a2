import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type {
  CreateItemRequest,
  LinkIncidentRequest,
  ListItemsQuery,
  PutBudgetRequest,
  RepeatIncidentsQuery,
  UpdateItemRequest,
} from './schemas';
import type {
  DebtBudget,
  DebtFacets,
  DebtItem,
  DebtItemEvent,
  DebtItemPage,
  EntityDebtSummary,
  LinkIncidentResult,
  RepeatIncidentsReport,
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
  /**
   * Links a DORA incident to the item, or refreshes the snapshot of a link that exists (idempotent); resolves to the
   * item's links. Needs the permission to edit the item.
   */
  linkIncident(
    id: string,
    incidentId: string,
    request: LinkIncidentRequest,
  ): Promise<LinkIncidentResult>;
  /** Unlinks the incident from the item (a 404 `ResponseError` when it is not linked). */
  unlinkIncident(id: string, incidentId: string): Promise<void>;
  /** Open items whose linked incidents keep happening, per owning team. */
  getRepeatIncidentsReport(
    query?: RepeatIncidentsQuery,
  ): Promise<RepeatIncidentsReport>;
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

  linkIncident(
    id: string,
    incidentId: string,
    request: LinkIncidentRequest,
  ): Promise<LinkIncidentResult> {
    return this.http.json(incidentPath(id, incidentId), {
      method: 'PUT',
      body: JSON.stringify(request),
    });
  }

  async unlinkIncident(id: string, incidentId: string): Promise<void> {
    await this.http.request(incidentPath(id, incidentId), {
      method: 'DELETE',
    });
  }

  getRepeatIncidentsReport(
    query?: RepeatIncidentsQuery,
  ): Promise<RepeatIncidentsReport> {
    return this.http.json(`/reports/repeat-incidents${toQueryString(query)}`);
  }
}

/** The path of one incident link; the incident id (`pagerduty:PGR0VU2`) is encoded whole, slashes included. */
function incidentPath(id: string, incidentId: string): string {
  return `/items/${encodeURIComponent(id)}/incidents/${encodeURIComponent(
    incidentId,
  )}`;
}
