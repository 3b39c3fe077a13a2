import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  POSTMORTEM_STATUS_LABELS,
  PostmortemHistoryEntry,
  PostmortemStatus,
} from '@vitals/plugin-postmortems-common';
import { entityRefLabel, formatDateTime } from '@vitals/react';
import useAsync from 'react-use/esm/useAsync';
import { postmortemsApiRef } from '../api/postmortemsApiRef';

const FIELD_LABELS: Record<string, string> = {
  title: 'title',
  status: 'status',
  authors: 'authors',
  summary: 'summary',
  customerImpact: 'customer impact',
  timeline: 'timeline',
  contributingFactors: 'contributing factors',
  whatWentWell: 'what went well',
  whatWasHard: 'what was hard',
  lessons: 'lessons',
  extraSections: 'other sections',
};

function describe(entry: PostmortemHistoryEntry): string {
  switch (entry.action) {
    case 'created':
      return 'Started the draft';
    case 'action_item_added':
      return 'Added an action item';
    case 'action_item_removed':
      return 'Removed an action item';
    default: {
      const status = entry.changes.status;
      const others = Object.keys(entry.changes)
        .filter(f => f !== 'status')
        .map(f => FIELD_LABELS[f] ?? f);
      const parts = [];
      if (status) {
        parts.push(
          `Moved to ${
            POSTMORTEM_STATUS_LABELS[status.to as PostmortemStatus] ??
            String(status.to)
          }`,
        );
      }
      if (others.length) parts.push(`changed ${others.join(', ')}`);
      return parts.length
        ? parts.join('; ').replace(/^./, c => c.toUpperCase())
        : 'Edited';
    }
  }
}

/** The postmortem's append-only history, newest first. */
export function HistoryCard(props: { id: string; version: number }) {
  const api = useApi(postmortemsApiRef);
  // Read again whenever the version changes (every save makes one).
  const history = useAsync(
    () => api.getHistory(props.id),
    [api, props.id, props.version],
  );
  return (
    <InfoCard title="History">
      {history.error && (
        <Alert severity="error">
          Could not load the history: {history.error.message}
        </Alert>
      )}
      {history.loading && !history.value && (
        <Typography variant="body2">Loading the history…</Typography>
      )}
      {history.value && history.value.length === 0 && (
        <Typography variant="body2">No changes recorded yet.</Typography>
      )}
      {history.value && history.value.length > 0 && (
        <List dense>
          {history.value.map(entry => (
            <ListItem key={entry.id} disableGutters>
              <ListItemText
                primary={describe(entry)}
                secondary={`${entityRefLabel(entry.actor)} · ${formatDateTime(
                  entry.at,
                )} · version ${entry.version}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
