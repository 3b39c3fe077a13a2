import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { OnboardingPage } from './OnboardingPage';
import { apiError, FakeOnboardingApi } from './__testUtils__/fakeOnboardingApi';

function render(api: FakeOnboardingApi, path = '/onboarding') {
  return renderInTestApp(
    <TestApiProvider apis={[[onboardingApiRef, api]]}>
      <Routes>
        <Route path="/onboarding/*" element={<OnboardingPage />} />
        <Route path="/docs/*" element={<p>The TechDocs page</p>} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const checklist = (title: string) =>
  screen.findByRole('region', { name: title });

describe('My onboarding', () => {
  it('shows a loading bar while the checklists load', async () => {
    const api = new FakeOnboardingApi();
    api.startMyOnboarding = () => new Promise(() => {});
    await render(api);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
  });

  it('says why the checklists could not be loaded, and loads them on "Try again"', async () => {
    const api = new FakeOnboardingApi();
    api.failReads = new Error(
      'Request failed with 503 Service Unavailable, the onboarding database is not reachable',
    );
    await render(api);
    expect(
      await screen.findByText(/Could not load your onboarding checklists/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/the onboarding database is not reachable/).length,
    ).toBeGreaterThan(0);

    api.failReads = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await checklist('Joining Payments')).toBeInTheDocument();
  });

  it('starts the signed-in person’s own checklists on opening: their own action', async () => {
    const api = new FakeOnboardingApi();
    api.started = false;
    await render(api);
    expect(await checklist('Joining Payments')).toBeInTheDocument();
    expect(api.starts).toEqual([{}]);
    expect(api.started).toBe(true);
  });

  it('explains where checklists come from when the user has none', async () => {
    await render(new FakeOnboardingApi([]));
    expect(
      await screen.findByText('No onboarding checklist for you'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Checklists come from your teams and the services they own/,
      ),
    ).toHaveTextContent('list the files under onboarding.templates');
    expect(
      screen.getByRole('button', { name: 'See the templates' }),
    ).toHaveAttribute('href', '/onboarding/templates');
  });

  it('shows each checklist with its progress, dates, stalled warning and steps', async () => {
    await render(new FakeOnboardingApi());
    const team = await checklist('Joining Payments');
    expect(screen.getByLabelText('Overall progress')).toHaveTextContent(
      '2 checklists: 3 of 7 steps done.',
    );
    expect(within(team).getByLabelText('Steps done')).toHaveTextContent(
      '1 of 4 steps done',
    );
    expect(
      within(team).getByRole('progressbar', {
        name: 'Joining Payments progress',
      }),
    ).toHaveAttribute('aria-valuenow', '25');
    expect(within(team).getByLabelText('Dates')).toHaveTextContent(
      'Started 1 Oct 2026 · last progress 3 Oct 2026',
    );
    expect(within(team).queryByText(/Stalled/)).not.toBeInTheDocument();
    // The step's markdown description is rendered, not shown as source.
    expect(
      await within(team).findByText('before', { selector: 'strong' }),
    ).toBeInTheDocument();
    expect(within(team).getByRole('link', { name: /Runbook/ })).toHaveAttribute(
      'href',
      'https://runbooks.example.com/payments',
    );

    const service = await checklist('Service basics');
    expect(within(service).getByLabelText('Steps done')).toHaveTextContent(
      '2 of 3 steps done',
    );
    expect(
      within(service).getByText(/Stalled: no progress since 2 Sept 2026/),
    ).toBeInTheDocument();
    expect(
      within(service).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
  });

  it('shows automatic steps as states that cannot be clicked, with what completes them or the evidence', async () => {
    await render(new FakeOnboardingApi());
    const team = await checklist('Joining Payments');

    const pending = within(team).getByRole('listitem', {
      name: 'Merge your first change',
    });
    expect(within(pending).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(pending).getByRole('img', {
        name: 'Not done yet, completes automatically',
      }),
    ).toBeInTheDocument();
    expect(within(pending).getByLabelText('State')).toHaveTextContent(
      'Not done yet. Completes when a change you authored is merged in any service your team owns',
    );

    const done = within(team).getByRole('listitem', {
      name: 'Join the Payments group',
    });
    expect(within(done).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(
      within(done).getByRole('img', { name: 'Done automatically' }),
    ).toBeInTheDocument();
    expect(within(done).getByLabelText('State')).toHaveTextContent(
      'The catalog lists you as a member of group:default/payments · completed 3 Oct 2026',
    );

    const service = await checklist('Service basics');
    expect(
      within(service).getByRole('listitem', {
        name: 'Ship a change to production',
      }),
    ).toHaveTextContent(
      'Change abc1234 deployed to production in component:default/payments-api on 5 Oct 2026 · completed 5 Oct 2026',
    );
  });

  it('ticks a manual step at once, saves it, and shows it ticked after a reload', async () => {
    const api = new FakeOnboardingApi();
    const first = await render(api);
    const team = await checklist('Joining Payments');
    const box = within(team).getByRole('checkbox', {
      name: 'Read the on-call runbook',
    });
    expect(box).not.toBeChecked();

    await userEvent.click(box);
    expect(box).toBeChecked();
    expect(within(team).getByLabelText('Steps done')).toHaveTextContent(
      '2 of 4 steps done',
    );
    await waitFor(() =>
      expect(
        within(team).getByRole('listitem', {
          name: 'Read the on-call runbook',
        }),
      ).toHaveTextContent('Done on 20 Nov 2026'),
    );
    expect(api.saves).toEqual([
      { checklistId: 'payments-team', stepId: 'read-runbook', done: true },
    ]);
    expect(screen.getByLabelText('Overall progress')).toHaveTextContent(
      '4 of 7 steps done',
    );

    first.unmount();
    await render(api);
    const again = await checklist('Joining Payments');
    expect(
      within(again).getByRole('checkbox', { name: 'Read the on-call runbook' }),
    ).toBeChecked();
    expect(within(again).getByLabelText('Steps done')).toHaveTextContent(
      '2 of 4 steps done',
    );

    // And unticking works the same way.
    await userEvent.click(
      within(again).getByRole('checkbox', { name: 'Read the on-call runbook' }),
    );
    await waitFor(() => expect(api.checklists[0].steps[0].done).toBe(false));
    expect(within(again).getByLabelText('Steps done')).toHaveTextContent(
      '1 of 4 steps done',
    );
  });

  it('rolls a tick back and says why when the save fails', async () => {
    const api = new FakeOnboardingApi();
    let release!: () => void;
    api.saveGate = new Promise(resolve => {
      release = resolve;
    });
    api.failNextSave = apiError(500, 'the onboarding database is read-only');
    await render(api);
    const team = await checklist('Joining Payments');
    const box = within(team).getByRole('checkbox', {
      name: 'Read the on-call runbook',
    });

    await userEvent.click(box);
    // Optimistic: ticked while the save is in flight, and not clickable again until it answers.
    expect(box).toBeChecked();
    expect(box).toBeDisabled();
    expect(within(team).getByLabelText('Steps done')).toHaveTextContent(
      '2 of 4 steps done',
    );

    release();
    expect(
      await within(team).findByText(
        'Could not save “Read the on-call runbook”: the onboarding database is read-only. It is still not done; try again.',
      ),
    ).toBeInTheDocument();
    expect(box).not.toBeChecked();
    expect(box).toBeEnabled();
    expect(within(team).getByLabelText('Steps done')).toHaveTextContent(
      '1 of 4 steps done',
    );
    expect(api.checklists[0].steps[0].done).toBe(false);

    // Trying again succeeds and clears the message.
    await userEvent.click(box);
    await waitFor(() =>
      expect(
        within(team).queryByText(/Could not save/),
      ).not.toBeInTheDocument(),
    );
    expect(box).toBeChecked();
    expect(api.checklists[0].steps[0].done).toBe(true);
  });

  it('reports a docs visit of the step’s entity before it opens the docs', async () => {
    const api = new FakeOnboardingApi();
    await render(api);
    const team = await checklist('Joining Payments');
    await userEvent.click(
      within(team).getByRole('link', { name: 'Payments API docs' }),
    );
    expect(await screen.findByText('The TechDocs page')).toBeInTheDocument();
    expect(api.visits).toEqual([
      { entityRef: 'component:default/payments-api', kind: 'docs' },
    ]);
    expect(api.checklists[0].steps[3].done).toBe(true);
  });

  it('opens a runbook link without reporting a visit', async () => {
    const api = new FakeOnboardingApi();
    await render(api);
    const team = await checklist('Joining Payments');
    await userEvent.click(within(team).getByRole('link', { name: /Runbook/ }));
    expect(api.visits).toEqual([]);
  });
});

describe('Teams tab', () => {
  const teamOrder = () =>
    screen
      .getAllByRole('row')
      .map(r => r.textContent ?? '')
      .flatMap(t =>
        ['Payments', 'Storefront', 'Data'].filter(name => t.startsWith(name)),
      );

  it('lists every team with its figures and sorts by time to first value', async () => {
    await render(new FakeOnboardingApi(), '/onboarding/teams');
    const payments = await screen.findByRole('row', { name: /^Payments/ });
    expect(
      within(payments)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['Payments', '2', '1', '1', '3.5 days', '6.2 days']);
    const storefront = screen.getByRole('row', { name: /^Storefront/ });
    expect(
      within(storefront)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['Storefront', '4', '0', '0', '1.2 days', '—']);
    expect(
      screen.getByText(/stalled after 14 days without progress/),
    ).toBeInTheDocument();

    expect(teamOrder()).toEqual(['Payments', 'Storefront', 'Data']);
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Median days to first deploy' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Payments', 'Data', 'Storefront']),
    );
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Median days to first change' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Storefront', 'Payments', 'Data']),
    );
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Stalled' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Storefront', 'Payments', 'Data']),
    );
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Stalled' })[0],
    );
    await waitFor(() =>
      expect(teamOrder()).toEqual(['Data', 'Payments', 'Storefront']),
    );
  });

  it('charts time to first value by start month and lists the figures', async () => {
    await render(new FakeOnboardingApi(), '/onboarding/teams');
    expect(
      await screen.findByRole('figure', {
        name: 'Time to first value by start month',
      }),
    ).toBeInTheDocument();
    const cohorts = screen.getByRole('table', { name: 'Cohorts' });
    const rows = within(cohorts)
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows).toEqual([
      ['Aug 2026', '3', '6.5 days', '11 days'],
      ['Sept 2026', '5', '4 days', '7.3 days'],
      ['Oct 2026', '2', '2.1 days', '—'],
    ]);
  });

  it('says so when nobody is onboarding', async () => {
    const api = new FakeOnboardingApi();
    api.org = { stalledAfterDays: 14, teams: [], cohorts: [] };
    await render(api, '/onboarding/teams');
    expect(
      await screen.findByText('Nobody is onboarding yet'),
    ).toBeInTheDocument();
  });

  it('shows the error when the report cannot be loaded', async () => {
    const api = new FakeOnboardingApi();
    api.getOrgReport = async () => {
      throw new Error(
        'Request failed with 500 Internal Server Error, report query timed out',
      );
    };
    await render(api, '/onboarding/teams');
    expect(
      await screen.findByText(/Could not load the onboarding report/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/report query timed out/).length,
    ).toBeGreaterThan(0);
  });

  it('is one click away from My onboarding', async () => {
    await render(new FakeOnboardingApi());
    await checklist('Joining Payments');
    await userEvent.click(screen.getByRole('tab', { name: 'Teams' }));
    expect(
      await screen.findByRole('row', { name: /^Storefront/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Joining Payments' }),
    ).not.toBeInTheDocument();
  });
});

