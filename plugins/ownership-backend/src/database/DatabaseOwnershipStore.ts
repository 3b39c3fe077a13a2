import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { timestampToIso } from '@vitals/common';
import {
  emptyProblemCounts,
  GroupOwnershipFigures,
  GroupOwnershipPage,
  OWNERSHIP_PROBLEM_KINDS,
  OwnershipConfirmation,
  OwnershipFacets,
  OwnershipHistoryEvent,
  OwnershipProblemKind,
  OwnershipReportPage,
  OwnershipReportRow,
  OwnershipReportSummary,
  ProblemCounts,
} from '@vitals/plugin-ownership-common';
import { Knex } from 'knex';
import { describeProblems, OwnershipFacts } from '../service/healthRules';
import {
  ConfirmationWindow,
  NewHistoryEvent,
  OwnershipStore,
  ReportFilter,
  Snapshot,
  SnapshotEntity,
  SnapshotResult,
} from './OwnershipStore';
import { migrateToLatest } from '@vitals/backend-common';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-ownership-backend',
  'migrations',
);

/** The actor of history rows the snapshot job writes. */
export const SNAPSHOT_ACTOR = 'system:snapshot';

type Timestamp = Date | string | number;

type EntityRow = {
  entity_ref: string;
  kind: string;
  title: string | null;
  system_ref: string | null;
  owner_ref: string | null;
  owner_kind: string | null;
  owner_exists: boolean | number;
  owner_title: string | null;
  owner_member_count: number | null;
  contact_count: number;
  p_no_owner: boolean | number;
  p_owner_unresolved: boolean | number;
  p_owner_no_members: boolean | number;
  p_owner_single_member: boolean | number;
  p_no_contact: boolean | number;
  problem_count: number;
  confirmation_applies: boolean | number;
  snapshot_at: Timestamp;
};

type HistoryRow = {
  id: number | string;
  entity_ref: string;
  event_type: string;
  from_owner_ref: string | null;
  to_owner_ref: string | null;
  actor: string;
  occurred_at: Timestamp;
  comment: string | null;
};

type ConfirmationRow = {
  entity_ref: string;
  owner_ref: string;
  confirmed_by: string;
  confirmed_at: Timestamp;
  comment: string | null;
};

/** Problem kind → its flag column in ownership_entities (the confirmation is computed at read time). */
const PROBLEM_COLUMNS: Record<
  Exclude<OwnershipProblemKind, 'confirmation-overdue'>,
  keyof EntityRow
> = {
  'no-owner': 'p_no_owner',
  'owner-unresolved': 'p_owner_unresolved',
  'owner-no-members': 'p_owner_no_members',
  'owner-single-member': 'p_owner_single_member',
  'no-contact': 'p_no_contact',
};

/** Count aliases per problem kind in aggregate queries. */
const COUNT_ALIASES: Record<OwnershipProblemKind, string> = {
  'no-owner': 'n_no_owner',
  'owner-unresolved': 'n_owner_unresolved',
  'owner-no-members': 'n_owner_no_members',
  'owner-single-member': 'n_owner_single_member',
  'no-contact': 'n_no_contact',
  'confirmation-overdue': 'n_confirmation_overdue',
};

/** Overdue: the check applies and there is no confirmation of the current owner after the cutoff. Binds the cutoff. */
const OVERDUE_SQL =
  '(e.confirmation_applies and (c.confirmed_at is null or c.confirmed_at < ?))';
const HEALTHY_SQL = `(e.problem_count = 0 and not ${OVERDUE_SQL})`;
const CONFIRMATION_JOIN =
  'left join ownership_confirmations c on c.entity_ref = e.entity_ref and c.owner_ref = e.owner_ref';

/** Catalog problem kind → its count column in ownership_group_figures. */
const GROUP_PROBLEM_COLUMNS: Record<
  Exclude<OwnershipProblemKind, 'confirmation-overdue'>,
  keyof GroupFiguresRow
> = {
  'no-owner': 'n_no_owner',
  'owner-unresolved': 'n_owner_unresolved',
  'owner-no-members': 'n_owner_no_members',
  'owner-single-member': 'n_owner_single_member',
  'no-contact': 'n_no_contact',
};

