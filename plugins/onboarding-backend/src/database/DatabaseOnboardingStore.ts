import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { timestampToIso } from '@vitals/common';
import { StepCompletion } from '@vitals/plugin-onboarding-common';
import { Knex } from 'knex';
import {
  ChangeRecord,
  ChecklistRecord,
  DeploymentRecord,
  OnboardingStore,
  PersonRecord,
  ProgressWrite,
  StepStateRecord,
  TeamMemberRecord,
  TemplateSetRecord,
  UserState,
  VisitRecord,
} from './OnboardingStore';
import { chunks as chunksOf, migrateToLatest } from '@vitals/backend-common';

const migrationsDir = resolvePackagePath(
  '@vitals/plugin-onboarding-backend',
  'migrations',
);

type Timestamp = Date | string | number;
type Flag = boolean | number;

function date(value: Timestamp | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value; // pg
  if (typeof value === 'number') return new Date(value); // SQLite, written by knex
  return new Date(timestampToIso(value));
}
const sameTime = (a: Date | null, b: Date | null) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** Rows per statement, below every driver's bound-parameter limit. */
const CHUNK = 300;

/** Rows in statements of at most {@link CHUNK}. */
const chunks = <T>(items: T[], size = CHUNK): T[][] => chunksOf(items, size);

type ChecklistRow = {
  user_ref: string;
  checklist_id: string;
  template_id: string;
  entity_ref: string | null;
  team_ref: string | null;
  team_title: string | null;
  origin: string;
  active: Flag;
  started_at: Timestamp;
  done_count: number;
  total_count: number;
  last_progress_at: Timestamp | null;
  completed_at: Timestamp | null;
};

type StepStateRow = {
  user_ref: string;
  checklist_id: string;
  step_id: string;
  done: Flag;
  completed_at: Timestamp | null;
  progress_at: Timestamp | null;
  completed_by: string | null;
  evidence: string | null;
};

type ShaRow = {
  entity_ref: string;
  sha: string;
  user_ref: string | null;
  change_id: string | null;
  merged_at: Timestamp | null;
  deployed_at: Timestamp | null;
  deployment_id: string | null;
};

type TeamRow = {
  team_ref: string;
  user_ref: string;
  team_title: string | null;
  checklists: number;
  done_count: number;
  total_count: number;
  started_at: Timestamp;
  completed_at: Timestamp | null;
  last_progress_at: Timestamp | null;
  first_change_at: Timestamp | null;
  first_deploy_at: Timestamp | null;
};

type HistoryRow = {
  id: number | string;
  user_ref: string;
  checklist_id: string;
  step_id: string;
  done: Flag;
  at: Timestamp;
  by: string;
  actor_ref: string | null;
  evidence: string | null;
};

function toChecklist(row: ChecklistRow): ChecklistRecord {
  return {
    userRef: row.user_ref,
    checklistId: row.checklist_id,
    templateId: row.template_id,
    entityRef: row.entity_ref,
    teamRef: row.team_ref,
    teamTitle: row.team_title,
    origin: row.origin === 'entity-page' ? 'entity-page' : 'membership',
    active: Boolean(row.active),
    startedAt: date(row.started_at)!,
    doneCount: Number(row.done_count),
    totalCount: Number(row.total_count),
    lastProgressAt: date(row.last_progress_at),
    completedAt: date(row.completed_at),
  };
}

function toStepState(row: StepStateRow): StepStateRecord {
  return {
    checklistId: row.checklist_id,
    stepId: row.step_id,
    done: Boolean(row.done),
    completedAt: date(row.completed_at),
    progressAt: date(row.progress_at),
    completedBy:
      row.completed_by === 'user' || row.completed_by === 'automatic'
        ? row.completed_by
        : null,
    evidence: row.evidence,
  };
}

function toTeamMember(row: TeamRow): TeamMemberRecord {
  return {
    teamRef: row.team_ref,
    userRef: row.user_ref,
    teamTitle: row.team_title,
    checklists: Number(row.checklists),
    doneCount: Number(row.done_count),
    totalCount: Number(row.total_count),
    startedAt: date(row.started_at)!,
    completedAt: date(row.completed_at),
    lastProgressAt: date(row.last_progress_at),
    firstChangeAt: date(row.first_change_at),
    firstDeployAt: date(row.first_deploy_at),
  };
}

