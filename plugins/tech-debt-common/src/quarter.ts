/** A calendar quarter, e.g. `2026-Q4`, as [start, end) instants in UTC. @public */
export interface QuarterRange {
  quarter: string;
  start: Date;
  end: Date;
}

const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

/** @public */
export function isQuarter(value: string): boolean {
  return QUARTER_PATTERN.test(value);
}

/** Parses `YYYY-Qn`; throws on anything else. @public */
export function quarterRange(quarter: string): QuarterRange {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) {
    throw new Error(`Invalid quarter '${quarter}', expected e.g. 2026-Q4`);
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