type GroupFiguresRow = {
  group_ref: string;
  title: string | null;
  parent_ref: string | null;
  member_count: number;
  list_position: number;
  owned_directly: number;
  owned_total: number;
  n_no_owner: number;
  n_owner_unresolved: number;
  n_owner_no_members: number;
  n_owner_single_member: number;
  n_no_contact: number;
  n_problem_free: number;
  n_confirmation_applies: number;
  n_problem_free_applies: number;
  /** Of the last two: confirmations after the cutoff (null when the group has none), read with the figures. */
  n_confirmed: number | string | null;
  n_confirmed_problem_free: number | string | null;
};

/**
 * Rebuilds ownership_group_figures from the snapshot tables: entities are counted per owner first (one pass), then
 * rolled up the group tree through the closure table. Positions follow the teams table's order.
 */
const GROUP_FIGURES_INSERT_SQL = `
  insert into ownership_group_figures (group_ref, title, parent_ref, member_count, list_position, owned_directly,
    owned_total, n_no_owner, n_owner_unresolved, n_owner_no_members, n_owner_single_member, n_no_contact,
    n_problem_free, n_confirmation_applies, n_problem_free_applies)
  select g.group_ref, g.title, g.parent_ref, g.member_count,
    row_number() over (order by coalesce(sum(po.n), 0) desc, g.group_ref asc),
    coalesce(sum(case when cl.depth = 0 then po.n else 0 end), 0),
    coalesce(sum(po.n), 0),
    coalesce(sum(po.n_no_owner), 0), coalesce(sum(po.n_owner_unresolved), 0), coalesce(sum(po.n_owner_no_members), 0),
    coalesce(sum(po.n_owner_single_member), 0), coalesce(sum(po.n_no_contact), 0),
    coalesce(sum(po.n_problem_free), 0),
    coalesce(sum(po.n_confirmation_applies), 0),
    coalesce(sum(po.n_problem_free_applies), 0)
  from ownership_groups g
  join ownership_group_closure cl on cl.ancestor_ref = g.group_ref
  left join (
    select owner_ref, count(*) as n,
      sum(case when p_no_owner then 1 else 0 end) as n_no_owner,
      sum(case when p_owner_unresolved then 1 else 0 end) as n_owner_unresolved,
      sum(case when p_owner_no_members then 1 else 0 end) as n_owner_no_members,
      sum(case when p_owner_single_member then 1 else 0 end) as n_owner_single_member,
      sum(case when p_no_contact then 1 else 0 end) as n_no_contact,
      sum(case when problem_count = 0 then 1 else 0 end) as n_problem_free,
      sum(case when confirmation_applies then 1 else 0 end) as n_confirmation_applies,
      sum(case when problem_count = 0 and confirmation_applies then 1 else 0 end) as n_problem_free_applies
    from ownership_entities
    where owner_ref is not null
    group by owner_ref
  ) po on po.owner_ref = cl.descendant_ref
  group by g.group_ref, g.title, g.parent_ref, g.member_count`;

/**
 * Fills ownership_group_confirmed: every (team, entity) where the team owns the entity directly or through child
 * groups, the confirmation check applies and the current owner has confirmed. Ends in a where clause, so callers can
 * add `and e.entity_ref = ?`.
 */
const GROUP_CONFIRMED_INSERT_SQL = `
  insert into ownership_group_confirmed (group_ref, entity_ref, confirmed_at, problem_free)
  select cl.ancestor_ref, e.entity_ref, c.confirmed_at, case when e.problem_count = 0 then 1 else 0 end
  from ownership_entities e
  join ownership_confirmations c on c.entity_ref = e.entity_ref and c.owner_ref = e.owner_ref
  join ownership_group_closure cl on cl.descendant_ref = e.owner_ref
  where e.confirmation_applies`;

const truthy = (value: unknown) =>
  value === true || value === 1 || value === '1' || value === 't';

function entityToRow(entity: SnapshotEntity, takenAt: Date): EntityRow {
  const has = (k: OwnershipProblemKind) => entity.problems.includes(k);
  return {
    entity_ref: entity.entityRef,
    kind: entity.kind.toLocaleLowerCase('en-US'),
    title: entity.title?.slice(0, 512) ?? null,
    system_ref: entity.systemRef,
    owner_ref: entity.ownerRef,
    owner_kind: entity.ownerKind,
    owner_exists: entity.ownerExists,
    owner_title: entity.ownerTitle?.slice(0, 512) ?? null,
    owner_member_count: entity.ownerMemberCount,
    contact_count: entity.contactCount,
    p_no_owner: has('no-owner'),
    p_owner_unresolved: has('owner-unresolved'),
    p_owner_no_members: has('owner-no-members'),
    p_owner_single_member: has('owner-single-member'),
    p_no_contact: has('no-contact'),
    problem_count: entity.problems.filter(k => k !== 'confirmation-overdue')
      .length,
    confirmation_applies: entity.confirmationApplies,
    snapshot_at: takenAt,
  };
}

