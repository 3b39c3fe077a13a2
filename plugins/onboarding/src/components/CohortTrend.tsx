import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  useTheme,
} from '@material-ui/core';
import type { CohortFigure } from '@vitals/plugin-onboarding-common';
import { ChartFrame, formatDays } from '@vitals/react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCohort } from './format';

const HEIGHT = 240;

/** Median days to first change and to first deployment, per start month, as a line chart. */
export function CohortChart({ cohorts }: { cohorts: CohortFigure[] }) {
  const theme = useTheme();
  const hasFigures = cohorts.some(
    c =>
      c.medianDaysToFirstChange !== null || c.medianDaysToFirstDeploy !== null,
  );
  const data = cohorts.map(c => ({ ...c, label: formatCohort(c.cohort) }));
  return (
    <ChartFrame
      label="Time to first value by start month"
      height={HEIGHT}
      hasData={hasFigures}
      emptyHeight={HEIGHT / 2}
      emptyMessage="Nobody has a merged change or a deployment yet, so there is no time to first value to chart."
    >
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="label" />
        <YAxis tickFormatter={(v: number) => `${v} d`} width={48} />
        <Tooltip
          formatter={(value: any, name: any) => [
            formatDays(Number(value)),
            name,
          ]}
        />
        <Legend />
        <Line
          type="monotone"
          dataKey="medianDaysToFirstChange"
          name="Median days to first change"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          connectNulls
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="medianDaysToFirstDeploy"
          name="Median days to first deploy"
          stroke={theme.palette.secondary.main}
          strokeWidth={2}
          connectNulls
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartFrame>
  );
}

/** The same figures as a table, oldest cohort first, so that every number can be read exactly. */
export function CohortTable({ cohorts }: { cohorts: CohortFigure[] }) {
  return (
    <Table size="small" aria-label="Cohorts">
      <TableHead>
        <TableRow>
          <TableCell>Started</TableCell>
          <TableCell align="right">People</TableCell>
          <TableCell align="right">Median to first change</TableCell>
          <TableCell align="right">Median to first deploy</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {cohorts.map(c => (
          <TableRow key={c.cohort}>
            <TableCell component="th" scope="row">
              {formatCohort(c.cohort)}
            </TableCell>
            <TableCell align="right">{c.people}</TableCell>
            <TableCell align="right">
              {formatDays(c.medianDaysToFirstChange)}
            </TableCell>
            <TableCell align="right">
              {formatDays(c.medianDaysToFirstDeploy)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
