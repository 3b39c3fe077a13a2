import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  computePriority,
  DebtBudget,
  DebtItem,
  DebtItemEvent,
  DebtItemIncident,
  DebtItemPage,
  EntityDebtSummary,
  DebtFacets,
  LIST_INCIDENTS_PER_ITEM,
  MEASURED_INTEREST_WINDOW_DAYS,
  MeasuredInterest,
  quarterRange,
  DEBT_STATUSES,
  DebtStatus,
  RepeatIncidentItem,
  RepeatIncidentsReport,
  RepeatIncidentTeam,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  CatalogPlacement,
  DebtItemFields,
  IncidentSnapshot,
  ItemFilter,
  LinkOutcome,
  ListItemsOptions,
  NewDebtItem,
  TechDebtStore,
} from './TechDebtStore';
import { chunks, migrateToLatest } from '@vitals/backend-common';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-tech-debt-backend',
  'migrations',
);

type ItemRow = {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  system_ref: string | null;
  title: string;
  description: string;
  category: string;
  impact: number;
  effort_days: number;
  interest_hours: number | null;
  priority: number;
  status: string;
  assignee: string | null;
  tracker_url: string | null;
  tags: string;
  version: number;
  created_at: Date | string | number;
  created_by: string;
  updated_at: Date | string | number;
  updated_by: string;
  resolved_at: Date | string | number | null;
};

type EventRow = {
  id: number | string;
  item_id: string;
  entity_ref: string;
  action: string;
  actor: string;
  occurred_at: Date | string | number;
  changes: string;
};

type LinkRow = {
  item_id: string;
  incident_id: string;
  entity_ref: string;
  created_at: Date | string | number;
  created_ms: number | string;
  resolved_at: Date | string | number | null;
  restore_minutes: number | string | null;
  severity: string | null;
  title: string | null;
  postmortem_id: string | null;
  postmortem_url: string | null;
  linked_at: Date | string | number;
  linked_by: string;
  updated_at: Date | string | number;
  updated_by: string;
};

type BudgetRow = {
  group_ref: string;
  quarter: string;
  capacity_days: number;
  share_percent: number;
  version: number;
  updated_at: Date | string | number;
  updated_by: string;
};

/** The states an item is done with (resolved, won't fix): listed after the others, whatever the sort. */
const CLOSED_STATUSES = DEBT_STATUSES.filter(
  status => !UNRESOLVED_STATUSES.includes(status),
);

const ORDER_COLUMNS: Record<
  Exclude<ListItemsOptions['orderBy'], 'measuredInterest'>,
  string
> = {
  priority: 'priority',
  impact: 'impact',
  effortDays: 'effort_days',
  updatedAt: 'updated_at',
  createdAt: 'created_at',
  title: 'title',
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The restore minutes of the links in a window, summed in SQL the way {@link linkMinutes} counts one link: a resolved
 * incident its restore minutes, an ongoing one the minutes from its start to now (never below zero). The two `?` are
 * now, in milliseconds.
 */
const WINDOW_MINUTES_SQL = `sum(case when resolved_at is null then (case when created_ms < ? then (? - created_ms) / 60000.0 else 0 end) else restore_minutes end)`;

/** The minutes one linked incident has cost by `nowMs`: see {@link MeasuredInterest}. */
function linkMinutes(row: LinkRow, nowMs: number): number {
  if (row.resolved_at !== null) return Number(row.restore_minutes ?? 0);
  return Math.max(0, (nowMs - Number(row.created_ms)) / MINUTE_MS);
}

function rowToIncident(row: LinkRow): DebtItemIncident {
  return {
    incidentId: row.incident_id,
    entityRef: row.entity_ref,
    createdAt: toIso(row.created_at),
    resolvedAt: row.resolved_at === null ? null : toIso(row.resolved_at),
    severity: row.severity,
    restoreMinutes:
      row.restore_minutes === null ? null : Number(row.restore_minutes),
    postmortemId: row.postmortem_id,
    postmortemUrl: row.postmortem_url,
    title: row.title,
    linkedAt: toIso(row.linked_at),
    linkedBy: row.linked_by,
    updatedAt: toIso(row.updated_at),
  };
}

/** The links created from `startMs` on, their count and their minutes (unrounded). */
function windowOf(links: LinkRow[], startMs: number, nowMs: number) {
  const inWindow = links.filter(l => Number(l.created_ms) >= startMs);
  return {
    links: inWindow,
    minutes: inWindow.reduce((sum, l) => sum + linkMinutes(l, nowMs), 0),
  };
}

/** The snapshot fields of a link, as the API names them, for comparing and for history. */
function snapshotOf(row: LinkRow): IncidentSnapshot {
  const incident = rowToIncident(row);
  return {
    entityRef: incident.entityRef,
    createdAt: incident.createdAt,
    resolvedAt: incident.resolvedAt,
    severity: incident.severity,
    restoreMinutes: incident.restoreMinutes,
    postmortemId: incident.postmortemId,
    postmortemUrl: incident.postmortemUrl,
    title: incident.title,
  };
}

/** The snapshot as stored: restore minutes of a resolved incident derived from its times when not given. */
function storedSnapshot(snapshot: IncidentSnapshot): IncidentSnapshot {
  const restoreMinutes =
    snapshot.resolvedAt === null
      ? null
      : snapshot.restoreMinutes ??
        (Date.parse(snapshot.resolvedAt) - Date.parse(snapshot.createdAt)) /
          MINUTE_MS;
  return { ...snapshot, restoreMinutes };
}

/** Most recent incident first; the id breaks ties so that the order is the same on every database. */
const LINK_ORDER = [
  { column: 'created_ms', order: 'desc' as const },
  { column: 'incident_id', order: 'asc' as const },
];

/** Field name in the API → column in the items table, for the editable fields. */
const FIELD_COLUMNS: Record<keyof DebtItemFields, keyof ItemRow> = {
  title: 'title',
  description: 'description',
  category: 'category',
  impact: 'impact',
  effortDays: 'effort_days',
  interestHoursPerMonth: 'interest_hours',
  status: 'status',
  assignee: 'assignee',
  trackerUrl: 'tracker_url',
  tags: 'tags',
};

/** Reads a timestamp column the way each database driver returns it. */
export function toIso(value: Date | string | number): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  // SQLite may hand back 'YYYY-MM-DD HH:MM:SS' (UTC) for values written by the database itself.
  const text =
    /^\d{4}-\d{2}-\d{2} \d/.test(value) && !/[zZ]|[+-]\d\d:?\d\d$/.test(value)
      ? `${value.replace(' ', 'T')}Z`
      : value;
  return new Date(text).toISOString();
}

