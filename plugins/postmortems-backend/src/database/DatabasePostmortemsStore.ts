import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { chunks } from '@vitals/backend-common';
import {
  ActionItemDebt,
  PostmortemFieldChange,
  PostmortemHistoryAction,
  PostmortemHistoryEntry,
  PostmortemStatus,
} from '@vitals/plugin-postmortems-common';
import { UNRESOLVED_STATUSES } from '@vitals/plugin-tech-debt-common';
import { Knex } from 'knex';
import { PostmortemFilter } from '../permissions/rules';
import {
  ActionItemRecord,
  CoverageCounts,
  DebtSnapshot,
  FigureOptions,
  IncidentRecord,
  IncidentWithPostmortemRecord,
  MissingPostmortemRecord,
  NewPostmortem,
  OverdueActionItemRecord,
  PostmortemPatch,
  PostmortemRecord,
  PostmortemsStore,
  PostmortemSummaryRecord,
  Qualifying,
  ReadFilter,
  SyncedIncident,
} from './PostmortemsStore';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-postmortems-backend',
  'migrations',
);

/** Rows per insert and ids per `IN (...)`: well under every database's limit of bound parameters. */
const BATCH = 500;

type Int = number | string;
const num = (value: Int): number => Number(value);
const numOrNull = (value: Int | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);

interface IncidentRow {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  created_at: Int;
  resolved_at: Int | null;
  severity: string | null;
  severity_key: string | null;
  url: string | null;
  deployment_id: string | null;
  restore_minutes: Int | null;
}

/** The incident columns, prefixed `i_` where a postmortem is selected beside them. */
const INCIDENT_COLUMNS = [
  'id',
  'entity_ref',
  'owner_ref',
  'created_at',
  'resolved_at',
  'severity',
  'url',
  'deployment_id',
  'restore_minutes',
] as const;
const prefixedIncidentColumns = INCIDENT_COLUMNS.map(c => `i.${c} as i_${c}`);

function incidentOf(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref,
    createdAt: num(row.created_at),
    resolvedAt: numOrNull(row.resolved_at),
    severity: row.severity,
    url: row.url,
    deploymentId: row.deployment_id,
    restoreMinutes: numOrNull(row.restore_minutes),
  };
}

/** The incident of a row that selected {@link prefixedIncidentColumns}. */
function prefixedIncidentOf(row: Record<string, unknown>): IncidentRecord {
  const unprefixed = Object.fromEntries(
    INCIDENT_COLUMNS.map(c => [c, row[`i_${c}`]]),
  ) as unknown as IncidentRow;
  return incidentOf(unprefixed);
}

interface PostmortemRow {
  id: string;
  incident_id: string;
  entity_ref: string;
  title: string;
  status: PostmortemStatus;
  template_id: string;
  summary?: string;
  customer_impact?: string;
  timeline?: string;
  contributing_factors?: string;
  what_went_well?: string;
  what_was_hard?: string;
  lessons?: string;
  extra_sections?: string;
  version: Int;
  created_at: Int;
  created_by: string;
  updated_at: Int;
  updated_by: string;
  published_at: Int | null;
}

const SUMMARY_COLUMNS = [
  'id',
  'incident_id',
  'entity_ref',
  'title',
  'status',
  'template_id',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'published_at',
].map(c => `p.${c}`);

const SECTION_COLUMNS = {
  summary: 'summary',
  customerImpact: 'customer_impact',
  contributingFactors: 'contributing_factors',
  whatWentWell: 'what_went_well',
  whatWasHard: 'what_was_hard',
  lessons: 'lessons',
} as const;

const OPEN_DEBT_STATUSES = [...UNRESOLVED_STATUSES];

interface ActionItemRow {
  postmortem_id: string;
  debt_item_id: string;
  origin: 'created' | 'linked';
  due_date: string | null;
  added_at: Int;
  added_by: string;
  debt_title: string | null;
  debt_status: string | null;
  debt_entity_ref: string | null;
  debt_owner_ref: string | null;
  debt_assignee: string | null;
  debt_gone: boolean | number;
  debt_checked_at: Int | null;
}

