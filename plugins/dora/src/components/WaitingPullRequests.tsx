import {
  EmptyState,
  ErrorPanel,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Chip, Typography } from '@material-ui/core';
import { DoraWaitingPullRequest } from '@vitals/plugin-dora-common';
import { EllipsisText, nameColumn, nowrapColumn } from '@vitals/react';
import { formatDateTime, formatHours, formatLines, plural } from './format';
import { pullRequestLabel } from './flowFigures';
import { linked } from './RemoteTable';
import { useWaitingPullRequests } from './useFlowData';

/** The red marker of a pull request that has waited too long for its first review. */
export function OverdueChip({ label = 'Overdue' }: { label?: string }) {
  return (
    <Chip
      size="small"
      label={label}
      style={{ backgroundColor: '#b71c1c', color: '#fff', marginLeft: 8 }}
    />
  );
}

function columns(showEntity: boolean): TableColumn<DoraWaitingPullRequest>[] {
  return [
    {
      title: 'Pull request',
      field: 'id',
      ...nameColumn(110),
      render: pr => (
        <>
          {linked(
            <EllipsisText text={pullRequestLabel(pr)} maxWidth={220} />,
            pr.url,
          )}
          {pr.author && (
            <Typography variant="caption" color="textSecondary" component="div">
              {pr.author}
            </Typography>
          )}
        </>
      ),
    },
    ...(showEntity
      ? [
          {
            title: 'Service',
            field: 'entityRef',
            ...nameColumn(140),
            render: (pr: DoraWaitingPullRequest) => (
              <EntityRefLink entityRef={pr.entityRef} defaultKind="component" />
            ),
          },
        ]
      : []),
    {
      title: 'Opened',
      field: 'createdAt',
      ...nowrapColumn(),
      render: pr => formatDateTime(pr.createdAt),
    },
    {
      title: 'Waited',
      field: 'waitedHours',
      ...nowrapColumn(),
      render: pr =>
        pr.overdue ? (
          <>
            <strong>{formatHours(pr.waitedHours)}</strong>
            <OverdueChip />
          </>
        ) : (
          formatHours(pr.waitedHours)
        ),
    },
    {
      title: 'Size',
      field: 'linesChanged',
      ...nowrapColumn(),
      render: pr => formatLines(pr.linesChanged),
    },
  ];
}

/**
 * The open pull requests of an entity (or a team's entities) waiting for their first review now, oldest first, with
 * how long each has waited and the overdue ones marked.
 */
export function WaitingPullRequests({
  entityRef,
  title = 'Waiting for a first review',
  showEntity = false,
}: {
  entityRef: string;
  title?: string;
  /** A team's list says which service each pull request belongs to. */
  showEntity?: boolean;
}) {
  const waiting = useWaitingPullRequests(entityRef);
  if (waiting.loading) return <Progress />;
  if (waiting.error) {
    return (
      <ErrorPanel
        title="Could not load the pull requests waiting for review"
        error={waiting.error}
      />
    );
  }
  const w = waiting.value;
  if (!w || w.totalCount === 0) {
    return (
      <EmptyState
        missing="content"
        title="No pull request is waiting for a first review"
        description="Open pull requests show up here, oldest first, until someone other than the author reviews them. They come from change events with createdAt and no firstReviewAt, or from the GitHub webhook (pull_request and pull_request_review)."
      />
    );
  }
  const shown =
    w.items.length < w.totalCount
      ? ` · the ${w.items.length} oldest are listed`
      : '';
  return (
    <Table<DoraWaitingPullRequest>
      title={`${title} (${w.totalCount})`}
      subtitle={`${plural(w.totalCount, 'open pull request')}, ${
        w.overdueCount
      } overdue (waiting ${
        w.overdueAfterHours
      } h or more) · oldest first${shown}`}
      columns={columns(showEntity)}
      data={w.items}
      options={{
        paging: w.items.length > 10,
        pageSize: 10,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
    />
  );
}
