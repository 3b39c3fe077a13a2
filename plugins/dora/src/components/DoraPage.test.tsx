import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  DoraApi,
  DoraMetrics,
  DoraTeamMetrics,
  DoraTeamsResponse,
} from '@vitals/plugin-dora-common';
import { doraApiRef } from '../api/doraApiRef';
import { DoraPage } from './DoraPage';
import {
  emptyMetrics,
  fakeDoraApi,
  makeMetrics,
} from './__testUtils__/testUtils';

function team(
  name: string,
  title: string,
  metrics: DoraMetrics,
): DoraTeamMetrics {
  return {
    entityRef: `group:default/${name}`,
    title,
    type: 'team',
    metrics: { ...metrics, entityRef: `group:default/${name}` },
  };
}

function teamsResponse(teams: DoraTeamMetrics[]): DoraTeamsResponse {
  return {
    from: '2026-08-29T00:00:00.000Z',
    to: '2026-11-27T00:00:00.000Z',
    benchmark: '2023',
    teams,
  };
}

function render(dora: DoraApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[doraApiRef, dora]]}>
      <DoraPage />
    </TestApiProvider>,
    // Team names link to their catalog pages.
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const payments = team(
  'payments',
  'Payments',
  makeMetrics({
    entityRefs: [
      'component:default/payments-api',
      'component:default/ledger-service',
    ],
    leadTimeForChanges: { changes: 80, medianMinutes: 200, tier: 'high' },
  }),
);
const storefront = team(
  'storefront',
  'Storefront',
  makeMetrics({
    leadTimeForChanges: { changes: 30, medianMinutes: 45, tier: 'elite' },
    timeToRestore: { incidents: 0, medianMinutes: null, tier: null },
    reworkRate: { deployments: 48, reworkDeployments: 12, rate: 0.25 },
    failedDeploymentRecoveryTime: {
      recoveredDeployments: 6,
      unrecoveredDeployments: 0,
      medianMinutes: 50,
      tier: 'elite',
    },
  }),
);

