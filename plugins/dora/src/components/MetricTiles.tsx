import { Box, Grid, Typography } from '@material-ui/core';
import { DoraMetrics, DoraSeries } from '@vitals/plugin-dora-common';
import { metricFigures, weeklyValues } from './metricFigures';
import { Sparkline } from './Sparkline';
import { TierChip } from './TierChip';

/** The four metrics side by side: headline, tier badge, what it is made of, and a weekly sparkline. */
export function MetricTiles({
  metrics,
  series,
  compact,
}: {
  metrics: DoraMetrics;
  series?: DoraSeries;
  compact?: boolean;
}) {
  return (
    <Grid container spacing={2}>
      {metricFigures(metrics).map(figure => (
        <Grid item key={figure.key} xs={12} sm={6} md={compact ? 6 : 3}>
          <Box
            component="section"
            aria-label={figure.title}
            border={1}
            borderColor="divider"
            borderRadius={4}
            p={1.5}
            height="100%"
          >
            <Typography variant="subtitle2" component="h3">
              {figure.title}
            </Typography>
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
          </Box>
        </Grid>
      ))}
    </Grid>
  );
}