function factsOfRow(row: EntityRow): OwnershipFacts {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    ownerRef: row.owner_ref,
    ownerKind: row.owner_kind,
    ownerExists: truthy(row.owner_exists),
    ownerTitle: row.owner_title,
    ownerMemberCount:
      row.owner_member_count === null ? null : Number(row.owner_member_count),
    contactCount: Number(row.contact_count),
  };
}

function rowToHistory(row: HistoryRow): OwnershipHistoryEvent {
  return {
    id: Number(row.id),
    entityRef: row.entity_ref,
    type: row.event_type as OwnershipHistoryEvent['type'],
    fromOwnerRef: row.from_owner_ref,
    toOwnerRef: row.to_owner_ref,
    actor: row.actor,
    at: timestampToIso(row.occurred_at),
    comment: row.comment,
  };
}

function rowToConfirmation(row: ConfirmationRow): OwnershipConfirmation {
  return {
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref,
    confirmedBy: row.confirmed_by,
    confirmedAt: timestampToIso(row.confirmed_at),
    comment: row.comment,
  };
}

function countsOf(row: Record<string, unknown>): ProblemCounts {
  const counts = emptyProblemCounts();
  for (const kind of OWNERSHIP_PROBLEM_KINDS)
    counts[kind] = Number(row[COUNT_ALIASES[kind]] ?? 0);
  return counts;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Ownership health on knex: SQLite, PostgreSQL and MySQL. */
export class DatabaseOwnershipStore implements OwnershipStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseOwnershipStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseOwnershipStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async replaceSnapshot(snapshot: Snapshot): Promise<SnapshotResult> {
    const { takenAt } = snapshot;
    return this.db.transaction(async tx => {
      // The last owner observed for each entity, from the history (it outlives the snapshot rows).
      const observed = new Map<
        string,
        { owner: string | null; at: number; id: number }
      >();
      const rows = await tx<HistoryRow>('ownership_history')
        .whereIn('event_type', ['first-seen', 'owner-changed'])
        .select('id', 'entity_ref', 'to_owner_ref', 'occurred_at');
      for (const row of rows) {
        const at = Date.parse(timestampToIso(row.occurred_at));
        const id = Number(row.id);
        const last = observed.get(row.entity_ref);
        if (!last || at > last.at || (at === last.at && id > last.id)) {
          observed.set(row.entity_ref, { owner: row.to_owner_ref, at, id });
        }
      }

      const events: Array<Omit<HistoryRow, 'id'>> = [];
      let firstSeen = 0;
      let ownerChanges = 0;
      for (const entity of snapshot.entities) {
        const last = observed.get(entity.entityRef);
        if (!last) {
          firstSeen += 1;
          events.push({
            entity_ref: entity.entityRef,
            event_type: 'first-seen',
            from_owner_ref: null,
            to_owner_ref: entity.ownerRef,
            actor: SNAPSHOT_ACTOR,
            occurred_at: takenAt,
            comment: null,
          });
        } else if (last.owner !== entity.ownerRef) {
          ownerChanges += 1;
          events.push({
            entity_ref: entity.entityRef,
            event_type: 'owner-changed',
            from_owner_ref: last.owner,
            to_owner_ref: entity.ownerRef,
            actor: SNAPSHOT_ACTOR,
            occurred_at: takenAt,
            comment: null,
          });
        }
      }

      await tx('ownership_entities').delete();
      await tx('ownership_groups').delete();
      await tx('ownership_group_closure').delete();
      // Chunks of 500 rows: SQLite inserts many rows as one compound SELECT (at most 500 terms) and binds at most 32766
      // parameters.
      await tx.batchInsert(
        'ownership_entities',
        snapshot.entities.map(e => entityToRow(e, takenAt)),
        500,
      );
      await tx.batchInsert(
        'ownership_groups',
        snapshot.groups.map(g => ({
          group_ref: g.groupRef,
          title: g.title?.slice(0, 512) ?? null,
          parent_ref: g.parentRef,
          member_count: g.memberCount,
        })),
        500,
      );
      await tx.batchInsert(
        'ownership_group_closure',
        snapshot.closure.map(c => ({
          ancestor_ref: c.ancestorRef,
          descendant_ref: c.descendantRef,
          depth: c.depth,
        })),
        500,
      );
      await tx.batchInsert('ownership_history', events, 500);
      await tx('ownership_group_figures').delete();
      await tx.raw(GROUP_FIGURES_INSERT_SQL);
      await tx('ownership_group_confirmed').delete();
      await tx.raw(GROUP_CONFIRMED_INSERT_SQL);
      return {
        entities: snapshot.entities.length,
        groups: snapshot.groups.length,
        firstSeen,
        ownerChanges,
      };
    });
  }

  async recordConfirmation(confirmation: {
    entityRef: string;
    ownerRef: string;
    actor: string;
    comment: string | null;
    at: Date;
  }): Promise<OwnershipConfirmation> {
    const row: ConfirmationRow = {
      entity_ref: confirmation.entityRef,
      owner_ref: confirmation.ownerRef,
      confirmed_by: confirmation.actor,
      confirmed_at: confirmation.at,
      comment: confirmation.comment,
    };
    await this.db.transaction(async tx => {
      await tx('ownership_confirmations')
        .insert(row)
        .onConflict(['entity_ref', 'owner_ref'])
        .merge(['confirmed_by', 'confirmed_at', 'comment']);
      await tx('ownership_history').insert({
        entity_ref: confirmation.entityRef,
        event_type: 'confirmed',
        from_owner_ref: null,
        to_owner_ref: confirmation.ownerRef,
        actor: confirmation.actor,
        occurred_at: confirmation.at,
        comment: confirmation.comment,
      });
      // The teams' figures count this confirmation at once (when it is of the entity's current owner).
      await tx('ownership_group_confirmed')
        .where('entity_ref', confirmation.entityRef)
        .delete();
      await tx.raw(`${GROUP_CONFIRMED_INSERT_SQL} and e.entity_ref = ?`, [
        confirmation.entityRef,
      ]);
    });
    return rowToConfirmation(row);
  }

  async getConfirmation(
    entityRef: string,
    ownerRef: string,
  ): Promise<OwnershipConfirmation | undefined> {
    const row = await this.db<ConfirmationRow>('ownership_confirmations')
      .where({ entity_ref: entityRef, owner_ref: ownerRef })
      .first();
    return row ? rowToConfirmation(row) : undefined;
  }

  async listHistory(entityRef: string): Promise<OwnershipHistoryEvent[]> {
    const rows = await this.db<HistoryRow>('ownership_history')
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(500);
    return rows.map(rowToHistory);
  }

  async appendHistory(events: NewHistoryEvent[]): Promise<void> {
    await this.db.batchInsert(
      'ownership_history',
      events.map(e => ({
        entity_ref: e.entityRef,
        event_type: e.type,
        from_owner_ref: e.fromOwnerRef,
        to_owner_ref: e.toOwnerRef,
        actor: e.actor,
        occurred_at: e.at,
        comment: e.comment ?? null,
      })),
      500,
    );
  }

  async hasConfirmations(): Promise<boolean> {
    const row = await this.db('ownership_history')
      .where({ event_type: 'confirmed' })
      .first('id');
    return row !== undefined;
  }

  async entitiesWithHistory(entityRefs: string[]): Promise<string[]> {
    if (entityRefs.length === 0) return [];
    const rows = await this.db('ownership_history')
      .whereIn('entity_ref', entityRefs)
      .distinct('entity_ref');
    return rows.map((r: { entity_ref: string }) => r.entity_ref);
  }

  /** Adds the report filters to a query over `ownership_entities e`. */
  private applyFilter(
    query: Knex.QueryBuilder,
    filter: ReportFilter,
  ): Knex.QueryBuilder {
    if (filter.kinds?.length) query.whereIn('e.kind', filter.kinds);
    if (filter.systemRefs?.length)
      query.whereIn('e.system_ref', filter.systemRefs);
    if (filter.teamRef) {
      query.whereIn(
        'e.owner_ref',
        this.db('ownership_group_closure')
          .where('ancestor_ref', filter.teamRef)
          .select('descendant_ref'),
      );
    }
    return query;
  }

  /** `sum(...) as n_...` for every problem kind; binds the cutoff once (for the overdue count). */
  private problemCountColumns(cutoff: Date): Knex.Raw[] {
    return [
      ...Object.entries(PROBLEM_COLUMNS).map(([kind, column]) =>
        this.db.raw(
          `sum(case when e.${column} then 1 else 0 end) as ${
            COUNT_ALIASES[kind as OwnershipProblemKind]
          }`,
        ),
      ),
      this.db.raw(
        `sum(case when ${OVERDUE_SQL} then 1 else 0 end) as ${COUNT_ALIASES['confirmation-overdue']}`,
        [cutoff],
      ),
    ];
  }

  async getReportSummary(
    filter: ReportFilter,
    window: ConfirmationWindow,
  ): Promise<OwnershipReportSummary> {
    const query = this.db('ownership_entities as e')
      .joinRaw(CONFIRMATION_JOIN)
      .select(
        this.db.raw('count(*) as total'),
        this.db.raw(
          `sum(case when ${HEALTHY_SQL} then 1 else 0 end) as healthy`,
          [window.cutoff],
        ),
        this.db.raw('max(e.snapshot_at) as snapshot_at'),
        ...this.problemCountColumns(window.cutoff),
      );
    const [row] = await this.applyFilter(query, filter);
    const total = Number(row?.total ?? 0);
    const healthy = Number(row?.healthy ?? 0);
    // max() over no matching rows is null: before the first snapshot, or when the filters match nothing.
    const snapshotAt = row?.snapshot_at;
    return {
      total,
      healthy,
      coveragePercent: percent(healthy, total),
      problemCounts: countsOf(row ?? {}),
      snapshotAt:
        snapshotAt === null || snapshotAt === undefined
          ? null
          : timestampToIso(snapshotAt),
      confirmationPeriodDays: window.periodDays,
    };
  }

  async listProblems(
    filter: ReportFilter & {
      problem?: OwnershipProblemKind;
      limit: number;
      offset: number;
    },
    window: ConfirmationWindow,
  ): Promise<OwnershipReportPage> {
    const query = this.db('ownership_entities as e')
      .joinRaw(CONFIRMATION_JOIN)
      .select(
        'e.*',
        'c.confirmed_at',
        'c.confirmed_by',
        this.db.raw(`(case when ${OVERDUE_SQL} then 1 else 0 end) as overdue`, [
          window.cutoff,
        ]),
        this.db.raw('count(*) over () as total_count'),
      );
    this.applyFilter(query, filter);
    if (!filter.problem) {
      query.whereRaw(`(e.problem_count > 0 or ${OVERDUE_SQL})`, [
        window.cutoff,
      ]);
    } else if (filter.problem === 'confirmation-overdue') {
      query.whereRaw(OVERDUE_SQL, [window.cutoff]);
    } else {
      query.whereRaw(`e.${PROBLEM_COLUMNS[filter.problem]}`);
    }
    const rows: Array<
      EntityRow & {
        confirmed_at: Timestamp | null;
        confirmed_by: string | null;
        overdue: number;
        total_count: number | string;
      }
    > = await query
      .orderBy('e.entity_ref')
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      rows: rows.map(row => this.toReportRow(row, window)),
      totalCount: rows.length ? Number(rows[0].total_count) : 0,
    };
  }

  private toReportRow(
    row: EntityRow & {
      confirmed_at: Timestamp | null;
      confirmed_by: string | null;
      overdue: number;
    },
    window: ConfirmationWindow,
  ): OwnershipReportRow {
    const kinds: OwnershipProblemKind[] = OWNERSHIP_PROBLEM_KINDS.filter(kind =>
      kind === 'confirmation-overdue'
        ? truthy(row.overdue)
        : truthy(row[PROBLEM_COLUMNS[kind]]),
    );
    const confirmedAt =
      row.confirmed_at === null || row.confirmed_at === undefined
        ? null
        : timestampToIso(row.confirmed_at);
    return {
      entityRef: row.entity_ref,
      kind: row.kind,
      title: row.title,
      systemRef: row.system_ref,
      ownerRef: row.owner_ref,
      problems: describeProblems(factsOfRow(row), kinds, {
        confirmedAt,
        confirmedBy: row.confirmed_by,
        periodDays: window.periodDays,
      }),
      lastConfirmedAt: confirmedAt,
      lastConfirmedBy: row.confirmed_by ?? null,
    };
  }

  async getFacets(): Promise<OwnershipFacets> {
    const rows: Array<{ facet: string; value: string }> = await this.db
      .raw(
        `select 'kind' as facet, kind as value from ownership_entities group by kind
       union all select 'system' as facet, system_ref as value from ownership_entities where system_ref is not null group by system_ref
       union all select 'team' as facet, group_ref as value from ownership_groups`,
      )
      .then((result: any) => (Array.isArray(result) ? result : result.rows));
    const of = (facet: string) =>
      rows
        .filter(r => r.facet === facet)
        .map(r => r.value)
        .sort();
    return { kinds: of('kind'), systems: of('system'), teams: of('team') };
  }

  /**
   * The precomputed figures of the groups `restrict` selects from `ownership_group_figures`, with the count of their
   * confirmations still current: an indexed read of the figures and an index range of ownership_group_confirmed per
   * group.
   */
  private async readGroupFigures(
    window: ConfirmationWindow,
    restrict: (query: Knex.QueryBuilder, alias: string) => Knex.QueryBuilder,
  ): Promise<Array<GroupFiguresRow & { total_count: number | string }>> {
    const confirmed = restrict(
      this.db('ownership_group_confirmed as gc').join(
        'ownership_group_figures as pf',
        'pf.group_ref',
        'gc.group_ref',
      ),
      'pf',
    )
      .where('gc.confirmed_at', '>=', window.cutoff)
      .select(
        'gc.group_ref',
        this.db.raw('count(*) as n_confirmed'),
        this.db.raw('sum(gc.problem_free) as n_confirmed_problem_free'),
      )
      .groupBy('gc.group_ref');
    return restrict(
      this.db('ownership_group_figures as f')
        .leftJoin(confirmed.as('v'), 'v.group_ref', 'f.group_ref')
        .select(
          'f.*',
          'v.n_confirmed',
          'v.n_confirmed_problem_free',
          // Positions are 1..n: the largest is the number of teams, read from the position index.
          this.db('ownership_group_figures')
            .max('list_position')
            .as('total_count'),
        ),
      'f',
    ).orderBy('f.list_position');
  }

  private toGroupFigures(row: GroupFiguresRow): GroupOwnershipFigures {
    const total = Number(row.owned_total);
    const direct = Number(row.owned_directly);
    const confirmed = Number(row.n_confirmed ?? 0);
    const confirmedProblemFree = Number(row.n_confirmed_problem_free ?? 0);
    // Healthy: no catalog problem and not overdue, i.e. the confirmation check does not apply or is confirmed in time.
    const healthy =
      Number(row.n_problem_free) -
      Number(row.n_problem_free_applies) +
      confirmedProblemFree;
    const problemCounts = emptyProblemCounts();
    for (const [kind, column] of Object.entries(GROUP_PROBLEM_COLUMNS)) {
      problemCounts[kind as OwnershipProblemKind] = Number(row[column]);
    }
    problemCounts['confirmation-overdue'] =
      Number(row.n_confirmation_applies) - confirmed;
    return {
      groupRef: row.group_ref,
      title: row.title ?? null,
      parentRef: row.parent_ref ?? null,
      memberCount: Number(row.member_count),
      ownedDirectly: direct,
      ownedThroughChildren: total - direct,
      ownedTotal: total,
      healthy,
      healthPercent: percent(healthy, total),
      problemCounts,
    };
  }

  async listGroups(
    options: { limit: number; offset: number },
    window: ConfirmationWindow,
  ): Promise<GroupOwnershipPage> {
    // Positions are 1..n in the order of the table (most entities first), so a page is a range of the position index.
    const range = [options.offset + 1, options.offset + options.limit] as const;
    const rows = await this.readGroupFigures(window, (query, alias) =>
      query.whereBetween(`${alias}.list_position`, [...range]),
    );
    return {
      groups: rows.map(r => this.toGroupFigures(r)),
      totalCount: rows.length ? Number(rows[0].total_count) : 0,
    };
  }

  async getGroup(
    groupRef: string,
    window: ConfirmationWindow,
  ): Promise<GroupOwnershipFigures | undefined> {
    const [row] = await this.readGroupFigures(window, (query, alias) =>
      query.where(`${alias}.group_ref`, groupRef),
    );
    return row ? this.toGroupFigures(row) : undefined;
  }
}
