import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { migrateToLatest } from '@vitals/backend-common';
import { timestampToIso } from '@vitals/common';
import type {
  BurnUpPoint,
  CampaignEntity,
  CampaignEntityState,
  CampaignEvent,
  CampaignTeam,
  Direction,
  TeamCapacity,
  FigureDescriptor,
  GoalEvent,
  TrendPoint,
  PromotedCampaignCheck,
} from '@vitals/plugin-goals-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  ActiveKeyResult,
  CampaignSnapshot,
  GoalPatch,
  GoalsStore,
  KeyResultToWrite,
  ListCampaignEntitiesOptions,
  ListCampaignsOptions,
  ListGoalsOptions,
  NewCampaign,
  NewGoal,
  Reading,
  StoredCampaign,
  StoredGoal,
  StoredKeyResult,
} from './GoalsStore';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-goals-backend',
  'migrations',
);

type Timestamp = Date | string | number;

type GoalRow = {
  id: string;
  objective: string;
  description: string;
  owner_ref: string | null;
  period: string;
  period_start: Timestamp;
  period_end: Timestamp;
  version: number;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
};

type KeyResultRow = {
  id: string;
  goal_id: string;
  position: number;
  title: string;
  figure: string;
  source: string;
  direction: string;
  target: number;
  baseline: number | null;
  baseline_at: Timestamp | null;
  current_value: number | null;
  current_at: Timestamp | null;
  available: boolean | number;
  unavailable_reason: string | null;
};

type CampaignRow = {
  id: string;
  name: string;
  description: string;
  checks: string;
  selection: string;
  deadline: string;
  effort_days_per_entity: number | null;
  reminder_days: string;
  entities: number;
  done: number;
  waived: number;
  snapshot_at: Timestamp | null;
  promoted_at: Timestamp | null;
  promoted_by: string | null;
  promoted_checks?: string | null;
  version: number;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
  updated_by: string;
};

/** Actor of the scheduled snapshot in history rows. */
export const SNAPSHOT_ACTOR = 'goals:snapshot';

/** The burn-up row of the whole campaign. */
const ALL_TEAMS = '*';

const iso = (value: Timestamp | null) =>
  value === null ? null : timestampToIso(value);
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const num = (value: number | string | null) =>
  value === null ? null : Number(value);

function rowToKeyResult(row: KeyResultRow): StoredKeyResult {
  return {
    id: row.id,
    title: row.title,
    figure: JSON.parse(row.figure) as FigureDescriptor,
    direction: row.direction as Direction,
    target: Number(row.target),
    baseline: num(row.baseline),
    baselineAt: iso(row.baseline_at),
    current: num(row.current_value),
    currentAt: iso(row.current_at),
    available: Boolean(row.available),
    unavailableReason: row.unavailable_reason,
  };
}

