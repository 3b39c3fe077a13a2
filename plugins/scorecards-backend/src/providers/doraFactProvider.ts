import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  DoraApi,
  DoraBenchmark,
  DoraClient,
  DoraMetrics,
} from '@vitals/plugin-dora-common';
import {
  EntityFacts,
  FactDefinition,
  FactProvider,
} from '@vitals/plugin-scorecards-node';
import { getFactsPerEntity } from './perEntityFacts';
import { createServiceFetch } from './serviceFetch';

/** The window the metrics are taken over: the 90 days before the evaluation. */
export const DORA_WINDOW_DAYS = 90;
/** Metrics requests in flight at once (the DORA API answers one entity per request). */
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** Fact ids of the DORA provider (the ones `examples/scorecards.yaml` checks, plus the other tiers and counts). */
export const DORA_FACT_IDS = {
  deploymentCount: 'dora.deploymentCount',
  weeklyMedianDeploymentDays: 'dora.weeklyMedianDeploymentDays',
  monthlyMedianDeploymentDays: 'dora.monthlyMedianDeploymentDays',
  deploymentFrequencyTier: 'dora.deploymentFrequencyTier',
  leadTimeMedianMinutes: 'dora.leadTimeMedianMinutes',
  leadTimeTier: 'dora.leadTimeTier',
  changeFailureRate: 'dora.changeFailureRate',
  changeFailureRateTier: 'dora.changeFailureRateTier',
  timeToRestoreMedianMinutes: 'dora.timeToRestoreMedianMinutes',
  timeToRestoreTier: 'dora.timeToRestoreTier',
  reworkRate: 'dora.reworkRate',
  failedDeploymentRecoveryMedianMinutes:
    'dora.failedDeploymentRecoveryMedianMinutes',
  failedDeploymentRecoveryTier: 'dora.failedDeploymentRecoveryTier',
} as const;

const TIER_TEXT = "'elite', 'high', 'medium' or 'low'";

const DORA_FACTS: FactDefinition[] = [
  {
    id: DORA_FACT_IDS.deploymentCount,
    type: 'number',
    description: `Successful production deployments in the last ${DORA_WINDOW_DAYS} days`,
  },
  {
    id: DORA_FACT_IDS.weeklyMedianDeploymentDays,
    type: 'number',
    description: `Median days with a production deployment per week over the last ${DORA_WINDOW_DAYS} days (0 with no deployments)`,
  },
  {
    id: DORA_FACT_IDS.monthlyMedianDeploymentDays,
    type: 'number',
    description: `Median days with a production deployment per 30 days over the last ${DORA_WINDOW_DAYS} days`,
  },
  {
    id: DORA_FACT_IDS.deploymentFrequencyTier,
    type: 'string',
    description: `Deployment-frequency tier: ${TIER_TEXT}`,
  },
  {
    id: DORA_FACT_IDS.leadTimeMedianMinutes,
    type: 'number',
    description: `Median lead time for changes in minutes, over changes deployed in the last ${DORA_WINDOW_DAYS} days; no data without any`,
  },
  {
    id: DORA_FACT_IDS.leadTimeTier,
    type: 'string',
    description: `Lead-time tier: ${TIER_TEXT}; no data without changes`,
  },
  {
    id: DORA_FACT_IDS.changeFailureRate,
    type: 'number',
    description: `Failed production deployments / production deployments, a fraction 0–1 (0.15 = 15%); no data without deployments`,
  },
  {
    id: DORA_FACT_IDS.changeFailureRateTier,
    type: 'string',
    description: `Change-failure-rate tier: ${TIER_TEXT}; no data without deployments`,
  },
  {
    id: DORA_FACT_IDS.timeToRestoreMedianMinutes,
    type: 'number',
    description: `Median minutes from incident to resolution, over incidents resolved in the last ${DORA_WINDOW_DAYS} days; no data without any`,
  },
  {
    id: DORA_FACT_IDS.timeToRestoreTier,
    type: 'string',
    description: `Time-to-restore tier: ${TIER_TEXT}; no data without resolved incidents`,
  },
  {
    id: DORA_FACT_IDS.reworkRate,
    type: 'number',
    description: `DORA 2024 rework rate: production deployments that were unplanned fixes of a production problem (flagged rework, or the first after an incident opened) / production deployments, a fraction 0–1; no data without deployments. It has no tier`,
  },
  {
    id: DORA_FACT_IDS.failedDeploymentRecoveryMedianMinutes,
    type: 'number',
    description: `DORA 2024 failed-deployment recovery time: median minutes from a failed production deployment's finish to the resolution of its last linked incident, over the failed deployments of the last ${DORA_WINDOW_DAYS} days whose incidents are all resolved; no data without any`,
  },
  {
    id: DORA_FACT_IDS.failedDeploymentRecoveryTier,
    type: 'string',
    description: `Failed-deployment recovery tier: ${TIER_TEXT}; no data without recovered failed deployments`,
  },
];

