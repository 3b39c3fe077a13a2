import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from '../../api/techDebtApiRef';
import { EntityTechDebtContent } from '../EntityTechDebtContent';
import { Entity } from '@backstage/catalog-model';
import {
  DebtItem,
  DebtItemIncident,
  computePriority,
} from '@vitals/plugin-tech-debt-common';

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

let sequence = 0;

export function makeItem(overrides: Partial<DebtItem> = {}): DebtItem {
  sequence += 1;
  const base = {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    entityRef: 'component:default/payments-api',
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/payments',
    title: `Item ${sequence}`,
    description: '',
    category: 'code' as const,
    impact: 3,
    effortDays: 2,
    interestHoursPerMonth: null,
    status: 'open' as const,
    assignee: null,
    trackerUrl: null,
    tags: [],
    version: 1,
    createdAt: '2026-11-01T10:00:00.000Z',
    createdBy: 'user:default/guest',
    updatedAt: '2026-11-01T10:00:00.000Z',
    updatedBy: 'user:default/guest',
    resolvedAt: null,
    incidentCount: 0,
    incidents: [],
    measuredInterest: { windowDays: 90, incidents: 0, restoreMinutes: 0 },
    ...overrides,
  };
  return { ...base, priority: computePriority(base), ...overrides };
}

export function makeIncident(
  overrides: Partial<DebtItemIncident> = {},
): DebtItemIncident {
  return {
    incidentId: 'pagerduty:PGR0VU2',
    entityRef: 'component:default/payments-api',
    createdAt: '2026-11-20T08:12:00.000Z',
    resolvedAt: '2026-11-20T09:27:00.000Z',
    severity: 'SEV2',
    restoreMinutes: 75,
    postmortemId: 'pm-1',
    postmortemUrl: 'https://backstage.example.com/postmortems/pm-1',
    title: 'Card captures timed out',
    linkedAt: '2026-11-22T10:00:00.000Z',
    linkedBy: 'user:default/guest',
    updatedAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
}

export function fakeApi(
  overrides: Partial<TechDebtApi> = {},
): jest.Mocked<TechDebtApi> {
  return {
    listItems: jest.fn(),
    exportItemsCsv: jest.fn(),
    getItem: jest.fn(),
    getItemEvents: jest.fn().mockResolvedValue([]),
    createItem: jest.fn(),
    updateItem: jest.fn(),
    deleteItem: jest.fn(),
    getSummary: jest.fn(),
    getFacets: jest.fn(),
    getBudget: jest.fn(),
    putBudget: jest.fn(),
    linkIncident: jest.fn(),
    unlinkIncident: jest.fn(),
    getRepeatIncidentsReport: jest.fn().mockResolvedValue({
      windowDays: 90,
      minIncidents: 2,
      from: '2026-09-02T12:00:00.000Z',
      to: '2026-12-01T12:00:00.000Z',
      teams: [],
    }),
    ...overrides,
  } as jest.Mocked<TechDebtApi>;
}

export async function renderContent(
  api: TechDebtApi,
  authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [techDebtApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider entity={paymentsApi}>
        <EntityTechDebtContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}
