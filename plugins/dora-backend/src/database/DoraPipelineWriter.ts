import { ConflictError } from '@backstage/errors';
import { chunks } from '@vitals/backend-common';
import { ParsedDoraEvent } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';
import { eventVersion, ms, sameContent, Sent } from './rows';
import {
  idBatches,
  Int,
  isPostgres,
  num,
  PG_ROWS_PER_STATEMENT,
  rowsOf,
  rowsPerStatement,
  whereAnyOf,
} from './sql';

export type PipelineRunInput = Extract<
  ParsedDoraEvent,
  { type: 'pipelineRun' }
>;

export type PipelineRunRow = {
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
  received_at: Int;
  state_at: Int;
};

const TABLE = 'dora_pipeline_runs';

/** What a sender says of a run; a re-send with all of these equal changes nothing. */
const CONTENT = [
  'pipeline',
  'branch',
  'on_default_branch',
  'sha',
  'trigger',
  'status',
  'queued_at',
  'started_at',
  'finished_at',
  'url',
] as const satisfies ReadonlyArray<keyof PipelineRunRow>;

const MERGE = [...CONTENT, 'received_at', 'state_at'];

/** (id, attempt) as one string. */
const keyOf = (id: string, attempt: Int) => `${id}\u0000${num(attempt)}`;

/**
 * Writes the pipeline runs of a batch inside the batch's transaction (see `DoraEventWriter`), by the same rules as the
 * other events: a run's id belongs to the entity it was first stored for (any attempt); of two reports of the same
 * (id, attempt) the later in the batch wins; a report older than the stored state (the latest of its timestamps and
 * `updatedAt`), or equal to it, is not written. Runs touch no link, lead time or DORA figure, and do not count as
 * delivery events of the entity (`GET /v1/activity`, the org page).
 */
export class DoraPipelineWriter {
  /** The distinct runs of the batch, by (id, attempt); refuses an id sent for two entities. */
  static distinct(
    runs: Array<Sent<PipelineRunInput>>,
  ): Map<string, Sent<PipelineRunInput>> {
    const byKey = new Map<string, Sent<PipelineRunInput>>();
    const entityOf = new Map<string, Sent<PipelineRunInput>>();
    for (const sent of runs) {
      const { event, index } = sent;
      const earlier = entityOf.get(event.id);
      if (earlier && earlier.event.entityRef !== event.entityRef) {
        throw new ConflictError(
          `events[${index}]: the pipelineRun '${event.id}' is sent for both ${earlier.event.entityRef} (events[${earlier.index}]) and ${event.entityRef}; an event id belongs to one entity`,
        );
      }
      entityOf.set(event.id, sent);
      byKey.set(keyOf(event.id, event.attempt), sent);
    }
    return byKey;
  }

  /** Writes what changes stored state and returns those events. */
  async write(
    tx: Knex.Transaction,
    runs: Map<string, Sent<PipelineRunInput>>,
    now: number,
  ): Promise<PipelineRunInput[]> {
    if (runs.size === 0) return [];
    const ids = [...new Set([...runs.values()].map(s => s.event.id))];
    const stored = new Map<string, PipelineRunRow>();
    const owners = new Map<string, string>();
    for (const batch of idBatches(tx, ids)) {
      for (const row of (await whereAnyOf(tx, tx(TABLE), 'id', batch).select(
        'id',
        'attempt',
        'entity_ref',
        'state_at',
        ...CONTENT,
      )) as PipelineRunRow[]) {
        owners.set(row.id, row.entity_ref);
        stored.set(keyOf(row.id, row.attempt), row);
      }
    }
    for (const { event, index } of runs.values()) {
      const owner = owners.get(event.id);
      if (owner !== undefined && owner !== event.entityRef) {
        throw new ConflictError(
          `events[${index}]: the pipelineRun '${event.id}' belongs to ${owner}, so it cannot be sent for ${event.entityRef}; event ids are scoped to their entity, use another id`,
        );
      }
    }
    const writes: PipelineRunRow[] = [];
    const written: PipelineRunInput[] = [];
    for (const [key, { event: e }] of runs) {
      const row: PipelineRunRow = {
        id: e.id,
        attempt: e.attempt,
        entity_ref: e.entityRef,
        pipeline: e.pipeline,
        branch: e.branch,
        on_default_branch: e.branch === e.defaultBranch ? 1 : 0,
        sha: e.sha,
        trigger: e.trigger,
        status: e.status,
        queued_at: Date.parse(e.queuedAt),
        started_at: ms(e.startedAt),
        finished_at: ms(e.finishedAt),
        url: e.url ?? null,
        received_at: now,
        state_at: eventVersion(e),
      };
      const before = stored.get(key);
      if (
        before &&
        (num(row.state_at) < num(before.state_at) ||
          sameContent(row, before, CONTENT))
      )
        continue;
      writes.push(row);
      written.push(e);
    }
    await upsertRuns(tx, writes);
    await raiseVersions(tx, new Set(writes.map(row => row.entity_ref)));
    return written;
  }
}

/**
 * `insert … on conflict (id, attempt) do update`, replacing a stored row only when it is of the same entity and not
 * newer: a concurrent write of the same run cannot move it to another entity or back in time. On PostgreSQL such a
 * race shows as fewer rows written than sent and fails the batch with 409 (send it again); SQLite runs one write
 * transaction at a time.
 */
async function upsertRuns(
  tx: Knex.Transaction,
  rows: PipelineRunRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const guard = (q: Knex.QueryBuilder) =>
    q
      .where(`${TABLE}.entity_ref`, tx.ref('excluded.entity_ref'))
      .andWhere(`${TABLE}.state_at`, '<=', tx.ref('excluded.state_at'));
  if (isPostgres(tx)) {
    let written = 0;
    for (const batch of chunks(rows, PG_ROWS_PER_STATEMENT)) {
      const values = tx.raw(
        'select * from json_populate_recordset(null::??, ?)',
        [TABLE, JSON.stringify(batch)],
      );
      const insert = guard(
        tx(TABLE)
          .insert(values)
          .onConflict(['id', 'attempt'])
          .merge(MERGE) as unknown as Knex.QueryBuilder,
      ).returning('id');
      const [{ n }] = rowsOf(
        await tx.raw('with w as (?) select count(*) as n from w', [insert]),
      );
      written += num(n);
    }
    if (written < rows.length) {
      throw new ConflictError(
        'Some of these pipeline runs were written at the same time by another request; send them again',
      );
    }
    return;
  }
  for (const batch of chunks(
    rows,
    rowsPerStatement(Object.keys(rows[0]).length),
  )) {
    await guard(
      tx(TABLE)
        .insert(batch)
        .onConflict(['id', 'attempt'])
        .merge(MERGE) as unknown as Knex.QueryBuilder,
    );
  }
}

/**
 * Raises the pipeline data version of these entities (`dora_pipeline_versions`), under the row's lock, so that
 * figures kept for their groups (`dora_pipeline_figures`) no longer hold. In one order on every replica.
 */
async function raiseVersions(
  tx: Knex.Transaction,
  entityRefs: Set<string>,
): Promise<void> {
  const rows = [...entityRefs].sort().map(entity_ref => ({
    entity_ref,
    version: 1,
  }));
  for (const batch of chunks(rows, rowsPerStatement(2))) {
    await tx('dora_pipeline_versions')
      .insert(batch)
      .onConflict('entity_ref')
      .merge({ version: tx.raw('?? + 1', ['dora_pipeline_versions.version']) });
  }
}
