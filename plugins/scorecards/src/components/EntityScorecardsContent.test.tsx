import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityScorecardsContent } from './EntityScorecardsContent';
import { bronzeResult, fakeApi, paymentsApi, renderWith } from './__testUtils__/testUtils';

const withResults = () =>
  fakeApi({
    getEntityResults: jest
      .fn()
      .mockResolvedValue({ entityRef: 'component:default/payments-api', results: [bronzeResult()] }),
  });

describe('EntityScorecardsContent', () => {
  it('lists every check with its value, outcome, score and waiver', async () => {
    await renderWith(<EntityScorecardsContent />, { api: withResults(), entity: paymentsApi });

    const runbook = await screen.findByRole('row', { name: /Has a runbook/ });
    expect(runbook).toHaveTextContent(/no.*Failed.*false is not == true.*0/);
    const debt = screen.getByRole('row', { name: /At most one high-impact debt item open/ });
    expect(debt).toHaveTextContent(/3.*Waived.*Migrating the ledger this quarter/);
    expect(screen.getByRole('row', { name: /Has an owner/ })).toHaveTextContent(/yes.*Passed.*100/);
    expect(screen.getByText('No history yet.')).toBeInTheDocument();
  });

  it('lets an owner waive a failing check with a reason and an expiry', async () => {
    const api = withResults();
    api.createWaiver.mockResolvedValue({} as never);
    await renderWith(<EntityScorecardsContent />, { api, entity: paymentsApi });

    await userEvent.click(await screen.findByRole('button', { name: 'Waive Has a runbook' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Runbook lives in the vendor portal');
    const expiry = within(dialog).getByLabelText(/Expires on/);
    await userEvent.clear(expiry);
    await userEvent.type(expiry, '2027-02-01');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add waiver' }));

    await waitFor(() =>
      expect(api.createWaiver).toHaveBeenCalledWith({
        entityRef: 'component:default/payments-api',
        scorecardId: 'production-readiness',
        checkId: 'has-runbook',
        reason: 'Runbook lives in the vendor portal',
        expiresAt: '2027-02-01T23:59:59.000Z',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.getEntityResults).toHaveBeenCalledTimes(2);
  });

  it('shows the backend’s reason when a waiver is refused', async () => {
    const api = withResults();
    api.createWaiver.mockRejectedValue(
      Object.assign(new Error('409'), { body: { error: { message: 'The check is already waived' } } }),
    );
    await renderWith(<EntityScorecardsContent />, { api, entity: paymentsApi });
    await userEvent.click(await screen.findByRole('button', { name: 'Waive Has a runbook' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Because');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add waiver' }));
    expect(await within(dialog).findByText('Could not add the waiver: The check is already waived')).toBeInTheDocument();
  });

  it('asks to press Refresh before the first evaluation', async () => {
    await renderWith(<EntityScorecardsContent />, { api: fakeApi(), entity: paymentsApi });
    expect(await screen.findByText(/Not evaluated yet — press Refresh/)).toBeInTheDocument();
  });
});
