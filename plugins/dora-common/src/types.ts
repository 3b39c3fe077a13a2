import type { PipelineRunEvent } from './pipelines';

/** Performance tiers, best first. @public */
export const DORA_TIERS = ['elite', 'high', 'medium', 'low'] as const;

/** @public */
export type DoraTier = (typeof DORA_TIERS)[number];

/** The named benchmarks tiers are taken from (State of DevOps reports). @public */
export const DORA_BENCHMARKS = ['2023', '2021', '2024'] as const;

/** @public */
export type DoraBenchmark = (typeof DORA_BENCHMARKS)[number];

/** How a deployment ended; only successful production deployments are counted by the metrics. @public */
export const DORA_DEPLOYMENT_STATUSES = ['success', 'failure'] as const;

/** @public */
export type DoraDeploymentStatus = (typeof DORA_DEPLOYMENT_STATUSES)[number];

/** Environments that count as production when `dora.productionEnvironments` is not set. @public */
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod'];

/** A deployment as CI reports it. @public */
export interface DeploymentEvent {
  type: 'deployment';
  id: string;
  entityRef: string;
  environment: string;
  status: DoraDeploymentStatus;
  startedAt?: string;
  finishedAt: string;
  /** The commits this deployment shipped. */
  commitShas: string[];
  url?: string;
  /**
   * An unplanned deployment to fix a problem in production (a hotfix, a rollback, a roll forward): it counts as rework
   * in the rework rate. Optional, default false; the deployment that restored an incident counts as rework without it.
   */
  rework?: boolean;
  /**
   * When the sender saw the event in this state. An update whose latest timestamp (this one included) is older than
   * that of the stored state is ignored; set it to move an event back on purpose (an incident reopened).
   */
  updatedAt?: string;
}

/** A merged pull request (sha = merge commit) or a plain commit (only `authoredAt`). @public */
export interface ChangeEvent {
  type: 'change';
  id: string;
  entityRef: string;
  sha: string;
  /** The pull request's first commit, or the commit itself. */
  authoredAt?: string;
  /** When the pull request was opened. */
  createdAt?: string;
  mergedAt?: string;
  /** The earliest review submitted by someone other than the author. */
  firstReviewAt?: string;
  /** When the pull request was closed without being merged: it no longer waits for a review. */
  closedAt?: string;
  /** Lines the pull request adds and deletes (its size; the large-PR share counts their sum). */
  additions?: number;
  deletions?: number;
  author?: string;
  url?: string;
  /**
   * When the sender saw the event in this state. An update whose latest timestamp (this one included) is older than
   * that of the stored state is ignored; set it to move an event back on purpose (an incident reopened).
   */
  updatedAt?: string;
}

/** @public */
export interface IncidentEvent {
  type: 'incident';
  id: string;
  entityRef: string;
  createdAt: string;
  resolvedAt?: string;
  severity?: string;
  /** The deployment that caused it; when left out, the latest production deployment before `createdAt`. */
  deploymentId?: string;
  url?: string;
  /**
   * When the sender saw the event in this state. An update whose latest timestamp (this one included) is older than
   * that of the stored state is ignored; set it to move an event back on purpose (an incident reopened).
   */
  updatedAt?: string;
}

/** @public */
export type DoraEvent =
  | DeploymentEvent
  | ChangeEvent
  | IncidentEvent
  | PipelineRunEvent;

/** Response of `POST /v1/events`. @public */
export interface IngestEventsResponse {
  accepted: number;
}