/** The facts of one `GET /v1/metrics` answer. A null metric (nothing to measure) stays null: "no data". */
export function doraFactsOf(metrics: DoraMetrics): EntityFacts {
  const {
    deploymentFrequency: df,
    leadTimeForChanges: lt,
    changeFailureRate: cfr,
    timeToRestore: ttr,
    reworkRate: rework,
    failedDeploymentRecoveryTime: recovery,
  } = metrics;
  return {
    [DORA_FACT_IDS.deploymentCount]: df.deployments,
    [DORA_FACT_IDS.weeklyMedianDeploymentDays]: df.weeklyMedianDeploymentDays,
    [DORA_FACT_IDS.monthlyMedianDeploymentDays]: df.monthlyMedianDeploymentDays,
    [DORA_FACT_IDS.deploymentFrequencyTier]: df.tier,
    [DORA_FACT_IDS.leadTimeMedianMinutes]: lt.medianMinutes,
    [DORA_FACT_IDS.leadTimeTier]: lt.tier,
    [DORA_FACT_IDS.changeFailureRate]: cfr.rate,
    [DORA_FACT_IDS.changeFailureRateTier]: cfr.tier,
    [DORA_FACT_IDS.timeToRestoreMedianMinutes]: ttr.medianMinutes,
    [DORA_FACT_IDS.timeToRestoreTier]: ttr.tier,
    [DORA_FACT_IDS.reworkRate]: rework.rate,
    [DORA_FACT_IDS.failedDeploymentRecoveryMedianMinutes]:
      recovery.medianMinutes,
    [DORA_FACT_IDS.failedDeploymentRecoveryTier]: recovery.tier,
  };
}

/** A DoraClient that calls the DORA backend with a service token for `dora` from the scorecards plugin's credentials. */
export function createServiceDoraClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): DoraApi {
  return new DoraClient({
    discoveryApi: options.discovery,
    fetchApi: createServiceFetch(options.auth, 'dora'),
  });
}

/**
 * Facts from the DORA metrics API: per entity, the four metrics and their tiers, and DORA 2024's rework rate and
 * failed-deployment recovery time, over the 90 days before the call
 * (`GET /v1/metrics`, one request per entity, at most 8 in flight). A failed request leaves that entity's DORA facts
 * as "no data"; the others are unaffected.
 */
export function createDoraFactProvider(options: {
  client: Pick<DoraApi, 'getMetrics'>;
  logger: LoggerService;
  benchmark?: DoraBenchmark;
  concurrency?: number;
  now?: () => Date;
}): FactProvider {
  const { client, logger } = options;
  const now = options.now ?? (() => new Date());
  const benchmark = options.benchmark ?? '2023';

  return {
    id: 'dora',
    batchSize: 500,
    facts: DORA_FACTS,
    async getFacts({ entities, factIds, reportFailure }) {
      const to = now();
      const from = new Date(to.getTime() - DORA_WINDOW_DAYS * DAY_MS);
      return getFactsPerEntity({
        entities,
        factIds,
        concurrency: options.concurrency ?? CONCURRENCY,
        logger,
        fetch: entityRef =>
          client.getMetrics({
            entityRef,
            from: from.toISOString(),
            to: to.toISOString(),
            benchmark,
          }),
        factsOf: doraFactsOf,
        unavailable: 'DORA metrics',
        factsName: 'DORA',
        reportFailure,
      });
    },
  };
}
