/*
 * CI/CD friction: pipeline runs as CI or GitHub's `workflow_run` webhook report them, and the figures over them.
 */

/**
 * Where a pipeline run stands. `queued` and `in_progress` are not finished; the other four are, and `success` and
 * `failure` are the only outcomes the success, flaky and time-to-green figures count (`cancelled` and `skipped` are
 * neither green nor red).
 *
 * @public
 */
export const DORA_PIPELINE_RUN_STATUSES = [
  'queued',
  'in_progress',
  'success',
  'failure',
  'cancelled',
  'skipped',
] as const;

/** @public */
export type DoraPipelineRunStatus = (typeof DORA_PIPELINE_RUN_STATUSES)[number];

/** The statuses of a finished run: they need `finishedAt`, the others must not have it. @public */
export const DORA_FINISHED_PIPELINE_RUN_STATUSES: ReadonlyArray<DoraPipelineRunStatus> =
  ['success', 'failure', 'cancelled', 'skipped'];

/**
 * One attempt of a CI pipeline run. Idempotent by (id, attempt): a re-send of the same id and attempt updates the run
 * in place (queued, then in progress, then success); a re-run of the same run is the same id with the next attempt.
 *
 * @public
 */
export interface PipelineRunEvent {
  type: 'pipelineRun';
  /** The run's id, the same for all its attempts (GitHub's run id); scoped to its entity like every event id. */
  id: string;
  entityRef: string;
  /** 1 for the first attempt, 2 for the first re-run, ... */
  attempt: number;
  /** The pipeline's (workflow's) name. */
  pipeline: string;
  /** The branch (or tag) the run built. */
  branch: string;
  /** The repository's default branch; the run is on the default branch when `branch` equals it. */
  defaultBranch: string;
  /** The commit the run built. */
  sha: string;
  /** What started the run: `push`, `pull_request`, `schedule`, `manual`, ... as the CI names it. */
  trigger: string;
  status: DoraPipelineRunStatus;
  queuedAt: string;
  startedAt?: string;
  /** Required for a finished status, refused for `queued` and `in_progress`. */
  finishedAt?: string;
  url?: string;
  /** When the sender saw the run in this state (see the other events). */
  updatedAt?: string;
}

/** One run in the drill-down of `GET /v1/pipelines/runs`. @public */
export interface DoraPipelineRun {
  id: string;
  attempt: number;
  entityRef: string;
  pipeline: string;
  branch: string;
  /** `branch` is the repository's default branch. */
  onDefaultBranch: boolean;
  sha: string;
  trigger: string;
  status: DoraPipelineRunStatus;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  url: string | null;
  /** finishedAt − startedAt, seconds; null unless both are known. */
  durationSeconds: number | null;
  /** startedAt − queuedAt, seconds; null without startedAt. */
  queueSeconds: number | null;
  /** A failure of which a later attempt of the same pipeline on the same commit passed. */
  flaky: boolean;
  /**
   * For a default-branch failure that turned its pipeline red (the previous finished success-or-failure run of the
   * pipeline on the default branch was a success, or there was none): seconds to the pipeline's next default-branch
   * success. Null otherwise, and while the pipeline is still red.
   */
  timeToGreenSeconds: number | null;
}

/** The CI/CD friction figures of a set of runs (all pipelines of a scope, or one pipeline). @public */
export interface DoraPipelineFigures {
  /** Runs (attempts) queued in the window, whatever their status. */
  runs: number;
  /** Over finished runs with a start and a finish: median and 90th percentile of finishedAt − startedAt. */
  duration: {
    runs: number;
    medianSeconds: number | null;
    p90Seconds: number | null;
  };
  /** Over runs with a start: median of startedAt − queuedAt. */
  queue: { runs: number; medianSeconds: number | null };
  /** Default-branch runs: successes ÷ (successes + failures); cancelled and skipped runs are left out. */
  defaultBranchSuccess: {
    successes: number;
    failures: number;
    rate: number | null;
  };
  /** Failed runs (any branch), and those a later attempt of the same pipeline on the same commit passed. */
  flakiness: { failures: number; flakyFailures: number; rate: number | null };
  /** Default-branch failures that turned a pipeline red: the median time to its next success. */
  timeToGreen: {
    /** Red streaks that went green. */
    recoveries: number;
    /** Red streaks with no success since. */
    stillRed: number;
    medianSeconds: number | null;
  };
}

/** One pipeline of an entity with its figures. @public */
export interface DoraPipelineSummary extends DoraPipelineFigures {
  entityRef: string;
  pipeline: string;
}

/** Response of `GET /v1/pipelines`. @public */
export interface DoraPipelinesResponse {
  entityRef: string;
  from: string;
  to: string;
  /** The entities whose runs were pooled: the entity itself, or what a group owns. */
  entityRefs: string[];
  figures: DoraPipelineFigures;
  /** Per entity and pipeline, ordered by entity ref and pipeline name. */
  pipelines: DoraPipelineSummary[];
}
