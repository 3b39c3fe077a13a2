import {
  Box,
  Chip,
  LinearProgress,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import type { KeyResult } from '@vitals/plugin-goals-common';
import { entityRefLabel } from '@vitals/react';
import { ReactNode } from 'react';
import { StatusChip, statusColor } from './StatusChip';
import { directionLabel, formatPercent, formatValue } from './format';

/** Where a figure is measured, in words. */
export function scopeLabel(scope: KeyResult['figure']['scope']): string {
  if (scope.kind === 'org') return 'the org';
  return `${scope.kind === 'team' ? 'team' : ''} ${entityRefLabel(
    scope.ref ?? '',
  )}`.trim();
}

const useStyles = makeStyles({
  bar: (props: { color: string }) => ({ backgroundColor: props.color }),
});

function Figure(props: { label: string; children: ReactNode }) {
  return (
    <Box mr={3} mb={1}>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body1" component="div">
        {props.children}
      </Typography>
    </Box>
  );
}

/**
 * One key result: the live figure with its unit, baseline, target, direction, progress against the expected progress,
 * and its status; manual ones say so, and an area that could not be read says why.
 */
export function KeyResultView(props: {
  keyResult: KeyResult;
  children?: ReactNode;
}) {
  const kr = props.keyResult;
  const progress = kr.progress ?? 0;
  const classes = useStyles({ color: statusColor(kr.status) });
  return (
    <Box
      component="section"
      aria-label={`Key result: ${kr.title}`}
      py={1.5}
      borderTop="1px solid rgba(128,128,128,0.2)"
    >
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography
          variant="subtitle1"
          component="h4"
          style={{ fontWeight: 600 }}
        >
          {kr.title}
        </Typography>
        <StatusChip status={kr.status} />
        {kr.manual && (
          <Tooltip title="No Vitals figure fits this key result: its value is typed in by an editor.">
            <Chip size="small" variant="outlined" label="Manual value" />
          </Tooltip>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        {kr.manual ? 'Typed in' : kr.label} · {scopeLabel(kr.figure.scope)} ·{' '}
        {directionLabel(kr.direction)}
      </Typography>
      {!kr.available && (
        <Alert severity="warning" style={{ marginTop: 8 }}>
          Figure unavailable:{' '}
          {kr.unavailableReason ?? 'its area did not answer'}.
          {kr.current !== null && ' The last value read is shown.'}
        </Alert>
      )}
      <Box display="flex" flexWrap="wrap" mt={1}>
        <Figure label={kr.manual ? 'Current (manual)' : 'Current (live)'}>
          <strong>{formatValue(kr.current, kr.unit)}</strong>
        </Figure>
        <Figure label="Baseline">{formatValue(kr.baseline, kr.unit)}</Figure>
        <Figure label="Target">{formatValue(kr.target, kr.unit)}</Figure>
        <Figure label="Progress">
          {formatPercent(kr.progress)} (expected{' '}
          {formatPercent(kr.expectedProgress)} by today)
        </Figure>
      </Box>
      <Box position="relative" mt={0.5}>
        <LinearProgress
          variant="determinate"
          value={progress}
          aria-label={`Progress of ${kr.title}`}
          style={{ height: 8, borderRadius: 4 }}
          // The bar takes the status' colour; the text beside it says the figures.
          classes={{ bar: classes.bar }}
        />
        <Box
          position="absolute"
          top={-2}
          height={12}
          width={2}
          bgcolor="text.primary"
          left={`${kr.expectedProgress}%`}
          title={`Expected by today: ${formatPercent(kr.expectedProgress)}`}
        />
      </Box>
      {props.children}
    </Box>
  );
}
