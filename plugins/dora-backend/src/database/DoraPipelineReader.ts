import {
  DoraPagedList,
  DoraPipelineRun,
  DoraPipelineRunStatus,
} from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { PageOptions, WindowScope } from './DoraStore';
import { iso, isoOrNull } from './rows';
import { chunks } from '@vitals/backend-common';
import { CHUNK, Int, num, numOrNull, whereAnyOf } from './sql';

/** A pipeline run of a window with what the figures need to know of the runs around it. */
export interface PipelineRunFacts {
  id: string;
  attempt: number;
  entityRef: string;
  pipeline: string;
  branch: string;
  onDefaultBranch: boolean;
  sha: string;
  trigger: string;
  status: DoraPipelineRunStatus;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  url: string | null;
  /** A failure of which a later attempt of the same pipeline on the same commit passed. */
  flaky: boolean;
  /**
   * A default-branch failure that turned its pipeline red: the previous finished success-or-failure run of the
   * pipeline on the default branch was a success, or there was none.
   */
  turnedRed: boolean;
  /** For a default-branch failure: when the pipeline's next default-branch success finished; null while still red. */
  greenAt: number | null;
}

/** Filters of the drill-down. */
export interface PipelineRunFilter {
  pipeline?: string;
  status?: DoraPipelineRunStatus;
  defaultBranch?: boolean;
  flaky?: boolean;
}

type FactsRow = {
  id: string;
  attempt: Int;
  entity_ref: string;
  pipeline: string;
  branch: string;
  on_default_branch: Int;
  sha: string;
  trigger: string;
  status: string;
  queued_at: Int;
  started_at: Int | null;
  finished_at: Int | null;
  url: string | null;
  flaky: Int;
  previous_status: string | null;
  green_at: Int | null;
};

const TABLE = 'dora_pipeline_runs';

/*
 * The facts of a run that depend on other runs, as correlated subqueries that each seek one of the table's indexes
 * (evaluated only for the failures they concern):
 * - flaky: a success of the same entity, pipeline and commit queued later, or a later attempt of the same run;
 * - previous_status: the status of the pipeline's default-branch success or failure that finished last before it;
 * - green_at: the first default-branch success of the pipeline that finished after it (in any window).
 */
const FLAKY = `case when r.status = 'failure' and exists (
    select 1 from ${TABLE} s
    where s.entity_ref = r.entity_ref and s.pipeline = r.pipeline and s.sha = r.sha and s.status = 'success'
      and (s.queued_at > r.queued_at or (s.id = r.id and s.attempt > r.attempt))
  ) then 1 else 0 end`;
const PREVIOUS_STATUS = `case when r.status = 'failure' and r.on_default_branch = 1 and r.finished_at is not null then (
    select p.status from ${TABLE} p
    where p.entity_ref = r.entity_ref and p.pipeline = r.pipeline and p.on_default_branch = 1
      and p.finished_at < r.finished_at and p.status in ('success', 'failure')
    order by p.finished_at desc limit 1
  ) end`;
const GREEN_AT = `case when r.status = 'failure' and r.on_default_branch = 1 and r.finished_at is not null then (
    select min(g.finished_at) from ${TABLE} g
    where g.entity_ref = r.entity_ref and g.pipeline = r.pipeline and g.on_default_branch = 1
      and g.finished_at > r.finished_at and g.status = 'success'
  ) end`;

function toFacts(row: FactsRow): PipelineRunFacts {
  const onDefaultBranch = num(row.on_default_branch) === 1;
  const failure = row.status === 'failure';
  return {
    id: row.id,
    attempt: num(row.attempt),
    entityRef: row.entity_ref,
    pipeline: row.pipeline,
    branch: row.branch,
    onDefaultBranch,
    sha: row.sha,
    trigger: row.trigger,
    status: row.status as DoraPipelineRunStatus,
    queuedAt: num(row.queued_at),
    startedAt: numOrNull(row.started_at),
    finishedAt: numOrNull(row.finished_at),
    url: row.url,
    flaky: num(row.flaky) === 1,
    turnedRed:
      failure &&
      onDefaultBranch &&
      row.finished_at !== null &&
      row.previous_status !== 'failure',
    greenAt: numOrNull(row.green_at),
  };
}

const seconds = (from: number | null, to: number | null) =>
  from === null || to === null ? null : (to - from) / 1000;

