import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { quarterOf } from '@vitals/plugin-goals-common';
import { GOALS_PAGE_SIZE, GoalsPage } from './GoalsPage';
import {
  fakeApi,
  makeGoal,
  makeKeyResult,
  renderWithApis,
} from './__testUtils__/testUtils';

/**
 * The hand-worked example of the backend README: in 2026-Q4, 46 of 92 days in, 50% is expected. Lead time from 48 h to
 * 24 h, now 36 h: 12 of 24 hours = 50%, on track. Coverage from 60% to 90%, now 67%: 7 of 30 points = 23.3%, 26.7
 * behind, off track. The goal: the mean, 36.7%, 13.3 behind, at risk.
 */
function paymentsGoal() {
  return makeGoal({
    keyResults: [
      makeKeyResult({
        title: 'Lead time under a day',
        baseline: 48,
        target: 24,
        current: 36,
        expected: 50,
      }),
      makeKeyResult({
        title: 'Every service owned',
        figure: {
          source: 'ownership',
          metric: 'coverage',
          scope: { kind: 'team', ref: 'group:default/payments' },
        },
        label: 'Ownership coverage',
        unit: '%',
        baseline: 60,
        target: 90,
        current: 67,
        expected: 50,
      }),
    ],
  });
}

const keyResult = (title: string) =>
  screen.getByRole('region', { name: `Key result: ${title}` });

