import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
  DoraPagedList,
  leadTimeParts,
  ParsedDoraEvent,
} from '@vitals/plugin-dora-common';
import { ConflictError, InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  DataHealthCounts,
  DoraIngestOutcome,
  DeploymentDayRow,
  DoraStore,
  MedianFigure,
  MetricInputRows,
  PageOptions,
  ScopeFigures,
  ScopesWindow,
  ScopeState,
  WeeklyMedianRow,
  WindowScope,
} from './DoraStore';
import {
  isProductionEnvironment,
  productionEnvironmentSet,
} from '../ingest/productionEnvironments';
import { migrateToLatest } from '@vitals/backend-common';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-dora-backend',
  'migrations',
);

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const MONTH_MS = 30 * DAY_MS;
/** Ids per `where in`: well under SQLite's and PostgreSQL's bind limits. */
const CHUNK = 1000;
/**
 * Rows per multi-row insert: knex writes one for SQLite as a compound select (at most 500 terms), and the bind
 * parameters stay under SQLite's 32,766 and PostgreSQL's 65,535.
 */
const MAX_BINDS = 30_000;
const rowsPerStatement = (columns: number) =>
  Math.max(1, Math.min(500, Math.floor(MAX_BINDS / columns)));

type Int = number | string;

type DeploymentRow = {
  id: string;
  entity_ref: string;
  environment: string;
  status: string;
  started_at: Int | null;
  finished_at: Int;
  url: string | null;
  commit_count: Int;
  counted: Int;
  failed: Int;
  received_at: Int;
  state_at: Int | null;
};

type ChangeRow = {
  id: string;
  entity_ref: string;
  sha: string;
  authored_at: Int | null;
  created_at: Int | null;
  merged_at: Int | null;
  first_review_at: Int | null;
  author: string | null;
  url: string | null;
  deployment_id: string | null;
  deployed_at: Int | null;
  coding_minutes: Int | null;
  pickup_minutes: Int | null;
  review_minutes: Int | null;
  merge_minutes: Int | null;
  deploy_minutes: Int | null;
  lead_time_minutes: Int | null;
  received_at: Int;
  state_at: Int | null;
};

type IncidentRow = {
  id: string;
  entity_ref: string;
  created_at: Int;
  resolved_at: Int | null;
  severity: string | null;
  url: string | null;
  deployment_id: string | null;
  linked_deployment_id: string | null;
  restore_minutes: Int | null;
  received_at: Int;
  state_at: Int | null;
};

const DEPLOYMENT_COLUMNS = [
  'id',
  'entity_ref',
  'environment',
  'status',
  'started_at',
  'finished_at',
  'url',
  'commit_count',
  'counted',
  'failed',
  'received_at',
  'state_at',
] as const satisfies ReadonlyArray<keyof DeploymentRow>;

const CHANGE_COLUMNS = [
  'id',
  'entity_ref',
  'sha',
  'authored_at',
  'created_at',
  'merged_at',
  'first_review_at',
  'author',
  'url',
  'deployment_id',
  'deployed_at',
  'coding_minutes',
  'pickup_minutes',
  'review_minutes',
  'merge_minutes',
  'deploy_minutes',
  'lead_time_minutes',
  'received_at',
  'state_at',
] as const satisfies ReadonlyArray<keyof ChangeRow>;

const INCIDENT_COLUMNS = [
  'id',
  'entity_ref',
  'created_at',
  'resolved_at',
  'severity',
  'url',
  'deployment_id',
  'linked_deployment_id',
  'restore_minutes',
  'received_at',
  'state_at',
] as const satisfies ReadonlyArray<keyof IncidentRow>;

const LINK_COLUMNS = [
  'deployment_id',
  'deployed_at',
  'coding_minutes',
  'pickup_minutes',
  'review_minutes',
  'merge_minutes',
  'deploy_minutes',
  'lead_time_minutes',
] as const;

const num = (v: Int): number => Number(v);
const numOrNull = (v: Int | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);
const iso = (v: Int): string => new Date(Number(v)).toISOString();
const isoOrNull = (v: Int | null): string | null =>
  v === null ? null : iso(v);
const ms = (v: string | undefined): number | null => (v ? Date.parse(v) : null);

const PAIR_SEPARATOR = '\u0000';
/** An (entity, sha) pair as one string, for sets and maps. */
const pairKey = (entityRef: string, sha: string) =>
  `${entityRef}${PAIR_SEPARATOR}${sha}`;

/** What a sender says of an event; a re-send with all of these equal (and the same commits) changes nothing. */
const DEPLOYMENT_CONTENT = [
  'environment',
  'status',
  'started_at',
  'finished_at',
  'url',
] as const satisfies ReadonlyArray<keyof DeploymentRow>;
const CHANGE_CONTENT = [
  'sha',
  'authored_at',
  'created_at',
  'merged_at',
  'first_review_at',
  'author',
  'url',
] as const satisfies ReadonlyArray<keyof ChangeRow>;
const INCIDENT_CONTENT = [
  'created_at',
  'resolved_at',
  'severity',
  'url',
  'deployment_id',
] as const satisfies ReadonlyArray<keyof IncidentRow>;

type DeploymentInput = Extract<ParsedDoraEvent, { type: 'deployment' }>;
type ChangeInput = Extract<ParsedDoraEvent, { type: 'change' }>;
type IncidentInput = Extract<ParsedDoraEvent, { type: 'incident' }>;
/** A sent event and its position in the batch (to name it in an error). */
type Sent<E> = { event: E; index: number };
type SentEvents = {
  deployment: Map<string, Sent<DeploymentInput>>;
  change: Map<string, Sent<ChangeInput>>;
  incident: Map<string, Sent<IncidentInput>>;
};

/** The latest of these instants (epoch ms); the version of an event's state. */
const latestOf = (...values: Array<Int | null | undefined>): number =>
  Math.max(
    ...values
      .filter((v): v is Int => v !== null && v !== undefined)
      .map(Number),
  );

/** The version of a sent event: the latest of its own timestamps, `updatedAt` included. */
function eventVersion(e: ParsedDoraEvent): number {
  const at = ms;
  if (e.type === 'deployment')
    return latestOf(at(e.startedAt), at(e.finishedAt), at(e.updatedAt));
  if (e.type === 'change')
    return latestOf(
      at(e.authoredAt),
      at(e.createdAt),
      at(e.firstReviewAt),
      at(e.mergedAt),
      at(e.updatedAt),
    );
  return latestOf(at(e.createdAt), at(e.resolvedAt), at(e.updatedAt));
}

/** The version of a stored row: as recorded, or for rows from before versions were recorded, from its timestamps. */
const deploymentVersion = (r: DeploymentRow) =>
  numOrNull(r.state_at) ?? latestOf(r.started_at, r.finished_at);
const changeVersion = (r: ChangeRow) =>
  numOrNull(r.state_at) ??
  latestOf(r.authored_at, r.created_at, r.first_review_at, r.merged_at);
const incidentVersion = (r: IncidentRow) =>
  numOrNull(r.state_at) ?? latestOf(r.created_at, r.resolved_at);

/** Whether two rows hold the same values in these columns (numbers compared as numbers: drivers return strings). */
function sameContent<Row extends object>(
  a: Row,
  b: Row,
  columns: ReadonlyArray<keyof Row>,
): boolean {
  const value = (v: unknown) => {
    if (v === null || v === undefined) return null;
    return typeof v === 'number' || typeof v === 'bigint' ? String(v) : v;
  };
  return columns.every(c => value(a[c]) === value(b[c]));
}

/**
 * Whether a sent row should replace the stored one: always when there is none; never when it is older than the stored
 * state (a late or replayed update), nor when it says what is stored already (a re-send). Equally recent and different
 * replaces it (a correction, or CI completing what a webhook sent).
 */
