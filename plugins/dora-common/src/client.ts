import { toQueryString } from '@vitals/common';
import { ResponseError } from '@backstage/errors';
import type {
  ActivityQuery,
  ChangesQuery,
  DeploymentsQuery,
  HealthQuery,
  IncidentsQuery,
  IngestEventsRequest,
  MetricsQuery,
  SeriesQuery,
  TeamsQuery,
} from './schemas';
import type {
  DoraActivity,
  DoraChange,
  DoraDataHealth,
  DoraDeployment,
  DoraIncident,
  DoraMetrics,
  DoraPagedList,
  DoraSeries,
  DoraTeamsResponse,
  IngestEventsResponse,
} from './types';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export interface DoraDiscovery {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export interface DoraFetch {
  fetch: typeof fetch;
}

/** The DORA metrics API. @public */
export interface DoraApi {
  ingestEvents(request: IngestEventsRequest): Promise<IngestEventsResponse>;
  getMetrics(query: MetricsQuery): Promise<DoraMetrics>;
  /** Every group that owns entities with events, each with its pooled metrics: one request for an org view. */
  getTeamMetrics(query?: TeamsQuery): Promise<DoraTeamsResponse>;
  getSeries(query: SeriesQuery): Promise<DoraSeries>;
  listDeployments(query: DeploymentsQuery): Promise<DoraPagedList<DoraDeployment>>;
  listChanges(query: ChangesQuery): Promise<DoraPagedList<DoraChange>>;
  listIncidents(query: IncidentsQuery): Promise<DoraPagedList<DoraIncident>>;
  getDataHealth(query?: HealthQuery): Promise<DoraDataHealth>;
  /** Whether an entity (or what a group owns) ever sent events: "send events" versus "pick a longer window". */
  getActivity(query: ActivityQuery): Promise<DoraActivity>;
}

/** Typed HTTP client of the DORA backend, for the frontend and for other backends. @public */
export class DoraClient implements DoraApi {
  private readonly discoveryApi: DoraDiscovery;
  private readonly fetchApi: DoraFetch;

  constructor(options: { discoveryApi: DoraDiscovery; fetchApi?: DoraFetch }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...args) => fetch(...args) };
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dora');
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
    return (await response.json()) as T;
  }

  ingestEvents(request: IngestEventsRequest): Promise<IngestEventsResponse> {
    return this.json('/events', { method: 'POST', body: JSON.stringify(request) });
  }

  getMetrics(query: MetricsQuery): Promise<DoraMetrics> {
    return this.json(`/metrics${toQueryString(query)}`);
  }

  getTeamMetrics(query?: TeamsQuery): Promise<DoraTeamsResponse> {
    return this.json(`/teams${toQueryString(query)}`);
  }

  getSeries(query: SeriesQuery): Promise<DoraSeries> {
    return this.json(`/series${toQueryString(query)}`);
  }

  listDeployments(query: DeploymentsQuery): Promise<DoraPagedList<DoraDeployment>> {
    return this.json(`/deployments${toQueryString(query)}`);
  }

  listChanges(query: ChangesQuery): Promise<DoraPagedList<DoraChange>> {
    return this.json(`/changes${toQueryString(query)}`);
  }

  listIncidents(query: IncidentsQuery): Promise<DoraPagedList<DoraIncident>> {
    return this.json(`/incidents${toQueryString(query)}`);
  }

  getDataHealth(query?: HealthQuery): Promise<DoraDataHealth> {
    return this.json(`/health${toQueryString(query)}`);
  }

  getActivity(query: ActivityQuery): Promise<DoraActivity> {
    return this.json(`/activity${toQueryString(query)}`);
  }
}
