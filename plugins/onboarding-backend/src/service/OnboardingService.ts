import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeEntityRef } from '@vitals/common';
import {
  Checklist,
  MyOnboarding,
  OrgOnboardingReport,
  TeamOnboardingReport,
} from '@vitals/plugin-onboarding-common';
import {
  ChecklistRecord,
  NewStepCompletion,
  OnboardingStore,
  StepStateRecord,
  UserState,
} from '../database/OnboardingStore';
import { TemplateRegistry } from '../templates/TemplateRegistry';
import { evaluateProgress } from './progress';
import { buildOrgReport, buildTeamReport } from './reports';
import {
  chainOf,
  isEntityTemplate,
  loadEntity,
  loadGroupChains,
  loadOwnedEntities,
  loadUserContext,
  Placement,
  placementsFor,
  templateTargetsEntity,
  UserContext,
} from './resolver';

export interface OnboardingServiceOptions {
  store: OnboardingStore;
  templates: TemplateRegistry;
  catalog: CatalogService;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  stalledAfterDays: number;
  now?: () => Date;
}

/** Checklists to place for a person, where they come from, and whether those of that origin not among them go. */
type Placements = {
  items: Placement[];
  origin: ChecklistRecord['origin'];
  replace: boolean;
  startedAt?: Date;
};

/** People whose stored states one re-evaluation reads together. */
const REEVALUATE_BATCH = 100;

/** The onboarding logic: which checklists people have, their progress, and the reports. */
export class OnboardingService {
  private readonly now: () => Date;

