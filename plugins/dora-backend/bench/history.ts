/*
 * The delivery history both DORA benchmarks start from, bulk-loaded into the store's tables on PostgreSQL with the
 * link, lead-time and failure columns the ingest path maintains: a year of deployments per entity, a few changes per
 * deployment, now and then an incident that fails a deployment.
 */
import { leadTimeParts } from '@vitals/plugin-dora-common';
import { Knex } from 'knex';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** Rows per insert statement: large enough that per-statement overhead vanishes, small enough to keep memory flat. */
const BULK_ROWS = 25_000;

export interface HistoryOptions {
  /** How many entities have history: `entityRef(0)` .. `entityRef(entities - 1)`. */
  entities: number;
  /** Deployments in all, spread evenly over the entities and over the year before `now`. */
  deployments: number;
  changesPerDeployment: number;
  /** About this many incidents in all, each failing the deployment before it. */
  incidents: number;
  /** The end of the history (epoch ms); the year before it is filled. */
  now: number;
  entityRef: (index: number) => string;
  random: () => number;
}

export interface HistoryTotals {
  deployments: number;
  changes: number;
  incidents: number;
  insertSeconds: number;
  indexSeconds: number;
}

type Db = Knex | Knex.Transaction;

/**
 * Bulk insert: the rows of a statement travel as one JSON parameter expanded by PostgreSQL
 * (`json_populate_recordset`), far less to bind, send and parse than a multi-row VALUES list of the same rows. Columns
 * a row leaves out are null.
 */
async function insertAll(db: Db, table: string, rows: object[]): Promise<void> {
  // Awaited here, once: a knex query runs again every time it is awaited.
  await db.raw(
    'insert into ?? select * from json_populate_recordset(null::??, ?)',
    [table, table, JSON.stringify(rows)],
  );
}

/** Gathers rows per table and sends them in statements of {@link BULK_ROWS}. */
export interface BulkLoader {
  /** Queues a row of a table; sends the table's rows once enough have gathered (awaited: keeps memory flat). */
  push(table: string, row: object): Promise<void>;
}

/**
 * Bulk-loads what `fill` pushes into `tables` on PostgreSQL in one transaction: the tables' secondary indexes are
 * dropped first and built once at the end (one sort per index instead of millions of B-tree insertions), and while
 * PostgreSQL inserts one batch the next is generated. The caller runs `VACUUM ANALYZE` afterwards (what autovacuum does
 * after a large insert).
 */
export async function bulkLoad(
  knex: Knex,
  tables: string[],
  fill: (loader: BulkLoader) => Promise<void>,
): Promise<{ insertSeconds: number; indexSeconds: number }> {
  const timings = { insertSeconds: 0, indexSeconds: 0 };
  await knex.transaction(async tx => {
    await tx.raw("set local maintenance_work_mem = '512MB'");
    const indexes: Array<{ indexname: string; indexdef: string }> = (
      await tx.raw(
        `select i.indexname, i.indexdef from pg_indexes i
         where i.tablename = any(?) and not exists (
           select 1 from pg_constraint c where c.conname = i.indexname and c.contype in ('p', 'u'))`,
        [tables],
      )
    ).rows;
    for (const index of indexes)
      await tx.raw('drop index ??', [index.indexname]);

    const insertStart = Date.now();
    let pending: Promise<unknown> = Promise.resolve();
    const buffers: Record<string, object[]> = Object.fromEntries(
      tables.map(t => [t, []]),
    );
    // Sends what a table has gathered once the previous statement is done, without waiting for this one: the next
    // rows are generated meanwhile.
    const send = async (table: string, force = false) => {
      const rows = buffers[table];
      if (rows.length === 0 || (!force && rows.length < BULK_ROWS)) return;
      buffers[table] = [];
      await pending;
      pending = insertAll(tx, table, rows);
      // Awaited before the next statement; this only keeps a failure from counting as unhandled in between.
      pending.catch(() => undefined);
    };
    await fill({
      async push(table, row) {
        buffers[table].push(row);
        await send(table);
      },
    });
    for (const table of tables) await send(table, true);
    await pending;
    timings.insertSeconds = (Date.now() - insertStart) / 1000;

    const indexStart = Date.now();
    for (const index of indexes) await tx.raw(index.indexdef);
    timings.indexSeconds = (Date.now() - indexStart) / 1000;
  });
  return timings;
}

