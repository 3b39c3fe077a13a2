import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { MultiFilterSelect } from './MultiFilterSelect';

const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'wont_fix', label: "Won't fix" },
];

function Harness(props: {
  initial: string[];
  onChange?: (value: string[]) => void;
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <MultiFilterSelect
      label="Status"
      value={value}
      onChange={v => {
        setValue(v);
        props.onChange?.(v);
      }}
      allLabel="All statuses"
      options={STATUSES}
    />
  );
}

describe('MultiFilterSelect', () => {
  it('shows the chosen labels in the options’ order', async () => {
    await renderInTestApp(<Harness initial={['in_progress', 'open']} />);
    expect(
      screen.getByRole('button', { name: 'Filter by status' }),
    ).toHaveTextContent('Open, In progress');
  });

  it('says "All …" when nothing, or everything, is chosen', async () => {
    await renderInTestApp(<Harness initial={[]} />);
    expect(
      screen.getByRole('button', { name: 'Filter by status' }),
    ).toHaveTextContent('All statuses');
  });

  it('adds and removes values with the options’ checkboxes', async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <Harness initial={['open', 'in_progress']} onChange={onChange} />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by status' }),
    );
    const listbox = screen.getByRole('listbox');
    const options = within(listbox).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'Open',
      'In progress',
      'Resolved',
      "Won't fix",
    ]);
    expect(
      options.map(o => o.getAttribute('aria-selected') === 'true'),
    ).toEqual([true, true, false, false]);
    await userEvent.click(options[3]);
    expect(onChange).toHaveBeenLastCalledWith([
      'open',
      'in_progress',
      'wont_fix',
    ]);
    await userEvent.click(
      within(listbox).getByRole('option', { name: 'Open' }),
    );
    expect(onChange).toHaveBeenLastCalledWith(['in_progress', 'wont_fix']);
  });
});
