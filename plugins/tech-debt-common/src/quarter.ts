/** A calendar quarter, e.g. `2026-Q4`, as [start, end) instants in UTC. @public */
export interface QuarterRange {
  quarter: string;
  start: Date;
  end: Date;
}

/** Quarters from 1970 to 2099: the years any debt budget can be about. */
const QUARTER_PATTERN = /^(19[7-9]\d|20\d\d)-Q([1-4])$/;

/** Whether the value is a quarter like `2026-Q4` between 1970-Q1 and 2099-Q4. @public */
export function isQuarter(value: string): boolean {
  return QUARTER_PATTERN.test(value);
}

/** Parses `YYYY-Qn`; throws on anything else. @public */
export function quarterRange(quarter: string): QuarterRange {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) {
    throw new Error(
      `Invalid quarter '${quarter}', expected one from 1970-Q1 to 2099-Q4 like 2026-Q4`,
    );
  }
  const year = Number(match[1]);
  const q = Number(match[2]);
  return {
    quarter,
    start: new Date(Date.UTC(year, (q - 1) * 3, 1)),
    end: new Date(Date.UTC(year, q * 3, 1)),
  };
}

/** The quarter an instant falls in (UTC). @public */
export function quarterOf(date: Date): string {
  return `${date.getUTCFullYear()}-Q${Math.floor(date.getUTCMonth() / 3) + 1}`;
}
