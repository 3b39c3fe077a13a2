import type {
  CampaignCheck,
  CampaignSelection,
  Direction,
  ProgressStatus,
} from '@vitals/plugin-goals-common';
import { formatWithUnit } from '@vitals/plugin-goals-common';
import { entityRefLabel } from '@vitals/react';

/** How each status reads. */
export const STATUS_LABELS: Record<ProgressStatus, string> = {
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  not_started: 'Not started',
  no_data: 'No data yet',
};

/**
 * A figure with its unit, one decimal at most: `36 hours`, `1 hour`, `67%`, `2.5 deployment days/week`; `—` when
 * there is no value.
 */
export function formatValue(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  return formatWithUnit(value, unit);
}

/** A progress in percent, one decimal at most: `36.7%`; `—` when there is none. */
export function formatPercent(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '—';
  return `${Math.round(value * 10) / 10}%`;
}

/** Which way the figure has to go, in words. */
export function directionLabel(direction: Direction): string {
  return direction === 'up' ? 'Higher is better' : 'Lower is better';
}

/** A team as people name it; null is the org. */
export function ownerLabel(ownerRef: string | null): string {
  return ownerRef ? entityRefLabel(ownerRef) : 'Org';
}

/** Whole days from today (UTC) to a `YYYY-MM-DD` day: 0 on the day itself, negative after it. */
export function daysUntil(day: string, now: Date = new Date()): number {
  const [y, m, d] = day.split('-').map(Number);
  const target = Date.UTC(y, m - 1, d);
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  return Math.round((target - today) / 86_400_000);
}

/** "due in 12 days", "due today", "ended 3 days ago". */
export function dueLabel(deadline: string, now: Date = new Date()): string {
  const days = daysUntil(deadline, now);
  if (days > 1) return `due in ${days} days`;
  if (days === 1) return 'due tomorrow';
  if (days === 0) return 'due today';
  return `deadline passed ${-days} ${days === -1 ? 'day' : 'days'} ago`;
}

/** A check as `scorecard / check`. */
export function checkLabel(check: CampaignCheck): string {
  return `${check.scorecardId} / ${check.checkId}`;
}

/** A selection in words: `kind component, type service, owner payments`. */
export function selectionLabel(selection: CampaignSelection): string {
  const parts: string[] = [];
  const list = (name: string, values: string[] | undefined) => {
    if (values?.length) parts.push(`${name} ${values.join(' or ')}`);
  };
  list('owner', selection.owner?.map(entityRefLabel));
  list('system', selection.system?.map(entityRefLabel));
  list('kind', selection.kind);
  list('type', selection.type);
  list('tag', selection.tag);
  if (selection.scorecardLevel) {
    const levels = selection.scorecardLevel.levelIds.map(
      l => l ?? 'below the lowest level',
    );
    parts.push(
      `at ${levels.join(' or ')} in ${selection.scorecardLevel.scorecardId}`,
    );
  }
  return parts.join(', ') || 'no criteria';
}

/** The quarters around now, newest first: next quarter, this one, and the four before. */
export function nearbyQuarters(now: Date = new Date()): string[] {
  const quarters: string[] = [];
  for (let offset = 1; offset >= -4; offset--) {
    const date = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset * 3, 1),
    );
    quarters.push(
      `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`,
    );
  }
  return quarters;
}
