import { MenuItem, TextField } from '@material-ui/core';
import { quarterOf } from '@vitals/plugin-goals-common';

/**
 * A choice of quarter ("2026-Q4"): the chosen one, then the others offered (each once), the current one marked
 * "(this quarter)".
 */
export function QuarterSelect(props: {
  label: string;
  value: string;
  quarters: string[];
  onChange: (quarter: string) => void;
}) {
  const current = quarterOf(new Date());
  return (
    <TextField
      select
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(String(e.target.value))}
      style={{ minWidth: 160 }}
      SelectProps={{ inputProps: { 'aria-label': props.label } }}
    >
      {Array.from(new Set([props.value, ...props.quarters])).map(q => (
        <MenuItem key={q} value={q}>
          {q === current ? `${q} (this quarter)` : q}
        </MenuItem>
      ))}
    </TextField>
  );
}
