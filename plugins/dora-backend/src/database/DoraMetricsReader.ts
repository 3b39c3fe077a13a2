import { chunks } from '@vitals/backend-common';
import { Knex } from 'knex';
import {
  DeploymentDayRow,
  MedianFigure,
  MetricInputRows,
  ScopeFigures,
  ScopesWindow,
  ScopeState,
  WeeklyMedianRow,
  WindowScope,
} from './DoraStore';
import { recoveryMinutesSql, reworkSql } from './reworkSql';
import {
  CHUNK,
  Int,
  isPostgres,
  medianPerKeySql,
  medianSql,
  num,
  placeholders,
  rowsOf,
  rowsPerStatement,
  rowsTable,
} from './sql';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const MONTH_MS = 30 * DAY_MS;

const SCOPE_COLUMNS: Array<[string, 'text']> = [
  ['scope_key', 'text'],
  ['entity_ref', 'text'],
];

/** (scope, entity) pairs per query on SQLite: two bind parameters each, well under its limit of 32,766. */
const SQLITE_SCOPE_ROWS = 5_000;

/**
 * The reads behind the metrics: counted deployments by day and bucket, the lead-time and restore medians, for one set
 * of entities or for every team of an org at once, and the figures kept for the org page.
 */
export class DoraMetricsReader {
  constructor(private readonly db: Knex) {}

