import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  onboarding?: {
    /**
     * Where the checklist templates are read from: URLs read through the backend's URL reader (so the integrations
     * config applies), or file paths relative to the backend's working directory. Each file may hold several YAML
     * documents of `kind: OnboardingTemplate`.
     */
    templates?: Array<{ target: string }>;
    /** Schedules of the plugin's tasks, each a Backstage schedule (`frequency` and `timeout` required). */
    schedules?: {
      /**
       * When the templates are read again (e.g. `{ frequency: { minutes: 5 }, timeout: { minutes: 2 } }`; a duration
       * object, an ISO duration such as `PT5M`, or `{ cron: '...' }`). Defaults to every 5 minutes with a 2-minute
       * timeout, the first a minute after start unless `initialDelay` says otherwise; they are also read at start. One
       * replica at a time reads them and stores the result in the plugin's database; every replica serves the stored
       * set within 10 seconds.
       */
      templatesRefresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * @deprecated Use `onboarding.schedules.templatesRefresh` (`{ frequency, timeout }`). Still read, with a warning
     * in the log, when `onboarding.schedules.templatesRefresh` is not set: how often the templates are read again, as
     * a Backstage duration (e.g. `{ minutes: 5 }`).
     */
    refreshFrequency?: { [unit: string]: number } | string;
    /**
     * A checklist that is not complete and has had no progress for this many days is reported as stalled. A whole
     * number from 1 to 3650; default 14.
     */
    stalledAfterDays?: number;
  };
}
