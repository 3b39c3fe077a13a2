import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { EntityOnboardingCard } from './EntityOnboardingCard';
import {
  apiError,
  FakeOnboardingApi,
  ledger,
  paymentsApi,
} from './__testUtils__/fakeOnboardingApi';

function renderCard(api: FakeOnboardingApi, entity: Entity = paymentsApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[onboardingApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityOnboardingCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityOnboardingCard', () => {
  it('shows a loading bar until the checklist arrives', async () => {
    const api = new FakeOnboardingApi();
    api.getEntityChecklist = () => new Promise(() => {});
    await renderCard(api);
    expect(
      screen.getByText('Get started with this service'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
  });

  it('shows the caller’s checklist for the service, and completing the last step finishes it', async () => {
    const api = new FakeOnboardingApi();
    await renderCard(api);
    expect(await screen.findByText('Service basics')).toBeInTheDocument();
    expect(screen.getByLabelText('Steps done')).toHaveTextContent(
      '2 of 3 steps done',
    );
    expect(screen.getByText(/Stalled: no progress since/)).toBeInTheDocument();
    expect(
      screen.getByRole('listitem', { name: 'Ship a change to production' }),
    ).toHaveTextContent('Change abc1234 deployed to production');
    // Only the team checklist's steps are elsewhere; this card holds the entity's checklist only.
    expect(screen.queryByText('Joining Payments')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Add an alert' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Steps done')).toHaveTextContent(
        '3 of 3 steps done',
      ),
    );
    expect(
      await screen.findByText('All done. Welcome aboard!'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Stalled/)).not.toBeInTheDocument();
    expect(api.saves).toEqual([
      {
        checklistId: 'service-basics:component:default/payments-api',
        stepId: 'add-alert',
        done: true,
      },
    ]);
  });

  it('shows the checklist of a service the caller has not started, and the first tick starts it', async () => {
    const api = new FakeOnboardingApi();
    api.started = false;
    await renderCard(api);
    expect(await screen.findByLabelText('Dates')).toHaveTextContent(
      'Not started yet: ticking a step starts this checklist',
    );
    expect(screen.queryByText(/Stalled/)).not.toBeInTheDocument();
    // Looking at the card starts nothing.
    expect(api.starts).toEqual([]);
    expect(api.saves).toEqual([]);

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Add an alert' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Dates')).toHaveTextContent(/^Started /),
    );
    expect(api.saves).toEqual([
      {
        checklistId: 'service-basics:component:default/payments-api',
        stepId: 'add-alert',
        done: true,
      },
    ]);
  });

  it('puts an unticked step back and says why when saving fails', async () => {
    const api = new FakeOnboardingApi();
    api.failNextSave = apiError(
      404,
      'No step run-locally in checklist service-basics:component:default/payments-api',
    );
    await renderCard(api);
    const box = await screen.findByRole('checkbox', {
      name: 'Run the service locally',
    });
    expect(box).toBeChecked();
    await userEvent.click(box);
    expect(
      await screen.findByText(
        'Could not save “Run the service locally”: No step run-locally in checklist service-basics:component:default/payments-api. It is still marked done; try again.',
      ),
    ).toBeInTheDocument();
    expect(box).toBeChecked();
    expect(screen.getByLabelText('Steps done')).toHaveTextContent(
      '2 of 3 steps done',
    );
    // The message can be dismissed.
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByText(/Could not save/)).not.toBeInTheDocument(),
    );
  });

  it('says in one line that the service has no checklist', async () => {
    await renderCard(new FakeOnboardingApi(), ledger);
    expect(
      await screen.findByText(/No onboarding checklist for this service\./),
    ).toBeInTheDocument();
    expect(screen.queryByRole('checkbox')).not.toBeInTheDocument();
  });

  it('shows the error when the checklist cannot be loaded', async () => {
    const api = new FakeOnboardingApi();
    api.failReads = new Error(
      'Request failed with 500 Internal Server Error, catalog lookup failed',
    );
    await renderCard(api);
    expect(
      await screen.findByText(/Could not load the onboarding checklist/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/catalog lookup failed/).length).toBeGreaterThan(
      0,
    );
  });
});
