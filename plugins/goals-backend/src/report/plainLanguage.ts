import type {
  KeyResult,
  ProgressStatus,
  ReportTrend,
} from '@vitals/plugin-goals-common';
import { formatWithUnit } from '@vitals/plugin-goals-common';

/** How a status reads in a sentence. */
export const STATUS_WORDS: Record<ProgressStatus, string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  off_track: 'off track',
  not_started: 'not started',
  no_data: 'no data yet',
};

/** A number as people write it: thousands separated, at most `decimals` decimals, no trailing zeros. */
export function formatNumber(value: number, decimals = 1): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: decimals,
    minimumFractionDigits: 0,
  });
}

/** A value with its unit: `36 h`, `67 %` → `67%`, `12 days`, `1 day`, `1 deployment a week` (see formatWithUnit). */
export function withUnit(value: number, unit: string): string {
  return formatWithUnit(value, unit);
}

/**
 * A key result in one sentence: where the figure stands against its baseline and target, how far along it is, and its
 * status. E.g. "Lead time for changes: 36 h now, from 48 h towards 24 h: 50% of the way (expected 50%), on track."
 */
export function describeKeyResult(
  kr: Pick<
    KeyResult,
    | 'title'
    | 'unit'
    | 'baseline'
    | 'target'
    | 'current'
    | 'progress'
    | 'expectedProgress'
    | 'status'
    | 'manual'
    | 'available'
    | 'unavailableReason'
  >,
): string {
  const manual = kr.manual ? ' (typed in)' : '';
  const target = withUnit(kr.target, kr.unit);
  if (kr.current === null) {
    const why =
      !kr.available && kr.unavailableReason ? ` (${kr.unavailableReason})` : '';
    return `${kr.title}: no value yet${why}; target ${target}.`;
  }
  const now = `${withUnit(kr.current, kr.unit)} now${manual}`;
  if (kr.baseline === null || kr.progress === null) {
    return `${kr.title}: ${now}, target ${target}; the baseline is recorded when the period starts.`;
  }
  return `${kr.title}: ${now}, from ${withUnit(
    kr.baseline,
    kr.unit,
  )} towards ${target}: ${formatNumber(
    kr.progress,
  )}% of the way (expected ${formatNumber(kr.expectedProgress)}% by today), ${
    STATUS_WORDS[kr.status]
  }.`;
}

/**
 * A goal in one sentence: its status, progress against the expected line and which key results hold it back.
 */
export function describeGoal(goal: {
  objective: string;
  status: ProgressStatus;
  progress: number | null;
  expectedProgress: number;
  keyResults: Array<Pick<KeyResult, 'title' | 'status'>>;
}): string {
  if (goal.progress === null) {
    return `${goal.objective}: ${STATUS_WORDS[goal.status]}.`;
  }
  const behind = goal.keyResults
    .filter(k => k.status === 'at_risk' || k.status === 'off_track')
    .map(k => `${k.title} (${STATUS_WORDS[k.status]})`);
  const gap = goal.expectedProgress - goal.progress;
  let pace = 'ahead of where it should be';
  if (gap > 0.05) {
    pace = `${formatNumber(gap)} points behind`;
  } else if (gap >= -0.05) {
    pace = 'exactly where it should be';
  }
  return `${goal.objective}: ${STATUS_WORDS[goal.status]}, ${formatNumber(
    goal.progress,
  )}% done against ${formatNumber(goal.expectedProgress)}% expected (${pace})${
    behind.length ? `; held back by ${behind.join(', ')}` : ''
  }.`;
}

/** Whether a move from `previous` to `current` is better, worse or no change, for a figure where `better` is up or down. */
export function verdictOf(
  previous: number | null,
  current: number | null,
  better: 'up' | 'down',
): ReportTrend['verdict'] {
  if (previous === null || current === null) return null;
  if (current === previous) return 'same';
  return current > previous === (better === 'up') ? 'better' : 'worse';
}

/**
 * A trend between two quarters in one sentence. Shares (unit `%`) change by points, other figures by a percentage of
 * the earlier value. E.g. "Lead time for changes: 20 h, down from 30 h last quarter (−33%): better."
 */
