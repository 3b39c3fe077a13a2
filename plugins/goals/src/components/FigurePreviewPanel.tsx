import { useApi } from '@backstage/core-plugin-api';
import { Box, CircularProgress, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { describeApiError } from '@vitals/common';
import { FigureDescriptor, FigurePreview } from '@vitals/plugin-goals-common';
import { formatUtcDate } from '@vitals/react';
import { useEffect, useState } from 'react';
import { goalsApiRef } from '../api/goalsApiRef';
import { formatValue } from './format';

/** How long typing has to pause before the figure is read. */
const DEBOUNCE_MS = 400;

/**
 * The live value of the figure a key result is being bound to and the baseline a goal in `period` would record, read
 * through `POST /v1/figures/preview` once the descriptor is complete. `figure` is undefined while it is not.
 */
export function FigurePreviewPanel(props: {
  figure: FigureDescriptor | undefined;
  period: string;
  title: string;
}) {
  const api = useApi(goalsApiRef);
  const key = props.figure ? JSON.stringify([props.figure, props.period]) : '';
  const [state, setState] = useState<{
    key: string;
    loading: boolean;
    preview?: FigurePreview;
    error?: string;
  }>({ key: '', loading: false });

  useEffect(() => {
    if (!key) return undefined;
    let cancelled = false;
    setState({ key, loading: true });
    const timer = setTimeout(() => {
      const [figure, period] = JSON.parse(key);
      api
        .previewFigure({ figure, period })
        .then(preview => {
          if (!cancelled) setState({ key, loading: false, preview });
        })
        .catch(e => {
          if (!cancelled)
            setState({ key, loading: false, error: describeApiError(e) });
        });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, key]);

  const label = `Live preview of ${props.title || 'this key result'}`;
  if (!key) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        aria-label={label}
        role="status"
      >
        Choose the figure and its scope to see its live value and the baseline.
      </Typography>
    );
  }
  if (state.loading || state.key !== key) {
    return (
      <Box
        display="flex"
        alignItems="center"
        role="status"
        aria-label={label}
        style={{ gap: 8 }}
      >
        <CircularProgress size={16} />
        <Typography variant="body2">Reading the figure…</Typography>
      </Box>
    );
  }
  if (state.error) {
    return (
      <Alert severity="error" role="status" aria-label={label}>
        Could not read the figure: {state.error}
      </Alert>
    );
  }
  const p = state.preview!;
  if (!p.available) {
    return (
      <Alert severity="warning" role="status" aria-label={label}>
        {p.label} is unavailable now: {p.reason ?? 'its area did not answer'}.
        You can still save; the baseline is taken once it answers.
      </Alert>
    );
  }
  const baselineLater =
    p.baselineAt && new Date(p.baselineAt).getTime() > Date.now() + 60_000;
  return (
    <Alert severity="info" icon={false} role="status" aria-label={label}>
      <strong>
        {p.label} now: {formatValue(p.value, p.unit)}
      </strong>
      {p.value === null && ' (no data yet)'}.{' '}
      {baselineLater
        ? `The baseline will be recorded on ${formatUtcDate(
            p.baselineAt,
          )}, when the period starts.`
        : `Baseline if saved now: ${formatValue(p.baseline, p.unit)}.`}{' '}
      {p.better === 'up' ? 'Higher' : 'Lower'} is better.
    </Alert>
  );
}