/** A run as the drill-down shows it. */
export function toPipelineRun(facts: PipelineRunFacts): DoraPipelineRun {
  return {
    id: facts.id,
    attempt: facts.attempt,
    entityRef: facts.entityRef,
    pipeline: facts.pipeline,
    branch: facts.branch,
    onDefaultBranch: facts.onDefaultBranch,
    sha: facts.sha,
    trigger: facts.trigger,
    status: facts.status,
    queuedAt: iso(facts.queuedAt),
    startedAt: isoOrNull(facts.startedAt),
    finishedAt: isoOrNull(facts.finishedAt),
    url: facts.url,
    durationSeconds: seconds(facts.startedAt, facts.finishedAt),
    queueSeconds: seconds(facts.queuedAt, facts.startedAt),
    flaky: facts.flaky,
    timeToGreenSeconds: facts.turnedRed
      ? seconds(facts.finishedAt, facts.greenAt)
      : null,
  };
}

/** The reads of pipeline runs: every run of a window with its facts, and the drill-down. */
export class DoraPipelineReader {
  constructor(private readonly db: Knex) {}

  /** The runs of these entities queued in `[from, to)`. */
  private windowRuns(scope: WindowScope): Knex.QueryBuilder {
    const { db } = this;
    const query = db(`${TABLE} as r`)
      .select(
        'r.id',
        'r.attempt',
        'r.entity_ref',
        'r.pipeline',
        'r.branch',
        'r.on_default_branch',
        'r.sha',
        'r.trigger',
        'r.status',
        'r.queued_at',
        'r.started_at',
        'r.finished_at',
        'r.url',
        db.raw(`${FLAKY} as flaky`),
        db.raw(`${PREVIOUS_STATUS} as previous_status`),
        db.raw(`${GREEN_AT} as green_at`),
      )
      .where('r.queued_at', '>=', scope.from)
      .andWhere('r.queued_at', '<', scope.to);
    return whereAnyOf(db, query, 'r.entity_ref', scope.entityRefs);
  }

  /** Every run of the window with its facts (one statement). */
  async runFacts(scope: WindowScope): Promise<PipelineRunFacts[]> {
    if (scope.entityRefs.length === 0) return [];
    const rows: FactsRow[] = await this.windowRuns(scope);
    return rows.map(toFacts);
  }

  /** The runs of the window that pass the filter, newest first (by queuedAt, then id and attempt). */
  async listRuns(
    scope: WindowScope & PageOptions & PipelineRunFilter,
  ): Promise<DoraPagedList<DoraPipelineRun>> {
    if (scope.entityRefs.length === 0) return { items: [], totalCount: 0 };
    const { db } = this;
    const filtered = () => {
      const q = db.from(this.windowRuns(scope).as('x'));
      if (scope.pipeline !== undefined) q.where('x.pipeline', scope.pipeline);
      if (scope.status !== undefined) q.where('x.status', scope.status);
      if (scope.defaultBranch !== undefined)
        q.where('x.on_default_branch', scope.defaultBranch ? 1 : 0);
      if (scope.flaky !== undefined) q.where('x.flaky', scope.flaky ? 1 : 0);
      return q;
    };
    const [{ n }] = await filtered().count({ n: '*' });
    const rows: FactsRow[] = await filtered()
      .select('*')
      .orderBy([
        { column: 'x.queued_at', order: 'desc' },
        { column: 'x.id', order: 'asc' },
        { column: 'x.attempt', order: 'desc' },
      ])
      .limit(scope.limit)
      .offset(scope.offset);
    return {
      items: rows.map(row => toPipelineRun(toFacts(row))),
      totalCount: num(n as Int),
    };
  }

  /**
   * For every set (a group ref and the entities it pools): the sum of its entities' pipeline data versions (any write
   * of a run of one of them raises it); 0 for a set none of whose entities has runs.
   */
  async scopeVersions(
    scopes: Map<string, string[]>,
  ): Promise<Map<string, { version: bigint }>> {
    const refs = [...new Set([...scopes.values()].flat())];
    const versions = new Map<string, bigint>();
    for (const batch of chunks(refs, CHUNK)) {
      const rows: Array<{ entity_ref: string; version: Int }> =
        await whereAnyOf(
          this.db,
          this.db('dora_pipeline_versions'),
          'entity_ref',
          batch,
        ).select('entity_ref', 'version');
      for (const r of rows) versions.set(r.entity_ref, BigInt(r.version));
    }
    return new Map(
      [...scopes].map(([ref, members]) => [
        ref,
        {
          version: members.reduce(
            (sum, member) => sum + (versions.get(member) ?? 0n),
            0n,
          ),
        },
      ]),
    );
  }

  /** Whether any pipeline run was ever stored (for one-time demo seeding). */
  async hasRuns(): Promise<boolean> {
    return (await this.db(TABLE).first('id')) !== undefined;
  }
}
