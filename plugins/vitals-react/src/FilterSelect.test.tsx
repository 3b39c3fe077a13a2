import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FilterSelect } from './FilterSelect';

describe('FilterSelect', () => {
  it('offers "All …" and the options, and reports the chosen value', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <FilterSelect
        label="Team"
        value=""
        onChange={onChange}
        allLabel="All teams"
        options={[
          { value: 'group:default/payments', label: 'Payments' },
          { value: 'group:default/search', label: 'Search' },
        ]}
      />,
    );
    expect(screen.getByText('Team')).toBeInTheDocument();
    const select = screen.getByRole('button', { name: 'Filter by team' });
    // Nothing chosen yet: the field says so rather than staying blank.
    expect(select).toHaveTextContent('All teams');
    await userEvent.click(select);
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'All teams',
      'Payments',
      'Search',
    ]);
    await userEvent.click(options[2]);
    expect(onChange).toHaveBeenCalledWith('group:default/search');
  });

  it('shows the label of the chosen value', async () => {
    await renderInTestApp(
      <FilterSelect
        label="System"
        value="system:default/ledger"
        onChange={jest.fn()}
        allLabel="All systems"
        options={[{ value: 'system:default/ledger', label: 'Ledger' }]}
      />,
    );
    expect(
      screen.getByRole('button', { name: 'Filter by system' }),
    ).toHaveTextContent('Ledger');
    expect(screen.queryByText('All systems')).toBeNull();
  });
});
