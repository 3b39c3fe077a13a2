import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DoraApi,
  DoraFlow,
  DoraFlowFigure,
  DoraWaitingPullRequests,
} from '@vitals/plugin-dora-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { DORA_WINDOW_DAYS } from './doraFactProvider';
import { getFactsPerEntity } from './perEntityFacts';

/** Requests per entity in flight at once (the flow API answers one entity per request). */
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** Fact ids of the flow provider: pull-request cycle time, review coverage, size and the review queue. */
export const FLOW_FACT_IDS = {
  codingMedianHours: 'flow.codingMedianHours',
  pickupMedianHours: 'flow.pickupMedianHours',
  reviewMedianHours: 'flow.reviewMedianHours',
  deployMedianHours: 'flow.deployMedianHours',
  unreviewedShare: 'flow.unreviewedShare',
  largePrShare: 'flow.largePrShare',
  waitingForReviewCount: 'flow.waitingForReviewCount',
  overdueReviewCount: 'flow.overdueReviewCount',
} as const;

/** The facts `GET /v1/flow` answers; the others come from `GET /v1/flow/waiting`. */
const WINDOW_FACTS: ReadonlySet<string> = new Set([
  FLOW_FACT_IDS.codingMedianHours,
  FLOW_FACT_IDS.pickupMedianHours,
  FLOW_FACT_IDS.reviewMedianHours,
  FLOW_FACT_IDS.deployMedianHours,
  FLOW_FACT_IDS.unreviewedShare,
  FLOW_FACT_IDS.largePrShare,
]);
const WAITING_FACTS: ReadonlySet<string> = new Set([
  FLOW_FACT_IDS.waitingForReviewCount,
  FLOW_FACT_IDS.overdueReviewCount,
]);

const merged = `over the pull requests merged in the last ${DORA_WINDOW_DAYS} days`;

const FLOW_FACTS: FactDefinition[] = [
  {
    id: FLOW_FACT_IDS.codingMedianHours,
    type: 'number',
    description: `Median hours from a pull request's first commit to its opening, ${merged} that report a first commit; no data without any`,
  },
  {
    id: FLOW_FACT_IDS.pickupMedianHours,
    type: 'number',
    description: `Median hours from a pull request's opening to its first review, ${merged} with a review before the merge; no data without any`,
  },
  {
    id: FLOW_FACT_IDS.reviewMedianHours,
    type: 'number',
    description: `Median hours from a pull request's first review to its merge, ${merged} with a review before the merge; no data without any`,
  },
  {
    id: FLOW_FACT_IDS.deployMedianHours,
    type: 'number',
    description: `Median hours from a pull request's merge to the production deployment that shipped it, ${merged} and deployed since; no data without any`,
  },
  {
    id: FLOW_FACT_IDS.unreviewedShare,
    type: 'number',
    description: `Pull requests merged without a review / pull requests merged, in the last ${DORA_WINDOW_DAYS} days, a fraction 0–1; no data without merged pull requests`,
  },
  {
    id: FLOW_FACT_IDS.largePrShare,
    type: 'number',
    description: `Large pull requests (more lines changed than dora.flow.largePrLines, default 400) / pull requests with a size, ${merged}, a fraction 0–1; no data when none reported a size`,
  },
  {
    id: FLOW_FACT_IDS.waitingForReviewCount,
    type: 'number',
    description:
      'Open pull requests waiting for a first review now (neither reviewed, merged nor closed)',
  },
  {
    id: FLOW_FACT_IDS.overdueReviewCount,
    type: 'number',
    description:
      'Of the pull requests waiting for a first review now, those waiting longer than dora.flow.reviewOverdueHours (default 24)',
  },
];

const hoursOf = (figure: DoraFlowFigure) =>
  figure.medianMinutes === null ? null : figure.medianMinutes / 60;

/**
 * The facts of one entity's `GET /v1/flow` and `GET /v1/flow/waiting` answers (either may be left out when no wanted
 * fact needs it). A median over no pull requests, or a share of none, is null: "no data", never 0.
 */
export function flowFactsOf(answers: {
  flow?: DoraFlow;
  waiting?: DoraWaitingPullRequests;
}): EntityFacts {
  const { flow, waiting } = answers;
  const facts: EntityFacts = {};
  if (flow) {
    facts[FLOW_FACT_IDS.codingMedianHours] = hoursOf(flow.parts.coding);
    facts[FLOW_FACT_IDS.pickupMedianHours] = hoursOf(flow.parts.pickup);
    facts[FLOW_FACT_IDS.reviewMedianHours] = hoursOf(flow.parts.review);
    facts[FLOW_FACT_IDS.deployMedianHours] = hoursOf(flow.parts.deploy);
    facts[FLOW_FACT_IDS.unreviewedShare] = flow.pullRequests
      ? flow.unreviewed / flow.pullRequests
      : null;
    facts[FLOW_FACT_IDS.largePrShare] = flow.size.largeShare;
  }
  if (waiting) {
    facts[FLOW_FACT_IDS.waitingForReviewCount] = waiting.totalCount;
    facts[FLOW_FACT_IDS.overdueReviewCount] = waiting.overdueCount;
  }
  return facts;
}

/**
 * Facts from the DORA backend's flow API, per entity: the median of each part of the pull-request cycle time (coding,
 * pickup, review, deploy) in hours, the shares merged without review and too large over the 90 days before the call
 * (`GET /v1/flow`), and the pull requests waiting for a first review now (`GET /v1/flow/waiting`). Only the requests
 * the wanted facts need are made; at most 8 entities in flight. A failed request leaves that entity's flow facts out
 * (see `getFactsPerEntity`).
 */
export function createFlowFactProvider(options: {
  client: Pick<DoraApi, 'getFlow' | 'listWaitingPullRequests'>;
  logger: LoggerService;
  concurrency?: number;
  now?: () => Date;
}): FactProvider {
  const { client, logger } = options;
  const now = options.now ?? (() => new Date());

  return {
    id: 'flow',
    batchSize: 500,
    facts: FLOW_FACTS,
    async getFacts({ entities, factIds, reportFailure }) {
      const to = now();
      const from = new Date(to.getTime() - DORA_WINDOW_DAYS * DAY_MS);
      const needsFlow = factIds.some(id => WINDOW_FACTS.has(id));
      const needsWaiting = factIds.some(id => WAITING_FACTS.has(id));
      return getFactsPerEntity({
        entities,
        factIds,
        concurrency: options.concurrency ?? CONCURRENCY,
        logger,
        fetch: async entityRef => {
          const [flow, waiting] = await Promise.all([
            needsFlow
              ? client.getFlow({
                  entityRef,
                  from: from.toISOString(),
                  to: to.toISOString(),
                })
              : undefined,
            // Only the counts are wanted: one item is the smallest page.
            needsWaiting
              ? client.listWaitingPullRequests({ entityRef, limit: 1 })
              : undefined,
          ]);
          return { flow, waiting };
        },
        factsOf: flowFactsOf,
        unavailable: 'Pull-request flow figures',
        factsName: 'flow',
        reportFailure,
      });
    },
  };
}
