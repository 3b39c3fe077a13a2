import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignsPage } from './CampaignsPage';
import { burnUpRows } from './BurnUpChart';
import { fakeApi, renderWithApis } from './__testUtils__/testUtils';
import {
  dayFromToday,
  makeCampaign,
  serveEntityPages,
} from './__testUtils__/campaigns';

describe('CampaignsPage', () => {
  it('lists the running campaigns with their deadline and how many are done', async () => {
    const api = fakeApi();
    const campaign = makeCampaign();
    api.listCampaigns.mockResolvedValue({
      campaigns: [campaign],
      totalCount: 1,
    });
    await renderWithApis(<CampaignsPage />, { api });
    const link = await screen.findByRole('link', { name: campaign.name });
    expect(link).toHaveAttribute('href', `/${campaign.id}`);
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('due in 12 days');
    expect(row).toHaveTextContent('12 of 20 (2 waived)');
    expect(row).toHaveTextContent('kind component, type service');
    expect(api.listCampaigns).toHaveBeenCalledWith({ status: ['running'] });
    expect(
      screen.getByRole('button', { name: 'New campaign' }),
    ).toBeInTheDocument();
  });

  it('says what to do when there are none', async () => {
    const api = fakeApi();
    await renderWithApis(<CampaignsPage />, { api });
    expect(await screen.findByText('No running campaigns')).toBeInTheDocument();
    expect(screen.getByText(/preview who it asks/)).toBeInTheDocument();
  });

  it("shows a campaign's ask, deadline, burn-up, capacity per team and the entities not done or waived", async () => {
    const api = fakeApi();
    const campaign = makeCampaign();
    api.getCampaign.mockResolvedValue({ ...campaign, entityStates: [] });
    api.listCampaignEntities.mockImplementation(
      serveEntityPages(campaign.entityStates),
    );
    api.getCampaignEvents.mockResolvedValue([
      {
        campaignId: campaign.id,
        action: 'reminded',
        at: '2026-11-20T00:00:00.000Z',
        actor: 'plugin:goals',
        details: {},
      },
    ]);
    await renderWithApis(<CampaignsPage />, {
      api,
      routeEntries: [`/${campaign.id}`],
    });

    expect(
      await screen.findByRole('heading', { name: campaign.name }),
    ).toBeInTheDocument();
    // The campaign without its entity states: the tables page through them.
    expect(api.getCampaign).toHaveBeenCalledWith(campaign.id, {
      entityLimit: 0,
    });
    const checks = screen.getByRole('list', { name: 'Checks asked' });
    expect(checks).toHaveTextContent('production-readiness / has-techdocs');
    expect(checks).toHaveTextContent('production-readiness / has-runbook');
    expect(
      screen.getByText(`${dayFromToday(12)} (12 days left)`),
    ).toBeInTheDocument();
    expect(screen.getByText(/12 of 20 done \(2 waived\)/)).toBeInTheDocument();
    expect(
      screen.getByRole('figure', { name: 'Burn-up of the whole campaign' }),
    ).toBeInTheDocument();

    const teams = screen.getByRole('table', { name: 'Teams' });
    const storefront = within(teams).getByRole('row', { name: /storefront/ });
    expect(storefront).toHaveTextContent('12 days');
    expect(storefront).toHaveTextContent('4 days of 10 days');
    expect(storefront).toHaveTextContent('120%');
    expect(storefront).toHaveTextContent('Infeasible');
    expect(
      within(teams).getByRole('row', { name: /payments/ }),
    ).toHaveTextContent('Fits');

    // 20 entities, 12 done: 8 not done, counted by the campaign; the table shows the rows the server sends.
    const notDone = screen
      .getByText('Not done (8)')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    expect(
      await within(notDone).findByText('checkout-web'),
    ).toBeInTheDocument();
    expect(within(notDone).getByText('storefront')).toBeInTheDocument();
    expect(
      within(notDone).getByText('production-readiness/has-runbook'),
    ).toBeInTheDocument();
    expect(within(notDone).queryByText('payments-api')).toBeNull();

    const waived = screen
      .getByText('Waived (2), counted as done')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    expect(
      await within(waived).findByText('legacy-billing'),
    ).toBeInTheDocument();
    expect(
      within(waived).getByText('production-readiness/has-techdocs'),
    ).toBeInTheDocument();

    expect(await screen.findByText('Reminded the owners')).toBeInTheDocument();
    // The history is read once per visit.
    expect(api.getCampaignEvents).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Edit' })).toBeInTheDocument();

    // The per-team burn-up.
    await userEvent.click(screen.getByRole('button', { name: /Burn-up of/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'payments' }),
    );
    expect(
      screen.getByRole('figure', { name: 'Burn-up of payments' }),
    ).toBeInTheDocument();
  });

  it('pages through the entities not done, and searches them on the server', async () => {
    const api = fakeApi();
    const open = Array.from({ length: 45 }, (_, i) => ({
      entityRef: `component:default/svc-${String(i + 1).padStart(2, '0')}`,
      ownerRef: 'group:default/payments',
      state: 'open' as const,
      failingChecks: ['production-readiness/has-runbook'],
      waivedChecks: [],
    }));
    const campaign = makeCampaign({
      entities: 60,
      done: 15,
      waived: 0,
      entityStates: [],
    });
    api.getCampaign.mockResolvedValue(campaign);
    api.listCampaignEntities.mockImplementation(serveEntityPages(open));
    await renderWithApis(<CampaignsPage />, {
      api,
      routeEntries: [`/${campaign.id}`],
    });

    const notDone = (await screen.findByText('Not done (45)')).closest(
      'div[class*="MuiPaper"]',
    ) as HTMLElement;
    expect(await within(notDone).findByText('svc-01')).toBeInTheDocument();
    expect(within(notDone).getByText('svc-20')).toBeInTheDocument();
    expect(within(notDone).queryByText('svc-21')).toBeNull();
    expect(api.listCampaignEntities).toHaveBeenCalledWith(campaign.id, {
      state: ['open'],
      search: undefined,
      limit: 20,
      offset: 0,
    });
    // No entity is waived: that table asks for nothing.
    expect(
      screen.getByText('No entity is done by a waiver.'),
    ).toBeInTheDocument();
    expect(api.listCampaignEntities).toHaveBeenCalledTimes(1);

    await userEvent.click(
      within(notDone).getByRole('button', { name: /next page/i }),
    );
    expect(await within(notDone).findByText('svc-21')).toBeInTheDocument();
    expect(within(notDone).queryByText('svc-01')).toBeNull();
    expect(api.listCampaignEntities).toHaveBeenLastCalledWith(campaign.id, {
      state: ['open'],
      search: undefined,
      limit: 20,
      offset: 20,
    });

    await userEvent.type(within(notDone).getByRole('textbox'), 'svc-4');
    expect(await within(notDone).findByText('svc-45')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listCampaignEntities).toHaveBeenLastCalledWith(campaign.id, {
        state: ['open'],
        search: 'svc-4',
        limit: 20,
        offset: 0,
      }),
    );
    expect(within(notDone).queryByText('svc-21')).toBeNull();
  });

  it('draws one burn-up per team, waived stacked on passing', () => {
    const rows = burnUpRows(makeCampaign().burnUp, null);
    expect(rows.map(r => [r.passed, r.waived, r.entities])).toEqual([
      [8, 2, 20],
      [9, 2, 20],
      [10, 2, 20],
    ]);
    expect(burnUpRows(makeCampaign().burnUp, 'group:default/payments')).toEqual(
      [{ day: dayFromToday(0), passed: 5, waived: 1, done: 6, entities: 8 }],
    );
  });

  it('says so when a campaign does not exist', async () => {
    const api = fakeApi();
    api.getCampaign.mockRejectedValue(
      Object.assign(new Error('not found'), { response: { status: 404 } }),
    );
    await renderWithApis(<CampaignsPage />, { api, routeEntries: ['/nope'] });
    expect(await screen.findByText('No such campaign')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getCampaign).toHaveBeenCalledWith('nope', { entityLimit: 0 }),
    );
  });
});
