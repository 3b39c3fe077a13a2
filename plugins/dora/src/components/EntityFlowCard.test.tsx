import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { DoraApi } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { EntityFlowCard } from './EntityFlowCard';
import { emptyFlow, noneWaiting } from './__testUtils__/flowFixtures';
import { fakeDoraApi, paymentsApi } from './__testUtils__/testUtils';

function render(api: DoraApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, api]]}>
      <EntityProvider entity={paymentsApi}>
        <EntityFlowCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityFlowCard', () => {
  it("shows each part's median on a line, the waiting pull requests and the pipelines' rates, and links to the tab", async () => {
    const api = fakeDoraApi();
    await render(api);

    const parts = await screen.findByRole('list', {
      name: 'Cycle time, median per part',
    });
    const lines = within(parts).getAllByRole('listitem');
    expect(lines.map(l => l.textContent)).toEqual([
      'Coding5 h 12 minmedian of 9 pull requests',
      'Pickup21 h 50 minmedian of 7 pull requests',
      'Review1 h 35 minmedian of 7 pull requests',
      'Deploy44 minmedian of 8 pull requests',
    ]);
    expect(
      await screen.findByLabelText('Waiting for review'),
    ).toHaveTextContent(
      '2 pull requests waiting for a first review (1 overdue)',
    );
    expect(await screen.findByLabelText('CI/CD friction')).toHaveTextContent(
      'Flaky rate 62.3% · success on the default branch 78.7% · median run 14 min',
    );
    expect(
      screen.getByRole('link', { name: /Open the Flow tab/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api/flow');
    // The card needs only the counts of the waiting list.
    expect(api.listWaitingPullRequests).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      limit: 1,
    });
  });

  it('says how to send pull requests when none was merged in the window', async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockResolvedValue(emptyFlow()),
      listWaitingPullRequests: jest.fn().mockResolvedValue(noneWaiting()),
    });
    await render(api);

    expect(
      await screen.findByText(
        /No pull requests merged in the last 90 days — send change events with createdAt and firstReviewAt/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByLabelText('Waiting for review'),
    ).toHaveTextContent('0 pull requests waiting for a first review');
  });

  it('shows an error panel when the figures cannot be loaded', async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockRejectedValue(new Error('backend down')),
    });
    await render(api);
    expect(
      await screen.findByText(/Could not load the pull request figures/),
    ).toBeInTheDocument();
  });
});
