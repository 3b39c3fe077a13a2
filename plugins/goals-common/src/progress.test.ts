import { periodRange } from './period';
import {
  computeProgress,
  expectedProgress,
  meanProgress,
  statusOf,
} from './progress';

describe('computeProgress', () => {
  it('measures the way from baseline to target, for a figure that should go down', () => {
    // Lead time from 48 h to a target of 24 h; now 36 h: 12 of 24 hours gained.
    expect(
      computeProgress({
        baseline: 48,
        target: 24,
        current: 36,
        direction: 'down',
      }),
    ).toBe(50);
  });

  it('measures the way for a figure that should go up, to one decimal', () => {
    // Coverage from 60 % to 90 %; now 71 %: 11 of 30 points, 36.67 %.
    expect(
      computeProgress({
        baseline: 60,
        target: 90,
        current: 71,
        direction: 'up',
      }),
    ).toBe(36.7);
  });

  it('clamps: a move away from the target is 0, past it 100', () => {
    expect(
      computeProgress({
        baseline: 60,
        target: 90,
        current: 50,
        direction: 'up',
      }),
    ).toBe(0);
    expect(
      computeProgress({
        baseline: 60,
        target: 90,
        current: 95,
        direction: 'up',
      }),
    ).toBe(100);
  });

  it('gives 100 while a baseline that already met the target still meets it, and 0 once it does not', () => {
    expect(
      computeProgress({
        baseline: 4,
        target: 5,
        current: 4.5,
        direction: 'down',
      }),
    ).toBe(100);
    expect(
      computeProgress({
        baseline: 4,
        target: 5,
        current: 6,
        direction: 'down',
      }),
    ).toBe(0);
  });

  it('has no progress without a baseline or a value', () => {
    expect(
      computeProgress({
        baseline: null,
        target: 5,
        current: 4,
        direction: 'up',
      }),
    ).toBeNull();
    expect(
      computeProgress({
        baseline: 1,
        target: 5,
        current: null,
        direction: 'up',
      }),
    ).toBeNull();
  });
});

describe('expectedProgress', () => {
  const q4 = periodRange('2026-Q4'); // 92 days: 1 October to 1 January

  it('draws a straight line from the start of the period to its end', () => {
    expect(expectedProgress(q4, new Date('2026-10-01T00:00:00Z'))).toBe(0);
    // 46 of 92 days.
    expect(expectedProgress(q4, new Date('2026-11-16T00:00:00Z'))).toBe(50);
    // 23 of 92 days.
    expect(expectedProgress(q4, new Date('2026-10-24T00:00:00Z'))).toBe(25);
    expect(expectedProgress(q4, new Date('2027-02-01T00:00:00Z'))).toBe(100);
    expect(expectedProgress(q4, new Date('2026-09-01T00:00:00Z'))).toBe(0);
  });
});

describe('statusOf', () => {
  it('is on track up to 10 points behind, at risk up to 25, off track beyond', () => {
    const at = (progress: number, expected: number) =>
      statusOf({ progress, expected, started: true });
    expect(at(40, 50)).toBe('on_track');
    expect(at(80, 50)).toBe('on_track');
    expect(at(39.9, 50)).toBe('at_risk');
    expect(at(25, 50)).toBe('at_risk');
    expect(at(24.9, 50)).toBe('off_track');
  });

  it('says not started before the period, and no data without a value', () => {
    expect(statusOf({ progress: null, expected: 0, started: false })).toBe(
      'not_started',
    );
    expect(statusOf({ progress: null, expected: 30, started: true })).toBe(
      'no_data',
    );
  });
});

describe('meanProgress', () => {
  it('averages the key results that have progress', () => {
    expect(meanProgress([50, null, 36.7])).toBe(43.4);
    expect(meanProgress([null])).toBeNull();
  });
});

describe('periodRange', () => {
  it('reads quarters, halves and years', () => {
    expect(periodRange('2026-Q4').start.toISOString()).toBe(
      '2026-10-01T00:00:00.000Z',
    );
    expect(periodRange('2026-Q4').end.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(periodRange('2026-H2').start.toISOString()).toBe(
      '2026-07-01T00:00:00.000Z',
    );
    expect(periodRange('2026').end.toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(() => periodRange('2026-Q5')).toThrow(/Invalid period/);
  });
});
