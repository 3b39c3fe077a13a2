import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * A scheduled task's schedule: the config at `key` when there is one, read the Backstage way
 * (`readSchedulerServiceTaskScheduleDefinitionFromConfig`: `frequency` and `timeout` required, each a duration object
 * such as `{ minutes: 10 }`, an ISO duration such as `PT10M`, or a cron object; `initialDelay` and `scope` optional),
 * else `defaults`. Scope stays `global` unless the config says otherwise, so several replicas run the task once.
 *
 * @public
 */
export function readTaskSchedule(
  config: RootConfigService,
  key: string,
  defaults: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  if (!config.has(key)) return defaults;
  const read = readSchedulerServiceTaskScheduleDefinitionFromConfig(
    config.getConfig(key),
  );
  return { ...read, scope: read.scope ?? defaults.scope };
}
