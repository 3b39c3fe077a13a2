import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  ConfirmRequest,
  ExportProblemsQuery,
  ListGroupsQuery,
  ReportFilter,
  ReportProblemsQuery,
} from './schemas';
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
export type OwnershipDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type OwnershipFetch = PluginFetch;

/** The ownership health API. @public */
export interface OwnershipApi {
  getEntityOwnership(entityRef: string): Promise<EntityOwnership>;
  getHistory(entityRef: string): Promise<OwnershipHistoryEvent[]>;
  confirmOwnership(
    entityRef: string,
    request?: ConfirmRequest,
  ): Promise<OwnershipConfirmation>;
  getReportSummary(filter?: ReportFilter): Promise<OwnershipReportSummary>;
  listProblems(query?: ReportProblemsQuery): Promise<OwnershipReportPage>;
  /** Every row for the filters (at most 50,000) as CSV; the export is not paged. */
  exportProblemsCsv(query?: ExportProblemsQuery): Promise<string>;
  getFacets(): Promise<OwnershipFacets>;
  listGroups(query?: ListGroupsQuery): Promise<GroupOwnershipPage>;
  getGroup(groupRef: string): Promise<GroupOwnershipFigures>;
}

function entityPath(entityRef: string, defaultKind?: string): string {
  const ref = parseEntityRef(entityRef, {
    defaultKind,
    defaultNamespace: 'default',
  });
  return [ref.kind, ref.namespace, ref.name].map(encodeURIComponent).join('/');
}

/** Typed HTTP client of the ownership backend, for the frontend and for other backends. @public */
export class OwnershipClient implements OwnershipApi {
  private readonly http: PluginHttp;

  constructor(options: {
    discoveryApi: OwnershipDiscovery;
    fetchApi?: OwnershipFetch;
  }) {
    this.http = new PluginHttp('ownership', options);
  }

  getEntityOwnership(entityRef: string): Promise<EntityOwnership> {
    return this.http.json(`/entities/${entityPath(entityRef)}`);
  }

  async getHistory(entityRef: string): Promise<OwnershipHistoryEvent[]> {
    const body = await this.http.json<{ events: OwnershipHistoryEvent[] }>(
      `/entities/${entityPath(entityRef)}/history`,
    );
    return body.events;
  }

  confirmOwnership(
    entityRef: string,
    request: ConfirmRequest = {},
  ): Promise<OwnershipConfirmation> {
    return this.http.json(`/entities/${entityPath(entityRef)}/confirmations`, {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  getReportSummary(filter?: ReportFilter): Promise<OwnershipReportSummary> {
    return this.http.json(`/report${toQueryString(filter)}`);
  }

  listProblems(query?: ReportProblemsQuery): Promise<OwnershipReportPage> {
    return this.http.json(`/report/problems${toQueryString(query)}`);
  }

  async exportProblemsCsv(query?: ExportProblemsQuery): Promise<string> {
    // Only what the export takes: a caller may hand over the query of a paged list, and the API refuses paging here.
    const { kind, system, team, problem } = query ?? {};
    const response = await this.http.request(
      `/report/problems.csv${toQueryString({ kind, system, team, problem })}`,
    );
    return response.text();
  }

  getFacets(): Promise<OwnershipFacets> {
    return this.http.json('/facets');
  }

  listGroups(query?: ListGroupsQuery): Promise<GroupOwnershipPage> {
    return this.http.json(`/groups${toQueryString(query)}`);
  }

  getGroup(groupRef: string): Promise<GroupOwnershipFigures> {
    const ref = parseEntityRef(groupRef, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    return this.http.json(
      `/groups/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
        ref.name,
      )}`,
    );
  }
}
