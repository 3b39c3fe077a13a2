import {
  changeFailureRateTier,
  deploymentFrequencyTier,
  DoraBenchmark,
  DoraMetrics,
  DoraSeries,
  failedDeploymentRecoveryTimeTier,
  leadTimeTier,
  median,
  timeToRestoreTier,
} from '@vitals/plugin-dora-common';
import {
  DeploymentDayRow,
  DoraStore,
  MedianFigure,
} from '../database/DoraStore';

const DAY_MS = 86_400_000;

/** Deployment days per full bucket: distinct UTC days with a counted deployment finished in the bucket. */
function bucketValues(
  rows: DeploymentDayRow[],
  key: 'week' | 'month',
  buckets: number,
): number[] {
  const days = Array.from({ length: buckets }, () => new Set<number>());
  for (const row of rows) {
    if (row[key] < buckets) days[row[key]].add(row.day);
  }
  return days.map(d => d.size);
}

/** What the metrics of one set of entities are computed from: the indexed reads. */
export interface MetricInputs {
  days: DeploymentDayRow[];
  leadTime: MedianFigure;
  restore: MedianFigure;
  recovery: MedianFigure;
}

interface MetricOptions {
  entityRef: string;
  entityRefs: string[];
  from: number;
  to: number;
  benchmark: DoraBenchmark;
}

function frequencyOf(days: DeploymentDayRow[], from: number, to: number) {
  const weeks = Math.floor((to - from) / (7 * DAY_MS));
  const months = Math.floor((to - from) / (30 * DAY_MS));
  return {
    deployments: days.reduce((sum, r) => sum + r.deployments, 0),
    failedDeployments: days.reduce((sum, r) => sum + r.failed, 0),
    reworkDeployments: days.reduce((sum, r) => sum + r.rework, 0),
    deploymentDays: new Set(days.map(r => r.day)).size,
    weeklyMedian: median(bucketValues(days, 'week', weeks)),
    monthlyMedian: median(bucketValues(days, 'month', months)),
  };
}

/**
 * Whether the 2021 frequency tier rests on a counted deployment in the 180 days before `to` (neither the weekly nor
 * the 30-day rule decides it); only then is that read.
 */
export function needsRecentDeployment(
  benchmark: DoraBenchmark,
  days: DeploymentDayRow[],
  from: number,
  to: number,
): boolean {
  const { weeklyMedian, monthlyMedian } = frequencyOf(days, from, to);
  return (
    benchmark === '2021' &&
    weeklyMedian !== null &&
    weeklyMedian < 5 &&
    !(monthlyMedian !== null && monthlyMedian >= 1)
  );
}

/** The 180-day window before `to` that {@link needsRecentDeployment} asks about. */
export const recentDeploymentWindow = (to: number) => ({
  from: to - 180 * DAY_MS,
  to,
});

/** The metrics response from the figures read for a set of entities. */
export function assembleMetrics(
  options: MetricOptions,
  inputs: MetricInputs,
  deployedInLast180Days: boolean | undefined,
): DoraMetrics {
  const { from, to, benchmark } = options;
  const { leadTime, restore, recovery } = inputs;
  const {
    deployments,
    failedDeployments,
    reworkDeployments,
    deploymentDays,
    weeklyMedian,
    monthlyMedian,
  } = frequencyOf(inputs.days, from, to);
  const rate = deployments === 0 ? null : failedDeployments / deployments;
  return {
    entityRef: options.entityRef,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    benchmark,
    entityRefs: options.entityRefs,
    deploymentFrequency: {
      deployments,
      deploymentDays,
      weeklyMedianDeploymentDays: weeklyMedian,
      monthlyMedianDeploymentDays: monthlyMedian,
      tier: deploymentFrequencyTier(benchmark, {
        weeklyMedian,
        monthlyMedian,
        deployedInLast180Days,
      }),
    },
    leadTimeForChanges: {
      changes: leadTime.count,
      medianMinutes: leadTime.median,
      tier: leadTimeTier(benchmark, leadTime.median),
    },
    changeFailureRate: {
      deployments,
      failedDeployments,
      rate,
      tier: changeFailureRateTier(benchmark, rate),
    },
    timeToRestore: {
      incidents: restore.count,
      medianMinutes: restore.median,
      tier: timeToRestoreTier(restore.median, benchmark),
    },
    reworkRate: {
      deployments,
      reworkDeployments,
      rate: deployments === 0 ? null : reworkDeployments / deployments,
    },
    failedDeploymentRecoveryTime: {
      recoveredDeployments: recovery.count,
      unrecoveredDeployments: failedDeployments - recovery.count,
      medianMinutes: recovery.median,
      tier: failedDeploymentRecoveryTimeTier(benchmark, recovery.median),
    },
  };
}

