import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  dora?: {
    /**
     * Deployment environments that count as production, compared case-insensitively. Defaults to
     * `["production", "prod"]`. Changing it relinks the stored events at the next start.
     */
    productionEnvironments?: string[];
    ingest?: {
      /**
       * Batches of events written at once by one backend process; the others wait their turn (reads never do). A whole
       * number from 1; default: no limit. A write keeps a database process busy for its whole transaction; on a
       * machine with few cores a low limit is meant to keep reads from queueing behind many writes.
       */
      maxConcurrentWrites?: number;
    };
    flow?: {
      /**
       * A pull request with more lines changed (additions + deletions) than this is large: the flow figures count the
       * share of large pull requests. A whole number from 0; default 400.
       */
      largePrLines?: number;
      /**
       * A pull request waiting this many hours or more for its first review is overdue. A number above 0; default 24.
       */
      reviewOverdueHours?: number;
      /**
       * The flow org page (`GET /v1/flow/teams`) serves each group's kept figures; once one of the group's entities has
       * been written, for at most this many minutes more (the refresh computes them again meanwhile), after which a
       * request computes them itself. A number above 0; default 15.
       */
      teamFiguresMaxStaleMinutes?: number;
    };
    /** Schedules of the plugin's tasks, each a Backstage schedule (`frequency` and `timeout` required). */
    schedules?: {
      /**
       * When the flow org page's kept figures are brought up to date (e.g. `{ frequency: { minutes: 5 }, timeout:
       * { minutes: 10 } }`). Defaults to every 5 minutes with a 10-minute timeout, the first a minute after start unless
       * `initialDelay` says otherwise; one replica at a time (scope global unless given).
       */
      flowTeamFigures?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    webhooks?: {
      pagerduty?: {
        /**
         * Secret of the PagerDuty v3 webhook subscription. When set, `POST /api/dora/v1/webhooks/pagerduty` accepts
         * `incident.triggered` / `incident.resolved` webhooks signed with it (`X-PagerDuty-Signature: v1=<HMAC-SHA256>`)
         * and rejects unsigned or wrongly signed ones with 401; without it the route does not exist.
         * @visibility secret
         */
        secret?: string;
      };
    };
  };
}
