import { LoggerService } from '@backstage/backend-plugin-api';
import { DoraApi, DoraPipelinesResponse } from '@vitals/plugin-dora-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { DORA_WINDOW_DAYS } from './doraFactProvider';
import { getFactsPerEntity } from './perEntityFacts';

/** Requests in flight at once (the pipelines API answers one entity per request). */
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** Fact ids of the CI provider: the CI/CD friction of an entity's pipeline runs. */
export const CI_FACT_IDS = {
  durationMedianMinutes: 'ci.durationMedianMinutes',
  durationP90Minutes: 'ci.durationP90Minutes',
  queueMedianMinutes: 'ci.queueMedianMinutes',
  defaultBranchSuccessRate: 'ci.defaultBranchSuccessRate',
  flakyRate: 'ci.flakyRate',
  timeToGreenMedianHours: 'ci.timeToGreenMedianHours',
} as const;

const queued = `the pipeline runs queued in the last ${DORA_WINDOW_DAYS} days`;

const CI_FACTS: FactDefinition[] = [
  {
    id: CI_FACT_IDS.durationMedianMinutes,
    type: 'number',
    description: `Median minutes from start to finish of ${queued} that started and finished; no data without any`,
  },
  {
    id: CI_FACT_IDS.durationP90Minutes,
    type: 'number',
    description: `90th percentile of the minutes from start to finish of ${queued} that started and finished; no data without any`,
  },
  {
    id: CI_FACT_IDS.queueMedianMinutes,
    type: 'number',
    description: `Median minutes from queued to started of ${queued} that started; no data without any`,
  },
  {
    id: CI_FACT_IDS.defaultBranchSuccessRate,
    type: 'number',
    description: `Successes / (successes + failures) of ${queued} on the default branch (cancelled and skipped runs left out), a fraction 0–1; no data without any`,
  },
  {
    id: CI_FACT_IDS.flakyRate,
    type: 'number',
    description: `Of the failed runs among ${queued}, the share a later attempt of the same pipeline on the same commit passed, a fraction 0–1; no data without failures`,
  },
  {
    id: CI_FACT_IDS.timeToGreenMedianHours,
    type: 'number',
    description: `Median hours from a default-branch failure that turned its pipeline red to the pipeline's next success, over such failures in the last ${DORA_WINDOW_DAYS} days that have gone green; no data without any`,
  },
];

const per = (seconds: number | null, unitSeconds: number) =>
  seconds === null ? null : seconds / unitSeconds;

/** The facts of one `GET /v1/pipelines` answer. A figure with nothing to count stays null: "no data", never 0. */
export function ciFactsOf(answer: DoraPipelinesResponse): EntityFacts {
  const { duration, queue, defaultBranchSuccess, flakiness, timeToGreen } =
    answer.figures;
  return {
    [CI_FACT_IDS.durationMedianMinutes]: per(duration.medianSeconds, 60),
    [CI_FACT_IDS.durationP90Minutes]: per(duration.p90Seconds, 60),
    [CI_FACT_IDS.queueMedianMinutes]: per(queue.medianSeconds, 60),
    [CI_FACT_IDS.defaultBranchSuccessRate]: defaultBranchSuccess.rate,
    [CI_FACT_IDS.flakyRate]: flakiness.rate,
    [CI_FACT_IDS.timeToGreenMedianHours]: per(timeToGreen.medianSeconds, 3600),
  };
}

/**
 * Facts from the DORA backend's pipeline-run figures, per entity: run duration (median, p90), queue time, default-branch
 * success rate, flaky rate and time to green over the runs queued in the 90 days before the call (`GET /v1/pipelines`,
 * one request per entity, at most 8 in flight). A failed request leaves that entity's CI facts out (see
 * `getFactsPerEntity`).
 */
export function createCiFactProvider(options: {
  client: Pick<DoraApi, 'getPipelines'>;
  logger: LoggerService;
  concurrency?: number;
  now?: () => Date;
}): FactProvider {
  const { client, logger } = options;
  const now = options.now ?? (() => new Date());

  return {
    id: 'ci',
    batchSize: 500,
    facts: CI_FACTS,
    async getFacts({ entities, factIds, reportFailure }) {
      const to = now();
      const from = new Date(to.getTime() - DORA_WINDOW_DAYS * DAY_MS);
      return getFactsPerEntity({
        entities,
        factIds,
        concurrency: options.concurrency ?? CONCURRENCY,
        logger,
        fetch: entityRef =>
          client.getPipelines({
            entityRef,
            from: from.toISOString(),
            to: to.toISOString(),
          }),
        factsOf: ciFactsOf,
        unavailable: 'Pipeline-run figures',
        factsName: 'CI',
        reportFailure,
      });
    },
  };
}
