import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignFormDialog } from './CampaignFormDialog';
import { fakeApi, fill, renderWithApis } from './__testUtils__/testUtils';
import {
  dayFromToday,
  makeCampaign,
  paymentsTeam,
  storefrontTeam,
} from './__testUtils__/campaigns';

const field = (name: RegExp | string) => screen.getByRole('textbox', { name });

async function renderForm(
  api: ReturnType<typeof fakeApi>,
  campaign?: ReturnType<typeof makeCampaign>,
) {
  const onSaved = jest.fn();
  await renderWithApis(
    <CampaignFormDialog
      open
      campaign={campaign}
      onClose={jest.fn()}
      onSaved={onSaved}
    />,
    { api },
  );
  return { onSaved };
}

describe('CampaignFormDialog', () => {
  it('names what is missing next to the fields', async () => {
    const api = fakeApi();
    await renderForm(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Launch campaign' }),
    );
    expect(field(/^Name/)).toHaveAccessibleDescription('Required');
    expect(field(/^Checks to pass/)).toHaveAccessibleDescription(
      /Too small|at least|Required/i,
    );
    expect(field('Kind')).toHaveAccessibleDescription(
      'Name at least one criterion: owner, system, kind, type, tag or a scorecard level',
    );
    expect(screen.getByLabelText(/^Deadline/)).toHaveAccessibleDescription(
      'Must be a date like 2026-12-15',
    );
    await fill(field(/^Remind owners/), ', 400');
    expect(field(/^Remind owners/)).toHaveAccessibleDescription(/365/);
    expect(api.createCampaign).not.toHaveBeenCalled();
    expect(api.previewCampaign).not.toHaveBeenCalled();
  });

  it('previews the entities selected and the capacity per team, then launches', async () => {
    const api = fakeApi();
    api.previewCampaign.mockResolvedValue({
      entities: 20,
      done: 12,
      waived: 2,
      teams: [paymentsTeam, storefrontTeam],
      entityStates: [],
    });
    api.createCampaign.mockResolvedValue(makeCampaign());
    const { onSaved } = await renderForm(api);

    await fill(field(/^Name/), 'Runbooks everywhere');
    await fill(field(/^Checks to pass/), 'production-readiness/has-runbook');
    await fill(field('Kind'), 'component');
    await fill(field('Type'), 'service');
    fireEvent.change(screen.getByLabelText(/^Deadline/), {
      target: { value: dayFromToday(30) },
    });
    await fill(field(/^Effort per entity/), '2');
    await userEvent.click(
      screen.getByRole('button', { name: 'Preview entities and capacity' }),
    );

    const preview = screen.getByRole('region', { name: 'Campaign preview' });
    await waitFor(() =>
      expect(preview).toHaveTextContent(
        '20 entities selected, 12 already done (2 by waiver), 8 to do, across 2 teams.',
      ),
    );
    expect(preview).toHaveTextContent(
      'does not fit in the debt budget of 1 of the teams',
    );
    expect(
      within(preview).getByRole('row', { name: /storefront/ }),
    ).toHaveTextContent('Infeasible');
    const request = {
      name: 'Runbooks everywhere',
      description: '',
      checks: [{ scorecardId: 'production-readiness', checkId: 'has-runbook' }],
      selection: { kind: ['component'], type: ['service'] },
      deadline: dayFromToday(30),
      effortDaysPerEntity: 2,
      reminderDaysBefore: [14, 7, 1],
    };
    expect(api.previewCampaign).toHaveBeenCalledWith(request);

    await userEvent.click(
      screen.getByRole('button', { name: 'Launch campaign' }),
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.createCampaign).toHaveBeenCalledWith(request);
  });

  it('keeps the edit when someone else changed the campaign first', async () => {
    const api = fakeApi();
    api.updateCampaign.mockRejectedValue(
      Object.assign(new Error('Conflict'), { response: { status: 409 } }),
    );
    const { onSaved } = await renderForm(api, makeCampaign());
    await userEvent.clear(field(/^Name/));
    await fill(field(/^Name/), 'A new name');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone else changed this campaign while you were editing',
    );
    expect(field(/^Name/)).toHaveValue('A new name');
    expect(api.updateCampaign).toHaveBeenCalledWith(
      makeCampaign().id,
      expect.objectContaining({ version: 3, name: 'A new name' }),
    );
    expect(onSaved).not.toHaveBeenCalled();
  });
});
