import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityScorecardsCard } from './EntityScorecardsCard';
import {
  bronzeResult,
  check,
  fakeApi,
  paymentsApi,
  paymentsTeam,
  renderWith,
} from './__testUtils__/testUtils';

const results = (...r: ReturnType<typeof bronzeResult>[]) => ({
  entityRef: 'component:default/payments-api',
  results: r,
});

describe('EntityScorecardsCard', () => {
  it('shows the level, the score and the failing checks with their fix text for the next level', async () => {
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue(results(bronzeResult())),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    expect(
      await screen.findByLabelText('Production readiness level: Bronze'),
    ).toHaveTextContent('Bronze');
    expect(
      screen.getByLabelText('Production readiness score'),
    ).toHaveTextContent('62.5 / 100');
    expect(screen.getByText('To reach Silver:')).toBeInTheDocument();
    expect(screen.getByText('Has a runbook')).toBeInTheDocument();
    expect(screen.getByText('type: runbook')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Runbook guide/ })).toHaveAttribute(
      'href',
      'https://example.com/runbooks',
    );
    // Gold's check is not what stands between Bronze and Silver.
    expect(screen.queryByText('Has TechDocs')).not.toBeInTheDocument();
    expect(screen.getByText(/Last evaluated/)).toBeInTheDocument();
  });

  it('shows a waived check with its reason and expiry instead of asking to fix it', async () => {
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue(results(bronzeResult())),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    const waived = await screen.findByText(
      /At most one high-impact debt item open: waived until/,
    );
    expect(waived).toHaveTextContent('Migrating the ledger this quarter');
    expect(waived).toHaveTextContent(/2027/);
    expect(
      screen.queryByText('Pay down the open items with impact 4 or 5.'),
    ).not.toBeInTheDocument();
  });

  it('lists a check whose waiver was withdrawn since the last evaluation as a failing one', async () => {
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue(results(bronzeResult())),
      listWaivers: jest.fn().mockResolvedValue([]),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    expect(
      await screen.findByText('Pay down the open items with impact 4 or 5.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/waived until/)).not.toBeInTheDocument();
  });

  it('says "Below Bronze" and lists the bronze checks when the lowest level is not reached', async () => {
    const below = bronzeResult({
      levelId: null,
      levelIndex: -1,
      score: 25,
      checks: [
        check('has-owner', {
          value: false,
          passed: false,
          score: 0,
          message: 'false is not == true',
        }),
      ],
    });
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue(results(below)),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    expect(
      await screen.findByLabelText('Production readiness level: Below Bronze'),
    ).toBeInTheDocument();
    expect(screen.getByText('To reach Bronze:')).toBeInTheDocument();
    expect(screen.getByText('Has an owner')).toBeInTheDocument();
  });

  it('says which checks show a last known outcome because their fact provider failed, and since when', async () => {
    const stale = bronzeResult({
      checks: bronzeResult().checks.map(c =>
        c.checkId === 'has-runbook'
          ? {
              ...c,
              stale: {
                since: '2026-11-25T08:00:00.000Z',
                providerId: 'catalog',
              },
            }
          : c,
      ),
    });
    const api = fakeApi({
      getEntityResults: jest.fn().mockResolvedValue(results(stale)),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    const alert = await screen.findByText(
      /Some checks show their last known outcome/,
    );
    expect(alert).toHaveTextContent(
      /stale since .*2026.*: provider catalog failed/,
    );
    expect(
      screen.getByText(
        /— last known outcome, stale since .*: provider catalog failed/,
      ),
    ).toBeInTheDocument();
  });

  it('asks to press Refresh when a scorecard applies but the entity was not evaluated yet', async () => {
    await renderWith(<EntityScorecardsCard />, {
      api: fakeApi(),
      entity: paymentsApi,
    });
    expect(
      await screen.findByText(/Not evaluated yet — press Refresh/),
    ).toBeInTheDocument();
  });

  it('says so when no scorecard applies to the entity', async () => {
    await renderWith(<EntityScorecardsCard />, {
      api: fakeApi(),
      entity: paymentsTeam,
    });
    expect(
      await screen.findByText(/No scorecard applies to this entity/),
    ).toBeInTheDocument();
  });

  it('evaluates the entity on Refresh and shows the new level', async () => {
    const getEntityResults = jest
      .fn()
      .mockResolvedValueOnce(results())
      .mockResolvedValueOnce(
        results(bronzeResult({ levelId: 'silver', levelIndex: 1 })),
      );
    const api = fakeApi({
      getEntityResults,
      refreshEntity: jest.fn().mockResolvedValue(results()),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh' }),
    );
    expect(
      await screen.findByLabelText('Production readiness level: Silver'),
    ).toBeInTheDocument();
    expect(api.refreshEntity).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(getEntityResults).toHaveBeenCalledTimes(2);
  });

  it('shows why a refresh failed', async () => {
    const error = Object.assign(new Error('Request failed with 404'), {
      body: {
        error: {
          message: 'No entity component:default/payments-api in the catalog',
        },
      },
    });
    const api = fakeApi({ refreshEntity: jest.fn().mockRejectedValue(error) });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Refresh' }),
    );
    expect(
      await screen.findByText(
        'Refresh failed: No entity component:default/payments-api in the catalog',
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the results cannot be loaded', async () => {
    const api = fakeApi({
      getEntityResults: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderWith(<EntityScorecardsCard />, { api, entity: paymentsApi });
    expect(
      await screen.findByText(/Could not load scorecards/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(document.body).queryByText(/Not evaluated yet/),
      ).not.toBeInTheDocument(),
    );
  });
});
