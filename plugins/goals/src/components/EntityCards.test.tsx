import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { quarterOf } from '@vitals/plugin-goals-common';
import { EntityCampaignsCard } from './EntityCampaignsCard';
import { EntityGoalsCard } from './EntityGoalsCard';
import {
  fakeApi,
  makeGoal,
  makeKeyResult,
  renderWithApis,
} from './__testUtils__/testUtils';
import { dayFromToday, makeCampaign } from './__testUtils__/campaigns';

const paymentsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

describe('EntityGoalsCard', () => {
  it("lists the team's goals this quarter with their progress and status", async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({
      goals: [
        makeGoal({
          keyResults: [
            // 12 of 24 hours: 50%, expected 50%: on track.
            makeKeyResult({
              title: 'Lead time',
              baseline: 48,
              target: 24,
              current: 36,
              expected: 50,
            }),
          ],
        }),
      ],
      totalCount: 1,
    });
    await renderWithApis(
      <EntityProvider entity={paymentsGroup}>
        <EntityGoalsCard />
      </EntityProvider>,
      { api },
    );
    const list = await screen.findByRole('list', {
      name: 'Goals this quarter',
    });
    const item = within(list).getByRole('listitem');
    expect(item).toHaveTextContent('Ship payment changes in hours, not days');
    expect(item).toHaveTextContent('On track');
    expect(item).toHaveTextContent(
      '50% done, 50% expected by today · 1 key result',
    );
    expect(api.listGoals).toHaveBeenCalledWith({
      owner: ['group:default/payments'],
      period: [quarterOf(new Date())],
    });
  });

  it('says how to set goals when the team has none', async () => {
    const api = fakeApi();
    await renderWithApis(
      <EntityProvider entity={paymentsGroup}>
        <EntityGoalsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText('No goals this quarter'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open Goals' })).toHaveAttribute(
      'href',
      '/goals',
    );
  });

  it('shows an error when the goals cannot be loaded', async () => {
    const api = fakeApi();
    api.listGoals.mockRejectedValue(new Error('goals backend is down'));
    await renderWithApis(
      <EntityProvider entity={paymentsGroup}>
        <EntityGoalsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(
        /Could not load the goals: goals backend is down/,
      ),
    ).toBeInTheDocument();
  });
});

describe('EntityCampaignsCard', () => {
  it('says what the running campaigns ask of the service and by when', async () => {
    const api = fakeApi();
    api.listCampaigns.mockResolvedValue({
      campaigns: [
        makeCampaign(),
        makeCampaign({
          id: 'c0ffee00-0000-4000-8000-000000000002',
          name: 'On-call for every service',
          checks: [
            { scorecardId: 'production-readiness', checkId: 'has-oncall' },
          ],
          deadline: dayFromToday(40),
        }),
      ],
      totalCount: 2,
    });
    await renderWithApis(
      <EntityProvider entity={paymentsApi}>
        <EntityCampaignsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(
        '2 campaigns ask this service to pass 3 checks, the first due in 12 days.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'On-call for every service' }),
    ).toHaveAttribute(
      'href',
      '/campaigns/c0ffee00-0000-4000-8000-000000000002',
    );
    expect(api.listCampaigns).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      status: ['running'],
    });
  });

  it('is one short line when no campaign asks anything of it', async () => {
    const api = fakeApi();
    await renderWithApis(
      <EntityProvider entity={paymentsApi}>
        <EntityCampaignsCard />
      </EntityProvider>,
      { api },
    );
    expect(
      await screen.findByText(
        /No running campaign asks anything of this service/,
      ),
    ).toBeInTheDocument();
  });
});
