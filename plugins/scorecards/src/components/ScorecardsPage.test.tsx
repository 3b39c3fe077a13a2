import { Entity } from '@backstage/catalog-model';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  CheckPromotion,
  OrgSummaryResponse,
} from '@vitals/plugin-scorecards-common';
import { ScorecardsPage } from './ScorecardsPage';
import { fakeApi, renderWith } from './__testUtils__/testUtils';

const summary: OrgSummaryResponse = {
  updatedAt: '2026-11-26T10:00:00.000Z',
  scorecards: [
    {
      scorecardId: 'production-readiness',
      entities: 4,
      averageScore: 71.3,
      levels: [
        { levelId: null, count: 1 },
        { levelId: 'bronze', count: 2 },
        { levelId: 'gold', count: 1 },
      ],
    },
    {
      scorecardId: 'library-hygiene',
      entities: 0,
      averageScore: null,
      levels: [],
    },
  ],
  heatmap: [
    {
      scorecardId: 'production-readiness',
      checkId: 'has-runbook',
      ownerRef: 'group:default/payments',
      entities: 4,
      passing: 3,
      share: 0.75,
    },
    {
      scorecardId: 'production-readiness',
      checkId: 'has-owner',
      ownerRef: 'group:default/payments',
      entities: 4,
      passing: 4,
      share: 1,
    },
  ],
};

const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: {},
  },
];

describe('ScorecardsPage', () => {
  it('shows the level distribution and the teams × checks heatmap with readable labels', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });

    const levels = await screen.findByRole('list', {
      name: 'Production readiness level distribution',
    });
    expect(levels).toHaveTextContent('Below Bronze: 1 (25%)');
    expect(levels).toHaveTextContent('Bronze: 2 (50%)');
    expect(levels).toHaveTextContent('Silver: 0 (0%)');
    expect(levels).toHaveTextContent('Gold: 1 (25%)');
    expect(
      screen.getByLabelText('payments, Has a runbook: 3 of 4 passing (75%)'),
    ).toHaveTextContent('75%');
    expect(
      screen.getByLabelText('payments, Has an owner: 4 of 4 passing (100%)'),
    ).toBeInTheDocument();
    // A scorecard no entity is evaluated on is left out rather than shown as an empty chart.
    expect(screen.queryByText('Library hygiene')).not.toBeInTheDocument();
  });

  it('asks the backend for the chosen team only', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    await screen.findByRole('list', {
      name: 'Production readiness level distribution',
    });

    fireEvent.mouseDown(
      screen.getByRole('button', { name: /Filter by team|All teams/ }),
    );
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('payments'),
    );
    await waitFor(() =>
      expect(api.getOrgSummary).toHaveBeenLastCalledWith({
        owner: ['group:default/payments'],
        system: undefined,
      }),
    );
    expect(api.getHistory).toHaveBeenLastCalledWith({
      owner: 'group:default/payments',
    });
  });

  it('exports CSV through the backend with the current filters', async () => {
    const createObjectURL = jest.fn().mockReturnValue('blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      exportCsv: jest.fn().mockResolvedValue('entity,level\n'),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );
    await waitFor(() =>
      expect(api.exportCsv).toHaveBeenCalledWith({
        owner: undefined,
        system: undefined,
      }),
    );
    expect(createObjectURL).toHaveBeenCalled();
  });

  it('explains what to do before the first evaluation', async () => {
    const api = fakeApi({
      getOrgSummary: jest
        .fn()
        .mockResolvedValue({ scorecards: [], heatmap: [], updatedAt: null }),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    expect(
      await screen.findByText(/No entity has been evaluated yet/),
    ).toBeInTheDocument();
  });

  it('shows an error when the summary cannot be loaded', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    expect(
      await screen.findByText(/Could not load the scorecards summary/),
    ).toBeInTheDocument();
  });

  it('shows the next best actions of the signed-in user’s team, and of the team picked', async () => {
    const storefront: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'storefront', namespace: 'default' },
      spec: {},
    };
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      getNextActions: jest.fn(async ({ team }) => ({
        team,
        entities: 1,
        actions: [
          {
            rank: 1,
            id: `tech-debt:${team}`,
            kind: 'tech-debt' as const,
            title: `Pay down the debt of ${team}`,
            entityRef: 'component:default/a',
            reason: 'Open debt (open): impact 4 of 5.',
            score: 6,
            inputs: {
              impact: 4,
              effortDays: 2,
              deadlineInDays: null,
              interestDaysPerMonth: 2,
            },
            deadline: null,
            link: '/catalog/default/component/a/tech-debt',
          },
        ],
        totalCount: 1,
        sources: [],
        generatedAt: '2026-11-26T10:00:00.000Z',
      })),
    });
    await renderWith(<ScorecardsPage />, {
      api,
      catalogEntities: [...catalogEntities, storefront],
      ownershipEntityRefs: ['user:default/guest', 'group:default/storefront'],
    });
    expect(
      await screen.findByText('Pay down the debt of group:default/storefront'),
    ).toBeInTheDocument();

    fireEvent.mouseDown(
      screen.getByRole('button', { name: /Next best actions of team/ }),
    );
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('payments'),
    );
    expect(
      await screen.findByText('Pay down the debt of group:default/payments'),
    ).toBeInTheDocument();
    expect(api.getNextActions).toHaveBeenLastCalledWith({
      team: 'group:default/payments',
      limit: 10,
    });
  });
});

