import type {
  AppliedWaiver,
  CheckResult,
  FactValue,
  ScorecardAppliesTo,
  ScorecardCheck,
  ScorecardDefinition,
  ScorecardEvaluation,
} from './types';

/** The outcome of comparing one fact value with a check, before waivers. @public */
export interface CheckOutcome {
  passed: boolean;
  /** 0–100; 100 exactly when passed. */
  score: number;
  /** Why it failed; null when it passed. */
  message: string | null;
}

/** The message of a check whose fact has no value. @public */
export const NO_DATA = 'no data';

const PASS: CheckOutcome = { passed: true, score: 100, message: null };

function fail(message: string, score = 0): CheckOutcome {
  // A failing check never scores 100, so that "100" always means "passed".
  return {
    passed: false,
    score: Math.max(0, Math.min(99, Math.round(score))),
    message,
  };
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Whether a fact has a value: not null, not an empty string, not an empty list. False is a value. @public */
export function factExists(value: FactValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/**
 * Partial score of a failed numeric comparison: 100 minus the relative distance to the threshold in percent, where
 * the distance is measured against the threshold's magnitude (at least 1). E.g. `open items <= 5` with 8 open scores
 * 40; `deploys per week >= 4` with 3 scores 75. Zero at twice the threshold (or further).
 */
function distanceScore(value: number, threshold: number): number {
  const scale = Math.max(Math.abs(threshold), 1);
  return 100 * Math.max(0, 1 - Math.abs(value - threshold) / scale);
}

const NUMERIC_COMPARISONS: Record<
  '<' | '<=' | '>' | '>=',
  (value: number, threshold: number) => boolean
> = {
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
};

const regexCache = new Map<string, RegExp>();
function regexOf(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex;
}

function sameValue(a: FactValue, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length &&
      [...a].sort().join('\u0000') === [...b].sort().join('\u0000')
    );
  }
  return a === b;
}

/**
 * Compares a fact value with a check. Never throws: a missing fact fails with "no data", a value of the wrong type
 * fails with a message that says so.
 *
 * Scores: `==`, `!=`, `exists` and `matches` score 0 or 100. `<`, `<=`, `>`, `>=` give partial credit by distance to
 * the threshold (see README). `contains` with a list threshold scores the share of the listed values present.
 *
 * @public
 */
export function compareFact(
  check: Pick<ScorecardCheck, 'operator' | 'threshold'>,
  value: FactValue | undefined,
): CheckOutcome {
  const { operator, threshold } = check;
  if (operator === 'exists') {
    return factExists(value) ? PASS : fail(NO_DATA);
  }
  if (value === null || value === undefined) {
    return fail(NO_DATA);
  }
  switch (operator) {
    case '==':
      return sameValue(value, threshold)
        ? PASS
        : fail(`${show(value)} is not ${show(threshold)}`);
    case '!=':
      return sameValue(value, threshold) ? fail(`is ${show(value)}`) : PASS;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail(`expected a number, got ${show(value)}`);
      }
      const t = threshold as number;
      const ok = NUMERIC_COMPARISONS[operator](value, t);
      return ok
        ? PASS
        : fail(`${value} is not ${operator} ${t}`, distanceScore(value, t));
    }
    case 'contains': {
      const wanted = Array.isArray(threshold) ? threshold : [String(threshold)];
      let present: (w: string) => boolean;
      if (Array.isArray(value)) present = w => value.includes(w);
      else if (typeof value === 'string') present = w => value.includes(w);
      else return fail(`expected text or a list, got ${show(value)}`);
      const missing = wanted.filter(w => !present(w));
      if (missing.length === 0) return PASS;
      return fail(
        `missing ${show(missing)}`,
        (100 * (wanted.length - missing.length)) / wanted.length,
      );
    }
    case 'matches': {
      const regex = regexOf(String(threshold));
      const values = Array.isArray(value) ? value : [String(value)];
      return values.some(v => regex.test(v))
        ? PASS
        : fail(`${show(value)} does not match /${threshold}/`);
    }
    default:
      return fail(`unknown operator '${operator as string}'`);
  }
}

/** A waiver as the engine needs it. @public */
export interface WaiverForEvaluation extends AppliedWaiver {
  checkId: string;
  revokedAt?: string | null;
}

/** Whether a waiver applies at `now`: not withdrawn and not yet expired. @public */
export function isWaiverActive(
  waiver: { expiresAt: string; revokedAt?: string | null },
  now: Date,
): boolean {
  return !waiver.revokedAt && Date.parse(waiver.expiresAt) > now.getTime();
}

