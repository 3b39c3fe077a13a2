import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ownershipApiRef } from '../api/ownershipApiRef';
import { EntityOwnershipCard } from './EntityOwnershipCard';
import { fakeApi, paymentsApi } from './testData';

// In its own file: usePermission caches decisions (SWR) per module instance, so a DENY must not follow an ALLOW.
describe('EntityOwnershipCard for someone outside the team', () => {
  it('shows no confirm button, and says who may confirm', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [ownershipApiRef, fakeApi()],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <EntityProvider entity={paymentsApi}>
          <EntityOwnershipCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(
        'Read only: only members of Payments (group:default/payments) can confirm ownership of component:default/payments-api.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Confirm ownership' }),
    ).not.toBeInTheDocument();
  });
});
