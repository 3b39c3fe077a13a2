import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  postmortems?: {
    /**
     * Where postmortem templates are read from, besides the shipped `blameless` template: URLs read through the
     * backend's URL reader (so the integrations config applies), or file paths relative to the backend's working
     * directory. Each file may hold several YAML documents of `kind: PostmortemTemplate`. A template named like the
     * shipped one replaces it. A file that cannot be read or parsed keeps its last good templates.
     */
    templates?: Array<{ target: string }>;
    /** The template new postmortems start from unless another is chosen. Defaults to `blameless`. */
    defaultTemplate?: string;
    /**
     * Severity levels, most severe first; each level lists the names senders use for it (compared case-insensitively).
     * Defaults to `[[SEV1, P1, critical], [SEV2, P2, high], [SEV3, P3, medium, moderate], [SEV4, P4, low],
     * [SEV5, P5, info]]`.
     */
    severityLevels?: string[][];
    followThrough?: {
      /** Incidents of this level or more severe need a published postmortem. Defaults to `SEV2`. */
      minimumSeverity?: string;
      /** Whether an incident without a severity needs one too. Defaults to false. */
      unknownSeverityQualifies?: boolean;
      /** A qualifying incident's postmortem is due this many days after the incident was created (1-365). Default 5. */
      postmortemDueDays?: number;
      /** An action item added without a due date is due this many days later (1-3650). Default 30. */
      actionItemDueDays?: number;
      /** Missing postmortems are chased for incidents of the last this many days (7-3650). Default 90. */
      lookbackDays?: number;
      /** Whether the follow-through job notifies the owning teams (Backstage notifications). Default true. */
      notify?: boolean;
    };
    incidents?: {
      /** How far back the daily full read of DORA's incidents goes, in days (7-3650). Default 365. */
      lookbackDays?: number;
      /** How far back the frequent read goes, in days (1-365): the incidents whose state still changes. Default 14. */
      refreshDays?: number;
    };
    /** Schedules of the plugin's tasks, each a Backstage schedule (`frequency` and `timeout` required). */
    schedules?: {
      /** Reading DORA's incidents. Default every 10 minutes (a full read once a day), on one replica. */
      incidentSync?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The follow-through job: re-read action items, list what is overdue, notify. Default every hour. */
      followThrough?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Re-reading the template files, on every replica. Default every 5 minutes. */
      templatesRefresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
