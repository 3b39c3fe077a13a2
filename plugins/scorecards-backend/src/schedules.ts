import {
  LoggerService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  readTaskSchedule,
  readTaskScheduleWithFallback,
} from '@vitals/backend-common';
import { STARTUP_EVALUATION_SCHEDULE } from './service/startupEvaluation';

/** Where the scheduled evaluation's schedule is configured. */
export const EVALUATE_SCHEDULE_KEY = 'scorecards.schedules.evaluate';
/** The old key of the same schedule, still read when the new one is not set. */
export const DEPRECATED_EVALUATE_SCHEDULE_KEY = 'scorecards.schedule';

/** The evaluation's schedule unless configured: every 30 minutes, the first 40 seconds after start, on one replica. */
export const DEFAULT_EVALUATE_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 20 },
    initialDelay: { seconds: 40 },
    scope: 'global',
  };

/**
 * The scheduled evaluation's schedule: `scorecards.schedules.evaluate` (a Backstage schedule: `frequency` and
 * `timeout` required, `initialDelay` 40 seconds unless given, `scope` global unless given), else the deprecated
 * `scorecards.schedule` (same shape) with a warning in the log, else {@link DEFAULT_EVALUATE_SCHEDULE}.
 */
export function readEvaluateSchedule(
  config: RootConfigService,
  logger: LoggerService,
): SchedulerServiceTaskScheduleDefinition {
  return readTaskScheduleWithFallback(config, logger, {
    key: EVALUATE_SCHEDULE_KEY,
    deprecated: { key: DEPRECATED_EVALUATE_SCHEDULE_KEY, holds: 'schedule' },
    defaults: DEFAULT_EVALUATE_SCHEDULE,
  });
}

/** Where the start-up catch-up's schedule is configured. */
export const EVALUATE_AT_START_SCHEDULE_KEY =
  'scorecards.schedules.evaluateAtStart';

/**
 * The start-up catch-up's schedule (task `scorecards-evaluate-at-start`): `scorecards.schedules.evaluateAtStart` (a
 * Backstage schedule; `initialDelay` 5 seconds unless given, `scope` global unless given), else
 * {@link STARTUP_EVALUATION_SCHEDULE} (5 s after start, then every 15 s until the catalog has settled).
 */
export function readEvaluateAtStartSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  const read = readTaskSchedule(
    config,
    EVALUATE_AT_START_SCHEDULE_KEY,
    STARTUP_EVALUATION_SCHEDULE,
  );
  return {
    ...read,
    initialDelay: read.initialDelay ?? STARTUP_EVALUATION_SCHEDULE.initialDelay,
  };
}
