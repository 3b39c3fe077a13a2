import { DoraMetrics, DoraTier, DoraWeek } from '@vitals/plugin-dora-common';
import {
  formatDeploymentDays,
  formatMinutes,
  formatRate,
  plural,
} from './format';

/** The four keys, then DORA 2024's rework rate and failed-deployment recovery time. */
export type MetricKey =
  | 'deploymentFrequency'
  | 'leadTimeForChanges'
  | 'changeFailureRate'
  | 'timeToRestore'
  | 'reworkRate'
  | 'failedDeploymentRecoveryTime';

export const METRIC_KEYS: MetricKey[] = [
  'deploymentFrequency',
  'leadTimeForChanges',
  'changeFailureRate',
  'timeToRestore',
  'reworkRate',
  'failedDeploymentRecoveryTime',
];

/** The metrics a benchmark places in tiers: every one but the rework rate, which no report gives cluster values for. */
export type TieredMetricKey = Exclude<MetricKey, 'reworkRate'>;

export const TIERED_METRIC_KEYS: TieredMetricKey[] = METRIC_KEYS.filter(
  (key): key is TieredMetricKey => key !== 'reworkRate',
);

export const METRIC_TITLES: Record<MetricKey, string> = {
  deploymentFrequency: 'Deployment frequency',
  leadTimeForChanges: 'Lead time for changes',
  changeFailureRate: 'Change failure rate',
  timeToRestore: 'Time to restore service',
  reworkRate: 'Rework rate',
  failedDeploymentRecoveryTime: 'Failed deployment recovery time',
};

/** How each figure is computed, in a sentence or two (the backend README has the full contract). */
export const METRIC_DEFINITIONS: Record<MetricKey, string> = {
  deploymentFrequency:
    'Days with a successful production deployment: the median per full week of the window (per 30 days for teams that deploy less than weekly).',
  leadTimeForChanges:
    'Median time from a change’s first commit to the first successful production deployment that shipped it, over the changes deployed in the window.',
  changeFailureRate:
    'Share of the window’s successful production deployments that caused an incident: the incident names the deployment, or the deployment is the latest before it.',
  timeToRestore:
    'Median time from an incident being opened to its resolution, over the incidents resolved in the window.',
  reworkRate:
    'DORA 2024. Share of the window’s successful production deployments that were unplanned fixes of a problem in production: flagged as rework by CI, or the first deployment after an incident caused by an earlier deployment was opened, by the time it was resolved. It has no tier: the 2024 report gives no values for it.',
  failedDeploymentRecoveryTime:
    'DORA 2024. Median time from a failed deployment (one that caused an incident) finishing to the resolution of the last incident it caused, over the window’s failed deployments whose incidents are all resolved.',
};

/** What the rework rate shows where the other metrics show their tier. */
export const NO_TIER_REASON =
  'The 2024 State of DevOps report gives no cluster values for the rework rate, so no benchmark places it in a tier.';

export interface MetricFigure {
  key: MetricKey;
  title: string;
  /** The headline, formatted: "3 days / week", "2 days 12 h", "12%". */
  value: string;
  /** What the headline is made of, e.g. "median of 42 changes". */
  detail: string;
  /** The tier for the benchmark; `'none'` for a metric no benchmark tiers (the rework rate). */
  tier: DoraTier | null | 'none';
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

function recoveryDetail(m: DoraMetrics['failedDeploymentRecoveryTime']) {
  const { recoveredDeployments: recovered, unrecoveredDeployments: open } = m;
  if (recovered === 0 && open === 0) return 'no failed deployments';
  const openPart = open
    ? `${plural(open, 'failed deployment')} with an incident still open`
    : '';
  if (recovered === 0) return openPart;
  const median = `median of ${plural(recovered, 'recovered deployment')}`;
  return open ? `${median}; ${openPart}` : median;
}

/** The four DORA metrics and DORA 2024's two, as a person reads them. */
export function metricFigures(metrics: DoraMetrics): MetricFigure[] {
  const {
    leadTimeForChanges: lead,
    changeFailureRate: cfr,
    timeToRestore: ttr,
    reworkRate: rework,
    failedDeploymentRecoveryTime: recovery,
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
    {
      key: 'reworkRate',
      title: METRIC_TITLES.reworkRate,
      value: formatRate(rework.rate),
      detail: rework.deployments
        ? `${rework.reworkDeployments} of ${plural(
            rework.deployments,
            'deployment',
          )} were rework`
        : 'no deployments',
      tier: 'none',
      sortValue: rework.rate,
    },
    {
      key: 'failedDeploymentRecoveryTime',
      title: METRIC_TITLES.failedDeploymentRecoveryTime,
      value: formatMinutes(recovery.medianMinutes),
      detail: recoveryDetail(recovery),
      tier: recovery.tier,
      sortValue: recovery.medianMinutes,
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
    case 'reworkRate':
      return weeks.map(w => w.reworkRate);
    case 'failedDeploymentRecoveryTime':
      return weeks.map(w => w.medianRecoveryMinutes);
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
