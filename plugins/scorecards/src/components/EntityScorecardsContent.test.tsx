import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityScorecardsContent } from './EntityScorecardsContent';
import { formatDate } from '@vitals/react';
import {
  bronzeResult,
  check,
  debtWaiver,
  fakeApi,
  paymentsApi,
  renderWith,
} from './__testUtils__/testUtils';

const DEBT_CHECK = 'At most one high-impact debt item open';
const debtRow = () => screen.getByRole('row', { name: new RegExp(DEBT_CHECK) });

/** bronzeResult after the debt waiver was withdrawn and the entity re-evaluated. */
const withoutWaiver = () =>
  bronzeResult({
    checks: bronzeResult().checks.map(c =>
      c.checkId === 'few-severe-debt-items'
        ? check(c.checkId, {
            value: 3,
            passed: false,
            score: 0,
            message: '3 is not <= 1',
          })
        : c,
    ),
  });

const withResults = () =>
  fakeApi({
    getEntityResults: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      results: [bronzeResult()],
    }),
  });

describe('EntityScorecardsContent', () => {
  it('lists every check with its value, outcome, score and waiver', async () => {
    await renderWith(<EntityScorecardsContent />, {
      api: withResults(),
      entity: paymentsApi,
    });

    const runbook = await screen.findByRole('row', { name: /Has a runbook/ });
    expect(runbook).toHaveTextContent(/no.*Failed.*false is not == true.*0/);
    const debt = screen.getByRole('row', {
      name: /At most one high-impact debt item open/,
    });
    expect(debt).toHaveTextContent(
      /3.*Waived.*Migrating the ledger this quarter/,
    );
    expect(screen.getByRole('row', { name: /Has an owner/ })).toHaveTextContent(
      /yes.*Passed.*100/,
    );
    expect(screen.getByText('No history yet.')).toBeInTheDocument();
  });

  it('marks a check whose provider failed as stale, with the provider and since when, above the table too', async () => {
    const stale = bronzeResult({
      checks: bronzeResult().checks.map(c =>
        c.checkId === 'few-severe-debt-items'
          ? {
              ...c,
              waiver: null,
              stale: {
                since: '2026-11-25T08:00:00.000Z',
                providerId: 'techDebt',
              },
            }
          : c,
      ),
    });
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue({
        entityRef: 'component:default/payments-api',
        results: [stale],
      }),
      listWaivers: jest.fn().mockResolvedValue([]),
    });
    await renderWith(<EntityScorecardsContent />, { api, entity: paymentsApi });

    const row = await screen.findByRole('row', {
      name: new RegExp(DEBT_CHECK),
    });
    expect(row).toHaveTextContent(
      /3.*Failed.*3 is not <= 1.*Last known outcome, stale since .*2026.*: provider techDebt failed/,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      /Some checks show their last known outcome: stale since .*: provider techDebt failed/,
    );
    expect(
      screen.getByRole('row', { name: /Has a runbook/ }),
    ).not.toHaveTextContent(/stale/);
  });

  it('lets an owner waive a failing check with a reason and an expiry', async () => {
    const api = withResults();
    api.createWaiver.mockResolvedValue({} as never);
    await renderWith(<EntityScorecardsContent />, { api, entity: paymentsApi });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Waive Has a runbook' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'Runbook lives in the vendor portal',
    );
    const expiry = within(dialog).getByLabelText(/Expires on/);
    await userEvent.clear(expiry);
    await userEvent.type(expiry, '2027-02-01');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add waiver' }),
    );

    await waitFor(() =>
      expect(api.createWaiver).toHaveBeenCalledWith({
        entityRef: 'component:default/payments-api',
        scorecardId: 'production-readiness',
        checkId: 'has-runbook',
        reason: 'Runbook lives in the vendor portal',
        expiresAt: '2027-02-01T23:59:59.000Z',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.getEntityResults).toHaveBeenCalledTimes(2);
  });

  it('shows the backend’s reason when a waiver is refused', async () => {
    const api = withResults();
    api.createWaiver.mockRejectedValue(
      Object.assign(new Error('409'), {
        body: { error: { message: 'The check is already waived' } },
      }),
    );
    await renderWith(<EntityScorecardsContent />, { api, entity: paymentsApi });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Waive Has a runbook' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Because');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add waiver' }),
    );
    expect(
      await within(dialog).findByText(
        'Could not add the waiver: The check is already waived',
      ),
    ).toBeInTheDocument();
  });

  it('asks to press Refresh before the first evaluation', async () => {
    await renderWith(<EntityScorecardsContent />, {
      api: fakeApi(),
      entity: paymentsApi,
    });
    expect(
      await screen.findByText(/Not evaluated yet — press Refresh/),
    ).toBeInTheDocument();
  });
  describe('waivers in force', () => {
    it('lets an owner change the reason and expiry of a waiver, and shows the change', async () => {
      const api = withResults();
      const edited = debtWaiver({
        reason: 'Ledger migration slipped to Q2',
        expiresAt: '2027-03-15T23:59:59.000Z',
        version: 4,
      });
      api.updateWaiver.mockResolvedValue(edited);
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });

      await userEvent.click(
        await screen.findByRole('button', {
          name: `Edit the waiver of ${DEBT_CHECK}`,
        }),
      );
      const dialog = await screen.findByRole('dialog', {
        name: `Edit the waiver of “${DEBT_CHECK}”`,
      });
      const reason = within(dialog).getByLabelText(/Reason/);
      expect(reason).toHaveValue('Migrating the ledger this quarter');
      expect(within(dialog).getByLabelText(/Expires on/)).toHaveValue(
        '2027-01-31',
      );
      // Nothing changed yet: nothing to save.
      expect(
        within(dialog).getByRole('button', { name: 'Save' }),
      ).toBeDisabled();

      await userEvent.clear(reason);
      await userEvent.type(reason, 'Ledger migration slipped to Q2');
      const expiry = within(dialog).getByLabelText(/Expires on/);
      await userEvent.clear(expiry);
      await userEvent.type(expiry, '2027-03-15');
      api.listWaivers.mockResolvedValue([edited]);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );

      await waitFor(() =>
        expect(api.updateWaiver).toHaveBeenCalledWith('w1', {
          reason: 'Ledger migration slipped to Q2',
          expiresAt: '2027-03-15T23:59:59.000Z',
          version: 3,
        }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      await waitFor(() =>
        expect(debtRow()).toHaveTextContent('Ledger migration slipped to Q2'),
      );
      expect(debtRow()).toHaveTextContent(
        `Until ${formatDate('2027-03-15T23:59:59.000Z')}`,
      );
      expect(debtRow()).toHaveTextContent('Waived');
    });

    it('sends only what changed', async () => {
      const api = withResults();
      api.updateWaiver.mockResolvedValue(
        debtWaiver({ reason: 'Shorter', version: 4 }),
      );
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });
      await userEvent.click(
        await screen.findByRole('button', {
          name: `Edit the waiver of ${DEBT_CHECK}`,
        }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.clear(within(dialog).getByLabelText(/Reason/));
      await userEvent.type(within(dialog).getByLabelText(/Reason/), 'Shorter');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );
      await waitFor(() =>
        expect(api.updateWaiver).toHaveBeenCalledWith('w1', {
          reason: 'Shorter',
          version: 3,
        }),
      );
    });

    it('keeps the dialog open with the backend’s reason when an edit is refused', async () => {
      const api = withResults();
      api.updateWaiver.mockRejectedValue(
        Object.assign(new Error('409'), {
          body: {
            error: {
              message:
                'The waiver was changed by someone else; reload and try again',
            },
          },
        }),
      );
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });
      await userEvent.click(
        await screen.findByRole('button', {
          name: `Edit the waiver of ${DEBT_CHECK}`,
        }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.type(
        within(dialog).getByLabelText(/Reason/),
        ' and the audit',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Save' }),
      );

      expect(
        await within(dialog).findByText(
          'Could not save the waiver: The waiver was changed by someone else; reload and try again',
        ),
      ).toBeInTheDocument();
      expect(
        within(dialog).getByRole('button', { name: 'Save' }),
      ).toBeEnabled();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      expect(debtRow()).toHaveTextContent('Migrating the ledger this quarter');
    });

    it('withdraws a waiver after confirmation; the check then fails and can be waived again', async () => {
      const api = withResults();
      api.deleteWaiver.mockResolvedValue();
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });

      // Cancelling changes nothing.
      await userEvent.click(
        await screen.findByRole('button', {
          name: `Withdraw the waiver of ${DEBT_CHECK}`,
        }),
      );
      let dialog = await screen.findByRole('dialog', {
        name: `Withdraw the waiver of “${DEBT_CHECK}”?`,
      });
      expect(dialog).toHaveTextContent('Migrating the ledger this quarter');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(api.deleteWaiver).not.toHaveBeenCalled();

      await userEvent.click(
        screen.getByRole('button', {
          name: `Withdraw the waiver of ${DEBT_CHECK}`,
        }),
      );
      dialog = await screen.findByRole('dialog');
      api.getEntityResults.mockResolvedValue({
        entityRef: 'component:default/payments-api',
        results: [withoutWaiver()],
      });
      api.listWaivers.mockResolvedValue([]);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Withdraw waiver' }),
      );

      await waitFor(() =>
        expect(api.deleteWaiver).toHaveBeenCalledWith('w1', 3),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      await waitFor(() =>
        expect(debtRow()).toHaveTextContent(/Failed.*3 is not <= 1/),
      );
      expect(debtRow()).not.toHaveTextContent('Waived');
      expect(debtRow()).not.toHaveTextContent(
        'Migrating the ledger this quarter',
      );
      expect(
        screen.getByRole('button', { name: `Waive ${DEBT_CHECK}` }),
      ).toBeInTheDocument();
    });

    it('says why a waiver could not be withdrawn and keeps showing it', async () => {
      const api = withResults();
      api.deleteWaiver.mockRejectedValue(
        Object.assign(new Error('403'), {
          body: {
            error: {
              message:
                'You may not withdraw the waivers of component:default/payments-api',
            },
          },
        }),
      );
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });
      await userEvent.click(
        await screen.findByRole('button', {
          name: `Withdraw the waiver of ${DEBT_CHECK}`,
        }),
      );
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Withdraw waiver' }),
      );

      expect(
        await within(dialog).findByText(
          'Could not withdraw the waiver: You may not withdraw the waivers of component:default/payments-api',
        ),
      ).toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      );
      expect(debtRow()).toHaveTextContent(
        /Waived.*Migrating the ledger this quarter/,
      );
    });

    it('does not show a waiver withdrawn since the last evaluation as in force', async () => {
      // The stored result still carries the waiver (say the re-evaluation after withdrawing failed); it is not in force.
      const api = withResults();
      api.listWaivers.mockResolvedValue([]);
      await renderWith(<EntityScorecardsContent />, {
        api,
        entity: paymentsApi,
      });

      await screen.findByRole('row', { name: /Has a runbook/ });
      expect(debtRow()).toHaveTextContent(/Failed.*3 is not <= 1/);
      expect(debtRow()).not.toHaveTextContent(
        'Migrating the ledger this quarter',
      );
      expect(
        screen.queryByRole('button', {
          name: `Withdraw the waiver of ${DEBT_CHECK}`,
        }),
      ).not.toBeInTheDocument();
      expect(api.listWaivers).toHaveBeenCalledWith({
        entityRef: 'component:default/payments-api',
      });
    });
  });
});
