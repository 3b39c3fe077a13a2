/**
 * The unit of a numeric fact, so that a person reads `2 days 22 h` rather than `4219`:
 *
 * - `minutes`: a duration in minutes;
 * - `hours`: a duration in hours;
 * - `days`: a duration or an age in days;
 * - `daysPerWeek`, `daysPerMonth`: days with some event per week or per 30 days;
 * - `fraction`: a share from 0 to 1 (a rate or a share), shown as a percentage (`0.037` is `3.7%`);
 * - `percent`: a share already in percent (`37` is `37%`);
 * - `count`: a number of things, shown as it is.
 *
 * @public
 */
export type FactUnit =
  | 'minutes'
  | 'hours'
  | 'days'
  | 'daysPerWeek'
  | 'daysPerMonth'
  | 'fraction'
  | 'percent'
  | 'count';

/** One row of {@link FACT_UNIT_RULES}. @public */
export interface FactUnitRule {
  /** Tested against the fact's own name: the part of its id after the provider prefix (`leadTimeMedianMinutes`). */
  pattern: RegExp;
  unit: FactUnit;
  /** A fact id the rule is meant for, for people reading the table. */
  example: string;
}

/**
 * Facts carry no unit of their own (a provider declares only a fact's type), so the unit is read from how the fact is
 * named. This is the one table that does it: the first rule whose pattern matches the fact's name wins. Name a new
 * numeric fact by these conventions (end a duration in `Minutes`, `Hours` or `Days`, a 0–1 share in `Rate` or `Share`,
 * a percentage in `Percent`, a number of things in `Count`) and every scorecard view shows it in its unit. A fact that matches no
 * rule is shown as a plain number.
 *
 * @public
 */
export const FACT_UNIT_RULES: readonly FactUnitRule[] = [
  {
    pattern: /^weekly\w*Days$/,
    unit: 'daysPerWeek',
    example: 'dora.weeklyMedianDeploymentDays',
  },
  {
    pattern: /^monthly\w*Days$/,
    unit: 'daysPerMonth',
    example: 'dora.monthlyMedianDeploymentDays',
  },
  {
    pattern: /Minutes$/,
    unit: 'minutes',
    example: 'dora.leadTimeMedianMinutes',
  },
  { pattern: /Hours$/, unit: 'hours', example: 'flow.pickupMedianHours' },
  { pattern: /Days$/, unit: 'days', example: 'ownership.confirmationAgeDays' },
  {
    pattern: /DaysTo[A-Z]\w*$/,
    unit: 'days',
    example: 'onboarding.teamMedianDaysToFirstDeploy',
  },
  { pattern: /Rate$/, unit: 'fraction', example: 'dora.changeFailureRate' },
  { pattern: /Share$/, unit: 'fraction', example: 'flow.unreviewedShare' },
  {
    pattern: /Percent$/,
    unit: 'percent',
    example: 'techDebt.ownerBudgetUsePercent',
  },
  { pattern: /Count$/, unit: 'count', example: 'techDebt.openCount' },
];

/**
 * The unit of a fact, read from its id with {@link FACT_UNIT_RULES}; undefined when the name follows none of the
 * conventions. Only numeric facts have a unit: a check on a `*Rate` fact with the value `'elite'` is shown as it is.
 *
 * @public
 */
export function factUnit(factId: string): FactUnit | undefined {
  const name = factId.slice(factId.lastIndexOf('.') + 1);
  return FACT_UNIT_RULES.find(rule => rule.pattern.test(name))?.unit;
}
