import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignsPage } from './CampaignsPage';
import {
  fakeApi,
  permissionsSettled,
  renderWithApis,
} from './__testUtils__/testUtils';
import { dayFromToday, makeCampaign } from './__testUtils__/campaigns';

const ended = makeCampaign({
  deadline: dayFromToday(-3),
  status: 'ended',
});
const promoted = {
  ...ended,
  version: ended.version + 1,
  promotedAt: '2026-12-07T10:00:00.000Z',
  promotedBy: 'user:default/priya.nair',
  promotedChecks: ended.checks.map((c, i) => ({
    ...c,
    levelId: 'bronze',
    promotionId: `9d3c5e1a-2b4f-4a6c-8d7e-00000000000${i}`,
  })),
};

const productionReadiness = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [
    { id: 'bronze', title: 'Bronze' },
    { id: 'silver', title: 'Silver' },
    { id: 'gold', title: 'Gold' },
  ],
  // The campaign's checks, as the scorecard requires them today.
  checks: [
    { id: 'has-techdocs', title: 'Has TechDocs', level: 'gold' },
    { id: 'has-runbook', title: 'Has a runbook', level: 'silver' },
  ],
};

async function openPage(
  api: ReturnType<typeof fakeApi>,
  authorize = AuthorizeResult.ALLOW as
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY,
  scorecardDefinitions: Array<typeof productionReadiness> = [],
) {
  const rendered = await renderWithApis(<CampaignsPage />, {
    api,
    authorize,
    routeEntries: [`/${ended.id}`],
    scorecardDefinitions,
  });
  await screen.findByRole('heading', { name: ended.name });
  await permissionsSettled(rendered.authorize);
  return rendered;
}