  private deploymentDaysInner(scope: WindowScope): [string, Knex.Value[]] {
    const { entityRefs, from, to } = scope;
    return [
      `select cast(d.finished_at / ${DAY_MS} as integer) as day,
              cast((d.finished_at - ?) / ${WEEK_MS} as integer) as week,
              cast((d.finished_at - ?) / ${MONTH_MS} as integer) as month,
              count(*) as deployments, sum(d.failed) as failed, sum(${reworkSql(
                'd',
              )}) as rework
       from dora_deployments d
       where d.entity_ref in (${placeholders(
         entityRefs,
       )}) and d.counted = 1 and d.finished_at >= ? and d.finished_at < ?
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
        rework: num(r.rework),
      }),
    );
  }

  async metricInputs(scope: WindowScope): Promise<MetricInputRows> {
    if (scope.entityRefs.length === 0) {
      return {
        days: [],
        leadTime: { count: 0, median: null },
        restore: { count: 0, median: null },
        recovery: { count: 0, median: null },
      };
    }
    if (!isPostgres(this.db)) {
      const [days, leadTime, restore, recovery] = await Promise.all([
        this.deploymentDays(scope),
        this.leadTime(scope),
        this.timeToRestore(scope),
        this.medianOf(...this.recoveryInner(scope)),
      ]);
      return { days, leadTime, restore, recovery };
    }
    // One statement, one connection and one round trip for the three figures: under load, three statements in
    // parallel each wait for a connection and for the server in turn.
    const [daysSql, daysBindings] = this.deploymentDaysInner(scope);
    const [leadSql, leadBindings] = this.leadTimeInner(scope, false);
    const [restoreSql, restoreBindings] = this.restoreInner(scope, false);
    const [recoverySql, recoveryBindings] = this.recoveryInner(scope);
    const median = (inner: string) =>
      `(select json_build_array(count(*), percentile_cont(0.5) within group (order by x)) from (${inner}) v)`;
    const [row] = rowsOf(
      await this.db.raw(
        `select (select coalesce(json_agg(json_build_array(day, week, month, deployments, failed, rework)), '[]'::json) from (${daysSql}) d) as days,
                ${median(leadSql)} as lead_time, ${median(
          restoreSql,
        )} as restore, ${median(recoverySql)} as recovery`,
        [
          ...daysBindings,
          ...leadBindings,
          ...restoreBindings,
          ...recoveryBindings,
        ],
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
      days: (row.days as Array<[Int, Int, Int, Int, Int, Int]>).map(
        ([day, week, month, deployments, failed, rework]) => ({
          day: num(day),
          week: num(week),
          month: num(month),
          deployments: num(deployments),
          failed: num(failed),
          rework: num(rework),
        }),
      ),
      leadTime: figure(row.lead_time),
      restore: figure(row.restore),
      recovery: figure(row.recovery),
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

  /**
   * The recovery minutes of the window's failed counted deployments whose incidents are all resolved, as `x`; with
   * `withWeek`, also the week of the window each deployment finished in.
   */
  private recoveryInner(
    scope: WindowScope,
    withWeek = false,
  ): [string, Knex.Value[]] {
    const week = withWeek
      ? `cast((d.finished_at - ?) / ${WEEK_MS} as integer) as week, `
      : '';
    return [
      `select ${withWeek ? 'week, ' : ''}x from (
         select ${week}${recoveryMinutesSql(
        this.db,
        'd',
      )} as x from dora_deployments d
         where d.entity_ref in (${placeholders(scope.entityRefs)})
           and d.counted = 1 and d.failed = 1 and d.finished_at >= ? and d.finished_at < ?
       ) r where x is not null`,
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

  /** Failed-deployment recovery per week, by the week the failed deployment finished in. */
  async weeklyRecovery(scope: WindowScope): Promise<WeeklyMedianRow[]> {
    if (scope.entityRefs.length === 0) return [];
    return this.weeklyMedianOf(...this.recoveryInner(scope, true));
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
                count(*) as deployments, sum(${alias}.failed) as failed,
                sum(${reworkSql(alias)}) as rework`;
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
        rework: num(r.rework),
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

  /** Failed-deployment recovery per scope (see {@link DoraMetricsReader.metricInputs}); scopes without one left out. */
  async recoveryByScope(
    window: ScopesWindow,
  ): Promise<Map<string, MedianFigure>> {
    const result = new Map<string, MedianFigure>();
    if (window.scopes.size === 0) return result;
    const where =
      'd.counted = 1 and d.failed = 1 and d.finished_at >= ? and d.finished_at < ?';
    const minutes = recoveryMinutesSql(this.db, 'd');
    const found: any[] = [];
    if (isPostgres(this.db)) {
      found.push(
        ...rowsOf(
          await this.db.raw(
            `select s.scope_key, x.n, x.median from ? cross join lateral (
               select count(r.x) as n, percentile_cont(0.5) within group (order by r.x) as median
               from (select ${minutes} as x from dora_deployments d
                     where d.entity_ref = any(s.entity_refs) and ${where}) r) x`,
            [this.pgScopes(window), window.from, window.to],
          ),
        ),
      );
    } else {
      for (const pairs of this.scopeChunks(window)) {
        const inner = `select scope_key, x from (
            select m.scope_key, ${minutes} as x from ? join dora_deployments d on d.entity_ref = m.entity_ref
            where ${where}) r where x is not null`;
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

  /**
   * For every set: how many of its entities have ever sent events and the sum of their data versions (any write of any
   * of them raises it). One query on PostgreSQL (a lateral sum per set over the primary key of `dora_entities`).
   */
  async scopeVersions(
    scopes: Map<string, string[]>,
  ): Promise<Map<string, { active: number; version: bigint }>> {
    const window = { scopes, from: 0, to: 0 };
    const found = new Map<string, { active: number; version: bigint }>();
    if (scopes.size === 0) return found;
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
  }

  async scopeStates(
    window: ScopesWindow & { benchmark: string },
  ): Promise<Map<string, ScopeState>> {
    const result = new Map<string, ScopeState>();
    const keys = [...window.scopes.keys()];
    if (keys.length === 0) return result;
    const versions = () => this.scopeVersions(window.scopes);
    const kept = async () => {
      const found = new Map<
        string,
        { members_hash: string; data_version: Int; metrics: string }
      >();
      for (const batch of chunks(keys, CHUNK)) {
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
}
