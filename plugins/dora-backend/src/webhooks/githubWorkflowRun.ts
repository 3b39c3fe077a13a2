import type { DoraPipelineRunStatus } from '@vitals/plugin-dora-common';
import type { RepositoryEvent } from './github';

type Json = Record<string, any>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() ? value : undefined;

/**
 * A completed run's `conclusion` as a pipeline-run status. `action_required` (waiting for an approval) and anything
 * GitHub adds later are not an outcome: such a report is ignored.
 */
const CONCLUSIONS = new Map<unknown, DoraPipelineRunStatus>([
  ['success', 'success'],
  ['failure', 'failure'],
  ['timed_out', 'failure'],
  ['startup_failure', 'failure'],
  ['cancelled', 'cancelled'],
  ['stale', 'cancelled'],
  ['skipped', 'skipped'],
  ['neutral', 'skipped'],
]);

/** GitHub's `event` names for what we call a trigger, where they differ. */
const TRIGGERS: Record<string, string> = { workflow_dispatch: 'manual' };

/**
 * Maps a `workflow_run` webhook to a pipeline run, or undefined when it is none:
 * - `requested`: queued at the run's `created_at`;
 * - `in_progress`: started at `run_started_at`;
 * - `completed`: finished at `updated_at` with the conclusion's status (see {@link CONCLUSIONS}).
 *
 * The id is `github:<repo>:run:<run id>` and the attempt GitHub's `run_attempt`. GitHub keeps a re-run's `created_at`
 * at the first attempt's creation, so a re-run (attempt 2 on) is queued at its own `run_started_at`. `updatedAt` is the
 * payload's `updated_at`, so that a late delivery of an earlier action cannot turn a finished run back into a running one.
 */
export function mapWorkflowRun(
  repository: string,
  payload: Json,
): RepositoryEvent | undefined {
  const run = payload.workflow_run;
  const action = payload.action;
  const attempt = run?.run_attempt ?? 1;
  const pipeline = text(run?.name);
  const branch = text(run?.head_branch);
  const defaultBranch = text(payload.repository?.default_branch);
  const sha = text(run?.head_sha);
  const createdAt = text(run?.created_at);
  const runStartedAt = text(run?.run_started_at);
  const updatedAt = text(run?.updated_at);
  if (
    run?.id === undefined ||
    !Number.isInteger(attempt) ||
    attempt < 1 ||
    !pipeline ||
    !branch ||
    !defaultBranch ||
    !sha ||
    !createdAt
  )
    return undefined;
  let status: DoraPipelineRunStatus | undefined;
  if (action === 'requested') status = 'queued';
  else if (action === 'in_progress') status = 'in_progress';
  else if (action === 'completed') status = CONCLUSIONS.get(run.conclusion);
  if (!status) return undefined;
  const queuedAt = attempt > 1 && runStartedAt ? runStartedAt : createdAt;
  const started = status !== 'queued' ? runStartedAt : undefined;
  const finishedAt = action === 'completed' ? updatedAt : undefined;
  if (action === 'completed' && !finishedAt) return undefined;
  const trigger = text(run.event) ?? 'unknown';
  return {
    repository,
    event: {
      type: 'pipelineRun',
      id: `github:${repository}:run:${run.id}`,
      attempt,
      pipeline,
      branch,
      defaultBranch,
      sha,
      trigger: TRIGGERS[trigger] ?? trigger,
      status,
      queuedAt,
      // A start or finish GitHub reports before the queue time (clocks, or a re-run's times) is left out, not refused.
      ...(started && Date.parse(started) >= Date.parse(queuedAt)
        ? { startedAt: started }
        : {}),
      ...(finishedAt
        ? {
            finishedAt: laterOf(
              finishedAt,
              started && Date.parse(started) >= Date.parse(queuedAt)
                ? started
                : queuedAt,
            ),
          }
        : {}),
      ...(updatedAt ? { updatedAt } : {}),
      ...(typeof run.html_url === 'string' &&
      /^https?:\/\/\S+$/i.test(run.html_url)
        ? { url: run.html_url }
        : {}),
    },
  };
}

/** The later of two timestamps, so that a finish is never before the start it follows. */
function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
