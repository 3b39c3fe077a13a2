import { parseEntityRef } from '@backstage/catalog-model';
import type { OnboardingMember } from '@vitals/plugin-onboarding-common';
import type {
  OwnershipProblemKind,
  OwnershipReportRow,
} from '@vitals/plugin-ownership-common';
import {
  COST_OF_DELAY,
  costOfDelay,
  CostOfDelayInputs,
  EntityScorecardResult,
  NEXT_ACTION_KINDS,
  NextAction,
  ScorecardDefinition,
  Waiver,
} from '@vitals/plugin-scorecards-common';
import type { DebtItem } from '@vitals/plugin-tech-debt-common';

/**
 * The fixed inputs used where an area records no figure of its own. Each is documented, with why, in the package
 * README ("Next best actions"); change them there too.
 */
export const NEXT_ACTION_DEFAULTS = {
  /** Impact of a failing check of a scorecard's lowest level: the baseline every entity should meet. */
  baselineCheckImpact: 5,
  /** Impact of a failing check of the level just above the entity's: it is what stands between it and the next. */
  nextLevelCheckImpact: 4,
  /** Impact of a failing check of a level further up: it only counts once the lower levels are reached. */
  laterLevelCheckImpact: 2,
  /** A check records no effort estimate: most are a configuration or catalog change, about a day. */
  checkEffortDays: 1,
  /** Fixing an owner, a contact or confirming ownership is a catalog edit or a click: half a day at most. */
  ownershipEffortDays: 0.5,
  /** Unblocking a newcomer: a pairing session and a follow-up, about a day of someone's time. */
  onboardingEffortDays: 1,
  /** A stalled newcomer cannot deliver: the same impact as a check that blocks the next level, less one. */
  onboardingImpact: 3,
} as const;

/** Impact of each ownership problem: nobody to call beats a thin team, which beats paperwork. */
export const OWNERSHIP_PROBLEM_IMPACT: Record<OwnershipProblemKind, number> = {
  'no-owner': 5,
  'owner-unresolved': 5,
  'owner-no-members': 4,
  'owner-single-member': 3,
  'no-contact': 2,
  'confirmation-overdue': 1,
};

const DAY_MS = 86_400_000;

/** An action before it is ranked. */
export type NextActionCandidate = Omit<NextAction, 'rank' | 'score'>;

/** The portal path of an entity page, or one of its tabs: `/catalog/default/component/payments-api/scorecards`. */
export function entityPath(entityRef: string, tab?: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const parts = [
    'catalog',
    namespace,
    kind.toLocaleLowerCase('en-US'),
    name,
    ...(tab ? [tab] : []),
  ];
  return `/${parts.map(encodeURIComponent).join('/')}`;
}

