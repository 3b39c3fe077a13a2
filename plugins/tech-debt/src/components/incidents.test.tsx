import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeApi,
  makeIncident,
  makeItem,
  renderContent,
} from './__testUtils__/testUtils';

/** An item two incidents came from: one resolved with a postmortem, one still going on without one. */
function itemWithIncidents() {
  return makeItem({
    title: 'Card capture retries are not idempotent',
    interestHoursPerMonth: 10,
    incidentCount: 2,
    incidents: [
      makeIncident({
        incidentId: 'pagerduty:ONGOING',
        title: null,
        createdAt: '2026-11-30T10:00:00.000Z',
        resolvedAt: null,
        restoreMinutes: null,
        severity: 'SEV1',
        postmortemId: null,
        postmortemUrl: null,
      }),
      makeIncident(),
    ],
    measuredInterest: { windowDays: 90, incidents: 2, restoreMinutes: 195 },
  });
}

describe('incidents in the entity register', () => {
  it('shows per item how many incidents it came from, a link to the latest postmortem and the measured interest beside the estimate', async () => {
    const linked = makeItem({
      title: 'Card capture retries are not idempotent',
      interestHoursPerMonth: 10,
      incidentCount: 2,
      incidents: [makeIncident(), makeIncident({ incidentId: 'older' })],
      measuredInterest: { windowDays: 90, incidents: 2, restoreMinutes: 115 },
    });
    const quiet = makeItem({ title: 'Tidy the README' });
    const api = fakeApi({
      listItems: jest
        .fn()
        .mockResolvedValue({ items: [linked, quiet], totalCount: 2 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);

    const row = (await screen.findByText(linked.title)).closest('tr')!;
    expect(within(row).getByText('10 h/mo')).toBeInTheDocument();
    expect(
      within(row).getByText('2 incidents · 1 h 55 min'),
    ).toBeInTheDocument();
    expect(within(row).getByText('2 incidents')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', {
        name: 'Postmortem of Card captures timed out',
      }),
    ).toHaveAttribute('href', 'https://backstage.example.com/postmortems/pm-1');

    const quietRow = screen.getByText('Tidy the README').closest('tr')!;
    expect(within(quietRow).getByText('none')).toBeInTheDocument();
    expect(within(quietRow).queryByRole('link')).toBeNull();
  });

  it('lists the incidents in the item details with severity, restore time and postmortem, and says what was linked in the history', async () => {
    const item = itemWithIncidents();
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
      getItemEvents: jest.fn().mockResolvedValue([
        {
          id: 2,
          itemId: item.id,
          entityRef: item.entityRef,
          action: 'linked',
          actor: 'user:default/guest',
          at: '2026-11-22T10:00:00.000Z',
          changes: {
            incidentId: { from: null, to: 'pagerduty:PGR0VU2' },
            postmortemId: { from: null, to: 'pm-1' },
            severity: { from: null, to: 'SEV2' },
          },
        },
        {
          id: 1,
          itemId: item.id,
          entityRef: item.entityRef,
          action: 'created',
          actor: 'user:default/guest',
          at: '2026-11-01T10:00:00.000Z',
          changes: {},
        },
      ]),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(await screen.findByText(item.title));
    const dialog = await screen.findByRole('dialog');

    expect(
      within(dialog).getByText(
        'Measured: 2 incidents in the last 90 days, 3 h 15 min to restore',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Interest 10 h/month'),
    ).toBeInTheDocument();
    const incidents = within(dialog).getByRole('list', {
      name: 'Linked incidents',
    });
    const [ongoing, resolved] = within(incidents).getAllByRole('listitem');
    expect(ongoing).toHaveTextContent('pagerduty:ONGOING');
    expect(ongoing).toHaveTextContent('SEV1');
    expect(ongoing).toHaveTextContent('ongoing');
    expect(ongoing).toHaveTextContent('no postmortem yet');
    expect(resolved).toHaveTextContent('Card captures timed out');
    expect(resolved).toHaveTextContent('pagerduty:PGR0VU2');
    expect(resolved).toHaveTextContent('restored in 1 h 15 min');
    expect(within(resolved).getByRole('link')).toHaveAttribute(
      'href',
      'https://backstage.example.com/postmortems/pm-1',
    );
    // Every link is in the list row: no extra request.
    expect(api.getItem).not.toHaveBeenCalled();

    const history = await within(dialog).findByRole('list', {
      name: 'History',
    });
    expect(history).toHaveTextContent(
      'user:default/guest linked incident pagerduty:PGR0VU2 from postmortem pm-1',
    );
  });

  it('loads every incident of an item the list row carries only some of, and shows an error when that fails', async () => {
    const item = makeItem({
      title: 'Hot item',
      incidentCount: 25,
      incidents: Array.from({ length: 20 }, (_, n) =>
        makeIncident({ incidentId: `inc-${n}` }),
      ),
      measuredInterest: { windowDays: 90, incidents: 25, restoreMinutes: 600 },
    });
    const getItem = jest
      .fn()
      .mockResolvedValueOnce({
        ...item,
        incidents: Array.from({ length: 25 }, (_, n) =>
          makeIncident({ incidentId: `inc-${n}` }),
        ),
      })
      .mockRejectedValue(new Error('tech-debt backend is down'));
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
      getItem,
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(await screen.findByText('Hot item'));
    let dialog = await screen.findByRole('dialog');
    const list = await within(dialog).findByRole('list', {
      name: 'Linked incidents',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(25);
    expect(getItem).toHaveBeenCalledWith(item.id);

    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    fireEvent.click(await screen.findByText('Hot item'));
    dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(
        'Could not load the incidents: tech-debt backend is down',
      ),
    ).toBeInTheDocument();
  });

  it('says what to do next when no incident is linked', async () => {
    const item = makeItem({ title: 'Quiet item' });
    const api = fakeApi({
      listItems: jest.fn().mockResolvedValue({ items: [item], totalCount: 1 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    fireEvent.click(await screen.findByText('Quiet item'));
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/No incidents linked\. When a postmortem/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Measured: No linked incident in the last 90 days',
      ),
    ).toBeInTheDocument();
  });

  it('sorts the register by measured interest when asked', async () => {
    const api = fakeApi({
      listItems: jest
        .fn()
        .mockResolvedValue({ items: [itemWithIncidents()], totalCount: 1 }),
    });
    await renderContent(api, AuthorizeResult.ALLOW);
    await screen.findByText('Debt items (1)');
    expect(api.listItems).toHaveBeenLastCalledWith(
      expect.objectContaining({ orderBy: 'priority' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Sort by' }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'Measured interest (incidents, 90 days)',
      }),
    );
    expect(api.listItems).toHaveBeenLastCalledWith(
      expect.objectContaining({ orderBy: 'measuredInterest' }),
    );
  });
});
