export interface Config {
  vitals?: {
    demo?: {
      /**
       * Seed demo onboarding progress (a few engineers of the example org at different stages), once. On in the
       * example portal's app-config.yaml, off in production.
       */
      enabled?: boolean;
    };
    /**
     * Groups (entity refs) whose members are Vitals admins. The example portal's permission policy allows
     * `onboarding.progress.reset` to them only.
     */
    adminGroups?: string[];
  };
  onboarding?: {
    /**
     * Where the checklist templates are read from: URLs read through the backend's URL reader (so the integrations
     * config applies), or file paths relative to the backend's working directory. Each file may hold several YAML
     * documents of `kind: OnboardingTemplate`.
     */
    templates?: Array<{ target: string }>;
    /**
     * How often the templates are read again, as a Backstage duration (e.g. `{ minutes: 5 }`). Defaults to every
     * 5 minutes; they are also read at start.
     */
    refreshFrequency?: { [unit: string]: number } | string;
    /** A checklist that is not complete and has had no progress for this many days is reported as stalled. Default 14. */
    stalledAfterDays?: number;
  };
}
