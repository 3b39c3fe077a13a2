import { toQueryString } from '@vitals/common';
import { ResponseError } from '@backstage/errors';
import type { CreateWaiverRequest, HistoryQuery, SummaryQuery, UpdateWaiverRequest } from './schemas';
import type {
  EntityResultsResponse,
  GroupRollupResponse,
  HistoryResponse,
  OrgSummaryResponse,
  ScorecardDefinition,
  Waiver,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export interface ScorecardsDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export interface ScorecardsFetch {
  fetch: typeof fetch;
}

/** The scorecards API. @public */
export interface ScorecardsApi {
  getDefinitions(): Promise<ScorecardDefinition[]>;
  getEntityResults(entityRef: string): Promise<EntityResultsResponse>;
  refreshEntity(entityRef: string): Promise<EntityResultsResponse>;
  getGroupRollup(groupRef: string): Promise<GroupRollupResponse>;
  getOrgSummary(query?: SummaryQuery): Promise<OrgSummaryResponse>;
  getHistory(query: HistoryQuery): Promise<HistoryResponse>;
  exportCsv(query?: SummaryQuery): Promise<string>;
  listWaivers(query: { entityRef?: string; includeInactive?: boolean }): Promise<Waiver[]>;
  createWaiver(request: CreateWaiverRequest): Promise<Waiver>;
  updateWaiver(id: string, request: UpdateWaiverRequest): Promise<Waiver>;
  deleteWaiver(id: string): Promise<void>;
}


/** Typed HTTP client of the scorecards backend, for the frontend and for other backends. @public */
export class ScorecardsClient implements ScorecardsApi {
  private readonly discoveryApi: ScorecardsDiscovery;
  private readonly fetchApi: ScorecardsFetch;

  constructor(options: { discoveryApi: ScorecardsDiscovery; fetchApi?: ScorecardsFetch }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('scorecards');
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
    return (await (await this.request(path, init)).json()) as T;
  }

  async getDefinitions(): Promise<ScorecardDefinition[]> {
    return (await this.json<{ scorecards: ScorecardDefinition[] }>('/definitions')).scorecards;
  }

  getEntityResults(entityRef: string): Promise<EntityResultsResponse> {
    return this.json(`/entities/results${toQueryString({ entityRef })}`);
  }

  refreshEntity(entityRef: string): Promise<EntityResultsResponse> {
    return this.json('/entities/refresh', { method: 'POST', body: JSON.stringify({ entityRef }) });
  }

  getGroupRollup(groupRef: string): Promise<GroupRollupResponse> {
    return this.json(`/groups/rollup${toQueryString({ groupRef })}`);
  }

  getOrgSummary(query?: SummaryQuery): Promise<OrgSummaryResponse> {
    return this.json(`/summary${toQueryString(query)}`);
  }

  getHistory(query: HistoryQuery): Promise<HistoryResponse> {
    return this.json(`/history${toQueryString(query)}`);
  }

  async exportCsv(query?: SummaryQuery): Promise<string> {
    return (await this.request(`/export.csv${toQueryString(query)}`)).text();
  }

  async listWaivers(query: { entityRef?: string; includeInactive?: boolean }): Promise<Waiver[]> {
    return (await this.json<{ waivers: Waiver[] }>(`/waivers${toQueryString(query)}`)).waivers;
  }

  createWaiver(request: CreateWaiverRequest): Promise<Waiver> {
    return this.json('/waivers', { method: 'POST', body: JSON.stringify(request) });
  }

  updateWaiver(id: string, request: UpdateWaiverRequest): Promise<Waiver> {
    return this.json(`/waivers/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(request) });
  }

  async deleteWaiver(id: string): Promise<void> {
    await this.request(`/waivers/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
}
