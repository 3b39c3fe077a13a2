import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { GroupOnboardingCard } from './GroupOnboardingCard';
import {
  apiError,
  FakeOnboardingApi,
  paymentsTeam,
  teamReport,
} from './__testUtils__/fakeOnboardingApi';

function renderCard(api: FakeOnboardingApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [onboardingApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
      ]}
    >
      <EntityProvider entity={paymentsTeam}>
        <GroupOnboardingCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);

describe('GroupOnboardingCard', () => {
  it('shows the team figures, who is onboarding with their progress and stalled flags, and the cohorts', async () => {
    await renderCard(new FakeOnboardingApi());
    expect(await screen.findByLabelText('Onboarding')).toHaveTextContent('2');
    expect(screen.getByLabelText('Completed')).toHaveTextContent('1');
    expect(screen.getByLabelText('Stalled')).toHaveTextContent('1');
    expect(
      screen.getByLabelText('Median time to first change'),
    ).toHaveTextContent('3.5 days');
    expect(
      screen.getByLabelText('Median time to first deploy'),
    ).toHaveTextContent('6.2 days');

    const people = screen.getByRole('table', { name: 'People onboarding' });
    const rows = within(people).getAllByRole('row').slice(1);
    // Still onboarding first, latest starter first; those who are done last.
    expect(rows.map(cells)).toEqual([
      ['guest', '3/7', '1 Oct 2026', '—', '—', 'Reset'],
      ['Jonas BergStalled', '1/6', '10 Aug 2026', '5 days', '—', 'Reset'],
      ['Amira HaddadDone', '9/9', '1 Jul 2026', '2 days', '4.5 days', 'Reset'],
    ]);
    expect(
      within(rows[1]).getByRole('progressbar', { name: 'Jonas Berg progress' }),
    ).toHaveAttribute('aria-valuenow', '17');

    const cohorts = screen.getByRole('table', { name: 'Cohorts' });
    expect(within(cohorts).getAllByRole('row').slice(1).map(cells)).toEqual([
      ['Jul 2026', '1', '2 days', '4.5 days'],
      ['Aug 2026', '1', '5 days', '—'],
      ['Oct 2026', '1', '—', '—'],
    ]);
  });

  it('says what to do when nobody in the team is onboarding', async () => {
    const api = new FakeOnboardingApi();
    api.team = teamReport({
      members: [],
      cohorts: [],
      onboarding: 0,
      completed: 0,
      stalled: 0,
    });
    await renderCard(api);
    expect(
      await screen.findByText(/Nobody in Payments has an onboarding checklist/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'People onboarding' }),
    ).not.toBeInTheDocument();
  });

  it('explains a group the onboarding service does not know yet', async () => {
    const api = new FakeOnboardingApi();
    api.team = apiError(404, 'No group group:default/payments');
    await renderCard(api);
    expect(
      await screen.findByText(/does not know group:default\/payments yet/),
    ).toBeInTheDocument();
  });

  it('shows other errors with their message', async () => {
    const api = new FakeOnboardingApi();
    api.team = new Error(
      'Request failed with 500 Internal Server Error, report query timed out',
    );
    await renderCard(api);
    expect(
      await screen.findByText(/Could not load the team's onboarding/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/report query timed out/).length,
    ).toBeGreaterThan(0);
  });

  it('lets someone allowed to reset clear a person’s progress, after confirming', async () => {
    const api = new FakeOnboardingApi();
    await renderCard(api);
    const jonas = await screen.findByRole('row', { name: /Jonas Berg/ });
    await userEvent.click(
      within(jonas).getByRole('button', {
        name: 'Reset progress of Jonas Berg',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Reset the onboarding progress of Jonas Berg?',
    });
    expect(dialog).toHaveTextContent('every checklist of theirs');

    api.failNextReset = apiError(
      403,
      'You are not allowed to reset onboarding progress',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reset progress' }),
    );
    expect(
      await within(dialog).findByText(
        'Could not reset: You are not allowed to reset onboarding progress',
      ),
    ).toBeInTheDocument();
    // The card behind the dialog (hidden from assistive technology while it is open) still shows the old progress.
    expect(
      within(
        screen.getByRole('row', { name: /Jonas Berg/, hidden: true }),
      ).getByText('1/6'),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reset progress' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('row', { name: /Jonas Berg/ })).getByText(
          '0/6',
        ),
      ).toBeInTheDocument(),
    );
    expect(api.resets).toEqual([
      { userRef: 'user:default/jonas' },
      { userRef: 'user:default/jonas' },
    ]);
  });

  it('asks nothing and resets nothing on Cancel', async () => {
    const api = new FakeOnboardingApi();
    await renderCard(api);
    const guest = await screen.findByRole('row', { name: /guest/ });
    await userEvent.click(
      within(guest).getByRole('button', { name: 'Reset progress of guest' }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.resets).toEqual([]);
  });
});
