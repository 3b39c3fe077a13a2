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
  DebtItemPage,
  EntityDebtSummary,
  DebtFacets,
  quarterRange,
  DEBT_STATUSES,
  DebtStatus,
  UNRESOLVED_STATUSES,
} from '@vitals/plugin-tech-debt-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  CatalogPlacement,
  DebtItemFields,
  ItemFilter,
  ListItemsOptions,
  NewDebtItem,
  TechDebtStore,
} from './TechDebtStore';
import { migrateToLatest } from '@vitals/backend-common';

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

const ORDER_COLUMNS: Record<ListItemsOptions['orderBy'], string> = {
  priority: 'priority',
  impact: 'impact',
  effortDays: 'effort_days',
  updatedAt: 'updated_at',
  createdAt: 'created_at',
  title: 'title',
};

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

function rowToItem(row: ItemRow): DebtItem {
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

function fieldsOf(item: DebtItem): DebtItemFields {
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
        Object.entries(fieldsOf(rowToItem(row))).map(([k, v]) => [
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
  }): Promise<DatabaseTechDebtStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseTechDebtStore(client);
  }

  private constructor(private readonly db: Knex) {}

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
    return rowToItem(row);
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
    return row ? rowToItem(row) : undefined;
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
      const before = rowToItem(current);
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
        return before;
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
      return rowToItem(row!);
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
      const count = await tx('tech_debt_items')
        .where({ id, version: expectedVersion })
        .delete();
      if (count !== 1) {
        throw new ConflictError(
          `Debt item '${id}' was changed concurrently; reload and try again`,
        );
      }
      const item = rowToItem(current);
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
    const column = ORDER_COLUMNS[options.orderBy];
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
    const rowsQuery = query
      .orderBy([
        { column, order: options.order },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    const countQuery = this.applyFilter(
      this.db('tech_debt_items'),
      options,
    ).count({
      count: '*',
    });
    const [rows, [{ count }]] = await Promise.all([rowsQuery, countQuery]);
    return { items: rows.map(rowToItem), totalCount: Number(count) };
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
      top: (top as ItemRow[]).map(rowToItem),
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
