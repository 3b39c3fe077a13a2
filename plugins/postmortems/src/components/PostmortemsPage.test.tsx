import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Route, Routes, useLocation } from 'react-router-dom';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { CoverageResponse } from '@vitals/plugin-postmortems-common';
import { postmortemsApiRef } from '../api/postmortemsApiRef';
import { PostmortemsPage } from './PostmortemsPage';
import {
  DEBT_ITEM_ID,
  fakeApi,
  apiError,
  makeDetail,
  makeIncident,
  MOUNTED_ROUTES,
  POSTMORTEM_ID,
} from './__testUtils__/fixtures';

const definitions = {
  qualifyingSeverities: ['sev1', 'p1', 'critical', 'sev2', 'p2', 'high'],
  minimumSeverity: 'SEV2',
  postmortemDueDays: 5,
  actionItemDueDays: 30,
};

const zero = {
  incidents: 0,
  due: 0,
  published: 0,
  coverage: null,
  missing: 0,
  openActionItems: 0,
  overdueActionItems: 0,
};

function coverage(overrides: Partial<CoverageResponse> = {}): CoverageResponse {
  return {
    from: '2026-09-07T00:00:00.000Z',
    to: '2026-12-06T12:00:00.000Z',
    generatedAt: '2026-12-06T12:00:00.000Z',
    definitions,
    teams: [
      {
        teamRef: 'group:default/storefront',
        incidents: 3,
        due: 2,
        published: 0,
        coverage: 0,
        missing: 2,
        openActionItems: 0,
        overdueActionItems: 0,
      },
      {
        teamRef: 'group:default/payments',
        incidents: 6,
        due: 5,
        published: 4,
        coverage: 0.8,
        missing: 1,
        openActionItems: 3,
        overdueActionItems: 1,
      },
    ],
    total: {
      incidents: 9,
      due: 7,
      published: 4,
      coverage: 0.5714,
      missing: 3,
      openActionItems: 3,
      overdueActionItems: 1,
    },
    overdue: {
      postmortems: [
        {
          incident: makeIncident({
            id: 'pagerduty:LEDGER9',
            entityRef: 'component:default/ledger-service',
          }),
          postmortem: {
            id: POSTMORTEM_ID,
            title: 'Ledger lock',
            status: 'in_review',
          },
          daysOverdue: 6,
        },
        {
          incident: makeIncident({
            id: 'pagerduty:CART2',
            entityRef: 'component:default/cart',
            ownerRef: 'group:default/storefront',
          }),
          postmortem: null,
          daysOverdue: 2,
        },
      ],
      postmortemCount: 2,
      actionItems: [
        {
          postmortemId: POSTMORTEM_ID,
          postmortemTitle: 'Ledger lock',
          incidentId: 'pagerduty:LEDGER9',
          entityRef: 'component:default/ledger-service',
          debtItemId: DEBT_ITEM_ID,
          dueDate: '2026-11-20',
          debt: {
            title: 'Online schema migrations',
            status: 'open',
            entityRef: 'component:default/ledger-service',
            ownerRef: 'group:default/payments',
            assignee: null,
          },
          debtCheckedAt: '2026-12-06T10:00:00.000Z',
          daysOverdue: 16,
        },
      ],
      actionItemCount: 1,
    },
    repeatIncidents: [
      {
        ownerRef: 'group:default/payments',
        items: [
          {
            itemId: DEBT_ITEM_ID,
            title: 'Connection pool sized by hand',
            entityRef: 'component:default/payments-api',
            status: 'open',
            incidents: 3,
            restoreMinutes: 240,
          },
        ],
      },
    ],
    repeatIncidentsError: null,
    ...overrides,
  };
}

function Location() {
  const location = useLocation();
  return <div>Now at {`${location.pathname}${location.search}`}</div>;
}

/** The page mounted at /postmortems as an app mounts it, beside entity pages. */
async function render(api = fakeApi(), path = '/postmortems') {
  await renderInTestApp(
    <TestApiProvider apis={[[postmortemsApiRef, api]]}>
      <Routes>
        <Route path="/postmortems/*" element={<PostmortemsPage />} />
        <Route path="/catalog/*" element={<Location />} />
      </Routes>
    </TestApiProvider>,
    { ...MOUNTED_ROUTES, routeEntries: [path] },
  );
  return api;
}

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr') as HTMLElement;

/** The row of the coverage table whose first cell is the team. */
const teamRow = async (team: string) =>
  waitFor(() => {
    const row = screen
      .getAllByRole('row')
      .find(r => r.querySelector('td')?.textContent === team);
    if (!row) throw new Error(`No row of team ${team}`);
    return row;
  });