function rowToGoal(row: GoalRow, keyResults: KeyResultRow[]): StoredGoal {
  return {
    id: row.id,
    objective: row.objective,
    description: row.description,
    ownerRef: row.owner_ref,
    period: row.period,
    periodStart: timestampToIso(row.period_start),
    periodEnd: timestampToIso(row.period_end),
    keyResults: keyResults
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map(rowToKeyResult),
    version: Number(row.version),
    createdAt: timestampToIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: timestampToIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

function rowToCampaign(row: CampaignRow): StoredCampaign {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    checks: JSON.parse(row.checks),
    selection: JSON.parse(row.selection),
    deadline: row.deadline,
    effortDaysPerEntity: num(row.effort_days_per_entity),
    reminderDaysBefore: JSON.parse(row.reminder_days),
    entities: Number(row.entities),
    done: Number(row.done),
    waived: Number(row.waived),
    snapshotAt: iso(row.snapshot_at),
    promotedAt: iso(row.promoted_at),
    promotedBy: row.promoted_by,
    promotedChecks: row.promoted_checks ? JSON.parse(row.promoted_checks) : [],
    version: Number(row.version),
    createdAt: timestampToIso(row.created_at),
    createdBy: row.created_by,
    updatedAt: timestampToIso(row.updated_at),
    updatedBy: row.updated_by,
  };
}

const sameFigure = (a: FigureDescriptor, b: FigureDescriptor) =>
  JSON.stringify(a) === JSON.stringify(b);

/** The goals and campaigns store on the plugin's own database (SQLite, PostgreSQL or MySQL). */
export class DatabaseGoalsStore implements GoalsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseGoalsStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseGoalsStore(client);
  }

  private constructor(private readonly db: Knex) {}

  // ---------------------------------------------------------------- goals

  private async goalEvent(
    tx: Knex,
    goalId: string,
    action: GoalEvent['action'],
    actor: string,
    details: Record<string, unknown>,
    at: Date,
  ) {
    await tx('goal_events').insert({
      goal_id: goalId,
      action,
      actor,
      at,
      details: JSON.stringify(details),
    });
  }

  /** The row of a new or re-bound key result, with its first day's value. */
  private async insertKeyResult(
    tx: Knex,
    goalId: string,
    position: number,
    kr: KeyResultToWrite,
    id: string,
  ) {
    const baseline = kr.baseline ?? null;
    await tx('goal_key_results').insert({
      id,
      goal_id: goalId,
      position,
      title: kr.title,
      figure: JSON.stringify(kr.figure),
      source: kr.figure.source,
      direction: kr.direction,
      target: kr.target,
      baseline,
      baseline_at: baseline === null ? null : kr.reading.at,
      current_value: kr.reading.value,
      current_at: kr.reading.at,
      available: kr.reading.available,
      unavailable_reason: kr.reading.reason,
    });
    if (kr.reading.available) {
      await tx('goal_key_result_values').insert({
        key_result_id: id,
        day: dayOf(kr.reading.at),
        value: kr.reading.value,
      });
    }
  }

  async createGoal(
    goal: NewGoal,
    actor: string,
    now: Date,
  ): Promise<StoredGoal> {
    const id = randomUUID();
    await this.db.transaction(async tx => {
      await tx('goals').insert({
        id,
        objective: goal.objective,
        description: goal.description,
        owner_ref: goal.ownerRef,
        period: goal.period,
        period_start: goal.periodStart,
        period_end: goal.periodEnd,
        version: 1,
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
      });
      for (const [i, kr] of goal.keyResults.entries()) {
        if (kr.id) {
          throw new InputError(
            `Invalid goal: keyResults.${i}.id: a new goal has no key results yet`,
          );
        }
        await this.insertKeyResult(tx, id, i, kr, randomUUID());
      }
      await this.goalEvent(
        tx,
        id,
        'created',
        actor,
        {
          objective: goal.objective,
          ownerRef: goal.ownerRef,
          period: goal.period,
          keyResults: goal.keyResults.map(k => k.title),
        },
        now,
      );
    });
    return (await this.getGoal(id))!;
  }

  async getGoal(id: string): Promise<StoredGoal | undefined> {
    const row = await this.db<GoalRow>('goals').where({ id }).first();
    if (!row) return undefined;
    const krs = await this.db<KeyResultRow>('goal_key_results').where({
      goal_id: id,
    });
    return rowToGoal(row, krs);
  }

  async listGoals(
    options: ListGoalsOptions,
  ): Promise<{ goals: StoredGoal[]; totalCount: number }> {
    const filtered = () => {
      const q = this.db<GoalRow>('goals');
      if (options.owners?.length) {
        const groups = options.owners.filter(o => o !== 'org');
        const org = options.owners.includes('org');
        q.where(w => {
          if (groups.length) w.orWhereIn('owner_ref', groups);
          if (org) w.orWhereNull('owner_ref');
        });
      }
      if (options.periods?.length) q.whereIn('period', options.periods);
      return q;
    };
    const page = () =>
      filtered()
        .orderBy([
          { column: 'period_start', order: 'desc' },
          { column: 'owner_ref', order: 'asc' },
          { column: 'objective', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset);
    // The count, the page and the page's key results at once: one round trip's wait, not two.
    const [[{ count }], rows, krs] = await Promise.all([
      filtered().count({ count: '*' }),
      page(),
      this.db<KeyResultRow>('goal_key_results').whereIn(
        'goal_id',
        this.db.select('id').from(page().clearSelect().select('id').as('page')),
      ),
    ]);
    const byGoal = new Map<string, KeyResultRow[]>();
    for (const kr of krs) {
      byGoal.set(kr.goal_id, [...(byGoal.get(kr.goal_id) ?? []), kr]);
    }
    return {
      goals: rows.map(r => rowToGoal(r, byGoal.get(r.id) ?? [])),
      totalCount: Number(count),
    };
  }

  /** Locks in the version: a stale one is a 409 naming who changed the goal. */
  private async bumpGoal(
    tx: Knex,
    id: string,
    expectedVersion: number,
    actor: string,
    now: Date,
    fields: Partial<GoalRow> = {},
  ): Promise<GoalRow> {
    const current = await tx<GoalRow>('goals').where({ id }).first();
    if (!current) throw new NotFoundError(`No goal with id '${id}'`);
    if (Number(current.version) !== expectedVersion) {
      throw new ConflictError(
        `Goal '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
      );
    }
    const count = await tx('goals')
      .where({ id, version: expectedVersion })
      .update({
        ...fields,
        version: expectedVersion + 1,
        updated_at: now,
        updated_by: actor,
      });
    if (count !== 1) {
      throw new ConflictError(
        `Goal '${id}' was changed by somebody else at the same time; reload and try again`,
      );
    }
    return current;
  }

  async updateGoal(
    id: string,
    patch: GoalPatch,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredGoal> {
    await this.db.transaction(async tx => {
      const fields: Partial<GoalRow> = {};
      if (patch.objective !== undefined) fields.objective = patch.objective;
      if (patch.description !== undefined)
        fields.description = patch.description;
      await this.bumpGoal(tx, id, expectedVersion, actor, now, fields);
      const details: Record<string, unknown> = {
        fields: Object.keys(fields),
      };
      if (patch.keyResults) {
        const existing = new Map(
          (
            await tx<KeyResultRow>('goal_key_results').where({ goal_id: id })
          ).map(r => [r.id, rowToKeyResult(r)]),
        );
        const kept = new Set<string>();
        const rebound: string[] = [];
        for (const [i, kr] of patch.keyResults.entries()) {
          const old = kr.id ? existing.get(kr.id) : undefined;
          if (kr.id && !old) {
            throw new InputError(
              `Invalid goal update: keyResults.${i}.id: goal '${id}' has no key result '${kr.id}'`,
            );
          }
          if (old && sameFigure(old.figure, kr.figure)) {
            kept.add(old.id);
            await tx('goal_key_results').where({ id: old.id }).update({
              position: i,
              title: kr.title,
              direction: kr.direction,
              target: kr.target,
            });
            continue;
          }
          // A new key result, or one bound to another figure: its old baseline and trend no longer mean anything.
          if (old) {
            await tx('goal_key_results').where({ id: old.id }).delete();
            rebound.push(old.id);
          }
          await this.insertKeyResult(tx, id, i, kr, old?.id ?? randomUUID());
          if (old) kept.add(old.id);
        }
        const removed = [...existing.keys()].filter(k => !kept.has(k));
        if (removed.length) {
          await tx('goal_key_results').whereIn('id', removed).delete();
        }
        details.keyResults = patch.keyResults.map(k => k.title);
        if (removed.length) details.removedKeyResults = removed;
        if (rebound.length) details.reboundKeyResults = rebound;
      }
      await this.goalEvent(tx, id, 'updated', actor, details, now);
    });
    return (await this.getGoal(id))!;
  }

  async deleteGoal(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const now = new Date();
      const current = await this.bumpGoal(tx, id, expectedVersion, actor, now);
      // Values and key results go with the goal (foreign keys cascade on PostgreSQL; SQLite needs them explicit).
      const krIds = (
        await tx('goal_key_results').where({ goal_id: id }).select('id')
      ).map(r => r.id as string);
      if (krIds.length) {
        await tx('goal_key_result_values')
          .whereIn('key_result_id', krIds)
          .delete();
      }
      await tx('goal_key_results').where({ goal_id: id }).delete();
      await tx('goals').where({ id }).delete();
      await this.goalEvent(
        tx,
        id,
        'deleted',
        actor,
        { objective: current.objective, ownerRef: current.owner_ref },
        now,
      );
    });
  }

  async setManualValue(
    goalId: string,
    keyResultId: string,
    value: number,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredGoal> {
    await this.db.transaction(async tx => {
      const kr = await tx<KeyResultRow>('goal_key_results')
        .where({ id: keyResultId, goal_id: goalId })
        .first();
      if (!kr) {
        // Also when the key result belongs to another goal: ids are scoped to their goal.
        if (!(await tx('goals').where({ id: goalId }).first())) {
          throw new NotFoundError(`No goal with id '${goalId}'`);
        }
        throw new NotFoundError(
          `Goal '${goalId}' has no key result '${keyResultId}'`,
        );
      }
      if (kr.source !== 'manual') {
        throw new InputError(
          `Invalid value: key result '${keyResultId}' is bound to a ${kr.source} figure, which is read, not typed in`,
        );
      }
      await this.bumpGoal(tx, goalId, expectedVersion, actor, now);
      await tx('goal_key_results').where({ id: keyResultId }).update({
        current_value: value,
        current_at: now,
        available: true,
        unavailable_reason: null,
      });
      await tx('goal_key_result_values')
        .insert({ key_result_id: keyResultId, day: dayOf(now), value })
        .onConflict(['key_result_id', 'day'])
        .merge(['value']);
      await this.goalEvent(
        tx,
        goalId,
        'manual_value',
        actor,
        { keyResultId, from: num(kr.current_value), to: value },
        now,
      );
    });
    return (await this.getGoal(goalId))!;
  }

  async listActiveKeyResults(now: Date): Promise<ActiveKeyResult[]> {
    const rows = await this.db('goal_key_results as k')
      .join('goals as g', 'g.id', 'k.goal_id')
      .where('g.period_end', '>', now)
      .whereNot('k.source', 'manual')
      .select('k.*', 'g.period_start', 'g.period_end');
    return rows.map(row => ({
      goalId: row.goal_id,
      periodStart: timestampToIso(row.period_start),
      periodEnd: timestampToIso(row.period_end),
      keyResult: rowToKeyResult(row),
    }));
  }

  async recordReading(
    keyResultId: string,
    reading: Reading,
    recordBaseline: boolean,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const kr = await tx<KeyResultRow>('goal_key_results')
        .where({ id: keyResultId })
        .first();
      if (!kr) return; // deleted meanwhile
      const update: Partial<KeyResultRow> = {
        available: reading.available,
        unavailable_reason: reading.reason,
      };
      if (reading.available) {
        update.current_value = reading.value;
        update.current_at = reading.at;
        await tx('goal_key_result_values')
          .insert({
            key_result_id: keyResultId,
            day: dayOf(reading.at),
            value: reading.value,
          })
          .onConflict(['key_result_id', 'day'])
          .merge(['value']);
      }
      const baselineNow =
        recordBaseline &&
        kr.baseline === null &&
        reading.available &&
        reading.value !== null;
      if (baselineNow) {
        update.baseline = reading.value;
        update.baseline_at = reading.at;
      }
      await tx('goal_key_results').where({ id: keyResultId }).update(update);
      if (baselineNow) {
        await this.goalEvent(
          tx,
          kr.goal_id,
          'baseline_recorded',
          SNAPSHOT_ACTOR,
          { keyResultId, baseline: reading.value },
          reading.at,
        );
      }
    });
  }

  async getTrends(keyResultIds: string[]): Promise<Map<string, TrendPoint[]>> {
    const trends = new Map<string, TrendPoint[]>(
      keyResultIds.map(id => [id, []]),
    );
    if (!keyResultIds.length) return trends;
    const rows = await this.db('goal_key_result_values')
      .whereIn('key_result_id', keyResultIds)
      .orderBy('day', 'asc');
    for (const row of rows) {
      trends
        .get(row.key_result_id)
        ?.push({ day: row.day, value: num(row.value) });
    }
    return trends;
  }

  async listGoalEvents(goalId: string): Promise<GoalEvent[]> {
    const rows = await this.db('goal_events')
      .where({ goal_id: goalId })
      .orderBy('id', 'asc');
    return rows.map(r => ({
      goalId: r.goal_id,
      action: r.action,
      at: timestampToIso(r.at),
      actor: r.actor,
      details: JSON.parse(r.details),
    }));
  }

  // ------------------------------------------------------------ campaigns

  async addCampaignEvent(
    campaignId: string,
    action: CampaignEvent['action'],
    actor: string,
    details: Record<string, unknown>,
    now: Date,
    tx: Knex = this.db,
  ): Promise<void> {
    await tx('campaign_events').insert({
      campaign_id: campaignId,
      action,
      actor,
      at: now,
      details: JSON.stringify(details),
    });
  }

  async createCampaign(
    campaign: NewCampaign,
    actor: string,
    now: Date,
  ): Promise<StoredCampaign> {
    const id = randomUUID();
    await this.db.transaction(async tx => {
      await tx('campaigns').insert({
        id,
        name: campaign.name,
        description: campaign.description,
        checks: JSON.stringify(campaign.checks),
        selection: JSON.stringify(campaign.selection),
        deadline: campaign.deadline,
        effort_days_per_entity: campaign.effortDaysPerEntity,
        reminder_days: JSON.stringify(campaign.reminderDaysBefore),
        entities: 0,
        done: 0,
        waived: 0,
        snapshot_at: null,
        promoted_at: null,
        promoted_by: null,
        version: 1,
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
      });
      await this.addCampaignEvent(
        id,
        'created',
        actor,
        { ...campaign },
        now,
        tx,
      );
    });
    return (await this.getCampaign(id))!;
  }

  async getCampaign(id: string): Promise<StoredCampaign | undefined> {
    const row = await this.db<CampaignRow>('campaigns').where({ id }).first();
    return row ? rowToCampaign(row) : undefined;
  }

  async listCampaigns(
    options: ListCampaignsOptions,
  ): Promise<{ campaigns: StoredCampaign[]; totalCount: number }> {
    const filtered = () => {
      const q = this.db<CampaignRow>('campaigns');
      const status = new Set(options.status ?? []);
      if (status.size === 1) {
        q.where('deadline', status.has('running') ? '>=' : '<', options.today);
      }
      if (options.owners?.length || options.entityRef) {
        q.whereIn('id', sub => {
          sub.from('campaign_entities').select('campaign_id');
          if (options.owners?.length) sub.whereIn('owner_ref', options.owners);
          if (options.entityRef) sub.where('entity_ref', options.entityRef);
        });
      }
      return q;
    };
    const [{ count }] = await filtered().count({ count: '*' });
    const rows = await filtered()
      .orderBy([
        { column: 'deadline', order: 'asc' },
        { column: 'name', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit)
      .offset(options.offset);
    return { campaigns: rows.map(rowToCampaign), totalCount: Number(count) };
  }

  private async bumpCampaign(
    tx: Knex,
    id: string,
    expectedVersion: number,
    actor: string,
    now: Date,
    fields: Partial<CampaignRow> = {},
  ): Promise<CampaignRow> {
    const current = await tx<CampaignRow>('campaigns').where({ id }).first();
    if (!current) throw new NotFoundError(`No campaign with id '${id}'`);
    if (Number(current.version) !== expectedVersion) {
      throw new ConflictError(
        `Campaign '${id}' was changed by ${current.updated_by} since you loaded it (your version ${expectedVersion}, current ${current.version}); reload and try again`,
      );
    }
    const count = await tx('campaigns')
      .where({ id, version: expectedVersion })
      .update({
        ...fields,
        version: expectedVersion + 1,
        updated_at: now,
        updated_by: actor,
      });
    if (count !== 1) {
      throw new ConflictError(
        `Campaign '${id}' was changed by somebody else at the same time; reload and try again`,
      );
    }
    return current;
  }

  async updateCampaign(
    id: string,
    patch: Partial<NewCampaign>,
    expectedVersion: number,
    actor: string,
    now: Date,
  ): Promise<StoredCampaign> {
    await this.db.transaction(async tx => {
      const fields: Partial<CampaignRow> = {};
      if (patch.name !== undefined) fields.name = patch.name;
      if (patch.description !== undefined)
        fields.description = patch.description;
      if (patch.checks !== undefined)
        fields.checks = JSON.stringify(patch.checks);
      if (patch.selection !== undefined)
        fields.selection = JSON.stringify(patch.selection);
      if (patch.deadline !== undefined) fields.deadline = patch.deadline;
      if (patch.effortDaysPerEntity !== undefined)
        fields.effort_days_per_entity = patch.effortDaysPerEntity;
      if (patch.reminderDaysBefore !== undefined)
        fields.reminder_days = JSON.stringify(patch.reminderDaysBefore);
      await this.bumpCampaign(tx, id, expectedVersion, actor, now, fields);
      await this.addCampaignEvent(id, 'updated', actor, { ...patch }, now, tx);
    });
    return (await this.getCampaign(id))!;
  }

  async promoteCampaign(
    id: string,
    expectedVersion: number,
    promoted: PromotedCampaignCheck[],
    actor: string,
    now: Date,
  ): Promise<StoredCampaign> {
    await this.db.transaction(async tx => {
      const current = await tx<CampaignRow>('campaigns').where({ id }).first();
      if (current?.promoted_at) {
        throw new ConflictError(
          `Campaign '${current.name}' was already made permanent by ${
            current.promoted_by
          } on ${iso(current.promoted_at)!.slice(0, 10)}`,
        );
      }
      await this.bumpCampaign(tx, id, expectedVersion, actor, now, {
        promoted_at: now,
        promoted_by: actor,
        promoted_checks: JSON.stringify(promoted),
      });
      await this.addCampaignEvent(
        id,
        'promoted',
        actor,
        { checks: promoted },
        now,
        tx,
      );
    });
    return (await this.getCampaign(id))!;
  }

  async deleteCampaign(
    id: string,
    expectedVersion: number,
    actor: string,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const now = new Date();
      const current = await this.bumpCampaign(
        tx,
        id,
        expectedVersion,
        actor,
        now,
      );
      for (const table of [
        'campaign_entities',
        'campaign_teams',
        'campaign_burnup',
        'campaign_reminders',
        'campaign_entity_states',
      ]) {
        await tx(table).where({ campaign_id: id }).delete();
      }
      await tx('campaigns').where({ id }).delete();
      await this.addCampaignEvent(
        id,
        'deleted',
        actor,
        { name: current.name },
        now,
        tx,
      );
    });
  }

  async listRunningCampaigns(day: string): Promise<StoredCampaign[]> {
    const rows = await this.db<CampaignRow>('campaigns')
      .where('deadline', '>=', day)
      .orderBy('id');
    return rows.map(rowToCampaign);
  }

  async writeCampaignSnapshot(
    campaignId: string,
    snapshot: CampaignSnapshot,
    day: string,
    now: Date,
  ): Promise<void> {
    const count = (state: CampaignEntityState) =>
      snapshot.entities.filter(e => e.state === state).length;
    const done = count('done') + count('waived');
    const waived = count('waived');
    await this.db.transaction(async tx => {
      const exists = await tx('campaigns').where({ id: campaignId }).first();
      if (!exists) return; // deleted meanwhile
      await tx('campaign_entities').where({ campaign_id: campaignId }).delete();
      const entityRows = snapshot.entities.map(e => ({
        campaign_id: campaignId,
        entity_ref: e.entityRef,
        owner_ref: e.ownerRef,
        state: e.state,
        failing_checks: JSON.stringify(e.failingChecks),
        waived_checks: JSON.stringify(e.waivedChecks),
      }));
      if (entityRows.length) {
        await tx.batchInsert('campaign_entities', entityRows, 200);
      }
      // The page's copy: one row to read, in the order the page lists them.
      await tx('campaign_entity_states')
        .where({ campaign_id: campaignId })
        .delete();
      await tx('campaign_entity_states').insert({
        campaign_id: campaignId,
        entity_states: JSON.stringify(sortForPage(snapshot.entities)),
      });
      await tx('campaign_teams').where({ campaign_id: campaignId }).delete();
      const teamRows = snapshot.teams.map(t => ({
        campaign_id: campaignId,
        owner_ref: t.ownerRef ?? '',
        entities: t.entities,
        done: t.done,
        waived: t.waived,
        remaining_effort_days: t.remainingEffortDays,
        quarter: t.capacity.quarter,
        reserved_days: t.capacity.reservedDays,
        paid_down_days: t.capacity.paidDownDays,
        capacity_available: t.capacity.available,
        capacity_reason: t.capacity.reason,
      }));
      if (teamRows.length) {
        await tx.batchInsert('campaign_teams', teamRows, 200);
      }
      const burnRows = [
        {
          campaign_id: campaignId,
          day,
          owner_ref: ALL_TEAMS,
          entities: snapshot.entities.length,
          done,
          waived,
        },
        ...snapshot.teams
          .filter(t => t.ownerRef !== null)
          .map(t => ({
            campaign_id: campaignId,
            day,
            owner_ref: t.ownerRef!,
            entities: t.entities,
            done: t.done,
            waived: t.waived,
          })),
      ];
      await tx('campaign_burnup')
        .where({ campaign_id: campaignId, day })
        .delete();
      await tx.batchInsert('campaign_burnup', burnRows, 200);
      await tx('campaigns').where({ id: campaignId }).update({
        entities: snapshot.entities.length,
        done,
        waived,
        snapshot_at: now,
      });
    });
  }

  async getCampaignEntities(campaignId: string): Promise<CampaignEntity[]> {
    const kept = await this.db('campaign_entity_states')
      .where({ campaign_id: campaignId })
      .first('entity_states');
    if (kept) return JSON.parse(kept.entity_states);
    // A campaign snapshotted before the page's copy was kept.
    const rows = await this.db('campaign_entities')
      .where({ campaign_id: campaignId })
      .orderBy('entity_ref', 'asc');
    return sortForPage(
      rows.map(r => ({
        entityRef: r.entity_ref,
        ownerRef: r.owner_ref,
        state: r.state,
        failingChecks: JSON.parse(r.failing_checks),
        waivedChecks: JSON.parse(r.waived_checks),
      })),
    );
  }

  async listCampaignEntities(
    campaignId: string,
    options: ListCampaignEntitiesOptions,
  ): Promise<{ entities: CampaignEntity[]; totalCount: number }> {
    const states = [...new Set(options.states ?? [])];
    const search = options.search?.trim().toLocaleLowerCase('en-US');
    const filtered = () => {
      const q = this.db('campaign_entities').where({ campaign_id: campaignId });
      if (states.length) q.whereIn('state', states);
      if (options.owners?.length) q.whereIn('owner_ref', options.owners);
      if (search) {
        const pattern = `%${search.replace(/[\\%_]/g, c => `\\${c}`)}%`;
        q.where(w =>
          w
            .whereRaw("lower(entity_ref) like ? escape '\\'", [pattern])
            .orWhereRaw("lower(owner_ref) like ? escape '\\'", [pattern]),
        );
      }
      return q;
    };
    // Entity refs in code-unit order, as the kept document and the frontend sort them (PostgreSQL's collation may not).
    const byRef =
      this.db.client.dialect === 'postgresql'
        ? 'entity_ref collate "C"'
        : 'entity_ref';
    const page = filtered()
      .select(
        'entity_ref',
        'owner_ref',
        'state',
        'failing_checks',
        'waived_checks',
      )
      .limit(options.limit)
      .offset(options.offset);
    if (states.length === 1) page.orderByRaw(byRef);
    else {
      page.orderByRaw(
        `case state when 'open' then 0 when 'waived' then 1 else 2 end, ${byRef}`,
      );
    }
    const [rows, counted] = await Promise.all([
      page,
      options.count === false
        ? undefined
        : filtered().count({ count: '*' }).first(),
    ]);
    return {
      entities: rows.map(r => ({
        entityRef: r.entity_ref,
        ownerRef: r.owner_ref,
        state: r.state,
        failingChecks: JSON.parse(r.failing_checks),
        waivedChecks: JSON.parse(r.waived_checks),
      })),
      totalCount: counted ? Number(counted.count) : rows.length,
    };
  }

  async getCampaignTeams(campaignId: string): Promise<CampaignTeam[]> {
    const rows = await this.db('campaign_teams')
      .where({ campaign_id: campaignId })
      .orderBy('owner_ref');
    return rows.map(r => {
      const reserved = num(r.reserved_days);
      const paid = num(r.paid_down_days);
      const remaining = num(r.remaining_effort_days);
      return {
        ownerRef: r.owner_ref || null,
        entities: Number(r.entities),
        done: Number(r.done),
        waived: Number(r.waived),
        remainingEffortDays: remaining,
        capacity: {
          quarter: r.quarter,
          reservedDays: reserved,
          paidDownDays: paid,
          ...capacityCheck(remaining, reserved, paid),
          available: Boolean(r.capacity_available),
          reason: r.capacity_reason,
        },
      };
    });
  }

  async getBurnUp(campaignId: string): Promise<BurnUpPoint[]> {
    const rows = await this.db('campaign_burnup')
      .where({ campaign_id: campaignId })
      .orderBy([
        { column: 'day', order: 'asc' },
        { column: 'owner_ref', order: 'asc' },
      ]);
    return rows.map(r => ({
      day: r.day,
      ownerRef: r.owner_ref === ALL_TEAMS ? null : r.owner_ref,
      entities: Number(r.entities),
      done: Number(r.done),
      waived: Number(r.waived),
    }));
  }

  async claimReminder(
    campaignId: string,
    daysBefore: number,
    recipients: number,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.db('campaign_reminders').insert({
        campaign_id: campaignId,
        days_before: daysBefore,
        sent_at: now,
        recipients,
      });
      return true;
    } catch (error) {
      const claimed = await this.db('campaign_reminders')
        .where({ campaign_id: campaignId, days_before: daysBefore })
        .first();
      if (claimed) return false;
      throw error;
    }
  }

  async listCampaignEvents(campaignId: string): Promise<CampaignEvent[]> {
    const rows = await this.db('campaign_events')
      .where({ campaign_id: campaignId })
      .orderBy('id', 'asc');
    return rows.map(r => ({
      campaignId: r.campaign_id,
      action: r.action,
      at: timestampToIso(r.at),
      actor: r.actor,
      details: JSON.parse(r.details),
    }));
  }
}

const PAGE_RANK: Record<CampaignEntityState, number> = {
  open: 0,
  waived: 1,
  done: 2,
};

/** Open first (what is left to do), then waived, then done; each by entity ref. */
function sortForPage(entities: CampaignEntity[]): CampaignEntity[] {
  return [...entities].sort(
    (a, b) =>
      PAGE_RANK[a.state] - PAGE_RANK[b.state] ||
      (a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef)),
  );
}

/**
 * The capacity check of one team: the campaign's remaining effort as a share of the days the team reserved for debt
 * in the quarter (percent, one decimal), and whether it fits in what is left of them. Null without an estimate or a
 * budget.
 */
export function capacityCheck(
  remainingEffortDays: number | null,
  reservedDays: number | null,
  paidDownDays: number | null,
): Pick<TeamCapacity, 'availableDays' | 'sharePercent' | 'feasible'> {
  if (reservedDays === null) {
    return { availableDays: null, sharePercent: null, feasible: null };
  }
  const availableDays = Math.max(0, reservedDays - (paidDownDays ?? 0));
  if (remainingEffortDays === null) {
    return { availableDays, sharePercent: null, feasible: null };
  }
  return {
    availableDays,
    sharePercent:
      reservedDays > 0
        ? Math.round((remainingEffortDays / reservedDays) * 1000) / 10
        : null,
    feasible: remainingEffortDays <= availableDays,
  };
}
