import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  ownership?: {
    /** Schedules of the plugin's tasks, each a Backstage schedule (`frequency` and `timeout` required). */
    schedules?: {
      /**
       * When the ownership snapshot is taken from the catalog (e.g. `{ frequency: { minutes: 10 }, timeout:
       * { minutes: 10 } }`; a duration object, an ISO duration such as `PT10M`, or `{ cron: '...' }`). Defaults to every
       * 10 minutes with a 10-minute timeout; the first snapshot is taken 30 seconds after start unless `initialDelay`
       * says otherwise. Runs on one replica at a time.
       */
      snapshot?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * @deprecated Use `ownership.schedules.snapshot` (`{ frequency, timeout }`). Still read, with a warning in the
     * log, when `ownership.schedules.snapshot` is not set: how often the snapshot is taken, as a Backstage duration.
     */
    snapshotFrequency?: { [unit: string]: number } | string;
    /**
     * Entity kinds whose ownership is snapshotted and checked. Defaults to Component, API, Resource, System and
     * Domain. Kinds outside this list are shown on the entity card with no checks.
     */
    kinds?: string[];
    /**
     * Days after which a confirmation of ownership expires and the entity is reported as "confirmation overdue".
     * A whole number from 1 to 3660 (ten years); defaults to 180.
     */
    confirmationPeriodDays?: number;
    /**
     * Which checks apply to which kinds. Every check applies to every kind in `ownership.kinds` unless configured
     * here: `enabled: false` turns a check off, `kinds` limits it to some kinds.
     */
    checks?: {
      /** The entity names no owner. */
      noOwner?: { enabled?: boolean; kinds?: string[] };
      /** spec.owner names an entity the catalog does not have. */
      ownerUnresolved?: { enabled?: boolean; kinds?: string[] };
      /** The owning group has no members. */
      ownerNoMembers?: { enabled?: boolean; kinds?: string[] };
      /** The owning group has a single member, or the owner is one user (bus factor 1). */
      ownerSingleMember?: { enabled?: boolean; kinds?: string[] };
      /** Neither the entity nor its owner has a Slack channel, email, paging service or contact link. */
      noContact?: { enabled?: boolean; kinds?: string[] };
      /** Ownership has not been confirmed within confirmationPeriodDays. */
      confirmationOverdue?: { enabled?: boolean; kinds?: string[] };
    };
  };
}
