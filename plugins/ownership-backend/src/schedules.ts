import {
  LoggerService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readTaskScheduleWithFallback } from '@vitals/backend-common';

/** Where the snapshot's schedule is configured. */
export const SNAPSHOT_SCHEDULE_KEY = 'ownership.schedules.snapshot';
/** The old, plain-duration key of the snapshot's frequency, still read when the schedule is not configured. */
export const DEPRECATED_SNAPSHOT_FREQUENCY_KEY = 'ownership.snapshotFrequency';

/** The snapshot's schedule unless configured: every 10 minutes, the first 30 seconds after start, on one replica. */
export const DEFAULT_SNAPSHOT_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
    scope: 'global',
  };

/**
 * The snapshot's schedule: `ownership.schedules.snapshot` (a Backstage schedule: `frequency` and `timeout` required,
 * `initialDelay` 30 seconds unless given), else the deprecated `ownership.snapshotFrequency` with a warning in the log,
 * else {@link DEFAULT_SNAPSHOT_SCHEDULE}.
 */
export function readSnapshotSchedule(
  config: RootConfigService,
  logger: LoggerService,
): SchedulerServiceTaskScheduleDefinition {
  return readTaskScheduleWithFallback(config, logger, {
    key: SNAPSHOT_SCHEDULE_KEY,
    deprecated: { key: DEPRECATED_SNAPSHOT_FREQUENCY_KEY, holds: 'frequency' },
    defaults: DEFAULT_SNAPSHOT_SCHEDULE,
  });
}
