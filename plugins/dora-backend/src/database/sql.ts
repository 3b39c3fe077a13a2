import { ConflictError } from '@backstage/errors';
import { chunks } from '@vitals/backend-common';
import { Knex } from 'knex';

/*
 * The SQL helpers the DORA store's parts share: which database this is, lists of ids and rows sent as one parameter on
 * PostgreSQL and in chunks within the bind limits elsewhere, upserts, and portable medians.
 */

export type Int = number | string;

export const num = (v: Int): number => Number(v);
export const numOrNull = (v: Int | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/** Ids per `where in`: well under SQLite's and PostgreSQL's bind limits. */
export const CHUNK = 1000;
/**
 * Rows per multi-row insert: knex writes one for SQLite as a compound select (at most 500 terms), and the bind
 * parameters stay under SQLite's 32,766 and PostgreSQL's 65,535.
 */
export const MAX_BINDS = 30_000;
export const rowsPerStatement = (columns: number) =>
  Math.max(1, Math.min(500, Math.floor(MAX_BINDS / columns)));

/** Rows per statement on PostgreSQL, where a batch travels as one JSON parameter. */
export const PG_ROWS_PER_STATEMENT = 5000;

export const isPostgres = (db: Knex) => db.client.config.client === 'pg';

/**
 * Ids per `in` list: on PostgreSQL all of them at once (see {@link whereAnyOf}), elsewhere in chunks within the bind
 * limits.
 */
export function idBatches<T>(db: Knex, values: readonly T[]): T[][] {
  if (!isPostgres(db)) return chunks(values, CHUNK);
  return values.length > 0 ? [[...values]] : [];
}

/**
 * `column in (values)`. On PostgreSQL `column = any(?)` with the values as one array parameter: however many there
 * are, the statement is the same short text, bound, parsed and planned once, instead of one placeholder per value.
 */
export function whereAnyOf(
  db: Knex,
  query: Knex.QueryBuilder,
  column: string,
  values: readonly string[],
): Knex.QueryBuilder {
  return isPostgres(db)
    ? query.whereRaw('?? = any(?)', [column, [...values]])
    : query.whereIn(column, [...values]);
}

/**
 * `insert … on conflict (key) do update` of these columns. `rows` are whole rows. On PostgreSQL the rows travel as one
 * JSON parameter expanded by `json_populate_recordset` (one parameter instead of one per value: far less to bind, send
 * and parse); elsewhere as a multi-row insert within the bind limits.
 */
export async function upsert<Row extends object>(
  tx: Knex.Transaction,
  table: string,
  rows: Row[],
  mergeColumns: string[],
  key = 'id',
): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgres(tx)) {
    for (const batch of chunks(rows, PG_ROWS_PER_STATEMENT)) {
      const values = tx.raw(
        'select * from json_populate_recordset(null::??, ?)',
        [table, JSON.stringify(batch)],
      );
      const insert = tx(table).insert(values);
      await (mergeColumns.length
        ? insert.onConflict(key).merge(mergeColumns)
        : insert);
    }
    return;
  }
  for (const batch of chunks(
    rows,
    rowsPerStatement(Object.keys(rows[0]).length),
  )) {
    const insert = tx(table).insert(batch);
    await (mergeColumns.length
      ? insert.onConflict(key).merge(mergeColumns)
      : insert);
  }
}

/**
 * {@link upsert} of event rows that the transaction has checked: the database still replaces a stored row only when it
 * is of the same entity and not newer, so that a concurrent write of the same ids cannot move an event to another
 * entity or back in time. Such a race (seen on PostgreSQL as fewer rows written than sent) fails the whole write with
 * 409; sending it again then sees the other write.
 *
 * On PostgreSQL the rows the transaction found no stored row for (`stored` lacks their id: most rows of a batch) are
 * first inserted with `on conflict do nothing`, which costs the database about a quarter less than the guarded
 * upsert; only when another request stored some of them meanwhile do they go through the guarded upsert too.
 */
