import {
  EmptyState,
  ErrorPanel,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import {
  DoraPipelineFigures,
  DoraPipelineRun,
  DoraPipelineRunStatus,
  DoraPipelineSummary,
} from '@vitals/plugin-dora-common';
import { EllipsisText, nameColumn } from '@vitals/react';
import { useState } from 'react';
import { doraApiRef } from '../api/doraApiRef';
import { figureColumn } from './columns';
import { FigureTile } from './FigureTile';
import { formatDateTime, formatRate, formatSeconds, shortSha } from './format';
import { linked, RemoteTable } from './RemoteTable';
import { usePipelines } from './useFlowData';

/** What the runs drill-down lists: one pipeline's runs, the flaky failures, or the default branch's failures. */
export interface RunsFilter {
  /** The pipeline of one entity (a team has a "CI" per service). */
  pipeline?: { entityRef: string; name: string };
  only?: 'flaky' | 'defaultBranchFailures';
}

const STATUS_LABELS: Record<DoraPipelineRunStatus, string> = {
  queued: 'Queued',
  in_progress: 'In progress',
  success: 'Success',
  failure: 'Failure',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
};

/** "17 of 34 failures passed on a re-run". */
function flakyDetail(f: DoraPipelineFigures['flakiness']): string {
  return f.failures === 0
    ? 'no failed runs'
    : `${f.flakyFailures} of ${f.failures} failures passed on a re-run`;
}

function successDetail(s: DoraPipelineFigures['defaultBranchSuccess']): string {
  const finished = s.successes + s.failures;
  return finished === 0
    ? 'no finished runs on the default branch'
    : `${s.successes} of ${finished} finished runs on the default branch`;
}

function timeToGreenDetail(t: DoraPipelineFigures['timeToGreen']): string {
  const recovered =
    t.recoveries === 0
      ? 'no red pipeline went green'
      : `median of ${t.recoveries} ${
          t.recoveries === 1 ? 'recovery' : 'recoveries'
        }`;
  return t.stillRed > 0 ? `${recovered}; ${t.stillRed} still red` : recovered;
}

/** The pooled friction figures; the flaky and success tiles list the runs behind them. */
function FrictionTiles(props: {
  figures: DoraPipelineFigures;
  filter: RunsFilter;
  onSelect?: (filter: RunsFilter) => void;
}) {
  const { figures: f, filter, onSelect } = props;
  const select = (only: RunsFilter['only']) =>
    onSelect ? () => onSelect({ only }) : undefined;
  const runs = `${f.runs.toLocaleString('en-US')} runs`;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6} md={4} lg>
        <FigureTile
          title="Flaky rate"
          headline={formatRate(f.flakiness.rate)}
          lines={[flakyDetail(f.flakiness)]}
          action="Flaky rate: list the flaky failures"
          selected={!filter.pipeline && filter.only === 'flaky'}
          onSelect={select('flaky')}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={4} lg>
        <FigureTile
          title="Success on the default branch"
          headline={formatRate(f.defaultBranchSuccess.rate)}
          lines={[successDetail(f.defaultBranchSuccess)]}
          action="Success on the default branch: list the default branch's failures"
          selected={!filter.pipeline && filter.only === 'defaultBranchFailures'}
          onSelect={select('defaultBranchFailures')}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={4} lg>
        <FigureTile
          title="Run duration"
          headline={formatSeconds(f.duration.medianSeconds)}
          lines={[
            `median of ${f.duration.runs} finished runs`,
            `p90 ${formatSeconds(f.duration.p90Seconds)}`,
          ]}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={4} lg>
        <FigureTile
          title="Queue time"
          headline={formatSeconds(f.queue.medianSeconds)}
          lines={[`median of ${f.queue.runs} started runs`, runs]}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={4} lg>
        <FigureTile
          title="Time to green"
          headline={formatSeconds(f.timeToGreen.medianSeconds)}
          lines={[timeToGreenDetail(f.timeToGreen)]}
        />
      </Grid>
    </Grid>
  );
}

