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
  techDebt?: {
    /**
     * How often owner and system of debt items are refreshed from the catalog, as a Backstage duration
     * (e.g. `{ minutes: 10 }`). Defaults to every 10 minutes.
     */
    catalogSyncFrequency?: { [unit: string]: number } | string;
  };
}
