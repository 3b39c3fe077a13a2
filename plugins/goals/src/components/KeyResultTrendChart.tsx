import { useTheme } from '@material-ui/core';
import type { KeyResultDetail } from '@vitals/plugin-goals-common';
import { ChartFrame, formatUtcDate } from '@vitals/react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatValue } from './format';

const HEIGHT = 200;
const DAY_MS = 86_400_000;

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The value where a key result should be on `day` to reach its target on time: a straight line from the baseline when
 * it was taken to the target at the period's end. Null before the baseline.
 */
export function expectedValueOn(
  keyResult: Pick<KeyResultDetail, 'baseline' | 'baselineAt' | 'target'>,
  period: { start: string; end: string },
  day: string,
): number | null {
  if (keyResult.baseline === null) return null;
  const from = new Date(keyResult.baselineAt ?? period.start).getTime();
  const to = new Date(period.end).getTime();
  const at = new Date(`${day}T00:00:00Z`).getTime();
  if (to <= from) return keyResult.target;
  const share = Math.min(1, Math.max(0, (at - from) / (to - from)));
  return keyResult.baseline + (keyResult.target - keyResult.baseline) * share;
}

/** The days of a key result's trend with the expected line beside it, up to today or the period's end. */
export function trendRows(
  keyResult: KeyResultDetail,
  period: { start: string; end: string },
  now: Date = new Date(),
) {
  const byDay = new Map(keyResult.trend.map(p => [p.day, p.value]));
  const first = keyResult.trend[0]?.day ?? dayOf(new Date(period.start));
  const endMs = Math.min(
    new Date(period.end).getTime() - DAY_MS,
    now.getTime(),
  );
  const rows: Array<{
    day: string;
    value: number | null;
    expected: number | null;
  }> = [];
  for (
    let t = new Date(`${first}T00:00:00Z`).getTime();
    t <= endMs;
    t += DAY_MS
  ) {
    const day = dayOf(new Date(t));
    rows.push({
      day,
      value: byDay.get(day) ?? null,
      expected: expectedValueOn(keyResult, period, day),
    });
  }
  // A trend point after today (clock skew) is still shown.
  for (const p of keyResult.trend) {
    if (!rows.some(r => r.day === p.day)) {
      rows.push({
        day: p.day,
        value: p.value,
        expected: expectedValueOn(keyResult, period, p.day),
      });
    }
  }
  return rows;
}

/** A key result's daily values against the line it should follow to reach its target by the period's end. */
export function KeyResultTrendChart(props: {
  keyResult: KeyResultDetail;
  period: { start: string; end: string };
}) {
  const theme = useTheme();
  const { keyResult, period } = props;
  const rows = trendRows(keyResult, period);
  const hasData = rows.some(r => r.value !== null);
  const format = (v: number) => formatValue(v, keyResult.unit);
  return (
    <ChartFrame
      label={`Trend of ${keyResult.title}`}
      height={HEIGHT}
      hasData={hasData}
      emptyHeight={64}
      emptyMessage="No daily values yet: the first appears after the next daily snapshot."
    >
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="day" tickFormatter={(d: string) => formatUtcDate(d)} />
        <YAxis width={72} tickFormatter={format} domain={['auto', 'auto']} />
        <Tooltip
          labelFormatter={(d: any) => formatUtcDate(String(d))}
          formatter={(value: any, name: any) => [format(Number(value)), name]}
        />
        <Legend />
        <ReferenceLine
          y={keyResult.target}
          stroke={theme.palette.success?.main ?? '#2e7d32'}
          strokeDasharray="2 2"
          label={{ value: 'Target', position: 'insideTopRight' }}
        />
        <Line
          type="linear"
          dataKey="expected"
          name="Expected by then"
          stroke={theme.palette.text.secondary}
          strokeDasharray="6 4"
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="value"
          name={keyResult.label}
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          connectNulls
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}
