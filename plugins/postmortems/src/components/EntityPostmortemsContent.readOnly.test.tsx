import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';
import {
  apiError,
  fakeApi,
  incidentRow,
  makeActionItem,
  makeDetail,
  makePostmortem,
  POSTMORTEM_ID,
  renderOnEntity,
} from './__testUtils__/fixtures';

// A file of its own: the permission hook caches answers per permission and entity for the whole test file, so the
// "may edit" answers of the other file would leak in here.

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr') as HTMLElement;

describe('the Postmortems tab for someone who may not edit', () => {
  it('offers no way to start a postmortem, and says why', async () => {
    const api = fakeApi({
      listIncidents: jest.fn().mockResolvedValue({
        items: [incidentRow({ id: 'pagerduty:OVERDUE1' })],
        totalCount: 1,
      }),
    });
    await renderOnEntity(<EntityPostmortemsContent />, {
      api,
      authorize: AuthorizeResult.DENY,
    });
    await rowOf('pagerduty:OVERDUE1');
    expect(
      await screen.findByText(
        /Read only: only the owners of component:default\/payments-api \(group:default\/payments\) can start and edit/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Start a postmortem' }),
    ).toBeNull();
  });

  it('shows a postmortem read-only, timeline in time order, with the incident, deployment and changes', async () => {
    const published = makePostmortem({
      status: 'published',
      publishedAt: '2026-11-28T16:20:00.000Z',
      timeline: [
        { at: '2026-11-25T13:15:00.000Z', text: 'Error rate back to normal.' },
        { at: '2026-11-25T11:07:30.000Z', text: 'The migration ships.' },
        { at: '2026-11-25T12:00:00.000Z', text: 'The alert fires.' },
      ],
    });
    const api = fakeApi({
      getPostmortem: jest.fn().mockResolvedValue(
        makeDetail({
          postmortem: published,
          canEdit: false,
          actionItems: [makeActionItem()],
        }),
      ),
    });
    // Even with ?edit=1 in the URL, someone who may not edit gets the read view.
    await renderOnEntity(<EntityPostmortemsContent />, {
      api,
      authorize: AuthorizeResult.DENY,
      route: `/?postmortem=${POSTMORTEM_ID}&edit=1`,
    });
    await screen.findByText(
      'Card payments failed after the ledger schema change',
    );
    expect(screen.queryByText(/^Editing: /)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Create debt item' }),
    ).toBeNull();
    expect(screen.queryByRole('button', { name: /^Remove/ })).toBeNull();
    expect(
      screen.getByText(
        /Read only: only the owners of component:default\/payments-api/,
      ),
    ).toBeInTheDocument();

    const timeline = screen.getByRole('list', { name: 'Timeline' });
    expect(
      within(timeline)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      expect.stringContaining('The migration ships.'),
      expect.stringContaining('The alert fires.'),
      expect.stringContaining('Error rate back to normal.'),
    ]);

    expect(
      screen.getByRole('link', { name: /^pagerduty:PGR0VU2/ }),
    ).toHaveAttribute(
      'href',
      'https://example-corp.pagerduty.com/incidents/PGR0VU2',
    );
    expect(screen.getByText(/gha-run-88213/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'see it in DORA' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api/dora');
    expect(screen.getByRole('link', { name: /^9fceb02/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/pull/412',
    );

    // The action item, live from the register, links into it.
    const item = screen.getByRole('link', {
      name: 'Check migrations for table locks in CI',
    });
    expect(item).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/tech-debt',
    );
    const row = item.closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('In progress');
    expect(row).toHaveTextContent('payments');
    expect(row).toHaveTextContent('Assigned to jonas.berg');
  });

  it('says a draft is not shared yet when the API answers 404', async () => {
    const api = fakeApi({
      getPostmortem: jest
        .fn()
        .mockRejectedValue(
          apiError(404, `No postmortem with id '${POSTMORTEM_ID}'`),
        ),
    });
    await renderOnEntity(<EntityPostmortemsContent />, {
      api,
      authorize: AuthorizeResult.DENY,
      route: `/?postmortem=${POSTMORTEM_ID}`,
    });
    expect(
      await screen.findByText(/or it is not shared with you yet/),
    ).toBeInTheDocument();
  });
});
