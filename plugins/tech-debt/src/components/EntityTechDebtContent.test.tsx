import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { fakeApi, makeItem, renderContent } from './__testUtils__/testUtils';

/** The attack under test: a link that runs script when followed. */
const SCRIPT_URL = 'javascript:alert(document.domain)'; // eslint-disable-line no-script-url

describe('EntityTechDebtContent', () => {
  it('lists the entity’s unresolved items in the order the server ranks them', async () => {
    const high = makeItem({
      title: 'Rotate the leaked key',
      impact: 5,
      effortDays: 1,
    });
    const low = makeItem({
      title: 'Tidy the README',
      impact: 1,
      effortDays: 3,
    });
    const api = fakeApi({
      listItems: jest
        .fn()
        .mockResolvedValue({ items: [high, low], totalCount: 2 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);

    expect(await screen.findByText('Debt items (2)')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').map(r => r.textContent ?? '');
    expect(
      rows.findIndex(r => r.includes('Rotate the leaked key')),
    ).toBeLessThan(rows.findIndex(r => r.includes('Tidy the README')));
    expect(api.listItems).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRef: ['component:default/payments-api'],
        status: ['open', 'planned', 'in_progress'],
      }),
    );
  });

  it('says how to start when the register is empty, and offers the add button to owners', async () => {
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    expect(
      await screen.findByText(/No debt recorded for this entity yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add debt item' }),
    ).toBeInTheDocument();
  });

  it('shows the server’s error when the register cannot be loaded', async () => {
    const api = fakeApi({
      listItems: jest
        .fn()
        .mockRejectedValue(new Error('tech-debt backend is down')),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    expect(
      await screen.findByText(/Could not load the debt register/),
    ).toBeInTheDocument();
  });

  it('adds an item through the form, refusing an effort out of bounds before calling the server', async () => {
    const created = makeItem({ title: 'Remove the XML export' });
    const listItems = jest
      .fn()
      .mockResolvedValueOnce({ items: [], totalCount: 0 })
      .mockResolvedValue({ items: [created], totalCount: 1 });
    const createItem = jest.fn().mockResolvedValue(created);
    const api = fakeApi({ listItems, createItem });
    await renderContent(api, AuthorizeResult.ALLOW);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Add debt item' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Title/), {
      target: { value: 'Remove the XML export' },
    });
    for (const effort of ['0', '5e-324', '1001']) {
      fireEvent.change(within(dialog).getByLabelText(/Effort/), {
        target: { value: effort },
      });
      fireEvent.click(within(dialog).getByRole('button', { name: 'Add item' }));
      expect(
        await within(dialog).findByText(
          'Effort must be a number of days from 0.1 to 1000',
        ),
      ).toBeInTheDocument();
      // No priority is previewed for an effort the server would refuse (5e-324 used to show Infinity).
      expect(within(dialog).getByLabelText(/Priority/)).toHaveValue('—');
    }
    expect(createItem).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByLabelText(/Effort/), {
      target: { value: '0.5' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add item' }));
    await waitFor(() =>
      expect(createItem).toHaveBeenCalledWith(
        expect.objectContaining({
          entityRef: 'component:default/payments-api',
          title: 'Remove the XML export',
          effortDays: 0.5,
          category: 'code',
          impact: 3,
        }),
      ),
    );
    expect(
      await screen.findByText('Remove the XML export'),
    ).toBeInTheDocument();
  });

  it('shows the server’s explanation when it refuses the item', async () => {
    const refused = Object.assign(
      new Error('Request failed with 400 Bad Request'),
      {
        response: { status: 400 },
        body: {
          error: {
            name: 'InputError',
            message: 'Invalid debt item: assignee: not a user ref',
          },
        },
      },
    );
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [], totalCount: 0 }),
      createItem: jest.fn().mockRejectedValue(refused),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Add debt item' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Title/), {
      target: { value: 'Something' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Effort/), {
      target: { value: '1' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add item' }));
    expect(
      await within(dialog).findByText(
        'Invalid debt item: assignee: not a user ref',
      ),
    ).toBeInTheDocument();
  });

  it('tells the user to reload when someone else changed the item (409)', async () => {
    const item = makeItem({ title: 'Split the god module' });
    const conflict = Object.assign(new Error('Conflict'), {
      response: { status: 409 },
    });
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
      updateItem: jest.fn().mockRejectedValue(conflict),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(await screen.findByText('Split the god module'));
    const details = await screen.findByRole('dialog');
    fireEvent.click(within(details).getByRole('button', { name: 'Edit' }));
    const form = await screen.findByRole('dialog');
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(
      await within(form).findByText(/Someone else changed this item/),
    ).toBeInTheDocument();
  });

  it('deletes an item with the version it shows, so that a stale delete is refused', async () => {
    const item = makeItem({ title: 'Drop the legacy endpoint', version: 4 });
    const deleteItem = jest.fn().mockResolvedValue(undefined);
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
      deleteItem,
    });
    const confirm = jest.spyOn(window, 'confirm').mockReturnValue(true);
    try {
      await renderContent(api, AuthorizeResult.ALLOW);
      fireEvent.click(await screen.findByText('Drop the legacy endpoint'));
      const details = await screen.findByRole('dialog');
      fireEvent.click(within(details).getByRole('button', { name: 'Delete' }));
      await waitFor(() => expect(deleteItem).toHaveBeenCalledWith(item.id, 4));
    } finally {
      confirm.mockRestore();
    }
  });

  it('shows a tracker link that is not http(s) as text, never as a link', async () => {
    const item = makeItem({ title: 'Imported item', trackerUrl: SCRIPT_URL });
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(await screen.findByText('Imported item'));
    const details = await screen.findByRole('dialog');
    expect(
      within(details).getByText(/Tracker: javascript:alert/),
    ).toBeInTheDocument();
    expect(within(details).queryByRole('link', { name: 'Tracker' })).toBeNull();
  });
});