export async function upsertEvents<Row extends { id: string }>(
  tx: Knex.Transaction,
  table: string,
  rows: Row[],
  mergeColumns: string[],
  stored?: { has(id: string): boolean },
): Promise<void> {
  if (rows.length === 0) return;
  if (stored && isPostgres(tx)) {
    const fresh = rows.filter(row => !stored.has(row.id));
    if (fresh.length > 0) {
      let inserted = 0;
      for (const batch of chunks(fresh, PG_ROWS_PER_STATEMENT)) {
        const result = await tx.raw(
          'insert into ?? select * from json_populate_recordset(null::??, ?) on conflict (id) do nothing',
          [table, table, JSON.stringify(batch)],
        );
        inserted += result.rowCount ?? 0;
      }
      const rest = rows.filter(row => stored.has(row.id));
      await upsertEvents(
        tx,
        table,
        inserted < fresh.length ? [...fresh, ...rest] : rest,
        mergeColumns,
      );
      return;
    }
  }
  const guard = (q: Knex.QueryBuilder) =>
    q
      .where(`${table}.entity_ref`, tx.ref('excluded.entity_ref'))
      .andWhere(w =>
        w
          .whereNull(`${table}.state_at`)
          .orWhere(`${table}.state_at`, '<=', tx.ref('excluded.state_at')),
      );
  if (isPostgres(tx)) {
    let written = 0;
    for (const batch of chunks(rows, PG_ROWS_PER_STATEMENT)) {
      const values = tx.raw(
        'select * from json_populate_recordset(null::??, ?)',
        [table, JSON.stringify(batch)],
      );
      const insert = guard(
        tx(table)
          .insert(values)
          .onConflict('id')
          .merge(mergeColumns) as unknown as Knex.QueryBuilder,
      ).returning('id');
      // Counted by the database: one row back instead of one per event.
      const [{ n }] = rowsOf(
        await tx.raw('with w as (?) select count(*) as n from w', [insert]),
      );
      written += num(n);
    }
    if (written < rows.length) {
      throw new ConflictError(
        `Some of these events were written at the same time by another request; send them again`,
      );
    }
    return;
  }
  // SQLite runs one write transaction at a time, so nothing can interleave between the checks and this write.
  for (const batch of chunks(
    rows,
    rowsPerStatement(Object.keys(rows[0]).length),
  )) {
    await guard(
      tx(table)
        .insert(batch)
        .onConflict('id')
        .merge(mergeColumns) as unknown as Knex.QueryBuilder,
    );
  }
}

/**
 * A derived table of these rows to join on, e.g. the (entity, sha) pairs of a batch. On PostgreSQL one JSON parameter
 * (`json_to_recordset`), so that the planner sees a small relation to drive index lookups with rather than hundreds of
 * OR-ed conditions to plan; elsewhere a `values` list.
 */
export function rowsTable(
  tx: Knex,
  alias: string,
  columns: Array<[name: string, type: 'text' | 'bigint']>,
  rows: Array<Array<string | number>>,
): Knex.Raw {
  if (isPostgres(tx)) {
    const objects = rows.map(row =>
      Object.fromEntries(columns.map(([name], i) => [name, row[i]])),
    );
    const definition = columns
      .map(([name, type]) => `${name} ${type}`)
      .join(', ');
    return tx.raw(`json_to_recordset(?) as ${alias}(${definition})`, [
      JSON.stringify(objects),
    ]);
  }
  const names = columns
    .map(([name], i) => `column${i + 1} as ${name}`)
    .join(', ');
  const values = rows
    .map(row => `(${row.map(() => '?').join(', ')})`)
    .join(', ');
  return tx.raw(
    `(select ${names} from (values ${values})) as ${alias}`,
    rows.flat(),
  );
}

/** The standard median of a column over a filtered set, in one query (window functions, portable). */
export function medianSql(inner: string): string {
  return `
    select count(*) as n, (
      select avg(x) from (
        select x, row_number() over (order by x) as rn, count(*) over () as c from (${inner}) v
      ) r where rn in ((c + 1) / 2, (c + 2) / 2)
    ) as median from (${inner}) w`;
}

/** The median of `x` per value of `key` (a week bucket, a scope), in one query (window functions, portable). */
export function medianPerKeySql(
  inner: string,
  key: 'week' | 'scope_key',
): string {
  return `
    select ${key}, max(c) as n, avg(x) as median from (
      select ${key}, x, row_number() over (partition by ${key} order by x) as rn,
             count(*) over (partition by ${key}) as c
      from (${inner}) v
    ) r where rn in ((c + 1) / 2, (c + 2) / 2) group by ${key} order by ${key}`;
}

export const placeholders = (values: readonly unknown[]) =>
  values.map(() => '?').join(', ');

/** Rows of a raw query: PostgreSQL wraps them in `{ rows }`, SQLite returns the array. */
export function rowsOf(result: any): any[] {
  return Array.isArray(result) ? result : result.rows;
}