/**
 * The index of the highest level reached when `passes(checkId)` tells which checks pass (or are waived), -1 when the
 * lowest level is not reached: a level is reached when every check of it and of all lower levels passes.
 *
 * @public
 */
export function reachedLevelIndex(
  definition: Pick<ScorecardDefinition, 'levels' | 'checks'>,
  passes: (checkId: string) => boolean,
): number {
  let levelIndex = -1;
  for (let i = 0; i < definition.levels.length; i++) {
    const levelId = definition.levels[i].id;
    if (!definition.checks.every(c => c.level !== levelId || passes(c.id)))
      break;
    levelIndex = i;
  }
  return levelIndex;
}

/**
 * Evaluates one scorecard for one entity.
 *
 * Level rule: an entity reaches a level when it passes (or has an active waiver for) every check of that level and of
 * all lower levels. The score is the mean of the check scores, a waived check counting 100.
 *
 * @public
 */
export function evaluateScorecard(
  definition: ScorecardDefinition,
  facts: Record<string, FactValue | undefined>,
  options?: { waivers?: WaiverForEvaluation[]; now?: Date },
): ScorecardEvaluation {
  const now = options?.now ?? new Date();
  const waivers = new Map<string, WaiverForEvaluation>();
  for (const w of options?.waivers ?? []) {
    if (isWaiverActive(w, now)) waivers.set(w.checkId, w);
  }

  const checks: CheckResult[] = definition.checks.map(check => {
    const value = facts[check.fact];
    const outcome = compareFact(check, value);
    const waiver = outcome.passed ? undefined : waivers.get(check.id);
    return {
      checkId: check.id,
      value: value === undefined ? null : value,
      passed: outcome.passed,
      score: outcome.score,
      message: outcome.message,
      waiver: waiver
        ? {
            id: waiver.id,
            reason: waiver.reason,
            expiresAt: waiver.expiresAt,
            createdBy: waiver.createdBy,
          }
        : null,
    };
  });

  const ok = new Map(
    checks.map(c => [c.checkId, c.passed || c.waiver !== null]),
  );
  const levelIndex = reachedLevelIndex(
    definition,
    checkId => ok.get(checkId) === true,
  );

  const total = checks.reduce((sum, c) => sum + (c.waiver ? 100 : c.score), 0);
  const score = checks.length
    ? Math.round((10 * total) / checks.length) / 10
    : 100;
  return {
    scorecardId: definition.id,
    levelId: levelIndex >= 0 ? definition.levels[levelIndex].id : null,
    levelIndex,
    score,
    checks,
  };
}

/** The parts of a catalog entity that decide whether a scorecard applies. @public */
export interface ApplicableEntity {
  kind: string;
  metadata: { namespace?: string; tags?: string[] };
  spec?:
    | { type?: unknown; lifecycle?: unknown; system?: unknown }
    | Record<string, unknown>;
}

/** Turns `payments` or `System:default/Payments` into `system:default/payments`. @public */
export function normalizeSystemRef(
  value: string,
  namespace = 'default',
): string {
  const lower = value.trim().toLocaleLowerCase('en-US');
  const withoutKind = lower.startsWith('system:')
    ? lower.slice('system:'.length)
    : lower;
  return `system:${
    withoutKind.includes('/')
      ? withoutKind
      : `${namespace.toLocaleLowerCase('en-US')}/${withoutKind}`
  }`;
}

/** Whether a scorecard applies to an entity. Comparisons are case-insensitive. @public */
export function scorecardAppliesTo(
  appliesTo: ScorecardAppliesTo | undefined,
  entity: ApplicableEntity,
): boolean {
  if (!appliesTo) return true;
  const lower = (v: unknown) =>
    typeof v === 'string' ? v.toLocaleLowerCase('en-US') : undefined;
  const within = (allowed: string[] | undefined, actual: string | undefined) =>
    !allowed ||
    allowed.length === 0 ||
    (actual !== undefined && allowed.some(a => lower(a) === actual));
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  if (!within(appliesTo.kind, lower(entity.kind))) return false;
  if (!within(appliesTo.type, lower(spec.type))) return false;
  if (!within(appliesTo.lifecycle, lower(spec.lifecycle))) return false;
  if (appliesTo.tags?.length) {
    const tags = (entity.metadata.tags ?? []).map(t =>
      t.toLocaleLowerCase('en-US'),
    );
    if (!appliesTo.tags.some(t => tags.includes(t.toLocaleLowerCase('en-US'))))
      return false;
  }
  if (appliesTo.system?.length) {
    if (typeof spec.system !== 'string') return false;
    const system = normalizeSystemRef(spec.system, entity.metadata.namespace);
    if (!appliesTo.system.some(s => normalizeSystemRef(s) === system))
      return false;
  }
  return true;
}