/**
 * Bulk-loads a year of history per entity (see {@link bulkLoad}), computing links and lead times the way the ingest
 * path does.
 */
export async function loadHistory(
  knex: Knex,
  options: HistoryOptions,
): Promise<HistoryTotals> {
  const { entities, now, random, entityRef } = options;
  const perEntity = Math.ceil(options.deployments / entities);
  const incidentChance = options.incidents / options.deployments;
  const totals = { deployments: 0, changes: 0, incidents: 0 };
  const tables = [
    'dora_deployments',
    'dora_deployment_commits',
    'dora_changes',
    'dora_incidents',
    'dora_entities',
  ];
  const timings = await bulkLoad(knex, tables, async ({ push }) => {
    for (
      let e = 0;
      e < entities && totals.deployments < options.deployments;
      e++
    ) {
      const ref = entityRef(e);
      const gap = (365 * DAY) / perEntity;
      let previous = now - 366 * DAY;
      await push('dora_entities', {
        entity_ref: ref,
        first_event_at: now,
        last_event_at: now,
        version: 1,
      });
      for (
        let d = 0;
        d < perEntity && totals.deployments < options.deployments;
        d++
      ) {
        const finishedAt = Math.round(
          now - 365 * DAY + d * gap + random() * gap * 0.5,
        );
        const id = `e${e}-d${d}`;
        const failed = random() < incidentChance;
        await push('dora_deployments', {
          id,
          entity_ref: ref,
          environment: 'production',
          status: 'success',
          started_at: finishedAt - 10 * MINUTE,
          finished_at: finishedAt,
          url: null,
          commit_count: options.changesPerDeployment,
          counted: 1,
          failed: failed ? 1 : 0,
          // Not null: the bulk insert fills a column the row leaves out with null, not with its default.
          rework: 0,
          received_at: now,
        });
        totals.deployments++;
        for (let c = 0; c < options.changesPerDeployment; c++) {
          const sha = `${id}-c${c}`;
          const mergedAt = Math.round(
            previous + random() * (finishedAt - previous),
          );
          const createdAt = mergedAt - Math.round(random() * 2 * DAY);
          const authoredAt = createdAt - Math.round(random() * 3 * DAY);
          const parts = leadTimeParts({
            authoredAt,
            createdAt,
            mergedAt,
            firstReviewAt: null,
            deployedAt: finishedAt,
          });
          await push('dora_deployment_commits', {
            deployment_id: id,
            entity_ref: ref,
            sha,
          });
          await push('dora_changes', {
            id: sha,
            entity_ref: ref,
            sha,
            authored_at: authoredAt,
            created_at: createdAt,
            merged_at: mergedAt,
            first_review_at: null,
            author: null,
            url: null,
            deployment_id: id,
            deployed_at: finishedAt,
            coding_minutes: parts.codingMinutes,
            pickup_minutes: null,
            review_minutes: null,
            merge_minutes: parts.mergeMinutes,
            deploy_minutes: parts.deployMinutes,
            lead_time_minutes: parts.leadTimeMinutes,
            received_at: now,
          });
          totals.changes++;
        }
        if (failed) {
          const createdAt = finishedAt + 30 * MINUTE;
          const resolvedAt = createdAt + Math.round(random() * 600) * MINUTE;
          await push('dora_incidents', {
            id: `${id}-i`,
            entity_ref: ref,
            created_at: createdAt,
            resolved_at: resolvedAt,
            severity: null,
            url: null,
            deployment_id: null,
            linked_deployment_id: id,
            restore_minutes: (resolvedAt - createdAt) / MINUTE,
            received_at: now,
          });
          totals.incidents++;
        }
        previous = finishedAt;
      }
    }
  });
  return { ...totals, ...timings };
}
