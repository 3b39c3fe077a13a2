import {
  Checklist,
  ChecklistStep,
  OnboardingTemplate,
  TemplateStep,
} from '@vitals/plugin-onboarding-common';
import {
  ChecklistRecord,
  NewStepCompletion,
  PersonRecord,
  ProgressWrite,
  ShaRecord,
  StepStateRecord,
  TeamMemberRecord,
  UserState,
} from '../database/OnboardingStore';

const DAY = 86_400_000;

export interface EvaluateOptions {
  userRef: string;
  state: UserState;
  /** Template by id; checklists whose template is gone are left out. */
  templateOf: (templateId: string) => OnboardingTemplate | undefined;
  /** The person's groups (direct and ancestors) when known; group-membership steps are only evaluated then. */
  memberOf?: Set<string>;
  /** The user's display name, when read from the catalog. */
  displayName?: string | null;
  now: Date;
  stalledAfterDays: number;
}

export interface Evaluation {
  checklists: Checklist[];
  write: ProgressWrite;
}

function formatDay(at: Date): string {
  return at.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

const maxDate = (dates: Array<Date | null | undefined>): Date | null =>
  dates.reduce<Date | null>(
    (max, d) => (d && (!max || d > max) ? d : max),
    null,
  );
const minDate = (dates: Array<Date | null | undefined>): Date | null =>
  dates.reduce<Date | null>(
    (min, d) => (d && (!min || d < min) ? d : min),
    null,
  );
const sameTime = (a: Date | null, b: Date | null) =>
  (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** The entity an automatic step looks at: the step's own, else the checklist's, else anywhere (undefined). */
function scopeOf(
  step: TemplateStep,
  record: ChecklistRecord,
): string | undefined {
  return step.entityRef ?? record.entityRef ?? undefined;
}

/** In words, what completes an automatic step. */
export function howItCompletes(
  step: TemplateStep,
  scope: string | undefined,
): string | undefined {
  const where = scope
    ? `in ${scope}`
    : 'in any entity whose delivery events the portal receives';
  switch (step.kind) {
    case 'first-change-merged':
      return `Completes when a change you authored is merged ${where}`;
    case 'first-change-deployed':
      return `Completes when a change you authored is deployed to production ${where}`;
    case 'group-membership':
      return `Completes when the catalog lists you as a member of ${step.group}`;
    case 'docs-visit':
      return scope
        ? `Completes when you open the docs of ${scope} in the portal`
        : 'Completes when you open the docs of any entity in the portal';
    default:
      return undefined;
  }
}

interface Evidence {
  at: Date;
  text: string;
}

function findEvidence(
  step: TemplateStep,
  scope: string | undefined,
  state: UserState,
  memberOf: Set<string> | undefined,
  now: Date,
  record: ChecklistRecord,
): Evidence | undefined {
  const inScope = (entityRef: string) => !scope || entityRef === scope;
  switch (step.kind) {
    case 'first-change-merged': {
      const first = earliest(
        state.shas.filter(s => s.mergedAt && inScope(s.entityRef)),
        s => s.mergedAt!,
      );
      return first
        ? {
            at: first.mergedAt!,
            text: `Change ${first.sha.slice(0, 7)} merged in ${
              first.entityRef
            } on ${formatDay(first.mergedAt!)}`,
          }
        : undefined;
    }
    case 'first-change-deployed': {
      const first = earliest(
        state.shas.filter(
          s => s.mergedAt && s.deployedAt && inScope(s.entityRef),
        ),
        s => s.deployedAt!,
      );
      return first
        ? {
            at: first.deployedAt!,
            text: `Change ${first.sha.slice(0, 7)} deployed to production in ${
              first.entityRef
            } on ${formatDay(first.deployedAt!)}`,
          }
        : undefined;
    }
    case 'docs-visit': {
      const first = earliest(
        state.visits.filter(v => v.kind === 'docs' && inScope(v.entityRef)),
        v => v.visitedAt,
      );
      return first
        ? {
            at: first.visitedAt,
            text: `Opened the docs of ${first.entityRef} on ${formatDay(
              first.visitedAt,
            )}`,
          }
        : undefined;
    }
    case 'group-membership':
      // A membership seen when the checklist is first evaluated (totals not yet rolled up) is what gave the person the
      // checklist: it counts from the start, not as progress made today.
      return memberOf && step.group && memberOf.has(step.group)
        ? {
            at: record.totalCount === 0 ? record.startedAt : now,
            text: `The catalog lists you as a member of ${step.group}`,
          }
        : undefined;
    default:
      return undefined;
  }
}

function earliest<T>(items: T[], at: (item: T) => Date): T | undefined {
  let best: T | undefined;
  for (const item of items) if (!best || at(item) < at(best)) best = item;
  return best;
}

/**
 * Time to first value from a start: the first change is the earliest merge at or after the start; the first deploy is
 * the earliest production deployment of a change merged at or after the start. A change merged before the start does
 * not count, even when it was deployed after it, so the first deploy is never earlier than the first change.
 */
export function firstValueSince(
  shas: ShaRecord[],
  start: Date,
): { firstChangeAt: Date | null; firstDeployAt: Date | null } {
  const since = shas.filter(s => !!s.mergedAt && s.mergedAt >= start);
  return {
    firstChangeAt: minDate(since.map(s => s.mergedAt)),
    firstDeployAt: minDate(since.map(s => s.deployedAt)),
  };
}

/**
 * Computes a person's checklists from what is stored, records automatic completions whose evidence has arrived (once),
 * and returns the rollups to write when they differ from the stored ones. Pure: the caller writes `write`.
 */
export function evaluateProgress(options: EvaluateOptions): Evaluation {
  const { userRef, state, templateOf, memberOf, now, stalledAfterDays } =
    options;
  const stepStates = new Map<string, StepStateRecord>(
    state.steps.map(s => [`${s.checklistId}\n${s.stepId}`, s]),
  );
  const write: ProgressWrite = { checklists: [], stepStates: [], history: [] };
  const checklists: Checklist[] = [];
  const counted: Array<{
    record: ChecklistRecord;
    done: number;
    total: number;
    lastProgressAt: Date | null;
    completedAt: Date | null;
  }> = [];
  const stalledBefore = now.getTime() - stalledAfterDays * DAY;

  for (const record of state.checklists) {
    if (!record.active) continue;
    const template = templateOf(record.templateId);
    if (!template) continue;
    const steps: ChecklistStep[] = [];
    const progressTimes: Date[] = [];
    for (const step of template.spec.steps) {
      const key = `${record.checklistId}\n${step.id}`;
      let stored = stepStates.get(key);
      const scope =
        step.kind === 'manual' || step.kind === 'group-membership'
          ? undefined
          : scopeOf(step, record);
      if (step.kind !== 'manual' && !stored?.done) {
        const evidence = findEvidence(
          step,
          scope,
          state,
          memberOf,
          now,
          record,
        );
        if (evidence) {
          const progressAt = new Date(
            Math.min(
              now.getTime(),
              Math.max(evidence.at.getTime(), record.startedAt.getTime()),
            ),
          );
          stored = {
            checklistId: record.checklistId,
            stepId: step.id,
            done: true,
            completedAt: evidence.at,
            progressAt,
            completedBy: 'automatic',
            evidence: evidence.text,
          };
          stepStates.set(key, stored);
          write.stepStates.push(stored);
          const entry: NewStepCompletion = {
            userRef,
            checklistId: record.checklistId,
            stepId: step.id,
            done: true,
            at: now,
            by: 'automatic',
            evidence: evidence.text,
          };
          write.history.push(entry);
        }
      }
      const done = !!stored?.done;
      if (done && stored?.progressAt) progressTimes.push(stored.progressAt);
      steps.push({
        id: step.id,
        title: step.title,
        ...(step.description ? { description: step.description } : {}),
        links: step.links,
        kind: step.kind,
        ...(scope && step.kind !== 'manual' ? { entityRef: scope } : {}),
        ...(step.group ? { group: step.group } : {}),
        done,
        ...(done && stored?.completedAt
          ? { completedAt: stored.completedAt.toISOString() }
          : {}),
        ...(done && stored?.completedBy
          ? { completedBy: stored.completedBy }
          : {}),
        ...(done && stored?.evidence ? { evidence: stored.evidence } : {}),
        ...(step.kind !== 'manual'
          ? { howItCompletes: howItCompletes(step, scope) }
          : {}),
      });
    }
    const done = steps.filter(s => s.done).length;
    const total = steps.length;
    const lastProgressAt = maxDate(progressTimes);
    const completedAt =
      total > 0 && done === total ? lastProgressAt ?? now : null;
    const stalled =
      !completedAt &&
      (lastProgressAt ?? record.startedAt).getTime() < stalledBefore;
    counted.push({ record, done, total, lastProgressAt, completedAt });
    if (
      record.doneCount !== done ||
      record.totalCount !== total ||
      !sameTime(record.lastProgressAt, lastProgressAt) ||
      !sameTime(record.completedAt, completedAt)
    ) {
      write.checklists.push({
        ...record,
        doneCount: done,
        totalCount: total,
        lastProgressAt,
        completedAt,
      });
    }
    const entityName = record.entityRef
      ? record.entityRef.split('/').pop()
      : undefined;
    checklists.push({
      id: record.checklistId,
      templateId: record.templateId,
      title: entityName
        ? `${template.metadata.title}: ${entityName}`
        : template.metadata.title,
      ...(template.metadata.description
        ? { description: template.metadata.description }
        : {}),
      ...(record.entityRef ? { entityRef: record.entityRef } : {}),
      ...(!record.entityRef && record.teamRef
        ? { groupRef: record.teamRef }
        : {}),
      userRef,
      startedAt: record.startedAt.toISOString(),
      ...(completedAt ? { completedAt: completedAt.toISOString() } : {}),
      ...(lastProgressAt
        ? { lastProgressAt: lastProgressAt.toISOString() }
        : {}),
      stalled,
      done,
      total,
      steps,
    });
  }

  // Rollups per team and for the person, written only when they differ from what is stored.
  const byTeam = new Map<string, typeof counted>();
  for (const c of counted) {
    if (!c.record.teamRef) continue;
    byTeam.set(c.record.teamRef, [...(byTeam.get(c.record.teamRef) ?? []), c]);
  }
  const teams: TeamMemberRecord[] = [...byTeam.entries()]
    .map(([teamRef, items]) => {
      const startedAt = minDate(items.map(i => i.record.startedAt))!;
      const allDone = items.every(i => i.completedAt);
      return {
        teamRef,
        userRef,
        teamTitle:
          items.find(i => i.record.teamTitle)?.record.teamTitle ?? null,
        checklists: items.length,
        doneCount: items.reduce((n, i) => n + i.done, 0),
        totalCount: items.reduce((n, i) => n + i.total, 0),
        startedAt,
        completedAt: allDone ? maxDate(items.map(i => i.completedAt)) : null,
        lastProgressAt: maxDate(items.map(i => i.lastProgressAt)),
        ...firstValueSince(state.shas, startedAt),
      };
    })
    .sort((a, b) => a.teamRef.localeCompare(b.teamRef));
  const storedTeams = [...state.teams].sort((a, b) =>
    a.teamRef.localeCompare(b.teamRef),
  );
  const teamKey = (t: TeamMemberRecord) =>
    JSON.stringify([
      t.teamRef,
      t.teamTitle,
      t.checklists,
      t.doneCount,
      t.totalCount,
      ...[
        t.startedAt,
        t.completedAt,
        t.lastProgressAt,
        t.firstChangeAt,
        t.firstDeployAt,
      ].map(d => d?.getTime() ?? null),
    ]);
  if (teams.map(teamKey).join('|') !== storedTeams.map(teamKey).join('|')) {
    write.teams = teams;
  }

  const personStart = minDate(counted.map(c => c.record.startedAt));
  if (!personStart) {
    if (state.person) write.person = null;
  } else {
    const person: PersonRecord = {
      userRef,
      displayName:
        options.displayName !== undefined
          ? options.displayName
          : state.person?.displayName ?? null,
      startedAt: personStart,
      ...firstValueSince(state.shas, personStart),
    };
    const p = state.person;
    if (
      !p ||
      p.displayName !== person.displayName ||
      !sameTime(p.startedAt, person.startedAt) ||
      !sameTime(p.firstChangeAt, person.firstChangeAt) ||
      !sameTime(p.firstDeployAt, person.firstDeployAt)
    ) {
      write.person = person;
    }
  }
  return { checklists, write };
}
