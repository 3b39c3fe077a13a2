import { InfoCard } from '@backstage/core-components';
import { Grid, useTheme } from '@material-ui/core';
import { DoraWeek } from '@vitals/plugin-dora-common';
import { ChartFrame } from '@vitals/react';
import { ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMinutes, formatMinutesShort, formatRate } from './format';
import { TIER_COLORS } from './TierChip';

const HEIGHT = 240;

function weekLabel(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

function ChartCard(props: {
  title: string;
  subheader: string;
  hasData: boolean;
  children: ReactElement;
}) {
  return (
    <InfoCard title={props.title} subheader={props.subheader}>
      <ChartFrame
        label={props.title}
        height={HEIGHT}
        hasData={props.hasData}
        emptyMessage="No data in this window"
      >
        {props.children}
      </ChartFrame>
    </InfoCard>
  );
}

function TrendChart(props: {
  weeks: DoraWeek[];
  dataKey: keyof DoraWeek;
  name: string;
  format: (value: number) => string;
  /** For the axis ticks, when they need to be shorter than the tooltip. */
  formatTick?: (value: number) => string;
  /** Set by ResponsiveContainer, which sizes its child through these props. */
  width?: number;
  height?: number;
}) {
  const theme = useTheme();
  const data = props.weeks.map(w => ({ ...w, label: weekLabel(w.start) }));
  return (
    <LineChart
      width={props.width}
      height={props.height}
      data={data}
      margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="label" />
      <YAxis
        tickFormatter={(v: number) => (props.formatTick ?? props.format)(v)}
        width={64}
      />
      <Tooltip
        formatter={(value: any) => [props.format(Number(value)), props.name]}
      />
      <Line
        type="monotone"
        dataKey={props.dataKey}
        name={props.name}
        stroke={theme.palette.primary.main}
        strokeWidth={2}
        connectNulls
        dot={{ r: 3 }}
        isAnimationActive={false}
      />
    </LineChart>
  );
}

/** Week-by-week charts of the four keys and of DORA 2024's rework rate and failed-deployment recovery time. */
export function DoraCharts({ weeks }: { weeks: DoraWeek[] }) {
  const theme = useTheme();
  const deployments = weeks.map(w => ({
    label: weekLabel(w.start),
    healthy: w.deployments - w.failedDeployments,
    failed: w.failedDeployments,
  }));
  const has = (pick: (w: DoraWeek) => number | null) =>
    weeks.some(w => pick(w) !== null && pick(w) !== 0);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Deployments per week"
          subheader="Successful production deployments; red ones caused an incident"
          hasData={has(w => w.deployments)}
        >
          <BarChart
            data={deployments}
            margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="healthy"
              name="No incident"
              stackId="d"
              fill={theme.palette.primary.main}
              isAnimationActive={false}
            />
            <Bar
              dataKey="failed"
              name="Caused an incident"
              stackId="d"
              fill={TIER_COLORS.low}
              isAnimationActive={false}
            />
          </BarChart>
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Lead time trend"
          subheader="Median lead time of the changes deployed each week"
          hasData={has(w => w.medianLeadTimeMinutes)}
        >
          <TrendChart
            weeks={weeks}
            dataKey="medianLeadTimeMinutes"
            name="Median lead time"
            format={formatMinutes}
            formatTick={formatMinutesShort}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Change failure rate"
          subheader="Share of each week's deployments that caused an incident"
          hasData={weeks.some(w => w.changeFailureRate !== null)}
        >
          <TrendChart
            weeks={weeks}
            dataKey="changeFailureRate"
            name="Change failure rate"
            format={formatRate}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Time to restore"
          subheader="Median time to resolve the incidents resolved each week"
          hasData={has(w => w.medianRestoreMinutes)}
        >
          <TrendChart
            weeks={weeks}
            dataKey="medianRestoreMinutes"
            name="Median time to restore"
            format={formatMinutes}
            formatTick={formatMinutesShort}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Rework rate"
          subheader="Share of each week's deployments that were rework: flagged, or shipped while an incident was open"
          hasData={weeks.some(w => w.reworkRate !== null)}
        >
          <TrendChart
            weeks={weeks}
            dataKey="reworkRate"
            name="Rework rate"
            format={formatRate}
          />
        </ChartCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <ChartCard
          title="Failed deployment recovery time"
          subheader="Median time from a failed deployment to the resolution of its incidents, by the week it was deployed"
          hasData={weeks.some(w => w.medianRecoveryMinutes !== null)}
        >
          <TrendChart
            weeks={weeks}
            dataKey="medianRecoveryMinutes"
            name="Median recovery time"
            format={formatMinutes}
            formatTick={formatMinutesShort}
          />
        </ChartCard>
      </Grid>
    </Grid>
  );
}
