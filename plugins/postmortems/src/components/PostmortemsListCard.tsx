import {
  ErrorPanel,
  Link,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { PostmortemSummary } from '@vitals/plugin-postmortems-common';
import { entityRefLabel, formatDateTime, nowrapColumn } from '@vitals/react';
import { PostmortemStatusChip } from './format';

/** An entity's postmortems the viewer may read, newest incident first. */
export function PostmortemsListCard(props: {
  loading: boolean;
  error?: Error;
  rows?: PostmortemSummary[];
  totalCount?: number;
}) {
  const { loading, error, rows, totalCount } = props;
  if (loading && !rows) return <Progress />;
  if (error) {
    return <ErrorPanel title="Could not load the postmortems" error={error} />;
  }
  const columns: TableColumn<PostmortemSummary>[] = [
    {
      title: 'Postmortem',
      render: p => (
        <Link to={`?postmortem=${encodeURIComponent(p.id)}`}>{p.title}</Link>
      ),
    },
    {
      title: 'Status',
      render: p => <PostmortemStatusChip status={p.status} />,
      ...nowrapColumn(),
    },
    { title: 'Incident', render: p => p.incidentId },
    {
      title: 'Authors',
      render: p => p.authors.map(entityRefLabel).join(', '),
    },
    {
      title: 'Action items',
      render: p => p.actionItemCount,
      type: 'numeric',
    },
    {
      title: 'Updated',
      render: p => formatDateTime(p.updatedAt),
      ...nowrapColumn(),
    },
  ];
  const shown = rows ?? [];
  return (
    <Table<PostmortemSummary>
      title={`Postmortems (${totalCount ?? shown.length})`}
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
            No postmortems you can read yet. Start one from an incident above;
            drafts are shared with the owning team and the authors until they
            are published.
          </Typography>
        </Box>
      }
    />
  );
}
