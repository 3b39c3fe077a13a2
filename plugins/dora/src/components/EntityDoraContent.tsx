import {
  EmptyState,
  ErrorPanel,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Chip, Grid, Tab, Tabs, Typography } from '@material-ui/core';
import { useRef, useState } from 'react';
import { DataHealthPanel } from './DataHealthPanel';
import { DoraCharts } from './DoraCharts';
import { DoraControls, useDoraSettings } from './DoraControls';
import {
  ALL_DEPLOYMENTS,
  ChangesTable,
  DeploymentFilter,
  DeploymentsTable,
  IncidentsTable,
} from './DrillDownTables';
import { isEmptyWindow, MetricKey } from './metricFigures';
import { MetricTiles } from './MetricTiles';
import { SendEventsInstructions } from './SendEventsInstructions';
import { useDoraMetrics, useDoraSeries, useHasAnyEvents } from './useDoraData';

type DrillDown = 'deployments' | 'changes' | 'incidents';

/** The list behind each figure: which tab, and for deployments which of them. */
const DRILL_DOWNS: Record<
  MetricKey,
  { tab: DrillDown; filter?: DeploymentFilter }
> = {
  deploymentFrequency: { tab: 'deployments', filter: ALL_DEPLOYMENTS },
  leadTimeForChanges: { tab: 'changes' },
  changeFailureRate: {
    tab: 'deployments',
    filter: { failedOnly: true, reworkOnly: false },
  },
  timeToRestore: { tab: 'incidents' },
  reworkRate: {
    tab: 'deployments',
    filter: { failedOnly: false, reworkOnly: true },
  },
  failedDeploymentRecoveryTime: {
    tab: 'deployments',
    filter: { failedOnly: true, reworkOnly: false },
  },
};

/**
 * The "DORA" tab of an entity: the four keys and DORA 2024's two metrics, week-by-week charts, the deployments,
 * changes and incidents behind them (each figure lists its own), and the data health.
 */
export function EntityDoraContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const settings = useDoraSettings();
  const metrics = useDoraMetrics(entityRef, settings);
  const series = useDoraSeries(entityRef, settings);
  const hasEvents = useHasAnyEvents(entityRef, metrics.value);
  const [tab, setTab] = useState<DrillDown>('deployments');
  const [deploymentId, setDeploymentId] = useState<string>();
  const [deploymentFilter, setDeploymentFilter] =
    useState<DeploymentFilter>(ALL_DEPLOYMENTS);
  const drillDownRef = useRef<HTMLDivElement>(null);
  const drillDown = (key: MetricKey) => {
    const target = DRILL_DOWNS[key];
    setTab(target.tab);
    if (target.filter) setDeploymentFilter(target.filter);
    setDeploymentId(undefined);
    drillDownRef.current?.scrollIntoView?.({ behavior: 'smooth' });
  };
  const { from, to } = settings;
  const m = metrics.value;
  const empty = m && isEmptyWindow(m);

  if (m && empty && (hasEvents.value === false || hasEvents.error)) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <EmptyState
            missing="data"
            title="No delivery events yet"
            description="DORA metrics are computed from the deployments, changes and incidents reported for this entity. None has arrived yet: send them from CI or connect GitHub as below."
          />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="How to send delivery events">
            <SendEventsInstructions entityRef={entityRef} />
          </InfoCard>
        </Grid>
      </Grid>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 16 }}
        >
          <DoraControls settings={settings} />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="DORA metrics" subheader={`Last ${settings.days} days`}>
          {(metrics.loading || (empty && hasEvents.loading)) && <Progress />}
          {metrics.error && (
            <ErrorPanel
              title="Could not load the DORA metrics"
              error={metrics.error}
            />
          )}
          {m && !empty && (
            <MetricTiles
              metrics={m}
              series={series.value}
              onDrillDown={drillDown}
            />
          )}
          {m && empty && hasEvents.value === true && (
            <Typography>
              No deployments, changes or incidents in the last {settings.days}{' '}
              days. Pick a longer window to see older activity.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {series.loading && <Progress />}
        {series.error && (
          <ErrorPanel
            title="Could not load the weekly series"
            error={series.error}
          />
        )}
        {series.value && <DoraCharts weeks={series.value.weeks} />}
      </Grid>
      <Grid item xs={12} lg={8} ref={drillDownRef}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <Tabs
            value={tab}
            onChange={(_, value) => setTab(value)}
            aria-label="Drill-down"
            indicatorColor="primary"
          >
            <Tab value="deployments" label="Deployments" />
            <Tab value="changes" label="Changes" />
            <Tab value="incidents" label="Incidents" />
          </Tabs>
          {deploymentId && (
            <Chip
              label={`Deployment ${deploymentId}`}
              onDelete={() => setDeploymentId(undefined)}
              aria-label="Clear the deployment filter"
            />
          )}
        </Box>
        {tab === 'deployments' && (
          <DeploymentsTable
            entityRef={entityRef}
            from={from}
            to={to}
            filter={deploymentFilter}
            onFilterChange={setDeploymentFilter}
            onSelect={d => {
              setDeploymentId(d.id);
              setTab('changes');
            }}
          />
        )}
        {tab === 'changes' && (
          <ChangesTable
            entityRef={entityRef}
            from={from}
            to={to}
            deploymentId={deploymentId}
          />
        )}
        {tab === 'incidents' && (
          <IncidentsTable
            entityRef={entityRef}
            from={from}
            to={to}
            deploymentId={deploymentId}
          />
        )}
      </Grid>
      <Grid item xs={12} lg={4}>
        <DataHealthPanel entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
