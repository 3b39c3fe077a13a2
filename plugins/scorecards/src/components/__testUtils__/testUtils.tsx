import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  CheckResult,
  EntityScorecardResult,
  ScorecardDefinition,
  ScorecardsApi,
  Waiver,
} from '@vitals/plugin-scorecards-common';
import { identityApiRef } from '@backstage/core-plugin-api';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { scorecardsApiRef } from '../../api/scorecardsApiRef';

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

export const paymentsTeam: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const productionReadiness: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  appliesTo: { kind: ['Component'], type: ['service', 'website'] },
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  checks: [
    {
      id: 'has-owner',
      title: 'Has an owner',
      fact: 'catalog.hasOwner',
      operator: '==',
      threshold: true,
      level: 'bronze',
    },
    {
      id: 'has-runbook',
      title: 'Has a runbook',
      fact: 'catalog.hasRunbook',
      operator: '==',
      threshold: true,
      level: 'silver',
      howToFix: 'Add a link with `type: runbook` to `metadata.links`.',
      links: [{ title: 'Runbook guide', url: 'https://example.com/runbooks' }],
    },
    {
      id: 'few-severe-debt-items',
      title: 'At most one high-impact debt item open',
      fact: 'techDebt.highImpactOpenCount',
      operator: '<=',
      threshold: 1,
      level: 'silver',
      howToFix: 'Pay down the open items with impact 4 or 5.',
    },
    {
      id: 'has-techdocs',
      title: 'Has TechDocs',
      fact: 'catalog.hasTechDocs',
      operator: '==',
      threshold: true,
      level: 'gold',
      howToFix: 'Add the `backstage.io/techdocs-ref` annotation.',
    },
  ],
};

/** Applies to nothing the tests render. */
export const libraryHygiene: ScorecardDefinition = {
  id: 'library-hygiene',
  title: 'Library hygiene',
  appliesTo: { type: ['library'] },
  levels: [{ id: 'bronze', title: 'Bronze' }],
  checks: [
    {
      id: 'has-owner',
      title: 'Has an owner',
      fact: 'catalog.hasOwner',
      operator: 'exists',
      level: 'bronze',
    },
  ],
};

export function check(
  checkId: string,
  overrides: Partial<CheckResult> = {},
): CheckResult {
  return {
    checkId,
    value: true,
    passed: true,
    score: 100,
    message: null,
    waiver: null,
    ...overrides,
  };
}

/** Bronze reached; the runbook check fails; the debt check is waived; TechDocs fails. */
export function bronzeResult(
  overrides: Partial<EntityScorecardResult> = {},
): EntityScorecardResult {
  return {
    entityRef: 'component:default/payments-api',
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/payments',
    scorecardId: 'production-readiness',
    levelId: 'bronze',
    levelIndex: 0,
    score: 62.5,
    evaluatedAt: '2026-11-26T10:00:00.000Z',
    changedAt: '2026-11-26T10:00:00.000Z',
    checks: [
      check('has-owner'),
      check('has-runbook', {
        value: false,
        passed: false,
        score: 0,
        message: 'false is not == true',
      }),
      check('few-severe-debt-items', {
        value: 3,
        passed: false,
        score: 0,
        message: '3 is not <= 1',
        waiver: {
          id: 'w1',
          reason: 'Migrating the ledger this quarter',
          expiresAt: '2027-01-31T23:59:59.000Z',
          createdBy: 'user:default/guest',
        },
      }),
      check('has-techdocs', {
        value: false,
        passed: false,
        score: 0,
        message: 'false is not == true',
      }),
    ],
    ...overrides,
  };
}

/** The waiver in force behind the waived debt check of bronzeResult (as `GET /v1/waivers` returns it). */
export function debtWaiver(overrides: Partial<Waiver> = {}): Waiver {
  return {
    id: 'w1',
    entityRef: 'component:default/payments-api',
    scorecardId: 'production-readiness',
    checkId: 'few-severe-debt-items',
    reason: 'Migrating the ledger this quarter',
    expiresAt: '2027-01-31T23:59:59.000Z',
    createdAt: '2026-11-01T09:00:00.000Z',
    createdBy: 'user:default/guest',
    updatedAt: '2026-11-01T09:00:00.000Z',
    updatedBy: 'user:default/guest',
    revokedAt: null,
    revokedBy: null,
    version: 3,
    ...overrides,
  };
}

export function fakeApi(
  overrides: Partial<ScorecardsApi> = {},
): jest.Mocked<ScorecardsApi> {
  return {
    getDefinitions: jest
      .fn()
      .mockResolvedValue([productionReadiness, libraryHygiene]),
    getEntityResults: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      results: [],
    }),
    refreshEntity: jest.fn(),
    getGroupRollup: jest.fn(),
    getOrgSummary: jest.fn(),
    getHistory: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      points: [],
    }),
    exportCsv: jest.fn(),
    listWaivers: jest.fn().mockResolvedValue([debtWaiver()]),
    createWaiver: jest.fn(),
    updateWaiver: jest.fn(),
    deleteWaiver: jest.fn(),
    getNextActions: jest.fn().mockResolvedValue({
      team: 'group:default/payments',
      entities: 0,
      actions: [],
      totalCount: 0,
      sources: [],
      generatedAt: '2026-11-26T10:00:00.000Z',
    }),
    listPromotions: jest.fn().mockResolvedValue([]),
    promoteChecks: jest.fn(),
    withdrawPromotion: jest.fn(),
    ...overrides,
  } as jest.Mocked<ScorecardsApi>;
}

export function renderWith(
  element: ReactElement,
  options: {
    api: ScorecardsApi;
    entity?: Entity;
    authorize?:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY
      | ((request: {
          permission: { name: string };
        }) => AuthorizeResult.ALLOW | AuthorizeResult.DENY);
    catalogEntities?: Entity[];
    /** The signed-in user's ownership refs (user and groups). */
    ownershipEntityRefs?: string[];
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [scorecardsApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.authorize ?? AuthorizeResult.ALLOW,
          }),
        ],
        [
          catalogApiRef,
          catalogApiMock({ entities: options.catalogEntities ?? [] }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs: options.ownershipEntityRefs ?? [
              'user:default/guest',
            ],
          }),
        ],
      ]}
    >
      {/* usePermission caches answers in SWR's global cache by permission: each render gets its own, so that one test's
          ALLOW is never what another test's DENY shows. */}
      <SWRConfig value={{ provider: () => new Map() }}>
        {options.entity ? (
          <EntityProvider entity={options.entity}>{element}</EntityProvider>
        ) : (
          element
        )}
      </SWRConfig>
    </TestApiProvider>,
  );
}
