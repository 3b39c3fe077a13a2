import { Box, Typography } from '@material-ui/core';
import { DORA_TIERS, DoraMetrics } from '@vitals/plugin-dora-common';
import { ChartFrame } from '@vitals/react';
import { Bar, BarChart, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { NO_TIER_LABEL, TIER_LABELS } from './format';
import {
  METRIC_TITLES,
  NO_TIER_REASON,
  TIERED_METRIC_KEYS,
} from './metricFigures';
import { TIER_COLORS } from './TierChip';

/**
 * Teams per tier, for each metric the benchmark places in tiers (the four keys and failed-deployment recovery time):
 * how many teams are elite, high, medium, low or unmeasured.
 */
export function tierDistribution(all: DoraMetrics[]) {
  return TIERED_METRIC_KEYS.map(key => {
    const row: Record<string, number | string> = { metric: METRIC_TITLES[key] };
    for (const tier of DORA_TIERS) row[tier] = 0;
    row.none = 0;
    for (const metrics of all) {
      const tier = metrics[key].tier;
      row[tier ?? 'none'] = (row[tier ?? 'none'] as number) + 1;
    }
    return row;
  });
}

/** A stacked bar per metric, plus the same counts as text for screen readers and tests. */
export function TierDistribution({ metrics }: { metrics: DoraMetrics[] }) {
  const data = tierDistribution(metrics);
  return (
    <Box>
      <ChartFrame label="Tier distribution" height={260}>
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 8, right: 16, bottom: 0, left: 16 }}
        >
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="metric" width={170} />
          <Tooltip />
          <Legend />
          {DORA_TIERS.map(tier => (
            <Bar
              key={tier}
              dataKey={tier}
              name={TIER_LABELS[tier]}
              stackId="t"
              fill={TIER_COLORS[tier]}
              isAnimationActive={false}
            />
          ))}
          <Bar
            dataKey="none"
            name={NO_TIER_LABEL}
            stackId="t"
            fill="#9e9e9e"
            isAnimationActive={false}
          />
        </BarChart>
      </ChartFrame>
      <Box component="ul" aria-label="Teams per tier" pl={2} m={0}>
        {data.map(row => (
          <Typography component="li" variant="body2" key={row.metric as string}>
            {row.metric}:{' '}
            {DORA_TIERS.map(
              t => `${row[t]} ${TIER_LABELS[t].toLowerCase()}`,
            ).join(', ')}
            {row.none ? `, ${row.none} without enough data` : ''}
          </Typography>
        ))}
        <Typography component="li" variant="body2">
          {METRIC_TITLES.reworkRate}: no tier. {NO_TIER_REASON}
        </Typography>
      </Box>
    </Box>
  );
}
