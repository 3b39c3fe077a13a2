import type {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  DoraPagedList,
  DoraPipelineRun,
  ParsedDoraEvent,
  DoraIncidentWindow,
} from '@vitals/plugin-dora-common';
import type { DoraFlowFiguresStore } from './DoraFlowFigures';
import type { DoraFlowStore } from './DoraFlowReader';
import type { PipelineRunFacts, PipelineRunFilter } from './DoraPipelineReader';

/** A window `[from, to)` in epoch milliseconds over a set of entities. */
export interface WindowScope {
  entityRefs: string[];
  from: number;
  to: number;
}

/**
 * A window over several entity sets at once, e.g. every team of an org: each key (a group ref) pools its entities. An
 * entity may belong to several sets.
 */
export interface ScopesWindow {
  scopes: Map<string, string[]>;
  from: number;
  to: number;
}

/** Counted deployments grouped by UTC day and by 7- and 30-day bucket of the window. */
export interface DeploymentDayRow {
  /** Days since the epoch (UTC). */
  day: number;
  week: number;
  month: number;
  deployments: number;
  failed: number;
  /** Rework deployments: flagged, or the first counted deployment after an incident caused by an earlier one. */
  rework: number;
}

export interface MedianFigure {
  count: number;
  median: number | null;
}

export interface WeeklyMedianRow extends MedianFigure {
  week: number;
}

/** What `GET /v1/incidents` lists: see {@link DoraStore.listIncidents}. */
export type IncidentListScope = Omit<WindowScope, 'entityRefs'> &
  PageOptions & {
    entityRefs: string[] | undefined;
    deploymentId?: string;
    window?: DoraIncidentWindow;
  };

export interface PageOptions {
  limit: number;
  offset: number;
}

export interface DataHealthCounts {
  changesNeverDeployed: { count: number; sample: DoraChange[] };
  incidentsWithoutDeployment: { count: number; sample: DoraIncident[] };
  deploymentsWithoutCommits: { count: number; sample: DoraDeployment[] };
}

/** What {@link DoraStore.ingest} did. */
export interface DoraIngestOutcome {
  /** Distinct events (by type and id) of the batch. */
  accepted: number;
  /** Those that changed stored state; re-sends of the stored state and updates older than it are left out. */
  written: ParsedDoraEvent[];
}

/** The figures the metrics of one set of entities are computed from. */
export interface MetricInputRows {
  days: DeploymentDayRow[];
  leadTime: MedianFigure;
  restore: MedianFigure;
  /** Failed-deployment recovery minutes over the failed deployments of the window whose incidents are all resolved. */
  recovery: MedianFigure;
}

/** What the store knows of one group for the org page: where its data stands, and figures kept from before. */
export interface ScopeState {
  /** How many entities of the set have ever sent events. */
  active: number;
  /** The sum of the data versions of the set's entities: any write of any of them raises it. */
  dataVersion: string;
  /** Figures computed earlier for the same window and benchmark, with what they were computed from. */
  stored?: { membersHash: string; dataVersion: string; metrics: string };
}

/** Figures of one group to keep for the next reader (see {@link DoraStore.scopeStates}). */
export interface ScopeFigures {
  scopeRef: string;
  membersHash: string;
  dataVersion: string;
  /** JSON. */
  metrics: string;
}

/** Persistence of DORA events, their links and lead times, and the reads behind the metrics. */
export interface DoraStore {
  /** The reads behind the flow figures (PR cycle time, review latency). */
  readonly flow: DoraFlowStore;
  /** The flow org page's figures, kept per group and window. */
  readonly flowFigures: DoraFlowFiguresStore;
  /** A group's pipeline table (`GET /v1/pipelines?entityRef=<group>`), kept per window. */
  readonly pipelineFigures: DoraFlowFiguresStore;
  /**
   * Upserts events by (type, id) in one transaction (of duplicates the later wins) and brings every link, lead time and
   * failure flag they touch up to date. An id belongs to the entity it was first stored for: sending it for another
   * entity refuses the whole batch (`ConflictError`), and so does an incident naming a deployment of another entity
   * (`InputError`). An event older than the stored state (by its own timestamps), or equal to it, is not written.
   */
  ingest(events: ParsedDoraEvent[]): Promise<DoraIngestOutcome>;
  /** Whether any event was ever stored (for one-time demo seeding). */
  hasEvents(): Promise<boolean>;

