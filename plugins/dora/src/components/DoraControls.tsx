import { MenuItem, TextField } from '@material-ui/core';
import { DORA_BENCHMARKS, DoraBenchmark } from '@vitals/plugin-dora-common';
import { useMemo, useState } from 'react';
import { BENCHMARK_LABELS, WINDOW_DAYS, WindowDays } from './format';

const DAY_MS = 86_400_000;

/** A window of whole UTC days that ends with today: `[today − (days − 1), tomorrow)`. */
export function windowOf(
  days: number,
  now: number = Date.now(),
): { from: string; to: string } {
  const to = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  return {
    from: new Date(to - days * DAY_MS).toISOString(),
    to: new Date(to).toISOString(),
  };
}

export interface DoraSettings {
  days: WindowDays;
  setDays: (days: WindowDays) => void;
  benchmark: DoraBenchmark;
  setBenchmark: (benchmark: DoraBenchmark) => void;
  from: string;
  to: string;
}

/** The window and benchmark a view shows; 90 days and the 2023 benchmark by default. */
export function useDoraSettings(initialDays: WindowDays = 90): DoraSettings {
  const [days, setDays] = useState<WindowDays>(initialDays);
  const [benchmark, setBenchmark] = useState<DoraBenchmark>('2023');
  // Fixed per window choice, so that re-renders do not refetch with a moving `to`.
  const { from, to } = useMemo(() => windowOf(days), [days]);
  return { days, setDays, benchmark, setBenchmark, from, to };
}

/** The window picker: the last 30, 90 or 180 days. */
export function WindowSelect({
  settings,
  dense,
}: {
  settings: Pick<DoraSettings, 'days' | 'setDays'>;
  dense?: boolean;
}) {
  return (
    <TextField
      select
      label="Window"
      value={settings.days}
      margin={dense ? 'dense' : 'normal'}
      onChange={e => settings.setDays(Number(e.target.value) as WindowDays)}
      style={{ minWidth: 130 }}
      SelectProps={{ inputProps: { 'aria-label': 'Window' } }}
    >
      {WINDOW_DAYS.map(days => (
        <MenuItem key={days} value={days}>
          Last {days} days
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The window (30/90/180 days) and benchmark pickers. */
export function DoraControls({
  settings,
  dense,
}: {
  settings: DoraSettings;
  dense?: boolean;
}) {
  return (
    <>
      <WindowSelect settings={settings} dense={dense} />
      <TextField
        select
        label="Benchmark"
        value={settings.benchmark}
        margin={dense ? 'dense' : 'normal'}
        onChange={e => settings.setBenchmark(e.target.value as DoraBenchmark)}
        style={{ minWidth: 190 }}
        SelectProps={{ inputProps: { 'aria-label': 'Benchmark' } }}
      >
        {DORA_BENCHMARKS.map(b => (
          <MenuItem key={b} value={b}>
            {BENCHMARK_LABELS[b]}
          </MenuItem>
        ))}
      </TextField>
    </>
  );
}
