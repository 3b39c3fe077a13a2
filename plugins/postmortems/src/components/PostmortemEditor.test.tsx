import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EntityPostmortemsContent } from './EntityPostmortemsContent';
import {
  apiError,
  fakeApi,
  makeDetail,
  makePostmortem,
  POSTMORTEM_ID,
  renderOnEntity,
} from './__testUtils__/fixtures';

const EDIT_ROUTE = `/?postmortem=${POSTMORTEM_ID}&edit=1`;

async function openEditor(api = fakeApi()) {
  await renderOnEntity(<EntityPostmortemsContent />, {
    api,
    route: EDIT_ROUTE,
  });
  await screen.findByText(/^Editing: /);
  return api;
}

const field = (label: string | RegExp) =>
  screen.getByRole('textbox', { name: label }) as HTMLInputElement;

const type = (label: string | RegExp, value: string) =>
  fireEvent.change(field(label), { target: { value } });

const hintsFor = (section: string) =>
  screen.queryByRole('note', {
    name: `Blameless wording hints for ${section}`,
  });

describe('the postmortem editor', () => {
  it('shows the template sections with what the postmortem says', async () => {
    await openEditor();
    expect(field(/^Summary/)).toHaveValue(
      'Card payments failed for 75 minutes.',
    );
    expect(field(/^Contributing factors/)).toHaveValue(
      'The migration tool takes a table lock by default.',
    );
    expect(field('Entry 2: what happened')).toHaveValue(
      'The payment error-rate alert fires.',
    );
    expect(screen.getByText('What to write in lessons.')).toBeInTheDocument();
    // A draft goes to review next; it is not published directly.
    expect(
      screen.getByRole('button', { name: 'Send to review' }),
    ).toBeEnabled();
    expect(screen.queryByRole('button', { name: /Publish/ })).toBeNull();
  });

  it('flags names, handles and blame in the contributing factors as the author types, and never blocks the save', async () => {
    const api = await openEditor();
    api.updatePostmortem.mockResolvedValue(makePostmortem({ version: 4 }));
    expect(hintsFor('Contributing factors')).toBeNull();

    type(
      /^Contributing factors/,
      'Maria Santos ran the migration and @jonas should have checked the lock.',
    );
    const hints = await waitFor(() => {
      const note = hintsFor('Contributing factors');
      expect(note).not.toBeNull();
      return note!;
    });
    expect(hints).toHaveTextContent('3 phrases point at people');
    expect(hints).toHaveTextContent('"Maria Santos" names a person');
    expect(hints).toHaveTextContent('"@jonas" is somebody\'s handle');
    expect(hints).toHaveTextContent('"should have" assigns blame');

    // Other sections are not checked by this template.
    type(/^Summary/, '@jonas was paged.');
    expect(hintsFor('Summary')).toBeNull();

    // Warnings are advice: the text is saved as written.
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updatePostmortem).toHaveBeenCalled());
    expect(api.updatePostmortem.mock.calls[0][1]).toEqual({
      version: 3,
      summary: '@jonas was paged.',
      contributingFactors:
        'Maria Santos ran the migration and @jonas should have checked the lock.',
    });

    // Reworded towards the system, the hint goes away.
    type(
      /^Contributing factors/,
      'The migration ran during peak traffic; nothing in CI showed the lock it takes.',
    );
    await waitFor(() => expect(hintsFor('Contributing factors')).toBeNull());
    expect(
      screen.getByText(
        'Blameless wording: nothing flagged in contributing factors.',
      ),
    ).toBeInTheDocument();
  });

  it('sends only what changed, with the version it was based on, and moves the status on', async () => {
    const api = await openEditor();
    api.updatePostmortem.mockResolvedValue(
      makePostmortem({ version: 4, status: 'in_review' }),
    );
    type(/^Lessons/, 'Lock checks belong in CI.');
    fireEvent.click(
      screen.getByRole('button', { name: 'Save and send to review' }),
    );
    await waitFor(() =>
      expect(api.updatePostmortem).toHaveBeenCalledWith(POSTMORTEM_ID, {
        version: 3,
        lessons: 'Lock checks belong in CI.',
        status: 'in_review',
      }),
    );
    // After a status change the read view shows again.
    await waitFor(() => expect(screen.queryByText(/^Editing: /)).toBeNull());
  });

  it('explains what is missing before review and what the API would refuse, naming each field', async () => {
    const api = await openEditor();
    type(/^Title/, '');
    type(/^Contributing factors/, '   ');
    fireEvent.click(
      screen.getByRole('button', { name: 'Add a timeline entry' }),
    );
    fireEvent.change(field('Entry 3: what happened'), {
      target: { value: '' },
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Save and send to review' }),
    );

    expect(
      await screen.findByText(/Not saved: 3 fields need attention/),
    ).toBeInTheDocument();
    expect(screen.getByText('Required before review')).toBeInTheDocument();
    expect(screen.getByText('Say what happened')).toBeInTheDocument();
    expect(field(/^Title/)).toHaveAttribute('aria-invalid', 'true');
    expect(api.updatePostmortem).not.toHaveBeenCalled();

    // Fixed, it goes; a rule only the server knows comes back as its message.
    api.updatePostmortem.mockRejectedValue(
      apiError(
        400,
        'Invalid postmortem update: authors: user:default/nobody is not a user in the catalog',
      ),
    );
    type(/^Title/, 'Card payments failed');
    type(/^Contributing factors/, 'The lock was invisible.');
    fireEvent.change(field('Entry 3: what happened'), {
      target: { value: 'The lock is released.' },
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Save and send to review' }),
    );
    expect(
      await screen.findByText(/authors: user:default\/nobody is not a user/),
    ).toBeInTheDocument();
    expect(field(/^Title/)).toHaveValue('Card payments failed');
  });

  it('on a stale edit (409) keeps what was typed, loads their version and merges it section by section', async () => {
    const api = await openEditor();
    api.updatePostmortem.mockRejectedValueOnce(
      apiError(
        409,
        "Postmortem '0b8f6c1e' was changed by user:default/amira.haddad since you loaded it (your version 3, current 4); reload and try again",
      ),
    );
    type(/^Summary/, 'My summary of the outage.');
    type(/^Contributing factors/, 'My view of the contributing factors.');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const conflict = await screen.findByText(
      'Someone else saved this postmortem meanwhile',
    );
    expect(conflict.closest('[role="alert"]')).toHaveTextContent(
      /your version 3, current 4/,
    );
    expect(field(/^Summary/)).toHaveValue('My summary of the outage.');

    // Meanwhile Amira rewrote the summary and the lessons.
    api.getPostmortem.mockResolvedValue(
      makeDetail({
        postmortem: makePostmortem({
          version: 4,
          summary: 'Amira’s summary.',
          lessons: 'Amira’s lessons.',
        }),
      }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Load their changes, keep my text' }),
    );
    await waitFor(() =>
      expect(field(/^Lessons/)).toHaveValue('Amira’s lessons.'),
    );
    expect(field(/^Summary/)).toHaveValue('My summary of the outage.');
    expect(field(/^Contributing factors/)).toHaveValue(
      'My view of the contributing factors.',
    );
    const overlap = screen
      .getByText('Summary: changed by someone else too')
      .closest('[role="alert"]') as HTMLElement;
    expect(overlap).toHaveTextContent('Amira’s summary.');
    expect(
      screen.queryByText('Someone else saved this postmortem meanwhile'),
    ).toBeNull();

    api.updatePostmortem.mockResolvedValue(makePostmortem({ version: 5 }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.updatePostmortem).toHaveBeenCalledTimes(2));
    expect(api.updatePostmortem.mock.calls[1][1]).toEqual({
      version: 4,
      summary: 'My summary of the outage.',
      contributingFactors: 'My view of the contributing factors.',
    });
  });

  it('lets the author take the other version of a section both changed', async () => {
    const api = await openEditor();
    api.updatePostmortem.mockRejectedValueOnce(apiError(409, 'stale'));
    type(/^Summary/, 'Mine.');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Someone else saved this postmortem meanwhile');
    api.getPostmortem.mockResolvedValue(
      makeDetail({
        postmortem: makePostmortem({ version: 4, summary: 'Theirs.' }),
      }),
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Load their changes, keep my text' }),
    );
    const overlap = (
      await screen.findByText('Summary: changed by someone else too')
    ).closest('[role="alert"]') as HTMLElement;
    fireEvent.click(
      within(overlap).getByRole('button', { name: 'Use theirs' }),
    );
    expect(field(/^Summary/)).toHaveValue('Theirs.');
    expect(
      screen.queryByText('Summary: changed by someone else too'),
    ).toBeNull();
  });
});