  deploymentDays(scope: WindowScope): Promise<DeploymentDayRow[]>;
  /**
   * {@link DoraStore.deploymentDays}, {@link DoraStore.leadTime} and {@link DoraStore.timeToRestore} together (one
   * statement on PostgreSQL).
   */
  metricInputs(scope: WindowScope): Promise<MetricInputRows>;
  /** Whether a counted deployment finished in the window. */
  hasCountedDeployment(scope: WindowScope): Promise<boolean>;
  leadTime(scope: WindowScope): Promise<MedianFigure>;
  timeToRestore(scope: WindowScope): Promise<MedianFigure>;
  weeklyLeadTime(scope: WindowScope): Promise<WeeklyMedianRow[]>;

  /** {@link DoraStore.deploymentDays} of every set, in one query (per few thousand entities on SQLite). */
  deploymentDaysByScope(
    window: ScopesWindow,
  ): Promise<Map<string, DeploymentDayRow[]>>;
  /** {@link DoraStore.leadTime} of every set; sets without changes are left out. */
  leadTimeByScope(window: ScopesWindow): Promise<Map<string, MedianFigure>>;
  /** {@link DoraStore.timeToRestore} of every set; sets without incidents are left out. */
  timeToRestoreByScope(
    window: ScopesWindow,
  ): Promise<Map<string, MedianFigure>>;
  /** Failed-deployment recovery of every set; sets without a recovered failed deployment are left out. */
  recoveryByScope(window: ScopesWindow): Promise<Map<string, MedianFigure>>;
  /** The sets with a counted deployment finished in the window. */
  scopesWithCountedDeployment(window: ScopesWindow): Promise<Set<string>>;
  /** When the first and the latest events of any of these entities arrived (epoch ms); nulls when none ever did. */
  activity(
    entityRefs: string[],
  ): Promise<{ firstEventAt: number | null; lastEventAt: number | null }>;
  /**
   * For every set: which of its entities have events, its data version, and the figures kept for this window and
   * benchmark. Figures a caller computes after this read are at least as new as the version it returned: stored with
   * that version, they can only look stale too early, never fresh when they are not.
   */
  scopeStates(
    window: ScopesWindow & { benchmark: string },
  ): Promise<Map<string, ScopeState>>;
  /** Keeps figures for {@link DoraStore.scopeStates}; figures kept for more than a day are dropped. */
  saveScopeFigures(
    window: { from: number; to: number; benchmark: string },
    figures: ScopeFigures[],
  ): Promise<void>;
  weeklyTimeToRestore(scope: WindowScope): Promise<WeeklyMedianRow[]>;
  /** Failed-deployment recovery per full week, by the week the failed deployment finished in. */
  weeklyRecovery(scope: WindowScope): Promise<WeeklyMedianRow[]>;

  /**
   * Counted deployments of the window, newest first, each with whether (and why) it is rework and, when it failed, its
   * recovery time; `failed` and `rework` keep those that are (true) or are not (false).
   */
  listDeployments(
    scope: WindowScope & PageOptions & { failed?: boolean; rework?: boolean },
  ): Promise<DoraPagedList<DoraDeployment>>;
  listChanges(
    scope: WindowScope & PageOptions & { deploymentId?: string },
  ): Promise<DoraPagedList<DoraChange>>;
  /**
   * The incidents resolved (or, with `window: 'created'`, created) in the window, or those linked to one deployment;
   * of every entity when `entityRefs` is undefined.
   */
  listIncidents(scope: IncidentListScope): Promise<DoraPagedList<DoraIncident>>;
  /** One incident by id. */
  getIncident(id: string): Promise<DoraIncident | undefined>;

  /** Data-health counts for the entities, or for everything when `entityRefs` is undefined. */
  dataHealth(
    entityRefs: string[] | undefined,
    sampleSize: number,
  ): Promise<DataHealthCounts>;
  /** The pipeline runs of these entities queued in the window, each with what the CI/CD friction figures need. */
  pipelineRunFacts(scope: WindowScope): Promise<PipelineRunFacts[]>;
  /** The pipeline runs behind those figures, newest first. */
  listPipelineRuns(
    scope: WindowScope & PageOptions & PipelineRunFilter,
  ): Promise<DoraPagedList<DoraPipelineRun>>;
  /** Whether any pipeline run was ever stored (for one-time demo seeding). */
  hasPipelineRuns(): Promise<boolean>;

  /** Entities that have sent events, in pages. */
  listEntityRefs(options: {
    entityRefs?: string[];
    after?: string;
    limit: number;
  }): Promise<string[]>;
}