/** The item fields of a row, without what its links add. */
type ItemFieldsOfRow = Omit<
  DebtItem,
  'incidentCount' | 'incidents' | 'measuredInterest'
>;

/**
 * An item with its links: every one unless `limit` (for lists), and its measured interest at `nowMs`. `links` are
 * all of the item's links, in {@link LINK_ORDER}.
 */
function rowToItem(
  row: ItemRow,
  links: LinkRow[],
  nowMs: number,
  limit?: number,
): DebtItem {
  const window = windowOf(
    links,
    nowMs - MEASURED_INTEREST_WINDOW_DAYS * DAY_MS,
    nowMs,
  );
  const measuredInterest: MeasuredInterest = {
    windowDays: MEASURED_INTEREST_WINDOW_DAYS,
    incidents: window.links.length,
    restoreMinutes: Math.round(window.minutes),
  };
  return {
    ...itemFieldsOf(row),
    incidentCount: links.length,
    incidents: (limit === undefined ? links : links.slice(0, limit)).map(
      rowToIncident,
    ),
    measuredInterest,
  };
}

function itemFieldsOf(row: ItemRow): ItemFieldsOfRow {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref,
    systemRef: row.system_ref,
    title: row.title,
    description: row.description,
    category: row.category as DebtItem['category'],
    impact: Number(row.impact),
    effortDays: Number(row.effort_days),
    interestHoursPerMonth:
      row.interest_hours === null ? null : Number(row.interest_hours),
    status: row.status as DebtItem['status'],
    assignee: row.assignee,
    trackerUrl: row.tracker_url,
    tags: JSON.parse(row.tags),
    priority: Number(row.priority),
    version: Number(row.version),
    createdAt: toIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: toIso(row.updated_at),
    updatedBy: row.updated_by,
    resolvedAt: row.resolved_at === null ? null : toIso(row.resolved_at),
  };
}

function rowToEvent(row: EventRow): DebtItemEvent {
  return {
    id: Number(row.id),
    itemId: row.item_id,
    entityRef: row.entity_ref,
    action: row.action as DebtItemEvent['action'],
    actor: row.actor,
    at: toIso(row.occurred_at),
    changes: JSON.parse(row.changes),
  };
}

function fieldsOf(item: ItemFieldsOfRow): DebtItemFields {
  return {
    title: item.title,
    description: item.description,
    category: item.category,
    impact: item.impact,
    effortDays: item.effortDays,
    interestHoursPerMonth: item.interestHoursPerMonth,
    status: item.status,
    assignee: item.assignee,
    trackerUrl: item.trackerUrl,
    tags: item.tags,
  };
}