describe('DoraPage', () => {
  it('puts the teams side by side with a tier per metric and the tier distribution, from one request', async () => {
    const getTeamMetrics = jest
      .fn()
      .mockResolvedValue(teamsResponse([storefront, payments]));
    const dora = fakeDoraApi({ getTeamMetrics });
    await render(dora);

    const paymentsRow = await screen.findByRole('row', { name: /Payments/ });
    expect(paymentsRow).toHaveTextContent('3 h 20 min');
    expect(
      within(paymentsRow).getByLabelText(
        'Payments Lead time for changes tier: High',
      ),
    ).toBeInTheDocument();
    const storefrontRow = screen.getByRole('row', { name: /Storefront/ });
    expect(storefrontRow).toHaveTextContent('45 min');
    expect(
      within(storefrontRow).getByLabelText(
        'Storefront Time to restore service tier: Not enough data',
      ),
    ).toBeInTheDocument();

    // One request for every team, none per team.
    expect(getTeamMetrics).toHaveBeenCalledTimes(1);
    expect(getTeamMetrics).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'team', benchmark: '2023' }),
    );
    expect(dora.getMetrics).not.toHaveBeenCalled();
    const distribution = screen.getByRole('list', { name: 'Teams per tier' });
    expect(distribution).toHaveTextContent(
      'Lead time for changes: 1 elite, 1 high, 0 medium, 0 low',
    );
    expect(distribution).toHaveTextContent(
      'Time to restore service: 0 elite, 0 high, 1 medium, 0 low, 1 without enough data',
    );

    // DORA 2024's figures beside the four keys: the rework rate with no tier, recovery with its tier.
    expect(paymentsRow).toHaveTextContent('6.3%');
    expect(
      within(paymentsRow).getByLabelText('Payments Rework rate tier: No tier'),
    ).toBeInTheDocument();
    expect(storefrontRow).toHaveTextContent('25%');
    expect(storefrontRow).toHaveTextContent('50 min');
    expect(
      within(storefrontRow).getByLabelText(
        'Storefront Failed deployment recovery time tier: Elite',
      ),
    ).toBeInTheDocument();
    expect(
      within(paymentsRow).getByLabelText(
        'Payments Failed deployment recovery time tier: Medium',
      ),
    ).toBeInTheDocument();
    expect(distribution).toHaveTextContent(
      'Failed deployment recovery time: 1 elite, 0 high, 1 medium, 0 low',
    );
    expect(distribution).toHaveTextContent('Rework rate: no tier.');
  });

  it('asks again for the 2024 benchmark when the user picks it', async () => {
    const getTeamMetrics = jest
      .fn()
      .mockResolvedValue(teamsResponse([payments]));
    await render(fakeDoraApi({ getTeamMetrics }));
    await screen.findByRole('row', { name: /Payments/ });
    fireEvent.mouseDown(screen.getByRole('button', { name: /Benchmark/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: '2024 State of DevOps' }),
    );
    await waitFor(() =>
      expect(getTeamMetrics).toHaveBeenLastCalledWith(
        expect.objectContaining({ benchmark: '2024' }),
      ),
    );
    expect(
      await screen.findByText(/2024 State of DevOps benchmark/),
    ).toBeInTheDocument();
  });

  it('sorts teams by rework rate, lowest first', async () => {
    await render(
      fakeDoraApi({
        getTeamMetrics: jest
          .fn()
          .mockResolvedValue(teamsResponse([storefront, payments])),
      }),
    );
    await screen.findByRole('row', { name: /Payments/ });
    const teamOrder = () =>
      screen
        .getAllByRole('row')
        .map(r => r.textContent ?? '')
        .filter(t => /Payments|Storefront/.test(t))
        .map(t => (t.includes('Payments') ? 'Payments' : 'Storefront'));
    fireEvent.click(screen.getAllByRole('button', { name: 'Rework rate' })[0]);
    // Payments 6.3%, Storefront 25%.
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Payments', 'Storefront']),
    );
    fireEvent.click(screen.getAllByRole('button', { name: 'Rework rate' })[0]);
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Storefront', 'Payments']),
    );
  });

  it('sorts teams by a metric, best first', async () => {
    await render(
      fakeDoraApi({
        getTeamMetrics: jest
          .fn()
          .mockResolvedValue(teamsResponse([storefront, payments])),
      }),
    );
    await screen.findByRole('row', { name: /Payments/ });
    const teamOrder = () =>
      screen
        .getAllByRole('row')
        .map(r => r.textContent ?? '')
        .filter(t => /Payments|Storefront/.test(t))
        .map(t => (t.includes('Payments') ? 'Payments' : 'Storefront'));
    expect(teamOrder()).toEqual(['Payments', 'Storefront']);
    fireEvent.click(
      screen.getAllByRole('button', { name: 'Lead time for changes' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Storefront', 'Payments']),
    );
    fireEvent.click(
      screen.getAllByRole('button', { name: 'Lead time for changes' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Payments', 'Storefront']),
    );
  });

  it('asks for the teams of the last 90 days by default', async () => {
    const getTeamMetrics = jest
      .fn()
      .mockResolvedValue(teamsResponse([payments]));
    await render(fakeDoraApi({ getTeamMetrics }));
    await screen.findByRole('row', { name: /Payments/ });
    const first = getTeamMetrics.mock.calls[0][0];
    expect(Date.parse(first.to) - Date.parse(first.from)).toBe(90 * 86_400_000);
  });

  it('says how to get started when no team has events', async () => {
    await render(
      fakeDoraApi({
        getTeamMetrics: jest.fn().mockResolvedValue(teamsResponse([])),
      }),
    );
    expect(
      await screen.findByText('No team has delivery events yet'),
    ).toBeInTheDocument();
  });

  it('says when no team has events in the window', async () => {
    const dora = fakeDoraApi({
      getTeamMetrics: jest
        .fn()
        .mockResolvedValue(
          teamsResponse([team('payments', 'Payments', emptyMetrics())]),
        ),
    });
    await render(dora);
    expect(
      await screen.findByText(
        /No team has deployments, changes or incidents in the last 90 days/,
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the metrics cannot be loaded', async () => {
    await render(
      fakeDoraApi({
        getTeamMetrics: jest.fn().mockRejectedValue(new Error('backend down')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the teams' DORA metrics/),
    ).toBeInTheDocument();
  });
});

describe('DoraPage columns', () => {
  it('keeps team names and figures whole in narrow columns', async () => {
    await render(
      fakeDoraApi({
        getTeamMetrics: jest
          .fn()
          .mockResolvedValue(teamsResponse([storefront, payments])),
      }),
    );
    const paymentsRow = await screen.findByRole('row', { name: /Payments/ });
    // The theme lets table cells break anywhere, which made "Paymen / ts" in a narrow column.
    const name = within(paymentsRow).getByText('Payments').closest('td')!;
    expect(name).toHaveStyle({ wordBreak: 'keep-all' });
    expect(name.style.overflowWrap).toBe('normal');
    const leadTime = within(paymentsRow).getByText('3 h 20 min').closest('td')!;
    expect(leadTime).toHaveStyle({ wordBreak: 'keep-all' });
  });
});
