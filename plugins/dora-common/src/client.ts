import {
  PluginDiscovery,
  PluginFetch,
  PluginHttp,
  toQueryString,
} from '@vitals/common';
import type {
  ActivityQuery,
  ChangesQuery,
  DeploymentsQuery,
  FlowPullRequestsQuery,
  FlowQuery,
  FlowTeamsQuery,
  FlowWaitingQuery,
  HealthQuery,
  IncidentsQuery,
  IngestEventsRequest,
  MetricsQuery,
  PipelineRunsQuery,
  PipelinesQuery,
  SeriesQuery,
  TeamsQuery,
} from './schemas';
import type {
  DoraActivity,
  DoraChange,
  DoraDataHealth,
  DoraDeployment,
  DoraFlow,
  DoraFlowPullRequestPage,
  DoraFlowTeamsResponse,
  DoraIncident,
  DoraMetrics,
  DoraPagedList,
  DoraSeries,
  DoraTeamsResponse,
  DoraWaitingPullRequests,
  IngestEventsResponse,
} from './types';
import type { DoraPipelineRun, DoraPipelinesResponse } from './pipelines';

/** What the client needs from Backstage's DiscoveryApi / DiscoveryService. @public */
export type DoraDiscovery = PluginDiscovery;

/** What the client needs from Backstage's FetchApi (adds the caller's token). @public */
export type DoraFetch = PluginFetch;

/** The DORA metrics API. @public */
export interface DoraApi {
  ingestEvents(request: IngestEventsRequest): Promise<IngestEventsResponse>;
  getMetrics(query: MetricsQuery): Promise<DoraMetrics>;
  /** Every group that owns entities with events, each with its pooled metrics: one request for an org view. */
  getTeamMetrics(query?: TeamsQuery): Promise<DoraTeamsResponse>;
  getSeries(query: SeriesQuery): Promise<DoraSeries>;
  listDeployments(
    query: DeploymentsQuery,
  ): Promise<DoraPagedList<DoraDeployment>>;
  listChanges(query: ChangesQuery): Promise<DoraPagedList<DoraChange>>;
  listIncidents(query: IncidentsQuery): Promise<DoraPagedList<DoraIncident>>;
  /** One incident of an entity by id (a 404 `ResponseError` when the entity has no such incident). */
  getIncident(id: string, entityRef: string): Promise<DoraIncident>;
  getDataHealth(query?: HealthQuery): Promise<DoraDataHealth>;
  /** Whether an entity (or what a group owns) ever sent events: "send events" versus "pick a longer window". */
  getActivity(query: ActivityQuery): Promise<DoraActivity>;
  /** PR cycle time in four parts (median and p75), PR size and the weekly series, over the PRs merged in the window. */
  getFlow(query: FlowQuery): Promise<DoraFlow>;
  /** The merged pull requests behind a flow figure. */
  listFlowPullRequests(
    query: FlowPullRequestsQuery,
  ): Promise<DoraFlowPullRequestPage>;
  /** Open pull requests waiting for a first review, oldest first, with how long they have waited. */
  listWaitingPullRequests(
    query: FlowWaitingQuery,
  ): Promise<DoraWaitingPullRequests>;
  /** Every team's flow figures and waiting pull requests in one request, for an org page. */
  getFlowTeams(query?: FlowTeamsQuery): Promise<DoraFlowTeamsResponse>;
  /** CI/CD friction of an entity or a team: the figures over its pipeline runs and a row per pipeline. */
  getPipelines(query: PipelinesQuery): Promise<DoraPipelinesResponse>;
  /** The pipeline runs behind those figures, newest first. */
  listPipelineRuns(
    query: PipelineRunsQuery,
  ): Promise<DoraPagedList<DoraPipelineRun>>;
}

/** Typed HTTP client of the DORA backend, for the frontend and for other backends. @public */
export class DoraClient implements DoraApi {
  private readonly http: PluginHttp;

  constructor(options: { discoveryApi: DoraDiscovery; fetchApi?: DoraFetch }) {
    this.http = new PluginHttp('dora', options);
  }

  ingestEvents(request: IngestEventsRequest): Promise<IngestEventsResponse> {
    return this.http.json('/events', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  getMetrics(query: MetricsQuery): Promise<DoraMetrics> {
    return this.http.json(`/metrics${toQueryString(query)}`);
  }

  getTeamMetrics(query?: TeamsQuery): Promise<DoraTeamsResponse> {
    return this.http.json(`/teams${toQueryString(query)}`);
  }

  getSeries(query: SeriesQuery): Promise<DoraSeries> {
    return this.http.json(`/series${toQueryString(query)}`);
  }

  listDeployments(
    query: DeploymentsQuery,
  ): Promise<DoraPagedList<DoraDeployment>> {
    return this.http.json(`/deployments${toQueryString(query)}`);
  }

  listChanges(query: ChangesQuery): Promise<DoraPagedList<DoraChange>> {
    return this.http.json(`/changes${toQueryString(query)}`);
  }

  listIncidents(query: IncidentsQuery): Promise<DoraPagedList<DoraIncident>> {
    return this.http.json(`/incidents${toQueryString(query)}`);
  }

  getIncident(id: string, entityRef: string): Promise<DoraIncident> {
    return this.http.json(
      `/incidents/${encodeURIComponent(id)}${toQueryString({ entityRef })}`,
    );
  }

  getDataHealth(query?: HealthQuery): Promise<DoraDataHealth> {
    return this.http.json(`/health${toQueryString(query)}`);
  }

  getActivity(query: ActivityQuery): Promise<DoraActivity> {
    return this.http.json(`/activity${toQueryString(query)}`);
  }

  getFlow(query: FlowQuery): Promise<DoraFlow> {
    return this.http.json(`/flow${toQueryString(query)}`);
  }

  listFlowPullRequests(
    query: FlowPullRequestsQuery,
  ): Promise<DoraFlowPullRequestPage> {
    return this.http.json(`/flow/pull-requests${toQueryString(query)}`);
  }

  listWaitingPullRequests(
    query: FlowWaitingQuery,
  ): Promise<DoraWaitingPullRequests> {
    return this.http.json(`/flow/waiting${toQueryString(query)}`);
  }

  getFlowTeams(query?: FlowTeamsQuery): Promise<DoraFlowTeamsResponse> {
    return this.http.json(`/flow/teams${toQueryString(query)}`);
  }

  getPipelines(query: PipelinesQuery): Promise<DoraPipelinesResponse> {
    return this.http.json(`/pipelines${toQueryString(query)}`);
  }

  listPipelineRuns(
    query: PipelineRunsQuery,
  ): Promise<DoraPagedList<DoraPipelineRun>> {
    return this.http.json(`/pipelines/runs${toQueryString(query)}`);
  }
}
