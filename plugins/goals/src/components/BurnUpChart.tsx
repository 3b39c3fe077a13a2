import { useTheme } from '@material-ui/core';
import type { BurnUpPoint } from '@vitals/plugin-goals-common';
import { ChartFrame, formatUtcDate } from '@vitals/react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const HEIGHT = 260;

/** The rows of one burn-up (the campaign's when `ownerRef` is null), by day: done (waived included) and the total. */
export function burnUpRows(points: BurnUpPoint[], ownerRef: string | null) {
  return points
    .filter(p => p.ownerRef === ownerRef)
    .sort((a, b) => a.day.localeCompare(b.day))
    .map(p => ({
      day: p.day,
      passed: p.done - p.waived,
      waived: p.waived,
      done: p.done,
      entities: p.entities,
    }));
}

/**
 * Entities done over time against the entities asked, up to the deadline. Waived entities count as done and are
 * stacked above the ones that pass.
 */
export function BurnUpChart(props: {
  points: BurnUpPoint[];
  ownerRef: string | null;
  deadline: string;
  label: string;
}) {
  const theme = useTheme();
  const rows = burnUpRows(props.points, props.ownerRef);
  return (
    <ChartFrame
      label={props.label}
      height={HEIGHT}
      hasData={rows.length > 0}
      emptyHeight={96}
      emptyMessage="No burn-up yet: the first point is taken by the next snapshot (daily, and at once when a campaign changes)."
    >
      <ComposedChart
        data={rows}
        margin={{ top: 8, right: 24, bottom: 0, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="day"
          tickFormatter={(d: string) => formatUtcDate(d)}
          domain={['dataMin', 'dataMax']}
        />
        <YAxis allowDecimals={false} width={48} />
        <Tooltip labelFormatter={(d: any) => formatUtcDate(String(d))} />
        <Legend />
        <Area
          type="stepAfter"
          dataKey="passed"
          name="Passing"
          stackId="done"
          stroke={theme.palette.primary.main}
          fill={theme.palette.primary.main}
          fillOpacity={0.5}
          isAnimationActive={false}
        />
        <Area
          type="stepAfter"
          dataKey="waived"
          name="Waived"
          stackId="done"
          stroke={theme.palette.secondary.main}
          fill={theme.palette.secondary.main}
          fillOpacity={0.4}
          isAnimationActive={false}
        />
        <Line
          type="stepAfter"
          dataKey="entities"
          name="Entities asked"
          stroke={theme.palette.text.primary}
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
        {rows.length > 0 && props.deadline <= rows[rows.length - 1].day && (
          <ReferenceLine x={props.deadline} stroke="#c62828" label="Deadline" />
        )}
      </ComposedChart>
    </ChartFrame>
  );
}
