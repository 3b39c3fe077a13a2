export interface Config {
  dora?: {
    /**
     * Deployment environments that count as production, compared case-insensitively. Defaults to
     * `["production", "prod"]`. Changing it relinks the stored events at the next start.
     */
    productionEnvironments?: string[];
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
