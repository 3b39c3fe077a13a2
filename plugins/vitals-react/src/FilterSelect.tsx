import { MenuItem, TextField } from '@material-ui/core';

/**
 * One option of a FilterSelect: the value the filter sends and the text the menu shows.
 *
 * @public
 */
export interface FilterOption {
  value: string;
  label: string;
}

/**
 * A single-choice filter of an org page: "All …" (the empty value) first, then the options. Its accessible name is
 * "Filter by <label>".
 *
 * @public
 */
export function FilterSelect(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: FilterOption[];
  allLabel: string;
}) {
  return (
    <TextField
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(String(e.target.value))}
      style={{ minWidth: 200 }}
      // The empty value is "All …": shown in the field (Material UI leaves an empty value blank unless told), with
      // the label kept above it.
      InputLabelProps={{ shrink: true }}
      SelectProps={{
        displayEmpty: true,
        inputProps: { 'aria-label': `Filter by ${props.label.toLowerCase()}` },
      }}
    >
      <MenuItem value="">{props.allLabel}</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
