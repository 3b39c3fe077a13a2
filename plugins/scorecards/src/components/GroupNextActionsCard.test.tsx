import { screen, within } from '@testing-library/react';
import type {
  NextAction,
  NextActionsResponse,
} from '@vitals/plugin-scorecards-common';
import { GroupNextActionsCard } from './GroupNextActionsCard';
import { fakeApi, paymentsTeam, renderWith } from './__testUtils__/testUtils';

const action = (overrides: Partial<NextAction>): NextAction => ({
  rank: 1,
  id: 'x',
  kind: 'tech-debt',
  title: 'x',
  entityRef: 'component:default/payments-api',
  reason: 'x',
  score: 1,
  inputs: {
    impact: 1,
    effortDays: 1,
    deadlineInDays: null,
    interestDaysPerMonth: null,
  },
  deadline: null,
  link: '/',
  ...overrides,
});

const response = (
  overrides: Partial<NextActionsResponse> = {},
): NextActionsResponse => ({
  team: 'group:default/payments',
  entities: 3,
  actions: [],
  totalCount: 0,
  sources: [
    { source: 'scorecards', available: true, message: null },
    { source: 'tech-debt', available: true, message: null },
    { source: 'ownership', available: true, message: null },
    { source: 'onboarding', available: true, message: null },
  ],
  generatedAt: '2026-11-26T10:00:00.000Z',
  ...overrides,
});

describe('GroupNextActionsCard', () => {
  it('lists the team’s actions in rank order with their reason, score and the link that fixes them', async () => {
    const api = fakeApi({
      getNextActions: jest.fn().mockResolvedValue(
        response({
          actions: [
            action({
              rank: 1,
              id: 'waiver-expiring:w1',
              kind: 'waiver-expiring',
              title: 'Fix “Has a runbook” before its waiver ends',
              entityRef: 'component:default/ledger',
              reason: 'The waiver ends in 6 days and the check still fails.',
              score: 10.4,
              link: '/catalog/default/component/ledger/scorecards',
            }),
            action({
              rank: 2,
              id: 'tech-debt:d1',
              title: 'Upgrade Node.js',
              reason: 'Open debt (open): impact 4 of 5.',
              score: 6,
              link: '/catalog/default/component/payments-api/tech-debt',
            }),
          ],
          totalCount: 5,
        }),
      ),
    });
    await renderWith(<GroupNextActionsCard />, { api, entity: paymentsTeam });

    const table = await screen.findByRole('table', {
      name: 'Next best actions of payments',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['1', '2']);
    expect(rows[0]).toHaveTextContent(
      'Fix “Has a runbook” before its waiver ends',
    );
    expect(rows[0]).toHaveTextContent('Waiver ending');
    expect(rows[0]).toHaveTextContent('ledger');
    expect(rows[0]).toHaveTextContent(
      'The waiver ends in 6 days and the check still fails.',
    );
    expect(rows[0]).toHaveTextContent('10.4');
    expect(
      screen.getByRole('link', {
        name: 'Fix: Fix “Has a runbook” before its waiver ends',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/ledger/scorecards');
    expect(
      screen.getByRole('link', { name: 'Fix: Upgrade Node.js' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/tech-debt',
    );
    expect(screen.getByText('The first 2 of 5.')).toBeInTheDocument();
    expect(api.getNextActions).toHaveBeenCalledWith({
      team: 'group:default/payments',
      limit: 10,
    });
  });

  it('says there is nothing to do, and which areas did not answer', async () => {
    const api = fakeApi({
      getNextActions: jest.fn().mockResolvedValue(
        response({
          sources: [
            { source: 'scorecards', available: true, message: null },
            { source: 'tech-debt', available: true, message: null },
            {
              source: 'ownership',
              available: false,
              message: 'Could not read ownership: fetch failed',
            },
            { source: 'onboarding', available: true, message: null },
          ],
        }),
      ),
    });
    await renderWith(<GroupNextActionsCard />, { api, entity: paymentsTeam });
    expect(
      await screen.findByText(/^Nothing to do: no failing scorecard checks/),
    ).toHaveTextContent('in the areas that answered');
    expect(
      screen.getByText(/Not included, because the area did not answer/),
    ).toHaveTextContent('ownership');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows an error when the list cannot be loaded', async () => {
    const api = fakeApi({
      getNextActions: jest
        .fn()
        .mockRejectedValue(new Error('No group group:default/payments')),
    });
    await renderWith(<GroupNextActionsCard />, { api, entity: paymentsTeam });
    expect(
      await screen.findByText(/Could not load the next best actions/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No group group:default\/payments/).length,
    ).toBeGreaterThan(0);
  });
});
