import { Entity } from '@backstage/catalog-model';
import {
  EntityOwnership,
  OwnershipApi,
  emptyProblemCounts,
} from '@vitals/plugin-ownership-common';

export const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    system: 'payments',
    lifecycle: 'production',
  },
};

export const paymentsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export function makeOwnership(
  overrides: Partial<EntityOwnership> = {},
): EntityOwnership {
  return {
    entityRef: 'component:default/payments-api',
    kind: 'Component',
    title: 'Payments API',
    systemRef: 'system:default/payments',
    ownerRef: 'group:default/payments',
    owner: {
      ref: 'group:default/payments',
      kind: 'group',
      exists: true,
      title: 'Payments',
      memberCount: 3,
      members: [
        {
          ref: 'user:default/amira.haddad',
          displayName: 'Amira Haddad',
          email: null,
        },
        { ref: 'user:default/guest', displayName: 'Guest', email: null },
        {
          ref: 'user:default/jonas.berg',
          displayName: 'Jonas Berg',
          email: null,
        },
      ],
      parent: { ref: 'group:default/engineering', title: 'Engineering' },
    },
    contacts: [
      { type: 'slack', label: '#payments-api', url: null, source: 'entity' },
    ],
    onCall: [
      {
        type: 'pagerduty',
        label: 'PagerDuty PPAYAPI',
        url: null,
        source: 'entity',
      },
    ],
    links: [],
    healthy: false,
    problems: [
      {
        kind: 'confirmation-overdue',
        message:
          'Payments (group:default/payments) has never confirmed that it owns this.',
      },
    ],
    checks: [
      'no-owner',
      'owner-unresolved',
      'owner-no-members',
      'owner-single-member',
      'no-contact',
      'confirmation-overdue',
    ],
    confirmation: {
      status: 'never',
      lastConfirmedAt: null,
      lastConfirmedBy: null,
      dueAt: null,
      periodDays: 180,
    },
    ...overrides,
  };
}

export function fakeApi(
  overrides: Partial<OwnershipApi> = {},
): jest.Mocked<OwnershipApi> {
  return {
    getEntityOwnership: jest.fn().mockResolvedValue(makeOwnership()),
    getHistory: jest.fn().mockResolvedValue([]),
    confirmOwnership: jest.fn(),
    getReportSummary: jest.fn(),
    listProblems: jest.fn().mockResolvedValue({ rows: [], totalCount: 0 }),
    exportProblemsCsv: jest.fn(),
    getFacets: jest
      .fn()
      .mockResolvedValue({ kinds: [], systems: [], teams: [] }),
    listGroups: jest.fn().mockResolvedValue({ groups: [], totalCount: 0 }),
    getGroup: jest.fn(),
    ...overrides,
  } as jest.Mocked<OwnershipApi>;
}

export { emptyProblemCounts };
