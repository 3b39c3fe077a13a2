import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readTaskSchedule } from '@vitals/backend-common';
import {
  DEFAULT_LARGE_PR_LINES,
  DEFAULT_REVIEW_OVERDUE_HOURS,
} from '@vitals/plugin-dora-common';
import { FlowSettings } from './flow';
import {
  DEFAULT_TEAM_FIGURES_MAX_STALE_MINUTES,
  FlowTeamFiguresSettings,
} from './flowTeams';

/**
 * `dora.flow.largePrLines` (a whole number from 0, default 400) and `dora.flow.reviewOverdueHours` (a number above 0,
 * default 24). A value outside those stops the backend at start-up, naming the key, rather than serving figures no one
 * asked for.
 */
export function readFlowSettings(config: RootConfigService): FlowSettings {
  const largePrLines =
    config.getOptionalNumber('dora.flow.largePrLines') ??
    DEFAULT_LARGE_PR_LINES;
  const reviewOverdueHours =
    config.getOptionalNumber('dora.flow.reviewOverdueHours') ??
    DEFAULT_REVIEW_OVERDUE_HOURS;
  if (!Number.isInteger(largePrLines) || largePrLines < 0) {
    throw new Error(
      `Invalid dora.flow.largePrLines: ${largePrLines}; it must be a whole number of lines, 0 or more`,
    );
  }
  if (!(reviewOverdueHours > 0) || !Number.isFinite(reviewOverdueHours)) {
    throw new Error(
      `Invalid dora.flow.reviewOverdueHours: ${reviewOverdueHours}; it must be a number of hours above 0`,
    );
  }
  return { largePrLines, reviewOverdueHours };
}

/** The refresh of the flow org page's kept figures, unless `dora.schedules.flowTeamFigures` says otherwise. */
export const DEFAULT_TEAM_FIGURES_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    scope: 'global',
  };

/**
 * `dora.flow.teamFiguresMaxStaleMinutes` (a number above 0, default 15) and `dora.schedules.flowTeamFigures` (a
 * Backstage schedule, default {@link DEFAULT_TEAM_FIGURES_SCHEDULE}; scope global unless it says otherwise). A value
 * outside those stops the backend at start-up, naming the key.
 */
export function readFlowTeamFiguresConfig(config: RootConfigService): {
  settings: FlowTeamFiguresSettings;
  schedule: SchedulerServiceTaskScheduleDefinition;
} {
  const maxStaleMinutes =
    config.getOptionalNumber('dora.flow.teamFiguresMaxStaleMinutes') ??
    DEFAULT_TEAM_FIGURES_MAX_STALE_MINUTES;
  if (!(maxStaleMinutes > 0) || !Number.isFinite(maxStaleMinutes)) {
    throw new Error(
      `Invalid dora.flow.teamFiguresMaxStaleMinutes: ${maxStaleMinutes}; it must be a number of minutes above 0`,
    );
  }
  const schedule = readTaskSchedule(
    config,
    'dora.schedules.flowTeamFigures',
    DEFAULT_TEAM_FIGURES_SCHEDULE,
  );
  return {
    settings: { maxStaleMs: maxStaleMinutes * 60_000 },
    schedule: {
      ...schedule,
      initialDelay:
        schedule.initialDelay ?? DEFAULT_TEAM_FIGURES_SCHEDULE.initialDelay,
    },
  };
}

/**
 * `dora.ingest.maxConcurrentWrites` (a whole number from 1; default: no limit): batches of events one backend process
 * writes at once. A value outside those stops the backend at start-up, naming the key.
 */
export function readMaxConcurrentWrites(
  config: RootConfigService,
): number | undefined {
  const value = config.getOptionalNumber('dora.ingest.maxConcurrentWrites');
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `Invalid dora.ingest.maxConcurrentWrites: ${value}; it must be a whole number, 1 or more`,
    );
  }
  return value;
}
