import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { OwnershipPage } from './OwnershipPage';
import { emptyProblemCounts, fakeApi } from './testData';

describe('OwnershipPage', () => {
  it('shows coverage, the problem list, the teams, and filters the list by problem', async () => {
    const api = fakeApi({
      getReportSummary: jest.fn().mockResolvedValue({
        total: 13,
        healthy: 6,
        coveragePercent: 46.2,
        problemCounts: {
          ...emptyProblemCounts(),
          'owner-no-members': 1,
          'confirmation-overdue': 4,
        },
        snapshotAt: '2026-11-26T10:00:00Z',
        confirmationPeriodDays: 180,
      }),
      listProblems: jest.fn().mockResolvedValue({
        totalCount: 1,
        rows: [
          {
            entityRef: 'component:default/legacy-reporting',
            kind: 'component',
            title: 'Legacy reporting',
            systemRef: 'system:default/storefront',
            ownerRef: 'group:default/analytics',
            problems: [
              {
                kind: 'owner-no-members',
                message:
                  'Analytics (group:default/analytics) has no members: nobody is there to own it.',
              },
            ],
            lastConfirmedAt: null,
            lastConfirmedBy: null,
          },
        ],
      }),
      listGroups: jest.fn().mockResolvedValue({
        totalCount: 1,
        groups: [
          {
            groupRef: 'group:default/data',
            title: 'Data',
            parentRef: null,
            memberCount: 1,
            ownedDirectly: 1,
            ownedThroughChildren: 0,
            ownedTotal: 1,
            healthy: 0,
            healthPercent: 0,
            problemCounts: emptyProblemCounts(),
          },
        ],
      }),
      getFacets: jest.fn().mockResolvedValue({
        kinds: ['component'],
        systems: ['system:default/storefront'],
        teams: ['group:default/data'],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[ownershipApiRef, api]]}>
        <OwnershipPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByLabelText('Coverage')).toHaveTextContent('46.2%');
    expect(
      screen.getByText(/of 13 entities have a healthy owner \(6\)/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'Analytics (group:default/analytics) has no members: nobody is there to own it.',
      ),
    ).toBeInTheDocument();
    const teamRow = (await screen.findAllByRole('row')).find(r =>
      within(r).queryByText('0% (0/1)'),
    );
    expect(teamRow).toBeDefined();

    await userEvent.click(
      screen.getByRole('button', { name: /Owning group has no members: 1/ }),
    );
    await waitFor(() =>
      expect(api.listProblems).toHaveBeenLastCalledWith(
        expect.objectContaining({ problem: 'owner-no-members', offset: 0 }),
      ),
    );
  });

  it('says when there is no snapshot yet', async () => {
    const api = fakeApi({
      getReportSummary: jest.fn().mockResolvedValue({
        total: 0,
        healthy: 0,
        coveragePercent: null,
        problemCounts: emptyProblemCounts(),
        snapshotAt: null,
        confirmationPeriodDays: 180,
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[ownershipApiRef, api]]}>
        <OwnershipPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(/No ownership snapshot yet/),
    ).toBeInTheDocument();
  });
});
