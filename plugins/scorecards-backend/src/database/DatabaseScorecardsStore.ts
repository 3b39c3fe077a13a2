import {
  DatabaseService,
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { chunks, migrateToLatest } from '@vitals/backend-common';
import { timestampToIso } from '@vitals/common';
import type {
  CheckResult,
  EntityHistoryPoint,
  EntityScorecardResult,
  GroupRollupResponse,
  LevelCount,
  OrgSummaryResponse,
  TrendPoint,
  Waiver,
} from '@vitals/plugin-scorecards-common';
import { Knex } from 'knex';
import { DatabaseWaiverStore } from './DatabaseWaiverStore';
import { DatabasePromotionStore } from './DatabasePromotionStore';
import { PromotionStore } from './PromotionStore';
import { CHUNK, IN_CHUNK, refKey, refKeyOrNull, Timestamp } from './helpers';
import {
  PastHistoryPoint,
  ResultFilter,
  ResultToSave,
  SavedResultChange,
  ScorecardsStore,
} from './ScorecardsStore';
import { NewWaiver, WaiverStore } from './WaiverStore';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-scorecards-backend',
  'migrations',
);

type ResultRow = {
  entity_ref: string;
  scorecard_id: string;
  owner_ref: string | null;
  system_ref: string | null;
  level_id: string | null;
  level_index: number;
  score: number;
  checks: string;
  evaluated_at: Timestamp;
  changed_at: Timestamp;
};

type HistoryRow = {
  entity_ref: string;
  scorecard_id: string;
  day: string;
  level_id: string | null;
  level_index: number;
  score: number;
  failing_checks: string;
  recorded_at: Timestamp;
};

/** Longest owner or system ref in the roll-ups' keys (a catalog ref is at most 191 characters). */
const ROLLUP_REF_LENGTH = 255;

function rowToResult(row: ResultRow): EntityScorecardResult {
  return {
    entityRef: row.entity_ref,
    scorecardId: row.scorecard_id,
    ownerRef: row.owner_ref,
    systemRef: row.system_ref,
    levelId: row.level_id,
    levelIndex: Number(row.level_index),
    score: Number(row.score),
    checks: JSON.parse(row.checks) as CheckResult[],
    evaluatedAt: timestampToIso(row.evaluated_at),
    changedAt: timestampToIso(row.changed_at),
  };
}

/** A row of an aggregate query; knex cannot type those. */
type AggregateRow = Record<string, any>;
const rowsOf = async (query: Knex.QueryBuilder): Promise<AggregateRow[]> =>
  (await query) as AggregateRow[];

const failingOf = (checks: CheckResult[]) =>
  checks
    .filter(c => !c.passed && !c.waiver)
    .map(c => c.checkId)
    .sort();

/** Rounds to one decimal; null for no entities. */
const average = (sum: number, count: number) =>
  count > 0 ? Math.round((10 * sum) / count) / 10 : null;

/**
 * Scorecard results, history, roll-ups, runs and refresh claims on knex: SQLite, PostgreSQL and MySQL. Waivers live in
 * {@link DatabaseWaiverStore}; this store runs the plugin's migrations and hands the waiver methods to it, so that one
 * object serves the whole {@link ScorecardsStore}.
 */
