import { useTheme } from '@material-ui/core';
import {
  DebtItem,
  HIGH_IMPACT_MIN,
  QUICK_WIN_MAX_EFFORT_DAYS,
} from '@vitals/plugin-tech-debt-common';
import { ChartFrame } from '@vitals/react';
import {
  CartesianGrid,
  Label,
  ReferenceArea,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';

export interface ImpactEffortMatrixProps {
  items: DebtItem[];
  onSelect?: (item: DebtItem) => void;
  height?: number;
}

/**
 * Impact (up) against effort (right). Quick wins — high impact, little effort — sit top-left; bubble size is the
 * monthly interest.
 */
export function ImpactEffortMatrix({
  items,
  onSelect,
  height = 320,
}: ImpactEffortMatrixProps) {
  const theme = useTheme();
  const maxEffort = Math.max(
    QUICK_WIN_MAX_EFFORT_DAYS * 2,
    ...items.map(i => i.effortDays),
  );
  const data = items.map(i => ({
    ...i,
    interest: i.interestHoursPerMonth ?? 0,
  }));
  return (
    <ChartFrame label="Impact/effort matrix" height={height}>
      <ScatterChart margin={{ top: 16, right: 24, bottom: 24, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <ReferenceArea
          x1={0}
          x2={QUICK_WIN_MAX_EFFORT_DAYS}
          y1={HIGH_IMPACT_MIN - 0.5}
          y2={5.5}
          fill={theme.palette.success.light}
          fillOpacity={0.15}
        >
          <Label value="Quick wins" position="insideTopLeft" />
        </ReferenceArea>
        <ReferenceArea
          x1={QUICK_WIN_MAX_EFFORT_DAYS}
          x2={maxEffort}
          y1={HIGH_IMPACT_MIN - 0.5}
          y2={5.5}
          fill={theme.palette.warning.light}
          fillOpacity={0.1}
        >
          <Label value="Major projects" position="insideTopRight" />
        </ReferenceArea>
        <ReferenceArea
          x1={0}
          x2={QUICK_WIN_MAX_EFFORT_DAYS}
          y1={0.5}
          y2={HIGH_IMPACT_MIN - 0.5}
          fillOpacity={0}
        >
          <Label value="Fill-ins" position="insideBottomLeft" />
        </ReferenceArea>
        <ReferenceArea
          x1={QUICK_WIN_MAX_EFFORT_DAYS}
          x2={maxEffort}
          y1={0.5}
          y2={HIGH_IMPACT_MIN - 0.5}
          fill={theme.palette.error.light}
          fillOpacity={0.08}
        >
          <Label value="Money pits" position="insideBottomRight" />
        </ReferenceArea>
        <XAxis
          type="number"
          dataKey="effortDays"
          name="Effort"
          unit=" d"
          domain={[0, maxEffort]}
        >
          <Label value="Effort (ideal days)" position="bottom" offset={4} />
        </XAxis>
        <YAxis
          type="number"
          dataKey="impact"
          name="Impact"
          domain={[0.5, 5.5]}
          ticks={[1, 2, 3, 4, 5]}
        >
          <Label value="Impact" angle={-90} position="insideLeft" />
        </YAxis>
        <ZAxis
          type="number"
          dataKey="interest"
          range={[60, 400]}
          name="Interest"
          unit=" h/month"
        />
        <Tooltip
          cursor={{ strokeDasharray: '3 3' }}
          formatter={(value: any, name: any) => [value, name]}
          labelFormatter={() => ''}
          content={({ active, payload }) => {
            const item =
              active && (payload?.[0]?.payload as DebtItem | undefined);
            if (!item) return null;
            return (
              <div
                style={{
                  background: theme.palette.background.paper,
                  padding: 8,
                  border: `1px solid ${theme.palette.divider}`,
                }}
              >
                <strong>{item.title}</strong>
                <div>
                  Impact {item.impact} · {item.effortDays} d · priority{' '}
                  {item.priority}
                </div>
              </div>
            );
          }}
        />
        <Scatter
          data={data}
          fill={theme.palette.primary.main}
          onClick={(point: any) => onSelect?.(point?.payload ?? point)}
          cursor={onSelect ? 'pointer' : undefined}
        />
      </ScatterChart>
    </ChartFrame>
  );
}
