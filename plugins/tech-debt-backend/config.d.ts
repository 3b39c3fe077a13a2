import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  techDebt?: {
    schedules?: {
      /**
       * How often owner and system of debt items are refreshed from the catalog: a Backstage schedule
       * (`frequency` and `timeout` required, e.g. `{ frequency: { minutes: 10 }, timeout: { minutes: 5 } }`;
       * `initialDelay` 30 seconds unless given; `scope` global unless given). Defaults to every 10 minutes.
       */
      catalogSync?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * @deprecated Use `techDebt.schedules.catalogSync` (`{ frequency, timeout }`). Still read, as the frequency, when
     * the schedule is not set, with a warning in the log.
     */
    catalogSyncFrequency?: { [unit: string]: number } | string;
    incidentLinks?: {
      /**
       * Plugins whose own service credentials (plugin-to-plugin tokens, `auth.getOwnServiceCredentials()`) may refresh
       * the snapshot of an incident link that a person made, e.g. when the incident is resolved. Linking, unlinking
       * and any other write stay with people. Defaults to `['postmortems']`; `[]` lets no service refresh.
       */
      refreshingPlugins?: string[];
    };
  };
}
