import { toQueryString } from '@vitals/common';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type { ConfirmRequest, ListGroupsQuery, ReportFilter, ReportProblemsQuery } from './schemas';
import type {
  EntityOwnership,
  GroupOwnershipFigures,
  GroupOwnershipPage,
  OwnershipConfirmation,
  OwnershipFacets,
  OwnershipHistoryEvent,
  OwnershipReportPage,
  OwnershipReportSummary,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export interface OwnershipDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export interface OwnershipFetch {
  fetch: typeof fetch;
}

/** The ownership health API. @public */
export interface OwnershipApi {
  getEntityOwnership(entityRef: string): Promise<EntityOwnership>;
  getHistory(entityRef: string): Promise<OwnershipHistoryEvent[]>;
  confirmOwnership(entityRef: string, request?: ConfirmRequest): Promise<OwnershipConfirmation>;
  getReportSummary(filter?: ReportFilter): Promise<OwnershipReportSummary>;
  listProblems(query?: ReportProblemsQuery): Promise<OwnershipReportPage>;
  exportProblemsCsv(query?: ReportProblemsQuery): Promise<string>;
  getFacets(): Promise<OwnershipFacets>;
  listGroups(query?: ListGroupsQuery): Promise<GroupOwnershipPage>;
  getGroup(groupRef: string): Promise<GroupOwnershipFigures>;
}


function entityPath(entityRef: string, defaultKind?: string): string {
  const ref = parseEntityRef(entityRef, { defaultKind, defaultNamespace: 'default' });
  return [ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join('/');
}

/** Typed HTTP client of the ownership backend, for the frontend and for other backends. @public */
export class OwnershipClient implements OwnershipApi {
  private readonly discoveryApi: OwnershipDiscovery;
  private readonly fetchApi: OwnershipFetch;

  constructor(options: { discoveryApi: OwnershipDiscovery; fetchApi?: OwnershipFetch }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ownership');
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

  getEntityOwnership(entityRef: string): Promise<EntityOwnership> {
    return this.json(`/entities/${entityPath(entityRef)}`);
  }

  async getHistory(entityRef: string): Promise<OwnershipHistoryEvent[]> {
    const body = await this.json<{ events: OwnershipHistoryEvent[] }>(
      `/entities/${entityPath(entityRef)}/history`,
    );
    return body.events;
  }

  confirmOwnership(entityRef: string, request: ConfirmRequest = {}): Promise<OwnershipConfirmation> {
    return this.json(`/entities/${entityPath(entityRef)}/confirmations`, {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  getReportSummary(filter?: ReportFilter): Promise<OwnershipReportSummary> {
    return this.json(`/report${toQueryString(filter)}`);
  }

  listProblems(query?: ReportProblemsQuery): Promise<OwnershipReportPage> {
    return this.json(`/report/problems${toQueryString(query)}`);
  }

  async exportProblemsCsv(query?: ReportProblemsQuery): Promise<string> {
    const { limit: _limit, offset: _offset, ...filters } = query ?? {};
    const response = await this.request(`/report/problems.csv${toQueryString(filters)}`);
    return response.text();
  }

  getFacets(): Promise<OwnershipFacets> {
    return this.json('/facets');
  }

  listGroups(query?: ListGroupsQuery): Promise<GroupOwnershipPage> {
    return this.json(`/groups${toQueryString(query)}`);
  }

  getGroup(groupRef: string): Promise<GroupOwnershipFigures> {
    const ref = parseEntityRef(groupRef, { defaultKind: 'group', defaultNamespace: 'default' });
    return this.json(`/groups/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`);
  }
}
