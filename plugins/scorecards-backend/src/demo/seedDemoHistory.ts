import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EntityScorecardResult,
  reachedLevelIndex,
  ScorecardDefinition,
} from '@vitals/plugin-scorecards-common';
import { PastHistoryPoint, ScorecardsStore } from '../database/ScorecardsStore';

/** How far back the demo history goes, one point a week. */
export const DEMO_HISTORY_WEEKS = 26;

const DAY_MS = 86_400_000;
/** Most results the seed reads: the example catalog has a handful; a demo never needs more. */
const MAX_RESULTS = 10_000;

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/**
 * Where an entity's scorecard was heading over the past months: most improved (checks fixed one by one, partial
 * scores creeping up), some slipped (checks that passed started failing), some held steady with a short regression.
 */
type Course = 'improving' | 'slipping' | 'steady';

/**
 * The score (0–100) one check had `weeksAgo` weeks ago, walking back from its score now. Deterministic in `key`.
 */
function pastCheckScore(
  course: Course,
  key: string,
  scoreNow: number,
  weeksAgo: number,
  weeks: number,
): number {
  const h = hash(key);
  const changedWeeksAgo = 2 + (h % Math.max(1, weeks - 4));
  const drift = (h >>> 8) % 3; // points per week
  const before = 10 + ((h >>> 12) % 60); // a failing check's partial score before it was fixed
  const passesNow = scoreNow >= 100;
  if (course === 'improving') {
    if (passesNow) {
      // Two in three of today's passing checks were fixed at some point in the period.
      if (h % 3 === 0 || weeksAgo < changedWeeksAgo) return 100;
      return Math.max(0, before - (weeksAgo - changedWeeksAgo) * drift);
    }
    return Math.max(0, Math.round(scoreNow - weeksAgo * drift));
  }
  if (course === 'slipping') {
    if (passesNow) return 100;
    // Half of today's failing checks passed until some weeks ago, and got worse since.
    if (h % 2 === 0 && weeksAgo >= changedWeeksAgo) return 100;
    return Math.min(99, Math.round(scoreNow + weeksAgo * drift));
  }
  // Steady: one in four passing checks failed for three weeks once, then was fixed again.
  if (
    passesNow &&
    h % 4 === 0 &&
    weeksAgo >= changedWeeksAgo &&
    weeksAgo < changedWeeksAgo + 3
  )
    return before;
  return scoreNow;
}

/** The UTC day `weeksAgo` weeks before `today`, YYYY-MM-DD. */
function dayWeeksAgo(today: Date, weeksAgo: number): string {
  return new Date(today.getTime() - weeksAgo * 7 * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

/**
 * A believable weekly history of one entity's scorecard over the `weeks` weeks before `now`, ending where its current
 * result is: every point's score, level and failing checks follow from per-check scores by the scorecard's own rules.
 * Deterministic in the entity ref and scorecard id.
 */
export function demoHistoryOf(
  result: Pick<EntityScorecardResult, 'entityRef' | 'scorecardId' | 'checks'>,
  definition: Pick<ScorecardDefinition, 'levels' | 'checks'>,
  now: Date,
  weeks: number = DEMO_HISTORY_WEEKS,
): PastHistoryPoint[] {
  const key = `${result.entityRef}#${result.scorecardId}`;
  const courses: Course[] = [
    'improving',
    'improving',
    'improving',
    'slipping',
    'steady',
  ];
  const course = courses[hash(key) % courses.length];
  const scoreNow = new Map(
    result.checks.map(c => [c.checkId, c.waiver ? 100 : c.score]),
  );
  const checkIds = definition.checks.map(c => c.id);
  const points: PastHistoryPoint[] = [];
  for (let weeksAgo = 1; weeksAgo <= weeks; weeksAgo++) {
    const scores = new Map(
      checkIds.map(id => [
        id,
        pastCheckScore(
          course,
          `${key}#${id}`,
          scoreNow.get(id) ?? 0,
          weeksAgo,
          weeks,
        ),
      ]),
    );
    const passes = (id: string) => (scores.get(id) ?? 0) >= 100;
    const levelIndex = reachedLevelIndex(definition, passes);
    const total = [...scores.values()].reduce((sum, s) => sum + s, 0);
    points.push({
      entityRef: result.entityRef,
      scorecardId: result.scorecardId,
      day: dayWeeksAgo(now, weeksAgo),
      levelId: levelIndex >= 0 ? definition.levels[levelIndex].id : null,
      levelIndex,
      score: checkIds.length
        ? Math.round((10 * total) / checkIds.length) / 10
        : 100,
      failingChecks: checkIds.filter(id => !passes(id)).sort(),
    });
  }
  return points.reverse();
}

/**
 * Seeds demo history for the entities that have current results: a point a week over the past
 * {@link DEMO_HISTORY_WEEKS} weeks per entity and scorecard, leading to its current result, and the daily summaries of
 * those days, so that the history and trend charts have a line to show. Pairs that already have history from before
 * today keep theirs: running it again (a restart, another replica, a later day) adds nothing. Returns the number of
 * history rows written, or null when nothing is evaluated yet (try again later).
 */
export async function seedDemoHistory(options: {
  store: ScorecardsStore;
  definitions: ScorecardDefinition[];
  logger: LoggerService;
  now?: Date;
}): Promise<number | null> {
  const { store, definitions, logger } = options;
  const now = options.now ?? new Date();
  const results = await store.listResults({ limit: MAX_RESULTS });
  if (results.length === 0) return null;
  const definitionOf = new Map(definitions.map(d => [d.id, d]));
  const points = results.flatMap(result => {
    const definition = definitionOf.get(result.scorecardId);
    return definition ? demoHistoryOf(result, definition, now) : [];
  });
  const written = await store.addPastHistory(
    points,
    now.toISOString().slice(0, 10),
  );
  if (written > 0) {
    logger.info(
      `Seeded ${written} demo scorecard history points for ${
        new Set(results.map(r => r.entityRef)).size
      } entities`,
    );
  }
  return written;
}
