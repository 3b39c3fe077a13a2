export interface Config {
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
