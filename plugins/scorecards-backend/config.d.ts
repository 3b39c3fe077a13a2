import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  scorecards?: {
    /**
     * Scorecard definitions inline. Each: id, title, description, appliesTo { kind, type, lifecycle, tags, system },
     * levels [{ id, title }] from lowest to highest, checks [{ id, title, fact, operator, threshold, level, howToFix,
     * links }]. Validated at start-up; see the plugin README.
     */
    definitions?: Array<{ [key: string]: unknown }>;
    /**
     * YAML files with scorecard definitions (a list, or an object with a `scorecards` list), relative to the
     * backend's working directory.
     */
    definitionFiles?: string[];
    /** Schedules of the plugin's tasks, each a Backstage schedule (`frequency` and `timeout` required). */
    schedules?: {
      /**
       * When the scheduled evaluation (`scorecards-evaluate`) runs, e.g. `{ frequency: { minutes: 30 }, timeout:
       * { minutes: 20 } }` (the default; a duration object, an ISO duration such as `PT30M`, or `{ cron: '...' }`).
       * The first run is 40 seconds after start unless `initialDelay` says otherwise. Runs on one replica at a time.
       */
      evaluate?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * When the start-up catch-up (`scorecards-evaluate-at-start`) looks for entities without results: 5 seconds after
       * start, then every 15 seconds until the catalog has settled, unless set (`{ frequency: { seconds: 15 }, timeout:
       * { minutes: 20 } }` is the default; `initialDelay` 5 seconds unless given). A longer frequency spreads the
       * first evaluation of a large catalog, and its calls to the providers' backends, over more time.
       */
      evaluateAtStart?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * @deprecated Use `scorecards.schedules.evaluate` (same shape). Still read, with a warning in the log, when
     * `scorecards.schedules.evaluate` is not set.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    refresh?: {
      /**
       * Shortest time between two on-demand refreshes (`POST /v1/entities/refresh`) of one entity, in seconds, across
       * all backend replicas; a refresh sooner gets 429. 1 to 86400, 30 by default.
       */
      minIntervalSeconds?: number;
    };
    /**
     * Switches for the built-in fact providers the package's default export installs (each is a backend module; an
     * adopter who adds `scorecardsPlugin` and only some modules can leave the others out instead).
     */
    providers?: {
      techDebt?: {
        /** Set false when the tech-debt backend is not installed. Defaults to true. */
        enabled?: boolean;
      };
      dora?: {
        /**
         * Set false when the DORA backend (`@vitals/plugin-dora-backend`) is not installed. Defaults to true. The
         * provider reads each entity's metrics over the 90 days before the evaluation.
         */
        enabled?: boolean;
        /** The benchmark the tiers are taken from: '2023' (default) or '2021'. */
        benchmark?: '2023' | '2021';
      };
      flow?: {
        /**
         * The pull-request flow provider (`flow.*`), which reads the DORA backend's flow figures over the 90 days before
         * the evaluation and its review queue now. Defaults to `dora.enabled` (true unless set).
         */
        enabled?: boolean;
      };
      ci?: {
        /**
         * The CI provider (`ci.*`), which reads the DORA backend's pipeline-run figures over the 90 days before the
         * evaluation. Defaults to `dora.enabled` (true unless set).
         */
        enabled?: boolean;
      };
      ownership?: {
        /** Set false when the ownership backend (`@vitals/plugin-ownership-backend`) is not installed. Defaults to true. */
        enabled?: boolean;
      };
      onboarding?: {
        /**
         * Set false when the onboarding backend (`@vitals/plugin-onboarding-backend`) is not installed. Defaults to
         * true. The provider reads the org onboarding report once per batch.
         */
        enabled?: boolean;
      };
      postmortems?: {
        /**
         * Set false when the postmortems backend (`@vitals/plugin-postmortems-backend`) is not installed. Defaults to
         * true. The provider reads the postmortem figures of 100 entities per request, over the 90 days before the
         * evaluation.
         */
        enabled?: boolean;
      };
    };
  };
}
