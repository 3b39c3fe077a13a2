import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { OwnershipApi } from '@vitals/plugin-ownership-common';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { GroupOwnershipCard } from './GroupOwnershipCard';
import { emptyProblemCounts, fakeApi, paymentsGroup } from './testData';

function renderCard(api: OwnershipApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[ownershipApiRef, api]]}>
      <EntityProvider entity={paymentsGroup}>
        <GroupOwnershipCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('GroupOwnershipCard', () => {
  it('shows the health of what the team owns, directly and through child groups', async () => {
    const api = fakeApi({
      getGroup: jest.fn().mockResolvedValue({
        groupRef: 'group:default/payments',
        title: 'Payments',
        parentRef: 'group:default/engineering',
        memberCount: 3,
        ownedDirectly: 4,
        ownedThroughChildren: 2,
        ownedTotal: 6,
        healthy: 3,
        healthPercent: 50,
        problemCounts: { ...emptyProblemCounts(), 'confirmation-overdue': 3 },
      }),
    });
    await renderCard(api);
    expect(await screen.findByLabelText('Healthy share')).toHaveTextContent(
      '50%',
    );
    expect(screen.getByText('healthy (3 of 6)')).toBeInTheDocument();
    expect(screen.getByLabelText('Owned directly')).toHaveTextContent('4');
    expect(
      screen.getByLabelText('Owned through child groups'),
    ).toHaveTextContent('2');
    expect(
      screen.getByRole('list', { name: 'Problem counts' }),
    ).toHaveTextContent('Confirmation overdue: 3');
    expect(api.getGroup).toHaveBeenCalledWith('group:default/payments');
  });

  it('explains that the team is not in the snapshot yet', async () => {
    const notFound = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No group' },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    await renderCard(
      fakeApi({ getGroup: jest.fn().mockRejectedValue(notFound) }),
    );
    expect(
      await screen.findByText(/not in the ownership snapshot yet/),
    ).toBeInTheDocument();
  });
});
