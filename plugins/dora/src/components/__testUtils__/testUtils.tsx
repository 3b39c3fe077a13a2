import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  DoraActivity,
  DoraApi,
  DoraDataHealth,
  DoraMetrics,
  DoraSeries,
  DoraWeek,
} from '@vitals/plugin-dora-common';
import { ReactElement } from 'react';
import { doraApiRef } from '../../api/doraApiRef';
import {
  flowTeams,
  makeFlow,
  makePipelines,
  makeWaiting,
} from './flowFixtures';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

export const paymentsTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', profile: { displayName: 'Payments' }, children: [] },
};

/** Metrics of an elite-ish service: 3 deployment days a week, 3 h 20 min lead time, 12.5% CFR, 2 days 12 h to restore. */
export function makeMetrics(overrides: Partial<DoraMetrics> = {}): DoraMetrics {
  return {
    entityRef: 'component:default/payments-api',
    from: '2026-08-29T00:00:00.000Z',
    to: '2026-11-27T00:00:00.000Z',
    benchmark: '2023',
    entityRefs: ['component:default/payments-api'],
    deploymentFrequency: {
      deployments: 48,
      deploymentDays: 36,
      weeklyMedianDeploymentDays: 3,
      monthlyMedianDeploymentDays: 12,
      tier: 'high',
    },
    leadTimeForChanges: { changes: 120, medianMinutes: 200, tier: 'elite' },
    changeFailureRate: {
      deployments: 48,
      failedDeployments: 6,
      rate: 0.125,
      tier: 'medium',
    },
    timeToRestore: { incidents: 4, medianMinutes: 3600, tier: 'medium' },
    reworkRate: { deployments: 48, reworkDeployments: 3, rate: 0.0625 },
    failedDeploymentRecoveryTime: {
      recoveredDeployments: 6,
      unrecoveredDeployments: 0,
      medianMinutes: 3600,
      tier: 'medium',
    },
    ...overrides,
  };
}

/** Metrics of a window with nothing in it. */
export function emptyMetrics(
  overrides: Partial<DoraMetrics> = {},
): DoraMetrics {
  return makeMetrics({
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
    ...overrides,
  });
}

export function makeWeek(
  start: string,
  overrides: Partial<DoraWeek> = {},
): DoraWeek {
  return {
    start,
    deployments: 4,
    deploymentDays: 3,
    failedDeployments: 1,
    changeFailureRate: 0.25,
    changes: 10,
    medianLeadTimeMinutes: 180,
    incidents: 1,
    medianRestoreMinutes: 90,
    reworkDeployments: 0,
    reworkRate: 0,
    recoveredDeployments: 1,
    medianRecoveryMinutes: 120,
    ...overrides,
  };
}

export function makeSeries(): DoraSeries {
  return {
    entityRef: 'component:default/payments-api',
    from: '2026-08-29T00:00:00.000Z',
    to: '2026-11-27T00:00:00.000Z',
    weeks: [
      makeWeek('2026-08-29T00:00:00.000Z'),
      makeWeek('2026-09-05T00:00:00.000Z', {
        deployments: 6,
        failedDeployments: 0,
        changeFailureRate: 0,
      }),
      makeWeek('2026-09-12T00:00:00.000Z', { medianLeadTimeMinutes: null }),
    ],
  };
}

export function healthyData(): DoraDataHealth {
  return {
    entityRef: 'component:default/payments-api',
    changesNeverDeployed: { count: 0, sample: [] },
    incidentsWithoutDeployment: { count: 0, sample: [] },
    deploymentsWithoutCommits: { count: 0, sample: [] },
    entitiesNotInCatalog: [],
  };
}

/** `GET /v1/activity` of an entity that has (or has never) sent events. */
export function activity(
  hasEvents: boolean,
  entityRef = 'component:default/payments-api',
): DoraActivity {
  return {
    entityRef,
    entityRefs: [entityRef],
    hasEvents,
    firstEventAt: hasEvents ? '2025-01-06T10:00:00.000Z' : null,
    lastEventAt: hasEvents ? '2025-03-06T10:00:00.000Z' : null,
  };
}

export function fakeDoraApi(
  overrides: Partial<DoraApi> = {},
): jest.Mocked<DoraApi> {
  return {
    ingestEvents: jest.fn(),
    getMetrics: jest.fn().mockResolvedValue(makeMetrics()),
    getTeamMetrics: jest.fn().mockResolvedValue({
      from: '2026-08-29T00:00:00.000Z',
      to: '2026-11-27T00:00:00.000Z',
      benchmark: '2023',
      teams: [],
    }),
    getSeries: jest.fn().mockResolvedValue(makeSeries()),
    listDeployments: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listChanges: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    listIncidents: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    getDataHealth: jest.fn().mockResolvedValue(healthyData()),
    getActivity: jest.fn().mockResolvedValue(activity(false)),
    getFlow: jest.fn().mockResolvedValue(makeFlow()),
    listFlowPullRequests: jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 }),
    listWaitingPullRequests: jest.fn().mockResolvedValue(makeWaiting()),
    getFlowTeams: jest.fn().mockResolvedValue(flowTeams([])),
    getPipelines: jest.fn().mockResolvedValue(makePipelines()),
    listPipelineRuns: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    ...overrides,
  } as jest.Mocked<DoraApi>;
}

export function renderWithEntity(
  api: DoraApi,
  entity: Entity,
  element: ReactElement,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}
