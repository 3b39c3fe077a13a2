/** Hours in an ideal engineer-day, used to turn monthly interest into days. @public */
export const HOURS_PER_DAY = 8;

/**
 * The priority of a debt item: cost of delay divided by the size of the job.
 *
 *   priority = (impact + interestHoursPerMonth / 8) / effortDays
 *
 * Impact (1–5) and the engineer-days lost per month to interest make up the cost of delay; effort is the job size in
 * ideal days. Higher is more urgent: a high-impact, high-interest item that takes half a day outranks a low-impact
 * rewrite that takes a month. Rounded to two decimals so that the figure the user sees is the one that sorts.
 *
 * The API bounds the inputs (`TECH_DEBT_LIMITS`), so the result is at most about 1,300; inputs that would make it
 * infinite or not a number throw a RangeError rather than store a priority that sorts wrong.
 *
 * @public
 */
export function computePriority(input: {
  impact: number;
  effortDays: number;
  interestHoursPerMonth?: number | null;
}): number {
  const interestDays = (input.interestHoursPerMonth ?? 0) / HOURS_PER_DAY;
  const raw = (input.impact + interestDays) / input.effortDays;
  const priority = Math.round(raw * 100) / 100;
  if (!(input.effortDays > 0) || !Number.isFinite(priority)) {
    throw new RangeError(
      `No finite priority for impact ${input.impact}, effort ${
        input.effortDays
      } days, interest ${input.interestHoursPerMonth ?? 0} h/month`,
    );
  }
  return priority;
}

/** Effort (days) at or under which an item is a quick win when its impact is high. @public */
export const QUICK_WIN_MAX_EFFORT_DAYS = 5;
/** Impact at or above which an item counts as high impact. @public */
export const HIGH_IMPACT_MIN = 3;

/** The quadrant of the impact/effort matrix an item falls into. @public */
export type DebtQuadrant =
  | 'quick-win'
  | 'major-project'
  | 'fill-in'
  | 'money-pit';

/** @public */
export function quadrantOf(item: {
  impact: number;
  effortDays: number;
}): DebtQuadrant {
  const highImpact = item.impact >= HIGH_IMPACT_MIN;
  const lowEffort = item.effortDays <= QUICK_WIN_MAX_EFFORT_DAYS;
  if (highImpact) return lowEffort ? 'quick-win' : 'major-project';
  return lowEffort ? 'fill-in' : 'money-pit';
}