export class DatabaseScorecardsStore implements ScorecardsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseScorecardsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseScorecardsStore(client);
  }

  /** The waivers, on the same database. */
  readonly waivers: WaiverStore;
  /** The promoted checks, on the same database. */
  readonly promotions: PromotionStore;

  private constructor(private readonly db: Knex) {
    this.waivers = new DatabaseWaiverStore(db);
    this.promotions = new DatabasePromotionStore(db);
  }

  async saveResults(
    toSave: ResultToSave[],
    now: Date,
  ): Promise<SavedResultChange[]> {
    if (toSave.length === 0) return [];
    const results = toSave.map(r => ({
      ...r,
      entityRef: refKey(r.entityRef),
      ownerRef: refKeyOrNull(r.ownerRef),
      systemRef: refKeyOrNull(r.systemRef),
    }));
    const day = now.toISOString().slice(0, 10);
    const entityRefs = [...new Set(results.map(r => r.entityRef))];
    const changes: SavedResultChange[] = [];
    await this.db.transaction(async tx => {
      const previous = new Map<string, ResultRow>();
      for (const refs of chunks(entityRefs, IN_CHUNK)) {
        const rows = await tx<ResultRow>('scorecard_results')
          .whereIn('entity_ref', refs)
          .select(
            'entity_ref',
            'scorecard_id',
            'level_index',
            'score',
            'checks',
            'changed_at',
          );
        for (const row of rows as ResultRow[])
          previous.set(`${row.entity_ref}\u0000${row.scorecard_id}`, row);
      }

      const resultRows: ResultRow[] = [];
      const historyRows: HistoryRow[] = [];
      const checkRows: Array<Record<string, unknown>> = [];
      for (const r of results) {
        const before = previous.get(`${r.entityRef}\u0000${r.scorecardId}`);
        const failing = failingOf(r.checks);
        const changed =
          !before ||
          Number(before.level_index) !== r.levelIndex ||
          Number(before.score) !== r.score ||
          JSON.stringify(failingOf(JSON.parse(before.checks))) !==
            JSON.stringify(failing);
        resultRows.push({
          entity_ref: r.entityRef,
          scorecard_id: r.scorecardId,
          owner_ref: r.ownerRef,
          system_ref: r.systemRef,
          level_id: r.levelId,
          level_index: r.levelIndex,
          score: r.score,
          checks: JSON.stringify(r.checks),
          evaluated_at: now,
          changed_at: changed || !before ? now : before.changed_at,
        });
        if (changed) {
          historyRows.push({
            entity_ref: r.entityRef,
            scorecard_id: r.scorecardId,
            day,
            level_id: r.levelId,
            level_index: r.levelIndex,
            score: r.score,
            failing_checks: JSON.stringify(failing),
            recorded_at: now,
          });
        }
        for (const c of r.checks) {
          checkRows.push({
            entity_ref: r.entityRef,
            scorecard_id: r.scorecardId,
            check_id: c.checkId,
            owner_ref: r.ownerRef,
            system_ref: r.systemRef,
            passed: c.passed || c.waiver !== null,
          });
        }
        changes.push({
          entityRef: r.entityRef,
          scorecardId: r.scorecardId,
          ownerRef: r.ownerRef,
          previousLevelIndex: before ? Number(before.level_index) : undefined,
          levelIndex: r.levelIndex,
        });
      }

      for (const rows of chunks(resultRows, CHUNK)) {
        await tx('scorecard_results')
          .insert(rows)
          .onConflict(['entity_ref', 'scorecard_id'])
          .merge();
      }
      for (const rows of chunks(historyRows, CHUNK)) {
        await tx('scorecard_history')
          .insert(rows)
          .onConflict(['entity_ref', 'scorecard_id', 'day'])
          .merge();
      }
      const scorecardIds = [...new Set(results.map(r => r.scorecardId))];
      for (const refs of chunks(entityRefs, IN_CHUNK)) {
        await tx('scorecard_check_results')
          .whereIn('entity_ref', refs)
          .whereIn('scorecard_id', scorecardIds)
          .delete();
      }
      // An upsert: a refresh of the entity may have written its rows since the delete above.
      for (const rows of chunks(checkRows, CHUNK * 2)) {
        await tx('scorecard_check_results')
          .insert(rows)
          .onConflict(['entity_ref', 'scorecard_id', 'check_id'])
          .merge();
      }
    });
    return changes;
  }

  async deleteResultsEvaluatedBefore(before: Date): Promise<number> {
    return this.db.transaction(async tx => {
      const count = await tx('scorecard_results')
        .where('evaluated_at', '<', before)
        .delete();
      if (count > 0) {
        await tx('scorecard_check_results')
          .whereNotExists(
            tx('scorecard_results as r')
              .select(tx.raw('1'))
              .whereRaw('r.entity_ref = scorecard_check_results.entity_ref')
              .whereRaw(
                'r.scorecard_id = scorecard_check_results.scorecard_id',
              ),
          )
          .delete();
      }
      return count;
    });
  }

  async deleteEntityResults(
    ref: string,
    scorecardIds: string[],
  ): Promise<void> {
    if (scorecardIds.length === 0) return;
    const entityRef = refKey(ref);
    await this.db.transaction(async tx => {
      await tx('scorecard_results')
        .where({ entity_ref: entityRef })
        .whereIn('scorecard_id', scorecardIds)
        .delete();
      await tx('scorecard_check_results')
        .where({ entity_ref: entityRef })
        .whereIn('scorecard_id', scorecardIds)
        .delete();
    });
  }

  async rebuildRollups(scope?: {
    scorecardIds: string[];
    ownerRefs: Array<string | null>;
  }): Promise<void> {
    // The roll-ups store "no owner" as '' (part of their key), the results as null.
    const owners = (scope?.ownerRefs ?? [])
      .filter((o): o is string => o !== null)
      .map(refKey);
    const withoutOwner = scope?.ownerRefs.includes(null) ?? false;
    const restrict = (query: Knex.QueryBuilder) => {
      // Always a where clause: SQLite needs one before an upsert's "on conflict" after a select.
      if (!scope) return query.whereRaw('1 = 1');
      query.whereIn('scorecard_id', scope.scorecardIds);
      return query.where(q => {
        if (owners.length) q.whereIn('owner_ref', owners);
        if (withoutOwner) q.orWhereNull('owner_ref').orWhere('owner_ref', '');
        if (!owners.length && !withoutOwner) q.whereRaw('1 = 0');
      });
    };
    const owner = `coalesce(substr(owner_ref, 1, ${ROLLUP_REF_LENGTH}), '')`;
    const system = `coalesce(substr(system_ref, 1, ${ROLLUP_REF_LENGTH}), '')`;
    await this.db.transaction(async tx => {
      if (this.dialect === 'pg') {
        // One rebuild at a time (a refresh during the scheduled run): reads go on, a second rebuild waits.
        await tx.raw(
          'lock table scorecard_check_rollups, scorecard_level_rollups in share row exclusive mode',
        );
      }
      await restrict(tx('scorecard_check_rollups')).delete();
      await restrict(tx('scorecard_level_rollups')).delete();
      await this.upsertFromSelect(
        tx,
        'scorecard_check_rollups',
        [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'check_id',
          'entities',
          'passing',
        ],
        ['scorecard_id', 'owner_ref', 'system_ref', 'check_id'],
        restrict(
          tx('scorecard_check_results')
            .select(
              'scorecard_id',
              tx.raw(`${owner} as owner_ref`),
              tx.raw(`${system} as system_ref`),
              'check_id',
              tx.raw('count(*) as entities'),
              tx.raw('sum(case when passed then 1 else 0 end) as passing'),
            )
            .groupByRaw(`scorecard_id, ${owner}, ${system}, check_id`),
        ),
      );
      const level = "coalesce(level_id, '')";
      await this.upsertFromSelect(
        tx,
        'scorecard_level_rollups',
        [
          'scorecard_id',
          'owner_ref',
          'system_ref',
          'level_id',
          'entities',
          'score_sum',
        ],
        ['scorecard_id', 'owner_ref', 'system_ref', 'level_id'],
        restrict(
          tx('scorecard_results')
            .select(
              'scorecard_id',
              tx.raw(`${owner} as owner_ref`),
              tx.raw(`${system} as system_ref`),
              tx.raw(`${level} as level_id`),
              tx.raw('count(*) as entities'),
              tx.raw('sum(score) as score_sum'),
            )
            .groupByRaw(`scorecard_id, ${owner}, ${system}, ${level}`),
        ),
      );
    });
  }

  private get dialect(): 'pg' | 'mysql' | 'sqlite' {
    const client = String(this.db.client.config.client);
    if (client === 'pg' || client === 'postgres' || client === 'postgresql')
      return 'pg';
    if (client.startsWith('mysql')) return 'mysql';
    return 'sqlite';
  }

  /**
   * `insert into table (columns) <select> on conflict (key) do update` (`on duplicate key update` on MySQL): a second
   * writer of the same key updates the row instead of adding another.
   */
  private upsertFromSelect(
    tx: Knex.Transaction,
    table: string,
    columns: string[],
    key: string[],
    select: Knex.QueryBuilder,
  ) {
    const { sql, bindings } = select.toSQL();
    const updates = columns.filter(c => !key.includes(c));
    const onConflict =
      this.dialect === 'mysql'
        ? `on duplicate key update ${updates
            .map(c => `${c} = values(${c})`)
            .join(', ')}`
        : `on conflict (${key.join(', ')}) do update set ${updates
            .map(c => `${c} = excluded.${c}`)
            .join(', ')}`;
    return tx.raw(
      `insert into ${table} (${columns.join(', ')}) ${sql} ${onConflict}`,
      bindings,
    );
  }

  async writeDailySummary(day: string): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('scorecard_daily_summary').where({ day }).delete();
      await this.upsertFromSelect(
        tx,
        'scorecard_daily_summary',
        [
          'day',
          'scorecard_id',
          'owner_ref',
          'level_id',
          'entities',
          'score_sum',
        ],
        ['day', 'scorecard_id', 'owner_ref', 'level_id'],
        tx('scorecard_level_rollups')
          .select(
            tx.raw('cast(? as char(10)) as day', [day]),
            'scorecard_id',
            'owner_ref',
            'level_id',
            tx.raw('sum(entities) as entities'),
            tx.raw('sum(score_sum) as score_sum'),
          )
          .whereRaw('1 = 1')
          .groupBy('scorecard_id', 'owner_ref', 'level_id'),
      );
    });
  }

  async addPastHistory(
    points: PastHistoryPoint[],
    before: string,
  ): Promise<number> {
    const pairOf = (entityRef: string, scorecardId: string) =>
      `${entityRef}\u0000${scorecardId}`;
    const rows: HistoryRow[] = points
      .filter(p => p.day < before)
      .map(p => ({
        entity_ref: refKey(p.entityRef),
        scorecard_id: p.scorecardId,
        day: p.day,
        level_id: p.levelId,
        level_index: p.levelIndex,
        score: p.score,
        failing_checks: JSON.stringify([...p.failingChecks].sort()),
        recorded_at: new Date(`${p.day}T12:00:00.000Z`),
      }));
    if (rows.length === 0) return 0;
    return this.db.transaction(async tx => {
      const entityRefs = [...new Set(rows.map(r => r.entity_ref))];
      const withHistory = new Set<string>();
      for (const refs of chunks(entityRefs, IN_CHUNK)) {
        const found = await tx('scorecard_history')
          .whereIn('entity_ref', refs)
          .where('day', '<', before)
          .distinct('entity_ref', 'scorecard_id');
        for (const row of found as HistoryRow[])
          withHistory.add(pairOf(row.entity_ref, row.scorecard_id));
      }
      const fresh = rows.filter(
        r => !withHistory.has(pairOf(r.entity_ref, r.scorecard_id)),
      );
      for (const chunk of chunks(fresh, CHUNK)) {
        await tx('scorecard_history')
          .insert(chunk)
          .onConflict(['entity_ref', 'scorecard_id', 'day'])
          .ignore();
      }
      for (const day of [...new Set(fresh.map(r => r.day))]) {
        await this.writeDailySummaryFromHistory(tx, day);
      }
      return fresh.length;
    });
  }

  /**
   * The day's level distribution per scorecard and team from the history (each entity's last state on or before the
   * day, under its current owner), replacing the day's snapshot.
   */
  private async writeDailySummaryFromHistory(
    tx: Knex.Transaction,
    day: string,
  ): Promise<void> {
    const latest = tx('scorecard_history')
      .where('day', '<=', day)
      .select('entity_ref', 'scorecard_id')
      .max({ day: 'day' })
      .groupBy('entity_ref', 'scorecard_id')
      .as('latest');
    const states = await rowsOf(
      tx('scorecard_history as h')
        .join(latest, join =>
          join
            .on('h.entity_ref', 'latest.entity_ref')
            .andOn('h.scorecard_id', 'latest.scorecard_id')
            .andOn('h.day', 'latest.day'),
        )
        .join('scorecard_results as r', join =>
          join
            .on('h.entity_ref', 'r.entity_ref')
            .andOn('h.scorecard_id', 'r.scorecard_id'),
        )
        .select({
          scorecard_id: 'h.scorecard_id',
          owner_ref: 'r.owner_ref',
          level_id: 'h.level_id',
          score: 'h.score',
        }),
    );
    const summary = new Map<string, Record<string, unknown>>();
    for (const state of states) {
      const owner = (state.owner_ref ?? '').slice(0, ROLLUP_REF_LENGTH);
      const level = state.level_id ?? '';
      const key = `${state.scorecard_id}\u0000${owner}\u0000${level}`;
      const row = summary.get(key) ?? {
        day,
        scorecard_id: state.scorecard_id,
        owner_ref: owner,
        level_id: level,
        entities: 0,
        score_sum: 0,
      };
      row.entities = Number(row.entities) + 1;
      row.score_sum = Number(row.score_sum) + Number(state.score);
      summary.set(key, row);
    }
    await tx('scorecard_daily_summary').where({ day }).delete();
    for (const chunk of chunks([...summary.values()], CHUNK)) {
      await tx('scorecard_daily_summary').insert(chunk);
    }
  }

  async getEntityResults(entityRef: string): Promise<EntityScorecardResult[]> {
    const rows = await this.db<ResultRow>('scorecard_results')
      .where({ entity_ref: refKey(entityRef) })
      .orderBy('scorecard_id');
    return rows.map(rowToResult);
  }

  async listEntityResults(
    entityRefs: string[],
  ): Promise<EntityScorecardResult[]> {
    const results: EntityScorecardResult[] = [];
    for (const refs of chunks([...new Set(entityRefs.map(refKey))], IN_CHUNK)) {
      const rows = await this.db<ResultRow>('scorecard_results')
        .whereIn('entity_ref', refs)
        .orderBy(['entity_ref', 'scorecard_id']);
      results.push(...rows.map(rowToResult));
    }
    return results;
  }

  private filtered(table: string, filter: ResultFilter) {
    const query = this.db(table);
    if (filter.scorecardIds?.length)
      query.whereIn('scorecard_id', filter.scorecardIds);
    if (filter.ownerRefs?.length)
      query.whereIn('owner_ref', filter.ownerRefs.map(refKey));
    if (filter.systemRefs?.length)
      query.whereIn('system_ref', filter.systemRefs.map(refKey));
    return query;
  }

  async getOrgSummary(
    filter: ResultFilter,
  ): Promise<Omit<OrgSummaryResponse, 'updatedAt'>> {
    const [levelRows, checkRows] = await Promise.all([
      rowsOf(
        this.filtered('scorecard_level_rollups', filter)
          .select('scorecard_id', 'level_id')
          .sum({ entities: 'entities', score_sum: 'score_sum' })
          .groupBy('scorecard_id', 'level_id')
          .orderBy('scorecard_id'),
      ),
      rowsOf(
        this.filtered('scorecard_check_rollups', filter)
          .select('scorecard_id', 'owner_ref', 'check_id')
          .sum({ entities: 'entities', passing: 'passing' })
          .groupBy('scorecard_id', 'owner_ref', 'check_id')
          .orderBy(['scorecard_id', 'owner_ref', 'check_id']),
      ),
    ]);
    const byScorecard = new Map<
      string,
      { entities: number; scoreSum: number; levels: LevelCount[] }
    >();
    for (const row of levelRows) {
      const entry = byScorecard.get(row.scorecard_id) ?? {
        entities: 0,
        scoreSum: 0,
        levels: [],
      };
      entry.entities += Number(row.entities);
      entry.scoreSum += Number(row.score_sum);
      entry.levels.push({
        levelId: row.level_id === '' ? null : row.level_id,
        count: Number(row.entities),
      });
      byScorecard.set(row.scorecard_id, entry);
    }
    return {
      scorecards: [...byScorecard].map(([scorecardId, e]) => ({
        scorecardId,
        entities: e.entities,
        averageScore: average(e.scoreSum, e.entities),
        levels: e.levels,
      })),
      heatmap: checkRows.map(row => {
        const entities = Number(row.entities);
        const passing = Number(row.passing);
        return {
          scorecardId: row.scorecard_id,
          ownerRef: row.owner_ref === '' ? null : row.owner_ref,
          checkId: row.check_id,
          entities,
          passing,
          share: entities ? Math.round((1000 * passing) / entities) / 1000 : 0,
        };
      }),
    };
  }

  async getGroupRollup(ref: string): Promise<GroupRollupResponse> {
    const groupRef = refKey(ref);
    const [results, levelRows, checkRows] = await Promise.all([
      this.db<ResultRow>('scorecard_results')
        .where({ owner_ref: groupRef })
        .select(
          'entity_ref',
          'scorecard_id',
          'level_id',
          'score',
          'evaluated_at',
        )
        .orderBy(['scorecard_id', 'entity_ref'])
        .limit(20_000),
      rowsOf(
        this.db('scorecard_level_rollups')
          .where({ owner_ref: groupRef })
          .select('scorecard_id', 'level_id')
          .sum({ entities: 'entities', score_sum: 'score_sum' })
          .groupBy('scorecard_id', 'level_id'),
      ),
      rowsOf(
        this.db('scorecard_check_rollups')
          .where({ owner_ref: groupRef })
          .select('scorecard_id', 'check_id')
          .sum({ entities: 'entities', passing: 'passing' })
          .groupBy('scorecard_id', 'check_id'),
      ),
    ]);
    const cards = new Map<
      string,
      GroupRollupResponse['scorecards'][number] & {
        scoreSum: number;
        count: number;
      }
    >();
    const card = (id: string) => {
      let entry = cards.get(id);
      if (!entry) {
        entry = {
          scorecardId: id,
          levels: [],
          averageScore: null,
          entities: [],
          failingChecks: [],
          scoreSum: 0,
          count: 0,
        };
        cards.set(id, entry);
      }
      return entry;
    };
    for (const row of levelRows) {
      const entry = card(row.scorecard_id);
      entry.levels.push({
        levelId: row.level_id === '' ? null : row.level_id,
        count: Number(row.entities),
      });
      entry.scoreSum += Number(row.score_sum);
      entry.count += Number(row.entities);
    }
    for (const row of results) {
      card(row.scorecard_id).entities.push({
        entityRef: row.entity_ref,
        levelId: row.level_id,
        score: Number(row.score),
        evaluatedAt: timestampToIso(row.evaluated_at),
      });
    }
    for (const row of checkRows) {
      const entities = Number(row.entities);
      const passing = Number(row.passing);
      if (passing >= entities) continue;
      card(row.scorecard_id).failingChecks.push({
        scorecardId: row.scorecard_id,
        checkId: row.check_id,
        entities,
        passing,
        failing: entities - passing,
        share: entities ? Math.round((1000 * passing) / entities) / 1000 : 0,
      });
    }
    return {
      groupRef,
      scorecards: [...cards.values()]
        .sort((a, b) => a.scorecardId.localeCompare(b.scorecardId))
        .map(({ scoreSum, count, ...entry }) => ({
          ...entry,
          averageScore: average(scoreSum, count),
          failingChecks: entry.failingChecks.sort(
            (a, b) =>
              b.failing - a.failing || a.checkId.localeCompare(b.checkId),
          ),
        })),
    };
  }

  async getEntityHistory(options: {
    entityRef: string;
    scorecardId?: string;
    from: string;
    to: string;
  }): Promise<EntityHistoryPoint[]> {
    const entityRef = refKey(options.entityRef);
    const base = () => {
      const q = this.db<HistoryRow>('scorecard_history').where({
        entity_ref: entityRef,
      });
      if (options.scorecardId)
        q.andWhere({ scorecard_id: options.scorecardId });
      return q;
    };
    // The state at `from` is the last change on or before it; later points follow.
    const [inRange, before] = await Promise.all([
      base()
        .where('day', '>=', options.from)
        .where('day', '<=', options.to)
        .orderBy(['scorecard_id', 'day']),
      base()
        .where('day', '<', options.from)
        .whereIn(
          ['scorecard_id', 'day'],
          base()
            .where('day', '<', options.from)
            .select('scorecard_id')
            .max('day')
            .groupBy('scorecard_id'),
        ),
    ]);
    const toPoint = (row: HistoryRow): EntityHistoryPoint => ({
      day: row.day,
      scorecardId: row.scorecard_id,
      levelId: row.level_id,
      score: Number(row.score),
      failingChecks: JSON.parse(row.failing_checks),
    });
    return [...before.map(toPoint), ...inRange.map(toPoint)].sort(
      (a, b) =>
        a.scorecardId.localeCompare(b.scorecardId) ||
        a.day.localeCompare(b.day),
    );
  }

  async getTrend(options: {
    ownerRef?: string;
    scorecardId?: string;
    from: string;
    to: string;
  }): Promise<TrendPoint[]> {
    const query = this.db('scorecard_daily_summary')
      .where('day', '>=', options.from)
      .where('day', '<=', options.to)
      .select('day', 'scorecard_id', 'level_id')
      .sum({ entities: 'entities', score_sum: 'score_sum' })
      .groupBy('day', 'scorecard_id', 'level_id')
      .orderBy(['scorecard_id', 'day']);
    if (options.ownerRef) query.where({ owner_ref: refKey(options.ownerRef) });
    if (options.scorecardId) query.where({ scorecard_id: options.scorecardId });
    const points = new Map<string, TrendPoint & { scoreSum: number }>();
    for (const row of await rowsOf(query)) {
      const key = `${row.scorecard_id}\u0000${row.day}`;
      const point: TrendPoint & { scoreSum: number } = points.get(key) ?? {
        day: row.day,
        scorecardId: row.scorecard_id,
        entities: 0,
        averageScore: null,
        levels: [],
        scoreSum: 0,
      };
      point.entities += Number(row.entities);
      point.scoreSum += Number(row.score_sum);
      point.levels.push({
        levelId: row.level_id === '' ? null : row.level_id,
        count: Number(row.entities),
      });
      points.set(key, point);
    }
    return [...points.values()].map(({ scoreSum, ...p }) => ({
      ...p,
      averageScore: average(scoreSum, p.entities),
    }));
  }

  async listResults(
    filter: ResultFilter & { limit: number },
  ): Promise<EntityScorecardResult[]> {
    const rows = await this.filtered('scorecard_results', filter)
      .select('*')
      .orderBy(['entity_ref', 'scorecard_id'])
      .limit(filter.limit);
    return (rows as ResultRow[]).map(rowToResult);
  }

  async startRun(now: Date): Promise<number> {
    const [row] = await this.db('scorecard_runs').insert({ started_at: now }, [
      'id',
    ]);
    return Number(typeof row === 'object' ? row.id : row);
  }

  async finishRun(
    id: number,
    outcome: { entities: number; results: number } | { error: string },
  ): Promise<void> {
    await this.db('scorecard_runs')
      .where({ id })
      .update(
        'error' in outcome
          ? { error: outcome.error.slice(0, 4000) }
          : {
              finished_at: new Date(),
              entities: outcome.entities,
              results: outcome.results,
            },
      );
  }

  async lastFinishedRunAt(): Promise<string | null> {
    const row = await this.db('scorecard_runs')
      .whereNotNull('finished_at')
      .orderBy('id', 'desc')
      .first('finished_at');
    return row ? timestampToIso(row.finished_at) : null;
  }

  createWaiver(waiver: NewWaiver, actor: string): Promise<Waiver> {
    return this.waivers.createWaiver(waiver, actor);
  }

  getWaiver(id: string): Promise<Waiver | undefined> {
    return this.waivers.getWaiver(id);
  }

  listWaivers(
    options: Parameters<WaiverStore['listWaivers']>[0],
  ): Promise<Waiver[]> {
    return this.waivers.listWaivers(options);
  }

  listActiveWaivers(entityRefs: string[], now: Date): Promise<Waiver[]> {
    return this.waivers.listActiveWaivers(entityRefs, now);
  }

  updateWaiver(
    id: string,
    patch: { reason?: string; expiresAt?: string },
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver> {
    return this.waivers.updateWaiver(id, patch, expectedVersion, actor);
  }

  revokeWaiver(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<Waiver> {
    return this.waivers.revokeWaiver(id, expectedVersion, actor);
  }

  async claimRefresh(
    entityRef: string,
    actor: string,
    now: Date,
    minIntervalMs: number,
  ): Promise<{ claimed: true } | { claimed: false; lastRefreshedAt: string }> {
    const ref = refKey(entityRef);
    const values = { refreshed_at: now, refreshed_by: actor };
    // Atomic on every database: the update matches only a claim older than the interval; a concurrent second
    // update re-reads the row after the first one and no longer matches.
    const updated = await this.db('scorecard_refresh_claims')
      .where({ entity_ref: ref })
      .where('refreshed_at', '<=', new Date(now.getTime() - minIntervalMs))
      .update(values);
    if (updated === 1) return { claimed: true };
    try {
      await this.db('scorecard_refresh_claims').insert({
        entity_ref: ref,
        ...values,
      });
      return { claimed: true };
    } catch (error) {
      if (!isDatabaseConflictError(error)) throw error;
    }
    const row = await this.db('scorecard_refresh_claims')
      .where({ entity_ref: ref })
      .first('refreshed_at');
    return {
      claimed: false,
      lastRefreshedAt: row
        ? timestampToIso(row.refreshed_at)
        : now.toISOString(),
    };
  }
}
