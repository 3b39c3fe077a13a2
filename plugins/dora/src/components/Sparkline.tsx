import { useTheme } from '@material-ui/core';
import { Line, LineChart, YAxis } from 'recharts';

/** A tiny trend line without axes; weeks without a value are bridged, and sparse series show their points. */
export function Sparkline({
  values,
  label,
}: {
  values: Array<number | null>;
  label: string;
}) {
  const theme = useTheme();
  const data = values.map((value, index) => ({ index, value }));
  return (
    <div role="img" aria-label={label} style={{ height: 32 }}>
      <LineChart
        width={140}
        height={32}
        data={data}
        margin={{ top: 4, right: 2, bottom: 4, left: 2 }}
      >
        <YAxis hide domain={['dataMin', 'dataMax']} />
        <Line
          type="monotone"
          dataKey="value"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={data.filter(d => d.value !== null).length < 4}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </div>
  );
}
