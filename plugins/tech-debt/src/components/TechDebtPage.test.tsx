import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DebtItem, ListItemsQuery } from '@vitals/plugin-tech-debt-common';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { TechDebtPage } from './TechDebtPage';
import { fakeApi, makeItem } from './__testUtils__/testUtils';

/** A register with items in every state; listItems filters by status like the server does. */
function registerApi() {
  const items: DebtItem[] = [
    makeItem({ title: 'Retry loop by hand', status: 'open' }),
    makeItem({ title: 'Flaky ledger tests', status: 'in_progress' }),
    makeItem({ title: 'Move to the new queue', status: 'planned' }),
    makeItem({
      title: 'Rewrite the CSV importer',
      status: 'wont_fix',
      category: 'documentation',
    }),
    makeItem({ title: 'Pin the TLS library', status: 'resolved' }),
  ];
  return fakeApi({
    getFacets: jest
      .fn()
      .mockResolvedValue({ owners: [], systems: [], tags: [] }),
    listItems: jest.fn(async (query?: ListItemsQuery) => {
      const shown = items.filter(
        i => !query?.status || query.status.includes(i.status),
      );
      return { items: shown, totalCount: shown.length };
    }),
  });
}

async function render(api: ReturnType<typeof fakeApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[techDebtApiRef, api]]}>
      <TechDebtPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByText('Retry loop by hand');
}

describe('TechDebtPage', () => {
  it('lists only what is still to pay down by default: open, planned and in progress', async () => {
    const api = registerApi();
    await render(api);

    expect(api.listItems).toHaveBeenLastCalledWith(
      expect.objectContaining({
        status: ['open', 'planned', 'in_progress'],
      }),
    );
    expect(
      screen.getByRole('button', { name: 'Filter by status' }),
    ).toHaveTextContent('Open, Planned, In progress');
    expect(screen.getByText('Flaky ledger tests')).toBeInTheDocument();
    expect(screen.getByText('Move to the new queue')).toBeInTheDocument();
    expect(screen.queryByText('Rewrite the CSV importer')).toBeNull();
    expect(screen.queryByText('Pin the TLS library')).toBeNull();
    expect(screen.queryByText("Won't fix")).toBeNull();
  });

  it('shows the closed states when the filter asks for them', async () => {
    const api = registerApi();
    await render(api);

    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    const listbox = screen.getByRole('listbox');
    await userEvent.click(
      within(listbox).getByRole('option', { name: "Won't fix" }),
    );
    expect(
      await screen.findByText('Rewrite the CSV importer'),
    ).toBeInTheDocument();
    expect(api.listItems).toHaveBeenLastCalledWith(
      expect.objectContaining({
        status: ['open', 'planned', 'in_progress', 'wont_fix'],
      }),
    );
    expect(screen.queryByText('Pin the TLS library')).toBeNull();

    // Every status chosen is no filter at all.
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'Resolved' }),
    );
    expect(await screen.findByText('Pin the TLS library')).toBeInTheDocument();
    const last = api.listItems.mock.calls.at(-1)?.[0];
    expect(last?.status).toBeUndefined();
  });

  it('keeps names whole in narrow columns: a category never breaks inside the word', async () => {
    const api = registerApi();
    await render(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: "Won't fix",
      }),
    );
    const row = (await screen.findByText('Rewrite the CSV importer')).closest(
      'tr',
    )!;
    const category = within(row).getByText('Documentation').closest('td')!;
    // The theme lets table cells break anywhere ("Documentati / on"); the column must undo that.
    expect(category).toHaveStyle({ wordBreak: 'keep-all' });
    expect(category.style.overflowWrap).toBe('normal');
    expect(within(row).getByText("Won't fix").closest('td')).toHaveStyle({
      whiteSpace: 'nowrap',
    });
  });
});
