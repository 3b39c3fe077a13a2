import {
  ErrorPanel,
  Link,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import { IncidentWithPostmortem } from '@vitals/plugin-postmortems-common';
import { formatDateTime, formatMinutes, nowrapColumn } from '@vitals/react';
import {
  dueText,
  isPostmortemOverdue,
  OverdueChip,
  PostmortemStatusChip,
} from './format';

export interface IncidentsCardProps {
  loading: boolean;
  error?: Error;
  rows?: IncidentWithPostmortem[];
  totalCount?: number;
  canCreate: boolean;
  onStart: (row: IncidentWithPostmortem) => void;
}

const postmortemCell = (row: IncidentWithPostmortem) => {
  const status = row.postmortem?.status ?? null;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      <PostmortemStatusChip status={status} />
      {isPostmortemOverdue(row.incident, status) && (
        <OverdueChip title={dueText(row.incident)} />
      )}
    </Box>
  );
};

/** An entity's incidents, newest first, each with its postmortem's status and what to do next. */
export function IncidentsCard(props: IncidentsCardProps) {
  const { loading, error, rows, totalCount, canCreate, onStart } = props;
  if (loading && !rows) return <Progress />;
  if (error) {
    return <ErrorPanel title="Could not load the incidents" error={error} />;
  }
  const columns: TableColumn<IncidentWithPostmortem>[] = [
    {
      title: 'Incident',
      render: r =>
        r.incident.url ? (
          <Link to={r.incident.url}>{r.incident.id}</Link>
        ) : (
          r.incident.id
        ),
    },
    {
      title: 'Severity',
      render: r => r.incident.severity ?? '—',
      ...nowrapColumn(),
    },
    {
      title: 'Started',
      render: r => formatDateTime(r.incident.createdAt),
      ...nowrapColumn(),
    },
    {
      title: 'Time to restore',
      render: r =>
        r.incident.resolvedAt
          ? formatMinutes(r.incident.restoreMinutes)
          : 'Ongoing',
      ...nowrapColumn(),
    },
    { title: 'Postmortem', render: postmortemCell },
    {
      title: '',
      render: r => {
        if (r.postmortem && r.postmortem.title !== null) {
          return (
            <Link to={`?postmortem=${encodeURIComponent(r.postmortem.id)}`}>
              {r.postmortem.title}
            </Link>
          );
        }
        if (r.postmortem) {
          return (
            <Typography variant="body2" color="textSecondary">
              Shared with the owning team and its authors until published
            </Typography>
          );
        }
        return canCreate ? (
          <Button size="small" color="primary" onClick={() => onStart(r)}>
            Start a postmortem
          </Button>
        ) : (
          ''
        );
      },
    },
  ];
  const shown = rows ?? [];
  return (
    <Table<IncidentWithPostmortem>
      title={`Incidents${
        totalCount && totalCount > shown.length
          ? ` (newest ${shown.length} of ${totalCount})`
          : ` (${shown.length})`
      }`}
      columns={columns}
      data={shown}
      options={{
        paging: shown.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      emptyContent={
        <Box p={3}>
          <Typography>
            No incidents recorded for this service. Incidents reach Vitals
            through DORA (its events API, PagerDuty or GitHub); each one that
            qualifies gets a postmortem here.
          </Typography>
        </Box>
      }
    />
  );
}
