import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ActionItemsCard } from './ActionItemsCard';
import {
  apiError,
  DEBT_ITEM_ID,
  fakeApi,
  makeActionItem,
  makePostmortem,
  POSTMORTEM_ID,
  renderOnEntity,
} from './__testUtils__/fixtures';

const OTHER_DEBT_ID = '9a9a9a9a-1f0a-4d47-9a8e-2a4c5b7d9e02';

/** The tech-debt register's list endpoint, as the link dialog reads it. */
function registerFetch() {
  return {
    fetch: jest.fn(async (url: string) => {
      expect(url).toContain('/api/tech-debt/v1/items?');
      const body = {
        items: [
          { id: DEBT_ITEM_ID, title: 'Already an action item', status: 'open' },
          {
            id: OTHER_DEBT_ID,
            title: 'Pool size is hard-coded',
            status: 'planned',
          },
        ],
        totalCount: 2,
      };
      return { ok: true, status: 200, json: async () => body };
    }),
  };
}

async function render(
  options: {
    canEdit?: boolean;
    items?: ReturnType<typeof makeActionItem>[];
  } = {},
  api = fakeApi(),
) {
  const onChanged = jest.fn();
  await renderOnEntity(
    <ActionItemsCard
      postmortem={makePostmortem()}
      items={options.items ?? []}
      canEdit={options.canEdit ?? true}
      onChanged={onChanged}
    />,
    {
      api,
      extraApis: [
        [fetchApiRef, registerFetch()],
        [
          discoveryApiRef,
          { getBaseUrl: async (id: string) => `http://localhost/api/${id}` },
        ],
      ],
    },
  );
  return { api, onChanged };
}

describe('action items', () => {
  it("show each debt item's live status, owner and due date, overdue ones marked", async () => {
    await render({
      canEdit: false,
      items: [
        makeActionItem({ overdue: true, dueDate: '2026-11-30' }),
        makeActionItem({
          debtItemId: OTHER_DEBT_ID,
          debt: null,
          origin: 'linked',
        }),
      ],
    });
    const row = screen
      .getByRole('link', { name: 'Check migrations for table locks in CI' })
      .closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('In progress');
    expect(row).toHaveTextContent('Assigned to jonas.berg');
    expect(row).toHaveTextContent('30 Nov 2026');
    expect(row).toHaveTextContent('Overdue');
    expect(
      screen.getByText(`No longer in the register (${OTHER_DEBT_ID})`),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create debt item' }),
    ).toBeNull();
  });

  it('says what to do when there are none', async () => {
    await render();
    expect(
      screen.getByText(/No action items yet. Create a debt item/),
    ).toBeInTheDocument();
  });

  it('creates one as a debt item with impact and effort, checking the input first', async () => {
    const { api, onChanged } = await render();
    api.createActionItem.mockResolvedValue(makeActionItem());
    fireEvent.click(screen.getByRole('button', { name: 'Create debt item' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create debt item' }),
    );
    expect(
      await within(dialog).findByText('A title is required'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'How many engineer-days it takes, e.g. 2 or 0.5',
      ),
    ).toBeInTheDocument();
    expect(api.createActionItem).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByRole('textbox', { name: /^Title/ }), {
      target: { value: 'Alert on connection pool saturation' },
    });
    fireEvent.change(
      within(dialog).getByRole('textbox', {
        name: /^Effort \(engineer-days\)/,
      }),
      { target: { value: '5000' } },
    );
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create debt item' }),
    );
    expect(
      await within(dialog).findByText(/less than or equal to 1000|<=1000/),
    ).toBeInTheDocument();

    fireEvent.change(
      within(dialog).getByRole('textbox', {
        name: /^Effort \(engineer-days\)/,
      }),
      { target: { value: '1.5' } },
    );
    fireEvent.mouseDown(
      within(dialog).getByRole('button', { name: /^Impact/ }),
    );
    fireEvent.click(await screen.findByRole('option', { name: '4 · serious' }));
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create debt item' }),
    );
    await waitFor(() =>
      expect(api.createActionItem).toHaveBeenCalledWith(POSTMORTEM_ID, {
        title: 'Alert on connection pool saturation',
        category: 'code',
        impact: 4,
        effortDays: 1.5,
      }),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('says nothing was recorded when the register cannot be reached', async () => {
    const { api } = await render();
    api.createActionItem.mockRejectedValue(
      apiError(503, 'The tech-debt register failed: 503 Service Unavailable'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create debt item' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: /^Title/ }), {
      target: { value: 'Alert on saturation' },
    });
    fireEvent.change(
      within(dialog).getByRole('textbox', {
        name: /^Effort \(engineer-days\)/,
      }),
      { target: { value: '2' } },
    );
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Create debt item' }),
    );
    expect(
      await within(dialog).findByText(
        /The tech-debt register could not be reached, so nothing was recorded/,
      ),
    ).toBeInTheDocument();
  });

  it("links one of the entity's unresolved debt items that is not linked yet", async () => {
    const { api, onChanged } = await render({ items: [makeActionItem()] });
    api.linkActionItem.mockResolvedValue(
      makeActionItem({ debtItemId: OTHER_DEBT_ID, origin: 'linked' }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Link existing debt item' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.mouseDown(
      await within(dialog).findByRole('button', {
        name: /^Unresolved debt of payments-api/,
      }),
    );
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Pool size is hard-coded · Planned',
    ]);
    fireEvent.click(options[0]);
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Link debt item' }),
    );
    await waitFor(() =>
      expect(api.linkActionItem).toHaveBeenCalledWith(
        POSTMORTEM_ID,
        OTHER_DEBT_ID,
        {},
      ),
    );
    expect(onChanged).toHaveBeenCalled();
  });

  it('removes an action item, leaving the debt item in the register', async () => {
    const { api, onChanged } = await render({ items: [makeActionItem()] });
    api.unlinkActionItem.mockResolvedValue();
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Remove action item Check migrations for table locks in CI',
      }),
    );
    await waitFor(() =>
      expect(api.unlinkActionItem).toHaveBeenCalledWith(
        POSTMORTEM_ID,
        DEBT_ITEM_ID,
      ),
    );
    expect(onChanged).toHaveBeenCalled();
  });
});
