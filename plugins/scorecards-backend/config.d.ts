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
    /**
     * When the scheduled evaluation runs, as a Backstage task schedule
     * (`{ frequency: { minutes: 30 }, timeout: { minutes: 20 }, initialDelay: { seconds: 40 } }` by default).
     */
    schedule?: {
      frequency: { [unit: string]: number } | string | { cron: string };
      timeout: { [unit: string]: number } | string;
      initialDelay?: { [unit: string]: number } | string;
    };
    refresh?: {
      /**
       * Shortest time between two on-demand refreshes (`POST /v1/entities/refresh`) of one entity, in seconds, across
       * all backend replicas; a refresh sooner gets 429. 1 to 86400, 30 by default.
       */
      minIntervalSeconds?: number;
    };
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
    };
  };
}
