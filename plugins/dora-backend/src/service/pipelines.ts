import {
  DoraPipelineFigures,
  DoraPipelinesResponse,
  DoraPipelineSummary,
} from '@vitals/plugin-dora-common';
import { PipelineRunFacts } from '../database/DoraPipelineReader';
import { DoraStore } from '../database/DoraStore';

/**
 * The value at rank `q` of the values, interpolated linearly between the two nearest ranks (PostgreSQL's
 * `percentile_cont`): rank `1 + q × (n − 1)` of the sorted values. `q = 0.5` is the standard median (the mean of the
 * two middle values for an even count). Null for no values.
 */
export function percentile(
  values: readonly number[],
  q: number,
): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

/** Code-unit order, the same on every platform (no locale). */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const ratio = (part: number, whole: number) =>
  whole === 0 ? null : part / whole;

/** Seconds to the millisecond, the precision of the stored instants (so that interpolation noise does not show). */
const toMs = (seconds: number | null) =>
  seconds === null ? null : Math.round(seconds * 1000) / 1000;

/**
 * The CI/CD friction figures of a set of runs (those queued in the window), each with the count it is taken over:
 * - duration: finishedAt − startedAt of the runs with both (finished runs), median and 90th percentile, seconds;
 * - queue: startedAt − queuedAt of the runs with a start, median, seconds;
 * - default-branch success: successes ÷ (successes + failures) of the default-branch runs, cancelled and skipped runs
 *   left out (they are neither green nor red);
 * - flakiness: of the failed runs (any branch), the share a later attempt of the same pipeline on the same commit passed;
 * - time to green: of the default-branch failures that turned their pipeline red, the median time from that failure's
 *   finish to the finish of the pipeline's next default-branch success (which may fall after the window); a streak with
 *   no success since counts as still red and is left out of the median.
 */
export function pipelineFigures(
  runs: readonly PipelineRunFacts[],
): DoraPipelineFigures {
  const durations: number[] = [];
  const queues: number[] = [];
  const greens: number[] = [];
  let successes = 0;
  let failures = 0;
  let failed = 0;
  let flaky = 0;
  let stillRed = 0;
  for (const run of runs) {
    if (run.startedAt !== null && run.finishedAt !== null)
      durations.push((run.finishedAt - run.startedAt) / 1000);
    if (run.startedAt !== null)
      queues.push((run.startedAt - run.queuedAt) / 1000);
    if (run.onDefaultBranch && run.status === 'success') successes++;
    if (run.onDefaultBranch && run.status === 'failure') failures++;
    if (run.status === 'failure') {
      failed++;
      if (run.flaky) flaky++;
    }
    if (run.turnedRed) {
      if (run.greenAt === null) stillRed++;
      else greens.push((run.greenAt - run.finishedAt!) / 1000);
    }
  }
  return {
    runs: runs.length,
    duration: {
      runs: durations.length,
      medianSeconds: toMs(percentile(durations, 0.5)),
      p90Seconds: toMs(percentile(durations, 0.9)),
    },
    queue: {
      runs: queues.length,
      medianSeconds: toMs(percentile(queues, 0.5)),
    },
    defaultBranchSuccess: {
      successes,
      failures,
      rate: ratio(successes, successes + failures),
    },
    flakiness: {
      failures: failed,
      flakyFailures: flaky,
      rate: ratio(flaky, failed),
    },
    timeToGreen: {
      recoveries: greens.length,
      stillRed,
      medianSeconds: toMs(percentile(greens, 0.5)),
    },
  };
}

/** The figures of the runs, pooled, and per entity and pipeline (ordered by entity ref, then pipeline name). */
export function summarisePipelines(runs: readonly PipelineRunFacts[]): {
  figures: DoraPipelineFigures;
  pipelines: DoraPipelineSummary[];
} {
  const byPipeline = new Map<string, PipelineRunFacts[]>();
  for (const run of runs) {
    const key = JSON.stringify([run.entityRef, run.pipeline]);
    const list = byPipeline.get(key) ?? [];
    list.push(run);
    byPipeline.set(key, list);
  }
  const pipelines = [...byPipeline.values()]
    .map(list => ({
      entityRef: list[0].entityRef,
      pipeline: list[0].pipeline,
      ...pipelineFigures(list),
    }))
    .sort(
      (a, b) =>
        compare(a.entityRef, b.entityRef) || compare(a.pipeline, b.pipeline),
    );
  return { figures: pipelineFigures(runs), pipelines };
}

/** `GET /v1/pipelines`: the figures of an entity, or pooled over what a group owns, for a window. */
export async function computePipelines(
  store: Pick<DoraStore, 'pipelineRunFacts'>,
  options: {
    entityRef: string;
    entityRefs: string[];
    from: number;
    to: number;
  },
): Promise<DoraPipelinesResponse> {
  const runs = await store.pipelineRunFacts({
    entityRefs: options.entityRefs,
    from: options.from,
    to: options.to,
  });
  return {
    entityRef: options.entityRef,
    from: new Date(options.from).toISOString(),
    to: new Date(options.to).toISOString(),
    entityRefs: options.entityRefs,
    ...summarisePipelines(runs),
  };
}