describe('the /postmortems page', () => {
  it('shows coverage per team, the overdue postmortems and action items, and the repeat incidents', async () => {
    const api = await render(
      fakeApi({ getCoverage: jest.fn().mockResolvedValue(coverage()) }),
    );
    expect(
      await screen.findByRole('region', { name: 'Coverage' }),
    ).toHaveTextContent('57.1%4 of 7 due postmortems published');
    expect(
      screen.getByRole('region', { name: 'Overdue action items' }),
    ).toHaveTextContent('1');

    const storefront = await teamRow('storefront');
    expect(
      within(storefront)
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['storefront', '3', '2', '0', '0%', '2', '0', '0']);
    expect(await teamRow('payments')).toHaveTextContent('80%');

    const ledger = await rowOf('pagerduty:LEDGER9');
    expect(ledger).toHaveTextContent('6 days');
    expect(ledger).toHaveTextContent('In review');
    expect(within(ledger).getByRole('link', { name: 'Open' })).toHaveAttribute(
      'href',
      `/catalog/default/component/ledger-service/postmortems?postmortem=${POSTMORTEM_ID}`,
    );
    const cart = await rowOf('pagerduty:CART2');
    expect(
      within(cart).getByRole('link', { name: 'Start a postmortem' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/cart/postmortems?incident=pagerduty%3ACART2',
    );

    const item = screen.getByRole('link', { name: 'Online schema migrations' });
    expect(item).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger-service/tech-debt',
    );
    expect(item.closest('tr')).toHaveTextContent('16 days ago');

    const repeat = await rowOf('Connection pool sized by hand');
    expect(repeat).toHaveTextContent('4 h');
    expect(screen.getByText(/severity of SEV2 or higher/)).toBeInTheDocument();
    expect(api.getCoverage).toHaveBeenCalledWith({
      from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('asks again for another window and for one team', async () => {
    const api = await render(
      fakeApi({ getCoverage: jest.fn().mockResolvedValue(coverage()) }),
    );
    await teamRow('storefront');
    fireEvent.mouseDown(screen.getByRole('button', { name: /Last 90 days/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Last 30 days' }),
    );
    await waitFor(() => expect(api.getCoverage).toHaveBeenCalledTimes(2));
    const from = (api.getCoverage.mock.calls[1][0] as { from: string }).from;
    const days = (Date.now() - Date.parse(from)) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31.01);

    fireEvent.mouseDown(screen.getByRole('button', { name: 'Filter by team' }));
    fireEvent.click(await screen.findByRole('option', { name: 'payments' }));
    await waitFor(() =>
      expect(api.getCoverage).toHaveBeenLastCalledWith({
        from,
        team: 'group:default/payments',
      }),
    );
  });

  it('says what to do when nothing qualifies, and when the register report is missing', async () => {
    await render(
      fakeApi({
        getCoverage: jest.fn().mockResolvedValue(
          coverage({
            teams: [],
            total: zero,
            overdue: {
              postmortems: [],
              postmortemCount: 0,
              actionItems: [],
              actionItemCount: 0,
            },
            repeatIncidents: null,
            repeatIncidentsError: 'The tech-debt register failed: 503',
          }),
        ),
      }),
    );
    expect(
      await screen.findByText(/No qualifying incidents in this window/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No incident is waiting for its postmortem/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No action item is open past its due date/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /repeat-incidents report could not be read: The tech-debt register failed: 503/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Coverage' })).toHaveTextContent(
      'No postmortem was due in this window',
    );
  });

  it('shows an error panel when the figures cannot be loaded', async () => {
    await render(
      fakeApi({
        getCoverage: jest.fn().mockRejectedValue(new Error('502 Bad Gateway')),
      }),
    );
    expect(
      await screen.findByText(/Could not load the postmortem figures/),
    ).toBeInTheDocument();
  });

  it('opens the team a notification links to (?team=)', async () => {
    const api = await render(
      fakeApi({ getCoverage: jest.fn().mockResolvedValue(coverage()) }),
      '/postmortems?team=group%3Adefault%2Fpayments',
    );
    await teamRow('storefront');
    expect(api.getCoverage).toHaveBeenCalledWith({
      from: expect.any(String),
      team: 'group:default/payments',
    });
    expect(
      screen.getByRole('button', { name: 'Filter by team' }),
    ).toHaveTextContent('payments');
  });
});

describe('/postmortems/<id>', () => {
  it("opens the postmortem on its service's Postmortems tab (the register links there)", async () => {
    await render(
      fakeApi({
        getPostmortem: jest.fn().mockResolvedValue(makeDetail()),
      }),
      `/postmortems/${POSTMORTEM_ID}`,
    );
    expect(
      await screen.findByText(
        `Now at /catalog/default/component/payments-api/postmortems?postmortem=${POSTMORTEM_ID}`,
      ),
    ).toBeInTheDocument();
  });

  it('says when the postmortem is not there or not shared', async () => {
    await render(
      fakeApi({
        getPostmortem: jest
          .fn()
          .mockRejectedValue(apiError(404, 'No postmortem with that id')),
      }),
      `/postmortems/${POSTMORTEM_ID}`,
    );
    expect(
      await screen.findByText(/or it is not shared with you yet/),
    ).toBeInTheDocument();
  });
});