/** A rate with what it is taken over beneath, on one line each. */
function RateCell(props: { rate: number | null; detail: string }) {
  return (
    <>
      {formatRate(props.rate)}
      <Typography variant="caption" color="textSecondary" component="div">
        {props.detail}
      </Typography>
    </>
  );
}

function pipelineColumns(
  showEntity: boolean,
): TableColumn<DoraPipelineSummary>[] {
  return [
    {
      title: 'Pipeline',
      field: 'pipeline',
      highlight: true,
      ...nameColumn(120),
      render: p => <EllipsisText text={p.pipeline} maxWidth={240} />,
    },
    ...(showEntity
      ? [
          {
            title: 'Service',
            field: 'entityRef',
            ...nameColumn(140),
            render: (p: DoraPipelineSummary) => (
              <EntityRefLink entityRef={p.entityRef} defaultKind="component" />
            ),
          },
        ]
      : []),
    { title: 'Runs', field: 'runs', type: 'numeric', ...figureColumn() },
    {
      title: 'Flaky rate',
      field: 'flakiness',
      ...figureColumn(),
      render: p => (
        <RateCell
          rate={p.flakiness.rate}
          detail={`${p.flakiness.flakyFailures} of ${p.flakiness.failures} failures`}
        />
      ),
    },
    {
      title: 'Success on default branch',
      field: 'defaultBranchSuccess',
      ...figureColumn(),
      render: p => (
        <RateCell
          rate={p.defaultBranchSuccess.rate}
          detail={`${p.defaultBranchSuccess.successes} of ${
            p.defaultBranchSuccess.successes + p.defaultBranchSuccess.failures
          } runs`}
        />
      ),
    },
    {
      title: 'Duration (median)',
      field: 'duration',
      ...figureColumn(),
      render: p => formatSeconds(p.duration.medianSeconds),
    },
    {
      title: 'Duration (p90)',
      field: 'duration.p90Seconds',
      ...figureColumn(),
      render: p => formatSeconds(p.duration.p90Seconds),
    },
    {
      title: 'Queue (median)',
      field: 'queue',
      ...figureColumn(),
      render: p => formatSeconds(p.queue.medianSeconds),
    },
    {
      title: 'Time to green',
      field: 'timeToGreen',
      ...figureColumn(),
      render: p => (
        <>
          {formatSeconds(p.timeToGreen.medianSeconds)}
          {p.timeToGreen.stillRed > 0 && (
            <Typography variant="caption" color="error" component="div">
              Still red
            </Typography>
          )}
        </>
      ),
    },
  ];
}

function runsTitle(filter: RunsFilter): string {
  if (filter.pipeline) return `Runs of ${filter.pipeline.name}`;
  if (filter.only === 'flaky')
    return 'Flaky failures: a re-run of the same commit passed';
  if (filter.only === 'defaultBranchFailures')
    return 'Failures on the default branch';
  return 'Pipeline runs';
}

function StatusCell({ run }: { run: DoraPipelineRun }) {
  const failed = run.status === 'failure';
  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <Chip
        size="small"
        label={STATUS_LABELS[run.status]}
        style={
          failed ? { backgroundColor: '#b71c1c', color: '#fff' } : undefined
        }
      />
      {run.flaky && <Chip size="small" variant="outlined" label="Flaky" />}
    </Box>
  );
}