/**
 * The four DORA metrics of a set of entities over `[from, to)` with DORA 2024's rework rate and failed-deployment
 * recovery time, per the contract in the README: four indexed queries over columns kept up to date on write, sent as
 * one statement on PostgreSQL (a fourth for the 2021 frequency tier), no
 * scan of raw events.
 */
export async function computeMetrics(
  store: DoraStore,
  options: MetricOptions,
): Promise<DoraMetrics> {
  const { entityRefs, from, to, benchmark } = options;
  const { days, leadTime, restore, recovery } = await store.metricInputs({
    entityRefs,
    from,
    to,
  });
  let deployedInLast180Days: boolean | undefined;
  if (needsRecentDeployment(benchmark, days, from, to)) {
    deployedInLast180Days = await store.hasCountedDeployment({
      entityRefs,
      ...recentDeploymentWindow(to),
    });
  }
  return assembleMetrics(
    options,
    { days, leadTime, restore, recovery },
    deployedInLast180Days,
  );
}

/** Full weeks `[from + 7k, from + 7k + 7 days)` of the window, for charts. */
export async function computeSeries(
  store: DoraStore,
  options: {
    entityRef: string;
    entityRefs: string[];
    from: number;
    to: number;
  },
): Promise<DoraSeries> {
  const { entityRefs, from, to } = options;
  const weeks = Math.floor((to - from) / (7 * DAY_MS));
  const scope = { entityRefs, from, to: from + weeks * 7 * DAY_MS };
  const [days, leadTimes, restores, recoveries] =
    weeks === 0
      ? [[], [], [], []]
      : await Promise.all([
          store.deploymentDays(scope),
          store.weeklyLeadTime(scope),
          store.weeklyTimeToRestore(scope),
          store.weeklyRecovery(scope),
        ]);
  return {
    entityRef: options.entityRef,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    weeks: Array.from({ length: weeks }, (_, week) => {
      const rows = days.filter(r => r.week === week);
      const deployments = rows.reduce((sum, r) => sum + r.deployments, 0);
      const failedDeployments = rows.reduce((sum, r) => sum + r.failed, 0);
      const reworkDeployments = rows.reduce((sum, r) => sum + r.rework, 0);
      const lead = leadTimes.find(r => r.week === week);
      const restore = restores.find(r => r.week === week);
      const recovery = recoveries.find(r => r.week === week);
      return {
        start: new Date(from + week * 7 * DAY_MS).toISOString(),
        deployments,
        deploymentDays: new Set(rows.map(r => r.day)).size,
        failedDeployments,
        changeFailureRate:
          deployments === 0 ? null : failedDeployments / deployments,
        changes: lead?.count ?? 0,
        medianLeadTimeMinutes: lead?.median ?? null,
        incidents: restore?.count ?? 0,
        medianRestoreMinutes: restore?.median ?? null,
        reworkDeployments,
        reworkRate: deployments === 0 ? null : reworkDeployments / deployments,
        recoveredDeployments: recovery?.count ?? 0,
        medianRecoveryMinutes: recovery?.median ?? null,
      };
    }),
  };
}
