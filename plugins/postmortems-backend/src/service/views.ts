import {
  ActionItem,
  BlamelessWarning,
  isQualifyingSeverity,
  MissingPostmortem,
  OverdueActionItem,
  Postmortem,
  PostmortemIncident,
  PostmortemSummary,
  TeamCoverage,
} from '@vitals/plugin-postmortems-common';
import { UNRESOLVED_STATUSES } from '@vitals/plugin-tech-debt-common';
import { PostmortemsSettings } from '../config';
import {
  ActionItemRecord,
  CoverageCounts,
  IncidentRecord,
  MissingPostmortemRecord,
  OverdueActionItemRecord,
  PostmortemRecord,
  PostmortemSummaryRecord,
} from '../database/PostmortemsStore';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The day (UTC) of a time, `YYYY-MM-DD`. */
export const dayOf = (ms: number) => iso(ms).slice(0, 10);

/** Whole days from `from` (a day or a time) to `now`, at least 0. */
export function daysSince(from: number, now: number): number {
  return Math.max(0, Math.floor((now - from) / DAY));
}

export function toIncident(
  record: IncidentRecord,
  settings: PostmortemsSettings,
): PostmortemIncident {
  const qualifying = isQualifyingSeverity(
    record.severity,
    settings.qualifying.keys,
    settings.qualifying.unknownQualifies,
  );
  return {
    id: record.id,
    entityRef: record.entityRef,
    ownerRef: record.ownerRef,
    createdAt: iso(record.createdAt),
    resolvedAt: isoOrNull(record.resolvedAt),
    severity: record.severity,
    url: record.url,
    deploymentId: record.deploymentId,
    restoreMinutes: record.restoreMinutes,
    qualifying,
    postmortemDueAt: qualifying
      ? iso(record.createdAt + settings.postmortemDueDays * DAY)
      : null,
  };
}

export function toSummary(
  record: PostmortemSummaryRecord,
  settings: PostmortemsSettings,
): PostmortemSummary {
  return {
    id: record.id,
    incidentId: record.incidentId,
    entityRef: record.entityRef,
    ownerRef: record.incident.ownerRef,
    title: record.title,
    status: record.status,
    authors: record.authors,
    templateId: record.templateId,
    version: record.version,
    createdAt: iso(record.createdAt),
    createdBy: record.createdBy,
    updatedAt: iso(record.updatedAt),
    updatedBy: record.updatedBy,
    publishedAt: isoOrNull(record.publishedAt),
    actionItemCount: record.actionItemCount,
    incident: toIncident(record.incident, settings),
  };
}

export function toPostmortem(
  record: PostmortemRecord,
  settings: PostmortemsSettings,
  warnings: BlamelessWarning[],
): Postmortem {
  return {
    ...toSummary(record, settings),
    summary: record.summary,
    customerImpact: record.customerImpact,
    timeline: record.timeline,
    contributingFactors: record.contributingFactors,
    whatWentWell: record.whatWentWell,
    whatWasHard: record.whatWasHard,
    lessons: record.lessons,
    extraSections: record.extraSections,
    warnings,
  };
}

/** Open: the debt item is open, planned or in progress, or was never read; not when it is gone from the register. */
export function isOpen(record: ActionItemRecord): boolean {
  if (record.debtGone) return false;
  return !record.debt || UNRESOLVED_STATUSES.includes(record.debt.status);
}

export function toActionItem(
  record: ActionItemRecord,
  today: string,
): ActionItem {
  const open = isOpen(record);
  return {
    postmortemId: record.postmortemId,
    debtItemId: record.debtItemId,
    origin: record.origin,
    dueDate: record.dueDate,
    addedAt: iso(record.addedAt),
    addedBy: record.addedBy,
    debt: record.debt,
    debtCheckedAt: isoOrNull(record.debtCheckedAt),
    open,
    overdue: open && record.dueDate !== null && record.dueDate < today,
  };
}

export function toMissingPostmortem(
  record: MissingPostmortemRecord,
  settings: PostmortemsSettings,
  now: number,
): MissingPostmortem {
  return {
    incident: toIncident(record.incident, settings),
    postmortem: record.postmortem,
    daysOverdue: daysSince(
      record.incident.createdAt + settings.postmortemDueDays * DAY,
      now,
    ),
  };
}

export function toOverdueActionItem(
  record: OverdueActionItemRecord,
  now: number,
): OverdueActionItem {
  return {
    postmortemId: record.postmortemId,
    postmortemTitle: record.postmortemTitle,
    incidentId: record.incidentId,
    entityRef: record.entityRef,
    debtItemId: record.debtItemId,
    dueDate: record.dueDate,
    debt: record.debt,
    debtCheckedAt: isoOrNull(record.debtCheckedAt),
    // Due at the end of its day.
    daysOverdue: daysSince(
      Date.parse(`${record.dueDate}T00:00:00Z`) + DAY,
      now,
    ),
  };
}

/** published ÷ due to four decimals; null when nothing is due. */
export function coverageOf(published: number, due: number): number | null {
  return due === 0 ? null : Math.round((published / due) * 10_000) / 10_000;
}

export function toTeamCoverage(counts: CoverageCounts): TeamCoverage {
  return {
    teamRef: counts.key,
    incidents: counts.incidents,
    due: counts.due,
    published: counts.published,
    coverage: coverageOf(counts.published, counts.due),
    missing: counts.due - counts.published,
    openActionItems: counts.openActionItems,
    overdueActionItems: counts.overdueActionItems,
  };
}