  constructor(private readonly options: OnboardingServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get stalledAfterDays() {
    return this.options.stalledAfterDays;
  }

  private credentials(): Promise<BackstageCredentials> {
    return this.options.auth.getOwnServiceCredentials();
  }

  /**
   * Places the checklists a person has now (new ones start now), evaluates them and, unless `persist` is false, writes
   * what changed in one transaction.
   */
  private async evaluate(
    userRef: string,
    options: {
      state?: UserState;
      ctx?: UserContext;
      placements?: Placements;
      stepWrites?: {
        states: StepStateRecord[];
        history: NewStepCompletion[];
        deletes?: Array<{ checklistId: string; stepId: string }>;
      };
      at?: Date;
      /** False for reads: the answer is computed, nothing is written. */
      persist?: boolean;
    } = {},
  ): Promise<{ checklists: Checklist[]; state: UserState }> {
    const now = options.at ?? this.now();
    const state =
      options.state ?? (await this.options.store.getUserState(userRef));
    const placed: ChecklistRecord[] = [];
    if (options.placements) {
      const { items, origin, replace } = options.placements;
      const existing = new Map(state.checklists.map(c => [c.checklistId, c]));
      const wanted = new Set(items.map(p => p.checklistId));
      for (const p of items) {
        const current = existing.get(p.checklistId);
        if (!current) {
          const record: ChecklistRecord = {
            userRef,
            ...p,
            origin,
            active: true,
            startedAt: options.placements.startedAt ?? now,
            doneCount: 0,
            totalCount: 0,
            lastProgressAt: null,
            completedAt: null,
          };
          state.checklists.push(record);
          placed.push(record);
        } else if (!current.active) {
          // Back again (rejoined the team, or started on an entity page): it keeps its start and its history.
          Object.assign(current, {
            active: true,
            origin,
            teamRef: p.teamRef,
            teamTitle: p.teamTitle,
          });
          placed.push(current);
        } else if (
          current.teamRef !== p.teamRef ||
          current.teamTitle !== p.teamTitle
        ) {
          Object.assign(current, {
            teamRef: p.teamRef,
            teamTitle: p.teamTitle,
          });
          placed.push(current);
        }
      }
      if (replace) {
        for (const c of state.checklists) {
          // Checklists started on an entity page stay; those from memberships go when the person leaves the team.
          if (c.origin === origin && c.active && !wanted.has(c.checklistId)) {
            c.active = false;
            placed.push(c);
          }
        }
      }
    }
    if (options.stepWrites) {
      const byKey = new Map(
        state.steps.map(s => [`${s.checklistId}\n${s.stepId}`, s]),
      );
      for (const s of options.stepWrites.states)
        byKey.set(`${s.checklistId}\n${s.stepId}`, s);
      state.steps = [...byKey.values()];
    }
    const { checklists, write } = evaluateProgress({
      userRef,
      state,
      templateOf: id => this.options.templates.get(id)?.template,
      memberOf: options.ctx?.groups,
      displayName: options.ctx ? options.ctx.displayName : undefined,
      now,
      stalledAfterDays: this.options.stalledAfterDays,
    });
    if (options.persist === false) return { checklists, state };
    const rollups = new Map(write.checklists.map(c => [c.checklistId, c]));
    for (const c of placed)
      if (!rollups.has(c.checklistId)) rollups.set(c.checklistId, c);
    write.checklists = [...rollups.values()];
    if (options.stepWrites) {
      write.deleteStepStates = options.stepWrites.deletes;
      write.stepStates = [...options.stepWrites.states, ...write.stepStates];
      write.history = [...options.stepWrites.history, ...write.history];
    }
    await this.options.store.saveProgress(userRef, write);
    return { checklists, state };
  }

  /**
   * A person's checklists as stored, evaluated against their evidence and the catalog now. Writes nothing: reading
   * someone's onboarding never starts it. Undefined when the catalog has no such user.
   */
  async getOnboarding(userRef: string): Promise<MyOnboarding | undefined> {
    const credentials = await this.credentials();
    const ctx = await loadUserContext(
      this.options.catalog,
      userRef,
      credentials,
    );
    if (!ctx) return undefined;
    const { checklists, state } = await this.evaluate(userRef, {
      ctx,
      persist: false,
    });
    return { userRef, started: state.checklists.length > 0, checklists };
  }

  /**
   * Starts a person's checklists, or brings them up to date: those of their teams and of the services their teams own
   * (new ones start now; those of teams they left are put aside), or with `entityRef` that entity's checklist. A
   * checklist's start never changes. Undefined when the catalog has no such user.
   */
  async start(
    userRef: string,
    options: { entityRef?: string; startedAt?: Date } = {},
  ): Promise<MyOnboarding | undefined> {
    const credentials = await this.credentials();
    const ctx = await loadUserContext(
      this.options.catalog,
      userRef,
      credentials,
    );
    if (!ctx) return undefined;
    let placements: Placements;
    if (options.entityRef) {
      const resolved = await this.entityChecklistOf(
        options.entityRef,
        ctx,
        credentials,
      );
      if (resolved === undefined)
        throw new NotFoundError(
          `No entity ${options.entityRef} in the catalog`,
        );
      if (resolved === null)
        throw new NotFoundError(
          `No onboarding template targets ${options.entityRef}`,
        );
      placements = {
        items: [resolved],
        origin: 'entity-page',
        replace: false,
        startedAt: options.startedAt,
      };
    } else {
      const templates = this.options.templates.all().map(t => t.template);
      const owned = templates.some(isEntityTemplate)
        ? await loadOwnedEntities(
            this.options.catalog,
            [...ctx.groups, userRef],
            credentials,
          )
        : [];
      // New checklists start now; the demo seeding backdates them.
      placements = {
        items: placementsFor(ctx, templates, owned),
        origin: 'membership',
        replace: true,
        startedAt: options.startedAt,
      };
    }
    const { checklists, state } = await this.evaluate(userRef, {
      ctx,
      placements,
    });
    return { userRef, started: state.checklists.length > 0, checklists };
  }

  /**
   * Ticks or unticks a manual step of the person's own checklist. Ticking a step of an entity checklist they have not
   * started (the "Get started with this service" card) starts it.
   */
  async setStepDone(
    userRef: string,
    checklistId: string,
    stepId: string,
    done: boolean,
    at?: Date,
  ): Promise<Checklist> {
    const now = at ?? this.now();
    const state = await this.options.store.getUserState(userRef);
    let templateId = state.checklists.find(
      c => c.checklistId === checklistId && c.active,
    )?.templateId;
    let placements: Placements | undefined;
    let ctx: UserContext | undefined;
    if (!templateId && checklistId.includes(':')) {
      const entityRef = normalizeEntityRef(
        checklistId.slice(checklistId.indexOf(':') + 1),
      );
      const credentials = await this.credentials();
      ctx = await loadUserContext(this.options.catalog, userRef, credentials);
      const resolved = entityRef
        ? await this.entityChecklistOf(entityRef, ctx, credentials)
        : undefined;
      if (resolved?.checklistId === checklistId) {
        templateId = resolved.templateId;
        placements = {
          items: [resolved],
          origin: 'entity-page',
          replace: false,
        };
      }
    }
    const template = templateId
      ? this.options.templates.get(templateId)?.template
      : undefined;
    if (!template) {
      throw new NotFoundError(
        `You have no checklist '${checklistId}'; open My onboarding to see your checklists`,
      );
    }
    const step = template.spec.steps.find(s => s.id === stepId);
    if (!step)
      throw new NotFoundError(
        `Checklist '${checklistId}' has no step '${stepId}'`,
      );
    if (step.kind !== 'manual') {
      throw new InputError(
        `Step '${stepId}' is of kind ${step.kind} and completes itself; only manual steps can be ticked`,
      );
    }
    const current = state.steps.find(
      s => s.checklistId === checklistId && s.stepId === stepId,
    );
    let stepWrites;
    if (!!current?.done !== done) {
      stepWrites = {
        states: [
          {
            checklistId,
            stepId,
            done,
            completedAt: done ? now : null,
            progressAt: done ? now : null,
            completedBy: done ? ('user' as const) : null,
            evidence: null,
          },
        ],
        history: [
          {
            userRef,
            checklistId,
            stepId,
            done,
            at: now,
            by: 'user' as const,
            actorRef: userRef,
          },
        ],
      };
    }
    const { checklists } = await this.evaluate(userRef, {
      state,
      ctx,
      placements,
      stepWrites,
      at: now,
    });
    return checklists.find(c => c.id === checklistId)!;
  }

  /** Records a docs visit and completes the matching docs-visit steps of checklists the person has started. */
  async reportVisit(
    userRef: string,
    entityRef: string,
    kind: 'docs',
    at?: Date,
  ): Promise<void> {
    const now = at ?? this.now();
    const recorded = await this.options.store.recordVisit({
      userRef,
      entityRef,
      kind,
      visitedAt: now,
    });
    if (recorded) await this.evaluate(userRef, { at: now });
  }

  /**
   * The checklist of an entity for a person: the template naming the entity, else the first (by name) matching its
   * kind or type; null when none targets it, undefined when the catalog has no such entity.
   */
  private async entityChecklistOf(
    entityRef: string,
    ctx: UserContext | undefined,
    credentials: BackstageCredentials,
  ): Promise<(Placement & { entityRef: string }) | null | undefined> {
    const entity = await loadEntity(
      this.options.catalog,
      entityRef,
      credentials,
    );
    if (!entity) return undefined;
    const parents = new Map<string, string>();
    const titles = new Map<string, string>();
    if (entity.ownerRef?.startsWith('group:')) {
      await loadGroupChains(
        this.options.catalog,
        [entity.ownerRef],
        credentials,
        { parents, titles },
      );
    }
    const chain = entity.ownerRef ? chainOf(entity.ownerRef, parents) : [];
    const candidates = this.options.templates
      .all()
      .map(t => t.template)
      .filter(t => templateTargetsEntity(t, entity, chain))
      // A template naming the entity beats one matching by kind or type; then by name.
      .sort(
        (a, b) =>
          Number(!!b.spec.targets.entityRefs?.includes(entity.entityRef)) -
            Number(!!a.spec.targets.entityRefs?.includes(entity.entityRef)) ||
          a.metadata.name.localeCompare(b.metadata.name),
      );
    const template = candidates[0];
    if (!template) return null;
    const teamRef = entity.ownerRef?.startsWith('group:')
      ? entity.ownerRef
      : ctx?.directGroups[0] ?? null;
    return {
      checklistId: `${template.metadata.name}:${entity.entityRef}`,
      templateId: template.metadata.name,
      entityRef: entity.entityRef,
      teamRef,
      teamTitle: teamRef
        ? titles.get(teamRef) ?? ctx?.titles.get(teamRef) ?? null
        : null,
    };
  }

  /**
   * The person's checklist for an entity, whether or not they are in the owning team: as stored when they started it,
   * else as it would be (without `startedAt`; ticking a step starts it). Writes nothing. Null when no template targets
   * the entity, undefined when the catalog has no such entity.
   */
  async getEntityChecklist(
    userRef: string,
    entityRef: string,
    at?: Date,
  ): Promise<Checklist | null | undefined> {
    const now = at ?? this.now();
    const credentials = await this.credentials();
    const ctx = await loadUserContext(
      this.options.catalog,
      userRef,
      credentials,
    );
    const resolved = await this.entityChecklistOf(entityRef, ctx, credentials);
    if (!resolved) return resolved;
    const state = await this.options.store.getUserState(userRef);
    const stored = state.checklists.find(
      c => c.checklistId === resolved.checklistId,
    );
    if (stored) {
      stored.active = true;
    } else {
      state.checklists.push({
        userRef,
        ...resolved,
        origin: 'entity-page',
        active: true,
        startedAt: now,
        doneCount: 0,
        totalCount: 0,
        lastProgressAt: null,
        completedAt: null,
      });
    }
    const { checklists } = await this.evaluate(userRef, {
      state,
      ctx,
      at: now,
      persist: false,
    });
    const checklist = checklists.find(c => c.id === resolved.checklistId);
    if (!checklist) return null;
    if (stored) return checklist;
    const { startedAt: _notStarted, ...preview } = checklist;
    return { ...preview, stalled: false };
  }

  /**
   * Clears a person's recorded progress (one checklist or all) in one transaction with its history entries; automatic
   * steps complete again from their evidence.
   */
  async reset(
    userRef: string,
    checklistId: string | undefined,
    actorRef: string,
    at?: Date,
  ): Promise<number> {
    const now = at ?? this.now();
    const state = await this.options.store.getUserState(userRef);
    if (
      checklistId &&
      !state.checklists.some(c => c.checklistId === checklistId)
    ) {
      throw new NotFoundError(`${userRef} has no checklist '${checklistId}'`);
    }
    const cleared = state.steps.filter(
      s => !checklistId || s.checklistId === checklistId,
    );
    const history: NewStepCompletion[] = cleared
      .filter(s => s.done)
      .map(s => ({
        userRef,
        checklistId: s.checklistId,
        stepId: s.stepId,
        done: false,
        at: now,
        by: 'reset',
        actorRef,
      }));
    state.steps = state.steps.filter(s => !cleared.includes(s));
    // With the catalog's view, membership steps complete again in the same write.
    const ctx = await loadUserContext(
      this.options.catalog,
      userRef,
      await this.credentials(),
    );
    await this.evaluate(userRef, {
      state,
      ctx,
      stepWrites: {
        states: [],
        history,
        deletes: cleared.map(s => ({
          checklistId: s.checklistId,
          stepId: s.stepId,
        })),
      },
      at: now,
    });
    return history.length;
  }

  /** Re-evaluates people after new evidence arrived (events) or templates changed; only people with checklists. */
  async reevaluate(userRefs: string[]): Promise<number> {
    const people = await this.options.store.peopleWithChecklists([
      ...new Set(userRefs),
    ]);
    // Their states are read a batch at a time rather than person by person; each person's write stays their own.
    for (let i = 0; i < people.length; i += REEVALUATE_BATCH) {
      const batch = people.slice(i, i + REEVALUATE_BATCH);
      const states = await this.options.store.getUserStates(batch);
      for (const userRef of batch)
        await this.evaluate(userRef, { state: states.get(userRef) });
    }
    return people.length;
  }

  async teamReport(
    groupRef: string,
  ): Promise<TeamOnboardingReport | undefined> {
    const credentials = await this.credentials();
    const group = await this.options.catalog.getEntityByRef(groupRef, {
      credentials,
    });
    if (!group || group.kind.toLocaleLowerCase('en-US') !== 'group')
      return undefined;
    const teams = await this.descendants(groupRef, group, credentials);
    const rows = await this.options.store.listTeamMembers(teams);
    const title =
      group.metadata.title ??
      (group.spec?.profile as { displayName?: string } | undefined)
        ?.displayName;
    return buildTeamReport(
      groupRef,
      title,
      rows,
      this.now(),
      this.options.stalledAfterDays,
    );
  }

  /** The group and its descendants, level by level from the group already read (one catalog call per lower level). */
  private async descendants(
    groupRef: string,
    group: Entity,
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const seen = new Set<string>([groupRef]);
    let frontier = [groupRef];
    for (let depth = 0; frontier.length && depth < 20; depth++) {
      const items =
        depth === 0
          ? [group]
          : (
              await this.options.catalog.getEntitiesByRefs(
                { entityRefs: frontier, fields: ['relations'] },
                { credentials },
              )
            ).items;
      const next: string[] = [];
      for (const g of items) {
        for (const r of g?.relations ?? []) {
          const ref = normalizeEntityRef(r.targetRef);
          if (ref && r.type === 'parentOf' && !seen.has(ref)) {
            seen.add(ref);
            next.push(ref);
          }
        }
      }
      frontier = next;
    }
    return [...seen];
  }

  async orgReport(): Promise<OrgOnboardingReport> {
    const rows = await this.options.store.listTeamMembers();
    return buildOrgReport(rows, this.now(), this.options.stalledAfterDays);
  }
}
