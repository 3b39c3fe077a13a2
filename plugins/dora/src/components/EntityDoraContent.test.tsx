import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  DoraChange,
  DoraDeployment,
  DoraIncident,
} from '@vitals/plugin-dora-common';
import { EntityDoraContent } from './EntityDoraContent';
import {
  activity,
  emptyMetrics,
  fakeDoraApi,
  healthyData,
  paymentsApi,
  renderWithEntity,
} from './__testUtils__/testUtils';

const deployment: DoraDeployment = {
  id: 'deploy-42',
  entityRef: 'component:default/payments-api',
  environment: 'production',
  status: 'success',
  startedAt: '2026-11-20T09:55:00.000Z',
  finishedAt: '2026-11-20T10:00:00.000Z',
  url: null,
  commitCount: 3,
  counted: true,
  failed: true,
  rework: false,
  reworkFlagged: false,
  reworkIncidentId: null,
  recoveryMinutes: 200,
  recoveredAt: '2026-11-20T13:20:00.000Z',
};

const change: DoraChange = {
  id: 'pr-7',
  entityRef: 'component:default/payments-api',
  sha: 'abcdef1234567890abcdef1234567890abcdef12',
  authoredAt: '2026-11-18T08:00:00.000Z',
  createdAt: '2026-11-18T10:00:00.000Z',
  mergedAt: '2026-11-19T10:00:00.000Z',
  firstReviewAt: '2026-11-18T12:00:00.000Z',
  author: 'jane.doe',
  url: null,
  deploymentId: 'deploy-42',
  deployedAt: '2026-11-20T10:00:00.000Z',
  codingMinutes: 120,
  pickupMinutes: 120,
  reviewMinutes: 1320,
  mergeMinutes: 1440,
  deployMinutes: 1440,
  leadTimeMinutes: 3000,
};

const incident: DoraIncident = {
  id: 'INC-9',
  entityRef: 'component:default/payments-api',
  createdAt: '2026-11-20T11:00:00.000Z',
  resolvedAt: '2026-11-20T14:20:00.000Z',
  severity: 'SEV2',
  url: null,
  deploymentId: null,
  linkedDeploymentId: 'deploy-42',
  restoreMinutes: 200,
};

