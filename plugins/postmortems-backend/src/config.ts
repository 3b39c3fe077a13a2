import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readTaskSchedule } from '@vitals/backend-common';
import {
  DEFAULT_MINIMUM_SEVERITY,
  DEFAULT_SEVERITY_LEVELS,
  FollowThroughDefinitions,
  qualifyingSeverityKeys,
} from '@vitals/plugin-postmortems-common';
import { Qualifying } from './database/PostmortemsStore';

/** What the plugin reads from `postmortems.*`. */
export interface PostmortemsSettings {
  templateTargets: string[];
  defaultTemplateId: string;
  minimumSeverity: string;
  qualifying: Qualifying;
  postmortemDueDays: number;
  actionItemDueDays: number;
  followThroughLookbackDays: number;
  notify: boolean;
  incidentLookbackDays: number;
  incidentRefreshDays: number;
  schedules: {
    incidentSync: SchedulerServiceTaskScheduleDefinition;
    followThrough: SchedulerServiceTaskScheduleDefinition;
    templatesRefresh: SchedulerServiceTaskScheduleDefinition;
  };
}

export const DEFAULT_SCHEDULES = {
  incidentSync: {
    frequency: { minutes: 10 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    scope: 'global',
  },
  followThrough: {
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 5 },
    scope: 'global',
  },
  // Every replica reads the files itself and serves what it read (see the README).
  templatesRefresh: {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: { minutes: 5 },
    scope: 'local',
  },
} satisfies Record<string, SchedulerServiceTaskScheduleDefinition>;

function wholeNumber(
  config: RootConfigService,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid config ${key}: must be a whole number from ${min} to ${max}, not ${value}`,
    );
  }
  return value;
}

function severityLevels(config: RootConfigService): string[][] {
  const key = 'postmortems.severityLevels';
  const raw = config.getOptional<unknown>(key);
  if (raw === undefined) return DEFAULT_SEVERITY_LEVELS.map(l => [...l]);
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    !raw.every(
      level =>
        Array.isArray(level) &&
        level.length > 0 &&
        level.every(name => typeof name === 'string' && name.trim()),
    )
  ) {
    throw new Error(
      `Invalid config ${key}: must be a list of levels, most severe first, each a list of names, e.g. [[SEV1, P1], [SEV2, P2]]`,
    );
  }
  return raw as string[][];
}

/** Reads and checks `postmortems.*`; a bad value throws at start, naming the key. */
export function readPostmortemsSettings(
  config: RootConfigService,
): PostmortemsSettings {
  const levels = severityLevels(config);
  const minimumSeverity =
    config.getOptionalString('postmortems.followThrough.minimumSeverity') ??
    DEFAULT_MINIMUM_SEVERITY;
  let keys: string[];
  try {
    keys = qualifyingSeverityKeys(levels, minimumSeverity);
  } catch (error) {
    throw new Error(
      `Invalid config postmortems.followThrough.minimumSeverity / postmortems.severityLevels: ${
        (error as Error).message
      }`,
    );
  }
  return {
    templateTargets: (
      config.getOptionalConfigArray('postmortems.templates') ?? []
    ).map(c => c.getString('target')),
    defaultTemplateId:
      config.getOptionalString('postmortems.defaultTemplate') ?? 'blameless',
    minimumSeverity,
    qualifying: {
      keys,
      unknownQualifies:
        config.getOptionalBoolean(
          'postmortems.followThrough.unknownSeverityQualifies',
        ) ?? false,
    },
    postmortemDueDays: wholeNumber(
      config,
      'postmortems.followThrough.postmortemDueDays',
      5,
      1,
      365,
    ),
    actionItemDueDays: wholeNumber(
      config,
      'postmortems.followThrough.actionItemDueDays',
      30,
      1,
      3650,
    ),
    followThroughLookbackDays: wholeNumber(
      config,
      'postmortems.followThrough.lookbackDays',
      90,
      7,
      3650,
    ),
    notify:
      config.getOptionalBoolean('postmortems.followThrough.notify') ?? true,
    incidentLookbackDays: wholeNumber(
      config,
      'postmortems.incidents.lookbackDays',
      365,
      7,
      3650,
    ),
    incidentRefreshDays: wholeNumber(
      config,
      'postmortems.incidents.refreshDays',
      14,
      1,
      365,
    ),
    schedules: {
      incidentSync: readTaskSchedule(
        config,
        'postmortems.schedules.incidentSync',
        DEFAULT_SCHEDULES.incidentSync,
      ),
      followThrough: readTaskSchedule(
        config,
        'postmortems.schedules.followThrough',
        DEFAULT_SCHEDULES.followThrough,
      ),
      templatesRefresh: readTaskSchedule(
        config,
        'postmortems.schedules.templatesRefresh',
        DEFAULT_SCHEDULES.templatesRefresh,
      ),
    },
  };
}

/** The definitions the figures are counted with, as the API states them. */
export function definitionsOf(
  settings: PostmortemsSettings,
): FollowThroughDefinitions {
  return {
    qualifyingSeverities: settings.qualifying.keys,
    minimumSeverity: settings.minimumSeverity,
    postmortemDueDays: settings.postmortemDueDays,
    actionItemDueDays: settings.actionItemDueDays,
  };
}
