import { screen } from '@testing-library/react';
import { GroupScorecardsCard } from './GroupScorecardsCard';
import { fakeApi, paymentsTeam, renderWith } from './__testUtils__/testUtils';

describe('GroupScorecardsCard', () => {
  it('shows the levels of the team’s entities and the checks failing most', async () => {
    const api = fakeApi({
      getGroupRollup: jest.fn().mockResolvedValue({
        groupRef: 'group:default/payments',
        scorecards: [
          {
            scorecardId: 'production-readiness',
            levels: [
              { levelId: 'bronze', count: 2 },
              { levelId: 'gold', count: 1 },
            ],
            averageScore: 80,
            entities: [
              {
                entityRef: 'component:default/a',
                levelId: 'bronze',
                score: 70,
                evaluatedAt: '2026-11-26T10:00:00Z',
              },
              {
                entityRef: 'component:default/b',
                levelId: 'bronze',
                score: 70,
                evaluatedAt: '2026-11-26T10:00:00Z',
              },
              {
                entityRef: 'component:default/c',
                levelId: 'gold',
                score: 100,
                evaluatedAt: '2026-11-26T10:00:00Z',
              },
            ],
            failingChecks: [
              {
                scorecardId: 'production-readiness',
                checkId: 'has-runbook',
                entities: 3,
                passing: 1,
                share: 1 / 3,
                failing: 2,
              },
            ],
          },
        ],
      }),
    });
    await renderWith(<GroupScorecardsCard />, { api, entity: paymentsTeam });

    expect(
      await screen.findByRole('list', {
        name: 'Production readiness level distribution',
      }),
    ).toHaveTextContent('Bronze: 2 (67%)');
    expect(
      screen.getByRole('list', {
        name: 'Production readiness: checks failing most',
      }),
    ).toHaveTextContent('Has a runbook2 of 3 failing');
    expect(api.getGroupRollup).toHaveBeenCalledWith('group:default/payments');
  });

  it('explains when the team has no results yet', async () => {
    const api = fakeApi({
      getGroupRollup: jest.fn().mockResolvedValue({
        groupRef: 'group:default/payments',
        scorecards: [],
      }),
    });
    await renderWith(<GroupScorecardsCard />, { api, entity: paymentsTeam });
    expect(
      await screen.findByText(
        /No entity owned by this team has a scorecard result yet/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the roll-up cannot be loaded', async () => {
    const api = fakeApi({
      getGroupRollup: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderWith(<GroupScorecardsCard />, { api, entity: paymentsTeam });
    expect(
      await screen.findByText(/Could not load the team's scorecards/),
    ).toBeInTheDocument();
  });
});