describe('EntityDoraContent', () => {
  it('shows the metrics, the weekly charts and the data health', async () => {
    const api = fakeDoraApi({
      getDataHealth: jest.fn().mockResolvedValue({
        ...healthyData(),
        changesNeverDeployed: {
          count: 2,
          sample: [{ ...change, sha: '1234567890abcdef' }],
        },
      }),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);

    expect(
      await screen.findByRole('region', { name: 'Lead time for changes' }),
    ).toHaveTextContent('3 h 20 min');
    for (const chart of [
      'Deployments per week',
      'Lead time trend',
      'Change failure rate',
      'Time to restore',
      'Rework rate',
      'Failed deployment recovery time',
    ]) {
      expect(
        await screen.findByRole('figure', { name: chart }),
      ).toBeInTheDocument();
    }
    const health = await screen.findByRole('list', { name: 'Data health' });
    expect(health).toHaveTextContent('2 changes never deployed');
    expect(health).toHaveTextContent('E.g. 1234567');
    expect(health).toHaveTextContent('0 incidents linked to no deployment');
  });

  it('drills down from a deployment to the changes it shipped, with each part of their lead time', async () => {
    const api = fakeDoraApi({
      listDeployments: jest
        .fn()
        .mockResolvedValue({ items: [deployment], totalCount: 1 }),
      listChanges: jest
        .fn()
        .mockResolvedValue({ items: [change], totalCount: 1 }),
      listIncidents: jest
        .fn()
        .mockResolvedValue({ items: [incident], totalCount: 1 }),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);

    const row = await screen.findByRole('row', { name: /deploy-42/ });
    expect(row).toHaveTextContent('production');
    expect(row).toHaveTextContent('Caused an incident');
    // Recovered 3 h 20 min after it finished; not rework.
    expect(row).toHaveTextContent(/Caused an incident.*3 h 20 min.*No$/);
    fireEvent.click(within(row).getByText('deploy-42'));

    expect(
      await screen.findByText('Changes shipped by deploy-42'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listChanges).toHaveBeenLastCalledWith(
        expect.objectContaining({ deploymentId: 'deploy-42', offset: 0 }),
      ),
    );
    const changeRow = await screen.findByRole('row', { name: /abcdef1/ });
    // coding 2 h, review 1 day, deploy 1 day, lead time 2 days 2 h (whole units, no decimals)
    expect(changeRow).toHaveTextContent(
      /jane\.doe.*2 h.*1 day.*1 day.*2 days 2 h/,
    );

    fireEvent.click(screen.getByRole('tab', { name: 'Incidents' }));
    const incidentRow = await screen.findByRole('row', { name: /INC-9/ });
    expect(incidentRow).toHaveTextContent('SEV2');
    expect(incidentRow).toHaveTextContent('3 h 20 min');
    expect(api.listIncidents).toHaveBeenLastCalledWith(
      expect.objectContaining({ deploymentId: 'deploy-42' }),
    );

    // MUI puts the delete handler on the chip's icon.
    const filter = screen.getByRole('button', {
      name: 'Clear the deployment filter',
    });
    fireEvent.click(filter.querySelector('svg')!);
    await waitFor(() =>
      expect(api.listIncidents).toHaveBeenLastCalledWith(
        expect.not.objectContaining({ deploymentId: 'deploy-42' }),
      ),
    );
    expect(
      screen.queryByText('Incidents linked to deploy-42'),
    ).not.toBeInTheDocument();
  });

  it('says of each deployment whether it is rework and why, and how long a failed one took to recover', async () => {
    const rework: DoraDeployment[] = [
      {
        ...deployment,
        id: 'deploy-44',
        failed: false,
        recoveryMinutes: null,
        recoveredAt: null,
        rework: true,
        reworkIncidentId: 'INC-9',
      },
      {
        ...deployment,
        id: 'deploy-43',
        rework: true,
        reworkFlagged: true,
        recoveryMinutes: null,
        recoveredAt: null,
      },
    ];
    const api = fakeDoraApi({
      listDeployments: jest
        .fn()
        .mockResolvedValue({ items: rework, totalCount: 2 }),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    const restoring = await screen.findByRole('row', { name: /deploy-44/ });
    expect(restoring).toHaveTextContent(
      /None.*—.*Rework.*First deployment while INC-9 was open/,
    );
    const flagged = screen.getByRole('row', { name: /deploy-43/ });
    expect(flagged).toHaveTextContent(
      /Caused an incident.*Incident still open.*Rework.*Flagged as rework/,
    );
  });

  it('lists the deployments behind the rework rate and the recovery time from their tiles', async () => {
    const api = fakeDoraApi();
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    const rework = await screen.findByRole('region', { name: 'Rework rate' });
    fireEvent.click(
      within(rework).getByRole('button', {
        name: 'List the rework deployments',
      }),
    );
    expect(await screen.findByText('Rework deployments')).toBeInTheDocument();
    expect(
      await screen.findByText(/No deployment in this window was rework/),
    ).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenLastCalledWith(
      expect.objectContaining({ rework: true, failed: undefined }),
    );
    expect(screen.getByLabelText('Only rework deployments')).toBeChecked();

    fireEvent.click(
      within(
        screen.getByRole('region', { name: 'Failed deployment recovery time' }),
      ).getByRole('button', { name: 'List the failed deployments' }),
    );
    expect(
      await screen.findByText('Deployments that caused an incident'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listDeployments).toHaveBeenLastCalledWith(
        expect.objectContaining({ failed: true, rework: undefined }),
      ),
    );

    // The time to restore lists the incidents.
    fireEvent.click(
      within(
        screen.getByRole('region', { name: 'Time to restore service' }),
      ).getByRole('button', { name: 'List the incidents' }),
    );
    expect(
      await screen.findByText('No incidents were resolved in this window.'),
    ).toBeInTheDocument();
  });

  it('asks for the failed deployments only when the user says so', async () => {
    const api = fakeDoraApi();
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    expect(
      await screen.findByText(
        'No successful production deployments in this window.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByLabelText('Only deployments that caused an incident'),
    );
    expect(
      await screen.findByText(
        'No deployment in this window caused an incident.',
      ),
    ).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenLastCalledWith(
      expect.objectContaining({ failed: true }),
    );
  });

  it('replaces the tab with setup instructions when the entity has never sent events', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(emptyMetrics()),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    expect(
      await screen.findByText('No delivery events yet'),
    ).toBeInTheDocument();
    const instructions = screen.getByRole('region', {
      name: 'How to send delivery events',
    });
    expect(instructions).toHaveTextContent('curl -X POST');
    expect(instructions).toHaveTextContent('"type": "deployment"');
    expect(instructions).toHaveTextContent('"type": "change"');
    expect(instructions).toHaveTextContent('Deployment statuses');
    expect(
      within(instructions).getAllByRole('button', { name: /copy/i }).length,
    ).toBeGreaterThan(0);
  });

  it('keeps the tab and suggests a longer window when the entity has events, just not in this one', async () => {
    const api = fakeDoraApi({
      getMetrics: jest.fn().mockResolvedValue(emptyMetrics()),
      getActivity: jest.fn().mockResolvedValue(activity(true)),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    expect(
      await screen.findByText(
        /No deployments, changes or incidents in the last 90 days/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No delivery events yet'),
    ).not.toBeInTheDocument();
    expect(api.getActivity).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });
  });

  it('shows an error when a drill-down list cannot be loaded', async () => {
    const api = fakeDoraApi({
      listDeployments: jest
        .fn()
        .mockRejectedValue(new Error('store unavailable')),
    });
    await renderWithEntity(api, paymentsApi, <EntityDoraContent />);
    expect(
      await screen.findByText(/Could not load the deployments/),
    ).toBeInTheDocument();
  });
});
