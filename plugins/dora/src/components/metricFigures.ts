import { DoraMetrics, DoraTier, DoraWeek } from '@vitals/plugin-dora-common';
import {
  formatDeploymentDays,
  formatMinutes,
  formatRate,
  plural,
} from './format';

export type MetricKey =
  | 'deploymentFrequency'
  | 'leadTimeForChanges'
  | 'changeFailureRate'
  | 'timeToRestore';

export const METRIC_KEYS: MetricKey[] = [
  'deploymentFrequency',
  'leadTimeForChanges',
  'changeFailureRate',
  'timeToRestore',
];

export const METRIC_TITLES: Record<MetricKey, string> = {
  deploymentFrequency: 'Deployment frequency',
  leadTimeForChanges: 'Lead time for changes',
  changeFailureRate: 'Change failure rate',
  timeToRestore: 'Time to restore service',
};

export interface MetricFigure {
  key: MetricKey;
  title: string;
  /** The headline, formatted: "3 days / week", "2 days 12 h", "12%". */
  value: string;
  /** What the headline is made of, e.g. "median of 42 changes". */
  detail: string;
  tier: DoraTier | null;
  /** A number to sort by, lower is better; null sorts last. */
  sortValue: number | null;
}

function deploymentFrequency(
  m: DoraMetrics['deploymentFrequency'],
): MetricFigure {
  const {
    weeklyMedianDeploymentDays: weekly,
    monthlyMedianDeploymentDays: monthly,
  } = m;
  // A team that deploys a few times a month has a weekly median of 0; the monthly figure is the one its tier rests on.
  const value =
    weekly === 0 && monthly !== null && monthly > 0
      ? formatDeploymentDays(monthly, 'month')
      : formatDeploymentDays(weekly, 'week');
  return {
    key: 'deploymentFrequency',
    title: METRIC_TITLES.deploymentFrequency,
    value,
    detail: `${plural(m.deployments, 'deployment')} on ${plural(
      m.deploymentDays,
      'day',
    )}`,
    tier: m.tier,
    sortValue: weekly === null ? null : -(weekly + (monthly ?? 0) / 100),
  };
}

/** The four DORA metrics as a person reads them. */
export function metricFigures(metrics: DoraMetrics): MetricFigure[] {
  const {
    leadTimeForChanges: lead,
    changeFailureRate: cfr,
    timeToRestore: ttr,
  } = metrics;
  return [
    deploymentFrequency(metrics.deploymentFrequency),
    {
      key: 'leadTimeForChanges',
      title: METRIC_TITLES.leadTimeForChanges,
      value: formatMinutes(lead.medianMinutes),
      detail: lead.changes
        ? `median of ${plural(lead.changes, 'deployed change')}`
        : 'no deployed changes',
      tier: lead.tier,
      sortValue: lead.medianMinutes,
    },
    {
      key: 'changeFailureRate',
      title: METRIC_TITLES.changeFailureRate,
      value: formatRate(cfr.rate),
      detail: cfr.deployments
        ? `${cfr.failedDeployments} of ${plural(
            cfr.deployments,
            'deployment',
          )} caused an incident`
        : 'no deployments',
      tier: cfr.tier,
      sortValue: cfr.rate,
    },
    {
      key: 'timeToRestore',
      title: METRIC_TITLES.timeToRestore,
      value: formatMinutes(ttr.medianMinutes),
      detail: ttr.incidents
        ? `median of ${plural(ttr.incidents, 'resolved incident')}`
        : 'no resolved incidents',
      tier: ttr.tier,
      sortValue: ttr.medianMinutes,
    },
  ];
}

/** The weekly values behind each metric's sparkline. */
export function weeklyValues(
  key: MetricKey,
  weeks: DoraWeek[],
): Array<number | null> {
  switch (key) {
    case 'deploymentFrequency':
      return weeks.map(w => w.deploymentDays);
    case 'leadTimeForChanges':
      return weeks.map(w => w.medianLeadTimeMinutes);
    case 'changeFailureRate':
      return weeks.map(w => w.changeFailureRate);
    default:
      return weeks.map(w => w.medianRestoreMinutes);
  }
}

/** Whether the window holds nothing at all to compute from. */
export function isEmptyWindow(metrics: DoraMetrics): boolean {
  return (
    metrics.deploymentFrequency.deployments === 0 &&
    metrics.leadTimeForChanges.changes === 0 &&
    metrics.changeFailureRate.deployments === 0 &&
    metrics.timeToRestore.incidents === 0
  );
}
