import {
  Content,
  EmptyState,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Grid, MenuItem, TextField } from '@material-ui/core';
import {
  DORA_FLOW_PARTS,
  DoraFlowPart,
  DoraFlowTeam,
} from '@vitals/plugin-dora-common';
import { nameColumn } from '@vitals/react';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { figureColumn } from './columns';
import { useDoraSettings, WindowSelect } from './DoraControls';
import { FLOW_PART_TITLES } from './flowFigures';
import { formatMinutes, formatRate } from './format';
import { PipelineFriction } from './PipelineFriction';
import { useFlowTeams } from './useFlowData';
import { OverdueChip, WaitingPullRequests } from './WaitingPullRequests';

interface TeamRow extends DoraFlowTeam {
  id: string;
}

/** Sorts by a nullable figure, smaller first; teams without one go last. */
function byFigure(pick: (row: TeamRow) => number | null) {
  return (a: TeamRow, b: TeamRow) => {
    const x = pick(a);
    const y = pick(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return x - y;
  };
}

function partColumn(part: DoraFlowPart): TableColumn<TeamRow> {
  return {
    title: FLOW_PART_TITLES[part],
    field: `parts.${part}.medianMinutes`,
    ...figureColumn(),
    customSort: byFigure(row => row.parts[part].medianMinutes),
    render: row => formatMinutes(row.parts[part].medianMinutes),
  };
}

const columns: TableColumn<TeamRow>[] = [
  {
    title: 'Team',
    field: 'title',
    highlight: true,
    ...nameColumn(140),
    render: row => (
      <EntityRefLink entityRef={row.entityRef} title={row.title} />
    ),
  },
  {
    title: 'Pull requests',
    field: 'pullRequests',
    type: 'numeric',
    ...figureColumn(),
  },
  ...DORA_FLOW_PARTS.map(partColumn),
  {
    title: 'Unreviewed',
    field: 'unreviewed',
    type: 'numeric',
    ...figureColumn(),
  },
  {
    title: 'Large',
    field: 'size.largeShare',
    ...figureColumn(),
    customSort: byFigure(row => row.size.largeShare),
    render: row => formatRate(row.size.largeShare),
  },
  {
    title: 'Waiting for review',
    field: 'waiting.totalCount',
    ...figureColumn(),
    customSort: byFigure(row => row.waiting.totalCount),
    render: row => (
      <>
        {row.waiting.totalCount}
        {row.waiting.overdueCount > 0 && (
          <OverdueChip label={`${row.waiting.overdueCount} overdue`} />
        )}
      </>
    ),
  },
];

/** The team the viewer belongs to, if it is one of the rows; else the first row. */
function useDefaultTeam(rows: TeamRow[] | undefined): string | undefined {
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  if (!rows || rows.length === 0 || identity.loading) return undefined;
  const own = new Set(
    (identity.value?.ownershipEntityRefs ?? []).map(r =>
      r.toLocaleLowerCase('en-US'),
    ),
  );
  return (rows.find(r => own.has(r.entityRef)) ?? rows[0]).entityRef;
}

/**
 * The org page at `/flow`: every team's pull request flow side by side (the four cycle-time parts, unreviewed and
 * large pull requests, what waits for review now), and for a chosen team its waiting pull requests and pipelines.
 */
export function FlowPage() {
  const settings = useDoraSettings();
  const { from, to, days } = settings;
  const teams = useFlowTeams(settings);
  const rows = useMemo(
    () =>
      teams.value?.teams
        .map(team => ({ ...team, id: team.entityRef }))
        .sort((a, b) => a.title.localeCompare(b.title)),
    [teams.value],
  );
  const [chosen, setChosen] = useState<string>();
  const fallback = useDefaultTeam(rows);
  const teamRef =
    chosen && rows?.some(r => r.entityRef === chosen) ? chosen : fallback;
  const team = rows?.find(r => r.entityRef === teamRef);

  return (
    <Page themeId="tool">
      <Header
        title="Flow"
        subtitle="Where pull requests wait, by team: coding, pickup, review and deploy time, reviews and CI/CD friction"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <WindowSelect settings={settings} />
        </Box>
        {teams.error && (
          <ErrorPanel
            title="Could not load the teams' flow figures"
            error={teams.error}
          />
        )}
        {teams.loading && <Progress />}
        {rows && rows.length === 0 && (
          <EmptyState
            missing="data"
            title="No team has pull requests yet"
            description={`This page compares the teams (Group entities with spec.type: team) that own entities with pull requests merged in the last ${days} days or waiting for review. Own your components with your teams in the catalog, and send change events with createdAt and firstReviewAt or connect the GitHub webhook: the Flow tab of each service shows what arrived.`}
          />
        )}
        {rows && rows.length > 0 && (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <Table<TeamRow>
                title={`Teams (${rows.length})`}
                subtitle={`Last ${days} days · medians of each part over the pull requests merged · waiting: now, overdue after ${teams.value?.overdueAfterHours} h · click a team for its lists below`}
                columns={columns}
                data={rows}
                onRowClick={(_, row) => row && setChosen(row.entityRef)}
                options={{
                  paging: rows.length > 25,
                  pageSize: 25,
                  search: false,
                  sorting: true,
                  padding: 'dense',
                  rowStyle: row =>
                    row.entityRef === teamRef
                      ? { backgroundColor: 'rgba(25, 118, 210, 0.08)' }
                      : {},
                }}
              />
            </Grid>
            <Grid item xs={12}>
              <TextField
                select
                label="Team"
                value={teamRef ?? ''}
                onChange={e => setChosen(String(e.target.value))}
                style={{ minWidth: 220 }}
                SelectProps={{ inputProps: { 'aria-label': 'Choose a team' } }}
              >
                {rows.map(r => (
                  <MenuItem key={r.entityRef} value={r.entityRef}>
                    {r.title}
                  </MenuItem>
                ))}
              </TextField>
            </Grid>
            {team && (
              <>
                <Grid item xs={12}>
                  <WaitingPullRequests
                    key={team.entityRef}
                    entityRef={team.entityRef}
                    title={`Waiting for a first review in ${team.title}`}
                    showEntity
                  />
                </Grid>
                <Grid item xs={12}>
                  <InfoCard
                    title={`CI/CD friction of ${team.title}`}
                    subheader={`Pipeline runs queued in the last ${days} days, pooled over the services the team owns`}
                  >
                    <PipelineFriction
                      key={team.entityRef}
                      entityRef={team.entityRef}
                      from={from}
                      to={to}
                      days={days}
                      showEntity
                    />
                  </InfoCard>
                </Grid>
              </>
            )}
          </Grid>
        )}
      </Content>
    </Page>
  );
}
