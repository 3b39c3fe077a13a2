import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { quarterOf, type StakeholderReport } from '@vitals/plugin-goals-common';
import { GoalsPage } from './GoalsPage';
import { goalsByStatus } from './StakeholderReportPage';
import { fakeApi, renderWithApis } from './__testUtils__/testUtils';

const PAYMENTS = 'group:default/payments';

function paymentsReport(
  overrides: Partial<StakeholderReport> = {},
): StakeholderReport {
  return {
    team: PAYMENTS,
    title: 'Payments',
    quarter: '2026-Q4',
    previousQuarter: '2026-Q3',
    from: '2026-10-01T00:00:00.000Z',
    to: '2026-11-16T00:00:00.000Z',
    generatedAt: '2026-11-16T09:30:00.000Z',
    summary: [
      'Goals: 1 on track, 1 at risk.',
      'At risk: Runbooks for every service.',
      'Better: lead time for changes. Worse: change failure rate.',
      'Debt: 6 of 20 reserved days paid down.',
    ],
    goals: [
      {
        id: 'g1',
        objective: 'Ship payment changes in hours, not days',
        ownerRef: PAYMENTS,
        status: 'on_track',
        progress: 50,
        expectedProgress: 50,
        sentence:
          'Ship payment changes in hours, not days: 50% of the way (expected 50% by today), on track.',
        keyResults: [
          {
            id: 'k1',
            title: 'Lead time under a day',
            label: 'Lead time for changes',
            unit: 'hours',
            manual: false,
            baseline: 48,
            target: 24,
            current: 36,
            progress: 50,
            expectedProgress: 50,
            status: 'on_track',
            sentence:
              'Lead time under a day: 36 hours now, from 48 hours towards 24 hours: 50% of the way (expected 50% by today), on track.',
          },
        ],
      },
      {
        id: 'g2',
        objective: 'Every service owned',
        ownerRef: PAYMENTS,
        status: 'at_risk',
        progress: 30,
        expectedProgress: 50,
        sentence:
          'Every service owned: 30% of the way (expected 50% by today), at risk.',
        keyResults: [],
      },
    ],
    campaigns: [
      {
        id: 'c1',
        name: 'Runbooks for every service',
        deadline: '2026-11-30',
        status: 'running',
        entities: 8,
        done: 3,
        daysToDeadline: 14,
        atRisk: true,
        riskReasons: ['38% done with 70% of its time gone'],
        sentence:
          'Runbooks for every service: 3 of 8 entities done, due 2026-11-30.',
      },
    ],
    delivery: {
      available: true,
      reason: null,
      trends: [
        {
          metric: 'leadTimeForChanges',
          label: 'Lead time for changes',
          unit: 'hours',
          better: 'down',
          current: 36,
          previous: 48,
          verdict: 'better',
          sentence:
            'Lead time for changes: 36 hours, from 48 hours: better by 25%.',
        },
        {
          metric: 'changeFailureRate',
          label: 'Change failure rate',
          unit: '%',
          better: 'down',
          current: 18,
          previous: 12,
          verdict: 'worse',
          sentence: 'Change failure rate: 18%, from 12%: worse by 6 points.',
        },
      ],
    },
    flow: {
      available: false,
      reason: 'The dora area answered 503: Service Unavailable',
      trends: [],
    },
    debt: {
      available: true,
      reason: null,
      reservedDays: 20,
      paidDownDays: 6,
      resolvedCount: 4,
      teams: [PAYMENTS],
      sentence:
        '6 of the 20 days reserved for debt paid down (4 items resolved).',
    },
    ...overrides,
  };
}

const at = (path: string) => ({ routeEntries: [path] });

