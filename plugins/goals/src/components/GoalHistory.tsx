import { Progress } from '@backstage/core-components';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import type { GoalEvent, GoalEventAction } from '@vitals/plugin-goals-common';
import { entityRefLabel, formatDateTime } from '@vitals/react';

const ACTION_LABELS: Record<GoalEventAction, string> = {
  created: 'Created the goal',
  updated: 'Changed the goal',
  deleted: 'Deleted the goal',
  baseline_recorded: 'Baseline recorded',
  manual_value: 'Typed in a value',
};

function detailText(event: GoalEvent): string {
  const d = event.details as Record<string, unknown>;
  if (event.action === 'manual_value' && d.to !== undefined) {
    return d.from === null || d.from === undefined
      ? `set to ${d.to}`
      : `from ${d.from} to ${d.to}`;
  }
  if (event.action === 'baseline_recorded' && d.baseline !== undefined) {
    return `${d.baseline}`;
  }
  const parts: string[] = [];
  if (Array.isArray(d.fields) && d.fields.length) {
    parts.push(d.fields.join(', '));
  }
  if (Array.isArray(d.keyResults)) {
    parts.push(`key results: ${d.keyResults.join('; ')}`);
  }
  return parts.join(' · ');
}

/** A goal's append-only history, newest first. */
export function GoalHistory(props: {
  loading: boolean;
  error?: Error;
  events?: GoalEvent[];
}) {
  if (props.loading) return <Progress />;
  if (props.error) {
    return (
      <Alert severity="error">
        Could not load the history: {describeApiError(props.error)}
      </Alert>
    );
  }
  const events = [...(props.events ?? [])].sort((a, b) =>
    b.at.localeCompare(a.at),
  );
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No history yet.
      </Typography>
    );
  }
  return (
    <List dense aria-label="History">
      {events.map((e, i) => {
        const detail = detailText(e);
        return (
          <ListItem key={`${e.at}-${i}`} disableGutters>
            <ListItemText
              primary={`${ACTION_LABELS[e.action] ?? e.action}${
                detail ? `: ${detail}` : ''
              }`}
              secondary={`${formatDateTime(e.at)} · ${entityRefLabel(e.actor)}`}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
