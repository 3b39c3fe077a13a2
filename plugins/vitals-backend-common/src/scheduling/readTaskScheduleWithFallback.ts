import {
  LoggerService,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { readTaskSchedule } from './readTaskSchedule';

/**
 * A task's schedule whose config key moved: `key` (a Backstage schedule, read as {@link readTaskSchedule} does), else
 * the deprecated key with a warning in the log, else `defaults`. The deprecated key holds either a plain duration, the
 * old frequency (`holds: 'frequency'`: `{ minutes: 10 }` or `PT10M`; the other fields come from `defaults`), or a
 * schedule of the same shape as `key` (`holds: 'schedule'`). When both keys are set, `key` wins and the log says the
 * old one is ignored. A schedule from config without `initialDelay` keeps the one of `defaults`.
 *
 * ```ts
 * const schedule = readTaskScheduleWithFallback(config, logger, {
 *   key: 'techDebt.schedules.catalogSync',
 *   deprecated: { key: 'techDebt.catalogSyncFrequency', holds: 'frequency' },
 *   defaults: { frequency: { minutes: 10 }, timeout: { minutes: 5 }, scope: 'global' },
 * });
 * ```
 *
 * @public
 */
export function readTaskScheduleWithFallback(
  config: RootConfigService,
  logger: LoggerService,
  options: {
    key: string;
    deprecated: { key: string; holds: 'frequency' | 'schedule' };
    defaults: SchedulerServiceTaskScheduleDefinition;
  },
): SchedulerServiceTaskScheduleDefinition {
  const { key, deprecated, defaults } = options;
  const withDefaultDelay = (
    schedule: SchedulerServiceTaskScheduleDefinition,
  ) => ({
    ...schedule,
    initialDelay: schedule.initialDelay ?? defaults.initialDelay,
  });
  const hasDeprecated = config.has(deprecated.key);
  if (config.has(key)) {
    if (hasDeprecated) {
      logger.warn(
        `${deprecated.key} is ignored: ${key} is set; remove the old key`,
      );
    }
    return withDefaultDelay(readTaskSchedule(config, key, defaults));
  }
  if (!hasDeprecated) return defaults;
  if (deprecated.holds === 'frequency') {
    logger.warn(
      `${deprecated.key} is deprecated: set ${key}: { frequency, timeout } instead`,
    );
    return {
      ...defaults,
      frequency: readDurationFromConfig(config, { key: deprecated.key }),
    };
  }
  logger.warn(
    `${deprecated.key} is deprecated: move it to ${key} (same shape: { frequency, timeout, initialDelay })`,
  );
  return withDefaultDelay(readTaskSchedule(config, deprecated.key, defaults));
}
