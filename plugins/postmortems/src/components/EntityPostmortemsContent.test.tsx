import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';
import {
  apiError,
  ENTITY_REF,
  fakeApi,
  incidentRow,
  makePostmortem,
  POSTMORTEM_ID,
  renderOnEntity,
} from './__testUtils__/fixtures';

const DAY = 86_400_000;
const daysFromNow = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

function incidents() {
  return {
    items: [
      // Qualifying, due a day ago, no postmortem: overdue.
      incidentRow({
        id: 'pagerduty:OVERDUE1',
        createdAt: daysFromNow(-6),
        postmortemDueAt: daysFromNow(-1),
      }),
      // Draft of a qualifying incident not yet due.
      incidentRow(
        {
          id: 'pagerduty:DRAFT1',
          createdAt: daysFromNow(-1),
          postmortemDueAt: daysFromNow(4),
        },
        { id: POSTMORTEM_ID, status: 'draft', title: 'Checkout timeouts' },
      ),
      // Published: never overdue.
      incidentRow(
        {
          id: 'pagerduty:DONE1',
          createdAt: daysFromNow(-30),
          postmortemDueAt: daysFromNow(-25),
        },
        {
          id: '11111111-1111-4111-8111-111111111111',
          status: 'published',
          title: 'Ledger lock',
        },
      ),
      // Someone else's draft, not shared with this viewer.
      incidentRow(
        {
          id: 'pagerduty:PRIVATE1',
          qualifying: false,
          postmortemDueAt: null,
          severity: 'SEV4',
        },
        {
          id: '22222222-2222-4222-8222-222222222222',
          status: 'in_review',
          title: null,
        },
      ),
    ],
    totalCount: 4,
  };
}

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr') as HTMLElement;

describe('the Postmortems tab', () => {
  it("lists the service's incidents with their postmortem status, the overdue ones marked", async () => {
    const api = fakeApi({
      listIncidents: jest.fn().mockResolvedValue(incidents()),
    });
    await renderOnEntity(<EntityPostmortemsContent />, { api });

    const overdue = await rowOf('pagerduty:OVERDUE1');
    expect(overdue).toHaveTextContent('No postmortem');
    expect(overdue).toHaveTextContent('Overdue');
    expect(
      within(overdue).getByRole('button', { name: 'Start a postmortem' }),
    ).toBeInTheDocument();

    const draft = await rowOf('pagerduty:DRAFT1');
    expect(draft).toHaveTextContent('Draft');
    expect(draft).not.toHaveTextContent('Overdue');
    expect(
      within(draft).getByRole('link', { name: 'Checkout timeouts' }),
    ).toHaveAttribute('href', `/?postmortem=${POSTMORTEM_ID}`);

    const done = await rowOf('pagerduty:DONE1');
    expect(done).toHaveTextContent('Published');
    expect(done).not.toHaveTextContent('Overdue');

    const hidden = await rowOf('pagerduty:PRIVATE1');
    expect(hidden).toHaveTextContent('In review');
    expect(hidden).toHaveTextContent(
      'Shared with the owning team and its authors until published',
    );
    expect(api.listIncidents).toHaveBeenCalledWith({
      entityRef: ENTITY_REF,
      limit: 200,
    });
  });

  it('starts a draft for an incident and opens it in the editor', async () => {
    const api = fakeApi({
      listIncidents: jest.fn().mockResolvedValue(incidents()),
      createPostmortem: jest
        .fn()
        .mockResolvedValue(
          makePostmortem({ incidentId: 'pagerduty:OVERDUE1' }),
        ),
    });
    await renderOnEntity(<EntityPostmortemsContent />, { api });
    const overdue = await rowOf('pagerduty:OVERDUE1');
    fireEvent.click(
      within(overdue).getByRole('button', { name: 'Start a postmortem' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('pagerduty:OVERDUE1');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Title' }), {
      target: { value: 'Card payments failed' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Start the draft' }),
    );
    await waitFor(() =>
      expect(api.createPostmortem).toHaveBeenCalledWith({
        incidentId: 'pagerduty:OVERDUE1',
        entityRef: ENTITY_REF,
        title: 'Card payments failed',
        templateId: 'blameless',
      }),
    );
    expect(await screen.findByText(/^Editing: /)).toBeInTheDocument();
    expect(api.getPostmortem).toHaveBeenCalledWith(POSTMORTEM_ID);
  });

  it('opens the postmortem of an incident named in the URL (the DORA drill-down links there)', async () => {
    const api = fakeApi({
      listPostmortems: jest
        .fn()
        .mockImplementation(async query =>
          query?.incidentId === 'pagerduty:PGR0VU2'
            ? { items: [makePostmortem()], totalCount: 1 }
            : { items: [], totalCount: 0 },
        ),
    });
    await renderOnEntity(<EntityPostmortemsContent />, {
      api,
      route: '/?incident=pagerduty%3APGR0VU2',
    });
    expect(
      await screen.findByText(
        'Card payments failed after the ledger schema change',
      ),
    ).toBeInTheDocument();
    expect(api.listPostmortems).toHaveBeenCalledWith({
      entityRef: ENTITY_REF,
      incidentId: 'pagerduty:PGR0VU2',
      limit: 1,
    });
  });

  it('offers to start one for an incident in the URL without a postmortem, and explains a 409', async () => {
    const api = fakeApi({
      createPostmortem: jest
        .fn()
        .mockRejectedValue(
          apiError(409, "Incident 'pagerduty:NEW1' already has a postmortem"),
        ),
    });
    await renderOnEntity(<EntityPostmortemsContent />, {
      api,
      route: '/?incident=pagerduty%3ANEW1',
    });
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('pagerduty:NEW1');
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Start the draft' }),
    );
    expect(
      await within(dialog).findByText(/This incident already has a postmortem/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Open it' }),
    ).toBeInTheDocument();
  });

  it('says what to do when there are no incidents, and shows a load failure', async () => {
    const api = fakeApi({
      listPostmortems: jest.fn().mockRejectedValue(new Error('503 down')),
    });
    await renderOnEntity(<EntityPostmortemsContent />, { api });
    expect(
      await screen.findByText(/No incidents recorded for this service/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load the postmortems/),
    ).toBeInTheDocument();
  });
});
