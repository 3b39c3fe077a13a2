import {
  LoggerService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { readTaskSchedule } from '@vitals/backend-common';

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
  const deprecated = config.has(DEPRECATED_SNAPSHOT_FREQUENCY_KEY);
  if (config.has(SNAPSHOT_SCHEDULE_KEY)) {
    if (deprecated) {
      logger.warn(
        `${DEPRECATED_SNAPSHOT_FREQUENCY_KEY} is ignored: ${SNAPSHOT_SCHEDULE_KEY} is set; remove the old key`,
      );
    }
    const schedule = readTaskSchedule(
      config,
      SNAPSHOT_SCHEDULE_KEY,
      DEFAULT_SNAPSHOT_SCHEDULE,
    );
    return {
      ...schedule,
      initialDelay:
        schedule.initialDelay ?? DEFAULT_SNAPSHOT_SCHEDULE.initialDelay,
    };
  }
  if (deprecated) {
    logger.warn(
      `${DEPRECATED_SNAPSHOT_FREQUENCY_KEY} is deprecated: set ${SNAPSHOT_SCHEDULE_KEY}: { frequency, timeout } instead`,
    );
    return {
      ...DEFAULT_SNAPSHOT_SCHEDULE,
      frequency: readDurationFromConfig(config, {
        key: DEPRECATED_SNAPSHOT_FREQUENCY_KEY,
      }),
    };
  }
  return DEFAULT_SNAPSHOT_SCHEDULE;
}
