import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  goals?: {
    /**
     * The Group that stands for the whole org in org-scoped figures (DORA and flow pool what it owns with its child
     * groups). Unset: the one Group without a parent in the catalog; when there are several, org figures of those
     * sources are unavailable and say so.
     */
    orgGroupRef?: string;
    schedules?: {
      /**
       * The daily snapshot: reads every active key result's figure (recording baselines when periods start) and every
       * running campaign's progress, burn-up, capacity and reminders. A Backstage schedule (`frequency` and `timeout`
       * required); defaults to every 24 hours, the first 2 minutes after start, on one replica.
       */
      snapshot?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
