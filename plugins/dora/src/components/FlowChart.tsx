import { useTheme } from '@material-ui/core';
import { DORA_FLOW_PARTS, DoraFlowWeek } from '@vitals/plugin-dora-common';
import { ChartFrame } from '@vitals/react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { FLOW_PART_TITLES } from './flowFigures';
import { formatMinutes, formatMinutesShort } from './format';

function weekLabel(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
}

/**
 * The four parts' weekly medians, stacked: where the time of the week's typical pull request went. A stack is a sum
 * of medians, not the median of the totals, which is why the tooltip names each part.
 */
export function FlowChart({ weeks }: { weeks: DoraFlowWeek[] }) {
  const theme = useTheme();
  const colors = {
    coding: theme.palette.info.main,
    pickup: theme.palette.warning.main,
    review: theme.palette.primary.main,
    deploy: theme.palette.success.main,
  };
  const data = weeks.map(w => ({
    label: weekLabel(w.start),
    pullRequests: w.pullRequests,
    coding: w.parts.coding.medianMinutes,
    pickup: w.parts.pickup.medianMinutes,
    review: w.parts.review.medianMinutes,
    deploy: w.parts.deploy.medianMinutes,
  }));
  return (
    <ChartFrame
      label="Cycle time per week"
      height={260}
      hasData={weeks.some(w => w.pullRequests > 0)}
      emptyMessage="No pull requests merged in a full week of this window"
    >
      <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis
          tickFormatter={(v: number) => formatMinutesShort(v)}
          width={64}
        />
        <Tooltip
          formatter={(value: any, name: any) => [
            formatMinutes(value === null ? null : Number(value)),
            name,
          ]}
        />
        <Legend />
        {DORA_FLOW_PARTS.map(part => (
          <Bar
            key={part}
            dataKey={part}
            name={FLOW_PART_TITLES[part]}
            stackId="parts"
            fill={colors[part]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
