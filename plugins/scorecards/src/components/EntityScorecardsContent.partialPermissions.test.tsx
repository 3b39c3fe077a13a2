import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { EntityScorecardsContent } from './EntityScorecardsContent';
import {
  bronzeResult,
  fakeApi,
  paymentsApi,
  renderWith,
} from './__testUtils__/testUtils';

// A file of its own: usePermission caches decisions per permission and resource for the whole module.
describe('EntityScorecardsContent under a policy that allows some waiver actions', () => {
  it('offers only the waiver actions the policy allows: waive and withdraw, but not edit', async () => {
    await renderWith(<EntityScorecardsContent />, {
      api: fakeApi({
        getEntityResults: jest.fn().mockResolvedValue({
          entityRef: 'component:default/payments-api',
          results: [bronzeResult()],
        }),
      }),
      entity: paymentsApi,
      authorize: request =>
        request.permission.name === 'scorecards.waiver.update'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    expect(
      await screen.findByRole('button', { name: 'Waive Has a runbook' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', {
        name: 'Withdraw the waiver of At most one high-impact debt item open',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Edit the waiver of/ }),
    ).not.toBeInTheDocument();
  });
});
