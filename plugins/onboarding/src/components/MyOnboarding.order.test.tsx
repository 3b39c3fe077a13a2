import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Checklist } from '@vitals/plugin-onboarding-common';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { MyOnboarding } from './MyOnboarding';
import {
  FakeOnboardingApi,
  serviceChecklist,
  teamChecklist,
} from './__testUtils__/fakeOnboardingApi';

const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
});

/** The org-wide checklist, already done: every engineer's first weeks. */
function engineeringChecklist(): Checklist {
  return {
    id: 'engineering-basics',
    templateId: 'engineering-basics',
    title: 'Welcome to Engineering',
    groupRef: 'group:default/engineering',
    userRef: 'user:default/guest',
    startedAt: '2026-09-28T09:00:00.000Z',
    completedAt: '2026-10-02T16:00:00.000Z',
    lastProgressAt: '2026-10-02T16:00:00.000Z',
    stalled: false,
    done: 2,
    total: 2,
    steps: [
      {
        id: 'laptop',
        title: 'Set up your laptop and accounts',
        links: [],
        kind: 'manual',
        done: true,
        completedAt: '2026-09-29T10:00:00.000Z',
      },
      {
        id: 'handbook',
        title: 'Read the engineering handbook',
        links: [],
        kind: 'manual',
        done: true,
        completedAt: '2026-10-02T16:00:00.000Z',
      },
    ],
  } as Checklist;
}

function render(api: FakeOnboardingApi, withCatalog = true) {
  const options = {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  };
  if (!withCatalog) {
    return renderInTestApp(
      <TestApiProvider apis={[[onboardingApiRef, api]]}>
        <MyOnboarding />
      </TestApiProvider>,
      options,
    );
  }
  const catalog = catalogApiMock({
    entities: [group('engineering'), group('payments', 'engineering')],
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [onboardingApiRef, api],
        [catalogApiRef, catalog],
      ]}
    >
      <MyOnboarding />
    </TestApiProvider>,
    options,
  );
}

const TITLES = ['Welcome to Engineering', 'Joining Payments', 'Service basics'];
const order = () =>
  screen
    .getAllByRole('region')
    .map(r => r.getAttribute('aria-label'))
    .filter(name => TITLES.includes(name ?? ''));

describe('My onboarding, in the order a newcomer works', () => {
  it('shows the org-wide checklist first, then the team’s, then each service’s', async () => {
    // The server's order: the service's checklist before the team's and the org's.
    await render(
      new FakeOnboardingApi([
        serviceChecklist(),
        teamChecklist(),
        engineeringChecklist(),
      ]),
    );
    await screen.findByRole('region', { name: 'Joining Payments' });
    await waitFor(() => expect(order()).toEqual(TITLES));
  });

  it('still puts team checklists before service ones without the catalog', async () => {
    await render(
      new FakeOnboardingApi([serviceChecklist(), teamChecklist()]),
      false,
    );
    await screen.findByRole('region', { name: 'Joining Payments' });
    expect(order()).toEqual(['Joining Payments', 'Service basics']);
  });

  it('collapses a checklist that is done to one line, and shows its steps on demand', async () => {
    await render(
      new FakeOnboardingApi([teamChecklist(), engineeringChecklist()]),
    );
    const done = await screen.findByRole('region', {
      name: 'Welcome to Engineering',
    });
    expect(within(done).getByLabelText('Done')).toHaveTextContent(
      'All 2 steps done · completed 2 Oct 2026',
    );
    expect(
      within(done).queryByRole('checkbox', {
        name: 'Set up your laptop and accounts',
      }),
    ).toBeNull();
    // The one still in progress is open.
    expect(
      within(
        screen.getByRole('region', { name: 'Joining Payments' }),
      ).getByRole('checkbox', { name: 'Read the on-call runbook' }),
    ).toBeInTheDocument();

    const show = within(done).getByRole('button', { name: 'Show steps' });
    expect(show).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(show);
    expect(
      within(done).getByRole('checkbox', {
        name: 'Set up your laptop and accounts',
      }),
    ).toBeChecked();
    expect(within(done).getByText('All done. Welcome aboard!')).toBeVisible();
    const hide = within(done).getByRole('button', { name: 'Hide steps' });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(hide);
    expect(
      within(done).queryByRole('checkbox', {
        name: 'Set up your laptop and accounts',
      }),
    ).toBeNull();
  });

  it('keeps a checklist open when its last step is ticked on the page', async () => {
    const team = teamChecklist();
    team.steps = team.steps.map(s =>
      s.id === 'read-runbook' ? s : { ...s, done: true },
    );
    team.done = team.total - 1;
    await render(new FakeOnboardingApi([team]));
    const region = await screen.findByRole('region', {
      name: 'Joining Payments',
    });
    await userEvent.click(
      within(region).getByRole('checkbox', {
        name: 'Read the on-call runbook',
      }),
    );
    await waitFor(() =>
      expect(within(region).getByLabelText('Steps done')).toHaveTextContent(
        '4 of 4 steps done',
      ),
    );
    expect(
      within(region).getByRole('checkbox', {
        name: 'Read the on-call runbook',
      }),
    ).toBeChecked();
    expect(
      within(region).getByRole('button', { name: 'Hide steps' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });
});
