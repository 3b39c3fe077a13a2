import {
  EmptyState,
  InfoCard,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import type { TeamOnboardingSummary } from '@vitals/plugin-onboarding-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { onboardingApiRef } from '../api/onboardingApiRef';
import { CohortChart, CohortTable } from './CohortTrend';
import {
  formatDays,
  nameColumn,
  nowrapColumn,
  RetryableError,
} from '@vitals/react';

type TeamRow = TeamOnboardingSummary;

/** Sorts by a median, shortest first; a team without a figure yet counts as slower than any team with one. */
function byMedian(pick: (row: TeamRow) => number | null) {
  return (a: TeamRow, b: TeamRow) =>
    (pick(a) ?? Number.POSITIVE_INFINITY) -
    (pick(b) ?? Number.POSITIVE_INFINITY);
}

const columns: TableColumn<TeamRow>[] = [
  {
    title: 'Team',
    field: 'groupRef',
    highlight: true,
    ...nameColumn(140),
    customSort: (a, b) =>
      (a.title ?? a.groupRef).localeCompare(b.title ?? b.groupRef),
    render: row => (
      <EntityRefLink
        entityRef={row.groupRef}
        defaultKind="group"
        title={row.title}
      />
    ),
  },
  { title: 'Onboarding', field: 'onboarding', type: 'numeric' },
  { title: 'Completed', field: 'completed', type: 'numeric' },
  {
    title: 'Stalled',
    field: 'stalled',
    type: 'numeric',
    render: row =>
      row.stalled > 0 ? (
        <Typography variant="body2" color="error" component="span">
          {row.stalled}
        </Typography>
      ) : (
        0
      ),
  },
  {
    title: 'Median days to first change',
    field: 'medianDaysToFirstChange',
    type: 'numeric',
    customSort: byMedian(r => r.medianDaysToFirstChange),
    cellStyle: nowrapColumn().cellStyle,
    render: row => formatDays(row.medianDaysToFirstChange),
  },
  {
    title: 'Median days to first deploy',
    field: 'medianDaysToFirstDeploy',
    type: 'numeric',
    customSort: byMedian(r => r.medianDaysToFirstDeploy),
    cellStyle: nowrapColumn().cellStyle,
    render: row => formatDays(row.medianDaysToFirstDeploy),
  },
];

/** The "Teams" tab: onboarding per team and the time-to-first-value trend by start month. */
export function OrgOnboardingReport() {
  const api = useApi(onboardingApiRef);
  const report = useAsyncRetry(() => api.getOrgReport(), [api]);

  if (report.loading && !report.value) return <Progress />;
  if (report.error) {
    return (
      <RetryableError
        title="Could not load the onboarding report"
        error={report.error}
        onRetry={report.retry}
      />
    );
  }
  const r = report.value;
  if (!r || r.teams.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="Nobody is onboarding yet"
        description="Teams appear here once someone has a checklist from a template that targets the team or the services it owns. The Templates tab shows which templates exist."
      />
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Table<TeamRow>
          title={`Teams (${r.teams.length})`}
          subtitle={`Time to first value counts from the day a checklist started. A checklist is stalled after ${r.stalledAfterDays} days without progress.`}
          columns={columns}
          data={r.teams}
          options={{
            paging: r.teams.length > 25,
            pageSize: 25,
            search: false,
            sorting: true,
            padding: 'dense',
          }}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Time to first value by start month"
          subheader="Median days from the start of a checklist to the person's first merged change and first production deployment"
        >
          {r.cohorts.length === 0 ? (
            <Typography>No cohorts yet.</Typography>
          ) : (
            <>
              <CohortChart cohorts={r.cohorts} />
              <Box mt={2}>
                <CohortTable cohorts={r.cohorts} />
              </Box>
            </>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
