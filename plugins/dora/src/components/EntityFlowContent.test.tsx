import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DoraApi } from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { EntityFlowContent } from './EntityFlowContent';
import {
  emptyFlow,
  flakyRun,
  noneWaiting,
  noPipelines,
  slowPickup,
} from './__testUtils__/flowFixtures';
import { fakeDoraApi, paymentsApi } from './__testUtils__/testUtils';

function render(api: DoraApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, api]]}>
      <EntityProvider entity={paymentsApi}>
        <EntityFlowContent />
      </EntityProvider>
    </TestApiProvider>,
    // Waiting pull requests of a team link to their services.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityFlowContent', () => {
  it('shows the four parts with median, p75 and the pull requests each is taken over, reviews, size and the weekly chart', async () => {
    const api = fakeDoraApi();
    await render(api);

    const coding = await screen.findByRole('region', { name: 'Coding' });
    expect(coding).toHaveTextContent('5 h 12 min');
    expect(coding).toHaveTextContent('median of 9 pull requests');
    expect(coding).toHaveTextContent('p75 9 h');
    const pickup = screen.getByRole('region', { name: 'Pickup' });
    expect(pickup).toHaveTextContent('21 h 50 min');
    expect(pickup).toHaveTextContent('median of 7 pull requests');
    expect(pickup).toHaveTextContent('p75 1 day 5 h');
    expect(screen.getByRole('region', { name: 'Review' })).toHaveTextContent(
      '1 h 35 min',
    );
    expect(screen.getByRole('region', { name: 'Deploy' })).toHaveTextContent(
      '44 min',
    );
    expect(
      screen.getByRole('region', { name: 'Merged without review' }),
    ).toHaveTextContent('2 of 9 pull requests (22.2%)');
    const size = screen.getByRole('region', { name: 'Pull request size' });
    expect(size).toHaveTextContent('146 lines (median)');
    expect(size).toHaveTextContent('22.2% large: 2 over 400 lines changed');
    expect(
      screen.getByRole('figure', { name: 'Cycle time per week' }),
    ).toBeInTheDocument();
    expect(api.getFlow).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/payments-api' }),
    );
  });

  it('lists the pull requests behind a part when it is clicked, longest first', async () => {
    const api = fakeDoraApi({
      listFlowPullRequests: jest
        .fn()
        .mockResolvedValue({ items: [slowPickup], totalCount: 1 }),
    });
    await render(api);

    fireEvent.click(
      await screen.findByRole('button', { name: /^Pickup: list the 7/ }),
    );
    expect(
      await screen.findByText(
        'Pull requests behind the pickup time, longest first',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listFlowPullRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ part: 'pickup', offset: 0 }),
      ),
    );
    const row = await screen.findByRole('row', { name: /#418/ });
    // coding 2 h, pickup 1 day 4 h, review 2 h, deploy 1 h; 500 lines is large
    expect(row).toHaveTextContent(
      /amira\.haddad.*2 h.*1 day 4 h.*2 h.*1 h.*500 lines.*Large.*Yes/,
    );

    fireEvent.click(
      screen.getByRole('button', { name: /^Merged without review: list/ }),
    );
    await waitFor(() =>
      expect(api.listFlowPullRequests).toHaveBeenLastCalledWith(
        expect.objectContaining({ unreviewed: true, part: undefined }),
      ),
    );
    expect(
      await screen.findByText('Pull requests merged without review'),
    ).toBeInTheDocument();
  });

  it('lists the pull requests waiting for a review, oldest first, the overdue one marked', async () => {
    await render(fakeDoraApi());

    expect(
      await screen.findByText('Waiting for a first review (2)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /2 open pull requests, 1 overdue \(waiting 24 h or more\)/,
      ),
    ).toBeInTheDocument();
    const rows = screen
      .getAllByRole('row')
      .filter(r => /#431|#440/.test(r.textContent ?? ''));
    expect(rows.map(r => within(r).getByText(/^#/).textContent)).toEqual([
      '#431',
      '#440',
    ]);
    expect(rows[0]).toHaveTextContent('1 day 18 h');
    expect(within(rows[0]).getByText('Overdue')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('3 h 12 min');
    expect(within(rows[1]).queryByText('Overdue')).not.toBeInTheDocument();
  });

  it('shows the CI/CD friction figures, a row per pipeline, and the runs behind them', async () => {
    const api = fakeDoraApi({
      listPipelineRuns: jest
        .fn()
        .mockResolvedValue({ items: [flakyRun], totalCount: 1 }),
    });
    await render(api);

    const flaky = await screen.findByRole('region', { name: 'Flaky rate' });
    expect(flaky).toHaveTextContent('62.3%');
    expect(flaky).toHaveTextContent('33 of 53 failures passed on a re-run');
    expect(
      screen.getByRole('region', { name: 'Success on the default branch' }),
    ).toHaveTextContent('78.7%');
    const duration = screen.getByRole('region', { name: 'Run duration' });
    expect(duration).toHaveTextContent('14 min');
    expect(duration).toHaveTextContent('p90 20 min');
    expect(
      screen.getByRole('region', { name: 'Queue time' }),
    ).toHaveTextContent('1 min 22 s');
    expect(
      screen.getByRole('region', { name: 'Time to green' }),
    ).toHaveTextContent(/36 min.*1 still red/);

    const ci = screen.getByRole('row', { name: /^CI/ });
    expect(ci).toHaveTextContent(/183.*50%.*17 of 34 failures.*73.6%/);
    fireEvent.click(within(ci).getByText('CI'));
    await waitFor(() =>
      expect(api.listPipelineRuns).toHaveBeenLastCalledWith(
        expect.objectContaining({
          entityRef: 'component:default/payments-api',
          pipeline: 'CI',
        }),
      ),
    );
    expect(await screen.findByText('Runs of CI')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', {
        name: 'Flaky rate: list the flaky failures',
      }),
    );
    await waitFor(() =>
      expect(api.listPipelineRuns).toHaveBeenLastCalledWith(
        expect.objectContaining({ flaky: true, pipeline: undefined }),
      ),
    );
    const run = await screen.findByRole('row', { name: /9fceb02/ });
    expect(run).toHaveTextContent(/Failure.*Flaky.*8 min.*1 min.*21 min/);
  });

  it('says what to send when nothing arrived, for pull requests, reviews and pipelines', async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockResolvedValue(emptyFlow()),
      listWaitingPullRequests: jest.fn().mockResolvedValue(noneWaiting()),
      getPipelines: jest.fn().mockResolvedValue(noPipelines()),
    });
    await render(api);

    expect(
      await screen.findByText(
        /No pull requests merged in the last 90 days — send change events with createdAt and firstReviewAt/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('figure', { name: 'Cycle time per week' }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByText('No pull request is waiting for a first review'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No pipeline runs in the last 90 days'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/post pipelineRun events to the DORA events API/),
    ).toBeInTheDocument();
  });

  it('shows an error panel when a figure cannot be loaded', async () => {
    const api = fakeDoraApi({
      getFlow: jest.fn().mockRejectedValue(new Error('backend down')),
      getPipelines: jest.fn().mockRejectedValue(new Error('runs unavailable')),
    });
    await render(api);

    expect(
      await screen.findByText(/Could not load the pull request figures/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load the pipeline figures/),
    ).toBeInTheDocument();
  });

  it('asks again for the window the user picks', async () => {
    const api = fakeDoraApi();
    await render(api);
    await screen.findByRole('region', { name: 'Coding' });

    fireEvent.mouseDown(screen.getByRole('button', { name: /Window/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );

    await waitFor(() => {
      const { from, to } = api.getFlow.mock.lastCall![0];
      expect(Date.parse(to!) - Date.parse(from!)).toBe(30 * 86_400_000);
    });
    const { from, to } = api.getPipelines.mock.lastCall![0];
    expect(Date.parse(to!) - Date.parse(from!)).toBe(30 * 86_400_000);
  });
});