describe('Make permanent', () => {
  it('asks to confirm what will change, promotes the ended campaign and shows it made permanent', async () => {
    const api = fakeApi();
    api.getCampaign.mockResolvedValueOnce(ended).mockResolvedValue(promoted);
    let finish: (value: typeof promoted) => void = () => {};
    api.promoteCampaign.mockReturnValue(
      new Promise(resolve => {
        finish = resolve;
      }),
    );
    const { authorize } = await openPage(api);
    expect(
      authorize.mock.calls.map(
        ([r]: [{ permission: { name: string } }]) => r.permission.name,
      ),
    ).toEqual(
      expect.arrayContaining([
        'goals.campaign.update',
        'scorecards.definition.update',
      ]),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Make permanent' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      "permanent requirement of its scorecard at the scorecard's lowest level",
    );
    expect(dialog).toHaveTextContent('their owners are notified');
    const listed = within(dialog).getByRole('list', {
      name: 'Checks to make permanent',
    });
    expect(listed).toHaveTextContent('production-readiness / has-techdocs');
    expect(listed).toHaveTextContent('production-readiness / has-runbook');

    await userEvent.click(
      within(dialog).getByRole('button', { name: /Make permanent/ }),
    );
    expect(api.promoteCampaign).toHaveBeenCalledWith(ended.id, {
      version: ended.version,
    });
    // While the request runs, the dialog says so and cannot be sent twice.
    expect(
      within(dialog).getByRole('button', { name: /Making permanent/ }),
    ).toBeDisabled();
    finish(promoted);

    const notice = await screen.findByRole('list', {
      name: 'Checks made permanent',
    });
    expect(notice).toHaveTextContent('production-readiness / has-runbook');
    expect(notice).toHaveTextContent('required from level bronze');
    expect(screen.getByText(/Made permanent on/)).toHaveTextContent(
      'by priya.nair',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('button', { name: 'Make permanent' }),
    ).not.toBeInTheDocument();
  });

  it("offers the scorecard's levels, lowest first, and promotes from the level chosen", async () => {
    const api = fakeApi();
    api.getCampaign.mockResolvedValueOnce(ended).mockResolvedValue({
      ...promoted,
      promotedChecks: promoted.promotedChecks.map(p => ({
        ...p,
        levelId: 'silver',
      })),
    });
    api.promoteCampaign.mockImplementation(async () => ({
      ...promoted,
      promotedChecks: promoted.promotedChecks.map(p => ({
        ...p,
        levelId: 'silver',
      })),
    }));
    await openPage(api, AuthorizeResult.ALLOW, [productionReadiness]);
    await userEvent.click(
      screen.getByRole('button', { name: 'Make permanent' }),
    );
    const dialog = await screen.findByRole('dialog');
    const level = await within(dialog).findByRole('button', {
      name: /Required from level/,
    });
    expect(level).toHaveTextContent('Bronze (the lowest)');
    expect(dialog).toHaveTextContent(
      'Each check becomes a permanent requirement of the Production readiness scorecard, from the level chosen here.',
    );
    expect(dialog).toHaveTextContent(
      'must pass these checks to reach any level, not only the entities of this campaign',
    );

    await userEvent.click(level);
    expect(
      screen.getAllByRole('option').map(option => option.textContent),
    ).toEqual(['Bronze (the lowest)', 'Silver', 'Gold']);
    await userEvent.click(screen.getByRole('option', { name: 'Silver' }));
    expect(dialog).toHaveTextContent(
      'must pass these checks to reach Silver or a level above it, not only the entities of this campaign',
    );
    expect(
      within(dialog).queryByText(/required later/),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Make permanent' }),
    );
    expect(api.promoteCampaign).toHaveBeenCalledWith(ended.id, {
      version: ended.version,
      levelId: 'silver',
    });
    const notice = await screen.findByRole('list', {
      name: 'Checks made permanent',
    });
    expect(notice).toHaveTextContent('required from level silver');
  });

  it('warns when the level chosen would require a check later than the scorecard does today', async () => {
    const api = fakeApi();
    api.getCampaign.mockResolvedValue(ended);
    await openPage(api, AuthorizeResult.ALLOW, [productionReadiness]);
    await userEvent.click(
      screen.getByRole('button', { name: 'Make permanent' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      await within(dialog).findByRole('button', {
        name: /Required from level/,
      }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Gold' }));
    expect(await within(dialog).findByText(/required later/)).toHaveTextContent(
      'The scorecard requires these from a lower level today, so at Gold they would be required later, not sooner: Has a runbook (now from Silver).',
    );
  });

  it("says why no level can be chosen when the scorecard's levels cannot be read, and promotes at the lowest", async () => {
    const api = fakeApi();
    api.getCampaign.mockResolvedValueOnce(ended).mockResolvedValue(promoted);
    api.promoteCampaign.mockResolvedValue(promoted);
    await openPage(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Make permanent' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/levels could not be read/),
    ).toHaveTextContent('No such scorecard');
    expect(
      within(dialog).queryByRole('button', { name: /Required from level/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Make permanent' }),
    );
    expect(api.promoteCampaign).toHaveBeenCalledWith(ended.id, {
      version: ended.version,
    });
  });

  it('keeps the dialog open with the reason when the promotion is refused', async () => {
    const api = fakeApi();
    api.getCampaign.mockResolvedValue(ended);
    api.promoteCampaign.mockRejectedValue(
      new Error(
        "Scorecards: Check 'has-runbook' of 'production-readiness' is already required at level 'silver'",
      ),
    );
    await openPage(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Make permanent' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Make permanent' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Could not make the checks permanent: Scorecards: Check 'has-runbook' of 'production-readiness' is already required at level 'silver'",
    );
    expect(
      within(dialog).getByRole('button', { name: 'Make permanent' }),
    ).toBeEnabled();
  });

  it('is not offered while the campaign runs, nor to those the policy refuses', async () => {
    const running = fakeApi();
    running.getCampaign.mockResolvedValue(makeCampaign());
    const first = await openPage(running);
    expect(
      screen.queryByRole('button', { name: 'Make permanent' }),
    ).not.toBeInTheDocument();
    first.unmount();

    const refused = fakeApi();
    refused.getCampaign.mockResolvedValue(ended);
    await openPage(refused, AuthorizeResult.DENY);
    expect(
      screen.queryByRole('button', { name: 'Make permanent' }),
    ).not.toBeInTheDocument();
  });
});