function actionItemOf(row: ActionItemRow): ActionItemRecord {
  const gone = Boolean(row.debt_gone);
  return {
    postmortemId: row.postmortem_id,
    debtItemId: row.debt_item_id,
    origin: row.origin,
    dueDate: row.due_date,
    addedAt: num(row.added_at),
    addedBy: row.added_by,
    debt:
      !gone && row.debt_title !== null && row.debt_status !== null
        ? {
            title: row.debt_title,
            status: row.debt_status as ActionItemDebt['status'],
            entityRef: row.debt_entity_ref ?? '',
            ownerRef: row.debt_owner_ref,
            assignee: row.debt_assignee,
          }
        : null,
    debtGone: gone,
    debtCheckedAt: numOrNull(row.debt_checked_at),
  };
}

function debtColumns(debt: ActionItemDebt | null) {
  return {
    debt_title: debt?.title.slice(0, 200) ?? null,
    debt_status: debt?.status ?? null,
    debt_entity_ref: debt?.entityRef ?? null,
    debt_owner_ref: debt?.ownerRef ?? null,
    debt_assignee: debt?.assignee ?? null,
  };
}

const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(a) === JSON.stringify(b);

/** The knex store of the postmortems plugin: see {@link PostmortemsStore}. */
export class DatabasePostmortemsStore implements PostmortemsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabasePostmortemsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabasePostmortemsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  // Incidents

  async upsertIncidents(
    incidents: SyncedIncident[],
    syncedAt: number,
  ): Promise<string[]> {
    const changed: string[] = [];
    const unique = [...new Map(incidents.map(i => [i.id, i])).values()];
    for (const batch of chunks(unique, BATCH)) {
      const existing = new Map(
        (
          (await this.db('postmortem_incidents')
            .whereIn(
              'id',
              batch.map(i => i.id),
            )
            .select(
              'id',
              'resolved_at',
              'restore_minutes',
              'severity',
            )) as IncidentRow[]
        ).map(r => [r.id, r]),
      );
      for (const incident of batch) {
        const before = existing.get(incident.id);
        if (
          before &&
          (numOrNull(before.resolved_at) !== incident.resolvedAt ||
            numOrNull(before.restore_minutes) !== incident.restoreMinutes ||
            before.severity !== incident.severity)
        ) {
          changed.push(incident.id);
        }
      }
      await this.db('postmortem_incidents')
        .insert(
          batch.map(i => ({
            id: i.id,
            entity_ref: i.entityRef,
            owner_ref: null,
            created_at: i.createdAt,
            resolved_at: i.resolvedAt,
            severity: i.severity,
            severity_key: i.severity?.trim().toLocaleLowerCase('en-US') || null,
            url: i.url,
            deployment_id: i.deploymentId,
            restore_minutes: i.restoreMinutes,
            synced_at: syncedAt,
          })),
        )
        .onConflict('id')
        // The owner is the catalog's, set by setOwners: a re-read from DORA keeps it.
        .merge([
          'entity_ref',
          'created_at',
          'resolved_at',
          'severity',
          'severity_key',
          'url',
          'deployment_id',
          'restore_minutes',
          'synced_at',
        ]);
    }
    return changed;
  }

  async setOwners(owners: Map<string, string | null>): Promise<void> {
    const byOwner = new Map<string | null, string[]>();
    for (const [entityRef, ownerRef] of owners) {
      byOwner.set(ownerRef, [...(byOwner.get(ownerRef) ?? []), entityRef]);
    }
    for (const [ownerRef, entityRefs] of byOwner) {
      for (const batch of chunks(entityRefs, BATCH)) {
        await this.db('postmortem_incidents')
          .whereIn('entity_ref', batch)
          .update({ owner_ref: ownerRef });
      }
    }
  }

  async getIncident(id: string): Promise<IncidentRecord | undefined> {
    const row = await this.db('postmortem_incidents').where({ id }).first();
    return row ? incidentOf(row) : undefined;
  }

  async countIncidents(from: number, to: number): Promise<number> {
    const [{ count }] = await this.db('postmortem_incidents')
      .where('created_at', '>=', from)
      .where('created_at', '<', to)
      .count({ count: '*' });
    return num(count as Int);
  }

  async listEntityIncidents(options: {
    entityRef: string;
    qualifying?: { value: boolean } & Qualifying;
    limit: number;
    offset: number;
  }): Promise<{ items: IncidentWithPostmortemRecord[]; totalCount: number }> {
    const query = this.db('postmortem_incidents as i')
      .leftJoin('postmortems as p', 'p.incident_id', 'i.id')
      .where('i.entity_ref', options.entityRef);
    if (options.qualifying) {
      const { value, ...qualifying } = options.qualifying;
      if (value) query.where(q => this.whereQualifying(q, qualifying));
      else query.whereNot(q => this.whereQualifying(q, qualifying));
    }
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy([
          { column: 'i.created_at', order: 'desc' },
          { column: 'i.id', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset)
        .select(
          ...prefixedIncidentColumns,
          'p.id as p_id',
          'p.status as p_status',
          'p.title as p_title',
        ),
      query.clone().count({ count: '*' }),
    ]);
    const authors = await this.authorsOf(
      rows
        .map((r: { p_id: string | null }) => r.p_id)
        .filter((id: string | null): id is string => !!id),
    );
    return {
      items: rows.map((row: Record<string, any>) => ({
        incident: prefixedIncidentOf(row),
        postmortem: row.p_id
          ? {
              id: row.p_id,
              status: row.p_status,
              title: row.p_title,
              authors: authors.get(row.p_id) ?? [],
            }
          : null,
      })),
      totalCount: num(count as Int),
    };
  }

  async getSyncState(name: string): Promise<number | undefined> {
    const row = await this.db('postmortem_sync_state').where({ name }).first();
    return row ? num(row.value) : undefined;
  }

  async setSyncState(name: string, value: number): Promise<void> {
    await this.db('postmortem_sync_state')
      .insert({ name, value })
      .onConflict('name')
      .merge(['value']);
  }

  // Postmortems

  async createPostmortem(
    postmortem: NewPostmortem,
    actor: string,
    now: number,
  ): Promise<PostmortemRecord> {
    await this.db.transaction(async tx => {
      const taken = await tx('postmortems')
        .where('incident_id', postmortem.incidentId)
        .first('id');
      if (taken) throw this.incidentTaken(postmortem.incidentId, taken.id);
      try {
        await tx('postmortems').insert({
          id: postmortem.id,
          incident_id: postmortem.incidentId,
          entity_ref: postmortem.entityRef,
          title: postmortem.title,
          status: 'draft',
          template_id: postmortem.templateId,
          ...this.sectionColumns(postmortem),
          version: 1,
          created_at: now,
          created_by: actor,
          updated_at: now,
          updated_by: actor,
          published_at: null,
        });
      } catch (error) {
        // Another request started one for the same incident at the same moment: the unique index decided.
        if (/unique|duplicate/i.test(String((error as Error).message))) {
          throw new ConflictError(
            `The incident '${postmortem.incidentId}' already has a postmortem; edit that one`,
          );
        }
        throw error;
      }
      await this.writeAuthors(tx, postmortem.id, postmortem.authors);
      const changes: Record<string, PostmortemFieldChange> = {
        title: { from: null, to: postmortem.title },
        status: { from: null, to: 'draft' },
        templateId: { from: null, to: postmortem.templateId },
        authors: { from: null, to: postmortem.authors },
        incidentId: { from: null, to: postmortem.incidentId },
      };
      await this.appendHistory(
        tx,
        postmortem.id,
        1,
        'created',
        actor,
        now,
        changes,
      );
    });
    return (await this.getPostmortem(postmortem.id))!;
  }

  private incidentTaken(incidentId: string, postmortemId: string) {
    return new ConflictError(
      `The incident '${incidentId}' already has a postmortem (${postmortemId}); edit that one`,
    );
  }

  private sectionColumns(sections: Partial<NewPostmortem>) {
    const columns: Record<string, string> = {};
    for (const [field, column] of Object.entries(SECTION_COLUMNS)) {
      const value = sections[field as keyof typeof SECTION_COLUMNS];
      if (value !== undefined) columns[column] = value;
    }
    if (sections.timeline !== undefined)
      columns.timeline = JSON.stringify(sections.timeline);
    if (sections.extraSections !== undefined)
      columns.extra_sections = JSON.stringify(sections.extraSections);
    return columns;
  }

  private async writeAuthors(
    tx: Knex,
    postmortemId: string,
    authors: string[],
  ) {
    await tx('postmortem_authors')
      .where('postmortem_id', postmortemId)
      .delete();
    if (authors.length) {
      await tx('postmortem_authors').insert(
        authors.map((userRef, position) => ({
          postmortem_id: postmortemId,
          user_ref: userRef,
          position,
        })),
      );
    }
  }

  private async appendHistory(
    tx: Knex,
    postmortemId: string,
    version: number,
    action: PostmortemHistoryAction,
    actor: string,
    at: number,
    changes: Record<string, PostmortemFieldChange>,
  ) {
    await tx('postmortem_history').insert({
      postmortem_id: postmortemId,
      version,
      action,
      actor,
      at,
      changes: JSON.stringify(changes),
    });
  }

  private async authorsOf(ids: string[]): Promise<Map<string, string[]>> {
    const authors = new Map<string, string[]>();
    for (const batch of chunks([...new Set(ids)], BATCH)) {
      const rows = await this.db('postmortem_authors')
        .whereIn('postmortem_id', batch)
        .orderBy(['postmortem_id', 'position'])
        .select('postmortem_id', 'user_ref');
      for (const row of rows) {
        authors.set(row.postmortem_id, [
          ...(authors.get(row.postmortem_id) ?? []),
          row.user_ref,
        ]);
      }
    }
    return authors;
  }

  /** The number of action items of `postmortems as p`, as a column of the row (no query of its own). */
  private actionItemCount() {
    return this.db('postmortem_action_items as c')
      .whereRaw('c.postmortem_id = p.id')
      .count('*')
      .as('action_item_count');
  }

  private async actionItemCountsOf(
    ids: string[],
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const batch of chunks([...new Set(ids)], BATCH)) {
      const rows = await this.db('postmortem_action_items')
        .whereIn('postmortem_id', batch)
        .groupBy('postmortem_id')
        .select('postmortem_id', this.db.raw('count(*) as count'));
      for (const row of rows) counts.set(row.postmortem_id, num(row.count));
    }
    return counts;
  }

  private summaryOf(
    row: PostmortemRow & Record<string, unknown>,
    authors: string[],
    actionItemCount: number,
  ): PostmortemSummaryRecord {
    return {
      id: row.id,
      incidentId: row.incident_id,
      entityRef: row.entity_ref,
      title: row.title,
      status: row.status,
      templateId: row.template_id,
      authors,
      version: num(row.version),
      createdAt: num(row.created_at),
      createdBy: row.created_by,
      updatedAt: num(row.updated_at),
      updatedBy: row.updated_by,
      publishedAt: numOrNull(row.published_at),
      actionItemCount,
      incident: prefixedIncidentOf(row),
    };
  }

  async getPostmortem(id: string): Promise<PostmortemRecord | undefined> {
    const row = await this.db('postmortems as p')
      .join('postmortem_incidents as i', 'i.id', 'p.incident_id')
      .where('p.id', id)
      .first('p.*', ...prefixedIncidentColumns);
    if (!row) return undefined;
    const [authors, counts] = await Promise.all([
      this.authorsOf([id]),
      this.actionItemCountsOf([id]),
    ]);
    return {
      ...this.summaryOf(row, authors.get(id) ?? [], counts.get(id) ?? 0),
      summary: row.summary,
      customerImpact: row.customer_impact,
      timeline: JSON.parse(row.timeline),
      contributingFactors: row.contributing_factors,
      whatWentWell: row.what_went_well,
      whatWasHard: row.what_was_hard,
      lessons: row.lessons,
      extraSections: JSON.parse(row.extra_sections),
    };
  }

  async listPostmortems(options: {
    entityRefs?: string[];
    ownerRefs?: string[];
    statuses?: PostmortemStatus[];
    incidentId?: string;
    readFilter: ReadFilter;
    limit: number;
    offset: number;
  }): Promise<{ items: PostmortemSummaryRecord[]; totalCount: number }> {
    const query = this.db('postmortems as p').join(
      'postmortem_incidents as i',
      'i.id',
      'p.incident_id',
    );
    if (options.entityRefs?.length)
      query.whereIn('p.entity_ref', options.entityRefs);
    if (options.ownerRefs?.length)
      query.whereIn('i.owner_ref', options.ownerRefs);
    if (options.statuses?.length) query.whereIn('p.status', options.statuses);
    if (options.incidentId) query.where('p.incident_id', options.incidentId);
    if (options.readFilter) {
      const filter = options.readFilter;
      query.where(q => this.whereReadable(q, filter));
    }
    const page = query
      .clone()
      .orderBy([
        { column: 'i.created_at', order: 'desc' },
        { column: 'p.id', order: 'asc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    // The page, its authors (through the same page as a derived table) and the count, at once: one round trip.
    const [rows, authorRows, [{ count }]] = await Promise.all([
      page
        .clone()
        .select(
          ...SUMMARY_COLUMNS,
          ...prefixedIncidentColumns,
          this.actionItemCount(),
        ),
      this.db('postmortem_authors')
        .whereIn(
          'postmortem_id',
          this.db
            .select('page_ids.id')
            .from(page.clone().select('p.id').as('page_ids')),
        )
        .orderBy(['postmortem_id', 'position'])
        .select('postmortem_id', 'user_ref'),
      query.clone().count({ count: '*' }),
    ]);
    const authors = new Map<string, string[]>();
    for (const row of authorRows) {
      authors.set(row.postmortem_id, [
        ...(authors.get(row.postmortem_id) ?? []),
        row.user_ref,
      ]);
    }
    return {
      items: rows.map((row: PostmortemRow & Record<string, unknown>) =>
        this.summaryOf(
          row,
          authors.get(row.id) ?? [],
          num(row.action_item_count as Int),
        ),
      ),
      totalCount: num(count as Int),
    };
  }

  /** The policy's conditions as a where clause on `postmortems as p` joined with `postmortem_incidents as i`. */
  private whereReadable(
    query: Knex.QueryBuilder,
    criteria: PermissionCriteria<PostmortemFilter>,
  ): void {
    if ('anyOf' in criteria) {
      query.where(q => {
        for (const c of criteria.anyOf)
          q.orWhere(inner => this.whereReadable(inner, c));
      });
    } else if ('allOf' in criteria) {
      query.where(q => {
        for (const c of criteria.allOf)
          q.andWhere(inner => this.whereReadable(inner, c));
      });
    } else if ('not' in criteria) {
      query.whereNot(q => this.whereReadable(q, criteria.not));
    } else if ('published' in criteria) {
      query.where('p.status', 'published');
    } else if ('authorIn' in criteria) {
      if (criteria.authorIn.length === 0) query.whereRaw('1 = 0');
      else
        query.whereExists(
          this.db('postmortem_authors as a')
            .whereRaw('a.postmortem_id = p.id')
            .whereIn('a.user_ref', criteria.authorIn)
            .select(this.db.raw('1')),
        );
    } else if ('ownerIn' in criteria) {
      if (criteria.ownerIn.length === 0) query.whereRaw('1 = 0');
      else query.whereIn('i.owner_ref', criteria.ownerIn);
    }
  }

  async updatePostmortem(
    id: string,
    patch: PostmortemPatch,
    version: number,
    actor: string,
    now: number,
  ): Promise<PostmortemRecord> {
    const current = await this.getPostmortem(id);
    if (!current) throw new NotFoundError(`No postmortem with id '${id}'`);
    if (current.version !== version) throw this.stale(current, version);
    const changes: Record<string, PostmortemFieldChange> = {};
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      const before = current[field as keyof PostmortemRecord];
      if (!sameJson(before, value))
        changes[field] = { from: before, to: value };
    }
    if (Object.keys(changes).length === 0) return current;
    const next = version + 1;
    await this.db.transaction(async tx => {
      const columns: Record<string, unknown> = {
        ...this.sectionColumns(patch),
        version: next,
        updated_at: now,
        updated_by: actor,
      };
      if (changes.title) columns.title = patch.title;
      if (changes.status) {
        columns.status = patch.status;
        if (patch.status === 'published') columns.published_at = now;
      }
      const updated = await tx('postmortems')
        .where({ id, version })
        .update(columns);
      if (updated === 0) {
        const latest = await this.getPostmortem(id);
        if (!latest) throw new NotFoundError(`No postmortem with id '${id}'`);
        throw this.stale(latest, version);
      }
      if (changes.authors) await this.writeAuthors(tx, id, patch.authors!);
      await this.appendHistory(tx, id, next, 'updated', actor, now, changes);
    });
    return (await this.getPostmortem(id))!;
  }

  private stale(current: PostmortemSummaryRecord, version: number) {
    return new ConflictError(
      `Postmortem '${current.id}' was changed by ${current.updatedBy} since you loaded it (your version ${version}, current ${current.version}); reload and try again`,
    );
  }

  async listHistory(id: string): Promise<PostmortemHistoryEntry[]> {
    const rows = await this.db('postmortem_history')
      .where('postmortem_id', id)
      .orderBy('id', 'desc');
    return rows.map(row => ({
      id: num(row.id),
      postmortemId: row.postmortem_id,
      version: num(row.version),
      action: row.action,
      actor: row.actor,
      at: new Date(num(row.at)).toISOString(),
      changes: JSON.parse(row.changes),
    }));
  }

  // Action items

  async listActionItems(postmortemId: string): Promise<ActionItemRecord[]> {
    const rows = await this.db('postmortem_action_items')
      .where('postmortem_id', postmortemId)
      .orderBy([
        { column: 'added_at', order: 'asc' },
        { column: 'debt_item_id', order: 'asc' },
      ]);
    return rows.map(actionItemOf);
  }

  async putActionItem(
    item: {
      postmortemId: string;
      debtItemId: string;
      origin: 'created' | 'linked';
      dueDate: string | null | undefined;
      debt: ActionItemDebt | null;
    },
    actor: string,
    now: number,
  ): Promise<{ item: ActionItemRecord; added: boolean }> {
    const key = {
      postmortem_id: item.postmortemId,
      debt_item_id: item.debtItemId,
    };
    const added = await this.db.transaction(async tx => {
      const postmortem = await tx('postmortems')
        .where('id', item.postmortemId)
        .first('version');
      if (!postmortem)
        throw new NotFoundError(`No postmortem with id '${item.postmortemId}'`);
      const existing = await tx('postmortem_action_items').where(key).first();
      const debt = item.debt
        ? { ...debtColumns(item.debt), debt_gone: false, debt_checked_at: now }
        : {};
      if (existing) {
        const update: Record<string, unknown> = { ...debt };
        if (item.dueDate !== undefined) update.due_date = item.dueDate;
        if (Object.keys(update).length)
          await tx('postmortem_action_items').where(key).update(update);
        if (item.dueDate !== undefined && item.dueDate !== existing.due_date) {
          await this.appendHistory(
            tx,
            item.postmortemId,
            num(postmortem.version),
            'action_item_added',
            actor,
            now,
            {
              debtItemId: { from: item.debtItemId, to: item.debtItemId },
              dueDate: { from: existing.due_date, to: item.dueDate },
            },
          );
        }
        return false;
      }
      await tx('postmortem_action_items').insert({
        ...key,
        origin: item.origin,
        due_date: item.dueDate ?? null,
        added_at: now,
        added_by: actor,
        ...debtColumns(null),
        debt_gone: false,
        debt_checked_at: null,
        ...debt,
      });
      await this.appendHistory(
        tx,
        item.postmortemId,
        num(postmortem.version),
        'action_item_added',
        actor,
        now,
        {
          debtItemId: { from: null, to: item.debtItemId },
          origin: { from: null, to: item.origin },
          dueDate: { from: null, to: item.dueDate ?? null },
        },
      );
      return true;
    });
    const row = await this.db('postmortem_action_items').where(key).first();
    return { item: actionItemOf(row), added };
  }

  async removeActionItem(
    postmortemId: string,
    debtItemId: string,
    actor: string,
    now: number,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      const removed = await tx('postmortem_action_items')
        .where({ postmortem_id: postmortemId, debt_item_id: debtItemId })
        .delete();
      if (!removed) return false;
      const postmortem = await tx('postmortems')
        .where('id', postmortemId)
        .first('version');
      await this.appendHistory(
        tx,
        postmortemId,
        num(postmortem.version),
        'action_item_removed',
        actor,
        now,
        { debtItemId: { from: debtItemId, to: null } },
      );
      return true;
    });
  }

  async saveDebtSnapshots(
    snapshots: DebtSnapshot[],
    checkedAt: number,
  ): Promise<void> {
    for (const snapshot of snapshots) {
      await this.db('postmortem_action_items')
        .where('debt_item_id', snapshot.debtItemId)
        .update(
          snapshot.debt
            ? {
                ...debtColumns(snapshot.debt),
                debt_gone: false,
                debt_checked_at: checkedAt,
              }
            : { debt_gone: true, debt_checked_at: checkedAt },
        );
    }
  }

  async listOpenDebtItemIds(): Promise<string[]> {
    const rows = await this.db('postmortem_action_items')
      .where(q => this.whereOpen(q, 'postmortem_action_items'))
      .distinct('debt_item_id')
      .orderBy('debt_item_id');
    return rows.map(r => r.debt_item_id);
  }

  async listActionItemsOfIncidents(
    incidentIds: string[],
  ): Promise<
    Array<{ incidentId: string; postmortemId: string; debtItemId: string }>
  > {
    const found: Array<{
      incidentId: string;
      postmortemId: string;
      debtItemId: string;
    }> = [];
    for (const batch of chunks([...new Set(incidentIds)], BATCH)) {
      const rows = await this.db('postmortem_action_items as a')
        .join('postmortems as p', 'p.id', 'a.postmortem_id')
        .whereIn('p.incident_id', batch)
        .select('p.incident_id', 'a.postmortem_id', 'a.debt_item_id');
      for (const row of rows) {
        found.push({
          incidentId: row.incident_id,
          postmortemId: row.postmortem_id,
          debtItemId: row.debt_item_id,
        });
      }
    }
    return found;
  }

  /** An action item not known to be done: its debt item is unresolved, or was never read; not gone. */
  private whereOpen(query: Knex.QueryBuilder, table: string) {
    query
      .where(`${table}.debt_gone`, false)
      .where(q =>
        q
          .whereNull(`${table}.debt_status`)
          .orWhereIn(`${table}.debt_status`, OPEN_DEBT_STATUSES),
      );
  }

  private whereQualifying(query: Knex.QueryBuilder, qualifying: Qualifying) {
    query.where(q => {
      if (qualifying.keys.length) q.whereIn('i.severity_key', qualifying.keys);
      else q.whereRaw('1 = 0');
      if (qualifying.unknownQualifies) q.orWhereNull('i.severity_key');
    });
  }

  // Figures

  async coverageByTeam(
    options: FigureOptions & { team?: string },
  ): Promise<CoverageCounts[]> {
    return this.coverage(options, 'i.owner_ref', q => {
      if (options.team) q.where('i.owner_ref', options.team);
      else q.whereNotNull('i.owner_ref');
    });
  }

  async coverageByEntity(
    options: FigureOptions & { entityRefs: string[] },
  ): Promise<CoverageCounts[]> {
    if (options.entityRefs.length === 0) return [];
    return this.coverage(options, 'i.entity_ref', q =>
      q.whereIn('i.entity_ref', options.entityRefs),
    );
  }

  /** Incident and action-item figures grouped by `key`: two grouped queries, whatever the number of groups. */
  private async coverage(
    options: FigureOptions,
    key: string,
    scope: (q: Knex.QueryBuilder) => void,
  ): Promise<CoverageCounts[]> {
    const { db } = this;
    const [incidentRows, itemRows] = await Promise.all([
      db('postmortem_incidents as i')
        .leftJoin('postmortems as p', 'p.incident_id', 'i.id')
        .where('i.created_at', '>=', options.from)
        .where('i.created_at', '<', options.to)
        .where(q => this.whereQualifying(q, options.qualifying))
        .where(scope)
        .groupBy(key)
        .select(
          db.raw(`${key} as ${'group_key'}`),
          db.raw('count(*) as incidents'),
          db.raw('sum(case when i.created_at <= ? then 1 else 0 end) as due', [
            options.dueBefore,
          ]),
          db.raw(
            "sum(case when i.created_at <= ? and p.status = 'published' then 1 else 0 end) as published",
            [options.dueBefore],
          ),
        ),
      db('postmortem_action_items as a')
        .join('postmortems as p', 'p.id', 'a.postmortem_id')
        .join('postmortem_incidents as i', 'i.id', 'p.incident_id')
        .where(q => this.whereOpen(q, 'a'))
        .where(scope)
        .groupBy(key)
        .select(
          db.raw(`${key} as ${'group_key'}`),
          db.raw('count(*) as open'),
          db.raw('sum(case when a.due_date < ? then 1 else 0 end) as overdue', [
            options.today,
          ]),
        ),
    ]);
    const figures = new Map<string, CoverageCounts>();
    const of = (k: string) => {
      let f = figures.get(k);
      if (!f) {
        f = {
          key: k,
          incidents: 0,
          due: 0,
          published: 0,
          openActionItems: 0,
          overdueActionItems: 0,
        };
        figures.set(k, f);
      }
      return f;
    };
    for (const row of incidentRows) {
      const f = of(row.group_key);
      f.incidents = num(row.incidents);
      f.due = num(row.due ?? 0);
      f.published = num(row.published ?? 0);
    }
    for (const row of itemRows) {
      const f = of(row.group_key);
      f.openActionItems = num(row.open);
      f.overdueActionItems = num(row.overdue ?? 0);
    }
    return [...figures.values()];
  }

  async listMissingPostmortems(options: {
    since: number;
    dueBefore: number;
    qualifying: Qualifying;
    team?: string;
    limit: number;
  }): Promise<{ items: MissingPostmortemRecord[]; totalCount: number }> {
    const query = this.db('postmortem_incidents as i')
      .leftJoin('postmortems as p', 'p.incident_id', 'i.id')
      .where('i.created_at', '>=', options.since)
      .where('i.created_at', '<=', options.dueBefore)
      .where(q => this.whereQualifying(q, options.qualifying))
      .where(q => q.whereNull('p.id').orWhereNot('p.status', 'published'));
    if (options.team) query.where('i.owner_ref', options.team);
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy([
          { column: 'i.created_at', order: 'asc' },
          { column: 'i.id', order: 'asc' },
        ])
        .limit(options.limit)
        .select(
          ...prefixedIncidentColumns,
          'p.id as p_id',
          'p.title as p_title',
          'p.status as p_status',
        ),
      query.clone().count({ count: '*' }),
    ]);
    return {
      items: rows.map((row: Record<string, any>) => ({
        incident: prefixedIncidentOf(row),
        postmortem: row.p_id
          ? { id: row.p_id, title: row.p_title, status: row.p_status }
          : null,
      })),
      totalCount: num(count as Int),
    };
  }

  async listOverdueActionItems(options: {
    today: string;
    team?: string;
    limit: number;
  }): Promise<{ items: OverdueActionItemRecord[]; totalCount: number }> {
    const query = this.db('postmortem_action_items as a')
      .join('postmortems as p', 'p.id', 'a.postmortem_id')
      .join('postmortem_incidents as i', 'i.id', 'p.incident_id')
      .where(q => this.whereOpen(q, 'a'))
      .whereNotNull('a.due_date')
      .where('a.due_date', '<', options.today);
    if (options.team) query.where('i.owner_ref', options.team);
    const [rows, [{ count }]] = await Promise.all([
      query
        .clone()
        .orderBy([
          { column: 'a.due_date', order: 'asc' },
          { column: 'a.added_at', order: 'asc' },
          { column: 'a.debt_item_id', order: 'asc' },
        ])
        .limit(options.limit)
        .select(
          'a.*',
          'p.title as postmortem_title',
          'p.incident_id',
          'p.entity_ref',
          'i.owner_ref',
        ),
      query.clone().count({ count: '*' }),
    ]);
    return {
      items: rows.map((row: ActionItemRow & Record<string, any>) => ({
        ...actionItemOf(row),
        dueDate: row.due_date!,
        postmortemTitle: row.postmortem_title,
        incidentId: row.incident_id,
        entityRef: row.entity_ref,
        ownerRef: row.owner_ref,
      })),
      totalCount: num(count as Int),
    };
  }

  // Notifications

  async claimNotices(
    notices: Array<{ key: string; teamRef: string | null }>,
    now: number,
  ): Promise<string[]> {
    const claimed: string[] = [];
    for (const notice of notices) {
      const existing = await this.db('postmortem_notifications')
        .where('notice_key', notice.key)
        .first('notice_key');
      if (existing) continue;
      try {
        // The primary key decides between two runs that claim the same notice at once.
        await this.db('postmortem_notifications').insert({
          notice_key: notice.key,
          team_ref: notice.teamRef,
          sent_at: now,
        });
        claimed.push(notice.key);
      } catch (error) {
        const taken = await this.db('postmortem_notifications')
          .where('notice_key', notice.key)
          .first('notice_key');
        if (!taken) throw error;
      }
    }
    return claimed;
  }

  async releaseNotices(keys: string[]): Promise<void> {
    for (const batch of chunks(keys, BATCH)) {
      await this.db('postmortem_notifications')
        .whereIn('notice_key', batch)
        .delete();
    }
  }
}
