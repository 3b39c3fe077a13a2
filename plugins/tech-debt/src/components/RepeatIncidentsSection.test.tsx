import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  RepeatIncidentsReport,
  TechDebtApi,
} from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { RepeatIncidentsSection } from './RepeatIncidentsSection';
import { TechDebtPage } from './TechDebtPage';
import { fakeApi, makeIncident, makeItem } from './__testUtils__/testUtils';

const REPORT: RepeatIncidentsReport = {
  windowDays: 90,
  minIncidents: 2,
  from: '2026-09-02T12:00:00.000Z',
  to: '2026-12-01T12:00:00.000Z',
  teams: [
    {
      ownerRef: 'group:default/payments',
      incidents: 3,
      restoreMinutes: 200,
      items: [
        {
          id: '00000000-0000-4000-8000-0000000000a1',
          title: 'Card capture retries are not idempotent',
          entityRef: 'component:default/payments-api',
          status: 'open',
          priority: 2.5,
          interestHoursPerMonth: 10,
          incidents: 2,
          restoreMinutes: 115,
          links: [
            makeIncident(),
            makeIncident({
              incidentId: 'pagerduty:PGR0VX9',
              title: null,
              restoreMinutes: 40,
              postmortemUrl: null,
              postmortemId: null,
            }),
          ],
        },
      ],
    },
    {
      ownerRef: 'group:default/storefront',
      incidents: 2,
      restoreMinutes: 30,
      items: [
        {
          id: '00000000-0000-4000-8000-0000000000b1',
          title: 'Checkout retries without backoff',
          entityRef: 'component:default/checkout-api',
          status: 'in_progress',
          priority: 1.2,
          interestHoursPerMonth: null,
          incidents: 2,
          restoreMinutes: 30,
          links: [
            makeIncident({ incidentId: 'inc-6', title: 'Checkout 502s' }),
            makeIncident({ incidentId: 'inc-7', title: 'Checkout timeouts' }),
          ],
        },
      ],
    },
  ],
};

async function renderSection(api: TechDebtApi, owner?: string) {
  await renderInTestApp(
    <TestApiProvider apis={[[techDebtApiRef, api]]}>
      <RepeatIncidentsSection owner={owner} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('RepeatIncidentsSection', () => {
  it('lists per team the open items whose incidents keep happening, with their incidents', async () => {
    const api = fakeApi({
      getRepeatIncidentsReport: jest.fn().mockResolvedValue(REPORT),
    });
    await renderSection(api);

    const payments = await screen.findByRole('region', {
      name: 'Repeat incidents of payments',
    });
    expect(payments).toHaveTextContent('3 incidents, 3 h 20 min to restore');
    const [, row] = within(payments).getAllByRole('row');
    expect(row).toHaveTextContent('Card capture retries are not idempotent');
    expect(row).toHaveTextContent('Open');
    expect(row).toHaveTextContent('1 h 55 min');
    expect(within(row).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(row).getByRole('link', {
        name: 'Postmortem of Card captures timed out',
      }),
    ).toHaveAttribute('href', 'https://backstage.example.com/postmortems/pm-1');
    expect(row).toHaveTextContent('pagerduty:PGR0VX9');

    const storefront = screen.getByRole('region', {
      name: 'Repeat incidents of storefront',
    });
    expect(storefront).toHaveTextContent('In progress');
    expect(storefront).toHaveTextContent('Checkout timeouts');
    // Payments' repeats first, as the report ranks them.
    const regions = screen
      .getAllByRole('region')
      .map(r => r.getAttribute('aria-label'));
    expect(regions).toEqual([
      'Repeat incidents of payments',
      'Repeat incidents of storefront',
    ]);
    expect(api.getRepeatIncidentsReport).toHaveBeenCalledWith({
      owner: undefined,
      days: 90,
      minIncidents: 2,
    });
  });

  it('says what to do when no debt keeps causing incidents', async () => {
    await renderSection(fakeApi(), 'group:default/payments');
    expect(
      await screen.findByText('No debt keeps causing incidents'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /No open debt item of payments has two or more linked incidents in the last 90 days\. .*postmortem/,
      ),
    ).toBeInTheDocument();
  });

  it('shows a loading state, then the error when the report cannot be loaded', async () => {
    let fail: (error: Error) => void = () => {};
    const api = fakeApi({
      getRepeatIncidentsReport: jest.fn(
        () =>
          new Promise<RepeatIncidentsReport>((_, reject) => {
            fail = reject;
          }),
      ),
    });
    await renderSection(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    fail(new Error('tech-debt backend is down'));
    expect(
      await screen.findByText(/Could not load the repeat incidents/),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('progress')).toBeNull();
  });
});

describe('TechDebtPage with incidents', () => {
  function api() {
    const linked = makeItem({
      title: 'Send idempotency keys with card captures',
      incidentCount: 3,
      incidents: [makeIncident()],
      measuredInterest: { windowDays: 90, incidents: 2, restoreMinutes: 115 },
    });
    return fakeApi({
      getFacets: jest.fn().mockResolvedValue({
        owners: ['group:default/payments', 'group:default/storefront'],
        systems: [],
        tags: [],
      }),
      listItems: jest
        .fn()
        .mockResolvedValue({ items: [linked], totalCount: 1 }),
      getRepeatIncidentsReport: jest.fn().mockResolvedValue(REPORT),
    });
  }

  async function renderPage(fake: ReturnType<typeof fakeApi>) {
    await renderInTestApp(
      <TestApiProvider apis={[[techDebtApiRef, fake]]}>
        <TechDebtPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
  }

  it('shows the measured interest and incidents of each item, sorts by measured interest, and lists the repeats of the team chosen', async () => {
    const fake = api();
    await renderPage(fake);
    const row = (
      await screen.findByText('Send idempotency keys with card captures')
    ).closest('tr')!;
    expect(row).toHaveTextContent('2 incidents · 1 h 55 min');
    expect(row).toHaveTextContent('3 incidents');
    expect(
      await screen.findByRole('region', {
        name: 'Repeat incidents of payments',
      }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Sort by' }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'Measured interest (incidents, 90 days)',
      }),
    );
    expect(fake.listItems).toHaveBeenLastCalledWith(
      expect.objectContaining({ orderBy: 'measuredInterest' }),
    );

    // The owner filter narrows the repeats to the team.
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by owner' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'storefront',
      }),
    );
    expect(fake.getRepeatIncidentsReport).toHaveBeenLastCalledWith({
      owner: ['group:default/storefront'],
      days: 90,
      minIncidents: 2,
    });
  });
});
