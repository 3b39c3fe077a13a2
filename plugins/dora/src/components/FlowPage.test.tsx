import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DoraApi } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { FlowPage } from './FlowPage';
import {
  flowTeam,
  flowTeams,
  makeParts,
  makePipelines,
} from './__testUtils__/flowFixtures';
import { fakeDoraApi } from './__testUtils__/testUtils';

function render(dora: DoraApi, ownershipEntityRefs = ['user:default/guest']) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [doraApiRef, dora],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs,
          }),
        ],
      ]}
    >
      <FlowPage />
    </TestApiProvider>,
    // Team and service names link to their catalog pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const payments = flowTeam();
const storefront = flowTeam({
  entityRef: 'group:default/storefront',
  title: 'Storefront',
  pullRequests: 31,
  unreviewed: 0,
  parts: makeParts({
    pickup: { pullRequests: 31, medianMinutes: 45, p75Minutes: 80 },
  }),
  waiting: { totalCount: 1, overdueCount: 0 },
});

describe('FlowPage', () => {
  it('puts the teams side by side from one request, and lists the waiting pull requests and pipelines of your team', async () => {
    const getFlowTeams = jest
      .fn()
      .mockResolvedValue(flowTeams([storefront, payments]));
    const dora = fakeDoraApi({ getFlowTeams });
    await render(dora, ['user:default/guest', 'group:default/payments']);

    const paymentsRow = await screen.findByRole('row', { name: /^Payments/ });
    // PRs, coding, pickup, review, deploy, unreviewed, large share, waiting (overdue)
    expect(paymentsRow).toHaveTextContent(
      /9.*5 h 12 min.*21 h 50 min.*1 h 35 min.*44 min.*2.*22.2%.*3.*1 overdue/,
    );
    const storefrontRow = screen.getByRole('row', { name: /^Storefront/ });
    expect(storefrontRow).toHaveTextContent(/31.*45 min/);
    expect(
      within(storefrontRow).queryByText(/overdue/),
    ).not.toBeInTheDocument();
    expect(getFlowTeams).toHaveBeenCalledTimes(1);
    expect(getFlowTeams).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'team' }),
    );

    // The viewer is in Payments: its lists come first.
    expect(
      await screen.findByText('Waiting for a first review in Payments (2)'),
    ).toBeInTheDocument();
    expect(dora.listWaitingPullRequests).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'group:default/payments' }),
    );
    expect(
      await screen.findByText('CI/CD friction of Payments'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Flaky rate' }),
    ).toHaveTextContent('62.3%');
    expect(dora.getPipelines).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'group:default/payments' }),
    );
  });

  it('shows the lists of the team the user picks, with the service of each pipeline', async () => {
    const dora = fakeDoraApi({
      getFlowTeams: jest
        .fn()
        .mockResolvedValue(flowTeams([payments, storefront])),
      getPipelines: jest.fn().mockImplementation(async ({ entityRef }) =>
        makePipelines({
          entityRef,
          entityRefs: [
            'component:default/storefront-web',
            'component:default/checkout',
          ],
          pipelines: makePipelines().pipelines.map(p => ({
            ...p,
            entityRef: 'component:default/storefront-web',
          })),
        }),
      ),
    });
    await render(dora);

    // Not in any listed team: the first one, alphabetically.
    await screen.findByText('CI/CD friction of Payments');
    fireEvent.mouseDown(screen.getByRole('button', { name: 'Choose a team' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Storefront' }));

    expect(
      await screen.findByText('CI/CD friction of Storefront'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(dora.getPipelines).toHaveBeenLastCalledWith(
        expect.objectContaining({ entityRef: 'group:default/storefront' }),
      ),
    );
    expect(dora.listWaitingPullRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ entityRef: 'group:default/storefront' }),
    );
    const ci = await screen.findByRole('row', { name: /^CI/ });
    expect(ci).toHaveTextContent(/storefront-web.*183.*50%/);
  });

  it('says how to start when no team has pull requests', async () => {
    await render(fakeDoraApi());
    expect(
      await screen.findByText('No team has pull requests yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/send change events with createdAt and firstReviewAt/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the teams cannot be loaded', async () => {
    await render(
      fakeDoraApi({
        getFlowTeams: jest.fn().mockRejectedValue(new Error('catalog down')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the teams' flow figures/),
    ).toBeInTheDocument();
  });
});
