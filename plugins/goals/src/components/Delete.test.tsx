import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { CampaignsPage } from './CampaignsPage';
import { GoalsPage } from './GoalsPage';
import { makeCampaign } from './__testUtils__/campaigns';
import {
  fakeApi,
  makeGoal,
  makeKeyResult,
  permissionsSettled,
  renderWithApis,
} from './__testUtils__/testUtils';

const conflict = () =>
  Object.assign(new Error('Goal changed'), { response: { status: 409 } });

function goal() {
  return makeGoal({
    objective: 'Ship payment changes in hours, not days',
    version: 3,
    keyResults: [
      makeKeyResult({
        title: 'Lead time under a day',
        baseline: 48,
        target: 24,
        current: 36,
        expected: 50,
      }),
    ],
  });
}

describe('Deleting a goal', () => {
  it('asks first, deletes the version shown, and reads the list again', async () => {
    const shown = goal();
    const api = fakeApi();
    api.listGoals
      .mockResolvedValueOnce({ goals: [shown], totalCount: 1 })
      .mockResolvedValue({ goals: [], totalCount: 0 });
    api.deleteGoal.mockResolvedValue();
    await renderWithApis(<GoalsPage />, { api });

    await userEvent.click(
      await screen.findByRole('button', { name: `Delete ${shown.objective}` }),
    );
    const dialog = screen.getByRole('dialog', {
      name: `Delete the goal “${shown.objective}”?`,
    });
    // Cancel deletes nothing.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(api.deleteGoal).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: `Delete ${shown.objective}` }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Delete',
      }),
    );
    expect(api.deleteGoal).toHaveBeenCalledWith(shown.id, 3);
    expect(await screen.findByText(/No goals for/)).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says someone changed it when the version is stale, deletes nothing, and reloads on request', async () => {
    const shown = goal();
    const api = fakeApi();
    api.listGoals.mockResolvedValue({ goals: [shown], totalCount: 1 });
    api.deleteGoal.mockRejectedValue(conflict());
    await renderWithApis(<GoalsPage />, { api });

    await userEvent.click(
      await screen.findByRole('button', { name: `Delete ${shown.objective}` }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await within(dialog).findByText(
        /Someone changed this goal after you opened it, so it was not deleted. Reload/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Delete' }),
    ).toBeDisabled();
    const reads = api.listGoals.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reload' }),
    );
    await waitFor(() =>
      expect(api.listGoals.mock.calls.length).toBeGreaterThan(reads),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('is not offered to those the policy does not allow', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({ goals: [goal()], totalCount: 1 });
    const { authorize } = await renderWithApis(<GoalsPage />, {
      api,
      authorize: AuthorizeResult.DENY,
    });
    await screen.findByRole('article', { name: /^Goal: / });
    await permissionsSettled(authorize);
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });
});

describe('Deleting a campaign', () => {
  const renderCampaign = (api: ReturnType<typeof fakeApi>, id: string) =>
    renderWithApis(
      <Routes>
        <Route path="/campaigns/*" element={<CampaignsPage />} />
      </Routes>,
      { api, routeEntries: [`/campaigns/${id}`] },
    );

  it('asks first, deletes the version shown, and goes back to the list', async () => {
    const campaign = { ...makeCampaign(), version: 4 };
    const api = fakeApi();
    api.getCampaign.mockResolvedValue(campaign);
    api.deleteCampaign.mockResolvedValue();
    await renderCampaign(api, campaign.id);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    const dialog = screen.getByRole('dialog', {
      name: `Delete the campaign “${campaign.name}”?`,
    });
    expect(dialog).toHaveTextContent(/Its burn-up/);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(api.deleteCampaign).toHaveBeenCalledWith(campaign.id, 4);
    // Back on the list of campaigns.
    expect(await screen.findByText('No running campaigns')).toBeInTheDocument();
  });

  it('says someone changed it when the version is stale', async () => {
    const campaign = makeCampaign();
    const api = fakeApi();
    api.getCampaign.mockResolvedValue(campaign);
    api.deleteCampaign.mockRejectedValue(conflict());
    await renderCampaign(api, campaign.id);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Delete' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await within(dialog).findByText(
        /Someone changed this campaign after you opened it/,
      ),
    ).toBeInTheDocument();
    // Still on the campaign, which is not deleted.
    expect(
      screen.getByRole('heading', { name: campaign.name, hidden: true }),
    ).toBeInTheDocument();
  });

  it('is not offered to those the policy does not allow', async () => {
    const campaign = makeCampaign();
    const api = fakeApi();
    api.getCampaign.mockResolvedValue(campaign);
    const { authorize } = await renderWithApis(<CampaignsPage />, {
      api,
      authorize: AuthorizeResult.DENY,
      routeEntries: [`/${campaign.id}`],
    });
    await screen.findByRole('heading', { name: campaign.name });
    await permissionsSettled(authorize);
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });
});
