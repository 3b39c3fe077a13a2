import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { GoalsPage } from './GoalsPage';
import {
  fakeApi,
  makeGoal,
  makeKeyResult,
  permissionsSettled,
  renderWithApis,
} from './__testUtils__/testUtils';

// In a file of its own: the permission hook caches answers for the whole test file.
describe('GoalsPage for someone who may not edit', () => {
  const paymentsGoal = () =>
    makeGoal({
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

  it('is read-only for someone who may not edit the goals', async () => {
    const api = fakeApi();
    api.listGoals.mockResolvedValue({ goals: [paymentsGoal()], totalCount: 1 });
    const { authorize } = await renderWithApis(<GoalsPage />, {
      api,
      authorize: AuthorizeResult.DENY,
      mine: [],
    });
    await screen.findByRole('article', {
      name: 'Goal: Ship payment changes in hours, not days',
    });
    // The permissions answer after the first render: wait for them before asserting that nothing is offered.
    await permissionsSettled(authorize);
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({ resourceRef: 'group:default/payments' }),
    );
    expect(screen.queryByRole('button', { name: /^Edit / })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New goal' })).toBeNull();
  });
});
