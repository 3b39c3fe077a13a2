import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { EntityScorecardsContent } from './EntityScorecardsContent';
import {
  bronzeResult,
  fakeApi,
  paymentsApi,
  renderWith,
} from './__testUtils__/testUtils';

// A file of its own: usePermission caches decisions per permission and resource for the whole module, so a denied
// decision cannot follow an allowed one for the same entity in one test file.
const withResults = () =>
  fakeApi({
    getEntityResults: jest.fn().mockResolvedValue({
      entityRef: 'component:default/payments-api',
      results: [bronzeResult()],
    }),
  });

describe('EntityScorecardsContent for a non-owner', () => {
  it('tells a non-owner why they cannot waive checks', async () => {
    await renderWith(<EntityScorecardsContent />, {
      api: withResults(),
      entity: paymentsApi,
      authorize: AuthorizeResult.DENY,
    });
    expect(
      await screen.findByText(
        'Only the owners of component:default/payments-api (group:default/payments) can waive its checks.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Waive Has a runbook' }),
    ).not.toBeInTheDocument();
    // The waiver in force shows, but only owners may change or withdraw it.
    expect(
      screen.getByRole('row', {
        name: /At most one high-impact debt item open/,
      }),
    ).toHaveTextContent('Migrating the ledger this quarter');
    expect(
      screen.queryByRole('button', { name: /Edit the waiver of/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Withdraw the waiver of/ }),
    ).not.toBeInTheDocument();
    // Refreshing on demand is for the owners too (`scorecards.entity.refresh`).
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    expect(
      screen.getByTitle(
        'Only the owners of component:default/payments-api can refresh its scorecards now',
      ),
    ).toBeInTheDocument();
  });
});
