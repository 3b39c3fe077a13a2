import {
  CheckResult,
  CheckStaleness,
  EntityScorecardResult,
  FactUnit,
  factUnit,
  FactValue,
  ScorecardCheck,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import {
  entityRefLabel,
  formatDateTime,
  formatDays,
  formatMinutes,
  formatRate,
} from '@vitals/react';

/** A check's title in its scorecard's definition, or its id when the definition does not have it. */
export function checkTitle(
  definition: ScorecardDefinition | undefined,
  checkId: string,
): string {
  return definition?.checks.find(c => c.id === checkId)?.title ?? checkId;
}

/** "Silver", or "Below Bronze" when the lowest level is not reached. */
export function levelLabel(
  definition: ScorecardDefinition | undefined,
  levelId: string | null,
): string {
  if (levelId === null) {
    const lowest = definition?.levels[0];
    return lowest ? `Below ${lowest.title}` : 'No level';
  }
  return definition?.levels.find(l => l.id === levelId)?.title ?? levelId;
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined
    ? '–'
    : String(Math.round(score * 10) / 10);
}

/**
 * A fact value (or a check's threshold) as people read it. Give the fact id and a number is shown in the fact's unit
 * (`factUnit` of scorecards-common reads it from the id): `4219` minutes of lead time reads `2 days 22 h`, a change
 * failure rate of `0.037` reads `3.7%`.
 */
export function formatFactValue(
  value: FactValue | undefined,
  factId?: string,
): string {
  if (value === null || value === undefined) return 'no data';
  if (Array.isArray(value))
    return value.length ? value.join(', ') : '(empty list)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    const unit = factId ? factUnit(factId) : undefined;
    return unit ? formatInUnit(value, unit) : formatNumber(value);
  }
  return String(value);
}

function formatInUnit(value: number, unit: FactUnit): string {
  switch (unit) {
    case 'minutes':
      return formatMinutes(value);
    case 'hours':
      return formatMinutes(value * 60);
    case 'days':
      return formatDays(value);
    case 'daysPerWeek':
      return `${formatDays(value)} / week`;
    case 'daysPerMonth':
      return `${formatDays(value)} / month`;
    case 'fraction':
      return formatRate(value);
    case 'percent':
      return `${formatNumber(value)}%`;
    default:
      return formatNumber(value);
  }
}

/**
 * Why a check failed, in the fact's unit. The evaluation words a failed comparison with raw numbers
 * (`4219 is not <= 1440`); this says `2 days 22 h is not <= 1 day`. Other messages are shown as they are.
 */
export function failureMessage(
  check: Pick<ScorecardCheck, 'fact' | 'operator' | 'threshold'>,
  outcome: Pick<CheckResult, 'value' | 'message'>,
): string | null {
  const { message, value } = outcome;
  if (!message || typeof value !== 'number' || !factUnit(check.fact))
    return message;
  if (typeof check.threshold !== 'number') return message;
  if (message !== `${value} is not ${check.operator} ${check.threshold}`)
    return message;
  return `${formatFactValue(value, check.fact)} is not ${
    check.operator
  } ${formatFactValue(check.threshold, check.fact)}`;
}

/** Whole numbers as they are; others to two decimals, or three significant digits below 1 (0.0299, 48.17). */
function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const rounded =
    Math.abs(value) >= 1
      ? Math.round(value * 100) / 100
      : Number(value.toPrecision(3));
  return String(rounded);
}

export function refLabel(ref: string | null): string {
  return ref ? entityRefLabel(ref) : 'No owner';
}

/** "stale since Nov 26, 2026, 10:00 AM: provider dora failed" — why a check shows its last known outcome. */
export function staleLabel(stale: CheckStaleness): string {
  return `stale since ${formatDateTime(stale.since)}: provider ${
    stale.providerId
  } failed`;
}

/** The distinct reasons some checks of a result are stale, earliest first. */
export function staleReasons(result: EntityScorecardResult): string[] {
  const stale = result.checks.flatMap(c => (c.stale ? [c.stale] : []));
  const earliest = new Map<string, CheckStaleness>();
  for (const s of stale) {
    const known = earliest.get(s.providerId);
    if (!known || s.since < known.since) earliest.set(s.providerId, s);
  }
  return [...earliest.values()]
    .sort((a, b) => a.since.localeCompare(b.since))
    .map(staleLabel);
}

export function isFailing(check: CheckResult): boolean {
  return !check.passed && !check.waiver;
}

/** The checks of a scorecard's definition joined with the entity's outcomes, in definition order. */
export function joinChecks(
  definition: ScorecardDefinition | undefined,
  result: EntityScorecardResult,
): Array<{ check: ScorecardCheck; outcome: CheckResult }> {
  const byId = new Map(result.checks.map(c => [c.checkId, c]));
  if (!definition) {
    return result.checks.map(outcome => ({
      check: {
        id: outcome.checkId,
        title: outcome.checkId,
        fact: '',
        operator: 'exists',
        level: '',
      },
      outcome,
    }));
  }
  return definition.checks.flatMap(check => {
    const outcome = byId.get(check.id);
    return outcome ? [{ check, outcome }] : [];
  });
}

/**
 * What stands between the entity and the next level: the failing checks of every level up to and including it.
 * An entity reaches a level when it passes every check of that level and the levels below.
 */
export function nextLevelGap(
  definition: ScorecardDefinition | undefined,
  result: EntityScorecardResult,
) {
  if (!definition) return undefined;
  const next = definition.levels[result.levelIndex + 1];
  if (!next) return undefined;
  const upTo = new Set(
    definition.levels.slice(0, result.levelIndex + 2).map(l => l.id),
  );
  const failing = joinChecks(definition, result).filter(
    ({ check, outcome }) => upTo.has(check.level) && isFailing(outcome),
  );
  return { level: next, failing };
}