describe('ScorecardsPage: checks made permanent', () => {
  const promotion: CheckPromotion = {
    id: '9d3c5e1a-2b4f-4a6c-8d7e-000000000001',
    scorecardId: 'production-readiness',
    checkId: 'has-techdocs',
    levelId: 'bronze',
    configuredLevel: 'gold',
    origin: {
      kind: 'campaign',
      id: 'c1',
      title: 'TechDocs for every service',
    },
    createdAt: '2026-12-01T10:00:00.000Z',
    createdBy: 'user:default/priya.nair',
    withdrawnAt: null,
    withdrawnBy: null,
    version: 4,
    applied: true,
  };

  it('lists each with its level and origin, and withdraws one after confirming', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      listPromotions: jest
        .fn()
        .mockResolvedValueOnce([promotion])
        .mockResolvedValue([]),
      withdrawPromotion: jest.fn().mockResolvedValue(undefined),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    const list = await screen.findByRole('list', {
      name: 'Checks made permanent',
    });
    expect(list).toHaveTextContent(
      'Production readiness / Has TechDocs: required from Bronze',
    );
    expect(list).toHaveTextContent(
      'From the campaign “TechDocs for every service”, by priya.nair on',
    );
    expect(list).toHaveTextContent('Configured at Gold.');

    await userEvent.click(
      within(list).getByRole('button', {
        name: 'Withdraw Production readiness / Has TechDocs',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Withdraw the permanent check “Has TechDocs”?',
    );
    expect(dialog).toHaveTextContent(
      '“Has TechDocs” goes back to the Gold level the configuration gives it in Production readiness',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Withdraw' }),
    );
    expect(api.withdrawPromotion).toHaveBeenCalledWith(promotion.id, 4);
    expect(
      await screen.findByText(/No check has been made permanent/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the dialog open with the reason when the withdrawal is refused', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      listPromotions: jest.fn().mockResolvedValue([promotion]),
      withdrawPromotion: jest
        .fn()
        .mockRejectedValue(
          new Error(
            'Promotion was changed by user:default/sam since you loaded it; reload and try again',
          ),
        ),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Withdraw Production readiness / Has TechDocs',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Withdraw' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not withdraw it: Promotion was changed by user:default/sam since you loaded it',
    );
  });

  it('shows them without Withdraw to those who may not change the definitions', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      listPromotions: jest.fn().mockResolvedValue([promotion]),
    });
    await renderWith(<ScorecardsPage />, {
      api,
      catalogEntities,
      authorize: request =>
        request.permission.name === 'scorecards.definition.update'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const list = await screen.findByRole('list', {
      name: 'Checks made permanent',
    });
    expect(list).toHaveTextContent('Has TechDocs: required from Bronze');
    expect(
      within(list).queryByRole('button', { name: /Withdraw/ }),
    ).not.toBeInTheDocument();
  });

  it('says so when none is, and when they cannot be loaded', async () => {
    const api = fakeApi({
      getOrgSummary: jest.fn().mockResolvedValue(summary),
      listPromotions: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderWith(<ScorecardsPage />, { api, catalogEntities });
    expect(
      await screen.findByText(/Could not load the checks made permanent/),
    ).toBeInTheDocument();
    api.listPromotions.mockResolvedValue([]);
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText(/No check has been made permanent/),
    ).toBeInTheDocument();
  });
});
