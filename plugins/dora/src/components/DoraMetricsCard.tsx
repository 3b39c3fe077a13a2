import { ErrorPanel, InfoCard, Progress } from '@backstage/core-components';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Typography,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { DoraControls, useDoraSettings } from './DoraControls';
import { plural } from './format';
import { MetricTiles } from './MetricTiles';
import { SendEventsInstructions } from './SendEventsInstructions';
import { useDoraMetrics, useDoraSeries, useHasAnyEvents } from './useDoraData';
import { isEmptyWindow } from './metricFigures';

export interface DoraMetricsCardProps {
  entityRef: string;
  title: string;
  /** A group pools the entities it owns; its empty state points at their DORA tabs instead of the setup. */
  scope: 'entity' | 'group';
}

/**
 * The four keys and DORA 2024's rework rate and failed-deployment recovery time, with tiers and weekly sparklines, and
 * window and benchmark pickers.
 */
export function DoraMetricsCard({
  entityRef,
  title,
  scope,
}: DoraMetricsCardProps) {
  const settings = useDoraSettings();
  const metrics = useDoraMetrics(entityRef, settings);
  const series = useDoraSeries(entityRef, settings);
  // A group's empty state does not depend on older events, so only an entity asks.
  const hasEvents = useHasAnyEvents(
    entityRef,
    scope === 'entity' ? metrics.value : undefined,
  );
  const m = metrics.value;
  const empty = m && isEmptyWindow(m);

  const subheader =
    scope === 'group' && m
      ? `Pooled over ${plural(
          m.entityRefs.length,
          'entity',
          'entities',
        )} the team owns`
      : undefined;

  return (
    <InfoCard title={title} subheader={subheader}>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mt={-2} mb={1}>
        <DoraControls settings={settings} dense />
      </Box>
      {metrics.loading && <Progress />}
      {metrics.error && (
        <ErrorPanel
          title="Could not load the DORA metrics"
          error={metrics.error}
        />
      )}
      {m && !empty && (
        <>
          <MetricTiles metrics={m} series={series.value} compact />
          {series.error && (
            <Typography variant="caption" color="textSecondary" component="p">
              Weekly trends are unavailable: {series.error.message}
            </Typography>
          )}
        </>
      )}
      {m && empty && scope === 'group' && (
        <Typography>
          {m.entityRefs.length === 0
            ? 'This team owns no catalog entities yet, so there is nothing to measure.'
            : `None of the ${plural(
                m.entityRefs.length,
                'entity',
                'entities',
              )} this team owns has deployments, changes or incidents in the last ${
                settings.days
              } days. The DORA tab of each service explains how to send delivery events.`}
        </Typography>
      )}
      {m && empty && scope === 'entity' && hasEvents.loading && <Progress />}
      {m && empty && scope === 'entity' && hasEvents.value === true && (
        <Typography>
          No deployments, changes or incidents in the last {settings.days} days.
          Pick a longer window to see older activity.
        </Typography>
      )}
      {m &&
        empty &&
        scope === 'entity' &&
        (hasEvents.value === false || hasEvents.error) && (
          <>
            <Typography paragraph>
              No delivery events for this entity yet. Send deployments, changes
              and incidents from CI, or connect GitHub, and the four metrics
              appear here.
            </Typography>
            <Accordion variant="outlined">
              <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                <Typography variant="subtitle2">
                  How to send delivery events
                </Typography>
              </AccordionSummary>
              <AccordionDetails style={{ display: 'block' }}>
                <SendEventsInstructions entityRef={entityRef} />
              </AccordionDetails>
            </Accordion>
          </>
        )}
    </InfoCard>
  );
}
