import { describeApiError, statusOfApiError } from '@vitals/common';
import { MarkdownContent, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Link,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import {
  DEBT_STATUSES,
  DebtItem,
  DebtItemEvent,
  isHttpUrl,
} from '@vitals/plugin-tech-debt-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { techDebtApiRef } from '../api/techDebtApiRef';
import { formatDateTime, formatDays } from '@vitals/react';
import { CATEGORY_LABELS, statusLabel } from './format';
import { IncidentList, measuredInterestSentence } from './incidents';

function describeChange(
  field: string,
  change: { from: unknown; to: unknown },
): string {
  const show = (v: unknown) => {
    const text = Array.isArray(v) ? v.join(', ') : String(v ?? '');
    return text === '' ? '—' : text;
  };
  if (field === 'description') return 'description changed';
  return `${field}: ${show(change.from)} → ${show(change.to)}`;
}

/** What a link event says: `linked incident X from postmortem Y`, `refreshed incident X: resolvedAt …`. */
function describeLinkEvent(event: DebtItemEvent): string {
  const { incidentId, postmortemId, ...rest } = event.changes;
  const id = String(incidentId?.to ?? incidentId?.from ?? 'an incident');
  const postmortem = postmortemId?.to ?? postmortemId?.from;
  const from = postmortem ? ` from postmortem ${String(postmortem)}` : '';
  if (event.action === 'linked') return `linked incident ${id}${from}`;
  if (event.action === 'unlinked') return `unlinked incident ${id}${from}`;
  const fields = Object.entries(rest).map(([f, c]) => describeChange(f, c));
  if (postmortemId) fields.unshift(describeChange('postmortemId', postmortemId));
  return `refreshed incident ${id}: ${fields.join('; ')}`;
}

function HistoryEntry({ event }: { event: DebtItemEvent }) {
  const fields = Object.entries(event.changes);
  const ACTION_SUMMARY: Record<string, string> = {
    created: 'created the item',
    deleted: 'deleted the item',
  };
  const isLink = ['linked', 'unlinked', 'link_refreshed'].includes(
    event.action,
  );
  const summary = isLink
    ? describeLinkEvent(event)
    : ACTION_SUMMARY[event.action] ??
      fields.map(([f, c]) => describeChange(f, c)).join('; ');
  return (
    <ListItem dense disableGutters>
      <ListItemText
        primary={`${event.actor} ${
          event.action === 'updated' ? 'changed' : ''
        } ${summary}`.replace('  ', ' ')}
        secondary={formatDateTime(event.at)}
      />
    </ListItem>
  );
}

export interface DebtItemDetailsDialogProps {
  item: DebtItem;
  canEdit: boolean;
  readOnlyReason?: string;
  onClose: () => void;
  onEdit: () => void;
  onChanged: (item: DebtItem | undefined) => void;
}

/** An item's details, its history, and (for owners) status change and deletion. */
export function DebtItemDetailsDialog(props: DebtItemDetailsDialogProps) {
  const { item, canEdit, readOnlyReason, onClose, onEdit, onChanged } = props;
  const api = useApi(techDebtApiRef);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const history = useAsync(
    () => api.getItemEvents(item.id),
    [api, item.id, item.version],
  );
  // A list row carries the latest 20 links; the item itself carries all of them.
  const allIncidents = useAsync(
    async () =>
      item.incidentCount > item.incidents.length
        ? (await api.getItem(item.id)).incidents
        : item.incidents,
    [api, item],
  );

  const run = async (action: () => Promise<DebtItem | undefined>) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await action());
    } catch (e) {
      const err = e;
      setError(
        statusOfApiError(err) === 409
          ? 'Someone else changed this item since you opened it. Close and reopen it to see the latest version.'
          : describeApiError(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="debt-item-details-title"
    >
      <DialogTitle id="debt-item-details-title">{item.title}</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            {error}
          </Alert>
        )}
        {!canEdit && readOnlyReason && (
          <Alert severity="info" style={{ marginBottom: 16 }}>
            {readOnlyReason}
          </Alert>
        )}
        <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} mb={2}>
          <Chip
            size="small"
            label={`Priority ${item.priority}`}
            color="primary"
          />
          <Chip size="small" label={CATEGORY_LABELS[item.category]} />
          <Chip size="small" label={`Impact ${item.impact}/5`} />
          <Chip size="small" label={`Effort ${formatDays(item.effortDays)}`} />
          {item.interestHoursPerMonth !== null && (
            <Chip
              size="small"
              label={`Interest ${item.interestHoursPerMonth} h/month`}
            />
          )}
          <Chip
            size="small"
            color={item.measuredInterest.incidents ? 'secondary' : 'default'}
            label={`Measured: ${measuredInterestSentence(
              item.measuredInterest,
            )}`}
          />
          {item.tags.map(t => (
            <Chip key={t} size="small" variant="outlined" label={t} />
          ))}
        </Box>
        <Box mb={2} display="flex" alignItems="center" style={{ gap: 16 }}>
          <TextField
            select
            label="Status"
            value={item.status}
            disabled={!canEdit || busy}
            onChange={e =>
              run(() =>
                api.updateItem(item.id, {
                  version: item.version,
                  status: e.target.value as DebtItem['status'],
                }),
              )
            }
            SelectProps={{ inputProps: { 'aria-label': 'Change status' } }}
            style={{ minWidth: 180 }}
          >
            {DEBT_STATUSES.map(s => (
              <MenuItem key={s} value={s}>
                {statusLabel(s)}
              </MenuItem>
            ))}
          </TextField>
          <Typography variant="body2">
            Assignee: {item.assignee ?? 'nobody'}
            {item.trackerUrl && (
              <>
                {' · '}
                {/* The API accepts http(s) links only; a link stored otherwise is shown, never followed. */}
                {isHttpUrl(item.trackerUrl) ? (
                  <Link href={item.trackerUrl} target="_blank" rel="noopener">
                    Tracker
                  </Link>
                ) : (
                  <>Tracker: {item.trackerUrl}</>
                )}
              </>
            )}
          </Typography>
        </Box>
        {item.description ? (
          <MarkdownContent content={item.description} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            No description.
          </Typography>
        )}
        <Typography variant="h6" style={{ marginTop: 24 }}>
          Incidents it came from
        </Typography>
        {allIncidents.loading && <Progress />}
        {allIncidents.error && (
          <Alert severity="error">
            Could not load the incidents: {allIncidents.error.message}
          </Alert>
        )}
        {allIncidents.value?.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            No incidents linked. When a postmortem turns an action item into
            this debt item, its incident shows here and counts towards the
            measured interest.
          </Typography>
        )}
        {!!allIncidents.value?.length && (
          <IncidentList incidents={allIncidents.value} />
        )}
        <Typography variant="h6" style={{ marginTop: 24 }}>
          History
        </Typography>
        {history.loading && <Progress />}
        {history.error && (
          <Alert severity="error">
            Could not load the history: {history.error.message}
          </Alert>
        )}
        {history.value && (
          <List aria-label="History">
            {history.value.map(event => (
              <HistoryEntry key={event.id} event={event} />
            ))}
          </List>
        )}
      </DialogContent>
      <DialogActions>
        {canEdit && (
          <Button
            color="secondary"
            disabled={busy}
            onClick={() => {
              const confirmed =
                // eslint-disable-next-line no-alert
                window.confirm(`Delete “${item.title}”? Its history is kept.`);
              if (confirmed) {
                run(async () => {
                  await api.deleteItem(item.id, item.version);
                  return undefined;
                });
              }
            }}
          >
            Delete
          </Button>
        )}
        {canEdit && (
          <Button onClick={onEdit} disabled={busy}>
            Edit
          </Button>
        )}
        <Button onClick={onClose} color="primary">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
