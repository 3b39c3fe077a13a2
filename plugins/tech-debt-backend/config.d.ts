export interface Config {
  techDebt?: {
    /**
     * How often owner and system of debt items are refreshed from the catalog, as a Backstage duration
     * (e.g. `{ minutes: 10 }`). Defaults to every 10 minutes.
     */
    catalogSyncFrequency?: { [unit: string]: number } | string;
  };
}