function replacesStored<Row extends object>(
  row: Row,
  stored: Row | undefined,
  content: ReadonlyArray<keyof Row>,
  version: (r: Row) => number,
  sameCommits = true,
): boolean {
  if (!stored) return true;
  if (version(row) < version(stored)) return false;
  return !(sameCommits && sameContent(row, stored, content));
}

function chunks<T>(values: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size)
    out.push(values.slice(i, i + size));
  return out;
}

/** Rows per statement on PostgreSQL, where a batch travels as one JSON parameter. */
const PG_ROWS_PER_STATEMENT = 5000;

const isPostgres = (db: Knex) => db.client.config.client === 'pg';

/**
 * Ids per `in` list: on PostgreSQL all of them at once (see {@link whereAnyOf}), elsewhere in chunks within the bind
 * limits.
 */
function idBatches<T>(db: Knex, values: readonly T[]): T[][] {
  if (!isPostgres(db)) return chunks(values);
  return values.length > 0 ? [[...values]] : [];
}

/**
 * `column in (values)`. On PostgreSQL `column = any(?)` with the values as one array parameter: however many there
 * are, the statement is the same short text, bound, parsed and planned once, instead of one placeholder per value.
 */
function whereAnyOf(
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
async function upsert<Row extends object>(
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
 */
async function upsertEvents<Row extends { id: string }>(
  tx: Knex.Transaction,
  table: string,
  rows: Row[],
  mergeColumns: string[],
): Promise<void> {
  if (rows.length === 0) return;
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
function rowsTable(
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

const PAIR_COLUMNS: Array<[string, 'text']> = [
  ['entity_ref', 'text'],
  ['sha', 'text'],
];

function rowToDeployment(row: DeploymentRow): DoraDeployment {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    status: row.status as DoraDeployment['status'],
    startedAt: isoOrNull(row.started_at),
    finishedAt: iso(row.finished_at),
    url: row.url,
    commitCount: num(row.commit_count),
    counted: num(row.counted) === 1,
    failed: num(row.failed) === 1,
  };
}

function rowToChange(row: ChangeRow): DoraChange {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    sha: row.sha,
    authoredAt: isoOrNull(row.authored_at),
    createdAt: isoOrNull(row.created_at),
    mergedAt: isoOrNull(row.merged_at),
    firstReviewAt: isoOrNull(row.first_review_at),
    author: row.author,
    url: row.url,
    deploymentId: row.deployment_id,
    deployedAt: isoOrNull(row.deployed_at),
    codingMinutes: numOrNull(row.coding_minutes),
    pickupMinutes: numOrNull(row.pickup_minutes),
    reviewMinutes: numOrNull(row.review_minutes),
    mergeMinutes: numOrNull(row.merge_minutes),
    deployMinutes: numOrNull(row.deploy_minutes),
    leadTimeMinutes: numOrNull(row.lead_time_minutes),
  };
}

function rowToIncident(row: IncidentRow): DoraIncident {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    createdAt: iso(row.created_at),
    resolvedAt: isoOrNull(row.resolved_at),
    severity: row.severity,
    url: row.url,
    deploymentId: row.deployment_id,
    linkedDeploymentId: row.linked_deployment_id,
    restoreMinutes: numOrNull(row.restore_minutes),
  };
}

/** The standard median of a column over a filtered set, in one query (window functions, portable). */
function medianSql(inner: string): string {
  return `
    select count(*) as n, (
      select avg(x) from (
        select x, row_number() over (order by x) as rn, count(*) over () as c from (${inner}) v
      ) r where rn in ((c + 1) / 2, (c + 2) / 2)
    ) as median from (${inner}) w`;
}

/** The median of `x` per value of `key` (a week bucket, a scope), in one query (window functions, portable). */
function medianPerKeySql(inner: string, key: 'week' | 'scope_key'): string {
  return `
    select ${key}, max(c) as n, avg(x) as median from (
      select ${key}, x, row_number() over (partition by ${key} order by x) as rn,
             count(*) over (partition by ${key}) as c
      from (${inner}) v
    ) r where rn in ((c + 1) / 2, (c + 2) / 2) group by ${key} order by ${key}`;
}

const placeholders = (values: readonly unknown[]) =>
  values.map(() => '?').join(', ');

const SCOPE_COLUMNS: Array<[string, 'text']> = [
  ['scope_key', 'text'],
  ['entity_ref', 'text'],
];

/** (scope, entity) pairs per query on SQLite: two bind parameters each, well under its limit of 32,766. */
const SQLITE_SCOPE_ROWS = 5_000;

/** The DORA store on knex: SQLite for local use, PostgreSQL in production. */
export class DatabaseDoraStore implements DoraStore {
  static async create(options: {
    database: DatabaseService;
    productionEnvironments?: string[];
  }): Promise<DatabaseDoraStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    const store = new DatabaseDoraStore(
      client,
      productionEnvironmentSet(options.productionEnvironments),
    );
    await store.applyProductionEnvironments();
    return store;
  }

  private constructor(
    private readonly db: Knex,
    private readonly productionEnvironments: Set<string>,
  ) {}

  private isCounted(status: string, environment: string): boolean {
    return (
      status === 'success' &&
      isProductionEnvironment(this.productionEnvironments, environment)
    );
  }

  /**
   * When `dora.productionEnvironments` differs from what the stored links were computed with, recomputes which
   * deployments count and relinks every change and incident.
   */
  private async applyProductionEnvironments(): Promise<void> {
    const value = JSON.stringify([...this.productionEnvironments].sort());
    const current = await this.db('dora_settings')
      .where({ key: 'productionEnvironments' })
      .first();
    if (current?.value === value) return;
    await this.db.transaction(async tx => {
      if (current) {
        for (let after = ''; ; ) {
          const rows: DeploymentRow[] = await tx('dora_deployments')
            .where('id', '>', after)
            .orderBy('id')
            .limit(CHUNK)
            .select('id', 'status', 'environment', 'counted');
          if (rows.length === 0) break;
          for (const counted of [0, 1]) {
            const ids = rows
              .filter(
                r =>
                  (this.isCounted(r.status, r.environment) ? 1 : 0) ===
                    counted && num(r.counted) !== counted,
              )
              .map(r => r.id);
            if (ids.length)
              await tx('dora_deployments')
                .whereIn('id', ids)
                .update({ counted });
          }
          after = rows[rows.length - 1].id;
        }
        for (let after = ''; ; ) {
          const ids = (
            await tx('dora_changes')
              .where('id', '>', after)
              .orderBy('id')
              .limit(CHUNK)
              .select('id')
          ).map(r => r.id);
          if (ids.length === 0) break;
          await this.relinkChanges(tx, ids);
          after = ids[ids.length - 1];
        }
        for (let after = ''; ; ) {
          const ids = (
            await tx('dora_incidents')
              .where('id', '>', after)
              .orderBy('id')
              .limit(CHUNK)
              .select('id')
          ).map(r => r.id);
          if (ids.length === 0) break;
          const touched = await this.relinkIncidents(tx, { ids });
          await this.refreshFailed(tx, touched);
          after = ids[ids.length - 1];
        }
      }
      // Every stored link may have changed: figures kept for the org page no longer hold.
      await tx('dora_scope_figures').delete();
      await tx('dora_settings')
        .insert({ key: 'productionEnvironments', value })
        .onConflict('key')
        .merge(['value']);
    });
  }

  async hasEvents(): Promise<boolean> {
    return !!(await this.db('dora_entities').first('entity_ref'));
  }

  async ingest(events: ParsedDoraEvent[]): Promise<DoraIngestOutcome> {
    // Of two events with the same type and id, the later wins; both must be of the same entity.
    const sent = {
      deployment: new Map<string, Sent<DeploymentInput>>(),
      change: new Map<string, Sent<ChangeInput>>(),
      incident: new Map<string, Sent<IncidentInput>>(),
    };
    events.forEach((event, index) => {
      const byId = sent[event.type] as Map<string, Sent<ParsedDoraEvent>>;
      const earlier = byId.get(event.id);
      if (earlier && earlier.event.entityRef !== event.entityRef) {
        throw new ConflictError(
          `events[${index}]: the ${event.type} '${event.id}' is sent for both ${earlier.event.entityRef} (events[${earlier.index}]) and ${event.entityRef}; an event id belongs to one entity`,
        );
      }
      byId.set(event.id, { event, index });
    });
    const accepted =
      sent.deployment.size + sent.change.size + sent.incident.size;
    const written: ParsedDoraEvent[] = [];

    // Set-based: a fixed handful of statements per batch whatever its size (more only past the bind limits), and every
    // row written once.
    await this.db.transaction(async tx => {
      const stored = await this.storedStates(tx, sent);
      this.refuseForeignIds(sent, stored);
      await this.refuseForeignDeploymentIds(tx, sent);

      // Only what changes stored state is written: a re-send of the stored state, or an update older than it (a late
      // or replayed webhook), leaves the row, its received_at and every link as they are.
      const now = Date.now();
      const deployments = new Map<string, DeploymentInput>();
      const deploymentRows: DeploymentRow[] = [];
      const commitRows: Array<{
        deployment_id: string;
        entity_ref: string;
        sha: string;
      }> = [];
      const commitsOf = new Map<string, string[]>();
      for (const { event: e } of sent.deployment.values()) {
        const shas = [...new Set(e.commitShas)];
        commitsOf.set(e.id, shas);
        deploymentRows.push({
          id: e.id,
          entity_ref: e.entityRef,
          environment: e.environment,
          status: e.status,
          started_at: ms(e.startedAt),
          finished_at: Date.parse(e.finishedAt),
          url: e.url ?? null,
          commit_count: shas.length,
          counted: this.isCounted(e.status, e.environment) ? 1 : 0,
          failed: 0,
          received_at: now,
          state_at: eventVersion(e),
        });
      }
      const changeRows: ChangeRow[] = [...sent.change.values()].map(
        ({ event: e }) => ({
          id: e.id,
          entity_ref: e.entityRef,
          sha: e.sha,
          authored_at: ms(e.authoredAt),
          created_at: ms(e.createdAt),
          merged_at: ms(e.mergedAt),
          first_review_at: ms(e.firstReviewAt),
          author: e.author ?? null,
          url: e.url ?? null,
          deployment_id: null,
          deployed_at: null,
          coding_minutes: null,
          pickup_minutes: null,
          review_minutes: null,
          merge_minutes: null,
          deploy_minutes: null,
          lead_time_minutes: null,
          received_at: now,
          state_at: eventVersion(e),
        }),
      );
      const incidentRows: IncidentRow[] = [...sent.incident.values()].map(
        ({ event: e }) => {
          const createdAt = Date.parse(e.createdAt);
          const resolvedAt = ms(e.resolvedAt);
          return {
            id: e.id,
            entity_ref: e.entityRef,
            created_at: createdAt,
            resolved_at: resolvedAt,
            severity: e.severity ?? null,
            url: e.url ?? null,
            deployment_id: e.deploymentId ?? null,
            linked_deployment_id: null,
            restore_minutes:
              resolvedAt === null ? null : (resolvedAt - createdAt) / 60_000,
            received_at: now,
            state_at: eventVersion(e),
          };
        },
      );

      const sameCommits = await this.storedCommitsEqual(
        tx,
        deploymentRows,
        stored.deployment,
        commitsOf,
      );
      const deploymentWrites = deploymentRows.filter(row =>
        replacesStored(
          row,
          stored.deployment.get(row.id),
          DEPLOYMENT_CONTENT,
          deploymentVersion,
          sameCommits.has(row.id),
        ),
      );
      const changeWrites = changeRows.filter(row =>
        replacesStored(
          row,
          stored.change.get(row.id),
          CHANGE_CONTENT,
          changeVersion,
        ),
      );
      const incidentWrites = incidentRows.filter(row =>
        replacesStored(
          row,
          stored.incident.get(row.id),
          INCIDENT_CONTENT,
          incidentVersion,
        ),
      );
      for (const row of deploymentWrites) {
        deployments.set(row.id, sent.deployment.get(row.id)!.event);
        for (const sha of commitsOf.get(row.id)!)
          commitRows.push({
            deployment_id: row.id,
            entity_ref: row.entity_ref,
            sha,
          });
      }
      written.push(
        ...deploymentWrites.map(row => sent.deployment.get(row.id)!.event),
        ...changeWrites.map(row => sent.change.get(row.id)!.event),
        ...incidentWrites.map(row => sent.incident.get(row.id)!.event),
      );
      if (written.length === 0) return;
      const deploymentIds = deploymentWrites.map(row => row.id);
      // What the re-sent deployments looked like, so that incidents after their old time are revisited too. Only they
      // can have commits stored, or changes and incidents linked to them: nothing links to a deployment not yet stored.
      const previous = deploymentIds.flatMap(
        id => stored.deployment.get(id) ?? [],
      );
      const resentIds = previous.map(row => row.id);

      // `failed` is kept for a re-sent deployment and recomputed below; a new one starts at 0.
      await upsertEvents(
        tx,
        'dora_deployments',
        deploymentWrites,
        DEPLOYMENT_COLUMNS.filter(c => c !== 'id' && c !== 'failed'),
      );
      for (const ids of idBatches(tx, resentIds)) {
        await whereAnyOf(
          tx,
          tx('dora_deployment_commits'),
          'deployment_id',
          ids,
        ).delete();
      }
      await upsert(tx, 'dora_deployment_commits', commitRows, []);

      // Changes: the sent ones are linked before they are written (a re-sent change replaces the stored one as a whole);
      // stored ones are relinked when a sent deployment lists their sha or was their deployment, and written only when
      // their link changed.
      const changeIds = new Set(changeWrites.map(row => row.id));
      const touchedChanges = (
        await this.changesTouchedBy(tx, resentIds, commitRows)
      ).filter(row => !changeIds.has(row.id));
      const linked = await this.linkChanges(tx, [
        ...changeWrites,
        ...touchedChanges,
      ]);
      await upsertEvents(
        tx,
        'dora_changes',
        linked.slice(0, changeWrites.length),
        CHANGE_COLUMNS.filter(c => c !== 'id'),
      );
      await this.writeChangedLinks(
        tx,
        touchedChanges,
        linked.slice(changeWrites.length),
      );

      // Incidents: a re-sent incident keeps its current link until relinked below, so that only a changed link is
      // written and only the deployments it leaves or joins need their failure flag recomputed.
      await upsertEvents(
        tx,
        'dora_incidents',
        incidentWrites,
        INCIDENT_COLUMNS.filter(
          c => c !== 'id' && c !== 'linked_deployment_id',
        ),
      );
      // Incidents whose link may have changed: the sent ones, those naming or linked to a sent deployment, and those
      // of the entities of sent deployments created after the earliest of them (old or new time).
      const earliest = new Map<string, number>();
      for (const d of [...deploymentWrites, ...previous]) {
        earliest.set(
          d.entity_ref,
          Math.min(num(d.finished_at), earliest.get(d.entity_ref) ?? Infinity),
        );
      }
      const touched = await this.relinkIncidents(tx, {
        ids: incidentWrites.map(row => row.id),
        namedDeploymentIds: deploymentIds,
        linkedDeploymentIds: resentIds,
        createdAfter: earliest,
      });
      // A new deployment no incident links to keeps the 0 it was written with.
      await this.refreshFailed(tx, [...new Set([...resentIds, ...touched])]);

      await this.touchEntities(tx, new Set(written.map(e => e.entityRef)), now);
    });
    return { accepted, written };
  }

  /**
   * Records that these entities have events, when the latest arrived, and raises their data version: figures kept for
   * the org page (see {@link DatabaseDoraStore.scopeStates}) name the sum of their entities' versions. The version is
   * raised under the row's lock, so two writes of one entity raise it twice whatever their order.
   */
  private async touchEntities(
    tx: Knex.Transaction,
    entityRefs: Set<string>,
    now: number,
  ): Promise<void> {
    const rows = [...entityRefs].sort().map(entity_ref => ({
      entity_ref,
      first_event_at: now,
      last_event_at: now,
      version: 1,
    }));
    const merge = {
      last_event_at: tx.raw('excluded.last_event_at'),
      version: tx.raw('?? + 1', ['dora_entities.version']),
    };
    if (rows.length === 0) return;
    if (isPostgres(tx)) {
      for (const batch of chunks(rows, PG_ROWS_PER_STATEMENT)) {
        const values = tx.raw(
          'select * from json_populate_recordset(null::dora_entities, ?)',
          [JSON.stringify(batch)],
        );
        await tx('dora_entities')
          .insert(values)
          .onConflict('entity_ref')
          .merge(merge);
      }
      return;
    }
    for (const batch of chunks(rows, rowsPerStatement(4))) {
      await tx('dora_entities')
        .insert(batch)
        .onConflict('entity_ref')
        .merge(merge);
    }
  }

  /** The stored rows of the sent ids (what the content and version comparisons need), per event type. */
  private async storedStates(
    tx: Knex.Transaction,
    sent: SentEvents,
  ): Promise<{
    deployment: Map<string, DeploymentRow>;
    change: Map<string, ChangeRow>;
    incident: Map<string, IncidentRow>;
  }> {
    const load = async <Row extends { id: string }>(
      table: string,
      ids: string[],
      columns: readonly string[],
    ) => {
      const rows = new Map<string, Row>();
      for (const batch of idBatches(tx, ids)) {
        for (const row of await whereAnyOf(tx, tx(table), 'id', batch).select(
          ...columns,
        ))
          rows.set(row.id, row);
      }
      return rows;
    };
    return {
      deployment: await load<DeploymentRow>(
        'dora_deployments',
        [...sent.deployment.keys()],
        ['id', 'entity_ref', 'commit_count', 'state_at', ...DEPLOYMENT_CONTENT],
      ),
      change: await load<ChangeRow>(
        'dora_changes',
        [...sent.change.keys()],
        ['id', 'entity_ref', 'state_at', ...CHANGE_CONTENT],
      ),
      incident: await load<IncidentRow>(
        'dora_incidents',
        [...sent.incident.keys()],
        ['id', 'entity_ref', 'state_at', ...INCIDENT_CONTENT],
      ),
    };
  }

  /**
   * Ids are scoped to their entity: an event stored for one entity is never moved to another by re-sending its id (a
   * caller allowed to write entity A must not take, change or hide a record of entity B). Refuses the whole batch.
   */
  private refuseForeignIds(
    sent: SentEvents,
    stored: Awaited<ReturnType<DatabaseDoraStore['storedStates']>>,
  ): void {
    for (const type of ['deployment', 'change', 'incident'] as const) {
      const rows = stored[type] as Map<string, { entity_ref: string }>;
      for (const { event, index } of (
        sent[type] as Map<string, Sent<ParsedDoraEvent>>
      ).values()) {
        const owner = rows.get(event.id)?.entity_ref;
        if (owner !== undefined && owner !== event.entityRef) {
          throw new ConflictError(
            `events[${index}]: the ${type} '${event.id}' belongs to ${owner}, so it cannot be sent for ${event.entityRef}; event ids are scoped to their entity, use another id`,
          );
        }
      }
    }
  }

  /** An incident may name only a deployment of its own entity (one stored, or sent in the same batch). */
  private async refuseForeignDeploymentIds(
    tx: Knex.Transaction,
    sent: SentEvents,
  ): Promise<void> {
    const naming = [...sent.incident.values()].filter(
      ({ event }) => event.deploymentId,
    );
    if (naming.length === 0) return;
    const owners = new Map<string, string>();
    const unknown = [
      ...new Set(naming.map(({ event }) => event.deploymentId!)),
    ].filter(id => {
      const inBatch = sent.deployment.get(id);
      if (inBatch) owners.set(id, inBatch.event.entityRef);
      return !inBatch;
    });
    for (const batch of idBatches(tx, unknown)) {
      for (const row of await whereAnyOf(
        tx,
        tx('dora_deployments'),
        'id',
        batch,
      ).select('id', 'entity_ref')) {
        owners.set(row.id, row.entity_ref);
      }
    }
    for (const { event, index } of naming) {
      const owner = owners.get(event.deploymentId!);
      if (owner !== undefined && owner !== event.entityRef) {
        throw new InputError(
          `Invalid events: events[${index}].deploymentId: '${event.deploymentId}' is a deployment of ${owner}, not of ${event.entityRef}`,
        );
      }
    }
  }

  /** The ids of the re-sent deployments whose stored commit list is the one sent (only those that may be unchanged). */
  private async storedCommitsEqual(
    tx: Knex.Transaction,
    rows: DeploymentRow[],
    stored: Map<string, DeploymentRow>,
    commitsOf: Map<string, string[]>,
  ): Promise<Set<string>> {
    const candidates = rows.filter(row => {
      const before = stored.get(row.id);
      return (
        before &&
        num(before.commit_count) === row.commit_count &&
        sameContent(row, before, DEPLOYMENT_CONTENT)
      );
    });
    const storedShas = new Map<string, Set<string>>();
    for (const batch of idBatches(
      tx,
      candidates.map(row => row.id),
    )) {
      for (const c of await whereAnyOf(
        tx,
        tx('dora_deployment_commits'),
        'deployment_id',
        batch,
      ).select('deployment_id', 'sha')) {
        const shas = storedShas.get(c.deployment_id) ?? new Set<string>();
        shas.add(c.sha);
        storedShas.set(c.deployment_id, shas);
      }
    }
    return new Set(
      candidates
        .filter(row => {
          const shas = storedShas.get(row.id) ?? new Set<string>();
          const sentShas = commitsOf.get(row.id)!;
          return (
            shas.size === sentShas.length &&
            sentShas.every(sha => shas.has(sha))
          );
        })
        .map(row => row.id),
    );
  }

  /**
   * Stored changes linked to one of these deployments, or whose sha one of them lists (within its entity). Plain index
   * lookups by the ids and the (entity, sha) pairs already in hand, rather than a join the planner must estimate.
   */
  private async changesTouchedBy(
    tx: Knex.Transaction,
    deploymentIds: string[],
    commits: Array<{ entity_ref: string; sha: string }>,
  ): Promise<ChangeRow[]> {
    const rows = new Map<string, ChangeRow>();
    for (const ids of idBatches(tx, deploymentIds)) {
      for (const row of await whereAnyOf(
        tx,
        tx('dora_changes'),
        'deployment_id',
        ids,
      ).select('*'))
        rows.set(row.id, row);
    }
    const listed = new Set(commits.map(c => pairKey(c.entity_ref, c.sha)));
    for (const batch of idBatches(tx, [...listed])) {
      const pairs = batch.map(key => key.split(PAIR_SEPARATOR));
      const found: ChangeRow[] = await tx
        .select('ch.*')
        .from(rowsTable(tx, 'p', PAIR_COLUMNS, pairs))
        .join('dora_changes as ch', function on() {
          this.on('ch.entity_ref', '=', 'p.entity_ref').andOn(
            'ch.sha',
            '=',
            'p.sha',
          );
        });
      for (const row of found) rows.set(row.id, row);
    }
    return [...rows.values()];
  }

  /**
   * The deployment link and lead-time parts of these changes: the earliest (by finished_at, then id) counted deployment
   * of the change's own entity that lists its sha, none for an open pull request. Found with one query per chunk of
   * (entity, sha) pairs; the database orders ties by id as it would in any other query.
   */
  private async linkChanges(
    tx: Knex.Transaction,
    rows: ChangeRow[],
  ): Promise<ChangeRow[]> {
    const key = pairKey;
    const isOpen = (row: ChangeRow) =>
      row.created_at !== null && row.merged_at === null;
    const pairs = new Map<string, { entityRef: string; sha: string }>();
    for (const row of rows) {
      if (!isOpen(row))
        pairs.set(key(row.entity_ref, row.sha), {
          entityRef: row.entity_ref,
          sha: row.sha,
        });
    }
    const best = new Map<string, { id: string; finishedAt: number }>();
    for (const batch of idBatches(tx, [...pairs.values()])) {
      const ranked = tx
        .select(
          'c.entity_ref',
          'c.sha',
          'd.id',
          'd.finished_at',
          tx.raw(
            'row_number() over (partition by c.entity_ref, c.sha order by d.finished_at, d.id) as rn',
          ),
        )
        .from(
          rowsTable(
            tx,
            'p',
            PAIR_COLUMNS,
            batch.map(p => [p.entityRef, p.sha]),
          ),
        )
        .join('dora_deployment_commits as c', function on() {
          this.on('c.entity_ref', '=', 'p.entity_ref').andOn(
            'c.sha',
            '=',
            'p.sha',
          );
        })
        .join('dora_deployments as d', 'd.id', 'c.deployment_id')
        .where('d.counted', 1)
        .whereRaw('d.entity_ref = c.entity_ref')
        .as('b');
      const found = await tx
        .select('entity_ref', 'sha', 'id', 'finished_at')
        .from(ranked)
        .where('rn', 1);
      for (const r of found)
        best.set(key(r.entity_ref, r.sha), {
          id: r.id,
          finishedAt: num(r.finished_at),
        });
    }
    return rows.map(change => {
      const deployment = isOpen(change)
        ? undefined
        : best.get(key(change.entity_ref, change.sha));
      const deployedAt = deployment?.finishedAt ?? null;
      const parts = leadTimeParts({
        authoredAt: numOrNull(change.authored_at),
        createdAt: numOrNull(change.created_at),
        mergedAt: numOrNull(change.merged_at),
        firstReviewAt: numOrNull(change.first_review_at),
        deployedAt,
      });
      return {
        ...change,
        deployment_id: deployment?.id ?? null,
        deployed_at: deployedAt,
        coding_minutes: parts.codingMinutes,
        pickup_minutes: parts.pickupMinutes,
        review_minutes: parts.reviewMinutes,
        merge_minutes: parts.mergeMinutes,
        deploy_minutes: parts.deployMinutes,
        lead_time_minutes: parts.leadTimeMinutes,
      };
    });
  }

  /** Writes the link columns of the stored changes whose link differs from what is stored. */
  private async writeChangedLinks(
    tx: Knex.Transaction,
    before: ChangeRow[],
    after: ChangeRow[],
  ): Promise<void> {
    const changed = after.filter((next, i) =>
      LINK_COLUMNS.some(
        c => String(next[c] ?? '') !== String(before[i][c] ?? ''),
      ),
    );
    await upsert(tx, 'dora_changes', changed, [...LINK_COLUMNS]);
  }

  /** Recomputes the deployment link and lead-time parts of these stored changes; writes only rows that changed. */
  private async relinkChanges(
    tx: Knex.Transaction,
    ids: string[],
  ): Promise<void> {
    const rows: ChangeRow[] = [];
    for (const batch of idBatches(tx, ids))
      rows.push(
        ...(await whereAnyOf(tx, tx('dora_changes'), 'id', batch).select('*')),
      );
    await this.writeChangedLinks(tx, rows, await this.linkChanges(tx, rows));
  }

  /**
   * Recomputes the deployment these incidents are linked to: the named one once it exists (never one of another
   * entity, even one that arrives after the incident named its id), otherwise the latest
   * counted deployment of the same entity finished strictly before the incident was created. The incidents are those
   * with these ids, those naming or linked to these deployments, and those without a named deployment of an entity
   * created after the given instant. One query per chunk of each list. Returns the deployments whose failure flag may
   * have changed (old and new links).
   */
  private async relinkIncidents(
    tx: Knex.Transaction,
    scope: {
      ids: string[];
      /** Incidents naming these deployments are relinked. */
      namedDeploymentIds?: string[];
      /** Incidents linked to these deployments are relinked. */
      linkedDeploymentIds?: string[];
      createdAfter?: Map<string, number>;
    },
  ): Promise<string[]> {
    const idChunks = idBatches(tx, scope.ids);
    const namedChunks = idBatches(tx, scope.namedDeploymentIds ?? []);
    const linkedChunks = idBatches(tx, scope.linkedDeploymentIds ?? []);
    const afterChunks = idBatches(tx, [
      ...(scope.createdAfter ?? new Map<string, number>()).entries(),
    ]);
    const rows = new Map<string, IncidentRow & { new_link: string | null }>();
    for (
      let k = 0;
      k <
      Math.max(
        idChunks.length,
        namedChunks.length,
        linkedChunks.length,
        afterChunks.length,
      );
      k++
    ) {
      // The candidates' ids as a union of index lookups, then one pass computing their links.
      const parts: Knex.QueryBuilder[] = [];
      const incidents = () => tx('dora_incidents').select('id');
      if (idChunks[k])
        parts.push(whereAnyOf(tx, incidents(), 'id', idChunks[k]));
      if (namedChunks[k])
        parts.push(
          whereAnyOf(tx, incidents(), 'deployment_id', namedChunks[k]),
        );
      if (linkedChunks[k])
        parts.push(
          whereAnyOf(tx, incidents(), 'linked_deployment_id', linkedChunks[k]),
        );
      if (afterChunks[k]) {
        const after = rowsTable(
          tx,
          'a',
          [
            ['entity_ref', 'text'],
            ['created_after', 'bigint'],
          ],
          afterChunks[k],
        );
        parts.push(
          tx
            .select('l.id')
            .from(after)
            .join('dora_incidents as l', function on() {
              this.on('l.entity_ref', '=', 'a.entity_ref').andOn(
                'l.created_at',
                '>',
                'a.created_after',
              );
            })
            .whereNull('l.deployment_id'),
        );
      }
      const candidates = tx.queryBuilder().union(parts);
      const found: Array<IncidentRow & { new_link: string | null }> = await tx(
        'dora_incidents as i',
      )
        .whereIn('i.id', candidates)
        .select(
          'i.*',
          tx.raw(
            `case when i.deployment_id is not null
               then (select d.id from dora_deployments d where d.id = i.deployment_id and d.entity_ref = i.entity_ref)
               else (select d.id from dora_deployments d
                     where d.entity_ref = i.entity_ref and d.counted = 1 and d.finished_at < i.created_at
                     order by d.finished_at desc, d.id desc limit 1)
             end as new_link`,
          ),
        );
      for (const row of found) rows.set(row.id, row);
    }
    const touched = new Set<string>();
    const updates: IncidentRow[] = [];
    for (const row of rows.values()) {
      const { new_link: newLink, ...incident } = row;
      if ((newLink ?? null) === (incident.linked_deployment_id ?? null))
        continue;
      if (incident.linked_deployment_id)
        touched.add(incident.linked_deployment_id);
      if (newLink) touched.add(newLink);
      updates.push({ ...incident, linked_deployment_id: newLink ?? null });
    }
    await upsert(tx, 'dora_incidents', updates, ['linked_deployment_id']);
    return [...touched];
  }

  /** A deployment has failed when any incident links to it; only flags that change are written. */
  private async refreshFailed(
    tx: Knex.Transaction,
    deploymentIds: string[],
  ): Promise<void> {
    const failed =
      'case when exists (select 1 from dora_incidents i where i.linked_deployment_id = dora_deployments.id) then 1 else 0 end';
    for (const ids of idBatches(tx, deploymentIds)) {
      await whereAnyOf(tx, tx('dora_deployments'), 'id', ids)
        .whereRaw(`failed <> ${failed}`)
        .update({ failed: tx.raw(failed) });
    }
  }

  /** The counted deployments of the scope by UTC day and by 7- and 30-day bucket of the window. */
  private deploymentDaysInner(scope: WindowScope): [string, Knex.Value[]] {
    const { entityRefs, from, to } = scope;
    return [
      `select cast(finished_at / ${DAY_MS} as integer) as day,
              cast((finished_at - ?) / ${WEEK_MS} as integer) as week,
              cast((finished_at - ?) / ${MONTH_MS} as integer) as month,
              count(*) as deployments, sum(failed) as failed
       from dora_deployments
       where entity_ref in (${placeholders(
         entityRefs,
       )}) and counted = 1 and finished_at >= ? and finished_at < ?
       group by 1, 2, 3`,
      [from, from, ...entityRefs, from, to],
    ];
  }

  async deploymentDays(scope: WindowScope): Promise<DeploymentDayRow[]> {
    if (scope.entityRefs.length === 0) return [];
    return rowsOf(await this.db.raw(...this.deploymentDaysInner(scope))).map(
      (r: any) => ({
        day: num(r.day),
        week: num(r.week),
        month: num(r.month),
        deployments: num(r.deployments),
        failed: num(r.failed),
      }),
    );
  }

  async metricInputs(scope: WindowScope): Promise<MetricInputRows> {
    if (scope.entityRefs.length === 0) {
      return {
        days: [],
        leadTime: { count: 0, median: null },
        restore: { count: 0, median: null },
      };
    }
    if (!isPostgres(this.db)) {
      const [days, leadTime, restore] = await Promise.all([
        this.deploymentDays(scope),
        this.leadTime(scope),
        this.timeToRestore(scope),
      ]);
      return { days, leadTime, restore };
    }
    // One statement, one connection and one round trip for the three figures: under load, three statements in
    // parallel each wait for a connection and for the server in turn.
    const [daysSql, daysBindings] = this.deploymentDaysInner(scope);
    const [leadSql, leadBindings] = this.leadTimeInner(scope, false);
    const [restoreSql, restoreBindings] = this.restoreInner(scope, false);
    const median = (inner: string) =>
      `(select json_build_array(count(*), percentile_cont(0.5) within group (order by x)) from (${inner}) v)`;
    const [row] = rowsOf(
      await this.db.raw(
        `select (select coalesce(json_agg(json_build_array(day, week, month, deployments, failed)), '[]'::json) from (${daysSql}) d) as days,
                ${median(leadSql)} as lead_time, ${median(
          restoreSql,
        )} as restore`,
        [...daysBindings, ...leadBindings, ...restoreBindings],
      ),
    );
    const figure = ([count, value]: [Int, number | null]): MedianFigure => {
      const n = num(count);
      return {
        count: n,
        median: n === 0 || value === null ? null : Number(value),
      };
    };
    return {
      days: (row.days as Array<[Int, Int, Int, Int, Int]>).map(
        ([day, week, month, deployments, failed]) => ({
          day: num(day),
          week: num(week),
          month: num(month),
          deployments: num(deployments),
          failed: num(failed),
        }),
      ),
      leadTime: figure(row.lead_time),
      restore: figure(row.restore),
    };
  }

  async hasCountedDeployment(scope: WindowScope): Promise<boolean> {
    if (scope.entityRefs.length === 0) return false;
    const row = await this.db('dora_deployments')
      .whereIn('entity_ref', scope.entityRefs)
      .where('counted', 1)
      .where('finished_at', '>=', scope.from)
      .where('finished_at', '<', scope.to)
      .first('id');
    return !!row;
  }

  private async medianOf(
    inner: string,
    bindings: Knex.Value[],
  ): Promise<MedianFigure> {
    // PostgreSQL's percentile_cont(0.5) is the standard median (it interpolates halfway between the two middle
    // values) and needs one sort instead of a window pass over the rows twice.
    const [row] = isPostgres(this.db)
      ? rowsOf(
          await this.db.raw(
            `select count(*) as n, percentile_cont(0.5) within group (order by x) as median from (${inner}) v`,
            bindings,
          ),
        )
      : rowsOf(await this.db.raw(medianSql(inner), [...bindings, ...bindings]));
    const count = num(row?.n ?? 0);
    return {
      count,
      median: count === 0 || row.median === null ? null : Number(row.median),
    };
  }

  private async weeklyMedianOf(
    inner: string,
    bindings: Knex.Value[],
  ): Promise<WeeklyMedianRow[]> {
    return rowsOf(
      await this.db.raw(medianPerKeySql(inner, 'week'), bindings),
    ).map((r: any) => ({
      week: num(r.week),
      count: num(r.n),
      median: r.median === null ? null : Number(r.median),
    }));
  }

  private leadTimeInner(
    scope: WindowScope,
    withWeek: boolean,
  ): [string, Knex.Value[]] {
    const week = withWeek
      ? `cast((deployed_at - ?) / ${WEEK_MS} as integer) as week, `
      : '';
    return [
      `select ${week}lead_time_minutes as x from dora_changes
       where entity_ref in (${placeholders(
         scope.entityRefs,
       )}) and deployed_at >= ? and deployed_at < ?
         and lead_time_minutes is not null`,
      [
        ...(withWeek ? [scope.from] : []),
        ...scope.entityRefs,
        scope.from,
        scope.to,
      ],
    ];
  }

  private restoreInner(
    scope: WindowScope,
    withWeek: boolean,
  ): [string, Knex.Value[]] {
    const week = withWeek
      ? `cast((resolved_at - ?) / ${WEEK_MS} as integer) as week, `
      : '';
    return [
      `select ${week}restore_minutes as x from dora_incidents
       where entity_ref in (${placeholders(
         scope.entityRefs,
       )}) and resolved_at >= ? and resolved_at < ?`,
      [
        ...(withWeek ? [scope.from] : []),
        ...scope.entityRefs,
        scope.from,
        scope.to,
      ],
    ];
  }

  async leadTime(scope: WindowScope): Promise<MedianFigure> {
    if (scope.entityRefs.length === 0) return { count: 0, median: null };
    return this.medianOf(...this.leadTimeInner(scope, false));
  }

  async timeToRestore(scope: WindowScope): Promise<MedianFigure> {
    if (scope.entityRefs.length === 0) return { count: 0, median: null };
    return this.medianOf(...this.restoreInner(scope, false));
  }

  async weeklyLeadTime(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    if (scope.entityRefs.length === 0) return [];
    return this.weeklyMedianOf(...this.leadTimeInner(scope, true));
  }

  async weeklyTimeToRestore(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    if (scope.entityRefs.length === 0) return [];
    return this.weeklyMedianOf(...this.restoreInner(scope, true));
  }

  /**
   * On PostgreSQL: every scope as one row `(scope_key, entity_refs text[])` of one JSON parameter. Each figure is then
   * computed per scope in a lateral subquery (`entity_ref = any(entity_refs)`, index lookups as for a single group), so
   * that no query sorts the rows of all scopes together.
   */
  private pgScopes(window: ScopesWindow): Knex.Raw {
    const rows = [...window.scopes]
      .filter(([, entityRefs]) => entityRefs.length > 0)
      .map(([scope_key, entity_refs]) => ({ scope_key, entity_refs }));
    return this.db.raw(
      'json_to_recordset(?) as s(scope_key text, entity_refs text[])',
      [JSON.stringify(rows)],
    );
  }

  /** On SQLite: the (scope, entity) pairs, whole scopes per chunk (a median cannot be split), within the bind limit. */
  private scopeChunks(window: ScopesWindow): Array<Array<[string, string]>> {
    const out: Array<Array<[string, string]>> = [];
    let current: Array<[string, string]> = [];
    for (const [key, entityRefs] of window.scopes) {
      if (entityRefs.length === 0) continue;
      if (
        current.length > 0 &&
        current.length + entityRefs.length > SQLITE_SCOPE_ROWS
      ) {
        out.push(current);
        current = [];
      }
      for (const entityRef of entityRefs) current.push([key, entityRef]);
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  async deploymentDaysByScope(
    window: ScopesWindow,
  ): Promise<Map<string, DeploymentDayRow[]>> {
    const { from, to } = window;
    const buckets = (
      alias: string,
    ) => `cast(${alias}.finished_at / ${DAY_MS} as integer) as day,
                cast((${alias}.finished_at - ?) / ${WEEK_MS} as integer) as week,
                cast((${alias}.finished_at - ?) / ${MONTH_MS} as integer) as month,
                count(*) as deployments, sum(${alias}.failed) as failed`;
    const found: any[] = [];
    if (window.scopes.size === 0) return new Map();
    if (isPostgres(this.db)) {
      found.push(
        ...rowsOf(
          await this.db.raw(
            `select s.scope_key, x.* from ? cross join lateral (
               select ${buckets('d')} from dora_deployments d
               where d.entity_ref = any(s.entity_refs) and d.counted = 1 and d.finished_at >= ? and d.finished_at < ?
               group by 1, 2, 3) x`,
            [this.pgScopes(window), from, from, from, to],
          ),
        ),
      );
    } else {
      for (const pairs of this.scopeChunks(window)) {
        const rows = await this.db.raw(
          `select m.scope_key, ${buckets('d')}
           from ? join dora_deployments d on d.entity_ref = m.entity_ref
           where d.counted = 1 and d.finished_at >= ? and d.finished_at < ?
           group by 1, 2, 3, 4`,
          [from, from, rowsTable(this.db, 'm', SCOPE_COLUMNS, pairs), from, to],
        );
        found.push(...rowsOf(rows));
      }
    }
    const result = new Map<string, DeploymentDayRow[]>();
    for (const r of found) {
      const list = result.get(r.scope_key) ?? [];
      list.push({
        day: num(r.day),
        week: num(r.week),
        month: num(r.month),
        deployments: num(r.deployments),
        failed: num(r.failed),
      });
      result.set(r.scope_key, list);
    }
    return result;
  }

  /** The median of a column per scope over the rows of its entities that match `where` (alias `t`, binds from, to). */
  private async medianByScope(
    window: ScopesWindow,
    table: string,
    column: string,
    where: string,
  ): Promise<Map<string, MedianFigure>> {
    const result = new Map<string, MedianFigure>();
    if (window.scopes.size === 0) return result;
    const found: any[] = [];
    if (isPostgres(this.db)) {
      const sql = `select s.scope_key, x.n, x.median from ? cross join lateral (
          select count(*) as n, percentile_cont(0.5) within group (order by t.${column}) as median
          from ${table} t where t.entity_ref = any(s.entity_refs) and ${where}) x`;
      found.push(
        ...rowsOf(
          await this.db.raw(sql, [
            this.pgScopes(window),
            window.from,
            window.to,
          ]),
        ),
      );
    } else {
      for (const pairs of this.scopeChunks(window)) {
        const inner = `select m.scope_key, t.${column} as x from ? join ${table} t on t.entity_ref = m.entity_ref where ${where}`;
        found.push(
          ...rowsOf(
            await this.db.raw(medianPerKeySql(inner, 'scope_key'), [
              rowsTable(this.db, 'm', SCOPE_COLUMNS, pairs),
              window.from,
              window.to,
            ]),
          ),
        );
      }
    }
    for (const r of found) {
      const count = num(r.n);
      if (count > 0)
        result.set(r.scope_key, {
          count,
          median: r.median === null ? null : Number(r.median),
        });
    }
    return result;
  }

  leadTimeByScope(window: ScopesWindow): Promise<Map<string, MedianFigure>> {
    return this.medianByScope(
      window,
      'dora_changes',
      'lead_time_minutes',
      't.deployed_at >= ? and t.deployed_at < ? and t.lead_time_minutes is not null',
    );
  }

  timeToRestoreByScope(
    window: ScopesWindow,
  ): Promise<Map<string, MedianFigure>> {
    return this.medianByScope(
      window,
      'dora_incidents',
      'restore_minutes',
      't.resolved_at >= ? and t.resolved_at < ?',
    );
  }

  async scopesWithCountedDeployment(
    window: ScopesWindow,
  ): Promise<Set<string>> {
    const found = new Set<string>();
    if (window.scopes.size === 0) return found;
    const exists = (refs: string) => `exists (select 1 from dora_deployments d
      where d.entity_ref ${refs} and d.counted = 1 and d.finished_at >= ? and d.finished_at < ?)`;
    const queries = isPostgres(this.db)
      ? [
          this.db.raw(
            `select s.scope_key from ? where ${exists('= any(s.entity_refs)')}`,
            [this.pgScopes(window), window.from, window.to],
          ),
        ]
      : this.scopeChunks(window).map(pairs =>
          this.db.raw(
            `select distinct m.scope_key from ? where ${exists(
              '= m.entity_ref',
            )}`,
            [
              rowsTable(this.db, 'm', SCOPE_COLUMNS, pairs),
              window.from,
              window.to,
            ],
          ),
        );
    for (const query of queries)
      for (const r of rowsOf(await query)) found.add(r.scope_key);
    return found;
  }

  async activity(
    entityRefs: string[],
  ): Promise<{ firstEventAt: number | null; lastEventAt: number | null }> {
    let firstEventAt: number | null = null;
    let lastEventAt: number | null = null;
    for (const batch of chunks([...new Set(entityRefs)])) {
      const [row] = await this.db('dora_entities')
        .whereIn('entity_ref', batch)
        .select(
          this.db.raw('min(first_event_at) as first'),
          this.db.raw('max(last_event_at) as last'),
        );
      if (row?.first !== null && row?.first !== undefined) {
        firstEventAt = Math.min(firstEventAt ?? Infinity, num(row.first));
        lastEventAt = Math.max(lastEventAt ?? -Infinity, num(row.last));
      }
    }
    return { firstEventAt, lastEventAt };
  }

  async scopeStates(
    window: ScopesWindow & { benchmark: string },
  ): Promise<Map<string, ScopeState>> {
    const result = new Map<string, ScopeState>();
    const keys = [...window.scopes.keys()];
    if (keys.length === 0) return result;
    const versions = async () => {
      const found = new Map<string, { active: number; version: bigint }>();
      if (isPostgres(this.db)) {
        const rows = rowsOf(
          await this.db.raw(
            `select s.scope_key, v.version_sum, v.active from ? cross join lateral (
               select coalesce(sum(e.version), 0)::text as version_sum, count(*) as active
               from dora_entities e where e.entity_ref = any(s.entity_refs)) v`,
            [this.pgScopes(window)],
          ),
        );
        for (const r of rows)
          found.set(r.scope_key, {
            active: num(r.active),
            version: BigInt(r.version_sum),
          });
        return found;
      }
      for (const pairs of this.scopeChunks(window)) {
        const rows = rowsOf(
          await this.db.raw(
            'select m.scope_key, count(*) as active, sum(e.version) as version_sum from ? join dora_entities e on e.entity_ref = m.entity_ref group by m.scope_key',
            [rowsTable(this.db, 'm', SCOPE_COLUMNS, pairs)],
          ),
        );
        // A scope is never split between two chunks.
        for (const r of rows)
          found.set(r.scope_key, {
            active: num(r.active),
            version: BigInt(r.version_sum),
          });
      }
      return found;
    };
    const kept = async () => {
      const found = new Map<
        string,
        { members_hash: string; data_version: Int; metrics: string }
      >();
      for (const batch of chunks(keys)) {
        const rows = await this.db('dora_scope_figures')
          .where({
            window_from: window.from,
            window_to: window.to,
            benchmark: window.benchmark,
          })
          .whereIn('scope_ref', batch)
          .select('scope_ref', 'members_hash', 'data_version', 'metrics');
        for (const r of rows) found.set(r.scope_ref, r);
      }
      return found;
    };
    const [current, stored] = await Promise.all([versions(), kept()]);
    for (const key of keys) {
      const state = current.get(key);
      const figures = stored.get(key);
      result.set(key, {
        active: state?.active ?? 0,
        dataVersion: String(state?.version ?? 0n),
        stored: figures && {
          membersHash: figures.members_hash,
          dataVersion: String(figures.data_version),
          metrics: figures.metrics,
        },
      });
    }
    return result;
  }

  async saveScopeFigures(
    window: { from: number; to: number; benchmark: string },
    figures: ScopeFigures[],
  ): Promise<void> {
    const now = Date.now();
    await this.db('dora_scope_figures')
      .where('computed_at', '<', now - DAY_MS)
      .delete();
    const rows = figures.map(f => ({
      scope_ref: f.scopeRef,
      window_from: window.from,
      window_to: window.to,
      benchmark: window.benchmark,
      members_hash: f.membersHash,
      data_version: f.dataVersion,
      metrics: f.metrics,
      computed_at: now,
    }));
    for (const batch of chunks(rows, rowsPerStatement(8))) {
      // Another reader may have stored the same figures meanwhile: the later write wins, and both are valid for what
      // they name.
      await this.db('dora_scope_figures')
        .insert(batch)
        .onConflict(['scope_ref', 'window_from', 'window_to', 'benchmark'])
        .merge(['members_hash', 'data_version', 'metrics', 'computed_at']);
    }
  }

  private async page<Row, T>(
    query: Knex.QueryBuilder,
    order: Array<[string, 'asc' | 'desc']>,
    options: PageOptions,
    map: (row: Row) => T,
  ): Promise<DoraPagedList<T>> {
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy(order.map(([column, o]) => ({ column, order: o })))
        .limit(options.limit)
        .offset(options.offset)
        .select('*'),
      query.clone().count({ count: '*' }),
    ]);
    return { items: (rows as Row[]).map(map), totalCount: num(count as Int) };
  }

  async listDeployments(
    scope: WindowScope & PageOptions & { failed?: boolean },
  ): Promise<DoraPagedList<DoraDeployment>> {
    const query = this.db('dora_deployments')
      .whereIn('entity_ref', scope.entityRefs)
      .where('counted', 1)
      .where('finished_at', '>=', scope.from)
      .where('finished_at', '<', scope.to);
    if (scope.failed !== undefined) query.where('failed', scope.failed ? 1 : 0);
    return this.page(
      query,
      [
        ['finished_at', 'desc'],
        ['id', 'desc'],
      ],
      scope,
      rowToDeployment,
    );
  }

  async listChanges(
    scope: WindowScope & PageOptions & { deploymentId?: string },
  ): Promise<DoraPagedList<DoraChange>> {
    const query = this.db('dora_changes').whereIn(
      'entity_ref',
      scope.entityRefs,
    );
    if (scope.deploymentId) {
      query.where('deployment_id', scope.deploymentId);
    } else {
      query
        .where('deployed_at', '>=', scope.from)
        .where('deployed_at', '<', scope.to)
        .whereNotNull('lead_time_minutes');
    }
    return this.page(
      query,
      [
        ['deployed_at', 'desc'],
        ['id', 'asc'],
      ],
      scope,
      rowToChange,
    );
  }

  async listIncidents(
    scope: WindowScope & PageOptions & { deploymentId?: string },
  ): Promise<DoraPagedList<DoraIncident>> {
    const query = this.db('dora_incidents').whereIn(
      'entity_ref',
      scope.entityRefs,
    );
    if (scope.deploymentId) {
      query.where('linked_deployment_id', scope.deploymentId);
      return this.page(
        query,
        [
          ['created_at', 'desc'],
          ['id', 'asc'],
        ],
        scope,
        rowToIncident,
      );
    }
    query
      .where('resolved_at', '>=', scope.from)
      .where('resolved_at', '<', scope.to);
    return this.page(
      query,
      [
        ['resolved_at', 'desc'],
        ['id', 'asc'],
      ],
      scope,
      rowToIncident,
    );
  }

  async dataHealth(
    entityRefs: string[] | undefined,
    sampleSize: number,
  ): Promise<DataHealthCounts> {
    const scoped = (table: string) => {
      const q = this.db(table);
      if (entityRefs) q.whereIn('entity_ref', entityRefs);
      return q;
    };
    const sample = async <Row, T>(
      q: Knex.QueryBuilder,
      order: string,
      map: (r: Row) => T,
    ) => {
      const [rows, [{ count }]] = await Promise.all([
        q
          .clone()
          .orderBy(order, 'desc')
          .orderBy('id')
          .limit(sampleSize)
          .select('*'),
        q.clone().count({ count: '*' }),
      ]);
      return { count: num(count as Int), sample: (rows as Row[]).map(map) };
    };
    const [
      changesNeverDeployed,
      incidentsWithoutDeployment,
      deploymentsWithoutCommits,
    ] = await Promise.all([
      // Open pull requests are not expected to be deployed yet.
      sample(
        scoped('dora_changes')
          .whereNull('deployment_id')
          .andWhere(q => q.whereNotNull('merged_at').orWhereNull('created_at')),
        'received_at',
        rowToChange,
      ),
      sample(
        scoped('dora_incidents').whereNull('linked_deployment_id'),
        'created_at',
        rowToIncident,
      ),
      sample(
        scoped('dora_deployments').where('commit_count', 0),
        'finished_at',
        rowToDeployment,
      ),
    ]);
    return {
      changesNeverDeployed,
      incidentsWithoutDeployment,
      deploymentsWithoutCommits,
    };
  }

  async listEntityRefs(options: {
    entityRefs?: string[];
    after?: string;
    limit: number;
  }): Promise<string[]> {
    const query = this.db('dora_entities')
      .orderBy('entity_ref')
      .limit(options.limit);
    if (options.entityRefs) query.whereIn('entity_ref', options.entityRefs);
    if (options.after) query.where('entity_ref', '>', options.after);
    return query.pluck('entity_ref');
  }
}

/** Rows of a raw query: PostgreSQL wraps them in `{ rows }`, SQLite returns the array. */
function rowsOf(result: any): any[] {
  return Array.isArray(result) ? result : result.rows;
}