function fromTeamMember(record: TeamMemberRecord): TeamRow {
  return {
    team_ref: record.teamRef,
    user_ref: record.userRef,
    team_title: record.teamTitle,
    checklists: record.checklists,
    done_count: record.doneCount,
    total_count: record.totalCount,
    started_at: record.startedAt,
    completed_at: record.completedAt,
    last_progress_at: record.lastProgressAt,
    first_change_at: record.firstChangeAt,
    first_deploy_at: record.firstDeployAt,
  };
}

/** The onboarding store on the plugin's own database (SQLite or PostgreSQL). */
export class DatabaseOnboardingStore implements OnboardingStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseOnboardingStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !options.skipMigrations) {
      await migrateToLatest(client, { directory: migrationsDir });
    }
    return new DatabaseOnboardingStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async getUserState(userRef: string): Promise<UserState> {
    return (await this.getUserStates([userRef])).get(userRef)!;
  }

  async getUserStates(userRefs: string[]): Promise<Map<string, UserState>> {
    const states = new Map<string, UserState>();
    for (const userRef of userRefs) {
      states.set(userRef, {
        checklists: [],
        steps: [],
        shas: [],
        visits: [],
        teams: [],
        person: null,
      });
    }
    for (const batch of chunks([...states.keys()])) {
      const [checklists, steps, shas, visits, teams, people] =
        await Promise.all([
          this.db<ChecklistRow>('onboarding_checklists')
            .whereIn('user_ref', batch)
            .orderBy(['user_ref', 'checklist_id']),
          this.db<StepStateRow>('onboarding_step_states').whereIn(
            'user_ref',
            batch,
          ),
          this.db<ShaRow>('onboarding_shas').whereIn('user_ref', batch),
          this.db('onboarding_visits').whereIn('user_ref', batch),
          this.db<TeamRow>('onboarding_team_members').whereIn(
            'user_ref',
            batch,
          ),
          this.db('onboarding_people').whereIn('user_ref', batch),
        ]);
      const stateOf = (userRef: string) => states.get(userRef)!;
      for (const row of checklists)
        stateOf(row.user_ref).checklists.push(toChecklist(row));
      for (const row of steps)
        stateOf(row.user_ref).steps.push(toStepState(row));
      for (const row of shas) {
        stateOf(row.user_ref!).shas.push({
          entityRef: row.entity_ref,
          sha: row.sha,
          changeId: row.change_id,
          mergedAt: date(row.merged_at),
          deployedAt: date(row.deployed_at),
          deploymentId: row.deployment_id,
        });
      }
      for (const row of visits as Array<{
        user_ref: string;
        entity_ref: string;
        kind: string;
        visited_at: Timestamp;
      }>) {
        stateOf(row.user_ref).visits.push({
          entityRef: row.entity_ref,
          kind: row.kind,
          visitedAt: date(row.visited_at)!,
        });
      }
      for (const row of teams)
        stateOf(row.user_ref).teams.push(toTeamMember(row));
      for (const person of people) {
        stateOf(person.user_ref).person ??= {
          userRef: person.user_ref,
          displayName: person.display_name,
          startedAt: date(person.started_at)!,
          firstChangeAt: date(person.first_change_at),
          firstDeployAt: date(person.first_deploy_at),
        };
      }
    }
    return states;
  }

  async saveProgress(userRef: string, write: ProgressWrite): Promise<void> {
    const empty =
      !write.deleteStepStates?.length &&
      !write.checklists.length &&
      !write.stepStates.length &&
      !write.history.length &&
      !write.teams &&
      write.person === undefined;
    if (empty) return;
    await this.db.transaction(async tx => {
      for (const batch of chunks(write.deleteStepStates ?? [])) {
        await tx('onboarding_step_states')
          .where({ user_ref: userRef })
          .whereIn(
            ['checklist_id', 'step_id'],
            batch.map(s => [s.checklistId, s.stepId]),
          )
          .delete();
      }
      // One statement per batch; a key given twice keeps its last record, as writing them one by one would.
      const checklists = [
        ...new Map(write.checklists.map(c => [c.checklistId, c])).values(),
      ];
      for (const batch of chunks(checklists)) {
        await tx('onboarding_checklists')
          .insert(
            batch.map(c => ({
              user_ref: userRef,
              checklist_id: c.checklistId,
              template_id: c.templateId,
              entity_ref: c.entityRef,
              team_ref: c.teamRef,
              team_title: c.teamTitle,
              origin: c.origin,
              active: c.active,
              started_at: c.startedAt,
              done_count: c.doneCount,
              total_count: c.totalCount,
              last_progress_at: c.lastProgressAt,
              completed_at: c.completedAt,
            })),
          )
          .onConflict(['user_ref', 'checklist_id'])
          .merge([
            'team_ref',
            'team_title',
            'origin',
            'active',
            'done_count',
            'total_count',
            'last_progress_at',
            'completed_at',
          ]);
      }
      const stepStates = [
        ...new Map(
          write.stepStates.map(s => [`${s.checklistId}\n${s.stepId}`, s]),
        ).values(),
      ];
      for (const batch of chunks(stepStates)) {
        await tx('onboarding_step_states')
          .insert(
            batch.map(s => ({
              user_ref: userRef,
              checklist_id: s.checklistId,
              step_id: s.stepId,
              done: s.done,
              completed_at: s.completedAt,
              progress_at: s.progressAt,
              completed_by: s.completedBy,
              evidence: s.evidence,
            })),
          )
          .onConflict(['user_ref', 'checklist_id', 'step_id'])
          .merge([
            'done',
            'completed_at',
            'progress_at',
            'completed_by',
            'evidence',
          ]);
      }
      for (const batch of chunks(write.history)) {
        await tx('onboarding_step_history').insert(
          batch.map(h => ({
            user_ref: h.userRef,
            checklist_id: h.checklistId,
            step_id: h.stepId,
            done: h.done,
            at: h.at,
            by: h.by,
            actor_ref: h.actorRef ?? null,
            evidence: h.evidence ?? null,
          })),
        );
      }
      if (write.teams) {
        await tx('onboarding_team_members')
          .where({ user_ref: userRef })
          .delete();
        for (const batch of chunks(write.teams)) {
          await tx('onboarding_team_members').insert(batch.map(fromTeamMember));
        }
      }
      if (write.person === null) {
        await tx('onboarding_people').where({ user_ref: userRef }).delete();
      } else if (write.person) {
        const p: PersonRecord = write.person;
        await tx('onboarding_people')
          .insert({
            user_ref: userRef,
            display_name: p.displayName,
            started_at: p.startedAt,
            first_change_at: p.firstChangeAt,
            first_deploy_at: p.firstDeployAt,
          })
          .onConflict('user_ref')
          .merge();
      }
    });
  }

  async recordVisit(
    visit: VisitRecord & { userRef: string },
  ): Promise<boolean> {
    const inserted = await this.db('onboarding_visits')
      .insert({
        user_ref: visit.userRef,
        entity_ref: visit.entityRef,
        kind: visit.kind,
        visited_at: visit.visitedAt,
      })
      .onConflict(['user_ref', 'entity_ref', 'kind'])
      .ignore()
      .returning('user_ref');
    return Array.isArray(inserted) && inserted.length > 0;
  }

  private async existingShas(
    tx: Knex,
    pairs: Array<[string, string]>,
  ): Promise<Map<string, ShaRow>> {
    const found = new Map<string, ShaRow>();
    for (const batch of chunks(pairs)) {
      const rows = await tx<ShaRow>('onboarding_shas').whereIn(
        ['entity_ref', 'sha'],
        batch,
      );
      for (const row of rows) found.set(`${row.entity_ref}\n${row.sha}`, row);
    }
    return found;
  }

  async recordChanges(changes: ChangeRecord[]): Promise<string[]> {
    if (!changes.length) return [];
    const affected = new Set<string>();
    await this.db.transaction(async tx => {
      const existing = await this.existingShas(
        tx,
        changes.map(c => [c.entityRef, c.sha]),
      );
      // New shas are inserted together at the end; a sha that comes again in the batch changes its pending row.
      const inserts = new Map<string, ShaRow>();
      for (const change of changes) {
        const key = `${change.entityRef}\n${change.sha}`;
        const row = existing.get(key);
        if (!row) {
          const inserted: ShaRow = {
            entity_ref: change.entityRef,
            sha: change.sha,
            user_ref: change.userRef,
            change_id: change.changeId,
            merged_at: change.mergedAt,
            deployed_at: null,
            deployment_id: null,
          };
          inserts.set(key, inserted);
          existing.set(key, inserted);
          affected.add(change.userRef);
          continue;
        }
        if (
          row.user_ref === change.userRef &&
          row.change_id === change.changeId &&
          sameTime(date(row.merged_at), change.mergedAt)
        ) {
          continue;
        }
        const updated: ShaRow = {
          ...row,
          user_ref: change.userRef,
          change_id: change.changeId,
          merged_at: change.mergedAt,
        };
        if (inserts.has(key)) {
          inserts.set(key, updated);
        } else {
          await tx('onboarding_shas')
            .where({ entity_ref: change.entityRef, sha: change.sha })
            .update({
              user_ref: change.userRef,
              change_id: change.changeId,
              merged_at: change.mergedAt,
            });
        }
        existing.set(key, updated);
        affected.add(change.userRef);
        if (row.user_ref && row.user_ref !== change.userRef)
          affected.add(row.user_ref);
      }
      for (const batch of chunks([...inserts.values()]))
        await tx('onboarding_shas').insert(batch);
    });
    return [...affected];
  }

  async recordDeployments(deployments: DeploymentRecord[]): Promise<string[]> {
    const affected = new Set<string>();
    // The earliest deployment per (entity, sha) wins, also within one batch.
    const earliest = new Map<
      string,
      { entityRef: string; sha: string; at: Date; id: string }
    >();
    for (const d of deployments) {
      for (const sha of d.shas) {
        const key = `${d.entityRef}\n${sha}`;
        const seen = earliest.get(key);
        if (!seen || d.finishedAt < seen.at)
          earliest.set(key, {
            entityRef: d.entityRef,
            sha,
            at: d.finishedAt,
            id: d.deploymentId,
          });
      }
    }
    if (!earliest.size) return [];
    if (this.db.client.config.client === 'pg') {
      // One statement whatever the batch size: a DORA batch of 250 deployments lists about 750 shas, which would be
      // a lookup and an insert per 300 of them. The row keeps the earliest deployment; the people whose recorded
      // change got an earlier (or a first) deployment are those returned.
      const rows = [...earliest.values()];
      const result = await this.db.raw(
        `insert into onboarding_shas (entity_ref, sha, deployed_at, deployment_id)
         select * from unnest(?::text[], ?::text[], ?::timestamptz[], ?::text[])
         on conflict (entity_ref, sha) do update
           set deployed_at = excluded.deployed_at, deployment_id = excluded.deployment_id
           where onboarding_shas.deployed_at is null or onboarding_shas.deployed_at > excluded.deployed_at
         returning user_ref`,
        [
          rows.map(e => e.entityRef),
          rows.map(e => e.sha),
          rows.map(e => e.at.toISOString()),
          rows.map(e => e.id),
        ],
      );
      for (const row of result.rows as Array<{ user_ref: string | null }>)
        if (row.user_ref) affected.add(row.user_ref);
      return [...affected];
    }
    await this.db.transaction(async tx => {
      const existing = await this.existingShas(
        tx,
        [...earliest.values()].map(e => [e.entityRef, e.sha]),
      );
      const inserts: ShaRow[] = [];
      for (const [key, e] of earliest) {
        const row = existing.get(key);
        if (!row) {
          inserts.push({
            entity_ref: e.entityRef,
            sha: e.sha,
            user_ref: null,
            change_id: null,
            merged_at: null,
            deployed_at: e.at,
            deployment_id: e.id,
          });
          continue;
        }
        const current = date(row.deployed_at);
        if (current && current <= e.at) continue;
        await tx('onboarding_shas')
          .where({ entity_ref: e.entityRef, sha: e.sha })
          .update({ deployed_at: e.at, deployment_id: e.id });
        if (row.user_ref) affected.add(row.user_ref);
      }
      for (const batch of chunks(inserts))
        await tx('onboarding_shas').insert(batch);
    });
    return [...affected];
  }

  async peopleWithChecklists(userRefs: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const batch of chunks(userRefs)) {
      const rows = await this.db('onboarding_checklists')
        .distinct('user_ref')
        .whereIn('user_ref', batch);
      out.push(...rows.map((r: { user_ref: string }) => r.user_ref));
    }
    return out;
  }

  async peopleWithTemplates(templateIds: string[]): Promise<string[]> {
    if (!templateIds.length) return [];
    const rows = await this.db('onboarding_checklists')
      .distinct('user_ref')
      .whereIn('template_id', templateIds);
    return rows.map((r: { user_ref: string }) => r.user_ref);
  }

  async listHistory(query: {
    userRef?: string;
    limit: number;
    offset: number;
  }) {
    const base = () => {
      const q = this.db<HistoryRow>('onboarding_step_history');
      return query.userRef ? q.where({ user_ref: query.userRef }) : q;
    };
    const [rows, [{ count }]] = await Promise.all([
      base().orderBy('id', 'desc').limit(query.limit).offset(query.offset),
      base().count({ count: '*' }),
    ]);
    const items = rows.map(
      (row): StepCompletion => ({
        userRef: row.user_ref,
        checklistId: row.checklist_id,
        stepId: row.step_id,
        done: Boolean(row.done),
        at: timestampToIso(row.at),
        by: row.by as StepCompletion['by'],
        ...(row.actor_ref ? { actorRef: row.actor_ref } : {}),
        ...(row.evidence ? { evidence: row.evidence } : {}),
      }),
    );
    return { items, totalCount: Number(count) };
  }

  async listTeamMembers(teamRefs?: string[]) {
    if (!teamRefs) {
      // The org report: every row, without names (one scan of the rollup, no join).
      const rows = await this.db<TeamRow>('onboarding_team_members').select(
        'team_ref',
        'user_ref',
        'team_title',
        'checklists',
        'done_count',
        'total_count',
        'started_at',
        'completed_at',
        'last_progress_at',
        'first_change_at',
        'first_deploy_at',
      );
      return rows.map(row => ({ ...toTeamMember(row), displayName: null }));
    }
    const rows = await this.db<TeamRow & { display_name: string | null }>(
      'onboarding_team_members as t',
    )
      .leftJoin('onboarding_people as p', 'p.user_ref', 't.user_ref')
      .select('t.*', 'p.display_name')
      .whereIn('t.team_ref', teamRefs);
    return rows.map(row => ({
      ...toTeamMember(row),
      displayName: row.display_name ?? null,
    }));
  }

  async getTemplateSetRevision(): Promise<number> {
    const row = await this.db('onboarding_template_sets')
      .where({ id: 1 })
      .first('revision');
    return row ? Number(row.revision) : 0;
  }

  async getTemplateSet(): Promise<TemplateSetRecord | undefined> {
    const row = await this.db('onboarding_template_sets')
      .where({ id: 1 })
      .first();
    if (!row) return undefined;
    return {
      revision: Number(row.revision),
      templates: JSON.parse(row.templates),
      problems: JSON.parse(row.problems),
      updatedAt: date(row.updated_at)!,
    };
  }

  async saveTemplateSet(
    set: Pick<TemplateSetRecord, 'templates' | 'problems'>,
    expectedRevision: number,
  ): Promise<number | undefined> {
    const values = {
      templates: JSON.stringify(set.templates),
      problems: JSON.stringify(set.problems),
      updated_at: new Date(),
    };
    const revision = expectedRevision + 1;
    if (expectedRevision === 0) {
      const inserted = await this.db('onboarding_template_sets')
        .insert({ id: 1, revision, ...values })
        .onConflict('id')
        .ignore()
        .returning('id');
      return Array.isArray(inserted) && inserted.length > 0
        ? revision
        : undefined;
    }
    // Compare-and-set: a replica that read an older revision does not overwrite a newer set.
    const updated = await this.db('onboarding_template_sets')
      .where({ id: 1, revision: expectedRevision })
      .update({ revision, ...values });
    return updated ? revision : undefined;
  }
}
