import {
  computeProgress,
  expectedProgress,
  findFigureSpec,
  Goal,
  GoalDetail,
  KeyResult,
  meanProgress,
  statusOf,
  TrendPoint,
  unitOf,
} from '@vitals/plugin-goals-common';
import { StoredGoal, StoredKeyResult } from '../database/GoalsStore';

/** A stored key result with its progress, expected progress and status as of `now`. */
export function keyResultView(
  kr: StoredKeyResult,
  period: { start: Date; end: Date },
  now: Date,
): KeyResult {
  const progress = computeProgress({
    baseline: kr.baseline,
    target: kr.target,
    current: kr.current,
    direction: kr.direction,
  });
  // The expected line starts where the baseline was taken: the period's start, or the key result's creation when it
  // came later (a goal set mid-quarter is not behind on the day it is set).
  const baselineAt = kr.baselineAt ? new Date(kr.baselineAt) : period.start;
  const expected = expectedProgress(
    {
      start: baselineAt > period.start ? baselineAt : period.start,
      end: period.end,
    },
    now,
  );
  const started = now >= period.start || kr.baseline !== null;
  return {
    id: kr.id,
    title: kr.title,
    figure: kr.figure,
    label:
      findFigureSpec(kr.figure.source, kr.figure.metric)?.label ??
      kr.figure.metric,
    unit: unitOf(kr.figure),
    direction: kr.direction,
    baseline: kr.baseline,
    baselineAt: kr.baselineAt,
    target: kr.target,
    current: kr.current,
    currentAt: kr.currentAt,
    manual: kr.figure.source === 'manual',
    available: kr.available,
    unavailableReason: kr.unavailableReason,
    progress,
    expectedProgress: expected,
    status: statusOf({ progress, expected, started }),
  };
}

/** A stored goal with everything computed as of `now`: each key result's standing and the goal's. */
export function goalView(goal: StoredGoal, now: Date): Goal {
  const period = {
    start: new Date(goal.periodStart),
    end: new Date(goal.periodEnd),
  };
  const keyResults = goal.keyResults.map(kr => keyResultView(kr, period, now));
  const progress = meanProgress(keyResults.map(k => k.progress));
  // The mean of the expected progress of the key results that have progress, like the progress itself.
  const expected =
    meanProgress(
      keyResults.map(k => (k.progress === null ? null : k.expectedProgress)),
    ) ?? expectedProgress(period, now);
  return {
    ...goal,
    keyResults,
    progress,
    expectedProgress: expected,
    status: statusOf({
      progress,
      expected,
      started: now >= period.start || keyResults.some(k => k.baseline !== null),
    }),
  };
}

/** {@link goalView} with each key result's trend. */
export function goalDetailView(
  goal: StoredGoal,
  trends: Map<string, TrendPoint[]>,
  now: Date,
): GoalDetail {
  const view = goalView(goal, now);
  return {
    ...view,
    keyResults: view.keyResults.map(kr => ({
      ...kr,
      trend: trends.get(kr.id) ?? [],
    })),
  };
}
