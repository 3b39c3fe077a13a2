import {
  Box,
  Button,
  Grid,
  IconButton,
  Tooltip,
  Typography,
} from '@material-ui/core';
import InfoOutlinedIcon from '@material-ui/icons/InfoOutlined';
import { DoraMetrics, DoraSeries } from '@vitals/plugin-dora-common';
import {
  METRIC_DEFINITIONS,
  MetricKey,
  metricFigures,
  weeklyValues,
} from './metricFigures';
import { Sparkline } from './Sparkline';
import { TierChip } from './TierChip';

/** What the drill-down lists behind each figure. */
export const DRILL_DOWN_LABELS: Record<MetricKey, string> = {
  deploymentFrequency: 'List the deployments',
  leadTimeForChanges: 'List the changes',
  changeFailureRate: 'List the deployments that caused an incident',
  timeToRestore: 'List the incidents',
  reworkRate: 'List the rework deployments',
  failedDeploymentRecoveryTime: 'List the failed deployments',
};

/**
 * The four keys and DORA 2024's rework rate and failed-deployment recovery time side by side: headline, tier badge
 * ("No tier" for the rework rate), what it is made of, how it is defined (the info button's tooltip), and a weekly
 * sparkline. With `onDrillDown`, each tile has a button that lists what is behind its figure.
 */
export function MetricTiles({
  metrics,
  series,
  compact,
  onDrillDown,
}: {
  metrics: DoraMetrics;
  series?: DoraSeries;
  compact?: boolean;
  onDrillDown?: (key: MetricKey) => void;
}) {
  return (
    <Grid container spacing={2}>
      {metricFigures(metrics).map(figure => (
        <Grid
          item
          key={figure.key}
          xs={12}
          sm={6}
          md={compact ? 6 : 4}
          lg={compact ? 6 : 2}
        >
          <Box
            component="section"
            aria-label={figure.title}
            border={1}
            borderColor="divider"
            borderRadius={4}
            p={1.5}
            height="100%"
          >
            <Box display="flex" alignItems="center">
              <Typography variant="subtitle2" component="h3">
                {figure.title}
              </Typography>
              <Tooltip title={METRIC_DEFINITIONS[figure.key]}>
                <IconButton
                  size="small"
                  aria-label={`How ${figure.title.toLocaleLowerCase(
                    'en-US',
                  )} is computed`}
                  style={{ marginLeft: 2 }}
                >
                  <InfoOutlinedIcon fontSize="inherit" />
                </IconButton>
              </Tooltip>
            </Box>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
              my={0.5}
            >
              <Typography variant="h5" component="p">
                {figure.value}
              </Typography>
              <TierChip tier={figure.tier} metric={figure.title} />
            </Box>
            <Typography variant="caption" color="textSecondary" component="p">
              {figure.detail}
            </Typography>
            {series && series.weeks.length > 1 && (
              <Sparkline
                values={weeklyValues(figure.key, series.weeks)}
                label={`${figure.title}, week by week`}
              />
            )}
            {onDrillDown && (
              <Button
                size="small"
                color="primary"
                onClick={() => onDrillDown(figure.key)}
                style={{ marginLeft: -4, marginTop: 4 }}
              >
                {DRILL_DOWN_LABELS[figure.key]}
              </Button>
            )}
          </Box>
        </Grid>
      ))}
    </Grid>
  );
}