export function describeTrend(trend: {
  label: string;
  unit: string;
  current: number | null;
  previous: number | null;
  better: 'up' | 'down';
}): string {
  const { label, unit, current, previous } = trend;
  if (current === null && previous === null) {
    return `${label}: no data in either quarter.`;
  }
  if (current === null) {
    return `${label}: no data this quarter (last quarter ${withUnit(
      previous!,
      unit,
    )}).`;
  }
  const now = withUnit(current, unit);
  if (previous === null) {
    return `${label}: ${now}; no data last quarter to compare with.`;
  }
  const verdict = verdictOf(previous, current, trend.better);
  if (verdict === 'same') {
    return `${label}: ${now}, the same as last quarter.`;
  }
  const direction = current > previous ? 'up' : 'down';
  let change: string;
  if (unit === '%') {
    const points = Math.abs(current - previous);
    change = `${formatNumber(points)} ${points === 1 ? 'point' : 'points'}`;
  } else if (previous === 0) {
    change = 'from nothing';
  } else {
    change = `${formatNumber(
      (Math.abs(current - previous) / Math.abs(previous)) * 100,
      0,
    )}%`;
  }
  return `${label}: ${now}, ${direction} from ${withUnit(
    previous,
    unit,
  )} last quarter (${change}): ${verdict}.`;
}

/**
 * Debt paid down against the days reserved for it in one sentence. E.g. "Paid down 12 of the 20 engineer-days
 * reserved for debt (60%), 8 days left with 25 days of the quarter to go."
 */
export function describeDebt(debt: {
  reservedDays: number | null;
  paidDownDays: number;
  resolvedCount: number;
  daysLeftInQuarter: number;
}): string {
  const items = `${debt.resolvedCount} ${
    debt.resolvedCount === 1 ? 'item' : 'items'
  } resolved`;
  if (debt.reservedDays === null) {
    return `No days reserved for debt this quarter; ${withUnit(
      debt.paidDownDays,
      'days',
    )} paid down anyway (${items}).`;
  }
  if (debt.reservedDays === 0) {
    return `No days reserved for debt this quarter (a budget of 0); ${withUnit(
      debt.paidDownDays,
      'days',
    )} paid down (${items}).`;
  }
  const share = (debt.paidDownDays / debt.reservedDays) * 100;
  const base = `Paid down ${formatNumber(debt.paidDownDays)} of the ${withUnit(
    debt.reservedDays,
    'engineer-days',
  )} reserved for debt (${formatNumber(share, 0)}%, ${items})`;
  const left = debt.reservedDays - debt.paidDownDays;
  if (left <= 0) return `${base}: the reservation is used up.`;
  if (debt.daysLeftInQuarter <= 0)
    return `${base}; ${withUnit(left, 'days')} were left unused.`;
  return `${base}; ${withUnit(left, 'days')} left with ${withUnit(
    debt.daysLeftInQuarter,
    'days',
  )} of the quarter to go.`;
}

/**
 * A campaign in one sentence: how many entities are done, when it is due, and whether it is at risk and why.
 */
export function describeCampaign(campaign: {
  name: string;
  done: number;
  entities: number;
  deadline: string;
  daysToDeadline: number;
  atRisk: boolean;
  riskReasons: string[];
}): string {
  const done = `${formatNumber(campaign.done, 0)} of ${formatNumber(
    campaign.entities,
    0,
  )} ${campaign.entities === 1 ? 'entity' : 'entities'} done`;
  let due: string;
  if (campaign.daysToDeadline > 1) {
    due = `due ${campaign.deadline} (in ${campaign.daysToDeadline} days)`;
  } else if (campaign.daysToDeadline === 1) {
    due = `due ${campaign.deadline} (tomorrow)`;
  } else if (campaign.daysToDeadline === 0) {
    due = `due today`;
  } else {
    due = `ended ${campaign.deadline}`;
  }
  const complete = campaign.entities > 0 && campaign.done >= campaign.entities;
  let standing = '';
  if (complete) standing = ': complete';
  else if (campaign.atRisk)
    standing = `: at risk, ${campaign.riskReasons.join('; ')}`;
  else if (campaign.daysToDeadline < 0) standing = ': ended unfinished';
  return `${campaign.name}: ${done}, ${due}${standing}.`;
}