/** The runs behind the friction figures, newest first, paged on the server. */
export function PipelineRunsTable(props: {
  entityRef: string;
  from: string;
  to: string;
  filter: RunsFilter;
}) {
  const api = useApi(doraApiRef);
  const { from, to, filter } = props;
  const entityRef = filter.pipeline?.entityRef ?? props.entityRef;
  const columns: TableColumn<DoraPipelineRun>[] = [
    {
      title: 'Queued',
      field: 'queuedAt',
      ...figureColumn(),
      render: r => linked(formatDateTime(r.queuedAt), r.url),
    },
    {
      title: 'Pipeline',
      field: 'pipeline',
      ...nameColumn(100),
      render: r => <EllipsisText text={r.pipeline} maxWidth={200} />,
    },
    {
      title: 'Branch',
      field: 'branch',
      ...nameColumn(100),
      render: r => (
        <>
          <EllipsisText text={r.branch} maxWidth={200} />
          {r.onDefaultBranch && (
            <Typography variant="caption" color="textSecondary" component="div">
              default branch
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Commit',
      field: 'sha',
      ...figureColumn(),
      render: r => shortSha(r.sha),
    },
    {
      title: 'Attempt',
      field: 'attempt',
      type: 'numeric',
      ...figureColumn(),
    },
    {
      title: 'Status',
      field: 'status',
      ...figureColumn(),
      render: r => <StatusCell run={r} />,
    },
    {
      title: 'Duration',
      field: 'durationSeconds',
      ...figureColumn(),
      render: r => formatSeconds(r.durationSeconds),
    },
    {
      title: 'Queue',
      field: 'queueSeconds',
      ...figureColumn(),
      render: r => formatSeconds(r.queueSeconds),
    },
    {
      title: 'Time to green',
      field: 'timeToGreenSeconds',
      ...figureColumn(),
      render: r => formatSeconds(r.timeToGreenSeconds),
    },
  ];
  return (
    <RemoteTable<DoraPipelineRun>
      title={runsTitle(filter)}
      queryKey={`${entityRef}|${from}|${to}|${filter.pipeline?.name ?? ''}|${
        filter.only ?? ''
      }`}
      columns={columns}
      load={page =>
        api.listPipelineRuns({
          entityRef,
          from,
          to,
          pipeline: filter.pipeline?.name,
          flaky: filter.only === 'flaky' ? true : undefined,
          status:
            filter.only === 'defaultBranchFailures' ? 'failure' : undefined,
          defaultBranch:
            filter.only === 'defaultBranchFailures' ? true : undefined,
          ...page,
        })
      }
      emptyText="No pipeline runs of this kind in this window."
      errorTitle="Could not load the pipeline runs"
    />
  );
}

/**
 * CI/CD friction of an entity or a team over the window: flaky rate, success on the default branch, run duration
 * (median and p90), queue time and time to green, pooled and per pipeline, with the runs behind them.
 */
export function PipelineFriction(props: {
  entityRef: string;
  from: string;
  to: string;
  days: number;
  /** A team's table says which service each pipeline belongs to. */
  showEntity?: boolean;
}) {
  const { entityRef, from, to, days } = props;
  const pipelines = usePipelines(entityRef, { from, to });
  const [filter, setFilter] = useState<RunsFilter>({});
  if (pipelines.loading) return <Progress />;
  if (pipelines.error) {
    return (
      <ErrorPanel
        title="Could not load the pipeline figures"
        error={pipelines.error}
      />
    );
  }
  const p = pipelines.value;
  if (!p || p.figures.runs === 0) {
    return (
      <EmptyState
        missing="data"
        title={`No pipeline runs in the last ${days} days`}
        description="CI/CD friction is measured from pipeline runs: post pipelineRun events to the DORA events API from CI (one per attempt, with queuedAt, startedAt and finishedAt), or subscribe the GitHub webhook to workflow_run. Or pick a longer window."
      />
    );
  }
  const showEntity = props.showEntity ?? p.entityRefs.length > 1;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <FrictionTiles
          figures={p.figures}
          filter={filter}
          onSelect={setFilter}
        />
      </Grid>
      <Grid item xs={12}>
        <Table<DoraPipelineSummary>
          title="Pipelines"
          subtitle="Click a pipeline to list its runs"
          columns={pipelineColumns(showEntity)}
          data={p.pipelines}
          onRowClick={(_, row) =>
            row &&
            setFilter({
              pipeline: { entityRef: row.entityRef, name: row.pipeline },
            })
          }
          options={{
            paging: p.pipelines.length > 10,
            pageSize: 10,
            search: false,
            sorting: false,
            padding: 'dense',
          }}
        />
      </Grid>
      <Grid item xs={12}>
        {(filter.pipeline || filter.only) && (
          <Chip
            label="Show every run"
            onClick={() => setFilter({})}
            onDelete={() => setFilter({})}
            style={{ marginBottom: 8 }}
          />
        )}
        <PipelineRunsTable
          entityRef={entityRef}
          from={from}
          to={to}
          filter={filter}
        />
      </Grid>
    </Grid>
  );
}
