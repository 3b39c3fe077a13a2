import {
  CohortFigure,
  OnboardingMember,
  OrgOnboardingReport,
  TeamOnboardingReport,
  TeamOnboardingSummary,
} from '@vitals/plugin-onboarding-common';
import { TeamMemberRecord } from '../database/OnboardingStore';

const DAY = 86_400_000;

type Row = TeamMemberRecord & { displayName: string | null };

/** The standard median (mean of the two middle values for an even count), or null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const oneDecimal = (value: number | null) =>
  value === null ? null : Math.round(value * 10) / 10;
const daysBetween = (from: Date, to: Date | null) =>
  to ? (to.getTime() - from.getTime()) / DAY : undefined;
function minDate(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a < b ? a : b;
}
function maxDate(a: Date | null, b: Date | null): Date | null {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

function isStalled(
  row: {
    completedAt: Date | null;
    lastProgressAt: Date | null;
    startedAt: Date;
  },
  now: Date,
  days: number,
) {
  return (
    !row.completedAt &&
    (row.lastProgressAt ?? row.startedAt).getTime() < now.getTime() - days * DAY
  );
}

/** One row per person: merges a person's rows of several teams (a group and its child teams). */
function mergeByPerson(rows: Row[]): Row[] {
  const byUser = new Map<string, Row>();
  for (const row of rows) {
    const seen = byUser.get(row.userRef);
    if (!seen) {
      byUser.set(row.userRef, { ...row });
      continue;
    }
    const bothDone = !!seen.completedAt && !!row.completedAt;
    byUser.set(row.userRef, {
      ...seen,
      checklists: seen.checklists + row.checklists,
      doneCount: seen.doneCount + row.doneCount,
      totalCount: seen.totalCount + row.totalCount,
      startedAt:
        row.startedAt < seen.startedAt ? row.startedAt : seen.startedAt,
      completedAt: bothDone ? maxDate(seen.completedAt, row.completedAt) : null,
      lastProgressAt: maxDate(seen.lastProgressAt, row.lastProgressAt),
      firstChangeAt: minDate(seen.firstChangeAt, row.firstChangeAt),
      firstDeployAt: minDate(seen.firstDeployAt, row.firstDeployAt),
    });
  }
  return [...byUser.values()];
}

function cohortsOf(people: Row[]): CohortFigure[] {
  const byCohort = new Map<string, Row[]>();
  for (const p of people) {
    const cohort = p.startedAt.toISOString().slice(0, 7);
    const list = byCohort.get(cohort);
    if (list) list.push(p);
    else byCohort.set(cohort, [p]);
  }
  return [...byCohort.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, members]) => ({
      cohort,
      people: members.length,
      medianDaysToFirstChange: oneDecimal(
        median(
          members.flatMap(m => daysBetween(m.startedAt, m.firstChangeAt) ?? []),
        ),
      ),
      medianDaysToFirstDeploy: oneDecimal(
        median(
          members.flatMap(m => daysBetween(m.startedAt, m.firstDeployAt) ?? []),
        ),
      ),
    }));
}

function summarise(
  groupRef: string,
  title: string | undefined,
  people: Row[],
  now: Date,
  stalledAfterDays: number,
): TeamOnboardingSummary {
  const onboarding = people.filter(p => !p.completedAt);
  return {
    groupRef,
    ...(title ? { title } : {}),
    onboarding: onboarding.length,
    completed: people.length - onboarding.length,
    stalled: onboarding.filter(p => isStalled(p, now, stalledAfterDays)).length,
    medianDaysToFirstChange: oneDecimal(
      median(
        people.flatMap(p => daysBetween(p.startedAt, p.firstChangeAt) ?? []),
      ),
    ),
    medianDaysToFirstDeploy: oneDecimal(
      median(
        people.flatMap(p => daysBetween(p.startedAt, p.firstDeployAt) ?? []),
      ),
    ),
  };
}

/** A team's report from the rows of the team and its child teams. */
export function buildTeamReport(
  groupRef: string,
  title: string | undefined,
  rows: Row[],
  now: Date,
  stalledAfterDays: number,
): TeamOnboardingReport {
  const people = mergeByPerson(rows);
  const members: OnboardingMember[] = people
    .map(p => {
      const toChange = daysBetween(p.startedAt, p.firstChangeAt);
      const toDeploy = daysBetween(p.startedAt, p.firstDeployAt);
      return {
        userRef: p.userRef,
        ...(p.displayName ? { displayName: p.displayName } : {}),
        checklists: p.checklists,
        done: p.doneCount,
        total: p.totalCount,
        startedAt: p.startedAt.toISOString(),
        ...(p.completedAt ? { completedAt: p.completedAt.toISOString() } : {}),
        ...(p.lastProgressAt
          ? { lastProgressAt: p.lastProgressAt.toISOString() }
          : {}),
        stalled: isStalled(p, now, stalledAfterDays),
        ...(p.firstChangeAt
          ? { firstChangeMergedAt: p.firstChangeAt.toISOString() }
          : {}),
        ...(p.firstDeployAt
          ? { firstDeployedAt: p.firstDeployAt.toISOString() }
          : {}),
        ...(toChange !== undefined
          ? { daysToFirstChange: oneDecimal(toChange)! }
          : {}),
        ...(toDeploy !== undefined
          ? { daysToFirstDeploy: oneDecimal(toDeploy)! }
          : {}),
      };
    })
    // Stalled first, then the ones still onboarding, newest start first.
    .sort(
      (a, b) =>
        Number(b.stalled) - Number(a.stalled) ||
        Number(!!a.completedAt) - Number(!!b.completedAt) ||
        b.startedAt.localeCompare(a.startedAt) ||
        a.userRef.localeCompare(b.userRef),
    );
  return {
    ...summarise(groupRef, title, people, now, stalledAfterDays),
    members,
    cohorts: cohortsOf(people),
  };
}

/** The org report: one summary per team with rows, and the cohorts across the org (each person once). */
export function buildOrgReport(
  rows: Row[],
  now: Date,
  stalledAfterDays: number,
): OrgOnboardingReport {
  const byTeam = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byTeam.get(row.teamRef);
    if (list) list.push(row);
    else byTeam.set(row.teamRef, [row]);
  }
  const teams = [...byTeam.entries()]
    .map(([teamRef, teamRows]) =>
      summarise(
        teamRef,
        teamRows.find(r => r.teamTitle)?.teamTitle ?? undefined,
        teamRows,
        now,
        stalledAfterDays,
      ),
    )
    .sort((a, b) => a.groupRef.localeCompare(b.groupRef));
  // A person in several teams counts once in the org's cohorts, from their earliest start.
  const earliest = new Map<string, Row>();
  for (const row of rows) {
    const seen = earliest.get(row.userRef);
    if (!seen || row.startedAt < seen.startedAt) earliest.set(row.userRef, row);
  }
  return {
    stalledAfterDays,
    teams,
    cohorts: cohortsOf([...earliest.values()]),
  };
}
