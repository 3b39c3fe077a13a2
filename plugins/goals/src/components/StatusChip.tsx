import { Chip, makeStyles } from '@material-ui/core';
import type { ProgressStatus } from '@vitals/plugin-goals-common';
import { STATUS_LABELS } from './format';

const COLORS: Record<ProgressStatus, string> = {
  on_track: '#2e7d32',
  at_risk: '#ed6c02',
  off_track: '#c62828',
  not_started: '#757575',
  no_data: '#757575',
};

const useStyles = makeStyles({
  chip: { color: '#fff', fontWeight: 600 },
});

/** A status as a coloured chip whose text says it (colour is never the only signal). */
export function StatusChip({ status }: { status: ProgressStatus }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={STATUS_LABELS[status]}
      className={classes.chip}
      style={{ backgroundColor: COLORS[status] }}
    />
  );
}

/** The colour of a status, for bars and lines. */
export function statusColor(status: ProgressStatus): string {
  return COLORS[status];
}