/** Whole days from `now` to `at` (negative once passed), rounded down so that "in 6.9 days" reads "in 6 days". */
function daysUntil(at: string, now: Date): number {
  return Math.floor((Date.parse(at) - now.getTime()) / DAY_MS);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const formatDays = (days: number) =>
  `${Number.isInteger(days) ? days : days.toFixed(1)} ${
    days === 1 ? 'day' : 'days'
  }`;

/** The impact of a failing check, from where its level sits relative to the entity's level. */
export function checkImpact(
  checkLevelIndex: number,
  entityLevelIndex: number,
): { impact: number; why: string } {
  if (checkLevelIndex <= 0)
    return {
      impact: NEXT_ACTION_DEFAULTS.baselineCheckImpact,
      why: 'a check of the lowest level',
    };
  if (checkLevelIndex === entityLevelIndex + 1)
    return {
      impact: NEXT_ACTION_DEFAULTS.nextLevelCheckImpact,
      why: 'it blocks the next level',
    };
  return {
    impact: NEXT_ACTION_DEFAULTS.laterLevelCheckImpact,
    why: 'a check of a higher level',
  };
}

/**
 * Failing checks (not waived) of the team's stored results, and the waivers in force that end within the deadline
 * horizon while their check still fails on its own merits.
 */
export function scorecardCandidates(options: {
  results: EntityScorecardResult[];
  waivers: Waiver[];
  definitions: ScorecardDefinition[];
  now: Date;
}): NextActionCandidate[] {
  const { now } = options;
  const definitions = new Map(options.definitions.map(d => [d.id, d]));
  const results = new Map(
    options.results.map(r => [`${r.entityRef}\u0000${r.scorecardId}`, r]),
  );
  const candidates: NextActionCandidate[] = [];

  const placeOf = (result: EntityScorecardResult, checkId: string) => {
    const definition = definitions.get(result.scorecardId);
    const check = definition?.checks.find(c => c.id === checkId);
    if (!definition || !check) return undefined;
    const levelIndex = definition.levels.findIndex(l => l.id === check.level);
    return {
      definition,
      check,
      level: definition.levels[levelIndex],
      ...checkImpact(levelIndex, result.levelIndex),
    };
  };

  for (const result of options.results) {
    for (const c of result.checks) {
      if (c.passed || c.waiver) continue;
      const place = placeOf(result, c.checkId);
      // A check the definitions no longer have: the next evaluation drops it.
      if (!place) continue;
      const inputs: CostOfDelayInputs = {
        impact: place.impact,
        effortDays: NEXT_ACTION_DEFAULTS.checkEffortDays,
        deadlineInDays: null,
        interestDaysPerMonth: null,
      };
      const stale = c.stale
        ? ` (last known result: the ${c.stale.providerId} facts are unavailable)`
        : '';
      candidates.push({
        id: `scorecard-check:${result.entityRef}:${result.scorecardId}:${c.checkId}`,
        kind: 'scorecard-check',
        title: `Pass “${place.check.title}” (${place.definition.title})`,
        entityRef: result.entityRef,
        reason: `Fails${c.message ? `: ${c.message}` : ''}${stale}. ${
          place.level?.title ?? place.check.level
        } check, impact ${place.impact} of 5 as ${
          place.why
        }; about ${formatDays(inputs.effortDays)} of work.`,
        inputs,
        deadline: null,
        link: entityPath(result.entityRef, 'scorecards'),
      });
    }
  }

  for (const waiver of options.waivers) {
    const daysLeft = daysUntil(waiver.expiresAt, now);
    if (daysLeft > COST_OF_DELAY.deadlineHorizonDays) continue;
    const result = results.get(
      `${waiver.entityRef}\u0000${waiver.scorecardId}`,
    );
    const c = result?.checks.find(x => x.checkId === waiver.checkId);
    // Nothing to do when the check passes without the waiver (or has no result yet to tell).
    if (!result || !c || c.passed) continue;
    const place = placeOf(result, c.checkId);
    if (!place) continue;
    const inputs: CostOfDelayInputs = {
      impact: place.impact,
      effortDays: NEXT_ACTION_DEFAULTS.checkEffortDays,
      deadlineInDays: daysLeft,
      interestDaysPerMonth: null,
    };
    const when =
      daysLeft < 1
        ? 'today'
        : `in ${plural(daysLeft, 'day')} (${waiver.expiresAt.slice(0, 10)})`;
    candidates.push({
      id: `waiver-expiring:${waiver.id}`,
      kind: 'waiver-expiring',
      title: `Fix “${place.check.title}” before its waiver ends`,
      entityRef: waiver.entityRef,
      reason: `The waiver (“${
        waiver.reason
      }”) ends ${when} and the check still fails${
        c.message ? `: ${c.message}` : ''
      }. Impact ${place.impact} of 5 as ${place.why}.`,
      inputs,
      deadline: waiver.expiresAt,
      link: entityPath(waiver.entityRef, 'scorecards'),
    });
  }
  return candidates;
}

/** Open (unresolved) debt items: their own impact, effort and interest. */
export function techDebtCandidates(items: DebtItem[]): NextActionCandidate[] {
  return items.map(item => {
    const interestDays =
      item.interestHoursPerMonth === null
        ? null
        : item.interestHoursPerMonth / 8;
    const inputs: CostOfDelayInputs = {
      impact: item.impact,
      effortDays: item.effortDays,
      deadlineInDays: null,
      interestDaysPerMonth: interestDays,
    };
    const interest = item.interestHoursPerMonth
      ? `, costs ${item.interestHoursPerMonth} hours a month`
      : '';
    return {
      id: `tech-debt:${item.id}`,
      kind: 'tech-debt',
      title: item.title,
      entityRef: item.entityRef,
      reason: `Open debt (${item.status.replace('_', ' ')}): impact ${
        item.impact
      } of 5${interest}; about ${formatDays(item.effortDays)} of work.`,
      inputs,
      deadline: null,
      link: entityPath(item.entityRef, 'tech-debt'),
    };
  });
}

/** Problems of the owning group rather than of the entity: one action per group, not one per entity it owns. */
const OWNER_LEVEL_PROBLEMS: ReadonlySet<OwnershipProblemKind> = new Set([
  'owner-no-members',
  'owner-single-member',
]);

/**
 * One action per ownership problem to fix: per entity for the entity's own problems (no owner, an owner the catalog
 * does not have, no contact, an overdue confirmation), and per owning group for the group's (no members, a single
 * member), listing the entities it affects. An overdue confirmation is past its deadline.
 */
export function ownershipCandidates(
  rows: OwnershipReportRow[],
): NextActionCandidate[] {
  const candidates: NextActionCandidate[] = [];
  const ownerProblems = new Map<
    string,
    {
      ownerRef: string;
      kind: OwnershipProblemKind;
      message: string;
      entities: string[];
    }
  >();
  const inputsOf = (kind: OwnershipProblemKind): CostOfDelayInputs => ({
    impact: OWNERSHIP_PROBLEM_IMPACT[kind] ?? 1,
    effortDays: NEXT_ACTION_DEFAULTS.ownershipEffortDays,
    // The ownership plugin already counts the confirmation as past due.
    deadlineInDays: kind === 'confirmation-overdue' ? 0 : null,
    interestDaysPerMonth: null,
  });
  for (const row of rows) {
    for (const problem of row.problems) {
      if (OWNER_LEVEL_PROBLEMS.has(problem.kind) && row.ownerRef) {
        const key = `${row.ownerRef}\u0000${problem.kind}`;
        const entry = ownerProblems.get(key) ?? {
          ownerRef: row.ownerRef,
          kind: problem.kind,
          message: problem.message,
          entities: [],
        };
        entry.entities.push(row.entityRef);
        ownerProblems.set(key, entry);
        continue;
      }
      const inputs = inputsOf(problem.kind);
      const name = row.title ?? parseEntityRef(row.entityRef).name;
      candidates.push({
        id: `ownership:${row.entityRef}:${problem.kind}`,
        kind: 'ownership',
        title:
          problem.kind === 'confirmation-overdue'
            ? `Confirm who owns ${name}`
            : `Fix the ownership of ${name}`,
        entityRef: row.entityRef,
        reason: `${problem.message.replace(/\.$/, '')}. Impact ${
          inputs.impact
        } of 5${
          inputs.deadlineInDays === null ? '' : ', overdue'
        }; a catalog edit or a confirmation.`,
        inputs,
        deadline: null,
        link: entityPath(row.entityRef),
      });
    }
  }
  for (const entry of ownerProblems.values()) {
    const inputs = inputsOf(entry.kind);
    const affected = entry.entities.sort();
    const names = affected.map(ref => parseEntityRef(ref).name);
    candidates.push({
      id: `ownership:${entry.ownerRef}:${entry.kind}`,
      kind: 'ownership',
      title:
        entry.kind === 'owner-single-member'
          ? `Add a second member to ${parseEntityRef(entry.ownerRef).name}`
          : `Add members to ${parseEntityRef(entry.ownerRef).name}`,
      entityRef: entry.ownerRef,
      reason: `${entry.message.replace(/\.$/, '')}; it owns ${plural(
        affected.length,
        'entity',
      ).replace(/entitys$/, 'entities')} with this problem (${names
        .slice(0, 3)
        .join(', ')}${names.length > 3 ? ', …' : ''}). Impact ${
        inputs.impact
      } of 5.`,
      inputs,
      deadline: null,
      link: entityPath(entry.ownerRef),
    });
  }
  return candidates;
}

/** One action per stalled newcomer of the team. */
export function onboardingCandidates(
  members: OnboardingMember[],
  now: Date,
): NextActionCandidate[] {
  return members
    .filter(m => m.stalled && !m.completedAt)
    .map(m => {
      const since = m.lastProgressAt ?? m.startedAt;
      const idleDays = Math.max(0, -daysUntil(since, now));
      const inputs: CostOfDelayInputs = {
        impact: NEXT_ACTION_DEFAULTS.onboardingImpact,
        effortDays: NEXT_ACTION_DEFAULTS.onboardingEffortDays,
        // Stalled means past the onboarding plugin's "no progress for N days" line: overdue.
        deadlineInDays: 0,
        interestDaysPerMonth: null,
      };
      const who = m.displayName ?? parseEntityRef(m.userRef).name;
      return {
        id: `onboarding:${m.userRef}`,
        kind: 'onboarding',
        title: `Unblock ${who}’s onboarding`,
        entityRef: m.userRef,
        reason: `No progress for ${plural(idleDays, 'day')}: ${m.done} of ${
          m.total
        } steps done. A stalled newcomer delivers nothing; an hour of pairing usually unblocks them.`,
        inputs,
        deadline: null,
        link: '/onboarding/teams',
      };
    });
}

/**
 * Ranks candidates by {@link costOfDelay}, highest first; ties go to the nearer deadline, then to the kind in
 * `NEXT_ACTION_KINDS` order, then to the entity ref and id, so that the order never depends on which area answered
 * first.
 */
export function rankNextActions(
  candidates: NextActionCandidate[],
): NextAction[] {
  const scored = candidates.map(c => ({ ...c, score: costOfDelay(c.inputs) }));
  const deadlineOf = (a: NextActionCandidate) =>
    a.inputs.deadlineInDays ?? Number.POSITIVE_INFINITY;
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      deadlineOf(a) - deadlineOf(b) ||
      NEXT_ACTION_KINDS.indexOf(a.kind) - NEXT_ACTION_KINDS.indexOf(b.kind) ||
      a.entityRef.localeCompare(b.entityRef) ||
      a.id.localeCompare(b.id),
  );
  return scored.map(({ score, ...rest }, i) => ({
    rank: i + 1,
    ...rest,
    score,
  }));
}