/** Response of `GET /v1/metrics`. @public */
export interface DoraMetrics {
  entityRef: string;
  from: string;
  to: string;
  benchmark: DoraBenchmark;
  /** The entities whose events were pooled: the entity itself, or what a group owns. */
  entityRefs: string[];
  deploymentFrequency: {
    deployments: number;
    deploymentDays: number;
    /** Median deployment days over the full 7-day buckets of the window; null when none fits. */
    weeklyMedianDeploymentDays: number | null;
    /** Median deployment days over the full 30-day buckets of the window; null when none fits. */
    monthlyMedianDeploymentDays: number | null;
    tier: DoraTier | null;
  };
  leadTimeForChanges: {
    changes: number;
    medianMinutes: number | null;
    tier: DoraTier | null;
  };
  changeFailureRate: {
    deployments: number;
    failedDeployments: number;
    /** A fraction, 0–1; null with no deployments. */
    rate: number | null;
    tier: DoraTier | null;
  };
  timeToRestore: {
    /** Incidents resolved in the window: the ones the median is taken over. */
    incidents: number;
    medianMinutes: number | null;
    tier: DoraTier | null;
  };
  /**
   * DORA 2024: the share of counted deployments that were unplanned fixes of a production problem (flagged `rework`,
   * or the first counted deployment after an incident linked to an earlier deployment was opened, at or before its
   * resolution). No tier: the 2024 report gives no cluster values for it.
   */
  reworkRate: {
    deployments: number;
    reworkDeployments: number;
    /** A fraction, 0–1; null with no deployments. */
    rate: number | null;
  };
  /**
   * DORA 2024: median time from a failed counted deployment's finish to the resolution of the last incident linked to
   * it, over the failed deployments of the window whose incidents are all resolved.
   */
  failedDeploymentRecoveryTime: {
    /** Failed deployments of the window whose incidents are all resolved: the ones the median is taken over. */
    recoveredDeployments: number;
    /** Failed deployments of the window with an incident still open: left out of the median. */
    unrecoveredDeployments: number;
    medianMinutes: number | null;
    tier: DoraTier | null;
  };
}

/** A counted deployment in a drill-down list. @public */
export interface DoraDeployment {
  id: string;
  entityRef: string;
  environment: string;
  status: DoraDeploymentStatus;
  startedAt: string | null;
  finishedAt: string;
  url: string | null;
  commitCount: number;
  /** Whether a production deployment that succeeded: counted by the metrics. */
  counted: boolean;
  /** At least one incident links to it. */
  failed: boolean;
  /**
   * DORA 2024: it counts as rework in the rework rate (a counted deployment that was flagged, or that restored an
   * incident: see `reworkIncidentId`).
   */
  rework: boolean;
  /** Its sender flagged it `rework: true` (it counts only if the deployment is counted). */
  reworkFlagged: boolean;
  /**
   * The incident that makes it rework without a flag: the first counted deployment of the entity after the incident
   * was opened, at or before its resolution, when the incident is linked to an earlier deployment. Of several, the
   * earliest opened. Null when none (a flagged deployment may have one as well).
   */
  reworkIncidentId: string | null;
  /**
   * A failed deployment's failed-deployment recovery time: minutes from its finish to the resolution of the last
   * incident linked to it (at least 0). Null when it did not fail or an incident linked to it is still open.
   */
  recoveryMinutes: number | null;
  /** When the last incident linked to it was resolved; null as for `recoveryMinutes`. */
  recoveredAt: string | null;
}

/** A change in a drill-down list, with each part of its lead time in whole minutes. @public */
export interface DoraChange {
  id: string;
  entityRef: string;
  sha: string;
  authoredAt: string | null;
  createdAt: string | null;
  mergedAt: string | null;
  firstReviewAt: string | null;
  author: string | null;
  url: string | null;
  /** The earliest counted deployment of the entity that shipped the sha. */
  deploymentId: string | null;
  deployedAt: string | null;
  /** createdAt − authoredAt (pull requests). */
  codingMinutes: number | null;
  /** firstReviewAt − createdAt; shown for context, not part of the lead time. */
  pickupMinutes: number | null;
  /** mergedAt − firstReviewAt; shown for context, not part of the lead time. */
  reviewMinutes: number | null;
  /** mergedAt − createdAt: the review part of the lead time. */
  mergeMinutes: number | null;
  /** deployedAt − mergedAt, or − authoredAt for a plain commit. */
  deployMinutes: number | null;
  /** codingMinutes + mergeMinutes + deployMinutes; null until deployed. */
  leadTimeMinutes: number | null;
}

/** An incident in a drill-down list. @public */
export interface DoraIncident {
  id: string;
  entityRef: string;
  createdAt: string;
  resolvedAt: string | null;
  severity: string | null;
  url: string | null;
  /** The deployment the incident named, if any. */
  deploymentId: string | null;
  /** The deployment it is linked to: the named one once it exists, else the latest before it. */
  linkedDeploymentId: string | null;
  /** resolvedAt − createdAt in minutes. */
  restoreMinutes: number | null;
}

/** A page of a drill-down list. @public */
export interface DoraPagedList<T> {
  items: T[];
  totalCount: number;
}

/**
 * Response of `GET /v1/activity`: whether an entity (or what a group owns) has ever sent events, the signal behind the
 * "no events yet" empty state. @public
 */
