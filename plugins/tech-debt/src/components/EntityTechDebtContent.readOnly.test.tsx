import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { fakeApi, makeItem, renderContent } from './__testUtils__/testUtils';

// In its own file: usePermission caches decisions (SWR) per module instance, so a DENY must not follow an ALLOW.
describe('EntityTechDebtContent for a non-owner', () => {
  it('shows non-owners a read-only register with the reason and no add button', async () => {
    const api = fakeApi({
      listItems: jest
        .fn()
        .mockResolvedValue({ items: [makeItem()], totalCount: 1 }),
    });
    await renderContent(api, AuthorizeResult.DENY);
    expect(
      await screen.findByText(
        /Read only: only the owners of component:default\/payments-api \(group:default\/payments\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Add debt item' }),
    ).not.toBeInTheDocument();
  });
});
