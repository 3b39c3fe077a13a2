import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { ScorecardEvaluator } from './ScorecardEvaluator';

/** The start-up catch-up evaluation's task id. */
export const STARTUP_EVALUATION_TASK_ID = 'scorecards-evaluate-at-start';

/**
 * How often the start-up catch-up looks at the catalog until it has settled: soon after start, then every 15 seconds,
 * on one replica at a time.
 */
export const STARTUP_EVALUATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 15 },
    timeout: { minutes: 20 },
    initialDelay: { seconds: 5 },
    scope: 'global',
  };

/**
 * Schedules the start-up catch-up: without it a fresh portal shows "Not evaluated yet" on every entity until the first
 * scheduled evaluation (`scorecards.schedules.evaluate`), and entities the catalog ingests after that run wait for the
 * next one.
 *
 * Each run evaluates only the applicable entities that have no result yet ({@link ScorecardEvaluator.evaluateUnevaluated}),
 * so an empty or half-ingested catalog is simply looked at again on the next run, and a restart on a database that
 * already holds results costs one catalog listing. Once a run finds the catalog non-empty, the same size as on the
 * run before and nothing left to evaluate, the catalog has settled and later runs return at once; from then on the
 * scheduled evaluation keeps results current. `afterEvaluation` runs after a run that evaluated entities.
 */
export async function scheduleStartupEvaluation(options: {
  scheduler: SchedulerService;
  evaluator: Pick<ScorecardEvaluator, 'evaluateUnevaluated'>;
  logger: LoggerService;
  afterEvaluation?: () => Promise<void>;
  schedule?: Partial<SchedulerServiceTaskScheduleDefinition>;
}): Promise<void> {
  const { scheduler, evaluator, logger, afterEvaluation } = options;
  let settled = false;
  let previousEntities: number | undefined;
  await scheduler.scheduleTask({
    ...STARTUP_EVALUATION_SCHEDULE,
    ...options.schedule,
    id: STARTUP_EVALUATION_TASK_ID,
    fn: async () => {
      if (settled) return;
      const { entities, evaluated } = await evaluator.evaluateUnevaluated();
      if (evaluated > 0) {
        logger.info(
          `Evaluated ${evaluated} of ${entities} entities that had no scorecard results yet`,
        );
        await afterEvaluation?.();
      }
      settled =
        entities > 0 && evaluated === 0 && entities === previousEntities;
      previousEntities = entities;
    },
  });
}
