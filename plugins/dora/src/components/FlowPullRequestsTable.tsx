import { TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Chip, Typography } from '@material-ui/core';
import {
  DORA_FLOW_PARTS,
  DoraFlowPart,
  DoraFlowPullRequest,
} from '@vitals/plugin-dora-common';
import { EllipsisText, nameColumn, nowrapColumn } from '@vitals/react';
import { doraApiRef } from '../api/doraApiRef';
import { FLOW_PART_TITLES, FlowFilter, pullRequestLabel } from './flowFigures';
import { formatDateTime, formatLines, formatMinutes } from './format';
import { linked, RemoteTable } from './RemoteTable';

const MINUTES_FIELD: Record<DoraFlowPart, keyof DoraFlowPullRequest> = {
  coding: 'codingMinutes',
  pickup: 'pickupMinutes',
  review: 'reviewMinutes',
  deploy: 'deployMinutes',
};

function title(filter: FlowFilter): string {
  switch (filter) {
    case 'all':
      return 'Pull requests merged in this window';
    case 'unreviewed':
      return 'Pull requests merged without review';
    case 'large':
      return 'Large pull requests';
    default:
      return `Pull requests behind the ${FLOW_PART_TITLES[
        filter
      ].toLocaleLowerCase('en-US')} time, longest first`;
  }
}

function emptyText(filter: FlowFilter): string {
  switch (filter) {
    case 'all':
      return 'No pull requests merged in this window.';
    case 'unreviewed':
      return 'Every pull request merged in this window had a review first.';
    case 'large':
      return 'No large pull requests were merged in this window.';
    default:
      return `No pull request merged in this window has a ${FLOW_PART_TITLES[
        filter
      ].toLocaleLowerCase('en-US')} time.`;
  }
}

/** The merged pull requests behind a flow figure, paged on the server, with each part of their cycle time. */
export function FlowPullRequestsTable(props: {
  entityRef: string;
  from: string;
  to: string;
  filter: FlowFilter;
}) {
  const api = useApi(doraApiRef);
  const { entityRef, from, to, filter } = props;
  const part = (DORA_FLOW_PARTS as readonly string[]).includes(filter)
    ? (filter as DoraFlowPart)
    : undefined;
  const partColumns: TableColumn<DoraFlowPullRequest>[] = DORA_FLOW_PARTS.map(
    p => ({
      title: FLOW_PART_TITLES[p],
      field: MINUTES_FIELD[p],
      ...nowrapColumn(),
      render: pr => {
        const text = formatMinutes(pr[MINUTES_FIELD[p]] as number | null);
        return p === part ? <strong>{text}</strong> : text;
      },
    }),
  );
  const columns: TableColumn<DoraFlowPullRequest>[] = [
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
    {
      title: 'Merged',
      field: 'mergedAt',
      ...nowrapColumn(),
      render: pr => formatDateTime(pr.mergedAt),
    },
    ...partColumns,
    {
      title: 'Size',
      field: 'linesChanged',
      ...nowrapColumn(),
      render: pr => (
        <>
          {formatLines(pr.linesChanged)}
          {pr.large && (
            <Chip size="small" label="Large" style={{ marginLeft: 8 }} />
          )}
        </>
      ),
    },
    {
      title: 'Reviewed',
      field: 'reviewed',
      ...nowrapColumn(),
      render: pr =>
        pr.reviewed ? (
          'Yes'
        ) : (
          <Chip
            size="small"
            label="No review"
            style={{ backgroundColor: '#b45309', color: '#fff' }}
          />
        ),
    },
  ];
  return (
    <RemoteTable<DoraFlowPullRequest>
      title={title(filter)}
      queryKey={`${entityRef}|${from}|${to}|${filter}`}
      columns={columns}
      load={page =>
        api.listFlowPullRequests({
          entityRef,
          from,
          to,
          part,
          unreviewed: filter === 'unreviewed' ? true : undefined,
          large: filter === 'large' ? true : undefined,
          ...page,
        })
      }
      emptyText={emptyText(filter)}
      errorTitle="Could not load the pull requests"
    />
  );
}
