/** The built-in units whose singular differs: the catalogue's (`figures.ts`) and the stakeholder report's. */
const SINGULAR_UNITS: Record<string, string> = {
  hours: 'hour',
  days: 'day',
  points: 'point',
  deployments: 'deployment',
  'deployment days/week': 'deployment day/week',
  'deployments a week': 'deployment a week',
};

/**
 * A value with its unit as people write it, one decimal at most: `36 hours`, `1 hour`, `67%`,
 * `2.5 deployment days/week`, `1 deployment day/week`. A unit typed in by a person is kept as typed.
 *
 * @public
 */
export function formatWithUnit(value: number, unit: string): string {
  const rounded = Math.round(value * 10) / 10;
  const text = rounded.toLocaleString('en-US', { maximumFractionDigits: 1 });
  if (unit === '') return text;
  if (unit === '%') return `${text}%`;
  const said = Math.abs(rounded) === 1 ? SINGULAR_UNITS[unit] ?? unit : unit;
  return `${text} ${said}`;
}
