import type {
  CheckResult,
  CheckStaleness,
  EntityScorecardResult,
  FactValue,
  ScorecardCheck,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { entityRefLabel, formatDateTime } from '@vitals/react';

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

export function formatFactValue(value: FactValue): string {
  if (value === null) return 'no data';
  if (Array.isArray(value))
    return value.length ? value.join(', ') : '(empty list)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
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
