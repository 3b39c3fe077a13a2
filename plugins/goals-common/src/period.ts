/** A goal's period as [start, end) instants in UTC. @public */
export interface PeriodRange {
  period: string;
  start: Date;
  end: Date;
}

/**
 * Periods a goal can be set for: a quarter (`2026-Q4`, the default), a half (`2026-H1`) or a year (`2026`), from 2000
 * to 2099.
 */
const PERIOD_PATTERN = /^(20\d\d)(?:-(Q[1-4]|H[12]))?$/;

/** Whether the value is a period like `2026-Q4`, `2026-H2` or `2026`. @public */
export function isPeriod(value: string): boolean {
  return PERIOD_PATTERN.test(value);
}

/** Parses a period; throws on anything else. @public */
export function periodRange(period: string): PeriodRange {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) {
    throw new Error(
      `Invalid period '${period}', expected a quarter like 2026-Q4, a half like 2026-H1 or a year like 2026`,
    );
  }
  const year = Number(match[1]);
  const part = match[2];
  let startMonth = 0;
  let months = 12;
  if (part?.startsWith('Q')) {
    startMonth = (Number(part[1]) - 1) * 3;
    months = 3;
  } else if (part?.startsWith('H')) {
    startMonth = (Number(part[1]) - 1) * 6;
    months = 6;
  }
  return {
    period,
    start: new Date(Date.UTC(year, startMonth, 1)),
    end: new Date(Date.UTC(year, startMonth + months, 1)),
  };
}

/** The quarter an instant falls in (UTC), e.g. `2026-Q4`: the default period of a new goal. @public */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}
