import {
  Box,
  Chip,
  Link,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import {
  DebtItem,
  DebtItemIncident,
  isHttpUrl,
  MeasuredInterest,
} from '@vitals/plugin-tech-debt-common';
import { formatDateTime, formatMinutes } from '@vitals/react';

/** `2 incidents · 1 h 55 min`, or `none` for an item whose linked incidents cost nothing in the window. */
export function measuredInterestLabel(measured: MeasuredInterest): string {
  if (measured.incidents === 0) return 'none';
  return `${measured.incidents} ${
    measured.incidents === 1 ? 'incident' : 'incidents'
  } · ${formatMinutes(measured.restoreMinutes)}`;
}

/** The sentence the details show: what the item's incidents of the last 90 days cost. */
export function measuredInterestSentence(measured: MeasuredInterest): string {
  if (measured.incidents === 0)
    return `No linked incident in the last ${measured.windowDays} days`;
  return `${measured.incidents} ${
    measured.incidents === 1 ? 'incident' : 'incidents'
  } in the last ${measured.windowDays} days, ${formatMinutes(
    measured.restoreMinutes,
  )} to restore`;
}

/** A postmortem link that is only ever an http(s) link; anything else is not rendered as a link. */
function PostmortemLink({
  incident,
  label = 'Postmortem',
}: {
  incident: DebtItemIncident;
  label?: string;
}) {
  if (!incident.postmortemUrl || !isHttpUrl(incident.postmortemUrl))
    return null;
  return (
    <Link
      href={incident.postmortemUrl}
      target="_blank"
      rel="noopener"
      // A link inside a clickable table row opens the postmortem, not the item.
      onClick={e => e.stopPropagation()}
      aria-label={`${label} of ${incident.title ?? incident.incidentId}`}
    >
      {label}
    </Link>
  );
}

/**
 * The table cell of an item's incidents: how many are linked, the latest ones in a tooltip, and a link to the latest
 * incident's postmortem when there is one.
 */
export function IncidentBadge({ item }: { item: DebtItem }) {
  if (item.incidentCount === 0) return <>—</>;
  const [latest] = item.incidents;
  const label = `${item.incidentCount} ${
    item.incidentCount === 1 ? 'incident' : 'incidents'
  }`;
  return (
    <Box display="flex" alignItems="center" style={{ gap: 6 }}>
      <Tooltip
        title={item.incidents
          .slice(0, 5)
          .map(
            i =>
              `${i.title ?? i.incidentId} (${formatDateTime(i.createdAt)}${
                i.severity ? `, ${i.severity}` : ''
              })`,
          )
          .join('; ')}
      >
        <Chip size="small" color="secondary" variant="outlined" label={label} />
      </Tooltip>
      {latest && <PostmortemLink incident={latest} />}
    </Box>
  );
}

/** The incidents an item came from, for its details: the most recent first. */
export function IncidentList({ incidents }: { incidents: DebtItemIncident[] }) {
  return (
    <List aria-label="Linked incidents" dense>
      {incidents.map(incident => (
        <ListItem key={incident.incidentId} disableGutters divider>
          <ListItemText
            primary={
              <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                <Typography variant="body2" component="span">
                  {incident.title ?? incident.incidentId}
                </Typography>
                {incident.severity && (
                  <Chip size="small" label={incident.severity} />
                )}
                <PostmortemLink incident={incident} />
              </Box>
            }
            secondary={[
              incident.title ? incident.incidentId : undefined,
              `started ${formatDateTime(incident.createdAt)}`,
              incident.resolvedAt === null
                ? 'ongoing'
                : `restored in ${formatMinutes(incident.restoreMinutes)}`,
              incident.postmortemUrl ? undefined : 'no postmortem yet',
            ]
              .filter(Boolean)
              .join(' · ')}
          />
        </ListItem>
      ))}
    </List>
  );
}

/** The sort orders a register offers: priority, or what the linked incidents cost. */
export const SORT_CHOICES = [
  { value: 'priority', label: 'Priority' },
  { value: 'measuredInterest', label: 'Measured interest (incidents, 90 days)' },
] as const;

export type SortChoice = (typeof SORT_CHOICES)[number]['value'];

/** A "Sort by" select of the registers. */
export function SortSelect(props: {
  value: SortChoice;
  onChange: (value: SortChoice) => void;
}) {
  return (
    <TextField
      select
      label="Sort by"
      value={props.value}
      onChange={e => props.onChange(e.target.value as SortChoice)}
      style={{ minWidth: 200 }}
      SelectProps={{ inputProps: { 'aria-label': 'Sort by' } }}
    >
      {SORT_CHOICES.map(c => (
        <MenuItem key={c.value} value={c.value}>
          {c.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
