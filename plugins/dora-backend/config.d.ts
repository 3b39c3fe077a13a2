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
