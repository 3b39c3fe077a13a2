import {
  DoraPipelineFigures,
  DoraPipelinesResponse,
  DoraPipelineSummary,
} from '@vitals/plugin-dora-common';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DoraFlowFiguresStore,
  keptFiguresHold,
} from '../database/DoraFlowFigures';
import { PipelineRunFacts } from '../database/DoraPipelineReader';
import { DoraStore } from '../database/DoraStore';
import {
  isWholeDays,
  keptWindows,
  membersHash,
  pooledGroups,
} from './flowTeams';
import { lowerRef } from './groupTree';

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

/** The stores behind a group's kept pipeline figures: the runs, and the figures kept per group and window. */
export interface PipelineFiguresStores {
  runs: Pick<DoraStore, 'pipelineRunFacts'>;
  figures: DoraFlowFiguresStore;
}

/** The summary a group's kept row holds (the rest of the response is the request's). */
type KeptSummary = ReturnType<typeof summarisePipelines>;

const isGroup = (entityRef: string) =>
  parseEntityRef(entityRef).kind.toLocaleLowerCase('en-US') === 'group';

/**
 * `GET /v1/pipelines` as the Flow page asks for it: for a group and a window of whole UTC days, the figures kept for
 * the group (`dora_pipeline_figures`) when they were computed from the same entities (as the caller's catalog pools
 * them) and none of those entities has had a pipeline run written since (the sum of their pipeline data versions is
 * unchanged), so they are exact; otherwise computed, and kept for the next request. An entity, or any other window, is
 * computed on each request.
 */
export async function servePipelines(
  stores: PipelineFiguresStores,
  options: {
    entityRef: string;
    entityRefs: string[];
    from: number;
    to: number;
    now: number;
  },
): Promise<DoraPipelinesResponse> {
  const { entityRef, from, to } = options;
  if (
    !isGroup(entityRef) ||
    options.entityRefs.length === 0 ||
    !isWholeDays(from, to)
  )
    return computePipelines(stores.runs, options);
  const refs = [...options.entityRefs].sort();
  // Kept under the group's ref as the catalog's relations spell it (lower case), as the refresh keeps it.
  const scopeRef = lowerRef(entityRef);
  const scopes = new Map([[scopeRef, refs]]);
  const window = { from, to, largePrLines: 0 };
  const hash = membersHash(refs);
  // The data versions are read before the runs: figures kept with them can only look changed too early.
  const [versions, kept] = await Promise.all([
    stores.figures.dataVersions(scopes),
    stores.figures.kept(window, [scopeRef]),
  ]);
  const stored = kept.get(scopeRef);
  const respond = (summary: KeptSummary): DoraPipelinesResponse => ({
    entityRef,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    entityRefs: options.entityRefs,
    ...summary,
  });
  if (keptFiguresHold(stored, hash, versions.get(scopeRef)))
    return respond(JSON.parse(stored.figures));
  const summary = summarisePipelines(
    await stores.runs.pipelineRunFacts({ entityRefs: refs, from, to }),
  );
  await stores.figures.keep(window, options.now, [
    {
      scopeRef,
      membersHash: hash,
      dataVersion: versions.get(scopeRef)!,
      figures: JSON.stringify(summary),
    },
  ]);
  return respond(summary);
}

/** What one refresh of the kept pipeline figures did. */
export interface PipelineFiguresRefresh {
  groups: number;
  windows: number;
  /** (group, window) figures computed because those kept did not hold. */
  computed: number;
}

/**
 * Brings the pipeline figures kept for the Flow page up to date: for every group of `type` (the Flow page lists teams)
 * and every window the page asks for ({@link keptWindows}), computes those that do not hold, one read of the group's runs
 * over the longest window sliced into the others (a run's facts do not depend on the window), and drops figures
 * computed more than a day ago. Runs in the scheduled task of the flow org page's figures, one replica at a time.
 */
export async function refreshPipelineFigures(options: {
  stores: PipelineFiguresStores;
  catalog: CatalogService;
  credentials: BackstageCredentials;
  now: number;
  type?: string;
  leadMs: number;
}): Promise<PipelineFiguresRefresh> {
  const { stores, now } = options;
  await stores.figures.dropComputedBefore(now - 86_400_000);
  const { pooled } = await pooledGroups(
    options.catalog,
    options.credentials,
    options.type,
  );
  const groups = new Map([...pooled].filter(([, refs]) => refs.length > 0));
  const windows = keptWindows(now, options.leadMs);
  const versions = await stores.figures.dataVersions(groups);
  const kept = await Promise.all(
    windows.map(w =>
      stores.figures.kept({ ...w, largePrLines: 0 }, [...groups.keys()]),
    ),
  );
  let computed = 0;
  for (const [ref, refs] of groups) {
    const hash = membersHash(refs);
    const due = windows.filter(
      (_, i) => !keptFiguresHold(kept[i].get(ref), hash, versions.get(ref)),
    );
    if (due.length === 0) continue;
    const runs = await stores.runs.pipelineRunFacts({
      entityRefs: refs,
      from: Math.min(...due.map(w => w.from)),
      to: Math.max(...due.map(w => w.to)),
    });
    for (const w of due) {
      const summary = summarisePipelines(
        runs.filter(r => r.queuedAt >= w.from && r.queuedAt < w.to),
      );
      await stores.figures.keep({ ...w, largePrLines: 0 }, now, [
        {
          scopeRef: ref,
          membersHash: hash,
          dataVersion: versions.get(ref)!,
          figures: JSON.stringify(summary),
        },
      ]);
      computed++;
    }
  }
  return {
    groups: groups.size,
    windows: windows.length,
    computed,
  };
}
