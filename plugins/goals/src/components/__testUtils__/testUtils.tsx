import {
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { act, RenderResult, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  computeProgress,
  Goal,
  GoalsApi,
  KeyResult,
  meanProgress,
  statusOf,
} from '@vitals/plugin-goals-common';
import userEvent from '@testing-library/user-event';
import { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { goalsApiRef } from '../../api/goalsApiRef';

export function fakeApi(
  overrides: Partial<GoalsApi> = {},
): jest.Mocked<GoalsApi> {
  return {
    getFigureCatalogue: jest.fn(),
    // Never answers unless a test says what it answers.
    previewFigure: jest.fn().mockReturnValue(new Promise(() => {})),
    listGoals: jest.fn().mockResolvedValue({ goals: [], totalCount: 0 }),
    getGoal: jest.fn(),
    getGoalEvents: jest.fn().mockResolvedValue([]),
    createGoal: jest.fn(),
    updateGoal: jest.fn(),
    setManualValue: jest.fn(),
    deleteGoal: jest.fn(),
    listCampaigns: jest
      .fn()
      .mockResolvedValue({ campaigns: [], totalCount: 0 }),
    getCampaign: jest.fn(),
    listCampaignEntities: jest
      .fn()
      .mockResolvedValue({ entities: [], totalCount: 0 }),
    getCampaignEvents: jest.fn().mockResolvedValue([]),
    previewCampaign: jest.fn(),
    createCampaign: jest.fn(),
    updateCampaign: jest.fn(),
    deleteCampaign: jest.fn(),
    promoteCampaign: jest.fn(),
    getStakeholderReport: jest.fn(),
    exportStakeholderReport: jest.fn(),
    ...overrides,
  } as jest.Mocked<GoalsApi>;
}

let sequence = 0;
const uuid = () => {
  sequence += 1;
  return `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
};

/**
 * A key result whose progress and status are worked out by goals-common's rules from the figures given, as the
 * backend does, so a test states the inputs and reads what a user sees.
 */
export function makeKeyResult(
  input: Partial<KeyResult> &
    Pick<KeyResult, 'title' | 'baseline' | 'target' | 'current'> & {
      expected: number;
    },
): KeyResult {
  const direction =
    input.direction ?? (input.target >= (input.baseline ?? 0) ? 'up' : 'down');
  const progress = computeProgress({
    baseline: input.baseline,
    target: input.target,
    current: input.current,
    direction,
  });
  const { expected, ...rest } = input;
  return {
    id: uuid(),
    figure: {
      source: 'dora',
      metric: 'leadTimeForChanges',
      scope: { kind: 'team', ref: 'group:default/payments' },
    },
    label: 'Lead time for changes',
    unit: 'hours',
    direction,
    baselineAt: '2026-10-01T00:00:00.000Z',
    currentAt: '2026-11-16T00:00:00.000Z',
    manual: false,
    available: true,
    unavailableReason: null,
    progress,
    expectedProgress: expected,
    status: statusOf({ progress, expected, started: true }),
    ...rest,
  };
}

export function makeGoal(
  overrides: Partial<Goal> & { keyResults: KeyResult[] },
): Goal {
  const progress = meanProgress(overrides.keyResults.map(k => k.progress));
  const expected = overrides.keyResults[0]?.expectedProgress ?? 0;
  return {
    id: uuid(),
    objective: 'Ship payment changes in hours, not days',
    description: '',
    ownerRef: 'group:default/payments',
    period: '2026-Q4',
    periodStart: '2026-10-01T00:00:00.000Z',
    periodEnd: '2027-01-01T00:00:00.000Z',
    progress,
    expectedProgress: expected,
    status: statusOf({ progress, expected, started: true }),
    version: 1,
    createdAt: '2026-10-01T00:00:00.000Z',
    createdBy: 'user:default/guest',
    updatedAt: '2026-10-01T00:00:00.000Z',
    updatedBy: 'user:default/guest',
    ...overrides,
  };
}

export const groups = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default', title: 'Payments' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'storefront', namespace: 'default', title: 'Storefront' },
    spec: { type: 'team', children: [] },
  },
];

export async function renderWithApis(
  ui: ReactElement,
  options: {
    api: GoalsApi;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    mine?: string[];
    routeEntries?: string[];
    /** What the scorecards backend answers at `GET /v1/definitions/{id}` (404 for any other id). */
    scorecardDefinitions?: Array<{
      id: string;
      title: string;
      levels: Array<{ id: string; title: string }>;
    }>;
  },
): Promise<RenderResult & { authorize: jest.Mock }> {
  // The scorecards backend, as far as the goals pages read it (the levels a campaign's checks can be promoted to).
  const scorecardsFetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const match = url.pathname.match(
      /^\/api\/scorecards\/v1\/definitions\/([^/]+)$/,
    );
    const found = options.scorecardDefinitions?.find(
      d => match && d.id === decodeURIComponent(match[1]),
    );
    return found
      ? new Response(JSON.stringify({ checks: [], ...found }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        })
      : new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'No such scorecard' },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        );
  });
  const authorize = jest.fn(async () => ({
    result: options.authorize ?? AuthorizeResult.ALLOW,
  }));
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [goalsApiRef, options.api],
        [permissionApiRef, { authorize }],
        [
          discoveryApiRef,
          {
            getBaseUrl: async (pluginId: string) =>
              `http://localhost:7007/api/${pluginId}`,
          },
        ],
        [fetchApiRef, { fetch: scorecardsFetch }],
        [
          catalogApiRef,
          { getEntities: jest.fn().mockResolvedValue({ items: groups }) },
        ],
        [
          identityApiRef,
          {
            getBackstageIdentity: async () => ({
              type: 'user' as const,
              userEntityRef: 'user:default/guest',
              ownershipEntityRefs: [
                'user:default/guest',
                ...(options.mine ?? ['group:default/payments']),
              ],
            }),
            getProfileInfo: async () => ({}),
            getCredentials: async () => ({}),
            signOut: async () => {},
          },
        ],
      ]}
    >
      {/* usePermission caches answers in SWR's global cache by permission: each render gets its own, so that one test's
          ALLOW is never what another test's DENY shows. */}
      <SWRConfig value={{ provider: () => new Map() }}>{ui}</SWRConfig>
    </TestApiProvider>,
    {
      routeEntries: options.routeEntries,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return Object.assign(rendered, { authorize });
}

/** Waits until every permission asked so far has been answered and rendered. */
export async function permissionsSettled(authorize: jest.Mock) {
  await waitFor(() => expect(authorize).toHaveBeenCalled());
  await Promise.all(authorize.mock.results.map(r => r.value));
  await act(async () => {});
}

/** Types text into a field in one input event (as a paste), which keeps long forms fast on a busy machine. */
export async function fill(element: HTMLElement, text: string) {
  await userEvent.click(element);
  await userEvent.paste(text);
}
