import { ChartFrame } from '@vitals/react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

/** Score (0–100) over days, one line per series. `rows` are `{ day, [series]: score }`. */
export function ScoreTrendChart(props: {
  rows: Array<Record<string, string | number | null>>;
  series: Array<{ key: string; title: string }>;
  height?: number;
  label: string;
}) {
  return (
    <ChartFrame label={props.label} height={props.height ?? 220} role="img">
      <LineChart
        data={props.rows}
        margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" />
        <YAxis domain={[0, 100]} />
        <Tooltip />
        <Legend />
        {props.series.map((s, i) => (
          <Line
            key={s.key}
            type="stepAfter"
            dataKey={s.key}
            name={s.title}
            stroke={COLOURS[i % COLOURS.length]}
            dot
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFrame>
  );
}
