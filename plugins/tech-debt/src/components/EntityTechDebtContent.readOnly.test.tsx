import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { TechDebtApi } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { EntityTechDebtContent } from './EntityTechDebtContent';
import { makeItem, paymentsApi } from './testData';

function fakeApi(overrides: Partial<TechDebtApi> = {}): jest.Mocked<TechDebtApi> {
  return {
    listItems: jest.fn(),
    exportItemsCsv: jest.fn(),
    getItem: jest.fn(),
    getItemEvents: jest.fn().mockResolvedValue([]),
    createItem: jest.fn(),
    updateItem: jest.fn(),
    deleteItem: jest.fn(),
    getSummary: jest.fn(),
    getFacets: jest.fn(),
    getBudget: jest.fn(),
    putBudget: jest.fn(),
    ...overrides,
  } as jest.Mocked<TechDebtApi>;
}

async function renderContent(api: TechDebtApi, authorize: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [techDebtApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider entity={paymentsApi}>
        <EntityTechDebtContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

// In its own file: usePermission caches decisions (SWR) per module instance, so a DENY must not follow an ALLOW.
describe('EntityTechDebtContent for a non-owner', () => {
  it('shows non-owners a read-only register with the reason and no add button', async () => {
    const api = fakeApi({ listItems: jest.fn().mockResolvedValue({ items: [makeItem()], totalCount: 1 }) });
    await renderContent(api, AuthorizeResult.DENY);
    expect(
      await screen.findByText(/Read only: only the owners of component:default\/payments-api \(group:default\/payments\)/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add debt item' })).not.toBeInTheDocument();
  });

});
