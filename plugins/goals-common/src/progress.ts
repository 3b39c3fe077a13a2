import type { Direction } from './figures';

/**
 * How far behind the expected progress a key result may be and still count as on track, and as at risk, in
 * percentage points. See the backend README ("Progress and status").
 *
 * @public
 */
export const STATUS_THRESHOLDS = { onTrackWithin: 10, atRiskWithin: 25 };

/** A key result's or goal's standing. @public */
export const PROGRESS_STATUSES = [
  'on_track',
  'at_risk',
  'off_track',
  'not_started',
  'no_data',
] as const;

/** @public */
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

const round1 = (value: number) => Math.round(value * 10) / 10;
const clamp = (value: number, min: number, max: number) =>
  Math.min(max, Math.max(min, value));

/**
 * Progress of a key result in percent (0–100, one decimal): how much of the way from the baseline to the target the
 * current value has come, `(current − baseline) / (target − baseline)`, clamped. A move away from the target is 0; past
 * the target is 100. When the baseline already met the target (in the key result's direction), progress is 100 while
 * the value still meets it and 0 once it does not. Null without a baseline or a current value.
 *
 * @public
 */
export function computeProgress(input: {
  baseline: number | null;
  target: number;
  current: number | null;
  direction: Direction;
}): number | null {
  const { baseline, target, current, direction } = input;
  if (baseline === null || current === null) return null;
  const sign = direction === 'up' ? 1 : -1;
  const span = sign * (target - baseline);
  if (span <= 0) return sign * (current - target) >= 0 ? 100 : 0;
  return round1(clamp((sign * (current - baseline)) / span, 0, 1) * 100);
}

/**
 * The progress expected by `at` in percent (0–100, one decimal): a straight line from 0 at the start of the period to
 * 100 at its end.
 *
 * @public
 */
export function expectedProgress(
  period: { start: Date; end: Date },
  at: Date,
): number {
  const span = period.end.getTime() - period.start.getTime();
  if (span <= 0) return 100;
  return round1(
    clamp((at.getTime() - period.start.getTime()) / span, 0, 1) * 100,
  );
}

/**
 * The status of a progress against the expected one: on track when at most {@link STATUS_THRESHOLDS}.onTrackWithin
 * points behind (or ahead), at risk when at most atRiskWithin points behind, else off track. `not_started` before the
 * period starts (no baseline yet), `no_data` when the figure has never been read.
 *
 * @public
 */
export function statusOf(input: {
  progress: number | null;
  expected: number;
  started: boolean;
}): ProgressStatus {
  const { progress, expected, started } = input;
  if (!started) return 'not_started';
  if (progress === null) return 'no_data';
  const behind = expected - progress;
  if (behind <= STATUS_THRESHOLDS.onTrackWithin) return 'on_track';
  if (behind <= STATUS_THRESHOLDS.atRiskWithin) return 'at_risk';
  return 'off_track';
}

/** The mean of the key results' progress that have one (a goal's progress), or null when none has. @public */
export function meanProgress(values: Array<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return null;
  return round1(known.reduce((a, b) => a + b, 0) / known.length);
}