describe('The stakeholder report', () => {
  it('shows the goals by status, the campaigns, the DORA trends and the debt in plain words, and a section that could not be read with its reason', async () => {
    const api = fakeApi({
      getStakeholderReport: jest.fn().mockResolvedValue(paymentsReport()),
    });
    await renderWithApis(<GoalsPage />, {
      api,
      ...at(`/report?team=${encodeURIComponent(PAYMENTS)}&quarter=2026-Q4`),
    });

    expect(
      await screen.findByText('Goals: 1 on track, 1 at risk.'),
    ).toBeInTheDocument();
    expect(api.getStakeholderReport).toHaveBeenCalledWith({
      team: PAYMENTS,
      quarter: '2026-Q4',
    });
    expect(
      screen.getByRole('heading', { name: 'Payments: 2026-Q4' }),
    ).toBeInTheDocument();
    // The goals, worst first in the count.
    expect(screen.getByText('1 at risk, 1 on track')).toBeInTheDocument();
    const goal = screen.getByRole('region', {
      name: 'Goal: Ship payment changes in hours, not days',
    });
    expect(
      within(goal).getByText(/36 hours now, from 48 hours towards 24 hours/),
    ).toBeInTheDocument();
    expect(within(goal).getByText('On track')).toBeInTheDocument();

    const campaign = screen.getByRole('region', {
      name: 'Campaign: Runbooks for every service',
    });
    expect(campaign).toHaveTextContent('3 of 8 done, due 2026-11-30');
    expect(within(campaign).getByText('At risk')).toBeInTheDocument();
    expect(campaign).toHaveTextContent(
      'At risk because 38% done with 70% of its time gone.',
    );

    const delivery = screen.getByRole('table', { name: 'Delivery (DORA)' });
    const lead = within(delivery).getByRole('row', {
      name: /Lead time for changes/,
    });
    expect(lead).toHaveTextContent('36 hours');
    expect(lead).toHaveTextContent('48 hours');
    expect(lead).toHaveTextContent('Better');
    expect(
      within(delivery).getByRole('row', { name: /Change failure rate/ }),
    ).toHaveTextContent('18%12%Worse');

    expect(
      screen.getByText(
        'Flow unavailable: The dora area answered 503: Service Unavailable.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Flow' })).toBeNull();

    expect(
      screen.getByText('6 days paid down of 20 days reserved'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Debt: 6 of 20 reserved days paid down',
      }),
    ).toHaveAttribute('aria-valuenow', '30');
  });

  it('downloads the Markdown and the CSV through the API, named after the team and quarter', async () => {
    const createObjectURL = jest.fn().mockReturnValue('blob:report');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const names: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        names.push(this.download);
      });
    const api = fakeApi({
      getStakeholderReport: jest.fn().mockResolvedValue(paymentsReport()),
      exportStakeholderReport: jest
        .fn()
        .mockResolvedValueOnce('# Payments: 2026-Q4\n')
        .mockResolvedValueOnce('section,name\n'),
    });
    await renderWithApis(<GoalsPage />, {
      api,
      ...at(`/report?team=${encodeURIComponent(PAYMENTS)}&quarter=2026-Q4`),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download Markdown' }),
    );
    await waitFor(() => expect(names).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(names).toHaveLength(2));
    expect(api.exportStakeholderReport.mock.calls).toEqual([
      [{ team: PAYMENTS, quarter: '2026-Q4' }, 'markdown'],
      [{ team: PAYMENTS, quarter: '2026-Q4' }, 'csv'],
    ]);
    expect(names).toEqual([
      'stakeholder-report-payments-2026-Q4.md',
      'stakeholder-report-payments-2026-Q4.csv',
    ]);
    const blob = createObjectURL.mock.calls[0][0] as Blob;
    expect(blob.type).toBe('text/markdown');
    click.mockRestore();
  });

  it("is linked from /goals for the team filtered on (the org's by default) and the period shown", async () => {
    const api = fakeApi();
    await renderWithApis(<GoalsPage />, { api });
    // A link drawn as a button.
    const link = await screen.findByRole('button', {
      name: 'Stakeholder report',
    });
    expect(link).toHaveAttribute(
      'href',
      `/report?team=org&quarter=${quarterOf(new Date())}`,
    );
  });

  it("asks for the org's report of this quarter without a query, and says when there is nothing to report", async () => {
    const empty = paymentsReport({
      team: 'org',
      title: 'The org',
      summary: ['No goals set for the quarter.'],
      goals: [],
      campaigns: [],
      delivery: { available: true, reason: null, trends: [] },
      flow: { available: true, reason: null, trends: [] },
      debt: {
        available: true,
        reason: null,
        reservedDays: null,
        paidDownDays: 0,
        resolvedCount: 0,
        teams: [],
        sentence: 'No debt budget set.',
      },
    });
    const api = fakeApi({
      getStakeholderReport: jest.fn().mockResolvedValue(empty),
    });
    await renderWithApis(<GoalsPage />, { api, ...at('/report') });
    expect(
      await screen.findByText(/Nothing to report for 2026-Q4 yet/),
    ).toBeInTheDocument();
    expect(api.getStakeholderReport).toHaveBeenCalledWith({
      team: 'org',
      quarter: quarterOf(new Date()),
    });
  });

  it('says why the report could not be loaded and tries again on request', async () => {
    const api = fakeApi({
      getStakeholderReport: jest
        .fn()
        .mockRejectedValueOnce(new Error('Bad gateway'))
        .mockResolvedValueOnce(paymentsReport()),
    });
    await renderWithApis(<GoalsPage />, {
      api,
      ...at(`/report?team=${encodeURIComponent(PAYMENTS)}&quarter=2026-Q4`),
    });
    expect(
      await screen.findByText(/Could not load the report/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByText('Goals: 1 on track, 1 at risk.'),
    ).toBeInTheDocument();
  });

  it('says so for a team the catalog does not have', async () => {
    const api = fakeApi({
      getStakeholderReport: jest
        .fn()
        .mockRejectedValue(
          Object.assign(new Error('not found'), { response: { status: 404 } }),
        ),
    });
    await renderWithApis(<GoalsPage />, {
      api,
      ...at('/report?team=group%3Adefault%2Fnope&quarter=2026-Q4'),
    });
    expect(await screen.findByText('No such team')).toBeInTheDocument();
  });
});

describe('goalsByStatus', () => {
  it('counts the goals, the worst first', () => {
    expect(goalsByStatus(['on_track', 'off_track', 'on_track'])).toBe(
      '1 off track, 2 on track',
    );
  });
});
