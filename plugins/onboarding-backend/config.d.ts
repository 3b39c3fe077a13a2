export interface Config {
  onboarding?: {
    /**
     * Where the checklist templates are read from: URLs read through the backend's URL reader (so the integrations
     * config applies), or file paths relative to the backend's working directory. Each file may hold several YAML
     * documents of `kind: OnboardingTemplate`.
     */
    templates?: Array<{ target: string }>;
    /**
     * How often the templates are read again, as a Backstage duration (e.g. `{ minutes: 5 }`). Defaults to every
     * 5 minutes; they are also read at start. One replica at a time reads them and stores the result in the plugin's
     * database; every replica serves the stored set within 10 seconds.
     */
    refreshFrequency?: { [unit: string]: number } | string;
    /**
     * A checklist that is not complete and has had no progress for this many days is reported as stalled. A whole
     * number from 1 to 3650; default 14.
     */
    stalledAfterDays?: number;
  };
}