export interface DoraActivity {
  entityRef: string;
  /** The entities asked about: the entity itself, or what a group owns. */
  entityRefs: string[];
  /** A deployment, change or incident was stored for one of them at some time, in any window, counted or not. */
  hasEvents: boolean;
  /** When the first and the latest events of any of them arrived (ISO 8601); null without events. */
  firstEventAt: string | null;
  lastEventAt: string | null;
}

/** One group of `GET /v1/teams` with its pooled metrics. @public */
export interface DoraTeamMetrics {
  /** The group's entity ref. */
  entityRef: string;
  /** `spec.profile.displayName`, else `metadata.title`, else the name. */
  title: string;
  /** The group's `spec.type` (e.g. `team`), null when it has none. */
  type: string | null;
  /** The same figures `GET /v1/metrics?entityRef=<group>` answers for the window. */
  metrics: DoraMetrics;
}

/** Response of `GET /v1/teams`: every group that owns entities with events, with its metrics. @public */
export interface DoraTeamsResponse {
  from: string;
  to: string;
  benchmark: DoraBenchmark;
  /** Ordered by entity ref. */
  teams: DoraTeamMetrics[];
}

/** One week of the series endpoint: `[start, start + 7 days)`. @public */
export interface DoraWeek {
  start: string;
  deployments: number;
  deploymentDays: number;
  failedDeployments: number;
  changeFailureRate: number | null;
  changes: number;
  medianLeadTimeMinutes: number | null;
  incidents: number;
  medianRestoreMinutes: number | null;
  /** Counted deployments of the week that were rework, and their share of the week's deployments. */
  reworkDeployments: number;
  reworkRate: number | null;
  /**
   * Failed deployments finished in the week whose incidents are all resolved, and the median of their
   * failed-deployment recovery times (minutes); null with none.
   */
  recoveredDeployments: number;
  medianRecoveryMinutes: number | null;
}

/** Response of `GET /v1/series`. @public */
export interface DoraSeries {
  entityRef: string;
  from: string;
  to: string;
  weeks: DoraWeek[];
}

/** Response of `GET /v1/health`: what makes the figures less trustworthy. @public */
export interface DoraDataHealth {
  entityRef: string | null;
  /** Merged pull requests and commits no counted deployment shipped. */
  changesNeverDeployed: { count: number; sample: DoraChange[] };
  /** Incidents linked to no deployment (none before them, or the named one never arrived). */
  incidentsWithoutDeployment: { count: number; sample: DoraIncident[] };
  /** Deployments that listed no commits, so no change can be linked to them. */
  deploymentsWithoutCommits: { count: number; sample: DoraDeployment[] };
  /** Entities with events that the catalog no longer has. */
  entitiesNotInCatalog: string[];
}

/** The four parts of a pull request's cycle time, in order (Apache DevLake's pr_coding/pickup/review/deploy_time). @public */
export const DORA_FLOW_PARTS = [
  'coding',
  'pickup',
  'review',
  'deploy',
] as const;

/** @public */
export type DoraFlowPart = (typeof DORA_FLOW_PARTS)[number];

/** A pull request is large above this many lines changed unless `dora.flow.largePrLines` says otherwise. @public */
export const DEFAULT_LARGE_PR_LINES = 400;

/** A pull request waits too long for its first review after this many hours unless `dora.flow.reviewOverdueHours` says otherwise. @public */
export const DEFAULT_REVIEW_OVERDUE_HOURS = 24;

/** One part of the cycle time over a set of pull requests: median and 75th percentile in minutes. @public */
export interface DoraFlowFigure {
  /** The pull requests that have this part (the figures are taken over them). */
  pullRequests: number;
  medianMinutes: number | null;
  /** 75th percentile, interpolated between the closest ranks (PostgreSQL's percentile_cont); null for none. */
  p75Minutes: number | null;
}

/** The four parts of the cycle time. @public */
export interface DoraFlowParts {
  /** First commit → pull request opened. */
  coding: DoraFlowFigure;
  /** Opened → first review. */
  pickup: DoraFlowFigure;
  /** First review → merged. */
  review: DoraFlowFigure;
  /** Merged → first production deployment. */
  deploy: DoraFlowFigure;
}