describe('Templates tab', () => {
  it('lists the templates and every validation problem, and counts the problems in the tab', async () => {
    await render(new FakeOnboardingApi(), '/onboarding/templates');
    expect(
      await screen.findByRole('tab', { name: 'Templates (1 problem)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Template problems' }),
    ).toHaveTextContent(
      'examples/broken-onboarding.yaml: template "data-team", steps[2].kind: must be one of manual',
    );
    expect(
      screen.getByRole('row', { name: /Joining Payments/ }),
    ).toHaveTextContent('members of group:default/payments');
    expect(
      screen.getByRole('row', { name: /Service basics/ }),
    ).toHaveTextContent('each owned entity of kind component and type service');
  });

  it('shows how to add templates when there are none', async () => {
    const api = new FakeOnboardingApi();
    api.templates = { templates: [], problems: [] };
    await render(api, '/onboarding/templates');
    expect(
      await screen.findByText('No onboarding templates'),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Templates' })).toBeInTheDocument();
    expect(
      screen.getByText(/List the template files under onboarding.templates/),
    ).toBeInTheDocument();
  });
});

describe('Teams tab columns', () => {
  it('keeps team names whole and the medians on one line', async () => {
    await render(new FakeOnboardingApi(), '/onboarding/teams');
    const payments = await screen.findByRole('row', { name: /^Payments/ });
    const [name, , , , firstChange] = within(payments).getAllByRole('cell');
    // The theme lets table cells break anywhere, which made "Paymen / ts" in a narrow column.
    expect(name).toHaveStyle({ wordBreak: 'keep-all' });
    expect(name.style.overflowWrap).toBe('normal');
    expect(firstChange).toHaveTextContent('3.5 days');
    expect(firstChange).toHaveStyle({ whiteSpace: 'nowrap' });
  });
});
