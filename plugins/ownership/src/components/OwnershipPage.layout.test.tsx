import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { OwnershipPage } from './OwnershipPage';
import { emptyProblemCounts, fakeApi } from './testData';

const LONG =
  'Billing platform (group:default/billing-platform) has a single member: when Ada Lovelace is away, nobody can answer for it.';
const OTHER =
  'Billing platform (group:default/billing-platform) has never confirmed that it owns this.';

describe('OwnershipPage tables', () => {
  it('shows each problem on one line cut with an ellipsis, the whole sentence as its tooltip, and keeps names whole', async () => {
    const api = fakeApi({
      getReportSummary: jest.fn().mockResolvedValue({
        total: 2,
        healthy: 1,
        coveragePercent: 50,
        problemCounts: {
          ...emptyProblemCounts(),
          'owner-single-member': 1,
          'confirmation-overdue': 1,
        },
        snapshotAt: '2026-11-26T10:00:00Z',
        confirmationPeriodDays: 180,
      }),
      listProblems: jest.fn().mockResolvedValue({
        totalCount: 1,
        rows: [
          {
            entityRef: 'component:default/invoice-renderer',
            kind: 'component',
            title: 'Invoice renderer',
            systemRef: null,
            ownerRef: 'group:default/billing-platform',
            problems: [
              { kind: 'owner-single-member', message: LONG },
              { kind: 'confirmation-overdue', message: OTHER },
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
            groupRef: 'group:default/payments',
            title: 'Payments',
            parentRef: null,
            memberCount: 3,
            ownedDirectly: 4,
            ownedThroughChildren: 0,
            ownedTotal: 4,
            healthy: 3,
            healthPercent: 75,
            problemCounts: emptyProblemCounts(),
          },
        ],
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[ownershipApiRef, api]]}>
        <OwnershipPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    for (const sentence of [LONG, OTHER]) {
      const problem = await screen.findByText(sentence);
      expect(problem).toHaveAttribute('title', sentence);
      expect(problem).toHaveStyle({
        whiteSpace: 'nowrap',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
      });
    }

    // Names wrap between words only: the theme's break-anywhere made "Paymen / ts".
    const team = (await screen.findByText('payments')).closest('td')!;
    expect(team).toHaveStyle({ wordBreak: 'keep-all' });
    expect(team.style.overflowWrap).toBe('normal');
    const owner = screen.getByText('billing-platform').closest('td')!;
    expect(owner).toHaveStyle({ wordBreak: 'keep-all' });
    expect(screen.getByText('never').closest('td')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
  });
});
