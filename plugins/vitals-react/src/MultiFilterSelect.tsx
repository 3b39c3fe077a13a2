import { Checkbox, ListItemText, MenuItem, TextField } from '@material-ui/core';
import type { FilterOption } from './FilterSelect';

/**
 * A filter of an org page that takes several values, e.g. the statuses of the debt register: each option has a
 * checkbox, the field shows the chosen labels, and no choice at all means every value (`allLabel`). Its accessible name
 * is "Filter by <label>".
 *
 * @public
 */
export function MultiFilterSelect(props: {
  label: string;
  value: string[];
  onChange: (value: string[]) => void;
  options: FilterOption[];
  allLabel: string;
}) {
  const labelOf = (value: string) =>
    props.options.find(o => o.value === value)?.label ?? value;
  return (
    <TextField
      select
      label={props.label}
      value={props.value}
      onChange={e => {
        const next = e.target.value as unknown as string[];
        props.onChange(
          props.options.map(o => o.value).filter(v => next.includes(v)),
        );
      }}
      style={{ minWidth: 200, maxWidth: 360 }}
      InputLabelProps={{ shrink: true }}
      SelectProps={{
        multiple: true,
        displayEmpty: true,
        inputProps: { 'aria-label': `Filter by ${props.label.toLowerCase()}` },
        renderValue: selected => {
          const values = selected as string[];
          if (values.length === 0 || values.length === props.options.length)
            return props.allLabel;
          // In the options' order, whatever order they were ticked in.
          return props.options
            .filter(o => values.includes(o.value))
            .map(o => labelOf(o.value))
            .join(', ');
        },
      }}
    >
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          <Checkbox
            size="small"
            checked={props.value.includes(o.value)}
            inputProps={{ 'aria-hidden': true }}
            tabIndex={-1}
            disableRipple
          />
          <ListItemText primary={o.label} />
        </MenuItem>
      ))}
    </TextField>
  );
}
