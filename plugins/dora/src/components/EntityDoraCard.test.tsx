import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityDoraCard } from './EntityDoraCard';
import {
  activity,
  emptyMetrics,
  fakeDoraApi,
  makeMetrics,
  paymentsApi,
  renderWithEntity,
} from './__testUtils__/testUtils';

const DAY_MS = 86_400_000;

async function chooseOption(label: string, option: string) {
  fireEvent.mouseDown(screen.getByRole('button', { name: new RegExp(label) }));
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

describe('EntityDoraCard', () => {
  it('shows the four metrics formatted for people, each with its tier', async () => {
    const api = fakeDoraApi();
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);

    const df = await screen.findByRole('region', {
      name: 'Deployment frequency',
    });
    expect(df).toHaveTextContent('3 days / week');
    expect(df).toHaveTextContent('48 deployments on 36 days');
    expect(
      within(df).getByLabelText('Deployment frequency tier: High'),
    ).toBeInTheDocument();

    const lead = screen.getByRole('region', { name: 'Lead time for changes' });
    expect(lead).toHaveTextContent('3 h 20 min');
    expect(lead).toHaveTextContent('median of 120 deployed changes');
    expect(
      within(lead).getByLabelText('Lead time for changes tier: Elite'),
    ).toBeInTheDocument();

    const cfr = screen.getByRole('region', { name: 'Change failure rate' });
    expect(cfr).toHaveTextContent('12.5%');
    expect(cfr).toHaveTextContent('6 of 48 deployments caused an incident');

    const ttr = screen.getByRole('region', { name: 'Time to restore service' });
    expect(ttr).toHaveTextContent('2 days 12 h');
    expect(
      within(ttr).getByLabelText('Time to restore service tier: Medium'),
    ).toBeInTheDocument();

    expect(
      await screen.findByRole('img', {
        name: 'Deployment frequency, week by week',
      }),
    ).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/payments-api',
        benchmark: '2023',
      }),
    );
    const { from, to } = api.getMetrics.mock.calls[0][0];
    expect(Date.parse(to!) - Date.parse(from!)).toBe(90 * DAY_MS);
  });

  it("shows DORA 2024's rework rate, with no tier, and failed deployment recovery time, with its tier", async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(
        makeMetrics({
          failedDeploymentRecoveryTime: {
            recoveredDeployments: 5,
            unrecoveredDeployments: 1,
            medianMinutes: 95,
            tier: 'high',
          },
        }),
      ),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);

    const rework = await screen.findByRole('region', { name: 'Rework rate' });
    // 3 of 48.
    expect(rework).toHaveTextContent('6.3%');
    expect(rework).toHaveTextContent('3 of 48 deployments were rework');
    expect(
      within(rework).getByLabelText('Rework rate tier: No tier'),
    ).toBeInTheDocument();
    const definition = within(rework).getByRole('button', {
      name: 'How rework rate is computed',
    });
    fireEvent.mouseOver(definition);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      /flagged as rework by CI, or the first deployment after an incident/,
    );

    const recovery = screen.getByRole('region', {
      name: 'Failed deployment recovery time',
    });
    expect(recovery).toHaveTextContent('1 h 35 min');
    expect(recovery).toHaveTextContent(
      'median of 5 recovered deployments; 1 failed deployment with an incident still open',
    );
    expect(
      within(recovery).getByLabelText(
        'Failed deployment recovery time tier: High',
      ),
    ).toBeInTheDocument();
    expect(
      within(recovery).getByRole('img', {
        name: 'Failed deployment recovery time, week by week',
      }),
    ).toBeInTheDocument();
  });

  it('tiers by the 2024 benchmark when the user picks it', async () => {
    const api = fakeDoraApi();
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    await screen.findByRole('region', { name: 'Rework rate' });
    api.getMetrics.mockResolvedValue(
      makeMetrics({
        benchmark: '2024',
        changeFailureRate: {
          deployments: 48,
          failedDeployments: 6,
          rate: 0.125,
          tier: 'high',
        },
        failedDeploymentRecoveryTime: {
          recoveredDeployments: 6,
          unrecoveredDeployments: 0,
          medianMinutes: 3600,
          tier: 'low',
        },
      }),
    );
    await chooseOption('Benchmark', '2024 State of DevOps');
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        expect.objectContaining({ benchmark: '2024' }),
      ),
    );
    expect(
      await screen.findByLabelText('Failed deployment recovery time tier: Low'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Change failure rate tier: High'),
    ).toBeInTheDocument();
    // Still no tier for the rework rate, whatever the benchmark.
    expect(
      screen.getByLabelText('Rework rate tier: No tier'),
    ).toBeInTheDocument();
  });

  it('says "Not enough data" for a metric without a tier', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(
        makeMetrics({
          timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
        }),
      ),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    const ttr = await screen.findByRole('region', {
      name: 'Time to restore service',
    });
    expect(ttr).toHaveTextContent('—');
    expect(ttr).toHaveTextContent('no resolved incidents');
    expect(
      within(ttr).getByLabelText(
        'Time to restore service tier: Not enough data',
      ),
    ).toBeInTheDocument();
  });

  it('says so when no deployment failed or none has recovered yet', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(
        makeMetrics({
          failedDeploymentRecoveryTime: {
            recoveredDeployments: 0,
            unrecoveredDeployments: 2,
            medianMinutes: null,
            tier: null,
          },
        }),
      ),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    const recovery = await screen.findByRole('region', {
      name: 'Failed deployment recovery time',
    });
    expect(recovery).toHaveTextContent('—');
    expect(recovery).toHaveTextContent(
      '2 failed deployments with an incident still open',
    );
    expect(
      within(recovery).getByLabelText(
        'Failed deployment recovery time tier: Not enough data',
      ),
    ).toBeInTheDocument();
  });

  it('asks again for the window and benchmark the user picks', async () => {
    const api = fakeDoraApi();
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    await screen.findByRole('region', { name: 'Lead time for changes' });

    await chooseOption('Window', 'Last 30 days');
    await waitFor(() => {
      const { from, to } = api.getMetrics.mock.calls.at(-1)![0];
      expect(Date.parse(to!) - Date.parse(from!)).toBe(30 * DAY_MS);
    });

    api.getMetrics.mockResolvedValue(
      makeMetrics({
        benchmark: '2021',
        leadTimeForChanges: { changes: 120, medianMinutes: 200, tier: 'high' },
      }),
    );
    await chooseOption('Benchmark', '2021 State of DevOps');
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        expect.objectContaining({ benchmark: '2021' }),
      ),
    );
    expect(
      await screen.findByLabelText('Lead time for changes tier: High'),
    ).toBeInTheDocument();
  });

  it('explains how to send events when the entity has none', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(emptyMetrics()),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    expect(
      await screen.findByText(/No delivery events for this entity yet/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'How to send delivery events' }),
    );
    const instructions = await screen.findByRole('region', {
      name: 'How to send delivery events',
    });
    expect(instructions).toHaveTextContent('/v1/events');
    expect(instructions).toHaveTextContent(
      'Authorization: Bearer $VITALS_CI_TOKEN',
    );
    expect(instructions).toHaveTextContent(
      '"entityRef": "component:default/payments-api"',
    );
    expect(instructions).toHaveTextContent('github.com/project-slug');
    expect(api.getActivity).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });
  });

  it('suggests a longer window when the entity has events, just not in this one', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(emptyMetrics()),
      getActivity: jest.fn().mockResolvedValue(activity(true)),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    expect(
      await screen.findByText(
        /No deployments, changes or incidents in the last 90 days/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/No delivery events for this entity yet/),
    ).not.toBeInTheDocument();
    // One request tells the two cases apart; the metrics are not asked for again over a longer window.
    expect(api.getMetrics).toHaveBeenCalledTimes(1);
  });

  it('shows an error when the metrics cannot be loaded', async () => {
    const api = fakeDoraApi({
      getMetrics: jest
        .fn()
        .mockRejectedValue(new Error('dora backend is down')),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraCard />);
    expect(
      await screen.findByText(/Could not load the DORA metrics/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/dora backend is down/).length).toBeGreaterThan(
      0,
    );
  });
});