function createdEvent(row: ItemRow, actor: string) {
  return {
    item_id: row.id,
    entity_ref: row.entity_ref,
    action: 'created',
    actor,
    occurred_at: row.created_at,
    changes: JSON.stringify(
      Object.fromEntries(
        Object.entries(fieldsOf(itemFieldsOf(row))).map(([k, v]) => [
          k,
          { from: null, to: v },
        ]),
      ),
    ),
  };
}

/** Escapes LIKE wildcards (and the escape character itself) so that the text matches literally. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, c => `\\${c}`);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The tech-debt register on knex: SQLite, PostgreSQL and MySQL. */
export class DatabaseTechDebtStore implements TechDebtStore {
  static async create(options: {
    database: DatabaseService;
    /** The time measured interest is computed at; the current time unless given (tests). */
    now?: () => Date;
  }): Promise<DatabaseTechDebtStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseTechDebtStore(client, options.now ?? (() => new Date()));
  }

  private constructor(
    private readonly db: Knex,
    private readonly now: () => Date,
  ) {}

  /** All links of these items, in {@link LINK_ORDER}, by item id. */
  private async linksOf(
    itemIds: string[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<Map<string, LinkRow[]>> {
    const byItem = new Map<string, LinkRow[]>();
    for (const ids of chunks(itemIds, 500)) {
      const rows = await db<LinkRow>('tech_debt_item_incidents')
        .whereIn('item_id', ids)
        .orderBy(LINK_ORDER);
      for (const row of rows) {
        const list = byItem.get(row.item_id) ?? [];
        list.push(row);
        byItem.set(row.item_id, list);
      }
    }
    return byItem;
  }

  /** Items with their links and measured interest, computed at one instant for all of them. */
  private async withIncidents(
    rows: ItemRow[],
    options: { limit?: number; db?: Knex | Knex.Transaction } = {},
  ): Promise<DebtItem[]> {
    if (rows.length === 0) return [];
    const nowMs = this.now().getTime();
    const links = await this.linksOf(
      rows.map(r => r.id),
      options.db,
    );
    return rows.map(row =>
      rowToItem(row, links.get(row.id) ?? [], nowMs, options.limit),
    );
  }

  async createItem(item: NewDebtItem, actor: string): Promise<DebtItem> {
    const now = new Date();
    const row = this.newRow(
      item,
      actor,
      now,
      item.status === 'resolved' ? now : null,
    );
    await this.db.transaction(async tx => {
      await tx('tech_debt_items').insert(row);
      await tx('tech_debt_item_events').insert(createdEvent(row, actor));
    });
    return rowToItem(row, [], this.now().getTime());
  }

  async importItems(
    items: Array<NewDebtItem & { createdAt?: Date; resolvedAt?: Date | null }>,
    actor: string,
    options?: { withHistory?: boolean },
  ): Promise<void> {
    const now = new Date();
    const rows = items.map(item =>
      this.newRow(
        item,
        actor,
        item.createdAt ?? now,
        item.resolvedAt ?? (item.status === 'resolved' ? now : null),
      ),
    );
    // Small chunks keep every driver under its bound-parameter limit (SQLite: 32766).
    await this.db.transaction(async tx => {
      await tx.batchInsert('tech_debt_items', rows, 500);
      if (options?.withHistory) {
        await tx.batchInsert(
          'tech_debt_item_events',
          rows.map(row => createdEvent(row, actor)),
          500,
        );
      }
    });
  }

  async hasHistory(): Promise<boolean> {
    const row = await this.db('tech_debt_item_events').first('id');
    return row !== undefined;
  }

  private newRow(
    item: NewDebtItem,
    actor: string,
    createdAt: Date,
    resolvedAt: Date | null,
  ): ItemRow {
    return {
      id: randomUUID(),
      entity_ref: item.entityRef,
      owner_ref: item.ownerRef,
      system_ref: item.systemRef,
      title: item.title,
      description: item.description,
      category: item.category,
      impact: item.impact,
      effort_days: item.effortDays,
      interest_hours: item.interestHoursPerMonth,
      priority: computePriority(item),
      status: item.status,
      assignee: item.assignee,
      tracker_url: item.trackerUrl,
      tags: JSON.stringify(item.tags),
      version: 1,
      created_at: createdAt,
      created_by: actor,
      updated_at: createdAt,
      updated_by: actor,
      resolved_at: resolvedAt,
    };
  }

  async getItem(id: string): Promise<DebtItem | undefined> {
    const row = await this.db<ItemRow>('tech_debt_items').where({ id }).first();
    return row ? (await this.withIncidents([row]))[0] : undefined;
  }

  async updateItem(
    id: string,
    patch: Partial<DebtItemFields>,
    expectedVersion: number,
    actor: string,
  ): Promise<DebtItem> {
    return this.db.transaction(async tx => {
      const current = await tx<ItemRow>('tech_debt_items')
        .where({ id })
        .first();
      if (!current) {
        throw new NotFoundError(`No debt item with id '${id}'`);
      }
      if (Number(current.version) !== expectedVersion) {
        throw new ConflictError(
          `Debt item '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
        );
      }
      const before = itemFieldsOf(current);
      const beforeFields = fieldsOf(before);
      const after: DebtItemFields = { ...beforeFields };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(patch) as Array<
        [keyof DebtItemFields, unknown]
      >) {
        if (value === undefined) continue;
        if (!sameValue(beforeFields[key], value)) {
          changes[key] = { from: beforeFields[key], to: value };
          (after as any)[key] = value;
        }
      }
      if (Object.keys(changes).length === 0) {
        return (await this.withIncidents([current], { db: tx }))[0];
      }

      const now = new Date();
      const update: Partial<ItemRow> = {
        version: before.version + 1,
        updated_at: now,
        updated_by: actor,
        priority: computePriority(after),
      };
      for (const key of Object.keys(changes) as Array<keyof DebtItemFields>) {
        const column = FIELD_COLUMNS[key];
        (update as any)[column] =
          key === 'tags' ? JSON.stringify(after.tags) : after[key];
      }
      if (changes.status) {
        update.resolved_at = after.status === 'resolved' ? now : null;
      }
      const count = await tx('tech_debt_items')
        .where({ id, version: expectedVersion })
        .update(update);
      if (count !== 1) {
        throw new ConflictError(
          `Debt item '${id}' was changed concurrently; reload and try again`,
        );
      }
      await tx('tech_debt_item_events').insert({
        item_id: id,
        entity_ref: before.entityRef,
        action: 'updated',
        actor,
        occurred_at: now,
        changes: JSON.stringify(changes),
      });
      const row = await tx<ItemRow>('tech_debt_items').where({ id }).first();
      return (await this.withIncidents([row!], { db: tx }))[0];
    });
  }

  async deleteItem(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<DebtItem> {
    return this.db.transaction(async tx => {
      const current = await tx<ItemRow>('tech_debt_items')
        .where({ id })
        .first();
      if (!current) {
        throw new NotFoundError(`No debt item with id '${id}'`);
      }
      if (Number(current.version) !== expectedVersion) {
        throw new ConflictError(
          `Debt item '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
        );
      }
      const [item] = await this.withIncidents([current], { db: tx });
      const count = await tx('tech_debt_items')
        .where({ id, version: expectedVersion })
        .delete();
      if (count !== 1) {
        throw new ConflictError(
          `Debt item '${id}' was changed concurrently; reload and try again`,
        );
      }
      // The links go with the item; its history keeps every link and unlink.
      await tx('tech_debt_item_incidents').where({ item_id: id }).delete();
      await tx('tech_debt_item_events').insert({
        item_id: id,
        entity_ref: item.entityRef,
        action: 'deleted',
        actor,
        occurred_at: new Date(),
        changes: JSON.stringify(
          Object.fromEntries(
            Object.entries(fieldsOf(item)).map(([k, v]) => [
              k,
              { from: v, to: null },
            ]),
          ),
        ),
      });
      return item;
    });
  }

  private applyFilter(query: Knex.QueryBuilder, filter: ItemFilter) {
    if (filter.ids?.length) query.whereIn('tech_debt_items.id', filter.ids);
    if (filter.entityRefs?.length)
      query.whereIn('entity_ref', filter.entityRefs);
    if (filter.ownerRefs?.length) query.whereIn('owner_ref', filter.ownerRefs);
    if (filter.systemRefs?.length)
      query.whereIn('system_ref', filter.systemRefs);
    if (filter.statuses?.length) query.whereIn('status', filter.statuses);
    if (filter.categories?.length) query.whereIn('category', filter.categories);
    if (filter.tag) {
      // Tags are stored as a JSON array; match the whole quoted tag, with LIKE wildcards in it taken literally.
      const quoted = escapeLike(
        JSON.stringify(filter.tag.toLocaleLowerCase('en-US')),
      );
      query.whereRaw(`tags like ? escape '\\'`, [`%${quoted}%`]);
    }
    if (filter.search) {
      const escaped = escapeLike(filter.search.toLocaleLowerCase('en-US'));
      query.whereRaw(`lower(title) like ? escape '\\'`, [`%${escaped}%`]);
    }
    return query;
  }

  async listItems(options: ListItemsOptions): Promise<DebtItemPage> {
    const now = this.now();
    const statuses = options.statuses?.length
      ? options.statuses
      : DEBT_STATUSES;
    const isClosed = (status: DebtStatus) => CLOSED_STATUSES.includes(status);
    const query = this.applyFilter(
      this.db<ItemRow>('tech_debt_items'),
      options,
    );
    // Closed items come after the others whatever the sort. Only when the filter lets both
    // kinds through: otherwise every row ranks alike, and the (status, priority) indexes keep serving the order.
    if (statuses.some(isClosed) && !statuses.every(isClosed)) {
      query.orderByRaw(
        `case when status in (${CLOSED_STATUSES.map(() => '?').join(
          ', ',
        )}) then 1 else 0 end`,
        CLOSED_STATUSES,
      );
    }
    if (options.orderBy === 'measuredInterest') {
      this.orderByMeasuredInterest(query, options.order, now.getTime());
    } else {
      query.orderBy([
        { column: ORDER_COLUMNS[options.orderBy], order: options.order },
        { column: 'id', order: 'asc' },
      ]);
    }
    const rowsQuery = query.limit(options.limit).offset(options.offset);
    const countQuery = this.applyFilter(
      this.db('tech_debt_items'),
      options,
    ).count({
      count: '*',
    });
    const [rows, [{ count }]] = await Promise.all([rowsQuery, countQuery]);
    return {
      items: await this.withIncidents(rows as ItemRow[], {
        limit: LIST_INCIDENTS_PER_ITEM,
      }),
      totalCount: Number(count),
    };
  }

  /**
   * Sorts by measured interest: linked incidents of the window, then their restore minutes (both in `order`), then
   * priority (highest first) and id. The same figures as {@link rowToItem} reports, computed in SQL so that paging works.
   */
  private orderByMeasuredInterest(
    query: Knex.QueryBuilder,
    order: 'asc' | 'desc',
    nowMs: number,
  ) {
    const startMs = nowMs - MEASURED_INTEREST_WINDOW_DAYS * DAY_MS;
    const measured = this.db('tech_debt_item_incidents')
      .select('item_id')
      .count({ mi_incidents: '*' })
      .select(
        this.db.raw(`${WINDOW_MINUTES_SQL} as mi_minutes`, [nowMs, nowMs]),
      )
      .where('created_ms', '>=', startMs)
      .groupBy('item_id')
      .as('mi');
    const direction = order === 'asc' ? 'asc' : 'desc';
    query
      .select('tech_debt_items.*')
      .leftJoin(measured, 'mi.item_id', 'tech_debt_items.id')
      .orderByRaw(`coalesce(mi.mi_incidents, 0) ${direction}`)
      .orderByRaw(`coalesce(mi.mi_minutes, 0) ${direction}`)
      .orderBy([
        { column: 'tech_debt_items.priority', order: 'desc' },
        { column: 'tech_debt_items.id', order: 'asc' },
      ]);
  }

  async listItemEvents(id: string): Promise<DebtItemEvent[]> {
    const rows = await this.db<EventRow>('tech_debt_item_events')
      .where({ item_id: id })
      .orderBy('id', 'desc');
    return rows.map(rowToEvent);
  }

  async getSummary(entityRef: string): Promise<EntityDebtSummary> {
    const base = () =>
      this.db('tech_debt_items')
        .where({ entity_ref: entityRef })
        .whereIn('status', UNRESOLVED_STATUSES as string[]);
    const [[totals], top] = await Promise.all([
      base()
        .count({ count: '*' })
        .sum({ effort: 'effort_days', interest: 'interest_hours' }),
      base()
        .select('*')
        .orderBy([
          { column: 'priority', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(3),
    ]);
    return {
      entityRef,
      openCount: Number(totals.count),
      openEffortDays: Number(totals.effort ?? 0),
      openInterestHoursPerMonth: Number(totals.interest ?? 0),
      top: await this.withIncidents(top as ItemRow[], {
        limit: LIST_INCIDENTS_PER_ITEM,
      }),
    };
  }

  async getFacets(): Promise<DebtFacets> {
    const [owners, systems, tagRows] = await Promise.all([
      this.db('tech_debt_items')
        .distinct('owner_ref')
        .whereNotNull('owner_ref')
        .orderBy('owner_ref'),
      this.db('tech_debt_items')
        .distinct('system_ref')
        .whereNotNull('system_ref')
        .orderBy('system_ref'),
      this.db('tech_debt_items')
        .distinct('tags')
        .whereNot('tags', '[]')
        .limit(5000),
    ]);
    const tags = new Set<string>();
    for (const row of tagRows)
      for (const tag of JSON.parse(row.tags)) tags.add(tag);
    return {
      owners: owners.map(r => r.owner_ref),
      systems: systems.map(r => r.system_ref),
      tags: [...tags].sort(),
    };
  }

  async countItems(): Promise<number> {
    const [{ count }] = await this.db('tech_debt_items').count({ count: '*' });
    return Number(count);
  }

  async listEntityRefs(options: {
    after?: string;
    limit: number;
  }): Promise<string[]> {
    const query = this.db('tech_debt_items')
      .distinct('entity_ref')
      .orderBy('entity_ref')
      .limit(options.limit);
    if (options.after) query.where('entity_ref', '>', options.after);
    return (await query).map(r => r.entity_ref);
  }

  async updatePlacements(placements: CatalogPlacement[]): Promise<number> {
    let changed = 0;
    await this.db.transaction(async tx => {
      for (const p of placements) {
        changed += await tx('tech_debt_items')
          .where({ entity_ref: p.entityRef })
          .andWhere(q =>
            q
              .whereRaw('coalesce(owner_ref, ?) <> ?', ['', p.ownerRef ?? ''])
              .orWhereRaw('coalesce(system_ref, ?) <> ?', [
                '',
                p.systemRef ?? '',
              ]),
          )
          .update({ owner_ref: p.ownerRef, system_ref: p.systemRef });
      }
    });
    return changed;
  }

  async getIncidentLink(
    itemId: string,
    incidentId: string,
  ): Promise<DebtItemIncident | undefined> {
    const row = await this.db<LinkRow>('tech_debt_item_incidents')
      .where({ item_id: itemId, incident_id: incidentId })
      .first();
    return row ? rowToIncident(row) : undefined;
  }

  async linkIncident(
    itemId: string,
    incidentId: string,
    snapshot: IncidentSnapshot,
    actor: string,
    options?: { refreshOnly?: boolean },
  ): Promise<{ outcome: LinkOutcome; incidents: DebtItemIncident[] }> {
    const next = storedSnapshot(snapshot);
    const key = { item_id: itemId, incident_id: incidentId };
    const values = {
      entity_ref: next.entityRef,
      created_at: new Date(next.createdAt),
      created_ms: Date.parse(next.createdAt),
      resolved_at: next.resolvedAt === null ? null : new Date(next.resolvedAt),
      restore_minutes: next.restoreMinutes,
      severity: next.severity,
      title: next.title,
      postmortem_id: next.postmortemId,
      postmortem_url: next.postmortemUrl,
    };
    return this.db.transaction(async tx => {
      const item = await tx<ItemRow>('tech_debt_items')
        .where({ id: itemId })
        .first('id', 'entity_ref');
      if (!item) throw new NotFoundError(`No debt item with id '${itemId}'`);
      const now = new Date();
      const event = (
        action: string,
        changes: Record<string, { from: unknown; to: unknown }>,
      ) =>
        tx('tech_debt_item_events').insert({
          item_id: itemId,
          entity_ref: item.entity_ref,
          action,
          actor,
          occurred_at: now,
          changes: JSON.stringify(changes),
        });

      let current = await tx<LinkRow>('tech_debt_item_incidents')
        .where(key)
        .first();
      let outcome: LinkOutcome | undefined;
      if (!current) {
        if (options?.refreshOnly) {
          throw new NotFoundError(
            `Incident '${incidentId}' is not linked to debt item '${itemId}'`,
          );
        }
        try {
          // In a savepoint: when a concurrent request linked the same incident first, the refresh below takes over.
          await tx.transaction(sp =>
            sp('tech_debt_item_incidents').insert({
              ...key,
              ...values,
              linked_at: now,
              linked_by: actor,
              updated_at: now,
              updated_by: actor,
            }),
          );
          outcome = 'linked';
        } catch (error) {
          current = await tx<LinkRow>('tech_debt_item_incidents')
            .where(key)
            .first();
          if (!current) throw error;
        }
      }
      if (outcome === 'linked') {
        await event('linked', {
          incidentId: { from: null, to: incidentId },
          ...Object.fromEntries(
            Object.entries(next)
              .filter(([, v]) => v !== null)
              .map(([k, v]) => [k, { from: null, to: v }]),
          ),
        });
      } else {
        const before = snapshotOf(current!);
        const changes = Object.fromEntries(
          (Object.keys(next) as Array<keyof IncidentSnapshot>)
            .filter(k => !sameValue(before[k], next[k]))
            .map(k => [k, { from: before[k], to: next[k] }]),
        );
        if (Object.keys(changes).length === 0) {
          outcome = 'unchanged';
        } else {
          await tx('tech_debt_item_incidents')
            .where(key)
            .update({ ...values, updated_at: now, updated_by: actor });
          await event('link_refreshed', {
            incidentId: { from: incidentId, to: incidentId },
            ...changes,
          });
          outcome = 'refreshed';
        }
      }
      const links = await this.linksOf([itemId], tx);
      return {
        outcome,
        incidents: (links.get(itemId) ?? []).map(rowToIncident),
      };
    });
  }

  async unlinkIncident(
    itemId: string,
    incidentId: string,
    actor: string,
  ): Promise<DebtItemIncident> {
    return this.db.transaction(async tx => {
      const key = { item_id: itemId, incident_id: incidentId };
      const current = await tx<LinkRow>('tech_debt_item_incidents')
        .where(key)
        .first();
      const item = await tx<ItemRow>('tech_debt_items')
        .where({ id: itemId })
        .first('entity_ref');
      if (!current || !item) {
        throw new NotFoundError(
          `Incident '${incidentId}' is not linked to debt item '${itemId}'`,
        );
      }
      const count = await tx('tech_debt_item_incidents').where(key).delete();
      if (count !== 1) {
        throw new NotFoundError(
          `Incident '${incidentId}' is not linked to debt item '${itemId}'`,
        );
      }
      const link = rowToIncident(current);
      await tx('tech_debt_item_events').insert({
        item_id: itemId,
        entity_ref: item.entity_ref,
        action: 'unlinked',
        actor,
        occurred_at: new Date(),
        changes: JSON.stringify({
          incidentId: { from: incidentId, to: null },
          ...(link.postmortemId
            ? { postmortemId: { from: link.postmortemId, to: null } }
            : {}),
        }),
      });
      return link;
    });
  }

  async getRepeatIncidents(options: {
    ownerRefs?: string[];
    days: number;
    minIncidents: number;
  }): Promise<RepeatIncidentsReport> {
    const now = this.now();
    const nowMs = now.getTime();
    const startMs = nowMs - options.days * DAY_MS;
    const repeated = this.db('tech_debt_item_incidents')
      .select('item_id')
      .where('created_ms', '>=', startMs)
      .groupBy('item_id')
      .havingRaw('count(*) >= ?', [options.minIncidents]);
    const query = this.db('tech_debt_item_incidents as l')
      .join('tech_debt_items as i', 'i.id', 'l.item_id')
      .select(
        'l.*',
        'i.title as item_title',
        'i.entity_ref as item_entity_ref',
        'i.owner_ref as item_owner_ref',
        'i.status as item_status',
        'i.priority as item_priority',
        'i.interest_hours as item_interest_hours',
      )
      .where('l.created_ms', '>=', startMs)
      .whereIn('i.status', UNRESOLVED_STATUSES as string[])
      .whereIn('l.item_id', repeated)
      .orderBy([
        { column: 'l.item_id', order: 'asc' },
        { column: 'l.created_ms', order: 'desc' },
        { column: 'l.incident_id', order: 'asc' },
      ]);
    if (options.ownerRefs?.length) {
      query.whereIn('i.owner_ref', options.ownerRefs);
    }
    const rows = (await query) as Array<
      LinkRow & {
        item_title: string;
        item_entity_ref: string;
        item_owner_ref: string | null;
        item_status: string;
        item_priority: number;
        item_interest_hours: number | null;
      }
    >;

    type Item = RepeatIncidentItem & {
      ownerRef: string | null;
      minutes: number;
      rows: LinkRow[];
    };
    const items = new Map<string, Item>();
    for (const row of rows) {
      let item = items.get(row.item_id);
      if (!item) {
        item = {
          id: row.item_id,
          title: row.item_title,
          entityRef: row.item_entity_ref,
          ownerRef: row.item_owner_ref,
          status: row.item_status as DebtStatus,
          priority: Number(row.item_priority),
          interestHoursPerMonth:
            row.item_interest_hours === null
              ? null
              : Number(row.item_interest_hours),
          incidents: 0,
          restoreMinutes: 0,
          links: [],
          minutes: 0,
          rows: [],
        };
        items.set(row.item_id, item);
      }
      item.rows.push(row);
      item.links.push(rowToIncident(row));
      item.incidents += 1;
      item.minutes += linkMinutes(row, nowMs);
    }
    const byMeasure = <T extends { incidents: number; minutes: number }>(
      a: T,
      b: T,
    ) => b.incidents - a.incidents || b.minutes - a.minutes;

    const teams = new Map<string | null, Item[]>();
    for (const item of items.values()) {
      item.restoreMinutes = Math.round(item.minutes);
      teams.set(item.ownerRef, [...(teams.get(item.ownerRef) ?? []), item]);
    }
    const report = [...teams].map(([ownerRef, teamItems]) => {
      // Each incident once, with its most recently updated snapshot.
      const incidents = new Map<string, LinkRow>();
      for (const row of teamItems.flatMap(i => i.rows)) {
        const seen = incidents.get(row.incident_id);
        if (
          !seen ||
          Date.parse(toIso(row.updated_at)) > Date.parse(toIso(seen.updated_at))
        )
          incidents.set(row.incident_id, row);
      }
      const minutes = [...incidents.values()].reduce(
        (sum, row) => sum + linkMinutes(row, nowMs),
        0,
      );
      const sorted = teamItems.sort(
        (a, b) =>
          byMeasure(a, b) || b.priority - a.priority || (a.id < b.id ? -1 : 1),
      );
      return {
        ownerRef,
        incidents: incidents.size,
        minutes,
        items: sorted.map(
          ({ minutes: _m, rows: _r, ownerRef: _o, ...item }) => item,
        ),
      };
    });
    return {
      windowDays: options.days,
      minIncidents: options.minIncidents,
      from: new Date(startMs).toISOString(),
      to: now.toISOString(),
      teams: report
        .sort(
          (a, b) =>
            byMeasure(a, b) ||
            (a.ownerRef ?? '\uffff').localeCompare(b.ownerRef ?? '\uffff'),
        )
        .map(
          ({ minutes, ...team }): RepeatIncidentTeam => ({
            ...team,
            restoreMinutes: Math.round(minutes),
          }),
        ),
    };
  }

  async getBudget(groupRef: string, quarter: string): Promise<DebtBudget> {
    const { start, end } = quarterRange(quarter);
    const [row, [paid]] = await Promise.all([
      this.db<BudgetRow>('tech_debt_budgets')
        .where({ group_ref: groupRef, quarter })
        .first(),
      this.db('tech_debt_items')
        .where({ owner_ref: groupRef, status: 'resolved' })
        .andWhere('resolved_at', '>=', start)
        .andWhere('resolved_at', '<', end)
        .count({ count: '*' })
        .sum({ effort: 'effort_days' }),
    ]);
    const capacityDays = row ? Number(row.capacity_days) : null;
    const sharePercent = row ? Number(row.share_percent) : null;
    return {
      groupRef,
      quarter,
      capacityDays,
      sharePercent,
      reservedDays:
        capacityDays === null || sharePercent === null
          ? null
          : Math.round(capacityDays * sharePercent) / 100,
      paidDownDays: Number(paid.effort ?? 0),
      resolvedCount: Number(paid.count),
      version: row ? Number(row.version) : null,
      updatedAt: row ? toIso(row.updated_at) : null,
      updatedBy: row ? row.updated_by : null,
    };
  }

  async putBudget(
    budget: {
      groupRef: string;
      quarter: string;
      capacityDays: number;
      sharePercent: number;
    },
    expectedVersion: number | undefined,
    actor: string,
  ): Promise<DebtBudget> {
    const key = { group_ref: budget.groupRef, quarter: budget.quarter };
    const values = {
      capacity_days: budget.capacityDays,
      share_percent: budget.sharePercent,
      updated_at: new Date(),
      updated_by: actor,
    };
    await this.db.transaction(async tx => {
      const current = await tx<BudgetRow>('tech_debt_budgets')
        .where(key)
        .first();
      if (!current) {
        if (expectedVersion !== undefined) {
          throw new ConflictError(
            `The ${budget.quarter} budget of ${budget.groupRef} was removed since you loaded it; reload and try again`,
          );
        }
        try {
          await tx('tech_debt_budgets').insert({
            ...key,
            ...values,
            version: 1,
          });
        } catch (error) {
          throw new ConflictError(
            `The ${budget.quarter} budget of ${budget.groupRef} was just set by someone else; reload and try again`,
          );
        }
        return;
      }
      if (
        expectedVersion === undefined ||
        Number(current.version) !== expectedVersion
      ) {
        throw new ConflictError(
          `The ${budget.quarter} budget of ${budget.groupRef} was changed by ${current.updated_by} since you loaded it; reload and try again`,
        );
      }
      const count = await tx('tech_debt_budgets')
        .where({ ...key, version: expectedVersion })
        .update({ ...values, version: expectedVersion + 1 });
      if (count !== 1) {
        throw new ConflictError(
          'The budget was changed concurrently; reload and try again',
        );
      }
    });
    return this.getBudget(budget.groupRef, budget.quarter);
  }
}
