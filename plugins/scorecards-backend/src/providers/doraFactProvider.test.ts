import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DoraMetrics, MetricsQuery } from '@vitals/plugin-dora-common';
import {
  createDoraFactProvider,
  DORA_FACT_IDS,
  doraFactsOf,
} from './doraFactProvider';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec: { type: 'service', owner: 'group:default/payments' },
});

function metrics(
  entityRef: string,
  overrides: Partial<DoraMetrics> = {},
): DoraMetrics {
  return {
    entityRef,
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-04-01T00:00:00.000Z',
    benchmark: '2023',
    entityRefs: [entityRef],
    deploymentFrequency: {
      deployments: 70,
      deploymentDays: 66,
      weeklyMedianDeploymentDays: 5,
      monthlyMedianDeploymentDays: 22,
      tier: 'elite',
    },
    leadTimeForChanges: { changes: 171, medianMinutes: 722, tier: 'elite' },
    changeFailureRate: {
      deployments: 70,
      failedDeployments: 9,
      rate: 0.1286,
      tier: 'medium',
    },
    timeToRestore: { incidents: 2, medianMinutes: 1500, tier: 'medium' },
    reworkRate: { deployments: 70, reworkDeployments: 4, rate: 0.0571 },
    failedDeploymentRecoveryTime: {
      recoveredDeployments: 2,
      unrecoveredDeployments: 0,
      medianMinutes: 1500,
      tier: 'medium',
    },
    ...overrides,
  };
}

const ALL_IDS = Object.values(DORA_FACT_IDS);

describe('doraFactsOf', () => {
  it('maps each metric and its tier', () => {
    expect(doraFactsOf(metrics('component:default/a'))).toEqual({
      'dora.deploymentCount': 70,
      'dora.weeklyMedianDeploymentDays': 5,
      'dora.monthlyMedianDeploymentDays': 22,
      'dora.deploymentFrequencyTier': 'elite',
      'dora.leadTimeMedianMinutes': 722,
      'dora.leadTimeTier': 'elite',
      'dora.changeFailureRate': 0.1286,
      'dora.changeFailureRateTier': 'medium',
      'dora.timeToRestoreMedianMinutes': 1500,
      'dora.timeToRestoreTier': 'medium',
      'dora.reworkRate': 0.0571,
      'dora.failedDeploymentRecoveryMedianMinutes': 1500,
      'dora.failedDeploymentRecoveryTier': 'medium',
    });
  });

  it('keeps null metrics as "no data" and an entity without deployments as weekly median 0, tier low', () => {
    const facts = doraFactsOf(
      metrics('component:default/quiet', {
        deploymentFrequency: {
          deployments: 0,
          deploymentDays: 0,
          weeklyMedianDeploymentDays: 0,
          monthlyMedianDeploymentDays: 0,
          tier: 'low',
        },
        leadTimeForChanges: { changes: 0, medianMinutes: null, tier: null },
        changeFailureRate: {
          deployments: 0,
          failedDeployments: 0,
          rate: null,
          tier: null,
        },
        timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
        reworkRate: { deployments: 0, reworkDeployments: 0, rate: null },
        failedDeploymentRecoveryTime: {
          recoveredDeployments: 0,
          unrecoveredDeployments: 0,
          medianMinutes: null,
          tier: null,
        },
      }),
    );
    expect(facts).toMatchObject({
      'dora.deploymentCount': 0,
      'dora.weeklyMedianDeploymentDays': 0,
      'dora.deploymentFrequencyTier': 'low',
      'dora.leadTimeMedianMinutes': null,
      'dora.leadTimeTier': null,
      'dora.changeFailureRate': null,
      'dora.changeFailureRateTier': null,
      'dora.timeToRestoreMedianMinutes': null,
      'dora.timeToRestoreTier': null,
      'dora.reworkRate': null,
      'dora.failedDeploymentRecoveryMedianMinutes': null,
      'dora.failedDeploymentRecoveryTier': null,
    });
  });
});

describe('createDoraFactProvider', () => {
  const now = new Date('2026-04-01T12:00:00.000Z');

  it('asks for the 90 days before now per entity, with the configured benchmark, and returns only the wanted facts', async () => {
    const getMetrics = jest.fn(async (q: MetricsQuery) => metrics(q.entityRef));
    const provider = createDoraFactProvider({
      client: { getMetrics },
      logger: mockServices.logger.mock(),
      benchmark: '2021',
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('b')],
      factIds: [
        'dora.weeklyMedianDeploymentDays',
        'dora.changeFailureRateTier',
      ],
    });
    expect(getMetrics).toHaveBeenCalledTimes(2);
    expect(getMetrics).toHaveBeenCalledWith({
      entityRef: 'component:default/a',
      from: '2026-01-01T12:00:00.000Z',
      to: '2026-04-01T12:00:00.000Z',
      benchmark: '2021',
    });
    expect(facts.get('component:default/b')).toEqual({
      'dora.weeklyMedianDeploymentDays': 5,
      'dora.changeFailureRateTier': 'medium',
    });
    expect(provider.facts.map(f => f.id).sort()).toEqual([...ALL_IDS].sort());
  });

  it('reports an entity whose request fails (its checks keep their last outcome), keeps the others, warns once', async () => {
    const logger = mockServices.logger.mock();
    const reportFailure = jest.fn();
    const provider = createDoraFactProvider({
      client: {
        getMetrics: async q => {
          if (q.entityRef === 'component:default/broken')
            throw new Error('502 Bad Gateway');
          return metrics(q.entityRef);
        },
      },
      logger,
      now: () => now,
    });
    const facts = await provider.getFacts({
      entities: [component('a'), component('broken'), component('c')],
      factIds: ALL_IDS,
      reportFailure,
    });
    expect(facts.has('component:default/broken')).toBe(false);
    expect(reportFailure).toHaveBeenCalledTimes(1);
    expect(reportFailure).toHaveBeenCalledWith(
      'component:default/broken',
      expect.any(Error),
    );
    expect(facts.get('component:default/a')).toMatchObject({
      'dora.deploymentFrequencyTier': 'elite',
    });
    expect(facts.get('component:default/c')).toMatchObject({
      'dora.leadTimeMedianMinutes': 722,
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('1 of 3 entities'),
    );
  });

  it('keeps at most the given number of requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const provider = createDoraFactProvider({
      client: {
        getMetrics: async q => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise(resolve => setTimeout(resolve, 5));
          inFlight--;
          return metrics(q.entityRef);
        },
      },
      logger: mockServices.logger.mock(),
      concurrency: 3,
    });
    const entities = Array.from({ length: 20 }, (_, i) =>
      component(`svc-${i}`),
    );
    const facts = await provider.getFacts({ entities, factIds: ALL_IDS });
    expect(facts.size).toBe(20);
    expect(most).toBe(3);
  });
});
