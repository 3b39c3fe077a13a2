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
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Grid, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { nameColumn } from '@vitals/react';
import { DoraControls, useDoraSettings } from './DoraControls';
import { BENCHMARK_LABELS } from './format';
import {
  isEmptyWindow,
  METRIC_KEYS,
  METRIC_TITLES,
  MetricFigure,
  metricFigures,
  MetricKey,
} from './metricFigures';
import { TierChip } from './TierChip';
import { TierDistribution } from './TierDistribution';
import { TeamRow, useTeamMetrics } from './useTeamMetrics';

function figureOf(row: TeamRow, key: MetricKey): MetricFigure | undefined {
  return metricFigures(row.metrics).find(f => f.key === key);
}

/** Sorts by the metric's value, best first when ascending; teams without a value go last. */
function compareBy(key: MetricKey) {
  return (a: TeamRow, b: TeamRow) => {
    const x = figureOf(a, key)?.sortValue ?? null;
    const y = figureOf(b, key)?.sortValue ?? null;
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return x - y;
  };
}

function metricColumn(key: MetricKey): TableColumn<TeamRow> {
  return {
    title: METRIC_TITLES[key],
    field: key,
    // A figure and its tier chip: at least wide enough that "2 days 12 h" does not break inside a word.
    ...nameColumn(150),
    customSort: compareBy(key),
    render: row => {
      const figure = figureOf(row, key);
      if (!figure) return '—';
      return (
        <Box>
          <Typography
            variant="body2"
            component="span"
            style={{ marginRight: 8 }}
          >
            {figure.value}
          </Typography>
          <TierChip tier={figure.tier} metric={`${row.name} ${figure.title}`} />
        </Box>
      );
    },
  };
}

const columns: TableColumn<TeamRow>[] = [
  {
    title: 'Team',
    field: 'name',
    highlight: true,
    ...nameColumn(140),
    render: row => <EntityRefLink entityRef={row.teamRef} title={row.name} />,
  },
  {
    title: 'Entities',
    field: 'entities',
    type: 'numeric',
    customSort: (a, b) =>
      a.metrics.entityRefs.length - b.metrics.entityRefs.length,
    render: row => row.metrics.entityRefs.length,
  },
  ...METRIC_KEYS.map(metricColumn),
];

/**
 * The org page at `/dora`: every team's four keys, rework rate and failed-deployment recovery time side by side,
 * sortable, and how teams spread over the tiers.
 */
export function DoraPage() {
  const settings = useDoraSettings();
  const teams = useTeamMetrics(settings);
  const measured = (teams.rows ?? []).map(r => r.metrics);
  return (
    <Page themeId="tool">
      <Header
        title="DORA"
        subtitle="Delivery performance by team: deployment frequency, lead time, change failure rate, time to restore, and DORA 2024's rework rate and failed deployment recovery time"
      />
      <Content>
        <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
          <DoraControls settings={settings} />
        </Box>
        {teams.error && (
          <ErrorPanel
            title="Could not load the teams' DORA metrics"
            error={teams.error}
          />
        )}
        {teams.loading && <Progress />}
        {!teams.loading && teams.rows?.length === 0 && (
          <EmptyState
            missing="data"
            title="No team has delivery events yet"
            description="This page compares the teams (Group entities with spec.type: team) that own entities with deployments, changes or incidents. Own your components with your teams in the catalog, and send delivery events: the DORA tab of each service shows how."
          />
        )}
        {teams.rows && teams.rows.length > 0 && (
          <Grid container spacing={3}>
            {measured.length > 0 && measured.every(isEmptyWindow) && (
              <Grid item xs={12}>
                <Alert severity="info">
                  No team has deployments, changes or incidents in the last{' '}
                  {settings.days} days. The DORA tab of each service explains
                  how to send delivery events.
                </Alert>
              </Grid>
            )}
            <Grid item xs={12}>
              <Table<TeamRow>
                title={`Teams (${teams.rows.length})`}
                subtitle={`Last ${settings.days} days · ${
                  BENCHMARK_LABELS[settings.benchmark]
                } benchmark · each team pools the entities it owns`}
                columns={columns}
                data={teams.rows}
                options={{
                  paging: teams.rows.length > 25,
                  pageSize: 25,
                  search: false,
                  sorting: true,
                  padding: 'dense',
                }}
              />
            </Grid>
            <Grid item xs={12}>
              <InfoCard
                title="Tier distribution"
                subheader="How many teams reach each tier, per metric"
              >
                <TierDistribution metrics={measured} />
              </InfoCard>
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
