import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { GroupOnboardingCard } from './GroupOnboardingCard';
import {
  FakeOnboardingApi,
  paymentsTeam,
} from './__testUtils__/fakeOnboardingApi';

// In its own file: usePermission caches decisions (SWR) per module instance, so a DENY must not follow an ALLOW.
describe('GroupOnboardingCard for someone not allowed to reset progress', () => {
  it('shows the people and their progress without any reset button', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [onboardingApiRef, new FakeOnboardingApi()],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <EntityProvider entity={paymentsTeam}>
          <GroupOnboardingCard />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByRole('row', { name: /Jonas Berg/ }),
    ).toHaveTextContent('1/6');
    expect(
      screen.queryByRole('button', { name: /Reset/ }),
    ).not.toBeInTheDocument();
  });
});
