import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { DoraApi } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { GroupFlowCard } from './GroupFlowCard';
import {
  emptyFlow,
  makeFlow,
  makeWaiting,
  waitingPullRequest,
} from './__testUtils__/flowFixtures';
import { fakeDoraApi, paymentsTeam } from './__testUtils__/testUtils';

function render(api: DoraApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, api]]}>
      <EntityProvider entity={paymentsTeam}>
        <GroupFlowCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('GroupFlowCard', () => {
  it("shows the team's pooled figures and its oldest waiting pull requests, the overdue marked", async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockResolvedValue(
        makeFlow({
          entityRef: 'group:default/payments',
          entityRefs: [
            'component:default/ledger-service',
            'component:default/payments-api',
          ],
        }),
      ),
      listWaitingPullRequests: jest.fn().mockResolvedValue(
        makeWaiting({
          entityRef: 'group:default/payments',
          totalCount: 3,
          overdueCount: 2,
          items: [
            waitingPullRequest(),
            waitingPullRequest({
              id: 'ledger-service-pr-12',
              entityRef: 'component:default/ledger-service',
              waitedHours: 26,
            }),
            waitingPullRequest({
              id: 'ledger-service-pr-14',
              entityRef: 'component:default/ledger-service',
              waitedHours: 2.5,
              overdue: false,
            }),
          ],
        }),
      ),
    });
    await render(api);

    expect(
      await screen.findByText('Pooled over 2 entities the team owns'),
    ).toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'Pickup' })).toHaveTextContent(
      '21 h 50 min',
    );
    expect(
      screen.getByText(
        /9 pull requests merged · 2 without review · 22.2% large/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Waiting for review'),
    ).toHaveTextContent(
      '3 pull requests waiting for a first review (2 overdue)',
    );
    const oldest = within(
      screen.getByRole('list', { name: 'Oldest waiting pull requests' }),
    ).getAllByRole('listitem');
    expect(oldest).toHaveLength(3);
    expect(oldest[1]).toHaveTextContent(
      /ledger-service-pr-12.* · ledger-service · waited 1 day 2 h/,
    );
    expect(within(oldest[1]).getByText('Overdue')).toBeInTheDocument();
    expect(within(oldest[2]).queryByText('Overdue')).not.toBeInTheDocument();
    expect(api.getFlow).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'group:default/payments' }),
    );
  });

  it('says when the team owns nothing to measure', async () => {
    const api = fakeDoraApi({
      getFlow: jest
        .fn()
        .mockResolvedValue(
          emptyFlow({ entityRef: 'group:default/payments', entityRefs: [] }),
        ),
    });
    await render(api);
    expect(
      await screen.findByText(/This team owns no catalog entities yet/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the figures cannot be loaded', async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockRejectedValue(new Error('no such group')),
    });
    await render(api);
    expect(
      await screen.findByText(/Could not load the pull request figures/),
    ).toBeInTheDocument();
  });
});
