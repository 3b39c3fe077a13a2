export interface Config {
  vitals?: {
    demo?: {
      /**
       * Seed demo data for the components of the catalog on an empty database. On in the example portal's
       * app-config.yaml, off in production.
       */
      enabled?: boolean;
    };
  };
  dora?: {
    /**
     * Deployment environments that count as production, compared case-insensitively. Defaults to
     * `["production", "prod"]`. Changing it relinks the stored events at the next start.
     */
    productionEnvironments?: string[];
  };
}
