import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GoalDetail } from '@vitals/plugin-goals-common';
import { GoalFormDialog } from './GoalFormDialog';
import {
  fakeApi,
  makeGoal,
  fill,
  makeKeyResult,
  renderWithApis,
} from './__testUtils__/testUtils';

const teams = [
  { ref: 'group:default/payments', title: 'Payments' },
  { ref: 'group:default/storefront', title: 'Storefront' },
];

function conflictError() {
  return Object.assign(new Error('Conflict'), {
    response: { status: 409 },
    body: { error: { message: 'goal was changed (version 2)' } },
  });
}

function renderForm(
  api: ReturnType<typeof fakeApi>,
  goal?: ReturnType<typeof makeGoal>,
) {
  const onSaved = jest.fn();
  const onClose = jest.fn();
  return renderWithApis(
    <GoalFormDialog
      open
      goal={goal}
      teams={teams}
      defaultOwner="group:default/payments"
      defaultPeriod="2026-Q4"
      periods={['2027-Q1', '2026-Q4', '2026-Q3']}
      onClose={onClose}
      onSaved={onSaved}
    />,
    { api },
  ).then(r => ({ ...r, onSaved, onClose }));
}

const field = (name: RegExp | string) => screen.getByRole('textbox', { name });

describe('GoalFormDialog', () => {
  it('shows what is wrong next to each field and sends nothing', async () => {
    const api = fakeApi();
    await renderForm(api);
    await userEvent.click(screen.getByRole('button', { name: 'Create goal' }));

    expect(field(/^Objective/)).toHaveAccessibleDescription('Required');
    expect(field(/^Key result 1 title/)).toHaveAccessibleDescription(
      'Required',
    );
    expect(field('Key result 1 target')).toHaveAccessibleDescription(
      'Enter a number',
    );

    // A bad window and a team ref that is not a group are named by the shared schema.
    await fill(field('Key result 1 windowDays'), '400');
    await userEvent.clear(field('Key result 1 team'));
    await fill(field('Key result 1 team'), 'component:default/payments-api');
    expect(field('Key result 1 team')).toHaveAccessibleDescription(
      'Must be a group ref like group:default/payments',
    );
    await userEvent.clear(field('Key result 1 team'));
    await fill(field('Key result 1 team'), 'group:default/payments');
    expect(field('Key result 1 windowDays')).toHaveAccessibleDescription(
      'Must be a whole number of days from 1 to 365',
    );
    expect(api.createGoal).not.toHaveBeenCalled();
  });

  it('previews the live figure and the baseline it would record, then creates the goal', async () => {
    const api = fakeApi();
    api.previewFigure.mockResolvedValue({
      figure: {
        source: 'dora',
        metric: 'leadTimeForChanges',
        scope: { kind: 'team', ref: 'group:default/payments' },
      },
      label: 'Lead time for changes',
      better: 'down',
      unit: 'hours',
      value: 36.04,
      available: true,
      reason: null,
      manual: false,
      readAt: new Date().toISOString(),
      baseline: 36.04,
      baselineAt: new Date().toISOString(),
    });
    api.createGoal.mockResolvedValue({ id: 'new' } as unknown as GoalDetail);
    const { onSaved } = await renderForm(api);

    // The panel is queried again each time: its element changes when the figure arrives.
    const preview = () =>
      screen.getByRole('status', { name: 'Live preview of this key result' });
    await waitFor(() =>
      expect(preview()).toHaveTextContent(
        'Lead time for changes now: 36 hours',
      ),
    );
    expect(preview()).toHaveTextContent('Baseline if saved now: 36 hours');
    expect(api.previewFigure).toHaveBeenCalledWith({
      figure: {
        source: 'dora',
        metric: 'leadTimeForChanges',
        scope: { kind: 'team', ref: 'group:default/payments' },
      },
      period: '2026-Q4',
    });

    await fill(field(/^Objective/), 'Ship in hours');
    await fill(field(/^Key result 1 title/), 'Lead time under a day');
    await fill(field('Key result 1 target'), '24');
    await userEvent.click(screen.getByRole('button', { name: 'Create goal' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.createGoal).toHaveBeenCalledWith({
      objective: 'Ship in hours',
      description: '',
      ownerRef: 'group:default/payments',
      period: '2026-Q4',
      keyResults: [
        {
          title: 'Lead time under a day',
          figure: {
            source: 'dora',
            metric: 'leadTimeForChanges',
            scope: { kind: 'team', ref: 'group:default/payments' },
          },
          target: 24,
        },
      ],
    });
  });

  it('says when the figure cannot be read now, with the reason', async () => {
    const api = fakeApi();
    api.previewFigure.mockResolvedValue({
      figure: {
        source: 'dora',
        metric: 'leadTimeForChanges',
        scope: { kind: 'team', ref: 'group:default/payments' },
      },
      label: 'Lead time for changes',
      better: 'down',
      unit: 'hours',
      value: null,
      available: false,
      reason: 'The dora area answered 503: Service Unavailable',
      manual: false,
      readAt: new Date().toISOString(),
      baseline: null,
      baselineAt: new Date().toISOString(),
    });
    await renderForm(api);
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Live preview of this key result' }),
      ).toHaveTextContent(
        'Lead time for changes is unavailable now: The dora area answered 503: Service Unavailable',
      ),
    );
  });

  it('keeps what was typed when someone else saved the goal first, and can save over it', async () => {
    const goal = makeGoal({
      version: 1,
      keyResults: [
        makeKeyResult({
          title: 'Lead time under a day',
          baseline: 48,
          target: 24,
          current: 36,
          expected: 50,
        }),
      ],
    });
    const theirs = {
      ...goal,
      version: 2,
      objective: 'Their objective',
      updatedBy: 'user:default/alice',
      keyResults: goal.keyResults.map(kr => ({ ...kr, trend: [] })),
    };
    const api = fakeApi();
    api.previewFigure.mockReturnValue(new Promise(() => {}));
    api.updateGoal
      .mockRejectedValueOnce(conflictError())
      .mockResolvedValueOnce(theirs);
    api.getGoal.mockResolvedValue(theirs);
    const { onSaved } = await renderForm(api, goal);

    await userEvent.clear(field(/^Objective/));
    await fill(field(/^Objective/), 'My better objective');
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Someone else saved this goal while you were editing',
    );
    expect(alert).toHaveTextContent('Your changes are still here');
    await waitFor(() => expect(alert).toHaveTextContent('Their objective'));
    expect(alert).toHaveTextContent('user:default/alice');
    expect(field(/^Objective/)).toHaveValue('My better objective');
    expect(onSaved).not.toHaveBeenCalled();

    await userEvent.click(
      within(alert).getByRole('button', {
        name: 'Save my version over theirs',
      }),
    );
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.updateGoal).toHaveBeenLastCalledWith(
      goal.id,
      expect.objectContaining({ version: 2, objective: 'My better objective' }),
    );
    expect(api.updateGoal.mock.calls[0][1]).toEqual(
      expect.objectContaining({ version: 1, objective: 'My better objective' }),
    );
  });
});