describe('GoalsPage', () => {
  it('shows each key result with its live figure, baseline, target, progress and status, worked out by hand', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({ goals: [paymentsGoal()], totalCount: 1 });
    await renderWithApis(<GoalsPage />, { api });

    const goal = await screen.findByRole('article', {
      name: 'Goal: Ship payment changes in hours, not days',
    });
    expect(
      within(goal).getByText(/progress 36.7%, expected 50% by today/),
    ).toBeInTheDocument();
    expect(within(goal).getAllByText('At risk')).toHaveLength(1);

    const leadTime = keyResult('Lead time under a day');
    expect(within(leadTime).getByText('36 hours')).toBeInTheDocument();
    expect(within(leadTime).getByText('48 hours')).toBeInTheDocument();
    expect(within(leadTime).getByText('24 hours')).toBeInTheDocument();
    expect(within(leadTime).getByText(/Lower is better/)).toBeInTheDocument();
    expect(
      within(leadTime).getByText('50% (expected 50% by today)'),
    ).toBeInTheDocument();
    expect(within(leadTime).getByText('On track')).toBeInTheDocument();
    expect(
      within(leadTime).getByRole('progressbar', {
        name: 'Progress of Lead time under a day',
      }),
    ).toHaveAttribute('aria-valuenow', '50');

    const coverage = keyResult('Every service owned');
    expect(within(coverage).getByText('67%')).toBeInTheDocument();
    expect(
      within(coverage).getByText('23.3% (expected 50% by today)'),
    ).toBeInTheDocument();
    expect(within(coverage).getByText('Off track')).toBeInTheDocument();
    expect(within(coverage).getByText(/Higher is better/)).toBeInTheDocument();

    // Goals of the current quarter are asked for by default.
    expect(api.listGoals).toHaveBeenCalledWith(
      expect.objectContaining({ period: [quarterOf(new Date())] }),
    );
  });

  it('marks a manual key result and shows an area that could not be read as unavailable with its reason', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({
      goals: [
        makeGoal({
          keyResults: [
            makeKeyResult({
              title: 'Customers on the new checkout',
              figure: {
                source: 'manual',
                metric: 'value',
                scope: { kind: 'team', ref: 'group:default/payments' },
                params: { unit: 'customers' },
              },
              label: 'Manual value',
              unit: 'customers',
              manual: true,
              baseline: 0,
              target: 40,
              current: 10,
              expected: 50,
            }),
            makeKeyResult({
              title: 'Lead time under a day',
              baseline: 48,
              target: 24,
              current: 40,
              expected: 50,
              available: false,
              unavailableReason:
                'The dora area answered 503: Service Unavailable',
            }),
          ],
        }),
      ],
      totalCount: 1,
    });
    await renderWithApis(<GoalsPage />, { api });

    const manual = await screen.findByRole('region', {
      name: 'Key result: Customers on the new checkout',
    });
    expect(within(manual).getByText('Manual value')).toBeInTheDocument();
    expect(within(manual).getByText('Current (manual)')).toBeInTheDocument();
    expect(within(manual).getByText('10 customers')).toBeInTheDocument();
    // 10 of 40 = 25%, 25 behind the expected 50%: at risk.
    expect(
      within(manual).getByText('25% (expected 50% by today)'),
    ).toBeInTheDocument();
    expect(within(manual).getByText('At risk')).toBeInTheDocument();

    const unavailable = keyResult('Lead time under a day');
    expect(
      within(unavailable).getByText(
        /Figure unavailable: The dora area answered 503: Service Unavailable/,
      ),
    ).toBeInTheDocument();
    expect(
      within(unavailable).getByText(/The last value read is shown/),
    ).toBeInTheDocument();
  });

  it('offers Edit and New goal to the team’s members and admins', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({ goals: [paymentsGoal()], totalCount: 1 });
    await renderWithApis(<GoalsPage />, {
      api,
      authorize: AuthorizeResult.ALLOW,
    });
    expect(
      await screen.findByRole('button', {
        name: 'Edit Ship payment changes in hours, not days',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'New goal' }),
    ).toBeInTheDocument();
  });

  it('says what to do when there are no goals, and shows an error with a retry', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValueOnce({ goals: [], totalCount: 0 });
    await renderWithApis(<GoalsPage />, { api });
    expect(
      await screen.findByText(`No goals for ${quarterOf(new Date())}`),
    ).toBeInTheDocument();
    expect(screen.getByText(/choose New goal/)).toBeInTheDocument();
  });

  it('shows an error with a retry when the goals cannot be loaded', async () => {
    const api = fakeApi();
    api.listGoals.mockRejectedValueOnce(new Error('goals backend is down'));
    await renderWithApis(<GoalsPage />, { api });
    expect(
      await screen.findByText(/Could not load the goals/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/goals backend is down/).length).toBeGreaterThan(
      0,
    );

    api.listGoals.mockResolvedValueOnce({
      goals: [paymentsGoal()],
      totalCount: 1,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('article', {
        name: 'Goal: Ship payment changes in hours, not days',
      }),
    ).toBeInTheDocument();
  });

  it('asks for the period chosen', async () => {
    const api = fakeApi();
    await renderWithApis(<GoalsPage />, { api });
    await screen.findByText(`No goals for ${quarterOf(new Date())}`);
    await userEvent.click(screen.getByRole('button', { name: 'Period' }));
    const options = await screen.findAllByRole('option');
    const last = options[options.length - 1];
    const period = last.getAttribute('data-value')!;
    await userEvent.click(last);
    expect(
      await screen.findByText(`No goals for ${period}`),
    ).toBeInTheDocument();
    expect(api.listGoals).toHaveBeenLastCalledWith(
      expect.objectContaining({ period: [period] }),
    );
  });

  it('asks for a page of goals at a time and pages through all of them', async () => {
    const api = fakeApi();
    // 120 goals in the quarter: three pages of 50. The fake answers one goal a page, named after its offset, to keep
    // the page light; the pager follows the total the server gives.
    api.listGoals.mockImplementation(async query => ({
      goals: [
        makeGoal({
          objective: `Goals from ${query?.offset ?? 0}`,
          keyResults: [],
        }),
      ],
      totalCount: 120,
    }));
    await renderWithApis(<GoalsPage />, { api });
    expect(
      await screen.findByRole('article', { name: 'Goal: Goals from 0' }),
    ).toBeInTheDocument();
    expect(api.listGoals).toHaveBeenLastCalledWith(
      expect.objectContaining({ limit: GOALS_PAGE_SIZE, offset: 0 }),
    );
    expect(screen.getByText('Goals 1–50 of 120')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByRole('article', { name: 'Goal: Goals from 50' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      await screen.findByRole('article', { name: 'Goal: Goals from 100' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Goals 101–120 of 120')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(api.listGoals).toHaveBeenLastCalledWith(
      expect.objectContaining({ limit: 50, offset: 100 }),
    );

    // Another period starts again from the first page.
    await userEvent.click(screen.getByRole('button', { name: 'Period' }));
    const options = await screen.findAllByRole('option');
    const last = options[options.length - 1];
    const period = last.getAttribute('data-value')!;
    await userEvent.click(last);
    expect(
      await screen.findByRole('article', { name: 'Goal: Goals from 0' }),
    ).toBeInTheDocument();
    expect(api.listGoals).toHaveBeenLastCalledWith(
      expect.objectContaining({ period: [period], offset: 0 }),
    );
  });

  it('opens the trends and the history of a goal', async () => {
    const api = fakeApi();
    const goal = paymentsGoal();
    api.listGoals.mockResolvedValue({ goals: [goal], totalCount: 1 });
    api.getGoal.mockResolvedValue({
      ...goal,
      keyResults: goal.keyResults.map(kr => ({
        ...kr,
        trend: [
          { day: '2026-10-01', value: kr.baseline },
          { day: '2026-11-16', value: kr.current },
        ],
      })),
    });
    api.getGoalEvents.mockResolvedValue([
      {
        goalId: goal.id,
        action: 'created',
        at: '2026-10-01T09:00:00.000Z',
        actor: 'user:default/guest',
        details: {},
      },
      {
        goalId: goal.id,
        action: 'baseline_recorded',
        at: '2026-10-02T00:00:00.000Z',
        actor: 'plugin:goals',
        details: { keyResultId: goal.keyResults[0].id, baseline: 48 },
      },
    ]);
    await renderWithApis(<GoalsPage />, { api });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show trends and history' }),
    );
    expect(
      await screen.findByRole('figure', {
        name: 'Trend of Lead time under a day',
      }),
    ).toBeInTheDocument();
    const history = await screen.findByRole('list', { name: 'History' });
    const items = within(history).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Baseline recorded: 48');
    expect(items[1]).toHaveTextContent('Created the goal');
    expect(items[1]).toHaveTextContent('guest');
  });
});