/** How large the pull requests were: lines changed (additions + deletions). @public */
export interface DoraFlowSize {
  /** Pull requests that reported a size. */
  measured: number;
  medianLines: number | null;
  p75Lines: number | null;
  /** The threshold: a pull request with more lines changed than this is large (`dora.flow.largePrLines`). */
  largeThresholdLines: number;
  large: number;
  /** large ÷ measured, a fraction 0–1; null when none reported a size. */
  largeShare: number | null;
}

/** One full week `[start, start + 7 days)` of the flow series, by merge time. @public */
export interface DoraFlowWeek {
  start: string;
  pullRequests: number;
  unreviewed: number;
  large: number;
  parts: DoraFlowParts;
}

/** Response of `GET /v1/flow`: PR cycle time in four parts over the pull requests merged in the window. @public */
export interface DoraFlow {
  entityRef: string;
  from: string;
  to: string;
  /** The entities whose pull requests were pooled: the entity itself, or what a group owns. */
  entityRefs: string[];
  /** Pull requests merged in the window. */
  pullRequests: number;
  /** Of those, merged without a review (no review before the merge): no pickup or review part. */
  unreviewed: number;
  parts: DoraFlowParts;
  size: DoraFlowSize;
  /** Full weeks from `from`; a trailing part-week is left out. */
  weeks: DoraFlowWeek[];
}

/** A merged pull request behind a flow figure. @public */
export interface DoraFlowPullRequest {
  id: string;
  entityRef: string;
  sha: string;
  author: string | null;
  url: string | null;
  authoredAt: string | null;
  createdAt: string;
  firstReviewAt: string | null;
  mergedAt: string;
  deploymentId: string | null;
  deployedAt: string | null;
  codingMinutes: number | null;
  pickupMinutes: number | null;
  reviewMinutes: number | null;
  deployMinutes: number | null;
  /** Whether a review came before (or at) the merge. */
  reviewed: boolean;
  additions: number | null;
  deletions: number | null;
  /** additions + deletions (a missing one as 0); null when neither was reported. */
  linesChanged: number | null;
  /** More lines changed than the threshold; null without a size. */
  large: boolean | null;
}

/** Response of `GET /v1/flow/pull-requests`. @public */
export type DoraFlowPullRequestPage = DoraPagedList<DoraFlowPullRequest>;

/** An open pull request waiting for its first review. @public */
export interface DoraWaitingPullRequest {
  id: string;
  entityRef: string;
  sha: string;
  author: string | null;
  url: string | null;
  createdAt: string;
  additions: number | null;
  deletions: number | null;
  linesChanged: number | null;
  /** Hours since it was opened, to one decimal. */
  waitedHours: number;
  /** It has waited at least `overdueAfterHours`. */
  overdue: boolean;
}

/** Response of `GET /v1/flow/waiting`: the open pull requests without a review, oldest first. @public */
export interface DoraWaitingPullRequests {
  entityRef: string;
  entityRefs: string[];
  /** The instant the waits were measured at. */
  asOf: string;
  /** `dora.flow.reviewOverdueHours`. */
  overdueAfterHours: number;
  /** All waiting pull requests (not only this page). */
  totalCount: number;
  /** Of those, overdue. */
  overdueCount: number;
  items: DoraWaitingPullRequest[];
}

/** One group of `GET /v1/flow/teams`: its pooled flow figures for the window and its pull requests waiting now. @public */
export interface DoraFlowTeam {
  /** The group's entity ref. */
  entityRef: string;
  /** `spec.profile.displayName`, else `metadata.title`, else the name. */
  title: string;
  /** The group's `spec.type` (e.g. `team`), null when it has none. */
  type: string | null;
  /** The figures `GET /v1/flow?entityRef=<group>` answers, without the weeks. */
  pullRequests: number;
  unreviewed: number;
  parts: DoraFlowParts;
  size: DoraFlowSize;
  /** Its pull requests waiting for a first review now, and how many of them are overdue. */
  waiting: { totalCount: number; overdueCount: number };
  /**
   * When the figures above (not `waiting`, which is read now) were computed: they hold every event written before it.
   * Figures are kept per group and window and computed again as the data changes (see the backend's README).
   */
  computedAt: string;
}

/** Response of `GET /v1/flow/teams`: the teams side by side, for an org page. @public */
export interface DoraFlowTeamsResponse {
  from: string;
  to: string;
  /** The instant the waits were measured at. */
  asOf: string;
  overdueAfterHours: number;
  /** Groups with a pull request merged in the window or waiting now, ordered by entity ref. */
  teams: DoraFlowTeam[];
}
